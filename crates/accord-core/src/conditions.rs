//! The condition checker: compiles one condition of a rulebook and checks
//! what it reads (`var` paths against the fields, scores and grades it may
//! see at its stage) and what it compares (a number field with text, an
//! option that does not exist, a grade that is not declared).

use crate::decode::Parts;
use crate::error::RulebookErrorKind as Kind;
use crate::model::{ContextKey, Field, FieldType, CHANNEL_CONTEXT_KEY, DERIVED_KEYS, DISQUALIFIED};
use accord_logic::{Data, DataBounds, Logic, Op};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Where a condition stands in the qualification order, which decides what
/// it may read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Stage {
    /// `show_if` of the field at this index: earlier fields only.
    ShowIf(usize),
    /// Knockouts and criteria: answers, context, derived.
    Scoring,
    /// Grades: also `score.*`.
    Grading,
    /// Routes: also `grade`.
    Routing,
}

/// What conditions can refer to.
pub(crate) struct Names<'a> {
    pub fields: &'a [Option<Field>],
    pub field_index: HashMap<String, usize>,
    pub scores: Vec<String>,
    pub grades: Vec<String>,
    /// The enrichment attributes, as fields of their types named
    /// `enriched.<id>`.
    pub attributes: Vec<Field>,
}

impl<'a> Names<'a> {
    /// The names a rulebook's conditions may read. Ids of items that did
    /// not decode still count as known (read from `top`), so one broken
    /// field does not also produce "unknown field" errors everywhere.
    pub(crate) fn new(parts: &'a Parts, top: &Map<String, Value>) -> Names<'a> {
        Names {
            fields: &parts.fields,
            field_index: first_index(&raw_ids(top, "fields")),
            scores: raw_ids(top, "scores"),
            grades: raw_ids(top, "grades"),
            attributes: parts
                .attributes
                .iter()
                .flatten()
                .flatten()
                .map(|a| Field {
                    // Type errors then name `field `enriched.<id>``.
                    id: format!("enriched.{}", a.id),
                    ..a.as_field()
                })
                .collect(),
        }
    }

    /// The attribute `id` (without `enriched.`), as a field of its type.
    pub(crate) fn attribute(&self, id: &str) -> Option<&Field> {
        self.attributes
            .iter()
            .find(|a| a.id.strip_prefix("enriched.") == Some(id))
    }

    pub(crate) fn field(&self, id: &str) -> Option<(usize, Option<&Field>)> {
        let i = *self.field_index.get(id)?;
        Some((i, self.fields.get(i).and_then(Option::as_ref)))
    }
}

/// The most node evaluations one condition may need for one lead: far above
/// any rule people write (a few dozen), far below what would stall a page.
pub(crate) const MAX_WORK: u64 = 100_000;

/// What a rulebook's data can hold: only a multiple-choice answer is a
/// list, of at most its options.
impl DataBounds for Names<'_> {
    fn array_len(&self, path: &[String]) -> Option<u64> {
        match path {
            [field, ..] => match self.field(field) {
                Some((_, Some(f))) if f.kind == FieldType::MultiChoice => {
                    Some(f.options.len() as u64)
                }
                _ => None,
            },
            [] => None,
        }
    }
}

/// Compiles `rule` and bounds its work per lead ([`MAX_WORK`]): what
/// every reader of a rulebook does, the widget's included, so no document
/// can stall a page. The compiled condition with the problem of its cost,
/// if any; or why it does not compile.
pub(crate) fn compile(ctx: &Names, rule: &Value) -> Result<(Logic, Option<Kind>), Vec<Kind>> {
    let logic = Logic::compile(rule).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| Kind::Logic {
                at: e.at,
                kind: e.kind,
            })
            .collect::<Vec<_>>()
    })?;
    let too_costly = match logic.work_bound(ctx) {
        Err(unbounded) => Some(Kind::TooCostly {
            detail: unbounded.to_string(),
        }),
        Ok(work) if work > MAX_WORK => Some(Kind::TooCostly {
            detail: format!(
                "up to {work} steps per lead, more than the {MAX_WORK} allowed (nested passes over lists multiply)"
            ),
        }),
        Ok(_) => None,
    };
    Ok((logic, too_costly))
}

