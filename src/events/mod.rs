//! Events for children and families: the list, the event page with its registration form,
//! and the parent's private registration page.
pub mod api;
#[cfg(feature = "ssr")]
pub mod calendar;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
pub mod validate;

use crate::domain::{Lang, places_left, urlencode};
use crate::error::{AppError, FieldError, FieldProblem};
use crate::i18n::*;
use crate::locale::href;
use crate::site::{JsonLd, PageMeta, loaded, page_data, per_visitor_page, private_page, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use model::*;
use serde_json::json;

fn price_text(price_eur_cents: Option<u32>, lang: Lang) -> String {
    match (price_eur_cents, lang) {
        (None, Lang::Bg) => "Вход свободен".to_owned(),
        (None, Lang::En) => "Free entry".to_owned(),
        (Some(cents), _) => format!("{}.{:02} €", cents / 100, cents % 100),
    }
}

fn ages_text(min: u8, max: u8, lang: Lang) -> String {
    match lang {
        Lang::Bg => format!("{min}–{max} г."),
        Lang::En => format!("ages {min}–{max}"),
    }
}

/// Seats left, or that the event is full and takes a waitlist.
#[component]
fn Seats(availability: Signal<Availability>, window: RegistrationWindow, lang: Lang) -> impl IntoView {
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

#[component]
pub fn EventsPage() -> impl IntoView {
    crate::site::public_page();
    let i18n = use_i18n();
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
        <PageMeta title=t_string!(i18n, events_title).to_string() description=t_string!(i18n, events_lead).to_string()
            path=Some("events".to_owned()) />
        <section class="page-head">
            <h1>{t!(i18n, events_title)}</h1>
            <p>{t!(i18n, events_lead)}</p>
        </section>
        <nav class="chips" aria-label=move || t_string!(i18n, events_title).to_string()>
            <ul>
                {tab(EventsWhen::Upcoming, t_string!(i18n, events_upcoming).to_string())}
                {tab(EventsWhen::Past, t_string!(i18n, events_past).to_string())}
            </ul>
        </nav>
        <h2 class="visually-hidden">{t!(i18n, events_list_heading)}</h2>
        {loaded(events, move |cards| view! { <EventListOrEmpty cards /> })}
    }
}

/// The events, or a line saying there are none.
#[component]
pub fn EventListOrEmpty(cards: Vec<EventCard>) -> impl IntoView {
    let i18n = use_i18n();
    if cards.is_empty() {
        view! { <p class="empty">{t!(i18n, no_events)}</p> }.into_any()
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

/// The event the route's `slug` names, in `lang`.
fn event_of_route(lang: Lang) -> Resource<Result<EventPageData, AppError>> {
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

#[component]
fn EventView(data: EventPageData) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let origin = crate::site::site_origin();
    let card = data.card.clone();
    let path = format!("events/{}", card.slug);
    let status = if card.window == RegistrationWindow::Cancelled {
        "EventCancelled"
    } else {
        "EventScheduled"
    };
    let json_ld = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": card.title,
        "description": card.summary,
        "startDate": card.starts.iso(),
        "endDate": card.ends.iso(),
        "eventStatus": format!("https://schema.org/{status}"),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "inLanguage": lang.code(),
        "image": format!("{origin}{}", card.cover.src),
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
            "url": format!("{origin}{}", href(lang, &path)),
            "validThrough": data.registration_closes.iso(),
        },
    });
    let ics = format!("/api/events/{}/calendar.ics?lang={}", card.slug, lang.code());
    let google = google_calendar_link(&data, &origin, lang);
    view! {
        <PageMeta title=card.title.clone() description=card.summary.clone() path=Some(path) image=card.cover.src.clone() />
        <JsonLd data=json_ld />
        <article class="post event">
            <header class="post__head">
                <p class="post__meta"><a class="post__category" href=href(lang, "events")>{t!(i18n, events_title)}</a></p>
                <h1 class="post__title">{card.title.clone()}</h1>
            </header>
            <img class="post__cover" src=card.cover.src.clone() width=card.cover.width height=card.cover.height
                alt="" fetchpriority="high" decoding="async" />
            <dl class="event-facts">
                <div><dt>{t!(i18n, event_when)}</dt><dd><time datetime=card.starts.iso()>{card.starts.format(lang)}</time></dd></div>
                <div>
                    <dt>{t!(i18n, event_where)}</dt>
                    <dd>
                        {card.venue_name.clone()} ", " {data.venue_address.clone()}
                        {data.map_url.clone().map(|url| view! { " · " <a href=url rel="noopener" target="_blank">{t!(i18n, event_map)}</a> })}
                    </dd>
                </div>
                <div><dt>{t!(i18n, event_ages)}</dt><dd>{ages_text(card.min_age, card.max_age, lang)}</dd></div>
                <div><dt>{t!(i18n, event_price)}</dt><dd>{price_text(card.price_eur_cents, lang)}</dd></div>
                <div><dt>{t!(i18n, event_places)}</dt><dd><LiveSeats slug=card.slug.to_string() initial=card.availability window=card.window lang /></dd></div>
                <div><dt>{t!(i18n, event_organiser)}</dt><dd>{data.organiser.clone()}</dd></div>
                <div><dt>{t!(i18n, registration_until)}</dt><dd>{data.registration_closes.format(lang)}</dd></div>
            </dl>
            <p class="calendar-links">
                <a class="button button--ghost" href=ics download=format!("{}.ics", card.slug)>{t!(i18n, add_to_calendar_ics)}</a>
                <a class="button button--ghost" href=google rel="noopener" target="_blank">{t!(i18n, add_to_google_calendar)}</a>
            </p>
            <div class="post__body prose" inner_html=data.body_html.clone()></div>
        </article>
        <RegistrationSection card=card.clone() />
        {(!data.related_posts.is_empty()).then(|| view! {
            <section class="related" aria-labelledby="related-heading" data-testid="related">
                <h2 id="related-heading">{t!(i18n, related_posts)}</h2>
                <crate::posts::CardGrid cards=data.related_posts.clone() />
            </section>
        })}
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
                    && let Ok(fresh) = response.json::<Availability>().await
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

#[component]
fn RegistrationSection(card: EventCard) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    // Set on the server when this page answers a form posted without JavaScript; carried into
    // the page so that the hydrated form has the same rows, values and messages.
    let rejected = SharedValue::new(use_context::<RejectedForm>).into_inner();
    let message = match card.window {
        RegistrationWindow::Open => None,
        RegistrationWindow::NotYetOpen => Some(t_string!(i18n, registration_not_open).to_string()),
        RegistrationWindow::Closed => Some(t_string!(i18n, registration_closed).to_string()),
        RegistrationWindow::Cancelled => Some(t_string!(i18n, event_cancelled).to_string()),
    };
    view! {
        <section class="registration" aria-labelledby="registration-heading" id="register">
            <h2 id="registration-heading">{t!(i18n, registration_title)}</h2>
            {match message {
                Some(message) => view! { <p class="notice">{message}</p> }.into_any(),
                None => view! {
                    <RegistrationForm event=card.slug.to_string() min_age=card.min_age max_age=card.max_age lang rejected=rejected.clone() />
                }
                .into_any(),
            }}
        </section>
    }
}

/// The message for a field problem, in the page's language.
fn problem_text(problem: FieldProblem, locale: Locale) -> String {
    match problem {
        FieldProblem::Required => td_string!(locale, error_required).to_string(),
        FieldProblem::TooLong => td_string!(locale, error_too_long).to_string(),
        FieldProblem::InvalidEmail => td_string!(locale, error_email).to_string(),
        FieldProblem::InvalidPhone => td_string!(locale, error_phone).to_string(),
        FieldProblem::InvalidAge => td_string!(locale, error_age).to_string(),
        FieldProblem::AgeOutOfRange { min, max } => td_string!(locale, error_age_range)
            .to_string()
            .replace("{min}", &min.to_string())
            .replace("{max}", &max.to_string()),
        FieldProblem::NoChildren => td_string!(locale, error_no_children).to_string(),
        FieldProblem::TooManyChildren { max } => td_string!(locale, error_too_many_children)
            .to_string()
            .replace("{max}", &max.to_string()),
        FieldProblem::ConsentRequired => td_string!(locale, error_consent).to_string(),
        FieldProblem::TooManyRegistrations { max } => td_string!(locale, error_too_many_registrations)
            .to_string()
            .replace("{max}", &max.to_string()),
    }
}

fn form_error_text(error: &AppError, locale: Locale) -> Option<String> {
    Some(match error {
        AppError::Validation(_) => td_string!(locale, error_form).to_string(),
        AppError::KeyConflict => td_string!(locale, error_key_conflict).to_string(),
        AppError::Forbidden => td_string!(locale, error_forbidden).to_string(),
        AppError::RegistrationNotOpen => td_string!(locale, registration_not_open).to_string(),
        AppError::RegistrationClosed => td_string!(locale, registration_closed).to_string(),
        AppError::EventCancelled => td_string!(locale, event_cancelled).to_string(),
        AppError::RateLimited => td_string!(locale, error_rate_limited).to_string(),
        AppError::Queued => td_string!(locale, error_queued).to_string(),
        AppError::NotFound | AppError::BadRequest | AppError::Internal | AppError::Unavailable => {
            td_string!(locale, error_text).to_string()
        }
    })
}

/// How many child rows the form offers before any are added.
const CHILD_ROWS: usize = 3;

/// The parent's registration form. Hydrated, it sends the form to the `register` server
/// function and shows the answer in place;
/// without JavaScript it posts to the event page, which answers a rejected form with this
/// form again (`rejected`: what was typed and why it was refused).
#[component]
fn RegistrationForm(
    event: String,
    min_age: u8,
    max_age: u8,
    lang: Lang,
    rejected: Option<RejectedForm>,
) -> impl IntoView {
    let locale = Locale::from(lang);
    let action = ServerAction::<api::Register>::new();
    let (draft, posted_error) = match rejected {
        Some(RejectedForm { error, form }) => (form, Some(error)),
        None => (RegistrationForm::default(), None),
    };
    // The latest answer: the app's own submission once there is one, else the post's.
    let answer = Signal::derive(move || match action.value().get() {
        Some(result) => result.err(),
        None => posted_error.clone(),
    });
    let errors = Memo::new(move |_| match answer.get() {
        Some(AppError::Validation(errors)) => errors,
        _ => Vec::new(),
    });
    let error_for = move |field: &'static str| {
        move || {
            errors.with(|list: &Vec<FieldError>| {
                list.iter()
                    .find(|e| e.field == field)
                    .map(|e| problem_text(e.problem, locale))
            })
        }
    };
    let form_error = move || answer.get().and_then(|e| form_error_text(&e, locale));
    let queued = move || matches!(action.value().get(), Some(Err(AppError::Queued)));
    let rows = RwSignal::new(draft.children.len().clamp(CHILD_ROWS, validate::MAX_CHILDREN));
    // Never the key of a submitted form: each rendering of the form has its own.
    let idempotency_key = RwSignal::new(server_form_key());
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| {
        hydrated.set(true);
        // The page may come from the service worker's copy, whose key an earlier registration
        // already used: every interactive form gets a key of its own.
        if let Some(fresh) = fresh_form_key() {
            idempotency_key.set(fresh);
        }
    });
    let children_draft = draft.children.clone();
    let consent_checked = draft.consent.is_some();
    let on_submit = move |ev: leptos::ev::SubmitEvent| submit_to(action, ev);
    view! {
        <form class="registration-form" novalidate=true method="post" action=href(lang, &format!("events/{event}")) on:submit=on_submit>
            <input type="hidden" name="lang" value=lang.code() />
            <input type="hidden" name="event" value=event.clone() />
            <input type="hidden" name="idempotency_key" value=move || idempotency_key.get() />
            <p class="form-error" class:form-error--pending=queued role="alert" data-testid="form-error">{form_error}</p>
            <fieldset>
                <legend>{td!(locale, parent_legend)}</legend>
                <Field name="parent_name" label=td_string!(locale, parent_name).to_string() autocomplete="name"
                    input_type="text" inputmode="text" value=draft.parent_name.clone() error=Signal::derive(error_for("parent_name"))
                    check=check_required locale />
                <Field name="email" label=td_string!(locale, email).to_string() autocomplete="email"
                    input_type="email" inputmode="email" value=draft.email.clone() error=Signal::derive(error_for("email"))
                    check=check_email locale />
                <Field name="phone" label=td_string!(locale, phone).to_string() autocomplete="tel"
                    input_type="tel" inputmode="tel" value=draft.phone.clone() error=Signal::derive(error_for("phone")) check=check_phone
                    hint=td_string!(locale, phone_hint).to_string() locale />
            </fieldset>
            <fieldset class="children">
                <legend>{td!(locale, children_legend)} " (" {ages_text(min_age, max_age, lang)} ")"</legend>
                <p class="field-error" id="err-children" data-testid="error-children">{error_for("children")}</p>
                <For each=move || 0..rows.get() key=|i| *i let:index>
                    <ChildRow index draft=children_draft.get(index).cloned().unwrap_or_default() errors min_age max_age locale />
                </For>
                <div class="children__buttons" hidden=move || !hydrated.get()>
                    <button type="button" class="button button--ghost" disabled=move || { rows.get() >= validate::MAX_CHILDREN }
                        on:click=move |_| rows.update(|n| *n = (*n + 1).min(validate::MAX_CHILDREN))>
                        {td!(locale, add_child)}
                    </button>
                    <button type="button" class="button button--ghost" disabled=move || { rows.get() <= 1 }
                        on:click=move |_| rows.update(|n| *n = n.saturating_sub(1).max(1))>
                        {td!(locale, remove_child)}
                    </button>
                </div>
            </fieldset>
            <div class="field">
                <label for="note">{td!(locale, note)}</label>
                <textarea id="note" name="note" rows="3" maxlength="1000">{draft.note.clone()}</textarea>
            </div>
            // Honeypot: hidden from people and assistive technology; bots fill it in.
            <div class="honeypot" aria-hidden="true">
                <label for="website">"Website"</label>
                <input id="website" name="website" type="text" tabindex="-1" autocomplete="off" />
            </div>
            <div class="field field--check">
                <input id="consent" name="consent" type="checkbox" value="yes" checked=consent_checked
                    aria-invalid=move || error_for("consent")().is_some().then_some("true") aria-describedby="err-consent" />
                <label for="consent">{td!(locale, consent_text)}</label>
                <p class="field-error" id="err-consent">{error_for("consent")}</p>
            </div>
            <button type="submit" class="button button--primary" disabled=move || action.pending().get()>
                {move || if action.pending().get() { td_string!(locale, registering).to_string() } else { td_string!(locale, register_button).to_string() }}
            </button>
        </form>
    }
}

