//! The frame around every page: header with the live NGO count and language switch,
//! navigation, footer, the home, offline, not-found and error pages, and head metadata.
pub mod api;
mod focus;
mod home;
pub mod later;
mod meta;
mod problems;
mod submit;

pub use home::HomePage;
pub use meta::{JsonLd, PageMeta, site_origin};
pub use problems::problem_text;
pub use submit::{submit_after_pause, submit_form_of};

use crate::domain::{Lang, format_count, urlencode};
use crate::error::AppError;
use crate::i18n::*;
use crate::locale::{href, lang_of_path, path_in_lang};
use crate::wire::Wire;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_location;

/// The language of the page being rendered, provided by [`Layout`].
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// The locale of the page being rendered. A page's texts are in its language and stay so while
/// it is shown (the language switch loads the other language's page), so they are written as
/// static text (`td_string!`), not as reactive translations: nothing to subscribe to, less code
/// in the bundle and less work when the page hydrates.
pub fn page_locale() -> Locale {
    Locale::from(use_lang())
}

/// Layout of the pages under `/{lang}/`.
#[component]
pub fn LangLayout(lang: Lang) -> impl IntoView {
    view! {
        <Layout lang>
            <Outlet />
        </Layout>
    }
}

/// Header, main landmark and footer around `children`, in `lang`.
#[component]
pub fn Layout(lang: Lang, children: Children) -> impl IntoView {
    provide_context(lang);
    use_i18n().set_locale(lang.into());
    let locale = page_locale();
    focus::move_focus_on_navigation();
    // Read here, not in the header, which is hydrated later (see `later`).
    let ngo_count = view! { <NgoCount lang /> }.into_any();
    view! {
        <leptos_meta::Link rel="manifest" href=manifest_href(lang) />
        // Feed readers find the language's feeds from any page.
        <leptos_meta::Link rel="alternate" type_="application/atom+xml" href=href(lang, "posts/feed.atom")
            title=td_string!(locale, nav_posts) />
        <leptos_meta::Link rel="alternate" type_="application/atom+xml" href=href(lang, "events/feed.atom")
            title=td_string!(locale, nav_events) />
        // `rel="external"`: the browser's own fragment navigation, which moves focus into
        // `<main>` (the router would only scroll there).
        <a class="skip-link" href="#main" rel="external">{td_string!(locale, skip_to_content)}</a>
        <later::HydrateLater><Header lang ngo_count /></later::HydrateLater>
        <later::HydrateLater><AppNotices /></later::HydrateLater>
        // Not later: the router renders each page into it.
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <later::HydrateLater><Footer lang /></later::HydrateLater>
    }
}

/// The live number of NGOs in the directory, for the header.
#[component]
fn NgoCount(lang: Lang) -> impl IntoView {
    let locale = page_locale();
    let stats = page_data(|| (), |_| api::load_site_stats());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                stats.await.ok().map(|stats| view! {
                    <a class="ngo-count" data-testid="ngo-count" href=href(lang, "ngos")>
                        <strong>{format_count(stats.ngo_count, lang)}</strong>
                        " "
                        {td_string!(locale, ngo_count_label)}
                    </a>
                })
            })}
        </Suspense>
    }
}

