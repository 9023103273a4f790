//! Giving the main thread back between phases of work.
//!
//! A visitor's typing, scrolling and the host page's own scripts wait for
//! whatever runs on the main thread. On a slow phone, reading a rulebook and
//! rendering the form add up to hundreds of milliseconds: one such task
//! blocks the page for all of it (Lighthouse counts it as blocking time).
//! Splitting the work at its natural seams, with [`yield_to_browser`]
//! between them, lets input and painting run in between.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Resolves in a new task (a zero-delay timer), after the browser has had
/// the chance to handle input and paint. Without a window it resolves at
/// once.
pub async fn yield_to_browser() {
    wait_ms(0).await;
}

/// Resolves after `ms` milliseconds, in a new task (a timer). Without a
/// window it resolves at once.
pub async fn wait_ms(ms: i32) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), ms);
    });
    let _: Result<JsValue, JsValue> = JsFuture::from(promise).await;
}