/// What `ActionForm` does on submit, for a form whose `action` (for the page without
/// JavaScript) is not the server function's URL: the fields go to the server function.
fn submit_to(action: ServerAction<api::Register>, ev: leptos::ev::SubmitEvent) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::form::FromFormData;
        // The server function answers with where to go (the private page); as `ActionForm`
        // does, follow it with a page load when no router took the hook first.
        let _ = leptos::server_fn::redirect::set_redirect_hook(|location: &str| {
            if let Some(window) = web_sys::window() {
                let _ = window.location().set_href(location);
            }
        });
        ev.prevent_default();
        match api::Register::from_event(&ev) {
            Ok(input) => {
                action.dispatch(input);
            }
            Err(error) => {
                leptos::logging::error!("registration form not read: {error}");
                action.value().set(Some(Err(AppError::Unavailable)));
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (action, ev);
}

/// The key of a form rendered on the server (for a post without JavaScript); the hydrated form
/// draws its own.
fn server_form_key() -> String {
    #[cfg(feature = "ssr")]
    return service::random_token();
    #[cfg(not(feature = "ssr"))]
    String::new()
}

/// A random key for one registration form, drawn by the browser.
fn fresh_form_key() -> Option<String> {
    #[cfg(feature = "hydrate")]
    return web_sys::window()?.crypto().ok().map(|crypto| crypto.random_uuid());
    #[cfg(not(feature = "hydrate"))]
    None
}

/// Checks a field as the visitor leaves it; the server checks again on submit.
type FieldCheck = fn(&str) -> Option<FieldProblem>;

fn check_required(value: &str) -> Option<FieldProblem> {
    value.trim().is_empty().then_some(FieldProblem::Required)
}

fn check_email(value: &str) -> Option<FieldProblem> {
    check_required(value).or_else(|| {
        value
            .parse::<crate::domain::Email>()
            .err()
            .map(|_| FieldProblem::InvalidEmail)
    })
}

fn check_phone(value: &str) -> Option<FieldProblem> {
    check_required(value).or_else(|| {
        value
            .parse::<crate::domain::Phone>()
            .err()
            .map(|_| FieldProblem::InvalidPhone)
    })
}

/// The message a field shows: the visitor's latest edit checked here once they leave the field,
/// else what the server said about the last submission.
fn shown_error(
    local: RwSignal<Option<Option<String>>>,
    server: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Copy {
    move || local.get().unwrap_or_else(|| server.get())
}

#[component]
fn Field(
    name: &'static str,
    label: String,
    autocomplete: &'static str,
    input_type: &'static str,
    inputmode: &'static str,
    value: String,
    error: Signal<Option<String>>,
    check: FieldCheck,
    locale: Locale,
    #[prop(optional)] hint: Option<String>,
) -> impl IntoView {
    let error_id = format!("err-{name}");
    let hint_id = format!("hint-{name}");
    let described = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    let local = RwSignal::new(None::<Option<String>>);
    // A new server answer replaces what was checked here.
    Effect::new(move |_| {
        error.track();
        local.set(None);
    });
    let shown = shown_error(local, error);
    view! {
        <div class="field" class:field--invalid=move || shown().is_some()>
            <label for=name>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id>{hint}</p> })}
            <input id=name name=name type=input_type inputmode=inputmode autocomplete=autocomplete value=value
                aria-invalid=move || shown().is_some().then_some("true") aria-describedby=described required=true
                on:blur=move |ev| local.set(Some(check(&event_target_value(&ev)).map(|p| problem_text(p, locale))))
                on:input=move |_| if local.get_untracked().flatten().is_some() { local.set(Some(None)) } />
            <p class="field-error" id=error_id data-testid=format!("error-{name}")>{shown}</p>
        </div>
    }
}

