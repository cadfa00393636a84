//! Posts and events as cards: what lists, related blocks and the home page show of them. Both
//! features use these, so neither imports the other.
#[cfg(feature = "ssr")]
pub mod build;

use crate::domain::{Category, Cover, Lang, LocalDate, LocalDateTime, Slug};
use crate::i18n::*;
use crate::locale::href;
use crate::site::use_lang;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A post as a card in lists and in the related block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostCard {
    pub slug: Slug,
    /// The language the post is written in (another than the page's when it has no translation).
    pub lang: Lang,
    pub title: String,
    pub excerpt: String,
    pub published: LocalDate,
    pub category: Category,
    pub cover: Cover,
}

/// Where registration stands for an event right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistrationWindow {
    NotYetOpen,
    Open,
    Closed,
    /// The event itself is cancelled.
    Cancelled,
}

/// Seats of an event, counted in children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    pub capacity: u32,
    pub confirmed: u32,
    pub waitlisted: u32,
}

impl Availability {
    pub fn seats_left(self) -> u32 {
        self.capacity.saturating_sub(self.confirmed)
    }
}

/// An event as a card in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCard {
    pub slug: Slug,
    pub title: String,
    pub summary: String,
    pub starts: LocalDateTime,
    pub ends: LocalDateTime,
    pub venue_name: String,
    /// `None`: free entry.
    pub price_eur_cents: Option<u32>,
    pub min_age: u8,
    pub max_age: u8,
    pub availability: Availability,
    pub window: RegistrationWindow,
    pub cover: Cover,
}

/// Cards of posts.
#[component]
pub fn PostGrid(cards: Vec<PostCard>) -> impl IntoView {
    view! {
        <ul class="card-grid">
            {cards.into_iter().map(|card| view! { <li><PostCardView card /></li> }).collect_view()}
        </ul>
    }
}

#[component]
fn PostCardView(card: PostCard) -> impl IntoView {
    let lang = use_lang();
    let link = href(lang, &format!("posts/{}", card.slug));
    let text_lang = (card.lang != lang).then_some(card.lang.code());
    let srcset = (!card.cover.srcset.is_empty()).then_some(card.cover.srcset);
    // `sizes` says which width to pick from `srcset`: only with one.
    let sizes = srcset
        .is_some()
        .then_some("(min-width: 60rem) 20rem, (min-width: 40rem) 50vw, 100vw");
    view! {
        <article class="card" lang=text_lang>
            // The title next to it says what the picture is about: for a screen reader it is decoration.
            <img class="card__image" src=card.cover.src srcset=srcset sizes=sizes
                width=card.cover.width height=card.cover.height alt="" loading="lazy" decoding="async" />
            <div class="card__body">
                <p class="card__meta">
                    <span class="card__category">{card.category.name}</span>
                    <time datetime=card.published.iso()>{card.published.format(lang)}</time>
                </p>
                <h3 class="card__title"><a href=link>{card.title}</a></h3>
                <p class="card__excerpt">{card.excerpt}</p>
            </div>
        </article>
    }
}

/// The price of an event as its language writes it: „Вход свободен“, „12,50 €“, "€12.50".
pub fn price_text(price_eur_cents: Option<u32>, lang: Lang) -> String {
    let locale = Locale::from(lang);
    match price_eur_cents {
        None => td_string!(locale, price_free).to_string(),
        Some(cents) => {
            let amount = format!(
                "{}{}{:02}",
                cents / 100,
                td_string!(locale, decimal_separator),
                cents % 100
            );
            td_string!(locale, price_amount, amount = amount).to_string()
        }
    }
}

/// The ages an event is for: „4–12 г.“, "ages 4–12".
pub fn ages_text(min: u8, max: u8, lang: Lang) -> String {
    td_string!(Locale::from(lang), ages_range, min = min, max = max).to_string()
}

/// Places left, with the plural form each language needs: „Остава 1 място“ / „Остават 7
/// места“, "1 place left" / "7 places left" (in both, the singular is for exactly one).
pub fn places_left(count: u32, lang: Lang) -> String {
    let locale = Locale::from(lang);
    if count == 1 {
        td_string!(locale, places_left_singular).to_string()
    } else {
        td_string!(locale, places_left_plural, count = count).to_string()
    }
}

