//! Cards from stored records (server only).
use super::{Availability, EventCard, PostCard, RegistrationWindow};
use crate::domain::{Cover, Slug, excerpt};
use crate::server::store::{CoverImage, EventRecord, PostRecord};
use crate::server::time::{sofia_date, sofia_datetime};

/// Longest excerpt on a post card, in characters.
const EXCERPT_CHARS: usize = 160;
/// Longest summary on an event card, in characters.
const SUMMARY_CHARS: usize = 180;

pub fn post_card(record: &PostRecord) -> PostCard {
    PostCard {
        slug: record.slug.clone(),
        lang: record.lang,
        title: record.title.clone(),
        excerpt: excerpt(&record.summary, EXCERPT_CHARS),
        published: sofia_date(record.published_at),
        category: record.category.clone(),
        cover: cover_of(record.cover.as_ref(), &record.slug),
    }
}

/// The uploaded photo of a post or event, else the cover generated from its slug.
pub fn cover_of(image: Option<&CoverImage>, slug: &Slug) -> Cover {
    match image {
        Some(image) => Cover::uploaded(&image.key, image.width, image.height, &image.widths, &image.alt),
        None => Cover::generated(slug),
    }
}

fn window(event: &EventRecord, now: i64) -> RegistrationWindow {
    if event.cancelled {
        RegistrationWindow::Cancelled
    } else if now < event.registration_opens_at {
        RegistrationWindow::NotYetOpen
    } else if now > event.registration_closes_at {
        RegistrationWindow::Closed
    } else {
        RegistrationWindow::Open
    }
}

pub fn event_card(event: &EventRecord, now: i64) -> EventCard {
    EventCard {
        slug: event.slug.clone(),
        title: event.title.clone(),
        summary: excerpt(&event.summary, SUMMARY_CHARS),
        starts: sofia_datetime(event.starts_at),
        ends: sofia_datetime(event.ends_at),
        venue_name: event.venue_name.clone(),
        price_eur_cents: event.price_eur_cents,
        min_age: event.min_age,
        max_age: event.max_age,
        availability: availability(event),
        window: window(event, now),
        cover: cover_of(event.cover.as_ref(), &event.slug),
    }
}

pub fn availability(event: &EventRecord) -> Availability {
    Availability {
        capacity: event.capacity,
        confirmed: event.confirmed_children,
        waitlisted: event.waitlisted_children,
    }
}
