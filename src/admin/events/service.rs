//! The event editor's use cases: check a draft into an event the store can save, load an
//! event back into a draft, list events.
use super::model::{
    AdminEventList, AdminEventRow, Choice, EventDraft, EventEditorData, EventStatus, EventText, SavedEvent,
};
use crate::admin::posts::model::{CoverDraft, PostText};
use crate::admin::posts::service::{ALT_MAX, BODY_MAX, LIST_PAGE_SIZE, NAME_MAX, SUMMARY_MAX, TAGS_MAX, TITLE_MAX};
use crate::domain::{Lang, PageNumber, Slug, https_link, slug_of_title, transliterate};
use crate::error::{AppError, FieldError, FieldProblem};
use crate::server::AppState;
use crate::server::store::{
    AccountRecord, Actor, AdminEventQuery, CoverRecord, EditableEvent, EventSaveRefusal, EventState, EventTextRecord,
};
use crate::server::time::{sofia_datetime, sofia_input, sofia_input_to_unix};

pub const VENUE_MAX: usize = 200;
pub const CAPACITY_MAX: u32 = 10_000;
/// The oldest child an event is for (registrations are for children).
pub const AGE_MAX: u32 = 17;
/// The highest price, in euro cents.
pub const PRICE_MAX_CENTS: u32 = 1_000_000;
/// Slugs the admin's own addresses use (`/admin/events/new`).
const RESERVED_SLUGS: &[&str] = &["new"];

fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

/// Collects a draft's problems by field while it is read.
#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    fn add(&mut self, field: impl Into<String>, problem: FieldProblem) {
        self.0.push(FieldError::new(field, problem));
    }

    /// A whole number in `min..=max`, typed in `field`.
    fn number(&mut self, field: &str, typed: &str, (min, max): (u32, u32)) -> u32 {
        match typed.trim().parse::<u32>() {
            Ok(value) if (min..=max).contains(&value) => value,
            Err(_) if typed.trim().is_empty() => {
                self.add(field, FieldProblem::Required);
                min
            }
            _ => {
                self.add(field, FieldProblem::NumberOutOfRange { min, max });
                min
            }
        }
    }

    /// A Sofia time typed in `field`; `when_empty` when nothing is typed (`None`: required).
    fn time(&mut self, field: &str, typed: &str, when_empty: Option<i64>) -> i64 {
        match (sofia_input_to_unix(typed), when_empty) {
            (Some(at), _) => at,
            (None, Some(default)) if typed.trim().is_empty() => default,
            (None, _) => {
                let problem = if typed.trim().is_empty() {
                    FieldProblem::Required
                } else {
                    FieldProblem::InvalidDateTime
                };
                self.add(field, problem);
                0
            }
        }
    }
}

