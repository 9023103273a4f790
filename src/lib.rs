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

// Web-only: on every other target the crate is empty.
#![cfg(target_arch = "wasm32")]

pub mod bridge;
pub mod capture;
pub mod config;
pub mod deliver;
mod embed;
pub mod events;
pub mod field;
pub mod form;
pub mod outcome;
pub mod page;
pub mod state;
pub mod widget;

pub use embed::{flush_outbox, mount, outbox, unmount};
pub use widget::{Widget, WidgetProps};

/// The allocator: Talc instead of the standard library's dlmalloc, 2.8 KB
/// smaller in the gzipped wasm (BENCHMARKS.md). It grows the wasm memory as
/// dlmalloc does; the rep console, which links this crate, uses it too.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