#[component]
fn ChildRow(
    index: usize,
    draft: ChildInput,
    errors: Memo<Vec<FieldError>>,
    min_age: u8,
    max_age: u8,
    locale: Locale,
) -> impl IntoView {
    let name_field = validate::child_field(index, "first_name");
    let age_field = validate::child_field(index, "age");
    let error = move |field: String| {
        move || {
            errors.with(|list| {
                list.iter()
                    .find(|e| e.field == field)
                    .map(|e| problem_text(e.problem, locale))
            })
        }
    };
    let name_error = Signal::derive(error(name_field.clone()));
    let server_age_error = Signal::derive(error(age_field.clone()));
    let local_age = RwSignal::new(None::<Option<String>>);
    Effect::new(move |_| {
        server_age_error.track();
        local_age.set(None);
    });
    let age_error = Signal::derive(shown_error(local_age, server_age_error));
    let check_age = move |raw: String| {
        let problem = match validate::parse_age(&raw) {
            // An empty age is fine while the row is unused; the server says if it is needed.
            Err(FieldProblem::Required) => None,
            Err(problem) => Some(problem),
            Ok(age) if !(min_age..=max_age).contains(&age) => Some(FieldProblem::AgeOutOfRange {
                min: min_age,
                max: max_age,
            }),
            Ok(_) => None,
        };
        local_age.set(Some(problem.map(|p| problem_text(p, locale))));
    };
    let name_id = format!("child-{index}-name");
    let age_id = format!("child-{index}-age");
    view! {
        <div class="child-row" data-testid=format!("child-{index}")>
            <p class="child-row__title">{td!(locale, child)} " " {index + 1}</p>
            <div class="field" class:field--invalid=move || name_error.get().is_some()>
                <label for=name_id.clone()>{td!(locale, child_first_name)}</label>
                <input id=name_id name=name_field type="text" autocomplete="off" value=draft.first_name
                    aria-invalid=move || name_error.get().is_some().then_some("true") aria-describedby=format!("err-child-{index}-name") />
                <p class="field-error" id=format!("err-child-{index}-name")>{move || name_error.get()}</p>
            </div>
            <div class="field field--age" class:field--invalid=move || age_error.get().is_some()>
                <label for=age_id.clone()>{td!(locale, child_age)}</label>
                <input id=age_id name=age_field type="text" inputmode="numeric" pattern="[0-9]*" maxlength="2" autocomplete="off"
                    value=draft.age aria-invalid=move || age_error.get().is_some().then_some("true")
                    aria-describedby=format!("err-child-{index}-age") on:blur=move |ev| check_age(event_target_value(&ev)) />
                <p class="field-error" id=format!("err-child-{index}-age") data-testid=format!("error-child-{index}-age")>{move || age_error.get()}</p>
            </div>
        </div>
    }
}

