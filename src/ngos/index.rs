//! The directory in memory for its searches and counts: each NGO's oblast, legal form and
//! fields, and the words of its names and place, in name order. A search is the union of the
//! postings of the words it starts and the intersection over its words, as a set of bits; the
//! counts of every filter are one pass over it. (At 100 000 NGOs a broad word such as
//! „сдружение“ matches 60 000; in SQL its counts took tens of milliseconds each.) Made again
//! after every write the pages show (`server::kept`).
use crate::domain::{Field, LegalForm, REGIONS};
use crate::server::store::NgoIndexRow;
use std::collections::BTreeMap;

/// The filters of a page as positions in [`REGIONS`], [`LegalForm::ALL`] and a field's bit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexFilters {
    pub region: Option<u8>,
    pub form: Option<u8>,
    pub field: Option<u16>,
}

/// How many NGOs each choice would show with the other filters as they are, and the total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexCounts {
    pub total: u64,
    pub regions: Vec<u64>,
    pub forms: Vec<u64>,
    pub fields: Vec<u64>,
}

/// A searched word: its spellings, each matched as the start of a word (`true`) or whole.
pub type IndexWord = Vec<(String, bool)>;

#[derive(Debug, Default)]
pub struct DirectoryIndex {
    ids: Vec<i64>,
    regions: Vec<u8>,
    forms: Vec<u8>,
    fields: Vec<u16>,
    /// Positions by year founded (unknown last), then name.
    by_founded: Vec<u32>,
    /// Each word and the positions of the NGOs whose names or place have it, ascending.
    words: BTreeMap<String, Vec<u32>>,
}

/// A set of positions.
pub type Matches = Vec<u64>;

fn has(matches: &[u64], position: usize) -> bool {
    matches
        .get(position / 64)
        .is_some_and(|word| word >> (position % 64) & 1 == 1)
}

