//! Data subjects' requests (`/{lang}/admin/privacy`, admins only): everything held for an
//! e-mail address, downloaded as JSON or erased. Addresses travel in form posts only, never in
//! URLs; the erasure is recorded without the address.
use super::api;
use super::model::ErasedView;
use crate::error::AppError;
use crate::i18n::*;
use crate::locale::href;
use crate::site::{PageMeta, private_page, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PrivacyPage() -> impl IntoView {
    private_page();
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let query = use_query_map();
    let erase = ServerAction::<api::ErasePerson>::new();
    // After a post without JavaScript, the counts come back in the address.
    let posted = query.with_untracked(|q| {
        Some(ErasedView {
            registrations: q.get("erased")?.parse().ok()?,
            mails: q.get("mails")?.parse().ok()?,
        })
    });
    let result = move || match erase.value().get() {
        Some(Ok(done)) => Some(done),
        Some(Err(_)) => None,
        None => posted,
    };
    let problem = move || match erase.value().get() {
        Some(Err(AppError::Validation(_))) => Some(td_string!(locale, error_email)),
        Some(Err(AppError::Forbidden | AppError::Unauthorized)) => Some(td_string!(locale, error_no_access)),
        Some(Err(_)) => Some(td_string!(locale, error_text)),
        _ => None,
    };
    view! {
        <PageMeta title=td_string!(locale, privacy_title).to_string() description=String::new() path=None />
        <section class="admin-page privacy">
            <p class="admin-page__back"><a href=href(lang, "admin")>{td_string!(locale, door_back)}</a></p>
            <h1>{td_string!(locale, privacy_title)}</h1>
            <p class="admin-page__lead">{td_string!(locale, privacy_lead)}</p>
            <p class="form-done" role="status" data-testid="erased">
                {move || result().map(|done| td_string!(locale, privacy_erased, registrations = done.registrations, mails = done.mails).to_string())}
            </p>
            <h2>{td_string!(locale, privacy_export_title)}</h2>
            <form method="post" action="/api/admin/privacy/export">
                <div class="field">
                    <label for="export-email">{td_string!(locale, sign_in_email)}</label>
                    <input id="export-email" name="email" type="email" inputmode="email" autocomplete="off" required=true />
                </div>
                <button type="submit" class="button button--ghost">{td_string!(locale, privacy_export_button)}</button>
            </form>
            <h2>{td_string!(locale, privacy_erase_title)}</h2>
            <p>{td_string!(locale, privacy_erase_explained)}</p>
            <ActionForm action=erase>
                <input type="hidden" name="lang" value=lang.code() />
                <div class="field" class:field--invalid=move || problem().is_some()>
                    <label for="erase-email">{td_string!(locale, sign_in_email)}</label>
                    <input id="erase-email" name="email" type="email" inputmode="email" autocomplete="off" required=true
                        aria-describedby="err-erase-email" aria-invalid=move || problem().is_some().then_some("true") />
                    <p class="field-error" id="err-erase-email" data-testid="error-erase-email">{problem}</p>
                </div>
                <details class="privacy__confirm">
                    <summary>{td_string!(locale, privacy_erase_button)}</summary>
                    <p>{td_string!(locale, privacy_erase_warning)}</p>
                    <button type="submit" class="button button--danger" disabled=move || erase.pending().get()>
                        {td_string!(locale, privacy_erase_confirm)}
                    </button>
                </details>
            </ActionForm>
        </section>
    }
}