/// Compiles `rule` and checks it for `stage`: the compiled condition (a
/// literal `null` when it does not compile) and every problem found, from
/// [`compile`] and in what it reads and compares.
pub(crate) fn check(ctx: &Names, rule: &Value, stage: Stage) -> (Logic, Vec<Kind>) {
    let (logic, mut found) = match compile(ctx, rule) {
        Err(problems) => return (Logic::Literal(Data::Null), problems),
        Ok((logic, too_costly)) => (logic, Vec::from_iter(too_costly)),
    };
    logic.visit_top_level(&mut |node| {
        for name in read_paths(node) {
            if let Err(kind) = check_var(ctx, &name, stage) {
                found.push(kind);
            }
        }
        if let Logic::Op(op, args) = node {
            found.extend(check_types(ctx, *op, args));
        }
    });
    (logic, found)
}

/// Index of each id's first occurrence (later duplicates are errors).
fn first_index(ids: &[String]) -> HashMap<String, usize> {
    let mut index = HashMap::new();
    for (i, id) in ids.iter().enumerate() {
        index.entry(id.clone()).or_insert(i);
    }
    index
}

/// The `id` of each item of the array under `key`, as written (empty
/// where an item has none).
fn raw_ids(obj: &Map<String, Value>, key: &str) -> Vec<String> {
    obj.get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|i| {
                    i.get("id")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A condition that holds for every lead: a literal truthy value.
pub(crate) fn always_true(logic: &Logic) -> bool {
    matches!(logic, Logic::Literal(v) if accord_logic::js::truthy(v))
}

/// The static paths a node reads: a `var` with a literal path, and the
/// literal keys of `missing` / `missing_some`.
fn read_paths(node: &Logic) -> Vec<String> {
    let literal_keys = |l: &Logic| -> Vec<String> {
        match l {
            Logic::Literal(Data::String(s)) => vec![s.to_string()],
            Logic::Literal(Data::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    };
    match node {
        Logic::Var { path, .. } if !path.is_empty() => vec![path.join(".")],
        Logic::Op(Op::Missing, args) => args.iter().flat_map(literal_keys).collect(),
        Logic::Op(Op::MissingSome, args) => args.get(1).map(literal_keys).unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn check_var(ctx: &Names, name: &str, stage: Stage) -> Result<(), Kind> {
    let mut parts = name.split('.');
    let root = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    let unknown = |hint: Option<String>| Kind::UnknownVar {
        name: name.to_owned(),
        hint,
    };
    let unavailable = |why: &str| Kind::VarNotAvailable {
        name: name.to_owned(),
        why: why.to_owned(),
    };
    let one_of = |keys: &[&str]| Some(format!("known: {}", keys.join(", ")));
    match root {
        "context" => match rest.as_slice() {
            [] => Ok(()),
            [key] if *key == CHANNEL_CONTEXT_KEY || ContextKey::from_name(key).is_some() => Ok(()),
            _ => {
                let mut known: Vec<&str> = ContextKey::NAMES.iter().map(|(_, n)| *n).collect();
                known.push(CHANNEL_CONTEXT_KEY);
                Err(unknown(one_of(&known)))
            }
        },
        "derived" => match rest.as_slice() {
            [] => Ok(()),
            [key] if DERIVED_KEYS.contains(key) => Ok(()),
            _ => Err(unknown(one_of(DERIVED_KEYS))),
        },
        "enriched" => match rest.as_slice() {
            [] => Ok(()),
            [key] if ctx.attribute(key).is_some() => Ok(()),
            _ if ctx.attributes.is_empty() => Err(unknown(Some(
                "the rulebook declares no enrichment attributes".into(),
            ))),
            _ => Err(unknown(Some(format!(
                "known: {}",
                ctx.attributes
                    .iter()
                    .map(|a| a.id.trim_start_matches("enriched."))
                    .collect::<Vec<_>>()
                    .join(", ")
            )))),
        },
        "score" => {
            if matches!(stage, Stage::ShowIf(_) | Stage::Scoring) {
                return Err(unavailable(
                    "scores are known only after scoring, in grades and routes",
                ));
            }
            match rest.as_slice() {
                [] => Ok(()),
                [key] if *key == "total" || ctx.scores.iter().any(|s| s == key) => Ok(()),
                _ => Err(unknown(Some(format!(
                    "known: total, {}",
                    ctx.scores.join(", ")
                )))),
            }
        }
        "grade" => {
            if stage != Stage::Routing {
                Err(unavailable(
                    "the grade is known only after grading, in routes",
                ))
            } else if rest.is_empty() {
                Ok(())
            } else {
                Err(unknown(None))
            }
        }
        field => match ctx.field(field) {
            None => Err(unknown(None)),
            Some((index, f)) => {
                if let Stage::ShowIf(own) = stage {
                    if index >= own {
                        return Err(unavailable(
                            "show_if may read only fields declared before this one",
                        ));
                    }
                }
                let indexable = f.is_some_and(|f| f.kind == FieldType::MultiChoice);
                match rest.as_slice() {
                    [] => Ok(()),
                    [i] if indexable && i.parse::<usize>().is_ok() => Ok(()),
                    _ => Err(unknown(Some(format!("field `{field}` has no parts")))),
                }
            }
        },
    }
}

/// What a `var` operand is known to hold, for type checks.
enum Operand<'a> {
    Field(&'a Field),
    Grade,
    Number(String),
    Text(String),
    Bool(String),
    Literal(&'a Data),
    Other,
}

fn operand<'a>(ctx: &'a Names, logic: &'a Logic) -> Operand<'a> {
    match logic {
        Logic::Literal(v) => Operand::Literal(v),
        Logic::Var { path, .. } => {
            let name = path.join(".");
            match path
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice()
            {
                ["grade"] => Operand::Grade,
                ["score", _] => Operand::Number(name),
                ["derived", "free_mail"] => Operand::Bool(name),
                ["context" | "derived", _] => Operand::Text(name),
                ["enriched", id] => match ctx.attribute(id) {
                    Some(a) => Operand::Field(a),
                    None => Operand::Other,
                },
                [field] => match ctx.field(field) {
                    Some((_, Some(f))) => Operand::Field(f),
                    _ => Operand::Other,
                },
                _ => Operand::Other,
            }
        }
        _ => Operand::Other,
    }
}

fn literal_kind(v: &Data) -> &'static str {
    match v {
        Data::Null => "null",
        Data::Bool(_) => "a boolean",
        Data::Number(_) => "a number",
        Data::String(_) => "text",
        Data::Array(_) => "a list",
        Data::Object(_) => "an object",
    }
}

fn check_types(ctx: &Names, op: Op, args: &[Logic]) -> Vec<Kind> {
    let mut out = Vec::new();
    let mismatch = |detail: String| Kind::TypeMismatch { detail };
    match op {
        Op::Eq | Op::StrictEq | Op::NotEq | Op::StrictNotEq => {
            if let [a, b] = args {
                for (x, y) in [(a, b), (b, a)] {
                    if let (var, Operand::Literal(lit)) = (operand(ctx, x), operand(ctx, y)) {
                        out.extend(check_equality(ctx, op, &var, lit));
                    }
                }
            }
        }
        Op::Lt | Op::Le | Op::Gt | Op::Ge => {
            for arg in args {
                let problem = match operand(ctx, arg) {
                    Operand::Field(f) if f.kind != FieldType::Number => Some(format!(
                        "`{op}` orders numbers, but `{}` is a {} field",
                        f.id,
                        f.kind.name()
                    )),
                    Operand::Grade => {
                        Some(format!("`{op}` orders numbers, but `grade` is a grade id"))
                    }
                    Operand::Bool(n) => {
                        Some(format!("`{op}` orders numbers, but `{n}` is a boolean"))
                    }
                    Operand::Literal(v) if !v.is_number() => Some(format!(
                        "`{op}` orders numbers, but {v} is {}",
                        literal_kind(v)
                    )),
                    _ => None,
                };
                out.extend(problem.map(mismatch));
            }
        }
        Op::In => {
            if let [needle, haystack] = args {
                match (operand(ctx, needle), operand(ctx, haystack)) {
                    (Operand::Literal(v), Operand::Field(f))
                        if f.kind == FieldType::MultiChoice =>
                    {
                        out.extend(check_option(f, v));
                    }
                    (Operand::Field(f), Operand::Literal(Data::Array(items))) => {
                        for v in items {
                            out.extend(check_equality(ctx, Op::Eq, &Operand::Field(f), v));
                        }
                    }
                    (Operand::Grade, Operand::Literal(Data::Array(items))) => {
                        for v in items {
                            out.extend(check_equality(ctx, Op::Eq, &Operand::Grade, v));
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
    out
}

fn check_option(f: &Field, v: &Data) -> Option<Kind> {
    match v {
        Data::String(s) if f.options.iter().any(|o| *o.value == **s) => None,
        Data::String(s) => Some(Kind::UnknownOption {
            field: f.id.clone(),
            value: s.to_string(),
        }),
        other => Some(Kind::TypeMismatch {
            detail: format!(
                "`{}` holds option values (text), not {}",
                f.id,
                literal_kind(other)
            ),
        }),
    }
}

fn check_equality(ctx: &Names, op: Op, var: &Operand, lit: &Data) -> Option<Kind> {
    if lit.is_null() {
        return None; // comparing with null tests for "unanswered"
    }
    let mismatch = |what: String, expected: &str| {
        Some(Kind::TypeMismatch {
            detail: format!(
                "`{op}` compares {what} with {lit} ({}); use {expected}",
                literal_kind(lit)
            ),
        })
    };
    match var {
        Operand::Field(f) => match f.kind {
            FieldType::YesNo | FieldType::Consent if !lit.is_bool() => mismatch(
                format!("{} field `{}`", f.kind.name(), f.id),
                "true or false",
            ),
            FieldType::Number if !lit.is_number() => {
                mismatch(format!("number field `{}`", f.id), "a number")
            }
            FieldType::Choice => check_option(f, lit),
            FieldType::MultiChoice => Some(Kind::TypeMismatch {
                detail: format!(
                    "`{op}` cannot compare the list in multi_choice field `{}`; use `in`",
                    f.id
                ),
            }),
            FieldType::Text | FieldType::Email | FieldType::Phone | FieldType::Hidden
                if !lit.is_string() =>
            {
                mismatch(format!("{} field `{}`", f.kind.name(), f.id), "text")
            }
            _ => None,
        },
        Operand::Grade => match lit.as_str() {
            Some(g) if g == DISQUALIFIED || ctx.grades.iter().any(|x| x == g) => None,
            Some(g) => Some(Kind::UnknownReference {
                what: "grade",
                id: g.to_owned(),
            }),
            None => mismatch("`grade`".into(), "a grade id"),
        },
        Operand::Number(n) if !lit.is_number() => mismatch(format!("`{n}`"), "a number"),
        Operand::Bool(n) if !lit.is_bool() => mismatch(format!("`{n}`"), "true or false"),
        Operand::Text(n) if !lit.is_string() => mismatch(format!("`{n}`"), "text"),
        _ => None,
    }
}
