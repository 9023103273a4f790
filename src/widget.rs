//! The embeddable widget: loads the rulebook, then shows the qualification
//! form, or the capture-only form when the rulebook cannot be used.

use crate::capture::CaptureForm;
use crate::config::Config;
use crate::form::QualifyForm;
use accord_core::Rulebook;
use accord_web::load::read_rulebook;
use accord_web::{events, outbox};
use std::rc::Rc;
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
    /// The rulebook cannot be used, and why.
    Broken(AttrValue),
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
                        events::emit(
                            config.host.as_ref(),
                            "accord:error",
                            &message.as_str().into(),
                        );
                        load.set(Load::Broken(message.into()));
                    }
                }
            });
            // Send anything an earlier page left in the outbox.
            wasm_bindgen_futures::spawn_local(outbox::drain());
        });
    }
    match &*load {
        Load::Loading => html! {
            <section class="accord loading" aria-busy="true"><p>{ "Loading the form…" }</p></section>
        },
        Load::Ready(rulebook) => html! {
            <QualifyForm rulebook={rulebook.clone()} config={props.config.clone()} />
        },
        Load::Broken(problem) => html! {
            <CaptureForm config={props.config.clone()} problem={problem.clone()} />
        },
    }
}
