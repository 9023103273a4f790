//! Scores and the criteria that add points to them.

use super::{item_name, item_names};
use crate::condition_editor::{ConditionEditor, Scope};
use crate::controls::{ItemList, Kind, TextControl};
use crate::editor::{use_editor, Editor};
use crate::path::JsonPath;
use serde_json::json;
use yew::prelude::*;

/// The scores section.
#[function_component(Scores)]
pub fn scores() -> Html {
    let editor = use_editor();
    let list = JsonPath::root().key("scores");
    let items: Vec<Html> = (0..editor.len(&list))
        .map(|i| score(&editor, &list.index(i)))
        .collect();
    html! {
        <section aria-labelledby="scores-heading">
            <h2 id="scores-heading">{ "Scores" }</h2>
            <ItemList path={list} noun="score" names={item_names(&editor.doc, "scores")} {items} ordered=false
                new_item={json!({"id": format!("score-{}", editor.len(&JsonPath::root().key("scores")) + 1), "label": "", "criteria": []})} />
        </section>
    }
}

fn score(editor: &Editor, path: &JsonPath) -> Html {
    let criteria = path.key("criteria");
    let count = editor.len(&criteria);
    let names: Vec<String> = (0..count)
        .map(|i| {
            editor
                .get(&criteria.index(i))
                .map(item_name)
                .unwrap_or_default()
        })
        .collect();
    let items: Vec<Html> = (0..count)
        .map(|i| {
            let c = criteria.index(i);
            html! { <>
                <div class="grid">
                    <TextControl path={c.key("label")} label="Criterion" />
                    <TextControl path={c.key("id")} label="Criterion id" />
                    <TextControl path={c.key("points")} label="Points" kind={Kind::Number} />
                </div>
                <ConditionEditor path={c.key("when")} label="Adds its points when" scope={Scope::Lead}
                    optional=false />
            </> }
        })
        .collect();
    let first_field = editor.doc["fields"][0]["id"]
        .as_str()
        .unwrap_or("email")
        .to_owned();
    html! { <>
        <div class="grid">
            <TextControl path={path.key("label")} label="Score" />
            <TextControl path={path.key("id")} label="Score id" />
            <TextControl path={path.key("cap")} label="At most (cap)" kind={Kind::Number} />
        </div>
        <h4>{ "Criteria" }</h4>
        <ItemList path={criteria} noun="criterion" {names} {items} ordered=false level={5}
            new_item={json!({"id": format!("{}-{}", editor.text(&path.key("id")), count + 1), "label": "",
                "points": 10, "when": {"!=": [{"var": first_field}, null]}})} />
    </> }
}
