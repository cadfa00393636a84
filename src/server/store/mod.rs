//! The store: every read and write of portal data goes through [`Store`]. SQLite is the
//! embedded default; PostgreSQL joins behind the same trait.
pub mod accounts;
pub mod audit;
pub mod changes;
pub mod door;
pub mod event_editor;
pub mod events;
pub mod health;
pub mod ngos;
pub mod outbox;
pub mod post_editor;
pub mod postgres;
pub mod privacy;
pub mod registration_rules;
mod rows;
pub mod search;
mod sqlite;
mod sqlite_accounts;
mod sqlite_audit;
pub mod sqlite_backup;
mod sqlite_door;
mod sqlite_event_editor;
mod sqlite_events;
mod sqlite_health;
mod sqlite_ngos;
mod sqlite_outbox;
mod sqlite_post_editor;
mod sqlite_privacy;
mod sqlite_search;

use super::seed::ScheduledContent;
use crate::domain::{Category, Tag};
use crate::domain::{Lang, Slug};
use crate::error::AppError;
use async_trait::async_trait;
use std::sync::Arc;

pub use accounts::*;
pub use audit::*;
pub use changes::*;
pub use door::*;
pub use event_editor::*;
pub use events::*;
pub use health::*;
pub use ngos::*;
pub use outbox::*;
pub use post_editor::*;
pub use postgres::PgStore;
pub use privacy::*;
pub use search::*;
pub use sqlite::SqliteStore;

/// A public post in one language (its own, when it has no translation into the one asked for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRecord {
    pub id: i64,
    pub slug: Slug,
    /// The language of the text below.
    pub lang: Lang,
    /// Whether the post is written in both languages.
    pub translated: bool,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub category: Category,
    pub tags: Vec<Tag>,
    /// Unix seconds, UTC.
    pub published_at: i64,
    pub cover: Option<CoverImage>,
    /// The byline; empty when the post has none.
    pub author: String,
}

/// An uploaded cover photo as the public pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverImage {
    pub key: String,
    pub width: u32,
    pub height: u32,
    pub widths: Vec<u32>,
    /// In the language of the page (or the other, when that one is empty).
    pub alt: String,
}

/// Which public posts to read, newest first: published ones whose date has come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostFilter {
    pub category: Option<Slug>,
    /// Unix seconds: posts scheduled after this are not public yet.
    pub now: i64,
    pub limit: u32,
    pub offset: u32,
}

