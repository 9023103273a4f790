//! The condition builder's model: the shapes people write, read from and
//! written back to JsonLogic.
//!
//! [`Condition::read`] recognises a field, context or score value compared
//! with a value, one of a list, a list containing a value, between two
//! numbers, answered / not answered, and all-of / any-of groups of these.
//! Anything else stays [`Condition::Logic`]: the JsonLogic as written,
//! shown as text. [`Condition::write`] gives back exactly the JsonLogic it
//! was read from (`tests/condition_round_trip.rs` holds this by property).

use serde_json::{json, Value};

/// How a value is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `==`: is (loosely, as JsonLogic compares).
    Is,
    /// `!=`: is not.
    IsNot,
    /// `===`: is exactly.
    IsExactly,
    /// `!==`: is exactly not.
    IsExactlyNot,
    /// `<`.
    Less,
    /// `<=`.
    AtMost,
    /// `>`.
    More,
    /// `>=`.
    AtLeast,
}

impl Op {
    /// Every operator with its JsonLogic name and its words.
    pub const ALL: [(Op, &'static str, &'static str); 8] = [
        (Op::Is, "==", "is"),
        (Op::IsNot, "!=", "is not"),
        (Op::IsExactly, "===", "is exactly"),
        (Op::IsExactlyNot, "!==", "is exactly not"),
        (Op::Less, "<", "is less than"),
        (Op::AtMost, "<=", "is at most"),
        (Op::More, ">", "is more than"),
        (Op::AtLeast, ">=", "is at least"),
    ];

    /// The JsonLogic operator.
    pub fn logic(self) -> &'static str {
        Op::ALL
            .iter()
            .find(|(op, ..)| *op == self)
            .map_or("==", |e| e.1)
    }

    /// The operator's words, e.g. `is at least`.
    pub fn words(self) -> &'static str {
        Op::ALL
            .iter()
            .find(|(op, ..)| *op == self)
            .map_or("is", |e| e.2)
    }

    /// The operator named `name` in JsonLogic.
    pub fn from_logic(name: &str) -> Option<Op> {
        Op::ALL.iter().find(|e| e.1 == name).map(|e| e.0)
    }
}

/// One condition as the builder shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `{op: [{"var": var}, value]}`, value not `null`.
    Compare {
        /// What is read, e.g. `employees` or `score.total`.
        var: String,
        /// How.
        op: Op,
        /// With what: text, a number or `true`/`false`.
        value: Value,
    },
    /// `{"in": [{"var": var}, [values…]]}`: one of a list.
    OneOf {
        /// What is read.
        var: String,
        /// The list.
        values: Vec<Value>,
    },
    /// `{"in": [value, {"var": var}]}`: a multiple choice answer (or a
    /// text) contains the value.
    Contains {
        /// What is read.
        var: String,
        /// The value looked for.
        value: Value,
    },
    /// `{"<=": [low, {"var": var}, high]}`: between two numbers, both
    /// included.
    Between {
        /// What is read.
        var: String,
        /// The smallest value that holds.
        low: Value,
        /// The largest value that holds.
        high: Value,
    },
    /// `{"!=": [{"var": var}, null]}` (answered) or `{"==": [{"var": var},
    /// null]}` (not answered).
    Answered {
        /// What is read.
        var: String,
        /// `true` for "is answered".
        answered: bool,
    },
    /// `{"and": […]}`: all of these hold.
    All(Vec<Condition>),
    /// `{"or": […]}`: any of these holds.
    Any(Vec<Condition>),
    /// Any other JsonLogic, kept as written.
    Logic(Value),
}

/// The name a `{"var": "name"}` reads, when it is written that way.
fn var_name(value: &Value) -> Option<&str> {
    match value {
        Value::Object(map) if map.len() == 1 => map.get("var")?.as_str(),
        _ => None,
    }
}

/// A literal the builder edits: text, a number or a boolean.
fn is_literal(value: &Value) -> bool {
    matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_))
}

fn var(name: &str) -> Value {
    json!({ "var": name })
}

impl Condition {
    /// The builder's reading of a JsonLogic condition.
    pub fn read(logic: &Value) -> Condition {
        Condition::read_shape(logic).unwrap_or_else(|| Condition::Logic(logic.clone()))
    }

