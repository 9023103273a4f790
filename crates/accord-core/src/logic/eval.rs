//! Evaluation of compiled rules.
//!
//! Each node evaluates to a `Cow`: literals and `var` lookups borrow, so the
//! common rule shapes (`{"==": [{"var": "x"}, "y"]}`) allocate nothing.
//! Comparisons evaluate straight to `bool` when a condition is tested.

use super::{js, Logic, Op};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::cmp::Ordering;

type Out<'a> = Cow<'a, Value>;

impl Logic {
    pub(super) fn eval<'a>(&'a self, data: &'a Value) -> Out<'a> {
        match self {
            Logic::Literal(value) => Cow::Borrowed(value),
            Logic::Array(items) => Cow::Owned(Value::Array(
                items.iter().map(|l| l.eval(data).into_owned()).collect(),
            )),
            Logic::Var { path, default } => match lookup(data, path.iter().map(String::as_str)) {
                Some(found) => Cow::Borrowed(found),
                None => match default {
                    Some(d) => d.eval(data),
                    None => Cow::Owned(Value::Null),
                },
            },
            Logic::Op(op, args) => match test(*op, args, data) {
                Some(b) => Cow::Owned(Value::Bool(b)),
                None => eval_op(*op, args, data),
            },
        }
    }

    pub(super) fn eval_truthy(&self, data: &Value) -> bool {
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

/// Operators whose result is always a boolean; `None` for the others.
fn test(op: Op, args: &[Logic], data: &Value) -> Option<bool> {
    let arg = |i: usize| {
        args.get(i)
            .map_or(Cow::Owned(Value::Null), |a| a.eval(data))
    };
    let ordered = |want: fn(Ordering) -> bool| {
        let (a, b) = (arg(0), arg(1));
        let first = js::compare(&a, &b).is_some_and(want);
        match args.get(2) {
            Some(c) => first && js::compare(&b, &c.eval(data)).is_some_and(want),
            None => first,
        }
    };
    Some(match op {
        Op::Eq => js::loose_equals(&arg(0), &arg(1)),
        Op::NotEq => !js::loose_equals(&arg(0), &arg(1)),
        Op::StrictEq => js::strict_equals(&arg(0), &arg(1)),
        Op::StrictNotEq => !js::strict_equals(&arg(0), &arg(1)),
        Op::Lt => ordered(Ordering::is_lt),
        Op::Le => ordered(Ordering::is_le),
        Op::Gt => ordered(Ordering::is_gt),
        Op::Ge => ordered(Ordering::is_ge),
        Op::Not => !args.first().is_some_and(|a| a.eval_truthy(data)),
        Op::NotNot => args.first().is_some_and(|a| a.eval_truthy(data)),
        Op::In => is_in(&arg(0), &arg(1)),
        Op::All => {
            let items = arg(0);
            match (&*items, args.get(1)) {
                (Value::Array(items), Some(test)) if !items.is_empty() => {
                    items.iter().all(|item| test.eval_truthy(item))
                }
                _ => false,
            }
        }
        Op::Some => any_item(args, data),
        Op::None => !any_item(args, data),
        _ => return None,
    })
}

fn any_item(args: &[Logic], data: &Value) -> bool {
    let Some(first) = args.first() else {
        return false;
    };
    let items = first.eval(data);
    match (&*items, args.get(1)) {
        (Value::Array(items), Some(test)) => items.iter().any(|item| test.eval_truthy(item)),
        _ => false,
    }
}

fn eval_op<'a>(op: Op, args: &'a [Logic], data: &'a Value) -> Out<'a> {
    let arg = |i: usize| {
        args.get(i)
            .map_or(Cow::Owned(Value::Null), |a| a.eval(data))
    };
    let number = |f: f64| Cow::Owned(js::number_value(f));
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
                Cow::Owned(Value::Null)
            }
        }
        Op::And | Op::Or => {
            let want = op == Op::Or;
            let mut last = Cow::Owned(Value::Null);
            for a in args {
                last = a.eval(data);
                if js::truthy(&last) == want {
                    return last;
                }
            }
            last
        }
        Op::Var => {
            let key = arg(0);
            let path = match &*key {
                Value::Null => String::new(),
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
            let keys: Vec<&Value> = match values.first().map(|v| &**v) {
                Some(Value::Array(keys)) => keys.iter().collect(),
                _ => values.iter().map(|v| &**v).collect(),
            };
            Cow::Owned(Value::Array(missing_keys(data, &keys)))
        }
        Op::MissingSome => {
            let need = js::to_number(&arg(0));
            let options = arg(1);
            let keys: Vec<&Value> = match &*options {
                Value::Array(keys) => keys.iter().collect(),
                _ => Vec::new(),
            };
            let missing = missing_keys(data, &keys);
            // Counts are small; the conversion to f64 is exact.
            let present = (keys.len() - missing.len()) as f64;
            if present >= need {
                Cow::Owned(Value::Array(Vec::new()))
            } else {
                Cow::Owned(Value::Array(missing))
            }
        }
        Op::Cat => {
            let mut out = String::new();
            for a in args {
                out.push_str(&js::to_js_string(&a.eval(data)));
            }
            Cow::Owned(Value::String(out))
        }
        Op::Substr => Cow::Owned(Value::String(substr(
            &arg(0),
            &arg(1),
            args.get(2).map(|a| a.eval(data)),
        ))),
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
                    Cow::Owned(Value::Array(items)) => out.extend(items),
                    Cow::Borrowed(Value::Array(items)) => out.extend(items.iter().cloned()),
                    other => out.push(other.into_owned()),
                }
            }
            Cow::Owned(Value::Array(out))
        }
        Op::Map | Op::Filter => {
            let items = arg(0);
            let (Value::Array(items), Some(each)) = (&*items, args.get(1)) else {
                return Cow::Owned(Value::Array(Vec::new()));
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
            Cow::Owned(Value::Array(out))
        }
        Op::Reduce => {
            let initial = arg(2).into_owned();
            let items = arg(0);
            let (Value::Array(items), Some(step)) = (&*items, args.get(1)) else {
                return Cow::Owned(initial);
            };
            let mut scope = Map::new();
            scope.insert("accumulator".to_owned(), initial);
            for item in items {
                scope.insert("current".to_owned(), item.clone());
                let scope_value = Value::Object(std::mem::take(&mut scope));
                let next = step.eval(&scope_value).into_owned();
                if let Value::Object(map) = scope_value {
                    scope = map;
                }
                scope.insert("accumulator".to_owned(), next);
            }
            Cow::Owned(scope.remove("accumulator").unwrap_or(Value::Null))
        }
        Op::Log => arg(0),
        // Operators with boolean results are answered by `test`.
        Op::Eq
        | Op::StrictEq
        | Op::NotEq
        | Op::StrictNotEq
        | Op::Not
        | Op::NotNot
        | Op::Lt
        | Op::Le
        | Op::Gt
        | Op::Ge
        | Op::In
        | Op::All
        | Op::Some
        | Op::None => Cow::Owned(Value::Bool(test(op, args, data).unwrap_or(false))),
    }
}