impl PostFilter {
    /// All public posts of a language (the relatedness corpus).
    pub fn everything(now: i64) -> PostFilter {
        PostFilter {
            category: None,
            now,
            limit: u32::MAX,
            offset: 0,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("unsupported DATABASE_URL (expected sqlite: or postgres://)")]
    UnsupportedUrl,
    /// A new registration's random code is taken; try again with another.
    #[error("registration code clash")]
    CodeClash,
    /// A unique value (an account's e-mail address) is taken.
    #[error("already exists")]
    Duplicate,
    /// A restore's target database already holds tables.
    #[error("the database is not empty: restore into a new one (createdb) and point DATABASE_URL at it")]
    NotEmpty,
    /// `pg_dump` or `pg_restore` failed; what it said.
    #[error("{0}")]
    Tool(String),
}

impl StoreError {
    /// The database is out of reach or too busy to answer now (gone, restarting, refusing
    /// connections, every connection taken, SQLite's write lock held past its timeout): the
    /// same request will work later. Anything else is a fault.
    pub fn is_transient(&self) -> bool {
        let StoreError::Database(error) = self else {
            return false;
        };
        match error {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => true,
            sqlx::Error::Database(db) => {
                let code = db.code().unwrap_or_default();
                // PostgreSQL: connection exceptions (08…), shutting down / cannot connect now
                // (57P01–57P03), too many connections (53300), a database not accepting
                // connections (55000 at connect). SQLite: busy (5) and locked (6), with their
                // extended codes.
                code.starts_with("08")
                    || code.starts_with("57P0")
                    || code == "53300"
                    || code == "55000"
                    || matches!(code.parse::<i32>().map(|c| c & 0xff), Ok(5 | 6))
                        && db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some()
            }
            _ => false,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        if error.is_transient() {
            tracing::warn!(%error, "database out of reach: answered 503");
            return AppError::TryAgainLater;
        }
        tracing::error!(%error, "store failure");
        AppError::Internal
    }
}

/// The mails the store writes to its outbox, in the same transaction as the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    Confirmed,
    Waitlisted,
    Promoted,
    Cancelled,
    /// The link of an existing registration, sent again because someone submitted the same
    /// e-mail and children once more.
    LinkAgain,
    /// The event was cancelled by its editors.
    EventCancelled,
}

impl MailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Confirmed => "confirmed",
            MailKind::Waitlisted => "waitlisted",
            MailKind::Promoted => "promoted",
            MailKind::Cancelled => "cancelled",
            MailKind::LinkAgain => "link_again",
            MailKind::EventCancelled => "event_cancelled",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposedMail {
    pub subject: String,
    pub body: String,
}

/// Writes the mail of a kind for a registration (in the registration's language).
pub type MailComposer = dyn Fn(MailKind, &RegistrationRecord) -> ComposedMail + Send + Sync;

/// Everything the portal stores.
pub trait Store:
    ContentStore
    + EventStore
    + AccountStore
    + DoorStore
    + AuditStore
    + PrivacyStore
    + OutboxStore
    + PostEditorStore
    + EventEditorStore
    + NgoStore
    + SearchStore
    + HealthStore
    + ChangeFeed
{
}

impl<T> Store for T where
    T: ContentStore
        + EventStore
        + AccountStore
        + DoorStore
        + AuditStore
        + PrivacyStore
        + OutboxStore
        + PostEditorStore
        + EventEditorStore
        + NgoStore
        + SearchStore
        + HealthStore
        + ChangeFeed
{
}

/// Events, registrations and their mail.
#[async_trait]
pub trait EventStore: Send + Sync {
    async fn events(
        &self,
        lang: Lang,
        when: crate::events::model::EventsWhen,
        now: i64,
        limit: u32,
    ) -> Result<Vec<EventRecord>, StoreError>;
    /// The upcoming public events an NGO organises, soonest first.
    async fn events_of_organiser(
        &self,
        lang: Lang,
        organiser: &Slug,
        now: i64,
        limit: u32,
    ) -> Result<Vec<EventRecord>, StoreError>;
    /// A public event (not a draft) by its slug.
    async fn event(&self, lang: Lang, slug: &Slug) -> Result<Option<EventRecord>, StoreError>;
    /// Any event, drafts included.
    async fn event_by_id(&self, lang: Lang, id: i64) -> Result<Option<EventRecord>, StoreError>;
    /// Confirms the registration if all its children fit, else puts it on the waitlist. The
    /// same idempotency key replays only the same submission; the same e-mail and children
    /// under another key mail the existing link again. One transaction.
    async fn register(
        &self,
        registration: NewRegistration,
        now: i64,
        compose: &MailComposer,
    ) -> Result<RegisterOutcome, StoreError>;
    /// The registration whose private link was made from `token_nonce`.
    async fn registration(&self, token_nonce: &str) -> Result<Option<RegistrationRecord>, StoreError>;
    /// Cancels, frees the seats and promotes waitlisted registrations that fit, in order.
    /// The cancelled registration's personal data is erased at once (its mail keeps what it
    /// needs until sent).
    /// The change is recorded in the audit log under `actor` (the parent, or staff).
    async fn cancel_registration(
        &self,
        token_nonce: &str,
        now: i64,
        compose: &MailComposer,
        actor: &Actor,
    ) -> Result<Option<CancelOutcome>, StoreError>;
    /// Erases parents' and children's personal data of events that ended before the given
    /// instant (the retention promised on the form): names, contacts, notes and the link go,
    /// children become a count, their mail is deleted. Also drops the contents of mail that
    /// could not be sent by `undeliverable_before`. Returns how many registrations were erased.
    async fn erase_personal_data(&self, events_ended_before: i64, undeliverable_before: i64)
    -> Result<u64, StoreError>;
    /// Mail waiting to be delivered (fewer than 5 attempts, contents kept), oldest first.
    async fn unsent_mail(&self, limit: u32) -> Result<Vec<OutboxMail>, StoreError>;
    /// Records a delivery attempt: `sent_at` when it succeeded, and then the mail's recipient
    /// and text are cleared.
    async fn mark_mail(&self, id: i64, sent_at: Option<i64>) -> Result<(), StoreError>;
    /// The first waiting mail after `after_id`, held for this caller until the claim is
    /// finished or [`MAIL_CLAIM_SECONDS`] have passed: no other process delivers it meanwhile,
    /// and when this process dies holding it, it goes back to the outbox when the claim runs
    /// out. Delivery must take less than that (the worker bounds each send).
    /// The claim ends with [`EventStore::mark_mail`] (the attempt recorded).
    async fn claim_mail(&self, after_id: i64, now: i64) -> Result<Option<OutboxMail>, StoreError>;
}

/// How long a claimed mail is held: longer than one delivery may take (`mail::SEND_TIMEOUT`).
pub const MAIL_CLAIM_SECONDS: i64 = 30;

/// Posts, categories, the NGO count and seeding.
#[async_trait]
pub trait ContentStore: Send + Sync {
    async fn ngo_count(&self) -> Result<u64, StoreError>;
    async fn categories(&self, lang: Lang) -> Result<Vec<Category>, StoreError>;
    async fn posts(&self, lang: Lang, filter: &PostFilter) -> Result<Vec<PostRecord>, StoreError>;
    /// How many public posts (at `now`) there are, in a category or in all.
    async fn count_posts(&self, category: Option<&Slug>, now: i64) -> Result<u64, StoreError>;
    /// True when no content has been stored yet (first start).
    async fn is_empty(&self) -> Result<bool, StoreError>;
    /// Stores `content` in one transaction.
    async fn insert_content(&self, content: &ScheduledContent<'_>) -> Result<(), StoreError>;
}

/// Opens the store named by `database_url` and brings its schema up to date.
pub async fn connect(database_url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if database_url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(database_url).await?))
    } else if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(database_url).await?))
    } else {
        Err(StoreError::UnsupportedUrl)
    }
}

pub(crate) fn parse_slug(raw: String) -> Result<Slug, StoreError> {
    raw.parse()
        .map_err(|_| StoreError::Corrupt(format!("invalid slug {raw:?}")))
}
