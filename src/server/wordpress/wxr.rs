//! Reads a WordPress export (WXR: RSS 2.0 with `wp:`, `content:`, `excerpt:` and `dc:`
//! elements) into its site, authors and items, as written: no interpretation here.
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use std::collections::HashMap;

/// A term of an item: a category or a tag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Term {
    /// `category` or `post_tag`.
    pub domain: String,
    /// The term's slug at the source (may be percent-encoded Cyrillic).
    pub nicename: String,
    pub name: String,
}

/// One `<item>`: a post, a page, an attachment, a menu entry …
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WxrItem {
    pub title: String,
    /// `dc:creator`: the author's login.
    pub creator: String,
    /// `content:encoded`: HTML (with WordPress' bare line breaks).
    pub content: String,
    /// `excerpt:encoded`.
    pub excerpt: String,
    pub post_id: i64,
    /// `wp:post_date_gmt` and `wp:post_date` (site time), `YYYY-MM-DD HH:MM:SS`.
    pub date_gmt: String,
    pub date: String,
    /// `wp:post_name`.
    pub slug: String,
    /// `publish`, `draft`, `future`, `private`, `trash` …
    pub status: String,
    /// `post`, `page`, `attachment` …
    pub post_type: String,
    /// `wp:post_password`: the post is for those who know it.
    pub password: String,
    pub terms: Vec<Term>,
    /// `wp:postmeta` key → value (`_thumbnail_id`, `_wp_attachment_image_alt`, …).
    pub meta: HashMap<String, String>,
    /// `wp:attachment_url` of an attachment.
    pub attachment_url: String,
}

/// The whole export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wxr {
    /// The channel's `<link>`: the exporting site.
    pub site: String,
    /// Author login → display name.
    pub authors: HashMap<String, String>,
    pub items: Vec<WxrItem>,
}

#[derive(Debug, thiserror::Error)]
pub enum WxrError {
    #[error("not well-formed XML at byte {position}: {message}")]
    Xml { position: u64, message: String },
    #[error("not a WordPress export (no rss channel)")]
    NotWxr,
}

/// Where text being read goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    ChannelLink,
    AuthorLogin,
    AuthorName,
    Title,
    Creator,
    Content,
    Excerpt,
    PostId,
    DateGmt,
    Date,
    Slug,
    Status,
    PostType,
    Password,
    Term,
    MetaKey,
    MetaValue,
    AttachmentUrl,
}

fn field_of(name: &[u8], in_item: bool, in_author: bool, in_meta: bool) -> Option<Field> {
    Some(match name {
        b"link" if !in_item && !in_author => Field::ChannelLink,
        b"wp:author_login" if in_author => Field::AuthorLogin,
        b"wp:author_display_name" if in_author => Field::AuthorName,
        b"title" if in_item => Field::Title,
        b"dc:creator" if in_item => Field::Creator,
        b"content:encoded" if in_item => Field::Content,
        b"excerpt:encoded" if in_item => Field::Excerpt,
        b"wp:post_id" if in_item => Field::PostId,
        b"wp:post_date_gmt" if in_item => Field::DateGmt,
        b"wp:post_date" if in_item => Field::Date,
        b"wp:post_name" if in_item => Field::Slug,
        b"wp:status" if in_item => Field::Status,
        b"wp:post_type" if in_item => Field::PostType,
        b"wp:post_password" if in_item => Field::Password,
        b"category" if in_item => Field::Term,
        b"wp:meta_key" if in_meta => Field::MetaKey,
        b"wp:meta_value" if in_meta => Field::MetaValue,
        b"wp:attachment_url" if in_item => Field::AttachmentUrl,
        _ => return None,
    })
}

fn attribute(start: &BytesStart<'_>, name: &str, decoder: quick_xml::encoding::Decoder) -> String {
    start
        .try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| {
            a.decoded_and_normalized_value(quick_xml::XmlVersion::Implicit1_0, decoder)
                .ok()
                .map(|v| v.into_owned())
        })
        .unwrap_or_default()
}

