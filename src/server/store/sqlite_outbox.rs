//! SQLite: the outbox as staff see it.
use super::rows;
use super::{Actor, AuditEntry, MailState, OutboxEntry, OutboxStore, SqliteStore, StoreError};
use async_trait::async_trait;
use sqlx::FromRow;

/// Attempts after which the delivery worker gives a mail up.
const GIVE_UP_AFTER: i64 = 5;

#[derive(FromRow)]
struct OutboxRow {
    id: i64,
    kind: String,
    code: String,
    title: String,
    recipient: String,
    created_at: i64,
    sent_at: Option<i64>,
    attempts: i64,
}

#[async_trait]
impl OutboxStore for SqliteStore {
    async fn recent_mail(&self, limit: u32) -> Result<Vec<OutboxEntry>, StoreError> {
        let rows: Vec<OutboxRow> = sqlx::query_as(
            "SELECT o.id, o.kind, r.code, COALESCE(t.title, '') AS title, o.recipient, o.created_at, o.sent_at, \
               o.attempts \
             FROM outbox o JOIN registrations r ON r.id = o.registration_id \
             LEFT JOIN event_translations t ON t.event_id = r.event_id AND t.lang = 'bg' \
             ORDER BY o.id DESC LIMIT ?",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
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
            })
            .collect()
    }

    async fn resend_mail(&self, id: i64, now: i64, actor: &Actor) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let code: Option<String> = sqlx::query_scalar(
            "SELECT r.code FROM outbox o JOIN registrations r ON r.id = o.registration_id \
             WHERE o.id = ?1 AND o.sent_at IS NULL AND o.recipient <> '' AND o.attempts >= ?2",
        )
        .bind(id)
        .bind(GIVE_UP_AFTER)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(code) = code else { return Ok(false) };
        sqlx::query("UPDATE outbox SET attempts = 0 WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let entry = AuditEntry {
            at: now,
            actor: actor.clone(),
            action: "mail.resend",
            entity: "registration",
            entity_id: code,
            before: Some(serde_json::json!({ "mail": id, "state": "failed" })),
            after: Some(serde_json::json!({ "mail": id, "state": "pending" })),
        };
        super::sqlite_audit::write(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(true)
    }
}
