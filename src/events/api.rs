//! Server functions of the event pages and of registration.
// `register` takes the form's fields as its arguments (that is how `ActionForm` posts them).
#![allow(clippy::too_many_arguments)]
use super::model::{ChildInput, EventPageData, EventsWhen, RegistrationView};
use crate::cards::EventCard;
use crate::domain::Lang;
use crate::error::AppError;
use crate::wire::WireJson;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[server(prefix = "/api", endpoint = "events/list", input = GetUrl, output = WireJson)]
pub async fn list_events(lang: Lang, when: EventsWhen) -> Result<Vec<EventCard>, AppError> {
    let state = crate::server::AppState::from_context()?;
    super::service::list(state.store.as_ref(), lang, when).await
}

#[server(prefix = "/api", endpoint = "events/page", input = GetUrl, output = WireJson)]
pub async fn event_page(lang: Lang, slug: String) -> Result<EventPageData, AppError> {
    let state = crate::server::AppState::from_context()?;
    let slug = slug.parse().map_err(|_| AppError::NotFound)?;
    super::service::page(state.store.as_ref(), lang, &slug).await
}

/// The registration form's target when the page runs the app: on success the visitor is sent to
/// the registration's private page (or, for a registration that already exists, to a page
/// saying its link was mailed again). Without JavaScript the form posts to the event page
/// itself (`server::registration_form`), so nothing typed ever travels in a URL.
#[server(prefix = "/api", endpoint = "events/register", output = WireJson)]
pub async fn register(
    lang: Lang,
    event: String,
    idempotency_key: String,
    #[server(default)] parent_name: String,
    #[server(default)] email: String,
    #[server(default)] phone: String,
    #[server(default)] children: Vec<ChildInput>,
    #[server(default)] note: String,
    #[server(default)] consent: Option<String>,
    #[server(default)] website: String,
) -> Result<(), AppError> {
    let state = crate::server::AppState::from_context()?;
    let form = super::model::RegistrationForm {
        lang,
        event,
        idempotency_key,
        parent_name,
        email,
        phone,
        children,
        note,
        consent,
        website,
    };
    match crate::server::registration_form::submit(&state, &form).await {
        Ok(path) => {
            leptos_axum::redirect(&path);
            Ok(())
        }
        Err(error) => {
            // The status says what kind of refusal it is (409 for a reused key, 422 for
            // fields); the service worker retries only 5xx and 429.
            crate::site::set_status(error.status_code());
            Err(error)
        }
    }
}

#[server(prefix = "/api", endpoint = "registrations/view", input = GetUrl, output = WireJson)]
pub async fn registration(lang: Lang, token: String) -> Result<RegistrationView, AppError> {
    crate::site::private_page();
    let state = crate::server::AppState::from_context()?;
    super::service::registration(
        state.store.as_ref(),
        &state.tokens,
        lang,
        &token,
        state.config.smtp_url.is_some(),
    )
    .await
}

#[server(prefix = "/api", endpoint = "registrations/cancel", output = WireJson)]
pub async fn cancel_registration(lang: Lang, token: String) -> Result<(), AppError> {
    let state = crate::server::AppState::from_context()?;
    super::service::cancel(state.store.as_ref(), &state.tokens, &token).await?;
    state.page_cache.invalidate();
    leptos_axum::redirect(&super::service::manage_path(lang, &token));
    Ok(())
}
