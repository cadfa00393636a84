//! The site search's use cases (server only): the visitor's words as a full-text query in both
//! alphabets with a mistyped letter forgiven, one ranked page of posts, events and NGOs, and the
//! matched words marked in titles and snippets.
use super::model::{KindCount, Marked, SearchData, SearchResult};
use super::vocabulary::Vocabulary;
use crate::domain::{Lang, PageNumber, cyrillic_readings, transliterate};
use crate::error::AppError;
use crate::server::markdown::plain_text;
use crate::server::store::{SearchKind, SiteHit, SiteSearchQuery};
use crate::server::time::{now, sofia_date, sofia_datetime};

/// Results on one page.
pub const PAGE_SIZE: u32 = 20;
/// Words of a search that are used (the rest is ignored).
const MAX_WORDS: usize = 8;
/// Longest word used, in characters.
const MAX_WORD_CHARS: usize = 40;
/// Words this long or longer are forgiven one wrong, missing, extra or swapped letter.
const TYPO_MIN_CHARS: usize = 5;
/// Known words taken for one mistyped word, the closest first.
const NEAR_PER_WORD: usize = 4;
/// Words of one search that may be forgiven a mistyped letter.
const TYPO_WORDS: usize = 3;
/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 220;
/// Words of context kept before the first match in a snippet.
const CONTEXT_WORDS: usize = 6;

/// A word of the search as it can match: its spellings in both alphabets (each as the start of
/// an index word) and, for a word that matched nothing, the index's words one letter away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchWord {
    pub spellings: Vec<String>,
    pub near: Vec<String>,
    /// Typed as one letter: matched whole in every spelling („ч“ is one letter though „ch“ is
    /// two; as a prefix it would match most of the index).
    pub whole: bool,
}

/// The words of `typed`: letters and digits, lower case, at most `MAX_WORDS`.
pub fn words_of(typed: &str) -> Vec<String> {
    typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(MAX_WORDS)
        .map(|word| word.chars().take(MAX_WORD_CHARS).collect::<String>().to_lowercase())
        .collect()
}

/// A word as typed, in Latin letters and in its Cyrillic readings, each once.
pub fn spellings(word: &str) -> Vec<String> {
    let mut spellings = vec![word.to_owned()];
    for other in std::iter::once(transliterate(word)).chain(cyrillic_readings(word)) {
        if !other.is_empty() && !spellings.contains(&other) {
            spellings.push(other);
        }
    }
    spellings
}

/// The index words (`candidates`) one edit from `word`: a letter wrong, missing, extra, or two
/// swapped. Closest first, then by spelling.
pub fn near_words(word: &str, candidates: &[String]) -> Vec<String> {
    let mut near: Vec<(usize, &String)> = candidates
        .iter()
        .filter(|candidate| candidate.as_str() != word)
        .map(|candidate| (strsim::osa_distance(word, candidate), candidate))
        .filter(|(distance, _)| *distance == 1)
        .collect();
    near.sort();
    near.into_iter()
        .take(NEAR_PER_WORD)
        .map(|(_, word)| word.clone())
        .collect()
}

