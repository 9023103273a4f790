//! The open lead: its answers and why it got its grade, and the rep's
//! verdict on it (accept, or reject with a reason from its rulebook).

use crate::feedback_state::{FeedbackAction, FeedbackState, Open};
use crate::words::{t, tf};
use accord_core::Verdict;
use serde_json::Value;
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Properties of [`LeadDetail`].
#[derive(Properties, PartialEq, Clone)]
pub struct LeadDetailProps {
    /// The feedback view's state (with a lead open).
    pub state: UseReducerHandle<FeedbackState>,
    /// The rep gave this verdict.
    pub on_verdict: Callback<Verdict>,
    /// The rep wants to call this lead (a call that follows it up).
    pub on_call: Callback<Open>,
}

/// The open lead and the verdict form.
#[function_component(LeadDetail)]
pub fn lead_detail(props: &LeadDetailProps) -> Html {
    let state = &props.state;
    let Some(open) = &state.open else {
        return html! {};
    };
    let lead = &open.lead;
    let reasons = open
        .rulebook
        .as_ref()
        .and_then(|rb| rb.doc().feedback.clone())
        .map(|f| f.reject_reasons)
        .unwrap_or_default();
    let verdict = |v: Verdict| {
        let on_verdict = props.on_verdict.clone();
        Callback::from(move |_: MouseEvent| on_verdict.emit(v))
    };
    let dispatch = |make: fn(String) -> FeedbackAction| {
        let state = state.clone();
        move |value: String| state.dispatch(make(value))
    };
    let on_rep = crate::memory::on_input(crate::memory::REP, dispatch(FeedbackAction::Rep));
    let on_reason = {
        let set = dispatch(FeedbackAction::Reason);
        Callback::from(move |e: Event| set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_note = {
        let set = dispatch(FeedbackAction::Note);
        Callback::from(move |e: InputEvent| {
            set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let call = {
        let (on_call, open) = (props.on_call.clone(), open.clone());
        Callback::from(move |_: MouseEvent| on_call.emit(open.clone()))
    };
    let answers = lead.answers.iter().map(|(k, v)| {
        let text = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        html! { <tr><th scope="row">{ k.clone() }</th><td>{ text }</td></tr> }
    });
    let q = &lead.qualification;
    // What the record claims is checked with the engine before a rep
    // judges it.
    let check = match &open.rulebook {
        Some(rb) => {
            let found = accord_core::verify_record(rb, lead);
            if found.is_empty() {
                html! { <p class="verified">{ tf("Verified against {rulebook} {version}.", &[("rulebook", &rb.reference().id), ("version", &rb.reference().version)]) }</p> }
            } else {
                let what: Vec<String> = found
                    .iter()
                    .map(|d| {
                        tf(
                            "{what}: recorded {recorded}, recomputed {recomputed}",
                            &[
                                ("what", &d.what),
                                ("recorded", &d.recorded),
                                ("recomputed", &d.recomputed),
                            ],
                        )
                    })
                    .collect();
                html! { <p class="problems" role="alert">{ tf("This record does not match its rulebook: {differences}.", &[("differences", &what.join("; "))]) }</p> }
            }
        }
        None => html! { <p>{ t("Not verified: this lead's rulebook is not available here.") }</p> },
    };
    html! {
        <section class="lead" aria-labelledby="lead-title">
            <h3 id="lead-title" tabindex="-1">{ tf("Lead: {who}", &[("who", &crate::calls::who(lead))]) }</h3>
            <p>{ tf("Grade {grade} · total {total} · rulebook {rulebook} {version}", &[
                ("grade", &q.grade),
                ("total", &q.scores.get("total").copied().unwrap_or(0).to_string()),
                ("rulebook", &lead.rulebook.id),
                ("version", &lead.rulebook.version),
            ]) }</p>
            { check }
            <button type="button" class="secondary" onclick={call}>{ t("Call this lead") }</button>
            <table aria-label={t("Answers")}><tbody>{ for answers }</tbody></table>
            <ul aria-label={t("Why this grade")}>
                { for q.contributions.iter().map(|c| html! { <li>{ format!("{:+} {}", c.points, c.label) }</li> }) }
            </ul>
            <label for="feedback-rep">{ t("Rep") }</label>
            <input id="feedback-rep" type="text" value={state.rep.clone()} oninput={on_rep} />
            <label for="feedback-reason">{ t("Reason for rejecting") }</label>
            <select id="feedback-reason" onchange={on_reason}>
                <option value="" selected={state.reason.is_empty()}>{ t("Choose…") }</option>
                { for reasons.iter().map(|r| html! {
                    <option value={r.id.clone()} selected={state.reason == r.id}>{ r.label.clone() }</option>
                }) }
            </select>
            <label for="feedback-note">{ t("Note for marketing") }</label>
            <textarea id="feedback-note" rows="3" value={state.note.clone()} oninput={on_note} />
            <div class="actions">
                <button type="button" onclick={verdict(Verdict::Accepted)} aria-keyshortcuts="Alt+A" title="Alt+A">{ t("Accept lead") }</button>
                <button type="button" class="danger" onclick={verdict(Verdict::Rejected)} aria-keyshortcuts="Alt+J" title="Alt+J">{ t("Reject lead") }</button>
            </div>
            <p class="saved" role="status" aria-live="polite">{ &state.status }</p>
        </section>
    }
}
