//! PostgreSQL: the audit log.
use super::PgStore;
use crate::server::store::audit::AuditRow;
use crate::server::store::{AuditEntry, AuditRecord, AuditStore, StoreError, rows};
use async_trait::async_trait;
use sqlx::{Postgres, Transaction};

/// Writes `entry` inside the caller's transaction.
pub(super) async fn write(tx: &mut Transaction<'_, Postgres>, entry: &AuditEntry) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_account_id, actor, action, entity, entity_id, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(entry.at)
    .bind(entry.actor.account_id)
    .bind(&entry.actor.label)
    .bind(entry.action)
    .bind(entry.entity)
    .bind(&entry.entity_id)
    .bind(entry.before.as_ref().map(serde_json::Value::to_string))
    .bind(entry.after.as_ref().map(serde_json::Value::to_string))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[async_trait]
impl AuditStore for PgStore {
    async fn audit_log(&self, limit: u32, offset: u32) -> Result<Vec<AuditRecord>, StoreError> {
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT at, actor, action, entity, entity_id, before_json, after_json FROM audit_log \
             ORDER BY at DESC, id DESC LIMIT $1 OFFSET $2",
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
        rows::count(count)
    }
}
