//! The condition builder: a condition as rows people read ("Company size
//! is 1,000 or more"), in all-of / any-of groups, written to the document
//! as JsonLogic on every change. A condition outside the builder's shapes
//! shows as JsonLogic text, checked as it is typed.

use crate::condition::{Condition, Op};
use crate::controls::{describe, number_or_text, use_json_text, JsonLayout, Problems};
use crate::editor::use_editor;
use crate::path::JsonPath;
use accord_core::{ContextKey, DERIVED_KEYS};
use serde_json::{json, Value};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// What a condition may read where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A field's `show_if`: the fields before it (by index).
    ShowIf(usize),
    /// A criterion or knockout: every field.
    Lead,
    /// A grade: every field and the scores.
    Grade,
    /// A route: every field, the scores and the grade.
    Route,
}

/// What kind of value a subject holds, for the value control.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    /// One of these `(value, label)` options.
    Choice(Vec<(String, String)>),
    /// Several of these options.
    Multi(Vec<(String, String)>),
    /// Yes or no.
    Bool,
    /// A number.
    Number,
    /// Text.
    Text,
}

/// Something a condition can read.
#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    /// Its `var` name.
    pub var: String,
    /// Its name for people.
    pub label: String,
    /// Its kind of value.
    pub kind: ValueKind,
}

