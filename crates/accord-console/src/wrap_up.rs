//! The end of a call: the clock, the rep, notes, how the call ended, and
//! Save. Every control writes to the call's reducer.

use crate::call_state::{CallAction, CallState, DISPOSITIONS};
use crate::words::t;
use accord_web::page;
use gloo_timers::callback::Interval;
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Properties of [`WrapUp`].
#[derive(Properties, PartialEq, Clone)]
pub struct WrapUpProps {
    /// The call's state.
    pub state: UseReducerHandle<CallState>,
    /// Save was pressed.
    pub on_save: Callback<()>,
}

/// The call details and Save.
#[function_component(WrapUp)]
pub fn wrap_up(props: &WrapUpProps) -> Html {
    let state = &props.state;
    // Redraw the clock every second while it runs.
    let tick = use_state(|| 0u32);
    {
        let tick = tick.clone();
        use_effect_with(state.timer.running_since.is_some(), move |running| {
            let interval =
                running.then(|| Interval::new(1_000, move || tick.set(page::now_ms() as u32)));
            move || drop(interval)
        });
    }
    let dispatch = |make: fn(String) -> CallAction| {
        let state = state.clone();
        move |value: String| state.dispatch(make(value))
    };
    let toggle_timer = {
        let state = state.clone();
        Callback::from(move |_| {
            state.dispatch(CallAction::ToggleTimer {
                now: page::now_ms(),
            })
        })
    };
    let on_rep = crate::memory::on_input(crate::memory::REP, dispatch(CallAction::Rep));
    let on_notes = {
        let set = dispatch(CallAction::Notes);
        Callback::from(move |e: InputEvent| {
            set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let on_disposition = {
        let set = dispatch(CallAction::Disposition);
        Callback::from(move |e: Event| set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_save = {
        let on_save = props.on_save.clone();
        Callback::from(move |_: MouseEvent| on_save.emit(()))
    };
    let elapsed = state.timer.elapsed_seconds(page::now_ms());
    html! {
        <section class="wrap-up" aria-label={t("Call details")}>
            <div class="timer">
                <span>{ t("Call time ") }</span>
                <time class="clock" aria-live="off">{ format!("{:02}:{:02}", elapsed / 60, elapsed % 60) }</time>
                <button type="button" class="secondary" onclick={toggle_timer}
                        aria-keyshortcuts="Alt+T" title="Alt+T">
                    { if state.timer.running_since.is_some() { t("Stop timer") } else { t("Start timer") } }
                </button>
            </div>
            <label for="rep-name">{ t("Rep") }</label>
            <input id="rep-name" type="text" autocomplete="name" value={state.rep.clone()} oninput={on_rep} />
            <label for="call-notes">{ t("Notes") }</label>
            <textarea id="call-notes" rows="4" value={state.notes.clone()} oninput={on_notes} />
            <label for="call-disposition">{ t("Disposition") }</label>
            <select id="call-disposition" onchange={on_disposition}>
                <option value="" selected={state.disposition.is_empty()}>{ t("Choose…") }</option>
                { for DISPOSITIONS.iter().map(|(value, label)| html! {
                    <option value={*value} selected={state.disposition == *value}>{ t(label) }</option>
                }) }
            </select>
            // The live region is a plain container: `alert` is not a role a
            // list may take.
            <div role="alert">
                if !state.problems.is_empty() {
                    <ul class="problems">
                        { for state.problems.iter().map(|p| html! { <li>{ p }</li> }) }
                    </ul>
                }
            </div>
            <button type="button" onclick={on_save} aria-keyshortcuts="Alt+S" title="Alt+S">{ t("Save call") }</button>
        </section>
    }
}
