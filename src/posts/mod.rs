//! News posts: the posts list with its category filter and the post page with its related
//! posts and events.
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;

use crate::cards::{EventGrid, PostCard, PostGrid};
use crate::domain::{Lang, Tag};
use crate::i18n::*;
use crate::locale::href;
use crate::site::later::HydrateLater;
use crate::site::{JsonLd, PageMeta, loaded, page_data, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use model::{PostList, PostPageData};
use serde_json::json;

#[component]
pub fn PostsPage() -> impl IntoView {
    crate::site::public_page();
    let lang = use_lang();
    let query = use_query_map();
    let list = page_data(
        move || query.with(|q| (q.get("category"), q.get("page"))),
        move |(category, page)| api::list_posts(lang, category, page),
    );
    view! {
        {loaded(list, move |list| view! { <PostListView list active=query.with_untracked(|q| q.get("category")) /> })}
    }
}

/// The posts list's path inside a language tree: `posts?category=culture&page=2`.
fn list_path(category: Option<&str>, page: u32) -> String {
    let page = if page > 1 { page.to_string() } else { String::new() };
    crate::domain::with_query("posts", &[("category", category.unwrap_or_default()), ("page", &page)])
}

fn list_href(lang: Lang, category: Option<&str>, page: u32) -> String {
    href(lang, &list_path(category, page))
}

#[component]
fn PostListView(list: PostList, active: Option<String>) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let active_name = active
        .as_deref()
        .and_then(|slug| list.categories.iter().find(|c| c.slug.as_str() == slug))
        .map(|c| c.name.clone());
    let title = match &active_name {
        Some(name) => format!("{} · {name}", td_string!(locale, posts_title)),
        None => td_string!(locale, posts_title).to_string(),
    };
    let meta_path = list_path(active.as_deref(), list.page);
    let page = list.page;
    let total_pages = list.total_pages;
    let chip = {
        let active = active.clone();
        move |slug: Option<String>, name: String| {
            let current = (slug == active).then_some("page");
            view! { <li><a class="chip" href=list_href(lang, slug.as_deref(), 1) aria-current=current>{name}</a></li> }
        }
    };
    view! {
        <PageMeta title=title.clone() description=td_string!(locale, posts_lead).to_string() path=Some(meta_path) />
        <section class="page-head">
            <h1>{title}</h1>
            <p>{td_string!(locale, posts_lead)}</p>
        </section>
        <nav class="chips" aria-label=td_string!(locale, filter_by_category)>
            <ul>
                {chip(None, td_string!(locale, all_categories).to_string())}
                {list.categories.iter().map(|c| chip(Some(c.slug.to_string()), c.name.clone())).collect_view()}
            </ul>
        </nav>
        // The cards' titles are h3: a heading for the list keeps the outline whole for
        // screen-reader heading navigation.
        <h2 class="visually-hidden">{td_string!(locale, posts_list_heading)}</h2>
        {if list.posts.is_empty() {
            view! { <p class="empty">{td_string!(locale, no_posts)}</p> }.into_any()
        } else {
            view! { <PostGrid cards=list.posts /> }.into_any()
        }}
        {(total_pages > 1).then(|| view! {
            <nav class="pagination" aria-label=td_string!(locale, pagination)>
                {(page > 1).then(|| view! {
                    <a rel="prev" href=list_href(lang, active.as_deref(), page - 1)>{td_string!(locale, page_previous)}</a>
                })}
                <span>{td_string!(locale, page_of)} " " {page} " / " {total_pages}</span>
                {(page < total_pages).then(|| view! {
                    <a rel="next" href=list_href(lang, active.as_deref(), page + 1)>{td_string!(locale, page_next)}</a>
                })}
            </nav>
        })}
    }
}

#[component]
pub fn PostPage() -> impl IntoView {
    crate::site::public_page();
    let lang = use_lang();
    let params = use_params_map();
    let post = page_data(
        move || params.with(|p| p.get("slug").unwrap_or_default()),
        move |slug| api::post_page(lang, slug),
    );
    view! {
        {loaded(post, move |data| view! { <PostView data /> })}
    }
}

