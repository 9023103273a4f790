//! Enrichment: the attributes the rules read as `enriched.<id>`, and the
//! providers that fill them (docs/rulebook.md, "Enrichment").

use super::fields::Options;
use super::item_name;
use crate::controls::{ItemList, JsonControl, Kind, Render, SelectControl, TextControl};
use crate::editor::use_editor;
use crate::path::JsonPath;
use accord_core::{Attribute, ProviderKind};
use serde_json::json;
use yew::prelude::*;

/// The enrichment section.
#[function_component(Enrichment)]
pub fn enrichment() -> Html {
    let editor = use_editor();
    let root = JsonPath::root().key("enrichment");
    let (attributes, providers) = (root.key("attributes"), root.key("providers"));
    // Each item's name for people: its label, else its id.
    let names = |list: &JsonPath| -> Vec<String> {
        (0..editor.len(list))
            .map(|i| {
                editor
                    .get(&list.index(i))
                    .map(item_name)
                    .unwrap_or_default()
            })
            .collect()
    };
    let (n, m) = (editor.len(&attributes), editor.len(&providers));
    html! {
        <section aria-labelledby="enrichment-heading">
            <h2 id="enrichment-heading">{ "Enrichment" }</h2>
            <p class="hint">{ "What is looked up about a lead besides its answers. Conditions read an attribute as \"Enriched: …\"; a question can be skipped when enrichment answers it (its \"Answered by enrichment\" box)." }</p>
            <h3>{ "Attributes" }</h3>
            <ItemList path={attributes.clone()} noun="attribute" names={names(&attributes)}
                ordered=false render={attribute_item as Render}
                new_item={json!({"id": format!("attribute_{}", n + 1), "label": "", "type": "text"})} />
            <h3>{ "Providers" }</h3>
            <ItemList path={providers.clone()} noun="provider" names={names(&providers)}
                render={provider_item as Render}
                new_item={json!({"id": format!("provider-{}", m + 1), "kind": "http",
                    "url": "https://", "map": {}})} />
        </section>
    }
}

/// Properties of an item's body.
#[derive(Properties, PartialEq, Clone)]
struct ItemProps {
    path: JsonPath,
}

/// One attribute's controls.
#[function_component(AttributeBody)]
fn attribute_body(props: &ItemProps) -> Html {
    let editor = use_editor();
    let path = &props.path;
    let types = Attribute::KINDS
        .iter()
        .map(|k| (k.name().to_owned(), k.name().replace('_', " ")))
        .collect::<Vec<_>>();
    let choice = editor.text(&path.key("type")) == "choice";
    html! { <>
        <div class="grid">
            <TextControl path={path.key("label")} label="Attribute" />
            <TextControl path={path.key("id")} label="Attribute id" hint="Conditions read it as enriched.<id>." />
            <SelectControl path={path.key("type")} label="Value type" choices={types} />
        </div>
        if choice || editor.get(&path.key("options")).is_some() {
            <Options path={path.key("options")} />
        }
    </> }
}

/// One provider's controls, by its kind.
#[function_component(ProviderBody)]
fn provider_body(props: &ItemProps) -> Html {
    let editor = use_editor();
    let path = &props.path;
    let kinds = ProviderKind::NAMES
        .iter()
        .map(|(_, n)| (n.to_string(), n.replace('_', " ")))
        .collect::<Vec<_>>();
    let http = editor.text(&path.key("kind")) == ProviderKind::Http.name();
    let has = |key: &str| editor.get(&path.key(key)).is_some();
    let hint = if http {
        "Attribute id → a JSON Pointer into the answer, e.g. {\"employees\": \"/employees\"}"
    } else {
        "Attribute id → free_mail, disposable_email, role_address (yes/no) or phone_country (text)"
    };
    html! { <>
        <div class="grid">
            <TextControl path={path.key("id")} label="Provider id" hint="Records name it as a value's source." />
            <SelectControl path={path.key("kind")} label="Kind" choices={kinds} />
            if http || has("url") {
                <TextControl path={path.key("url")} label="Lookup URL"
                    hint="e.g. https://enrich.example.com/v1/company?domain={derived.email_domain}; no secrets: the rulebook is public" />
            }
            if http || has("timeout_ms") {
                <TextControl path={path.key("timeout_ms")} label="Timeout (ms)" kind={Kind::Number}
                    hint="1500 when empty" />
            }
        </div>
        <JsonControl path={path.key("map")} label="Map" hint={AttrValue::from(hint)} />
    </> }
}

/// Draws one item of its list (see `ItemList::render`).
fn attribute_item(path: &JsonPath, _index: usize) -> Html {
    html! { <AttributeBody path={path.clone()} /> }
}

/// Draws one item of its list (see `ItemList::render`).
fn provider_item(path: &JsonPath, _index: usize) -> Html {
    html! { <ProviderBody path={path.clone()} /> }
}
