//! The browser bundles Trunk built: hashed file names read from their `index.html`, so the SSR
//! shell links exactly the files of this build. Every visitor's bundle is in `PKG_DIR`; the
//! admin pages' (the same app with the admin routes) in `PKG_DIR/admin`.
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assets {
    /// URL of the stylesheet, e.g. `/pkg/main-1a2b.css`.
    pub stylesheet: String,
    /// The JS/wasm base name: `ngo_portal-1a2b` names `ngo_portal-1a2b.js` and
    /// `ngo_portal-1a2b_bg.wasm`.
    pub output_name: String,
    /// The stylesheet itself: small enough (≈ 3 KB brotli) to go inline in every page, which
    /// saves a phone the render-blocking request.
    pub css: Arc<str>,
    /// The admin bundle's base name, under `/pkg/admin/` (absent: not built).
    pub admin_output_name: Option<String>,
}

impl Assets {
    /// Reads `index.html` in Trunk's output directory. `None` when there is no build.
    pub fn discover(pkg_dir: &Path) -> Option<Assets> {
        let index = std::fs::read_to_string(pkg_dir.join("index.html")).ok()?;
        let mut assets = Assets::from_trunk_index(&index)?;
        let css_file = pkg_dir.join(assets.stylesheet.strip_prefix("/pkg/")?);
        assets.css = std::fs::read_to_string(css_file).ok()?.into();
        assets.admin_output_name = std::fs::read_to_string(pkg_dir.join("admin/index.html"))
            .ok()
            .and_then(|index| Assets::from_trunk_index(&index.replace("/pkg/admin/", "/pkg/")))
            .map(|admin| admin.output_name);
        if assets.admin_output_name.is_none() {
            tracing::warn!(
                "no admin bundle in {}/admin: the admin pages will not hydrate",
                pkg_dir.display()
            );
        }
        Some(assets)
    }

    /// Every visitor's bundle, as `pwa.js` loads it (`{bundle}.js`, `{bundle}_bg.wasm`).
    pub fn bundle(&self) -> String {
        format!("/pkg/{}", self.output_name)
    }

    /// The admin pages' bundle.
    pub fn admin_bundle(&self) -> Option<String> {
        self.admin_output_name.as_ref().map(|name| format!("/pkg/admin/{name}"))
    }

    /// The bundle's URLs, for the service worker's precache (the stylesheet is inline in pages).
    pub fn urls(&self) -> Vec<String> {
        vec![
            format!("/pkg/{}.js", self.output_name),
            format!("/pkg/{}_bg.wasm", self.output_name),
        ]
    }

    fn from_trunk_index(index: &str) -> Option<Assets> {
        let urls: Vec<&str> = index
            .split(['"', '\'', '=', '>', ' ', '\n'])
            .filter(|piece| piece.starts_with("/pkg/"))
            .collect();
        let stylesheet = urls.iter().find(|u| u.ends_with(".css"))?.to_string();
        let wasm = urls.iter().find(|u| u.ends_with("_bg.wasm"))?;
        let output_name = wasm.strip_prefix("/pkg/")?.strip_suffix("_bg.wasm")?.to_string();
        let js = format!("/pkg/{output_name}.js");
        urls.contains(&js.as_str()).then_some(Assets {
            stylesheet,
            output_name,
            css: Arc::from(""),
            admin_output_name: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hashed_names_from_trunk_index() {
        let index = r#"<html><head>
<link rel="stylesheet" href="/pkg/main-8d2c0f.css" integrity="sha384-x"/>
<link rel="modulepreload" href="/pkg/ngo_portal-a1b2c3.js" crossorigin="anonymous">
<link rel="preload" href="/pkg/ngo_portal-a1b2c3_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm">
<script type="module">import init, * as bindings from '/pkg/ngo_portal-a1b2c3.js';</script>
</head></html>"#;
        assert_eq!(
            Assets::from_trunk_index(index),
            Some(Assets {
                stylesheet: "/pkg/main-8d2c0f.css".into(),
                output_name: "ngo_portal-a1b2c3".into(),
                css: "".into(),
                admin_output_name: None,
            })
        );
    }

    #[test]
    fn reads_unquoted_attributes_of_minified_index() {
        let index = "<link href=/pkg/main-7d.css rel=stylesheet><link crossorigin href=/pkg/ngo_portal-c3.js rel=modulepreload>\
                     <link as=fetch href=/pkg/ngo_portal-c3_bg.wasm rel=preload>";
        assert_eq!(
            Assets::from_trunk_index(index),
            Some(Assets {
                stylesheet: "/pkg/main-7d.css".into(),
                output_name: "ngo_portal-c3".into(),
                css: "".into(),
                admin_output_name: None,
            })
        );
    }

    #[test]
    fn an_incomplete_build_is_no_build() {
        assert_eq!(Assets::from_trunk_index(r#"<link href="/pkg/main-1.css">"#), None);
    }
}
