//! Posts in the admin (`/{lang}/admin/posts`): the list with search, status filter and pages,
//! and the editor (`editor.rs`). For admins and editors; the server checks every call.
pub mod api;
mod editor;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;

use crate::admin::list::{ListFilter, Pager};
use crate::domain::Lang;
use crate::i18n::*;
use crate::locale::href;
use crate::site::{PageMeta, loaded, private_data, private_page, use_lang};
pub use editor::{EditPostPage, NewPostPage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use model::{AdminPostList, AdminPostRow, PostStatus};

/// A status as the admin pages name it.
pub fn status_text(status: PostStatus, locale: Locale) -> &'static str {
    match status {
        PostStatus::Draft => td_string!(locale, post_status_draft),
        PostStatus::Published => td_string!(locale, post_status_published),
        PostStatus::Scheduled => td_string!(locale, post_status_scheduled),
    }
}

#[component]
pub fn AdminPostsPage() -> impl IntoView {
    private_page();
    let lang = use_lang();
    let query = use_query_map();
    let posts = private_data(
        move || {
            query.with(|q| {
                (
                    q.get("q").unwrap_or_default(),
                    q.get("status").unwrap_or_default(),
                    q.get("page").unwrap_or_default(),
                )
            })
        },
        move |(q, status, page)| api::admin_posts(lang, q, status, page),
    );
    view! { {loaded(posts, move |list| view! { <PostListView list /> })} }
}

#[component]
fn PostListView(list: AdminPostList) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let query = use_query_map();
    let q = query.with_untracked(|q| q.get("q").unwrap_or_default());
    let status = query.with_untracked(|q| q.get("status").unwrap_or_default());
    let (page, pages) = (list.page, list.pages);
    let empty = list.posts.is_empty();
    view! {
        <PageMeta title=td_string!(locale, admin_posts_title).to_string() description=String::new() path=None />
        <section class="admin-page admin-posts">
            <p class="admin-page__back"><a href=href(lang, "admin")>{td_string!(locale, door_back)}</a></p>
            <header class="admin-posts__head">
                <h1>{td_string!(locale, admin_posts_title)}</h1>
                <a class="button button--primary" href=href(lang, "admin/posts/new") data-testid="new-post">{td_string!(locale, admin_new_post)}</a>
            </header>
            <ListFilter q=q.clone() status=status.clone()
                statuses=PostStatus::ALL.into_iter().map(|option| (option.as_str(), status_text(option, locale))).collect() />
            <p class="admin-page__lead" data-testid="posts-total">{td_string!(locale, admin_posts_total, count = list.total)}</p>
            {empty.then(|| view! { <p>{td_string!(locale, no_posts)}</p> })}
            <ul class="admin-post-list plain" data-testid="admin-posts">
                {list.posts.into_iter().map(|post| view! { <PostRow post lang locale /> }).collect_view()}
            </ul>
            <Pager lang path="admin/posts" q status page pages />
        </section>
    }
}

#[component]
fn PostRow(post: AdminPostRow, lang: Lang, locale: Locale) -> impl IntoView {
    let languages = post
        .langs
        .iter()
        .map(|l| l.code().to_uppercase())
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <li class="admin-post" data-testid="admin-post">
            <a class="admin-post__title" href=href(lang, &format!("admin/posts/{}", post.id))>{post.title}</a>
            <p class="admin-post__meta">
                <span class=format!("post-status post-status--{}", post.status.as_str())>{status_text(post.status, locale)}</span>
                " · " <time datetime=post.date.iso()>{post.date.format(lang)}</time>
                " · " <span title=td_string!(locale, admin_post_languages)>{languages}</span>
            </p>
        </li>
    }
}
