//! Files the editor chooses (a photo, a WordPress export), sent as they are: the body of a
//! same-origin POST, which the server reads and checks itself.

/// The file chosen in the `<input type="file">` that fired `ev`.
#[cfg(feature = "hydrate")]
pub fn chosen_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    input.files()?.get(0)
}

/// Posts `file` to `url`; `None` when the server could not be reached.
#[cfg(feature = "hydrate")]
pub async fn post_file(url: &str, file: web_sys::File, content_type: &str) -> Option<gloo_net::http::Response> {
    gloo_net::http::Request::post(url)
        .header("content-type", content_type)
        .body(wasm_bindgen::JsValue::from(file))
        .ok()?
        .send()
        .await
        .ok()
}
