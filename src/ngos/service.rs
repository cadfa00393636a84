//! The directory's use cases (server only): the visitor's words as a full-text query in
//! Cyrillic and Latin letters, a page of NGOs with the counts of every filter, a profile.
use super::model::{Choice, DirectoryData, DirectoryFilters, NgoCard, NgoProfile};
use crate::cards::build::{event_card, post_card};
use crate::domain::{Field, Lang, LegalForm, PageNumber, REGIONS, Region, Slug, https_link, transliterate};
use crate::error::AppError;
use crate::server::store::{DirectoryQuery, NgoRecord, PostFilter, Store};
use crate::server::time::now;

/// NGOs on one page of the directory.
pub const PAGE_SIZE: u32 = 24;
/// Words of a search that are used (the rest is ignored).
const MAX_WORDS: usize = 8;
/// Upcoming events and posts on a profile.
const PROFILE_ITEMS: usize = 3;

/// The visitor's words as an FTS5 query: every word must match, as typed or in Latin letters,
/// as the start of a word of the NGO's names or place. `None` when nothing searchable is typed.
/// Only letters and digits reach FTS5, each quoted, so no input is read as its syntax.
pub fn fts_query(typed: &str) -> Option<String> {
    let words: Vec<String> = typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(MAX_WORDS)
        .map(|word| word.chars().take(40).collect::<String>().to_lowercase())
        .collect();
    // A word of one letter is matched whole: as a prefix it would match most of the index.
    let star = |word: &str| if word.chars().count() > 1 { "*" } else { "" };
    let terms: Vec<String> = words
        .iter()
        .map(|word| {
            let latin = transliterate(word).to_lowercase();
            // The typed word's length decides: „ч“ is one letter, though „ch“ is two.
            if latin != *word && !latin.is_empty() {
                format!("(\"{word}\"{} OR \"{latin}\"{})", star(word), star(word))
            } else {
                format!("\"{word}\"{}", star(word))
            }
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" AND "))
}

/// The filters of the address, each dropped when it names nothing.
pub fn filters(q: &str, region: &str, field: &str, form: &str, sort: &str) -> DirectoryFilters {
    DirectoryFilters {
        q: q.trim().chars().take(200).collect(),
        region: Region::by_code(region).map(|r| r.code.to_owned()).unwrap_or_default(),
        field: Field::parse(field).map(|f| f.code().to_owned()).unwrap_or_default(),
        form: LegalForm::parse(form).map(|f| f.code().to_owned()).unwrap_or_default(),
        sort: if matches!(sort, "name" | "founded") {
            sort.to_owned()
        } else {
            String::new()
        },
    }
}

/// Up to `limit` NGOs whose names or place match the words typed, best match first: the
/// admin's pickers (an event's organiser, an NGO's logo). None for nothing searchable.
pub async fn matching(store: &dyn Store, typed: &str, limit: u32) -> Result<Vec<(i64, NgoRecord)>, AppError> {
    let Some(search) = fts_query(typed) else {
        return Ok(Vec::new());
    };
    let query = DirectoryQuery {
        search,
        limit,
        ..DirectoryQuery::default()
    };
    Ok(store.ranked_ngos(&query).await?)
}

/// The NGO's logo as a picture to show. It is always beside the NGO's name, which says what
/// it is: no alternative text of its own.
pub fn logo(ngo: &NgoRecord) -> Option<crate::domain::Cover> {
    let logo = ngo.logo.as_ref()?;
    Some(crate::domain::Cover::uploaded(
        &logo.key,
        logo.width,
        logo.height,
        &logo.widths,
        "",
    ))
}

/// The NGO's name in `lang`: its Bulgarian one when it has none in English.
pub fn name_in(ngo: &NgoRecord, lang: Lang) -> String {
    match lang {
        Lang::En if !ngo.name_en.is_empty() => ngo.name_en.clone(),
        _ => ngo.name_bg.clone(),
    }
}

