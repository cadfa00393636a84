//! Forms that follow the typing: a search box submits its form (through the router's own
//! handler, so the results load without a new document) when the visitor pauses.

/// Submits the form of the element that fired `ev` (through the router's own handler).
pub fn submit_form_of(ev: leptos::ev::Event) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(form) = ev
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest("form").ok().flatten())
            .and_then(|form| form.dyn_into::<web_sys::HtmlFormElement>().ok())
        {
            let _ = form.request_submit();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

/// Submits the form of the element that fired `ev` when typing pauses for 300 ms (a newer
/// keystroke cancels the older).
pub fn submit_after_pause(ev: leptos::ev::Event) {
    #[cfg(feature = "hydrate")]
    {
        thread_local! {
            static TYPED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
        }
        let mine = TYPED.with(|typed| {
            typed.set(typed.get() + 1);
            typed.get()
        });
        leptos::prelude::set_timeout(
            move || {
                if TYPED.with(std::cell::Cell::get) == mine {
                    submit_form_of(ev);
                }
            },
            std::time::Duration::from_millis(300),
        );
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}
