use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The URL name of a post (and later of events and NGOs): lowercase ASCII letters, digits and
/// single hyphens, so that it is safe in a URL without escaping.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid slug")]
pub struct InvalidSlug;

validated_string!(Slug, InvalidSlug);

impl Slug {
    pub const MAX_LEN: usize = 120;
}

impl FromStr for Slug {
    type Err = InvalidSlug;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let well_formed = !raw.is_empty()
            && raw.len() <= Self::MAX_LEN
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !raw.starts_with('-')
            && !raw.ends_with('-')
            && !raw.contains("--");
        if well_formed {
            Ok(Slug(raw.to_owned()))
        } else {
            Err(InvalidSlug)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_lowercase_words_joined_by_hyphens() {
        assert_eq!(
            "summer-art-party-2024".parse::<Slug>().map(String::from),
            Ok("summer-art-party-2024".into())
        );
    }

    #[test]
    fn rejects_anything_that_would_need_escaping_or_is_ambiguous() {
        for bad in [
            "",
            "Upper",
            "with space",
            "-lead",
            "trail-",
            "double--hyphen",
            "път",
            "../etc",
            &"a".repeat(121),
        ] {
            assert_eq!(bad.parse::<Slug>(), Err(InvalidSlug), "{bad:?}");
        }
    }
}
