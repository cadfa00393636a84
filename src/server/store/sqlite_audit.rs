//! SQLite: the audit log.
use super::audit::AuditRow;
use super::{AuditEntry, AuditRecord, AuditStore, SqliteStore, StoreError};
use async_trait::async_trait;

/// Writes `entry` inside the caller's transaction.
pub(super) async fn write(conn: &mut sqlx::SqliteConnection, entry: &AuditEntry) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_account_id, actor, action, entity, entity_id, before_json, after_json) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(entry.at)
    .bind(entry.actor.account_id)
    .bind(&entry.actor.label)
    .bind(entry.action)
    .bind(entry.entity)
    .bind(&entry.entity_id)
    .bind(entry.before.as_ref().map(serde_json::Value::to_string))
    .bind(entry.after.as_ref().map(serde_json::Value::to_string))
    .execute(conn)
    .await?;
    Ok(())
}

#[async_trait]
impl AuditStore for SqliteStore {
    async fn audit_log(&self, limit: u32, offset: u32) -> Result<Vec<AuditRecord>, StoreError> {
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT at, actor, action, entity, entity_id, before_json, after_json FROM audit_log \
             ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
        )
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(AuditRecord::from).collect())
    }

    async fn count_audit_log(&self) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&self.pool)
            .await?;
        super::rows::count(count)
    }
}
