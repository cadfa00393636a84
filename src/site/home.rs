//! The home page: the latest posts and the upcoming events.
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
    let i18n = use_i18n();
    let lang = use_lang();
    let posts = page_data(move || lang, crate::posts::api::latest_posts);
    let events = page_data(
        move || lang,
        |lang| crate::events::api::list_events(lang, crate::events::model::EventsWhen::Upcoming),
    );
    view! {
        <PageMeta title=t_string!(i18n, home_title).to_string()
            description=t_string!(i18n, site_description).to_string() path=Some(String::new()) />
        <section class="hero">
            <h1>{t!(i18n, home_title)}</h1>
            <p>{t!(i18n, home_lead)}</p>
        </section>
        <section class="section" aria-labelledby="latest-heading">
            <div class="section__head">
                <h2 id="latest-heading">{t!(i18n, latest_posts)}</h2>
                <a class="section__more" href=href(lang, "posts")>{t!(i18n, all_posts)}</a>
            </div>
            {loaded(posts, move |cards| view! { <PostGrid cards /> })}
        </section>
        <section class="section" aria-labelledby="events-heading">
            <div class="section__head">
                <h2 id="events-heading">{t!(i18n, upcoming_events)}</h2>
                <a class="section__more" href=href(lang, "events")>{t!(i18n, all_events)}</a>
            </div>
            {loaded(events, move |mut cards| {
                cards.truncate(HOME_EVENTS);
                view! { <EventListOrEmpty cards /> }
            })}
        </section>
    }
}
