//! Server functions of the event editor: writers only (admins and editors), checked here on
//! the server for every call.
use super::model::{AdminEventList, EventDraft, EventEditorData, SavedEvent};
use crate::domain::Lang;
use crate::error::AppError;
use crate::wire::WireJson;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
async fn writer() -> Result<(crate::server::AppState, crate::server::store::AccountRecord), AppError> {
    crate::admin::api::signed_in_as(crate::admin::posts::service::WRITERS).await
}

/// Events for the editor's list: words of a title or slug (`q`), a status, a page.
#[server(prefix = "/api", endpoint = "admin/events", input = GetUrl, output = WireJson)]
pub async fn admin_events_page(
    lang: Lang,
    #[server(default)] q: String,
    #[server(default)] status: String,
    #[server(default)] page: String,
) -> Result<AdminEventList, AppError> {
    let (state, _) = writer().await?;
    let status = super::model::EventStatus::parse(&status);
    let page = crate::domain::PageNumber::parse(Some(&page));
    super::service::list(&state, lang, &q, status, page).await
}

/// The event of `slug` to edit, or a new one (no `slug`), with what to choose from.
#[server(prefix = "/api", endpoint = "admin/events/editor", input = GetUrl, output = WireJson)]
pub async fn event_editor(lang: Lang, #[server(default)] slug: Option<String>) -> Result<EventEditorData, AppError> {
    let (state, _) = writer().await?;
    crate::admin::api::with_status(super::service::editor(&state, lang, slug.as_deref()).await)
}

/// NGOs of the directory matching `q`, to choose an event's organiser from.
#[server(prefix = "/api", endpoint = "admin/events/ngos", input = GetUrl, output = WireJson)]
pub async fn find_ngos(lang: Lang, #[server(default)] q: String) -> Result<Vec<super::model::Choice>, AppError> {
    let (state, _) = writer().await?;
    super::service::find_ngos(&state, lang, &q).await
}

/// Saves an event (new when it has no id).
#[server(prefix = "/api", endpoint = "admin/events/save", output = WireJson)]
pub async fn save_event(draft: EventDraft) -> Result<SavedEvent, AppError> {
    let (state, account) = writer().await?;
    crate::admin::api::with_status(super::service::save(&state, &account, &draft).await)
}
