//! Events as the editor writes them: both translations, dates in UTC, seats, price, the
//! organising NGO and the accounts that see its registrations, cover, and the slugs it had.
//! Saving is one transaction with its audit entry and any mail the change sends parents.
use super::post_editor::{matches_words, search_words, titles};
use super::{Actor, CoverRecord, MailComposer, StoreError, parse_slug, rows};
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

// What both engines read of events for the editor, and the rules a save must pass.

impl EventState {
    /// The state of a row's `draft` flag and `status`: a cancelled event is cancelled, even
    /// one cancelled as a draft.
    pub(crate) fn of(draft: bool, status: &str) -> EventState {
        match (draft, status) {
            (_, "cancelled") => EventState::Cancelled,
            (true, _) => EventState::Draft,
            (false, _) => EventState::Published,
        }
    }

    /// The `status` column of an event in this state (a draft is a published row with `draft` set).
    pub(crate) fn status_column(self) -> &'static str {
        match self {
            EventState::Cancelled => "cancelled",
            EventState::Draft | EventState::Published => "published",
        }
    }
}

/// An event's own columns as the editor loads them.
#[derive(sqlx::FromRow)]
pub(crate) struct EditorEventRow {
    pub(crate) id: i64,
    pub(crate) slug: String,
    pub(crate) status: String,
    pub(crate) draft: bool,
    pub(crate) starts_at: i64,
    pub(crate) ends_at: i64,
    pub(crate) registration_opens_at: i64,
    pub(crate) registration_closes_at: i64,
    pub(crate) map_url: Option<String>,
    pub(crate) price_eur_cents: Option<i64>,
    pub(crate) min_age: i64,
    pub(crate) max_age: i64,
    pub(crate) capacity: i64,
    pub(crate) organiser_ngo_id: i64,
    pub(crate) code_prefix: String,
    pub(crate) cover_image_id: Option<i64>,
    pub(crate) alt_bg: Option<String>,
    pub(crate) alt_en: Option<String>,
}