/// The FTS5 query of `words`: every word (or, with `any`, some word) must match one of its
/// spellings as the start of an index word, or one of its near words whole. Every term is
/// quoted and holds only letters and digits, so nothing typed is read as FTS5 syntax.
pub fn fts_expression(words: &[SearchWord], any: bool) -> Option<String> {
    let terms: Vec<String> = words
        .iter()
        .map(|word| {
            let star = if word.whole { "" } else { "*" };
            let prefix = |spelling: &String| format!("\"{spelling}\"{star}");
            let alternatives: Vec<String> = word
                .spellings
                .iter()
                .map(prefix)
                .chain(word.near.iter().map(|near| format!("\"{near}\"")))
                .collect();
            format!("({})", alternatives.join(" OR "))
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(if any { " OR " } else { " AND " }))
}

/// Whether a word of a text (lower case) is one the search matched.
fn matches(word: &str, words: &[SearchWord]) -> bool {
    let latin = transliterate(word);
    words.iter().any(|searched| {
        searched.spellings.iter().any(|spelling| {
            [word, latin.as_str()].iter().any(|form| {
                if searched.whole {
                    *form == spelling
                } else {
                    form.starts_with(spelling.as_str())
                }
            })
        }) || searched.near.iter().any(|near| near == word)
    })
}

/// `text` as runs of plain and matched words.
pub fn marked(text: &str, words: &[SearchWord]) -> Vec<Marked> {
    let mut runs: Vec<Marked> = Vec::new();
    let mut push = |piece: &str, hit: bool| match runs.last_mut() {
        Some(last) if last.hit == hit => last.text.push_str(piece),
        _ => runs.push(Marked {
            text: piece.to_owned(),
            hit,
        }),
    };
    let mut rest = text;
    while !rest.is_empty() {
        let in_word = rest.starts_with(char::is_alphanumeric);
        let end = rest
            .find(|c: char| c.is_alphanumeric() != in_word)
            .unwrap_or(rest.len());
        let piece = &rest[..end];
        push(piece, in_word && matches(&piece.to_lowercase(), words));
        rest = &rest[end..];
    }
    runs
}

/// Up to `SNIPPET_CHARS` of `text` around its first matched word (its start when none
/// matched), cut between words, with an ellipsis where cut.
pub fn snippet(text: &str, words: &[SearchWord]) -> Vec<Marked> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let tokens: Vec<&str> = text.split(' ').collect();
    let first_hit = tokens.iter().position(|token| {
        token
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| !word.is_empty() && matches(&word.to_lowercase(), words))
    });
    let start = first_hit.map_or(0, |hit| hit.saturating_sub(CONTEXT_WORDS));
    let mut kept = String::new();
    let mut end = start;
    for token in &tokens[start..] {
        if kept.chars().count() + token.chars().count() + 1 > SNIPPET_CHARS && !kept.is_empty() {
            break;
        }
        if !kept.is_empty() {
            kept.push(' ');
        }
        kept.push_str(token);
        end += 1;
    }
    if start > 0 {
        kept.insert_str(0, "… ");
    }
    if end < tokens.len() {
        kept.push_str(" …");
    }
    marked(&kept, words)
}

/// The words of `typed` with their spellings, and, for the first [`TYPO_WORDS`] words none of
/// whose spellings starts a known word, the known words one edit from a spelling of five
/// letters or more.
pub fn search_words(typed: &str, vocabulary: &Vocabulary) -> Vec<SearchWord> {
    let mut forgiven = 0;
    words_of(typed)
        .into_iter()
        .map(|word| {
            let spellings = spellings(&word);
            let mut near: Vec<String> = Vec::new();
            let known = spellings.iter().any(|spelling| vocabulary.has_word_starting(spelling));
            if !known && forgiven < TYPO_WORDS {
                forgiven += 1;
                for spelling in spellings.iter().filter(|s| s.chars().count() >= TYPO_MIN_CHARS) {
                    for close in vocabulary.near(spelling) {
                        if !near.contains(&close) && near.len() < NEAR_PER_WORD {
                            near.push(close);
                        }
                    }
                }
            }
            let whole = word.chars().count() == 1;
            SearchWord { spellings, near, whole }
        })
        .collect()
}

fn result_of(hit: SiteHit, words: &[SearchWord]) -> SearchResult {
    let text = match hit.kind {
        SearchKind::Ngo => hit.text.clone(),
        SearchKind::Post | SearchKind::Event => plain_text(&hit.text),
    };
    SearchResult {
        kind: hit.kind.code().to_owned(),
        title: marked(&hit.title, words),
        snippet: snippet(&text, words),
        published: (hit.kind == SearchKind::Post)
            .then(|| hit.when.map(sofia_date))
            .flatten(),
        starts: (hit.kind == SearchKind::Event)
            .then(|| hit.when.map(sofia_datetime))
            .flatten(),
        place: hit.place,
        lang: hit.lang,
        slug: hit.slug,
    }
}

