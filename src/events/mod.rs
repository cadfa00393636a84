//! Events for children and families: the list, the event page with its registration form,
//! and the parent's private registration page.
pub mod api;
#[cfg(feature = "ssr")]
pub mod calendar;
mod form;
mod list;
pub mod model;
mod page;
mod registration;
#[cfg(feature = "ssr")]
pub mod service;
pub mod validate;

pub use list::EventsPage;
pub use page::EventPage;
pub use registration::{LinkSentPage, RegistrationPage};
