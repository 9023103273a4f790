//! Checking and normalising one answer against its field.
//!
//! Answers arrive from HTML inputs (strings), JSON bodies and CSV cells, so
//! each type accepts the forms those produce and normalises them: numbers
//! from numeric text, `yes`/`no` for booleans, `;`-separated lists for
//! `multi_choice`. Text is trimmed. A problem is data for the UI to show next
//! to the field, never a panic.

use crate::model::{Field, FieldType};
use accord_logic::Data;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

/// Longest text accepted when a field sets no `max_length`.
pub const DEFAULT_MAX_LENGTH: u32 = 1000;

/// Why an answer is not acceptable for its field.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum AnswerProblem {
    /// The answer has the wrong JSON type for the field.
    #[error("expected {expected}")]
    WrongType {
        /// What the field takes, in words.
        expected: String,
    },
    /// Text longer than the field allows.
    #[error("is longer than {max} characters")]
    TooLong {
        /// The limit.
        max: u32,
    },
    /// Not an email address.
    #[error("is not an email address")]
    NotAnEmail,
    /// Not a phone number.
    #[error("is not a phone number")]
    NotAPhone,
    /// Not a number.
    #[error("is not a number")]
    NotANumber,
    /// A number outside `min`..`max`.
    #[error("must be between {min} and {max}")]
    OutOfRange {
        /// Lower bound, as written.
        min: String,
        /// Upper bound, as written.
        max: String,
    },
    /// A value that is not among the field's options.
    #[error("`{value}` is not one of the options")]
    NotAnOption {
        /// The value given.
        value: String,
    },
}

/// Checks `answer` for `field`. `Ok(None)` when the answer is empty (absent,
/// `null`, blank text, an empty list, or an unticked consent box);
/// `Ok(Some(v))` with the normalised value otherwise.
pub fn check_answer(field: &Field, answer: Option<&Value>) -> Result<Option<Value>, AnswerProblem> {
    check(field, answer).map(|v| v.map(|v| v.to_value()))
}

/// [`check_answer`] giving the normalised value as conditions read it.
pub(crate) fn check(field: &Field, answer: Option<&Value>) -> Result<Option<Data>, AnswerProblem> {
    let Some(answer) = answer else {
        return Ok(None);
    };
    if answer.is_null() {
        return Ok(None);
    }
    let string = |t: Option<Box<str>>| t.map(Data::String);
    match field.kind {
        FieldType::Text | FieldType::Hidden => text(field, answer).map(string),
        FieldType::Email => match text(field, answer)? {
            None => Ok(None),
            Some(t) if is_email(&t) => Ok(Some(Data::String(t))),
            Some(_) => Err(AnswerProblem::NotAnEmail),
        },
        FieldType::Phone => match text(field, answer)? {
            None => Ok(None),
            Some(t) if is_phone(&t) => Ok(Some(Data::String(t))),
            Some(_) => Err(AnswerProblem::NotAPhone),
        },
        FieldType::Number => number(field, answer),
        FieldType::Choice => match text(field, answer)? {
            None => Ok(None),
            Some(t) => {
                if field.options.iter().any(|o| *o.value == *t) {
                    Ok(Some(Data::String(t)))
                } else {
                    Err(AnswerProblem::NotAnOption { value: t.into() })
                }
            }
        },
        FieldType::MultiChoice => multi_choice(field, answer),
        FieldType::YesNo => boolean(answer).map(|b| b.map(Data::Bool)),
        // An unticked consent box is no consent: empty, so `required` catches it.
        FieldType::Consent => {
            boolean(answer).map(|b| b.and_then(|given| given.then_some(Data::Bool(true))))
        }
    }
}

fn text(field: &Field, answer: &Value) -> Result<Option<Box<str>>, AnswerProblem> {
    let raw: Box<str> = match answer {
        Value::String(s) => s.trim().into(),
        Value::Number(n) => n.to_string().into(),
        _ => {
            return Err(AnswerProblem::WrongType {
                expected: "text".into(),
            })
        }
    };
    let max = field.max_length.unwrap_or(DEFAULT_MAX_LENGTH) as usize;
    // No more characters than bytes: count only text that could be too long.
    if raw.len() > max && raw.chars().count() > max {
        return Err(AnswerProblem::TooLong { max: max as u32 });
    }
    Ok((!raw.is_empty()).then_some(raw))
}

/// A pragmatic address check: one `@`, a non-empty local part without
/// spaces, and a domain with a dot and no empty labels. Domain labels take
/// ASCII letters, digits and `-`, and any character beyond ASCII
/// (internationalised domains such as `bücher.de`); deciding which of
/// those are letters would take Unicode tables, kilobytes of the widget's
/// wasm, for no practical gain.
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    let label_char = |c: char| {
        c.is_ascii_alphanumeric()
            || c == '-'
            || (!c.is_ascii() && !c.is_whitespace() && !c.is_control())
    };
    let labels_ok = domain
        .split('.')
        .all(|l| !l.is_empty() && l.chars().all(label_char));
    !local.is_empty()
        && local.len() <= 64
        && s.len() <= 254
        && !local.contains(|c: char| c.is_whitespace() || c == '@' || c.is_control())
        && domain.contains('.')
        && labels_ok
}

fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (6..=20).contains(&digits)
        && s.chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c) || c == '/')
}

