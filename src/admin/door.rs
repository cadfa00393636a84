//! The door list (`/{lang}/admin/events/{slug}`): an event's registrations for the people
//! letting children in, on a phone, one-handed: find a family by name or code, tap each child
//! in. Taps show at once and are saved behind; without JavaScript each tap is a form post.
use super::api;
use super::model::{DoorChildView, DoorEntry, DoorList};
use crate::domain::Lang;
use crate::i18n::*;
use crate::locale::href;
use crate::site::{PageMeta, loaded, private_data, private_page, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn DoorPage() -> impl IntoView {
    private_page();
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let cancel = ServerAction::<api::CancelForParent>::new();
    // Read again after a cancellation (the waitlist may have moved up).
    let list = private_data(
        move || {
            (
                params.with(|p| p.get("slug").unwrap_or_default()),
                query.with(|q| q.get("q").unwrap_or_default()),
                cancel.version().get(),
            )
        },
        move |(slug, q, _)| api::door_list(lang, slug, q),
    );
    view! { {loaded(list, move |list| view! { <DoorView list cancel /> })} }
}

#[component]
fn DoorView(list: DoorList, cancel: ServerAction<api::CancelForParent>) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let event = list.event.clone();
    let arrived = RwSignal::new(list.checked_in_children);
    let confirmed = event.confirmed_children;
    let csv = format!(
        "/api/admin/events/{}/registrations.csv?lang={}",
        event.slug,
        lang.code()
    );
    let waitlist = (event.waitlisted_children > 0)
        .then(|| td_string!(locale, admin_waitlist, count = event.waitlisted_children).to_string());
    let empty = list.registrations.is_empty();
    let slug = event.slug.clone();
    let query = list.query.clone();
    view! {
        <PageMeta title=event.title.clone() description=String::new() path=None />
        <section class="admin-page door">
            <p class="admin-page__back"><a href=href(lang, "admin")>{td_string!(locale, door_back)}</a></p>
            <h1>{event.title.clone()}</h1>
            <p class="admin-page__lead"><time datetime=event.starts.iso()>{event.starts.format(lang)}</time></p>
            <p class="door__totals" data-testid="door-totals" aria-live="polite">
                <strong>{move || td_string!(locale, door_arrived, arrived = arrived.get(), confirmed = confirmed).to_string()}</strong>
                " · " {td_string!(locale, door_capacity, capacity = event.capacity)}
                {waitlist.map(|text| view! { " · " {text} })}
            </p>
            <leptos_router::components::Form method="GET" action="" attr:class="door__search" attr:role="search">
                <label for="q">{td_string!(locale, door_search_label)}</label>
                <div class="door__search-row">
                    <input id="q" name="q" type="search" value=list.query.clone() autocomplete="off" enterkeyhint="search" />
                    <button type="submit" class="button button--small">{td_string!(locale, door_search_button)}</button>
                </div>
            </leptos_router::components::Form>
            <p class="door__export">
                <a class="button button--ghost button--small" href=csv download="" data-testid="door-csv">{td_string!(locale, door_export_csv)}</a>
            </p>
            {empty.then(|| view! { <p data-testid="door-none">{td_string!(locale, door_none)}</p> })}
            <ul class="door-list plain">
                {list.registrations.into_iter().map(|entry| view! {
                    <DoorEntryView entry slug=slug.clone() query=query.clone() arrived cancel lang locale />
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn DoorEntryView(
    entry: DoorEntry,
    slug: String,
    query: String,
    arrived: RwSignal<u32>,
    cancel: ServerAction<api::CancelForParent>,
    lang: Lang,
    locale: Locale,
) -> impl IntoView {
    let phone_href = format!("tel:{}", entry.phone);
    let waitlisted = entry.waitlisted;
    let code = entry.code.clone();
    view! {
        <li class="door-entry" class:door-entry--waitlisted=waitlisted id=format!("registration-{}", entry.code) data-testid="door-entry">
            <p class="door-entry__head">
                <strong>{entry.parent_name.clone()}</strong>
                " " <span class="code">{entry.code.clone()}</span>
                {waitlisted.then(|| view! { " " <span class="door-entry__badge">{td_string!(locale, door_waitlisted)}</span> })}
            </p>
            <p class="door-entry__phone"><a href=phone_href>{crate::domain::phone_for_people(&entry.phone)}</a></p>
            <ul class="door-children plain">
                {entry.children.into_iter().map(|child| {
                    if waitlisted {
                        view! { <li class="door-child">{child.first_name} " (" {child.age} ")"</li> }.into_any()
                    } else {
                        view! { <li><CheckIn child slug=slug.clone() code=code.clone() query=query.clone() arrived lang locale /></li> }.into_any()
                    }
                }).collect_view()}
            </ul>
            // Two steps, with or without JavaScript: a tap opens the confirmation.
            <details class="door-entry__cancel">
                <summary>{td_string!(locale, door_cancel)}</summary>
                <p>{td_string!(locale, door_cancel_explained)}</p>
                <ActionForm action=cancel>
                    <input type="hidden" name="lang" value=lang.code() />
                    <input type="hidden" name="slug" value=slug.clone() />
                    <input type="hidden" name="code" value=code.clone() />
                    <input type="hidden" name="q" value=query.clone() />
                    <button type="submit" class="button button--danger button--small" disabled=move || cancel.pending().get()>
                        {td_string!(locale, door_cancel_confirm)}
                    </button>
                </ActionForm>
            </details>
        </li>
    }
}

/// One child's arrival: a big toggle. Hydrated, a tap shows at once and is saved behind (put
/// back, with a message, if the server refuses); without JavaScript it posts the form.
#[component]
fn CheckIn(
    child: DoorChildView,
    slug: String,
    code: String,
    query: String,
    arrived: RwSignal<u32>,
    lang: Lang,
    locale: Locale,
) -> impl IntoView {
    let action = ServerAction::<api::CheckIn>::new();
    let checked = RwSignal::new(child.checked_in);
    let failed = RwSignal::new(false);
    // Tapped offline: kept on the device by the service worker until the connection returns.
    let on_device = RwSignal::new(false);
    let position = child.position;
    // A refused change is put back.
    Effect::new(move |_| match action.value().get() {
        Some(Err(crate::error::AppError::Queued)) => on_device.set(true),
        Some(Err(_)) => {
            let was = !checked.get_untracked();
            checked.set(was);
            arrived.update(|n| *n = if was { *n + 1 } else { n.saturating_sub(1) });
            failed.set(true);
        }
        Some(Ok(())) => on_device.set(false),
        None => {}
    });
    let on_submit = {
        let (slug, code, query) = (slug.clone(), code.clone(), query.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let present = !checked.get_untracked();
            checked.set(present);
            arrived.update(|n| *n = if present { *n + 1 } else { n.saturating_sub(1) });
            failed.set(false);
            action.dispatch(api::CheckIn {
                lang,
                slug: slug.clone(),
                code: code.clone(),
                child: position,
                present,
                q: query.clone(),
            });
        }
    };
    view! {
        <form class="door-child" method="post" action="/api/admin/check-in" on:submit=on_submit>
            <input type="hidden" name="lang" value=lang.code() />
            <input type="hidden" name="slug" value=slug />
            <input type="hidden" name="code" value=code />
            <input type="hidden" name="child" value=position />
            <input type="hidden" name="present" value=move || (!checked.get()).to_string() />
            <input type="hidden" name="q" value=query />
            <button type="submit" class="check-toggle" class:check-toggle--in=move || checked.get()
                aria-pressed=move || checked.get().to_string() data-testid="check-in">
                <span class="check-toggle__name">{child.first_name} " (" {child.age} ")"</span>
                <span class="check-toggle__state">
                    {move || if checked.get() { td_string!(locale, door_checked_in) } else { td_string!(locale, door_check_in) }}
                    {move || on_device.get().then(|| view! {
                        <small class="check-toggle__queued" data-testid="check-in-queued">
                            " · " {td_string!(locale, door_saved_on_device)}
                        </small>
                    })}
                </span>
            </button>
            <p class="field-error" role="alert">{move || failed.get().then(|| td_string!(locale, door_not_saved))}</p>
        </form>
    }
}
