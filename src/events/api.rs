//! Server functions of the event pages and of registration.
// `register` takes the form's fields as its arguments (that is how `ActionForm` posts them).
#![allow(clippy::too_many_arguments)]
use super::model::{ChildInput, EventCard, EventPageData, EventsWhen, RegistrationView};
use crate::domain::Lang;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[server(prefix = "/api", endpoint = "events/list", input = GetUrl)]
pub async fn list_events(lang: Lang, when: EventsWhen) -> Result<Vec<EventCard>, AppError> {
    let state = crate::server::AppState::from_context()?;
    super::service::list(state.store.as_ref(), lang, when).await
}

#[server(prefix = "/api", endpoint = "events/page", input = GetUrl)]
pub async fn event_page(lang: Lang, slug: String) -> Result<EventPageData, AppError> {
    let state = crate::server::AppState::from_context()?;
    let slug = slug.parse().map_err(|_| AppError::NotFound)?;
    super::service::page(state.store.as_ref(), lang, &slug).await
}

/// The registration form's target. On success the visitor is sent to the registration's
/// private page (also without JavaScript: the browser follows the redirect).
#[server(prefix = "/api", endpoint = "events/register")]
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
    let outcome = super::service::register(state.store.as_ref(), &form, &state.config.public_url).await;
    let outcome = outcome.map_err(|error| match error {
        AppError::Validation(errors) => AppError::RegistrationRejected {
            errors,
            form: Box::new(form.clone()),
        },
        other => other,
    })?;
    // Seats changed: cached pages (home, lists) must show them.
    state.page_cache.invalidate();
    match outcome {
        Some(token) => leptos_axum::redirect(&super::service::manage_path(lang, &token)),
        // A bot's submission: it is told nothing useful.
        None => leptos_axum::redirect(&crate::locale::href(lang, &format!("events/{}", form.event))),
    }
    Ok(())
}

#[server(prefix = "/api", endpoint = "registrations/view", input = GetUrl)]
pub async fn registration(lang: Lang, token: String) -> Result<RegistrationView, AppError> {
    let state = crate::server::AppState::from_context()?;
    super::service::registration(state.store.as_ref(), lang, &token, state.config.smtp_url.is_some()).await
}

#[server(prefix = "/api", endpoint = "registrations/cancel")]
pub async fn cancel_registration(lang: Lang, token: String) -> Result<(), AppError> {
    let state = crate::server::AppState::from_context()?;
    super::service::cancel(state.store.as_ref(), &token, &state.config.public_url).await?;
    state.page_cache.invalidate();
    leptos_axum::redirect(&super::service::manage_path(lang, &token));
    Ok(())
}