#[component]
fn Header(lang: Lang, ngo_count: AnyView) -> impl IntoView {
    let locale = page_locale();
    let location = use_location();
    let other = lang.other();
    let switch_href = move || {
        let path = location.pathname.get();
        // Only what pages read: a page kept by the page cache links the same for everyone.
        let query = location.query.with(|query| {
            crate::app::PAGE_QUERY_PARAMETERS
                .iter()
                .filter_map(|name| {
                    let value = query.get(name)?;
                    Some(format!(
                        "{name}={}",
                        urlencode(&crate::app::canonical_query_value(name, &value))
                    ))
                })
                .collect::<Vec<_>>()
                .join("&")
        });
        let full = if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        };
        path_in_lang(&full, other)
    };
    let search_path = href(lang, "search");
    let search_current = move || location.pathname.with(|path| *path == search_path).then_some("page");
    view! {
        <header class="site-header">
            <div class="site-header__bar">
                <a class="brand" href=href(lang, "")>
                    <svg class="brand__mark" viewBox="0 0 32 32" width="36" height="36" aria-hidden="true">
                        <circle cx="16" cy="16" r="15" fill="currentColor" />
                        <path d="M9 21V11l7 7 7-7v10" fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round" />
                    </svg>
                    <span class="brand__name">{td_string!(locale, portal_name)}</span>
                </a>
                <div class="site-header__tools">
                    // Every page's way to the site search.
                    <a class="search-entry" href=href(lang, "search") aria-label=td_string!(locale, search_open)
                        title=td_string!(locale, search_open) data-testid="search-entry" aria-current=search_current>
                        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
                            <circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2.4" />
                            <path d="M15.5 15.5L21 21" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" />
                        </svg>
                    </a>
                    {ngo_count}
                    // A full page load on purpose: the server remembers the choice in a cookie.
                    <a class="lang-switch" href=switch_href rel="external" hreflang=other.code() lang=other.code()
                        aria-label=td_string!(locale, switch_language_label)>
                        {td_string!(locale, switch_language)}
                    </a>
                </div>
            </div>
            <nav class="site-nav" aria-label=td_string!(locale, nav_main)>
                <NavLink href=href(lang, "")>{td_string!(locale, nav_home)}</NavLink>
                <NavLink href=href(lang, "posts")>{td_string!(locale, nav_posts)}</NavLink>
                <NavLink href=href(lang, "events")>{td_string!(locale, nav_events)}</NavLink>
                <NavLink href=href(lang, "ngos")>{td_string!(locale, nav_ngos)}</NavLink>
                // Shown by `pwa.js` when the browser offers to install the portal; in the
                // navigation row, whose height it does not change (no layout shift).
                <button type="button" class="install-button" id="install-button" hidden>
                    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                        <path d="M12 3v12m0 0l-5-5m5 5l5-5M5 21h14" fill="none" stroke="currentColor" stroke-width="2.2"
                            stroke-linecap="round" stroke-linejoin="round" />
                    </svg>
                    <span class="install-button__label">{td_string!(locale, install_app)}</span>
                </button>
            </nav>
        </header>
    }
}

/// The web app manifest in the page's language (names, start page, shortcuts).
pub fn manifest_href(lang: Lang) -> &'static str {
    match lang {
        Lang::Bg => "/manifest.webmanifest",
        Lang::En => "/manifest.en.webmanifest",
    }
}

/// Messages of the installed app, in the page's language; `pwa.js` shows the ones that apply
/// (hidden in the HTML, so a page without JavaScript shows none).
#[component]
fn AppNotices() -> impl IntoView {
    let locale = page_locale();
    view! {
        <div class="app-notices" role="status" aria-live="polite">
            <p class="app-notice" id="notice-offline" hidden>{td_string!(locale, notice_offline)}</p>
            <p class="app-notice app-notice--pending" id="notice-queued" hidden data-testid="notice-queued">
                {td_string!(locale, notice_registration_queued)}
            </p>
            <p class="app-notice app-notice--done" id="notice-delivered" hidden data-testid="notice-delivered">
                {td_string!(locale, notice_registration_delivered)} " "
                <a id="notice-delivered-link" href="#">{td_string!(locale, notice_see_confirmation)}</a>
            </p>
            <p class="app-notice app-notice--problem" id="notice-rejected" hidden>
                {td_string!(locale, notice_registration_rejected)} " "
                <a id="notice-rejected-link" href="#">{td_string!(locale, notice_open_event)}</a>
            </p>
            <p class="app-notice app-notice--pending" id="notice-check-ins" hidden data-testid="notice-check-ins">
                {td_string!(locale, notice_check_ins_queued)}
            </p>
            <p class="app-notice app-notice--problem" id="notice-check-ins-sign-in" hidden>
                {td_string!(locale, notice_check_ins_sign_in)}
            </p>
            <p class="app-notice app-notice--problem" id="notice-check-ins-refused" hidden>
                {td_string!(locale, notice_check_ins_refused)}
            </p>
            <p class="app-notice" id="notice-update" hidden>
                {td_string!(locale, notice_update)} " "
                <button type="button" class="button button--small" id="update-button">{td_string!(locale, notice_reload)}</button>
            </p>
            <p class="app-notice" id="notice-ios" hidden>
                {td_string!(locale, notice_ios_install)} " "
                <button type="button" class="button button--small button--ghost" id="ios-dismiss">{td_string!(locale, notice_close)}</button>
            </p>
        </div>
    }
}

/// What the service worker shows for a page it has not kept when there is no connection.
#[component]
pub fn OfflinePage() -> impl IntoView {
    public_page();
    view! { <OfflineView /> }
}

