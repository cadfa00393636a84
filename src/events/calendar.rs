//! The `.ics` of an event (RFC 5545): local Sofia times with `TZID=Europe/Sofia` and the zone's
//! definition, so calendars show 11:00 for an 11:00 event in summer and in winter alike.
use crate::domain::{Lang, multi_line, single_line};
use crate::server::store::EventRecord;
use chrono::{TimeZone, Utc};
use chrono_tz::Europe::Sofia;
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike};

const TZID: &str = "Europe/Sofia";

/// Europe/Sofia as EU rules have had it since 1997: EEST from the last Sunday of March
/// 03:00, EET from the last Sunday of October 04:00.
const SOFIA_VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Sofia\r\n\
BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0300\r\nTZNAME:EEST\r\nDTSTART:19700329T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200\r\nTZNAME:EET\r\nDTSTART:19701025T040000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n\
END:VTIMEZONE\r\n";

fn sofia_local(unix_seconds: i64) -> CalendarDateTime {
    let local = Utc
        .timestamp_opt(unix_seconds, 0)
        .single()
        .unwrap_or_default()
        .with_timezone(&Sofia)
        .naive_local();
    CalendarDateTime::WithTimezone {
        date_time: local,
        tzid: TZID.to_owned(),
    }
}

pub fn ics(event: &EventRecord, lang: Lang, public_url: &str) -> String {
    let url = format!(
        "{}{}",
        public_url.trim_end_matches('/'),
        crate::locale::href(lang, &format!("events/{}", event.slug))
    );
    // Text lines of the calendar: nothing stored may start a property of its own.
    let title = single_line(&event.title);
    let mut entry = Event::new();
    entry
        .uid(&format!("event-{}@ngo-portal", event.slug))
        .summary(&title)
        .description(&format!("{}\n\n{url}", multi_line(&event.summary)))
        .location(&single_line(&format!("{}, {}", event.venue_name, event.venue_address)))
        .starts(sofia_local(event.starts_at))
        .ends(sofia_local(event.ends_at))
        .url(&url);
    if event.cancelled {
        entry.status(icalendar::EventStatus::Cancelled);
    }
    let calendar = Calendar::new().name(&title).push(entry.done()).done().to_string();
    // The zone definition goes before the first component that uses it.
    match calendar.find("BEGIN:VEVENT") {
        Some(at) => format!("{}{SOFIA_VTIMEZONE}{}", &calendar[..at], &calendar[at..]),
        None => calendar,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use icalendar::parser::{read_calendar, unfold};

    fn workshop(starts_at: i64) -> EventRecord {
        EventRecord {
            id: 1,
            slug: "summer-art-party".parse().unwrap(),
            code_prefix: "LP".into(),
            title: "Лятно парти".into(),
            summary: "Безплатна работилница по рисуване".into(),
            body_md: String::new(),
            venue_name: "Читалище „Светлина 1926“".into(),
            venue_address: "ул. „Шипка“ 12, София".into(),
            map_url: None,
            organiser: "Читалище".into(),
            organiser_slug: "chitalishte-svetlina".into(),
            starts_at,
            ends_at: starts_at + 150 * 60,
            registration_opens_at: 0,
            registration_closes_at: starts_at,
            price_eur_cents: None,
            min_age: 4,
            max_age: 12,
            capacity: 30,
            confirmed_children: 0,
            waitlisted_children: 0,
            cancelled: false,
            updated_at: 0,
            draft: false,
            lang: Lang::Bg,
            translated: true,
            cover: None,
            tags: vec![],
        }
    }

    /// DTSTART of the parsed-back calendar: (TZID parameter, value).
    fn start_of(ics_text: &str) -> (String, String) {
        let unfolded = unfold(ics_text);
        let calendar = read_calendar(&unfolded).expect("the .ics parses");
        let event = calendar
            .components
            .iter()
            .find(|c| c.name == "VEVENT")
            .expect("one VEVENT");
        let start = event.properties.iter().find(|p| p.name == "DTSTART").expect("DTSTART");
        let tzid = start
            .params
            .iter()
            .find(|p| p.key == "TZID")
            .and_then(|p| p.val.as_ref())
            .map(|v| v.to_string());
        (tzid.unwrap_or_default(), start.val.to_string())
    }

    #[test]
    fn july_eleven_o_clock_in_sofia_is_eleven_o_clock_in_the_calendar() {
        // 21 July 2024 11:00 in Sofia is 08:00 UTC (EEST, UTC+3).
        let starts = Utc.with_ymd_and_hms(2024, 7, 21, 8, 0, 0).unwrap().timestamp();
        let text = ics(&workshop(starts), Lang::Bg, "https://portal.test");
        assert_eq!(
            start_of(&text),
            ("Europe/Sofia".to_owned(), "20240721T110000".to_owned())
        );
        assert!(text.contains("BEGIN:VTIMEZONE") && text.contains("TZID:Europe/Sofia"));
        assert!(text.contains("SUMMARY:Лятно парти"));
        assert!(text.contains("https://portal.test/bg/events/summer-art-party"));
    }

    #[test]
    fn january_eleven_o_clock_in_sofia_is_eleven_o_clock_in_the_calendar() {
        // 18 January 2025 11:00 in Sofia is 09:00 UTC (EET, UTC+2).
        let starts = Utc.with_ymd_and_hms(2025, 1, 18, 9, 0, 0).unwrap().timestamp();
        let text = ics(&workshop(starts), Lang::En, "https://portal.test");
        assert_eq!(
            start_of(&text),
            ("Europe/Sofia".to_owned(), "20250118T110000".to_owned())
        );
    }
}
