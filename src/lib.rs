//! The NGO portal: one crate, built as the server (`ssr`) and as the browser bundle (`hydrate`).
#![recursion_limit = "256"]

pub mod app;
pub mod domain;
pub mod error;
pub mod events;
pub mod locale;
pub mod posts;
#[cfg(feature = "ssr")]
pub mod server;
pub mod site;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // The islands hydrate right after this returns, all within the current task; the mark
    // tells end-to-end tests (and curious people) that the page is interactive.
    leptos::prelude::set_timeout(
        || {
            if let Some(body) = leptos::prelude::document().body() {
                let _ = body.set_attribute("data-hydrated", "");
            }
        },
        std::time::Duration::ZERO,
    );
}
