//! Content types posts and events share: categories, tags, cover images.
use super::Slug;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub slug: Slug,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub slug: Slug,
    pub name: String,
}

/// A cover image with its intrinsic size, so the page reserves its box before it loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cover {
    pub src: String,
    pub width: u32,
    pub height: u32,
    /// The same picture in other widths (`/media/k-480.jpg 480w, …`); empty for a generated one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub srcset: String,
    /// Describes an uploaded photo; empty for a generated (decorative) cover.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub alt: String,
}

impl Cover {
    pub const WIDTH: u32 = 1200;
    pub const HEIGHT: u32 = 630;

    /// The generated cover of a post or an event (see `server::covers`).
    pub fn generated(slug: &Slug) -> Cover {
        Cover {
            src: format!("/covers/{slug}.svg"),
            width: Self::WIDTH,
            height: Self::HEIGHT,
            srcset: String::new(),
            alt: String::new(),
        }
    }

    /// The picture social networks show for the page: the photo (a JPEG), else the portal's
    /// card (they do not show SVG).
    pub fn social_image(&self) -> String {
        if self.srcset.is_empty() {
            Self::SOCIAL_CARD.to_owned()
        } else {
            self.src.clone()
        }
    }

    /// The portal's social card, for pages without a photo.
    pub const SOCIAL_CARD: &str = "/icons/social-card.png";

    /// An uploaded photo stored in `widths` (ascending) as `/media/{key}-{width}.jpg`: the
    /// widest is the fallback `src` and the social networks' image.
    pub fn uploaded(key: &str, width: u32, height: u32, widths: &[u32], alt: &str) -> Cover {
        let file = |w: u32| format!("/media/{key}-{w}.jpg");
        let widest = widths.last().copied().unwrap_or(width);
        Cover {
            src: file(widest),
            width,
            height,
            srcset: widths
                .iter()
                .map(|w| format!("{} {w}w", file(*w)))
                .collect::<Vec<_>>()
                .join(", "),
            alt: alt.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uploaded_cover_offers_every_stored_width_and_falls_back_to_the_widest() {
        let cover = Cover::uploaded("ab12", 1600, 900, &[480, 960, 1600], "Деца рисуват");
        assert_eq!(cover.src, "/media/ab12-1600.jpg");
        assert_eq!(
            cover.srcset,
            "/media/ab12-480.jpg 480w, /media/ab12-960.jpg 960w, /media/ab12-1600.jpg 1600w"
        );
        assert_eq!((cover.width, cover.height), (1600, 900));
    }
}
