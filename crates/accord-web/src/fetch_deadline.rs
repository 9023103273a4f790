//! A `fetch` that gives up after a time: what an enrichment lookup and a
//! delivery attempt both need, so a slow server never holds a lead.

use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, RequestInit};

/// Aborts the fetch made with the `RequestInit` it was armed on once `ms`
/// milliseconds have passed. Dropping it clears the timer, so keep it
/// until the body is read: the time limit covers the whole answer.
pub struct FetchDeadline {
    timer: i32,
    timed_out: Rc<Cell<bool>>,
}

impl FetchDeadline {
    /// Gives `init` an abort signal and starts the timer.
    pub fn arm(init: &RequestInit, ms: i32) -> Result<FetchDeadline, JsValue> {
        let window = web_sys::window().ok_or("no window")?;
        let abort = AbortController::new()?;
        init.set_signal(Some(&abort.signal()));
        let timed_out = Rc::new(Cell::new(false));
        let stop = {
            let timed_out = timed_out.clone();
            Closure::once_into_js(move || {
                timed_out.set(true);
                abort.abort();
            })
        };
        let timer = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(stop.unchecked_ref(), ms)?;
        Ok(FetchDeadline { timer, timed_out })
    }

    /// Whether the time ran out (so a failed fetch was aborted, not refused).
    pub fn timed_out(&self) -> bool {
        self.timed_out.get()
    }
}

impl Drop for FetchDeadline {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            window.clear_timeout_with_handle(self.timer);
        }
    }
}
