//! The post editor's use cases: check a draft into a post the store can save, load a post
//! back into a draft, list posts.
use super::model::{
    AdminPostList, AdminPostRow, CoverDraft, PostDraft, PostEditorData, PostStatus, PostText, SavedPost,
};
use crate::admin::model::Role;
use crate::domain::{Lang, PageNumber, Slug, slug_of_title};
use crate::error::{AppError, FieldError, FieldProblem};
use crate::server::AppState;
use crate::server::store::{
    AccountRecord, Actor, AdminPostQuery, CategoryChoice, CoverRecord, EditablePost, PostState, PostTextRecord,
    SaveRefusal,
};
use crate::server::time::{sofia_datetime, sofia_input, sofia_input_to_unix};

/// Who may write posts.
pub const WRITERS: &[Role] = &[Role::Admin, Role::Editor];

pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 600;
pub const BODY_MAX: usize = 100_000;
pub const NAME_MAX: usize = 60;
pub const TAGS_MAX: usize = 20;
pub const ALT_MAX: usize = 300;
/// Posts on one page of the editor's list.
pub const LIST_PAGE_SIZE: u32 = 20;

fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

/// The draft as a post to save, or every problem with it, by field.
pub fn check(draft: &PostDraft, now: i64) -> Result<EditablePost, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut texts = Vec::new();
    for lang in Lang::ALL {
        let text = draft.text(lang);
        if text.is_blank() {
            continue;
        }
        let field = |name: &str| format!("{}.{name}", lang.code());
        let (title, summary, body) = (text.title.trim(), text.summary.trim(), text.body.trim());
        for (name, value, max) in [
            ("title", title, TITLE_MAX),
            ("summary", summary, SUMMARY_MAX),
            ("body", body, BODY_MAX),
        ] {
            if value.is_empty() && name != "summary" {
                errors.push(FieldError::new(field(name), FieldProblem::Required));
            } else if too_long(value, max) {
                errors.push(FieldError::new(field(name), FieldProblem::TooLong));
            }
        }
        texts.push(PostTextRecord {
            lang,
            title: title.to_owned(),
            summary: summary.to_owned(),
            body_md: text.body.trim_end().to_owned(),
        });
    }
    if texts.is_empty() {
        errors.push(FieldError::new("bg.title", FieldProblem::TitleInOneLanguage));
    }
    let slug = if draft.slug.trim().is_empty() {
        texts.iter().find_map(|text| slug_of_title(&text.title))
    } else {
        draft.slug.trim().parse::<Slug>().ok()
    };
    if slug.is_none() && !texts.is_empty() {
        errors.push(FieldError::new("slug", FieldProblem::InvalidSlug));
    }
    let category = if !draft.new_category.trim().is_empty() {
        let name = draft.new_category.trim();
        match slug_of_title(name) {
            Some(slug) if !too_long(name, NAME_MAX) => Some(CategoryChoice::New {
                slug,
                name: name.to_owned(),
            }),
            _ => {
                errors.push(FieldError::new("new_category", FieldProblem::InvalidSlug));
                None
            }
        }
    } else if let Ok(slug) = draft.category.parse::<Slug>() {
        Some(CategoryChoice::Existing(slug))
    } else {
        errors.push(FieldError::new("category", FieldProblem::Required));
        None
    };
    let mut tags: Vec<String> = Vec::new();
    for name in draft.tags.split(',').map(str::trim).filter(|name| !name.is_empty()) {
        if too_long(name, NAME_MAX) || slug_of_title(name).is_none() {
            errors.push(FieldError::new("tags", FieldProblem::InvalidSlug));
            break;
        }
        if !tags.iter().any(|tag| tag.to_lowercase() == name.to_lowercase()) {
            tags.push(name.to_owned());
        }
    }
    if tags.len() > TAGS_MAX {
        errors.push(FieldError::new("tags", FieldProblem::TooLong));
    }
    let typed_time = draft.publish_at.trim();
    let published_at = match (draft.status, sofia_input_to_unix(typed_time)) {
        (PostStatus::Scheduled, None) if typed_time.is_empty() => {
            errors.push(FieldError::new("publish_at", FieldProblem::Required));
            now
        }
        (_, None) if !typed_time.is_empty() => {
            errors.push(FieldError::new("publish_at", FieldProblem::InvalidDateTime));
            now
        }
        (PostStatus::Scheduled, Some(at)) if at <= now => {
            errors.push(FieldError::new("publish_at", FieldProblem::NotInFuture));
            at
        }
        (_, at) => at.unwrap_or(now),
    };
    let cover = draft.cover.as_ref().map(|cover| {
        for (name, alt) in [("cover.alt_bg", &cover.alt_bg), ("cover.alt_en", &cover.alt_en)] {
            if alt.trim().is_empty() {
                errors.push(FieldError::new(name, FieldProblem::Required));
            } else if too_long(alt.trim(), ALT_MAX) {
                errors.push(FieldError::new(name, FieldProblem::TooLong));
            }
        }
        CoverRecord {
            image_id: cover.image_id,
            alt_bg: cover.alt_bg.trim().to_owned(),
            alt_en: cover.alt_en.trim().to_owned(),
        }
    });
    match (slug, category) {
        (Some(slug), Some(category)) if errors.is_empty() => Ok(EditablePost {
            id: draft.id,
            slug,
            texts,
            category,
            tags,
            draft: draft.status == PostStatus::Draft,
            published_at,
            cover,
            author: None,
        }),
        _ => Err(errors),
    }
}

