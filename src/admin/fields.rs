//! The fields the post and event editors share: one language's title, summary and body with
//! its live preview (rendered by the public page's own Markdown and sanitiser), and the cover
//! photo with its upload and alternative text, the slug that follows the title, and what the
//! save button's answer says.
use crate::admin::posts::model::{CoverDraft, PostText};
use crate::domain::Lang;
use crate::error::{AppError, FieldError};
use crate::i18n::*;
use crate::site::problem_text;
use leptos::prelude::*;

/// What the last save said of `field`, in the editor's language.
pub fn problem_of(errors: Memo<Vec<FieldError>>, field: &str, locale: Locale) -> Option<String> {
    errors.with(|errors| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| problem_text(e.problem, locale))
    })
}

/// The field errors in an action's last answer (`error` reads its error, if any).
pub fn field_errors(error: impl Fn() -> Option<AppError> + Send + Sync + 'static) -> Memo<Vec<FieldError>> {
    Memo::new(move |_| match error() {
        Some(AppError::Validation(errors)) => errors,
        _ => Vec::new(),
    })
}

/// What an editor says above its save button after an answer: `saved` for a save, the
/// error's meaning otherwise (`bad` first). Before any, "saved" when the page was opened
/// right after a first save (`?saved=1`).
pub fn save_message<T>(
    answer: Option<Result<T, AppError>>,
    saved: impl Fn(&T) -> String,
    saved_before: bool,
    locale: Locale,
) -> Option<(bool, String)> {
    match answer {
        Some(Ok(answer)) => Some((false, saved(&answer))),
        Some(Err(AppError::Validation(_))) => Some((true, td_string!(locale, error_form).to_string())),
        Some(Err(AppError::Unauthorized)) => Some((true, td_string!(locale, error_session_ended).to_string())),
        Some(Err(AppError::Unavailable)) => Some((true, td_string!(locale, error_no_connection).to_string())),
        Some(Err(_)) => Some((true, td_string!(locale, error_text).to_string())),
        None if saved_before => Some((false, td_string!(locale, post_saved).to_string())),
        None => None,
    }
}

/// The address (slug) being edited: it follows the Bulgarian title (else the English one)
/// until the editor types one; an existing post or event keeps its own.
#[derive(Clone, Copy)]
pub struct SlugField {
    pub typed: RwSignal<bool>,
    pub slug: RwSignal<String>,
    /// What the field shows and the form sends.
    pub shown: Signal<String>,
}

impl SlugField {
    pub fn new(existing: bool, slug: &str, bg: TextFields, en: TextFields) -> SlugField {
        let typed = RwSignal::new(existing);
        let slug = RwSignal::new(slug.to_owned());
        let from_title = Memo::new(move |_| {
            let title = bg.title.get();
            let title = if title.trim().is_empty() { en.title.get() } else { title };
            crate::domain::slug_of_title(&title)
                .map(String::from)
                .unwrap_or_default()
        });
        let shown = Signal::derive(move || if typed.get() { slug.get() } else { from_title.get() });
        SlugField { typed, slug, shown }
    }
}

/// The cover photo being edited: the uploaded image, its thumbnail, its descriptions and the
/// upload's state.
#[derive(Clone, Copy)]
pub struct CoverState {
    pub id: RwSignal<Option<i64>>,
    pub src: RwSignal<Option<String>>,
    pub alt_bg: RwSignal<String>,
    pub alt_en: RwSignal<String>,
    pub uploading: RwSignal<bool>,
    pub upload_error: RwSignal<Option<String>>,
}

impl CoverState {
    pub fn new(cover: Option<&CoverDraft>, src: Option<String>) -> CoverState {
        CoverState {
            id: RwSignal::new(cover.map(|c| c.image_id)),
            src: RwSignal::new(src),
            alt_bg: RwSignal::new(cover.map(|c| c.alt_bg.clone()).unwrap_or_default()),
            alt_en: RwSignal::new(cover.map(|c| c.alt_en.clone()).unwrap_or_default()),
            uploading: RwSignal::new(false),
            upload_error: RwSignal::new(None),
        }
    }

    /// The cover as the form sends it.
    pub fn draft(self) -> Option<CoverDraft> {
        self.id.get_untracked().map(|image_id| CoverDraft {
            image_id,
            alt_bg: self.alt_bg.get_untracked(),
            alt_en: self.alt_en.get_untracked(),
        })
    }
}

