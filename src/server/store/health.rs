//! What a load balancer asks of the store before sending it traffic (can the database be
//! reached, is its schema the one this build expects), and the counts `/metrics` reports.
use super::{StoreError, rows};
use async_trait::async_trait;
use std::collections::HashSet;

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

/// How many of `migrator`'s migrations are not among the `applied` versions (those recorded
/// as successful).
pub(crate) fn pending_migrations(migrator: &sqlx::migrate::Migrator, applied: &HashSet<i64>) -> usize {
    migrator
        .iter()
        .filter(|migration| !migration.migration_type.is_down_migration())
        .filter(|migration| !applied.contains(&migration.version))
        .count()
}

/// What a checked backup (a SQLite copy, a PostgreSQL archive) holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedCopy {
    /// Its schema's migrations, all known to this build.
    pub migrations: usize,
    /// The migrations of this build it lacks (applied when the server next starts).
    pub behind: usize,
}

impl CheckedCopy {
    /// A backup whose `applied` migration versions are this build's `migrator`'s or older
    /// (never a newer build's, which this one could not read); `what` names it in the error.
    pub(crate) fn against(
        migrator: &sqlx::migrate::Migrator,
        applied: &HashSet<i64>,
        what: &str,
    ) -> Result<CheckedCopy, StoreError> {
        let known = |version: &i64| {
            migrator
                .iter()
                .any(|migration| !migration.migration_type.is_down_migration() && migration.version == *version)
        };
        if let Some(unknown) = applied.iter().find(|version| !known(version)) {
            return Err(StoreError::Corrupt(format!(
                "the {what} was made by a newer version of the portal (migration {unknown})"
            )));
        }
        Ok(CheckedCopy {
            migrations: applied.len(),
            behind: pending_migrations(migrator, applied),
        })
    }
}

/// Registrations by status.
#[derive(sqlx::FromRow)]
pub(crate) struct RegistrationCountsRow {
    confirmed: i64,
    waitlisted: i64,
    cancelled: i64,
}

/// Unsent mail: still tried (`pending`) or given up (`failed`).
#[derive(sqlx::FromRow)]
pub(crate) struct OutboxCountsRow {
    pending: i64,
    failed: i64,
}

impl OperationalCounts {
    pub(crate) fn from_rows(
        registrations: RegistrationCountsRow,
        outbox: OutboxCountsRow,
    ) -> Result<OperationalCounts, StoreError> {
        Ok(OperationalCounts {
            confirmed: rows::count(registrations.confirmed)?,
            waitlisted: rows::count(registrations.waitlisted)?,
            cancelled: rows::count(registrations.cancelled)?,
            outbox_pending: rows::count(outbox.pending)?,
            outbox_failed: rows::count(outbox.failed)?,
        })
    }
}
