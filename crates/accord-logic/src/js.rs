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
///
/// The shortest round-trip digits come from serde_json's float writer,
/// laid out by ECMAScript's `Number::toString` rules: plain digits from
/// 1e-6 up to 1e21, an exponent with its sign outside that. When a number
/// lies exactly halfway between two shortest texts, it picks the even
/// digit as JavaScript does, where Rust's `{}` rounds up
/// (1658206780088562.25 prints as `…562.2`, not `…562.3`).
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
    let Some(shortest) = serde_json::Number::from_f64(f.abs()) else {
        return "NaN".to_owned();
    };
    let shortest = shortest.to_string();
    let (mantissa, exponent) = match shortest.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (shortest.as_str(), 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // The digits without leading or trailing zeros, and `n`: where the
    // decimal point goes, counted from the first digit.
    let mut n = whole.len() as i32 + exponent;
    let mut digits: String = whole.chars().chain(fraction.chars()).collect();
    while digits.starts_with('0') {
        digits.remove(0);
        n -= 1;
    }
    while digits.ends_with('0') {
        digits.pop();
    }
    let k = digits.len() as i32;
    let mut out = String::new();
    if f < 0.0 {
        out.push('-');
    }
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if n > 0 { '+' } else { '-' });
        out.push_str(&(n - 1).unsigned_abs().to_string());
    }
    out
}

/// A JSON number for an arithmetic result. Integral values become integers,
/// so `1 + 1` is `2`, not `2.0`. NaN and the infinities have no JSON form and
/// become `null`, as `JSON.stringify` writes them.
///
/// This is the one rule for turning a computed `f64` into JSON: the engine,
/// the console's trial answers and the browser's reading of JavaScript
/// numbers all use it.
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
    decimal_literal(t).unwrap_or(f64::NAN)
}

fn parse_float_prefix(s: &str) -> f64 {
    let t = s.trim_start_matches(is_js_whitespace);
    match decimal_prefix_len(t) {
        Some(len) => parse_decimal(&t[..len]),
        None => f64::NAN,
    }
}

/// The number a whole decimal literal denotes (`12`, `-0.5`, `1e3`, `.5`,
/// `Infinity`); `None` for any other text.
pub fn decimal_literal(t: &str) -> Option<f64> {
    match decimal_prefix_len(t) {
        Some(len) if len == t.len() => Some(parse_decimal(t)),
        _ => None,
    }
}

