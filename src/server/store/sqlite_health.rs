//! SQLite: readiness.
use super::health::{OutboxCountsRow, RegistrationCountsRow, pending_migrations};
use super::outbox::GIVE_UP_AFTER;
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
        Ok(pending_migrations(&super::sqlite::MIGRATOR, &applied))
    }

    async fn operational_counts(&self) -> Result<OperationalCounts, StoreError> {
        let registrations: RegistrationCountsRow = sqlx::query_as(
            "SELECT COALESCE(SUM(status = 'confirmed'), 0) AS confirmed, \
                    COALESCE(SUM(status = 'waitlisted'), 0) AS waitlisted, \
                    COALESCE(SUM(status = 'cancelled'), 0) AS cancelled \
             FROM registrations",
        )
        .fetch_one(&self.pool)
        .await?;
        // The outbox worker's own conditions (`claim_mail`): fewer than 5 attempts, a recipient.
        let outbox: OutboxCountsRow = sqlx::query_as(
            "SELECT COALESCE(SUM(attempts < ?1 AND recipient <> ''), 0) AS pending, \
                    COALESCE(SUM(attempts >= ?1 AND recipient <> ''), 0) AS failed \
             FROM outbox WHERE sent_at IS NULL",
        )
        .bind(GIVE_UP_AFTER)
        .fetch_one(&self.pool)
        .await?;
        OperationalCounts::from_rows(registrations, outbox)
    }
}
