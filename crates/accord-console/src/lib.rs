//! The Accord rep console: qualify a prospect during a call, and tell
//! marketing what sales made of its leads.
//!
//! A full page (`www/console.html`) for sales reps, keyboard first, in
//! large type. It loads a rulebook, asks its `call` questions as a script
//! (one at a time or all at once) with the live qualification beside them
//! and the questions that could still change the grade, keeps notes, a
//! timer, the rep's name and a disposition, and saves each call as a lead
//! record (`channel: "call"`) through the same outbox and destinations as
//! the widget. Recent calls stay on the device, searchable and exportable.
//! The feedback view opens leads marketing sent (from the inbox, a pasted
//! record or a JSON feed) and posts sales' verdict as a feedback record.
//!
//! Everything is gated to `wasm32`. Modules: `app` (loading, views and
//! shortcuts), `call` (the call script), `calls` (this device's recent
//! calls), `feedback`, `keys` (the shortcut table), `options`, `rep` (the
//! rep's remembered name).

#![cfg(target_arch = "wasm32")]

pub mod app;
pub mod call;
pub mod calls;
pub mod feedback;
pub mod keys;
pub mod options;
pub mod rep;

use wasm_bindgen::prelude::*;
use web_sys::Element;

/// Renders the console into `element`. `options`: `{rulebook, endpoint,
/// feedbackEndpoint, inbox, catalogue}` (see `docs/console.md`); missing
/// ones take the page's query (`?rulebook=…`) or their defaults.
#[wasm_bindgen(js_name = mountConsole)]
pub fn mount_console(element: Element, options: JsValue) {
    let props = app::AppProps {
        options: std::rc::Rc::new(options::Options::from_js(&options)),
    };
    yew::Renderer::<app::App>::with_root_and_props(element, props).render();
}
