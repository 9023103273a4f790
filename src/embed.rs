//! The JavaScript API: mount a widget into a host element's shadow root.

use crate::widget::{Widget, WidgetProps};
use wasm_bindgen::prelude::*;
use web_sys::{Element, ShadowRootInit, ShadowRootMode};

/// Options a host passes to [`mount`], read from a plain JS object.
#[derive(Debug, Clone, Default)]
pub struct MountOptions {
    /// URL of the rulebook JSON.
    pub rulebook_url: String,
    /// Base URL the widget's own files (CSS) are served from.
    pub asset_base: String,
}

impl MountOptions {
    fn from_js(options: &JsValue) -> MountOptions {
        let get = |key: &str| {
            js_sys_get(options, key)
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        MountOptions {
            rulebook_url: get("rulebook"),
            asset_base: get("assetBase"),
        }
    }
}

fn js_sys_get(target: &JsValue, key: &str) -> Option<JsValue> {
    if !target.is_object() {
        return None;
    }
    let value = js_sys::Reflect::get(target, &JsValue::from_str(key)).ok()?;
    (!value.is_undefined() && !value.is_null()).then_some(value)
}

/// Renders a widget into `element`: creates (or reuses) an open shadow root,
/// links the widget stylesheet, and starts the Yew app inside it.
#[wasm_bindgen]
pub fn mount(element: Element, options: JsValue) -> Result<(), JsValue> {
    let options = MountOptions::from_js(&options);
    let shadow = match element.shadow_root() {
        Some(root) => root,
        None => element.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
    };
    shadow.set_inner_html("");
    let document = element
        .owner_document()
        .ok_or_else(|| JsValue::from_str("accord: element is not in a document"))?;
    if !options.asset_base.is_empty() {
        let link = document.create_element("link")?;
        link.set_attribute("rel", "stylesheet")?;
        link.set_attribute("href", &format!("{}accord.css", options.asset_base))?;
        shadow.append_child(&link)?;
    }
    let root = document.create_element("div")?;
    root.set_attribute("class", "accord-root")?;
    shadow.append_child(&root)?;
    let props = WidgetProps {
        rulebook_url: options.rulebook_url.into(),
    };
    yew::Renderer::<Widget>::with_root_and_props(root, props).render();
    Ok(())
}

/// Removes a mounted widget's content from `element`.
#[wasm_bindgen]
pub fn unmount(element: Element) {
    if let Some(shadow) = element.shadow_root() {
        shadow.set_inner_html("");
    }
}