#[component]
fn PostView(data: PostPageData) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let card = data.card;
    let path = format!("posts/{}", card.slug);
    let structured = (card.clone(), data.tags.clone());
    // Not translated into the page's language: the text as written, said so in the page's.
    let untranslated = (card.lang != lang).then_some(card.lang);
    let cover_srcset = (!card.cover.srcset.is_empty()).then(|| card.cover.srcset.clone());
    let cover_sizes = cover_srcset.is_some().then_some("(min-width: 48rem) 46rem, 100vw");
    let cover_alt = card.cover.alt.clone();
    view! {
        <PageMeta title=card.title.clone() description=card.excerpt.clone() path=Some(path)
            og_type="article" image=card.cover.social_image() languages=data.languages />
        <HydrateLater><JsonLd data=post_json_ld(&structured.0, &structured.1, lang) /></HydrateLater>
        <HydrateLater>
            <article class="post" lang=untranslated.map(Lang::code)>
                {untranslated.map(|_| view! {
                    <p class="notice" lang=lang.code() data-testid="untranslated">{td_string!(locale, post_untranslated)}</p>
                })}
                <header class="post__head">
                    <p class="post__meta">
                        <a class="post__category" href=list_href(lang, Some(card.category.slug.as_str()), 1)>{card.category.name}</a>
                        <span aria-hidden="true">" · "</span>
                        <span class="visually-hidden">{td_string!(locale, published_on)} " "</span>
                        <time datetime=card.published.iso()>{card.published.format(lang)}</time>
                        {(!data.author.is_empty()).then(|| view! {
                            <span aria-hidden="true">" · "</span>
                            <span class="post__author">{td_string!(locale, post_by)} " " {data.author.clone()}</span>
                        })}
                    </p>
                    <h1 class="post__title">{card.title.clone()}</h1>
                </header>
                <img class="post__cover" src=card.cover.src srcset=cover_srcset sizes=cover_sizes
                    width=card.cover.width height=card.cover.height alt=cover_alt fetchpriority="high" decoding="async" />
                <div class="post__body prose" inner_html=data.body_html></div>
                {(!data.tags.is_empty()).then(|| view! {
                    <footer class="post__tags">
                        <h2 class="visually-hidden">{td_string!(locale, tags)}</h2>
                        <ul>
                            {data.tags.into_iter().map(|tag| view! { <li class="tag">"#"{tag.name}</li> }).collect_view()}
                        </ul>
                    </footer>
                })}
            </article>
        </HydrateLater>
        <HydrateLater>
            <section class="related" aria-labelledby="related-heading" data-testid="related">
                <h2 id="related-heading">{td_string!(locale, related_posts)}</h2>
                <PostGrid cards=data.related />
            </section>
        </HydrateLater>
        {(!data.related_events.is_empty()).then(|| view! {
            <HydrateLater>
                <section class="related" aria-labelledby="related-events-heading" data-testid="related-events">
                    <h2 id="related-events-heading">{td_string!(locale, upcoming_events)}</h2>
                    <EventGrid cards=data.related_events />
                </section>
            </HydrateLater>
        })}
        <p class="back-link"><a href=href(lang, "posts")>{td_string!(locale, back_to_posts)}</a></p>
    }
}

/// schema.org `Article` of the page, for search engines.
fn post_json_ld(card: &PostCard, tags: &[Tag], lang: Lang) -> serde_json::Value {
    let locale = Locale::from(lang);
    let origin = crate::site::site_origin();
    json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": card.title,
        "description": card.excerpt,
        "datePublished": card.published.iso(),
        "inLanguage": card.lang.code(),
        "image": format!("{origin}{}", card.cover.social_image()),
        "articleSection": card.category.name,
        "keywords": tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", "),
        "mainEntityOfPage": format!("{origin}{}", href(lang, &format!("posts/{}", card.slug))),
        "publisher": { "@type": "Organization", "name": td_string!(locale, portal_name).to_string() },
    })
}
