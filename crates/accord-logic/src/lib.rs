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
//!
//! The crate knows nothing of rulebooks: `accord-core` compiles a rulebook's
//! conditions with it. It runs the public JsonLogic conformance suites
//! (`tests/conformance/`) and a differential test against datalogic-rs.
//!
//! ```
//! use accord_logic::Logic;
//! use serde_json::json;
//!
//! let rule = Logic::compile(&json!({"and": [
//!     {">=": [{"var": "budget"}, 50000]},
//!     {"in": [{"var": "role"}, ["ceo", "vp"]]}
//! ]}))
//! .expect("a valid rule");
//! let lead = json!({"budget": 60000, "role": "vp"});
//! assert_eq!(rule.evaluate(&lead), json!(true));
//! ```

#![deny(missing_docs)]

mod cost;
mod data;
mod eval;
pub mod js;
pub mod size;

pub use cost::{DataBounds, Unbounded};
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

/// Everything the engine knows about one operator name: which [`Op`] it
/// is, how many arguments it takes, whether it always returns a boolean and
/// whether it evaluates its second argument per element.
#[derive(Debug, Clone, Copy)]
struct OpInfo {
    op: Op,
    name: &'static str,
    min_args: usize,
    max_args: Option<usize>,
    returns_bool: bool,
    iterates: bool,
}

impl OpInfo {
    const fn new(
        op: Op,
        name: &'static str,
        min_args: usize,
        max_args: Option<usize>,
        returns_bool: bool,
        iterates: bool,
    ) -> OpInfo {
        OpInfo {
            op,
            name,
            min_args,
            max_args,
            returns_bool,
            iterates,
        }
    }
}

/// The operator table: one row per operator, in the order of [`Op`]'s
/// variants (so `OPS[op as usize]` is `op`'s row), then aliases as extra
/// rows. [`Op::from_name`], [`Op::name`], the arity check,
/// [`Op::returns_bool`] and [`Op::iterates`] all read it; evaluation stays a
/// `match` on [`Op`].
///
/// Columns: operator, name in rules, fewest and most arguments (`None`: any
/// number), always returns a boolean, evaluates its second argument per
/// element of the first.
const OPS: &[OpInfo] = &[
    OpInfo::new(Op::Var, "var", 0, Some(2), false, false),
    OpInfo::new(Op::Missing, "missing", 0, None, false, false),
    OpInfo::new(Op::MissingSome, "missing_some", 2, Some(2), false, false),
    OpInfo::new(Op::If, "if", 0, None, false, false),
    OpInfo::new(Op::Eq, "==", 2, Some(2), true, false),
    OpInfo::new(Op::StrictEq, "===", 2, Some(2), true, false),
    OpInfo::new(Op::NotEq, "!=", 2, Some(2), true, false),
    OpInfo::new(Op::StrictNotEq, "!==", 2, Some(2), true, false),
    OpInfo::new(Op::Not, "!", 1, Some(1), true, false),
    OpInfo::new(Op::NotNot, "!!", 1, Some(1), true, false),
    OpInfo::new(Op::Or, "or", 1, None, false, false),
    OpInfo::new(Op::And, "and", 1, None, false, false),
    OpInfo::new(Op::Lt, "<", 2, Some(3), true, false),
    OpInfo::new(Op::Le, "<=", 2, Some(3), true, false),
    OpInfo::new(Op::Gt, ">", 2, Some(2), true, false),
    OpInfo::new(Op::Ge, ">=", 2, Some(2), true, false),
    OpInfo::new(Op::In, "in", 2, Some(2), true, false),
    OpInfo::new(Op::Cat, "cat", 0, None, false, false),
    OpInfo::new(Op::Substr, "substr", 2, Some(3), false, false),
    OpInfo::new(Op::Add, "+", 0, None, false, false),
    OpInfo::new(Op::Sub, "-", 1, Some(2), false, false),
    OpInfo::new(Op::Mul, "*", 1, None, false, false),
    OpInfo::new(Op::Div, "/", 2, Some(2), false, false),
    OpInfo::new(Op::Mod, "%", 2, Some(2), false, false),
    OpInfo::new(Op::Min, "min", 1, None, false, false),
    OpInfo::new(Op::Max, "max", 1, None, false, false),
    OpInfo::new(Op::Map, "map", 2, Some(2), false, true),
    OpInfo::new(Op::Filter, "filter", 2, Some(2), false, true),
    OpInfo::new(Op::Reduce, "reduce", 2, Some(3), false, true),
    OpInfo::new(Op::All, "all", 2, Some(2), true, true),
    OpInfo::new(Op::Some, "some", 2, Some(2), true, true),
    OpInfo::new(Op::None, "none", 2, Some(2), true, true),
    OpInfo::new(Op::Merge, "merge", 0, None, false, false),
    OpInfo::new(Op::Log, "log", 1, Some(1), false, false),
    // Aliases: accepted in rules, never printed.
    OpInfo::new(Op::If, "?:", 0, None, false, false),
];

impl Op {
    fn info(self) -> &'static OpInfo {
        &OPS[self as usize]
    }

    /// The operator named `name` in a rule, if the engine supports it.
    pub fn from_name(name: &str) -> Option<Op> {
        OPS.iter().find(|row| row.name == name).map(|row| row.op)
    }

    /// The operator's name as written in rules.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// How many arguments the operator accepts: `(min, max)`, `max` `None`
    /// for any number.
    fn arity(self) -> (usize, Option<usize>) {
        let row = self.info();
        (row.min_args, row.max_args)
    }

    /// Operators whose result is always `true` or `false`.
    pub fn returns_bool(self) -> bool {
        self.info().returns_bool
    }

    /// Operators whose second argument is evaluated against each element of
    /// the first (so `var` inside it names the element, not the lead).
    pub fn iterates(self) -> bool {
        self.info().iterates
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
    fn every_operator_row_sits_at_its_variant_and_names_round_trip() {
        let variants = OPS.iter().take_while(|row| row.name != "?:").count();
        for (i, row) in OPS.iter().enumerate().take(variants) {
            assert_eq!(row.op as usize, i, "{} is out of place", row.name);
            assert_eq!(Op::from_name(row.name), Some(row.op));
            assert_eq!(row.op.name(), row.name);
            assert_eq!(row.op.to_string(), row.name);
        }
        // Aliases read as their operator and print as its canonical name.
        assert_eq!(Op::from_name("?:"), Some(Op::If));
        assert_eq!(Op::If.name(), "if");
        assert_eq!(Op::from_name("nope"), None);
        // Names are unique.
        let mut names: Vec<_> = OPS.iter().map(|row| row.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), OPS.len());
    }

    #[test]
    fn the_table_says_what_each_operator_is() {
        assert_eq!(Op::Lt.arity(), (2, Some(3)));
        assert_eq!(Op::Missing.arity(), (0, None));
        assert!(Op::In.returns_bool() && !Op::In.iterates());
        assert!(Op::Some.returns_bool() && Op::Some.iterates());
        assert!(!Op::Reduce.returns_bool() && Op::Reduce.iterates());
        assert!(!Op::Add.returns_bool());
    }

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
