//! The words a visitor can find, kept in memory: what a search checks a typed word against
//! before it forgives a mistyped letter. Made only of public rows (never a draft's or a
//! scheduled post's words), again after any write the pages show, and at least every
//! [`MAX_AGE`] (a scheduled post comes out; another instance writes).
use crate::error::AppError;
use crate::server::store::Store;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

/// Longest a vocabulary is used without being made again.
const MAX_AGE: Duration = Duration::from_secs(300);
/// Searches that run at once; more wait their turn (each may read much of the index).
const SEARCHES_AT_ONCE: usize = 2;

/// Every word of the public rows, lower case, sorted, and grouped by length in characters.
#[derive(Debug, Default)]
pub struct Vocabulary {
    sorted: Vec<String>,
    by_length: Vec<Vec<String>>,
}

impl Vocabulary {
    /// The words of `texts`, split as the full-text index splits them (letters and digits).
    pub fn of_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vocabulary {
        let mut words = BTreeSet::new();
        for text in texts {
            for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
                words.insert(word.to_lowercase());
            }
        }
        let mut by_length: Vec<Vec<String>> = Vec::new();
        for word in &words {
            let length = word.chars().count();
            if by_length.len() <= length {
                by_length.resize_with(length + 1, Vec::new);
            }
            by_length[length].push(word.clone());
        }
        Vocabulary {
            sorted: words.into_iter().collect(),
            by_length,
        }
    }

    /// Whether some word starts with `prefix`.
    pub fn has_word_starting(&self, prefix: &str) -> bool {
        let first = self.sorted.partition_point(|word| word.as_str() < prefix);
        self.sorted.get(first).is_some_and(|word| word.starts_with(prefix))
    }

    /// The words one edit from `word` (see [`super::service::near_words`]).
    pub fn near(&self, word: &str) -> Vec<String> {
        let length = word.chars().count();
        let candidates: Vec<String> = (length.saturating_sub(1)..=length + 1)
            .filter_map(|length| self.by_length.get(length))
            .flatten()
            .cloned()
            .collect();
        super::service::near_words(word, &candidates)
    }
}

/// The site search's shared state: the vocabulary and the turns.
pub struct SiteSearch {
    vocabulary: crate::server::kept::Kept<Vocabulary>,
    turns: tokio::sync::Semaphore,
}

impl Default for SiteSearch {
    fn default() -> Self {
        SiteSearch {
            vocabulary: crate::server::kept::Kept::new(MAX_AGE),
            turns: tokio::sync::Semaphore::new(SEARCHES_AT_ONCE),
        }
    }
}

impl SiteSearch {
    /// Waits for a turn to search.
    pub async fn turn(&self) -> Result<tokio::sync::SemaphorePermit<'_>, AppError> {
        self.turns.acquire().await.map_err(|_| AppError::Internal)
    }

    /// The vocabulary as of the pages' `generation` (one search makes it; the others wait).
    pub async fn vocabulary(&self, store: &dyn Store, generation: u64, now: i64) -> Result<Arc<Vocabulary>, AppError> {
        self.vocabulary
            .get(generation, || async {
                let texts = store.visible_search_text(now).await?;
                Ok::<_, AppError>(Vocabulary::of_texts(texts.iter().map(String::as_str)))
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_by_their_start_and_by_one_edit() {
        let vocabulary = Vocabulary::of_texts(["Лятно парти: работилница", "Работници, работа и РИСУВАНЕ"]);
        assert!(vocabulary.has_word_starting("работил"));
        assert!(vocabulary.has_word_starting("рису"));
        assert!(!vocabulary.has_word_starting("рабтил"));
        assert_eq!(vocabulary.near("рабтилница"), ["работилница"]);
        assert_eq!(vocabulary.near("партии"), ["парти"]);
        assert!(vocabulary.near("zzzzz").is_empty());
    }
}
