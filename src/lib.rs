//! The Accord widget and rep console, compiled to WebAssembly.
//!
//! This crate is the thin UI over `accord-core`: it renders a rulebook's
//! fields, dispatches the visitor's answers to the engine and shows the
//! resulting qualification. It never computes a score itself.
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
//! rulebook), `form` and `field` (the questions), `state` (the form's
//! transitions), `outcome`, `capture` (the fallback form), `deliver`
//! (the outbox in the browser), `events`, `page` (URL, clock,
//! randomness) and `bridge` (JSON through the browser's parser).

#[cfg(target_arch = "wasm32")]
pub mod bridge;
#[cfg(target_arch = "wasm32")]
pub mod capture;
#[cfg(target_arch = "wasm32")]
pub mod config;
#[cfg(target_arch = "wasm32")]
pub mod deliver;
#[cfg(target_arch = "wasm32")]
mod embed;
#[cfg(target_arch = "wasm32")]
pub mod events;
#[cfg(target_arch = "wasm32")]
pub mod field;
#[cfg(target_arch = "wasm32")]
pub mod form;
#[cfg(target_arch = "wasm32")]
pub mod outcome;
#[cfg(target_arch = "wasm32")]
pub mod page;
#[cfg(target_arch = "wasm32")]
pub mod state;
#[cfg(target_arch = "wasm32")]
pub mod widget;

#[cfg(target_arch = "wasm32")]
pub use embed::{flush_outbox, mount, outbox, unmount};
#[cfg(target_arch = "wasm32")]
pub use widget::{Widget, WidgetProps};
