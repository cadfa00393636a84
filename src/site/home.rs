//! The home page: the latest posts and the upcoming events.
use super::later::HydrateLater;
use super::{PageMeta, loaded, page_data, use_lang};
use crate::cards::{EventListOrEmpty, PostGrid};
use crate::i18n::*;
use crate::locale::href;
use leptos::prelude::*;

/// Upcoming events on the home page.
const HOME_EVENTS: usize = 3;

#[component]
pub fn HomePage() -> impl IntoView {
    crate::site::public_page();
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let posts = page_data(move || lang, crate::posts::api::latest_posts);
    let events = page_data(
        move || lang,
        |lang| crate::events::api::list_events(lang, crate::events::model::EventsWhen::Upcoming),
    );
    // Outside the parts hydrated later (see `later`): a `Suspense` reads the page's data.
    let latest = loaded(posts, move |cards| view! { <PostGrid cards /> });
    let upcoming = loaded(events, move |mut cards| {
        cards.truncate(HOME_EVENTS);
        view! { <EventListOrEmpty cards /> }
    });
    view! {
        <PageMeta title=td_string!(locale, home_title).to_string()
            description=td_string!(locale, site_description).to_string() path=Some(String::new()) />
        <section class="hero">
            <h1>{td_string!(locale, home_title)}</h1>
            <p>{td_string!(locale, home_lead)}</p>
        </section>
        <HydrateLater>
            <section class="section" aria-labelledby="latest-heading">
                <div class="section__head">
                    <h2 id="latest-heading">{td_string!(locale, latest_posts)}</h2>
                    <a class="section__more" href=href(lang, "posts")>{td_string!(locale, all_posts)}</a>
                </div>
                {latest}
            </section>
        </HydrateLater>
        <HydrateLater>
            <section class="section" aria-labelledby="events-heading">
                <div class="section__head">
                    <h2 id="events-heading">{td_string!(locale, upcoming_events)}</h2>
                    <a class="section__more" href=href(lang, "events")>{td_string!(locale, all_events)}</a>
                </div>
                {upcoming}
            </section>
        </HydrateLater>
    }
}
