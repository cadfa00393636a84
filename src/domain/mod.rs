//! Types that parse and format: no I/O, shared by the server and the browser.
mod date;
mod excerpt;
mod lang;
mod number;
mod page;
mod slug;

pub use date::LocalDate;
pub use excerpt::excerpt;
pub use lang::Lang;
pub use number::format_count;
pub use page::PageNumber;
pub use slug::Slug;
