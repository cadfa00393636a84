//! Demo content written for the portal (posts in BG and EN, categories, tags, NGO records),
//! stored on first start so that a new installation shows a living site.
mod accounts;
mod ngos;
use crate::domain::Lang;
pub use accounts::{DEMO_EDITOR, DEMO_ORGANISER, demo_accounts};
pub use ngos::{DEMO_NGO_COUNT, KnownNgo, generate as generate_ngos};
use serde::Deserialize;

const DEMO_JSON: &str = include_str!("demo.json");

#[derive(Debug, thiserror::Error)]
pub enum SeedFileError {
    #[error("cannot read the seed file: {0}")]
    Read(#[from] std::io::Error),
    #[error("the seed file is not valid: {0}")]
    Parse(#[from] serde_json::Error),
    #[error("event {0} of the seed cannot be scheduled")]
    Unschedulable(String),
}

/// Seed content with each event's dates fixed (`schedules[i]` is `content.events[i]`'s): what
/// the store writes, as it is, whatever the engine.
#[derive(Debug)]
pub struct ScheduledContent<'a> {
    pub content: &'a SeedContent,
    pub schedules: Vec<EventSchedule>,
}

impl SeedContent {
    /// Fixes every event's dates, relative to `now` (Unix seconds).
    pub fn scheduled(&self, now: i64) -> Result<ScheduledContent<'_>, SeedFileError> {
        let schedules = self
            .events
            .iter()
            .map(|event| {
                event
                    .schedule(now)
                    .ok_or_else(|| SeedFileError::Unschedulable(event.slug.clone()))
            })
            .collect::<Result<_, _>>()?;
        Ok(ScheduledContent {
            content: self,
            schedules,
        })
    }
}

#[derive(Debug, Deserialize)]
pub struct SeedContent {
    #[serde(default)]
    pub categories: Vec<NamedSeed>,
    #[serde(default)]
    pub tags: Vec<NamedSeed>,
    #[serde(default)]
    pub posts: Vec<PostSeed>,
    #[serde(default)]
    pub ngos: Vec<NgoSeed>,
    #[serde(default)]
    pub events: Vec<EventSeed>,
}

/// An event, scheduled relative to the day the content is stored so that a new
/// installation always has upcoming events.
#[derive(Debug, Deserialize)]
pub struct EventSeed {
    pub slug: String,
    pub code_prefix: String,
    /// Slug of the organising NGO.
    pub organiser: String,
    /// Days from the seeding day (negative: a past event)…
    pub days_ahead: i64,
    /// …then forward to this weekday (0 = Sunday … 6 = Saturday), if given.
    pub weekday: Option<u32>,
    /// Local Sofia time, `HH:MM`.
    pub start: String,
    pub minutes: i64,
    pub registration_opens_days_before: i64,
    pub registration_closes_hours_before: i64,
    pub price_eur_cents: Option<u32>,
    pub min_age: u8,
    pub max_age: u8,
    pub capacity: u32,
    pub tags: Vec<String>,
    pub map_url: Option<String>,
    pub bg: EventText,
    pub en: EventText,
}

#[derive(Debug, Deserialize)]
pub struct EventText {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub venue_name: String,
    pub venue_address: String,
}

/// When a seeded event happens and takes registrations (Unix seconds, UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventSchedule {
    pub starts_at: i64,
    pub ends_at: i64,
    pub registration_opens_at: i64,
    pub registration_closes_at: i64,
}

impl EventSeed {
    pub fn text(&self, lang: Lang) -> &EventText {
        match lang {
            Lang::Bg => &self.bg,
            Lang::En => &self.en,
        }
    }

    pub fn schedule(&self, now: i64) -> Option<EventSchedule> {
        use chrono::{Datelike, Days, NaiveTime, TimeZone, Utc};
        use chrono_tz::Europe::Sofia;
        let today = Utc.timestamp_opt(now, 0).single()?.with_timezone(&Sofia).date_naive();
        let mut day = if self.days_ahead >= 0 {
            today.checked_add_days(Days::new(self.days_ahead.unsigned_abs()))?
        } else {
            today.checked_sub_days(Days::new(self.days_ahead.unsigned_abs()))?
        };
        if let Some(weekday) = self.weekday {
            let on = |day: &chrono::NaiveDate| day.weekday().num_days_from_sunday() == weekday % 7;
            let mut forward = day;
            while !on(&forward) {
                forward = forward.succ_opt()?;
            }
            // An event meant to take registrations on the seeding day goes back to its
            // weekday instead when going forward would put it past its registration window
            // (seeded on some weekdays, it would not open yet).
            let meant_open = self.days_ahead < self.registration_opens_days_before;
            let mut back = day;
            while !on(&back) {
                back = back.pred_opt()?;
            }
            let too_far = (forward - today).num_days() >= self.registration_opens_days_before;
            day = if meant_open && too_far && back > today {
                back
            } else {
                forward
            };
        }
        let time = NaiveTime::parse_from_str(&self.start, "%H:%M").ok()?;
        let starts_at = Sofia.from_local_datetime(&day.and_time(time)).earliest()?.timestamp();
        Some(EventSchedule {
            starts_at,
            ends_at: starts_at + self.minutes * 60,
            registration_opens_at: starts_at - self.registration_opens_days_before * 86_400,
            registration_closes_at: starts_at - self.registration_closes_hours_before * 3_600,
        })
    }
}

/// A slug with its Bulgarian and English names.
#[derive(Debug, Deserialize)]
pub struct NamedSeed {
    pub slug: String,
    pub bg: String,
    pub en: String,
}

