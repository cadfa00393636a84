//! The directory as CSV: download it whole, or choose a file to import. The server checks
//! every row first; a file with any refused row stores nothing, and the page lists each
//! refused row, its column and why, in the admin's language. Checked rows are stored in the
//! background while the page shows how far it is. The same import runs from the command line
//! (`ngo-portal import ngos`).
use super::model::{NgoImportProgress, NgoImportRefusal};
use crate::i18n::*;
use leptos::prelude::*;

fn problem_text(problem: &str, locale: Locale) -> &'static str {
    match problem {
        "unreadable" => td_string!(locale, csv_unreadable),
        "unknown_column" => td_string!(locale, csv_unknown_column),
        "duplicate_column" => td_string!(locale, csv_duplicate_column),
        "missing_column" => td_string!(locale, csv_missing_column),
        "too_many_rows" => td_string!(locale, csv_too_many_rows),
        "required" => td_string!(locale, csv_required),
        "invalid_eik" => td_string!(locale, csv_invalid_eik),
        "duplicate_eik" => td_string!(locale, csv_duplicate_eik),
        "too_long" => td_string!(locale, csv_too_long),
        "unknown_legal_form" => td_string!(locale, csv_unknown_legal_form),
        "unknown_region" => td_string!(locale, csv_unknown_region),
        "unknown_field" => td_string!(locale, csv_unknown_field),
        "invalid_website" => td_string!(locale, csv_invalid_website),
        "invalid_email" => td_string!(locale, csv_invalid_email),
        "invalid_phone" => td_string!(locale, csv_invalid_phone),
        "invalid_year" => td_string!(locale, csv_invalid_year),
        "unknown_status" => td_string!(locale, csv_unknown_status),
        "invalid_yes_no" => td_string!(locale, csv_invalid_yes_no),
        _ => td_string!(locale, csv_no_address),
    }
}

/// Where an import is.
#[derive(Clone, Copy)]
struct ImportState {
    /// The file is being sent and checked.
    checking: RwSignal<bool>,
    progress: RwSignal<Option<NgoImportProgress>>,
    refusal: RwSignal<Option<NgoImportRefusal>>,
    problem: RwSignal<Option<String>>,
}

impl ImportState {
    fn running(self) -> bool {
        self.checking.get() || self.progress.with(|p| p.as_ref().is_some_and(|p| !p.finished))
    }
}

