//! What the event editor loads and sends: an event in both languages, its dates as Sofia
//! wall-clock times, seats, price, organisers and cover.
use crate::admin::posts::model::{CoverDraft, PostText};
use crate::domain::{Lang, LocalDateTime};
use serde::{Deserialize, Serialize};

/// One language of an event as typed: the text, and where it happens.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventText {
    pub text: PostText,
    pub venue_name: String,
    pub venue_address: String,
}

impl EventText {
    /// Nothing typed: the event is not written in this language.
    #[cfg(feature = "ssr")]
    pub fn is_blank(&self) -> bool {
        self.text.is_blank() && self.venue_name.trim().is_empty() && self.venue_address.trim().is_empty()
    }
}

/// Where an event stands, as the editor chooses it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    /// Seen only here; takes no registrations.
    #[default]
    Draft,
    Published,
    /// Every registered parent is told by mail; final.
    Cancelled,
}

impl EventStatus {
    pub const ALL: [EventStatus; 3] = [EventStatus::Draft, EventStatus::Published, EventStatus::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Draft => "draft",
            EventStatus::Published => "published",
            EventStatus::Cancelled => "cancelled",
        }
    }

    #[cfg(feature = "ssr")]
    pub fn parse(raw: &str) -> Option<EventStatus> {
        EventStatus::ALL.into_iter().find(|status| status.as_str() == raw)
    }
}

/// An event as the editor's form holds it: numbers and times as typed, checked on the server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventDraft {
    /// `None` until first saved.
    pub id: Option<i64>,
    pub slug: String,
    pub bg: EventText,
    pub en: EventText,
    /// Tag names, separated by commas; new names make new tags.
    pub tags: String,
    pub status: EventStatus,
    /// Sofia wall-clock times, `YYYY-MM-DDTHH:MM` (as `<input type="datetime-local">` writes them).
    pub starts_at: String,
    pub ends_at: String,
    /// Empty: registration opens when the event is saved.
    pub registration_opens_at: String,
    /// Empty: registration closes when the event starts.
    pub registration_closes_at: String,
    /// `https:` only; empty for none.
    pub map_url: String,
    pub min_age: String,
    pub max_age: String,
    /// In children.
    pub capacity: String,
    pub free: bool,
    /// In euro, `12,50` or `12.50`; read when not free.
    pub price: String,
    pub organiser_ngo: i64,
    /// One to four Latin capitals or digits starting every registration code (`LP-7K3Q`).
    pub code_prefix: String,
    /// The organiser accounts that see the registrations.
    pub organisers: Vec<i64>,
    pub cover: Option<CoverDraft>,
}

impl EventDraft {
    #[cfg(feature = "ssr")]
    pub fn text(&self, lang: Lang) -> &EventText {
        match lang {
            Lang::Bg => &self.bg,
            Lang::En => &self.en,
        }
    }
}

/// An NGO or an organiser account to choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

/// Everything the event editor needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventEditorData {
    pub draft: EventDraft,
    /// The organising NGO chosen so far (others are found by searching the directory).
    pub ngo: Option<Choice>,
    pub organisers: Vec<Choice>,
    /// Existing tags' names, suggested as the editor types.
    pub tags: Vec<String>,
    pub cover_src: Option<String>,
    /// Whether the event is on the public site now.
    pub public: bool,
    pub confirmed_children: u32,
}

/// The answer to a save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedEvent {
    pub id: i64,
    pub slug: String,
    pub public: bool,
    /// Registrations confirmed from the waitlist because seats were added.
    pub promoted: u32,
    /// Parents told by mail that the event is cancelled.
    pub told_cancelled: u32,
}

/// An event in the editor's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminEventRow {
    pub slug: String,
    pub title: String,
    pub status: EventStatus,
    pub starts: LocalDateTime,
    pub capacity: u32,
    pub confirmed_children: u32,
    pub langs: Vec<Lang>,
}

/// One page of the editor's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminEventList {
    pub events: Vec<AdminEventRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}