fn card(ngo: &NgoRecord, lang: Lang) -> NgoCard {
    NgoCard {
        slug: ngo.slug.to_string(),
        name: name_in(ngo, lang),
        legal_form: ngo.legal_form,
        region: ngo.region.clone(),
        municipality: ngo.municipality.clone(),
        fields: ngo.fields.clone(),
        status: ngo.status,
        public_benefit: ngo.public_benefit,
        logo: logo(ngo),
    }
}

/// Matches a search ranks by relevance in SQL (which scores every match: 1 000 take about
/// 20 ms); beyond, the words are in so many names that the list is by name.
const RANKED_MAX: u64 = 500;

/// The visitor's words for the index in memory: each as typed and in Latin letters, as the
/// start of a word (a one-letter word whole), as [`fts_query`] has them.
fn index_words(typed: &str) -> Vec<super::index::IndexWord> {
    typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(MAX_WORDS)
        .map(|word| {
            let word = word.chars().take(40).collect::<String>().to_lowercase();
            let prefix = word.chars().count() > 1;
            let latin = transliterate(&word).to_lowercase();
            let mut spellings = vec![(word.clone(), prefix)];
            if latin != word && !latin.is_empty() {
                spellings.push((latin, prefix));
            }
            spellings
        })
        .collect()
}

/// A page of the directory with its filters' counts.
pub async fn directory(
    state: &crate::server::AppState,
    lang: Lang,
    filters: DirectoryFilters,
    page: PageNumber,
) -> Result<DirectoryData, AppError> {
    let store = state.store.as_ref();
    let index = state
        .directory_index
        .get(state.page_cache.content_generation(), || async {
            Ok::<_, AppError>(super::index::DirectoryIndex::build(store.directory_index_rows().await?))
        })
        .await?;
    let position = |found: Option<usize>| found.and_then(|at| u8::try_from(at).ok());
    let chosen = super::index::IndexFilters {
        region: position(REGIONS.iter().position(|r| r.code == filters.region)),
        form: position(LegalForm::ALL.iter().position(|f| f.code() == filters.form)),
        field: Field::parse(&filters.field).and_then(|field| u16::try_from(field.bit()).ok()),
    };
    let words = index_words(&filters.q);
    let matches = (!words.is_empty()).then(|| index.matching(&words));
    let counts = index.counts(matches.as_deref(), chosen);
    let offset = page.offset(PAGE_SIZE);
    let ranked = !words.is_empty() && filters.sort.is_empty() && counts.total <= RANKED_MAX;
    let found = match fts_query(&filters.q) {
        Some(search) if ranked => {
            store
                .ranked_ngos(&DirectoryQuery {
                    search,
                    region: (!filters.region.is_empty()).then(|| filters.region.clone()),
                    field: Field::parse(&filters.field),
                    legal_form: LegalForm::parse(&filters.form),
                    limit: PAGE_SIZE,
                    offset,
                })
                .await?
        }
        _ => {
            let by_founded = filters.sort == "founded";
            let ids = index.page(
                matches.as_deref(),
                chosen,
                by_founded,
                offset as usize,
                PAGE_SIZE as usize,
            );
            store.ngos_by_ids(&ids).await?
        }
    };
    // Past the last page there is nothing to show (and nothing for a cache to keep).
    if page.get() > 1 && found.is_empty() {
        return Err(AppError::NotFound);
    }
    let choices = |codes: Vec<&str>, counts: &[u64]| {
        codes
            .into_iter()
            .zip(counts)
            .map(|(code, count)| Choice {
                code: code.to_owned(),
                count: *count,
            })
            .collect()
    };
    Ok(DirectoryData {
        ngos: found.iter().map(|(_, ngo)| card(ngo, lang)).collect(),
        total: counts.total,
        page: page.get(),
        pages: PageNumber::count(counts.total, PAGE_SIZE),
        regions: choices(REGIONS.iter().map(|r| r.code).collect(), &counts.regions),
        fields: choices(Field::ALL.iter().map(|f| f.code()).collect(), &counts.fields),
        legal_forms: choices(LegalForm::ALL.iter().map(|f| f.code()).collect(), &counts.forms),
        filters,
    })
}

