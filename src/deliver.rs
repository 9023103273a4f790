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
    AttemptResult, DeliveryState, Outbox, OutgoingRequest, PageInfo, Progress, Settled,
};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, Element, Headers, HtmlDocument, RequestInit, RequestMode, Response,
    ResponseType, Storage,
};

/// The `localStorage` key of the outbox.
pub const OUTBOX_KEY: &str = "accord:outbox";
const LOCK_KEY: &str = "accord:outbox:lock";
/// How long a drain lock holds without being renewed.
pub const LOCK_MS: f64 = 15_000.0;
/// How soon to look again when another tab holds the drain lock.
const LOCK_RETRY_MS: u64 = 2_000;
/// How long one request may take before it counts as a network failure.
const TIMEOUT_MS: i32 = 15_000;

thread_local! {
    static TAB_ID: String = crate::page::new_submission_id();
    static DRAINING: Cell<bool> = const { Cell::new(false) };
    static TIMER: Cell<Option<i32>> = const { Cell::new(None) };
    /// Submission id and watcher, one per record sent from this page.
    static WATCHERS: RefCell<Vec<(String, Watcher)>> = const { RefCell::new(Vec::new()) };
    static LISTENING: Cell<bool> = const { Cell::new(false) };
    /// The outbox, when this browser would not store it (private mode,
    /// full storage): kept in memory while the page stays open.
    static MEMORY: RefCell<Option<Outbox>> = const { RefCell::new(None) };
}

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn now() -> u64 {
    crate::page::now_ms() as u64
}

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

fn in_memory() -> bool {
    MEMORY.with(|m| m.borrow().is_some())
}

/// Reads the outbox. A stored value that cannot be read is moved aside
/// (never deleted) and reported, and an empty outbox is used instead.
pub fn load() -> Outbox {
    if let Some(outbox) = MEMORY.with(|m| m.borrow().clone()) {
        return outbox;
    }
    let Some(store) = storage() else {
        return Outbox::default();
    };
    let Ok(Some(text)) = store.get_item(OUTBOX_KEY) else {
        return Outbox::default();
    };
    let parsed = bridge::parse(&text).and_then(|v| Outbox::from_json(&v));
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
    if in_memory() {
        MEMORY.with(|m| *m.borrow_mut() = Some(outbox.clone()));
        return false;
    }
    let Some(store) = storage() else {
        return false;
    };
    if outbox.deliveries.is_empty() {
        return store.remove_item(OUTBOX_KEY).is_ok();
    }
    store
        .set_item(OUTBOX_KEY, &bridge::stringify(&outbox.to_json()))
        .is_ok()
}

/// Who hears about one submission's delivery: the host element (DOM
/// events) and the visitor's status line.
#[derive(Clone)]
struct Watcher {
    host: Option<Element>,
    on_progress: Rc<dyn Fn(Progress)>,
}

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

/// Sends a record: stores its requests in the outbox (before the first
/// send), then drains. `on_progress` hears where the submission stands
/// after this first drain and after every later attempt, in this tab,
/// until every destination has accepted it; `host` receives the
/// `accord:delivered` and `accord:failed` events.
pub fn send_record(
    submission_id: &str,
    requests: Vec<OutgoingRequest>,
    host: Option<Element>,
    on_progress: impl Fn(Progress) + 'static,
) {
    let on_progress: Rc<dyn Fn(Progress)> = Rc::new(on_progress);
    let mut outbox = load();
    outbox.add(submission_id, requests, now());
    if !save(&outbox) && !in_memory() {
        web_sys::console::warn_1(
            &"accord: this browser would not store the record (private mode or full storage); it is sent from memory while the page stays open".into(),
        );
        MEMORY.with(|m| *m.borrow_mut() = Some(outbox));
    }
    let watcher = Watcher {
        host,
        on_progress: on_progress.clone(),
    };
    WATCHERS.with(|w| w.borrow_mut().push((submission_id.to_owned(), watcher)));
    let id = submission_id.to_owned();
    wasm_bindgen_futures::spawn_local(async move {
        drain().await;
        on_progress(load().progress(&id));
    });
}

/// The visitor's status line for a submission.
pub fn status_text(progress: Progress) -> &'static str {
    match progress {
        Progress::Delivered => "Sent.",
        Progress::Pending if !online() => {
            "You are offline. Your answers are saved on this device and will be sent when you are back online."
        }
        Progress::Pending if in_memory() => {
            "Not sent yet. We will keep trying while this page is open."
        }
        Progress::Pending => "Saved on this device; we will keep trying to send it.",
        Progress::Failed => {
            "We could not deliver this yet. A copy is kept on this device and the site owner can see it."
        }
    }
}