/// Seats left, or that the event is full and takes a waitlist.
#[component]
pub fn Seats(availability: Signal<Availability>, window: RegistrationWindow, lang: Lang) -> impl IntoView {
    let locale = Locale::from(lang);
    move || {
        let seats = availability.get().seats_left();
        match window {
            RegistrationWindow::Open | RegistrationWindow::NotYetOpen if seats > 0 => {
                view! { <span class="seats" data-testid="seats">{places_left(seats, lang)}</span> }.into_any()
            }
            RegistrationWindow::Open | RegistrationWindow::NotYetOpen => {
                view! { <span class="seats seats--full" data-testid="seats">{td!(locale, event_full_waitlist)}</span> }
                    .into_any()
            }
            RegistrationWindow::Closed => {
                view! { <span class="seats seats--closed">{td!(locale, registration_closed_short)}</span> }.into_any()
            }
            RegistrationWindow::Cancelled => {
                view! { <span class="seats seats--closed">{td!(locale, event_cancelled)}</span> }.into_any()
            }
        }
    }
}

#[component]
pub fn EventCardView(card: EventCard) -> impl IntoView {
    let lang = use_lang();
    let link = href(lang, &format!("events/{}", card.slug));
    let availability = Signal::stored(card.availability);
    view! {
        <article class="card event-card">
            <img class="card__image" src=card.cover.src width=card.cover.width height=card.cover.height
                alt="" loading="lazy" decoding="async" />
            <div class="card__body">
                <p class="event-card__when">
                    <time datetime=card.starts.iso()>{card.starts.format(lang)}</time>
                </p>
                <h3 class="card__title"><a href=link>{card.title}</a></h3>
                <p class="event-card__place">{card.venue_name}</p>
                <ul class="facts">
                    <li class="fact">{price_text(card.price_eur_cents, lang)}</li>
                    <li class="fact">{ages_text(card.min_age, card.max_age, lang)}</li>
                    <li class="fact fact--seats"><Seats availability window=card.window lang /></li>
                </ul>
            </div>
        </article>
    }
}

/// The events, or a line saying there are none.
#[component]
pub fn EventListOrEmpty(cards: Vec<EventCard>) -> impl IntoView {
    let locale = crate::site::page_locale();
    if cards.is_empty() {
        view! { <p class="empty">{td_string!(locale, no_events)}</p> }.into_any()
    } else {
        view! { <EventGrid cards /> }.into_any()
    }
}

#[component]
pub fn EventGrid(cards: Vec<EventCard>) -> impl IntoView {
    view! {
        <ul class="card-grid">
            {cards.into_iter().map(|card| view! { <li><EventCardView card /></li> }).collect_view()}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_as_each_language_writes_them() {
        assert_eq!(price_text(None, Lang::Bg), "Вход свободен");
        assert_eq!(price_text(None, Lang::En), "Free entry");
        assert_eq!(price_text(Some(1250), Lang::Bg), "12,50 €");
        assert_eq!(price_text(Some(505), Lang::En), "€5.05");
    }

    #[test]
    fn ages_as_each_language_writes_them() {
        assert_eq!(ages_text(4, 12, Lang::Bg), "4–12 г.");
        assert_eq!(ages_text(4, 12, Lang::En), "ages 4–12");
    }

    #[test]
    fn bulgarian_singular_and_plural_of_myasto() {
        assert_eq!(places_left(1, Lang::Bg), "Остава 1 място");
        assert_eq!(places_left(2, Lang::Bg), "Остават 2 места");
        assert_eq!(places_left(21, Lang::Bg), "Остават 21 места");
        assert_eq!(places_left(0, Lang::Bg), "Остават 0 места");
    }

    #[test]
    fn english_singular_and_plural() {
        assert_eq!(places_left(1, Lang::En), "1 place left");
        assert_eq!(places_left(7, Lang::En), "7 places left");
    }
}
