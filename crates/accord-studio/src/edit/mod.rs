//! The editing forms, one module per part of the rulebook: `basics`
//! (id, version, title …), `fields` (questions and steps), `scores`
//! (scores and criteria), `rules` (knockouts, grades, routes),
//! `enrichment` (what is looked up about a lead) and `delivery`
//! (destinations, sales feedback reasons, fixtures).

mod basics;
mod delivery;
mod enrichment;
mod fields;
mod rules;
mod scores;

use yew::prelude::*;

/// Every part of the rulebook, as forms.
#[function_component(EditView)]
pub fn edit_view() -> Html {
    html! {
        <div class="edit">
            <basics::Basics />
            <fields::Questions />
            <fields::Steps />
            <scores::Scores />
            <rules::Knockouts />
            <rules::Grades />
            <rules::Routes />
            <enrichment::Enrichment />
            <delivery::Destinations />
            <delivery::Reasons />
            <delivery::Fixtures />
        </div>
    }
}

/// The name of list item `i` at `list` in the document: its `label`,
/// `title` or `name`, else its `id`, else empty.
pub fn item_names(doc: &serde_json::Value, list: &str) -> Vec<String> {
    doc[list]
        .as_array()
        .map(|items| items.iter().map(item_name).collect())
        .unwrap_or_default()
}

/// One item's name for people.
pub fn item_name(item: &serde_json::Value) -> String {
    ["label", "title", "name", "id", "value"]
        .iter()
        .find_map(|k| item[*k].as_str().filter(|s| !s.is_empty()))
        .unwrap_or_default()
        .to_owned()
}
