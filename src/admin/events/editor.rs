//! The event editor (`/{lang}/admin/events/new`, `/{lang}/admin/events/{slug}/edit`):
//! Bulgarian and English side by side with the venue, the times in Sofia, ages, seats, price,
//! the organising NGO and the organisers who see the registrations, status and cover.
use super::api;
use super::model::{EventDraft, EventEditorData, EventStatus, EventText, SavedEvent};
use crate::admin::fields::{
    CoverField, CoverState, SlugField, TextColumn, TextFields, field_errors, problem_of, save_message,
};
use crate::domain::Lang;
use crate::error::FieldError;
use crate::i18n::*;
use crate::locale::href;
use crate::site::{PageMeta, loaded, private_data, private_page, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn NewEventPage() -> impl IntoView {
    private_page();
    let lang = use_lang();
    let data = private_data(|| (), move |_| api::event_editor(lang, None));
    view! { {loaded(data, |data| view! { <EventEditor data /> })} }
}

#[component]
pub fn EditEventPage() -> impl IntoView {
    private_page();
    let lang = use_lang();
    let params = use_params_map();
    let data = private_data(
        move || params.with(|p| p.get("slug").unwrap_or_default()),
        move |slug| api::event_editor(lang, Some(slug)),
    );
    view! { {loaded(data, |data| view! { <EventEditor data /> })} }
}

/// The venue of one language, under its text.
#[derive(Clone, Copy)]
struct VenueFields {
    name: RwSignal<String>,
    address: RwSignal<String>,
}

impl VenueFields {
    fn new(text: &EventText) -> VenueFields {
        VenueFields {
            name: RwSignal::new(text.venue_name.clone()),
            address: RwSignal::new(text.venue_address.clone()),
        }
    }
}

/// One language's fields of the form.
fn event_text(text: TextFields, venue: VenueFields) -> EventText {
    EventText {
        text: text.get(),
        venue_name: venue.name.get_untracked(),
        venue_address: venue.address.get_untracked(),
    }
}

/// What the answer to a save says above the button.
fn saved_text(saved: &SavedEvent, locale: Locale) -> String {
    let mut text = td_string!(locale, post_saved).to_string();
    if saved.promoted > 0 {
        text.push(' ');
        text.push_str(&td_string!(locale, event_promoted_on_save, count = saved.promoted).to_string());
    }
    if saved.told_cancelled > 0 {
        text.push(' ');
        text.push_str(&td_string!(locale, event_cancel_mailed, count = saved.told_cancelled).to_string());
    }
    text
}

/// A labelled input bound to `value`, with its field's error under it.
#[component]
fn Field(
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: Memo<Vec<FieldError>>,
    locale: Locale,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let id = name.replace('_', "-");
    let error_id = format!("err-{id}");
    let hint_id = format!("hint-{id}");
    let described = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    let problem = move || problem_of(errors, name, locale);
    view! {
        <div class="field" class:field--invalid=move || problem().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id.clone()>{hint}</p> })}
            <input id=id type=kind inputmode=inputmode bind:value=value aria-describedby=described
                aria-invalid=move || problem().is_some().then_some("true") />
            <p class="field-error" id=error_id data-testid=format!("error-{name}")>{problem}</p>
        </div>
    }
}

