//! Imports running in the background for the admin page, which polls their progress. Kept in
//! this instance's memory: the page asks the instance that took the upload (a progress bar is
//! not worth a table); the posts themselves are in the store.
use crate::admin::import::ImportStatus;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Finished imports are forgotten after this.
const KEEP: Duration = Duration::from_secs(3600);

struct Job {
    account_id: i64,
    status: ImportStatus,
    finished_at: Option<Instant>,
}

#[derive(Default)]
pub struct ImportJobs {
    jobs: Mutex<HashMap<String, Job>>,
}

impl ImportJobs {
    /// A new job of `account_id`; returns its id (random, unguessable).
    pub fn start(&self, account_id: i64) -> String {
        let id = crate::server::tokens::ManageTokens::new_nonce();
        let mut jobs = self.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        jobs.retain(|_, job| job.finished_at.is_none_or(|at| at.elapsed() < KEEP));
        jobs.insert(
            id.clone(),
            Job {
                account_id,
                status: ImportStatus::default(),
                finished_at: None,
            },
        );
        id
    }

    pub fn update(&self, id: &str, status: ImportStatus) {
        let mut jobs = self.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(job) = jobs.get_mut(id) {
            if status.finished {
                job.finished_at = Some(Instant::now());
            }
            job.status = status;
        }
    }

    /// The job's status, for the account that started it only.
    pub fn status(&self, id: &str, account_id: i64) -> Option<ImportStatus> {
        let jobs = self.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        jobs.get(id)
            .filter(|job| job.account_id == account_id)
            .map(|job| job.status.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_account_that_started_an_import_sees_it() {
        let jobs = ImportJobs::default();
        let id = jobs.start(7);
        assert_eq!(jobs.status(&id, 7), Some(ImportStatus::default()));
        assert_eq!(jobs.status(&id, 8), None);
        assert_eq!(jobs.status("guess", 7), None);
        let done = ImportStatus {
            finished: true,
            ..ImportStatus::default()
        };
        jobs.update(&id, done.clone());
        assert_eq!(jobs.status(&id, 7), Some(done));
    }
}
