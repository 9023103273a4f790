//! The call's questions: one at a time with Previous and Next, or all at
//! once. Each answer goes to the call's reducer, which re-runs the engine.

use crate::call_state::{CallAction, CallState};
use crate::words::{t, tf};
use accord_web::field::FieldInput;
use accord_web::page;
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Questions`].
#[derive(Properties, PartialEq, Clone)]
pub struct QuestionsProps {
    /// The call's state.
    pub state: UseReducerHandle<CallState>,
    /// Called with the position of the question to show (and focus).
    pub on_go: Callback<usize>,
}

/// The questions of one call.
#[function_component(Questions)]
pub fn questions(props: &QuestionsProps) -> Html {
    let state = &props.state;
    let form = &state.form;
    let questions = state.questions();
    let at = state.at();
    let on_answer = {
        let state = state.clone();
        Callback::from(move |(field, value): (String, Value)| {
            state.dispatch(CallAction::Answer {
                field,
                value,
                now: page::now_ms(),
            })
        })
    };
    let field_view = |i: usize| {
        let field = form.field(i);
        html! {
            <FieldInput key={field.id.clone()} field={Rc::new(field.clone())}
                value={form.answers.get(&field.id).cloned()}
                error={form.message(field, &accord_core::Strings::default())}
                on_answer={on_answer.clone()} />
        }
    };
    if !state.one_at_a_time {
        return html! {
            <form class="script all" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                { for questions.iter().map(|i| field_view(*i)) }
            </form>
        };
    }
    let next = {
        let on_go = props.on_go.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_go.emit(at + 1)
        })
    };
    let previous = {
        let on_go = props.on_go.clone();
        Callback::from(move |_: MouseEvent| on_go.emit(at.saturating_sub(1)))
    };
    html! {
        <form class="script one" onsubmit={next}>
            <p class="progress">{ tf("Question {n} of {total}", &[("n", &(at + 1).to_string()), ("total", &questions.len().to_string())]) }</p>
            { for questions.get(at).map(|i| field_view(*i)) }
            <div class="actions">
                <button type="button" class="secondary" onclick={previous} disabled={at == 0}
                        aria-keyshortcuts="Alt+P" title="Alt+P">{ t("Previous question") }</button>
                <button type="submit" disabled={at + 1 >= questions.len()}
                        aria-keyshortcuts="Alt+N" title="Alt+N">{ t("Next question") }</button>
            </div>
        </form>
    }
}
