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
        }
    }
}
