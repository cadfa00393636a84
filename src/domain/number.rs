use super::Lang;

/// Formats a whole count the way each language writes it: Bulgarian groups thousands with a
/// no-break space only from five digits on (CLDR minimum grouping of 2: „1427“, „14 427“),
/// English with a comma („1,427“, „14,427“).
pub fn format_count(count: u64, lang: Lang) -> String {
    let digits = count.to_string();
    let (separator, min_digits_to_group) = match lang {
        Lang::Bg => ('\u{a0}', 5),
        Lang::En => (',', 4),
    };
    if digits.len() < min_digits_to_group {
        return digits;
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulgarian_groups_from_five_digits_with_no_break_space() {
        assert_eq!(format_count(7, Lang::Bg), "7");
        assert_eq!(format_count(1427, Lang::Bg), "1427");
        assert_eq!(format_count(14427, Lang::Bg), "14\u{a0}427");
        assert_eq!(format_count(1_234_567, Lang::Bg), "1\u{a0}234\u{a0}567");
    }

    #[test]
    fn english_groups_from_four_digits_with_comma() {
        assert_eq!(format_count(999, Lang::En), "999");
        assert_eq!(format_count(1427, Lang::En), "1,427");
        assert_eq!(format_count(14427, Lang::En), "14,427");
        assert_eq!(format_count(100_000, Lang::En), "100,000");
    }
}
