//! The outbox page (`/{lang}/admin/outbox`, admins and editors): the portal's recent mail and
//! what became of it; a mail the mail server would not take can be sent again.
use super::api;
use super::model::{MailView, OutboxPage};
use crate::domain::Lang;
use crate::i18n::*;
use crate::locale::href;
use crate::site::{PageMeta, loaded, private_data, private_page, use_lang};
use leptos::prelude::*;

#[component]
pub fn OutboxPage() -> impl IntoView {
    private_page();
    let resend = ServerAction::<api::ResendMail>::new();
    // Read again after a resend.
    let outbox = private_data(move || resend.version().get(), |_| api::outbox());
    view! { {loaded(outbox, move |outbox| view! { <OutboxView outbox resend /> })} }
}

fn kind_text(kind: &str, locale: Locale) -> String {
    match kind {
        "confirmed" => td_string!(locale, mail_kind_confirmed).to_string(),
        "waitlisted" => td_string!(locale, mail_kind_waitlisted).to_string(),
        "promoted" => td_string!(locale, mail_kind_promoted).to_string(),
        "cancelled" => td_string!(locale, mail_kind_cancelled).to_string(),
        "link_again" => td_string!(locale, mail_kind_link_again).to_string(),
        "event_cancelled" => td_string!(locale, mail_kind_event_cancelled).to_string(),
        other => other.to_owned(),
    }
}

fn state_text(state: &str, locale: Locale) -> String {
    match state {
        "sent" => td_string!(locale, mail_state_sent).to_string(),
        "pending" => td_string!(locale, mail_state_pending).to_string(),
        "failed" => td_string!(locale, mail_state_failed).to_string(),
        _ => td_string!(locale, mail_state_cleared).to_string(),
    }
}

#[component]
fn OutboxView(outbox: OutboxPage, resend: ServerAction<api::ResendMail>) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let empty = outbox.mails.is_empty();
    view! {
        <PageMeta title=td_string!(locale, outbox_title).to_string() description=String::new() path=None />
        <section class="admin-page">
            <p class="admin-page__back"><a href=href(lang, "admin")>{td_string!(locale, door_back)}</a></p>
            <h1>{td_string!(locale, outbox_title)}</h1>
            <p class="admin-page__lead">{td_string!(locale, outbox_lead)}</p>
            {empty.then(|| view! { <p>{td_string!(locale, outbox_empty)}</p> })}
            <ul class="outbox plain" data-testid="outbox">
                {outbox.mails.into_iter().map(|mail| view! { <MailRow mail resend lang locale /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn MailRow(mail: MailView, resend: ServerAction<api::ResendMail>, lang: Lang, locale: Locale) -> impl IntoView {
    let failed = mail.state == "failed";
    let state_class = format!("mail-state mail-state--{}", mail.state);
    view! {
        <li class="outbox-mail" data-testid="outbox-mail">
            <p class="outbox-mail__what">
                <strong>{kind_text(&mail.kind, locale)}</strong> " · " <span class="code">{mail.registration_code}</span>
                " · " {mail.event_title}
            </p>
            <p class="outbox-mail__meta">
                <time datetime=mail.created.iso()>{mail.created.format(lang)}</time>
                {(!mail.recipient.is_empty()).then(|| view! { " · " {mail.recipient} })}
            </p>
            <p>
                <span class=state_class data-testid="mail-state">{state_text(&mail.state, locale)}</span>
                {failed.then(|| view! {
                    <ActionForm action=resend attr:class="outbox-mail__resend">
                        <input type="hidden" name="lang" value=lang.code() />
                        <input type="hidden" name="id" value=mail.id />
                        <button type="submit" class="button button--ghost button--small" disabled=move || resend.pending().get()>
                            {td_string!(locale, outbox_resend)}
                        </button>
                    </ActionForm>
                })}
            </p>
        </li>
    }
}
