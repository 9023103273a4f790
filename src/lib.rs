//! The Accord widget for landing pages, compiled to WebAssembly.
//!
//! This crate is the widget's entry point for JavaScript: the loader
//! (`www/accord-loader.js`) imports it and calls, for each embed
//! (see `docs/embedding.md`):
//! - `mount(element, options)`, which renders a widget into `element`'s
//!   shadow root, or takes over the form `accord embed` prerendered there;
//! - `unmount(element)`, which removes it again;
//! - `flushOutbox()`, which sends what the outbox holds; `outbox()` shows it.
//!
//! The components themselves (the form, the outcome, the capture-only
//! form and the embed's configuration) are in `accord-widget-ui`, so that
//! `accord embed` can prerender them natively; the outbox, the page, events
//! and the bridge to JavaScript are in `accord-web`.
//!
//! Everything here is gated to `wasm32`: on the host the crate is empty, so
//! `cargo test` and `cargo clippy` on the workspace need no web crates.

// Web-only: on every other target the crate is empty.
#![cfg(target_arch = "wasm32")]

mod embed;

pub use accord_widget_ui::{capture, config, form, outcome, widget, Widget, WidgetProps};
pub use embed::{flush_outbox, mount, outbox, unmount};
