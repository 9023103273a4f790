//! Evaluation of compiled rules.
//!
//! Each node evaluates to a `Cow`: literals and `var` lookups borrow, so the
//! common rule shapes (`{"==": [{"var": "x"}, "y"]}`) allocate nothing.
//! Comparisons evaluate straight to `bool` when a condition is tested.

use super::{js, Data, Logic, Op};
use std::borrow::Cow;
use std::cmp::Ordering;

type Out<'a> = Cow<'a, Data>;

impl Logic {
    pub(super) fn eval<'a>(&'a self, data: &'a Data) -> Out<'a> {
        match self {
            Logic::Literal(value) => Cow::Borrowed(value),
            Logic::Array(items) => Cow::Owned(Data::Array(
                items.iter().map(|l| l.eval(data).into_owned()).collect(),
            )),
            Logic::Var {
                path,
                hashes,
                default,
            } => match lookup_hashed(data, path, hashes) {
                Some(found) => Cow::Borrowed(found),
                None => match default {
                    Some(d) => d.eval(data),
                    None => Cow::Owned(Data::Null),
                },
            },
            Logic::Op(op, args) => match op {
                Op::And | Op::Or => and_or(*op == Op::Or, args, data),
                _ => match test(*op, args, data) {
                    Some(b) => Cow::Owned(Data::Bool(b)),
                    None => eval_op(*op, args, data),
                },
            },
        }
    }

    pub(super) fn eval_truthy(&self, data: &Data) -> bool {
        if let Logic::Op(op, args) = self {
            if let Some(b) = test(*op, args, data) {
                return b;
            }
            match op {
                Op::And => return args.iter().all(|a| a.eval_truthy(data)),
                Op::Or => return args.iter().any(|a| a.eval_truthy(data)),
                _ => {}
            }
        }
        js::truthy(&self.eval(data))
    }
}

/// The value of argument `i`; `null` when the rule gave fewer arguments.
#[inline]
fn arg<'a>(args: &'a [Logic], i: usize, data: &'a Data) -> Out<'a> {
    match args.get(i) {
        Some(a) => a.eval(data),
        None => Cow::Owned(Data::Null),
    }
}

/// `and` (stop at the first falsy value) or `or` (stop at the first truthy
/// one), returning the deciding value as JsonLogic does. Arguments known to
/// be booleans are tested without building a value.
fn and_or<'a>(or: bool, args: &'a [Logic], data: &'a Data) -> Out<'a> {
    let mut last: Option<Out<'a>> = None;
    for a in args {
        if a.is_boolean() {
            let b = a.eval_truthy(data);
            if b == or {
                return Cow::Owned(Data::Bool(b));
            }
            last = None;
            continue;
        }
        let value = a.eval(data);
        if js::truthy(&value) == or {
            return value;
        }
        last = Some(value);
    }
    // All arguments were evaluated and none decided: the last one is the
    // result (a boolean argument left `last` empty, and was `!or`).
    match (last, args.is_empty()) {
        (Some(value), _) => value,
        (None, false) => Cow::Owned(Data::Bool(!or)),
        (None, true) => Cow::Owned(Data::Null),
    }
}

impl Logic {
    /// Whether the node always evaluates to a boolean.
    fn is_boolean(&self) -> bool {
        match self {
            Logic::Literal(v) => matches!(v, Data::Bool(_)),
            Logic::Op(op, _) => op.returns_bool(),
            _ => false,
        }
    }
}

/// Operators whose result is always a boolean; `None` for the others.
fn test(op: Op, args: &[Logic], data: &Data) -> Option<bool> {
    Some(match op {
        Op::Eq => pair(args, data, js::loose_equals),
        Op::NotEq => !pair(args, data, js::loose_equals),
        Op::StrictEq => pair(args, data, js::strict_equals),
        Op::StrictNotEq => !pair(args, data, js::strict_equals),
        Op::Lt => ordered(args, data, Ordering::is_lt),
        Op::Le => ordered(args, data, Ordering::is_le),
        Op::Gt => ordered(args, data, Ordering::is_gt),
        Op::Ge => ordered(args, data, Ordering::is_ge),
        Op::Not => !args.first().is_some_and(|a| a.eval_truthy(data)),
        Op::NotNot => args.first().is_some_and(|a| a.eval_truthy(data)),
        Op::In => pair(args, data, is_in),
        Op::All => all_items(args, data),
        Op::Some => any_item(args, data),
        Op::None => !any_item(args, data),
        _ => return None,
    })
}

