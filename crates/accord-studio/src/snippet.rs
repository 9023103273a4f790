//! The snippet for the landing page, offered once a version is published
//! to an inbox: the inbox prerenders the form's first step into it
//! (`POST /api/embed`, as `accord embed` does), so visitors can type before
//! any script runs (docs/embedding.md, "Prerendered form"). Without an
//! inbox, it says which `accord embed` command makes it.

use crate::agreement::typed;
use crate::page;
use serde_json::{json, Value};
use yew::prelude::*;

/// Properties of [`SnippetForm`].
#[derive(Properties, PartialEq, Clone)]
pub struct SnippetProps {
    /// The rulebook's id.
    pub id: AttrValue,
    /// The version the snippet is for (the inbox must have it).
    pub version: AttrValue,
    /// The publish form's inbox address field (`/api/rulebooks`).
    pub inbox: NodeRef,
    /// The publish form's token field.
    pub token: NodeRef,
}

/// Where the inbox makes snippets, from where it takes rulebooks.
fn embed_address(inbox: &str) -> Option<String> {
    inbox
        .strip_suffix("/api/rulebooks")
        .map(|base| format!("{base}/api/embed"))
}

/// The form that asks the inbox for the snippet, and the snippet.
#[function_component(SnippetForm)]
pub fn snippet_form(props: &SnippetProps) -> Html {
    let url = use_node_ref();
    let endpoint = use_node_ref();
    let loader = use_node_ref();
    let assets = use_node_ref();
    let snippet = use_state(String::new);
    let message = use_state(String::new);
    let onsubmit = {
        let (url, endpoint) = (url.clone(), endpoint.clone());
        let (loader, assets) = (loader.clone(), assets.clone());
        let (snippet, message, props) = (snippet.clone(), message.clone(), props.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let inbox = typed(&props.inbox);
            let Some(address) = embed_address(&inbox) else {
                // The same options, for the command line.
                let mut command = format!(
                    "accord embed {}-{}.json --rulebook-url {}",
                    props.id,
                    props.version,
                    typed(&url)
                );
                for (option, field) in [
                    ("endpoint", &endpoint),
                    ("loader", &loader),
                    ("assets", &assets),
                ] {
                    let value = typed(field);
                    if !value.is_empty() {
                        command += &format!(" --{option} {value}");
                    }
                }
                message.set(format!(
                    "The snippet comes from an inbox (its address ends in /api/rulebooks). Without one, run: {command}"
                ));
                return;
            };
            let body = json!({
                "id": props.id.as_str(), "version": props.version.as_str(),
                "rulebook_url": typed(&url), "endpoint": typed(&endpoint), "loader": typed(&loader),
                "assets": typed(&assets),
            })
            .to_string();
            let token = typed(&props.token);
            let (snippet, message) = (snippet.clone(), message.clone());
            message.set("Asking the inbox for the snippet…".into());
            wasm_bindgen_futures::spawn_local(async move {
                let token = (!token.is_empty()).then_some(token.as_str());
                match page::post_json(&address, &body, token).await {
                    Ok((200, answer)) => {
                        let text = serde_json::from_str::<Value>(&answer)
                            .ok()
                            .and_then(|v| v["snippet"].as_str().map(str::to_owned))
                            .unwrap_or_default();
                        snippet.set(text);
                        message.set("The snippet is ready: paste it where the form goes.".into());
                    }
                    Ok((status, answer)) => {
                        let why = serde_json::from_str::<Value>(&answer)
                            .ok()
                            .and_then(|v| v["error"].as_str().map(str::to_owned))
                            .unwrap_or(answer);
                        message.set(format!("No snippet: the inbox said (HTTP {status}): {why}"));
                    }
                    Err(e) => {
                        message.set(format!("No snippet: the inbox could not be reached: {e}"))
                    }
                }
            });
        })
    };
    let default_url = format!("/rulebooks/{}-{}.json", props.id, props.version);
    html! { <>
        <h3>{ "Snippet for the landing page" }</h3>
        <p>{ format!("For version {}, once it is published to the inbox: the form's first step is in the page, so visitors can type before any script has run, and send it with scripts blocked.", props.version) }</p>
        <form class="snippet" {onsubmit}>
            <div class="grid">
                <div class="control">
                    <label for="snippet-url">{ "Where the site serves the rulebook" }</label>
                    <input id="snippet-url" ref={url} value={default_url} />
                </div>
                <div class="control">
                    <label for="snippet-endpoint">{ "Where records go" }</label>
                    <input id="snippet-endpoint" ref={endpoint} value="/api/records" />
                </div>
                <div class="control">
                    <label for="snippet-loader">{ "The widget's loader" }</label>
                    <input id="snippet-loader" ref={loader} value="/accord-loader.js" />
                </div>
                <div class="control">
                    <label for="snippet-assets">{ "The widget's files, if not accord/ beside the loader" }</label>
                    <input id="snippet-assets" ref={assets} aria-describedby="snippet-assets-hint" />
                    <p class="hint" id="snippet-assets-hint">{ "For a release: its manifest.json's assets, e.g. accord/5ffa275da8/" }</p>
                </div>
            </div>
            <button type="submit">{ "Make the snippet" }</button>
        </form>
        <p role="status" class="status">{ (*message).clone() }</p>
        if !snippet.is_empty() {
            <div class="control">
                <label for="snippet-text">{ "Snippet to paste" }</label>
                <textarea id="snippet-text" readonly=true rows="6" value={(*snippet).clone()} />
            </div>
        }
    </> }
}
