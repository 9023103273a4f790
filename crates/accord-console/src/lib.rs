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
//! Modules: `app` (the frame: views and shortcuts) with `loader` (the
//! rulebook) and `help` (the shortcuts dialog), `call` (the call view),
//! `script`, `wrap_up` and `live` (its parts), `call_state` (its reducer),
//! `recent` and `calls` (this device's recent calls, the view and the data),
//! `feedback` with `feedback_state`, `lead_sources` and `lead_detail`, `keys` (the shortcut table and hook), `words` (its texts in the rep's language), `options`, `memory` (the
//! rep's name and the inbox token, remembered on the device). `call_state`, `feedback_state`, `calls` and `keys` are plain Rust,
//! tested natively; the rest builds for `wasm32` only.

#![deny(missing_docs)]

pub mod call_state;
pub mod calls;
pub mod feedback_state;
pub mod keys;
pub mod words;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod call;
#[cfg(target_arch = "wasm32")]
pub mod feedback;
#[cfg(target_arch = "wasm32")]
mod help;
#[cfg(target_arch = "wasm32")]
mod lead_detail;
#[cfg(target_arch = "wasm32")]
mod lead_sources;
#[cfg(target_arch = "wasm32")]
mod live;
#[cfg(target_arch = "wasm32")]
mod loader;
#[cfg(target_arch = "wasm32")]
pub mod memory;
#[cfg(target_arch = "wasm32")]
pub mod options;
#[cfg(target_arch = "wasm32")]
pub mod recent;
#[cfg(target_arch = "wasm32")]
mod script;
#[cfg(target_arch = "wasm32")]
mod wrap_up;

#[cfg(target_arch = "wasm32")]
pub use mount::mount_console;

#[cfg(target_arch = "wasm32")]
mod mount {
    use crate::{app, options};
    use wasm_bindgen::prelude::*;
    use web_sys::Element;

    /// Renders the console into `element`, in the rep's language (its
    /// words fetched first, so nothing shows in English before them).
    /// `options`: `{rulebook, endpoint, feedbackEndpoint, inbox, catalogue,
    /// locale, assets}` (see `docs/console.md`); missing ones take the
    /// page's query (`?rulebook=…`), its language or their defaults.
    #[wasm_bindgen(js_name = mountConsole)]
    pub fn mount_console(element: Element, options: JsValue) {
        let options = options::Options::from_js(&options);
        wasm_bindgen_futures::spawn_local(async move {
            crate::words::load(&options.locale, &options.assets).await;
            let _ = element.set_attribute("lang", &options.locale);
            let props = app::AppProps {
                options: std::rc::Rc::new(options),
            };
            yew::Renderer::<app::App>::with_root_and_props(element, props).render();
        });
    }
}