static NULL: Data = Data::Null;

/// An operand read in place, without building a value: a literal, or a
/// `var` without default (a missing value reads as `null`). Inlined into
/// each comparison natively (a call per operand cost a fifth of a rule's
/// time); left to the optimiser in wasm, where size comes first.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
#[cfg_attr(target_arch = "wasm32", inline)]
fn in_place<'a>(logic: &'a Logic, data: &'a Data) -> Option<&'a Data> {
    match logic {
        Logic::Literal(value) => Some(value),
        Logic::Var {
            path,
            hashes,
            default: None,
        } => Some(lookup_hashed(data, path, hashes).unwrap_or(&NULL)),
        _ => None,
    }
}

/// Applies a two-operand test, reading the operands in place when both
/// are literals or plain `var`s (the common `{"==": [{"var": …}, …]}`).
#[inline]
fn pair(args: &[Logic], data: &Data, f: impl Fn(&Data, &Data) -> bool) -> bool {
    if let [a, b] = args {
        if let (Some(x), Some(y)) = (in_place(a, data), in_place(b, data)) {
            return f(x, y);
        }
    }
    f(&arg(args, 0, data), &arg(args, 1, data))
}

/// `<`, `<=`, `>`, `>=`, with the three-argument "between" form.
fn ordered(args: &[Logic], data: &Data, want: impl Fn(Ordering) -> bool) -> bool {
    if let [a, b] = args {
        if let (Some(x), Some(y)) = (in_place(a, data), in_place(b, data)) {
            return js::compare(x, y).is_some_and(&want);
        }
    }
    let (a, b) = (arg(args, 0, data), arg(args, 1, data));
    let first = js::compare(&a, &b).is_some_and(&want);
    match args.get(2) {
        Some(c) => first && js::compare(&b, &c.eval(data)).is_some_and(&want),
        None => first,
    }
}

#[inline(never)]
fn all_items(args: &[Logic], data: &Data) -> bool {
    let items = arg(args, 0, data);
    match (&*items, args.get(1)) {
        (Data::Array(items), Some(test)) if !items.is_empty() => {
            items.iter().all(|item| test.eval_truthy(item))
        }
        _ => false,
    }
}

#[inline(never)]
fn any_item(args: &[Logic], data: &Data) -> bool {
    let Some(first) = args.first() else {
        return false;
    };
    let items = first.eval(data);
    match (&*items, args.get(1)) {
        (Data::Array(items), Some(test)) => items.iter().any(|item| test.eval_truthy(item)),
        _ => false,
    }
}

