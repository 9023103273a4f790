//! The values rules compute with.
//!
//! [`Data`] mirrors JSON, with the two differences evaluation cares about:
//! numbers are `f64` (JsonLogic's numbers are JavaScript's), and objects
//! keep a contiguous array of 32-bit key hashes beside their entries.
//! Compiled `var` paths hash their segments once, so a lookup scans a few
//! integers and checks the key's bytes only on a hash match. Data a rule reads many times (a lead during
//! qualification) is converted once; [`Logic::evaluate`](super::Logic::evaluate)
//! converts on the way in and out for one-off use.

use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// A JSON-like value prepared for evaluation.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Data {
    /// `null` (JavaScript's `undefined` too: a missing value reads as null).
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as JavaScript holds it.
    Number(f64),
    /// Text.
    String(Box<str>),
    /// A list.
    Array(Vec<Data>),
    /// An object (keys unique).
    Object(Box<Object>),
}

/// The keys and values of an object, with each key's hash kept apart so
/// lookups scan a small contiguous array.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object {
    hashes: Vec<u32>,
    entries: Vec<(Arc<str>, Data)>,
}

impl Object {
    /// The entries, in insertion order.
    pub fn entries(&self) -> &[(Arc<str>, Data)] {
        &self.entries
    }

    /// Where `key` is. The hashes are compared eight at a time (the
    /// compiler turns the inner loop into two vector compares), then each
    /// match is confirmed on the key's bytes.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    fn position(&self, hash: u32, key: &str) -> Option<usize> {
        let mut chunks = self.hashes.chunks_exact(8);
        let mut base = 0;
        for chunk in &mut chunks {
            let mut matches = 0u32;
            for (j, h) in chunk.iter().enumerate() {
                matches |= u32::from(*h == hash) << j;
            }
            while matches != 0 {
                let i = base + matches.trailing_zeros() as usize;
                if same_key(&self.entries[i].0, key) {
                    return Some(i);
                }
                matches &= matches - 1;
            }
            base += 8;
        }
        let rest = chunks.remainder();
        let mut j = 0;
        while j < rest.len() {
            if rest[j] == hash && same_key(&self.entries[base + j].0, key) {
                return Some(base + j);
            }
            j += 1;
        }
        None
    }
}

/// The hash objects sort their keys by (FNV-1a; keys are short ids).
pub fn key_hash(key: &str) -> u32 {
    key.bytes().fold(0x811c_9dc5, |h: u32, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

impl Data {
    /// An object from entries in any order (a later duplicate key wins).
    pub fn object(entries: Vec<(Arc<str>, Data)>) -> Data {
        let mut object = Data::Object(Box::default());
        for (key, value) in entries {
            object.insert(&key, value);
        }
        object
    }

    /// An empty object with room for `capacity` entries.
    pub fn object_with_capacity(capacity: usize) -> Data {
        Data::Object(Box::new(Object {
            hashes: Vec::with_capacity(capacity),
            entries: Vec::with_capacity(capacity),
        }))
    }

    /// The value under `key` of an object, or the element at index `key` of
    /// an array.
    pub fn get(&self, key: &str) -> Option<&Data> {
        self.get_hashed(key_hash(key), key)
    }

    /// [`Data::get`] with the key's hash already known.
    #[inline]
    pub fn get_hashed(&self, hash: u32, key: &str) -> Option<&Data> {
        match self {
            Data::Object(object) => object.position(hash, key).map(|i| &object.entries[i].1),
            Data::Array(items) => items.get(key.parse::<usize>().ok()?),
            _ => None,
        }
    }

    /// Adds a key the caller knows is not in the object yet, with its hash
    /// already computed (no duplicate scan, no key allocation).
    pub fn push_new(&mut self, hash: u32, key: &Arc<str>, value: Data) {
        if let Data::Object(object) = self {
            object.hashes.push(hash);
            object.entries.push((Arc::clone(key), value));
        }
    }

    /// Sets `key` in an object (no effect on other values).
    pub fn insert(&mut self, key: &str, value: Data) {
        let Data::Object(object) = self else { return };
        let hash = key_hash(key);
        match object.position(hash, key) {
            Some(i) => object.entries[i].1 = value,
            None => {
                object.hashes.push(hash);
                object.entries.push((key.into(), value));
            }
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Data::Null)
    }

    /// Whether this is `true` or `false`.
    pub fn is_bool(&self) -> bool {
        matches!(self, Data::Bool(_))
    }

    /// Whether this is a number.
    pub fn is_number(&self) -> bool {
        matches!(self, Data::Number(_))
    }

    /// Whether this is text.
    pub fn is_string(&self) -> bool {
        matches!(self, Data::String(_))
    }

    /// The text, if this is text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Data::String(s) => Some(s),
            _ => None,
        }
    }

    /// Back to JSON. Integral numbers become JSON integers; NaN and the
    /// infinities, which JSON cannot write, become `null`.
    pub fn to_value(&self) -> Value {
        match self {
            Data::Null => Value::Null,
            Data::Bool(b) => Value::Bool(*b),
            Data::Number(n) => super::js::number_value(*n),
            Data::String(s) => Value::String(s.to_string()),
            Data::Array(items) => Value::Array(items.iter().map(Data::to_value).collect()),
            Data::Object(object) => Value::Object(crate::size::collect_by_insertion(
                object
                    .entries
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_value())),
            )),
        }
    }
}

