//! The studio's form controls. Each edits one place in the document, has
//! that place's path as its element id (so a problem list can jump to it)
//! and shows the engine's problems there, linked with `aria-describedby`.

use crate::editor::use_editor;
use crate::path::{Edit, JsonPath};
use serde_json::Value;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The problems at a control, as a list its input points to.
#[derive(Properties, PartialEq, Clone)]
pub struct ProblemsProps {
    /// The control's path (the list's id is `<path>-problems`).
    pub path: String,
    /// The messages.
    pub messages: Vec<String>,
}

/// The messages shown under a control.
#[function_component(Problems)]
pub fn problems(props: &ProblemsProps) -> Html {
    if props.messages.is_empty() {
        return html! {};
    }
    html! {
        <ul class="problems-at" id={format!("{}-problems", props.path)}>
            { for props.messages.iter().map(|m| html! { <li>{ m }</li> }) }
        </ul>
    }
}

/// How a text box's content becomes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text; empty removes an optional key, or sets `""` for a required one.
    Text { required: bool },
    /// A number when the text reads as one, the text itself otherwise (so
    /// the engine names the problem); empty removes the key.
    Number,
}

/// Properties of [`TextControl`].
#[derive(Properties, PartialEq, Clone)]
pub struct TextProps {
    /// Where the value is.
    pub path: JsonPath,
    /// The label.
    pub label: AttrValue,
    /// How the text becomes a value.
    #[prop_or(Kind::Text { required: true })]
    pub kind: Kind,
    /// A multi-line box.
    #[prop_or_default]
    pub multiline: bool,
    /// A hint under the label.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Emptying the box also removes the object holding it when nothing
    /// else is left in it (a link without text and address is no link).
    #[prop_or_default]
    pub drop_empty_parent: bool,
}

/// A labelled text box bound to one place in the document.
#[function_component(TextControl)]
pub fn text_control(props: &TextProps) -> Html {
    let editor = use_editor();
    let id = props.path.to_string();
    let messages = editor.problems(&props.path);
    let value = editor.text(&props.path);
    let path = props.path.clone();
    let kind = props.kind;
    let drop_empty_parent = props.drop_empty_parent;
    let commit = {
        let editor = editor.clone();
        move |text: String| {
            let value = match kind {
                Kind::Text { required } if text.is_empty() && !required => None,
                Kind::Text { .. } => Some(Value::String(text)),
                Kind::Number if text.trim().is_empty() => None,
                Kind::Number => Some(number_or_text(&text)),
            };
            // Nothing in the holder but this key: remove the holder.
            let own = match path.0.last() {
                Some(crate::path::Step::Key(k)) => k.as_str(),
                _ => "",
            };
            let parent = path.parent().filter(|up| {
                drop_empty_parent
                    && value.is_none()
                    && editor
                        .get(up)
                        .and_then(Value::as_object)
                        .is_some_and(|o| o.keys().all(|k| k == own))
            });
            match parent {
                Some(up) => editor.set(&up, None),
                None => editor.set(&path, value),
            }
        }
    };
    let hint_id = format!("{id}-hint");
    let described = describe(&id, props.hint.is_some(), !messages.is_empty());
    let invalid = (!messages.is_empty()).then_some("true");
    let input = if props.multiline {
        let oninput = Callback::from(move |e: InputEvent| {
            commit(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        });
        html! { <textarea id={id.clone()} {oninput} value={value} rows="3"
        aria-describedby={described} aria-invalid={invalid} /> }
    } else {
        let oninput = Callback::from(move |e: InputEvent| {
            commit(e.target_unchecked_into::<HtmlInputElement>().value())
        });
        let mode = (kind == Kind::Number).then_some("decimal");
        html! { <input id={id.clone()} type="text" inputmode={mode} {oninput} value={value}
        aria-describedby={described} aria-invalid={invalid} /> }
    };
    html! {
        <div class="control">
            <label for={id.clone()}>{ props.label.clone() }</label>
            { input }
            if let Some(hint) = &props.hint { <p class="hint" id={hint_id}>{ hint.clone() }</p> }
            <Problems path={id} {messages} />
        </div>
    }
}

/// The `aria-describedby` of a control with an optional hint and problems.
pub fn describe(id: &str, hint: bool, problems: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-hint"));
    }
    if problems {
        ids.push(format!("{id}-problems"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// A number when `text` reads as one, else the text.
pub fn number_or_text(text: &str) -> Value {
    let t = text.trim();
    if let Ok(i) = t.parse::<i64>() {
        return Value::from(i);
    }
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() => Value::from(f),
        _ => Value::String(text.to_owned()),
    }
}

/// Properties of [`SelectControl`].
#[derive(Properties, PartialEq, Clone)]
pub struct SelectProps {
    /// Where the value is.
    pub path: JsonPath,
    /// The label.
    pub label: AttrValue,
    /// `(value, words)` pairs.
    pub choices: Vec<(String, String)>,
    /// The value when the key is absent, if any; choosing it removes the key.
    #[prop_or_default]
    pub default: Option<String>,
}

/// A labelled select bound to one text value.
#[function_component(SelectControl)]
pub fn select_control(props: &SelectProps) -> Html {
    let editor = use_editor();
    let id = props.path.to_string();
    let messages = editor.problems(&props.path);
    let current = editor
        .get(&props.path)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| props.default.clone())
        .unwrap_or_default();
    let onchange = {
        let (editor, path, default) = (editor.clone(), props.path.clone(), props.default.clone());
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            let remove = default.as_deref() == Some(value.as_str());
            editor.set(&path, (!remove).then_some(Value::String(value)));
        })
    };
    let described = describe(&id, false, !messages.is_empty());
    html! {
        <div class="control">
            <label for={id.clone()}>{ props.label.clone() }</label>
            <select id={id.clone()} {onchange} aria-describedby={described}>
                { for props.choices.iter().map(|(value, words)| html! {
                    <option value={value.clone()} selected={*value == current}>{ words }</option>
                }) }
            </select>
            <Problems path={id} {messages} />
        </div>
    }
}

