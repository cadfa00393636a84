//! Types that parse and format: no I/O, shared by the server and the browser.

/// The conversions every validated string type has besides its own `FromStr`: from a `String`
/// (parsing, so serde can deserialize it), back into one, `as_str` and `Display`.
macro_rules! validated_string {
    ($name:ident, $error:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = $error;

            fn try_from(raw: String) -> Result<Self, Self::Error> {
                raw.parse()
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
mod content;
mod date;
mod datetime;
mod directory;
mod eik;
mod email;
mod excerpt;
mod lang;
mod number;
mod page;
mod phone;
mod slug;
mod text;
mod translit;

pub use content::{Category, Cover, Tag};
pub use date::LocalDate;
pub use datetime::LocalDateTime;
pub use directory::{Field, LegalForm, NgoStatus, REGIONS, Region};
pub use eik::{Eik, InvalidEik, eik_check_digit};
pub use email::{Email, InvalidEmail};
pub use excerpt::excerpt;
pub use lang::Lang;
pub use number::format_count;
pub use page::PageNumber;
pub use phone::{InvalidPhone, Phone, phone_for_people};
pub use slug::Slug;
pub use text::{https_link, multi_line, single_line, urlencode, with_query};
pub use translit::{cyrillic_readings, slug_of_title, to_cyrillic, transliterate};
