//! Opening a rulebook: a template from the catalogue, a blank one, a file
//! (picker or drop), or a URL.

use accord_web::load::fetch_text;
use serde_json::{json, Value};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{DragEvent, File, HtmlInputElement};
use yew::prelude::*;

/// The largest rulebook file the studio opens.
pub const MAX_FILE_BYTES: f64 = 2.0 * 1024.0 * 1024.0;

/// Properties of [`Start`].
#[derive(Properties, PartialEq, Clone)]
pub struct StartProps {
    /// The catalogue of templates (`static/rulebooks.json`).
    pub catalogue: AttrValue,
    /// Called with an opened document and where it came from.
    pub on_open: Callback<(Value, String)>,
}

/// A blank rulebook: one question, two grades.
pub fn blank() -> Value {
    json!({
        "accord": 1, "id": "new-rulebook", "version": "0.1", "title": "Talk to us",
        "fields": [{"id": "email", "label": "Work email", "type": "email", "required": true}],
        "grades": [{"id": "lead", "label": "Lead"}]
    })
}

/// The start page.
#[function_component(Start)]
pub fn start(props: &StartProps) -> Html {
    let templates = use_state(Vec::<(String, String)>::new);
    let message = use_state(String::new);
    {
        let (templates, message, url) = (
            templates.clone(),
            message.clone(),
            props.catalogue.to_string(),
        );
        use_effect_with((), move |_| {
            spawn_local(async move {
                match fetch_text(&url)
                    .await
                    .and_then(|t| serde_json::from_str::<Value>(&t).map_err(|e| e.to_string()))
                {
                    Ok(Value::Array(list)) => templates.set(
                        list.iter()
                            .filter_map(|e| {
                                Some((e["id"].as_str()?.to_owned(), e["url"].as_str()?.to_owned()))
                            })
                            .collect(),
                    ),
                    Ok(_) => message.set("The template catalogue is not a list.".into()),
                    Err(e) => message.set(format!("The template catalogue could not be read: {e}")),
                }
            });
        });
    }
    let open_text = {
        let (on_open, message) = (props.on_open.clone(), message.clone());
        Callback::from(move |(text, source): (String, String)| {
            match serde_json::from_str::<Value>(&text) {
                Ok(doc @ Value::Object(_)) => on_open.emit((doc, source)),
                Ok(_) => message.set(format!(
                    "{source} is JSON but not a rulebook (not an object)."
                )),
                Err(e) => message.set(format!("{source} is not JSON: {e}")),
            }
        })
    };
    let open_url = {
        let (open_text, message) = (open_text.clone(), message.clone());
        move |url: String| {
            let (open_text, message) = (open_text.clone(), message.clone());
            spawn_local(async move {
                match fetch_text(&url).await {
                    Ok(text) => open_text.emit((text, url)),
                    Err(e) => message.set(format!("{url} could not be read: {e}")),
                }
            });
        }
    };
    let open_file = {
        let (open_text, message) = (open_text.clone(), message.clone());
        move |file: File| {
            let (open_text, message) = (open_text.clone(), message.clone());
            if file.size() > MAX_FILE_BYTES {
                message.set(format!(
                    "{} is larger than 2 MB: not a rulebook.",
                    file.name()
                ));
                return;
            }
            spawn_local(async move {
                match JsFuture::from(file.text()).await {
                    Ok(text) => open_text.emit((text.as_string().unwrap_or_default(), file.name())),
                    Err(e) => message.set(format!(
                        "{} could not be read: {}",
                        file.name(),
                        accord_web::bridge::describe(&e)
                    )),
                }
            });
        }
    };
    let on_pick = {
        let open_file = open_file.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                open_file(file);
            }
        })
    };
    let on_drop = {
        let open_file = open_file.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                open_file(file);
            }
        })
    };
    let url_input = use_node_ref();
    let on_url = {
        let (url_input, open_url) = (url_input.clone(), open_url.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = url_input.cast::<HtmlInputElement>() {
                let url = input.value().trim().to_owned();
                if !url.is_empty() {
                    open_url(url);
                }
            }
        })
    };
    let on_blank = {
        let on_open = props.on_open.clone();
        Callback::from(move |_: MouseEvent| on_open.emit((blank(), "a blank rulebook".into())))
    };
    html! {
        <section class="start" aria-labelledby="start-heading"
            ondragover={|e: DragEvent| e.prevent_default()} ondrop={on_drop}>
            <h2 id="start-heading" tabindex="-1">{ "Open a rulebook" }</h2>
            <div class="start-grid">
                <div class="panel">
                    <h3>{ "Start from a template" }</h3>
                    <ul class="templates">
                        { for templates.iter().map(|(id, url)| {
                            let (open_url, url) = (open_url.clone(), url.clone());
                            let onclick = Callback::from(move |_: MouseEvent| open_url(url.clone()));
                            html! { <li><button type="button" {onclick}>{ format!("Start from {id}") }</button></li> }
                        }) }
                        <li><button type="button" onclick={on_blank}>{ "Start from a blank rulebook" }</button></li>
                    </ul>
                </div>
                <div class="panel">
                    <h3>{ "Open a file" }</h3>
                    <label for="open-file">{ "Rulebook file (.json), or drop it on this page" }</label>
                    <input id="open-file" type="file" accept=".json,application/json" onchange={on_pick} />
                </div>
                <form class="panel" onsubmit={on_url}>
                    <h3>{ "Open from a URL" }</h3>
                    <label for="open-url">{ "Rulebook URL" }</label>
                    <input id="open-url" type="url" ref={url_input} placeholder="https://…/rulebook.json" />
                    <button type="submit">{ "Open" }</button>
                </form>
            </div>
            <p role="status" class="status">{ (*message).clone() }</p>
        </section>
    }
}
