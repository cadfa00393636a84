//! What the post pages show, as sent from the server functions to the browser.
use crate::cards::{EventCard, PostCard};
use crate::domain::{Category, Lang, Tag};
use serde::{Deserialize, Serialize};

/// Everything the post page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostPageData {
    pub card: PostCard,
    /// Rendered from Markdown and sanitised on the server.
    pub body_html: String,
    pub tags: Vec<Tag>,
    /// The byline (empty: none).
    pub author: String,
    /// The languages the post is written in: its page in another shows the text as it is,
    /// with a note, and names only these as alternates.
    pub languages: Vec<Lang>,
    pub related: Vec<PostCard>,
    /// Upcoming events on the same subject (often none).
    pub related_events: Vec<EventCard>,
}

/// One page of the posts list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostList {
    pub posts: Vec<PostCard>,
    pub categories: Vec<Category>,
    pub page: u32,
    pub total_pages: u32,
}
