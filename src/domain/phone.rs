use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// A phone number in E.164 (`+359888123456`). Bulgarian numbers are accepted the ways people
/// write them — `0888 123 456`, `+359 888 123 456`, `00359 88 812 3456`, `(02) 987 65 43` —
/// and foreign ones in international form (`+380 67 123 4567`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a valid phone number")]
pub struct InvalidPhone;

validated_string!(Phone, InvalidPhone);

/// Bulgarian national significant numbers: mobiles (87, 88, 89, 98) have 9 digits, landlines
/// 8 (area code and subscriber number, e.g. Sofia 2 + 7 digits, Varna 52 + 6).
fn valid_bulgarian_nsn(nsn: &str) -> bool {
    let mobile = ["87", "88", "89", "98"].iter().any(|prefix| nsn.starts_with(prefix));
    let expected = if mobile { 9 } else { 8 };
    nsn.len() == expected && !nsn.starts_with('0')
}

impl FromStr for Phone {
    type Err = InvalidPhone;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let raw = raw.trim();
        if raw
            .chars()
            .any(|c| !(c.is_ascii_digit() || " -./()+\u{a0}".contains(c)))
        {
            return Err(InvalidPhone);
        }
        let plus = raw.starts_with('+');
        if raw[usize::from(plus)..].contains('+') {
            return Err(InvalidPhone);
        }
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        let international = if plus {
            digits
        } else if let Some(rest) = digits.strip_prefix("00") {
            rest.to_owned()
        } else if let Some(nsn) = digits.strip_prefix('0') {
            format!("359{nsn}")
        } else if digits.starts_with("359") {
            digits
        } else {
            return Err(InvalidPhone);
        };
        let valid = match international.strip_prefix("359") {
            Some(nsn) => valid_bulgarian_nsn(nsn),
            // E.164: a country code that does not start with 0, at most 15 digits in all.
            None => (8..=15).contains(&international.len()) && !international.starts_with('0'),
        };
        if valid {
            Ok(Phone(format!("+{international}")))
        } else {
            Err(InvalidPhone)
        }
    }
}

/// A stored (E.164) number as people read and dial it here: Bulgarian ones in national form
/// grouped by three (`0888 123 456`), foreign ones as stored. Spaced, a spreadsheet keeps it as
/// text (no leading zero or plus lost to a number).
pub fn phone_for_people(e164: &str) -> String {
    let Some(nsn) = e164.strip_prefix("+359") else {
        return e164.to_owned();
    };
    let national = format!("0{nsn}");
    let (head, rest) = national.split_at(national.len().min(4));
    let groups: Vec<String> = rest
        .as_bytes()
        .chunks(3)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect();
    std::iter::once(head.to_owned())
        .chain(groups)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulgarian_numbers_read_in_national_form_foreign_ones_as_stored() {
        assert_eq!(phone_for_people("+359888123456"), "0888 123 456");
        assert_eq!(phone_for_people("+35929876543"), "0298 765 43");
        assert_eq!(phone_for_people("+380671234567"), "+380671234567");
    }

    fn e164(raw: &str) -> Result<String, InvalidPhone> {
        raw.parse::<Phone>().map(String::from)
    }

    #[test]
    fn bulgarian_mobile_numbers_in_every_usual_spelling() {
        for raw in [
            "0888 123 456",
            "0888123456",
            "+359 888 123 456",
            "+359888123456",
            "00359 888 123 456",
            "359888123456",
            "0888-123-456",
            " 0888.123.456 ",
        ] {
            assert_eq!(e164(raw), Ok("+359888123456".into()), "{raw}");
        }
    }

    #[test]
    fn bulgarian_landlines() {
        assert_eq!(e164("(02) 987 65 43"), Ok("+35929876543".into()));
        assert_eq!(e164("052 612 345"), Ok("+35952612345".into()));
    }

    #[test]
    fn foreign_numbers_in_international_form() {
        assert_eq!(e164("+380 67 123 4567"), Ok("+380671234567".into()));
        assert_eq!(e164("0044 20 7946 0958"), Ok("+442079460958".into()));
    }

    #[test]
    fn rejects_what_is_not_a_phone_number() {
        for raw in [
            "",
            "088812345",
            "08881234567",
            "0888 123 45a",
            "+359 0888 123 456",
            "12345",
            "+1 2",
            "++359888123456",
            "888123456",
            "phone",
        ] {
            assert_eq!(e164(raw), Err(InvalidPhone), "{raw}");
        }
    }
}