#[derive(Debug, Deserialize)]
pub struct PostSeed {
    pub slug: String,
    pub category: String,
    pub tags: Vec<String>,
    /// RFC 3339, e.g. `2024-03-11T09:00:00+02:00`.
    pub published_at: String,
    pub bg: Option<PostText>,
    pub en: Option<PostText>,
}

#[derive(Debug, Deserialize)]
pub struct PostText {
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub body: String,
}

#[derive(Debug, Deserialize)]
pub struct NgoSeed {
    pub slug: String,
    pub bg: String,
    pub en: String,
    pub city: String,
}

impl SeedContent {
    pub fn demo() -> Result<SeedContent, serde_json::Error> {
        serde_json::from_str(DEMO_JSON)
    }

    /// Extra content from a file in the same format (`SEED_EXTRA`, used by the end-to-end tests).
    pub fn from_file(path: &std::path::Path) -> Result<SeedContent, SeedFileError> {
        let text = std::fs::read_to_string(path)?;
        Ok(serde_json::from_str(&text)?)
    }
}

impl PostSeed {
    pub fn translation(&self, lang: Lang) -> Option<&PostText> {
        match lang {
            Lang::Bg => self.bg.as_ref(),
            Lang::En => self.en.as_ref(),
        }
    }

    /// The publication instant in Unix seconds; the demo file is checked by a test, so an
    /// unparsable date cannot ship.
    pub fn published_at_unix(&self) -> i64 {
        chrono::DateTime::parse_from_rfc3339(&self.published_at).map_or(0, |d| d.timestamp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_art_workshop_is_a_saturday_at_eleven_sofia_time() {
        use chrono::{Datelike, TimeZone, Timelike, Utc};
        let seed = SeedContent::demo().expect("demo.json parses");
        let party = seed
            .events
            .iter()
            .find(|e| e.slug == "summer-art-party")
            .expect("seeded");
        // Seeded on Wednesday 25 November 2026 (winter, UTC+2).
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap().timestamp();
        let starts = Utc.timestamp_opt(party.schedule(now).unwrap().starts_at, 0).unwrap();
        let local = starts.with_timezone(&chrono_tz::Europe::Sofia);
        assert_eq!(
            (local.weekday(), local.hour(), local.minute()),
            (chrono::Weekday::Sat, 11, 0)
        );
        assert_eq!(local.date_naive().to_string(), "2026-12-05");
        assert_eq!(starts.hour(), 9, "11:00 in Sofia is 09:00 UTC in winter");
    }

    #[test]
    fn events_meant_to_take_registrations_do_so_whatever_the_hour_and_weekday_of_seeding() {
        let seed = SeedContent::demo().expect("demo.json parses");
        // Every hour of a week: Monday 7 December 2026, 00:00 UTC, onwards.
        let monday = 1_796_601_600;
        for hour in 0..24 * 7 {
            let now = monday + hour * 3_600;
            for event in seed
                .events
                .iter()
                .filter(|e| (0..e.registration_opens_days_before).contains(&e.days_ahead))
            {
                let schedule = event.schedule(now).expect("schedulable");
                assert!(
                    schedule.registration_opens_at <= now && now < schedule.registration_closes_at,
                    "{} seeded at {now}: registration open",
                    event.slug
                );
            }
        }
    }

    use crate::domain::Slug;
    use std::collections::HashSet;

    #[test]
    fn demo_content_is_complete_and_consistent() {
        let seed = SeedContent::demo().expect("demo.json parses");
        assert!(seed.posts.len() >= 10, "at least ten demo posts");
        let categories: HashSet<&str> = seed.categories.iter().map(|c| c.slug.as_str()).collect();
        let tags: HashSet<&str> = seed.tags.iter().map(|t| t.slug.as_str()).collect();
        let mut slugs = HashSet::new();
        for post in &seed.posts {
            assert!(post.slug.parse::<Slug>().is_ok(), "{} is a valid slug", post.slug);
            assert!(slugs.insert(post.slug.as_str()), "{} is unique", post.slug);
            assert!(categories.contains(post.category.as_str()), "{}: category", post.slug);
            assert!(
                post.tags.iter().all(|t| tags.contains(t.as_str())),
                "{}: tags",
                post.slug
            );
            assert!(
                chrono::DateTime::parse_from_rfc3339(&post.published_at).is_ok(),
                "{}: date",
                post.slug
            );
            for lang in Lang::ALL {
                let text = post
                    .translation(lang)
                    .unwrap_or_else(|| panic!("{} in {lang}", post.slug));
                assert!(
                    !text.title.is_empty() && !text.summary.is_empty() && text.body.len() > 400,
                    "{} in {lang}",
                    post.slug
                );
            }
        }
        assert!(!seed.ngos.is_empty());
        let ngos: HashSet<&str> = seed.ngos.iter().map(|n| n.slug.as_str()).collect();
        let now = 1_764_000_000; // 24 Nov 2025
        assert!(
            seed.events.iter().filter(|e| e.days_ahead > 0).count() >= 3,
            "upcoming events"
        );
        assert!(seed.events.iter().any(|e| e.days_ahead < 0), "past events");
        for event in &seed.events {
            assert!(ngos.contains(event.organiser.as_str()), "{}: organiser", event.slug);
            assert!(
                event.tags.iter().all(|t| tags.contains(t.as_str())),
                "{}: tags",
                event.slug
            );
            let schedule = event.schedule(now).expect("schedulable");
            assert!(schedule.registration_opens_at < schedule.registration_closes_at);
            assert!(schedule.registration_closes_at <= schedule.starts_at && schedule.starts_at < schedule.ends_at);
        }
        for named in seed.categories.iter().chain(&seed.tags) {
            assert!(named.slug.parse::<Slug>().is_ok(), "{}", named.slug);
        }
    }
}
