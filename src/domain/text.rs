//! Text as people typed it, made safe to store and to put into mail headers, `.ics` lines and
//! pages: no control characters, no bidirectional overrides (which can make a name or a link
//! read as something else), and line breaks only where a text may have them.

/// Unicode's explicit bidirectional formatting characters (embeddings, overrides, isolates)
/// and the invisible direction marks.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// One line: control characters and line breaks become spaces, bidi controls go, runs of
/// white space fold into one, and the ends are trimmed.
pub fn single_line(text: &str) -> String {
    text.chars()
        .filter(|c| !is_bidi_control(*c))
        .map(|c| {
            if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Several lines (a note): line breaks kept as `\n`, every other control and bidi control
/// removed, the ends trimmed.
pub fn multi_line(text: &str) -> String {
    text.replace("\r\n", "\n")
        .lines()
        .map(|line| {
            line.chars()
                .filter(|c| !is_bidi_control(*c) && (!c.is_control() || *c == '\t'))
                .collect::<String>()
                .trim_end()
                .to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// A link that may be put in a page as is: `https:` only (no `javascript:`, `data:` or plain
/// `http:`), with nothing that could end the attribute or hide what it says.
pub fn https_link(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url.strip_prefix("https://")?;
    let clean = !rest.is_empty()
        && !rest.starts_with('/')
        && url.chars().all(|c| {
            !c.is_whitespace() && !c.is_control() && !is_bidi_control(c) && !matches!(c, '"' | '\'' | '<' | '>' | '\\')
        });
    clean.then(|| url.to_owned())
}

/// Percent-encodes `text` as one URL component (RFC 3986 unreserved characters stay).
pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `path` with the query of `params` whose value is not empty, values URL-encoded:
/// `with_query("posts", &[("category", "culture"), ("page", "")])` is `posts?category=culture`.
pub fn with_query(path: &str, params: &[(&str, &str)]) -> String {
    let query: Vec<String> = params
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}", urlencode(value)))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_keeps_the_parameters_with_values_encoded() {
        assert_eq!(
            with_query("posts", &[("category", "culture"), ("page", "")]),
            "posts?category=culture"
        );
        assert_eq!(
            with_query("admin/posts", &[("q", "Лято 2026"), ("page", "2")]),
            "admin/posts?q=%D0%9B%D1%8F%D1%82%D0%BE%202026&page=2"
        );
        assert_eq!(with_query("posts", &[]), "posts");
    }

    #[test]
    fn a_name_with_line_breaks_and_controls_becomes_one_line() {
        assert_eq!(
            single_line("  Мария\r\nBcc: x@example.com\u{0}\t Иванова "),
            "Мария Bcc: x@example.com Иванова"
        );
        assert_eq!(single_line("Ива\u{2028}Петрова"), "Ива Петрова");
    }

    #[test]
    fn only_plain_https_links_pass() {
        let osm = "https://www.openstreetmap.org/?mlat=42.6936&mlon=23.3358#map=17/42.6936/23.3358";
        assert_eq!(https_link(osm).as_deref(), Some(osm));
        for bad in [
            "javascript:alert(1)",
            "http://maps.example/x",
            "data:text/html,x",
            "https:///x",
            "https://ok.example/\"onmouseover=x",
            "https://a.example/ b",
            "//evil.example",
        ] {
            assert_eq!(https_link(bad), None, "{bad}");
        }
    }

    #[test]
    fn bidi_overrides_are_removed() {
        // "Ива" followed by a right-to-left override that would show "gpj.exe" as "exe.jpg".
        assert_eq!(single_line("Ива\u{202E}gpj.exe\u{202C}"), "Иваgpj.exe");
        assert_eq!(single_line("\u{2066}a\u{2069}\u{200F}b"), "ab");
    }

    #[test]
    fn a_note_keeps_its_lines_but_nothing_else_invisible() {
        assert_eq!(
            multi_line("Алергия към ядки.\r\nВзимаме ги в 13 ч.\u{7}\u{202E}"),
            "Алергия към ядки.\nВзимаме ги в 13 ч."
        );
        assert_eq!(multi_line("\n\n  ред  \n"), "ред");
    }
}
