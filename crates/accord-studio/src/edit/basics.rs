//! The rulebook's own details: id, version, title, description, language
//! and the failure report endpoint.

use crate::controls::{JsonControl, Kind, TextControl};
use crate::path::JsonPath;
use yew::prelude::*;

/// The basics section.
#[function_component(Basics)]
pub fn basics() -> Html {
    let top = JsonPath::root();
    let optional = Kind::Text { required: false };
    html! {
        <section aria-labelledby="basics-heading">
            <h2 id="basics-heading">{ "Basics" }</h2>
            <div class="grid">
                <TextControl path={top.key("title")} label="Title (the form's heading)" />
                <TextControl path={top.key("id")} label="Rulebook id"
                    hint="Letters, digits, - and _. Records carry it." />
                <TextControl path={top.key("version")} label="Version"
                    hint="Set when you publish." />
                <TextControl path={top.key("locale")} label="Language (e.g. de, pt-BR)" kind={optional} />
            </div>
            <TextControl path={top.key("description")} label="Description (under the heading)"
                kind={optional} multiline=true />
            <TextControl path={top.key("report_endpoint")} label="Failure report endpoint"
                kind={optional} hint="Where a refused record is reported, e.g. /api/failures." />
            <JsonControl path={top.key("strings")} label="The widget's own words, replaced (optional)"
                hint={AttrValue::from("By id, e.g. {\"send\": \"Request my demo\"} (docs/embedding.md, Languages)")} />
        </section>
    }
}