/// One language's fields.
#[derive(Clone, Copy)]
pub struct TextFields {
    pub title: RwSignal<String>,
    pub summary: RwSignal<String>,
    pub body: RwSignal<String>,
}

impl TextFields {
    pub fn new(text: &PostText) -> TextFields {
        TextFields {
            title: RwSignal::new(text.title.clone()),
            summary: RwSignal::new(text.summary.clone()),
            body: RwSignal::new(text.body.clone()),
        }
    }

    pub fn get(self) -> PostText {
        PostText {
            title: self.title.get_untracked(),
            summary: self.summary.get_untracked(),
            body: self.body.get_untracked(),
        }
    }
}

/// The title, summary and body of one language, with the body's preview.
/// More fields of the language (an event's venue) go in `children`, after the body.
#[component]
pub fn TextColumn(
    text_lang: Lang,
    fields: TextFields,
    errors: Memo<Vec<FieldError>>,
    locale: Locale,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let code = text_lang.code();
    let field_error = move |name: &'static str| {
        let field = format!("{code}.{name}");
        move || problem_of(errors, &field, locale)
    };
    let id = move |name: &str| format!("{code}-{name}");
    let heading = match text_lang {
        Lang::Bg => td_string!(locale, post_in_bulgarian),
        Lang::En => td_string!(locale, post_in_english),
    };
    let show_preview = RwSignal::new(false);
    let preview = RwSignal::new(String::new());
    live_preview(fields.body, show_preview, preview);
    view! {
        <fieldset class="post-editor__text" lang=code data-testid=format!("text-{code}")>
            <legend>{heading}</legend>
            <div class="field" class:field--invalid=move || field_error("title")().is_some()>
                <label for=id("title")>{td_string!(locale, post_title)}</label>
                <input id=id("title") type="text" bind:value=fields.title aria-describedby=id("err-title") />
                <p class="field-error" id=id("err-title") data-testid=format!("error-{code}-title")>{field_error("title")}</p>
            </div>
            <div class="field" class:field--invalid=move || field_error("summary")().is_some()>
                <label for=id("summary")>{td_string!(locale, post_summary)}</label>
                <textarea id=id("summary") rows="3" bind:value=fields.summary></textarea>
                <p class="field-error">{field_error("summary")}</p>
            </div>
            <div class="field" class:field--invalid=move || field_error("body")().is_some()>
                <div class="post-editor__body-head">
                    <label for=id("body")>{td_string!(locale, post_body)}</label>
                    <button type="button" class="button button--ghost button--small" aria-pressed=move || show_preview.get().to_string()
                        aria-controls=id("preview") on:click=move |_| show_preview.update(|shown| *shown = !*shown)>
                        {td_string!(locale, post_preview)}
                    </button>
                </div>
                <p class="field-hint">{td_string!(locale, post_body_hint)}</p>
                <textarea id=id("body") rows="14" class="post-editor__body" bind:value=fields.body aria-describedby=id("err-body")></textarea>
                <p class="field-error" id=id("err-body") data-testid=format!("error-{code}-body")>{field_error("body")}</p>
            </div>
            {children.map(|children| children())}
            <div id=id("preview") class="post-editor__preview prose" hidden=move || !show_preview.get()
                aria-live="polite" data-testid=format!("preview-{code}") inner_html=move || preview.get()></div>
        </fieldset>
    }
}

