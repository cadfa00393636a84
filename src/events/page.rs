//! The event page: facts, calendar links, live seats, the registration form and related posts.
use super::api;
use super::form::{RegistrationSection, rejected_form};
use super::model::EventPageData;
use crate::cards::{Availability, PostGrid, RegistrationWindow, Seats, ages_text, price_text};
use crate::domain::{Lang, urlencode};
use crate::error::AppError;
use crate::i18n::*;
use crate::locale::href;
use crate::site::later::HydrateLater;
use crate::site::{JsonLd, PageMeta, loaded, page_data, per_visitor_page, use_lang};
use crate::wire::Wire;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde_json::json;

/// The event the route's `slug` names, in `lang`.
pub(super) fn event_of_route(lang: Lang) -> Resource<Result<EventPageData, AppError>, Wire> {
    let params = use_params_map();
    page_data(
        move || params.with(|p| p.get("slug").unwrap_or_default()),
        move |slug| api::event_page(lang, slug),
    )
}

#[component]
pub fn EventPage() -> impl IntoView {
    per_visitor_page();
    let lang = use_lang();
    let event = event_of_route(lang);
    view! {
        {loaded(event, move |data| view! { <EventView data /> })}
    }
}

fn google_calendar_link(data: &EventPageData, origin: &str, lang: Lang) -> String {
    // With `ctz`, Google reads the dates as wall-clock times in that zone.
    let local = |t: crate::domain::LocalDateTime| {
        format!(
            "{:04}{:02}{:02}T{:02}{:02}00",
            t.date.year, t.date.month, t.date.day, t.hour, t.minute
        )
    };
    let card = &data.card;
    let details = format!("{origin}{}", href(lang, &format!("events/{}", card.slug)));
    let location = format!("{}, {}", card.venue_name, data.venue_address);
    format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}/{}&details={}&location={}&ctz=Europe/Sofia",
        urlencode(&card.title),
        local(card.starts),
        local(card.ends),
        urlencode(&details),
        urlencode(&location)
    )
}

/// The event page. Only its head tags are made interactive with the app; its structured data,
/// article, registration form and related posts each in a later task (`site::later`).
#[component]
fn EventView(data: EventPageData) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let card = data.card.clone();
    let path = format!("events/{}", card.slug);
    let rejected = rejected_form();
    let related_posts = data.related_posts.clone();
    let structured = data.clone();
    let languages = data.languages.clone();
    view! {
        <PageMeta title=card.title.clone() description=card.summary.clone() path=Some(path) image=card.cover.social_image()
            languages />
        <HydrateLater><JsonLd data=event_json_ld(&structured, lang) /></HydrateLater>
        <HydrateLater><EventArticle data /></HydrateLater>
        <HydrateLater><RegistrationSection card rejected /></HydrateLater>
        {(!related_posts.is_empty()).then(move || view! {
            <HydrateLater>
                <section class="related" aria-labelledby="related-heading" data-testid="related">
                    <h2 id="related-heading">{td_string!(locale, related_posts)}</h2>
                    <PostGrid cards=related_posts />
                </section>
            </HydrateLater>
        })}
    }
}

/// schema.org `Event` of the page, for search engines.
fn event_json_ld(data: &EventPageData, lang: Lang) -> serde_json::Value {
    let origin = crate::site::site_origin();
    let card = &data.card;
    let status = if card.window == RegistrationWindow::Cancelled {
        "EventCancelled"
    } else {
        "EventScheduled"
    };
    json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": card.title,
        "description": card.summary,
        "startDate": card.starts.iso(),
        "endDate": card.ends.iso(),
        "eventStatus": format!("https://schema.org/{status}"),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "inLanguage": lang.code(),
        "image": format!("{origin}{}", card.cover.social_image()),
        "location": {
            "@type": "Place",
            "name": card.venue_name,
            "address": data.venue_address,
        },
        "organizer": { "@type": "Organization", "name": data.organiser },
        "typicalAgeRange": format!("{}-{}", card.min_age, card.max_age),
        "maximumAttendeeCapacity": card.availability.capacity,
        "offers": {
            "@type": "Offer",
            "price": card.price_eur_cents.map_or("0".to_owned(), |c| format!("{}.{:02}", c / 100, c % 100)),
            "priceCurrency": "EUR",
            "availability": if card.availability.seats_left() > 0 { "https://schema.org/InStock" } else { "https://schema.org/SoldOut" },
            "url": format!("{origin}{}", href(lang, &format!("events/{}", card.slug))),
            "validThrough": data.registration_closes.iso(),
        },
    })
}

