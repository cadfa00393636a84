//! The server (ssr only): configuration, state, store, and the axum router around Leptos.
mod admin_http;
mod assets;
pub mod auth;
pub mod backup;
pub mod cache;
mod cdn;
pub mod cli;
pub mod config;
pub mod covers;
mod cross_site;
pub mod csp;
mod events_http;
mod feeds;
mod health;
pub mod html_page;
pub mod images;
pub mod jobs;
pub mod kept;
pub mod lang_routing;
pub mod mail;
pub mod markdown;
mod memory;
mod metrics;
pub mod negotiate;
pub mod ngo_count;
pub mod ngo_csv;
mod plain_page;
mod rate_limit;
pub mod registration_form;
pub mod seed;
mod server_fns;
pub mod service_worker;
mod sign_in_form;
mod sitemap;
mod state;
pub mod store;
pub mod time;
pub mod tokens;
pub mod wordpress;

pub use assets::Assets;
pub use config::Config;
pub use state::AppState;

use crate::app::{App, shell};
use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware;
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Largest request body accepted (server function arguments are small).
pub(crate) const MAX_REQUEST_BYTES: usize = 256 * 1024;
/// The largest upload: a WordPress export of a few thousand posts (larger ones import from
/// the command line). A photo has its own, smaller limit (`images::MAX_UPLOAD_BYTES`).
pub(crate) const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("store: {0}")]
    Store(#[from] store::StoreError),
    #[error("demo content: {0}")]
    Seed(#[from] serde_json::Error),
    #[error("extra seed content: {0}")]
    SeedFile(#[from] seed::SeedFileError),
    #[error("network: {0}")]
    Io(#[from] std::io::Error),
    #[error("mail: {0}")]
    Mail(#[from] mail::MailSetupError),
    #[error("secret: {0}")]
    Secret(#[from] tokens::SecretError),
    #[error("demo accounts: {0}")]
    DemoAccounts(#[from] auth::password::HashError),
    #[error("{0}")]
    Lock(#[from] backup::BackupError),
}

/// Logs to standard error, filtered by `RUST_LOG`; as one JSON object a line with
/// `LOG_FORMAT=json` (for a log collector), else as text for a person.
pub fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("LOG_FORMAT").is_ok_and(|format| format.eq_ignore_ascii_case("json")) {
        logs.json().flatten_event(true).with_current_span(true).init();
        // A panic's report is a log line like any other, not a text line among the JSON ones.
        std::panic::set_hook(Box::new(|panic| {
            tracing::error!(panic = %panic, "a task panicked");
        }));
    } else {
        logs.init();
    }
}

/// Tells the other instances on the database what changed here, and forgets what changed
/// there (PostgreSQL; SQLite has no other instances to hear).
async fn share_changes(store: Arc<dyn store::Store>, page_cache: Arc<cache::PageCache>) -> Result<(), StartError> {
    let Some(mut heard) = store.listen().await? else {
        return Ok(());
    };
    let (announce, mut to_announce) = tokio::sync::mpsc::unbounded_channel();
    page_cache.announce_to(announce);
    let cache = Arc::downgrade(&page_cache);
    tokio::spawn(async move {
        while let Some(change) = heard.recv().await {
            let Some(cache) = cache.upgrade() else { break };
            cache.heard(change);
        }
    });
    tokio::spawn(async move {
        while let Some(change) = to_announce.recv().await {
            if let Err(error) = store.announce(change).await {
                // The others forget the pages after their TTL instead.
                tracing::warn!(%error, "other instances could not be told of a change");
            }
        }
    });
    Ok(())
}

/// Completes the demo directory: the NGOs stored without their details (the demo content's,
/// or a database from before the directory) and generated ones up to `count`.
async fn seed_directory(store: &dyn store::Store, count: usize) -> Result<(), StartError> {
    let known: Vec<seed::KnownNgo> = store
        .ngo_slugs()
        .await?
        .into_iter()
        .map(|(slug, name_bg, name_en, city)| seed::KnownNgo {
            slug,
            name_bg,
            name_en,
            city,
        })
        .collect();
    let started = std::time::Instant::now();
    let directory = seed::generate_ngos(count.max(known.len()), &known);
    store.upsert_ngos(&directory).await?;
    tracing::info!(
        ngos = directory.len(),
        ms = started.elapsed().as_millis(),
        "completed the demo directory"
    );
    Ok(())
}

/// A bound, ready-to-run server.
pub struct Server {
    listener: TcpListener,
    router: Router,
    address: SocketAddr,
    /// Held while serving: no restore replaces the database under it.
    database_lock: Option<backup::DatabaseLock>,
    /// Mail delivery, stopped after the last request (its batch finished).
    outbox: Option<mail::OutboxWorker>,
}

impl Server {
    /// Opens the store (migrating and, on first start, seeding it), finds the browser bundle
    /// and binds the address.
    pub async fn start(config: Config) -> Result<Server, StartError> {
        let database_lock = backup::DatabaseLock::for_serving(&config.database_url)?;
        let store = store::connect(&config.database_url).await?;
        let tokens = tokens::ManageTokens::load(config.secret_key.as_deref(), &config.secret_file)?;
        if config.seed_demo_content && store.is_empty().await? {
            store
                .insert_content(&seed::SeedContent::demo()?.scheduled(time::now())?)
                .await?;
            if let Some(extra) = &config.seed_extra {
                store
                    .insert_content(&seed::SeedContent::from_file(extra)?.scheduled(time::now())?)
                    .await?;
            }
            tracing::info!("stored the demo content in the empty database");
        }
        if config.seed_demo_content && store.ngos_missing_details().await? {
            seed_directory(store.as_ref(), config.demo_ngos).await?;
        }
        seed::demo_accounts(store.as_ref(), config.demo_accounts).await?;
        // A seed allocates tens of megabytes and keeps none of it.
        memory::release_freed();
        // Made now, not on the first sign-in to an unknown address (which would take longer).
        let _ = auth::password::decoy_hash();
        let mut outbox = None;
        if let Some(smtp_url) = &config.smtp_url {
            let delivery = mail::Delivery {
                smtp_url: smtp_url.clone(),
                from: config.mail_from.clone(),
                tokens: tokens.clone(),
                public_url: config.public_url.clone(),
            };
            outbox = Some(mail::spawn_outbox_worker(store.clone(), delivery)?);
        }
        let assets = Assets::discover(&config.pkg_dir);
        if assets.is_none() {
            tracing::warn!(pkg_dir = %config.pkg_dir.display(), "no browser bundle found: pages will not hydrate");
        }
        let service_worker = service_worker::ServiceWorker::build(&config.public_dir, assets.as_ref());
        let listener = TcpListener::bind(config.address).await?;
        let address = listener.local_addr()?;
        let leptos_options = LeptosOptions::builder()
            .output_name(assets.as_ref().map_or("ngo_portal", |a| a.output_name.as_str()))
            .site_root(config.public_dir.to_string_lossy().as_ref())
            .site_pkg_dir("pkg")
            .site_addr(address)
            .build();
        let csp = csp::ContentSecurityPolicy::new(assets.as_ref().map(|a| &*a.css));
        let auth = auth::Auth::new(
            config.public_url.starts_with("https://"),
            config.sign_ins_per_minute,
            config.trusted_proxies.clone(),
        );
        spawn_retention(store.clone(), auth.clone());
        let image_files = Arc::new(images::DiskImages::new(config.media_dir.clone()));
        let page_cache: Arc<cache::PageCache> = Arc::default();
        share_changes(store.clone(), page_cache.clone()).await?;
        let state = AppState::new(state::Shared {
            leptos_options,
            csp,
            store,
            config: Arc::new(config),
            assets,
            service_worker,
            page_cache,
            search: Arc::default(),
            ngo_count: Arc::default(),
            directory_index: Arc::new(kept::Kept::new(std::time::Duration::from_secs(300))),
            images: image_files,
            imports: Arc::default(),
            ngo_imports: Arc::default(),
            tokens,
            auth,
            metrics: Arc::default(),
        });
        Ok(Server {
            listener,
            router: router(state),
            address,
            database_lock,
            outbox,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Serves until `shutdown` resolves, finishing requests in flight, then the outbox's batch.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        use axum::serve::ListenerExt;
        let _database_lock = self.database_lock;
        // No Nagle delay: a file sent in several writes (the bundle, pwa.js) otherwise waits
        // for the client's delayed ACK, 40 ms a response on a kept-alive connection.
        let listener = self.listener.tap_io(|tcp| {
            if let Err(error) = tcp.set_nodelay(true) {
                tracing::warn!(%error, "TCP_NODELAY not set");
            }
        });
        use std::future::IntoFuture;
        // Asked to stop, requests in flight get DRAIN to finish (a slow upload would
        // otherwise hold the process until the service manager kills it, outbox and all).
        const DRAIN: std::time::Duration = std::time::Duration::from_secs(20);
        let (asked, stop_asked) = tokio::sync::oneshot::channel::<()>();
        let serving = axum::serve(
            listener,
            self.router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = asked.send(());
        });
        let drained = async move {
            match stop_asked.await {
                Ok(()) => tokio::time::sleep(DRAIN).await,
                Err(_) => std::future::pending().await,
            }
        };
        let served = tokio::select! {
            served = serving.into_future() => served,
            () = drained => {
                tracing::warn!(seconds = DRAIN.as_secs(), "requests still in flight after stopping began: cut off");
                Ok(())
            }
        };
        if let Some(outbox) = self.outbox {
            outbox.stop().await;
        }
        served
    }

    /// Serves until SIGINT or SIGTERM.
    pub async fn run_until_shutdown(self) {
        if let Err(error) = self.run(shutdown_signal()).await {
            tracing::error!(%error, "server stopped with an error");
        }
    }
}

/// Personal data of a registration is kept for this long after its event ends.
pub const RETENTION_DAYS: i64 = 30;
/// Mail not delivered after this many days is given up, and its text cleared.
pub const UNDELIVERABLE_DAYS: i64 = 7;

/// Erases expired personal data now and every hour, and forgets ended sessions and old
/// failed sign-ins.
fn spawn_retention(store: Arc<dyn store::Store>, auth: auth::Auth) {
    tokio::spawn(async move {
        loop {
            let now = time::now();
            if let Err(error) = store
                .purge_sign_in_data(now, auth::session::IDLE_SECONDS, now - auth::THROTTLE.window)
                .await
            {
                tracing::warn!(%error, "ended sessions could not be purged");
            }
            auth.trim();
            match store
                .erase_personal_data(now - RETENTION_DAYS * 86_400, now - UNDELIVERABLE_DAYS * 86_400)
                .await
            {
                Ok(0) => {}
                Ok(erased) => tracing::info!(erased, "erased personal data of past events"),
                Err(error) => tracing::warn!(%error, "personal data could not be erased"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    });
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// A path safe to log: the private token of a registration page is replaced.
fn redact(path: &str) -> String {
    match path.find("/registrations/") {
        Some(at) => format!("{}/registrations/…", &path[..at]),
        None => path.to_owned(),
    }
}

/// The headers every response carries: Content-Security-Policy, no sniffing, no framing, a
/// referrer policy, permissions, a default `Cache-Control`, and HSTS when served over https.
fn security_headers(router: Router<AppState>, state: &AppState, https: bool) -> Router<AppState> {
    let router = router
        .layer(middleware::from_fn_with_state(state.csp.clone(), csp::add))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ));
    if https {
        // Two years; subdomains are not ours to promise.
        router.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000"),
        ))
    } else {
        router
    }
}

/// The app's routes for axum, computed once per process. Generating them renders the app in a
/// route-collecting mode that is global to the process, so doing it while another server in the
/// same process renders pages (integration tests run many) can leave that page waiting forever.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The app rendered for `request` (its path picks the page) with `extra` context besides the
/// state, the whole page before the response starts.
pub(crate) async fn render_app(
    state: &AppState,
    request: axum::extract::Request,
    extra: impl Fn() + Clone + Send + Sync + 'static,
) -> axum::response::Response {
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            extra();
        }
    };
    let assets = state.assets.clone();
    let page = leptos_axum::render_app_async_with_context(context, move || shell(assets.clone()))(request).await;
    html_page::finish_response(&state.csp, page).await
}

fn router(state: AppState) -> Router {
    let routes = route_list();
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let render_shell = {
        let assets = state.assets.clone();
        move |_: LeptosOptions| shell(assets.clone())
    };
    let app = {
        let (options, render_shell) = (state.leptos_options.clone(), render_shell.clone());
        move || render_shell(options.clone())
    };
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), app)
        .layer(middleware::from_fn_with_state(
            state.csp.clone(),
            html_page::finish_pages,
        ))
        .layer(middleware::from_fn(server_fns::http_semantics));
    let immutable = SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    // scripts/build puts `.br` and `.gz` next to each file of the bundle.
    let bundle = ServeDir::new(&state.config.pkg_dir)
        .precompressed_br()
        .precompressed_gzip();
    let limiter = rate_limit::RegistrationLimiter::new(
        state.config.registrations_per_minute,
        state.config.trusted_proxies.clone(),
    );
    limiter.spawn_trim();
    let https = state.config.public_url.starts_with("https://");
    let router = Router::new()
        .route("/", get(lang_routing::root))
        .route("/sw.js", get(service_worker::serve))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::serve))
        .route("/api/events/{slug}/availability", get(events_http::availability))
        .route("/api/events/{slug}/calendar.ics", get(events_http::calendar))
        .route(
            "/api/admin/events/{slug}/registrations.csv",
            get(admin_http::registrations_csv),
        )
        .route("/api/admin/ngos/export.csv", get(admin_http::export_ngos))
        .route(
            "/api/admin/privacy/export",
            axum::routing::post(admin_http::personal_data_export),
        )
        .route("/bg/posts/feed.atom", get(feeds::posts))
        .route("/en/posts/feed.atom", get(feeds::posts))
        .route("/bg/events/feed.atom", get(feeds::events))
        .route("/en/events/feed.atom", get(feeds::events))
        .route("/sitemap.xml", get(sitemap::sitemap_index))
        .route("/sitemaps/{file}", get(sitemap::sitemap_file))
        .route("/robots.txt", get(sitemap::robots))
        .route("/covers/{file}", get(covers::cover))
        .route("/media/{file}", get(admin_http::media))
        // The registration form without JavaScript posts to its event page.
        .route("/bg/events/{slug}", axum::routing::post(registration_form::post))
        .route("/en/events/{slug}", axum::routing::post(registration_form::post))
        // The sign-in form without JavaScript posts to its page.
        .route("/bg/admin/sign-in", axum::routing::post(sign_in_form::post))
        .route("/en/admin/sign-in", axum::routing::post(sign_in_form::post))
        .nest_service("/pkg", tower::ServiceBuilder::new().layer(immutable).service(bundle))
        .merge(pages)
        // Files of `public/`, else the app's not-found page. Not Leptos' file handler: it
        // applies to a found file the `ResponseOptions` of whatever page the same thread was
        // rendering, which served `pwa.js` with that page's 404 now and then.
        .fallback_service(
            ServeDir::new(&state.config.public_dir)
                .call_fallback_on_method_not_allowed(true)
                .not_found_service(axum::handler::HandlerWithoutStateExt::into_service({
                    let state = state.clone();
                    move |request: axum::extract::Request| {
                        let state = state.clone();
                        async move { render_app(&state, request, || {}).await }
                    }
                })),
        )
        .layer(middleware::from_fn(lang_routing::lang_paths))
        .layer(middleware::from_fn_with_state(limiter, rate_limit::limit_registrations))
        .layer(middleware::from_fn_with_state(
            cross_site::AllowedOrigins::new(&state.config.public_url),
            cross_site::refuse_cross_site,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BYTES))
        // Photos are larger than any form: their own limit, the same cross-site refusal.
        .merge(
            Router::new()
                .route("/api/admin/images", axum::routing::post(admin_http::upload_image))
                .route("/api/admin/import", axum::routing::post(admin_http::import_wordpress))
                .route("/api/admin/ngos/import", axum::routing::post(admin_http::import_ngos))
                .route(
                    "/api/admin/ngos/{slug}/logo",
                    axum::routing::post(admin_http::upload_ngo_logo).delete(admin_http::remove_ngo_logo),
                )
                .layer(middleware::from_fn_with_state(
                    cross_site::AllowedOrigins::new(&state.config.public_url),
                    cross_site::refuse_cross_site,
                ))
                .layer(RequestBodyLimitLayer::new(MAX_IMPORT_BYTES))
                .layer(axum::extract::DefaultBodyLimit::disable()),
        );
    // Outside everything that answers, so that every response has them (429, 403, 413 and
    // error pages included).
    let router = security_headers(router, &state, https)
        .layer(middleware::from_fn(metrics::label_route))
        .with_state(state.clone());
    // Around the router, not layers of it: axum clones a route's whole stack of layers for
    // each request, and a page-cache hit, most requests, needs none of it.
    let outer = tower::ServiceBuilder::new()
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                // Paths only (queries may carry personal data), private tokens cut out.
                tracing::info_span!("request", method = %request.method(), path = %redact(request.uri().path()))
            }),
        )
        .layer(middleware::from_fn_with_state(state.metrics.clone(), metrics::record))
        .layer(CompressionLayer::new())
        // Outside the language cookie: a response that sets one is nobody else's to keep.
        .layer(middleware::from_fn_with_state(
            state.config.cdn_max_age.map(cdn::policy),
            cdn::shared_cache_policy,
        ))
        .layer(middleware::from_fn_with_state(https, lang_routing::remember_lang))
        // Outside every other layer: a hit is the finished page (or data) with every header it
        // was first sent with.
        .layer(middleware::from_fn_with_state(
            state.page_cache.clone(),
            cache::cache_pages,
        ))
        .service(router);
    Router::new().fallback_service(outer)
}
