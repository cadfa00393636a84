//! What a load balancer asks of the store before sending it traffic (can the database be
//! reached, is its schema the one this build expects), and the counts `/metrics` reports.
use super::StoreError;
use async_trait::async_trait;

#[async_trait]
pub trait HealthStore: Send + Sync {
    /// How many of this build's migrations the database has not applied. Answering at all
    /// proves the database reachable.
    async fn pending_migrations(&self) -> Result<usize, StoreError>;
    /// Registrations stored, by status, and mail waiting to be sent: the database's, so
    /// that every instance reports the same.
    async fn operational_counts(&self) -> Result<OperationalCounts, StoreError>;
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperationalCounts {
    pub confirmed: u64,
    pub waitlisted: u64,
    pub cancelled: u64,
    /// Mail not yet sent that the outbox will still try.
    pub outbox_pending: u64,
    /// Mail given up after repeated failures (resendable from the admin page).
    pub outbox_failed: u64,
}
