//! JavaScript value semantics on JSON values.
//!
//! JsonLogic is specified by its reference implementation in JavaScript, so
//! its operators coerce the way JavaScript does: `"1" == 1`, `[] ` is falsy,
//! `"10" < "9"` compares as text but `"10" < 9` as numbers. These helpers
//! implement exactly the parts of ECMAScript's abstract operations that JSON
//! values can reach (there is no `undefined`, no functions, no symbols).

use super::Data;
use serde_json::Value;
use std::borrow::Cow;
use std::cmp::Ordering;

/// JsonLogic truthiness: JavaScript's, except that an empty array is falsy.
pub fn truthy(value: &Data) -> bool {
    match value {
        Data::Null => false,
        Data::Bool(b) => *b,
        Data::Number(f) => *f != 0.0 && !f.is_nan(),
        Data::String(s) => !s.is_empty(),
        Data::Array(items) => !items.is_empty(),
        Data::Object(_) => true,
    }
}

/// The number a JSON value converts to, as JavaScript's `Number(value)`.
pub fn to_number(value: &Data) -> f64 {
    match value {
        Data::Null => 0.0,
        Data::Bool(b) => f64::from(u8::from(*b)),
        Data::Number(n) => *n,
        Data::String(s) => string_to_number(s),
        Data::Array(_) | Data::Object(_) => string_to_number(&to_js_string(value)),
    }
}

/// JavaScript's `parseFloat(value)`: the longest decimal prefix of the text.
pub fn parse_float(value: &Data) -> f64 {
    match value {
        Data::Number(n) => *n,
        Data::String(s) => parse_float_prefix(s),
        other => parse_float_prefix(&to_js_string(other)),
    }
}

/// The text a JSON value converts to, as JavaScript's `String(value)`.
pub fn to_js_string(value: &Data) -> String {
    match value {
        Data::String(s) => s.to_string(),
        other => {
            let mut out = String::new();
            write_js_string(other, &mut out);
            out
        }
    }
}

