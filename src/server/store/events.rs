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

/// An event as both engines' `EVENT_SELECT` reads it.
#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    pub(crate) id: i64,
    slug: String,
    code_prefix: String,
    title: String,
    summary: String,
    body_md: String,
    venue_name: String,
    venue_address: String,
    map_url: Option<String>,
    organiser: String,
    organiser_slug: String,
    starts_at: i64,
    ends_at: i64,
    registration_opens_at: i64,
    registration_closes_at: i64,
    price_eur_cents: Option<i64>,
    min_age: i64,
    max_age: i64,
    capacity: i64,
    confirmed_children: i64,
    waitlisted_children: i64,
    status: String,
    draft: bool,
    updated_at: i64,
    text_lang: String,
    translations: i64,
    #[sqlx(flatten)]
    cover: super::rows::CoverColumns,
}

impl EventRow {
    pub(crate) fn into_record(self, tags: Vec<Tag>) -> Result<EventRecord, super::StoreError> {
        use super::rows;
        let id = self.id;
        let what = |column: &str| format!("event {id}: {column}");
        Ok(EventRecord {
            id: self.id,
            slug: super::parse_slug(self.slug)?,
            code_prefix: self.code_prefix,
            title: self.title,
            summary: self.summary,
            body_md: self.body_md,
            venue_name: self.venue_name,
            venue_address: self.venue_address,
            map_url: self.map_url,
            organiser: self.organiser,
            organiser_slug: self.organiser_slug,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            registration_opens_at: self.registration_opens_at,
            registration_closes_at: self.registration_closes_at,
            price_eur_cents: self
                .price_eur_cents
                .map(|cents| rows::int(cents, || what("price")))
                .transpose()?,
            min_age: rows::int(self.min_age, || what("min_age"))?,
            max_age: rows::int(self.max_age, || what("max_age"))?,
            capacity: rows::int(self.capacity, || what("capacity"))?,
            confirmed_children: rows::int(self.confirmed_children, || what("confirmed_children"))?,
            waitlisted_children: rows::int(self.waitlisted_children, || what("waitlisted_children"))?,
            cancelled: self.status == "cancelled",
            updated_at: self.updated_at,
            draft: self.draft,
            lang: rows::lang(&self.text_lang, || what("language"))?,
            translated: self.translations > 1,
            cover: self.cover.cover()?,
            tags,
        })
    }
}

/// A registration's own columns, as both engines' `REGISTRATION_SELECT` reads them.
#[derive(sqlx::FromRow)]
pub(crate) struct RegistrationRow {
    pub(crate) id: i64,
    pub(crate) event_id: i64,
    code: String,
    token_nonce: String,
    lang: String,
    parent_name: String,
    email: String,
    status: String,
}

impl RegistrationRow {
    /// Whether the record needs its waitlist position, which the engine counts.
    pub(crate) fn is_waitlisted(&self) -> bool {
        self.status == "waitlisted"
    }

    /// The record, with its children (`first_name`, `age` in their order) and, when
    /// waitlisted, its 1-based position.
    pub(crate) fn into_record(
        self,
        children: Vec<(String, i64)>,
        waitlist_position: Option<i64>,
    ) -> Result<RegistrationRecord, super::StoreError> {
        use super::{StoreError, rows};
        let id = self.id;
        let status = match (self.status.as_str(), waitlist_position) {
            ("confirmed", _) => StoredStatus::Confirmed,
            ("waitlisted", Some(position)) => {
                StoredStatus::Waitlisted(rows::int(position, || format!("registration {id} position"))?)
            }
            ("waitlisted", None) => {
                return Err(StoreError::Corrupt(format!(
                    "registration {id}: waitlist position not read"
                )));
            }
            ("cancelled", _) => StoredStatus::Cancelled,
            (other, _) => {
                return Err(StoreError::Corrupt(format!("registration {id}: status {other:?}")));
            }
        };
        let children = children
            .into_iter()
            .map(|(name, age)| Ok((name, rows::int(age, || format!("registration {id} child age"))?)))
            .collect::<Result<_, StoreError>>()?;
        Ok(RegistrationRecord {
            id,
            event_id: self.event_id,
            code: self.code,
            token_nonce: (!self.token_nonce.starts_with(ERASED_NONCE)).then_some(self.token_nonce),
            lang: rows::lang(&self.lang, || format!("registration {id}"))?,
            parent_name: self.parent_name,
            email: self.email,
            children,
            status,
        })
    }
}

/// A waiting mail as both engines read it from `outbox o JOIN registrations r`.
#[derive(sqlx::FromRow)]
pub(crate) struct OutboxRow {
    id: i64,
    recipient: String,
    subject: String,
    body: String,
    lang: String,
    token_nonce: String,
}

impl OutboxRow {
    pub(crate) fn into_mail(self) -> Result<OutboxMail, super::StoreError> {
        let id = self.id;
        Ok(OutboxMail {
            id,
            recipient: self.recipient,
            subject: self.subject,
            body: self.body,
            lang: super::rows::lang(&self.lang, || format!("outbox {id}"))?,
            token_nonce: (!self.token_nonce.starts_with(ERASED_NONCE)).then_some(self.token_nonce),
        })
    }
}
