//! Reading an options object that a page hands to `mount` (the widget's
//! embed options, the console's page options).

use wasm_bindgen::JsValue;

/// The text of option `key`, if it is set to a string.
pub fn text_option(options: &JsValue, key: &str) -> Option<String> {
    get(options, key).and_then(|v| v.as_string())
}

/// Option `key` of `target`, if set (neither `undefined` nor `null`).
pub fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    if !target.is_object() {
        return None;
    }
    let value = js_sys::Reflect::get(target, &JsValue::from_str(key)).ok()?;
    (!value.is_undefined() && !value.is_null()).then_some(value)
}
