//! PostgreSQL: readiness.
use super::PgStore;
use crate::server::store::health::{OutboxCountsRow, RegistrationCountsRow, pending_migrations};
use crate::server::store::outbox::GIVE_UP_AFTER;
use crate::server::store::{HealthStore, OperationalCounts, StoreError};
use async_trait::async_trait;
use std::collections::HashSet;

#[async_trait]
impl HealthStore for PgStore {
    async fn pending_migrations(&self) -> Result<usize, StoreError> {
        let applied: HashSet<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .collect();
        Ok(pending_migrations(&super::MIGRATOR, &applied))
    }

    async fn operational_counts(&self) -> Result<OperationalCounts, StoreError> {
        let registrations: RegistrationCountsRow = sqlx::query_as(
            "SELECT COUNT(*) FILTER (WHERE status = 'confirmed') AS confirmed, \
                    COUNT(*) FILTER (WHERE status = 'waitlisted') AS waitlisted, \
                    COUNT(*) FILTER (WHERE status = 'cancelled') AS cancelled \
             FROM registrations",
        )
        .fetch_one(&self.pool)
        .await?;
        // The outbox worker's own conditions (`claim_mail`): fewer than 5 attempts, a recipient.
        let outbox: OutboxCountsRow = sqlx::query_as(
            "SELECT COUNT(*) FILTER (WHERE attempts < $1 AND recipient <> '') AS pending, \
                    COUNT(*) FILTER (WHERE attempts >= $1 AND recipient <> '') AS failed \
             FROM outbox WHERE sent_at IS NULL",
        )
        .bind(GIVE_UP_AFTER)
        .fetch_one(&self.pool)
        .await?;
        OperationalCounts::from_rows(registrations, outbox)
    }
}