/// Keeps `preview` the body rendered by the server (the public page's Markdown and
/// sanitiser), asked for when typing pauses and while the preview is shown.
fn live_preview(body: RwSignal<String>, shown: RwSignal<bool>, preview: RwSignal<String>) {
    #[cfg(feature = "hydrate")]
    {
        let asked = StoredValue::new(0_u64);
        Effect::new(move |_| {
            let text = body.get();
            if !shown.get() {
                return;
            }
            let mine = asked.get_value() + 1;
            asked.set_value(mine);
            set_timeout(
                move || {
                    if asked.get_value() != mine {
                        return;
                    }
                    leptos::task::spawn_local(async move {
                        if let Ok(html) = crate::admin::posts::api::preview_post(text).await
                            && asked.get_value() == mine
                        {
                            preview.set(html);
                        }
                    });
                },
                std::time::Duration::from_millis(350),
            );
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (body, shown, preview);
}

/// The cover photo: upload (from a phone's camera or files), its thumbnail, and what it
/// shows in words in both languages.
#[component]
pub fn CoverField(cover: CoverState, errors: Memo<Vec<FieldError>>, locale: Locale) -> impl IntoView {
    let CoverState {
        id: cover_id,
        src: cover_src,
        alt_bg,
        alt_en,
        uploading,
        upload_error,
    } = cover;
    let field_error = move |field: &'static str| move || problem_of(errors, field, locale);
    let on_change = move |ev: leptos::ev::Event| upload(ev, cover, locale);
    view! {
        <fieldset class="field post-editor__cover">
            <legend>{td_string!(locale, post_cover)}</legend>
            {move || cover_src.get().map(|src| view! {
                <img class="post-editor__thumb" src=src alt="" width="240" height="126" data-testid="cover-thumb" />
            })}
            <label for="cover-file">{td_string!(locale, post_cover_choose)}</label>
            <p class="field-hint" id="hint-cover">{td_string!(locale, post_cover_hint)}</p>
            <input id="cover-file" type="file" accept="image/jpeg,image/png,image/webp" on:change=on_change aria-describedby="hint-cover err-cover" />
            <p class="form-message" role="status">{move || uploading.get().then(|| td_string!(locale, post_cover_uploading))}</p>
            <p class="field-error" id="err-cover" data-testid="error-cover">{move || upload_error.get().or_else(field_error("cover"))}</p>
            {move || cover_id.get().is_some().then(|| view! {
                <div class="field" class:field--invalid=move || field_error("cover.alt_bg")().is_some()>
                    <label for="alt-bg">{td_string!(locale, post_cover_alt_bg)}</label>
                    <input id="alt-bg" type="text" lang="bg" bind:value=alt_bg aria-describedby="err-alt-bg" />
                    <p class="field-error" id="err-alt-bg" data-testid="error-alt-bg">{field_error("cover.alt_bg")}</p>
                </div>
                <div class="field" class:field--invalid=move || field_error("cover.alt_en")().is_some()>
                    <label for="alt-en">{td_string!(locale, post_cover_alt_en)}</label>
                    <input id="alt-en" type="text" lang="en" bind:value=alt_en aria-describedby="err-alt-en" />
                    <p class="field-error" id="err-alt-en" data-testid="error-alt-en">{field_error("cover.alt_en")}</p>
                </div>
                <button type="button" class="button button--ghost button--small"
                    on:click=move |_| { cover_id.set(None); cover_src.set(None); }>
                    {td_string!(locale, post_cover_remove)}
                </button>
            })}
        </fieldset>
    }
}

/// Sends the chosen file to `/api/admin/images` as it is; the server reads, checks and
/// converts it.
fn upload(ev: leptos::ev::Event, cover: CoverState, locale: Locale) {
    #[cfg(feature = "hydrate")]
    {
        let CoverState {
            id: cover_id,
            src: cover_src,
            uploading,
            upload_error,
            ..
        } = cover;
        let Some(file) = crate::admin::upload::chosen_file(&ev) else {
            return;
        };
        uploading.set(true);
        upload_error.set(None);
        leptos::task::spawn_local(async move {
            let content_type = file.type_();
            let answer = crate::admin::upload::post_file("/api/admin/images", file, &content_type).await;
            let problem = match answer {
                Some(response) if response.ok() => match response.text().await {
                    Ok(text) => match crate::wire::from_json::<crate::admin::posts::model::UploadedImage>(&text) {
                        Ok(image) => {
                            cover_id.set(Some(image.id));
                            cover_src.set(Some(image.src));
                            None
                        }
                        Err(_) => Some(td_string!(locale, error_text).to_string()),
                    },
                    Err(_) => Some(td_string!(locale, error_no_connection).to_string()),
                },
                Some(response) if matches!(response.status(), 413 | 415) => {
                    Some(problem_text(crate::error::FieldProblem::InvalidImage, locale))
                }
                Some(response) if response.status() == 401 => Some(td_string!(locale, error_session_ended).to_string()),
                Some(_) => Some(td_string!(locale, error_text).to_string()),
                None => Some(td_string!(locale, error_no_connection).to_string()),
            };
            upload_error.set(problem);
            uploading.set(false);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, cover, locale);
}
