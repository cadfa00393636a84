//! The NGO directory in the admin (`/{lang}/admin/ngos`, admins): find an organisation to
//! look after its logo (`finder`, `logo`); download the directory whole as CSV, or import a
//! file (`csv`).
mod api;
mod csv;
mod finder;
mod logo;
pub mod model;

use crate::i18n::*;
use crate::locale::href;
use crate::site::{PageMeta, private_page, use_lang};
use leptos::prelude::*;
pub use logo::NgoLogoPage;
pub use model::{NgoImportProgress, NgoLogo};

#[component]
pub fn NgoCsvPage() -> impl IntoView {
    private_page();
    let locale = crate::site::page_locale();
    let lang = use_lang();
    view! {
        <PageMeta title=td_string!(locale, admin_ngos_title).to_string() description=String::new() path=None />
        <section class="admin-page import">
            <p class="admin-page__back"><a href=href(lang, "admin")>{td_string!(locale, door_back)}</a></p>
            <h1>{td_string!(locale, admin_ngos_title)}</h1>
            <finder::NgoFinder />
            <csv::CsvSection />
        </section>
    }
}