/// An NGO's profile with its upcoming events and the posts that name it.
pub async fn profile(store: &dyn Store, lang: Lang, slug: &Slug) -> Result<NgoProfile, AppError> {
    let (_, ngo) = store.ngo(slug).await?.ok_or(AppError::NotFound)?;
    let now = now();
    let limit = u32::try_from(PROFILE_ITEMS).unwrap_or(u32::MAX);
    let events = store
        .events_of_organiser(lang, &ngo.slug, now, limit)
        .await?
        .iter()
        .map(|event| event_card(event, now))
        .collect();
    // A post names the NGO by its full name in either language, or by its name in quotes
    // („Зелени Родопи“) when that is the whole name (not one of many of a town's).
    let mut names: Vec<String> = [ngo.name_bg.to_lowercase(), ngo.name_en.to_lowercase()]
        .into_iter()
        .filter(|name| name.chars().count() >= 4)
        .collect();
    if ngo.name_bg.ends_with('“') {
        names.push(format!("„{}“", crate::server::store::sort_name(&ngo.name_bg)));
    }
    let posts = store
        .posts(lang, &PostFilter::everything(now))
        .await?
        .iter()
        .filter(|post| {
            let text = format!("{} {} {}", post.title, post.summary, post.body_md).to_lowercase();
            names.iter().any(|name| text.contains(name.as_str()))
        })
        .take(PROFILE_ITEMS)
        .map(post_card)
        .collect();
    let other_name = match lang {
        Lang::Bg => ngo.name_en.clone(),
        Lang::En if !ngo.name_en.is_empty() => ngo.name_bg.clone(),
        Lang::En => String::new(),
    };
    Ok(NgoProfile {
        card: card(&ngo, lang),
        other_name,
        eik: ngo.eik.clone(),
        description: match lang {
            Lang::En if !ngo.description_en.is_empty() => ngo.description_en.clone(),
            _ => ngo.description_bg.clone(),
        },
        website: ngo.website.as_deref().and_then(https_link),
        email: ngo.email.clone(),
        phone: ngo.phone.clone(),
        address: ngo.address.clone(),
        founded: ngo.founded,
        events,
        posts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_prefix_terms_in_both_alphabets_and_nothing_else_reaches_fts() {
        assert_eq!(
            fts_query("Сдружение Варна").as_deref(),
            Some("(\"сдружение\"* OR \"sdruzhenie\"*) AND (\"варна\"* OR \"varna\"*)")
        );
        assert_eq!(
            fts_query("detska rabotilnitsa").as_deref(),
            Some("\"detska\"* AND \"rabotilnitsa\"*")
        );
        assert_eq!(fts_query("\" OR NEAR(*) -- ").as_deref(), Some("\"or\"* AND \"near\"*"));
        assert_eq!(fts_query("  ,,  "), None);
        // One letter is a whole word in either alphabet (as a prefix, „ch“ matched every
        // „chitalishte“).
        assert_eq!(fts_query("ч").as_deref(), Some("(\"ч\" OR \"ch\")"));
    }

    #[test]
    fn filters_that_name_nothing_are_dropped() {
        let kept = filters(" деца ", "smolyan", "children-youth", "foundation", "founded");
        assert_eq!(
            (
                kept.q.as_str(),
                kept.region.as_str(),
                kept.field.as_str(),
                kept.form.as_str(),
                kept.sort.as_str()
            ),
            ("деца", "smolyan", "children-youth", "foundation", "founded")
        );
        let dropped = filters("", "atlantis", "<script>", "corp", "random");
        assert_eq!(dropped, DirectoryFilters::default());
    }
}