impl DirectoryIndex {
    /// The index of `rows`, given in name order.
    pub fn build(rows: Vec<NgoIndexRow>) -> DirectoryIndex {
        let mut index = DirectoryIndex::default();
        let mut founded: Vec<(Option<i64>, u32)> = Vec::with_capacity(rows.len());
        for (position, row) in rows.into_iter().enumerate() {
            let position = u32::try_from(position).unwrap_or(u32::MAX);
            index.ids.push(row.id);
            index.regions.push(
                REGIONS
                    .iter()
                    .position(|region| region.code == row.region)
                    .map_or(u8::MAX, |at| at as u8),
            );
            index.forms.push(
                LegalForm::ALL
                    .iter()
                    .position(|form| form.code() == row.legal_form)
                    .map_or(u8::MAX, |at| at as u8),
            );
            index.fields.push(u16::try_from(row.fields_mask).unwrap_or(0));
            founded.push((row.founded, position));
            for word in row
                .search_text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
            {
                let postings = index.words.entry(word.to_lowercase()).or_default();
                if postings.last() != Some(&position) {
                    postings.push(position);
                }
            }
        }
        founded.sort_by_key(|(year, position)| (year.is_none(), *year, *position));
        index.by_founded = founded.into_iter().map(|(_, position)| position).collect();
        index
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The NGOs having every word (in one of its spellings).
    pub fn matching(&self, words: &[IndexWord]) -> Matches {
        let blocks = self.len().div_ceil(64);
        let mut all = vec![u64::MAX; blocks];
        for word in words {
            let mut any = vec![0u64; blocks];
            for (spelling, prefix) in word {
                let postings: Box<dyn Iterator<Item = &Vec<u32>>> = if *prefix {
                    Box::new(
                        self.words
                            .range(spelling.clone()..)
                            .take_while(|(known, _)| known.starts_with(spelling.as_str()))
                            .map(|(_, postings)| postings),
                    )
                } else {
                    Box::new(self.words.get(spelling).into_iter())
                };
                for position in postings.flatten() {
                    any[*position as usize / 64] |= 1 << (position % 64);
                }
            }
            for (kept, found) in all.iter_mut().zip(any) {
                *kept &= found;
            }
        }
        all
    }

    /// The counts of every filter's choices (each with the other filters applied).
    pub fn counts(&self, matches: Option<&[u64]>, filters: IndexFilters) -> IndexCounts {
        let mut counts = IndexCounts {
            total: 0,
            regions: vec![0; REGIONS.len()],
            forms: vec![0; LegalForm::ALL.len()],
            fields: vec![0; Field::ALL.len()],
        };
        for position in 0..self.len() {
            if matches.is_some_and(|matches| !has(matches, position)) {
                continue;
            }
            let (region, form, fields) = (self.regions[position], self.forms[position], self.fields[position]);
            let in_region = filters.region.is_none_or(|chosen| chosen == region);
            let in_form = filters.form.is_none_or(|chosen| chosen == form);
            let in_field = filters.field.is_none_or(|bit| fields & bit != 0);
            if in_form
                && in_field
                && let Some(count) = counts.regions.get_mut(region as usize)
            {
                *count += 1;
            }
            if in_region
                && in_field
                && let Some(count) = counts.forms.get_mut(form as usize)
            {
                *count += 1;
            }
            if in_region && in_form {
                for (place, count) in counts.fields.iter_mut().enumerate() {
                    *count += u64::from(fields >> place & 1);
                }
            }
            if in_region && in_form && in_field {
                counts.total += 1;
            }
        }
        counts
    }

    /// The ids of one page: by name, or by year founded.
    pub fn page(
        &self,
        matches: Option<&[u64]>,
        filters: IndexFilters,
        by_founded: bool,
        offset: usize,
        limit: usize,
    ) -> Vec<i64> {
        let shown = |position: usize| {
            matches.is_none_or(|matches| has(matches, position))
                && filters.region.is_none_or(|chosen| chosen == self.regions[position])
                && filters.form.is_none_or(|chosen| chosen == self.forms[position])
                && filters.field.is_none_or(|bit| self.fields[position] & bit != 0)
        };
        let order: Box<dyn Iterator<Item = usize>> = if by_founded {
            Box::new(self.by_founded.iter().map(|position| *position as usize))
        } else {
            Box::new(0..self.len())
        };
        order
            .filter(|position| shown(*position))
            .skip(offset)
            .take(limit)
            .map(|position| self.ids[position])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, region: &str, form: &str, fields: &[Field], founded: Option<i64>, text: &str) -> NgoIndexRow {
        NgoIndexRow {
            id,
            region: region.to_owned(),
            legal_form: form.to_owned(),
            fields_mask: Field::mask(fields),
            founded,
            search_text: text.to_owned(),
        }
    }

    fn index() -> DirectoryIndex {
        DirectoryIndex::build(vec![
            row(
                3,
                "varna",
                "association",
                &[Field::ChildrenYouth],
                Some(2001),
                "детски усмивки – варна detski usmivki varna",
            ),
            row(
                1,
                "varna",
                "foundation",
                &[Field::Culture, Field::ChildrenYouth],
                None,
                "фондация варна fondatsia varna",
            ),
            row(
                2,
                "smolyan",
                "association",
                &[Field::Environment],
                Some(1990),
                "зелени родопи – смолян zeleni rodopi smolyan",
            ),
        ])
    }

    fn word(spellings: &[&str]) -> IndexWord {
        spellings.iter().map(|s| (s.to_string(), true)).collect()
    }

    #[test]
    fn every_word_must_start_a_word_of_the_ngo_in_some_spelling() {
        let index = index();
        let found = index.matching(&[word(&["варн", "varn"]), word(&["det"])]);
        assert_eq!(index.page(Some(&found), IndexFilters::default(), false, 0, 10), [3]);
        let whole = index.matching(&[vec![("варн".to_owned(), false)]]);
        assert!(
            index
                .page(Some(&whole), IndexFilters::default(), false, 0, 10)
                .is_empty(),
            "whole words only"
        );
    }

    #[test]
    fn counts_follow_the_other_filters_and_pages_keep_their_order() {
        let index = index();
        let varna = u8::try_from(REGIONS.iter().position(|r| r.code == "varna").unwrap_or(0)).unwrap_or(0);
        let filters = IndexFilters {
            region: Some(varna),
            ..IndexFilters::default()
        };
        let counts = index.counts(None, filters);
        assert_eq!(counts.total, 2);
        assert_eq!(counts.regions[varna as usize], 2);
        assert_eq!(
            counts.regions.iter().sum::<u64>(),
            3,
            "a region's choices ignore the region chosen"
        );
        assert_eq!(counts.fields[0], 2, "children and youth in Varna");
        assert_eq!(index.page(None, filters, false, 0, 10), [3, 1], "name order as built");
        assert_eq!(
            index.page(None, IndexFilters::default(), true, 0, 10),
            [2, 3, 1],
            "by year, unknown last"
        );
        assert_eq!(index.page(None, IndexFilters::default(), false, 1, 1), [1]);
    }
}
