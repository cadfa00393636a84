//! Everything the portal holds about one e-mail address, for the data subject's requests
//! (GDPR articles 15 and 17): read it out, or erase it.
use super::{Actor, StoreError};
use async_trait::async_trait;

/// A registration made with the address, as exported.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PersonalRegistration {
    pub event: String,
    pub event_starts_at: i64,
    pub code: String,
    pub status: String,
    pub parent_name: String,
    pub email: String,
    pub phone: String,
    pub note: String,
    pub children: Vec<PersonalChild>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PersonalChild {
    pub first_name: String,
    pub age: u8,
    pub checked_in: bool,
}

/// A mail to the address not yet delivered (delivered mail keeps no recipient or text).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PersonalMail {
    pub subject: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PersonalData {
    pub registrations: Vec<PersonalRegistration>,
    pub mails: Vec<PersonalMail>,
}

/// What an erasure removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Erased {
    pub registrations: u64,
    pub mails: u64,
}

#[async_trait]
pub trait PrivacyStore: Send + Sync {
    /// Everything held under the address (compared without regard to case).
    async fn personal_data(&self, email: &str) -> Result<PersonalData, StoreError>;
    /// The private-link nonces of the address's confirmed and waitlisted registrations (to be
    /// cancelled before an erasure, so their places go to the waitlist).
    async fn active_nonces_of(&self, email: &str) -> Result<Vec<String>, StoreError>;
    /// The ids of the address's registrations (taken before cancelling them, which erases the
    /// address from them).
    async fn registration_ids_of(&self, email: &str) -> Result<Vec<i64>, StoreError>;
    /// Erases the personal data and links of `registrations`, the mail to or about them and to
    /// the address, and its failed sign-ins, in one transaction; the audit entry says how much,
    /// never whose.
    async fn erase_person(
        &self,
        email: &str,
        registrations: &[i64],
        now: i64,
        actor: &Actor,
    ) -> Result<Erased, StoreError>;
}

/// A registration made with the address, as both engines read it for the export.
#[derive(sqlx::FromRow)]
pub(crate) struct PersonalRow {
    pub(crate) id: i64,
    event: String,
    starts_at: i64,
    code: String,
    status: String,
    parent_name: String,
    email: String,
    phone: String,
    note: String,
    created_at: i64,
}

impl PersonalRow {
    /// The export of the registration, with its children (`first_name`, `age`,
    /// `checked_in_at` in their order).
    pub(crate) fn into_registration(
        self,
        children: Vec<(String, i64, Option<i64>)>,
    ) -> Result<PersonalRegistration, StoreError> {
        Ok(PersonalRegistration {
            event: self.event,
            event_starts_at: self.starts_at,
            code: self.code,
            status: self.status,
            parent_name: self.parent_name,
            email: self.email,
            phone: self.phone,
            note: self.note,
            children: children
                .into_iter()
                .map(|(first_name, age, checked_in_at)| {
                    Ok(PersonalChild {
                        first_name,
                        age: super::rows::int(age, || "child age".to_owned())?,
                        checked_in: checked_in_at.is_some(),
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            created_at: self.created_at,
        })
    }
}

/// The audit entry of an erasure: how much, never whose.
pub(crate) fn erasure_entry(erased: Erased, now: i64, actor: &Actor) -> super::AuditEntry {
    super::AuditEntry {
        at: now,
        actor: actor.clone(),
        action: "person.erase",
        entity: "person",
        // Whose data it was is exactly what must not stay.
        entity_id: "—".into(),
        before: None,
        after: Some(serde_json::json!({ "registrations": erased.registrations, "mails": erased.mails })),
    }
}
