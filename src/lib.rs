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
//! - `qualify(rulebookJson, answersJson, audience)` runs the engine (with
//!   the `engine-js` feature).

#[cfg(target_arch = "wasm32")]
mod embed;
#[cfg(all(target_arch = "wasm32", feature = "engine-js"))]
mod engine;
#[cfg(target_arch = "wasm32")]
mod widget;

#[cfg(target_arch = "wasm32")]
pub use embed::{mount, unmount, MountOptions};
#[cfg(all(target_arch = "wasm32", feature = "engine-js"))]
pub use engine::qualify_json;
#[cfg(target_arch = "wasm32")]
pub use widget::{Widget, WidgetProps};
