//! Finding an organisation in the admin by words of its name or place, to open its page.
use super::api;
use crate::i18n::*;
use crate::locale::href;
use crate::site::{loaded, private_data, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Search by name or place (a GET form, so it works without JavaScript too), and the
/// organisations found, each a link to its page in the admin.
#[component]
pub fn NgoFinder() -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let query = use_query_map();
    let typed = query.with_untracked(|q| q.get("q").unwrap_or_default());
    let found = private_data(
        move || query.with(|q| q.get("q").unwrap_or_default()),
        move |q| api::find_admin_ngos(lang, q),
    );
    view! {
        <h2>{td_string!(locale, admin_ngos_find)}</h2>
        <p>{td_string!(locale, admin_ngos_find_explained)}</p>
        <leptos_router::components::Form method="GET" action="" attr:class="admin-posts__filter" attr:role="search">
            <div class="field">
                <label for="ngo-q">{td_string!(locale, admin_ngos_find_label)}</label>
                <input id="ngo-q" name="q" type="search" value=typed autocomplete="off" enterkeyhint="search"
                    data-testid="ngo-find" />
            </div>
            <button type="submit" class="button button--small">{td_string!(locale, door_search_button)}</button>
        </leptos_router::components::Form>
        {loaded(found, move |found| {
            let searched = query.with_untracked(|q| q.get("q").is_some_and(|q| !q.trim().is_empty()));
            view! {
                {(searched && found.is_empty()).then(|| view! {
                    <p data-testid="ngo-found-none">{td_string!(locale, admin_ngos_find_none)}</p>
                })}
                <ul class="admin-ngo-list plain" data-testid="ngo-found">
                    {found.into_iter().map(|ngo| view! {
                        <li>
                            <a href=href(lang, &format!("admin/ngos/{}", ngo.slug))>{ngo.name}</a>
                            <span class="admin-ngo-list__place">{ngo.place}</span>
                        </li>
                    }).collect_view()}
                </ul>
            }
        })}
    }
}
