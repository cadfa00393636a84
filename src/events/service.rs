//! The event pages' and registration's use cases over the store.
use super::model::*;
use super::validate::validate;
use crate::cards::build::{availability, event_card};
use crate::cards::{Availability, EventCard};
use crate::domain::{Lang, Slug};
use crate::error::AppError;
use crate::server::mail;
use crate::server::store::{
    EventRecord, MailComposer, NewRegistration, PostFilter, RegisterOutcome, RegisterRejection, RegistrationRecord,
    Store, StoreError, StoredStatus,
};
use crate::server::time::{now, sofia_datetime};
use crate::server::tokens::ManageTokens;

/// Events on one page of the list.
pub const EVENTS_PER_PAGE: u32 = 24;
/// How often a new random code is tried when one is taken.
const CODE_ATTEMPTS: usize = 5;

pub async fn list(store: &dyn Store, lang: Lang, when: EventsWhen) -> Result<Vec<EventCard>, AppError> {
    let now = now();
    Ok(store
        .events(lang, when, now, EVENTS_PER_PAGE)
        .await?
        .iter()
        .map(|e| event_card(e, now))
        .collect())
}

async fn find(store: &dyn Store, lang: Lang, slug: &Slug) -> Result<EventRecord, AppError> {
    store.event(lang, slug).await?.ok_or(AppError::NotFound)
}

/// A public event with its related posts. A slug the event had before answers
/// [`AppError::Moved`] to its current address.
pub async fn page(store: &dyn Store, lang: Lang, slug: &Slug) -> Result<EventPageData, AppError> {
    let Some(event) = store.event(lang, slug).await? else {
        return match store.moved_event(slug).await? {
            Some(current) => Err(AppError::Moved {
                path: format!("events/{current}"),
            }),
            None => Err(AppError::NotFound),
        };
    };
    let posts = store.posts(lang, &PostFilter::everything(now())).await?;
    let related_posts = crate::related::related_posts(
        &posts,
        &crate::related::event_doc(&event),
        crate::related::RELATED_POSTS,
    );
    Ok(EventPageData {
        card: event_card(&event, now()),
        body_html: crate::server::markdown::to_safe_html(&event.body_md),
        venue_address: event.venue_address.clone(),
        map_url: event.map_url.as_deref().and_then(crate::domain::https_link),
        organiser: event.organiser.clone(),
        registration_closes: sofia_datetime(event.registration_closes_at),
        tags: event.tags.clone(),
        related_posts,
        text_lang: event.lang,
        languages: if event.translated {
            Lang::ALL.to_vec()
        } else {
            vec![event.lang]
        },
    })
}

pub async fn event_availability(store: &dyn Store, slug: &Slug) -> Result<Availability, AppError> {
    Ok(availability(&find(store, Lang::Bg, slug).await?))
}

/// The mail writer for registrations of `event` (read in `lang`), in each registration's
/// language: only the other language's text is read here.
async fn composer(store: &dyn Store, event: EventRecord, lang: Lang) -> Result<Box<MailComposer>, AppError> {
    let other = store
        .event_by_id(lang.other(), event.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (event, other) = (mail::MailEvent::from(&event), mail::MailEvent::from(&other));
    let (bg, en) = if lang == Lang::Bg {
        (event, other)
    } else {
        (other, event)
    };
    Ok(Box::new(move |kind, registration: &RegistrationRecord| {
        let event = if registration.lang == Lang::Bg { &bg } else { &en };
        mail::compose(kind, registration, event)
    }))
}

fn random_code(prefix: &str) -> String {
    use rand::Rng;
    // No 0/O, 1/I/L: the code is read aloud and typed from paper.
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    let tail: String = (0..4)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    format!("{prefix}-{tail}")
}

pub fn random_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Where the parent lands after registering or opening the private link.
pub fn manage_path(lang: Lang, token: &str) -> String {
    crate::locale::href(lang, &format!("registrations/{token}"))
}

/// What became of a registration form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    /// Stored (or the same submission replayed): the token of its private link.
    Token(String),
    /// This e-mail already registered these children; the link was mailed to it again.
    AlreadyRegistered,
    /// A bot's submission, dropped.
    Discarded,
}

/// Where a visitor goes after submitting the form of `event`.
pub fn registered_path(lang: Lang, event: &str, outcome: &Registered) -> String {
    match outcome {
        Registered::Token(token) => manage_path(lang, token),
        Registered::AlreadyRegistered => crate::locale::href(lang, &format!("events/{event}/link-sent")),
        // A bot is told nothing useful.
        Registered::Discarded => crate::locale::href(lang, &format!("events/{event}")),
    }
}

fn field_error(field: &str, problem: crate::error::FieldProblem) -> AppError {
    AppError::Validation(vec![crate::error::FieldError::new(field, problem)])
}

