//! SQLite: readiness.
use super::{HealthStore, OperationalCounts, SqliteStore, StoreError};
use async_trait::async_trait;
use std::collections::HashSet;

#[async_trait]
impl HealthStore for SqliteStore {
    async fn pending_migrations(&self) -> Result<usize, StoreError> {
        let applied: HashSet<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success = 1")
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .collect();
        Ok(super::sqlite::MIGRATOR
            .iter()
            .filter(|migration| !migration.migration_type.is_down_migration())
            .filter(|migration| !applied.contains(&migration.version))
            .count())
    }

    async fn operational_counts(&self) -> Result<OperationalCounts, StoreError> {
        let count = |n: i64| u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("a count of {n}")));
        let (confirmed, waitlisted, cancelled): (i64, i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(status = 'confirmed'), 0), COALESCE(SUM(status = 'waitlisted'), 0), \
             COALESCE(SUM(status = 'cancelled'), 0) FROM registrations",
        )
        .fetch_one(&self.pool)
        .await?;
        // The outbox worker's own conditions (`unsent_mail`): fewer than 5 attempts, a recipient.
        let (pending, failed): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(attempts < 5 AND recipient <> ''), 0), COALESCE(SUM(attempts >= 5 AND recipient <> ''), 0) \
             FROM outbox WHERE sent_at IS NULL",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(OperationalCounts {
            confirmed: count(confirmed)?,
            waitlisted: count(waitlisted)?,
            cancelled: count(cancelled)?,
            outbox_pending: count(pending)?,
            outbox_failed: count(failed)?,
        })
    }
}
