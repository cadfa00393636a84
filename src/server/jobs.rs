//! Work running in the background for an admin page, which polls its progress (a WordPress
//! import, a CSV import of the directory). Kept in this instance's memory: the page asks the
//! instance that took the upload (a progress bar is not worth a table); what the work stores
//! is in the store.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Finished jobs are forgotten after this.
const KEEP: Duration = Duration::from_secs(3600);
/// Jobs of one kind running at once (each holds its file and what it read in memory).
const RUNNING_MAX: usize = 2;

/// What the page is told of a job.
pub trait JobStatus: Clone + Default + Send + 'static {
    /// Whether the job is over (then the account may start another).
    fn finished(&self) -> bool;
    /// A job that stopped before it said how it ended (refused, or its task panicked).
    fn stopped() -> Self;
}

impl JobStatus for crate::admin::import::ImportStatus {
    fn finished(&self) -> bool {
        self.finished
    }

    fn stopped() -> Self {
        crate::admin::import::ImportStatus {
            finished: true,
            ..Default::default()
        }
    }
}

impl JobStatus for crate::admin::ngos::NgoImportProgress {
    fn finished(&self) -> bool {
        self.finished
    }

    fn stopped() -> Self {
        crate::admin::ngos::NgoImportProgress {
            finished: true,
            failed: true,
            ..Default::default()
        }
    }
}

/// Ends its job as stopped when dropped, unless it ended already: whatever ends the request or
/// the task (an early answer, a panic), the job is not left running.
pub struct JobEnd<S: JobStatus> {
    jobs: std::sync::Arc<Jobs<S>>,
    pub id: String,
}

impl<S: JobStatus> JobEnd<S> {
    pub fn new(jobs: std::sync::Arc<Jobs<S>>, id: String) -> JobEnd<S> {
        JobEnd { jobs, id }
    }

    pub fn update(&self, status: S) {
        self.jobs.update(&self.id, status);
    }
}

impl<S: JobStatus> Drop for JobEnd<S> {
    fn drop(&mut self) {
        let mut jobs = self.jobs.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(job) = jobs.get_mut(&self.id).filter(|job| job.finished_at.is_none()) {
            job.status = S::stopped();
            job.finished_at = Some(Instant::now());
        }
    }
}

struct Job<S> {
    account_id: i64,
    status: S,
    finished_at: Option<Instant>,
}

/// The jobs of one kind.
pub struct Jobs<S> {
    jobs: Mutex<HashMap<String, Job<S>>>,
}

impl<S> Default for Jobs<S> {
    fn default() -> Self {
        Jobs {
            jobs: Mutex::new(HashMap::new()),
        }
    }
}

impl<S: JobStatus> Jobs<S> {
    /// A new job of `account_id`; returns its id (random, unguessable). `None` while the
    /// account has a job of this kind running, or [`RUNNING_MAX`] run.
    pub fn start(&self, account_id: i64) -> Option<String> {
        let id = crate::server::tokens::ManageTokens::new_nonce();
        let mut jobs = self.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        jobs.retain(|_, job| job.finished_at.is_none_or(|at| at.elapsed() < KEEP));
        let running = || jobs.values().filter(|job| job.finished_at.is_none());
        if running().count() >= RUNNING_MAX || running().any(|job| job.account_id == account_id) {
            return None;
        }
        jobs.insert(
            id.clone(),
            Job {
                account_id,
                status: S::default(),
                finished_at: None,
            },
        );
        Some(id)
    }

    pub fn update(&self, id: &str, status: S) {
        let mut jobs = self.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(job) = jobs.get_mut(id) {
            let finished = status.finished();
            if finished {
                job.finished_at = Some(Instant::now());
            }
            job.status = status;
            if finished {
                // The job held its file and what it read; once it has ended, that is free.
                super::memory::release_freed_soon();
            }
        }
    }

    /// The job's status, for the account that started it only.
    pub fn status(&self, id: &str, account_id: i64) -> Option<S> {
        let jobs = self.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        jobs.get(id)
            .filter(|job| job.account_id == account_id)
            .map(|job| job.status.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::import::ImportStatus;

    #[test]
    fn only_the_account_that_started_an_import_sees_it() {
        let jobs = Jobs::<ImportStatus>::default();
        let id = jobs.start(7).unwrap();
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

    #[test]
    fn a_job_whose_task_stops_ends_as_stopped_and_frees_its_account() {
        let jobs = std::sync::Arc::new(Jobs::<crate::admin::ngos::NgoImportProgress>::default());
        let id = jobs.start(1).unwrap();
        let task = std::thread::spawn({
            let end = JobEnd::new(jobs.clone(), id.clone());
            move || {
                end.update(crate::admin::ngos::NgoImportProgress {
                    rows: 10,
                    stored: 3,
                    ..Default::default()
                });
                panic!("the store went away");
            }
        });
        assert!(task.join().is_err());
        let status = jobs.status(&id, 1).unwrap();
        assert!(status.finished && status.failed, "{status:?}");
        assert!(jobs.start(1).is_some(), "the account may import again");
        // A job that ended on its own keeps how it ended.
        let done = jobs.start(2).unwrap();
        let end = JobEnd::new(jobs.clone(), done.clone());
        let finished = crate::admin::ngos::NgoImportProgress {
            finished: true,
            created: 4,
            ..Default::default()
        };
        end.update(finished.clone());
        drop(end);
        assert_eq!(jobs.status(&done, 2), Some(finished));
    }

    #[test]
    fn one_import_per_account_and_two_in_all_run_at_once() {
        let jobs = Jobs::<ImportStatus>::default();
        let first = jobs.start(1).unwrap();
        assert_eq!(jobs.start(1), None, "the same account waits for its import");
        let second = jobs.start(2).unwrap();
        assert_eq!(jobs.start(3), None, "two run at once");
        let done = ImportStatus {
            finished: true,
            ..ImportStatus::default()
        };
        jobs.update(&first, done.clone());
        assert!(jobs.start(1).is_some());
        jobs.update(&second, done);
    }
}
