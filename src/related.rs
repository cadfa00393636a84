//! What relates to what across posts and events (server only): shared tags and category plus
//! TF-IDF cosine similarity of title and body (same language), recency breaking ties. Never the
//! item itself. Posts and events both ask here, so neither imports the other.
use crate::cards::build::{event_card, post_card};
use crate::cards::{EventCard, PostCard};
use crate::domain::Lang;
use crate::error::AppError;
use crate::events::model::EventsWhen;
use crate::server::markdown;
use crate::server::store::{EventRecord, PostRecord, Store};
use crate::server::time::now;
use std::collections::{HashMap, HashSet};

/// How many related posts a post or event page shows.
pub const RELATED_POSTS: usize = 3;
/// Upcoming events shown on a post page.
const RELATED_EVENTS: usize = 2;
/// Below this relatedness an event is not worth suggesting beside a post.
const MIN_EVENT_RELATEDNESS: f64 = 0.15;
/// Upcoming events weighed for a post page.
const EVENTS_CONSIDERED: u32 = 24;

/// What relatedness looks at in a post.
#[derive(Debug, Clone)]
pub struct RelatedDoc {
    pub id: i64,
    pub category: String,
    pub tags: Vec<String>,
    pub title: String,
    pub body: String,
    pub published_at: i64,
}

/// The posts of `corpus` most related to `doc` (which may be a post of the corpus or, with an
/// id outside it, another item such as an event), as cards.
pub fn related_posts(corpus: &[PostRecord], doc: &RelatedDoc, count: usize) -> Vec<PostCard> {
    let mut docs: Vec<RelatedDoc> = corpus.iter().filter(|p| p.id != doc.id).map(post_doc).collect();
    docs.push(doc.clone());
    most_related(&docs, doc.id, count)
        .into_iter()
        .filter_map(|id| corpus.iter().find(|p| p.id == id))
        .map(post_card)
        .collect()
}

pub fn post_doc(record: &PostRecord) -> RelatedDoc {
    RelatedDoc {
        id: record.id,
        category: record.category.slug.to_string(),
        tags: record.tags.iter().map(|t| t.slug.to_string()).collect(),
        title: record.title.clone(),
        body: markdown::plain_text(&record.body_md),
        published_at: record.published_at,
    }
}

pub fn event_doc(event: &EventRecord) -> RelatedDoc {
    RelatedDoc {
        // Negative: events share the relatedness space with posts, whose ids are positive.
        id: -event.id,
        category: String::new(),
        tags: event.tags.iter().map(|t| t.slug.to_string()).collect(),
        title: event.title.clone(),
        body: markdown::plain_text(&event.body_md),
        published_at: event.starts_at,
    }
}

/// Upcoming events that are about what `post` is about, most related first.
pub async fn related_events(
    store: &dyn Store,
    lang: Lang,
    posts: &[PostRecord],
    post: &PostRecord,
) -> Result<Vec<EventCard>, AppError> {
    let now = now();
    let events = store.events(lang, EventsWhen::Upcoming, now, EVENTS_CONSIDERED).await?;
    let mut docs: Vec<_> = posts.iter().map(post_doc).collect();
    docs.extend(events.iter().filter(|e| !e.cancelled).map(event_doc));
    Ok(ranked(&docs, post.id)
        .into_iter()
        .filter(|(score, id)| *id < 0 && *score >= MIN_EVENT_RELATEDNESS)
        .take(RELATED_EVENTS)
        .filter_map(|(_, id)| events.iter().find(|e| e.id == -id))
        .map(|event| event_card(event, now))
        .collect())
}

const TEXT_WEIGHT: f64 = 0.6;
const TAG_WEIGHT: f64 = 0.25;
const CATEGORY_WEIGHT: f64 = 0.15;
/// The title says what a post is about more than any sentence of its body.
const TITLE_REPEAT: usize = 3;
/// Words are cut to this many letters: a crude stem that joins „бежанци“ and „бежанците“,
/// "refugee" and "refugees".
const STEM_CHARS: usize = 6;

