//! Bulgarian to Latin as the law has it (Закон за транслитерацията, 2009: щ → sht, ъ → a,
//! ю → yu, я → ya, „ия“ at the end of a word → ia, and the country's own name, България →
//! Bulgaria, as its one exception), and the slugs of titles.
use super::Slug;

/// The Latin spelling of one Cyrillic letter (lower case), if it is Bulgarian.
fn latin(letter: char) -> Option<&'static str> {
    Some(match letter {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "sht",
        'ъ' => "a",
        'ь' => "y",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

/// `text` in Latin letters, lower case; what is not Bulgarian Cyrillic is kept as it is.
pub fn transliterate(text: &str) -> String {
    const COUNTRY: [char; 8] = ['б', 'ъ', 'л', 'г', 'а', 'р', 'и', 'я'];
    let lower: Vec<char> = text.to_lowercase().chars().collect();
    let mut out = String::with_capacity(lower.len() * 2);
    let mut skip = 0;
    for (i, letter) in lower.iter().enumerate() {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        let word_starts = i == 0 || !lower[i - 1].is_alphabetic();
        let is_country = lower.get(i..i + COUNTRY.len()) == Some(&COUNTRY[..])
            && lower.get(i + COUNTRY.len()).is_none_or(|next| !next.is_alphabetic());
        if word_starts && is_country {
            out.push_str("bulgaria");
            skip = COUNTRY.len() - 1;
            continue;
        }
        let word_ends = lower.get(i + 1).is_none_or(|next| !next.is_alphabetic());
        if *letter == 'я' && i > 0 && lower[i - 1] == 'и' && word_ends {
            out.push('a');
            continue;
        }
        match latin(*letter) {
            Some(spelled) => out.push_str(spelled),
            None => out.push(*letter),
        }
    }
    out
}

/// The slug of a title: transliterated, ASCII letters and digits joined by single hyphens (other
/// letters are left out), cut at a word within the slug's length. `None` for a title with no
/// letters or digits.
pub fn slug_of_title(title: &str) -> Option<Slug> {
    let latin = transliterate(title);
    let mut slug = String::new();
    for word in latin
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let needed = word.len() + usize::from(!slug.is_empty());
        if slug.len() + needed > Slug::MAX_LEN {
            if slug.is_empty() {
                slug.push_str(&word[..Slug::MAX_LEN]);
            }
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    slug.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_follow_the_transliteration_act() {
        assert_eq!(transliterate("Щастливи деца"), "shtastlivi detsa");
        assert_eq!(transliterate("Жълт чадър"), "zhalt chadar");
        assert_eq!(transliterate("Юлиян и Явор"), "yuliyan i yavor");
        assert_eq!(transliterate("Хуманитарна помощ"), "humanitarna pomosht");
        assert_eq!(transliterate("Гьоте"), "gyote");
        assert_eq!(transliterate("Йордан"), "yordan");
    }

    #[test]
    fn ia_at_the_end_of_a_word_is_ia() {
        assert_eq!(
            transliterate("България"),
            "bulgaria",
            "the country's name, by exception"
        );
        assert_eq!(transliterate("Българият"), "balgariyat");
        assert_eq!(transliterate("София, Мария."), "sofia, maria.");
        // Not at the end of a word: я is ya.
        assert_eq!(transliterate("Ияшки"), "iyashki");
    }

    #[test]
    fn titles_become_slugs() {
        assert_eq!(
            slug_of_title("Лятно парти").map(String::from),
            Some("lyatno-parti".into())
        );
        assert_eq!(
            slug_of_title("„Лятно парти“ – безплатна работилница по рисуване за деца").map(String::from),
            Some("lyatno-parti-bezplatna-rabotilnitsa-po-risuvane-za-detsa".into())
        );
        assert_eq!(
            slug_of_title("НПО в България 2026: 14 427 организации!").map(String::from),
            Some("npo-v-bulgaria-2026-14-427-organizatsii".into())
        );
        // Letters neither Bulgarian nor ASCII are left out (the editor can correct the slug).
        assert_eq!(slug_of_title("Café & Ärzte").map(String::from), Some("caf-rzte".into()));
        assert_eq!(slug_of_title("— … —"), None);
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        let title = "дума ".repeat(40);
        let slug = slug_of_title(&title).map(String::from).unwrap_or_default();
        assert!(slug.len() <= Slug::MAX_LEN);
        assert!(slug.ends_with("duma"));
    }
}
