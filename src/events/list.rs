//! The events list: upcoming and past events as cards.
use super::api;
use super::model::EventsWhen;
use crate::cards::EventListOrEmpty;
use crate::i18n::*;
use crate::locale::href;
use crate::site::{PageMeta, loaded, page_data, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn EventsPage() -> impl IntoView {
    crate::site::public_page();
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let query = use_query_map();
    let when = move || {
        if query.with(|q| q.get("when")).as_deref() == Some("past") {
            EventsWhen::Past
        } else {
            EventsWhen::Upcoming
        }
    };
    let events = page_data(when, move |when| api::list_events(lang, when));
    let tab = move |target: EventsWhen, label: String| {
        let path = match target {
            EventsWhen::Upcoming => href(lang, "events"),
            EventsWhen::Past => href(lang, "events?when=past"),
        };
        view! { <li><a class="chip" href=path aria-current=move || (when() == target).then_some("page")>{label}</a></li> }
    };
    view! {
        <PageMeta title=td_string!(locale, events_title).to_string() description=td_string!(locale, events_lead).to_string()
            path=Some("events".to_owned()) />
        <section class="page-head">
            <h1>{td_string!(locale, events_title)}</h1>
            <p>{td_string!(locale, events_lead)}</p>
        </section>
        <nav class="chips" aria-label=td_string!(locale, events_title)>
            <ul>
                {tab(EventsWhen::Upcoming, td_string!(locale, events_upcoming).to_string())}
                {tab(EventsWhen::Past, td_string!(locale, events_past).to_string())}
            </ul>
        </nav>
        <h2 class="visually-hidden">{td_string!(locale, events_list_heading)}</h2>
        {loaded(events, move |cards| view! { <EventListOrEmpty cards /> })}
    }
}