/// A price typed in euro (`12`, `12,50`, `12.50`) in cents.
pub fn price_cents(typed: &str) -> Option<u32> {
    let typed = typed.trim().replace(',', ".");
    let typed = typed.trim_end_matches(['€', ' ']).trim();
    let (whole, fraction) = typed.split_once('.').unwrap_or((typed, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || fraction.len() > 2 {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let cents = format!("{fraction:0<2}").parse::<u32>().ok()?;
    whole.parse::<u32>().ok()?.checked_mul(100)?.checked_add(cents)
}

/// The code prefix an event gets when none is typed: the initials of the first words of its
/// title, in Latin capitals (`Лятно парти` → `LP`).
pub fn prefix_of_title(title: &str) -> String {
    let initials: String = transliterate(title)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter_map(|word| word.chars().next())
        .take(3)
        .collect::<String>()
        .to_ascii_uppercase();
    if initials.is_empty() { "EV".to_owned() } else { initials }
}

fn valid_prefix(prefix: &str) -> bool {
    (1..=4).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// The texts of the languages the event is written in.
fn texts(draft: &EventDraft, problems: &mut Problems) -> Vec<EventTextRecord> {
    let mut texts = Vec::new();
    for lang in Lang::ALL {
        let typed = draft.text(lang);
        if typed.is_blank() {
            continue;
        }
        let field = |name: &str| format!("{}.{name}", lang.code());
        let (title, summary, body) = (
            typed.text.title.trim(),
            typed.text.summary.trim(),
            typed.text.body.trim(),
        );
        let (venue_name, venue_address) = (typed.venue_name.trim(), typed.venue_address.trim());
        for (name, value, max, required) in [
            ("title", title, TITLE_MAX, true),
            ("summary", summary, SUMMARY_MAX, false),
            ("body", body, BODY_MAX, true),
            ("venue_name", venue_name, VENUE_MAX, true),
            ("venue_address", venue_address, VENUE_MAX, true),
        ] {
            if value.is_empty() && required {
                problems.add(field(name), FieldProblem::Required);
            } else if too_long(value, max) {
                problems.add(field(name), FieldProblem::TooLong);
            }
        }
        texts.push(EventTextRecord {
            lang,
            title: title.to_owned(),
            summary: summary.to_owned(),
            body_md: typed.text.body.trim_end().to_owned(),
            venue_name: venue_name.to_owned(),
            venue_address: venue_address.to_owned(),
        });
    }
    if texts.is_empty() {
        problems.add("bg.title", FieldProblem::TitleInOneLanguage);
    }
    texts
}

/// The draft as an event to save, or every problem with it, by field. `now` is when
/// registration opens if no time is typed.
pub fn check(draft: &EventDraft, now: i64) -> Result<EditableEvent, Vec<FieldError>> {
    let mut problems = Problems::default();
    let texts = texts(draft, &mut problems);
    let first_title = texts.first().map(|text| text.title.as_str()).unwrap_or_default();
    let slug = if draft.slug.trim().is_empty() {
        slug_of_title(first_title)
    } else {
        draft.slug.trim().parse::<Slug>().ok()
    };
    match &slug {
        None if !texts.is_empty() => problems.add("slug", FieldProblem::InvalidSlug),
        Some(slug) if RESERVED_SLUGS.contains(&slug.as_str()) => problems.add("slug", FieldProblem::SlugTaken),
        _ => {}
    }
    let mut tags: Vec<String> = Vec::new();
    for name in draft.tags.split(',').map(str::trim).filter(|name| !name.is_empty()) {
        if too_long(name, NAME_MAX) || slug_of_title(name).is_none() {
            problems.add("tags", FieldProblem::InvalidSlug);
            break;
        }
        if !tags.iter().any(|tag| tag.to_lowercase() == name.to_lowercase()) {
            tags.push(name.to_owned());
        }
    }
    if tags.len() > TAGS_MAX {
        problems.add("tags", FieldProblem::TooLong);
    }
    let before_times = problems.0.len();
    let starts_at = problems.time("starts_at", &draft.starts_at, None);
    let ends_at = problems.time("ends_at", &draft.ends_at, None);
    let opens_at = problems.time("registration_opens_at", &draft.registration_opens_at, Some(now));
    let closes_at = problems.time("registration_closes_at", &draft.registration_closes_at, Some(starts_at));
    // Their order only once every time reads.
    if problems.0.len() == before_times {
        if ends_at < starts_at {
            problems.add("ends_at", FieldProblem::EndsBeforeStart);
        }
        if closes_at < opens_at {
            problems.add("registration_closes_at", FieldProblem::ClosesBeforeOpens);
        } else if closes_at > ends_at {
            problems.add("registration_closes_at", FieldProblem::ClosesAfterEnd);
        }
    }
    let map_url = match draft.map_url.trim() {
        "" => None,
        typed => {
            let link = https_link(typed).filter(|link| link.len() <= 2000);
            if link.is_none() {
                problems.add("map_url", FieldProblem::InvalidLink);
            }
            link
        }
    };
    let min_age = problems.number("min_age", &draft.min_age, (0, AGE_MAX));
    let max_age = problems.number("max_age", &draft.max_age, (min_age, AGE_MAX));
    let capacity = problems.number("capacity", &draft.capacity, (1, CAPACITY_MAX));
    let price_eur_cents = if draft.free {
        None
    } else {
        match price_cents(&draft.price) {
            Some(cents) if (1..=PRICE_MAX_CENTS).contains(&cents) => Some(cents),
            _ => {
                problems.add("price", FieldProblem::InvalidPrice);
                None
            }
        }
    };
    if draft.organiser_ngo <= 0 {
        problems.add("organiser_ngo", FieldProblem::Required);
    }
    let code_prefix = match draft.code_prefix.trim().to_ascii_uppercase() {
        typed if typed.is_empty() => prefix_of_title(first_title),
        typed => typed,
    };
    if !valid_prefix(&code_prefix) {
        problems.add("code_prefix", FieldProblem::InvalidCodePrefix);
    }
    let cover = draft.cover.as_ref().map(|cover| {
        for (name, alt) in [("cover.alt_bg", &cover.alt_bg), ("cover.alt_en", &cover.alt_en)] {
            if alt.trim().is_empty() {
                problems.add(name, FieldProblem::Required);
            } else if too_long(alt.trim(), ALT_MAX) {
                problems.add(name, FieldProblem::TooLong);
            }
        }
        CoverRecord {
            image_id: cover.image_id,
            alt_bg: cover.alt_bg.trim().to_owned(),
            alt_en: cover.alt_en.trim().to_owned(),
        }
    });
    let mut organisers = draft.organisers.clone();
    organisers.sort_unstable();
    organisers.dedup();
    match slug {
        Some(slug) if problems.0.is_empty() => Ok(EditableEvent {
            id: draft.id,
            slug,
            texts,
            tags,
            state: match draft.status {
                EventStatus::Draft => EventState::Draft,
                EventStatus::Published => EventState::Published,
                EventStatus::Cancelled => EventState::Cancelled,
            },
            starts_at,
            ends_at,
            registration_opens_at: opens_at,
            registration_closes_at: closes_at,
            map_url,
            price_eur_cents,
            min_age: u8::try_from(min_age).unwrap_or(0),
            max_age: u8::try_from(max_age).unwrap_or(0),
            capacity,
            organiser_ngo_id: draft.organiser_ngo,
            code_prefix,
            organisers,
            cover,
        }),
        _ => Err(problems.0),
    }
}

/// A price in cents as the form shows it (`12,50` in both languages: the euro's decimal
/// comma is what Bulgarian writes; the parser takes a point too).
fn price_text(cents: u32) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

/// A stored event back in the editor's form.
pub fn to_draft(event: &EditableEvent) -> EventDraft {
    let text = |lang: Lang| {
        event
            .text(lang)
            .map(|text| EventText {
                text: PostText {
                    title: text.title.clone(),
                    summary: text.summary.clone(),
                    body: text.body_md.clone(),
                },
                venue_name: text.venue_name.clone(),
                venue_address: text.venue_address.clone(),
            })
            .unwrap_or_default()
    };
    EventDraft {
        id: event.id,
        slug: event.slug.to_string(),
        bg: text(Lang::Bg),
        en: text(Lang::En),
        tags: event.tags.join(", "),
        status: match event.state {
            EventState::Draft => EventStatus::Draft,
            EventState::Published => EventStatus::Published,
            EventState::Cancelled => EventStatus::Cancelled,
        },
        starts_at: sofia_input(event.starts_at),
        ends_at: sofia_input(event.ends_at),
        registration_opens_at: sofia_input(event.registration_opens_at),
        registration_closes_at: sofia_input(event.registration_closes_at),
        map_url: event.map_url.clone().unwrap_or_default(),
        min_age: event.min_age.to_string(),
        max_age: event.max_age.to_string(),
        capacity: event.capacity.to_string(),
        free: event.price_eur_cents.is_none(),
        price: event.price_eur_cents.map(price_text).unwrap_or_default(),
        organiser_ngo: event.organiser_ngo_id,
        code_prefix: event.code_prefix.clone(),
        organisers: event.organisers.clone(),
        cover: event.cover.as_ref().map(|cover| CoverDraft {
            image_id: cover.image_id,
            alt_bg: cover.alt_bg.clone(),
            alt_en: cover.alt_en.clone(),
        }),
    }
}

fn choices(list: Vec<crate::server::store::Choice>) -> Vec<Choice> {
    list.into_iter()
        .map(|choice| Choice {
            id: choice.id,
            name: choice.name,
        })
        .collect()
}

/// What the editor opens with: the event of `slug` (`None`: a new one) and what to choose from.
pub async fn editor(state: &AppState, lang: Lang, slug: Option<&str>) -> Result<EventEditorData, AppError> {
    let event = match slug {
        Some(slug) => {
            let slug = slug.parse::<Slug>().map_err(|_| AppError::NotFound)?;
            Some(state.store.editable_event(&slug).await?.ok_or(AppError::NotFound)?)
        }
        None => None,
    };
    let draft = event.as_ref().map(to_draft).unwrap_or_else(|| EventDraft {
        free: true,
        ..EventDraft::default()
    });
    let cover_src = match &draft.cover {
        Some(cover) => crate::admin::posts::service::image_src(state, cover.image_id).await?,
        None => None,
    };
    let draft_ngo = draft.organiser_ngo;
    let confirmed_children = match event.as_ref().and_then(|event| event.id) {
        Some(id) => state.store.confirmed_children(id).await?,
        None => 0,
    };
    Ok(EventEditorData {
        public: draft.status != EventStatus::Draft && draft.id.is_some(),
        draft,
        ngo: match draft_ngo {
            0 => None,
            id => state.store.ngo_choice(lang, id).await?.map(|choice| Choice {
                id: choice.id,
                name: choice.name,
            }),
        },
        organisers: choices(state.store.organiser_choices().await?),
        tags: state.store.tag_names(lang).await?,
        cover_src,
        confirmed_children,
    })
}

/// Up to eight NGOs of the directory matching the words typed, to organise an event.
pub async fn find_ngos(state: &AppState, lang: Lang, typed: &str) -> Result<Vec<Choice>, AppError> {
    Ok(crate::ngos::service::matching(state.store.as_ref(), typed, 8)
        .await?
        .into_iter()
        .map(|(id, ngo)| Choice {
            id,
            name: crate::ngos::service::name_in(&ngo, lang),
        })
        .collect())
}

/// The facts of `event` its mail tells a parent writing in `lang` (the other language's text
/// when it has none in `lang`).
fn mail_event(event: &EditableEvent, lang: Lang) -> crate::server::mail::MailEvent {
    let text = event.text(lang).or_else(|| event.texts.first());
    crate::server::mail::MailEvent {
        title: text.map(|text| text.title.clone()).unwrap_or_default(),
        starts_at: event.starts_at,
        venue_name: text.map(|text| text.venue_name.clone()).unwrap_or_default(),
        venue_address: text.map(|text| text.venue_address.clone()).unwrap_or_default(),
    }
}

/// Saves the draft as `account`; the public pages show the change at once, and a cancellation
/// is mailed to every registered parent.
pub async fn save(state: &AppState, account: &AccountRecord, draft: &EventDraft) -> Result<SavedEvent, AppError> {
    let now = crate::server::time::now();
    let event = check(draft, now).map_err(AppError::Validation)?;
    let (bg, en) = (mail_event(&event, Lang::Bg), mail_event(&event, Lang::En));
    let compose = move |kind, registration: &crate::server::store::RegistrationRecord| {
        let facts = if registration.lang == Lang::Bg { &bg } else { &en };
        crate::server::mail::compose(kind, registration, facts)
    };
    let refused = |field: &str, problem| Err(AppError::Validation(vec![FieldError::new(field, problem)]));
    match state
        .store
        .save_event(&event, now, &Actor::account(account), &compose)
        .await?
    {
        Ok(saved) => {
            state.page_cache.invalidate_content();
            tracing::info!(
                account = account.id,
                event = saved.id,
                promoted = saved.promoted,
                told_cancelled = saved.told_cancelled,
                "event saved"
            );
            Ok(SavedEvent {
                id: saved.id,
                slug: event.slug.to_string(),
                public: event.state != EventState::Draft,
                promoted: saved.promoted,
                told_cancelled: saved.told_cancelled,
            })
        }
        Err(EventSaveRefusal::SlugTaken) => refused("slug", FieldProblem::SlugTaken),
        Err(EventSaveRefusal::UnknownNgo) => refused("organiser_ngo", FieldProblem::Required),
        Err(EventSaveRefusal::UnknownImage) => refused("cover", FieldProblem::InvalidImage),
        Err(EventSaveRefusal::UnknownOrganiser) => refused("organisers", FieldProblem::Required),
        Err(EventSaveRefusal::CapacityBelowConfirmed { confirmed }) => {
            refused("capacity", FieldProblem::BelowConfirmed { confirmed })
        }
        Err(EventSaveRefusal::HasRegistrations) => refused("status", FieldProblem::CannotBeDraft),
        Err(EventSaveRefusal::Cancelled) => refused("status", FieldProblem::StaysCancelled),
        Err(EventSaveRefusal::EndsInPast) => refused("ends_at", FieldProblem::EndsInPast),
        Err(EventSaveRefusal::NotFound) => Err(AppError::NotFound),
    }
}

/// One page of the editor's list.
pub async fn list(
    state: &AppState,
    lang: Lang,
    search: &str,
    status: Option<EventStatus>,
    page: PageNumber,
) -> Result<AdminEventList, AppError> {
    let query = AdminEventQuery {
        lang,
        search: search.chars().take(100).collect(),
        state: status.map(|status| match status {
            EventStatus::Draft => EventState::Draft,
            EventStatus::Published => EventState::Published,
            EventStatus::Cancelled => EventState::Cancelled,
        }),
        limit: LIST_PAGE_SIZE,
        offset: page.offset(LIST_PAGE_SIZE),
    };
    let (events, total) = state.store.admin_event_list(&query).await?;
    Ok(AdminEventList {
        events: events
            .into_iter()
            .map(|event| AdminEventRow {
                slug: event.slug.to_string(),
                title: event.title,
                status: match event.state {
                    EventState::Draft => EventStatus::Draft,
                    EventState::Published => EventStatus::Published,
                    EventState::Cancelled => EventStatus::Cancelled,
                },
                starts: sofia_datetime(event.starts_at),
                capacity: event.capacity,
                confirmed_children: event.confirmed_children,
                langs: event.langs,
            })
            .collect(),
        total,
        page: page.get(),
        pages: crate::domain::PageNumber::count(total, LIST_PAGE_SIZE),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000;

    fn draft() -> EventDraft {
        EventDraft {
            bg: EventText {
                text: PostText {
                    title: "Лятно парти".into(),
                    summary: "Безплатна работилница по рисуване".into(),
                    body: "Рисуваме заедно.".into(),
                },
                venue_name: "Читалище „Светлина“".into(),
                venue_address: "ул. „Шипка“ 12, София".into(),
            },
            starts_at: "2030-07-21T11:00".into(),
            ends_at: "2030-07-21T13:30".into(),
            min_age: "4".into(),
            max_age: "12".into(),
            capacity: "30".into(),
            free: true,
            organiser_ngo: 3,
            status: EventStatus::Published,
            ..EventDraft::default()
        }
    }

    fn problems(draft: &EventDraft) -> Vec<(String, FieldProblem)> {
        check(draft, NOW)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.problem))
            .collect()
    }

    #[test]
    fn a_free_bulgarian_event_gets_its_slug_prefix_and_registration_window_from_what_is_typed() {
        let event = check(&draft(), NOW).unwrap();
        assert_eq!(event.slug.as_str(), "lyatno-parti");
        assert_eq!(event.code_prefix, "LP");
        assert_eq!(event.price_eur_cents, None);
        assert_eq!(event.registration_opens_at, NOW);
        assert_eq!(event.registration_closes_at, event.starts_at);
        assert_eq!(sofia_input(event.starts_at), "2030-07-21T11:00");
        assert_eq!(event.ends_at - event.starts_at, 150 * 60);
    }

    #[test]
    fn times_must_follow_each_other() {
        let mut backwards = draft();
        backwards.ends_at = "2030-07-21T10:00".into();
        backwards.registration_closes_at = "2030-07-22T10:00".into();
        assert_eq!(
            problems(&backwards),
            vec![
                ("ends_at".into(), FieldProblem::EndsBeforeStart),
                ("registration_closes_at".into(), FieldProblem::ClosesAfterEnd)
            ]
        );
        let mut closed_before_open = draft();
        closed_before_open.registration_opens_at = "2030-07-20T10:00".into();
        closed_before_open.registration_closes_at = "2030-07-19T10:00".into();
        assert_eq!(
            problems(&closed_before_open),
            vec![("registration_closes_at".into(), FieldProblem::ClosesBeforeOpens)]
        );
        let mut no_start = draft();
        no_start.starts_at = String::new();
        no_start.ends_at = "утре".into();
        assert_eq!(
            problems(&no_start),
            vec![
                ("starts_at".into(), FieldProblem::Required),
                ("ends_at".into(), FieldProblem::InvalidDateTime)
            ]
        );
    }

    #[test]
    fn ages_seats_price_map_and_prefix_are_checked() {
        let mut bad = draft();
        bad.min_age = "10".into();
        bad.max_age = "6".into();
        bad.capacity = "0".into();
        bad.free = false;
        bad.price = "пет".into();
        bad.map_url = "javascript:alert(1)".into();
        bad.code_prefix = "LP-1".into();
        assert_eq!(
            problems(&bad),
            vec![
                ("map_url".into(), FieldProblem::InvalidLink),
                ("max_age".into(), FieldProblem::NumberOutOfRange { min: 10, max: 17 }),
                (
                    "capacity".into(),
                    FieldProblem::NumberOutOfRange {
                        min: 1,
                        max: CAPACITY_MAX
                    }
                ),
                ("price".into(), FieldProblem::InvalidPrice),
                ("code_prefix".into(), FieldProblem::InvalidCodePrefix)
            ]
        );
        let mut paid = draft();
        paid.free = false;
        paid.price = "12,50 €".into();
        paid.map_url = "https://maps.example/?q=Шипка 12".into();
        assert_eq!(problems(&paid), vec![("map_url".into(), FieldProblem::InvalidLink)]);
        paid.map_url = "https://www.openstreetmap.org/?mlat=42.69&mlon=23.33".into();
        let event = check(&paid, NOW).unwrap();
        assert_eq!(event.price_eur_cents, Some(1250));
        assert_eq!(
            event.map_url.as_deref(),
            Some("https://www.openstreetmap.org/?mlat=42.69&mlon=23.33")
        );
    }

    #[test]
    fn prices_read_as_euro_with_comma_or_point() {
        assert_eq!(price_cents("12"), Some(1200));
        assert_eq!(price_cents("12,5"), Some(1250));
        assert_eq!(price_cents("0.99"), Some(99));
        assert_eq!(price_cents("12,505"), None);
        assert_eq!(price_cents("-3"), None);
        assert_eq!(price_cents(""), None);
    }

    #[test]
    fn an_admin_address_is_not_an_event_slug() {
        let mut new = draft();
        new.slug = "new".into();
        assert_eq!(problems(&new), vec![("slug".into(), FieldProblem::SlugTaken)]);
    }

    #[test]
    fn a_saved_event_comes_back_to_the_editor_as_it_was_typed() {
        let mut typed = draft();
        typed.free = false;
        typed.price = "7,00".into();
        typed.registration_opens_at = "2030-07-01T09:00".into();
        typed.registration_closes_at = "2030-07-20T18:00".into();
        typed.code_prefix = "lp".into();
        typed.tags = "деца, изкуство".into();
        let back = to_draft(&check(&typed, NOW).unwrap());
        assert_eq!(back.bg, typed.bg);
        assert_eq!(back.price, "7,00");
        assert_eq!(back.code_prefix, "LP");
        assert_eq!(back.registration_opens_at, typed.registration_opens_at);
        assert_eq!(back.registration_closes_at, typed.registration_closes_at);
        assert_eq!(back.tags, typed.tags);
        assert_eq!(back.slug, "lyatno-parti");
    }
}