/// Properties of [`CheckControl`].
#[derive(Properties, PartialEq, Clone)]
pub struct CheckProps {
    /// Where the flag is (absent is `false`; unchecking removes it).
    pub path: JsonPath,
    /// The label.
    pub label: AttrValue,
}

/// A labelled checkbox bound to one flag.
#[function_component(CheckControl)]
pub fn check_control(props: &CheckProps) -> Html {
    let editor = use_editor();
    let id = props.path.to_string();
    let messages = editor.problems(&props.path);
    let checked = editor.get(&props.path) == Some(&Value::Bool(true));
    let onchange = {
        let (editor, path) = (editor.clone(), props.path.clone());
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            editor.set(&path, on.then_some(Value::Bool(true)));
        })
    };
    let described = describe(&id, false, !messages.is_empty());
    html! {
        <div class="control check">
            <input type="checkbox" id={id.clone()} {checked} {onchange} aria-describedby={described} />
            <label for={id.clone()}>{ props.label.clone() }</label>
            <Problems path={id} {messages} />
        </div>
    }
}

/// The type of the data an item drag carries: `<list path>#<index>`.
const DRAG_TYPE: &str = "application/x-accord-item";

/// Draws one list item's editor, given its path and index.
pub type Render = fn(&JsonPath, usize) -> Html;

/// Properties of [`ItemScope`].
#[derive(Properties, Clone)]
pub struct ItemScopeProps {
    /// The item's path.
    pub root: JsonPath,
    /// The item.
    pub value: Value,
    /// The problems at controls inside it.
    pub problems: Vec<crate::checked::Problem>,
    /// Makes an edit.
    pub edit: Callback<Edit>,
    /// The item's index in its list.
    pub index: usize,
    /// Draws its editor.
    pub render: Render,
}

