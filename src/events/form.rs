//! The registration form: checked field by field as the parent types, sent to the `register`
//! server function when the app runs, posted to the event page without JavaScript.
use super::api;
use super::model::{ChildInput, RegistrationForm, RejectedForm};
use super::validate;
use crate::cards::{EventCard, RegistrationWindow, ages_text};
use crate::domain::Lang;
use crate::error::{AppError, FieldError, FieldProblem};
use crate::i18n::*;
use crate::locale::href;
use crate::site::problem_text;
use crate::site::use_lang;
use crate::wire::Wire;
use leptos::prelude::*;

/// The form posted without JavaScript that this page answers, if it was refused: set on the
/// server, carried into the page so that the hydrated form has the same rows, values and
/// messages. Read outside the registration section, which is hydrated later (`site::later`).
pub(super) fn rejected_form() -> Option<RejectedForm> {
    SharedValue::<_, Wire>::new_with_encoding(use_context::<RejectedForm>).into_inner()
}

#[component]
pub(super) fn RegistrationSection(card: EventCard, rejected: Option<RejectedForm>) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let message = match card.window {
        RegistrationWindow::Open => None,
        RegistrationWindow::NotYetOpen => Some(td_string!(locale, registration_not_open).to_string()),
        RegistrationWindow::Closed => Some(td_string!(locale, registration_closed).to_string()),
        RegistrationWindow::Cancelled => Some(td_string!(locale, event_cancelled).to_string()),
    };
    view! {
        <section class="registration" aria-labelledby="registration-heading" id="register">
            <h2 id="registration-heading">{td_string!(locale, registration_title)}</h2>
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
        AppError::TryAgainLater => td_string!(locale, error_try_again).to_string(),
        AppError::NotFound
        | AppError::Moved { .. }
        | AppError::BadRequest
        | AppError::Internal
        | AppError::Unavailable
        | AppError::Unauthorized
        | AppError::SignInLocked { .. } => td_string!(locale, error_text).to_string(),
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
        // The server function answers with where to go (the private page); the router's
        // redirect hook takes the app there.
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
    return super::service::random_token();
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
