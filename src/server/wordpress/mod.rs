//! Imports a WordPress export (WXR) as posts: Bulgarian text as written, categories, tags,
//! dates, authors' names and featured images from the site's uploads folder. A post imported
//! before is updated, never duplicated (its source id is remembered), and what an editor has
//! added since (an English translation, a cover) is kept.
pub mod wxr;

use super::images::{ImageFiles, convert};
use super::store::{Actor, CategoryChoice, CoverRecord, EditablePost, ImageRecord, PostTextRecord, SaveRefusal, Store};
use crate::admin::import::{ImportReport, SkipReason, Skipped};
use crate::domain::{Lang, Slug, excerpt, slug_of_title};
use std::path::{Component, Path, PathBuf};
use wxr::WxrItem;

/// Longest summary made from a post's text when it has no excerpt, in characters.
const SUMMARY_CHARS: usize = 300;

/// What an import needs besides the file.
pub struct Importer<'a> {
    pub store: &'a dyn Store,
    pub images: &'a dyn ImageFiles,
    /// The site's `wp-content/uploads` folder, for featured images.
    pub uploads: Option<&'a Path>,
    pub actor: &'a Actor,
    pub now: i64,
}

/// Text of HTML: tags dropped, entities decoded, whitespace folded.
fn plain(html: &str) -> String {
    let text = ammonia::Builder::empty().clean(html).to_string();
    html_escape::decode_html_entities(&text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn decoded(text: &str) -> String {
    html_escape::decode_html_entities(text.trim()).into_owned()
}

/// The slug of a source post: its own (WordPress keeps Cyrillic ones percent-encoded), made
/// Latin by the Transliteration Act when it is not already a valid slug, else the title's.
fn slug_of(item: &WxrItem) -> Option<Slug> {
    let own = percent_encoding::percent_decode_str(&item.slug).decode_utf8_lossy();
    own.parse::<Slug>()
        .ok()
        .or_else(|| slug_of_title(&own))
        .or_else(|| slug_of_title(&decoded(&item.title)))
}

/// UTC from `wp:post_date_gmt`; for drafts WordPress leaves it zero, then the site's time
/// (`wp:post_date`, Sofia).
fn published_at(item: &WxrItem, now: i64) -> i64 {
    let utc = chrono::NaiveDateTime::parse_from_str(&item.date_gmt, "%Y-%m-%d %H:%M:%S")
        .ok()
        .filter(|date| chrono::Datelike::year(date) > 1970)
        .map(|date| date.and_utc().timestamp());
    utc.or_else(|| super::time::sofia_input_to_unix(&item.date.replace(' ', "T")))
        .unwrap_or(now)
}

/// The file of an attachment URL under the uploads folder (`…/wp-content/uploads/2024/07/x.jpg`
/// → `uploads/2024/07/x.jpg`); nothing outside it.
fn upload_path(uploads: &Path, url: &str) -> Option<PathBuf> {
    let relative = url.split_once("/uploads/").map(|(_, rest)| rest)?;
    let relative = percent_encoding::percent_decode_str(relative.split(['?', '#']).next()?).decode_utf8_lossy();
    let relative = Path::new(relative.as_ref());
    relative
        .components()
        .all(|part| matches!(part, Component::Normal(_)))
        .then(|| uploads.join(relative))
}

impl Importer<'_> {
    /// Imports `xml`, calling `progress` after each post.
    pub async fn import(
        &self,
        xml: &[u8],
        progress: &(dyn Fn(&ImportReport) + Send + Sync),
    ) -> Result<ImportReport, wxr::WxrError> {
        let export = wxr::parse(xml)?;
        let attachments: std::collections::HashMap<i64, &WxrItem> = export
            .items
            .iter()
            .filter(|item| item.post_type == "attachment")
            .map(|item| (item.post_id, item))
            .collect();
        let mut report = ImportReport {
            total: u32::try_from(export.items.iter().filter(|i| i.post_type == "post").count()).unwrap_or(u32::MAX),
            ..ImportReport::default()
        };
        for item in &export.items {
            match item.post_type.as_str() {
                "post" => {}
                // Attachments come with their posts; menus and the like are the theme's.
                "attachment" | "nav_menu_item" | "wp_navigation" | "wp_global_styles" | "custom_css" => continue,
                _ => {
                    report.skipped.push(Skipped {
                        title: decoded(&item.title),
                        reason: SkipReason::NotAPost(item.post_type.clone()),
                    });
                    continue;
                }
            }
            match self.import_post(&export, item, &attachments, &mut report).await {
                Ok(()) => {}
                Err(error) => {
                    tracing::error!(%error, source_id = item.post_id, "post not imported");
                    report.skipped.push(Skipped {
                        title: decoded(&item.title),
                        reason: SkipReason::Failed,
                    });
                }
            }
            report.done += 1;
            progress(&report);
        }
        Ok(report)
    }

    async fn import_post(
        &self,
        export: &wxr::Wxr,
        item: &WxrItem,
        attachments: &std::collections::HashMap<i64, &WxrItem>,
        report: &mut ImportReport,
    ) -> Result<(), super::store::StoreError> {
        let title = decoded(&item.title);
        let skip = |report: &mut ImportReport, reason| {
            report.skipped.push(Skipped {
                title: title.clone(),
                reason,
            });
        };
        // A password-protected post was for some readers only: not published here.
        if !item.password.is_empty() {
            skip(report, SkipReason::NotPublic("password".to_owned()));
            return Ok(());
        }
        let draft = match item.status.as_str() {
            "publish" | "future" => false,
            "draft" | "pending" => true,
            other => {
                skip(report, SkipReason::NotPublic(other.to_owned()));
                return Ok(());
            }
        };
        let (Some(slug), false) = (slug_of(item), title.is_empty()) else {
            skip(report, SkipReason::NoTitle);
            return Ok(());
        };
        let existing_id = self.store.imported_post(&export.site, item.post_id).await?;
        let existing = match existing_id {
            Some(id) => self.store.editable_post(id).await?,
            None => None,
        };
        let summary = if item.excerpt.trim().is_empty() {
            plain(&item.content)
        } else {
            plain(&item.excerpt)
        };
        let mut texts = vec![PostTextRecord {
            lang: Lang::Bg,
            title: title.clone(),
            summary: excerpt(&summary, SUMMARY_CHARS),
            body_md: item.content.trim().to_owned(),
        }];
        // A translation an editor wrote since the last import stays.
        if let Some(english) = existing.as_ref().and_then(|post| post.text(Lang::En)) {
            texts.push(english.clone());
        }
        let category = item
            .terms
            .iter()
            .find(|term| term.domain == "category")
            .and_then(|term| {
                let name = decoded(&term.name);
                let nicename = percent_encoding::percent_decode_str(&term.nicename)
                    .decode_utf8_lossy()
                    .into_owned();
                let slug = nicename
                    .parse::<Slug>()
                    .ok()
                    .or_else(|| slug_of_title(&nicename))
                    .or_else(|| slug_of_title(&name))?;
                Some(CategoryChoice::New { slug, name })
            })
            .unwrap_or_else(|| CategoryChoice::New {
                slug: Slug::try_from("bez-kategoriya".to_owned()).unwrap_or_else(|_| unreachable!("a valid slug")),
                name: "Без категория".to_owned(),
            });
        let tags = item
            .terms
            .iter()
            .filter(|term| term.domain == "post_tag")
            .map(|term| decoded(&term.name))
            .filter(|name| slug_of_title(name).is_some())
            .collect();
        let cover = match existing.as_ref().and_then(|post| post.cover.clone()) {
            Some(cover) => Some(cover),
            None => self.featured_image(item, attachments, &title, report).await?,
        };
        let mut post = EditablePost {
            id: existing.as_ref().and_then(|post| post.id),
            slug: existing.as_ref().map_or(slug, |post| post.slug.clone()),
            texts,
            category,
            tags,
            draft,
            published_at: published_at(item, self.now),
            cover,
            author: Some(
                export
                    .authors
                    .get(&item.creator)
                    .cloned()
                    .unwrap_or_else(|| item.creator.clone()),
            ),
        };
        let base = post.slug.clone();
        for attempt in 2..=20 {
            match self.store.save_post(&post, self.now, self.actor).await? {
                Ok(id) => {
                    if existing.is_some() {
                        report.updated += 1;
                    } else {
                        self.store.record_import(&export.site, item.post_id, id).await?;
                        report.created += 1;
                    }
                    return Ok(());
                }
                // Another post has the address: the next free `-2`, `-3` …
                Err(SaveRefusal::SlugTaken) => {
                    post.slug = format!("{base}-{attempt}").parse().unwrap_or_else(|_| base.clone());
                }
                Err(_) => break,
            }
        }
        skip(report, SkipReason::Failed);
        Ok(())
    }

    /// The post's featured image from the uploads folder, converted and stored like an upload.
    async fn featured_image(
        &self,
        item: &WxrItem,
        attachments: &std::collections::HashMap<i64, &WxrItem>,
        title: &str,
        report: &mut ImportReport,
    ) -> Result<Option<CoverRecord>, super::store::StoreError> {
        let Some(attachment) = item
            .meta
            .get("_thumbnail_id")
            .and_then(|id| id.trim().parse::<i64>().ok())
            .and_then(|id| attachments.get(&id))
        else {
            return Ok(None);
        };
        let missing = |report: &mut ImportReport| {
            report.skipped.push(Skipped {
                title: title.to_owned(),
                reason: SkipReason::ImageMissing(attachment.attachment_url.clone()),
            });
            Ok(None)
        };
        let Some(path) = self
            .uploads
            .and_then(|uploads| upload_path(uploads, &attachment.attachment_url))
        else {
            return missing(report);
        };
        let Ok(bytes) = tokio::fs::read(&path).await else {
            return missing(report);
        };
        let Ok(processed) = convert(bytes.into(), super::images::PHOTO_WIDTHS).await else {
            return missing(report);
        };
        let image = match super::images::put_files(self.images, processed).await {
            Ok(image) => image,
            Err(error) => {
                tracing::error!(%error, "imported image not stored");
                return missing(report);
            }
        };
        let alt = attachment
            .meta
            .get("_wp_attachment_image_alt")
            .map(|alt| decoded(alt))
            .filter(|alt| !alt.is_empty())
            .unwrap_or_else(|| title.to_owned());
        let image = ImageRecord {
            alt_bg: alt.clone(),
            alt_en: alt.clone(),
            ..image
        };
        let image_id = self.store.insert_image(&image, self.now, self.actor).await?;
        Ok(Some(CoverRecord {
            image_id,
            alt_bg: alt.clone(),
            alt_en: alt,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_the_source_made_latin_when_cyrillic() {
        let item = |slug: &str, title: &str| WxrItem {
            slug: slug.into(),
            title: title.into(),
            ..WxrItem::default()
        };
        assert_eq!(
            slug_of(&item("summer-party", "")).map(String::from),
            Some("summer-party".into())
        );
        assert_eq!(
            slug_of(&item(
                "%d0%bb%d1%8f%d1%82%d0%bd%d0%be-%d0%bf%d0%b0%d1%80%d1%82%d0%b8",
                ""
            ))
            .map(String::from),
            Some("lyatno-parti".into())
        );
        assert_eq!(
            slug_of(&item("", "Щастливи деца")).map(String::from),
            Some("shtastlivi-detsa".into())
        );
    }

    #[test]
    fn featured_images_are_read_only_from_inside_the_uploads_folder() {
        let uploads = Path::new("/srv/uploads");
        assert_eq!(
            upload_path(
                uploads,
                "https://ngo.bg/wp-content/uploads/2024/07/%D0%B4%D0%B5%D1%86%D0%B0.jpg"
            ),
            Some(PathBuf::from("/srv/uploads/2024/07/деца.jpg"))
        );
        assert_eq!(
            upload_path(uploads, "https://ngo.bg/wp-content/uploads/../../etc/passwd"),
            None
        );
        assert_eq!(
            upload_path(uploads, "https://ngo.bg/wp-content/uploads//etc/passwd"),
            None
        );
        assert_eq!(upload_path(uploads, "https://ngo.bg/image.jpg"), None);
    }

    #[test]
    fn dates_are_utc_and_drafts_fall_back_to_sofia_time() {
        let item = |gmt: &str, local: &str| WxrItem {
            date_gmt: gmt.into(),
            date: local.into(),
            ..WxrItem::default()
        };
        assert_eq!(published_at(&item("2024-07-21 08:00:00", ""), 0), 1_721_548_800);
        assert_eq!(
            published_at(&item("0000-00-00 00:00:00", "2024-07-21 11:00:00"), 0),
            1_721_548_800
        );
        assert_eq!(published_at(&item("", ""), 7), 7);
    }

    #[test]
    fn a_summary_is_the_texts_words_without_markup() {
        assert_eq!(
            plain("<p>Деца &amp; родители</p>\n<p>рисуват <b>заедно</b></p>"),
            "Деца & родители рисуват заедно"
        );
    }
}
