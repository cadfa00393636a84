//! WordPress import in the admin (`/{lang}/admin/import`, admins and editors): choose the
//! export file, watch the bar fill, read what was left out and why. The work runs on the
//! server (`server::wordpress`); the same import runs from the command line for large sites.
use crate::i18n::*;
use crate::locale::href;
use crate::site::{PageMeta, private_page, use_lang};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Why a source item was not imported (or imported without something).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SkipReason {
    /// A page, a product …: only posts are imported.
    NotAPost(String),
    /// Private or in the trash at the source.
    NotPublic(String),
    NoTitle,
    /// Imported without its featured image: the file is not in the uploads folder (or is not
    /// a picture).
    ImageMissing(String),
    /// The store refused it; the server log says why.
    Failed,
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::NotAPost(kind) => write!(f, "a {kind}, not a post"),
            SkipReason::NotPublic(status) => write!(f, "{status} at the source"),
            SkipReason::NoTitle => f.write_str("no title"),
            SkipReason::ImageMissing(url) => write!(f, "imported without its featured image {url} (not found)"),
            SkipReason::Failed => f.write_str("not saved (see the server log)"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub title: String,
    pub reason: SkipReason,
}

/// How an import went (so far).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Posts in the file.
    pub total: u32,
    /// Posts gone through.
    pub done: u32,
    pub created: u32,
    pub updated: u32,
    pub skipped: Vec<Skipped>,
}

/// An import's state, as the page polls it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportStatus {
    pub report: ImportReport,
    pub finished: bool,
    /// The file was not a WordPress export (nothing was imported).
    pub not_wxr: bool,
}

/// The answer to an upload: the job to poll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportStarted {
    pub job: String,
}

fn reason_text(reason: &SkipReason, locale: Locale) -> String {
    match reason {
        SkipReason::NotAPost(kind) => td_string!(locale, import_not_a_post, kind = kind.clone()).to_string(),
        SkipReason::NotPublic(status) => td_string!(locale, import_not_public, status = status.clone()).to_string(),
        SkipReason::NoTitle => td_string!(locale, import_no_title).to_string(),
        SkipReason::ImageMissing(url) => td_string!(locale, import_image_missing, url = url.clone()).to_string(),
        SkipReason::Failed => td_string!(locale, import_failed).to_string(),
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    private_page();
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let status = RwSignal::new(None::<ImportStatus>);
    let problem = RwSignal::new(None::<String>);
    let running = RwSignal::new(false);
    let on_change = move |ev: leptos::ev::Event| start(ev, status, problem, running, locale);
    view! {
        <PageMeta title=td_string!(locale, import_title).to_string() description=String::new() path=None />
        <section class="admin-page import">
            <p class="admin-page__back"><a href=href(lang, "admin")>{td_string!(locale, door_back)}</a></p>
            <h1>{td_string!(locale, import_title)}</h1>
            <p class="admin-page__lead">{td_string!(locale, import_lead)}</p>
            <noscript><p class="notice">{td_string!(locale, editor_needs_javascript)}</p></noscript>
            <div class="field">
                <label for="wxr-file">{td_string!(locale, import_choose)}</label>
                <input id="wxr-file" type="file" accept=".xml,application/xml,text/xml" on:change=on_change
                    disabled=move || running.get() aria-describedby="import-problem" />
                <p class="field-error" id="import-problem" data-testid="import-problem">{move || problem.get()}</p>
            </div>
            {move || status.get().map(|status| {
                let report = status.report;
                view! {
                    <div class="import__progress" role="status" data-testid="import-status">
                        <progress max=report.total.max(1) value=report.done></progress>
                        <p>
                            {td_string!(locale, import_progress, done = report.done, total = report.total)}
                            {status.finished.then(|| view! { " " <strong>{td_string!(locale, import_done)}</strong> })}
                        </p>
                    </div>
                    {status.finished.then(|| view! {
                        <p data-testid="import-summary">
                            {td_string!(locale, import_summary, created = report.created, updated = report.updated, skipped = report.skipped.len())}
                        </p>
                        {(!report.skipped.is_empty()).then(|| view! {
                            <h2>{td_string!(locale, import_skipped)}</h2>
                            <ul class="import__skipped" data-testid="import-skipped">
                                {report.skipped.into_iter().map(|skipped| view! {
                                    <li><strong>{skipped.title}</strong> " — " {reason_text(&skipped.reason, locale)}</li>
                                }).collect_view()}
                            </ul>
                        })}
                        <p><a href=href(lang, "admin/posts")>{td_string!(locale, admin_posts_title)}</a></p>
                    })}
                }
            })}
        </section>
    }
}

/// Uploads the chosen file, then asks how the import goes until it is over.
fn start(
    ev: leptos::ev::Event,
    status: RwSignal<Option<ImportStatus>>,
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
        status.set(None);
        leptos::task::spawn_local(async move {
            let failed = |text: String| {
                problem.set(Some(text));
                running.set(false);
            };
            let sent = super::upload::post_file("/api/admin/import", file, "application/xml").await;
            let job = match sent {
                Some(response) if response.ok() => match response
                    .text()
                    .await
                    .ok()
                    .and_then(|t| crate::wire::from_json::<ImportStarted>(&t).ok())
                {
                    Some(started) => started.job,
                    None => return failed(td_string!(locale, error_text).to_string()),
                },
                Some(response) if response.status() == 413 => {
                    return failed(td_string!(locale, import_too_large).to_string());
                }
                Some(response) if response.status() == 401 => {
                    return failed(td_string!(locale, error_session_ended).to_string());
                }
                Some(_) => return failed(td_string!(locale, error_text).to_string()),
                None => return failed(td_string!(locale, error_no_connection).to_string()),
            };
            loop {
                sleep(400).await;
                match super::api::import_status(job.clone()).await {
                    Ok(current) => {
                        let over = current.finished;
                        if current.not_wxr {
                            status.set(None);
                            return failed(td_string!(locale, import_not_wxr).to_string());
                        }
                        status.set(Some(current));
                        if over {
                            running.set(false);
                            return;
                        }
                    }
                    Err(crate::error::AppError::Unavailable) => {}
                    Err(_) => return failed(td_string!(locale, error_text).to_string()),
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, status, problem, running, locale);
}

/// Waits `millis` in the browser.
#[cfg(feature = "hydrate")]
pub(crate) async fn sleep(millis: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
