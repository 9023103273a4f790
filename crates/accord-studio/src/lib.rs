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
//! problems placed at controls, fixtures, sign-offs), `impact_run` (a
//! change measured on a leads file, a slice at a time). The views build for
//! `wasm32` only.

#![deny(missing_docs)]

pub mod checked;
pub mod condition;
pub mod draft;
pub mod impact_run;
pub mod path;

#[cfg(target_arch = "wasm32")]
mod agreement;
#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
mod condition_editor;
#[cfg(target_arch = "wasm32")]
mod controls;
#[cfg(target_arch = "wasm32")]
mod edit;
#[cfg(target_arch = "wasm32")]
mod editor;
#[cfg(target_arch = "wasm32")]
mod impact_view;
#[cfg(target_arch = "wasm32")]
mod json_view;
#[cfg(target_arch = "wasm32")]
mod page;
#[cfg(target_arch = "wasm32")]
mod preview;
#[cfg(target_arch = "wasm32")]
mod proof;
#[cfg(target_arch = "wasm32")]
mod snippet;
#[cfg(target_arch = "wasm32")]
mod start;

#[cfg(target_arch = "wasm32")]
pub use mount::mount_studio;

#[cfg(target_arch = "wasm32")]
mod mount {
    use crate::app;
    use wasm_bindgen::prelude::*;
    use web_sys::Element;

    /// Renders the studio into `element`. `catalogue` is the URL of the
    /// template catalogue (`rulebooks.json`); `inbox` the inbox's rulebook
    /// store that publishing offers (`/api/rulebooks`), or empty.
    #[wasm_bindgen(js_name = mountStudio)]
    pub fn mount_studio(element: Element, catalogue: String, inbox: String) {
        let props = app::AppProps {
            catalogue: catalogue.into(),
            inbox: inbox.into(),
        };
        yew::Renderer::<app::App>::with_root_and_props(element, props).render();
    }
}