impl EditorEventRow {
    pub(crate) fn into_editable(
        self,
        texts: Vec<EventTextRecord>,
        tags: Vec<String>,
        organisers: Vec<i64>,
    ) -> Result<EditableEvent, StoreError> {
        let id = self.id;
        let what = |column: &'static str| move || format!("event {id}: {column}");
        Ok(EditableEvent {
            id: Some(id),
            slug: parse_slug(self.slug)?,
            texts,
            tags,
            state: EventState::of(self.draft, &self.status),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            registration_opens_at: self.registration_opens_at,
            registration_closes_at: self.registration_closes_at,
            map_url: self.map_url,
            price_eur_cents: self
                .price_eur_cents
                .map(|cents| rows::int(cents, what("price")))
                .transpose()?,
            min_age: rows::int(self.min_age, what("min_age"))?,
            max_age: rows::int(self.max_age, what("max_age"))?,
            capacity: rows::int(self.capacity, what("capacity"))?,
            organiser_ngo_id: self.organiser_ngo_id,
            code_prefix: self.code_prefix,
            organisers,
            cover: self.cover_image_id.map(|image_id| CoverRecord {
                image_id,
                alt_bg: self.alt_bg.unwrap_or_default(),
                alt_en: self.alt_en.unwrap_or_default(),
            }),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct EventTextRow {
    pub(crate) lang: String,
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) body_md: String,
    pub(crate) venue_name: String,
    pub(crate) venue_address: String,
}

impl EventTextRow {
    pub(crate) fn into_record(self, event_id: i64) -> Result<EventTextRecord, StoreError> {
        Ok(EventTextRecord {
            lang: rows::lang(&self.lang, || format!("event {event_id}"))?,
            title: self.title,
            summary: self.summary,
            body_md: self.body_md,
            venue_name: self.venue_name,
            venue_address: self.venue_address,
        })
    }
}

/// An event in the editor's list as stored: its light columns and both titles.
#[derive(sqlx::FromRow)]
pub(crate) struct EventListRow {
    pub(crate) id: i64,
    pub(crate) slug: String,
    pub(crate) status: String,
    pub(crate) draft: bool,
    pub(crate) starts_at: i64,
    pub(crate) capacity: i64,
    pub(crate) confirmed_children: i64,
    pub(crate) title_bg: Option<String>,
    pub(crate) title_en: Option<String>,
}

/// The page of `rows` (every event, latest start first) that `query` asks for, and how many
/// match. Filtered in Rust, where Cyrillic lower-casing is right whatever the engine.
pub(crate) fn admin_event_page(
    rows: Vec<EventListRow>,
    query: &AdminEventQuery,
) -> Result<(Vec<AdminEventListRecord>, u64), StoreError> {
    let words = search_words(&query.search);
    let matching: Vec<EventListRow> = rows
        .into_iter()
        .filter(|row| {
            query
                .state
                .is_none_or(|wanted| wanted == EventState::of(row.draft, &row.status))
        })
        .filter(|row| matches_words(&words, &row.slug, row.title_bg.as_deref(), row.title_en.as_deref()))
        .collect();
    let total = rows::count(rows::to_i64(matching.len()))?;
    let page = matching
        .into_iter()
        .skip(query.offset as usize)
        .take(query.limit as usize)
        .map(|row| {
            let id = row.id;
            let state = EventState::of(row.draft, &row.status);
            let (langs, title) = titles(query.lang, row.title_bg, row.title_en);
            Ok(AdminEventListRecord {
                id,
                slug: parse_slug(row.slug)?,
                title,
                state,
                starts_at: row.starts_at,
                capacity: rows::int(row.capacity, || format!("event {id}: capacity"))?,
                confirmed_children: rows::int(row.confirmed_children, || format!("event {id}: confirmed"))?,
                langs,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((page, total))
}

/// The organiser accounts a save adds. Organisers kept from before stay even when their
/// account was turned off since; only one added now must be an active organiser.
pub(crate) fn added_organisers<'a>(
    before: Option<&'a EditableEvent>,
    event: &'a EditableEvent,
) -> impl Iterator<Item = i64> + 'a {
    let kept = before.map(|before| before.organisers.as_slice()).unwrap_or_default();
    event
        .organisers
        .iter()
        .copied()
        .filter(move |account| !kept.contains(account))
}

/// What the database says about a save, read by each engine inside the save's transaction
/// (with the event's seats held still: SQLite's `BEGIN IMMEDIATE`, PostgreSQL's row lock).
pub(crate) struct SaveFacts {
    /// Another event has, or had, the slug.
    pub(crate) slug_taken: bool,
    pub(crate) ngo_exists: bool,
    /// Every organiser [`added_organisers`] names is an active organiser account.
    pub(crate) added_organisers_active: bool,
    /// The cover named exists (true when there is none).
    pub(crate) cover_exists: bool,
    /// Of the stored event (an update): its registrations in any state, and its confirmed children.
    pub(crate) stored: Option<StoredSeats>,
}

pub(crate) struct StoredSeats {
    pub(crate) registrations: i64,
    pub(crate) confirmed_children: i64,
}

/// Why the change from `before` to `event` may not be saved, if it may not.
pub(crate) fn refusal(
    before: Option<&EditableEvent>,
    event: &EditableEvent,
    facts: &SaveFacts,
    now: i64,
) -> Result<Option<EventSaveRefusal>, StoreError> {
    if facts.slug_taken {
        return Ok(Some(EventSaveRefusal::SlugTaken));
    }
    if !facts.ngo_exists {
        return Ok(Some(EventSaveRefusal::UnknownNgo));
    }
    if !facts.added_organisers_active {
        return Ok(Some(EventSaveRefusal::UnknownOrganiser));
    }
    if !facts.cover_exists {
        return Ok(Some(EventSaveRefusal::UnknownImage));
    }
    let (Some(before), Some(stored)) = (before, &facts.stored) else {
        return Ok(None);
    };
    if before.state == EventState::Cancelled && event.state != EventState::Cancelled {
        return Ok(Some(EventSaveRefusal::Cancelled));
    }
    let registered = stored.registrations > 0;
    if event.state == EventState::Draft && before.state != EventState::Draft && registered {
        return Ok(Some(EventSaveRefusal::HasRegistrations));
    }
    // A slip of the year would end the event in the past, and the retention purge would then
    // erase its parents' registrations before it takes place.
    if registered && event.ends_at != before.ends_at && event.ends_at < now {
        return Ok(Some(EventSaveRefusal::EndsInPast));
    }
    if i64::from(event.capacity) < stored.confirmed_children {
        return Ok(Some(EventSaveRefusal::CapacityBelowConfirmed {
            confirmed: rows::int(stored.confirmed_children, || {
                format!("event {}: confirmed", before.id.unwrap_or_default())
            })?,
        }));
    }
    Ok(None)
}

/// What a save does to the event's registrations once the event is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SaveEffect {
    /// Just cancelled: every registered parent is told, once.
    TellCancelled,
    /// Published: seats added go to the waitlist, in order.
    PromoteWaitlist,
    Nothing,
}

pub(crate) fn save_effect(before: Option<&EditableEvent>, event: &EditableEvent) -> SaveEffect {
    let was_cancelled = before.is_some_and(|before| before.state == EventState::Cancelled);
    match event.state {
        EventState::Cancelled if !was_cancelled => SaveEffect::TellCancelled,
        EventState::Published => SaveEffect::PromoteWaitlist,
        EventState::Cancelled | EventState::Draft => SaveEffect::Nothing,
    }
}

/// The audit log's name of a save.
pub(crate) fn audit_action(before: Option<&EditableEvent>, event: &EditableEvent) -> &'static str {
    match (before, save_effect(before, event)) {
        (None, _) => "event.create",
        (Some(_), SaveEffect::TellCancelled) => "event.cancel",
        (Some(_), _) => "event.update",
    }
}
