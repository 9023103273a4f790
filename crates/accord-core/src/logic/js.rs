//! JavaScript value semantics on JSON values.
//!
//! JsonLogic is specified by its reference implementation in JavaScript, so
//! its operators coerce the way JavaScript does: `"1" == 1`, `[] ` is falsy,
//! `"10" < "9"` compares as text but `"10" < 9` as numbers. These helpers
//! implement exactly the parts of ECMAScript's abstract operations that JSON
//! values can reach (there is no `undefined`, no functions, no symbols).

use serde_json::Value;
use std::cmp::Ordering;

/// JsonLogic truthiness: JavaScript's, except that an empty array is falsy.
pub fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(_) => true,
    }
}

/// The number a JSON value converts to, as JavaScript's `Number(value)`.
pub fn to_number(value: &Value) -> f64 {
    match value {
        Value::Null => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        Value::String(s) => string_to_number(s),
        Value::Array(_) | Value::Object(_) => string_to_number(&to_js_string(value)),
    }
}

/// JavaScript's `parseFloat(value)`: the longest decimal prefix of the text.
pub fn parse_float(value: &Value) -> f64 {
    match value {
        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        Value::String(s) => parse_float_prefix(s),
        other => parse_float_prefix(&to_js_string(other)),
    }
}

/// The text a JSON value converts to, as JavaScript's `String(value)`.
pub fn to_js_string(value: &Value) -> String {
    let mut out = String::new();
    write_js_string(value, &mut out);
    out
}

fn write_js_string(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => out.push_str(&i.to_string()),
            (None, Some(f)) => out.push_str(&number_to_string(f)),
            (None, None) => out.push_str("NaN"),
        },
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                // Array.prototype.join writes null (and undefined) as "".
                if !item.is_null() {
                    write_js_string(item, out);
                }
            }
        }
        Value::Object(_) => out.push_str("[object Object]"),
    }
}

/// JavaScript's `Number.prototype.toString()` for a finite or special number.
pub fn number_to_string(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if f == 0.0 {
        return "0".to_owned();
    }
    let magnitude = f.abs();
    if (1e-6..1e21).contains(&magnitude) {
        // Rust's shortest round-trip digits, without exponent, match JS here.
        format!("{f}")
    } else {
        let text = format!("{f:e}");
        match text.split_once('e') {
            Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp}"),
            _ => text,
        }
    }
}

/// A JSON number for an arithmetic result. Integral values become integers,
/// so `1 + 1` is `2`, not `2.0`. NaN and the infinities have no JSON form and
/// become `null`, as `JSON.stringify` writes them.
pub fn number_value(f: f64) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if !f.is_finite() {
        Value::Null
    } else if f.fract() == 0.0 && f.abs() <= EXACT {
        // The cast is exact: integral and within ±2^53.
        Value::from(f as i64)
    } else {
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

/// `StringToNumber`: trims white space; empty is 0; decimal, `Infinity`,
/// and `0x`/`0o`/`0b` integer literals; anything else is NaN.
fn string_to_number(s: &str) -> f64 {
    let t = s.trim_matches(is_js_whitespace);
    if t.is_empty() {
        return 0.0;
    }
    let radix = match t.get(..2) {
        Some("0x" | "0X") => Some(16),
        Some("0o" | "0O") => Some(8),
        Some("0b" | "0B") => Some(2),
        _ => None,
    };
    if let Some(radix) = radix {
        let digits = &t[2..];
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return f64::NAN;
        }
        return digits.chars().fold(0.0, |acc, c| {
            acc * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
        });
    }
    match decimal_prefix_len(t) {
        Some(len) if len == t.len() => parse_decimal(t),
        _ => f64::NAN,
    }
}

fn parse_float_prefix(s: &str) -> f64 {
    let t = s.trim_start_matches(is_js_whitespace);
    match decimal_prefix_len(t) {
        Some(len) => parse_decimal(&t[..len]),
        None => f64::NAN,
    }
}

fn parse_decimal(t: &str) -> f64 {
    let (sign, body) = match t.as_bytes().first() {
        Some(b'-') => (-1.0, &t[1..]),
        Some(b'+') => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    if body == "Infinity" {
        return sign * f64::INFINITY;
    }
    // A prefix like "5." or ".5" is a valid JS literal; Rust parses both.
    body.parse::<f64>().map_or(f64::NAN, |f| sign * f)
}

/// Length of the longest prefix of `t` that is a `StrDecimalLiteral`
/// (sign, digits, optional fraction, optional exponent, or `Infinity`).
fn decimal_prefix_len(t: &str) -> Option<usize> {
    let bytes = t.as_bytes();
    let mut i = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    if t[i..].starts_with("Infinity") {
        return Some(i + "Infinity".len());
    }
    let int_start = i;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    if i < bytes.len() && bytes[i] == b'.' {
        let frac_start = i + 1;
        let mut j = frac_start;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        if digits > 0 || j > frac_start {
            digits += j - frac_start;
            i = j;
        }
    }
    if digits == 0 {
        return None;
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        let mut j = i + 1;
        if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
            j += 1;
        }
        let exp_start = j;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_start {
            i = j;
        }
    }
    Some(i)
}