fn eval_op<'a>(op: Op, args: &'a [Logic], data: &'a Data) -> Out<'a> {
    let arg = |i: usize| arg(args, i, data);
    let number = |f: f64| Cow::Owned(Data::Number(f));
    match op {
        Op::If => {
            let mut i = 0;
            while i + 1 < args.len() {
                if args[i].eval_truthy(data) {
                    return args[i + 1].eval(data);
                }
                i += 2;
            }
            if i < args.len() {
                args[i].eval(data)
            } else {
                Cow::Owned(Data::Null)
            }
        }
        Op::And | Op::Or => and_or(op == Op::Or, args, data),
        Op::Var => {
            let key = arg(0);
            let path = match &*key {
                Data::Null => String::new(),
                other => js::to_js_string(other),
            };
            let found = if path.is_empty() {
                Some(data)
            } else {
                lookup(data, path.split('.'))
            };
            match found {
                Some(v) => Cow::Borrowed(v),
                None => arg(1),
            }
        }
        Op::Missing => {
            let values: Vec<Out<'a>> = args.iter().map(|a| a.eval(data)).collect();
            let keys: Vec<&Data> = match values.first().map(|v| &**v) {
                Some(Data::Array(keys)) => keys.iter().collect(),
                _ => values.iter().map(|v| &**v).collect(),
            };
            Cow::Owned(Data::Array(missing_keys(data, &keys)))
        }
        Op::MissingSome => {
            let need = js::to_number(&arg(0));
            let options = arg(1);
            let keys: Vec<&Data> = match &*options {
                Data::Array(keys) => keys.iter().collect(),
                _ => Vec::new(),
            };
            let missing = missing_keys(data, &keys);
            // Counts are small; the conversion to f64 is exact.
            let present = (keys.len() - missing.len()) as f64;
            if present >= need {
                Cow::Owned(Data::Array(Vec::new()))
            } else {
                Cow::Owned(Data::Array(missing))
            }
        }
        Op::Cat => {
            let mut out = String::new();
            for a in args {
                out.push_str(&js::to_js_string(&a.eval(data)));
            }
            Cow::Owned(Data::String(out.into()))
        }
        Op::Substr => Cow::Owned(Data::String(
            substr(&arg(0), &arg(1), args.get(2).map(|a| a.eval(data))).into(),
        )),
        Op::Add => number(args.iter().map(|a| js::parse_float(&a.eval(data))).sum()),
        Op::Mul => number(
            args.iter()
                .map(|a| js::parse_float(&a.eval(data)))
                .reduce(|x, y| x * y)
                .unwrap_or(f64::NAN),
        ),
        Op::Sub => match args.len() {
            1 => number(-js::to_number(&arg(0))),
            _ => number(js::to_number(&arg(0)) - js::to_number(&arg(1))),
        },
        Op::Div => number(js::to_number(&arg(0)) / js::to_number(&arg(1))),
        Op::Mod => number(js::to_number(&arg(0)) % js::to_number(&arg(1))),
        Op::Min | Op::Max => {
            let mut result = if op == Op::Min {
                f64::INFINITY
            } else {
                f64::NEG_INFINITY
            };
            for a in args {
                let n = js::to_number(&a.eval(data));
                if n.is_nan() {
                    return number(f64::NAN);
                }
                result = if op == Op::Min {
                    result.min(n)
                } else {
                    result.max(n)
                };
            }
            number(result)
        }
        Op::Merge => {
            let mut out = Vec::new();
            for a in args {
                match a.eval(data) {
                    Cow::Owned(Data::Array(items)) => out.extend(items),
                    Cow::Borrowed(Data::Array(items)) => out.extend(items.iter().cloned()),
                    other => out.push(other.into_owned()),
                }
            }
            Cow::Owned(Data::Array(out))
        }
        Op::Map | Op::Filter => {
            let items = arg(0);
            let (Data::Array(items), Some(each)) = (&*items, args.get(1)) else {
                return Cow::Owned(Data::Array(Vec::new()));
            };
            let out = if op == Op::Map {
                items
                    .iter()
                    .map(|item| each.eval(item).into_owned())
                    .collect()
            } else {
                items
                    .iter()
                    .filter(|item| each.eval_truthy(item))
                    .cloned()
                    .collect()
            };
            Cow::Owned(Data::Array(out))
        }
        Op::Reduce => {
            let initial = arg(2).into_owned();
            let items = arg(0);
            let (Data::Array(items), Some(step)) = (&*items, args.get(1)) else {
                return Cow::Owned(initial);
            };
            let mut scope = Data::object(vec![("accumulator".into(), initial)]);
            for item in items {
                scope.insert("current", item.clone());
                let next = step.eval(&scope).into_owned();
                scope.insert("accumulator", next);
            }
            Cow::Owned(scope.get("accumulator").cloned().unwrap_or_default())
        }
        Op::Log => arg(0),
        // `eval` answers operators with boolean results through `test`
        // before it calls this; the arm keeps the function total.
        _ => Cow::Owned(Data::Bool(test(op, args, data).unwrap_or(false))),
    }
}

/// [`lookup`] for a compiled path whose segment hashes are known.
#[inline]
fn lookup_hashed<'a>(data: &'a Data, path: &[String], hashes: &[u32]) -> Option<&'a Data> {
    let mut current = data;
    for (segment, hash) in path.iter().zip(hashes) {
        current = current.get_hashed(*hash, segment)?;
    }
    Some(current)
}

/// Follows a `var` path into the data: object keys, and array indices.
/// `None` when a step is absent or leads through a value that has no keys.
pub(crate) fn lookup<'a, 'p>(
    data: &'a Data,
    path: impl IntoIterator<Item = &'p str>,
) -> Option<&'a Data> {
    let mut current = data;
    for segment in path {
        current = current.get(segment)?;
    }
    Some(current)
}

