//! The audit log as the store keeps it: entries are written in the same transaction as the
//! change they record, so there is no change without its entry.
use super::StoreError;
use async_trait::async_trait;

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account_id: Option<i64>,
    /// As shown in the log: an account's name and address, or what acted (`command line`).
    pub label: String,
}

impl Actor {
    pub fn account(account: &super::AccountRecord) -> Actor {
        Actor {
            account_id: Some(account.id),
            label: format!("{} <{}>", account.display_name, account.email),
        }
    }

    pub fn system(label: &str) -> Actor {
        Actor {
            account_id: None,
            label: label.to_owned(),
        }
    }
}

/// One change to record.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub at: i64,
    pub actor: Actor,
    /// What was done, e.g. `account.create`, `registration.check_in`.
    pub action: &'static str,
    /// What it was done to: `account`, `registration`, `post`, `event`.
    pub entity: &'static str,
    /// Its address, slug or code.
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// An entry as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Entries newest first.
    async fn audit_log(&self, limit: u32, offset: u32) -> Result<Vec<AuditRecord>, StoreError>;
    async fn count_audit_log(&self) -> Result<u64, StoreError>;
}

/// An entry as both engines read it.
#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    at: i64,
    actor: String,
    action: String,
    entity: String,
    entity_id: String,
    before_json: Option<String>,
    after_json: Option<String>,
}

impl From<AuditRow> for AuditRecord {
    fn from(row: AuditRow) -> AuditRecord {
        AuditRecord {
            at: row.at,
            actor: row.actor,
            action: row.action,
            entity: row.entity,
            entity_id: row.entity_id,
            before: row.before_json,
            after: row.after_json,
        }
    }
}
