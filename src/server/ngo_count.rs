//! The header's NGO count, kept in memory: read from the store once per change of what the
//! pages show and at least every [`MAX_AGE`], not once per page view.
use super::kept::Kept;
use super::store::Store;
use crate::error::AppError;
use std::time::Duration;

/// Longest a count is shown without being read again.
const MAX_AGE: Duration = Duration::from_secs(60);

pub struct NgoCount(Kept<u64>);

impl Default for NgoCount {
    fn default() -> Self {
        NgoCount(Kept::new(MAX_AGE))
    }
}

impl NgoCount {
    /// The count as of the pages' `generation`.
    pub async fn get(&self, store: &dyn Store, generation: u64) -> Result<u64, AppError> {
        let count = self
            .0
            .get(generation, || async { Ok::<_, AppError>(store.ngo_count().await?) })
            .await?;
        Ok(*count)
    }
}
