//! Questions (fields, with their options and when they show) and steps.

use super::item_names;
use crate::condition_editor::{ConditionEditor, Scope};
use crate::controls::{
    CheckControl, ItemList, JsonControl, Kind, Render, SelectControl, TextControl,
};
use crate::editor::{use_editor, use_outline};
use crate::path::JsonPath;
use accord_core::FieldType;
use serde_json::{json, Value};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// The questions section.
#[function_component(Questions)]
pub fn questions() -> Html {
    let editor = use_editor();
    let list = JsonPath::root().key("fields");
    let n = editor.len(&list);
    html! {
        <section aria-labelledby="fields-heading">
            <h2 id="fields-heading">{ "Questions" }</h2>
            <ItemList path={list} noun="question" names={item_names(&editor.value, "fields")}
                render={field_item as Render}
                new_item={json!({"id": format!("question_{}", n + 1), "label": "", "type": "text"})} />
        </section>
    }
}

/// Properties of an item's body.
#[derive(Properties, PartialEq, Clone)]
pub struct BodyProps {
    /// The item's path.
    pub path: JsonPath,
    /// Its index.
    pub index: usize,
}

/// One question's controls.
#[function_component(FieldBody)]
fn field_body(props: &BodyProps) -> Html {
    let editor = use_editor();
    let path = &props.path;
    let kind = editor.text(&path.key("type"));
    let types: Vec<(String, String)> = FieldType::NAMES
        .iter()
        .map(|(_, n)| (n.to_string(), n.replace('_', " ")))
        .collect();
    let optional = Kind::Text { required: false };
    let choices = kind == "choice" || kind == "multi_choice";
    let hidden = kind == "hidden";
    // A control shows where its key belongs to the answer type, and also
    // wherever the key is set: a key left over from another type (options
    // on a text field, `required` on a hidden one) is a problem the engine
    // names, and its control is where it is fixed.
    let has = |key: &str| editor.get(&path.key(key)).is_some();
    let text_like = !choices && !matches!(kind.as_str(), "number" | "yes_no" | "consent");
    // The enrichment attributes that could answer it ("" for none: asked
    // always), from the outline: this item's editor holds only the item.
    let outline = use_outline();
    let ids: Vec<String> = outline.0["enrichment"]["attributes"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|a| a["id"].as_str().filter(|id| !id.is_empty()))
        .map(str::to_owned)
        .collect();
    let skippable = !ids.is_empty() || has("skip_when_enriched");
    let attributes: Vec<(String, String)> =
        std::iter::once((String::new(), "Never: always asked".to_owned()))
            .chain(ids.into_iter().map(|id| {
                let words = format!("When enriched.{id} is known");
                (id, words)
            }))
            .collect();
    html! { <>
        <div class="grid">
            <TextControl path={path.key("label")} label="Question" />
            <TextControl path={path.key("id")} label="Field id" hint="Answers and conditions use it." />
            <SelectControl path={path.key("type")} label="Answer type" choices={types} />
            if !hidden || has("required") { <CheckControl path={path.key("required")} label="Required" /> }
        </div>
        if choices || has("options") {
            <Options path={path.key("options")} />
        }
        if kind == "number" || has("min") || has("max") {
            <div class="grid">
                <TextControl path={path.key("min")} label="Smallest number" kind={Kind::Number} />
                <TextControl path={path.key("max")} label="Largest number" kind={Kind::Number} />
            </div>
        }
        if hidden || has("param") || has("value") {
            <div class="grid">
                <TextControl path={path.key("param")} label="URL parameter" kind={optional} />
                <TextControl path={path.key("value")} label="Fixed value" kind={optional} />
            </div>
        }
        <div class="grid">
            if !hidden || has("help") { <TextControl path={path.key("help")} label="Help text" kind={optional} /> }
            if !hidden || has("placeholder") {
                <TextControl path={path.key("placeholder")} label="Placeholder" kind={optional} />
            }
            if !hidden || has("ask") { <Ask path={path.key("ask")} /> }
            if !hidden || has("autocomplete") {
                <TextControl path={path.key("autocomplete")} label="Autocomplete token" kind={optional}
                    hint="e.g. organization, tel; email and phone have theirs" />
            }
            if (text_like && !hidden) || has("max_length") {
                <TextControl path={path.key("max_length")} label="Longest answer (characters)"
                    kind={Kind::Number} hint="1000 when empty" />
            }
            if kind == "text" || has("multiline") { <CheckControl path={path.key("multiline")} label="Several lines" /> }
            if skippable {
                <SelectControl path={path.key("skip_when_enriched")} label="Answered by enrichment"
                    default={String::new()} choices={attributes} />
            }
        </div>
        if !hidden || has("show_if") {
            <ConditionEditor path={path.key("show_if")} label="Show only when" scope={Scope::ShowIf(props.index)}
                absent="Always shown" />
        }
    </> }
}