    fn read_shape(logic: &Value) -> Option<Condition> {
        let Value::Object(map) = logic else {
            return None;
        };
        if map.len() != 1 {
            return None;
        }
        let (op, args) = map.iter().next()?;
        let Value::Array(args) = args else {
            return None;
        };
        match (op.as_str(), args.as_slice()) {
            ("and", items) => Some(Condition::All(items.iter().map(Condition::read).collect())),
            ("or", items) => Some(Condition::Any(items.iter().map(Condition::read).collect())),
            ("==" | "!=", [subject, Value::Null]) => Some(Condition::Answered {
                var: var_name(subject)?.to_owned(),
                answered: op == "!=",
            }),
            ("in", [subject, Value::Array(values)]) if values.iter().all(is_literal) => {
                Some(Condition::OneOf {
                    var: var_name(subject)?.to_owned(),
                    values: values.clone(),
                })
            }
            ("in", [value, subject]) if is_literal(value) => Some(Condition::Contains {
                var: var_name(subject)?.to_owned(),
                value: value.clone(),
            }),
            ("<=", [low @ Value::Number(_), subject, high @ Value::Number(_)]) => {
                Some(Condition::Between {
                    var: var_name(subject)?.to_owned(),
                    low: low.clone(),
                    high: high.clone(),
                })
            }
            (name, [subject, value]) if is_literal(value) => Some(Condition::Compare {
                var: var_name(subject)?.to_owned(),
                op: Op::from_logic(name)?,
                value: value.clone(),
            }),
            _ => None,
        }
    }

    /// The JsonLogic the builder writes.
    pub fn write(&self) -> Value {
        match self {
            Condition::Compare { var: v, op, value } => json!({ op.logic(): [var(v), value] }),
            Condition::OneOf { var: v, values } => json!({ "in": [var(v), values] }),
            Condition::Contains { var: v, value } => json!({ "in": [value, var(v)] }),
            Condition::Between { var: v, low, high } => json!({ "<=": [low, var(v), high] }),
            Condition::Answered { var: v, answered } => {
                json!({ if *answered { "!=" } else { "==" }: [var(v), null] })
            }
            Condition::All(items) => {
                json!({ "and": items.iter().map(Condition::write).collect::<Vec<_>>() })
            }
            Condition::Any(items) => {
                json!({ "or": items.iter().map(Condition::write).collect::<Vec<_>>() })
            }
            Condition::Logic(logic) => logic.clone(),
        }
    }

    /// The value this condition reads, for a row of the builder; `None`
    /// for groups and JsonLogic text.
    pub fn subject(&self) -> Option<&str> {
        match self {
            Condition::Compare { var, .. }
            | Condition::OneOf { var, .. }
            | Condition::Contains { var, .. }
            | Condition::Between { var, .. }
            | Condition::Answered { var, .. } => Some(var),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_shape_reads_as_itself() {
        let cases = [
            (json!({"==": [{"var": "size"}, "big"]}), "Compare"),
            (json!({">=": [{"var": "score.total"}, 60]}), "Compare"),
            (
                json!({"in": [{"var": "crm"}, ["hubspot", "salesforce"]]}),
                "OneOf",
            ),
            (json!({"in": ["forecast", {"var": "goals"}]}), "Contains"),
            (json!({"<=": [10, {"var": "seats"}, 50]}), "Between"),
            (json!({"!=": [{"var": "phone"}, null]}), "Answered"),
            (
                json!({"and": [{"==": [{"var": "a"}, true]}, {"or": []}]}),
                "All",
            ),
            (json!({"<": [10, {"var": "seats"}]}), "Logic"),
            (json!({"var": "derived.free_mail"}), "Logic"),
            (json!(true), "Logic"),
        ];
        for (logic, shape) in cases {
            let read = Condition::read(&logic);
            assert!(
                format!("{read:?}").starts_with(shape),
                "{logic} read as {read:?}"
            );
            assert_eq!(read.write(), logic);
        }
    }

    #[test]
    fn null_comparisons_are_answered_checks() {
        assert_eq!(
            Condition::read(&json!({"==": [{"var": "x"}, null]})),
            Condition::Answered {
                var: "x".into(),
                answered: false
            }
        );
    }
}
