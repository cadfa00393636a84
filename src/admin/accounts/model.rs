//! What the accounts page shows and sends.
use crate::admin::model::Role;
use crate::domain::LocalDate;
use serde::{Deserialize, Serialize};

/// An account in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub created: LocalDate,
    /// Events the account is an organiser of.
    pub events: u32,
    /// The signed-in admin's own account.
    pub me: bool,
}

/// The accounts page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsData {
    pub accounts: Vec<AccountView>,
}
