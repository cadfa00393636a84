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