fn write_js_string(value: &Data, out: &mut String) {
    match value {
        Data::Null => out.push_str("null"),
        Data::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Data::Number(n) => out.push_str(&number_to_string(*n)),
        Data::String(s) => out.push_str(s),
        Data::Array(items) => {
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
        Data::Object(_) => out.push_str("[object Object]"),
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
pub fn strict_equals(a: &Data, b: &Data) -> bool {
    match (a, b) {
        (Data::Null, Data::Null) => true,
        (Data::Bool(x), Data::Bool(y)) => x == y,
        (Data::Number(x), Data::Number(y)) => x == y,
        (Data::String(x), Data::String(y)) => x == y,
        _ => false,
    }
}

/// JavaScript's `==` (the abstract equality algorithm) on JSON values.
pub fn loose_equals(a: &Data, b: &Data) -> bool {
    match (a, b) {
        (Data::Null, Data::Null) => true,
        (Data::Null, _) | (_, Data::Null) => false,
        (Data::Number(x), Data::Number(y)) => x == y,
        (Data::String(x), Data::String(y)) => x == y,
        (Data::Array(_) | Data::Object(_), Data::Array(_) | Data::Object(_)) => false,
        // ToNumber on a boolean side, then compare again.
        (Data::Bool(x), _) => loose_equals(&Data::Number(f64::from(u8::from(*x))), b),
        (_, Data::Bool(y)) => loose_equals(a, &Data::Number(f64::from(u8::from(*y)))),
        (Data::Array(_) | Data::Object(_), _) => {
            loose_equals(&Data::String(to_js_string(a).into()), b)
        }
        (_, Data::Array(_) | Data::Object(_)) => {
            loose_equals(a, &Data::String(to_js_string(b).into()))
        }
        // Remaining: a number with a string.
        _ => to_number(a) == to_number(b),
    }
}

/// JavaScript's relational comparison (`<`, `>` …) on JSON values: text with
/// text compares by UTF-16 code units, everything else as numbers. `None`
/// when either side is NaN (every comparison is then false).
pub fn compare(a: &Data, b: &Data) -> Option<Ordering> {
    if let (Data::Number(x), Data::Number(y)) = (a, b) {
        return x.partial_cmp(y);
    }
    let pa = to_primitive(a);
    let pb = to_primitive(b);
    if let (Data::String(x), Data::String(y)) = (&*pa, &*pb) {
        return Some(x.encode_utf16().cmp(y.encode_utf16()));
    }
    to_number(&pa).partial_cmp(&to_number(&pb))
}

fn to_primitive(v: &Data) -> Cow<'_, Data> {
    match v {
        Data::Array(_) | Data::Object(_) => Cow::Owned(Data::String(to_js_string(v).into())),
        other => Cow::Borrowed(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! d {
        ($($t:tt)*) => { Data::from(&serde_json::json!($($t)*)) };
    }

    #[test]
    fn numbers_convert_like_javascript() {
        assert_eq!(to_number(&d!(" 12 ")), 12.0);
        assert_eq!(to_number(&d!("")), 0.0);
        assert_eq!(to_number(&d!("0x1A")), 26.0);
        assert!(to_number(&d!("12px")).is_nan());
        assert_eq!(to_number(&d!([5])), 5.0);
        assert_eq!(to_number(&d!([])), 0.0);
        assert!(to_number(&d!([1, 2])).is_nan());
        assert_eq!(to_number(&d!(null)), 0.0);
        assert_eq!(to_number(&d!("-Infinity")), f64::NEG_INFINITY);
    }

    #[test]
    fn parse_float_reads_a_prefix() {
        assert_eq!(parse_float(&d!("3 apples")), 3.0);
        assert_eq!(parse_float(&d!("  .5e1x")), 5.0);
        assert!(parse_float(&d!("apples")).is_nan());
        assert!(parse_float(&d!(null)).is_nan());
        assert!(parse_float(&d!(true)).is_nan());
        assert_eq!(parse_float(&d!("1e")), 1.0);
    }

    #[test]
    fn strings_convert_like_javascript() {
        assert_eq!(to_js_string(&d!([1, [2, 3], null, "a"])), "1,2,3,,a");
        assert_eq!(to_js_string(&d!({"a": 1})), "[object Object]");
        assert_eq!(number_to_string(1e21), "1e+21");
        assert_eq!(number_to_string(1.5e-7), "1.5e-7");
        assert_eq!(number_to_string(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number_to_string(-0.0), "0");
        assert_eq!(to_js_string(&d!(2.0)), "2");
    }

    #[test]
    fn equality_follows_the_abstract_algorithm() {
        assert!(loose_equals(&d!(1), &d!("1")));
        assert!(loose_equals(&d!(true), &d!(1)));
        assert!(loose_equals(&d!(true), &d!("1")));
        assert!(!loose_equals(&d!(null), &d!(0)));
        assert!(loose_equals(&d!([1]), &d!(1)));
        assert!(loose_equals(&d!([]), &d!("")));
        assert!(!loose_equals(&d!([]), &d!([])));
        assert!(!strict_equals(&d!(1), &d!("1")));
        assert!(strict_equals(&d!(1), &d!(1.0)));
    }

    #[test]
    fn comparison_is_textual_only_between_strings() {
        assert_eq!(compare(&d!("10"), &d!("9")), Some(Ordering::Less));
        assert_eq!(compare(&d!("10"), &d!(9)), Some(Ordering::Greater));
        assert_eq!(compare(&d!("a"), &d!(1)), None);
        assert_eq!(compare(&d!(null), &d!(0)), Some(Ordering::Equal));
    }

    #[test]
    fn arithmetic_results_are_integers_when_integral() {
        assert_eq!(number_value(2.0), serde_json::json!(2));
        assert_eq!(number_value(0.5), serde_json::json!(0.5));
        assert_eq!(number_value(f64::NAN), serde_json::json!(null));
    }
}
