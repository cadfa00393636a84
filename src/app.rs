//! The application: HTML shell (server only) and the router of `/bg/…` and `/en/…` pages.
use crate::domain::Lang;
use crate::events::{EventPage, EventsPage, LinkSentPage, RegistrationPage};
use crate::i18n::*;
use crate::ngos::{DirectoryPage, NgoPage};
use crate::posts::{PostPage, PostsPage};
use crate::search::SearchPage;
use crate::site::{HomePage, LangLayout, NotFoundPage, OfflinePage};
use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider>
            <Router>
                <Routes fallback=NotFoundPage>
                    <LangRoutes lang=Lang::Bg />
                    <LangRoutes lang=Lang::En />
                </Routes>
            </Router>
        </I18nContextProvider>
    }
}

/// The query parameters pages read (`page`, `category` on the posts list, `when` on the events
/// list, the directory's search and filters). The page cache keys on these alone (and keeps
/// no page with a search: its words are the visitor's own).
pub const PAGE_QUERY_PARAMETERS: &[&str] = &[
    "category", "page", "when", "q", "region", "field", "form", "sort", "kind",
];

/// One spelling of what a page reads from a query parameter: `page` as the number shown (an
/// invalid one is page 1), `when` as `past` or `upcoming`. The page cache keys on it and the
/// language switch links with it, so a kept page carries no visitor's own spelling.
pub fn canonical_query_value(name: &str, value: &str) -> String {
    match name {
        "page" => crate::domain::PageNumber::parse(Some(value)).get().to_string(),
        "when" if value == "past" => "past".to_owned(),
        "when" => "upcoming".to_owned(),
        "region" => crate::domain::Region::by_code(value)
            .map(|r| r.code.to_owned())
            .unwrap_or_default(),
        "field" => crate::domain::Field::parse(value)
            .map(|f| f.code().to_owned())
            .unwrap_or_default(),
        "form" => crate::domain::LegalForm::parse(value)
            .map(|f| f.code().to_owned())
            .unwrap_or_default(),
        "sort" if matches!(value, "name" | "founded") => value.to_owned(),
        "sort" => String::new(),
        "kind" if matches!(value, "posts" | "events" | "ngos") => value.to_owned(),
        "kind" => String::new(),
        "q" => value.trim().to_owned(),
        _ => value.to_owned(),
    }
}

/// The same pages under `/{lang}/`. Every page waits for its data on the server
/// (`SsrMode::Async`), so it is complete without JavaScript and cacheable as one document.
#[component(transparent)]
fn LangRoutes(lang: Lang) -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=StaticSegment(lang.code()) view=move || view! { <LangLayout lang /> } ssr=SsrMode::Async>
            <Route path=StaticSegment("/") view=HomePage ssr=SsrMode::Async />
            <Route path=StaticSegment("posts") view=PostsPage ssr=SsrMode::Async />
            <Route path=(StaticSegment("posts"), ParamSegment("slug")) view=PostPage ssr=SsrMode::Async />
            <Route path=StaticSegment("events") view=EventsPage ssr=SsrMode::Async />
            <Route path=(StaticSegment("events"), ParamSegment("slug")) view=EventPage ssr=SsrMode::Async />
            <Route path=(StaticSegment("events"), ParamSegment("slug"), StaticSegment("link-sent")) view=LinkSentPage ssr=SsrMode::Async />
            <Route path=(StaticSegment("registrations"), ParamSegment("token")) view=RegistrationPage ssr=SsrMode::Async />
            <Route path=StaticSegment("ngos") view=DirectoryPage ssr=SsrMode::Async />
            <Route path=(StaticSegment("ngos"), ParamSegment("slug")) view=NgoPage ssr=SsrMode::Async />
            <Route path=StaticSegment("search") view=SearchPage ssr=SsrMode::Async />
            <Route path=StaticSegment("offline") view=OfflinePage ssr=SsrMode::Async />
            <AdminRoutes />
        </ParentRoute>
    }
    .into_inner()
}