/// Key equality for short keys (ids of a few bytes, already matched by
/// hash): the length, then the bytes compared in machine words without a
/// call into `memcmp`. A key of 8 bytes or more is read eight bytes at a
/// time with a last, overlapping word for the tail; a shorter one as two
/// overlapping halves (4, then 2 bytes) or a single byte.
#[inline]
fn same_key(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        let mut i = 0;
        while i + 8 <= n {
            if word::<8>(a, i) != word::<8>(b, i) {
                return false;
            }
            i += 8;
        }
        return word::<8>(a, n - 8) == word::<8>(b, n - 8);
    }
    if n >= 4 {
        return word::<4>(a, 0) == word::<4>(b, 0) && word::<4>(a, n - 4) == word::<4>(b, n - 4);
    }
    if n >= 2 {
        return word::<2>(a, 0) == word::<2>(b, 0) && word::<2>(a, n - 2) == word::<2>(b, n - 2);
    }
    a.first() == b.first()
}

/// `N` bytes of `bytes` from `at`, as an array (compared as one word).
#[inline]
fn word<const N: usize>(bytes: &[u8], at: usize) -> Option<[u8; N]> {
    bytes.get(at..at + N)?.try_into().ok()
}

#[cfg(test)]
mod key_tests {
    use super::same_key;

    #[test]
    fn keys_of_every_length_compare_exactly() {
        let text = "abcdefghijklmnopqrstuvwxyz0123456789";
        for n in 0..text.len() {
            let key = &text[..n];
            assert!(same_key(key, key), "{key}");
            for i in 0..n {
                let mut other = key.as_bytes().to_vec();
                other[i] = b'_';
                let other = String::from_utf8(other).unwrap();
                assert!(!same_key(key, &other), "{key} vs {other}");
            }
            assert!(!same_key(key, &text[..n + 1]));
        }
    }
}

impl From<&Value> for Data {
    fn from(value: &Value) -> Data {
        match value {
            Value::Null => Data::Null,
            Value::Bool(b) => Data::Bool(*b),
            Value::Number(n) => Data::Number(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => Data::String(s.as_str().into()),
            Value::Array(items) => Data::Array(items.iter().map(Data::from).collect()),
            // A JSON map's keys are unique: no duplicate check needed.
            Value::Object(map) => Data::Object(Box::new(Object {
                hashes: map.keys().map(|k| key_hash(k)).collect(),
                entries: map
                    .iter()
                    .map(|(k, v)| (k.as_str().into(), Data::from(v)))
                    .collect(),
            })),
        }
    }
}

impl From<Value> for Data {
    fn from(value: Value) -> Data {
        Data::from(&value)
    }
}

impl fmt::Display for Data {
    /// Compact JSON text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_value())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_json() {
        let v = json!({"b": [1, 2.5, "x", null, true], "a": {"z": {}, "c": []}});
        assert_eq!(Data::from(&v).to_value(), v);
    }

    #[test]
    fn keys_with_the_same_hash_are_told_apart() {
        let object = Object {
            hashes: vec![7, 7],
            entries: vec![
                ("a".into(), Data::Bool(false)),
                ("b".into(), Data::Bool(true)),
            ],
        };
        let d = Data::Object(Box::new(object));
        assert_eq!(d.get_hashed(7, "b"), Some(&Data::Bool(true)));
        assert_eq!(d.get_hashed(7, "c"), None);
    }

    #[test]
    fn looks_up_keys_in_small_and_large_objects() {
        let small = Data::from(&json!({"b": 2, "a": 1}));
        assert_eq!(small.get("a"), Some(&Data::Number(1.0)));
        let large: serde_json::Map<String, Value> =
            (0..40).map(|i| (format!("k{i}"), json!(i))).collect();
        let large = Data::from(&Value::Object(large));
        assert_eq!(large.get("k37"), Some(&Data::Number(37.0)));
        assert_eq!(large.get("k40"), None);
        assert_eq!(
            Data::from(&json!(["x", "y"])).get("1"),
            Some(&Data::String("y".into()))
        );
    }

    #[test]
    fn insert_replaces_and_adds() {
        let mut d = Data::object(vec![
            ("m".into(), Data::Null),
            ("a".into(), Data::Null),
            ("m".into(), Data::Bool(true)),
        ]);
        d.insert("z", Data::Bool(true));
        d.insert("b", Data::Bool(false));
        let Data::Object(object) = &d else {
            panic!("object")
        };
        let keys: Vec<&str> = object.entries().iter().map(|(k, _)| &**k).collect();
        assert_eq!(keys, ["m", "a", "z", "b"]);
        assert_eq!(d.get("m"), Some(&Data::Bool(true)));
        d.insert("m", Data::Number(1.0));
        assert_eq!(d.get("m"), Some(&Data::Number(1.0)));
        assert_eq!(d.get("b"), Some(&Data::Bool(false)));
    }
}