fn number(field: &Field, answer: &Value) -> Result<Option<Data>, AnswerProblem> {
    let n = match answer {
        Value::Number(n) => n.as_f64().ok_or(AnswerProblem::NotANumber)?,
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::String(s) => {
            accord_logic::js::decimal_literal(s.trim()).ok_or(AnswerProblem::NotANumber)?
        }
        _ => return Err(AnswerProblem::NotANumber),
    };
    if !n.is_finite() {
        return Err(AnswerProblem::NotANumber);
    }
    let below = field.min.is_some_and(|min| n < min);
    let above = field.max.is_some_and(|max| n > max);
    if below || above {
        let show = |b: Option<f64>, default: &str| {
            b.map_or(default.to_owned(), accord_logic::js::number_to_string)
        };
        return Err(AnswerProblem::OutOfRange {
            min: show(field.min, "-∞"),
            max: show(field.max, "∞"),
        });
    }
    // As JSON would carry it: no negative zero.
    Ok(Some(Data::Number(if n == 0.0 { 0.0 } else { n })))
}

fn boolean(answer: &Value) -> Result<Option<bool>, AnswerProblem> {
    match answer {
        Value::Bool(b) => Ok(Some(*b)),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "yes" | "true" | "y" | "1" | "on" => Ok(Some(true)),
            "no" | "false" | "n" | "0" | "off" => Ok(Some(false)),
            _ => Err(AnswerProblem::WrongType {
                expected: "yes or no".into(),
            }),
        },
        _ => Err(AnswerProblem::WrongType {
            expected: "yes or no".into(),
        }),
    }
}

fn multi_choice(field: &Field, answer: &Value) -> Result<Option<Data>, AnswerProblem> {
    let values: Vec<String> = match answer {
        Value::Array(items) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.trim().to_owned()),
                _ => Err(AnswerProblem::WrongType {
                    expected: "a list of options".into(),
                }),
            })
            .collect::<Result<_, _>>()?,
        Value::String(s) => s.split(';').map(|p| p.trim().to_owned()).collect(),
        _ => {
            return Err(AnswerProblem::WrongType {
                expected: "a list of options".into(),
            })
        }
    };
    let mut chosen: Vec<Data> = Vec::new();
    for v in values.into_iter().filter(|v| !v.is_empty()) {
        if !field.options.iter().any(|o| o.value == v) {
            return Err(AnswerProblem::NotAnOption { value: v });
        }
        if !chosen.iter().any(|c| c.as_str() == Some(&v)) {
            chosen.push(Data::String(v.into()));
        }
    }
    Ok((!chosen.is_empty()).then_some(Data::Array(chosen)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ChoiceOption;
    use serde_json::json;

    fn field(kind: FieldType) -> Field {
        Field {
            id: "f".into(),
            label: "F".into(),
            kind,
            required: false,
            options: ["a", "b"]
                .iter()
                .map(|v| ChoiceOption {
                    value: (*v).into(),
                    label: None,
                })
                .collect(),
            show_if: None,
            ask: vec![crate::Audience::Form],
            help: None,
            placeholder: None,
            autocomplete: None,
            min: Some(0.0),
            max: Some(100.0),
            max_length: Some(5),
            multiline: false,
            param: None,
            value: None,
            skip_when_enriched: None,
        }
    }

    #[test]
    fn blank_answers_are_empty_not_errors() {
        for kind in [
            FieldType::Text,
            FieldType::Number,
            FieldType::Choice,
            FieldType::YesNo,
        ] {
            assert_eq!(check_answer(&field(kind), Some(&json!("  "))), Ok(None));
        }
        assert_eq!(
            check_answer(&field(FieldType::MultiChoice), Some(&json!([]))),
            Ok(None)
        );
        assert_eq!(
            check_answer(&field(FieldType::Consent), Some(&json!(false))),
            Ok(None)
        );
    }

    #[test]
    fn values_are_normalised() {
        assert_eq!(
            check_answer(&field(FieldType::Number), Some(&json!(" 42 "))),
            Ok(Some(json!(42)))
        );
        assert_eq!(
            check_answer(&field(FieldType::YesNo), Some(&json!("No"))),
            Ok(Some(json!(false)))
        );
        assert_eq!(
            check_answer(&field(FieldType::MultiChoice), Some(&json!("b; a;b"))),
            Ok(Some(json!(["b", "a"])))
        );
    }

    #[test]
    fn problems_name_the_cause() {
        assert_eq!(
            check_answer(&field(FieldType::Choice), Some(&json!("c"))),
            Err(AnswerProblem::NotAnOption { value: "c".into() })
        );
        assert_eq!(
            check_answer(&field(FieldType::Text), Some(&json!("toolong"))),
            Err(AnswerProblem::TooLong { max: 5 })
        );
        assert_eq!(
            check_answer(&field(FieldType::Number), Some(&json!(101)))
                .unwrap_err()
                .to_string(),
            "must be between 0 and 100"
        );
        assert_eq!(
            check_answer(&field(FieldType::Email), Some(&json!("a@b"))),
            Err(AnswerProblem::NotAnEmail)
        );
        assert_eq!(
            check_answer(&field(FieldType::Phone), Some(&json!("ring"))),
            Err(AnswerProblem::NotAPhone)
        );
    }

    #[test]
    fn emails_and_phones_that_people_type_are_accepted() {
        let mut f = field(FieldType::Email);
        f.max_length = None;
        assert!(check_answer(&f, Some(&json!("Ada.Lovelace+leads@example.co.uk"))).is_ok());
        for address in ["kontakt@bücher.de", "a@xn--bcher-kva.de"] {
            assert!(check_answer(&f, Some(&json!(address))).is_ok(), "{address}");
        }
        for address in [
            "a@exa\u{a0}mple.com",
            "a@ex!ample.com",
            "a@example..com",
            "a@b",
        ] {
            assert!(
                check_answer(&f, Some(&json!(address))).is_err(),
                "{address}"
            );
        }
        let mut p = field(FieldType::Phone);
        p.max_length = None;
        assert!(check_answer(&p, Some(&json!("+44 (0)20 7946-0958"))).is_ok());
    }
}
