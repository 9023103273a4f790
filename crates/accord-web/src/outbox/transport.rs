//! Sending one request with `fetch`, with a timeout, and what the page
//! tells destinations that want it.

use crate::bridge;
use crate::fetch_deadline::FetchDeadline;
use accord_core::{AttemptResult, OutgoingRequest, PageInfo};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, HtmlDocument, RequestInit, RequestMode, Response, ResponseType};

/// How long one request may take before it counts as a network failure.
const TIMEOUT_MS: i32 = 15_000;

/// What the page tells destinations that want it (HubSpot): its
/// `hubspotutk` cookie and its title.
pub fn page_info() -> PageInfo {
    let document = web_sys::window().and_then(|w| w.document());
    let hutk = document
        .as_ref()
        .and_then(|d| d.dyn_ref::<HtmlDocument>()?.cookie().ok())
        .and_then(|cookies| {
            cookies.split(';').find_map(|c| {
                let (name, value) = c.trim().split_once('=')?;
                (name == "hubspotutk").then(|| value.to_owned())
            })
        });
    PageInfo {
        hutk,
        page_name: document.map(|d| d.title()).filter(|t| !t.is_empty()),
    }
}

/// Sends one request; a network error, a timeout or a refused CORS check is
/// [`AttemptResult::NoResponse`].
pub(super) async fn send(request: &OutgoingRequest, keepalive: bool) -> AttemptResult {
    match try_send(request, keepalive).await {
        Ok(result) => result,
        Err(e) => AttemptResult::NoResponse {
            reason: bridge::describe(&e),
        },
    }
}

async fn try_send(request: &OutgoingRequest, keepalive: bool) -> Result<AttemptResult, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let headers = Headers::new()?;
    headers.set("Content-Type", &request.content_type)?;
    for (name, value) in &request.headers {
        headers.set(name, value)?;
    }
    let init = RequestInit::new();
    init.set_method("POST");
    if request.opaque {
        init.set_mode(RequestMode::NoCors);
    }
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&request.body));
    if keepalive {
        js_sys::Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE)?;
    }
    let _deadline = FetchDeadline::arm(&init, TIMEOUT_MS)?;
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(&request.url, &init))
        .await?
        .dyn_into()?;
    if response.type_() == ResponseType::Opaque {
        return Ok(AttemptResult::Opaque);
    }
    let body = match response.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    };
    Ok(AttemptResult::Status {
        status: response.status(),
        retry_after: response.headers().get("Retry-After").ok().flatten(),
        body: body.unwrap_or_default(),
    })
}
