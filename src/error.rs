//! `AppError`: what a server function may tell the browser. Variants are safe to show; the
//! details of internal failures stay in the server log.
use crate::wire::Wire;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// The page is at another address now (a post's changed slug): `path` inside the language tree.
    #[error("moved permanently")]
    Moved { path: String },
    /// The input was rejected; each problem belongs to a form field.
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("registration has not opened yet")]
    RegistrationNotOpen,
    #[error("registration is closed")]
    RegistrationClosed,
    #[error("the event is cancelled")]
    EventCancelled,
    /// A registration form's key came back with another e-mail or other children: the key
    /// only ever replays its own submission.
    #[error("the form was already used for another registration")]
    KeyConflict,
    /// A state-changing request from another site, or an account without the right to this.
    #[error("forbidden")]
    Forbidden,
    /// Signed out (or the session ended): sign in first.
    #[error("sign-in required")]
    Unauthorized,
    /// Too many failed sign-ins to this address: refused for a while.
    #[error("sign-in locked")]
    SignInLocked { minutes: u32 },
    #[error("too many requests")]
    RateLimited,
    /// The request could not be read (arguments missing or malformed): sending it again will
    /// not help.
    #[error("bad request")]
    BadRequest,
    /// Something failed on the server; it has been logged with its context.
    #[error("internal error")]
    Internal,
    /// The server cannot answer this now (its database is out of reach or busy); the same
    /// request in a minute will work, and nothing was stored.
    #[error("temporarily unavailable")]
    TryAgainLater,
    /// The request did not reach the server or its answer could not be read.
    #[error("service unavailable")]
    Unavailable,
    /// Never sent by the server: the service worker answers this for a registration it kept
    /// on the device while offline, to be sent when the connection returns.
    #[error("saved offline, to be sent later")]
    Queued,
}

impl FromServerFnError for AppError {
    type Encoder = Wire;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        match error {
            ServerFnErrorErr::ServerError(_) => AppError::Internal,
            ServerFnErrorErr::Registration(_) => AppError::NotFound,
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::BadRequest,
            // On the server, the request's body did not decode (not text, not the arguments).
            // In the browser it is an answer that did not arrive whole: Unavailable, below.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(_) => AppError::BadRequest,
            // In the browser: the server could not be reached or its answer not read.
            _ => AppError::Unavailable,
        }
    }
}

impl AppError {
    /// The HTTP status a server-rendered page shows for this error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            // A data answer has no `Location` to redirect to: not here. The page itself answers
            // 301 with the new address (`site::ErrorView`).
            AppError::Moved { .. } => 404,
            AppError::BadRequest => 400,
            AppError::Validation(_) => 422,
            AppError::Forbidden => 403,
            AppError::Unauthorized => 401,
            AppError::RegistrationNotOpen
            | AppError::RegistrationClosed
            | AppError::EventCancelled
            | AppError::KeyConflict => 409,
            AppError::RateLimited | AppError::SignInLocked { .. } => 429,
            AppError::Internal => 500,
            AppError::Unavailable | AppError::Queued | AppError::TryAgainLater => 503,
        }
    }
}

/// Why a field was rejected; the page shows it in the visitor's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldProblem {
    Required,
    TooLong,
    InvalidEmail,
    InvalidPhone,
    InvalidAge,
    AgeOutOfRange {
        min: u8,
        max: u8,
    },
    NoChildren,
    TooManyChildren {
        max: u8,
    },
    ConsentRequired,
    /// The e-mail address has as many registrations for the event as one may have.
    TooManyRegistrations {
        max: u8,
    },
    /// No account has this e-mail address and password (which one is wrong is not said).
    WrongCredentials,
    /// Not a valid address part: only Latin letters, digits and hyphens.
    InvalidSlug,
    /// Another post has (or had) this address.
    SlugTaken,
    /// Not a date and time.
    InvalidDateTime,
    /// Scheduling needs a time still ahead.
    NotInFuture,
    /// A title is needed in at least one language.
    TitleInOneLanguage,
    /// Not a picture of a kind the portal takes (JPEG, PNG, WebP), or too large.
    InvalidImage,
    /// Not a whole number from `min` to `max`.
    NumberOutOfRange {
        min: u32,
        max: u32,
    },
    /// Not an amount in euro.
    InvalidPrice,
    /// Not an `https:` link.
    InvalidLink,
    /// An end before its start.
    EndsBeforeStart,
    /// Registration closing before it opens.
    ClosesBeforeOpens,
    /// Registration closing after the event has ended.
    ClosesAfterEnd,
    /// Not one to four Latin capitals or digits.
    InvalidCodePrefix,
    /// Fewer seats than children already confirmed.
    BelowConfirmed {
        confirmed: u32,
    },
    /// Parents have registered: cancel the event instead.
    CannotBeDraft,
    /// A cancelled event stays cancelled.
    StaysCancelled,
    /// Parents have registered: the end cannot move into the past.
    EndsInPast,
    /// Another account has this e-mail address.
    EmailTaken,
    /// A password shorter than `min` bytes (or absurdly long).
    PasswordLength {
        min: u32,
    },
    /// The portal would be left without an active admin.
    LastAdmin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's name, e.g. `email` or `children[1][age]`.
    pub field: String,
    pub problem: FieldProblem,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: FieldProblem) -> FieldError {
        FieldError {
            field: field.into(),
            problem,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_that_does_not_decode_is_the_clients_fault_not_a_reason_to_retry() {
        let error = AppError::from_server_fn_error(ServerFnErrorErr::Args("lang: unknown variant".into()));
        assert_eq!(error, AppError::BadRequest);
        assert_eq!(error.status_code(), 400);
        let missing = AppError::from_server_fn_error(ServerFnErrorErr::MissingArg("slug".into()));
        assert_eq!(missing.status_code(), 400);
        let network = AppError::from_server_fn_error(ServerFnErrorErr::Request("offline".into()));
        assert_eq!(network.status_code(), 503);
        let garbled = AppError::from_server_fn_error(ServerFnErrorErr::Deserialization("invalid utf-8".into()));
        assert_eq!(
            garbled,
            AppError::BadRequest,
            "the server's view of a body that does not decode"
        );
    }
}
