//! The outbox as staff see it: recent mail and what became of it, and a resend for mail the
//! mail server would not take.
use super::{Actor, AuditEntry, StoreError, rows};
use async_trait::async_trait;

/// Attempts after which the delivery worker gives a mail up.
pub(crate) const GIVE_UP_AFTER: i64 = 5;

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

/// An outbox mail with its registration's code and its event's Bulgarian title.
#[derive(sqlx::FromRow)]
pub(crate) struct OutboxRow {
    id: i64,
    kind: String,
    code: String,
    title: String,
    recipient: String,
    created_at: i64,
    sent_at: Option<i64>,
    attempts: i64,
}

impl TryFrom<OutboxRow> for OutboxEntry {
    type Error = StoreError;

    fn try_from(row: OutboxRow) -> Result<Self, StoreError> {
        Ok(OutboxEntry {
            state: match (row.sent_at, row.recipient.is_empty(), row.attempts >= GIVE_UP_AFTER) {
                (Some(_), _, _) => MailState::Sent,
                (None, true, _) => MailState::Cleared,
                (None, false, true) => MailState::Failed,
                (None, false, false) => MailState::Pending,
            },
            id: row.id,
            kind: row.kind,
            registration_code: row.code,
            event_title: row.title,
            recipient: row.recipient,
            created_at: row.created_at,
            attempts: rows::int(row.attempts, || format!("outbox {}: attempts", row.id))?,
        })
    }
}

/// The audit log's record of the failed mail `id` of the registration `code` put back in
/// the queue.
pub(crate) fn resend_entry(id: i64, code: String, now: i64, actor: &Actor) -> AuditEntry {
    AuditEntry {
        at: now,
        actor: actor.clone(),
        action: "mail.resend",
        entity: "registration",
        entity_id: code,
        before: Some(serde_json::json!({ "mail": id, "state": "failed" })),
        after: Some(serde_json::json!({ "mail": id, "state": "pending" })),
    }
}

#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// The most recent mail, newest first.
    async fn recent_mail(&self, limit: u32) -> Result<Vec<OutboxEntry>, StoreError>;
    /// Puts a failed mail back in the queue (recorded under `actor`); false when the mail is
    /// not a failed one (sent, still pending, cleared or unknown).
    async fn resend_mail(&self, id: i64, now: i64, actor: &Actor) -> Result<bool, StoreError>;
}
