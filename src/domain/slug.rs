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

    /// The `number`th slug of the same name (`name-2`, `name-3`, …), for a new item whose own
    /// slug is taken: cut to leave room for the number, never ending in a hyphen.
    pub fn numbered(&self, number: u32) -> Slug {
        let suffix = format!("-{number}");
        let cut = self.0.len().min(Self::MAX_LEN - suffix.len());
        Slug(format!("{}{suffix}", self.0[..cut].trim_end_matches('-')))
    }
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
    fn a_numbered_slug_is_a_slug_of_at_most_the_longest_length() {
        let short: Slug = "zeleni-rodopi".parse().expect("slug");
        assert_eq!(short.numbered(2).as_str(), "zeleni-rodopi-2");
        // Cut where the number would push it past the limit, and not left with "--".
        let long: Slug = format!("{}-b", "a".repeat(Slug::MAX_LEN - 2)).parse().expect("slug");
        for number in [2, 10, 1000] {
            let numbered = long.numbered(number);
            assert!(numbered.as_str().len() <= Slug::MAX_LEN, "{numbered:?}");
            assert_eq!(numbered.as_str().parse::<Slug>(), Ok(numbered.clone()));
            assert!(numbered.as_str().ends_with(&format!("-{number}")));
        }
        let hyphen_at_cut: Slug = format!("{}-bb", "a".repeat(Slug::MAX_LEN - 3)).parse().expect("slug");
        assert_eq!(
            hyphen_at_cut.numbered(2).as_str(),
            format!("{}-2", "a".repeat(Slug::MAX_LEN - 3))
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
