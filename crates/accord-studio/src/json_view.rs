//! The same document as JSON, kept in step both ways: an edit anywhere
//! shows here, and JSON typed here applies as soon as it parses.

use crate::path::Edit;
use serde_json::Value;
use std::rc::Rc;
use web_sys::HtmlTextAreaElement;
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
    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
    let text = use_state(|| pretty(&props.doc));
    let error = use_state(|| None::<String>);
    {
        // Rewrite the text only when the document changed elsewhere, so
        // the caret stays where it is while typing.
        let (text, error) = (text.clone(), error.clone());
        use_effect_with(props.doc.clone(), move |doc| {
            if serde_json::from_str::<Value>(&text).ok().as_ref() != Some(&**doc) {
                text.set(serde_json::to_string_pretty(&**doc).unwrap_or_default());
                error.set(None);
            }
        });
    }
    let oninput = {
        let (text, error, edit) = (text.clone(), error.clone(), props.edit.clone());
        Callback::from(move |e: InputEvent| {
            let typed = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            match serde_json::from_str::<Value>(&typed) {
                Ok(doc) => {
                    error.set(None);
                    edit.emit(Edit::Replace(doc));
                }
                Err(e) => error.set(Some(format!("Not applied, not JSON yet: {e}"))),
            }
            text.set(typed);
        })
    };
    html! {
        <section aria-labelledby="json-heading">
            <h2 id="json-heading">{ "JSON" }</h2>
            <label for="json-text">{ "The rulebook as JSON (applies as soon as it is JSON)" }</label>
            <textarea id="json-text" class="json-text" value={(*text).clone()} {oninput} spellcheck="false"
                aria-describedby={error.is_some().then_some("json-error")}
                aria-invalid={error.is_some().then_some("true")} />
            if let Some(e) = &*error { <p class="problems-at" id="json-error" role="status">{ e }</p> }
        </section>
    }
}
