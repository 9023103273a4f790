//! The DOM events a widget sends to its host page.
//!
//! All bubble and cross the shadow boundary (`composed`), so a page can
//! listen on the element, on `document`, or on `window`:
//! - `accord:change` — the live qualification changed (`detail`: status,
//!   grade, scores);
//! - `accord:qualified` — a lead was submitted (`detail`: the record);
//! - `accord:delivered` — every destination accepted it (`detail`:
//!   `submission_id`);
//! - `accord:error` — the rulebook could not be used (`detail`: message);
//! - `accord:taken-over` — the widget took over a prerendered form.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CustomEvent, CustomEventInit, Element};

/// Dispatches `name` with `detail` on `host`, or on `window` without one.
pub fn emit(host: Option<&Element>, name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) else {
        return;
    };
    match host {
        Some(host) => {
            let _ = host.dispatch_event(&event);
        }
        None => {
            if let Some(window) = web_sys::window() {
                let _ = window.dispatch_event(&event);
            }
        }
    }
}

/// Pushes `{event, ...detail}` onto `window.dataLayer` when the page has
/// one (Google Tag Manager and compatible tag managers).
pub fn push_data_layer(event: &str, detail: &JsValue) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(layer) = js_sys::Reflect::get(&window, &"dataLayer".into()) else {
        return;
    };
    // Call the layer's own `push`: tag managers replace it to see entries.
    let Some(push) = js_sys::Reflect::get(&layer, &"push".into())
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Function>().ok())
    else {
        return;
    };
    let entry = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&entry, &"event".into(), &event.into());
    if detail.is_object() {
        let _ = js_sys::Object::assign(&entry, detail.unchecked_ref());
    }
    let _ = push.call1(&layer, &entry);
}