/// The kind of value a field or an enrichment attribute (as written) holds.
fn kind_of(item: &Value) -> ValueKind {
    let options = || {
        item["options"]
            .as_array()
            .map(|o| {
                o.iter()
                    .filter_map(|o| {
                        let v = o["value"].as_str()?;
                        Some((v.to_owned(), o["label"].as_str().unwrap_or(v).to_owned()))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    match item["type"].as_str() {
        Some("choice") => ValueKind::Choice(options()),
        Some("multi_choice") => ValueKind::Multi(options()),
        Some("yes_no" | "consent") => ValueKind::Bool,
        Some("number") => ValueKind::Number,
        _ => ValueKind::Text,
    }
}

/// What a condition at `scope` may read in `doc` (read from the document
/// as written, so the builder works while the draft has problems).
pub fn subjects(doc: &Value, scope: Scope) -> Vec<Subject> {
    let mut out = Vec::new();
    let fields = doc["fields"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let until = match scope {
        Scope::ShowIf(i) => i.min(fields.len()),
        _ => fields.len(),
    };
    for f in &fields[..until] {
        let Some(id) = f["id"].as_str() else { continue };
        let label = f["label"].as_str().unwrap_or(id).to_owned();
        out.push(Subject {
            var: id.to_owned(),
            label,
            kind: kind_of(f),
        });
    }
    // What enrichment found: readable everywhere, typed as declared.
    let attributes = doc["enrichment"]["attributes"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for a in attributes {
        let Some(id) = a["id"].as_str() else { continue };
        out.push(Subject {
            var: format!("enriched.{id}"),
            label: format!("Enriched: {}", a["label"].as_str().unwrap_or(id)),
            kind: kind_of(a),
        });
    }
    for (_, name) in ContextKey::NAMES {
        let label = format!("Context: {}", name.replace('_', " "));
        out.push(Subject {
            var: format!("context.{name}"),
            label,
            kind: ValueKind::Text,
        });
    }
    out.push(Subject {
        var: "context.channel".into(),
        label: "Context: channel".into(),
        kind: ValueKind::Choice(vec![
            ("web_form".into(), "web form".into()),
            ("call".into(), "call".into()),
        ]),
    });
    for name in DERIVED_KEYS {
        let (label, kind) = match *name {
            "free_mail" => ("A free-mail address", ValueKind::Bool),
            _ => ("The email's domain", ValueKind::Text),
        };
        out.push(Subject {
            var: format!("derived.{name}"),
            label: label.into(),
            kind,
        });
    }
    if matches!(scope, Scope::Grade | Scope::Route) {
        for s in doc["scores"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let Some(id) = s["id"].as_str() else { continue };
            let label = format!("Score: {}", s["label"].as_str().unwrap_or(id));
            out.push(Subject {
                var: format!("score.{id}"),
                label,
                kind: ValueKind::Number,
            });
        }
        out.push(Subject {
            var: "score.total".into(),
            label: "Score: total".into(),
            kind: ValueKind::Number,
        });
    }
    if scope == Scope::Route {
        let grades = doc["grades"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut options: Vec<(String, String)> = grades
            .iter()
            .filter_map(|g| {
                let id = g["id"].as_str()?;
                Some((id.to_owned(), g["label"].as_str().unwrap_or(id).to_owned()))
            })
            .collect();
        options.push((accord_core::DISQUALIFIED.into(), "Disqualified".into()));
        out.push(Subject {
            var: "grade".into(),
            label: "Grade".into(),
            kind: ValueKind::Choice(options),
        });
    }
    out
}

/// The builder's row shapes, as the "comparison" select offers them.
const SHAPES: &[(&str, &str)] = &[
    ("==", "is"),
    ("!=", "is not"),
    ("<", "is less than"),
    ("<=", "is at most"),
    (">", "is more than"),
    (">=", "is at least"),
    ("one_of", "is one of"),
    ("contains", "contains"),
    ("between", "is between"),
    ("answered", "is answered"),
    ("not_answered", "is not answered"),
];

fn shape_of(c: &Condition) -> String {
    match c {
        Condition::Compare { op, .. } => op.logic().to_owned(),
        Condition::OneOf { .. } => "one_of".into(),
        Condition::Contains { .. } => "contains".into(),
        Condition::Between { .. } => "between".into(),
        Condition::Answered { answered: true, .. } => "answered".into(),
        _ => "not_answered".into(),
    }
}

/// A sensible first value for a subject.
fn first_value(subject: Option<&Subject>) -> Value {
    match subject.map(|s| &s.kind) {
        Some(ValueKind::Choice(o) | ValueKind::Multi(o)) => {
            o.first().map_or(json!(""), |(v, _)| json!(v))
        }
        Some(ValueKind::Bool) => json!(true),
        Some(ValueKind::Number) => json!(0),
        _ => json!(""),
    }
}

/// The row `var` with `shape`, keeping what fits of `old`.
fn reshape(var: &str, shape: &str, old: &Condition, subjects: &[Subject]) -> Condition {
    let subject = subjects.iter().find(|s| s.var == var);
    let old_value = match old {
        Condition::Compare { value, .. } | Condition::Contains { value, .. } => Some(value.clone()),
        _ => None,
    }
    .filter(|_| old.subject() == Some(var));
    let value = old_value.unwrap_or_else(|| first_value(subject));
    let var = var.to_owned();
    match shape {
        "one_of" => Condition::OneOf {
            var,
            values: vec![value],
        },
        "contains" => Condition::Contains { var, value },
        "between" => Condition::Between {
            var,
            low: json!(0),
            high: json!(100),
        },
        "answered" => Condition::Answered {
            var,
            answered: true,
        },
        "not_answered" => Condition::Answered {
            var,
            answered: false,
        },
        op => Condition::Compare {
            var,
            op: Op::from_logic(op).unwrap_or(Op::Is),
            value,
        },
    }
}

/// `root` with the node at `at` replaced (or, for `None`, removed from its
/// group). `at` lists child indexes from the root.
fn replace(root: &Condition, at: &[usize], new: Option<Condition>) -> Option<Condition> {
    let Some((first, rest)) = at.split_first() else {
        return new;
    };
    let mut root = root.clone();
    if let Condition::All(items) | Condition::Any(items) = &mut root {
        if *first < items.len() {
            match replace(&items[*first], rest, new) {
                Some(child) => items[*first] = child,
                None => {
                    items.remove(*first);
                }
            }
        }
    }
    Some(root)
}

/// Properties of [`ConditionEditor`].
#[derive(Properties, PartialEq, Clone)]
pub struct ConditionProps {
    /// The path of the condition (`…when`, `…show_if`).
    pub path: JsonPath,
    /// Its label, e.g. "When".
    pub label: AttrValue,
    /// What it may read.
    pub scope: Scope,
    /// Whether it may be absent (then it always holds).
    #[prop_or(true)]
    pub optional: bool,
    /// What an absent condition means, e.g. "Every lead".
    #[prop_or(AttrValue::Static("Always"))]
    pub absent: AttrValue,
}

/// The builder for one condition.
#[function_component(ConditionEditor)]
pub fn condition_editor(props: &ConditionProps) -> Html {
    let editor = use_editor();
    let id = props.path.to_string();
    let messages = editor.problems(&props.path);
    let outline = crate::editor::use_outline();
    let subjects = Rc::new(subjects(&outline.0, props.scope));
    let current = editor.get(&props.path).cloned();
    let set = {
        let (editor, path) = (editor.clone(), props.path.clone());
        Callback::from(move |c: Option<Condition>| editor.set(&path, c.map(|c| c.write())))
    };
    let new_row = {
        let subjects = subjects.clone();
        move || {
            let first = subjects.first();
            let var = first.map_or(String::new(), |s| s.var.clone());
            Condition::Compare {
                var,
                op: Op::Is,
                value: first_value(first),
            }
        }
    };
    let body = match &current {
        None | Some(Value::Null) => {
            let add = {
                let (set, new_row) = (set.clone(), new_row.clone());
                Callback::from(move |_: MouseEvent| set.emit(Some(new_row())))
            };
            html! { <>
                <p class="absent">{ props.absent.clone() }</p>
                <button type="button" onclick={add}>{ "Add a condition" }</button>
            </> }
        }
        Some(logic) => {
            let root = Rc::new(Condition::read(logic));
            let node = Node {
                root: root.clone(),
                subjects: subjects.clone(),
                set: set.clone(),
                base: id.clone(),
                new_row: Rc::new(new_row.clone()),
            };
            let top_tools = match &*root {
                Condition::All(_) | Condition::Any(_) | Condition::Logic(_) => html! {},
                row => {
                    let wrap = {
                        let (set, row, new_row) = (set.clone(), row.clone(), new_row.clone());
                        Callback::from(move |_: MouseEvent| {
                            set.emit(Some(Condition::All(vec![row.clone(), new_row()])))
                        })
                    };
                    html! { <button type="button" onclick={wrap}>{ "Add another condition" }</button> }
                }
            };
            let clear = props.optional.then(|| {
                let set = set.clone();
                html! { <button type="button" onclick={move |_| set.emit(None)}>{ "Remove the condition" }</button> }
            });
            html! { <>
                { node.render(&root, &[]) }
                <div class="condition-tools">{ top_tools }{ for clear }</div>
            </> }
        }
    };
    let described = describe(&id, false, !messages.is_empty());
    html! {
        <fieldset class="condition" id={id.clone()} tabindex="-1" aria-describedby={described}>
            <legend>{ props.label.clone() }</legend>
            { body }
            <Problems path={id} {messages} />
        </fieldset>
    }
}

/// Renders the nodes of one condition tree.
struct Node {
    root: Rc<Condition>,
    subjects: Rc<Vec<Subject>>,
    set: Callback<Option<Condition>>,
    base: String,
    new_row: Rc<dyn Fn() -> Condition>,
}

impl Node {
    /// A callback that replaces the node at `at` with what `make` returns
    /// from the event.
    fn put<E: 'static>(
        &self,
        at: &[usize],
        make: impl Fn(E) -> Option<Condition> + 'static,
    ) -> Callback<E> {
        let (root, set, at) = (self.root.clone(), self.set.clone(), at.to_vec());
        Callback::from(move |e: E| {
            let new = make(e);
            set.emit(replace(&root, &at, new));
        })
    }

    fn id(&self, at: &[usize], part: &str) -> String {
        let at: Vec<String> = at.iter().map(usize::to_string).collect();
        format!("{}~{}~{part}", self.base, at.join("."))
    }

    fn render(&self, c: &Condition, at: &[usize]) -> Html {
        match c {
            Condition::All(items) | Condition::Any(items) => self.group(c, items, at),
            Condition::Logic(logic) => {
                let onchange = self.put(at, |v: Value| Some(Condition::read(&v)));
                html! { <LogicText id={self.id(at, "logic")} value={logic.clone()} {onchange} /> }
            }
            row => self.row(row, at),
        }
    }

    fn group(&self, c: &Condition, items: &[Condition], at: &[usize]) -> Html {
        let all = matches!(c, Condition::All(_));
        let kind_id = self.id(at, "group");
        let switch = {
            let items = items.to_vec();
            self.put(at, move |e: Event| {
                let v = e.target_unchecked_into::<HtmlSelectElement>().value();
                Some(if v == "all" {
                    Condition::All(items.clone())
                } else {
                    Condition::Any(items.clone())
                })
            })
        };
        let add = |child: Condition| {
            let mut items = items.to_vec();
            items.push(child);
            self.put(at, move |_: MouseEvent| {
                Some(if all {
                    Condition::All(items.clone())
                } else {
                    Condition::Any(items.clone())
                })
            })
        };
        let new_row = (self.new_row)();
        let add_row = add(new_row.clone());
        let add_group = add(Condition::Any(vec![new_row]));
        let remove = (!at.is_empty()).then(|| {
            let onclick = self.put(at, |_: MouseEvent| None);
            html! { <button type="button" {onclick}>{ "Remove group" }</button> }
        });
        html! {
            <div class="group">
                <label for={kind_id.clone()} class="visually-hidden">{ "Group" }</label>
                <select id={kind_id} onchange={switch}>
                    <option value="all" selected={all}>{ "All of these hold" }</option>
                    <option value="any" selected={!all}>{ "Any of these holds" }</option>
                </select>
                <ul>
                    { for items.iter().enumerate().map(|(i, item)| {
                        let mut child = at.to_vec();
                        child.push(i);
                        html! { <li>{ self.render(item, &child) }</li> }
                    }) }
                </ul>
                <div class="condition-tools">
                    <button type="button" onclick={add_row}>{ "Add a condition" }</button>
                    <button type="button" onclick={add_group}>{ "Add a group" }</button>
                    { for remove }
                </div>
            </div>
        }
    }

    fn row(&self, row: &Condition, at: &[usize]) -> Html {
        let var = row.subject().unwrap_or_default().to_owned();
        let shape = shape_of(row);
        let subject = self.subjects.iter().find(|s| s.var == var).cloned();
        let subjects = self.subjects.clone();
        let (subject_id, shape_id) = (self.id(at, "subject"), self.id(at, "shape"));
        let on_subject = {
            let (shape, row, subjects) = (shape.clone(), row.clone(), subjects.clone());
            self.put(at, move |e: Event| {
                let var = e.target_unchecked_into::<HtmlSelectElement>().value();
                Some(reshape(&var, &shape, &row, &subjects))
            })
        };
        let on_shape = {
            let (var, row, subjects) = (var.clone(), row.clone(), subjects.clone());
            self.put(at, move |e: Event| {
                let shape = e.target_unchecked_into::<HtmlSelectElement>().value();
                Some(reshape(&var, &shape, &row, &subjects))
            })
        };
        let unknown = subject.is_none().then(|| html! {
            <option value={var.clone()} selected=true>{ format!("{var} (not defined here)") }</option>
        });
        let remove = (!at.is_empty()).then(|| {
            let onclick = self.put(at, |_: MouseEvent| None);
            html! { <button type="button" {onclick} aria-label="Remove condition">{ "×" }</button> }
        });
        html! {
            <div class="row">
                <label for={subject_id.clone()} class="visually-hidden">{ "Question or fact" }</label>
                <select id={subject_id} onchange={on_subject}>
                    { for unknown }
                    { for self.subjects.iter().map(|s| html! {
                        <option value={s.var.clone()} selected={s.var == var}>{ &s.label }</option>
                    }) }
                </select>
                <label for={shape_id.clone()} class="visually-hidden">{ "Comparison" }</label>
                <select id={shape_id} onchange={on_shape}>
                    { for SHAPES.iter().map(|(v, words)| html! {
                        <option value={*v} selected={*v == shape}>{ *words }</option>
                    }) }
                </select>
                { self.values(row, subject.as_ref(), at) }
                { for remove }
            </div>
        }
    }

    /// The value controls of a row.
    fn values(&self, row: &Condition, subject: Option<&Subject>, at: &[usize]) -> Html {
        let kind = subject.map_or(ValueKind::Text, |s| s.kind.clone());
        let options = match &kind {
            ValueKind::Choice(o) | ValueKind::Multi(o) => o.clone(),
            ValueKind::Bool => vec![("true".into(), "yes".into()), ("false".into(), "no".into())],
            _ => Vec::new(),
        };
        let read = {
            let kind = kind.clone();
            move |text: String| match kind {
                ValueKind::Bool => Value::Bool(text == "true"),
                ValueKind::Number => number_or_text(&text),
                _ => Value::String(text),
            }
        };
        let one = |value: &Value, part: &str, label: &str, make: Rc<dyn Fn(Value) -> Condition>| {
            let id = self.id(at, part);
            let read = read.clone();
            if options.is_empty()
                || (matches!(kind, ValueKind::Multi(_))
                    && part == "value"
                    && !matches!(row, Condition::Contains { .. }))
            {
                let text = match value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let oninput = self.put(at, move |e: InputEvent| {
                    Some(make(read(
                        e.target_unchecked_into::<HtmlInputElement>().value(),
                    )))
                });
                let mode = (kind == ValueKind::Number).then_some("decimal");
                html! { <>
                    <label for={id.clone()} class="visually-hidden">{ label.to_owned() }</label>
                    <input type="text" id={id} inputmode={mode} value={text} {oninput} />
                </> }
            } else {
                let current = match value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let onchange = self.put(at, move |e: Event| {
                    Some(make(read(
                        e.target_unchecked_into::<HtmlSelectElement>().value(),
                    )))
                });
                let unknown = (!options.iter().any(|(v, _)| *v == current)).then(|| html! {
                    <option value={current.clone()} selected=true>{ format!("{current} (not an option)") }</option>
                });
                html! { <>
                    <label for={id.clone()} class="visually-hidden">{ label.to_owned() }</label>
                    <select id={id} {onchange}>
                        { for unknown }
                        { for options.iter().map(|(v, words)| html! {
                            <option value={v.clone()} selected={*v == current}>{ words }</option>
                        }) }
                    </select>
                </> }
            }
        };
        match row.clone() {
            Condition::Compare { var, op, value } => {
                let make = Rc::new(move |value| Condition::Compare {
                    var: var.clone(),
                    op,
                    value,
                });
                one(&value, "value", "Value", make)
            }
            Condition::Contains { var, value } => {
                let make = Rc::new(move |value| Condition::Contains {
                    var: var.clone(),
                    value,
                });
                one(&value, "value", "Value", make)
            }
            Condition::Between { var, low, high } => {
                let (v2, h2, l2) = (var.clone(), high.clone(), low.clone());
                let low_make = Rc::new(move |low| Condition::Between {
                    var: var.clone(),
                    low,
                    high: h2.clone(),
                });
                let high_make = Rc::new(move |high| Condition::Between {
                    var: v2.clone(),
                    low: l2.clone(),
                    high,
                });
                html! { <>
                    { one(&low, "low", "Lowest", low_make) }
                    <span>{ "and" }</span>
                    { one(&high, "high", "Highest", high_make) }
                </> }
            }
            Condition::OneOf { var, values } => {
                self.one_of(&var, &values, &options, kind == ValueKind::Number, at)
            }
            _ => html! {},
        }
    }

    /// "is one of": a checkbox per option, or the values as text separated
    /// by commas (read as numbers when `numbers`, else as text).
    fn one_of(
        &self,
        var: &str,
        values: &[Value],
        options: &[(String, String)],
        numbers: bool,
        at: &[usize],
    ) -> Html {
        let id = self.id(at, "values");
        if options.is_empty() {
            let text = values
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join(", ");
            let var = var.to_owned();
            let oninput = self.put(at, move |e: InputEvent| {
                let text = e.target_unchecked_into::<HtmlInputElement>().value();
                // Numbers only for a number: a campaign named 2024 is text.
                let values = text
                    .split(',')
                    .map(|t| {
                        if numbers {
                            number_or_text(t.trim())
                        } else {
                            Value::String(t.trim().to_owned())
                        }
                    })
                    .collect();
                Some(Condition::OneOf {
                    var: var.clone(),
                    values,
                })
            });
            return html! { <>
                <label for={id.clone()} class="visually-hidden">{ "Values, separated by commas" }</label>
                <input type="text" id={id} value={text} {oninput} />
            </> };
        }
        html! {
            <fieldset class="one-of">
                <legend class="visually-hidden">{ "Values" }</legend>
                { for options.iter().enumerate().map(|(i, (value, words))| {
                    let box_id = format!("{id}-{i}");
                    let on = values.iter().any(|v| v.as_str() == Some(value));
                    let (var, values, value) = (var.to_owned(), values.to_vec(), value.clone());
                    let onchange = self.put(at, move |e: Event| {
                        let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
                        let mut values: Vec<Value> = values.iter().filter(|v| v.as_str() != Some(&value)).cloned().collect();
                        if checked {
                            values.push(Value::String(value.clone()));
                        }
                        Some(Condition::OneOf { var: var.clone(), values })
                    });
                    html! { <span class="check">
                        <input type="checkbox" id={box_id.clone()} checked={on} {onchange} />
                        <label for={box_id}>{ words }</label>
                    </span> }
                }) }
            </fieldset>
        }
    }
}

/// Properties of [`LogicText`].
#[derive(Properties, PartialEq, Clone)]
pub struct LogicTextProps {
    /// The element id.
    pub id: String,
    /// The JsonLogic.
    pub value: Value,
    /// Called with the new JsonLogic once the text is JSON.
    pub onchange: Callback<Value>,
}

/// JsonLogic as text: applied when it is JSON, with the parser's message
/// shown beside it until it is.
#[function_component(LogicText)]
pub fn logic_text(props: &LogicTextProps) -> Html {
    let apply = {
        let onchange = props.onchange.clone();
        // An emptied box is no condition: it stays as typed, unapplied.
        Callback::from(move |v: Option<Value>| {
            if let Some(v) = v {
                onchange.emit(v);
            }
        })
    };
    let json = use_json_text(Some(props.value.clone()), JsonLayout::Compact, apply);
    let (text, error, oninput) = (json.text, json.error, json.oninput);
    let error_id = format!("{}-error", props.id);
    html! {
        <div class="logic">
            <label for={props.id.clone()}>{ "JsonLogic (a shape the builder does not show)" }</label>
            <textarea id={props.id.clone()} value={text} {oninput} rows="2"
                aria-describedby={error.is_some().then(|| error_id.clone())}
                aria-invalid={error.is_some().then_some("true")} />
            if let Some(e) = &error { <p class="problems-at" id={error_id}>{ e }</p> }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn enrichment_attributes_are_subjects_of_their_types() {
        let doc = json!({
            "fields": [{"id": "email", "label": "Email", "type": "email"}],
            "enrichment": {"attributes": [
                {"id": "employees", "label": "Employees", "type": "number"},
                {"id": "industry", "label": "Industry", "type": "choice", "options": [{"value": "software", "label": "Software"}]}
            ], "providers": []}
        });
        let found = subjects(&doc, Scope::ShowIf(0));
        let employees = found
            .iter()
            .find(|s| s.var == "enriched.employees")
            .unwrap();
        assert_eq!(employees.label, "Enriched: Employees");
        assert_eq!(employees.kind, ValueKind::Number);
        let industry = found.iter().find(|s| s.var == "enriched.industry").unwrap();
        assert_eq!(
            industry.kind,
            ValueKind::Choice(vec![("software".into(), "Software".into())])
        );
    }
}
