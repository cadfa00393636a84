//! `AppError`: what a server function may tell the browser. Variants are safe to show; the
//! details of internal failures stay in the server log.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// Something failed on the server; it has been logged with its context.
    #[error("internal error")]
    Internal,
    /// The request did not reach the server or its answer could not be read.
    #[error("service unavailable")]
    Unavailable,
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        match error {
            ServerFnErrorErr::ServerError(_) => AppError::Internal,
            _ => AppError::Unavailable,
        }
    }
}

impl AppError {
    /// The HTTP status a server-rendered page shows for this error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Internal => 500,
            AppError::Unavailable => 503,
        }
    }
}