/// Follows a `var` path into the data: object keys, and array indices.
/// `None` when a step is absent or leads through a value that has no keys.
pub(crate) fn lookup<'a, 'p>(
    data: &'a Value,
    path: impl IntoIterator<Item = &'p str>,
) -> Option<&'a Value> {
    let mut current = data;
    for segment in path {
        current = match current {
            Value::Object(map) => map.get(segment)?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

fn missing_keys(data: &Value, keys: &[&Value]) -> Vec<Value> {
    keys.iter()
        .filter(|key| {
            let path = js::to_js_string(key);
            let found = if path.is_empty() {
                Some(data)
            } else {
                lookup(data, path.split('.'))
            };
            match found {
                None | Some(Value::Null) => true,
                Some(Value::String(s)) => s.is_empty(),
                Some(_) => false,
            }
        })
        .map(|key| (*key).clone())
        .collect()
}

fn is_in(needle: &Value, haystack: &Value) -> bool {
    match haystack {
        Value::String(text) => text.contains(js::to_js_string(needle).as_str()),
        Value::Array(items) => items.iter().any(|item| js::strict_equals(item, needle)),
        _ => false,
    }
}

/// JavaScript's `substr(start, length)` as JsonLogic uses it: a negative
/// start counts from the end, a negative length leaves that many characters
/// off the end. Counts characters (Unicode scalar values).
fn substr(source: &Value, start: &Value, length: Option<Out<'_>>) -> String {
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
        Some(n) => integer(n).clamp(0.0, rest),
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
    use crate::logic::Logic;
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
