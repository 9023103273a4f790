//! The qualification form component.

use yew::prelude::*;

/// What the host page configured for one widget.
#[derive(Properties, PartialEq, Clone)]
pub struct WidgetProps {
    /// URL of the rulebook this widget runs.
    pub rulebook_url: AttrValue,
}

/// The embeddable form. For now a placeholder that shows which rulebook it
/// will run; the form itself renders from the rulebook's fields.
#[function_component(Widget)]
pub fn widget(props: &WidgetProps) -> Html {
    html! {
        <section class="accord" aria-labelledby="accord-title">
            <h2 id="accord-title">{ "Talk to our team" }</h2>
            <p class="accord-rulebook">{ format!("Rulebook: {}", props.rulebook_url) }</p>
        </section>
    }
}