/// Equal when the item, its problems and where it is are: `render` is left
/// out, as each list passes the same function every time (and function
/// addresses are not reliable to compare).
impl PartialEq for ItemScopeProps {
    fn eq(&self, other: &ItemScopeProps) -> bool {
        self.root == other.root
            && self.index == other.index
            && self.value == other.value
            && self.problems == other.problems
            && self.edit == other.edit
    }
}

/// One list item's editor, in a scope that holds only the item: it
/// re-renders when the item or its problems change, not on every edit
/// elsewhere in the document.
#[function_component(ItemScope)]
pub fn item_scope(props: &ItemScopeProps) -> Html {
    let editor = crate::editor::Editor {
        root: props.root.clone(),
        value: std::rc::Rc::new(props.value.clone()),
        problems: std::rc::Rc::new(props.problems.clone()),
        edit: props.edit.clone(),
    };
    html! {
        <ContextProvider<crate::editor::Editor> context={editor}>
            { (props.render)(&props.root, props.index) }
        </ContextProvider<crate::editor::Editor>>
    }
}

/// Where an item list puts focus after a change.
#[derive(Debug, Clone, PartialEq)]
enum Focus {
    /// The element with this id.
    Element(String),
    /// The first field inside the element with this id.
    FirstField(String),
}

/// Properties of [`ItemList`].
#[derive(Properties, Clone)]
pub struct ItemListProps {
    /// The list's path.
    pub path: JsonPath,
    /// What one item is called, e.g. `question`.
    pub noun: AttrValue,
    /// Each item's name, for its heading and its buttons' names.
    pub names: Vec<String>,
    /// Draws one item's editor, given its path and index, inside a scope
    /// holding only that item ([`ItemScope`]).
    pub render: Render,
    /// What "Add" inserts at the end.
    pub new_item: serde_json::Value,
    /// Items can be reordered (order matters: fields, grades, routes …).
    #[prop_or(true)]
    pub ordered: bool,
    /// The heading level of each item's name: 3 under a section's heading,
    /// 5 in a list inside an item (under its level 4 heading).
    #[prop_or(3)]
    pub level: u8,
}

/// Equal when everything but `render` is (see [`ItemScopeProps`]).
impl PartialEq for ItemListProps {
    fn eq(&self, other: &ItemListProps) -> bool {
        self.path == other.path
            && self.noun == other.noun
            && self.names == other.names
            && self.new_item == other.new_item
            && self.ordered == other.ordered
            && self.level == other.level
    }
}

