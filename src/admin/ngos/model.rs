//! What the admin's NGO pages get from the server.
use crate::domain::Cover;
use serde::{Deserialize, Serialize};

/// An NGO's logo after a change; `None` when it has none (its pages show its initials).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NgoLogo {
    pub logo: Option<Cover>,
}

/// The NGO whose logo an admin looks after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminNgoData {
    pub slug: String,
    pub name: String,
    pub logo: Option<Cover>,
}

/// An NGO the admin's search found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundNgo {
    pub slug: String,
    pub name: String,
    /// Its municipality and region.
    pub place: String,
}
