//! The parts of the admin's lists of posts and events: the search and status filter, and
//! the pages.
use crate::domain::Lang;
use crate::i18n::*;
use crate::locale::href;
use leptos::prelude::*;

/// A list's address (`admin/posts`) with its search, status and page.
pub fn list_href(lang: Lang, path: &str, q: &str, status: &str, page: u32) -> String {
    let page = if page > 1 { page.to_string() } else { String::new() };
    href(
        lang,
        &crate::domain::with_query(path, &[("q", q), ("status", status), ("page", &page)]),
    )
}

/// Search words and a status (`statuses`: value and name), sent as the list's query.
#[component]
pub fn ListFilter(q: String, status: String, statuses: Vec<(&'static str, &'static str)>) -> impl IntoView {
    let locale = crate::site::page_locale();
    view! {
        <leptos_router::components::Form method="GET" action="" attr:class="admin-posts__filter" attr:role="search">
            <div class="field">
                <label for="q">{td_string!(locale, admin_posts_search)}</label>
                <input id="q" name="q" type="search" value=q autocomplete="off" enterkeyhint="search" />
            </div>
            <div class="field">
                <label for="status">{td_string!(locale, admin_posts_status)}</label>
                <select id="status" name="status">
                    <option value="" selected=status.is_empty()>{td_string!(locale, admin_posts_any_status)}</option>
                    {statuses.into_iter().map(|(value, name)| view! {
                        <option value=value selected=status == value>{name}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button button--small">{td_string!(locale, door_search_button)}</button>
        </leptos_router::components::Form>
    }
}

/// Links to the previous and next pages of a list at `path`, keeping its search and status.
#[component]
pub fn Pager(lang: Lang, path: &'static str, q: String, status: String, page: u32, pages: u32) -> impl IntoView {
    let locale = crate::site::page_locale();
    (pages > 1).then(|| {
        view! {
            <nav class="pagination" aria-label=td_string!(locale, pagination)>
                {(page > 1).then(|| view! { <a rel="prev" href=list_href(lang, path, &q, &status, page - 1)>{td_string!(locale, page_previous)}</a> })}
                <span>{td_string!(locale, page_of)} " " {page} " / " {pages}</span>
                {(page < pages).then(|| view! { <a rel="next" href=list_href(lang, path, &q, &status, page + 1)>{td_string!(locale, page_next)}</a> })}
            </nav>
        }
    })
}