/// A stored post back in the editor's form.
pub fn to_draft(post: &EditablePost, now: i64) -> PostDraft {
    let text = |lang: Lang| {
        post.text(lang)
            .map(|text| PostText {
                title: text.title.clone(),
                summary: text.summary.clone(),
                body: text.body_md.clone(),
            })
            .unwrap_or_default()
    };
    let status = match (post.draft, post.published_at > now) {
        (true, _) => PostStatus::Draft,
        (false, true) => PostStatus::Scheduled,
        (false, false) => PostStatus::Published,
    };
    PostDraft {
        id: post.id,
        slug: post.slug.to_string(),
        bg: text(Lang::Bg),
        en: text(Lang::En),
        category: match &post.category {
            CategoryChoice::Existing(slug) | CategoryChoice::New { slug, .. } => slug.to_string(),
        },
        new_category: String::new(),
        tags: post.tags.join(", "),
        status,
        publish_at: sofia_input(post.published_at),
        cover: post.cover.as_ref().map(|cover| CoverDraft {
            image_id: cover.image_id,
            alt_bg: cover.alt_bg.clone(),
            alt_en: cover.alt_en.clone(),
        }),
    }
}

/// What the editor opens with: the post (`None`: a new one), the categories and tags to choose from.
pub async fn editor(state: &AppState, lang: Lang, id: Option<i64>) -> Result<PostEditorData, AppError> {
    let now = crate::server::time::now();
    let post = match id {
        Some(id) => Some(state.store.editable_post(id).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    let categories: Vec<super::model::CategoryOption> = state
        .store
        .categories(lang)
        .await?
        .into_iter()
        .map(|category| super::model::CategoryOption {
            slug: category.slug.to_string(),
            name: category.name,
        })
        .collect();
    let mut draft = post.as_ref().map(|post| to_draft(post, now)).unwrap_or_default();
    if draft.category.is_empty() {
        draft.category = categories.first().map(|c| c.slug.clone()).unwrap_or_default();
    }
    let cover_src = match &draft.cover {
        Some(cover) => image_src(state, cover.image_id).await?,
        None => None,
    };
    Ok(PostEditorData {
        public: post
            .as_ref()
            .is_some_and(|post| !post.draft && post.published_at <= now),
        draft,
        categories,
        tags: state.store.tag_names(lang).await?,
        cover_src,
    })
}

/// The smallest stored width of an image, for the editor's thumbnail.
pub(crate) async fn image_src(state: &AppState, id: i64) -> Result<Option<String>, AppError> {
    Ok(state.store.image(id).await?.map(|image| {
        let width = image.widths.first().copied().unwrap_or(image.width);
        format!("/media/{}-{width}.jpg", image.key)
    }))
}

/// Saves the draft as `account`; the public pages show the change at once.
pub async fn save(state: &AppState, account: &AccountRecord, draft: &PostDraft) -> Result<SavedPost, AppError> {
    let now = crate::server::time::now();
    let mut post = check(draft, now).map_err(AppError::Validation)?;
    // A new post is signed by whoever wrote it; an edit keeps the byline.
    if post.id.is_none() {
        post.author = Some(account.display_name.clone());
    }
    let refused = |field: &str, problem| Err(AppError::Validation(vec![FieldError::new(field, problem)]));
    match state.store.save_post(&post, now, &Actor::account(account)).await? {
        Ok(id) => {
            state.page_cache.invalidate_content();
            tracing::info!(account = account.id, post = id, "post saved");
            Ok(SavedPost {
                id,
                slug: post.slug.to_string(),
                public: !post.draft && post.published_at <= now,
            })
        }
        Err(SaveRefusal::SlugTaken) => refused("slug", FieldProblem::SlugTaken),
        Err(SaveRefusal::UnknownCategory) => refused("category", FieldProblem::Required),
        Err(SaveRefusal::UnknownImage) => refused("cover", FieldProblem::InvalidImage),
        Err(SaveRefusal::NotFound) => Err(AppError::NotFound),
    }
}

/// One page of the editor's list.
pub async fn list(
    state: &AppState,
    lang: Lang,
    search: &str,
    status: Option<PostStatus>,
    page: PageNumber,
) -> Result<AdminPostList, AppError> {
    let now = crate::server::time::now();
    let query = AdminPostQuery {
        lang,
        search: search.chars().take(100).collect(),
        status: status.map(|status| match status {
            PostStatus::Draft => PostState::Draft,
            PostStatus::Scheduled => PostState::Scheduled,
            PostStatus::Published => PostState::Published,
        }),
        now,
        limit: LIST_PAGE_SIZE,
        offset: page.offset(LIST_PAGE_SIZE),
    };
    let (posts, total) = state.store.admin_posts(&query).await?;
    Ok(AdminPostList {
        posts: posts
            .into_iter()
            .map(|post| AdminPostRow {
                id: post.id,
                title: post.title,
                slug: post.slug.to_string(),
                status: match (post.draft, post.published_at > now) {
                    (true, _) => PostStatus::Draft,
                    (false, true) => PostStatus::Scheduled,
                    (false, false) => PostStatus::Published,
                },
                date: sofia_datetime(if post.draft { post.updated_at } else { post.published_at }),
                langs: post.langs,
            })
            .collect(),
        total,
        page: page.get(),
        pages: crate::domain::PageNumber::count(total, LIST_PAGE_SIZE),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000;

    fn draft() -> PostDraft {
        PostDraft {
            bg: PostText {
                title: "Лятно парти за деца".into(),
                summary: "Безплатна работилница".into(),
                body: "## Програма\n\nРисуване.".into(),
            },
            category: "culture".into(),
            tags: "деца, изкуство, Деца".into(),
            status: PostStatus::Published,
            ..PostDraft::default()
        }
    }

    fn problems(draft: &PostDraft) -> Vec<(String, FieldProblem)> {
        check(draft, NOW)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.problem))
            .collect()
    }

    #[test]
    fn a_bulgarian_only_post_gets_its_slug_from_the_title_and_publishes_now() {
        let post = check(&draft(), NOW).unwrap();
        assert_eq!(post.slug.as_str(), "lyatno-parti-za-detsa");
        assert_eq!(post.texts.len(), 1);
        assert_eq!(post.tags, vec!["деца".to_owned(), "изкуство".to_owned()]);
        assert_eq!(post.published_at, NOW);
        assert!(!post.draft);
    }

    #[test]
    fn a_post_needs_a_title_in_one_language_and_a_whole_text_in_each_it_has() {
        let mut empty = draft();
        empty.bg = PostText::default();
        assert_eq!(
            problems(&empty),
            vec![("bg.title".into(), FieldProblem::TitleInOneLanguage)]
        );
        let mut half = draft();
        half.en.summary = "Only a summary".into();
        assert_eq!(
            problems(&half),
            vec![
                ("en.title".into(), FieldProblem::Required),
                ("en.body".into(), FieldProblem::Required)
            ]
        );
    }

    #[test]
    fn scheduling_needs_a_valid_time_still_ahead_in_sofia() {
        let mut scheduled = draft();
        scheduled.status = PostStatus::Scheduled;
        assert_eq!(
            problems(&scheduled),
            vec![("publish_at".into(), FieldProblem::Required)]
        );
        scheduled.publish_at = "2020-01-01T10:00".into();
        assert_eq!(
            problems(&scheduled),
            vec![("publish_at".into(), FieldProblem::NotInFuture)]
        );
        scheduled.publish_at = "утре".into();
        assert_eq!(
            problems(&scheduled),
            vec![("publish_at".into(), FieldProblem::InvalidDateTime)]
        );
        scheduled.publish_at = "2030-06-01T09:00".into();
        let post = check(&scheduled, NOW).unwrap();
        assert_eq!(sofia_input(post.published_at), "2030-06-01T09:00");
        assert!(!post.draft);
    }

    #[test]
    fn a_typed_slug_must_be_a_valid_address_part_and_a_cover_needs_alt_text_in_both_languages() {
        let mut bad = draft();
        bad.slug = "Лято 2026".into();
        bad.cover = Some(CoverDraft {
            image_id: 1,
            alt_bg: "Деца рисуват".into(),
            alt_en: " ".into(),
        });
        assert_eq!(
            problems(&bad),
            vec![
                ("slug".into(), FieldProblem::InvalidSlug),
                ("cover.alt_en".into(), FieldProblem::Required)
            ]
        );
    }

    #[test]
    fn a_new_category_is_named_and_slugged_by_transliteration() {
        let mut new = draft();
        new.new_category = "Гражданско общество".into();
        let post = check(&new, NOW).unwrap();
        assert_eq!(
            post.category,
            CategoryChoice::New {
                slug: "grazhdansko-obshtestvo".parse().unwrap(),
                name: "Гражданско общество".into()
            }
        );
    }

    #[test]
    fn a_saved_post_comes_back_to_the_editor_as_it_was_typed() {
        let mut typed = draft();
        typed.status = PostStatus::Scheduled;
        typed.publish_at = "2030-06-01T09:00".into();
        typed.tags = "деца, изкуство".into();
        let post = check(&typed, NOW).unwrap();
        let back = to_draft(&post, NOW);
        assert_eq!(back.bg, typed.bg);
        assert_eq!(back.tags, typed.tags);
        assert_eq!(back.status, PostStatus::Scheduled);
        assert_eq!(back.publish_at, typed.publish_at);
        assert_eq!(back.slug, "lyatno-parti-za-detsa");
    }
}
