//! The browser side of the outbox: storage, sending and scheduling.
//!
//! The state machine (what to retry, when, what to keep) is
//! `accord_core::Outbox`; this module stores it in `localStorage`, sends
//! due deliveries with `fetch`, and schedules the next drain. A record is
//! written to storage before its first send and leaves it only when its
//! destination accepts it, so a closed tab or a dead network loses nothing:
//! the next page with the widget (or the loader) sends it.
//!
//! The parts: `store` (localStorage or memory), `lock` (one tab drains at
//! a time, with a Web Lock), `transport` (one `fetch` with a timeout) and `schedule` (when
//! the next drain runs). This module ties them together and tells the page
//! and the visitor what each attempt did.

mod lock;
mod schedule;
mod store;
mod transport;

pub use store::{load, save, OUTBOX_KEY};
pub use transport::page_info;

use accord_core::{
    DeliveryState, Destination, FailureReport, Outbox, OutgoingRequest, Progress, Settled, Strings,
    WebhookEncoding,
};
use lock::exclusive;
use schedule::{listen_once, schedule};
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use store::{in_memory, keep_in_memory};
use transport::send;
use wasm_bindgen::prelude::*;
use web_sys::Element;

/// How soon to look again when another tab holds the drain lock.
const LOCK_RETRY_MS: u64 = 2_000;

thread_local! {
    static DRAINING: Cell<bool> = const { Cell::new(false) };
    /// Submission id and watcher, one per record sent from this page.
    static WATCHERS: RefCell<Vec<(String, Watcher)>> = const { RefCell::new(Vec::new()) };
}

/// Who hears about one submission's delivery: the host element (DOM
/// events) and the visitor's status line.
#[derive(Clone)]
struct Watcher {
    host: Option<Element>,
    on_progress: Rc<dyn Fn(Progress)>,
}

/// The requests that deliver `record`: one webhook post to `endpoint` when
/// the embed names one, else one per rulebook destination.
pub fn requests(
    endpoint: Option<&str>,
    encoding: WebhookEncoding,
    headers: &BTreeMap<String, String>,
    destinations: &[Destination],
    record: &Value,
) -> Vec<OutgoingRequest> {
    match endpoint {
        Some(url) => vec![accord_core::webhook_request(url, encoding, headers, record)],
        None => {
            let page = page_info();
            destinations
                .iter()
                .map(|d| accord_core::request_for(d, record, &page))
                .collect()
        }
    }
}

/// Now, in whole milliseconds since the epoch.
fn now() -> u64 {
    crate::page::now_ms() as u64
}

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Sends a record: stores its requests in the outbox (before the first
/// send), then drains. `report_to` names the site owner's report endpoint,
/// which receives the record and the reason if a destination refuses it.
/// `on_progress` hears where the submission stands after this first drain
/// and after every later attempt, in this tab, until every destination has
/// accepted it; `host` receives the `accord:delivered` and `accord:failed`
/// events.
pub fn send_record(
    submission_id: &str,
    requests: Vec<OutgoingRequest>,
    report_to: Option<FailureReport>,
    host: Option<Element>,
    on_progress: impl Fn(Progress) + 'static,
) {
    let on_progress: Rc<dyn Fn(Progress)> = Rc::new(on_progress);
    let mut outbox = load();
    outbox.add(submission_id, requests.clone(), now());
    if let Some(report) = &report_to {
        outbox.report_failures_to(report.clone());
    }
    if !save(&outbox) && !in_memory() {
        web_sys::console::warn_1(
            &"accord: this browser would not store the record (private mode or full storage); it is sent from memory while the page stays open".into(),
        );
        // Only this record goes to memory: what storage already holds stays
        // there, for the tab or page that can update it, so nothing this tab
        // delivers is left behind in storage to be sent again.
        let mut fresh = Outbox::default();
        fresh.add(submission_id, requests, now());
        if let Some(report) = report_to {
            fresh.report_failures_to(report);
        }
        keep_in_memory(fresh);
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

/// The visitor's status line for a submission, in the language of
/// `strings`.
pub fn status_text(progress: Progress, strings: &Strings) -> String {
    let id = match progress {
        Progress::Delivered => "sent",
        Progress::Pending if !online() => "offline",
        Progress::Pending if in_memory() => "pending_memory",
        Progress::Pending => "pending",
        Progress::Failed => "failed",
    };
    strings.get(id).to_owned()
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

/// Sends every due delivery, then schedules the next drain. Safe to call
/// often: a drain already running in this tab, or holding the lock in
/// another tab, makes this a no-op.
pub async fn drain() {
    listen_once();
    // Nothing to send: no lock to take (every widget calls this once its
    // form is shown; a record put in later drains then, or on `online`).
    if load().deliveries.is_empty() {
        return;
    }
    if DRAINING.with(|d| d.replace(true)) {
        return;
    }
    let online = online();
    let locked = online && exclusive(send_due).await;
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

/// The drain itself, run while this tab holds the lock.
async fn send_due() {
    // Sends a closed page left unanswered are failures, not sent again.
    let mut outbox = load();
    let unconfirmed = outbox.unconfirmed(now());
    if !unconfirmed.is_empty() {
        save(&outbox);
        for i in unconfirmed {
            report(&outbox.deliveries[i], Settled::Failed, &outbox);
        }
    }
    for delivery in load().due(now()) {
        let once = !delivery.request.idempotent;
        if once {
            // Marked in storage before it leaves, so no other tab sends it
            // (and a send cut short is never repeated). A mark that cannot
            // be stored protects nothing: then it waits.
            let mut outbox = load();
            if !outbox.start(&delivery.submission_id, delivery.destination, now()) {
                continue;
            }
            if !save(&outbox) && !in_memory() {
                continue;
            }
        }
        // `keepalive` for a send that must not be repeated: the browser
        // finishes it even if the page closes meanwhile (bodies under the
        // browser's 64 KiB limit).
        let keepalive = once && delivery.request.body.len() < 60 * 1024;
        let result = send(&delivery.request, keepalive).await;
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
}

/// Sends what is pending with `keepalive` as the page goes away (bodies
/// under 64 KiB, the browser's limit). Results are not awaited: the next
/// page load sends the same requests again, so only requests a backend can
/// de-duplicate (they carry the submission id) go out here; form posts and
/// HubSpot wait for the next page load rather than risk a double lead.
pub fn send_on_exit() {
    // This tab's drain dies with it; the browser frees its Web Lock, so
    // the next page takes over at once.
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
pub(super) fn follow_other_tabs() {
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
