//! Accord's browser runtime: what the widget, the rep console and the
//! studio share in the browser, so none of them depends on another's
//! package.
//!
//! - [`form_state`]: a form's answers, pages and problems, and every
//!   transition (plain Rust, tested natively with `cargo test`; a Yew
//!   `Reducible` in the browser). The engine qualifies on each answer; the
//!   views render its result and never score anything themselves.
//! - `field`: the input for one rulebook field (Yew), and focusing by id.
//! - `outbox`: the browser side of `accord_core::Outbox`, in four parts:
//!   `store` (localStorage, or memory), `lock` (one tab drains at a time),
//!   `transport` (one `fetch` with a timeout) and `schedule` (when the next
//!   drain runs).
//! - `load`: reading a rulebook from a URL or inline text.
//! - `bridge` (JSON through the browser's parser, JavaScript values),
//!   `page` (URL, referrer, campaign parameters, clock and randomness),
//!   `events` (DOM events and `dataLayer`) and `options` (reading an
//!   options object).
//!
//! Everything but [`form_state`] builds for `wasm32` only.

#![deny(missing_docs)]

pub mod form_state;

#[cfg(target_arch = "wasm32")]
pub mod bridge;
#[cfg(target_arch = "wasm32")]
pub mod events;
#[cfg(target_arch = "wasm32")]
pub mod field;
#[cfg(target_arch = "wasm32")]
pub mod i18n;
#[cfg(target_arch = "wasm32")]
pub mod load;
#[cfg(target_arch = "wasm32")]
pub mod main_thread;
#[cfg(target_arch = "wasm32")]
pub mod options;
#[cfg(target_arch = "wasm32")]
pub mod outbox;
#[cfg(target_arch = "wasm32")]
pub mod page;

/// The allocator of every Accord wasm module: Talc instead of the standard
/// library's dlmalloc, 2.8 KB smaller in the gzipped wasm (BENCHMARKS.md).
/// It grows the wasm memory as dlmalloc does.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
