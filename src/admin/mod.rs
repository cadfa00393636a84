//! The side of the portal for editors and organisers (`/{lang}/admin`): sign-in, and the admin
//! home with the events whose registrations the account sees. Pages are private: no cache
//! keeps them, and their data comes from server functions that check the role on the server.
mod accounts;
pub mod api;
mod audit;
mod door;
mod events;
mod fields;
pub mod import;
mod list;
pub mod model;
pub mod ngos;
mod outbox;
pub mod posts;
mod privacy;
#[cfg(feature = "ssr")]
pub mod service;
mod upload;

use crate::domain::Lang;
use crate::error::AppError;
use crate::i18n::*;
use crate::locale::href;
use crate::site::{PageMeta, loaded, private_data, private_page, problem_text, use_lang};
use crate::wire::Wire;
pub use accounts::AccountsPage;
pub use audit::AuditPage;
pub use door::DoorPage;
pub use events::{AdminEventsPage, EditEventPage, NewEventPage};
pub use import::ImportPage;
use leptos::prelude::*;
use model::{AdminEvent, AdminHomeData, RejectedSignIn, Role};
pub use ngos::{NgoCsvPage, NgoLogoPage};
pub use outbox::OutboxPage;
pub use posts::{AdminPostsPage, EditPostPage, NewPostPage};
pub use privacy::PrivacyPage;

/// A sign-in refused when the form was posted without JavaScript, for the page that shows it
/// again; read the same way while the page hydrates.
fn rejected_sign_in() -> Option<RejectedSignIn> {
    SharedValue::<_, Wire>::new_with_encoding(use_context::<RejectedSignIn>).into_inner()
}

/// What the form says above its fields for a refused sign-in.
fn form_error_text(error: &AppError, locale: Locale) -> String {
    match error {
        AppError::Validation(_) => td_string!(locale, error_form).to_string(),
        AppError::SignInLocked { minutes } => td_string!(locale, error_sign_in_locked, minutes = *minutes).to_string(),
        AppError::RateLimited => td_string!(locale, error_rate_limited).to_string(),
        AppError::Forbidden => td_string!(locale, error_forbidden).to_string(),
        AppError::Unavailable => td_string!(locale, offline_text).to_string(),
        AppError::TryAgainLater => td_string!(locale, error_try_again).to_string(),
        _ => td_string!(locale, error_text).to_string(),
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    private_page();
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let rejected = rejected_sign_in();
    view! {
        <PageMeta title=td_string!(locale, sign_in_title).to_string() description=String::new() path=None />
        <section class="admin-page sign-in">
            <h1>{td_string!(locale, sign_in_title)}</h1>
            <p class="admin-page__lead">{td_string!(locale, sign_in_lead)}</p>
            <SignInForm lang rejected />
        </section>
    }
}

#[component]
fn SignInForm(lang: Lang, rejected: Option<RejectedSignIn>) -> impl IntoView {
    let locale = Locale::from(lang);
    let action = ServerAction::<api::SignIn>::new();
    let (typed_email, posted_error) = match rejected {
        Some(RejectedSignIn { error, email }) => (email, Some(error)),
        None => (String::new(), None),
    };
    // The latest answer: the app's own submission once there is one, else the post's.
    let answer = Signal::derive(move || match action.value().get() {
        Some(result) => result.err(),
        None => posted_error.clone(),
    });
    let field_error = move |field: &'static str| {
        move || match answer.get() {
            Some(AppError::Validation(errors)) => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| problem_text(e.problem, locale)),
            _ => None,
        }
    };
    let form_error = move || answer.get().map(|error| form_error_text(&error, locale));
    let on_submit = move |ev: leptos::ev::SubmitEvent| submit_to(action, ev);
    view! {
        <form class="sign-in-form" method="post" action=href(lang, "admin/sign-in") novalidate=true on:submit=on_submit>
            <input type="hidden" name="lang" value=lang.code() />
            <p class="form-error" role="alert" data-testid="form-error">{form_error}</p>
            <div class="field" class:field--invalid=move || field_error("email")().is_some()>
                <label for="email">{td_string!(locale, sign_in_email)}</label>
                <input id="email" name="email" type="email" inputmode="email" autocomplete="username" required=true
                    value=typed_email aria-describedby="err-email"
                    aria-invalid=move || field_error("email")().is_some().then_some("true") />
                <p class="field-error" id="err-email" data-testid="error-email">{field_error("email")}</p>
            </div>
            <div class="field" class:field--invalid=move || field_error("password")().is_some()>
                <label for="password">{td_string!(locale, sign_in_password)}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required=true
                    aria-describedby="err-password"
                    aria-invalid=move || field_error("password")().is_some().then_some("true") />
                <p class="field-error" id="err-password" data-testid="error-password">{field_error("password")}</p>
            </div>
            <button type="submit" class="button button--primary" disabled=move || action.pending().get()>
                {move || if action.pending().get() { td_string!(locale, signing_in) } else { td_string!(locale, sign_in_button) }}
            </button>
        </form>
    }
}

