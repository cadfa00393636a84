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

/// A refused row's cell, as the server names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedCell {
    /// The file's line (1 is the header; 0 the file as a whole).
    pub line: u64,
    pub column: String,
    /// `server::ngo_csv::Problem` in snake case.
    pub problem: String,
}

/// The answer to a file with refused rows (nothing of it was stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NgoImportRefusal {
    pub rejected: Vec<RefusedCell>,
}

/// How an import of checked rows goes, as the page polls it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NgoImportProgress {
    /// Rows of the file.
    pub rows: u64,
    /// Rows written so far (in one transaction: none are kept unless all are).
    pub stored: u64,
    pub finished: bool,
    /// Over and nothing stored: the store failed (the server's log says why).
    pub failed: bool,
    pub created: u64,
    pub updated: u64,
}

impl NgoImportProgress {
    /// How far it is, in whole percent.
    pub fn percent(&self) -> u64 {
        (self.stored * 100).checked_div(self.rows).unwrap_or(0).min(100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_whole_percent_of_the_rows_and_zero_for_none() {
        let progress = |stored, rows| NgoImportProgress {
            rows,
            stored,
            ..NgoImportProgress::default()
        };
        assert_eq!(progress(0, 0).percent(), 0);
        assert_eq!(progress(1, 3).percent(), 33);
        assert_eq!(progress(14_427, 14_427).percent(), 100);
        assert_eq!(progress(7_213, 14_427).percent(), 49);
    }
}
