//! The site search's reads: one ranked list of posts, events and NGOs matching a full-text
//! query, and the index's words near a mistyped one.
use super::{StoreError, rows};
use crate::domain::Lang;
use async_trait::async_trait;
use std::collections::HashMap;

/// What a search result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchKind {
    Post,
    Event,
    Ngo,
}

impl SearchKind {
    pub const ALL: [SearchKind; 3] = [SearchKind::Post, SearchKind::Event, SearchKind::Ngo];

    pub fn code(self) -> &'static str {
        match self {
            SearchKind::Post => "posts",
            SearchKind::Event => "events",
            SearchKind::Ngo => "ngos",
        }
    }

    pub fn parse(code: &str) -> Option<SearchKind> {
        SearchKind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSearchQuery {
    /// An FTS5 query made by the search's service (only quoted words and OR/AND); PostgreSQL
    /// reads it as [`tsquery`] rewrites it.
    pub fts: String,
    /// Posts and events are read in this language when written in it, else in their own.
    pub lang: Lang,
    pub kind: Option<SearchKind>,
    /// Posts published after this (Unix seconds) are not found yet.
    pub now: i64,
    pub limit: u32,
    pub offset: u32,
}

/// A post, event or NGO found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteHit {
    pub kind: SearchKind,
    pub slug: String,
    /// The language of `title` and `text`.
    pub lang: Lang,
    pub title: String,
    /// What a snippet is cut from: a post's summary and body (Markdown), an event's summary,
    /// venue and body, an NGO's description.
    pub text: String,
    /// A post's publication or an event's start (Unix seconds).
    pub when: Option<i64>,
    /// An event's venue or an NGO's municipality.
    pub place: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SiteSearchPage {
    pub hits: Vec<SiteHit>,
    /// How many of each kind match (whatever `kind` asked for).
    pub counts: Vec<(SearchKind, u64)>,
}

#[async_trait]
pub trait SearchStore: Send + Sync {
    async fn site_search(&self, query: &SiteSearchQuery) -> Result<SiteSearchPage, StoreError>;
    /// The text of every row a visitor may find (titles and bodies): what the search's
    /// vocabulary of known words is made of, so that it never holds a draft's words.
    async fn visible_search_text(&self, now: i64) -> Result<Vec<String>, StoreError>;
}

/// The kind a row of the site's index (`id * 8 + code`) is of, as `(code + 1) / 2`.
pub(crate) fn kind_number(kind: SearchKind) -> i64 {
    match kind {
        SearchKind::Ngo => 0,
        SearchKind::Post => 1,
        SearchKind::Event => 2,
    }
}

fn kind_of_number(number: i64) -> Option<SearchKind> {
    SearchKind::ALL.into_iter().find(|kind| kind_number(*kind) == number)
}

/// How many records of each kind matched, from `(kind number, count)` rows (a kind without a
/// row has none).
pub(crate) fn counts_of(counted: &[(i64, i64)]) -> Result<Vec<(SearchKind, u64)>, StoreError> {
    SearchKind::ALL
        .into_iter()
        .map(|kind| {
            let count = counted
                .iter()
                .find(|(number, _)| kind_of_number(*number) == Some(kind))
                .map_or(Ok(0), |(_, count)| rows::count(*count))?;
            Ok((kind, count))
        })
        .collect()
}

/// The ids of the records of `code` (0 an NGO, 1 a post, 3 an event) among `records`.
pub(crate) fn ids_of(records: &[i64], code: i64) -> Vec<i64> {
    records
        .iter()
        .filter(|record| *record % 8 == code)
        .map(|record| record / 8)
        .collect()
}

/// A record found, as both engines read it for the page.
#[derive(sqlx::FromRow)]
pub(crate) struct HitRow {
    record: i64,
    slug: String,
    lang: String,
    title: String,
    text: String,
    happens_at: Option<i64>,
    place: String,
}

/// The hits of `records` (best first) from their `rows`: a match that is no longer public has
/// no row, and is left out.
pub(crate) fn hits_in_order(records: &[i64], rows: Vec<HitRow>) -> Result<Vec<SiteHit>, StoreError> {
    let mut by_record: HashMap<i64, HitRow> = rows.into_iter().map(|row| (row.record, row)).collect();
    records
        .iter()
        .filter_map(|record| {
            let row = by_record.remove(record)?;
            let kind = kind_of_number((record % 8 + 1) / 2)?;
            Some(
                rows::lang(&row.lang, || format!("search row {record}")).map(|lang| SiteHit {
                    kind,
                    slug: row.slug,
                    lang,
                    title: row.title,
                    text: row.text,
                    when: row.happens_at,
                    place: row.place,
                }),
            )
        })
        .collect()
}

/// A full-text query of the services' FTS5 form (quoted words, a `*` after a prefix,
/// `AND`/`OR`, parentheses: `("лятно"* OR "lyatno"*) AND "ч"`) as PostgreSQL's `to_tsquery`
/// reads it (`(лятно:* | lyatno:*) & ч`). Each term keeps only its letters and digits, so no
/// text reaches `to_tsquery` as its syntax, and it is bound, never part of the SQL; terms left
/// empty are dropped. Empty when nothing is left: nothing matches it (`""` is not an error for
/// `to_tsquery`, but the stores do not ask).
pub(crate) fn tsquery(fts: &str) -> String {
    let tokens = fts5_tokens(fts);
    let mut parser = Fts5Parser { tokens: &tokens, at: 0 };
    let mut parts = Vec::new();
    loop {
        parts.extend(parser.any());
        // Only a `)` without its `(` stops a query early: the rest is read too.
        if parser.at >= tokens.len() {
            break;
        }
        parser.at += 1;
    }
    TsExpression::list(parts, TsExpression::All)
        .map(|expression| expression.render(false))
        .unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Fts5Token {
    Open,
    Close,
    Star,
    And,
    Or,
    Term(String),
}

fn fts5_tokens(fts: &str) -> Vec<Fts5Token> {
    let mut tokens = Vec::new();
    let mut chars = fts.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '(' => tokens.push(Fts5Token::Open),
            ')' => tokens.push(Fts5Token::Close),
            '*' => tokens.push(Fts5Token::Star),
            '"' => {
                // A string ends at a lone quote; `""` is a quote inside it.
                let mut term = String::new();
                while let Some(c) = chars.next() {
                    if c == '"' {
                        if chars.peek() == Some(&'"') {
                            chars.next();
                            term.push('"');
                            continue;
                        }
                        break;
                    }
                    term.push(c);
                }
                tokens.push(Fts5Token::Term(term));
            }
            c if c.is_whitespace() => {}
            c => {
                let mut word = String::from(c);
                while let Some(&next) = chars.peek() {
                    if next.is_whitespace() || matches!(next, '(' | ')' | '*' | '"') {
                        break;
                    }
                    word.push(next);
                    chars.next();
                }
                tokens.push(match word.as_str() {
                    "AND" => Fts5Token::And,
                    "OR" => Fts5Token::Or,
                    _ => Fts5Token::Term(word),
                });
            }
        }
    }
    tokens
}

