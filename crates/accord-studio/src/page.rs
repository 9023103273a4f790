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

/// Moves focus to the first input, select or text box inside the element
/// with this id (a list item just added), else to the element itself.
pub fn focus_first_field(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id));
    let first = element
        .as_ref()
        .and_then(|e| e.query_selector("input, select, textarea").ok().flatten())
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    match first {
        Some(field) => {
            let _ = field.focus();
        }
        None => focus(id),
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

/// POSTs JSON `body` to `url`, with `Authorization: Bearer <token>` when a
/// token is given; the status and the answer's text. Only a network
/// failure is an error: the caller reads the status.
pub async fn post_json(
    url: &str,
    body: &str,
    token: Option<&str>,
) -> Result<(u16, String), String> {
    use wasm_bindgen_futures::JsFuture;
    let fail = |e: wasm_bindgen::JsValue| accord_web::bridge::describe(&e);
    let window = web_sys::window().ok_or("no window")?;
    let headers = web_sys::Headers::new().map_err(fail)?;
    headers
        .set("Content-Type", "application/json")
        .map_err(fail)?;
    if let Some(token) = token {
        headers
            .set("Authorization", &format!("Bearer {token}"))
            .map_err(fail)?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&body.into());
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(fail)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "not a response")?;
    let text = JsFuture::from(response.text().map_err(fail)?)
        .await
        .map_err(fail)?
        .as_string()
        .unwrap_or_default();
    Ok((response.status(), text))
}
