use super::{Lang, LocalDate};
use serde::{Deserialize, Serialize};

/// A moment as seen on a clock in Sofia, with the UTC offset in force then (+120 in winter,
/// +180 in summer). Made on the server from a stored UTC instant (see `server::time`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LocalDateTime {
    pub date: LocalDate,
    pub hour: u8,
    pub minute: u8,
    pub utc_offset_minutes: i16,
}

impl LocalDateTime {
    /// „11:00 ч.“ in Bulgarian, "11:00" in English.
    pub fn format_time(self, lang: Lang) -> String {
        match lang {
            Lang::Bg => format!("{:02}:{:02}\u{a0}ч.", self.hour, self.minute),
            Lang::En => format!("{:02}:{:02}", self.hour, self.minute),
        }
    }

    /// „21 юли 2024 г., 11:00 ч.“ / "21 July 2024, 11:00".
    pub fn format(self, lang: Lang) -> String {
        format!("{}, {}", self.date.format(lang), self.format_time(lang))
    }

    /// ISO 8601 with offset (`2024-07-21T11:00:00+03:00`), for `<time>` and JSON-LD.
    pub fn iso(self) -> String {
        let sign = if self.utc_offset_minutes < 0 { '-' } else { '+' };
        let offset = self.utc_offset_minutes.unsigned_abs();
        format!(
            "{}T{:02}:{:02}:00{sign}{:02}:{:02}",
            self.date.iso(),
            self.hour,
            self.minute,
            offset / 60,
            offset % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workshop() -> LocalDateTime {
        LocalDateTime {
            date: LocalDate {
                year: 2024,
                month: 7,
                day: 21,
            },
            hour: 11,
            minute: 0,
            utc_offset_minutes: 180,
        }
    }

    #[test]
    fn formats_date_and_time_the_bulgarian_way() {
        assert_eq!(workshop().format(Lang::Bg), "21 юли 2024\u{a0}г., 11:00\u{a0}ч.");
        assert_eq!(workshop().format(Lang::En), "21 July 2024, 11:00");
    }

    #[test]
    fn iso_carries_the_sofia_offset() {
        assert_eq!(workshop().iso(), "2024-07-21T11:00:00+03:00");
        let winter = LocalDateTime {
            utc_offset_minutes: 120,
            ..workshop()
        };
        assert!(winter.iso().ends_with("+02:00"));
    }
}
