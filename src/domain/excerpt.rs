/// Shortens `text` to at most `max_chars` characters, cutting only between words and marking
/// the cut with an ellipsis. Text that fits is returned unchanged.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    // Byte index of the first character that no longer fits (one is kept for the ellipsis).
    let limit = text
        .char_indices()
        .nth(max_chars.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    let next_is_boundary = text[limit..].starts_with(char::is_whitespace);
    let head = &text[..limit];
    let cut = if next_is_boundary {
        head
    } else {
        // Drop the partial last word; a single overlong word is the only case cut mid-word.
        head.rfind(char::is_whitespace).map_or(head, |i| &head[..i])
    };
    let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '—' | '–' | '-'));
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_unchanged() {
        assert_eq!(excerpt("  Лятно парти  ", 40), "Лятно парти");
    }

    #[test]
    fn cuts_at_a_word_boundary_with_an_ellipsis() {
        let text = "Безплатна работилница по рисуване за деца от 4 до 12 години";
        let short = excerpt(text, 30);
        assert_eq!(short, "Безплатна работилница по…");
        assert!(short.chars().count() <= 30);
        let words: Vec<&str> = text.split_whitespace().collect();
        for word in short.trim_end_matches('…').split_whitespace() {
            assert!(words.contains(&word), "{word} was cut mid-word");
        }
    }

    #[test]
    fn never_ends_on_dangling_punctuation() {
        assert_eq!(excerpt("One, two, three four five", 10), "One, two…");
    }

    #[test]
    fn cut_exactly_before_a_space_keeps_the_last_word() {
        assert_eq!(excerpt("alpha beta gamma", 11), "alpha beta…");
    }
}
