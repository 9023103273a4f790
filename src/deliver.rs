//! The browser side of the outbox: storage, sending and scheduling.
//!
//! The state machine (what to retry, when, what to keep) is
//! `accord_core::Outbox`; this module stores it in `localStorage`, sends
//! due deliveries with `fetch`, and schedules the next drain. A record is
//! written to storage before its first send and leaves it only when its
//! destination accepts it, so a closed tab or a dead network loses nothing:
//! the next page with the widget (or the loader) sends it.
//!
//! Only one tab drains at a time: a lock in `localStorage` names its owner
//! and expires after [`LOCK_MS`], so a lock left by a closed tab does not
//! block the others for long.

use crate::bridge;
use accord_core::{
    webhook_request, AttemptResult, Outbox, OutgoingRequest, Settled, WebhookEncoding,
};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Element, Headers, RequestInit, Response, Storage};

/// The `localStorage` key of the outbox.
pub const OUTBOX_KEY: &str = "accord:outbox";
const LOCK_KEY: &str = "accord:outbox:lock";
/// How long a drain lock holds without being renewed.
pub const LOCK_MS: f64 = 15_000.0;
/// How long one request may take before it counts as a network failure.
const TIMEOUT_MS: i32 = 15_000;

thread_local! {
    static TAB_ID: String = crate::page::new_submission_id();
    static DRAINING: Cell<bool> = const { Cell::new(false) };
    static TIMER: Cell<Option<i32>> = const { Cell::new(None) };
    static HOSTS: RefCell<BTreeMap<String, Element>> = const { RefCell::new(BTreeMap::new()) };
    static LISTENING: Cell<bool> = const { Cell::new(false) };
}

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn now() -> u64 {
    crate::page::now_ms() as u64
}

/// Reads the outbox. A stored value that cannot be read is moved aside
/// (never deleted) and reported, and an empty outbox is used instead.
pub fn load() -> Outbox {
    let Some(store) = storage() else {
        return Outbox::default();
    };
    let Ok(Some(text)) = store.get_item(OUTBOX_KEY) else {
        return Outbox::default();
    };
    let parsed = bridge::parse(&text)
        .and_then(|v| serde_json::from_value::<Outbox>(v).map_err(|e| e.to_string()));
    match parsed {
        Ok(outbox) => outbox,
        Err(e) => {
            let aside = format!("{OUTBOX_KEY}:unreadable:{}", now());
            let _ = store.set_item(&aside, &text);
            let _ = store.remove_item(OUTBOX_KEY);
            web_sys::console::error_1(
                &format!("accord: the stored outbox could not be read ({e}); kept as {aside}")
                    .into(),
            );
            Outbox::default()
        }
    }
}

/// Writes the outbox; `false` when storage is unavailable or full.
pub fn save(outbox: &Outbox) -> bool {
    let Some(store) = storage() else {
        return false;
    };
    if outbox.deliveries.is_empty() {
        return store.remove_item(OUTBOX_KEY).is_ok();
    }
    match serde_json::to_value(outbox) {
        Ok(value) => store
            .set_item(OUTBOX_KEY, &bridge::stringify(&value))
            .is_ok(),
        Err(_) => false,
    }
}

/// The request for the embed's own endpoint: a webhook with the record's
/// submission id as `Idempotency-Key`, unless the body is sent as
/// `text/plain` to avoid a CORS preflight (a custom header would force one).
pub fn endpoint_request(
    url: &str,
    encoding: WebhookEncoding,
    submission_id: &str,
    json: &str,
) -> OutgoingRequest {
    let mut headers = BTreeMap::new();
    if encoding == WebhookEncoding::Json {
        headers.insert("Idempotency-Key".to_owned(), submission_id.to_owned());
    }
    webhook_request(url, encoding, &headers, json)
}

/// Adds a record's requests to the outbox and stores it. `host` receives
/// the `accord:delivered` event. Returns whether the record was stored
/// durably (when it was not, it is still sent from memory).
pub fn enqueue(submission_id: &str, requests: Vec<OutgoingRequest>, host: Option<Element>) -> bool {
    let mut outbox = load();
    outbox.add(submission_id, requests, now());
    if let Some(host) = host {
        HOSTS.with(|h| h.borrow_mut().insert(submission_id.to_owned(), host));
    }
    save(&outbox)
}

/// Whether a submission still has deliveries waiting or failed.
pub fn pending(submission_id: &str) -> bool {
    load().holds(submission_id)
}