/// Registers the children of `form`.
pub async fn register(
    store: &dyn Store,
    tokens: &ManageTokens,
    form: &RegistrationForm,
) -> Result<Registered, AppError> {
    let slug: Slug = form.event.parse().map_err(|_| AppError::NotFound)?;
    let event = find(store, form.lang, &slug).await?;
    if !form.website.trim().is_empty() {
        tracing::info!(event = %slug, "honeypot filled: registration discarded");
        return Ok(Registered::Discarded);
    }
    let idempotency_key = form.idempotency_key.trim();
    if idempotency_key.is_empty() || idempotency_key.len() > 64 {
        return Err(field_error("idempotency_key", crate::error::FieldProblem::Required));
    }
    let valid = validate(form, (event.min_age, event.max_age)).map_err(AppError::Validation)?;
    let compose = composer(store, event.clone(), form.lang).await?;
    for _ in 0..CODE_ATTEMPTS {
        let registration = NewRegistration {
            event_id: event.id,
            idempotency_key: idempotency_key.to_owned(),
            lang: form.lang,
            parent_name: valid.parent_name.clone(),
            email: valid.email.to_lowercase(),
            phone: valid.phone.clone(),
            note: valid.note.clone(),
            children: valid.children.clone(),
            code: random_code(&event.code_prefix),
            token_nonce: ManageTokens::new_nonce(),
        };
        return match store.register(registration, now(), compose.as_ref()).await {
            Ok(RegisterOutcome::Created(record) | RegisterOutcome::Replayed(record)) => record
                .token_nonce
                .as_deref()
                .and_then(|nonce| tokens.token(nonce))
                .map(Registered::Token)
                .ok_or(AppError::KeyConflict),
            Ok(RegisterOutcome::AlreadyRegistered) => Ok(Registered::AlreadyRegistered),
            Ok(RegisterOutcome::KeyConflict) => Err(AppError::KeyConflict),
            Ok(RegisterOutcome::TooManyForEmail { max }) => Err(field_error(
                "email",
                crate::error::FieldProblem::TooManyRegistrations {
                    max: u8::try_from(max).unwrap_or(u8::MAX),
                },
            )),
            Ok(RegisterOutcome::Rejected(rejection)) => Err(match rejection {
                RegisterRejection::NotOpenYet => AppError::RegistrationNotOpen,
                RegisterRejection::Closed => AppError::RegistrationClosed,
                RegisterRejection::EventCancelled => AppError::EventCancelled,
                RegisterRejection::AgeOutOfRange { min, max } => {
                    field_error("children", crate::error::FieldProblem::AgeOutOfRange { min, max })
                }
            }),
            Err(StoreError::CodeClash) => continue,
            Err(error) => Err(error.into()),
        };
    }
    Err(StoreError::CodeClash.into())
}

async fn view(
    store: &dyn Store,
    lang: Lang,
    record: RegistrationRecord,
    mail_delivered: bool,
) -> Result<RegistrationView, AppError> {
    let event = store
        .event_by_id(lang, record.event_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(RegistrationView {
        code: record.code,
        status: match record.status {
            StoredStatus::Confirmed => RegistrationStatus::Confirmed,
            StoredStatus::Waitlisted(position) => RegistrationStatus::Waitlisted { position },
            StoredStatus::Cancelled => RegistrationStatus::Cancelled,
        },
        parent_name: record.parent_name,
        children: record.children,
        event: event_card(&event, now()),
        mail_delivered,
    })
}

/// The registration a private link's token leads to; a token this server did not make, or
/// of an erased registration, leads nowhere.
async fn by_token(
    store: &dyn Store,
    tokens: &ManageTokens,
    token: &str,
) -> Result<(String, RegistrationRecord), AppError> {
    let nonce = tokens.nonce(token).ok_or(AppError::NotFound)?;
    let record = store.registration(&nonce).await?.ok_or(AppError::NotFound)?;
    Ok((nonce, record))
}

pub async fn registration(
    store: &dyn Store,
    tokens: &ManageTokens,
    lang: Lang,
    token: &str,
    mail_delivered: bool,
) -> Result<RegistrationView, AppError> {
    let (_, record) = by_token(store, tokens, token).await?;
    view(store, lang, record, mail_delivered).await
}

pub async fn cancel(store: &dyn Store, tokens: &ManageTokens, token: &str) -> Result<(), AppError> {
    let (nonce, _) = by_token(store, tokens, token).await?;
    let parent = crate::server::store::Actor::system("parent (private link)");
    cancel_by_nonce(store, &nonce, &parent).await
}

/// Cancels the registration whose link was made from `nonce` (the waitlist moves up, the
/// parents are mailed), recorded under `actor`.
pub async fn cancel_by_nonce(
    store: &dyn Store,
    nonce: &str,
    actor: &crate::server::store::Actor,
) -> Result<(), AppError> {
    let record = store.registration(nonce).await?.ok_or(AppError::NotFound)?;
    let event = store
        .event_by_id(Lang::Bg, record.event_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let compose = composer(store, event, Lang::Bg).await?;
    store
        .cancel_registration(nonce, now(), compose.as_ref(), actor)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(())
}

/// Cancels a registration of `event` on a parent's behalf (staff at the door or on the phone):
/// the same as the parent's own cancelling (the waitlist moves up, both parents are mailed),
/// recorded under `actor`. `NotFound` for a code of no active registration of the event.
pub async fn cancel_for_parent(
    store: &dyn Store,
    event: &EventRecord,
    code: &str,
    actor: &crate::server::store::Actor,
) -> Result<(), AppError> {
    let nonce = store
        .active_registration_nonce(event.id, code)
        .await?
        .ok_or(AppError::NotFound)?;
    cancel_by_nonce(store, &nonce, actor).await
}
