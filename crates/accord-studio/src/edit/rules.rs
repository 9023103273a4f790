//! What disqualifies a lead, which grade it earns and where it goes.

use super::item_names;
use crate::condition_editor::{ConditionEditor, Scope};
use crate::controls::{ItemList, JsonControl, Kind, Render, TextControl};
use crate::editor::{use_editor, use_outline};
use crate::path::JsonPath;
use serde_json::json;
use yew::prelude::*;

/// The knockouts section.
#[function_component(Knockouts)]
pub fn knockouts() -> Html {
    let editor = use_editor();
    let outline = use_outline();
    let list = JsonPath::root().key("knockouts");
    let first_field = outline.0["fields"][0]["id"]
        .as_str()
        .unwrap_or("email")
        .to_owned();
    html! {
        <section aria-labelledby="knockouts-heading">
            <h2 id="knockouts-heading">{ "Disqualifiers" }</h2>
            <ItemList path={list.clone()} noun="disqualifier" names={item_names(&editor.value, "knockouts")}
                ordered=false
                render={knockout_item as Render}
                new_item={json!({"id": format!("knockout-{}", editor.len(&list) + 1),
                    "label": "", "when": {"==": [{"var": first_field}, null]}})} />
        </section>
    }
}

/// Properties of [`Outcome`].
#[derive(Properties, PartialEq, Clone)]
struct OutcomeProps {
    path: JsonPath,
}

/// What the visitor sees after sending: heading, message and a link (a
/// booking page). Emptying both parts of the link removes the link.
#[function_component(Outcome)]
fn outcome(props: &OutcomeProps) -> Html {
    let editor = use_editor();
    let optional = Kind::Text { required: false };
    let o = &props.path;
    let present = editor.get(o).is_some();
    if !present {
        let add = {
            let (editor, o) = (editor.clone(), o.clone());
            Callback::from(move |_: MouseEvent| editor.set(&o, Some(json!({"message": ""}))))
        };
        return html! { <button type="button" onclick={add}>{ "Add what the visitor sees after sending" }</button> };
    }
    let remove = {
        let (editor, o) = (editor.clone(), o.clone());
        Callback::from(move |_: MouseEvent| editor.set(&o, None))
    };
    html! {
        <fieldset class="outcome" id={o.to_string()} tabindex="-1">
            <legend>{ "After sending, the visitor sees" }</legend>
            <div class="grid">
                <TextControl path={o.key("heading")} label="Heading" kind={optional} />
                <TextControl path={o.key("message")} label="Message" />
                <TextControl path={o.key("link").key("label")} label="Link text" kind={optional}
                    drop_empty_parent=true />
                <TextControl path={o.key("link").key("url")} label="Link address" kind={optional}
                    drop_empty_parent=true
                    hint="https://…, or {route.booking_url} for the route's booking page" />
            </div>
            <crate::controls::Problems path={o.to_string()} messages={editor.problems(o)} />
            <button type="button" onclick={remove}>{ "Remove what the visitor sees" }</button>
        </fieldset>
    }
}

/// The grades section: in order, the last one the fallback.
#[function_component(Grades)]
pub fn grades() -> Html {
    let editor = use_editor();
    let list = JsonPath::root().key("grades");
    let count = editor.len(&list);
    html! {
        <section aria-labelledby="grades-heading">
            <h2 id="grades-heading">{ "Grades" }</h2>
            <p class="hint">{ "A lead gets the first grade whose condition holds; the last grade has none." }</p>
            <ItemList path={list} noun="grade" names={item_names(&editor.value, "grades")}
                render={grade_item as Render}
                new_item={json!({"id": format!("grade-{}", count + 1), "label": "",
                    "when": {">=": [{"var": "score.total"}, 0]}})} />
        </section>
    }
}

/// The routes section: in order, the first that matches wins.
#[function_component(Routes)]
pub fn routes() -> Html {
    let editor = use_editor();
    let outline = use_outline();
    let list = JsonPath::root().key("routes");
    let names: Vec<String> = (0..editor.len(&list))
        .map(|i| editor.text(&list.index(i).key("to").key("team")))
        .collect();
    html! {
        <section aria-labelledby="routes-heading">
            <h2 id="routes-heading">{ "Routes" }</h2>
            <p class="hint">{ "A lead goes to the first route whose condition holds." }</p>
            <ItemList path={list} noun="route" {names}
                render={route_item as Render}
                new_item={json!({"to": {"team": ""}, "when": {"==": [{"var": "grade"}, outline.0["grades"][0]["id"].clone()]}})} />
        </section>
    }
}

/// Draws one item of its list (see `ItemList::render`).
fn knockout_item(k: &JsonPath, _index: usize) -> Html {
    html! { <>
        <div class="grid">
            <TextControl path={k.key("label")} label="Disqualifier" />
            <TextControl path={k.key("id")} label="Disqualifier id" />
        </div>
        <ConditionEditor path={k.key("when")} label="Disqualifies when" scope={Scope::Lead}
            optional=false />
        <Outcome path={k.key("outcome")} />
    </> }
}

/// Draws one item of its list (see `ItemList::render`).
fn grade_item(g: &JsonPath, _index: usize) -> Html {
    html! { <>
        <div class="grid">
            <TextControl path={g.key("label")} label="Grade" />
            <TextControl path={g.key("id")} label="Grade id" hint="e.g. sql, mql" />
            <TextControl path={g.key("sla_minutes")} label="First touch within (minutes)"
                kind={Kind::Number} />
        </div>
        <ConditionEditor path={g.key("when")} label="Earned when" scope={Scope::Grade}
            absent="Every other lead (the fallback grade)" />
        <Outcome path={g.key("outcome")} />
    </> }
}

/// Draws one item of its list (see `ItemList::render`).
fn route_item(r: &JsonPath, _index: usize) -> Html {
    {
        let to = r.key("to");
        let optional = Kind::Text { required: false };
        html! { <>
            <div class="grid">
                <TextControl path={to.key("team")} label="Team" />
                <TextControl path={to.key("owner")} label="Owner" kind={optional} />
                <TextControl path={to.key("booking_url")} label="Booking page" kind={optional} />
            </div>
            <ConditionEditor path={r.key("when")} label="Takes the lead when" scope={Scope::Route}
                absent="Every other lead" />
            <JsonControl path={r.key("owner_pool")} label="Owner pool (optional)"
                hint={AttrValue::from("Owners who share the leads, e.g. [{\"owner\": \"ana\"}, {\"owner\": \"bo\"}]")} />
        </> }
    }
}
