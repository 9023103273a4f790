//! Where records go, what sales can say back, and the golden leads.

use super::item_names;
use crate::controls::{ItemList, JsonControl, Render, SelectControl, TextControl};
use crate::editor::use_editor;
use crate::path::JsonPath;
use serde_json::json;
use yew::prelude::*;

/// The destinations section.
#[function_component(Destinations)]
pub fn destinations() -> Html {
    let editor = use_editor();
    let list = JsonPath::root().key("destinations");
    let names: Vec<String> = (0..editor.len(&list))
        .map(|i| editor.text(&list.index(i).key("kind")))
        .collect();
    html! {
        <section aria-labelledby="destinations-heading">
            <h2 id="destinations-heading">{ "Destinations" }</h2>
            <ItemList path={list} noun="destination" {names} ordered=false
                render={destination_item as Render}
                new_item={json!({"kind": "webhook", "url": "/api/records"})} />
        </section>
    }
}

/// Properties of [`DestinationBody`].
#[derive(Properties, PartialEq, Clone)]
struct DestinationProps {
    path: JsonPath,
}

/// One destination's controls, by its kind.
#[function_component(DestinationBody)]
fn destination_body(props: &DestinationProps) -> Html {
    let editor = use_editor();
    let d = &props.path;
    let kind = editor.text(&d.key("kind"));
    let kinds = ["webhook", "form_post", "hubspot"]
        .map(|k| (k.to_owned(), k.replace('_', " ")))
        .to_vec();
    html! { <>
        <div class="grid">
            <SelectControl path={d.key("kind")} label="Kind" choices={kinds} />
            if kind == "hubspot" {
                <TextControl path={d.key("portal_id")} label="HubSpot portal id" />
                <TextControl path={d.key("form_guid")} label="HubSpot form GUID" />
            } else {
                <TextControl path={d.key("url")} label="URL" />
            }
            if kind == "webhook" {
                <SelectControl path={d.key("encoding")} label="Encoding" default={"json".to_owned()}
                    choices={vec![("json".into(), "JSON".into()), ("text_plain".into(), "JSON as text/plain (no preflight)".into())]} />
            }
        </div>
        if kind != "webhook" {
            <JsonControl path={d.key("field_map")} label="Field map"
                hint={AttrValue::from("Record path → form field, e.g. {\"answers.email\": \"email\"}")} />
            <JsonControl path={d.key("values")} label="Value translation"
                hint={AttrValue::from("Record path → {value: what to send}, e.g. {\"qualification.grade\": {\"sql\": \"salesqualifiedlead\"}}; an unlisted value sends nothing")} />
        }
        if kind == "form_post" {
            <JsonControl path={d.key("extra")} label="Constant fields" />
        }
        if kind == "webhook" {
            <JsonControl path={d.key("headers")} label="Headers (no secrets: the rulebook is public)" />
        }
    </> }
}

/// Sales feedback reasons.
#[function_component(Reasons)]
pub fn reasons() -> Html {
    let editor = use_editor();
    let list = JsonPath::root().key("feedback").key("reject_reasons");
    let names: Vec<String> = (0..editor.len(&list))
        .map(|i| editor.text(&list.index(i).key("label")))
        .collect();
    let n = editor.len(&list);
    html! {
        <section aria-labelledby="reasons-heading">
            <h2 id="reasons-heading">{ "Why sales rejects a lead" }</h2>
            <ItemList path={list} noun="reason" {names} ordered=false
                render={reason_item as Render}
                new_item={json!({"id": format!("reason-{}", n + 1), "label": ""})} />
        </section>
    }
}

/// The fixtures section: golden leads and what both teams expect of them.
#[function_component(Fixtures)]
pub fn fixtures() -> Html {
    let editor = use_editor();
    let list = JsonPath::root().key("fixtures");
    let n = editor.len(&list);
    html! {
        <section aria-labelledby="fixtures-heading">
            <h2 id="fixtures-heading">{ "Fixtures" }</h2>
            <p class="hint">{ "Golden leads: the studio runs them on every change. \"Keep this lead as a fixture\" in the preview adds one." }</p>
            <ItemList path={list} noun="fixture" names={item_names(&editor.value, "fixtures")} ordered=false
                render={fixture_item as Render}
                new_item={json!({"name": format!("fixture {}", n + 1), "answers": {}, "expect": {}})} />
        </section>
    }
}

/// Draws one item of its list (see `ItemList::render`).
fn destination_item(d: &JsonPath, _index: usize) -> Html {
    html! { <DestinationBody path={d.clone()} /> }
}

/// Draws one item of its list (see `ItemList::render`).
fn reason_item(r: &JsonPath, _index: usize) -> Html {
    html! { <div class="grid">
        <TextControl path={r.key("label")} label="Reason" />
        <TextControl path={r.key("id")} label="Reason id" />
    </div> }
}

/// Draws one item of its list (see `ItemList::render`).
fn fixture_item(f: &JsonPath, _index: usize) -> Html {
    html! { <>
        <TextControl path={f.key("name")} label="Fixture" />
        <SelectControl path={f.key("audience")} label="Audience" default={"form".to_owned()}
            choices={vec![("form".into(), "form".into()), ("call".into(), "call".into())]} />
        <JsonControl path={f.key("answers")} label="Answers" />
        <JsonControl path={f.key("expect")} label="Expected"
            hint={AttrValue::from("Any of status, grade, route, scores, knocked_out_by, missing")} />
        <JsonControl path={f.key("context")} label="Context (optional)"
            hint={AttrValue::from("Where the lead came from, e.g. {\"utm_medium\": \"cpc\"}")} />
    </> }
}