/// Sends the form to the `sign_in` server function (the form's own `action` is for the page
/// without JavaScript). Its answer sets the cookie and redirects; the router follows.
fn submit_to(action: ServerAction<api::SignIn>, ev: leptos::ev::SubmitEvent) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::form::FromFormData;
        ev.prevent_default();
        match api::SignIn::from_event(&ev) {
            Ok(input) => {
                action.dispatch(input);
            }
            Err(error) => {
                leptos::logging::error!("sign-in form not read: {error}");
                action.value().set(Some(Err(AppError::Unavailable)));
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (action, ev);
}

/// The admin home; signed out, the visitor is sent to the sign-in page.
#[component]
pub fn AdminHomePage() -> impl IntoView {
    private_page();
    let lang = use_lang();
    let home = private_data(|| (), move |_| api::admin_home(lang));
    view! { {loaded(home, |home| view! { <AdminHomeView home /> })} }
}

#[component]
fn AdminHomeView(home: AdminHomeData) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let role = match home.account.role {
        Role::Admin => td_string!(locale, role_admin),
        Role::Editor => td_string!(locale, role_editor),
        Role::Organiser => td_string!(locale, role_organiser),
    };
    let sign_out = ServerAction::<api::SignOut>::new();
    let sign_out_everywhere = ServerAction::<api::SignOutEverywhere>::new();
    let no_events = home.events.is_empty();
    view! {
        <PageMeta title=td_string!(locale, admin_title).to_string() description=String::new() path=None />
        <section class="admin-page">
            <header class="admin-page__head">
                <h1>{td_string!(locale, admin_title)}</h1>
                <p data-testid="signed-in-as">
                    {td_string!(locale, signed_in_as, name = home.account.display_name.clone(), role = role)}
                </p>
                <div class="admin-page__account">
                    <ActionForm action=sign_out>
                        <input type="hidden" name="lang" value=lang.code() />
                        <button type="submit" class="button button--ghost button--small">{td_string!(locale, sign_out)}</button>
                    </ActionForm>
                    <ActionForm action=sign_out_everywhere>
                        <input type="hidden" name="lang" value=lang.code() />
                        <button type="submit" class="button button--ghost button--small">{td_string!(locale, sign_out_everywhere)}</button>
                    </ActionForm>
                </div>
            </header>
            {home.account.role.sees_all_events().then(|| view! {
                <ul class="admin-page__links plain">
                    <li><a href=href(lang, "admin/posts") data-testid="admin-posts-link">{td_string!(locale, admin_posts_title)}</a></li>
                    <li><a href=href(lang, "admin/events") data-testid="admin-events-link">{td_string!(locale, admin_events)}</a></li>
                    <li><a href=href(lang, "admin/import")>{td_string!(locale, import_title)}</a></li>
                    <li><a href=href(lang, "admin/outbox")>{td_string!(locale, outbox_title)}</a></li>
                    {(home.account.role == Role::Admin).then(|| view! {
                        <li><a href=href(lang, "admin/audit")>{td_string!(locale, audit_title)}</a></li>
                        <li><a href=href(lang, "admin/privacy")>{td_string!(locale, privacy_title)}</a></li>
                        <li><a href=href(lang, "admin/accounts") data-testid="admin-accounts-link">{td_string!(locale, accounts_title)}</a></li>
                        <li><a href=href(lang, "admin/ngos") data-testid="admin-ngos-link">{td_string!(locale, admin_ngos_title)}</a></li>
                    })}
                </ul>
            })}
            <h2>{td_string!(locale, admin_events)}</h2>
            {no_events.then(|| view! { <p data-testid="no-events">{td_string!(locale, admin_no_events)}</p> })}
            <ul class="admin-events plain" data-testid="admin-events">
                {home.events.into_iter().map(|event| view! { <AdminEventRow event lang locale /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn AdminEventRow(event: AdminEvent, lang: Lang, locale: Locale) -> impl IntoView {
    let seats = td_string!(
        locale,
        admin_children_seats,
        confirmed = event.confirmed_children,
        capacity = event.capacity
    )
    .to_string();
    let waitlist = (event.waitlisted_children > 0)
        .then(|| td_string!(locale, admin_waitlist, count = event.waitlisted_children).to_string());
    view! {
        <li class="admin-event" data-testid="admin-event">
            <a class="admin-event__title" href=href(lang, &format!("admin/events/{}", event.slug))>{event.title}</a>
            <p class="admin-event__meta">
                <time datetime=event.starts.iso()>{event.starts.format(lang)}</time>
                {event.cancelled.then(|| view! { " · " <strong>{td_string!(locale, admin_cancelled)}</strong> })}
            </p>
            <p class="admin-event__seats">
                <meter min="0" max=event.capacity value=event.confirmed_children aria-hidden="true"></meter>
                " " {seats} {waitlist.map(|text| view! { " · " {text} })}
            </p>
        </li>
    }
}