/// A page of the site search for `typed` (empty: nothing searched yet), of one kind or all.
pub async fn search(
    state: &crate::server::AppState,
    lang: Lang,
    typed: &str,
    kind: &str,
    page: PageNumber,
) -> Result<SearchData, AppError> {
    let store = state.store.as_ref();
    let q: String = typed.trim().chars().take(200).collect();
    let kind = SearchKind::parse(kind);
    let mut data = SearchData {
        kind: kind.map(|kind| kind.code().to_owned()).unwrap_or_default(),
        page: page.get(),
        counts: SearchKind::ALL
            .iter()
            .map(|kind| KindCount {
                kind: kind.code().to_owned(),
                count: 0,
            })
            .collect(),
        ..SearchData::default()
    };
    if words_of(&q).is_empty() {
        // Nothing to search: one page only (not one kept per invented page number).
        return if page.get() > 1 {
            Err(AppError::NotFound)
        } else {
            Ok(data)
        };
    }
    let _turn = state.search.turn().await?;
    let now = now();
    let vocabulary = state
        .search
        .vocabulary(store, state.page_cache.content_generation(), now)
        .await?;
    let words = search_words(&q, &vocabulary);
    data.q = q;
    let Some(all_words) = fts_expression(&words, false) else {
        return Ok(data);
    };
    let mut query = SiteSearchQuery {
        fts: all_words,
        lang,
        kind,
        now,
        limit: PAGE_SIZE,
        offset: page.offset(PAGE_SIZE),
    };
    let mut found = store.site_search(&query).await?;
    let count = |found: &crate::server::store::SiteSearchPage| found.counts.iter().map(|(_, n)| n).sum::<u64>();
    if count(&found) == 0 && words.len() > 1 {
        query.fts = fts_expression(&words, true).unwrap_or_default();
        found = store.site_search(&query).await?;
        data.some_words = count(&found) > 0;
    }
    if page.get() > 1 && found.hits.is_empty() {
        return Err(AppError::NotFound);
    }
    data.counts = found
        .counts
        .iter()
        .map(|(kind, count)| KindCount {
            kind: kind.code().to_owned(),
            count: *count,
        })
        .collect();
    data.total = match kind {
        Some(kind) => found
            .counts
            .iter()
            .find(|(counted, _)| *counted == kind)
            .map_or(0, |(_, count)| *count),
        None => count(&found),
    };
    data.pages = PageNumber::count(data.total, PAGE_SIZE);
    data.also_searched = words.iter().flat_map(|word| word.near.clone()).collect();
    data.results = found.hits.into_iter().map(|hit| result_of(hit, &words)).collect();
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(typed: &str) -> SearchWord {
        SearchWord {
            spellings: spellings(typed),
            near: Vec::new(),
            whole: typed.chars().count() == 1,
        }
    }

    #[test]
    fn a_word_is_searched_in_both_alphabets() {
        assert_eq!(spellings("детска"), ["детска", "detska"]);
        assert_eq!(
            spellings("rabotilnitsa"),
            ["rabotilnitsa", "работилница", "работилнитса"]
        );
        assert_eq!(spellings("detska"), ["detska", "децка", "детска"]);
        assert_eq!(spellings("2024"), ["2024"]);
    }

    #[test]
    fn typed_syntax_never_reaches_fts5() {
        let words: Vec<SearchWord> = words_of("\"a\" OR b* NEAR(c) -d ^e").iter().map(|w| word(w)).collect();
        let query = fts_expression(&words, false).unwrap_or_default();
        assert!(!query.contains("\"\""), "{query}");
        assert_eq!(query.matches('"').count() % 2, 0);
        assert!(query.contains("(\"or\"* OR \"ор\"*)"), "{query}");
        assert_eq!(fts_expression(&[], false), None);
        // One typed letter is whole in every spelling (as „ch*“ it matched every „chitalishte“).
        assert_eq!(
            fts_expression(&[word("ч")], false).as_deref(),
            Some("(\"ч\" OR \"ch\")")
        );
        assert_eq!(words_of("  —  "), Vec::<String>::new());
    }

    #[test]
    fn one_wrong_letter_is_near() {
        let index: Vec<String> = ["работилница", "работници", "работа", "рисуване"]
            .map(String::from)
            .to_vec();
        assert_eq!(near_words("рабтилница", &index), ["работилница"], "a missing letter");
        assert_eq!(near_words("работилнцia", &index), Vec::<String>::new(), "two away");
        assert_eq!(near_words("раобтилница", &index), ["работилница"], "two swapped");
        assert_eq!(
            near_words("работилница", &index),
            Vec::<String>::new(),
            "itself is not near"
        );
    }

    #[test]
    fn matched_words_are_marked_in_either_alphabet() {
        let words = vec![word("detska"), word("varna")];
        let runs = marked("Детска работилница във Варна", &words);
        let hits: Vec<&str> = runs.iter().filter(|r| r.hit).map(|r| r.text.as_str()).collect();
        assert_eq!(hits, ["Детска", "Варна"]);
        let text: String = runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(text, "Детска работилница във Варна", "nothing lost or added");
    }

    #[test]
    fn a_snippet_starts_near_the_first_match() {
        let text = format!("{} Лятно парти в парка. {}", "дума ".repeat(60), "край ".repeat(60));
        let runs = snippet(&text, &[word("парти")]);
        let shown: String = runs.iter().map(|r| r.text.as_str()).collect();
        assert!(shown.starts_with("… "), "{shown}");
        assert!(shown.ends_with(" …"), "{shown}");
        assert!(shown.chars().count() <= SNIPPET_CHARS + 4);
        assert!(runs.iter().any(|r| r.hit && r.text == "парти"));
        let short = snippet("Без съвпадение", &[word("парти")]);
        assert_eq!(
            short.iter().map(|r| r.text.as_str()).collect::<String>(),
            "Без съвпадение"
        );
    }
}