/// Where a submission of an e-mail and children already registered for the event lands: it
/// says only that the existing registration's link went to that address again, so whoever
/// typed it learns nothing of the registration.
#[component]
pub fn LinkSentPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let event = event_of_route(lang);
    view! {
        {loaded(event, move |data| {
            let path = format!("events/{}", data.card.slug);
            view! {
                <PageMeta title=t_string!(i18n, link_sent_title).to_string() description=String::new() path=None />
                <section class="message-page" data-testid="link-sent">
                    <h1>{t!(i18n, link_sent_title)}</h1>
                    <p>{t!(i18n, link_sent_text)}</p>
                    <p>{t!(i18n, link_sent_not_you)}</p>
                    <p class="message-page__actions">
                        <a class="button button--ghost" href=href(lang, &path)>{data.card.title.clone()}</a>
                    </p>
                </section>
            }
        })}
    }
}

#[component]
pub fn RegistrationPage() -> impl IntoView {
    private_page();
    let lang = use_lang();
    let params = use_params_map();
    let cancel = ServerAction::<api::CancelRegistration>::new();
    // Read again once a cancellation went through (the redirect lands on this same page).
    let registration = page_data(
        move || {
            (
                params.with(|p| p.get("token").unwrap_or_default()),
                cancel.version().get(),
            )
        },
        move |(token, _)| api::registration(lang, token),
    );
    view! {
        {loaded(registration, move |view| view! { <RegistrationView view cancel token=params.with_untracked(|p| p.get("token").unwrap_or_default()) /> })}
    }
}

