//! Instants are stored as UTC seconds and shown as Sofia calendar dates.
use crate::domain::{LocalDate, LocalDateTime};
use chrono::{Datelike, Offset, TimeZone, Timelike, Utc};
use chrono_tz::Europe::Sofia;

/// Now, in Unix seconds.
pub fn now() -> i64 {
    Utc::now().timestamp()
}

/// The date in Sofia of a UTC instant given in Unix seconds.
pub fn sofia_date(unix_seconds: i64) -> LocalDate {
    sofia_datetime(unix_seconds).date
}

/// The Sofia wall-clock time of a UTC instant given in Unix seconds.
pub fn sofia_datetime(unix_seconds: i64) -> LocalDateTime {
    let local = Utc
        .timestamp_opt(unix_seconds, 0)
        .single()
        .unwrap_or_default()
        .with_timezone(&Sofia);
    let offset_seconds = local.offset().fix().local_minus_utc();
    LocalDateTime {
        date: LocalDate {
            year: local.year(),
            month: u8::try_from(local.month()).unwrap_or(1),
            day: u8::try_from(local.day()).unwrap_or(1),
        },
        hour: u8::try_from(local.hour()).unwrap_or(0),
        minute: u8::try_from(local.minute()).unwrap_or(0),
        utc_offset_minutes: i16::try_from(offset_seconds / 60).unwrap_or(0),
    }
}

/// The instant of a Sofia wall-clock time as a `datetime-local` input writes it
/// (`2026-12-01T10:30`). In the hour skipped when clocks go forward, the earliest valid reading.
pub fn sofia_input_to_unix(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    let naive = chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    match Sofia.from_local_datetime(&naive) {
        chrono::LocalResult::Single(local) => Some(local.timestamp()),
        chrono::LocalResult::Ambiguous(earliest, _) => Some(earliest.timestamp()),
        // Clocks jumped over it: the same reading an hour on.
        chrono::LocalResult::None => Sofia
            .from_local_datetime(&(naive + chrono::Duration::hours(1)))
            .earliest()
            .map(|local| local.timestamp()),
    }
}

/// A UTC instant as a `datetime-local` input shows it in Sofia (`2026-12-01T10:30`).
pub fn sofia_input(unix_seconds: i64) -> String {
    let local = sofia_datetime(unix_seconds);
    format!("{}T{:02}:{:02}", local.date.iso(), local.hour, local.minute)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_sofia_time_round_trips_in_summer_and_winter() {
        // 21 July 2024, 11:00 in Sofia is 08:00 UTC (summer time, +3).
        assert_eq!(sofia_input_to_unix("2024-07-21T11:00"), Some(1_721_548_800));
        assert_eq!(sofia_input(1_721_548_800), "2024-07-21T11:00");
        // 1 December 2026, 10:30 is 08:30 UTC (winter time, +2).
        let winter = sofia_input_to_unix("2026-12-01T10:30").unwrap();
        assert_eq!(sofia_input(winter), "2026-12-01T10:30");
        assert_eq!(sofia_input_to_unix("1 декември"), None);
        assert_eq!(sofia_input_to_unix(""), None);
        // 29 March 2026, 03:30 does not exist in Sofia (03:00 → 04:00).
        assert_eq!(
            sofia_input(sofia_input_to_unix("2026-03-29T03:30").unwrap()),
            "2026-03-29T04:30"
        );
    }

    #[test]
    fn late_evening_utc_is_already_the_next_day_in_sofia() {
        // 2024-07-20 22:30 UTC is 01:30 on 21 July in Sofia (UTC+3 in summer).
        let instant = Utc.with_ymd_and_hms(2024, 7, 20, 22, 30, 0).unwrap().timestamp();
        assert_eq!(
            sofia_date(instant),
            LocalDate {
                year: 2024,
                month: 7,
                day: 21
            }
        );
        // 2024-01-10 21:59 UTC is 23:59 in Sofia (UTC+2 in winter): still the 10th.
        let winter = Utc.with_ymd_and_hms(2024, 1, 10, 21, 59, 0).unwrap().timestamp();
        assert_eq!(
            sofia_date(winter),
            LocalDate {
                year: 2024,
                month: 1,
                day: 10
            }
        );
    }

    #[test]
    fn sofia_clock_time_with_summer_and_winter_offsets() {
        let july = sofia_datetime(Utc.with_ymd_and_hms(2024, 7, 21, 8, 0, 0).unwrap().timestamp());
        assert_eq!((july.hour, july.minute, july.utc_offset_minutes), (11, 0, 180));
        let january = sofia_datetime(Utc.with_ymd_and_hms(2025, 1, 18, 9, 0, 0).unwrap().timestamp());
        assert_eq!((january.hour, january.utc_offset_minutes), (11, 120));
    }
}
