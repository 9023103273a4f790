//! Scores and the criteria that add points to them.

use super::{item_name, item_names};
use crate::condition_editor::{ConditionEditor, Scope};
use crate::controls::{ItemList, Kind, Render, TextControl};
use crate::editor::{use_editor, use_outline};
use crate::path::JsonPath;
use serde_json::json;
use yew::prelude::*;

/// The scores section.
#[function_component(Scores)]
pub fn scores() -> Html {
    let editor = use_editor();
    let list = JsonPath::root().key("scores");
    let n = editor.len(&list);
    html! {
        <section aria-labelledby="scores-heading">
            <h2 id="scores-heading">{ "Scores" }</h2>
            <ItemList path={list} noun="score" names={item_names(&editor.value, "scores")} ordered=false
                render={score_item as Render}
                new_item={json!({"id": format!("score-{}", n + 1), "label": "", "criteria": []})} />
        </section>
    }
}

/// Properties of [`ScoreBody`].
#[derive(Properties, PartialEq, Clone)]
struct ScoreProps {
    path: JsonPath,
}

/// One score's controls and its criteria.
#[function_component(ScoreBody)]
fn score_body(props: &ScoreProps) -> Html {
    let editor = use_editor();
    let outline = use_outline();
    let path = &props.path;
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
    let first_field = outline.0["fields"][0]["id"]
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
        <ItemList path={criteria} noun="criterion" {names} ordered=false level={5}
            render={criterion_item as Render}
            new_item={json!({"id": format!("{}-{}", editor.text(&path.key("id")), count + 1), "label": "",
                "points": 10, "when": {"!=": [{"var": first_field}, null]}})} />
    </> }
}

/// Draws one item of its list (see `ItemList::render`).
fn score_item(path: &JsonPath, _index: usize) -> Html {
    html! { <ScoreBody path={path.clone()} /> }
}

/// Draws one item of its list (see `ItemList::render`).
fn criterion_item(c: &JsonPath, _index: usize) -> Html {
    html! { <>
        <div class="grid">
            <TextControl path={c.key("label")} label="Criterion" />
            <TextControl path={c.key("id")} label="Criterion id" />
            <TextControl path={c.key("points")} label="Points" kind={Kind::Number} />
        </div>
        <ConditionEditor path={c.key("when")} label="Adds its points when" scope={Scope::Lead}
            optional=false />
    </> }
}
