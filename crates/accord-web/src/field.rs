//! One question of the form, rendered from its rulebook field.
//!
//! Every label, help text, option and answer is rendered as text by Yew
//! (never as HTML), so a hostile rulebook or answer stays inert.

use accord_core::{Field, FieldType, Strings};
use serde_json::{Map, Value};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{
    DocumentFragment, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement,
};
use yew::prelude::*;

/// Properties of [`FieldInput`].
#[derive(Properties, PartialEq, Clone)]
pub struct FieldProps {
    /// The rulebook field.
    pub field: Rc<Field>,
    /// The current answer, if any.
    pub value: Option<Value>,
    /// The message to show, if the answer has a problem.
    pub error: Option<String>,
    /// Called with the new answer (`Value::Null` when cleared).
    pub on_answer: Callback<(String, Value)>,
    /// Not shown (its `show_if` does not hold): the field stays in the DOM,
    /// hidden, so showing or hiding it never moves the others and the
    /// control a person is using keeps focus.
    #[prop_or_default]
    pub hidden: bool,
    /// The visitor's language (English when not given).
    #[prop_or_default]
    pub strings: Rc<Strings>,
}

/// A labelled input for one field, with its help text and error message
/// linked through `aria-describedby`.
#[function_component(FieldInput)]
pub fn field_input(props: &FieldProps) -> Html {
    let strings = &props.strings;
    let field = &props.field;
    let id = format!("f-{}", field.id);
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let described_by = [
        field.help.as_ref().map(|_| help_id.clone()),
        props.error.as_ref().map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let described_by = AttrValue::from(described_by);
    // `false` when fine, so the attribute says so rather than being absent.
    let invalid = AttrValue::Static(if props.error.is_some() {
        "true"
    } else {
        "false"
    });
    let required = field.required.then_some(AttrValue::Static("true"));

    let answer = {
        let on_answer = props.on_answer.clone();
        let key = field.id.clone();
        move |value: Value| on_answer.emit((key.clone(), value))
    };
    let text_value = match &props.value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let help = field
        .help
        .as_ref()
        .map(|h| html! { <p class="help" id={help_id.clone()}>{ h }</p> });
    // Always rendered (empty when fine): Yew re-creates the input when an
    // empty fragment after it fills, which would take focus from a visitor
    // typing just as the message appears or goes.
    let error = html! {
        <p class="error" id={error_id.clone()}>{ props.error.clone().unwrap_or_default() }</p>
    };
    let required_mark = field
        .required
        .then(|| html! { <span class="req" aria-hidden="true">{ " *" }</span> });

    let control = match field.kind {
        FieldType::Choice => {
            let onchange = Callback::from(move |e: Event| {
                let v = e.target_unchecked_into::<HtmlSelectElement>().value();
                answer(if v.is_empty() {
                    Value::Null
                } else {
                    Value::String(v)
                });
            });
            html! {
                <select id={id.clone()} name={field.id.clone()} {onchange}
                        aria-invalid={invalid} aria-describedby={described_by} aria-required={required}>
                    <option value="" selected={text_value.is_empty()}>{ strings.get("choose") }</option>
                    { for field.options.iter().map(|o| html! {
                        <option value={o.value.clone()} selected={o.value == text_value}>{ o.display() }</option>
                    }) }
                </select>
            }
        }
        FieldType::MultiChoice | FieldType::YesNo => {
            return group(
                props,
                strings,
                &id,
                (described_by, invalid),
                help,
                error,
                required_mark,
            );
        }
        FieldType::Consent => {
            let checked = props.value == Some(Value::Bool(true));
            let onchange = Callback::from(move |e: Event| {
                let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                answer(if on { Value::Bool(true) } else { Value::Null });
            });
            return html! {
                <div class="field consent" hidden={props.hidden}>
                    <input type="checkbox" id={id.clone()} name={field.id.clone()} {checked} {onchange}
                           aria-invalid={invalid} aria-describedby={described_by}
                           aria-required={required} />
                    <label for={id}>{ &field.label }{ required_mark }</label>
                    { for help }{ error }
                </div>
            };
        }
        FieldType::Text if field.multiline => {
            let oninput = Callback::from(move |e: InputEvent| {
                let v = e.target_unchecked_into::<HtmlTextAreaElement>().value();
                answer(text_answer(v));
            });
            html! {
                <textarea id={id.clone()} name={field.id.clone()} rows="3" value={text_value}
                          placeholder={field.placeholder.clone()} {oninput}
                          aria-invalid={invalid} aria-describedby={described_by} aria-required={required} />
            }
        }
        _ => {
            let (kind, mode) = match field.kind {
                FieldType::Email => ("email", None),
                FieldType::Phone => ("tel", None),
                FieldType::Number => ("text", Some("decimal")),
                _ => ("text", None),
            };
            let number = field.kind == FieldType::Number;
            let oninput = Callback::from(move |e: InputEvent| {
                let v = e.target_unchecked_into::<HtmlInputElement>().value();
                answer(if number {
                    number_answer(v)
                } else {
                    text_answer(v)
                });
            });
            html! {
                <input type={kind} inputmode={mode} id={id.clone()} name={field.id.clone()}
                       value={text_value} placeholder={field.placeholder.clone()}
                       autocomplete={field.autocomplete_token().map(str::to_owned)}
                       maxlength={field.max_length.map(|m| m.to_string())}
                       {oninput} aria-invalid={invalid}
                       aria-describedby={described_by} aria-required={required} />
            }
        }
    };
    html! {
        <div class="field" hidden={props.hidden}>
            <label for={id}>{ &field.label }{ required_mark }</label>
            { for help }
            { control }
            { error }
        </div>
    }
}

/// Yes/no and multiple choice: a fieldset of radios or checkboxes whose
/// legend is the question.
fn group(
    props: &FieldProps,
    strings: &Strings,
    id: &str,
    (described_by, invalid): (AttrValue, AttrValue),
    help: Option<Html>,
    error: Html,
    required_mark: Option<Html>,
) -> Html {
    let field = &props.field;
    let multi = field.kind == FieldType::MultiChoice;
    let choices: Vec<(String, String)> = if multi {
        field
            .options
            .iter()
            .map(|o| (o.value.clone(), o.display().to_owned()))
            .collect()
    } else {
        vec![
            ("yes".into(), strings.get("yes").into()),
            ("no".into(), strings.get("no").into()),
        ]
    };
    let selected: Vec<String> = match &props.value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Some(Value::Bool(true)) => vec!["yes".into()],
        Some(Value::Bool(false)) => vec!["no".into()],
        _ => Vec::new(),
    };
    let items = choices.into_iter().enumerate().map(|(n, (value, label))| {
        let input_id = format!("{id}-{n}");
        let checked = selected.contains(&value);
        let on_answer = props.on_answer.clone();
        let key = field.id.clone();
        let current = selected.clone();
        let this = value.clone();
        let onchange = Callback::from(move |e: Event| {
            let on = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .is_some_and(|i| i.checked());
            let answer = if multi {
                let mut list: Vec<String> =
                    current.iter().filter(|v| **v != this).cloned().collect();
                if on {
                    list.push(this.clone());
                }
                if list.is_empty() {
                    Value::Null
                } else {
                    Value::Array(list.into_iter().map(Value::String).collect())
                }
            } else {
                Value::Bool(this == "yes")
            };
            on_answer.emit((key.clone(), answer));
        });
        html! {
            <label class="choice" for={input_id.clone()}>
                <input type={if multi { "checkbox" } else { "radio" }} id={input_id.clone()}
                       name={field.id.clone()} value={value} {checked} {onchange}
                       aria-invalid={invalid.clone()} />
                <span>{ label }</span>
            </label>
        }
    });
    html! {
        <fieldset class="field group" id={id.to_owned()} tabindex="-1" aria-describedby={described_by}
                  hidden={props.hidden}>
            <legend>{ &field.label }{ required_mark }</legend>
            { for help }
            <div class="choices">{ for items }</div>
            { error }
        </fieldset>
    }
}

