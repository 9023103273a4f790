//! The JavaScript API: mount a widget into a host element's shadow root,
//! or over the form `accord embed` prerendered there.

use crate::config::Config;
use crate::widget::{Widget, WidgetProps};
use accord_widget_ui::prerender::PRERENDERED;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlLinkElement, ShadowRootInit, ShadowRootMode};
use yew::AppHandle;

thread_local! {
    /// Mounted widgets, so `unmount` can stop their apps.
    static MOUNTED: std::cell::RefCell<Vec<(Element, AppHandle<Widget>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Renders a widget into `element`: creates (or reuses) an open shadow root,
/// links the widget stylesheet, and starts the Yew app inside it. `options`
/// is a plain object (see `docs/embedding.md`). Over a form `accord embed`
/// prerendered there, the widget draws its own out of sight beside it and
/// takes its place when ready (`accord_widget_ui::widget`).
#[wasm_bindgen]
pub fn mount(element: Element, options: JsValue) -> Result<(), JsValue> {
    let running = MOUNTED.with(|m| m.borrow().iter().any(|(e, _)| *e == element));
    let prerendered = match (running, element.shadow_root()) {
        (false, Some(shadow)) => shadow
            .query_selector(&format!(".accord-root[{PRERENDERED}]"))
            .ok()
            .flatten(),
        _ => None,
    };
    let mut config = Config::from_js(&options, Some(element.clone()));
    let shadow = match element.shadow_root() {
        Some(root) => root,
        None => element.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
    };
    let document = element
        .owner_document()
        .ok_or_else(|| JsValue::from_str("accord: element is not in a document"))?;
    let root = document.create_element("div")?;
    root.set_attribute("class", "accord-root")?;
    if let Some(form) = prerendered {
        // Its stylesheet stays; pointed at this widget's own files when it
        // names others (setting the same URL again would make the browser
        // read and apply it again: a long style task on a slow phone).
        let own_css = format!("{}accord.css", config.asset_base);
        let link = shadow.query_selector("link[rel=stylesheet]").ok().flatten();
        if let (Some(link), false) = (
            link.and_then(|l| l.dyn_into::<HtmlLinkElement>().ok()),
            config.asset_base.is_empty(),
        ) {
            if link.href() != own_css {
                link.set_href(&own_css);
            }
        }
        root.set_attribute("hidden", "")?;
        shadow.append_child(&root)?;
        config.prerendered = Some(form);
    } else {
        unmount(element.clone());
        if !config.asset_base.is_empty() {
            let link = document.create_element("link")?;
            link.set_attribute("rel", "stylesheet")?;
            link.set_attribute("href", &format!("{}accord.css", config.asset_base))?;
            shadow.append_child(&link)?;
        }
        shadow.append_child(&root)?;
    }
    let props = WidgetProps {
        config: Rc::new(config),
        prepared: None,
    };
    let app = yew::Renderer::<Widget>::with_root_and_props(root, props).render();
    MOUNTED.with(|m| m.borrow_mut().push((element, app)));
    Ok(())
}

/// Removes a mounted widget's content from `element`.
#[wasm_bindgen]
pub fn unmount(element: Element) {
    let app = MOUNTED.with(|m| {
        let mut mounted = m.borrow_mut();
        let index = mounted.iter().position(|(e, _)| *e == element)?;
        Some(mounted.swap_remove(index).1)
    });
    if let Some(app) = app {
        app.destroy();
    }
    if let Some(shadow) = element.shadow_root() {
        shadow.set_inner_html("");
    }
}

/// Sends whatever the outbox holds (the loader calls this on every page
/// load, so records left by a closed tab go out from any page).
#[wasm_bindgen(js_name = flushOutbox)]
pub fn flush_outbox() {
    wasm_bindgen_futures::spawn_local(accord_web::outbox::drain());
}

/// Puts deliveries a destination refused (kept as failed) back in line
/// and sends them; returns how many. For site owners who fixed the
/// destination.
#[wasm_bindgen(js_name = retryFailed)]
pub fn retry_failed() -> usize {
    accord_web::outbox::retry_failed()
}

/// The outbox as stored, for site owners inspecting deliveries:
/// `{deliveries: [{submission_id, destination, request, attempts,
/// next_attempt_at, created_at, state, last_error}]}`.
#[wasm_bindgen(js_name = outbox)]
pub fn outbox() -> JsValue {
    accord_web::bridge::to_js(&accord_web::outbox::load().to_json())
}