/// What, when and where: the facts of the event, calendar links and its description.
#[component]
fn EventArticle(data: EventPageData) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let origin = crate::site::site_origin();
    let ics = format!("/api/events/{}/calendar.ics?lang={}", data.card.slug, lang.code());
    let google = google_calendar_link(&data, &origin, lang);
    let card = data.card;
    // Not translated into the page's language: the text as written, said so in the page's.
    let untranslated = (data.text_lang != lang).then_some(data.text_lang);
    let cover_srcset = (!card.cover.srcset.is_empty()).then(|| card.cover.srcset.clone());
    let cover_sizes = cover_srcset.is_some().then_some("(min-width: 48rem) 46rem, 100vw");
    view! {
        <article class="post event" lang=untranslated.map(Lang::code)>
            {untranslated.map(|_| view! {
                <p class="notice" lang=lang.code() data-testid="untranslated">{td_string!(locale, event_untranslated)}</p>
            })}
            <header class="post__head">
                <p class="post__meta"><a class="post__category" href=href(lang, "events")>{td_string!(locale, events_title)}</a></p>
                <h1 class="post__title">{card.title}</h1>
            </header>
            <img class="post__cover" src=card.cover.src srcset=cover_srcset sizes=cover_sizes
                width=card.cover.width height=card.cover.height alt=card.cover.alt fetchpriority="high" decoding="async" />
            <dl class="event-facts">
                <div><dt>{td_string!(locale, event_when)}</dt><dd><time datetime=card.starts.iso()>{card.starts.format(lang)}</time></dd></div>
                <div>
                    <dt>{td_string!(locale, event_where)}</dt>
                    <dd>
                        {card.venue_name} ", " {data.venue_address}
                        {data.map_url.map(|url| view! { " · " <a href=url rel="noopener" target="_blank">{td_string!(locale, event_map)}</a> })}
                    </dd>
                </div>
                <div><dt>{td_string!(locale, event_ages)}</dt><dd>{ages_text(card.min_age, card.max_age, lang)}</dd></div>
                <div><dt>{td_string!(locale, event_price)}</dt><dd>{price_text(card.price_eur_cents, lang)}</dd></div>
                <div><dt>{td_string!(locale, event_places)}</dt><dd><LiveSeats slug=card.slug.to_string() initial=card.availability window=card.window lang /></dd></div>
                <div><dt>{td_string!(locale, event_organiser)}</dt><dd>{data.organiser}</dd></div>
                <div><dt>{td_string!(locale, registration_until)}</dt><dd>{data.registration_closes.format(lang)}</dd></div>
            </dl>
            <p class="calendar-links">
                <a class="button button--ghost" href=ics download=format!("{}.ics", card.slug)>{td_string!(locale, add_to_calendar_ics)}</a>
                <a class="button button--ghost" href=google rel="noopener" target="_blank">{td_string!(locale, add_to_google_calendar)}</a>
            </p>
            <div class="post__body prose" inner_html=data.body_html></div>
        </article>
    }
}

/// The seats of the event, kept fresh while the page is open (browser only, every 30 s).
#[component]
fn LiveSeats(slug: String, initial: Availability, window: RegistrationWindow, lang: Lang) -> impl IntoView {
    let availability = RwSignal::new(initial);
    poll_availability(slug, availability);
    view! { <Seats availability=availability.into() window lang /> }
}

fn poll_availability(slug: String, availability: RwSignal<Availability>) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let slug = slug.clone();
        let refresh = move || {
            let url = format!("/api/events/{slug}/availability");
            leptos::task::spawn_local(async move {
                let fresh = gloo_net::http::Request::get(&url).send().await;
                if let Ok(response) = fresh
                    && response.ok()
                    && let Ok(text) = response.text().await
                    && let Ok(fresh) = crate::wire::from_json::<Availability>(&text)
                {
                    availability.set(fresh);
                }
            });
        };
        if let Ok(handle) = set_interval_with_handle(refresh, std::time::Duration::from_secs(30)) {
            on_cleanup(move || handle.clear());
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (slug, availability);
}
