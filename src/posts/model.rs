//! What the post pages show, as sent from the server functions to the browser.
use crate::domain::{LocalDate, Slug};
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

/// A post as a card in lists and in the related block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostCard {
    pub slug: Slug,
    pub title: String,
    pub excerpt: String,
    pub published: LocalDate,
    pub category: Category,
    pub cover: Cover,
}

/// Everything the post page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostPageData {
    pub card: PostCard,
    /// Rendered from Markdown and sanitised on the server.
    pub body_html: String,
    pub tags: Vec<Tag>,
    pub related: Vec<PostCard>,
    /// Upcoming events on the same subject (often none).
    pub related_events: Vec<crate::events::model::EventCard>,
}

/// One page of the posts list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostList {
    pub posts: Vec<PostCard>,
    pub categories: Vec<Category>,
    pub page: u32,
    pub total_pages: u32,
}
