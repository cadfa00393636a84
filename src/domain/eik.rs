//! ЕИК (BULSTAT): the Bulgarian register number of a legal person. Nine digits, or thirteen
//! for a branch; the ninth (and thirteenth) digit is a checksum by the Registry Agency's rule.
use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Eik(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidEik {
    #[error("an ЕИК has 9 or 13 digits")]
    Length,
    #[error("the ЕИК's check digit does not match")]
    Checksum,
}

/// The check digit of `digits` with `weights`, else with `fallback` weights, else 0 (the rule
/// for both the 9th and the 13th digit).
fn check_digit(digits: &[u32], weights: [u32; 8], fallback: [u32; 8], count: usize) -> u32 {
    let sum = |weights: [u32; 8]| -> u32 { digits.iter().zip(&weights[..count]).map(|(d, w)| d * w).sum::<u32>() % 11 };
    match sum(weights) {
        10 => match sum(fallback) {
            10 => 0,
            digit => digit,
        },
        digit => digit,
    }
}

/// The 9th digit of an ЕИК from its first eight.
pub fn eik_check_digit(first_eight: &[u32; 8]) -> u32 {
    check_digit(first_eight, [1, 2, 3, 4, 5, 6, 7, 8], [3, 4, 5, 6, 7, 8, 9, 10], 8)
}

impl FromStr for Eik {
    type Err = InvalidEik;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let digits: Vec<u32> = raw
            .trim()
            .chars()
            .map(|c| c.to_digit(10))
            .collect::<Option<_>>()
            .ok_or(InvalidEik::Length)?;
        if digits.len() != 9 && digits.len() != 13 {
            return Err(InvalidEik::Length);
        }
        let first_eight: [u32; 8] = digits[..8].try_into().map_err(|_| InvalidEik::Length)?;
        if eik_check_digit(&first_eight) != digits[8] {
            return Err(InvalidEik::Checksum);
        }
        if digits.len() == 13 {
            let branch = &digits[8..12];
            let pad = |w: [u32; 4]| [w[0], w[1], w[2], w[3], 0, 0, 0, 0];
            if check_digit(branch, pad([2, 7, 3, 5]), pad([4, 9, 5, 7]), 4) != digits[12] {
                return Err(InvalidEik::Checksum);
            }
        }
        Ok(Eik(digits
            .iter()
            .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
            .collect()))
    }
}

validated_string!(Eik, InvalidEik);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_digit_numbers_are_checked_by_both_weight_rounds() {
        // 831642181: the first round (weights 1..8) gives the check digit.
        assert!("831642181".parse::<Eik>().is_ok());
        assert_eq!("831642182".parse::<Eik>(), Err(InvalidEik::Checksum));
        // 00000004: the first round gives 10 (4 × 8 = 32 ≡ 10), the second 4 × 10 = 40 ≡ 7.
        assert!("000000047".parse::<Eik>().is_ok());
        assert_eq!("000000040".parse::<Eik>(), Err(InvalidEik::Checksum));
        assert_eq!(" 121 ".parse::<Eik>(), Err(InvalidEik::Length));
        assert_eq!("12345678a".parse::<Eik>(), Err(InvalidEik::Length));
    }

    #[test]
    fn thirteen_digit_branch_numbers_check_their_last_digit_too() {
        // The company's nine digits, a branch number of three, and a check digit over the
        // 9th to 12th digits (weights 2, 7, 3, 5, then 4, 9, 5, 7).
        let pad = |w: [u32; 4]| [w[0], w[1], w[2], w[3], 0, 0, 0, 0];
        let last = check_digit(&[1, 0, 0, 1], pad([2, 7, 3, 5]), pad([4, 9, 5, 7]), 4);
        assert_eq!(last, 7, "1·2 + 1·5 = 7");
        assert!("8316421810017".parse::<Eik>().is_ok());
        assert_eq!("8316421810018".parse::<Eik>(), Err(InvalidEik::Checksum));
        // A branch of a company whose own number is wrong is wrong.
        assert_eq!("8316421820017".parse::<Eik>(), Err(InvalidEik::Checksum));
    }
}
