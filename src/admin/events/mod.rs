//! Events in the admin (`/{lang}/admin/events`): the list with search, status filter and
//! pages, and the editor (`editor.rs`). For admins and editors; the server checks every call.
//! An event's door list (`/{lang}/admin/events/{slug}`) is `admin::door`.
pub mod api;
mod editor;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;

use crate::admin::list::{ListFilter, Pager};
use crate::domain::Lang;
use crate::i18n::*;
use crate::locale::href;
use crate::site::{PageMeta, loaded, private_data, private_page, use_lang};
pub use editor::{EditEventPage, NewEventPage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use model::{AdminEventList, AdminEventRow, EventStatus};

/// A status as the admin pages name it.
pub fn status_text(status: EventStatus, locale: Locale) -> &'static str {
    match status {
        EventStatus::Draft => td_string!(locale, event_status_draft),
        EventStatus::Published => td_string!(locale, event_status_published),
        EventStatus::Cancelled => td_string!(locale, admin_cancelled),
    }
}

#[component]
pub fn AdminEventsPage() -> impl IntoView {
    private_page();
    let lang = use_lang();
    let query = use_query_map();
    let events = private_data(
        move || {
            query.with(|q| {
                (
                    q.get("q").unwrap_or_default(),
                    q.get("status").unwrap_or_default(),
                    q.get("page").unwrap_or_default(),
                )
            })
        },
        move |(q, status, page)| api::admin_events_page(lang, q, status, page),
    );
    view! { {loaded(events, move |list| view! { <EventListView list /> })} }
}

#[component]
fn EventListView(list: AdminEventList) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let query = use_query_map();
    let q = query.with_untracked(|q| q.get("q").unwrap_or_default());
    let status = query.with_untracked(|q| q.get("status").unwrap_or_default());
    let (page, pages) = (list.page, list.pages);
    let empty = list.events.is_empty();
    view! {
        <PageMeta title=td_string!(locale, admin_events).to_string() description=String::new() path=None />
        <section class="admin-page admin-posts">
            <p class="admin-page__back"><a href=href(lang, "admin")>{td_string!(locale, door_back)}</a></p>
            <header class="admin-posts__head">
                <h1>{td_string!(locale, admin_events)}</h1>
                <a class="button button--primary" href=href(lang, "admin/events/new") data-testid="new-event">{td_string!(locale, admin_new_event)}</a>
            </header>
            <ListFilter q=q.clone() status=status.clone()
                statuses=EventStatus::ALL.into_iter().map(|option| (option.as_str(), status_text(option, locale))).collect() />
            <p class="admin-page__lead" data-testid="events-total">{td_string!(locale, admin_posts_total, count = list.total)}</p>
            {empty.then(|| view! { <p>{td_string!(locale, no_events)}</p> })}
            <ul class="admin-post-list plain" data-testid="admin-event-list">
                {list.events.into_iter().map(|event| view! { <EventRow event lang locale /> }).collect_view()}
            </ul>
            <Pager lang path="admin/events" q status page pages />
        </section>
    }
}

#[component]
fn EventRow(event: AdminEventRow, lang: Lang, locale: Locale) -> impl IntoView {
    let languages = event
        .langs
        .iter()
        .map(|l| l.code().to_uppercase())
        .collect::<Vec<_>>()
        .join(" · ");
    let seats = td_string!(
        locale,
        admin_children_seats,
        confirmed = event.confirmed_children,
        capacity = event.capacity
    )
    .to_string();
    let door = (event.status != EventStatus::Draft).then(|| href(lang, &format!("admin/events/{}", event.slug)));
    view! {
        <li class="admin-post" data-testid="admin-event-row">
            <a class="admin-post__title" href=href(lang, &format!("admin/events/{}/edit", event.slug))>{event.title}</a>
            <p class="admin-post__meta">
                <span class=format!("post-status post-status--{}", event.status.as_str())>{status_text(event.status, locale)}</span>
                " · " <time datetime=event.starts.iso()>{event.starts.format(lang)}</time>
                " · " {seats}
                " · " <span title=td_string!(locale, admin_post_languages)>{languages}</span>
                {door.map(|door| view! { " · " <a href=door>{td_string!(locale, admin_door_link)}</a> })}
            </p>
        </li>
    }
}
