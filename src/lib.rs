//! The NGO portal: one crate, built as the server (`ssr`) and as the browser bundle (`hydrate`).
#![recursion_limit = "256"]

// The server and the browser bundle must render the same markers for hydration: both erase
// component types (.cargo/config.toml). A `RUSTFLAGS` in the environment replaces that setting.
#[cfg(not(erase_components))]
compile_error!("build with `--cfg erase_components` (.cargo/config.toml sets it; add it to RUSTFLAGS if you set that)");

// The admin pages: in the server and the admin bundle (`--features hydrate,admin`), not in
// the bundle every visitor loads.
#[cfg(any(feature = "ssr", feature = "admin"))]
pub mod admin;
pub mod app;
pub mod cards;
pub mod domain;
pub mod error;
pub mod events;
pub mod locale;
pub mod ngos;
pub mod posts;
#[cfg(feature = "ssr")]
pub mod related;
pub mod search;
#[cfg(feature = "ssr")]
pub mod server;
pub mod site;
pub mod wire;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub async fn hydrate() {
    console_error_panic_hook::set_once();
    // `pwa.js` calls this once the server-rendered page has loaded; from then on the router
    // renders every page in the browser. Parts of the page follow in tasks of their own
    // (`site::later`); the promise resolves once the whole page is interactive.
    site::later::hydrate_page(app::App).await;
}