/// Puts deliveries a destination refused back in line and drains (for the
/// site owner, once the destination is fixed). Returns how many.
pub fn retry_failed() -> usize {
    let mut outbox = load();
    let count = outbox.retry_failed(now());
    save(&outbox);
    wasm_bindgen_futures::spawn_local(drain());
    count
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
        // Whole milliseconds (see below); a `u64` reader is far smaller in
        // wasm than the `f64` one.
        let until = parts
            .next()
            .and_then(|t| t.parse::<u64>().ok())
            .unwrap_or(0) as f64;
        if owner != me && until > now {
            return false;
        }
    }
    store
        // Whole milliseconds: formatting an `f64` would bring the float
        // formatter into the wasm.
        .set_item(LOCK_KEY, &format!("{me} {}", (now + LOCK_MS) as u64))
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
    let online = online();
    let locked = online && take_lock();
    if locked {
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
            if settled != Settled::Unknown {
                report(&delivery, settled, &outbox);
            }
        }
        release_lock();
    }
    DRAINING.with(|d| d.set(false));
    // Offline, the `online` event drains; another tab holding the lock is
    // asked again a little later rather than in a tight loop.
    let next = load().next_due();
    schedule(match (online, locked) {
        (false, _) => None,
        (true, true) => next,
        (true, false) => next.map(|at| at.max(now() + LOCK_RETRY_MS)),
    });
}

/// Sends what is pending with `keepalive` as the page goes away (bodies
/// under 64 KiB, the browser's limit). Results are not awaited: the next
/// page load sends the same requests again, so only requests a backend can
/// de-duplicate (they carry the submission id) go out here; form posts and
/// HubSpot wait for the next page load rather than risk a double lead.
pub fn send_on_exit() {
    // This tab's drain dies with it; let the next page take over at once.
    release_lock();
    let outbox = load();
    for delivery in outbox.due(u64::MAX) {
        if delivery.request.idempotent && delivery.request.body.len() < 60 * 1024 {
            let request = delivery.request.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = send(&request, true).await;
            });
        }
    }
}

/// The watcher of a submission (its host and status line), dropped once
/// every destination has accepted it.
fn watcher_for(id: &str, progress: Progress) -> Option<Watcher> {
    WATCHERS.with(|w| {
        let mut watchers = w.borrow_mut();
        let index = watchers.iter().position(|(watched, _)| watched == id)?;
        if progress == Progress::Delivered {
            Some(watchers.remove(index).1)
        } else {
            Some(watchers[index].1.clone())
        }
    })
}

/// `{submission_id}`, the detail of the delivery events.
fn event_detail(id: &str) -> js_sys::Object {
    let detail = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&detail, &"submission_id".into(), &id.into());
    detail
}

/// Tells watchers whose submissions another tab delivered or saw refused.
fn follow_other_tabs() {
    let outbox = load();
    let settled: Vec<(String, Progress)> = WATCHERS.with(|w| {
        w.borrow()
            .iter()
            .map(|(id, _)| (id.clone(), outbox.progress(id)))
            .filter(|(_, p)| *p != Progress::Pending)
            .collect()
    });
    for (id, progress) in settled {
        let Some(watcher) = watcher_for(&id, progress) else {
            continue;
        };
        if progress == Progress::Delivered {
            crate::events::emit(
                watcher.host.as_ref(),
                "accord:delivered",
                &event_detail(&id),
            );
        }
        (watcher.on_progress)(progress);
    }
}

/// Tells the page and the visitor's status line what an attempt did.
fn report(delivery: &accord_core::Delivery, settled: Settled, outbox: &Outbox) {
    let id = &delivery.submission_id;
    let progress = outbox.progress(id);
    let watcher = watcher_for(id, progress);
    let host = watcher.as_ref().and_then(|w| w.host.clone());
    let detail = event_detail(id);
    let set = |key: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(&detail, &key.into(), &value);
    };
    match settled {
        Settled::Delivered if progress == Progress::Delivered => {
            crate::events::emit(host.as_ref(), "accord:delivered", &detail);
        }
        Settled::Failed => {
            let failed = outbox
                .deliveries
                .iter()
                .find(|d| d.submission_id == *id && d.destination == delivery.destination);
            if let Some(DeliveryState::Failed { status, reason }) = failed.map(|d| &d.state) {
                set("destination", (delivery.destination as u32).into());
                set("url", delivery.request.url.as_str().into());
                set("status", (*status).into());
                set("reason", reason.as_str().into());
                web_sys::console::error_1(
                    &format!(
                        "accord: {} refused submission {id} ({reason}); it is kept in the outbox (Accord.outbox(), Accord.retryFailed())",
                        delivery.request.url
                    )
                    .into(),
                );
            }
            crate::events::emit(host.as_ref(), "accord:failed", &detail);
        }
        _ => {}
    }
    if let Some(watcher) = watcher {
        (watcher.on_progress)(progress);
    }
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
    // Another tab changed the outbox (it may have delivered our records).
    let storage = Closure::<dyn Fn(web_sys::StorageEvent)>::new(|e: web_sys::StorageEvent| {
        if e.key().is_none_or(|k| k == OUTBOX_KEY) {
            follow_other_tabs();
        }
    });
    let _ = window.add_event_listener_with_callback("storage", storage.as_ref().unchecked_ref());
    storage.forget();
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
    if request.opaque {
        init.set_mode(RequestMode::NoCors);
    }
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
    if response.type_() == ResponseType::Opaque {
        window.clear_timeout_with_handle(timer);
        return Ok(AttemptResult::Opaque);
    }
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
