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