/// The admin pages (`/{lang}/admin/…`), in the server and in the admin bundle only: the bundle
/// every visitor loads does not carry them (links into the admin are full page loads, which
/// fetch the admin bundle; see `shell`).
#[cfg(any(feature = "ssr", feature = "admin"))]
#[component(transparent)]
fn AdminRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use crate::admin::{
        AccountsPage, AdminEventsPage, AdminHomePage, AdminPostsPage, AuditPage, DoorPage, EditEventPage, EditPostPage,
        ImportPage, NewEventPage, NewPostPage, NgoCsvPage, NgoLogoPage, OutboxPage, PrivacyPage, SignInPage,
    };
    use leptos_router::components::Outlet;
    view! {
        <ParentRoute path=StaticSegment("admin") view=Outlet ssr=SsrMode::Async>
            <Route path=StaticSegment("") view=AdminHomePage ssr=SsrMode::Async />
            <Route path=StaticSegment("sign-in") view=SignInPage ssr=SsrMode::Async />
            <Route path=StaticSegment("events") view=AdminEventsPage ssr=SsrMode::Async />
            <Route path=(StaticSegment("events"), StaticSegment("new")) view=NewEventPage ssr=SsrMode::Async />
            <Route path=(StaticSegment("events"), ParamSegment("slug")) view=DoorPage ssr=SsrMode::Async />
            <Route path=(StaticSegment("events"), ParamSegment("slug"), StaticSegment("edit")) view=EditEventPage ssr=SsrMode::Async />
            <Route path=StaticSegment("audit") view=AuditPage ssr=SsrMode::Async />
            <Route path=StaticSegment("accounts") view=AccountsPage ssr=SsrMode::Async />
            <Route path=StaticSegment("privacy") view=PrivacyPage ssr=SsrMode::Async />
            <Route path=StaticSegment("outbox") view=OutboxPage ssr=SsrMode::Async />
            <Route path=StaticSegment("posts") view=AdminPostsPage ssr=SsrMode::Async />
            <Route path=StaticSegment("import") view=ImportPage ssr=SsrMode::Async />
            <Route path=StaticSegment("ngos") view=NgoCsvPage ssr=SsrMode::Async />
            <Route path=(StaticSegment("ngos"), ParamSegment("slug")) view=NgoLogoPage ssr=SsrMode::Async />
            <Route path=(StaticSegment("posts"), StaticSegment("new")) view=NewPostPage ssr=SsrMode::Async />
            <Route path=(StaticSegment("posts"), ParamSegment("id")) view=EditPostPage ssr=SsrMode::Async />
        </ParentRoute>
    }
    .into_inner()
}

/// Without the admin pages: an admin address reached in the public bundle falls to the
/// not-found page, which loads it from the server (with the admin bundle).
#[cfg(not(any(feature = "ssr", feature = "admin")))]
#[component(transparent)]
fn AdminRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use leptos_router::any_nested_route::IntoAnyNestedRoute;
    ().into_any_nested_route()
}

/// Whether `path` is an admin page (`/bg/admin`, `/en/admin/…`): it runs the admin bundle.
pub fn is_admin_path(path: &str) -> bool {
    let mut parts = path.trim_start_matches('/').split('/');
    matches!(parts.next(), Some("bg" | "en")) && parts.next() == Some("admin")
}

/// The HTML document around the app. `assets` names the browser bundle Trunk built
/// (absent in tests that only need server-rendered HTML).
#[cfg(feature = "ssr")]
pub fn shell(assets: Option<crate::server::Assets>) -> impl IntoView {
    use leptos_meta::MetaTags;
    let css = assets.as_ref().map(|a| a.css.clone());
    // `pwa.js` loads this bundle once the page has loaded, and hydrates the page with it: the
    // admin pages' own, or the one every visitor gets.
    let admin = use_context::<axum::http::request::Parts>().is_some_and(|parts| is_admin_path(parts.uri.path()));
    let bundle = assets
        .as_ref()
        .and_then(|a| if admin { a.admin_bundle() } else { Some(a.bundle()) });
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b5d4b" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png" />
                {css.map(|css| view! { <style inner_html=css></style> })}
                {bundle.map(|bundle| view! { <meta name="bundle" content=bundle /> })}
                <script type="module" src="/pwa.js"></script>
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}
