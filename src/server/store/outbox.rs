//! The outbox as staff see it: recent mail and what became of it, and a resend for mail the
//! mail server would not take.
use super::{Actor, StoreError};
use async_trait::async_trait;

/// What became of a mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailState {
    Sent,
    /// Waiting for (another) delivery attempt.
    Pending,
    /// Given up after repeated failures; can be resent until its text is cleared.
    Failed,
    /// Never delivered, and its recipient and text are cleared (retention).
    Cleared,
}

/// A mail in the outbox, as listed: who it went to is shown masked by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub id: i64,
    /// `confirmed`, `waitlisted`, `promoted`, `cancelled`, `link_again`.
    pub kind: String,
    pub registration_code: String,
    pub event_title: String,
    pub recipient: String,
    pub created_at: i64,
    pub attempts: u32,
    pub state: MailState,
}

#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// The most recent mail, newest first.
    async fn recent_mail(&self, limit: u32) -> Result<Vec<OutboxEntry>, StoreError>;
    /// Puts a failed mail back in the queue (recorded under `actor`); false when the mail is
    /// not a failed one (sent, still pending, cleared or unknown).
    async fn resend_mail(&self, id: i64, now: i64, actor: &Actor) -> Result<bool, StoreError>;
}