/// A query: `Or` of `And`s of terms, as FTS5 binds them (AND before OR).
#[derive(Debug)]
enum TsExpression {
    Term { text: String, prefix: bool },
    All(Vec<TsExpression>),
    Any(Vec<TsExpression>),
}

impl TsExpression {
    /// `None` for a list left empty, the one left for a list of one.
    fn list(mut items: Vec<TsExpression>, make: fn(Vec<TsExpression>) -> TsExpression) -> Option<TsExpression> {
        match items.len() {
            0 => None,
            1 => items.pop(),
            _ => Some(make(items)),
        }
    }

    fn render(&self, nested: bool) -> String {
        let join = |items: &[TsExpression], operator: &str| {
            let inner: Vec<String> = items.iter().map(|item| item.render(true)).collect();
            let joined = inner.join(operator);
            if nested { format!("({joined})") } else { joined }
        };
        match self {
            TsExpression::Term { text, prefix } => format!("{text}{}", if *prefix { ":*" } else { "" }),
            TsExpression::All(items) => join(items, " & "),
            TsExpression::Any(items) => join(items, " | "),
        }
    }
}

struct Fts5Parser<'a> {
    tokens: &'a [Fts5Token],
    at: usize,
}

impl Fts5Parser<'_> {
    fn peek(&self) -> Option<&Fts5Token> {
        self.tokens.get(self.at)
    }

    fn any(&mut self) -> Option<TsExpression> {
        let mut items = Vec::new();
        items.extend(self.all());
        while self.peek() == Some(&Fts5Token::Or) {
            self.at += 1;
            items.extend(self.all());
        }
        TsExpression::list(items, TsExpression::Any)
    }

    /// Terms and groups one after the other (`AND` or not) up to an `OR`, a `)` or the end.
    fn all(&mut self) -> Option<TsExpression> {
        let mut items = Vec::new();
        while let Some(token) = self.peek() {
            match token {
                Fts5Token::Or | Fts5Token::Close => break,
                Fts5Token::And | Fts5Token::Star => self.at += 1,
                Fts5Token::Open => {
                    self.at += 1;
                    items.extend(self.any());
                    if self.peek() == Some(&Fts5Token::Close) {
                        self.at += 1;
                    }
                }
                Fts5Token::Term(raw) => {
                    let text: String = raw.chars().filter(|c| c.is_alphanumeric()).collect();
                    self.at += 1;
                    let prefix = self.peek() == Some(&Fts5Token::Star);
                    if prefix {
                        self.at += 1;
                    }
                    if !text.is_empty() {
                        items.push(TsExpression::Term {
                            text: text.to_lowercase(),
                            prefix,
                        });
                    }
                }
            }
        }
        TsExpression::list(items, TsExpression::All)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts5_queries_become_tsqueries_of_the_same_terms() {
        assert_eq!(
            tsquery("(\"лятно\"* OR \"lyatno\"*) AND (\"ч\" OR \"ch\")"),
            "(лятно:* | lyatno:*) & (ч | ch)"
        );
        assert_eq!(
            tsquery("\"detska\"* AND \"rabotilnitsa\"*"),
            "detska:* & rabotilnitsa:*"
        );
        // The site search's fallback: some word, a near word whole.
        assert_eq!(
            tsquery("(\"парти\"* OR \"parti\"*) OR (\"рабтилница\"* OR \"работилница\")"),
            "(парти:* | parti:*) | (рабтилница:* | работилница)"
        );
        assert_eq!(tsquery("\"ч\""), "ч");
    }

    #[test]
    fn nothing_typed_reaches_tsquery_as_its_syntax() {
        for (fts, expected) in [
            ("", ""),
            ("  ", ""),
            ("\"\"* AND \"!!\"", ""),
            ("\"'\"; DROP TABLE\"*", "drop & table"),
            ("\"a:*|b&!c<->d\"", "abcd"),
            ("(\"🎉\"* OR \"x\")", "x"),
            ("\"say \"\"hi\"\"\"*", "sayhi:*"),
            ("((\"a\"", "a"),
            (")) OR AND \"b\"* ((", "b:*"),
        ] {
            assert_eq!(tsquery(fts), expected, "{fts}");
        }
    }

    #[test]
    fn hits_keep_the_rank_order_and_skip_what_is_gone() {
        let row = |record: i64, slug: &str| HitRow {
            record,
            slug: slug.into(),
            lang: "bg".into(),
            title: String::new(),
            text: String::new(),
            happens_at: None,
            place: String::new(),
        };
        let records = [3 * 8 + 1, 5 * 8, 2 * 8 + 3];
        let hits = hits_in_order(&records, vec![row(5 * 8, "ngo"), row(3 * 8 + 1, "post")]).unwrap();
        let found: Vec<(SearchKind, &str)> = hits.iter().map(|hit| (hit.kind, hit.slug.as_str())).collect();
        assert_eq!(found, [(SearchKind::Post, "post"), (SearchKind::Ngo, "ngo")]);
        assert_eq!(ids_of(&records, 3), [2]);
        assert_eq!(
            counts_of(&[(2, 4), (0, 1)]).unwrap(),
            [(SearchKind::Post, 0), (SearchKind::Event, 4), (SearchKind::Ngo, 1)]
        );
    }
}