/// What a visitor typed into a form drawn from `fields` before the widget
/// ran (a prerendered form, see `accord_widget_ui::prerender`), by field
/// id: each control read as its handler above reads it. Controls are
/// matched by their `name` in Rust, never through a selector built from
/// an untrusted id.
pub fn typed_answers(root: &web_sys::Element, fields: &[Field]) -> Map<String, Value> {
    let mut answers = Map::new();
    let Ok(list) = root.query_selector_all("input, select, textarea") else {
        return answers;
    };
    // Each control's name read once: calls into the page are what cost.
    let controls: Vec<(String, web_sys::Element)> = (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok())
        .filter_map(|c| Some((c.get_attribute("name")?, c)))
        .collect();
    for field in fields {
        let mine = controls
            .iter()
            .filter(|(name, _)| *name == field.id)
            .map(|(_, c)| c);
        let checked = |c: &web_sys::Element| {
            c.dyn_ref::<HtmlInputElement>()
                .filter(|i| i.checked())
                .map(|i| i.value())
        };
        let answer = match field.kind {
            FieldType::Hidden => continue,
            FieldType::Consent => mine.filter_map(&checked).next().map(|_| Value::Bool(true)),
            FieldType::YesNo => mine
                .filter_map(&checked)
                .next()
                .map(|v| Value::Bool(v == "yes")),
            FieldType::MultiChoice => {
                let picked: Vec<Value> = mine.filter_map(&checked).map(Value::String).collect();
                (!picked.is_empty()).then_some(Value::Array(picked))
            }
            _ => mine
                .filter_map(|c| {
                    let text = if let Some(select) = c.dyn_ref::<HtmlSelectElement>() {
                        select.value()
                    } else if let Some(area) = c.dyn_ref::<HtmlTextAreaElement>() {
                        area.value()
                    } else {
                        c.dyn_ref::<HtmlInputElement>()?.value()
                    };
                    Some(match field.kind {
                        FieldType::Number => number_answer(text),
                        FieldType::Choice if text.is_empty() => Value::Null,
                        FieldType::Choice => Value::String(text),
                        _ => text_answer(text),
                    })
                })
                .next()
                .filter(|v| !v.is_null()),
        };
        if let Some(answer) = answer {
            answers.insert(field.id.clone(), answer);
        }
    }
    answers
}