/// The value of `t`, a whole `StrDecimalLiteral` (`decimal_prefix_len`
/// accepted all of it).
///
/// The digits are read by serde_json's number reader, the one that reads
/// every number in a rulebook and a lead, so the text `"0.1"` and the JSON
/// number `0.1` are always the same `f64`. (The standard library's exact
/// reader would also bring a 10 KB table of powers of five, and its code,
/// into the widget's wasm.) Up to
/// 15 significant digits with an exponent within ±22 the result is exactly
/// JavaScript's; longer literals can differ from it in the last bit, as the
/// rulebook's own numbers can.
fn parse_decimal(t: &str) -> f64 {
    let (sign, body) = match t.as_bytes().first() {
        Some(b'-') => (-1.0, &t[1..]),
        Some(b'+') => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    if body == "Infinity" {
        return sign * f64::INFINITY;
    }
    // JavaScript allows "007", "5." and ".5"; JSON does not.
    let (mantissa, exponent) = body.split_once(['e', 'E']).unwrap_or((body, ""));
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let int = int.trim_start_matches('0');
    let mut json = String::with_capacity(body.len() + 2);
    json.push_str(if int.is_empty() { "0" } else { int });
    if !frac.is_empty() {
        json.push('.');
        json.push_str(frac);
    }
    if !exponent.is_empty() {
        json.push('e');
        json.push_str(exponent);
    }
    match json.parse::<serde_json::Number>() {
        Ok(n) => n.as_f64().map_or(f64::NAN, |f| sign * f),
        // The text is a well-formed number, so the one error is that it is
        // too large for an `f64`; JavaScript's answer is then Infinity.
        Err(_) => sign * f64::INFINITY,
    }
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
    fn numbers_print_as_javascript_prints_them() {
        // Expected texts from `String(x)` in Node.js (V8).
        let cases = [
            (1.0, "1"),
            (-2.5, "-2.5"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e21, "1e+21"),
            (123456789012345680000.0, "123456789012345680000"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (-1.5e-7, "-1.5e-7"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (100.0, "100"),
            // Exactly halfway between two 17-digit texts: JavaScript
            // takes the even digit (Rust's `{}` gives ...562.3).
            (f64::from_bits(0x43179085685d83c9), "1658206780088562.2"),
            (f64::from_bits(0x7f6c280beaa8e3e7), "6.178787134922198e+305"),
            (
                f64::from_bits(0xe47119871cf9abe0),
                "-6.766848154629963e+175",
            ),
            (f64::from_bits(0x35174a4158b8a0b7), "6.078989201188928e-53"),
            (
                f64::from_bits(0x101f5e859d7dded0),
                "5.0513463356317975e-231",
            ),
            (
                f64::from_bits(0x87944c6b12870b0f),
                "-3.7522180008689037e-272",
            ),
            (
                f64::from_bits(0x9e2c31e94344f995),
                "-2.4480705618824488e-163",
            ),
            (f64::from_bits(0xbfc9e24f766f3abf), "-0.20221894534048165"),
            (1.234e-6, "0.000001234"),
            (1.5e-10, "1.5e-10"),
            (9.007199254740994e15, "9007199254740994"),
            (1e20, "100000000000000000000"),
            (1.23e20, "123000000000000000000"),
            (4.35, "4.35"),
            (1.0 / 3.0, "0.3333333333333333"),
        ];
        for (f, js) in cases {
            assert_eq!(number_to_string(f), js, "{f:e}");
        }
        // Pseudo-random bit patterns across every exponent: the text reads
        // back as the same number, with as few digits as Rust's shortest.
        let significant = |text: &str| {
            let mantissa = text.split(['e', 'E']).next().unwrap_or("");
            mantissa
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .trim_matches('0')
                .len()
        };
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let f = f64::from_bits(x);
            if !f.is_finite() || f == 0.0 {
                continue;
            }
            let text = number_to_string(f);
            assert_eq!(text.parse::<f64>().ok(), Some(f), "{text}");
            assert_eq!(significant(&text), significant(&format!("{f:e}")), "{text}");
        }
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
    fn decimal_text_reads_as_the_same_json_number() {
        for (text, n) in [
            ("007", 7.0),
            ("5.", 5.0),
            (".5", 0.5),
            ("+.5e-3", 0.0005),
            ("-0.0", -0.0),
            ("0e999999999999", 0.0),
            ("1E3", 1000.0),
            ("1e-400", 0.0),
            ("1e400", f64::INFINITY),
            ("-1e400", f64::NEG_INFINITY),
            ("-Infinity", f64::NEG_INFINITY),
            ("123456789012345678901234567890", 1.2345678901234568e29),
        ] {
            let got = decimal_literal(text).unwrap();
            assert_eq!(got.to_bits(), n.to_bits(), "{text}: {got}");
        }
        for text in [
            "", ".", "e5", "1e", "1_000", "0x10", "1 ", "--1", "Inf", "NaN",
        ] {
            assert_eq!(decimal_literal(text), None, "{text}");
        }
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..100_000 {
            // Up to 15 significant digits, scaled by at most 10^±22 (the
            // point moves it by up to 15 places): exactly the number
            // JavaScript (and Rust's exact reader) gives.
            let digits = next() % 1_000_000_000_000_000;
            let point = next() % 16;
            let exp = (next() % 15) as i32 - 7;
            let text = format!("{digits}e{exp}");
            let text = if point > 0 && text.len() > point as usize + 4 {
                let (a, b) = text.split_at(point as usize);
                format!("{a}.{b}")
            } else {
                text
            };
            let exact: f64 = text.parse().unwrap();
            assert_eq!(
                decimal_literal(&text).map(f64::to_bits),
                Some(exact.to_bits()),
                "{text}"
            );
            // Any length and exponent: the same as the JSON number.
            let long = format!(
                "{}{}e{}",
                next(),
                next() % 1000,
                (next() % 640) as i32 - 330
            );
            let json = serde_json::from_str::<Value>(&long)
                .ok()
                .and_then(|v| v.as_f64());
            let read = decimal_literal(&long).unwrap();
            assert_eq!(
                json.unwrap_or(f64::INFINITY).to_bits(),
                read.to_bits(),
                "{long}"
            );
        }
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
