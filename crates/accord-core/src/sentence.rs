//! Conditions in words: the JsonLogic of a rulebook read back as the
//! sentence both teams agreed on, e.g. `Total ≥ 60 and Fit ≥ 30`, or
//! `Company size is “1,000 or more”`. Names are the rulebook's labels;
//! option values show as their labels. Shapes it does not know are shown as
//! compact JsonLogic, so nothing is ever hidden.

use crate::model::FieldType;
use crate::rulebook::Rulebook;
use serde_json::Value;

/// `logic` as a sentence, with the names of `rulebook`.
pub fn describe(rulebook: &Rulebook, logic: &Value) -> String {
    Words { rulebook }.condition(logic, false)
}

struct Words<'a> {
    rulebook: &'a Rulebook,
}

impl Words<'_> {
    /// A condition; `nested` puts `and`/`or` groups in parentheses.
    fn condition(&self, logic: &Value, nested: bool) -> String {
        let Value::Object(map) = logic else {
            return match logic {
                Value::Bool(true) => "always".into(),
                Value::Bool(false) => "never".into(),
                other => self.literal(other, None),
            };
        };
        let Some((op, args)) = map.iter().next().filter(|_| map.len() == 1) else {
            return compact(logic);
        };
        let list: Vec<&Value> = match args {
            Value::Array(items) => items.iter().collect(),
            single => vec![single],
        };
        let group = |joiner: &str| {
            let parts: Vec<String> = list.iter().map(|c| self.condition(c, true)).collect();
            let text = parts.join(joiner);
            if nested && parts.len() > 1 {
                format!("({text})")
            } else {
                text
            }
        };
        match (op.as_str(), list.as_slice()) {
            // A variable as a condition: its name reads as the predicate
            // (`a free-mail address`).
            ("var", _) => self.value(logic),
            ("and", _) => group(" and "),
            ("or", _) => group(" or "),
            ("!", [inner]) => format!("not {}", self.condition(inner, true)),
            ("!!", [value]) => self.truthy(value),
            ("==" | "===", [a, b]) => format!("{} is {}", self.value(a), self.against(b, a)),
            ("!=" | "!==", [a, b]) => format!("{} is not {}", self.value(a), self.against(b, a)),
            (">", [a, b]) => format!("{} > {}", self.value(a), self.value(b)),
            (">=", [a, b]) => format!("{} ≥ {}", self.value(a), self.value(b)),
            ("<", [a, b]) => format!("{} < {}", self.value(a), self.value(b)),
            ("<=", [a, b]) => format!("{} ≤ {}", self.value(a), self.value(b)),
            ("<=", [low, x, high]) => format!(
                "{} between {} and {}",
                self.value(x),
                self.value(low),
                self.value(high)
            ),
            ("<", [low, x, high]) => format!(
                "{} strictly between {} and {}",
                self.value(x),
                self.value(low),
                self.value(high)
            ),
            ("in", [needle, Value::Array(options)]) => format!(
                "{} is one of {}",
                self.value(needle),
                options
                    .iter()
                    .map(|o| self.against(o, needle))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ("in", [needle, haystack]) => format!(
                "{} contains {}",
                self.value(haystack),
                self.against(needle, haystack)
            ),
            // `missing` holds when any of them is unanswered.
            ("missing", names) if names.iter().all(|n| n.is_string()) => format!(
                "{} not answered",
                names
                    .iter()
                    .map(|n| self.name(n.as_str().unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            _ => compact(logic),
        }
    }

    /// `!!value`: "is answered", "is yes" for a yes/no or consent field,
    /// "≠ 0" for a score or number.
    fn truthy(&self, value: &Value) -> String {
        let name = self.value(value);
        let path = value.get("var").and_then(Value::as_str).unwrap_or_default();
        match self.rulebook.field(path).map(|f| f.kind) {
            Some(FieldType::YesNo | FieldType::Consent) => format!("{name} is yes"),
            Some(FieldType::Number) => format!("{name} ≠ 0"),
            _ if path.starts_with("score.") => format!("{name} ≠ 0"),
            _ => format!("{name} is answered"),
        }
    }

    /// A value: a variable's name, a literal, or a computation as JsonLogic.
    fn value(&self, value: &Value) -> String {
        match value {
            Value::Object(map) if map.len() == 1 => match map.iter().next() {
                Some((op, Value::String(path))) if op == "var" && !path.is_empty() => {
                    self.name(path)
                }
                // With a default: said, since it holds when unanswered.
                Some((op, Value::Array(items))) if op == "var" => {
                    match (items.first().and_then(Value::as_str), items.get(1)) {
                        (Some(path), None) if !path.is_empty() => self.name(path),
                        (Some(path), Some(default)) if !path.is_empty() => format!(
                            "{} (or {} when unanswered)",
                            self.name(path),
                            self.literal(default, self.rulebook.field(path))
                        ),
                        _ => compact(value),
                    }
                }
                _ => compact(value),
            },
            Value::Object(_) => compact(value),
            other => self.literal(other, None),
        }
    }

    /// `value` compared with `subject`: an option's label when the subject
    /// is a choice field that offers that value.
    fn against(&self, value: &Value, subject: &Value) -> String {
        let field = subject
            .get("var")
            .and_then(|p| p.as_str().or_else(|| p.get(0).and_then(Value::as_str)))
            .and_then(|id| self.rulebook.field(id));
        self.literal(value, field)
    }

    fn literal(&self, value: &Value, field: Option<&crate::model::Field>) -> String {
        match value {
            Value::String(s) => {
                let label = field
                    .filter(|f| matches!(f.kind, FieldType::Choice | FieldType::MultiChoice))
                    .and_then(|f| f.options.iter().find(|o| &o.value == s))
                    .map(|o| o.display().to_owned());
                format!("“{}”", label.unwrap_or_else(|| s.clone()))
            }
            Value::Bool(true) => "yes".into(),
            Value::Bool(false) => "no".into(),
            Value::Null => "nothing".into(),
            Value::Number(n) => n.to_string(),
            other => compact(other),
        }
    }

    /// The name of a variable: a field's or a score's label, else the path.
    fn name(&self, path: &str) -> String {
        if let Some(field) = self.rulebook.field(path) {
            return field.label.clone();
        }
        if let Some(id) = path.strip_prefix("score.") {
            if id == "total" {
                return "Total".into();
            }
            if let Some(score) = self.rulebook.doc().scores.iter().find(|s| s.id == id) {
                return score.label.clone();
            }
        }
        let attribute = path.strip_prefix("enriched.").and_then(|id| {
            let enrichment = self.rulebook.doc().enrichment.as_ref()?;
            enrichment.attribute(id)
        });
        if let Some(a) = attribute {
            return format!("{} (enriched)", a.label);
        }
        match path {
            "grade" => "the grade".into(),
            "derived.free_mail" => "a free-mail address".into(),
            "derived.email_domain" => "the email's domain".into(),
            _ => path.to_owned(),
        }
    }
}

/// JsonLogic as one line of JSON.
fn compact(value: &Value) -> String {
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rulebook() -> Rulebook {
        Rulebook::from_value(&json!({
            "accord": 1, "id": "t", "version": "1", "title": "T",
            "fields": [
                {"id": "employees", "label": "Company size", "type": "choice",
                 "options": [{"value": "1000+", "label": "1,000 or more"}, {"value": "1-49"}]},
                {"id": "budget", "label": "Budget approved", "type": "yes_no"},
                {"id": "email", "label": "Work email", "type": "email"}
            ],
            "scores": [{"id": "fit", "label": "Fit", "criteria": [
                {"id": "big", "label": "Big", "when": {"==": [{"var": "employees"}, "1000+"]}, "points": 10}]}],
            "grades": [{"id": "all", "label": "All"}]
        }))
        .unwrap()
    }

    #[test]
    fn an_enriched_attribute_reads_as_its_label() {
        let rb =
            Rulebook::from_json(include_str!("../../../static/rulebooks/enriched.json")).unwrap();
        assert_eq!(
            describe(&rb, &json!({">=": [{"var": "enriched.employees"}, 200]})),
            "Employees (enriched) ≥ 200"
        );
    }

    #[test]
    fn the_shapes_people_write_read_as_sentences() {
        let rb = rulebook();
        let say = |logic: Value| describe(&rb, &logic);
        assert_eq!(
            say(
                json!({"and": [{">=": [{"var": "score.total"}, 60]}, {">=": [{"var": "score.fit"}, 30]}]})
            ),
            "Total ≥ 60 and Fit ≥ 30"
        );
        assert_eq!(
            say(json!({"==": [{"var": "employees"}, "1000+"]})),
            "Company size is “1,000 or more”"
        );
        assert_eq!(
            say(
                json!({"or": [{"==": [{"var": "budget"}, true]}, {"and": [{"!!": {"var": "email"}}, {"!": {"var": "derived.free_mail"}}]}]})
            ),
            "Budget approved is yes or (Work email is answered and not a free-mail address)"
        );
        assert_eq!(
            say(json!({"in": [{"var": "employees"}, ["1000+", "1-49"]]})),
            "Company size is one of “1,000 or more”, “1-49”"
        );
        assert_eq!(
            say(json!({"<=": [10, {"var": "score.fit"}, 20]})),
            "Fit between 10 and 20"
        );
        assert_eq!(
            say(json!({"missing": ["email", "budget"]})),
            "Work email or Budget approved not answered"
        );
        assert_eq!(
            say(json!({"!!": {"var": "budget"}})),
            "Budget approved is yes"
        );
        assert_eq!(say(json!({"!!": {"var": "score.total"}})), "Total ≠ 0");
        assert_eq!(
            say(json!({"==": [{"var": ["employees", "1000+"]}, "1000+"]})),
            "Company size (or “1,000 or more” when unanswered) is “1,000 or more”"
        );
        assert_eq!(
            say(json!({"<": [10, {"var": "score.fit"}, 20]})),
            "Fit strictly between 10 and 20"
        );
        // A shape it does not know stays JsonLogic.
        assert_eq!(
            say(
                json!({"reduce": [[1, 2], {"+": [{"var": "current"}, {"var": "accumulator"}]}, 0]})
            ),
            r#"{"reduce":[[1,2],{"+":[{"var":"current"},{"var":"accumulator"}]},0]}"#
        );
        assert_eq!(say(json!(true)), "always");
    }
}
