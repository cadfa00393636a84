//! Accounts, sessions and the sign-in throttle as the store keeps them (backend-independent).
use super::StoreError;
use crate::admin::model::Role;
use crate::domain::Lang;
use async_trait::async_trait;

/// An account as stored, with its password hash (never leaves the server).
#[derive(Clone, PartialEq, Eq)]
pub struct AccountRecord {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
}

impl std::fmt::Debug for AccountRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Neither the address nor the hash belongs in a log line.
        f.debug_struct("AccountRecord")
            .field("id", &self.id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct NewAccount {
    /// Lower-cased e-mail address.
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
}

/// An account as the accounts page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    /// Unix seconds.
    pub created_at: i64,
    /// Events the account is an organiser of.
    pub events: u32,
}

/// A change an admin makes to an account.
#[derive(Clone, PartialEq, Eq)]
pub enum AccountChange {
    Role(Role),
    /// Off (its sessions end) or on again.
    Disabled(bool),
    /// A new password's hash; the account's sessions end.
    PasswordHash(String),
}

/// Why an account was not changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountRefusal {
    NotFound,
    /// The portal would have no active admin left.
    LastAdmin,
}

/// A new session: only the hash of its token is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewSession<'a> {
    pub token_hash: &'a [u8],
    pub account_id: i64,
    pub now: i64,
    /// Unix seconds: the absolute end.
    pub expires_at: i64,
}

/// When failed sign-ins lock an address, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// This many failures within `window` seconds lock the address…
    pub max_failures: u32,
    pub window: i64,
    /// …for this many seconds.
    pub lock_for: i64,
}

/// A sign-in attempt counted against a throttle key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptCount {
    /// Attempts within the current window, this one included.
    pub attempts: u32,
    /// The lock this count caused or is under, if any.
    pub locked_until: Option<i64>,
}

/// An event as the admin list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminEventRecord {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub starts_at: i64,
    pub capacity: u32,
    pub confirmed_children: u32,
    pub waitlisted_children: u32,
    pub cancelled: bool,
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Fails with `StoreError::Duplicate` when the e-mail address has an account.
    async fn create_account(&self, account: &NewAccount, now: i64, actor: &super::Actor) -> Result<i64, StoreError>;
    /// The enabled account of a lower-cased e-mail address.
    async fn account_by_email(&self, email: &str) -> Result<Option<AccountRecord>, StoreError>;
    async fn create_session(&self, session: NewSession<'_>) -> Result<(), StoreError>;
    /// The account of a live session (not past `expires_at`, seen within `idle` seconds),
    /// marking it seen now. An expired session is deleted.
    async fn session_account(
        &self,
        token_hash: &[u8],
        now: i64,
        idle: i64,
    ) -> Result<Option<AccountRecord>, StoreError>;
    async fn delete_session(&self, token_hash: &[u8]) -> Result<(), StoreError>;
    /// Signs an account out everywhere; returns how many sessions ended.
    async fn delete_sessions_of(&self, account_id: i64) -> Result<u64, StoreError>;
    /// Until when (Unix seconds) sign-ins under this throttle key are refused, if they are.
    async fn sign_in_locked_until(&self, key: &str, now: i64) -> Result<Option<i64>, StoreError>;
    /// Counts a sign-in attempt under `key` before its password is checked (so attempts made
    /// at the same moment all count); reaching `policy.max_failures` locks the key.
    async fn count_sign_in_attempt(
        &self,
        key: &str,
        now: i64,
        policy: ThrottlePolicy,
    ) -> Result<AttemptCount, StoreError>;
    /// Forgets the attempts under `key` (after a successful sign-in).
    async fn clear_sign_in_failures(&self, key: &str) -> Result<(), StoreError>;
    /// Forgets sessions ended by age or idleness and attempts older than `failures_before`.
    async fn purge_sign_in_data(&self, now: i64, idle: i64, failures_before: i64) -> Result<(), StoreError>;
    /// Turns an account off (`Some(now)`) or on again (`None`); its sessions end when off.
    async fn set_account_disabled(
        &self,
        email: &str,
        disabled_at: Option<i64>,
        actor: &super::Actor,
    ) -> Result<(), StoreError>;
    /// Every account by name (an order a change of role or state does not move).
    async fn accounts(&self) -> Result<Vec<AccountSummary>, StoreError>;
    /// Changes the account `id` as `actor`, recorded in the audit log (a password as "changed",
    /// never its hash). Refused when no active admin would be left.
    async fn change_account(
        &self,
        id: i64,
        change: &AccountChange,
        actor: &super::Actor,
    ) -> Result<Result<(), AccountRefusal>, StoreError>;
    /// Lets an organiser see the registrations of an event.
    async fn assign_organiser(&self, event_id: i64, account_id: i64) -> Result<(), StoreError>;
    /// Whether the account organises the event.
    async fn organises(&self, account_id: i64, event_id: i64) -> Result<bool, StoreError>;
    /// Events newest first, all of them or (`organiser`) those assigned to one account.
    async fn admin_events(&self, lang: Lang, organiser: Option<i64>) -> Result<Vec<AdminEventRecord>, StoreError>;
}
