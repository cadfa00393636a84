//! The parent's side after registering: the private registration page (status, children,
//! cancel) and the neutral page a repeated submission lands on.
use super::api;
use super::model::{RegistrationStatus, RegistrationView};
use super::page::event_of_route;
use crate::i18n::*;
use crate::locale::href;
use crate::site::{PageMeta, loaded, private_data, private_page, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Where a submission of an e-mail and children already registered for the event lands: it
/// says only that the existing registration's link went to that address again, so whoever
/// typed it learns nothing of the registration.
#[component]
pub fn LinkSentPage() -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let event = event_of_route(lang);
    view! {
        {loaded(event, move |data| {
            let path = format!("events/{}", data.card.slug);
            view! {
                <PageMeta title=td_string!(locale, link_sent_title).to_string() description=String::new() path=None />
                <section class="message-page" data-testid="link-sent">
                    <h1>{td_string!(locale, link_sent_title)}</h1>
                    <p>{td_string!(locale, link_sent_text)}</p>
                    <p>{td_string!(locale, link_sent_not_you)}</p>
                    <p class="message-page__actions">
                        <a class="button button--ghost" href=href(lang, &path)>{data.card.title.clone()}</a>
                    </p>
                </section>
            }
        })}
    }
}

#[component]
pub fn RegistrationPage() -> impl IntoView {
    private_page();
    let lang = use_lang();
    let params = use_params_map();
    let cancel = ServerAction::<api::CancelRegistration>::new();
    // Read again once a cancellation went through (the redirect lands on this same page).
    let registration = private_data(
        move || {
            (
                params.with(|p| p.get("token").unwrap_or_default()),
                cancel.version().get(),
            )
        },
        move |(token, _)| api::registration(lang, token),
    );
    view! {
        {loaded(registration, move |view| view! { <RegistrationView view cancel token=params.with_untracked(|p| p.get("token").unwrap_or_default()) /> })}
    }
}

#[component]
fn RegistrationView(
    view: RegistrationView,
    cancel: ServerAction<api::CancelRegistration>,
    token: String,
) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let event = view.event.clone();
    let (status_class, status_text) = match view.status {
        RegistrationStatus::Confirmed => (
            "status status--confirmed",
            td_string!(locale, status_confirmed).to_string(),
        ),
        RegistrationStatus::Waitlisted { position } => (
            "status status--waitlisted",
            td_string!(locale, status_waitlisted, position = position).to_string(),
        ),
        RegistrationStatus::Cancelled => (
            "status status--cancelled",
            td_string!(locale, status_cancelled).to_string(),
        ),
    };
    let ics = format!("/api/events/{}/calendar.ics?lang={}", event.slug, lang.code());
    view! {
        <PageMeta title=format!("{} · {}", view.code, event.title) description=String::new() path=None />
        <section class="post registration-page">
            <header class="post__head">
                <p class=status_class data-testid="registration-status" role="status">{status_text}</p>
                <h1 class="post__title">{td_string!(locale, registration_code)} " " <span class="code" data-testid="registration-code">{view.code.clone()}</span></h1>
            </header>
            <dl class="event-facts">
                <div><dt>{td_string!(locale, event_title_label)}</dt><dd><a href=href(lang, &format!("events/{}", event.slug))>{event.title.clone()}</a></dd></div>
                <div><dt>{td_string!(locale, event_when)}</dt><dd>{event.starts.format(lang)}</dd></div>
                <div><dt>{td_string!(locale, event_where)}</dt><dd>{event.venue_name.clone()}</dd></div>
                <div><dt>{td_string!(locale, parent_name)}</dt><dd>{view.parent_name.clone()}</dd></div>
                <div>
                    <dt>{td_string!(locale, children_legend)}</dt>
                    <dd><ul class="plain">{view.children.iter().map(|(name, age)| view! { <li>{name.clone()} " (" {*age} ")"</li> }).collect_view()}</ul></dd>
                </div>
            </dl>
            <p class="manage-hint">
                {td_string!(locale, manage_link_hint)}
                {view.mail_delivered.then(|| view! { " " {td_string!(locale, manage_link_mailed)} })}
            </p>
            {(view.status != RegistrationStatus::Cancelled).then(|| view! {
                <p class="calendar-links">
                    <a class="button button--ghost" href=ics.clone() download=format!("{}.ics", event.slug)>{td_string!(locale, add_to_calendar_ics)}</a>
                </p>
                <ActionForm action=cancel attr:class="cancel-form">
                    <input type="hidden" name="lang" value=lang.code() />
                    <input type="hidden" name="token" value=token.clone() />
                    <button type="submit" class="button button--danger" disabled=move || cancel.pending().get()>{td_string!(locale, cancel_registration)}</button>
                </ActionForm>
            })}
        </section>
    }
}