const STOP_WORDS: &[&str] = &[
    // Bulgarian
    "и",
    "в",
    "във",
    "на",
    "за",
    "от",
    "с",
    "със",
    "по",
    "до",
    "към",
    "че",
    "се",
    "да",
    "не",
    "са",
    "е",
    "ще",
    "как",
    "като",
    "който",
    "която",
    "които",
    "което",
    "това",
    "тази",
    "този",
    "тези",
    "има",
    "при",
    "след",
    "или",
    "но",
    "ние",
    "те",
    "той",
    "тя",
    "им",
    "ги",
    "го",
    "ни",
    "още",
    "между",
    "през",
    "все",
    "вече",
    "така",
    "също",
    "само",
    "без",
    "над",
    "под",
    "бъде",
    "беше",
    "бяха",
    "може",
    "могат",
    "нашия",
    "наши",
    "всеки",
    "всички",
    "година",
    "години",
    // English
    "the",
    "and",
    "for",
    "with",
    "from",
    "that",
    "this",
    "these",
    "those",
    "are",
    "was",
    "were",
    "will",
    "has",
    "have",
    "had",
    "into",
    "our",
    "their",
    "they",
    "them",
    "its",
    "who",
    "which",
    "what",
    "when",
    "where",
    "how",
    "can",
    "not",
    "but",
    "all",
    "any",
    "each",
    "also",
    "more",
    "than",
    "about",
    "over",
    "after",
    "year",
    "years",
    "there",
    "been",
    "being",
    "you",
    "your",
];

fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.chars().count() >= 3)
        .map(str::to_lowercase)
        .filter(|word| !STOP_WORDS.contains(&word.as_str()))
        .map(|word| word.chars().take(STEM_CHARS).collect())
}

fn term_counts(doc: &RelatedDoc) -> HashMap<String, f64> {
    let mut counts = HashMap::new();
    let title_terms: Vec<String> = terms(&doc.title).collect();
    for _ in 0..TITLE_REPEAT {
        for term in &title_terms {
            *counts.entry(term.clone()).or_insert(0.0) += 1.0;
        }
    }
    for term in terms(&doc.body) {
        *counts.entry(term).or_insert(0.0) += 1.0;
    }
    counts
}

/// TF-IDF vectors (sublinear term frequency, smoothed IDF), normalised to unit length.
fn tf_idf_vectors(docs: &[RelatedDoc]) -> Vec<HashMap<String, f64>> {
    let counts: Vec<HashMap<String, f64>> = docs.iter().map(term_counts).collect();
    let mut document_frequency: HashMap<&str, f64> = HashMap::new();
    for doc in &counts {
        for term in doc.keys() {
            *document_frequency.entry(term).or_insert(0.0) += 1.0;
        }
    }
    let n = docs.len() as f64;
    counts
        .iter()
        .map(|doc| {
            let mut vector: HashMap<String, f64> = doc
                .iter()
                .map(|(term, count)| {
                    let idf = ((1.0 + n) / (1.0 + document_frequency[term.as_str()])).ln() + 1.0;
                    (term.clone(), (1.0 + count.ln()) * idf)
                })
                .collect();
            let norm = vector.values().map(|w| w * w).sum::<f64>().sqrt();
            if norm > 0.0 {
                vector.values_mut().for_each(|w| *w /= norm);
            }
            vector
        })
        .collect()
}

fn cosine(a: &HashMap<String, f64>, b: &HashMap<String, f64>) -> f64 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small
        .iter()
        .filter_map(|(term, w)| large.get(term).map(|v| w * v))
        .sum()
}

fn jaccard(a: &[String], b: &[String]) -> f64 {
    let a: HashSet<&String> = a.iter().collect();
    let b: HashSet<&String> = b.iter().collect();
    let union = a.union(&b).count();
    if union == 0 {
        0.0
    } else {
        a.intersection(&b).count() as f64 / union as f64
    }
}

/// The ids of the `count` posts most related to post `target`, best first. Empty when the
/// target is not among `docs`.
pub fn most_related(docs: &[RelatedDoc], target: i64, count: usize) -> Vec<i64> {
    ranked(docs, target).into_iter().take(count).map(|(_, id)| id).collect()
}