fn is_js_whitespace(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// JavaScript's `===` on JSON values. Arrays and objects are distinct
/// references in JavaScript, so they are never strictly equal.
pub fn strict_equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(_), Value::Number(_)) => to_number(a) == to_number(b),
        (Value::String(x), Value::String(y)) => x == y,
        _ => false,
    }
}

/// JavaScript's `==` (the abstract equality algorithm) on JSON values.
pub fn loose_equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Null, _) | (_, Value::Null) => false,
        (Value::Array(_) | Value::Object(_), Value::Array(_) | Value::Object(_)) => false,
        (Value::Bool(_), _) | (_, Value::Bool(_)) => {
            // ToNumber on the boolean side, then compare again.
            let (x, y) = (as_primitive_number_side(a), as_primitive_number_side(b));
            loose_equals(&x, &y)
        }
        (Value::Array(_) | Value::Object(_), _) => loose_equals(&Value::String(to_js_string(a)), b),
        (_, Value::Array(_) | Value::Object(_)) => loose_equals(a, &Value::String(to_js_string(b))),
        (Value::String(x), Value::String(y)) => x == y,
        // Remaining: number with number, or number with string.
        _ => to_number(a) == to_number(b),
    }
}

fn as_primitive_number_side(v: &Value) -> Value {
    match v {
        Value::Bool(b) => Value::from(u8::from(*b)),
        other => other.clone(),
    }
}

/// JavaScript's relational comparison (`<`, `>` …) on JSON values: text with
/// text compares by UTF-16 code units, everything else as numbers. `None`
/// when either side is NaN (every comparison is then false).
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    let pa = to_primitive(a);
    let pb = to_primitive(b);
    if let (Value::String(x), Value::String(y)) = (&*pa, &*pb) {
        return Some(x.encode_utf16().cmp(y.encode_utf16()));
    }
    to_number(&pa).partial_cmp(&to_number(&pb))
}

fn to_primitive(v: &Value) -> std::borrow::Cow<'_, Value> {
    match v {
        Value::Array(_) | Value::Object(_) => {
            std::borrow::Cow::Owned(Value::String(to_js_string(v)))
        }
        other => std::borrow::Cow::Borrowed(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_convert_like_javascript() {
        assert_eq!(to_number(&json!(" 12 ")), 12.0);
        assert_eq!(to_number(&json!("")), 0.0);
        assert_eq!(to_number(&json!("0x1A")), 26.0);
        assert!(to_number(&json!("12px")).is_nan());
        assert_eq!(to_number(&json!([5])), 5.0);
        assert_eq!(to_number(&json!([])), 0.0);
        assert!(to_number(&json!([1, 2])).is_nan());
        assert_eq!(to_number(&json!(null)), 0.0);
        assert_eq!(to_number(&json!("-Infinity")), f64::NEG_INFINITY);
    }

    #[test]
    fn parse_float_reads_a_prefix() {
        assert_eq!(parse_float(&json!("3 apples")), 3.0);
        assert_eq!(parse_float(&json!("  .5e1x")), 5.0);
        assert!(parse_float(&json!("apples")).is_nan());
        assert!(parse_float(&json!(null)).is_nan());
        assert!(parse_float(&json!(true)).is_nan());
        assert_eq!(parse_float(&json!("1e")), 1.0);
    }

    #[test]
    fn strings_convert_like_javascript() {
        assert_eq!(to_js_string(&json!([1, [2, 3], null, "a"])), "1,2,3,,a");
        assert_eq!(to_js_string(&json!({"a": 1})), "[object Object]");
        assert_eq!(number_to_string(1e21), "1e+21");
        assert_eq!(number_to_string(1.5e-7), "1.5e-7");
        assert_eq!(number_to_string(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number_to_string(-0.0), "0");
        assert_eq!(to_js_string(&json!(2.0)), "2");
    }

    #[test]
    fn equality_follows_the_abstract_algorithm() {
        assert!(loose_equals(&json!(1), &json!("1")));
        assert!(loose_equals(&json!(true), &json!(1)));
        assert!(loose_equals(&json!(true), &json!("1")));
        assert!(!loose_equals(&json!(null), &json!(0)));
        assert!(loose_equals(&json!([1]), &json!(1)));
        assert!(loose_equals(&json!([]), &json!("")));
        assert!(!loose_equals(&json!([]), &json!([])));
        assert!(!strict_equals(&json!(1), &json!("1")));
        assert!(strict_equals(&json!(1), &json!(1.0)));
    }

    #[test]
    fn comparison_is_textual_only_between_strings() {
        assert_eq!(compare(&json!("10"), &json!("9")), Some(Ordering::Less));
        assert_eq!(compare(&json!("10"), &json!(9)), Some(Ordering::Greater));
        assert_eq!(compare(&json!("a"), &json!(1)), None);
        assert_eq!(compare(&json!(null), &json!(0)), Some(Ordering::Equal));
    }

    #[test]
    fn arithmetic_results_are_integers_when_integral() {
        assert_eq!(number_value(2.0), json!(2));
        assert_eq!(number_value(0.5), json!(0.5));
        assert_eq!(number_value(f64::NAN), json!(null));
    }
}
