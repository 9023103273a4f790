//! The same document as JSON, kept in step both ways: an edit anywhere
//! shows here, and JSON typed here applies as soon as it parses.

use crate::controls::{use_json_text, JsonLayout};
use crate::path::Edit;
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`JsonView`].
#[derive(Properties, PartialEq, Clone)]
pub struct JsonViewProps {
    /// The document.
    pub doc: Rc<Value>,
    /// Makes an edit.
    pub edit: Callback<Edit>,
}

/// The JSON text of the draft.
#[function_component(JsonView)]
pub fn json_view(props: &JsonViewProps) -> Html {
    let apply = {
        let edit = props.edit.clone();
        // An emptied box is not a document: it stays as typed, unapplied.
        Callback::from(move |doc: Option<Value>| {
            if let Some(doc) = doc {
                edit.emit(Edit::Replace(doc));
            }
        })
    };
    let json = use_json_text(Some((*props.doc).clone()), JsonLayout::Pretty, apply);
    let (text, error, oninput) = (json.text, json.error, json.oninput);
    html! {
        <section aria-labelledby="json-heading">
            <h2 id="json-heading">{ "JSON" }</h2>
            <label for="json-text">{ "The rulebook as JSON (applies as soon as it is JSON)" }</label>
            <textarea id="json-text" class="json-text" value={text} {oninput} spellcheck="false"
                aria-describedby={error.is_some().then_some("json-error")}
                aria-invalid={error.is_some().then_some("true")} />
            if let Some(e) = &error { <p class="problems-at" id="json-error" role="status">{ e }</p> }
        </section>
    }
}
