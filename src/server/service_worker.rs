//! `/sw.js`: `public/sw.js` told which build it belongs to. The first line names the version
//! and the app shell to precache; any change to the bundle or to the shell files makes a new
//! version, which is how browsers notice an update.
use super::Assets;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

/// Files of `public/` and pages the app shell needs offline, besides the hashed bundle.
const SHELL: &[&str] = &[
    "/pwa.js",
    "/favicon.svg",
    "/icons/icon-192.png",
    "/icons/icon-512.png",
    "/manifest.webmanifest",
    "/manifest.en.webmanifest",
    "/bg/offline",
    "/en/offline",
];

#[derive(Debug, Clone)]
pub struct ServiceWorker {
    script: Option<Arc<str>>,
}

impl ServiceWorker {
    /// Reads `public/sw.js` and the shell files; without them the site simply has no worker.
    pub fn build(public_dir: &Path, assets: Option<&Assets>) -> ServiceWorker {
        let Ok(source) = std::fs::read_to_string(public_dir.join("sw.js")) else {
            tracing::warn!(dir = %public_dir.display(), "no sw.js: the site works without offline support");
            return ServiceWorker { script: None };
        };
        let mut precache: Vec<String> = assets.map(Assets::urls).unwrap_or_default();
        precache.extend(SHELL.iter().map(|path| (*path).to_owned()));
        let mut hasher = DefaultHasher::new();
        env!("CARGO_PKG_VERSION").hash(&mut hasher);
        source.hash(&mut hasher);
        precache.hash(&mut hasher);
        for path in SHELL {
            // Pages change with the binary (hashed above by its version and bundle); files by content.
            if let Ok(bytes) = std::fs::read(public_dir.join(path.trim_start_matches('/'))) {
                bytes.hash(&mut hasher);
            }
        }
        let build = serde_json::json!({
            "version": format!("{:016x}", hasher.finish()),
            "precache": precache,
        });
        ServiceWorker {
            script: Some(format!("self.BUILD = {build};\n{source}").into()),
        }
    }
}

/// `GET /sw.js`: always revalidated, so an update reaches browsers on their next visit.
pub async fn serve(State(worker): State<ServiceWorker>) -> Response {
    let Some(script) = worker.script else {
        return StatusCode::NOT_FOUND.into_response();
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                HeaderName::from_static("service-worker-allowed"),
                HeaderValue::from_static("/"),
            ),
        ],
        script.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_bundle_and_the_shell_and_changes_version_with_the_bundle() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("sw.js"), "// worker\n").unwrap();
        let assets = |name: &str| Assets {
            stylesheet: "/pkg/main-1.css".into(),
            output_name: name.into(),
            css: "".into(),
            admin_output_name: None,
        };
        let first = ServiceWorker::build(dir.path(), Some(&assets("ngo_portal-a")))
            .script
            .unwrap();
        let second = ServiceWorker::build(dir.path(), Some(&assets("ngo_portal-b")))
            .script
            .unwrap();
        assert!(first.contains("\"/pkg/ngo_portal-a_bg.wasm\""));
        assert!(first.contains("\"/bg/offline\""));
        assert!(first.ends_with("// worker\n"));
        let version = |script: &str| script.split("\"version\":\"").nth(1).unwrap()[..16].to_owned();
        assert_ne!(version(&first), version(&second));
        assert_eq!(
            version(&first),
            version(
                &ServiceWorker::build(dir.path(), Some(&assets("ngo_portal-a")))
                    .script
                    .unwrap()
            )
        );
    }

    #[test]
    fn no_worker_without_its_script() {
        let dir = tempfile::tempdir().unwrap();
        assert!(ServiceWorker::build(dir.path(), None).script.is_none());
    }
}
