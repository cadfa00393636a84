//! Probes for a load balancer or orchestrator: `/healthz` says the process answers, `/readyz`
//! that it can serve (database reachable, this build's migrations applied). Both are never
//! cached and say nothing of the data.
use super::AppState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// A database that does not answer within this is taken as down: a probe must fail fast,
/// not hang until the pool's own timeout.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// What `/readyz` reports, as JSON.
#[derive(Debug, serde::Serialize)]
struct Readiness {
    ready: bool,
    /// `ok`, or `unavailable` (an error, or no answer in time).
    database: &'static str,
    /// Migrations of this build not yet applied (`None` when the database did not answer).
    pending_migrations: Option<usize>,
}

fn probe_answer(status: StatusCode, body: impl IntoResponse) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], body).into_response()
}

/// `GET /healthz`: 200 while the process serves requests.
pub async fn healthz() -> Response {
    probe_answer(StatusCode::OK, "ok")
}

/// `GET /readyz`: 200 when the database answers and has every migration of this build, else
/// 503 with which of the two failed.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let pending = match tokio::time::timeout(READY_TIMEOUT, state.store.pending_migrations()).await {
        Ok(Ok(pending)) => Some(pending),
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness: the database did not answer");
            None
        }
        Err(_) => {
            tracing::warn!(seconds = READY_TIMEOUT.as_secs(), "readiness: the database timed out");
            None
        }
    };
    let readiness = Readiness {
        ready: pending == Some(0),
        database: if pending.is_some() { "ok" } else { "unavailable" },
        pending_migrations: pending,
    };
    let status = if readiness.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    probe_answer(status, axum::Json(readiness))
}