#[component]
fn EventEditor(data: EventEditorData) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let query = use_query_map();
    let draft = data.draft;
    let id = draft.id;
    let original_slug = draft.slug.clone();
    let was_cancelled = draft.status == EventStatus::Cancelled;
    let bg = TextFields::new(&draft.bg.text);
    let en = TextFields::new(&draft.en.text);
    let (bg_venue, en_venue) = (VenueFields::new(&draft.bg), VenueFields::new(&draft.en));
    let slug = SlugField::new(id.is_some(), &draft.slug, bg, en);
    let shown_slug = slug.shown;
    let text = |value: &str| RwSignal::new(value.to_owned());
    let (tags, status) = (text(&draft.tags), RwSignal::new(draft.status));
    let (starts_at, ends_at) = (text(&draft.starts_at), text(&draft.ends_at));
    let (opens_at, closes_at) = (text(&draft.registration_opens_at), text(&draft.registration_closes_at));
    let (map_url, min_age, max_age) = (text(&draft.map_url), text(&draft.min_age), text(&draft.max_age));
    let (capacity, price, code_prefix) = (text(&draft.capacity), text(&draft.price), text(&draft.code_prefix));
    let free = RwSignal::new(draft.free);
    let ngo = RwSignal::new(draft.organiser_ngo);
    let organisers = RwSignal::new(draft.organisers.clone());
    let cover = CoverState::new(draft.cover.as_ref(), data.cover_src.clone());

    let save = ServerAction::<api::SaveEvent>::new();
    let saved_before = query.with_untracked(|q| q.get("saved").is_some());
    let public = RwSignal::new(data.public);
    let errors = field_errors(move || save.value().get().and_then(Result::err));
    let field_error = move |field: &'static str| move || problem_of(errors, field, locale);
    let form_message = move || {
        save_message(
            save.value().get(),
            |saved| saved_text(saved, locale),
            saved_before,
            locale,
        )
    };
    let collect = move || EventDraft {
        id,
        slug: shown_slug.get_untracked(),
        bg: event_text(bg, bg_venue),
        en: event_text(en, en_venue),
        tags: tags.get_untracked(),
        status: status.get_untracked(),
        starts_at: starts_at.get_untracked(),
        ends_at: ends_at.get_untracked(),
        registration_opens_at: opens_at.get_untracked(),
        registration_closes_at: closes_at.get_untracked(),
        map_url: map_url.get_untracked(),
        min_age: min_age.get_untracked(),
        max_age: max_age.get_untracked(),
        capacity: capacity.get_untracked(),
        free: free.get_untracked(),
        price: price.get_untracked(),
        organiser_ngo: ngo.get_untracked(),
        code_prefix: code_prefix.get_untracked(),
        organisers: organisers.get_untracked(),
        cover: cover.draft(),
    };
    // A new event, or one whose slug changed, continues at its own address.
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            public.set(saved.public);
            slug.typed.set(true);
            slug.slug.set(saved.slug.clone());
            if id.is_none() || saved.slug != original_slug {
                let navigate = leptos_router::hooks::use_navigate();
                navigate(
                    &format!("{}?saved=1", href(lang, &format!("admin/events/{}/edit", saved.slug))),
                    leptos_router::NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let cancelling = status.get_untracked() == EventStatus::Cancelled && !was_cancelled;
        if !cancelling || confirmed(td_string!(locale, event_cancel_confirm)) {
            save.dispatch(api::SaveEvent { draft: collect() });
        }
    };
    let public_link = move || {
        public
            .get()
            .then(|| href(lang, &format!("events/{}", shown_slug.get())))
    };
    let title = if id.is_some() {
        td_string!(locale, admin_edit_event).to_string()
    } else {
        td_string!(locale, admin_new_event).to_string()
    };
    let confirmed_children = data.confirmed_children;
    view! {
        <PageMeta title=title.clone() description=String::new() path=None />
        <section class="admin-page post-editor">
            <p class="admin-page__back"><a href=href(lang, "admin/events")>{td_string!(locale, admin_back_to_events)}</a></p>
            <h1>{title}</h1>
            <noscript><p class="notice">{td_string!(locale, editor_needs_javascript)}</p></noscript>
            <form class="post-editor__form" novalidate=true on:submit=on_submit>
                <div class="post-editor__texts">
                    <TextColumn text_lang=Lang::Bg fields=bg errors locale>
                        <VenueColumn code="bg" venue=bg_venue errors locale />
                    </TextColumn>
                    <TextColumn text_lang=Lang::En fields=en errors locale>
                        <VenueColumn code="en" venue=en_venue errors locale />
                    </TextColumn>
                </div>
                <div class="post-editor__settings">
                    <fieldset class="field post-editor__status" class:field--invalid=move || field_error("status")().is_some()>
                        <legend>{td_string!(locale, admin_posts_status)}</legend>
                        {EventStatus::ALL.into_iter().map(|option| view! {
                            <label class="radio">
                                <input type="radio" name="status" value=option.as_str()
                                    disabled=was_cancelled && option != EventStatus::Cancelled
                                    prop:checked=move || status.get() == option
                                    on:change=move |_| status.set(option) />
                                {super::status_text(option, locale)}
                            </label>
                        }).collect_view()}
                        <p class="field-hint">{td_string!(locale, event_status_hint)}</p>
                        <p class="field-error" data-testid="error-status">{field_error("status")}</p>
                    </fieldset>
                    <Field name="starts_at" label=td_string!(locale, event_starts_at) value=starts_at errors locale kind="datetime-local"
                        hint=td_string!(locale, event_sofia_time) />
                    <Field name="ends_at" label=td_string!(locale, event_ends_at) value=ends_at errors locale kind="datetime-local" />
                    <Field name="registration_opens_at" label=td_string!(locale, event_opens_at) value=opens_at errors locale
                        kind="datetime-local" hint=td_string!(locale, event_opens_at_hint) />
                    <Field name="registration_closes_at" label=td_string!(locale, event_closes_at) value=closes_at errors locale
                        kind="datetime-local" hint=td_string!(locale, event_closes_at_hint) />
                    <Field name="map_url" label=td_string!(locale, event_map_url) value=map_url errors locale kind="url"
                        hint=td_string!(locale, event_map_url_hint) inputmode="url" />
                    <div class="post-editor__pair">
                        <Field name="min_age" label=td_string!(locale, event_min_age) value=min_age errors locale inputmode="numeric" />
                        <Field name="max_age" label=td_string!(locale, event_max_age) value=max_age errors locale inputmode="numeric" />
                    </div>
                    <Field name="capacity" label=td_string!(locale, event_capacity) value=capacity errors locale inputmode="numeric" />
                    {(confirmed_children > 0).then(|| view! {
                        <p class="field-hint">{td_string!(locale, event_capacity_confirmed, count = confirmed_children)}</p>
                    })}
                    <div class="field">
                        <label class="checkbox">
                            <input type="checkbox" prop:checked=move || free.get() on:change=move |ev| free.set(event_target_checked(&ev))
                                data-testid="free" />
                            {td_string!(locale, event_free)}
                        </label>
                    </div>
                    <Show when=move || !free.get()>
                        <Field name="price" label=td_string!(locale, event_price_eur) value=price errors locale inputmode="decimal" />
                    </Show>
                    <NgoField ngo chosen=data.ngo errors locale lang />
                    <fieldset class="field" class:field--invalid=move || field_error("organisers")().is_some()>
                        <legend>{td_string!(locale, event_organisers)}</legend>
                        <p class="field-hint">{td_string!(locale, event_organisers_hint)}</p>
                        {data.organisers.into_iter().map(|choice| {
                            let account = choice.id;
                            view! {
                                <label class="checkbox">
                                    <input type="checkbox" prop:checked=move || organisers.with(|chosen| chosen.contains(&account))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            organisers.update(|chosen| {
                                                chosen.retain(|id| *id != account);
                                                if on { chosen.push(account); }
                                            });
                                        } />
                                    {choice.name}
                                </label>
                            }
                        }).collect_view()}
                        <p class="field-error">{field_error("organisers")}</p>
                    </fieldset>
                    <Field name="code_prefix" label=td_string!(locale, event_code_prefix) value=code_prefix errors locale
                        hint=td_string!(locale, event_code_prefix_hint) />
                    <div class="field" class:field--invalid=move || field_error("slug")().is_some()>
                        <label for="slug">{td_string!(locale, post_slug)}</label>
                        <p class="field-hint" id="hint-slug">{td_string!(locale, post_slug_hint)}</p>
                        <input id="slug" type="text" inputmode="url" autocomplete="off" spellcheck="false"
                            prop:value=move || shown_slug.get() aria-describedby="hint-slug err-slug"
                            on:input=move |ev| { slug.typed.set(true); slug.slug.set(event_target_value(&ev)); } />
                        <p class="field-error" id="err-slug" data-testid="error-slug">{field_error("slug")}</p>
                    </div>
                    <Field name="tags" label=td_string!(locale, post_tags) value=tags errors locale hint=td_string!(locale, post_tags_hint) />
                    <CoverField cover errors locale />
                </div>
                <div class="post-editor__actions">
                    <p class="form-message" role="status" data-testid="save-status"
                        class:form-error=move || form_message().is_some_and(|(bad, _)| bad)>
                        {move || form_message().map(|(_, text)| text)}
                    </p>
                    {move || public_link().map(|link| view! {
                        <a class="button button--ghost" href=link data-testid="view-event">{td_string!(locale, post_view_public)}</a>
                    })}
                    <button type="submit" class="button button--primary" disabled=move || save.pending().get() || cover.uploading.get()
                        data-testid="save-event">
                        {move || if save.pending().get() { td_string!(locale, post_saving) } else { td_string!(locale, post_save) }}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// The organising NGO, found by typing part of its name (the directory has thousands): the
/// matches are offered as buttons; the chosen one is shown above.
#[component]
fn NgoField(
    ngo: RwSignal<i64>,
    chosen: Option<super::model::Choice>,
    errors: Memo<Vec<FieldError>>,
    locale: Locale,
    lang: Lang,
) -> impl IntoView {
    let problem = move || problem_of(errors, "organiser_ngo", locale);
    let chosen_name = RwSignal::new(chosen.map(|choice| choice.name).unwrap_or_default());
    let typed = RwSignal::new(String::new());
    let found = RwSignal::new(Vec::<super::model::Choice>::new());
    suggest_ngos(typed, found, lang);
    view! {
        <div class="field ngo-field" class:field--invalid=move || problem().is_some()>
            <label for="organiser-ngo">{td_string!(locale, event_organiser_ngo)}</label>
            <p class="ngo-field__chosen" data-testid="organiser-ngo-chosen">
                {move || {
                    let name = chosen_name.get();
                    if name.is_empty() { td_string!(locale, event_choose).to_string() } else { name }
                }}
            </p>
            <input id="organiser-ngo" type="search" autocomplete="off" placeholder=td_string!(locale, event_find_ngo)
                bind:value=typed aria-describedby="err-organiser-ngo" />
            <ul class="ngo-field__found plain" data-testid="organiser-ngo-found">
                {move || found.get().into_iter().map(|choice| {
                    let (id, name) = (choice.id, choice.name.clone());
                    view! {
                        <li>
                            <button type="button" class="button button--ghost button--small"
                                on:click=move |_| {
                                    ngo.set(id);
                                    chosen_name.set(name.clone());
                                    typed.set(String::new());
                                    found.set(Vec::new());
                                }>
                                {choice.name}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="field-error" id="err-organiser-ngo" data-testid="error-organiser_ngo">{problem}</p>
        </div>
    }
}

/// Keeps `found` the NGOs matching `typed`, asked for when typing pauses (a newer question
/// makes the answer to an older one be ignored).
fn suggest_ngos(typed: RwSignal<String>, found: RwSignal<Vec<super::model::Choice>>, lang: Lang) {
    #[cfg(feature = "hydrate")]
    {
        let asked = StoredValue::new(0_u64);
        Effect::new(move |_| {
            let words = typed.get();
            let mine = asked.get_value() + 1;
            asked.set_value(mine);
            if words.trim().chars().count() < 2 {
                found.set(Vec::new());
                return;
            }
            set_timeout(
                move || {
                    if asked.get_value() != mine {
                        return;
                    }
                    leptos::task::spawn_local(async move {
                        if let Ok(choices) = api::find_ngos(lang, words).await
                            && asked.get_value() == mine
                        {
                            found.set(choices);
                        }
                    });
                },
                std::time::Duration::from_millis(250),
            );
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (typed, found, lang);
}

/// Where the event happens, in one language.
#[component]
fn VenueColumn(code: &'static str, venue: VenueFields, errors: Memo<Vec<FieldError>>, locale: Locale) -> impl IntoView {
    let problem = move |name: &'static str| {
        let field = format!("{code}.{name}");
        move || problem_of(errors, &field, locale)
    };
    let id = move |name: &str| format!("{code}-{name}");
    view! {
        <div class="field" class:field--invalid=move || problem("venue_name")().is_some()>
            <label for=id("venue-name")>{td_string!(locale, event_venue_name)}</label>
            <input id=id("venue-name") type="text" bind:value=venue.name />
            <p class="field-error" data-testid=format!("error-{code}-venue_name")>{problem("venue_name")}</p>
        </div>
        <div class="field" class:field--invalid=move || problem("venue_address")().is_some()>
            <label for=id("venue-address")>{td_string!(locale, event_venue_address)}</label>
            <input id=id("venue-address") type="text" autocomplete="street-address" bind:value=venue.address />
            <p class="field-error" data-testid=format!("error-{code}-venue_address")>{problem("venue_address")}</p>
        </div>
    }
}

/// Whether the editor confirms `question` (a browser dialog); without a window, yes.
fn confirmed(question: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|window| window.confirm_with_message(question).ok())
            .unwrap_or(true)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = question;
        true
    }
}