fn take_lock() -> bool {
    let Some(store) = storage() else {
        return true;
    };
    let me = TAB_ID.with(Clone::clone);
    let now = crate::page::now_ms();
    if let Ok(Some(held)) = store.get_item(LOCK_KEY) {
        let mut parts = held.splitn(2, ' ');
        let owner = parts.next().unwrap_or_default();
        let until: f64 = parts.next().and_then(|t| t.parse().ok()).unwrap_or(0.0);
        if owner != me && until > now {
            return false;
        }
    }
    store
        .set_item(LOCK_KEY, &format!("{me} {}", now + LOCK_MS))
        .is_ok()
}

fn release_lock() {
    if let Some(store) = storage() {
        let me = TAB_ID.with(Clone::clone);
        if let Ok(Some(held)) = store.get_item(LOCK_KEY) {
            if held.starts_with(&me) {
                let _ = store.remove_item(LOCK_KEY);
            }
        }
    }
}

/// Sends every due delivery, then schedules the next drain. Safe to call
/// often: a drain already running in this tab, or holding the lock in
/// another tab, makes this a no-op.
pub async fn drain() {
    listen_once();
    if DRAINING.with(|d| d.replace(true)) {
        return;
    }
    let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
    if online && take_lock() {
        for delivery in load().due(now()) {
            if !take_lock() {
                break;
            }
            let result = send(&delivery.request, false).await;
            // Re-read: another tab or an earlier call may have changed it.
            let mut outbox = load();
            let settled = outbox.settle(
                &delivery.submission_id,
                delivery.destination,
                &result,
                now(),
                js_sys::Math::random(),
            );
            save(&outbox);
            if settled == Settled::Delivered && !outbox.holds(&delivery.submission_id) {
                announce(&delivery.submission_id);
            }
        }
        release_lock();
    }
    DRAINING.with(|d| d.set(false));
    schedule(load().next_due());
}

/// Sends what is pending with `keepalive` as the page goes away (bodies
/// under 64 KiB, the browser's limit). Results are not awaited: the next
/// page load settles them, and destinations are idempotent on the id.
pub fn send_on_exit() {
    let outbox = load();
    for delivery in outbox.due(u64::MAX) {
        if delivery.request.body.len() < 60 * 1024 {
            let request = delivery.request.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = send(&request, true).await;
            });
        }
    }
}

fn announce(submission_id: &str) {
    let host = HOSTS.with(|h| h.borrow_mut().remove(submission_id));
    let detail = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&detail, &"submission_id".into(), &submission_id.into());
    crate::events::emit(host.as_ref(), "accord:delivered", &detail);
}

fn schedule(at: Option<u64>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(old) = TIMER.with(|t| t.take()) {
        window.clear_timeout_with_handle(old);
    }
    let Some(at) = at else {
        return;
    };
    let wait = at.saturating_sub(now()).min(i32::MAX as u64) as i32;
    let callback = Closure::once_into_js(|| wasm_bindgen_futures::spawn_local(drain()));
    if let Ok(handle) =
        window.set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), wait)
    {
        TIMER.with(|t| t.set(Some(handle)));
    }
}

/// Drains when the browser comes back online, and sends with keepalive
/// when the page is hidden for good.
fn listen_once() {
    if LISTENING.with(|l| l.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let online = Closure::<dyn Fn()>::new(|| {
        let mut outbox = load();
        outbox.hurry(now());
        save(&outbox);
        wasm_bindgen_futures::spawn_local(drain());
    });
    let _ = window.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
    online.forget();
    let exit = Closure::<dyn Fn()>::new(send_on_exit);
    let _ = window.add_event_listener_with_callback("pagehide", exit.as_ref().unchecked_ref());
    exit.forget();
}

async fn send(request: &OutgoingRequest, keepalive: bool) -> AttemptResult {
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
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&request.body));
    if keepalive {
        js_sys::Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE)?;
    }
    let abort = AbortController::new()?;
    init.set_signal(Some(&abort.signal()));
    let stop = Closure::once_into_js(move || abort.abort());
    let timer = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(stop.unchecked_ref(), TIMEOUT_MS)?;
    let response = JsFuture::from(window.fetch_with_str_and_init(&request.url, &init)).await;
    let response: Response = match response {
        Ok(r) => r.dyn_into()?,
        Err(e) => {
            window.clear_timeout_with_handle(timer);
            return Err(e);
        }
    };
    let body = match response.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    };
    window.clear_timeout_with_handle(timer);
    Ok(AttemptResult::Status {
        status: response.status(),
        retry_after: response.headers().get("Retry-After").ok().flatten(),
        body: body.unwrap_or_default(),
    })
}