/// The offline message: the offline page, and what the app shows in place of a page whose data
/// it could not fetch (the service worker had no copy and there is no connection).
#[component]
fn OfflineView() -> impl IntoView {
    let locale = page_locale();
    let lang = use_lang();
    view! {
        <PageMeta title=td_string!(locale, offline_title).to_string() description=String::new() path=None />
        <section class="message-page" data-testid="offline-page">
            <h1>{td_string!(locale, offline_title)}</h1>
            <p>{td_string!(locale, offline_text)}</p>
            <p class="message-page__actions">
                // An empty href is the address the visitor asked for: trying again reloads it.
                <a class="button button--primary" href="" rel="external">{td_string!(locale, offline_retry)}</a>
                <a class="button button--ghost" href=href(lang, "")>{td_string!(locale, go_home)}</a>
            </p>
        </section>
    }
}

/// A navigation link that tells assistive technology when it points at the current section.
#[component]
fn NavLink(href: String, children: Children) -> impl IntoView {
    let location = use_location();
    let target = href.clone();
    let current = move || {
        let path = location.pathname.get();
        let section = target.trim_end_matches('/');
        let is_home = target.ends_with('/') && target.matches('/').count() == 2;
        let here = if is_home {
            path == target || path == section
        } else {
            path == section || path.starts_with(&format!("{section}/"))
        };
        here.then_some("page")
    };
    view! { <a href=href aria-current=current>{children()}</a> }
}

#[component]
fn Footer(lang: Lang) -> impl IntoView {
    let locale = page_locale();
    view! {
        <footer class="site-footer">
            <p class="site-footer__about">{td_string!(locale, footer_about)}</p>
            <p class="site-footer__rights">"© 2026 · " {td_string!(locale, footer_rights)}</p>
            // A page load, not the router: the admin pages come with their own bundle.
            <p class="site-footer__admin"><a href=href(lang, "admin") rel="external">{td_string!(locale, footer_admin)}</a></p>
            <p class="site-footer__lang">
                <a href=href(lang.other(), "") rel="external" hreflang=lang.other().code() lang=lang.other().code()>
                    {td_string!(locale, switch_language)}
                </a>
            </p>
        </footer>
    }
}

/// Sets the HTTP status of a server-rendered response; nothing to do in the browser.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(code),
    ) {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// Marks the page being rendered as private data (a registration): kept by no cache at all,
/// not even the service worker's offline copies, and its address (which holds the private
/// link) is never sent as a referrer.
pub fn private_page() {
    cache_control("private, no-store");
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            axum::http::header::REFERRER_POLICY,
            axum::http::HeaderValue::from_static("no-referrer"),
        );
    }
}

/// Marks the page being rendered as the same for every visitor: the server's page cache and
/// shared caches may keep it (browsers check back each time). Only pages marked so are cached.
pub fn public_page() {
    cache_control("public, no-cache");
}

/// Marks the page being rendered as per-visitor (it carries a form key): kept by no shared
/// cache nor the page cache, but the visitor's own browser may keep it to read offline.
pub fn per_visitor_page() {
    cache_control("private, no-cache");
}

/// Marks the page being rendered as the visitor's own words (a search): kept by no cache at
/// all, the browser's and the service worker's included.
pub fn unkept_page() {
    cache_control("private, no-store");
}

fn cache_control(value: &'static str) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static(value),
        );
    }
    #[cfg(not(feature = "ssr"))]
    let _ = value;
}

/// The page for a path that matches no route: localized by the path's language, status 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let path = use_location().pathname.get_untracked();
    // The bundle every visitor loads has no admin pages: the server answers their address
    // with the admin bundle.
    #[cfg(all(feature = "hydrate", not(feature = "admin")))]
    if crate::app::is_admin_path(&path) {
        let _ = window().location().assign(&path);
    }
    let lang = lang_of_path(&path).unwrap_or_default();
    view! {
        <Layout lang>
            <NotFound />
        </Layout>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    let locale = page_locale();
    let lang = use_lang();
    view! {
        <PageMeta title=td_string!(locale, not_found_title).to_string() description=String::new() path=None />
        <section class="message-page">
            <h1>{td_string!(locale, not_found_title)}</h1>
            <p>{td_string!(locale, not_found_text)}</p>
            <p><a class="button" href=href(lang, "")>{td_string!(locale, go_home)}</a></p>
        </section>
    }
}

