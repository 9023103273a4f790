//! The studio's few touches of the page: focus, the draft kept on this
//! device, downloads and the date.

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// Moves focus to the element with this id, if there is one.
pub fn focus(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
        element.scroll_into_view();
    }
}

/// Where the draft is kept on this device.
pub const DRAFT_KEY: &str = "accord-studio:draft";

/// Keeps `text` under `key` on this device; false when storage refused
/// (full, or blocked).
pub fn keep(key: &str, text: &str) -> bool {
    accord_web::page::local_storage().is_some_and(|s| s.set_item(key, text).is_ok())
}

/// What is kept under `key`.
pub fn kept(key: &str) -> Option<String> {
    accord_web::page::local_storage()?.get_item(key).ok()?
}

/// Offers `text` as a download named `name`.
pub fn download(name: &str, text: &str) -> Result<(), String> {
    let fail = |e: wasm_bindgen::JsValue| accord_web::bridge::describe(&e);
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The browser reads the URL after this task: free it a little later.
    gloo_timers::callback::Timeout::new(30_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// Today's date, `YYYY-MM-DD`, on this device's clock.
pub fn today() -> String {
    accord_web::page::now_rfc3339().chars().take(10).collect()
}
