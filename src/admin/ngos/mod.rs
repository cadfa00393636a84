//! The NGO directory in the admin (`/{lang}/admin/ngos`, admins): find an organisation to
//! look after its logo (`logo`); download the directory whole as CSV, or choose a file to
//! import. The server checks every row first; a file with any refused row
//! stores nothing, and the page lists each refused row, its column and why, in the admin's
//! language. The same import runs from the command line (`ngo-portal import ngos`).
mod api;
mod logo;
pub mod model;

use crate::i18n::*;
use crate::locale::href;
use crate::site::{PageMeta, loaded, private_data, private_page, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
pub use logo::NgoLogoPage;
pub use model::NgoLogo;
use serde::{Deserialize, Serialize};

/// A refused row's cell, as the server names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedCell {
    /// The file's line (1 is the header; 0 the file as a whole).
    pub line: u64,
    pub column: String,
    /// `server::ngo_csv::Problem` in snake case.
    pub problem: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NgoImportAnswer {
    pub created: u64,
    pub updated: u64,
    pub rejected: Vec<RefusedCell>,
}

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

#[component]
pub fn NgoCsvPage() -> impl IntoView {
    private_page();
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let answer = RwSignal::new(None::<NgoImportAnswer>);
    let problem = RwSignal::new(None::<String>);
    let running = RwSignal::new(false);
    let on_change = move |ev: leptos::ev::Event| start(ev, answer, problem, running, locale);
    view! {
        <PageMeta title=td_string!(locale, admin_ngos_title).to_string() description=String::new() path=None />
        <section class="admin-page import">
            <p class="admin-page__back"><a href=href(lang, "admin")>{td_string!(locale, door_back)}</a></p>
            <h1>{td_string!(locale, admin_ngos_title)}</h1>
            <NgoFinder />
            <h2>{td_string!(locale, admin_ngos_csv)}</h2>
            <p>{td_string!(locale, admin_ngos_lead)}</p>
            <p>
                <a class="button button--ghost" href="/api/admin/ngos/export.csv" rel="external" download="ngos.csv"
                    data-testid="ngos-export">{td_string!(locale, admin_ngos_export)}</a>
            </p>
            <h3>{td_string!(locale, admin_ngos_import)}</h3>
            <p>{td_string!(locale, admin_ngos_import_explained)}</p>
            <noscript><p class="notice">{td_string!(locale, editor_needs_javascript)}</p></noscript>
            <div class="field">
                <label for="csv-file">{td_string!(locale, admin_ngos_choose)}</label>
                <input id="csv-file" type="file" accept=".csv,text/csv" on:change=on_change
                    disabled=move || running.get() aria-describedby="csv-problem" data-testid="ngos-file" />
                <p class="field-error" id="csv-problem" data-testid="ngos-problem">{move || problem.get()}</p>
            </div>
            {move || running.get().then(|| view! {
                <div class="import__progress" role="status">
                    <progress></progress>
                    <p>{td_string!(locale, admin_ngos_working)}</p>
                </div>
            })}
            {move || answer.get().map(|answer| if answer.rejected.is_empty() {
                view! {
                    <p class="form-done" role="status" data-testid="ngos-imported">
                        {td_string!(locale, admin_ngos_done, created = answer.created, updated = answer.updated)}
                    </p>
                }.into_any()
            } else {
                view! {
                    <p class="form-error" role="alert" data-testid="ngos-refused">{td_string!(locale, admin_ngos_refused)}</p>
                    <table class="import__refused">
                        <thead><tr>
                            <th scope="col">{td_string!(locale, admin_ngos_line)}</th>
                            <th scope="col">{td_string!(locale, admin_ngos_column)}</th>
                            <th scope="col">{td_string!(locale, admin_ngos_problem)}</th>
                        </tr></thead>
                        <tbody>
                            {answer.rejected.into_iter().take(500).map(|cell| view! {
                                <tr>
                                    <td>{cell.line}</td>
                                    <td><code>{cell.column}</code></td>
                                    <td>{problem_text(&cell.problem, locale)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            })}
        </section>
    }
}

/// Search by name or place (a GET form, so it works without JavaScript too), and the
/// organisations found, each a link to its page in the admin.
#[component]
fn NgoFinder() -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let query = use_query_map();
    let typed = query.with_untracked(|q| q.get("q").unwrap_or_default());
    let found = private_data(
        move || query.with(|q| q.get("q").unwrap_or_default()),
        move |q| api::find_admin_ngos(lang, q),
    );
    view! {
        <h2>{td_string!(locale, admin_ngos_find)}</h2>
        <p>{td_string!(locale, admin_ngos_find_explained)}</p>
        <leptos_router::components::Form method="GET" action="" attr:class="admin-posts__filter" attr:role="search">
            <div class="field">
                <label for="ngo-q">{td_string!(locale, admin_ngos_find_label)}</label>
                <input id="ngo-q" name="q" type="search" value=typed autocomplete="off" enterkeyhint="search"
                    data-testid="ngo-find" />
            </div>
            <button type="submit" class="button button--small">{td_string!(locale, door_search_button)}</button>
        </leptos_router::components::Form>
        {loaded(found, move |found| {
            let searched = query.with_untracked(|q| q.get("q").is_some_and(|q| !q.trim().is_empty()));
            view! {
                {(searched && found.is_empty()).then(|| view! {
                    <p data-testid="ngo-found-none">{td_string!(locale, admin_ngos_find_none)}</p>
                })}
                <ul class="admin-ngo-list plain" data-testid="ngo-found">
                    {found.into_iter().map(|ngo| view! {
                        <li>
                            <a href=href(lang, &format!("admin/ngos/{}", ngo.slug))>{ngo.name}</a>
                            <span class="admin-ngo-list__place">{ngo.place}</span>
                        </li>
                    }).collect_view()}
                </ul>
            }
        })}
    }
}

/// Sends the chosen file and shows the server's answer.
fn start(
    ev: leptos::ev::Event,
    answer: RwSignal<Option<NgoImportAnswer>>,
    problem: RwSignal<Option<String>>,
    running: RwSignal<bool>,
    locale: Locale,
) {
    #[cfg(feature = "hydrate")]
    {
        let Some(file) = super::upload::chosen_file(&ev) else {
            return;
        };
        running.set(true);
        problem.set(None);
        answer.set(None);
        leptos::task::spawn_local(async move {
            let sent = super::upload::post_file("/api/admin/ngos/import", file, "text/csv").await;
            running.set(false);
            let text = match sent {
                Some(response) if response.ok() || response.status() == 422 => response.text().await.ok(),
                Some(response) if response.status() == 413 => {
                    return problem.set(Some(td_string!(locale, import_too_large).to_string()));
                }
                Some(response) if response.status() == 401 => {
                    return problem.set(Some(td_string!(locale, error_session_ended).to_string()));
                }
                Some(response) if response.status() == 403 => {
                    return problem.set(Some(td_string!(locale, error_no_access).to_string()));
                }
                Some(_) => None,
                None => return problem.set(Some(td_string!(locale, error_no_connection).to_string())),
            };
            match text.and_then(|text| crate::wire::from_json::<NgoImportAnswer>(&text).ok()) {
                Some(done) => answer.set(Some(done)),
                None => problem.set(Some(td_string!(locale, error_text).to_string())),
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, answer, problem, running, locale);
}
