//! Plain HTTP endpoints of events: the seats JSON the event page refreshes, and the `.ics`.
use super::AppState;
use crate::domain::{Lang, Slug};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// `GET /api/events/{slug}/availability`
pub async fn availability(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    let Ok(slug) = slug.parse::<Slug>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match crate::events::service::event_availability(state.store.as_ref(), &slug).await {
        Ok(availability) => ([(header::CACHE_CONTROL, "public, max-age=5")], Json(availability)).into_response(),
        Err(error) => StatusCode::from_u16(error.status_code())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            .into_response(),
    }
}

#[derive(Deserialize)]
pub struct CalendarQuery {
    lang: Option<String>,
}

/// `GET /api/events/{slug}/calendar.ics?lang=bg`
pub async fn calendar(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<CalendarQuery>,
) -> Response {
    let lang = query.lang.and_then(|l| l.parse::<Lang>().ok()).unwrap_or_default();
    let Ok(slug) = slug.parse::<Slug>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match state.store.event(lang, &slug).await {
        Ok(Some(event)) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{slug}.ics\""),
                ),
            ],
            crate::events::calendar::ics(&event, lang, &state.config.public_url),
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "calendar could not be read");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
