//! The post editor (`/{lang}/admin/posts/new`, `/{lang}/admin/posts/{id}`): Bulgarian and
//! English side by side (one above the other on a phone), a live preview rendered by the
//! public page's own sanitiser, the slug made from the Bulgarian title until typed, status
//! and publishing time in Sofia, category and tags made as they are typed, a cover photo.
use super::api;
use super::model::{PostDraft, PostEditorData, PostStatus, SavedPost};
use crate::admin::fields::{
    CoverField, CoverState, SlugField, TextColumn, TextFields, field_errors, problem_of, save_message,
};
use crate::domain::Lang;
use crate::i18n::*;
use crate::locale::href;
use crate::site::{PageMeta, loaded, private_data, private_page, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn NewPostPage() -> impl IntoView {
    private_page();
    let lang = use_lang();
    let data = private_data(|| (), move |_| api::post_editor(lang, None));
    view! { {loaded(data, |data| view! { <PostEditor data /> })} }
}

#[component]
pub fn EditPostPage() -> impl IntoView {
    private_page();
    let lang = use_lang();
    let params = use_params_map();
    let data = private_data(
        // An id that is not a number names no post (the server answers 404 for 0).
        move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0)),
        move |id| api::post_editor(lang, Some(id)),
    );
    view! { {loaded(data, |data| view! { <PostEditor data /> })} }
}

