//! The one path-tracking reader of JSON objects. The rulebook decoder and
//! the outbox reader both read through it, so both name the exact path of a
//! key that is missing or of the wrong type, in the same words.
//!
//! Why by hand and not with serde's derived readers: those stop at the first
//! problem in an item, where `accord check` must list every problem with its
//! path, and each derived reader cost kilobytes of the widget's wasm.

use serde_json::{Map, Value};
use std::fmt;

/// Something in a JSON document that is not what its reader expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReadError {
    /// Where, e.g. `fields[2].type` (empty for the document itself).
    pub path: String,
    /// What, e.g. "expected a string, found a number".
    pub message: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// `path.key`, or `key` at the top.
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// How an error message names the kind of a JSON value.
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One JSON object being read, with its path.
#[derive(Debug, Clone)]
pub(crate) struct JsonObject<'a> {
    /// The object's keys and values.
    pub map: &'a Map<String, Value>,
    /// Where the object is in the document.
    pub path: String,
}

impl<'a> JsonObject<'a> {
    /// Opens `value` as the object at `path`.
    pub fn new(value: &'a Value, path: &str) -> Result<JsonObject<'a>, ReadError> {
        match value {
            Value::Object(map) => Ok(JsonObject {
                map,
                path: path.to_owned(),
            }),
            other => Err(ReadError {
                path: path.to_owned(),
                message: format!("expected an object, found {}", kind_of(other)),
            }),
        }
    }

    /// The path of `key` in this object.
    pub fn at(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// The value under `key`; a missing required key is an error at the
    /// object's path, a missing optional one is `None`.
    pub fn get(&self, key: &str, required: bool) -> Result<Option<&'a Value>, ReadError> {
        match self.map.get(key) {
            Some(v) => Ok(Some(v)),
            None if required => Err(ReadError {
                path: self.path.clone(),
                message: format!("missing field `{key}`"),
            }),
            None => Ok(None),
        }
    }

    /// The value under `key` read by `pick`, or the error "expected
    /// `expected`, found …" at the key's path.
    pub fn typed<T>(
        &self,
        key: &str,
        required: bool,
        expected: &str,
        pick: impl FnOnce(&'a Value) -> Option<T>,
    ) -> Result<Option<T>, ReadError> {
        let Some(value) = self.get(key, required)? else {
            return Ok(None);
        };
        match pick(value) {
            Some(read) => Ok(Some(read)),
            None => Err(ReadError {
                path: self.at(key),
                message: format!("expected {expected}, found {}", kind_of(value)),
            }),
        }
    }

    /// A string.
    pub fn string(&self, key: &str, required: bool) -> Result<Option<String>, ReadError> {
        self.typed(key, required, "a string", |v| v.as_str().map(str::to_owned))
    }

    /// `true` or `false`; absent is `false`.
    pub fn flag(&self, key: &str) -> Result<bool, ReadError> {
        Ok(self
            .typed(key, false, "a boolean", Value::as_bool)?
            .unwrap_or(false))
    }

    /// Any number.
    pub fn number(&self, key: &str, required: bool) -> Result<Option<f64>, ReadError> {
        self.typed(key, required, "a number", Value::as_f64)
    }

    /// A whole number within `i64`.
    pub fn integer(&self, key: &str, required: bool) -> Result<Option<i64>, ReadError> {
        self.typed(key, required, "a whole number", Value::as_i64)
    }

    /// A whole number from 0 to `u64::MAX`.
    pub fn count(&self, key: &str, required: bool) -> Result<Option<u64>, ReadError> {
        self.typed(key, required, "a whole number", Value::as_u64)
    }

    /// An array.
    pub fn array(&self, key: &str, required: bool) -> Result<Option<&'a Vec<Value>>, ReadError> {
        self.typed(key, required, "an array", Value::as_array)
    }

    /// The object under `key`, with its path.
    pub fn object(&self, key: &str, required: bool) -> Result<Option<JsonObject<'a>>, ReadError> {
        let Some(value) = self.get(key, required)? else {
            return Ok(None);
        };
        JsonObject::new(value, &self.at(key)).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn errors_name_the_path_and_what_was_found() {
        let doc = json!({"a": {"b": [1], "n": "x", "t": 2}});
        let top = JsonObject::new(&doc, "").unwrap();
        let a = top.object("a", true).unwrap().unwrap();
        assert_eq!(a.path, "a");
        assert_eq!(
            a.string("t", true).unwrap_err().to_string(),
            "a.t: expected a string, found a number"
        );
        assert_eq!(
            a.string("missing", true).unwrap_err().to_string(),
            "a: missing field `missing`"
        );
        assert_eq!(a.string("missing", false).unwrap(), None);
        assert_eq!(
            a.count("n", true).unwrap_err().to_string(),
            "a.n: expected a whole number, found a string"
        );
        assert_eq!(a.array("b", true).unwrap().unwrap().len(), 1);
        assert!(!a.flag("nope").unwrap());
        assert_eq!(
            JsonObject::new(&json!([]), "").unwrap_err().to_string(),
            "expected an object, found an array"
        );
        assert_eq!(
            top.object("a", true)
                .unwrap()
                .unwrap()
                .object("b", true)
                .unwrap_err()
                .to_string(),
            "a.b: expected an object, found an array"
        );
    }
}
