//! What the event pages show, as sent from the server functions to the browser.
use crate::cards::{EventCard, PostCard};
use crate::domain::{Lang, LocalDateTime, Tag};
use serde::{Deserialize, Serialize};

/// Everything the event page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventPageData {
    pub card: EventCard,
    pub body_html: String,
    pub venue_address: String,
    pub map_url: Option<String>,
    pub organiser: String,
    pub registration_closes: LocalDateTime,
    pub tags: Vec<Tag>,
    pub related_posts: Vec<PostCard>,
    /// The language of the texts (the other one when the event is not translated).
    pub text_lang: Lang,
    /// The languages the event is written in, for `hreflang`.
    pub languages: Vec<Lang>,
}

/// Upcoming or past events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventsWhen {
    Upcoming,
    Past,
}

/// A child as the parent entered it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildInput {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub age: String,
}

/// The registration form as submitted (all text, parsed on the server).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationForm {
    #[serde(default)]
    pub lang: crate::domain::Lang,
    #[serde(default)]
    pub event: String,
    /// Random per form render; a resubmission of the same form is the same registration.
    #[serde(default)]
    pub idempotency_key: String,
    #[serde(default)]
    pub parent_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub children: Vec<ChildInput>,
    #[serde(default)]
    pub note: String,
    /// The GDPR consent checkbox: present when ticked.
    #[serde(default)]
    pub consent: Option<String>,
    /// Honeypot: people never see it, bots fill it in.
    #[serde(default)]
    pub website: String,
}

/// A form posted without JavaScript that was not accepted: shown again, in the response to the
/// post, with what was typed (its key left out) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedForm {
    pub error: crate::error::AppError,
    pub form: RegistrationForm,
}

/// A registration's state as the parent sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistrationStatus {
    Confirmed,
    Waitlisted { position: u32 },
    Cancelled,
}

/// The private view of a registration (manage page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationView {
    pub code: String,
    pub status: RegistrationStatus,
    pub parent_name: String,
    pub children: Vec<(String, u8)>,
    pub event: EventCard,
    /// Whether this portal delivers mail (else the mails wait in the outbox).
    pub mail_delivered: bool,
}
