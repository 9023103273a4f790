//! A small JsonLogic engine: compile once, evaluate many times.
//!
//! [`Logic::compile`] turns a JSON rule into a tree of [`Logic`] nodes,
//! rejecting unknown operators, wrong argument counts and rules nested deeper
//! than [`MAX_DEPTH`], each error with the path inside the rule. Evaluation
//! ([`Logic::evaluate`]) then cannot fail: every operator follows the
//! reference implementation's JavaScript coercions (see [`js`]), so any data
//! gives a value. Static `var` paths are split once at compile time, and
//! evaluation borrows from the data wherever it can.
//!
//! Supported operators: `var`, `missing`, `missing_some`, `if` / `?:`, `==`,
//! `===`, `!=`, `!==`, `!`, `!!`, `or`, `and`, `<`, `<=` (with the three
//! argument "between" forms), `>`, `>=`, `in`, `cat`, `substr`, `+`, `-`, `*`,
//! `/`, `%`, `min`, `max`, `map`, `filter`, `reduce`, `all`, `some`, `none`,
//! `merge` and `log` (which returns its argument; the engine does no I/O).

mod data;
mod eval;
pub mod js;

pub use data::{key_hash, Data, Object};

use serde_json::Value;
use std::fmt;
use thiserror::Error;

/// How deeply rules may nest. Evaluation recurses once per level, so the
/// limit keeps hostile rules from exhausting the stack.
pub const MAX_DEPTH: usize = 64;

/// A JsonLogic operator the engine knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // Each variant is named after the operator it stands for.
pub enum Op {
    Var,
    Missing,
    MissingSome,
    If,
    Eq,
    StrictEq,
    NotEq,
    StrictNotEq,
    Not,
    NotNot,
    Or,
    And,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Cat,
    Substr,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Min,
    Max,
    Map,
    Filter,
    Reduce,
    All,
    Some,
    None,
    Merge,
    Log,
}

impl Op {
    /// The operator named `name` in a rule, if the engine supports it.
    pub fn from_name(name: &str) -> Option<Op> {
        Some(match name {
            "var" => Op::Var,
            "missing" => Op::Missing,
            "missing_some" => Op::MissingSome,
            "if" | "?:" => Op::If,
            "==" => Op::Eq,
            "===" => Op::StrictEq,
            "!=" => Op::NotEq,
            "!==" => Op::StrictNotEq,
            "!" => Op::Not,
            "!!" => Op::NotNot,
            "or" => Op::Or,
            "and" => Op::And,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "in" => Op::In,
            "cat" => Op::Cat,
            "substr" => Op::Substr,
            "+" => Op::Add,
            "-" => Op::Sub,
            "*" => Op::Mul,
            "/" => Op::Div,
            "%" => Op::Mod,
            "min" => Op::Min,
            "max" => Op::Max,
            "map" => Op::Map,
            "filter" => Op::Filter,
            "reduce" => Op::Reduce,
            "all" => Op::All,
            "some" => Op::Some,
            "none" => Op::None,
            "merge" => Op::Merge,
            "log" => Op::Log,
            _ => return None,
        })
    }

