//! Events as the editor writes them: both translations, dates in UTC, seats, price, the
//! organising NGO and the accounts that see its registrations, cover, and the slugs it had.
//! Saving is one transaction with its audit entry and any mail the change sends parents.
use super::{Actor, CoverRecord, MailComposer, StoreError};
use crate::domain::{Lang, Slug};
use async_trait::async_trait;
use serde::Serialize;

/// One language of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventTextRecord {
    pub lang: Lang,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub venue_name: String,
    pub venue_address: String,
}

/// Where an event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventState {
    /// Seen only in the admin; takes no registrations.
    Draft,
    Published,
    /// Told to every registered parent; final.
    Cancelled,
}

/// An event as the editor loads and saves it (also what the audit log records of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditableEvent {
    /// `None` for a new event.
    pub id: Option<i64>,
    pub slug: Slug,
    /// One or both languages.
    pub texts: Vec<EventTextRecord>,
    pub tags: Vec<String>,
    pub state: EventState,
    /// Unix seconds, UTC.
    pub starts_at: i64,
    pub ends_at: i64,
    pub registration_opens_at: i64,
    pub registration_closes_at: i64,
    pub map_url: Option<String>,
    /// `None`: free.
    pub price_eur_cents: Option<u32>,
    pub min_age: u8,
    pub max_age: u8,
    /// In children.
    pub capacity: u32,
    pub organiser_ngo_id: i64,
    pub code_prefix: String,
    /// Organiser accounts that see this event's registrations.
    pub organisers: Vec<i64>,
    pub cover: Option<CoverRecord>,
}

impl EditableEvent {
    pub fn text(&self, lang: Lang) -> Option<&EventTextRecord> {
        self.texts.iter().find(|text| text.lang == lang)
    }
}

/// Why an event was not saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventSaveRefusal {
    /// Another event has (or had) this slug.
    SlugTaken,
    UnknownNgo,
    UnknownImage,
    /// One of the accounts named is not an active organiser.
    UnknownOrganiser,
    /// Fewer seats than children already confirmed.
    CapacityBelowConfirmed {
        confirmed: u32,
    },
    /// Parents have registered: the event cannot go back to being a draft.
    HasRegistrations,
    /// A cancelled event stays cancelled (its parents were told).
    Cancelled,
    /// Parents have registered: the event's end cannot be moved into the past.
    EndsInPast,
    /// The event to update does not exist.
    NotFound,
}

/// What a save did besides storing the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EventSaved {
    pub id: i64,
    /// Registrations confirmed from the waitlist because seats were added.
    pub promoted: u32,
    /// Registrations told by mail that the event is cancelled.
    pub told_cancelled: u32,
}

/// An event in the editor's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminEventListRecord {
    pub id: i64,
    pub slug: Slug,
    /// In the language asked for, else the other.
    pub title: String,
    pub state: EventState,
    pub starts_at: i64,
    pub capacity: u32,
    pub confirmed_children: u32,
    pub langs: Vec<Lang>,
}

/// Which events the editor's list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminEventQuery {
    pub lang: Lang,
    /// Words of the title or the slug.
    pub search: String,
    pub state: Option<EventState>,
    pub limit: u32,
    pub offset: u32,
}

/// A choice in the editor: an NGO or an organiser account, by id and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

#[async_trait]
pub trait EventEditorStore: Send + Sync {
    /// A page of events, latest start first, and how many match in all.
    async fn admin_event_list(&self, query: &AdminEventQuery) -> Result<(Vec<AdminEventListRecord>, u64), StoreError>;
    /// The event with this current slug, drafts included.
    async fn editable_event(&self, slug: &Slug) -> Result<Option<EditableEvent>, StoreError>;
    /// How many children are confirmed for an event.
    async fn confirmed_children(&self, id: i64) -> Result<u32, StoreError>;
    /// Creates or updates the event, its tags, organisers and the old slug's redirect; a
    /// cancellation mails every registered parent and added seats go to the waitlist, in
    /// order. Records the change under `actor`. One transaction.
    async fn save_event(
        &self,
        event: &EditableEvent,
        now: i64,
        actor: &Actor,
        compose: &MailComposer,
    ) -> Result<Result<EventSaved, EventSaveRefusal>, StoreError>;
    /// The current slug of the event that had `old` as its slug.
    async fn moved_event(&self, old: &Slug) -> Result<Option<Slug>, StoreError>;
    /// The NGO of `id` by its name in `lang` (the organiser an event has).
    async fn ngo_choice(&self, lang: Lang, id: i64) -> Result<Option<Choice>, StoreError>;
    /// The active organiser accounts, by name.
    async fn organiser_choices(&self) -> Result<Vec<Choice>, StoreError>;
}
