//! Accounts, sessions and the sign-in throttle as the store keeps them (backend-independent).
use super::{Actor, AuditEntry, StoreError, rows};
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

/// The columns of [`AccountRow`] from `accounts a` (plain SQL in both engines).
pub(crate) const ACCOUNT_COLUMNS: &str = "a.id, a.email, a.display_name, a.role, a.password_hash";

#[derive(sqlx::FromRow)]
pub(crate) struct AccountRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    password_hash: String,
}

impl TryFrom<AccountRow> for AccountRecord {
    type Error = StoreError;

    fn try_from(row: AccountRow) -> Result<Self, StoreError> {
        Ok(AccountRecord {
            id: row.id,
            role: row
                .role
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("account {} has an unknown role", row.id)))?,
            email: row.email,
            display_name: row.display_name,
            password_hash: row.password_hash,
        })
    }
}

/// An account as the accounts page lists it, `events` counted from `event_organisers`.
#[derive(sqlx::FromRow)]
pub(crate) struct AccountSummaryRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    disabled_at: Option<i64>,
    created_at: i64,
    events: i64,
}

impl TryFrom<AccountSummaryRow> for AccountSummary {
    type Error = StoreError;

    fn try_from(row: AccountSummaryRow) -> Result<Self, StoreError> {
        let id = row.id;
        Ok(AccountSummary {
            id,
            role: row
                .role
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("account {id}: role")))?,
            disabled: row.disabled_at.is_some(),
            created_at: row.created_at,
            events: rows::int(row.events, || format!("account {id}: events"))?,
            email: row.email,
            display_name: row.display_name,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AdminEventRow {
    id: i64,
    slug: String,
    title: String,
    starts_at: i64,
    capacity: i64,
    confirmed_children: i64,
    waitlisted_children: i64,
    status: String,
}

impl TryFrom<AdminEventRow> for AdminEventRecord {
    type Error = StoreError;

    fn try_from(row: AdminEventRow) -> Result<Self, StoreError> {
        let what = |column: &str| format!("event {}: {column}", row.id);
        Ok(AdminEventRecord {
            id: row.id,
            capacity: rows::int(row.capacity, || what("capacity"))?,
            confirmed_children: rows::int(row.confirmed_children, || what("confirmed_children"))?,
            waitlisted_children: rows::int(row.waitlisted_children, || what("waitlisted_children"))?,
            cancelled: row.status == "cancelled",
            slug: row.slug,
            title: row.title,
            starts_at: row.starts_at,
        })
    }
}

impl NewAccount {
    /// The audit log's record of the account's creation (never its password hash).
    pub(crate) fn created_entry(&self, now: i64, actor: &Actor) -> AuditEntry {
        AuditEntry {
            at: now,
            actor: actor.clone(),
            action: "account.create",
            entity: "account",
            entity_id: self.email.clone(),
            before: None,
            after: Some(serde_json::json!({
                "display_name": self.display_name,
                "role": self.role.as_str(),
            })),
        }
    }
}

impl AccountChange {
    /// Whether the change takes an account stored with `role` and `disabled_at` out of the
    /// active admins: refused when it is the last one.
    pub(crate) fn removes_admin(&self, role: &str, disabled_at: Option<i64>) -> bool {
        let active_admin = role == Role::Admin.as_str() && disabled_at.is_none();
        let stops_being_admin = match self {
            AccountChange::Role(new) => *new != Role::Admin,
            AccountChange::Disabled(off) => *off,
            AccountChange::PasswordHash(_) => false,
        };
        active_admin && stops_being_admin
    }

    /// Whether the account's sessions end with the change (turned off, or a new password).
    pub(crate) fn ends_sessions(&self) -> bool {
        match self {
            AccountChange::Role(_) => false,
            AccountChange::Disabled(off) => *off,
            AccountChange::PasswordHash(_) => true,
        }
    }

    /// The `disabled_at` the change stores for an account that had `disabled_at`: an account
    /// turned off again keeps the instant it first went off.
    pub(crate) fn disabled_at(off: bool, disabled_at: Option<i64>, now: i64) -> Option<i64> {
        off.then_some(disabled_at.unwrap_or(now))
    }

    /// The audit log's record of the change to the account `email` as it stood (`role`,
    /// `disabled_at`): a password as "changed", never its hash.
    pub(crate) fn audit_entry(
        &self,
        email: String,
        role: &str,
        disabled_at: Option<i64>,
        now: i64,
        actor: &Actor,
    ) -> AuditEntry {
        let (action, before, after) = match self {
            AccountChange::Role(new) => (
                "account.role",
                serde_json::json!({ "role": role }),
                serde_json::json!({ "role": new.as_str() }),
            ),
            AccountChange::Disabled(off) => (
                if *off { "account.disable" } else { "account.enable" },
                serde_json::json!({ "disabled": disabled_at.is_some() }),
                serde_json::json!({ "disabled": off }),
            ),
            AccountChange::PasswordHash(_) => (
                "account.password",
                serde_json::json!({ "password": "old" }),
                serde_json::json!({ "password": "changed" }),
            ),
        };
        AuditEntry {
            at: now,
            actor: actor.clone(),
            action,
            entity: "account",
            entity_id: email,
            before: Some(before),
            after: Some(after),
        }
    }
}

/// The audit log's record of `set_account_disabled` turning the account `email` off
/// (`Some`) or on again (`None`).
pub(crate) fn disabled_entry(email: &str, disabled_at: Option<i64>, actor: &Actor) -> AuditEntry {
    AuditEntry {
        at: disabled_at.unwrap_or_else(crate::server::time::now),
        actor: actor.clone(),
        action: if disabled_at.is_some() {
            "account.disable"
        } else {
            "account.enable"
        },
        entity: "account",
        entity_id: email.to_owned(),
        before: Some(serde_json::json!({ "disabled": disabled_at.is_none() })),
        after: Some(serde_json::json!({ "disabled": disabled_at.is_some() })),
    }
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
