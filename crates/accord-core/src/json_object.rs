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

    /// The error for a value of the wrong kind under `key`. One
    /// non-generic function makes every such message, so the typed readers
    /// below stay small.
    #[cold]
    fn wrong(&self, key: &str, expected: &str, found: &Value) -> ReadError {
        ReadError {
            path: self.at(key),
            message: format!("expected {expected}, found {}", kind_of(found)),
        }
    }

    /// A string.
    pub fn string(&self, key: &str, required: bool) -> Result<Option<String>, ReadError> {
        match self.get(key, required)? {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(self.wrong(key, "a string", other)),
        }
    }

    /// `true` or `false`; absent is `false`.
    pub fn flag(&self, key: &str) -> Result<bool, ReadError> {
        match self.get(key, false)? {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(self.wrong(key, "a boolean", other)),
        }
    }

    /// A number of the kind `read` accepts (`expected` names it).
    fn number_as<T>(
        &self,
        key: &str,
        required: bool,
        expected: &str,
        read: fn(&serde_json::Number) -> Option<T>,
    ) -> Result<Option<T>, ReadError> {
        let Some(value) = self.get(key, required)? else {
            return Ok(None);
        };
        match value {
            Value::Number(n) => read(n).map(Some),
            _ => None,
        }
        .ok_or_else(|| self.wrong(key, expected, value))
    }

    /// Any number.
    pub fn number(&self, key: &str, required: bool) -> Result<Option<f64>, ReadError> {
        self.number_as(key, required, "a number", serde_json::Number::as_f64)
    }

    /// A whole number within `i64`.
    pub fn integer(&self, key: &str, required: bool) -> Result<Option<i64>, ReadError> {
        self.number_as(key, required, "a whole number", serde_json::Number::as_i64)
    }

    /// A whole number from 0 to `u64::MAX`.
    pub fn count(&self, key: &str, required: bool) -> Result<Option<u64>, ReadError> {
        self.number_as(key, required, "a whole number", serde_json::Number::as_u64)
    }

    /// An array.
    pub fn array(&self, key: &str, required: bool) -> Result<Option<&'a Vec<Value>>, ReadError> {
        match self.get(key, required)? {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(other) => Err(self.wrong(key, "an array", other)),
        }
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
