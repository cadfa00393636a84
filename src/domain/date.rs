use super::Lang;
use serde::{Deserialize, Serialize};

/// A calendar date as seen in Sofia. The server converts stored UTC instants into it (see
/// `server::time`), so the browser needs no time-zone database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LocalDate {
    pub year: i32,
    /// 1..=12
    pub month: u8,
    pub day: u8,
}

const MONTHS_BG: [&str; 12] = [
    "януари",
    "февруари",
    "март",
    "април",
    "май",
    "юни",
    "юли",
    "август",
    "септември",
    "октомври",
    "ноември",
    "декември",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl LocalDate {
    fn month_name(self, lang: Lang) -> &'static str {
        let index = usize::from(self.month.clamp(1, 12) - 1);
        match lang {
            Lang::Bg => MONTHS_BG[index],
            Lang::En => MONTHS_EN[index],
        }
    }

    /// „11 март 2024 г.“ in Bulgarian, "11 March 2024" in English.
    pub fn format(self, lang: Lang) -> String {
        let month = self.month_name(lang);
        match lang {
            Lang::Bg => format!("{} {month} {}\u{a0}г.", self.day, self.year),
            Lang::En => format!("{} {month} {}", self.day, self.year),
        }
    }

    /// ISO 8601 (`2024-03-11`), for `<time datetime>` and JSON-LD.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_the_bulgarian_and_english_way() {
        let date = LocalDate {
            year: 2024,
            month: 3,
            day: 11,
        };
        assert_eq!(date.format(Lang::Bg), "11 март 2024\u{a0}г.");
        assert_eq!(date.format(Lang::En), "11 March 2024");
        assert_eq!(date.iso(), "2024-03-11");
        let july = LocalDate {
            year: 2024,
            month: 7,
            day: 21,
        };
        assert_eq!(july.format(Lang::Bg), "21 юли 2024\u{a0}г.");
    }
}