#[component]
fn PostEditor(data: PostEditorData) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let query = use_query_map();
    let draft = data.draft;
    let id = draft.id;
    let bg = TextFields::new(&draft.bg);
    let en = TextFields::new(&draft.en);
    let slug = SlugField::new(id.is_some(), &draft.slug, bg, en);
    let shown_slug = slug.shown;
    let category = RwSignal::new(draft.category.clone());
    let new_category = RwSignal::new(String::new());
    let tags = RwSignal::new(draft.tags.clone());
    let status = RwSignal::new(draft.status);
    let publish_at = RwSignal::new(draft.publish_at.clone());
    let cover = CoverState::new(draft.cover.as_ref(), data.cover_src.clone());

    let save = ServerAction::<api::SavePost>::new();
    let saved_before = query.with_untracked(|q| q.get("saved").is_some());
    let public = RwSignal::new(data.public);
    let errors = field_errors(move || save.value().get().and_then(Result::err));
    let field_error = move |field: &'static str| move || problem_of(errors, field, locale);
    let form_message = move || {
        let saved = |_: &SavedPost| td_string!(locale, post_saved).to_string();
        save_message(save.value().get(), saved, saved_before, locale)
    };
    let collect = move || PostDraft {
        id,
        slug: shown_slug.get_untracked(),
        bg: bg.get(),
        en: en.get(),
        category: category.get_untracked(),
        new_category: new_category.get_untracked(),
        tags: tags.get_untracked(),
        status: status.get_untracked(),
        publish_at: publish_at.get_untracked(),
        cover: cover.draft(),
    };
    // A new post, once saved, continues at its own address.
    Effect::new(move |_| {
        if let Some(Ok(SavedPost {
            id: saved,
            public: now_public,
            ..
        })) = save.value().get()
        {
            public.set(now_public);
            slug.typed.set(true);
            slug.slug.set(shown_slug.get_untracked());
            if id.is_none() {
                let navigate = leptos_router::hooks::use_navigate();
                navigate(
                    &format!("{}?saved=1", href(lang, &format!("admin/posts/{saved}"))),
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
        save.dispatch(api::SavePost { draft: collect() });
    };
    let public_link = move || public.get().then(|| href(lang, &format!("posts/{}", shown_slug.get())));
    let title = if id.is_some() {
        td_string!(locale, admin_edit_post).to_string()
    } else {
        td_string!(locale, admin_new_post).to_string()
    };
    view! {
        <PageMeta title=title.clone() description=String::new() path=None />
        <section class="admin-page post-editor">
            <p class="admin-page__back"><a href=href(lang, "admin/posts")>{td_string!(locale, admin_back_to_posts)}</a></p>
            <h1>{title}</h1>
            <noscript><p class="notice">{td_string!(locale, editor_needs_javascript)}</p></noscript>
            <form class="post-editor__form" novalidate=true on:submit=on_submit>
                <div class="post-editor__texts">
                    <TextColumn text_lang=Lang::Bg fields=bg errors locale />
                    <TextColumn text_lang=Lang::En fields=en errors locale />
                </div>
                <div class="post-editor__settings">
                    <div class="field" class:field--invalid=move || field_error("slug")().is_some()>
                        <label for="slug">{td_string!(locale, post_slug)}</label>
                        <p class="field-hint" id="hint-slug">{td_string!(locale, post_slug_hint)}</p>
                        <input id="slug" type="text" inputmode="url" autocomplete="off" spellcheck="false"
                            prop:value=move || shown_slug.get() aria-describedby="hint-slug err-slug"
                            on:input=move |ev| { slug.typed.set(true); slug.slug.set(event_target_value(&ev)); } />
                        <p class="field-error" id="err-slug" data-testid="error-slug">{field_error("slug")}</p>
                    </div>
                    <div class="field" class:field--invalid=move || field_error("category")().is_some()>
                        <label for="category">{td_string!(locale, post_category)}</label>
                        <select id="category" on:change=move |ev| category.set(event_target_value(&ev))>
                            {data.categories.into_iter().map(|option| {
                                let selected = option.slug == draft.category;
                                view! { <option value=option.slug selected=selected>{option.name}</option> }
                            }).collect_view()}
                        </select>
                        <p class="field-error" data-testid="error-category">{field_error("category")}</p>
                    </div>
                    <div class="field" class:field--invalid=move || field_error("new_category")().is_some()>
                        <label for="new-category">{td_string!(locale, post_new_category)}</label>
                        <input id="new-category" type="text" bind:value=new_category />
                        <p class="field-error">{field_error("new_category")}</p>
                    </div>
                    <div class="field" class:field--invalid=move || field_error("tags")().is_some()>
                        <label for="tags">{td_string!(locale, post_tags)}</label>
                        <p class="field-hint" id="hint-tags">{td_string!(locale, post_tags_hint)}</p>
                        <input id="tags" type="text" list="known-tags" autocomplete="off" bind:value=tags aria-describedby="hint-tags" />
                        <datalist id="known-tags">
                            {data.tags.into_iter().map(|tag| view! { <option value=tag></option> }).collect_view()}
                        </datalist>
                        <p class="field-error" data-testid="error-tags">{field_error("tags")}</p>
                    </div>
                    <fieldset class="field post-editor__status">
                        <legend>{td_string!(locale, admin_posts_status)}</legend>
                        {PostStatus::ALL.into_iter().map(|option| view! {
                            <label class="radio">
                                <input type="radio" name="status" value=option.as_str()
                                    prop:checked=move || status.get() == option
                                    on:change=move |_| status.set(option) />
                                {super::status_text(option, locale)}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <div class="field" class:field--invalid=move || field_error("publish_at")().is_some()>
                        <label for="publish-at">{td_string!(locale, post_publish_at)}</label>
                        <p class="field-hint" id="hint-publish-at">{td_string!(locale, post_publish_at_hint)}</p>
                        <input id="publish-at" type="datetime-local" bind:value=publish_at aria-describedby="hint-publish-at err-publish-at" />
                        <p class="field-error" id="err-publish-at" data-testid="error-publish-at">{field_error("publish_at")}</p>
                    </div>
                    <CoverField cover errors locale />
                </div>
                <div class="post-editor__actions">
                    <p class="form-message" role="status" data-testid="save-status"
                        class:form-error=move || form_message().is_some_and(|(bad, _)| bad)>
                        {move || form_message().map(|(_, text)| text)}
                    </p>
                    {move || public_link().map(|link| view! {
                        <a class="button button--ghost" href=link data-testid="view-post">{td_string!(locale, post_view_public)}</a>
                    })}
                    <button type="submit" class="button button--primary" disabled=move || save.pending().get() || cover.uploading.get()
                        data-testid="save-post">
                        {move || if save.pending().get() { td_string!(locale, post_saving) } else { td_string!(locale, post_save) }}
                    </button>
                </div>
            </form>
        </section>
    }
}
