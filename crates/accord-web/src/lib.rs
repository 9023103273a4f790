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
//! - `enrich`: the rulebook's enrichment providers for the visitor's
//!   answers (lookups kept for the visit, and the snapshot a record keeps).
//! - `bridge` (JSON through the browser's parser, JavaScript values),
//!   `page` (URL, referrer, campaign parameters, clock and randomness),
//!   `events` (DOM events and `dataLayer`) and `options` (reading an
//!   options object).
//!
//! Everything builds natively too, so `accord embed` can prerender the
//! widget's components (`accord-widget-ui`) on the host. There is no
//! browser there: the calls a first render makes answer as a page with
//! nothing to say would (`page::context`, `page::hidden_answers` and
//! `page::now_ms` give nothing, `i18n::number` writes ASCII digits), and
//! the browser, which hydrates the prerendered form, puts in the page's
//! own values. Anything else that asks the browser is for event handlers
//! and effects, which a prerender never runs.

#![deny(missing_docs)]

pub mod bridge;
pub mod enrich;
pub mod events;
pub mod fetch_deadline;
pub mod field;
pub mod form_state;
pub mod i18n;
pub mod load;
pub mod main_thread;
pub mod options;
pub mod outbox;
pub mod page;

/// The allocator of every Accord wasm module: Talc instead of the standard
/// library's dlmalloc, 2.8 KB smaller in the gzipped wasm (BENCHMARKS.md).
/// It grows the wasm memory as dlmalloc does.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
