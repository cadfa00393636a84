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

/// How many readings [`cyrillic_readings`] gives at most.
const MAX_READINGS: usize = 4;

/// What Latin letters typed for Bulgarian words read as in Cyrillic (lower case): the law's
/// spellings back (`sht` → щ, `zh` → ж, `ya` → я, `ia` at a word's end → ия, `bulgaria` →
/// българия) and common informal ones (`c`, `tz` → ц, `ja` → я, `ju` → ю, `w` → в, `x` → кс).
/// `a` stays а although the law writes ъ the same way: the search's tolerance of one wrong
/// letter finds `balgarski` as „български“. What is not a Latin letter is kept. The first
/// reading of `ts` is ц (`rabotilnitsa`); where it may be т and с (`detska`, `otstapka`) both
/// are given, up to [`MAX_READINGS`] readings, the all-ц one first.
pub fn cyrillic_readings(text: &str) -> Vec<String> {
    const SPELLINGS: [(&str, &str); 12] = [
        ("sht", "щ"),
        ("zh", "ж"),
        ("ch", "ч"),
        ("sh", "ш"),
        ("tz", "ц"),
        ("yu", "ю"),
        ("ju", "ю"),
        ("ya", "я"),
        ("ja", "я"),
        ("dj", "дж"),
        ("x", "кс"),
        ("q", "к"),
    ];
    let lower = text.to_lowercase();
    let mut readings = vec![String::with_capacity(lower.len() * 2)];
    let push = |readings: &mut Vec<String>, piece: &str| readings.iter_mut().for_each(|r| r.push_str(piece));
    let mut rest = lower.as_str();
    let mut word_starts = true;
    while let Some(letter) = rest.chars().next() {
        let next_is_letter = |skip: usize| rest[skip..].chars().next().is_some_and(char::is_alphabetic);
        let (piece, taken): (&str, usize) = if word_starts && rest.starts_with("bulgaria") && !next_is_letter(8) {
            ("българия", 8)
        } else if rest.starts_with("ts") {
            if readings.len() * 2 <= MAX_READINGS {
                let split: Vec<String> = readings.iter().map(|r| format!("{r}тс")).collect();
                push(&mut readings, "ц");
                readings.extend(split);
            } else {
                push(&mut readings, "ц");
            }
            rest = &rest[2..];
            word_starts = false;
            continue;
        } else if let Some((latin, cyrillic)) = SPELLINGS.iter().find(|(latin, _)| rest.starts_with(latin)) {
            (cyrillic, latin.len())
        } else if rest.starts_with("ia") && !next_is_letter(2) {
            ("ия", 2)
        } else {
            let cyrillic = match letter {
                'a' => "а",
                'b' => "б",
                'v' | 'w' => "в",
                'g' => "г",
                'd' => "д",
                'e' => "е",
                'z' => "з",
                'i' => "и",
                'y' | 'j' => "й",
                'k' => "к",
                'l' => "л",
                'm' => "м",
                'n' => "н",
                'o' => "о",
                'p' => "п",
                'r' => "р",
                's' => "с",
                't' => "т",
                'u' => "у",
                'f' => "ф",
                'h' => "х",
                'c' => "ц",
                _ => &rest[..letter.len_utf8()],
            };
            (cyrillic, letter.len_utf8())
        };
        push(&mut readings, piece);
        word_starts = !letter.is_alphabetic();
        rest = &rest[taken..];
    }
    readings
}

/// The first of [`cyrillic_readings`] of `text`.
pub fn to_cyrillic(text: &str) -> String {
    cyrillic_readings(text).swap_remove(0)
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
    fn latin_spellings_read_back_as_cyrillic() {
        assert_eq!(to_cyrillic("sdruzhenie varna"), "сдружение варна");
        assert_eq!(
            cyrillic_readings("Detska rabotilnitsa"),
            [
                "децка работилница",
                "детска работилница",
                "децка работилнитса",
                "детска работилнитса"
            ]
        );
        assert_eq!(to_cyrillic("shtastlivi detsa"), "щастливи деца");
        assert_eq!(to_cyrillic("Sofia, Maria."), "софия, мария.");
        assert_eq!(to_cyrillic("Bulgaria"), "българия");
        assert_eq!(to_cyrillic("bulgarian"), "булгариан");
        assert_eq!(to_cyrillic("yordan i yavor"), "йордан и явор");
        // Informal spellings people type.
        assert_eq!(to_cyrillic("rabotilnica"), "работилница");
        assert_eq!(to_cyrillic("jana"), "яна");
        // ъ written as a comes back as а: one letter for the search's tolerance to mend.
        assert_eq!(to_cyrillic("wazrazhdane"), "вазраждане");
        // `ts` is ц or тс: every reading, up to four.
        assert_eq!(cyrillic_readings("otstapka"), ["оцтапка", "отстапка"]);
        assert_eq!(cyrillic_readings("ts ts ts ts").len(), 4);
        // Digits and Cyrillic are kept.
        assert_eq!(to_cyrillic("Читалище 1926"), "читалище 1926");
    }

    #[test]
    fn both_ways_give_the_words_back() {
        for words in [
            "сдружение за детска работилница",
            "щастливи деца в пловдив",
            "фондация земя",
            "в българия",
        ] {
            assert!(
                cyrillic_readings(&transliterate(words)).contains(&words.to_owned()),
                "{words}"
            );
        }
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
