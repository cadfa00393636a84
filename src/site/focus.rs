//! Focus after a client-side navigation: it moves to the new page's main heading, as a screen
//! reader user expects from a page load (the first load is the browser's own).
#[cfg(feature = "hydrate")]
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
thread_local! {
    /// Set by a navigation, cleared once the new page's heading has focus.
    static PENDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Watches the address: after each navigation (not the first page), focus goes to the
/// page's `<h1>`, or to `<main>` while the page's data still loads.
pub fn move_focus_on_navigation() {
    #[cfg(feature = "hydrate")]
    {
        let location = leptos_router::hooks::use_location();
        Effect::new(move |previous: Option<String>| {
            let path = location.pathname.get();
            if previous.is_some_and(|previous| previous != path) {
                PENDING.set(true);
                request_animation_frame(focus_heading);
            }
            path
        });
    }
}

/// Called when a page's data has arrived and its view is about to show.
pub fn after_page_data() {
    #[cfg(feature = "hydrate")]
    if PENDING.get() {
        request_animation_frame(focus_heading);
    }
}

#[cfg(feature = "hydrate")]
fn focus_heading() {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let heading = document
        .query_selector("main h1")
        .ok()
        .flatten()
        .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(heading) = heading {
        heading.set_tab_index(-1);
        let _ = heading.focus();
        PENDING.set(false);
    } else if let Some(main) = document
        .get_element_by_id("main")
        .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
    {
        // The page is still loading: its heading takes focus when it shows.
        let _ = main.focus();
    }
}
