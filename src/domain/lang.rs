use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A content language of the portal. Bulgarian is the default.
/// On the wire it is its code (`bg`, `en`); the old `Bg`/`En` spelling is still read, for
/// registrations an older page queued offline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    #[serde(alias = "Bg")]
    Bg,
    #[serde(alias = "En")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Bg, Lang::En];

    /// The code used in URLs, `<html lang>` and the store.
    pub const fn code(self) -> &'static str {
        match self {
            Lang::Bg => "bg",
            Lang::En => "en",
        }
    }

    pub const fn other(self) -> Lang {
        match self {
            Lang::Bg => Lang::En,
            Lang::En => Lang::Bg,
        }
    }

    /// The OpenGraph locale (`og:locale`).
    pub const fn og_locale(self) -> &'static str {
        match self {
            Lang::Bg => "bg_BG",
            Lang::En => "en_GB",
        }
    }

    /// The first language of an `Accept-Language` header this portal speaks, by quality.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut ranked: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.trim().split(';');
                let tag = pieces.next()?.trim();
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                let primary = tag.split('-').next()?;
                Lang::from_str(primary).ok().map(|lang| (quality, lang))
            })
            .filter(|(quality, _)| *quality > 0.0)
            .collect();
        // Stable sort keeps header order among equal qualities.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().map(|(_, lang)| *lang)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language code")]
pub struct UnknownLang;

impl FromStr for Lang {
    type Err = UnknownLang;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        match code.to_ascii_lowercase().as_str() {
            "bg" => Ok(Lang::Bg),
            "en" => Ok(Lang::En),
            _ => Err(UnknownLang),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn travels_as_its_code_and_still_reads_the_old_spelling() {
        assert_eq!(serde_json::to_string(&Lang::En).unwrap(), "\"en\"");
        assert_eq!(serde_json::from_str::<Lang>("\"bg\"").unwrap(), Lang::Bg);
        assert_eq!(serde_json::from_str::<Lang>("\"En\"").unwrap(), Lang::En);
    }

    #[test]
    fn parses_codes_case_insensitively() {
        assert_eq!("BG".parse(), Ok(Lang::Bg));
        assert_eq!("en".parse(), Ok(Lang::En));
        assert_eq!("de".parse::<Lang>(), Err(UnknownLang));
    }

    #[test]
    fn accept_language_prefers_highest_quality_known_language() {
        assert_eq!(Lang::from_accept_language("en-GB,en;q=0.9,bg;q=0.8"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("de-DE,bg;q=0.5,en;q=0.7"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("bg-BG"), Some(Lang::Bg));
        assert_eq!(Lang::from_accept_language("fr, de;q=0.9"), None);
        assert_eq!(Lang::from_accept_language("en;q=0, bg;q=0.1"), Some(Lang::Bg));
        assert_eq!(Lang::from_accept_language(""), None);
    }
}