fn text_answer(v: String) -> Value {
    if v.trim().is_empty() {
        Value::Null
    } else {
        Value::String(v)
    }
}

/// A number as typed: parsed by JavaScript's `Number` when it is one, kept
/// as text otherwise so the engine reports it as not a number.
fn number_answer(v: String) -> Value {
    if v.trim().is_empty() {
        return Value::Null;
    }
    match crate::bridge::js_number(&v) {
        Some(n) => accord_logic::js::number_value(n),
        None => Value::String(v),
    }
}

/// Focuses the element with `id` in `root`'s shadow root (or its
/// document); for a group of radios or checkboxes, its first choice.
/// The id of the field whose control has focus under `root` (in its
/// shadow root, or the document), read from the control's `name`.
pub fn focused_field(root: &NodeRef) -> Option<String> {
    let node = root.get()?;
    let scope = node.get_root_node();
    let active = js_sys::Reflect::get(&scope, &"activeElement".into()).ok()?;
    active
        .dyn_into::<web_sys::Element>()
        .ok()?
        .get_attribute("name")
}

/// Moves focus to the element with this id under `root`.
pub fn focus_by_id(root: &NodeRef, id: &str) {
    focus_element(root, id, false);
}

/// [`focus_by_id`] without scrolling the page to the element: for the
/// focus a view sets as it opens, which must leave the page's header in
/// sight (on a phone the first question is below it).
pub fn focus_by_id_in_place(root: &NodeRef, id: &str) {
    focus_element(root, id, true);
}

fn focus_element(root: &NodeRef, id: &str, in_place: bool) {
    let Some(node) = root.get() else {
        return;
    };
    let found = node
        .get_root_node()
        .dyn_into::<DocumentFragment>()
        .ok()
        .and_then(|fragment| fragment.get_element_by_id(id))
        .or_else(|| node.owner_document().and_then(|d| d.get_element_by_id(id)));
    // A group of radios or checkboxes: focus its first choice.
    let found = found.map(|e| match e.tag_name().as_str() {
        "FIELDSET" => e.query_selector("input").ok().flatten().unwrap_or(e),
        _ => e,
    });
    if let Some(element) = found.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        if in_place {
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = element.focus_with_options(&options);
        } else {
            let _ = element.focus();
        }
    }
}