/// Every other doc with its relatedness to `target` (0 to 1), best first.
pub fn ranked(docs: &[RelatedDoc], target: i64) -> Vec<(f64, i64)> {
    let Some(target_index) = docs.iter().position(|d| d.id == target) else {
        return Vec::new();
    };
    let vectors = tf_idf_vectors(docs);
    let target_doc = &docs[target_index];
    let mut scored: Vec<(f64, i64, i64)> = docs
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != target_index)
        .map(|(i, doc)| {
            let same_category = if doc.category == target_doc.category { 1.0 } else { 0.0 };
            let score = TEXT_WEIGHT * cosine(&vectors[target_index], &vectors[i])
                + TAG_WEIGHT * jaccard(&target_doc.tags, &doc.tags)
                + CATEGORY_WEIGHT * same_category;
            (score, doc.published_at, doc.id)
        })
        .collect();
    // Best score first; among equals the newer post, then the lower id, so the order is stable.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    scored.into_iter().map(|(score, _, id)| (score, id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;
    use crate::server::seed::SeedContent;

    fn demo_docs(lang: Lang) -> Vec<(String, RelatedDoc)> {
        let seed = SeedContent::demo().expect("demo content parses");
        seed.posts
            .iter()
            .enumerate()
            .map(|(i, post)| {
                let translation = post.translation(lang).expect("every demo post is translated");
                let doc = RelatedDoc {
                    id: i as i64 + 1,
                    category: post.category.clone(),
                    tags: post.tags.clone(),
                    title: translation.title.clone(),
                    body: crate::server::markdown::plain_text(&translation.body),
                    published_at: post.published_at_unix(),
                };
                (post.slug.clone(), doc)
            })
            .collect()
    }

    fn related_slugs(docs: &[(String, RelatedDoc)], slug: &str) -> Vec<String> {
        let target = docs.iter().find(|(s, _)| s == slug).expect("demo post exists").1.id;
        let plain: Vec<RelatedDoc> = docs.iter().map(|(_, d)| d.clone()).collect();
        most_related(&plain, target, 3)
            .into_iter()
            .map(|id| docs.iter().find(|(_, d)| d.id == id).expect("id from docs").0.clone())
            .collect()
    }

    const MIGRATION_POSTS: &[&str] = &[
        "refugee-integration-coalition-meeting",
        "podcast-migration-stories",
        "study-room-ukrainian-children-varna",
        "bulgarian-language-classes-for-refugees",
    ];

    #[test]
    fn refugee_integration_relates_to_migration_posts_first_in_both_languages() {
        for lang in Lang::ALL {
            let docs = demo_docs(lang);
            let related = related_slugs(&docs, "refugee-integration-coalition-meeting");
            assert_eq!(related.len(), 3, "{lang}: {related:?}");
            for slug in &related {
                assert!(
                    MIGRATION_POSTS.contains(&slug.as_str()),
                    "{lang}: {slug} is not about migration: {related:?}"
                );
                assert_ne!(slug, "refugee-integration-coalition-meeting");
            }
        }
    }

    #[test]
    fn an_environment_post_relates_to_environment_and_volunteering_not_migration() {
        let docs = demo_docs(Lang::Bg);
        let related = related_slugs(&docs, "river-cleanup-volunteers");
        assert_eq!(related.len(), 3);
        assert!(
            !related.iter().any(|s| MIGRATION_POSTS.contains(&s.as_str())),
            "{related:?}"
        );
    }

    #[test]
    fn never_returns_the_post_itself_and_never_more_than_asked() {
        let docs = demo_docs(Lang::En);
        let plain: Vec<RelatedDoc> = docs.iter().map(|(_, d)| d.clone()).collect();
        for doc in &plain {
            let related = most_related(&plain, doc.id, 3);
            assert_eq!(related.len(), 3);
            assert!(!related.contains(&doc.id));
        }
        assert!(most_related(&plain, 9_999, 3).is_empty());
    }

    #[test]
    fn ties_go_to_the_newer_post() {
        let doc = |id, published_at| RelatedDoc {
            id,
            category: "c".into(),
            tags: vec![],
            title: "same words here".into(),
            body: String::new(),
            published_at,
        };
        let docs = vec![doc(1, 100), doc(2, 200), doc(3, 300)];
        assert_eq!(most_related(&docs, 1, 2), vec![3, 2]);
    }
}
