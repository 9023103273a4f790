//! The Accord rulebook studio: marketing and sales write, prove and sign
//! off the rules without editing JSON.
//!
//! A full page (`www/studio.html`), static and offline once loaded. It
//! opens a rulebook (a template from the catalogue, a file, a URL, or the
//! draft kept on this device), edits every part with forms and a condition
//! builder, keeps a JSON view in step, validates on every change and shows
//! each problem at its control, runs the fixtures, previews the form with
//! the widget's own fields, writes the agreement as sentences, lists the
//! changes since the last agreed version, binds sign-offs to the rules and
//! publishes (`docs/studio.md`).
//!
//! Pure parts, tested natively: `path` (places in the document and the
//! edits made there), `draft` (the document and its undo history),
//! `condition` (the builder's shapes ↔ JsonLogic), `checked` (validation,
//! problems placed at controls, fixtures, sign-offs). The views build for
//! `wasm32` only.

#![deny(missing_docs)]

pub mod checked;
pub mod condition;
pub mod draft;
pub mod path;
