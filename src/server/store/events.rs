//! Event and registration records as the store keeps them (backend-independent).
use crate::domain::Tag;
use crate::domain::{Lang, Slug};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    pub id: i64,
    pub slug: Slug,
    pub code_prefix: String,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub venue_name: String,
    pub venue_address: String,
    pub map_url: Option<String>,
    pub organiser: String,
    /// The organising NGO's slug (its profile in the directory).
    pub organiser_slug: String,
    /// Unix seconds, UTC.
    pub starts_at: i64,
    pub ends_at: i64,
    pub registration_opens_at: i64,
    pub registration_closes_at: i64,
    pub price_eur_cents: Option<u32>,
    pub min_age: u8,
    pub max_age: u8,
    pub capacity: u32,
    pub confirmed_children: u32,
    pub waitlisted_children: u32,
    pub cancelled: bool,
    /// Unix seconds of the last save in the editor; 0 for an event never edited (seeded).
    pub updated_at: i64,
    /// Seen only in the admin.
    pub draft: bool,
    /// The language of the texts above (the other one when the event is not translated).
    pub lang: Lang,
    /// Whether the event is written in both languages.
    pub translated: bool,
    pub cover: Option<super::CoverImage>,
    pub tags: Vec<Tag>,
}

/// A registration to store; the store decides confirmed or waitlisted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRegistration {
    pub event_id: i64,
    pub idempotency_key: String,
    pub lang: Lang,
    pub parent_name: String,
    /// One spelling per address (lowercased): duplicates and the per-address cap compare it.
    pub email: crate::domain::Email,
    pub phone: crate::domain::Phone,
    pub note: String,
    pub children: Vec<(String, u8)>,
    /// Candidate code (random); the store is retried with a fresh one on a clash.
    pub code: String,
    /// Random; the private link's token is derived from it (`server::tokens`).
    pub token_nonce: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredStatus {
    Confirmed,
    /// Position on the event's waitlist, 1-based.
    Waitlisted(u32),
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationRecord {
    pub id: i64,
    pub event_id: i64,
    pub code: String,
    /// `None` once the personal data is erased: no link leads here any more.
    pub token_nonce: Option<String>,
    pub lang: Lang,
    pub parent_name: String,
    pub email: String,
    pub children: Vec<(String, u8)>,
    pub status: StoredStatus,
}

/// An erased registration's `token_nonce` starts so: no token names it (nonces are hex).
pub const ERASED_NONCE: &str = "erased-";

/// What the store did with a registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterOutcome {
    /// Stored now (confirmed or waitlisted).
    Created(RegistrationRecord),
    /// The same form (same key, same e-mail and children) arrived again: its registration.
    Replayed(RegistrationRecord),
    /// The key was used before for another e-mail or other children: nothing is told.
    KeyConflict,
    /// This e-mail already registered these children: the link went to the stored address
    /// again (unless it was sent again only minutes ago); the submitter learns nothing more.
    AlreadyRegistered,
    /// This e-mail has as many registrations for the event as one address may have.
    TooManyForEmail {
        max: u32,
    },
    Rejected(RegisterRejection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterRejection {
    NotOpenYet,
    Closed,
    EventCancelled,
    AgeOutOfRange { min: u8, max: u8 },
}

/// What cancelling did: the cancelled registration and those promoted from the waitlist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelOutcome {
    pub cancelled: RegistrationRecord,
    pub promoted: Vec<RegistrationRecord>,
}

/// A mail waiting in the outbox. Its body has the line [`MANAGE_LINK_LINE`] where the
/// registration's private link goes when it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub lang: Lang,
    /// The registration's nonce, if it still has a link.
    pub token_nonce: Option<String>,
}

/// The line of a stored mail body that stands for the private link. User input never spans
/// a whole line of a mail (names are one line, each after a label), so only the template can
/// write it.
pub const MANAGE_LINK_LINE: &str = "{manage_link}";
