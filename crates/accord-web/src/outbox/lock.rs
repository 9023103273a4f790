//! Only one tab drains at a time: the drain runs inside an exclusive Web
//! Lock (`navigator.locks`), which the browser grants to one tab at a time
//! and frees when that tab closes or crashes.
//!
//! A browser without Web Locks (none released since 2022) drains without a
//! lock. Two of its tabs may then send the same webhook twice, which the
//! backend de-duplicates on `submission_id`; a form post or a HubSpot
//! submission is still sent once, because it is marked in flight in
//! storage before it leaves (`accord_core::Outbox::start`).

use js_sys::{Object, Promise, Reflect};
use std::future::Future;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The Web Locks name of the drain.
const LOCK_NAME: &str = "accord:outbox";

#[wasm_bindgen]
extern "C" {
    /// The Web Locks API's `LockManager`.
    type LockManager;

    /// `navigator.locks`: `None` where the browser has no Web Locks.
    #[wasm_bindgen(thread_local_v2, js_namespace = navigator, js_name = locks)]
    static LOCKS: Option<LockManager>;

    /// `locks.request(name, options, callback)`.
    #[wasm_bindgen(method)]
    fn request(this: &LockManager, name: &str, options: &Object, callback: &JsValue) -> Promise;
}

/// Runs `work` while this tab holds the drain lock. `false`, without
/// running it, when another tab holds the lock.
pub(super) async fn exclusive<F, Fut>(work: F) -> bool
where
    F: FnOnce() -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    if LOCKS.with(Option::is_none) {
        // No Web Locks: drain anyway (see the module's doc).
        work().await;
        return true;
    }
    // `ifAvailable`: the callback gets `null` at once when another tab
    // holds the lock; otherwise the lock is held until its promise ends,
    // which `work` resolves when it is done.
    let work = std::rc::Rc::new(std::cell::Cell::new(Some(work)));
    let in_lock = work.clone();
    let granted = Closure::once_into_js(move |lock: JsValue| -> Promise {
        if lock.is_null() {
            return Promise::resolve(&JsValue::FALSE);
        }
        Promise::new(&mut |resolve, _| {
            if let Some(work) = in_lock.take() {
                wasm_bindgen_futures::spawn_local(async move {
                    work().await;
                    let _ = resolve.call1(&JsValue::NULL, &JsValue::TRUE);
                });
            }
        })
    });
    let options = Object::new();
    let _ = Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let promise = LOCKS.with(|l| {
        l.as_ref()
            .map(|locks| locks.request(LOCK_NAME, &options, &granted))
    });
    let held = match promise {
        Some(promise) => JsFuture::from(promise).await,
        None => return false,
    };
    match held {
        Ok(v) => v.is_truthy(),
        // Refused (a sandboxed frame, say): drain without the lock rather
        // than never, if the lock's callback did not run.
        Err(_) => match work.take() {
            Some(work) => {
                work().await;
                true
            }
            None => false,
        },
    }
}