#[component]
fn RegistrationView(
    view: RegistrationView,
    cancel: ServerAction<api::CancelRegistration>,
    token: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let event = view.event.clone();
    let (status_class, status_text) = match view.status {
        RegistrationStatus::Confirmed => (
            "status status--confirmed",
            t_string!(i18n, status_confirmed).to_string(),
        ),
        RegistrationStatus::Waitlisted { position } => (
            "status status--waitlisted",
            t_string!(i18n, status_waitlisted)
                .to_string()
                .replace("{position}", &position.to_string()),
        ),
        RegistrationStatus::Cancelled => (
            "status status--cancelled",
            t_string!(i18n, status_cancelled).to_string(),
        ),
    };
    let ics = format!("/api/events/{}/calendar.ics?lang={}", event.slug, lang.code());
    view! {
        <PageMeta title=format!("{} · {}", view.code, event.title) description=String::new() path=None />
        <section class="post registration-page">
            <header class="post__head">
                <p class=status_class data-testid="registration-status" role="status">{status_text}</p>
                <h1 class="post__title">{t!(i18n, registration_code)} " " <span class="code" data-testid="registration-code">{view.code.clone()}</span></h1>
            </header>
            <dl class="event-facts">
                <div><dt>{t!(i18n, event_title_label)}</dt><dd><a href=href(lang, &format!("events/{}", event.slug))>{event.title.clone()}</a></dd></div>
                <div><dt>{t!(i18n, event_when)}</dt><dd>{event.starts.format(lang)}</dd></div>
                <div><dt>{t!(i18n, event_where)}</dt><dd>{event.venue_name.clone()}</dd></div>
                <div><dt>{t!(i18n, parent_name)}</dt><dd>{view.parent_name.clone()}</dd></div>
                <div>
                    <dt>{t!(i18n, children_legend)}</dt>
                    <dd><ul class="plain">{view.children.iter().map(|(name, age)| view! { <li>{name.clone()} " (" {*age} ")"</li> }).collect_view()}</ul></dd>
                </div>
            </dl>
            <p class="manage-hint">
                {t!(i18n, manage_link_hint)}
                {view.mail_delivered.then(|| view! { " " {t!(i18n, manage_link_mailed)} })}
            </p>
            {(view.status != RegistrationStatus::Cancelled).then(|| view! {
                <p class="calendar-links">
                    <a class="button button--ghost" href=ics.clone() download=format!("{}.ics", event.slug)>{t!(i18n, add_to_calendar_ics)}</a>
                </p>
                <ActionForm action=cancel attr:class="cancel-form">
                    <input type="hidden" name="lang" value=lang.code() />
                    <input type="hidden" name="token" value=token.clone() />
                    <button type="submit" class="button button--danger" disabled=move || cancel.pending().get()>{t!(i18n, cancel_registration)}</button>
                </ActionForm>
            })}
        </section>
    }
}
