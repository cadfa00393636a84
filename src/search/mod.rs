//! The site search (`/{lang}/search?q=`): posts, events and NGOs in one ranked list with type
//! badges and the matched words marked; results follow the typing when hydrated, and the page
//! is a plain GET form without JavaScript.
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod vocabulary;

use crate::domain::{Lang, format_count, with_query};
use crate::i18n::*;
use crate::locale::href;
use crate::site::{ErrorView, PageMeta, page_data, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use model::{Marked, SearchData, SearchResult};

/// The search's address for `q`, `kind` and `page` (empty values left out).
fn search_href(lang: Lang, q: &str, kind: &str, page: u32) -> String {
    let page = if page > 1 { page.to_string() } else { String::new() };
    href(
        lang,
        &with_query("search", &[("q", q), ("kind", kind), ("page", &page)]),
    )
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let query = use_query_map();
    // The words are the visitor's own: a page with them is kept by no cache.
    if query.with_untracked(|q| q.get("q").is_some_and(|q| !q.trim().is_empty())) {
        crate::site::unkept_page();
    } else {
        crate::site::public_page();
    }
    let data = page_data(
        move || query.with(|q| ["q", "kind", "page"].map(|name| q.get(name).unwrap_or_default())),
        move |[q, kind, page]| api::search(lang, q, kind, page),
    );
    let typed = query.with_untracked(|q| q.get("q").unwrap_or_default());
    view! {
        <PageMeta title=td_string!(locale, search_title).to_string() description=td_string!(locale, search_lead).to_string()
            path=Some("search".to_owned()) />
        <section class="page-head search-head">
            <h1>{td_string!(locale, search_title)}</h1>
            <SearchForm typed />
        </section>
        // Kept on screen while the next results load, so that typing never loses the box.
        <Transition fallback=move || view! { <p class="loading" role="status">{td_string!(locale, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <SearchView data /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The search box. Hydrated, the results follow the typing (after a pause, replacing the
/// address rather than adding to the history); without JavaScript it is a GET form.
#[component]
fn SearchForm(typed: String) -> impl IntoView {
    let locale = crate::site::page_locale();
    let query = use_query_map();
    let kind = move || {
        let kind = query.with(|q| q.get("kind").unwrap_or_default());
        (!kind.is_empty()).then(|| view! { <input type="hidden" name="kind" value=kind /> })
    };
    // Straight into the box when the page is opened to search (the header's search entry).
    let focus_empty = typed.is_empty();
    let on_input = move |ev: leptos::ev::Event| crate::site::submit_after_pause(ev);
    view! {
        <leptos_router::components::Form method="GET" action="" replace=true attr:class="site-search" attr:role="search">
            {kind}
            <label for="search-q">{td_string!(locale, search_label)}</label>
            <div class="site-search__row">
                <input id="search-q" name="q" type="search" value=typed autocomplete="off" enterkeyhint="search"
                    autofocus=focus_empty maxlength="200"
                    placeholder=td_string!(locale, search_placeholder) on:input=on_input data-testid="search-q" />
                <button type="submit" class="button">{td_string!(locale, door_search_button)}</button>
            </div>
        </leptos_router::components::Form>
    }
}

/// Text runs with the matched words in `<mark>`.
fn marked_view(runs: Vec<Marked>) -> impl IntoView {
    runs.into_iter()
        .map(|run| {
            if run.hit {
                view! { <mark>{run.text}</mark> }.into_any()
            } else {
                run.text.into_any()
            }
        })
        .collect_view()
}

#[component]
fn SearchView(data: SearchData) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    if data.q.is_empty() {
        return view! { <p class="search-intro">{td_string!(locale, search_intro)}</p> <BrowseLinks lang /> }
            .into_any();
    }
    let all: u64 = data.counts.iter().map(|count| count.count).sum();
    if all == 0 {
        return view! {
            <div class="search-none" role="status" data-testid="search-none">
                <p class="search-none__title">{td_string!(locale, search_none, q = data.q.clone()).to_string()}</p>
                <p>{td_string!(locale, search_none_tips)}</p>
                <BrowseLinks lang />
            </div>
        }
        .into_any();
    }
    let (page, pages, q, kind) = (data.page, data.pages, data.q.clone(), data.kind.clone());
    // A kind with nothing found has no tab (unless shown): no dead end one tap away.
    let tab = |code: &'static str, label: String, count: u64| {
        let current = (data.kind == code).then_some("page");
        (count > 0 || current.is_some() || code.is_empty()).then(|| view! {
            <a href=search_href(lang, &data.q, code, 1) aria-current=current class="search-tabs__tab" data-testid=format!("search-tab-{}", if code.is_empty() { "all" } else { code })>
                {label} " " <span class="search-tabs__count">{format_count(count, lang)}</span>
            </a>
        })
    };
    let count_of = |kind: &str| data.counts.iter().find(|c| c.kind == kind).map_or(0, |c| c.count);
    let tabs = view! {
        <nav class="search-tabs" aria-label=td_string!(locale, search_title)>
            {tab("", td_string!(locale, search_all).to_string(), all)}
            {tab("posts", td_string!(locale, search_kind_posts).to_string(), count_of("posts"))}
            {tab("events", td_string!(locale, search_kind_events).to_string(), count_of("events"))}
            {tab("ngos", td_string!(locale, search_kind_ngos).to_string(), count_of("ngos"))}
        </nav>
    };
    let found = td_string!(
        locale,
        search_found,
        q = data.q.clone(),
        count = format_count(data.total, lang)
    )
    .to_string();
    let prev = (page > 1).then(|| search_href(lang, &q, &kind, page - 1));
    let next = (page < pages).then(|| search_href(lang, &q, &kind, page + 1));
    view! {
        {tabs}
        <p class="search-found" role="status" data-testid="search-found">{found}</p>
        {(!data.also_searched.is_empty()).then(|| view! {
            <p class="search-note" data-testid="search-also">{td_string!(locale, search_also)} " " <em>{data.also_searched.join(", ")}</em></p>
        })}
        {data.some_words.then(|| view! { <p class="search-note">{td_string!(locale, search_some_words)}</p> })}
        <ol class="search-results plain" data-testid="search-results">
            {data.results.into_iter().map(|result| view! { <ResultItem result lang /> }).collect_view()}
        </ol>
        {(pages > 1).then(|| view! {
            <nav class="pagination" aria-label=td_string!(locale, pagination)>
                {prev.map(|prev| view! { <a rel="prev" href=prev>{td_string!(locale, page_previous)}</a> })}
                <span>{td_string!(locale, page_of)} " " {page} " / " {format_count(u64::from(pages), lang)}</span>
                {next.map(|next| view! { <a rel="next" href=next>{td_string!(locale, page_next)}</a> })}
            </nav>
        })}
    }
    .into_any()
}

#[component]
fn ResultItem(result: SearchResult, lang: Lang) -> impl IntoView {
    let locale = crate::site::page_locale();
    let badge = match result.kind.as_str() {
        "posts" => td_string!(locale, search_badge_posts),
        "events" => td_string!(locale, search_badge_events),
        _ => td_string!(locale, search_badge_ngos),
    };
    let when = result
        .published
        .map(|date| date.format(lang))
        .or_else(|| result.starts.map(|starts| starts.format(lang)));
    let meta: Vec<String> = when
        .into_iter()
        .chain((!result.place.is_empty()).then(|| result.place.clone()))
        .collect();
    let other_language = (result.lang != lang).then(|| td_string!(locale, search_in_other_language));
    view! {
        <li class="search-result" data-testid="search-result" data-kind=result.kind.clone()>
            <p class="search-result__meta">
                <span class=format!("badge badge--{}", result.kind)>{badge}</span>
                {(!meta.is_empty()).then(|| view! { " " <span>{meta.join(" · ")}</span> })}
                {other_language.map(|note| view! { " · " <span class="search-result__lang">{note}</span> })}
            </p>
            <a class="search-result__title" href=href(lang, &format!("{}/{}", result.kind, result.slug)) lang=result.lang.code()>
                {marked_view(result.title)}
            </a>
            <p class="search-result__snippet" lang=result.lang.code()>{marked_view(result.snippet)}</p>
        </li>
    }
}

/// Where to look without searching.
#[component]
fn BrowseLinks(lang: Lang) -> impl IntoView {
    let locale = crate::site::page_locale();
    view! {
        <ul class="search-browse plain">
            <li><a href=href(lang, "ngos")>{td_string!(locale, search_browse_ngos)}</a></li>
            <li><a href=href(lang, "events")>{td_string!(locale, search_browse_events)}</a></li>
            <li><a href=href(lang, "posts")>{td_string!(locale, search_browse_posts)}</a></li>
        </ul>
    }
}
