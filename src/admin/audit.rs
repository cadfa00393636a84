//! The audit log page (`/{lang}/admin/audit`, admins only): who changed what, when, with the
//! values before and after.
use super::api;
use super::model::{AuditPage, AuditView};
use crate::domain::PageNumber;
use crate::i18n::*;
use crate::locale::href;
use crate::site::{PageMeta, loaded, private_data, private_page, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    private_page();
    let query = use_query_map();
    let log = private_data(
        move || query.with(|q| PageNumber::parse(q.get("page").as_deref()).get()),
        api::audit_log,
    );
    view! { {loaded(log, |log| view! { <AuditView log /> })} }
}

/// What an action is called in the log, in the page's language.
fn action_text(action: &str, locale: Locale) -> String {
    match action {
        "account.create" => td_string!(locale, audit_account_create).to_string(),
        "account.disable" => td_string!(locale, audit_account_disable).to_string(),
        "account.enable" => td_string!(locale, audit_account_enable).to_string(),
        "registration.check_in" => td_string!(locale, audit_check_in).to_string(),
        "registration.cancel" => td_string!(locale, audit_cancel).to_string(),
        "person.erase" => td_string!(locale, audit_erase).to_string(),
        "mail.resend" => td_string!(locale, audit_resend).to_string(),
        other => other.to_owned(),
    }
}

#[component]
fn AuditView(log: AuditPage) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let newer = (log.page > 1).then(|| format!("{}?page={}", href(lang, "admin/audit"), log.page - 1));
    let older = (log.page < log.pages).then(|| format!("{}?page={}", href(lang, "admin/audit"), log.page + 1));
    let empty = log.entries.is_empty();
    view! {
        <PageMeta title=td_string!(locale, audit_title).to_string() description=String::new() path=None />
        <section class="admin-page">
            <p class="admin-page__back"><a href=href(lang, "admin")>{td_string!(locale, door_back)}</a></p>
            <h1>{td_string!(locale, audit_title)}</h1>
            {empty.then(|| view! { <p>{td_string!(locale, audit_empty)}</p> })}
            <ol class="audit-log plain" data-testid="audit-log">
                {log.entries.into_iter().map(|entry| view! { <AuditEntryView entry lang locale /> }).collect_view()}
            </ol>
            <nav class="pager" aria-label=td_string!(locale, audit_pages)>
                {newer.map(|href| view! { <a class="button button--ghost button--small" href=href>{td_string!(locale, audit_newer)}</a> })}
                {older.map(|href| view! { <a class="button button--ghost button--small" href=href>{td_string!(locale, audit_older)}</a> })}
            </nav>
        </section>
    }
}

#[component]
fn AuditEntryView(entry: AuditView, lang: crate::domain::Lang, locale: Locale) -> impl IntoView {
    view! {
        <li class="audit-entry" data-testid="audit-entry">
            <p class="audit-entry__what">
                <strong>{action_text(&entry.action, locale)}</strong> " · " <span class="code">{entry.entity_id}</span>
            </p>
            <p class="audit-entry__who">
                <time datetime=entry.at.iso()>{entry.at.format(lang)}</time> " · " {entry.actor}
            </p>
            {(entry.before.is_some() || entry.after.is_some()).then(|| view! {
                <dl class="audit-entry__change">
                    {entry.before.map(|before| view! { <div><dt>{td_string!(locale, audit_before)}</dt><dd><code>{before}</code></dd></div> })}
                    {entry.after.map(|after| view! { <div><dt>{td_string!(locale, audit_after)}</dt><dd><code>{after}</code></dd></div> })}
                </dl>
            })}
        </li>
    }
}
