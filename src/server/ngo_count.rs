//! The header's NGO count, kept in memory: read from the store once per change of what the
//! pages show (the page cache's generation, moved by every write) and at least every
//! [`MAX_AGE`] (another instance's writes), not once per page view.
use super::store::Store;
use crate::error::AppError;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Longest a count is shown without being read again.
const MAX_AGE: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct NgoCount {
    /// The generation it was read at, when, and the count.
    kept: Mutex<Option<(u64, Instant, u64)>>,
}

impl NgoCount {
    /// The count as of the pages' `generation`.
    pub async fn get(&self, store: &dyn Store, generation: u64) -> Result<u64, AppError> {
        if let Ok(kept) = self.kept.lock()
            && let Some((read_for, read_at, count)) = *kept
            && read_for == generation
            && read_at.elapsed() < MAX_AGE
        {
            return Ok(count);
        }
        let count = store.ngo_count().await?;
        if let Ok(mut kept) = self.kept.lock() {
            *kept = Some((generation, Instant::now(), count));
        }
        Ok(count)
    }
}
