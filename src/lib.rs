//! The NGO portal: one crate, built as the server (`ssr`) and as the browser bundle (`hydrate`).
#![recursion_limit = "256"]

pub mod app;
pub mod cards;
pub mod domain;
pub mod error;
pub mod events;
pub mod locale;
pub mod posts;
#[cfg(feature = "ssr")]
pub mod related;
#[cfg(feature = "ssr")]
pub mod server;
pub mod site;
pub mod wire;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // `pwa.js` calls this once the server-rendered page has loaded; from then on the router
    // renders every page in the browser.
    leptos::mount::hydrate_body(app::App);
}