/// Properties of [`Options`].
#[derive(Properties, PartialEq, Clone)]
pub struct OptionsProps {
    /// Where the options list is.
    pub path: JsonPath,
}

/// A choice field's (or enrichment attribute's) options.
#[function_component(Options)]
pub fn options(props: &OptionsProps) -> Html {
    let editor = use_editor();
    let list = &props.path;
    let n = editor.len(list);
    let names: Vec<String> = (0..n)
        .map(|i| {
            editor
                .get(&list.index(i))
                .map(super::item_name)
                .unwrap_or_default()
        })
        .collect();
    html! {
        <div class="options">
            <h4>{ "Options" }</h4>
            <ItemList path={list.clone()} noun="option" {names} level={5}
                render={option_item as Render}
                new_item={json!({"value": format!("option-{}", n + 1)})} />
        </div>
    }
}

/// Properties of [`Ask`].
#[derive(Properties, PartialEq, Clone)]
struct AskProps {
    path: JsonPath,
}

/// Who is asked a field: both audiences (the key absent), the form or the
/// call.
#[function_component(Ask)]
fn ask(props: &AskProps) -> Html {
    let editor = use_editor();
    let id = props.path.to_string();
    let current = match editor.get(&props.path) {
        Some(Value::Array(a)) if a.len() == 1 => a[0].as_str().unwrap_or("both").to_owned(),
        _ => "both".to_owned(),
    };
    let onchange = {
        let (editor, path) = (editor.clone(), props.path.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            editor.set(&path, (v != "both").then(|| json!([v])));
        })
    };
    let choice = |v: &str, words: &str| html! { <option value={v.to_owned()} selected={current == v}>{ words.to_owned() }</option> };
    let messages = editor.problems(&props.path);
    let described = crate::controls::describe(&id, false, !messages.is_empty());
    html! {
        <div class="control">
            <label for={id.clone()}>{ "Asked on" }</label>
            <select id={id.clone()} {onchange} aria-describedby={described}>
                { choice("both", "the form and calls") }
                { choice("form", "the form only") }
                { choice("call", "calls only") }
            </select>
            <crate::controls::Problems path={id} {messages} />
        </div>
    }
}

/// The steps section: the form's pages.
#[function_component(Steps)]
pub fn steps() -> Html {
    let editor = use_editor();
    let list = JsonPath::root().key("steps");
    let n = editor.len(&list);
    html! {
        <section aria-labelledby="steps-heading">
            <h2 id="steps-heading">{ "Steps" }</h2>
            <p class="hint">{ "Optional: split the form into pages." }</p>
            <ItemList path={list} noun="step" names={item_names(&editor.value, "steps")}
                render={step_item as Render}
                new_item={json!({"id": format!("step-{}", n + 1), "title": "", "fields": []})} />
        </section>
    }
}

/// Draws one item of its list (see `ItemList::render`).
fn field_item(path: &JsonPath, i: usize) -> Html {
    html! { <FieldBody path={path.clone()} index={i} /> }
}

/// Draws one item of its list (see `ItemList::render`).
fn option_item(o: &JsonPath, _index: usize) -> Html {
    html! { <div class="grid">
        <TextControl path={o.key("value")} label="Value" />
        <TextControl path={o.key("label")} label="Shown as" kind={Kind::Text { required: false }} />
    </div> }
}

/// Draws one item of its list (see `ItemList::render`).
fn step_item(s: &JsonPath, _index: usize) -> Html {
    html! { <div class="grid">
        <TextControl path={s.key("title")} label="Step title" />
        <TextControl path={s.key("id")} label="Step id" />
        <JsonControl path={s.key("fields")} label="Its questions (field ids)"
            hint={AttrValue::from("A list, e.g. [\"email\", \"company\"]")} />
    </div> }
}
