//! Canonical JSON and the rulebook hash.
//!
//! The canonical form follows RFC 8785 (JSON Canonicalization Scheme) for
//! the values rulebooks hold: no white space, object keys sorted by UTF-16
//! code units, strings escaped minimally, numbers written as JavaScript
//! writes them (`2.0` is `2`, `1e21` is `1e+21`). Any language can reproduce
//! it, so a backend can check a record's `rulebook.sha256` on its own.

use accord_logic::js::number_to_string;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Compact JSON text of a value that always serialises (values, strings,
/// plain structs), as `serde_json` writes it: `null` if it somehow fails.
pub(crate) fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// The canonical JSON text of `value`.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

/// The top-level key of the stamp: the document's [`rulebook_sha256`]
/// when it was checked.
pub const CHECKED_KEY: &str = "checked_sha256";

/// The rulebook's hash: lower-case hex SHA-256 of its canonical JSON
/// without the stamp. Records carry it (`rulebook.sha256`), and the stamp
/// holds it, so publishing a rulebook does not change which rulebook it is.
pub fn rulebook_sha256(doc: &Value) -> String {
    match doc {
        Value::Object(map) if map.contains_key(CHECKED_KEY) => {
            let mut rest = map.clone();
            rest.remove(CHECKED_KEY);
            canonical_sha256(&Value::Object(rest))
        }
        other => canonical_sha256(other),
    }
}

/// Lower-case hex SHA-256 of the canonical JSON of `value`.
pub fn canonical_sha256(value: &Value) -> String {
    let digest = Sha256::digest(canonical_json(value).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&u.to_string());
            } else {
                out.push_str(&number_to_string(n.as_f64().unwrap_or(0.0)));
            }
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            // The map iterates in UTF-8 byte order, which is UTF-16 order
            // except for keys with characters from U+E000 up; an insertion
            // pass moves those (a library sort would cost the widget
            // kilobytes of wasm for this one use).
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            for i in 1..entries.len() {
                let mut j = i;
                while j > 0 && utf16_lt(entries[j].0, entries[j - 1].0) {
                    entries.swap(j, j - 1);
                    j -= 1;
                }
            }
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
    }
}

fn utf16_lt(a: &str, b: &str) -> bool {
    a.encode_utf16().lt(b.encode_utf16())
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_sorted_and_space_is_dropped() {
        let v = json!({"b": [1, 2.0, "x\n"], "a": {"d": null, "c": true}});
        assert_eq!(
            canonical_json(&v),
            r#"{"a":{"c":true,"d":null},"b":[1,2,"x\n"]}"#
        );
    }

    #[test]
    fn keys_are_in_utf16_order_not_utf8_order() {
        // U+FF21 (one UTF-16 unit, 0xFF21) sorts after U+1F600 (surrogates
        // 0xD83D…) in UTF-16, but before it in UTF-8 bytes.
        let v = json!({"\u{ff21}": 1, "\u{1f600}": 2, "z": 3, "\u{e000}": 4, "a": 5});
        assert_eq!(
            canonical_json(&v),
            "{\"a\":5,\"z\":3,\"\u{1f600}\":2,\"\u{e000}\":4,\"\u{ff21}\":1}"
        );
    }

    #[test]
    fn the_hash_ignores_formatting() {
        let a: Value = serde_json::from_str(r#"{ "x": 1, "y": [ 1.5 ] }"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"y":[1.5],"x":1}"#).unwrap();
        assert_eq!(canonical_sha256(&a), canonical_sha256(&b));
        assert_eq!(canonical_sha256(&a).len(), 64);
    }

    #[test]
    fn sha256_matches_a_known_vector() {
        // SHA-256 of the three bytes `"a"` (a JSON string).
        assert_eq!(
            canonical_sha256(&json!("a")),
            "ac8d8342bbb2362d13f0a559a3621bb407011368895164b628a54f7fc33fc43c"
        );
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(canonical_json(&json!("\u{1}é")), "\"\\u0001é\"");
    }
}
