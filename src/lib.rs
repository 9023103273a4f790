//! The Accord widget for landing pages, compiled to WebAssembly.
//!
//! This crate is the thin UI over `accord-core` and the browser runtime
//! `accord-web`: it renders a rulebook's fields, dispatches the visitor's
//! answers to the engine and shows the resulting qualification. It never
//! computes a score itself.
//!
//! Everything here is gated to `wasm32`: on the host the crate is empty, so
//! `cargo test` and `cargo clippy` on the workspace need no web crates.
//!
//! Entry points for JavaScript (see `docs/embedding.md`):
//! - `mount(element, options)` renders a widget into `element`'s shadow root;
//! - `unmount(element)` removes it again;
//! - `flushOutbox()` sends what the outbox holds; `outbox()` shows it.
//!
//! Modules: `config` (what the embed asked for), `widget` (loading the
//! rulebook), `form` (the questions, through `accord_web::field` and
//! `accord_web::form_state`), `outcome` and `capture` (the fallback form).
//! The outbox, the page, events and the bridge to JavaScript are in
//! `accord-web`.

// Web-only: on every other target the crate is empty.
#![cfg(target_arch = "wasm32")]

pub mod capture;
pub mod config;
mod embed;
pub mod form;
pub mod outcome;
pub mod widget;

pub use embed::{flush_outbox, mount, outbox, unmount};
pub use widget::{Widget, WidgetProps};
