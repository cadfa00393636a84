//! Post bodies are written in Markdown; they are shown only after rendering and sanitising.
use pulldown_cmark::{Event, Options, Parser, html};

fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
}

/// Renders Markdown to HTML that is safe to inject: scripts, event handlers and unsafe URLs
/// are removed by ammonia; links get `rel="noopener noreferrer"`. Pictures are the portal's
/// own only (a path on this site): one from elsewhere would tell a third party who reads
/// what, and the Content-Security-Policy would block it anyway.
pub fn to_safe_html(markdown: &str) -> String {
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, parser(markdown));
    ammonia::Builder::default()
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("img", "src") if !is_own_path(value) => None,
            _ => Some(value.into()),
        })
        .clean(&raw)
        .to_string()
}

/// A path on this site (`/media/…`), not a URL of another (`//host/…` is one; browsers drop
/// tabs and line breaks from URLs, so `/\t/host` is one too).
fn is_own_path(url: &str) -> bool {
    url.starts_with('/')
        && !url.starts_with("//")
        && !url.contains('\\')
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The words of a Markdown text without its markup, for search and relatedness.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in parser(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                text.push_str(&t);
                text.push(' ');
            }
            // Posts imported from WordPress are HTML: their words count too, without the tags.
            Event::Html(t) | Event::InlineHtml(t) => {
                let words = ammonia::Builder::empty().clean(&t).to_string();
                text.push_str(&html_escape::decode_html_entities(&words));
                text.push(' ');
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown_and_strips_scripts() {
        let html = to_safe_html(
            "## Заглавие\n\nТекст с **удебелен** [линк](https://example.org).\n\n<script>alert(1)</script><img src=x onerror=alert(1)>",
        );
        assert!(html.contains("<h2>Заглавие</h2>"));
        assert!(html.contains("<strong>удебелен</strong>"));
        assert!(html.contains("rel=\"noopener noreferrer\""));
        assert!(!html.contains("<script"));
        assert!(!html.contains("onerror"));
    }

    #[test]
    fn pictures_from_other_sites_lose_their_source() {
        let html =
            to_safe_html("![a](/media/ab-480.jpg) ![b](https://tracker.example/p.png) ![c](//evil.example/x.png)");
        assert!(html.contains(r#"src="/media/ab-480.jpg""#));
        assert!(
            !html.contains("tracker.example") && !html.contains("evil.example"),
            "{html}"
        );
    }

    #[test]
    fn javascript_links_are_dropped() {
        let html = to_safe_html("[click](javascript:alert(1))");
        assert!(!html.contains("javascript:"));
    }

    #[test]
    fn plain_text_keeps_words_only() {
        let text = plain_text("# Title\n\nSome *emphasis* and [a link](https://x.org).");
        assert!(text.contains("Title"));
        assert!(text.contains("emphasis"));
        assert!(!text.contains("https://x.org"));
        assert!(!text.contains('*'));
    }

    #[test]
    fn plain_text_of_html_keeps_its_words_without_tags() {
        let text = plain_text("<p>Деца &amp; <strong>родители</strong></p>\n<script>x()</script>");
        assert!(text.contains("Деца & "));
        assert!(text.contains("родители"));
        assert!(!text.contains('<') && !text.contains("x()"));
    }
}
