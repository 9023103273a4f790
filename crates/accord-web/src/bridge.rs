//! JSON between JavaScript and the engine.
//!
//! The browser's own `JSON.parse` and `JSON.stringify` read and write JSON
//! text; this module only walks the resulting JavaScript values into
//! `serde_json::Value` and back. That keeps serde_json's text parser and
//! float printer out of the wasm, which is most of what JSON costs in bytes.

use accord_logic::js::number_value;
use js_sys::{Array, JsString, Object, Reflect, JSON};
use serde_json::{Map, Value};
use wasm_bindgen::{JsCast, JsValue};

/// Deepest nesting accepted from JavaScript: the rulebook format's own
/// limit, so the widget reads exactly the documents the native engine
/// validates (and a hostile document cannot exhaust the stack).
const MAX_DEPTH: usize = accord_core::MAX_NESTING;

/// Parses JSON text with the browser's parser.
pub fn parse(text: &str) -> Result<Value, String> {
    let js = JSON::parse(text).map_err(|e| describe(&e))?;
    from_js(&js, 0)
}

/// Writes `value` as JSON text with the browser's printer.
pub fn stringify(value: &Value) -> String {
    JSON::stringify(&to_js(value))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// A JavaScript value as JSON. Numbers that are whole and safe become
/// integers, so hashes and records match what the native engine computes.
pub fn from_js(js: &JsValue, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!("nested deeper than {MAX_DEPTH} levels"));
    }
    if js.is_null() || js.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(b) = js.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = js.as_f64() {
        return Ok(number_value(n));
    }
    if let Some(s) = js.as_string() {
        return Ok(Value::String(s));
    }
    if Array::is_array(js) {
        let items: Array = js.clone().unchecked_into();
        return items
            .iter()
            .map(|item| from_js(&item, depth + 1))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array);
    }
    if js.is_object() {
        let object: &Object = js.unchecked_ref();
        let mut map = Map::new();
        for entry in Object::entries(object).iter() {
            let pair: Array = entry.unchecked_into();
            let key = pair.get(0).as_string().unwrap_or_default();
            map.insert(key, from_js(&pair.get(1), depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    Err("not a JSON value".into())
}

/// A JSON value as a JavaScript value.
pub fn to_js(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(to_js).collect::<Array>().into(),
        Value::Object(map) => {
            let object = Object::new();
            for (key, item) in map {
                // Setting a property of a fresh plain object cannot fail.
                let _ = Reflect::set(&object, &JsValue::from_str(key), &to_js(item));
            }
            object.into()
        }
    }
}

/// JavaScript's `Number(text)` for text that is not blank: `None` when it
/// is blank or not a finite number (`"12ms"`, `"Infinity"`). The browser
/// reads the digits, which costs the wasm no float parser.
pub fn js_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    // A string passed where a number is expected is converted by `Number`.
    let n = js_sys::Number::from(JsValue::from_str(t)).value_of();
    n.is_finite().then_some(n)
}

/// A readable message for a thrown JavaScript value.
pub fn describe(error: &JsValue) -> String {
    if let Some(e) = error.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    error
        .dyn_ref::<JsString>()
        .map(String::from)
        .unwrap_or_else(|| "unknown error".into())
}
