//! The live preview: the rulebook's questions as the widget draws them
//! (the same `FieldInput` and `FormState` from `accord-web`), for the form
//! or the call, with the qualification beside them. What is typed stays
//! while the rules change, so an edit shows its effect on the same lead.

use crate::path::{Edit, JsonPath};
use accord_core::{explain, Audience, Context, Rulebook};
use accord_web::field::FieldInput;
use accord_web::form_state::FormState;
use serde_json::{json, Map, Value};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Preview`].
#[derive(Properties, PartialEq, Clone)]
pub struct PreviewProps {
    /// The last valid version of the draft.
    pub rulebook: Rc<Rulebook>,
    /// Whether the draft has problems now (the preview then shows the last
    /// valid version, and says so).
    pub stale: bool,
    /// Makes an edit ("Keep as a fixture").
    pub edit: Callback<Edit>,
    /// How many fixtures the draft has (where the new one goes).
    pub fixtures: usize,
}

/// The preview and its qualification panel.
#[function_component(Preview)]
pub fn preview(props: &PreviewProps) -> Html {
    let audience = use_state(|| Audience::Form);
    let answers = use_state(Map::<String, Value>::new);
    let state = FormState::new(
        props.rulebook.clone(),
        Context::default(),
        *audience,
        (*answers).clone(),
    );
    let on_answer = {
        let answers = answers.clone();
        Callback::from(move |(id, value): (String, Value)| {
            let mut next = (*answers).clone();
            if value.is_null() {
                next.remove(&id);
            } else {
                next.insert(id, value);
            }
            answers.set(next);
        })
    };
    let switch = |to: Audience| {
        let audience = audience.clone();
        Callback::from(move |_: MouseEvent| audience.set(to))
    };
    let q = &state.qualification;
    let keep = {
        let (edit, q, answers, audience, n) = (
            props.edit.clone(),
            state.qualification.clone(),
            (*answers).clone(),
            *audience,
            props.fixtures,
        );
        Callback::from(move |_: MouseEvent| {
            let mut expect = json!({"status": q.status, "grade": q.grade, "scores": q.scores});
            if let Some(route) = &q.route {
                expect["route"] = json!({"team": route.team});
            }
            let mut fixture = json!({"name": format!("preview lead {}", n + 1), "answers": answers, "expect": expect});
            if audience == Audience::Call {
                fixture["audience"] = json!("call");
            }
            edit.emit(Edit::Insert(JsonPath::root().key("fixtures"), n, fixture));
        })
    };
    let reset = {
        let answers = answers.clone();
        Callback::from(move |_: MouseEvent| answers.set(Map::new()))
    };
    let fields = state
        .rulebook
        .doc()
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.asked_of(*audience));
    html! {
        <section class="panel preview-panel" aria-labelledby="preview-heading">
            <h2 id="preview-heading">{ "Preview" }</h2>
            <div class="switch" role="group" aria-label="Audience">
                <button type="button" aria-pressed={(*audience == Audience::Form).to_string()}
                    onclick={switch(Audience::Form)}>{ "Form" }</button>
                <button type="button" aria-pressed={(*audience == Audience::Call).to_string()}
                    onclick={switch(Audience::Call)}>{ "Call" }</button>
            </div>
            if props.stale { <p class="note">{ "The draft has problems: this is its last valid version." }</p> }
            <form class="accord-form" onsubmit={|e: SubmitEvent| e.prevent_default()}
                aria-label={format!("Preview of {}", state.rulebook.doc().title)}>
                <h3>{ &state.rulebook.doc().title }</h3>
                { for fields.map(|(i, field)| {
                    let hidden = !state.visible.get(i).copied().unwrap_or(true);
                    html! { <FieldInput key={field.id.clone()} field={Rc::new(field.clone())}
                        value={state.answers.get(&field.id).cloned()}
                        error={None::<String>} on_answer={on_answer.clone()} {hidden} /> }
                }) }
            </form>
            <div class="qualification" aria-live="polite">
                <h3>{ "Qualification" }</h3>
                <p class="grade">{ format!("{} · grade {}", q.status.name(), q.grade) }</p>
                <ul>{ for explain(&state.rulebook, q).iter().map(|l| html! { <li>{ l }</li> }) }</ul>
            </div>
            <div class="condition-tools">
                <button type="button" onclick={keep}>{ "Keep this lead as a fixture" }</button>
                <button type="button" onclick={reset}>{ "Clear the answers" }</button>
            </div>
        </section>
    }
}
