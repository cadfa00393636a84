//! The 28 oblasti as a tile map: each a square in roughly its place (the Danube row on top,
//! the Rhodopes at the bottom), shaded by how many NGOs it has with the other filters as they
//! are; a tap filters the directory by it (a link: it works without JavaScript too).
use super::model::Choice;
use crate::domain::{Lang, Region, format_count};
use crate::i18n::*;
use leptos::prelude::*;

/// Five shades, the darkest for the largest count.
const SHADES: u64 = 5;

/// A short name fitting a tile: initials of a name of two words (ВТ, SZ, СС for „София
/// (столица)“), else its first three letters (ВИД, PLO).
pub fn short_name(name: &str) -> String {
    let parts: Vec<&str> = name
        .split(|c: char| !c.is_alphabetic())
        .filter(|part| !part.is_empty())
        .collect();
    if parts.len() > 1 {
        parts
            .iter()
            .filter_map(|part| part.chars().next())
            .collect::<String>()
            .to_uppercase()
    } else {
        name.chars().take(3).collect::<String>().to_uppercase()
    }
}

/// The regions with their counts, each linking to `href_of(code)` (the chosen one, `chosen`,
/// back to all regions).
#[component]
pub fn Cartogram(
    regions: Vec<Choice>,
    chosen: String,
    lang: Lang,
    href_of: impl Fn(&str) -> String + 'static,
) -> impl IntoView {
    let locale = crate::site::page_locale();
    let most = regions.iter().map(|choice| choice.count).max().unwrap_or(0).max(1);
    let tiles = regions
        .into_iter()
        .filter_map(|choice| {
            let region = Region::by_code(&choice.code)?;
            let name = region.name(lang);
            // On a square-root scale: the capital has a quarter of the sector, and a linear
            // scale would leave every other oblast the palest shade.
            let share = (choice.count as f64 / most as f64).sqrt();
            let shade = if choice.count == 0 {
                0
            } else {
                1 + (share * (SHADES - 1) as f64).floor() as u64
            };
            let is_chosen = choice.code == chosen;
            let href = if is_chosen { href_of("") } else { href_of(&choice.code) };
            let label = format!("{name}: {}", format_count(choice.count, lang));
            Some(view! {
                <a class=format!("tile tile--{} tile--shade-{shade}", choice.code) href=href
                    aria-current=is_chosen.then_some("true") aria-label=label.clone() title=label>
                    <span class="tile__name" aria-hidden="true">{short_name(name)}</span>
                    <span class="tile__count" aria-hidden="true">{format_count(choice.count, lang)}</span>
                </a>
            })
        })
        .collect_view();
    view! {
        <nav class="cartogram" aria-label=td_string!(locale, directory_map) data-testid="cartogram">
            <p class="cartogram__title">{td_string!(locale, directory_map)}</p>
            <div class="cartogram__grid">{tiles}</div>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::REGIONS;

    #[test]
    fn every_oblast_has_its_own_short_name_in_both_languages() {
        for lang in Lang::ALL {
            let mut names: Vec<String> = REGIONS.iter().map(|region| short_name(region.name(lang))).collect();
            assert!(
                names.iter().all(|name| (2..=3).contains(&name.chars().count())),
                "{names:?}"
            );
            names.sort();
            names.dedup();
            assert_eq!(names.len(), 28, "{lang:?}: {names:?}");
        }
        assert_eq!(short_name("Велико Търново"), "ВТ");
        assert_eq!(short_name("Пловдив"), "ПЛО");
        assert_eq!(short_name("София (столица)"), "СС");
    }
}
