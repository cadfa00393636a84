//! SQLite: the outbox as staff see it.
use super::outbox::{GIVE_UP_AFTER, OutboxRow, resend_entry};
use super::{Actor, OutboxEntry, OutboxStore, SqliteStore, StoreError};
use async_trait::async_trait;

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
        rows.into_iter().map(OutboxEntry::try_from).collect()
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
        super::sqlite_audit::write(&mut tx, &resend_entry(id, code, now, actor)).await?;
        tx.commit().await?;
        Ok(true)
    }
}