/// A list of items, each with its heading and its Move up, Move down and
/// Remove buttons, reorderable by dragging, and an Add button.
#[function_component(ItemList)]
pub fn item_list(props: &ItemListProps) -> Html {
    let editor = use_editor();
    // Where focus goes after the next render: the button pressed in a
    // moved item, the item after a removed one, the first field of an added
    // one. Never lost to the page.
    let moved = use_state(|| None::<Focus>);
    use_effect_with((*moved).clone(), |moved| match moved {
        Some(Focus::Element(id)) => crate::page::focus(id),
        Some(Focus::FirstField(id)) => crate::page::focus_first_field(id),
        None => {}
    });
    let count = editor.len(&props.path);
    let list_id = props.path.to_string();
    let messages = editor.problems(&props.path);
    let items = (0..count).map(|i| {
        let name = props.names.get(i).cloned().unwrap_or_default();
        let item_path = props.path.index(i);
        let item_id = item_path.to_string();
        // Moving keeps focus on the button pressed, in the item's new place;
        // on the other one when the item reached the end the button points
        // to (there the button is disabled, and cannot hold focus).
        let moving = |to: usize, button: &'static str| {
            let (editor, path, moved) = (editor.clone(), props.path.clone(), moved.clone());
            let at_end = (button == "up" && to == 0) || (button == "down" && to + 1 == count);
            let button = match (at_end, button) {
                (false, b) => b,
                (true, "up") => "down",
                (true, _) => "up",
            };
            Callback::from(move |_: MouseEvent| {
                editor.edit.emit(Edit::Move(path.clone(), i, to));
                moved.set(Some(Focus::Element(format!("{}-{button}", path.index(to)))));
            })
        };
        let up = moving(i.saturating_sub(1), "up");
        let down = moving((i + 1).min(count.saturating_sub(1)), "down");
        let remove = {
            let (editor, path, moved) = (editor.clone(), props.path.clone(), moved.clone());
            Callback::from(move |_: MouseEvent| {
                editor.edit.emit(Edit::Remove(path.index(i)));
                // The item that takes its place, else the one before, else Add.
                let next = if i + 1 < count {
                    path.index(i).to_string()
                } else if i > 0 {
                    path.index(i - 1).to_string()
                } else {
                    format!("{path}-add")
                };
                moved.set(Some(Focus::Element(next)));
            })
        };
        // Dragging: the item's head is the handle (a text drag inside a box
        // is not a move). The drag carries its list and index, so a list
        // moves only its own items (an option dropped on an option never
        // moves the questions), whatever renders in between.
        let list = list_id.clone();
        let ondragstart = Callback::from(move |e: DragEvent| {
            e.stop_propagation();
            if let Some(data) = e.data_transfer() {
                let _ = data.set_data(DRAG_TYPE, &format!("{list}#{i}"));
                data.set_effect_allowed("move");
            }
        });
        let ondragover = Callback::from(|e: DragEvent| {
            let ours = e
                .data_transfer()
                .is_some_and(|d| d.types().iter().any(|t| t.as_string().as_deref() == Some(DRAG_TYPE)));
            if ours {
                e.prevent_default();
            }
        });
        let ondrop = {
            let (editor, path, list) = (editor.clone(), props.path.clone(), list_id.clone());
            Callback::from(move |e: DragEvent| {
                let dragged = e.data_transfer().and_then(|d| d.get_data(DRAG_TYPE).ok());
                let from = dragged.as_deref().and_then(|d| d.strip_prefix(&format!("{list}#"))?.parse::<usize>().ok());
                if let Some(from) = from {
                    e.prevent_default();
                    e.stop_propagation();
                    if from != i {
                        editor.edit.emit(Edit::Move(path.clone(), from, i));
                    }
                }
            })
        };
        let item_messages = editor.problems(&item_path);
        let noun = &props.noun;
        html! {
            <li class="item" id={item_id.clone()} tabindex="-1" key={item_id.clone()} {ondragover} {ondrop}>
                <div class="item-head" draggable={props.ordered.then_some("true")} {ondragstart}>
                    <@{format!("h{}", props.level)}>{ if name.is_empty() { format!("New {noun}") } else { name.clone() } }</@>
                    <div class="item-tools">
                        if props.ordered {
                            <button type="button" id={format!("{item_id}-up")} onclick={up} disabled={i == 0}
                                aria-label={format!("Move {noun} “{name}” up")}>{ "↑" }</button>
                            <button type="button" id={format!("{item_id}-down")} onclick={down} disabled={i + 1 == count}
                                aria-label={format!("Move {noun} “{name}” down")}>{ "↓" }</button>
                        }
                        <button type="button" onclick={remove}
                            aria-label={format!("Remove {noun} “{name}”")}>{ "Remove" }</button>
                    </div>
                </div>
                <Problems path={item_id} messages={item_messages} />
                <ItemScope root={item_path.clone()} value={editor.get(&item_path).cloned().unwrap_or_default()}
                    problems={editor.problems_within(&item_path)} edit={editor.edit.clone()}
                    index={i} render={props.render} />
            </li>
        }
    });
    let add = {
        let (editor, path, item, moved) = (
            editor.clone(),
            props.path.clone(),
            props.new_item.clone(),
            moved.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            editor
                .edit
                .emit(Edit::Insert(path.clone(), count, item.clone()));
            moved.set(Some(Focus::FirstField(path.index(count).to_string())));
        })
    };
    html! {
        <div class="item-list" id={list_id.clone()} tabindex="-1">
            <Problems path={list_id.clone()} {messages} />
            <ol>{ for items }</ol>
            <button type="button" class="add" id={format!("{list_id}-add")} onclick={add}>{ format!("Add {}", props.noun) }</button>
        </div>
    }
}