fn missing_keys(data: &Data, keys: &[&Data]) -> Vec<Data> {
    keys.iter()
        .filter(|key| {
            let path = js::to_js_string(key);
            let found = if path.is_empty() {
                Some(data)
            } else {
                lookup(data, path.split('.'))
            };
            match found {
                None | Some(Data::Null) => true,
                Some(Data::String(s)) => s.is_empty(),
                Some(_) => false,
            }
        })
        .map(|key| (*key).clone())
        .collect()
}

fn is_in(needle: &Data, haystack: &Data) -> bool {
    match haystack {
        Data::String(text) => text.contains(js::to_js_string(needle).as_str()),
        Data::Array(items) => items.iter().any(|item| js::strict_equals(item, needle)),
        _ => false,
    }
}

/// JavaScript's `substr(start, length)` as JsonLogic uses it: a negative
/// start counts from the end, a negative length leaves that many characters
/// off the end. Counts characters (Unicode scalar values).
fn substr(source: &Data, start: &Data, length: Option<Out<'_>>) -> String {
    let chars: Vec<char> = js::to_js_string(source).chars().collect();
    let size = chars.len() as f64;
    let mut from = integer(js::to_number(start));
    if from < 0.0 {
        from = (size + from).max(0.0);
    }
    let from = from.min(size);
    let rest = size - from;
    let take = match length.map(|l| js::to_number(&l)) {
        None => rest,
        Some(n) if n < 0.0 => (rest + integer(n)).max(0.0),
        // `max`/`min`, not `clamp`: `clamp`'s panic message would bring
        // the float formatter into the wasm build.
        Some(n) => integer(n).max(0.0).min(rest),
    };
    // Both are whole numbers within 0..=size, so the casts are exact.
    let (from, take) = (from as usize, take as usize);
    chars[from..from + take].iter().collect()
}

/// `ToIntegerOrInfinity`: NaN is 0, everything else truncates.
fn integer(n: f64) -> f64 {
    if n.is_nan() {
        0.0
    } else {
        n.trunc()
    }
}

#[cfg(test)]
mod tests {
    use crate::Logic;
    use serde_json::{json, Value};

    fn run(rule: Value, data: Value) -> Value {
        Logic::compile(&rule)
            .expect("rule compiles")
            .evaluate(&data)
    }

    #[test]
    fn var_reads_nested_paths_and_defaults() {
        let data = json!({"a": {"b": [10, 20]}, "n": null});
        assert_eq!(run(json!({"var": "a.b.1"}), data.clone()), json!(20));
        assert_eq!(run(json!({"var": ["a.x", 7]}), data.clone()), json!(7));
        assert_eq!(run(json!({"var": ["n", 7]}), data.clone()), json!(null));
        assert_eq!(run(json!({"var": ["n.x", 7]}), data), json!(7));
    }

    #[test]
    fn and_or_return_the_deciding_value() {
        assert_eq!(run(json!({"and": [1, "", 3]}), json!({})), json!(""));
        assert_eq!(run(json!({"or": [0, [], "x"]}), json!({})), json!("x"));
    }

    #[test]
    fn reduce_sees_current_and_accumulator() {
        let rule = json!({"reduce": [{"var": "xs"}, {"+": [{"var": "current"}, {"var": "accumulator"}]}, 10]});
        assert_eq!(run(rule, json!({"xs": [1, 2, 3]})), json!(16));
    }

    #[test]
    fn substr_counts_characters_not_bytes() {
        assert_eq!(
            run(json!({"substr": ["héllo", 1, 3]}), json!(null)),
            json!("éll")
        );
        assert_eq!(run(json!({"substr": ["abc", 5]}), json!(null)), json!(""));
        assert_eq!(
            run(json!({"substr": ["abc", 1, -5]}), json!(null)),
            json!("")
        );
    }

    #[test]
    fn between_forms_check_both_bounds() {
        assert_eq!(
            run(json!({"<": [1, {"var": "x"}, 3]}), json!({"x": 2})),
            json!(true)
        );
        assert_eq!(
            run(json!({"<=": [1, {"var": "x"}, 3]}), json!({"x": 4})),
            json!(false)
        );
    }

    #[test]
    fn division_by_zero_has_no_json_number() {
        assert_eq!(run(json!({"/": [1, 0]}), json!(null)), json!(null));
    }
}