#[component]
pub fn CsvSection() -> impl IntoView {
    let locale = crate::site::page_locale();
    let state = ImportState {
        checking: RwSignal::new(false),
        progress: RwSignal::new(None),
        refusal: RwSignal::new(None),
        problem: RwSignal::new(None),
    };
    let on_change = move |ev: leptos::ev::Event| start(ev, state, locale);
    view! {
        <h2>{td_string!(locale, admin_ngos_csv)}</h2>
        <p>{td_string!(locale, admin_ngos_lead)}</p>
        <p>
            <a class="button button--ghost" href="/api/admin/ngos/export.csv" rel="external" download="ngos.csv"
                data-testid="ngos-export">{td_string!(locale, admin_ngos_export)}</a>
        </p>
        <h3>{td_string!(locale, admin_ngos_import)}</h3>
        <p>{td_string!(locale, admin_ngos_import_explained)}</p>
        <noscript><p class="notice">{td_string!(locale, admin_ngos_needs_javascript)}</p></noscript>
        <div class="field">
            <label for="csv-file">{td_string!(locale, admin_ngos_choose)}</label>
            <input id="csv-file" type="file" accept=".csv,text/csv" on:change=on_change
                disabled=move || state.running() aria-describedby="csv-problem" data-testid="ngos-file" />
            <p class="field-error" id="csv-problem" data-testid="ngos-problem">{move || state.problem.get()}</p>
        </div>
        {move || state.checking.get().then(|| view! {
            <div class="import__progress" role="status">
                <progress></progress>
                <p>{td_string!(locale, admin_ngos_checking)}</p>
            </div>
        })}
        {move || state.progress.get().map(|progress| if progress.finished {
            view! {
                <p class="form-done" role="status" data-testid="ngos-imported">
                    {td_string!(locale, admin_ngos_done, created = progress.created, updated = progress.updated)}
                </p>
            }.into_any()
        } else {
            let percent = progress.percent();
            view! {
                <div class="import__progress" role="status" data-testid="ngos-progress">
                    <progress max=progress.rows value=progress.stored></progress>
                    <p>{td_string!(locale, admin_ngos_storing, stored = progress.stored, rows = progress.rows, percent = percent)}</p>
                </div>
            }.into_any()
        })}
        {move || state.refusal.get().map(|refusal| view! {
            <p class="form-error" role="alert" data-testid="ngos-refused">{td_string!(locale, admin_ngos_refused)}</p>
            <table class="import__refused">
                <thead><tr>
                    <th scope="col">{td_string!(locale, admin_ngos_line)}</th>
                    <th scope="col">{td_string!(locale, admin_ngos_column)}</th>
                    <th scope="col">{td_string!(locale, admin_ngos_problem)}</th>
                </tr></thead>
                <tbody>
                    {refusal.rejected.into_iter().take(500).map(|cell| view! {
                        <tr>
                            <td>{cell.line}</td>
                            <td><code>{cell.column}</code></td>
                            <td>{problem_text(&cell.problem, locale)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}

/// Sends the chosen file; its refused rows, or how the storing goes until it is over.
fn start(ev: leptos::ev::Event, state: ImportState, locale: Locale) {
    #[cfg(feature = "hydrate")]
    {
        use crate::admin::import::ImportStarted;
        let Some(file) = crate::admin::upload::chosen_file(&ev) else {
            return;
        };
        state.checking.set(true);
        state.problem.set(None);
        state.progress.set(None);
        state.refusal.set(None);
        leptos::task::spawn_local(async move {
            let sent = crate::admin::upload::post_file("/api/admin/ngos/import", file, "text/csv").await;
            state.checking.set(false);
            let failed = |text: &str| state.problem.set(Some(text.to_owned()));
            let job = match sent {
                Some(response) if response.ok() => {
                    let text = response.text().await.ok();
                    match text.and_then(|text| crate::wire::from_json::<ImportStarted>(&text).ok()) {
                        Some(started) => started.job,
                        None => return failed(td_string!(locale, error_text)),
                    }
                }
                Some(response) if response.status() == 422 => {
                    let text = response.text().await.ok();
                    match text.and_then(|text| crate::wire::from_json::<NgoImportRefusal>(&text).ok()) {
                        Some(refusal) => return state.refusal.set(Some(refusal)),
                        None => return failed(td_string!(locale, error_text)),
                    }
                }
                Some(response) => {
                    return failed(match response.status() {
                        413 => td_string!(locale, import_too_large),
                        401 => td_string!(locale, error_session_ended),
                        403 => td_string!(locale, error_no_access),
                        429 => td_string!(locale, admin_ngos_busy),
                        _ => td_string!(locale, error_text),
                    });
                }
                None => return failed(td_string!(locale, error_no_connection)),
            };
            loop {
                crate::admin::import::sleep(400).await;
                match super::api::ngo_import_status(job.clone()).await {
                    Ok(current) if current.failed => {
                        state.progress.set(None);
                        return failed(td_string!(locale, admin_ngos_failed));
                    }
                    Ok(current) => {
                        let over = current.finished;
                        state.progress.set(Some(current));
                        if over {
                            return;
                        }
                    }
                    // Offline for a moment: ask again.
                    Err(crate::error::AppError::Unavailable) => {}
                    Err(_) => {
                        state.progress.set(None);
                        return failed(td_string!(locale, error_text));
                    }
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, state, locale);
}
