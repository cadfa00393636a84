//! What a browser asks for: the content coding it prefers among those a cached response
//! keeps (`Accept-Encoding`, RFC 9110 §12.5.3), and whether the copy it holds is current
//! (`If-None-Match`, weak comparison as §13.1.2 asks).

/// The codings a cached response is kept in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Brotli,
    Gzip,
    Identity,
}

impl Coding {
    /// The `Content-Encoding` value, if any.
    pub fn header(self) -> Option<&'static str> {
        match self {
            Coding::Brotli => Some("br"),
            Coding::Gzip => Some("gzip"),
            Coding::Identity => None,
        }
    }
}

/// The best coding for `accept_encoding`: brotli, then gzip, by the client's weights (brotli
/// wins a tie: it is the smaller); no header or nothing acceptable means none.
pub fn preferred_coding(accept_encoding: Option<&str>) -> Coding {
    let Some(header) = accept_encoding else {
        return Coding::Identity;
    };
    let (mut brotli, mut gzip, mut any) = (None, None, None);
    for item in header.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let weight = parts
            .find_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
            .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
            .filter(|q| (0.0..=1.0).contains(q));
        let Some(weight) = weight else { continue };
        match name.as_str() {
            "br" => brotli = Some(weight),
            "gzip" | "x-gzip" => gzip = Some(weight),
            "*" => any = Some(weight),
            _ => {}
        }
    }
    let brotli = brotli.or(any).unwrap_or(0.0);
    let gzip = gzip.or(any).unwrap_or(0.0);
    if brotli > 0.0 && brotli >= gzip {
        Coding::Brotli
    } else if gzip > 0.0 {
        Coding::Gzip
    } else {
        Coding::Identity
    }
}

/// Whether `If-None-Match` names `etag` (or `*`): the client's copy is current.
pub fn not_modified(if_none_match: Option<&str>, etag: &str) -> bool {
    let Some(header) = if_none_match else {
        return false;
    };
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let ours = opaque(etag);
    header.split(',').any(|tag| tag.trim() == "*" || opaque(tag) == ours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_get_brotli_and_older_clients_gzip() {
        let chrome = "gzip, deflate, br, zstd";
        assert_eq!(preferred_coding(Some(chrome)), Coding::Brotli);
        assert_eq!(preferred_coding(Some("gzip, deflate")), Coding::Gzip);
        assert_eq!(preferred_coding(None), Coding::Identity);
        assert_eq!(preferred_coding(Some("identity")), Coding::Identity);
        assert_eq!(preferred_coding(Some("zstd")), Coding::Identity);
    }

    #[test]
    fn weights_are_respected() {
        assert_eq!(preferred_coding(Some("br;q=0, gzip")), Coding::Gzip);
        assert_eq!(preferred_coding(Some("br;q=0.5, gzip;q=0.8")), Coding::Gzip);
        assert_eq!(preferred_coding(Some("gzip;q=0, br;q=0")), Coding::Identity);
        assert_eq!(preferred_coding(Some("*")), Coding::Brotli);
        assert_eq!(preferred_coding(Some("*;q=0.1, br;q=0")), Coding::Gzip);
        assert_eq!(preferred_coding(Some("BR ; q=1, gzip")), Coding::Brotli);
        // A weight that does not parse makes the item unusable, not the best.
        assert_eq!(preferred_coding(Some("br;q=abc, gzip")), Coding::Gzip);
    }

    #[test]
    fn matches_the_etag_weakly_and_in_lists() {
        let etag = "W/\"abc\"";
        assert!(not_modified(Some("W/\"abc\""), etag));
        assert!(not_modified(Some("\"abc\""), etag));
        assert!(not_modified(Some("\"x\", W/\"abc\""), etag));
        assert!(not_modified(Some("*"), etag));
        assert!(!not_modified(Some("\"abd\""), etag));
        assert!(!not_modified(None, etag));
    }
}
