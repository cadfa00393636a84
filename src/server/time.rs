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

#[cfg(test)]
mod tests {
    use super::*;

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