/// Parses a whole export.
pub fn parse(xml: &[u8]) -> Result<Wxr, WxrError> {
    let mut reader = Reader::from_reader(xml);
    let mut wxr = Wxr::default();
    let mut saw_channel = false;
    let (mut in_item, mut in_author, mut in_meta) = (false, false, false);
    let mut item = WxrItem::default();
    let mut author = (String::new(), String::new());
    let mut meta = (String::new(), String::new());
    let mut term = Term::default();
    let mut field: Option<Field> = None;
    let mut text = String::new();
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|error| WxrError::Xml {
            position: reader.buffer_position(),
            message: error.to_string(),
        })?;
        match event {
            Event::Start(start) => {
                let name = start.name();
                match name.as_ref() {
                    b"channel" => saw_channel = true,
                    b"item" => {
                        in_item = true;
                        item = WxrItem::default();
                    }
                    b"wp:author" if !in_item => in_author = true,
                    b"wp:postmeta" if in_item => in_meta = true,
                    other => {
                        field = field_of(other, in_item, in_author, in_meta);
                        if field == Some(Field::Term) {
                            term = Term {
                                domain: attribute(&start, "domain", reader.decoder()),
                                nicename: attribute(&start, "nicename", reader.decoder()),
                                name: String::new(),
                            };
                        }
                        text.clear();
                    }
                }
            }
            Event::Text(chunk) if field.is_some() => {
                let chunk = chunk.decode().map_err(|error| WxrError::Xml {
                    position: reader.buffer_position(),
                    message: error.to_string(),
                })?;
                text.push_str(&chunk);
            }
            // Entities come as events of their own: `&amp;` and the other four of XML, and
            // character references; anything else (HTML's `&nbsp;` in a WordPress export) is
            // kept as written.
            Event::GeneralRef(reference) if field.is_some() => {
                let error = |error: String| WxrError::Xml {
                    position: reader.buffer_position(),
                    message: error,
                };
                if let Some(letter) = reference.resolve_char_ref().map_err(|e| error(e.to_string()))? {
                    text.push(letter);
                } else {
                    let name = reference.decode().map_err(|e| error(e.to_string()))?;
                    match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(resolved) => text.push_str(resolved),
                        None => text.push_str(&format!("&{name};")),
                    }
                }
            }
            Event::CData(chunk) if field.is_some() => text.push_str(&String::from_utf8_lossy(&chunk.into_inner())),
            Event::End(end) => match end.name().as_ref() {
                b"item" => {
                    in_item = false;
                    wxr.items.push(std::mem::take(&mut item));
                }
                b"wp:author" if in_author => {
                    in_author = false;
                    let (login, name) = std::mem::take(&mut author);
                    wxr.authors.insert(login, name);
                }
                b"wp:postmeta" if in_meta => {
                    in_meta = false;
                    let (key, value) = std::mem::take(&mut meta);
                    item.meta.insert(key, value);
                }
                _ => {
                    if let Some(done) = field.take() {
                        let value = std::mem::take(&mut text);
                        match done {
                            Field::ChannelLink if wxr.site.is_empty() => wxr.site = value.trim().to_owned(),
                            Field::ChannelLink => {}
                            Field::AuthorLogin => author.0 = value,
                            Field::AuthorName => author.1 = value,
                            Field::Title => item.title = value,
                            Field::Creator => item.creator = value,
                            Field::Content => item.content = value,
                            Field::Excerpt => item.excerpt = value,
                            Field::PostId => item.post_id = value.trim().parse().unwrap_or_default(),
                            Field::DateGmt => item.date_gmt = value.trim().to_owned(),
                            Field::Date => item.date = value.trim().to_owned(),
                            Field::Slug => item.slug = value.trim().to_owned(),
                            Field::Status => item.status = value.trim().to_owned(),
                            Field::PostType => item.post_type = value.trim().to_owned(),
                            Field::Password => item.password = value,
                            Field::Term => {
                                term.name = value;
                                item.terms.push(std::mem::take(&mut term));
                            }
                            Field::MetaKey => meta.0 = value,
                            Field::MetaValue => meta.1 = value,
                            Field::AttachmentUrl => item.attachment_url = value.trim().to_owned(),
                        }
                    }
                }
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !saw_channel {
        return Err(WxrError::NotWxr);
    }
    Ok(wxr)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPORT: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>НПО</title>
  <link>https://ngobg.info</link>
  <wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[maria]]></wp:author_login><wp:author_display_name><![CDATA[Мария Петрова]]></wp:author_display_name></wp:author>
  <item>
    <title><![CDATA[Лятно парти & рисуване]]></title>
    <link>https://ngobg.info/bg/news/1</link>
    <dc:creator><![CDATA[maria]]></dc:creator>
    <content:encoded><![CDATA[<p>Текст с <strong>удебелен</strong> шрифт.</p>]]></content:encoded>
    <excerpt:encoded><![CDATA[Кратко]]></excerpt:encoded>
    <wp:post_id>42</wp:post_id>
    <wp:post_date><![CDATA[2024-07-01 11:00:00]]></wp:post_date>
    <wp:post_date_gmt><![CDATA[2024-07-01 08:00:00]]></wp:post_date_gmt>
    <wp:post_name><![CDATA[%d0%bb%d1%8f%d1%82%d0%bd%d0%be]]></wp:post_name>
    <wp:status><![CDATA[publish]]></wp:status>
    <wp:post_type><![CDATA[post]]></wp:post_type>
    <category domain="category" nicename="deca"><![CDATA[Деца]]></category>
    <category domain="post_tag" nicename="art"><![CDATA[изкуство]]></category>
    <wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[43]]></wp:meta_value></wp:postmeta>
  </item>
</channel>
</rss>"#;

    #[test]
    fn reads_a_post_with_its_terms_meta_author_and_cyrillic_as_written() {
        let wxr = parse(EXPORT.as_bytes()).unwrap();
        assert_eq!(wxr.site, "https://ngobg.info");
        assert_eq!(wxr.authors.get("maria").map(String::as_str), Some("Мария Петрова"));
        let post = &wxr.items[0];
        assert_eq!(post.title, "Лятно парти & рисуване");
        assert_eq!(post.post_id, 42);
        assert_eq!(post.content, "<p>Текст с <strong>удебелен</strong> шрифт.</p>");
        assert_eq!(post.date_gmt, "2024-07-01 08:00:00");
        assert_eq!(post.slug, "%d0%bb%d1%8f%d1%82%d0%bd%d0%be");
        assert_eq!(post.terms.len(), 2);
        assert_eq!(post.terms[0].name, "Деца");
        assert_eq!(post.terms[1].domain, "post_tag");
        assert_eq!(post.meta.get("_thumbnail_id").map(String::as_str), Some("43"));
    }

    #[test]
    fn broken_xml_and_other_documents_are_refused() {
        assert!(matches!(
            parse(b"<rss><channel><item></channel>"),
            Err(WxrError::Xml { .. })
        ));
        assert!(matches!(parse(b"<html><body>no</body></html>"), Err(WxrError::NotWxr)));
    }
}