/// Properties of [`JsonControl`].
#[derive(Properties, PartialEq, Clone)]
pub struct JsonControlProps {
    /// Where the value is.
    pub path: JsonPath,
    /// The label.
    pub label: AttrValue,
    /// A hint under the label.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
}

/// A value edited as JSON text (a map such as a destination's
/// `field_map`): applied once the text is JSON, empty removes the key; the
/// parser's message shows until then.
#[function_component(JsonControl)]
pub fn json_control(props: &JsonControlProps) -> Html {
    let editor = use_editor();
    let id = props.path.to_string();
    let current = editor.get(&props.path).cloned();
    let apply = {
        let (editor, path) = (editor.clone(), props.path.clone());
        Callback::from(move |v: Option<Value>| editor.set(&path, v))
    };
    let json = use_json_text(current, JsonLayout::Compact, apply);
    let (text, error, oninput) = (json.text, json.error, json.oninput);
    let mut messages = editor.problems(&props.path);
    messages.extend(error);
    let described = describe(&id, props.hint.is_some(), !messages.is_empty());
    html! {
        <div class="control">
            <label for={id.clone()}>{ props.label.clone() }</label>
            <textarea id={id.clone()} class="json" value={text} {oninput} rows="3"
                aria-describedby={described} aria-invalid={(!messages.is_empty()).then_some("true")} />
            if let Some(hint) = &props.hint { <p class="hint" id={format!("{id}-hint")}>{ hint.clone() }</p> }
            <Problems path={id} {messages} />
        </div>
    }
}

/// How [`use_json_text`] writes a value into its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonLayout {
    /// On one line.
    Compact,
    /// Indented, over lines (the whole document).
    Pretty,
}

/// A JSON box's state, from [`use_json_text`].
pub struct JsonText {
    /// The text as typed (or as the value writes, once it changed
    /// elsewhere).
    pub text: String,
    /// Why the text is not applied, while it is not JSON.
    pub error: Option<String>,
    /// The box's input handler.
    pub oninput: Callback<InputEvent>,
}

/// JSON typed in a box (`value` as shown, `None` for an empty box): the
/// text is applied through `apply` as soon as it is JSON (an emptied box
/// applies `None`); until then it stays as typed, with the parser's
/// message. The text is rewritten from `value` only when the value changed
/// elsewhere, so the caret stays put while typing.
#[hook]
pub fn use_json_text(
    value: Option<Value>,
    layout: JsonLayout,
    apply: Callback<Option<Value>>,
) -> JsonText {
    let show = move |v: &Option<Value>| match (v, layout) {
        (None, _) => String::new(),
        (Some(v), JsonLayout::Compact) => v.to_string(),
        (Some(v), JsonLayout::Pretty) => serde_json::to_string_pretty(v).unwrap_or_default(),
    };
    let text = use_state(|| show(&value));
    let error = use_state(|| None::<String>);
    {
        let (text, error) = (text.clone(), error.clone());
        use_effect_with(value, move |value| {
            let typed = serde_json::from_str::<Value>(&text).ok();
            if typed.as_ref() != value.as_ref() && !(text.trim().is_empty() && value.is_none()) {
                text.set(show(value));
                error.set(None);
            }
        });
    }
    let oninput = {
        let (text, error) = (text.clone(), error.clone());
        Callback::from(move |e: InputEvent| {
            let typed = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            if typed.trim().is_empty() {
                error.set(None);
                apply.emit(None);
            } else {
                match serde_json::from_str::<Value>(&typed) {
                    Ok(v) => {
                        error.set(None);
                        apply.emit(Some(v));
                    }
                    Err(e) => error.set(Some(format!("Not applied, not JSON yet: {e}"))),
                }
            }
            text.set(typed);
        })
    };
    JsonText {
        text: (*text).clone(),
        error: (*error).clone(),
        oninput,
    }
}
