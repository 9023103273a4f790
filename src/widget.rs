//! The embeddable widget: loads the rulebook, then shows the qualification
//! form, or the capture-only form when the rulebook cannot be used.

use crate::capture::CaptureForm;
use crate::config::{Config, RulebookSource};
use crate::form::QualifyForm;
use crate::{bridge, events};
use accord_core::Rulebook;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;
use yew::prelude::*;

/// Properties of [`Widget`].
#[derive(Properties, PartialEq, Clone)]
pub struct WidgetProps {
    /// The embed's configuration.
    pub config: Rc<Config>,
}

/// Where loading the rulebook stands.
#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Ready(Rc<Rulebook>),
    Broken,
}

/// The widget.
#[function_component(Widget)]
pub fn widget(props: &WidgetProps) -> Html {
    let load = use_state(|| Load::Loading);
    {
        let load = load.clone();
        let config = props.config.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match read_rulebook(&config.rulebook).await {
                    Ok(rulebook) => load.set(Load::Ready(Rc::new(rulebook))),
                    Err(message) => {
                        let message = format!("accord: the rulebook cannot be used, showing a capture-only form: {message}");
                        web_sys::console::error_1(&message.as_str().into());
                        events::emit(config.host.as_ref(), "accord:error", &message.into());
                        load.set(Load::Broken);
                    }
                }
            });
            // Send anything an earlier page left in the outbox.
            wasm_bindgen_futures::spawn_local(crate::deliver::drain());
        });
    }
    match &*load {
        Load::Loading => html! {
            <section class="accord loading" aria-busy="true"><p>{ "Loading the form…" }</p></section>
        },
        Load::Ready(rulebook) => html! {
            <QualifyForm rulebook={rulebook.clone()} config={props.config.clone()} />
        },
        Load::Broken => html! { <CaptureForm config={props.config.clone()} /> },
    }
}

/// Fetches (or takes inline), parses and validates the rulebook. The error
/// lists every problem the validator found.
pub async fn read_rulebook(source: &RulebookSource) -> Result<Rulebook, String> {
    let text = match source {
        RulebookSource::Inline(text) => text.clone(),
        RulebookSource::Url(url) => fetch_text(url).await.map_err(|e| format!("{url}: {e}"))?,
        RulebookSource::Missing => return Err("no data-accord-rulebook is set".into()),
    };
    let value = bridge::parse(&text).map_err(|e| format!("not JSON: {e}"))?;
    Rulebook::from_value(&value).map_err(|errors| errors.to_string())
}

/// Fetches `url` and returns its body as text; an HTTP error is an error.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| bridge::describe(&e))?;
    let response: Response = response.dyn_into().map_err(|_| "not a response")?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = response.text().map_err(|e| bridge::describe(&e))?;
    JsFuture::from(text)
        .await
        .map_err(|e| bridge::describe(&e))?
        .as_string()
        .ok_or_else(|| "the body is not text".into())
}
