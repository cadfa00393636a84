//! Values derived from the store and kept in memory (the header's count, the search's known
//! words, the directory's index): made again when the pages' generation moves (every write
//! the pages show) or after a maximum age (another instance's writes, a scheduled post coming
//! out). One caller makes a value; callers arriving meanwhile wait for it.
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Kept<T> {
    max_age: Duration,
    value: tokio::sync::Mutex<Option<(u64, Instant, Arc<T>)>>,
}

impl<T> Kept<T> {
    pub fn new(max_age: Duration) -> Kept<T> {
        Kept {
            max_age,
            value: tokio::sync::Mutex::new(None),
        }
    }

    /// The value as of `generation`, made by `make` when the kept one is older.
    pub async fn get<E, F, Fut>(&self, generation: u64, make: F) -> Result<Arc<T>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let mut kept = self.value.lock().await;
        if let Some((made_for, made_at, value)) = kept.as_ref()
            // A caller that read the generation before the last rebuild takes the newer value.
            && *made_for >= generation
            && made_at.elapsed() < self.max_age
        {
            return Ok(value.clone());
        }
        let value = Arc::new(make().await?);
        *kept = Some((generation, Instant::now(), value.clone()));
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_value_is_made_again_only_when_the_generation_moves_or_it_is_old() {
        let kept = Kept::new(Duration::from_secs(60));
        let made = std::sync::atomic::AtomicU32::new(0);
        let make = || async {
            made.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok::<_, ()>(made.load(std::sync::atomic::Ordering::SeqCst))
        };
        assert_eq!(*kept.get(1, make).await.unwrap_or_default(), 1);
        assert_eq!(*kept.get(1, make).await.unwrap_or_default(), 1, "kept");
        assert_eq!(*kept.get(2, make).await.unwrap_or_default(), 2, "after a write");
        let old = Kept::new(Duration::ZERO);
        assert_eq!(*old.get(1, make).await.unwrap_or_default(), 3);
        assert_eq!(*old.get(1, make).await.unwrap_or_default(), 4, "too old");
    }
}