    /// The operator's name as written in rules.
    pub fn name(self) -> &'static str {
        match self {
            Op::Var => "var",
            Op::Missing => "missing",
            Op::MissingSome => "missing_some",
            Op::If => "if",
            Op::Eq => "==",
            Op::StrictEq => "===",
            Op::NotEq => "!=",
            Op::StrictNotEq => "!==",
            Op::Not => "!",
            Op::NotNot => "!!",
            Op::Or => "or",
            Op::And => "and",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::In => "in",
            Op::Cat => "cat",
            Op::Substr => "substr",
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
            Op::Mod => "%",
            Op::Min => "min",
            Op::Max => "max",
            Op::Map => "map",
            Op::Filter => "filter",
            Op::Reduce => "reduce",
            Op::All => "all",
            Op::Some => "some",
            Op::None => "none",
            Op::Merge => "merge",
            Op::Log => "log",
        }
    }

    /// How many arguments the operator accepts: `(min, max)`, `max` `None`
    /// for any number.
    fn arity(self) -> (usize, Option<usize>) {
        match self {
            Op::Not | Op::NotNot | Op::Log => (1, Some(1)),
            Op::Eq | Op::StrictEq | Op::NotEq | Op::StrictNotEq => (2, Some(2)),
            Op::Gt | Op::Ge | Op::Div | Op::Mod | Op::In => (2, Some(2)),
            Op::Lt | Op::Le | Op::Substr => (2, Some(3)),
            Op::Sub => (1, Some(2)),
            Op::Var => (0, Some(2)),
            Op::MissingSome => (2, Some(2)),
            Op::Map | Op::Filter | Op::All | Op::Some | Op::None => (2, Some(2)),
            Op::Reduce => (2, Some(3)),
            Op::Or | Op::And | Op::Mul | Op::Min | Op::Max => (1, None),
            Op::Missing | Op::If | Op::Cat | Op::Add | Op::Merge => (0, None),
        }
    }

    /// Operators whose result is always `true` or `false`.
    pub fn returns_bool(self) -> bool {
        matches!(
            self,
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
                | Op::None
        )
    }

    /// Operators whose second argument is evaluated against each element of
    /// the first (so `var` inside it names the element, not the lead).
    pub fn iterates(self) -> bool {
        matches!(
            self,
            Op::Map | Op::Filter | Op::Reduce | Op::All | Op::Some | Op::None
        )
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A compiled JsonLogic rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Logic {
    /// A value that is not a rule: returned as it is.
    Literal(Data),
    /// An array whose elements are rules: each is evaluated.
    Array(Vec<Logic>),
    /// `var` with a path known at compile time, split into its segments
    /// (empty for the whole data), and an optional default.
    Var {
        /// The path segments, e.g. `["score", "fit"]` for `"score.fit"`.
        path: Vec<String>,
        /// [`key_hash`] of each segment, computed once.
        hashes: Vec<u32>,
        /// What a missing value evaluates to instead of `null`.
        default: Option<Box<Logic>>,
    },
    /// Any other operator with its arguments.
    Op(Op, Vec<Logic>),
}

/// Why a JsonLogic rule does not compile.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LogicErrorKind {
    /// The rule names an operator the engine does not support.
    #[error("unknown operator `{op}`")]
    UnknownOperator {
        /// The operator as written.
        op: String,
    },
    /// The operator got too few or too many arguments.
    #[error("`{op}` takes {expected} argument(s), found {found}")]
    Arity {
        /// The operator.
        op: Op,
        /// The accepted counts, e.g. `"2"` or `"2 or 3"`.
        expected: String,
        /// How many the rule gave.
        found: usize,
    },
    /// The rule nests deeper than [`MAX_DEPTH`].
    #[error("rule nests deeper than {max} levels")]
    TooDeep {
        /// The limit.
        max: usize,
    },
}

/// A compile error and where in the rule it is, e.g. `and[1].==[0]`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}{kind}", if at.is_empty() { String::new() } else { format!("at {at}: ") })]
pub struct LogicError {
    /// Path inside the rule; empty for the rule itself.
    pub at: String,
    /// What is wrong.
    pub kind: LogicErrorKind,
}

impl Logic {
    /// Compiles a JSON rule, collecting every error in it.
    pub fn compile(rule: &Value) -> Result<Logic, Vec<LogicError>> {
        let mut errors = Vec::new();
        let logic = compile_node(rule, "", 0, &mut errors);
        if errors.is_empty() {
            Ok(logic)
        } else {
            Err(errors)
        }
    }

    /// Evaluates the rule against JSON data (converted for the call; to
    /// evaluate many rules on the same data, convert it once to [`Data`] and
    /// use [`Logic::evaluate_data`]).
    pub fn evaluate(&self, data: &Value) -> Value {
        self.eval(&Data::from(data)).to_value()
    }

    /// Evaluates the rule against prepared data.
    pub fn evaluate_data(&self, data: &Data) -> Data {
        self.eval(data).into_owned()
    }

    /// Evaluates the rule on prepared data and applies JsonLogic
    /// truthiness to the result.
    pub fn holds(&self, data: &Data) -> bool {
        self.eval_truthy(data)
    }

    /// Calls `visit` with every node of the rule that is evaluated against
    /// the rule's own data, i.e. not inside the per-element argument of
    /// `map`, `filter`, `reduce`, `all`, `some` or `none`.
    pub fn visit_top_level(&self, visit: &mut dyn FnMut(&Logic)) {
        visit(self);
        match self {
            Logic::Literal(_) => {}
            Logic::Array(items) => items.iter().for_each(|l| l.visit_top_level(visit)),
            Logic::Var { default, .. } => {
                if let Some(d) = default {
                    d.visit_top_level(visit);
                }
            }
            Logic::Op(op, args) => {
                for (i, arg) in args.iter().enumerate() {
                    if !(op.iterates() && i == 1) {
                        arg.visit_top_level(visit);
                    }
                }
            }
        }
    }
}

