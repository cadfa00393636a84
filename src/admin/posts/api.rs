//! Server functions of the post editor: writers only (admins and editors), checked here on
//! the server for every call.
use super::model::{AdminPostList, PostDraft, PostEditorData, SavedPost};
use crate::domain::Lang;
use crate::error::AppError;
use crate::wire::WireJson;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
async fn writer() -> Result<(crate::server::AppState, crate::server::store::AccountRecord), AppError> {
    crate::admin::api::signed_in_as(super::service::WRITERS).await
}

/// Posts for the editor's list: words of a title or slug (`q`), a status, a page.
#[server(prefix = "/api", endpoint = "admin/posts", input = GetUrl, output = WireJson)]
pub async fn admin_posts(
    lang: Lang,
    #[server(default)] q: String,
    #[server(default)] status: String,
    #[server(default)] page: String,
) -> Result<AdminPostList, AppError> {
    let (state, _) = writer().await?;
    let status = super::model::PostStatus::parse(&status);
    let page = crate::domain::PageNumber::parse(Some(&page));
    super::service::list(&state, lang, &q, status, page).await
}

/// A post to edit (`id`), or a new one (no `id`), with the categories and tags to choose from.
#[server(prefix = "/api", endpoint = "admin/posts/editor", input = GetUrl, output = WireJson)]
pub async fn post_editor(lang: Lang, #[server(default)] id: Option<i64>) -> Result<PostEditorData, AppError> {
    let (state, _) = writer().await?;
    crate::admin::api::with_status(super::service::editor(&state, lang, id).await)
}

/// Saves a post (new when it has no id).
#[server(prefix = "/api", endpoint = "admin/posts/save", output = WireJson)]
pub async fn save_post(draft: PostDraft) -> Result<SavedPost, AppError> {
    let (state, account) = writer().await?;
    crate::admin::api::with_status(super::service::save(&state, &account, &draft).await)
}

/// A post body rendered as the public page will show it: the same Markdown and sanitiser.
#[server(prefix = "/api", endpoint = "admin/posts/preview", output = WireJson)]
pub async fn preview_post(#[server(default)] body: String) -> Result<String, AppError> {
    writer().await?;
    if body.len() > super::service::BODY_MAX * 4 {
        return crate::admin::api::with_status(Err(AppError::BadRequest));
    }
    Ok(crate::server::markdown::to_safe_html(&body))
}
