//! SQLite: readiness.
use super::{HealthStore, SqliteStore, StoreError};
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
}
