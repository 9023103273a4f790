//! What the visitor sees after submitting.

use accord_core::{Outcome, Strings};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`OutcomeView`].
#[derive(Properties, PartialEq, Clone)]
pub struct OutcomeProps {
    /// The outcome to show (text, never HTML).
    pub outcome: Outcome,
    /// The delivery status line, e.g. "Sent." or "Saved; we will retry.".
    #[prop_or_default]
    pub status: AttrValue,
    /// The visitor's language.
    pub strings: Rc<Strings>,
}

/// The outcome panel. Its heading takes focus when it appears, so keyboard
/// and screen-reader users land on it.
#[function_component(OutcomeView)]
pub fn outcome_view(props: &OutcomeProps) -> Html {
    let strings = &props.strings;
    let o = &props.outcome;
    let heading = o
        .heading
        .clone()
        .unwrap_or_else(|| strings.get("thank_you").into());
    html! {
        <div class="outcome">
            <h3 id="accord-outcome" tabindex="-1">{ heading }</h3>
            <p>{ &o.message }</p>
            if let Some(link) = &o.link {
                <p><a class="button" href={link.url.clone()} target="_blank" rel="noopener noreferrer">{ &link.label }</a></p>
            }
            // Always present, so screen readers hear it change.
            <p class="delivery" role="status" aria-live="polite">{ props.status.clone() }</p>
        </div>
    }
}

/// The outcome used when the rulebook defines none for a result.
pub fn default_outcome(strings: &Strings) -> Outcome {
    Outcome {
        heading: Some(strings.get("thank_you").into()),
        message: strings.get("received_request").into(),
        link: None,
    }
}
