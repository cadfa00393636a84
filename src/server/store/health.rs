//! What a load balancer asks of the store before sending it traffic: can the database be
//! reached, and is its schema the one this build expects.
use super::StoreError;
use async_trait::async_trait;

#[async_trait]
pub trait HealthStore: Send + Sync {
    /// How many of this build's migrations the database has not applied. Answering at all
    /// proves the database reachable.
    async fn pending_migrations(&self) -> Result<usize, StoreError>;
}
