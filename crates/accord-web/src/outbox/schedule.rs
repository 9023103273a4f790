//! When the next drain runs: a timer for the next due delivery, the
//! browser coming back online, another tab changing the outbox, and the page
//! going away.

use super::store::{load, save, OUTBOX_KEY};
use super::{drain, follow_other_tabs, now, send_on_exit};
use std::cell::Cell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    static TIMER: Cell<Option<i32>> = const { Cell::new(None) };
    static LISTENING: Cell<bool> = const { Cell::new(false) };
}

/// Runs a drain at `at` (ms since the epoch), replacing any timer set
/// before; `None` clears it.
pub(super) fn schedule(at: Option<u64>) {
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
pub(super) fn listen_once() {
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
