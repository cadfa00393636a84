//! Generates the `i18n` module from `locales/*.json` (Bulgarian is the default locale).
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    // Set by .cargo/config.toml for both builds (see `src/lib.rs`).
    println!("cargo::rustc-check-cfg=cfg(erase_components)");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    // `interpolate_display`: texts with values (`{{ count }}`) as strings too, for mail and
    // attributes, not only as views.
    let config = Config::new("bg")?
        .add_locale("en")?
        .parse_options(ParseOptions::new().interpolate_display(true));
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out_dir.join("i18n"))?;
    Ok(())
}
