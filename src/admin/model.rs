//! What the admin pages show and send: roles, the signed-in account, the events list.
use crate::domain::LocalDateTime;
use serde::{Deserialize, Serialize};

/// What an account may do. Checked by every admin server function on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, accounts included.
    Admin,
    /// Posts, events and all registrations.
    Editor,
    /// The registrations of the events assigned to them.
    Organiser,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Organiser => "organiser",
        }
    }

    /// Sees every event's registrations (not only assigned ones).
    pub fn sees_all_events(self) -> bool {
        matches!(self, Role::Admin | Role::Editor)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown role (expected admin, editor or organiser)")]
pub struct UnknownRole;

impl std::str::FromStr for Role {
    type Err = UnknownRole;

    fn from_str(raw: &str) -> Result<Role, UnknownRole> {
        match raw {
            "admin" => Ok(Role::Admin),
            "editor" => Ok(Role::Editor),
            "organiser" => Ok(Role::Organiser),
            _ => Err(UnknownRole),
        }
    }
}

/// The signed-in account, as its own pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub display_name: String,
    pub role: Role,
}

/// An event in the admin list: its seats at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminEvent {
    pub slug: String,
    pub title: String,
    pub starts: LocalDateTime,
    pub capacity: u32,
    pub confirmed_children: u32,
    pub waitlisted_children: u32,
    pub cancelled: bool,
}

/// The admin home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminHomeData {
    pub account: AccountView,
    pub events: Vec<AdminEvent>,
}

/// An event's registrations, for the people at its door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorList {
    pub event: AdminEvent,
    /// What was searched for (a parent's name or a registration code), if anything.
    pub query: String,
    pub registrations: Vec<DoorEntry>,
    /// Children of confirmed registrations who have arrived (of all, not only those shown).
    pub checked_in_children: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorEntry {
    pub code: String,
    pub parent_name: String,
    pub phone: String,
    pub waitlisted: bool,
    pub children: Vec<DoorChildView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorChildView {
    pub position: u32,
    pub first_name: String,
    pub age: u8,
    pub checked_in: bool,
}

/// A page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditView>,
    pub page: u32,
    pub pages: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    pub at: LocalDateTime,
    pub actor: String,
    /// e.g. `registration.check_in`.
    pub action: String,
    pub entity_id: String,
    /// The values before and after, as recorded (JSON).
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The outbox page: recent mail and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxPage {
    pub mails: Vec<MailView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailView {
    pub id: i64,
    /// `confirmed`, `waitlisted`, `promoted`, `cancelled`, `link_again`.
    pub kind: String,
    pub registration_code: String,
    pub event_title: String,
    /// The recipient with the local part masked (`m•••@example.org`), empty once cleared.
    pub recipient: String,
    pub created: LocalDateTime,
    pub attempts: u32,
    /// `sent`, `pending`, `failed` or `cleared`.
    pub state: String,
}

/// What an erasure removed, as the privacy page reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasedView {
    pub registrations: u64,
    pub mails: u64,
}

/// The sign-in form as posted (the password is never sent back).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
}

/// A sign-in refused when the form was posted without JavaScript: shown with the e-mail
/// address as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedSignIn {
    pub error: crate::error::AppError,
    pub email: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_back_as_written() {
        for role in [Role::Admin, Role::Editor, Role::Organiser] {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert_eq!("Admin".parse::<Role>(), Err(UnknownRole));
    }

    #[test]
    fn only_organisers_are_limited_to_their_events() {
        assert!(Role::Admin.sees_all_events());
        assert!(Role::Editor.sees_all_events());
        assert!(!Role::Organiser.sees_all_events());
    }
}