/// What a page shows when its data could not be loaded.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    let locale = page_locale();
    match error {
        AppError::NotFound => return view! { <NotFound /> }.into_any(),
        // A post's old address: permanently elsewhere (301 for the first load, so search
        // engines and bookmarks move too; in the app, the router goes there in its place).
        AppError::Moved { path } => {
            let to = href(use_lang(), &path);
            #[cfg(feature = "ssr")]
            if let (Some(response), Ok(location)) = (
                use_context::<leptos_axum::ResponseOptions>(),
                axum::http::HeaderValue::from_str(&to),
            ) {
                response.set_status(axum::http::StatusCode::MOVED_PERMANENTLY);
                response.insert_header(axum::http::header::LOCATION, location);
                return ().into_any();
            }
            let options = leptos_router::NavigateOptions {
                replace: true,
                ..Default::default()
            };
            return view! { <leptos_router::components::Redirect path=to options /> }.into_any();
        }
        AppError::Unavailable => return view! { <OfflineView /> }.into_any(),
        AppError::TryAgainLater => {
            set_status(503);
            #[cfg(feature = "ssr")]
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.insert_header(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from_static("30"),
                );
            }
            return view! {
                <PageMeta title=td_string!(locale, try_again_title).to_string() description=String::new() path=None />
                <section class="message-page" role="alert" data-testid="try-again-page">
                    <h1>{td_string!(locale, try_again_title)}</h1>
                    <p>{td_string!(locale, try_again_text)}</p>
                    <p class="message-page__actions">
                        // An empty href is the address the visitor asked for: trying again reloads it.
                        <a class="button button--primary" href="" rel="external">{td_string!(locale, offline_retry)}</a>
                    </p>
                </section>
            }
            .into_any();
        }
        // Signed out, or the session ended: sign in, then come back.
        AppError::Unauthorized => {
            let sign_in = href(use_lang(), "admin/sign-in");
            // Replacing the address: Back does not return to a page that sends it here again.
            let options = leptos_router::NavigateOptions {
                replace: true,
                ..Default::default()
            };
            return view! { <leptos_router::components::Redirect path=sign_in options /> }.into_any();
        }
        AppError::Forbidden => {
            set_status(403);
            return view! {
                <PageMeta title=td_string!(locale, forbidden_title).to_string() description=String::new() path=None />
                <section class="message-page" role="alert">
                    <h1>{td_string!(locale, forbidden_title)}</h1>
                    <p>{td_string!(locale, error_no_access)}</p>
                </section>
            }
            .into_any();
        }
        _ => {}
    }
    set_status(error.status_code());
    view! {
        <PageMeta title=td_string!(locale, error_title).to_string() description=String::new() path=None />
        <section class="message-page" role="alert">
            <h1>{td_string!(locale, error_title)}</h1>
            <p>{td_string!(locale, error_text)}</p>
        </section>
    }
    .into_any()
}

/// The data of a page: `fetcher` (a GET server function) of what `source` reads. On the server
/// the page waits for it and its value goes into the page for hydration, so the browser does
/// not ask again; after that the router asks the server function as the visitor navigates.
pub fn page_data<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T, Wire>
where
    S: PartialEq + Clone + Send + Sync + 'static,
    T: Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    let fetcher = std::sync::Arc::new(fetcher);
    keep_for_offline(&source, &fetcher);
    private_data(source, move |value| fetcher(value))
}

/// The data of a private page (a registration, the admin pages): like [`page_data`], but not
/// asked for again for the service worker, which never keeps private answers.
pub fn private_data<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T, Wire>
where
    S: PartialEq + Clone + Send + Sync + 'static,
    T: Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

/// On the page the app started on, its data came inside the page; in the installed app (a
/// service worker controls the page) it is asked for once more when the browser is idle, so
/// that the worker keeps it and the app can come back to this page offline.
#[allow(unused_variables)]
fn keep_for_offline<S, Fut>(source: &(impl Fn() -> S + 'static), fetcher: &std::sync::Arc<impl Fn(S) -> Fut + 'static>)
where
    S: Clone + 'static,
    Fut: Future + 'static,
{
    #[cfg(feature = "hydrate")]
    {
        let hydrating = Owner::current_shared_context().is_some_and(|context| context.during_hydration());
        let controlled = web_sys::window()
            .and_then(|window| window.navigator().service_worker().controller())
            .is_some();
        if hydrating && controlled {
            let value = untrack(source);
            let fetcher = std::sync::Arc::clone(fetcher);
            request_idle_callback(move || {
                let request = fetcher(value.clone());
                leptos::task::spawn_local(async move {
                    let _ = request.await;
                })
            });
        }
    }
}

/// What a page shows of its data: `view` of it, or the error page; while it loads after a
/// client-side navigation, a short status line (the server always waits for the data).
pub fn loaded<T, V>(
    resource: Resource<Result<T, AppError>, Wire>,
    view: impl Fn(T) -> V + Copy + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    let locale = page_locale();
    view! {
        <Suspense fallback=move || view! { <p class="loading" role="status">{td_string!(locale, loading)}</p> }>
            {move || Suspend::new(async move {
                let shown = match resource.await {
                    Ok(data) => view(data).into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                };
                focus::after_page_data();
                shown
            })}
        </Suspense>
    }
}
