//! Registrations at the door, as the store keeps them: the list an organiser works from, and
//! each child's check-in.
use super::StoreError;
use async_trait::async_trait;

/// A registration of an event, for the people running it.
#[derive(Clone, PartialEq, Eq)]
pub struct DoorRegistration {
    pub code: String,
    pub parent_name: String,
    pub phone: String,
    /// Confirmed, or on the waitlist (cancelled registrations are not listed).
    pub waitlisted: bool,
    pub children: Vec<DoorChild>,
}

impl std::fmt::Debug for DoorRegistration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Names and phones never go to a log line.
        f.debug_struct("DoorRegistration")
            .field("code", &self.code)
            .field("waitlisted", &self.waitlisted)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct DoorChild {
    /// 0-based, the order the parent listed the children in.
    pub position: u32,
    pub first_name: String,
    pub age: u8,
    pub checked_in: bool,
}

#[async_trait]
pub trait DoorStore: Send + Sync {
    /// The nonce of the confirmed or waitlisted registration of an event with this code.
    async fn active_registration_nonce(&self, event_id: i64, code: &str) -> Result<Option<String>, StoreError>;
    /// Confirmed and waitlisted registrations of an event, in the order they came.
    async fn door_list(&self, event_id: i64) -> Result<Vec<DoorRegistration>, StoreError>;
    /// Marks a child of a confirmed registration as arrived (`at`) or not (`None`); false
    /// when the event has no such confirmed registration and child. A change is recorded in
    /// the audit log under `actor`.
    async fn set_checked_in(
        &self,
        event_id: i64,
        code: &str,
        position: u32,
        at: Option<i64>,
        actor: &super::Actor,
    ) -> Result<bool, StoreError>;
}

/// A registration's row of the door list, as both engines read it.
#[derive(sqlx::FromRow)]
pub(crate) struct DoorRow {
    id: i64,
    code: String,
    parent_name: String,
    phone: String,
    status: String,
}

/// A child's row of the door list, as both engines read it.
#[derive(sqlx::FromRow)]
pub(crate) struct DoorChildRow {
    registration_id: i64,
    position: i64,
    first_name: String,
    age: i64,
    checked_in_at: Option<i64>,
}

/// The door list from its registrations and their children (each in the list's order).
pub(crate) fn door_list(rows: Vec<DoorRow>, children: &[DoorChildRow]) -> Result<Vec<DoorRegistration>, StoreError> {
    use super::rows::int;
    rows.into_iter()
        .map(|row| {
            Ok(DoorRegistration {
                children: children
                    .iter()
                    .filter(|child| child.registration_id == row.id)
                    .map(|child| {
                        Ok(DoorChild {
                            position: int(child.position, || format!("registration {} child", row.id))?,
                            first_name: child.first_name.clone(),
                            age: int(child.age, || format!("registration {} child age", row.id))?,
                            checked_in: child.checked_in_at.is_some(),
                        })
                    })
                    .collect::<Result<_, StoreError>>()?,
                code: row.code,
                parent_name: row.parent_name,
                phone: row.phone,
                waitlisted: row.status == "waitlisted",
            })
        })
        .collect()
}

/// The audit entry of a child's check-in changing from `before` to `at`, if it changed. The
/// registration by its code and the child by position: no names in the log.
pub(crate) fn check_in_entry(
    code: &str,
    position: u32,
    before: Option<i64>,
    at: Option<i64>,
    actor: &super::Actor,
) -> Option<super::AuditEntry> {
    (before.is_some() != at.is_some()).then(|| super::AuditEntry {
        at: at.unwrap_or_else(crate::server::time::now),
        actor: actor.clone(),
        action: "registration.check_in",
        entity: "registration",
        entity_id: code.to_owned(),
        before: Some(serde_json::json!({ "child": position, "checked_in": before.is_some() })),
        after: Some(serde_json::json!({ "child": position, "checked_in": at.is_some() })),
    })
}
