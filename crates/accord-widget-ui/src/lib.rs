//! The Accord widget's components, in one place for both of the ways they
//! are drawn:
//!
//! - in the browser, by the widget (`accord-widget`, the wasm module the
//!   loader starts), which renders them into a host element's shadow root
//!   or takes over ("hydrates") HTML prerendered from them;
//! - natively, by `accord embed` (feature `ssr`), which prerenders the
//!   first step of the form into the snippet a landing page pastes, so a
//!   visitor can type before any script has run ([`prerender`]).
//!
//! Modules: `config` (what the embed asked for), `widget` (loading the
//! rulebook), `form` (the questions, through `accord_web::field` and
//! `accord_web::form_state`), `outcome` and `capture` (the fallback form).
//! The thin UI never scores anything: the engine in `accord-core` does.

#![deny(missing_docs)]

pub mod capture;
pub mod config;
pub mod form;
pub mod outcome;
pub mod prerender;
pub mod widget;

pub use widget::{Widget, WidgetProps};