fn compile_node(rule: &Value, at: &str, depth: usize, errors: &mut Vec<LogicError>) -> Logic {
    if depth > MAX_DEPTH {
        errors.push(LogicError {
            at: at.to_owned(),
            kind: LogicErrorKind::TooDeep { max: MAX_DEPTH },
        });
        return Logic::Literal(Data::Null);
    }
    match rule {
        Value::Array(items) => {
            let compiled: Vec<Logic> = items
                .iter()
                .enumerate()
                .map(|(i, item)| compile_node(item, &format!("{at}[{i}]"), depth + 1, errors))
                .collect();
            if compiled.iter().all(|l| matches!(l, Logic::Literal(_))) {
                Logic::Literal(Data::from(rule))
            } else {
                Logic::Array(compiled)
            }
        }
        Value::Object(map) if map.len() == 1 => {
            let Some((name, raw_args)) = map.iter().next() else {
                return Logic::Literal(Data::from(rule));
            };
            let here = if at.is_empty() {
                name.clone()
            } else {
                format!("{at}.{name}")
            };
            let Some(op) = Op::from_name(name) else {
                errors.push(LogicError {
                    at: at.to_owned(),
                    kind: LogicErrorKind::UnknownOperator { op: name.clone() },
                });
                return Logic::Literal(Data::Null);
            };
            let raw: Vec<&Value> = match raw_args {
                Value::Array(items) => items.iter().collect(),
                single => vec![single],
            };
            let (min, max) = op.arity();
            if raw.len() < min || max.is_some_and(|m| raw.len() > m) {
                let expected = match max {
                    Some(m) if m == min => min.to_string(),
                    Some(m) if m == min + 1 => format!("{min} or {m}"),
                    Some(m) => format!("{min} to {m}"),
                    None => format!("at least {min}"),
                };
                errors.push(LogicError {
                    at: at.to_owned(),
                    kind: LogicErrorKind::Arity {
                        op,
                        expected,
                        found: raw.len(),
                    },
                });
            }
            let args: Vec<Logic> = raw
                .iter()
                .enumerate()
                .map(|(i, arg)| compile_node(arg, &format!("{here}[{i}]"), depth + 1, errors))
                .collect();
            if op == Op::Var {
                if let Some(path) = static_var_path(args.first()) {
                    let default = args.into_iter().nth(1).map(Box::new);
                    let hashes = path.iter().map(|s| key_hash(s)).collect();
                    return Logic::Var {
                        path,
                        hashes,
                        default,
                    };
                }
            }
            Logic::Op(op, args)
        }
        other => Logic::Literal(Data::from(other)),
    }
}

/// The split path of a `var` whose first argument is a literal.
fn static_var_path(first: Option<&Logic>) -> Option<Vec<String>> {
    match first {
        None | Some(Logic::Literal(Data::Null)) => Some(Vec::new()),
        Some(Logic::Literal(Data::String(s))) if s.is_empty() => Some(Vec::new()),
        Some(Logic::Literal(Data::String(s))) => Some(s.split('.').map(str::to_owned).collect()),
        Some(Logic::Literal(n @ Data::Number(_))) => Some(vec![js::to_js_string(n)]),
        Some(Logic::Literal(Data::Array(a))) if a.is_empty() => Some(Vec::new()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_operators_are_reported_with_their_path() {
        let errors = Logic::compile(&json!({"and": [true, {"nope": [1]}]})).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].at, "and[1]");
        assert_eq!(
            errors[0].kind,
            LogicErrorKind::UnknownOperator { op: "nope".into() }
        );
    }

    #[test]
    fn every_error_is_collected() {
        let errors =
            Logic::compile(&json!({"or": [{"==": [1]}, {"x": 1}, {">": [1, 2, 3]}]})).unwrap_err();
        assert_eq!(errors.len(), 3);
        assert_eq!(
            errors[0].to_string(),
            "at or[0]: `==` takes 2 argument(s), found 1"
        );
    }

    #[test]
    fn deep_nesting_is_rejected_not_overflowed() {
        let mut rule = json!(true);
        for _ in 0..200 {
            rule = json!({"!": [rule]});
        }
        let errors = Logic::compile(&rule).unwrap_err();
        assert!(matches!(errors[0].kind, LogicErrorKind::TooDeep { .. }));
    }

    #[test]
    fn static_var_paths_are_split_once() {
        let logic = Logic::compile(&json!({"var": ["score.fit", 0]})).unwrap();
        assert_eq!(
            logic,
            Logic::Var {
                path: vec!["score".into(), "fit".into()],
                hashes: vec![key_hash("score"), key_hash("fit")],
                default: Some(Box::new(Logic::Literal(Data::Number(0.0)))),
            }
        );
    }
}
