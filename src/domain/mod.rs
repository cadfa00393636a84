//! Types that parse and format: no I/O, shared by the server and the browser.
mod date;
mod datetime;
mod email;
mod excerpt;
mod lang;
mod number;
mod page;
mod phone;
mod plural;
mod slug;

pub use date::LocalDate;
pub use datetime::LocalDateTime;
pub use email::{Email, InvalidEmail};
pub use excerpt::excerpt;
pub use lang::Lang;
pub use number::format_count;
pub use page::PageNumber;
pub use phone::{InvalidPhone, Phone};
pub use plural::{places, places_left};
pub use slug::Slug;
