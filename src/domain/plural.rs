use super::Lang;

/// "places left" with the plural form each language needs: Bulgarian „Остава 1 място“ /
/// „Остават 7 места“, English "1 place left" / "7 places left".
pub fn places_left(count: u32, lang: Lang) -> String {
    match (lang, count) {
        (Lang::Bg, 1) => "Остава 1 място".to_owned(),
        (Lang::Bg, n) => format!("Остават {n} места"),
        (Lang::En, 1) => "1 place left".to_owned(),
        (Lang::En, n) => format!("{n} places left"),
    }
}

/// "N places" (capacity) in each language: „1 място“, „30 места“.
pub fn places(count: u32, lang: Lang) -> String {
    match (lang, count) {
        (Lang::Bg, 1) => "1 място".to_owned(),
        (Lang::Bg, n) => format!("{n} места"),
        (Lang::En, 1) => "1 place".to_owned(),
        (Lang::En, n) => format!("{n} places"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulgarian_singular_and_plural_of_mqsto() {
        assert_eq!(places_left(1, Lang::Bg), "Остава 1 място");
        assert_eq!(places_left(2, Lang::Bg), "Остават 2 места");
        assert_eq!(places_left(7, Lang::Bg), "Остават 7 места");
        assert_eq!(places_left(21, Lang::Bg), "Остават 21 места");
        assert_eq!(places(1, Lang::Bg), "1 място");
        assert_eq!(places(30, Lang::Bg), "30 места");
    }

    #[test]
    fn english_singular_and_plural() {
        assert_eq!(places_left(1, Lang::En), "1 place left");
        assert_eq!(places_left(7, Lang::En), "7 places left");
        assert_eq!(places(30, Lang::En), "30 places");
    }
}
