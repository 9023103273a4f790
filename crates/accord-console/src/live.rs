//! The live qualification beside the call script: grade, status, route,
//! scores, knockouts, and the questions that could still change the grade.

use crate::words::{t, tf};
use accord_core::{Opportunities, Status};
use accord_web::form_state::FormState;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Live`].
#[derive(Properties, Clone, PartialEq)]
pub struct LiveProps {
    /// The call's form state.
    pub state: FormState,
    /// What could still change the grade.
    pub opportunities: Rc<Opportunities>,
    /// Called with a field id when the rep picks a question to ask.
    pub on_jump: Callback<String>,
}

/// The live qualification panel.
#[function_component(Live)]
pub fn live(props: &LiveProps) -> Html {
    let state = &props.state;
    let o = &props.opportunities;
    let jump = |field: String| {
        let on_jump = props.on_jump.clone();
        Callback::from(move |_: MouseEvent| on_jump.emit(field.clone()))
    };
    let q = &state.qualification;
    let doc = state.rulebook.doc();
    let label = |grade: &str| {
        state
            .rulebook
            .grade(grade)
            .map_or_else(|| grade.to_owned(), |g| g.label.clone())
    };
    let status = match q.status {
        Status::Qualified => t("qualified"),
        Status::KnockedOut => t("knocked out"),
        Status::Incomplete => t("provisional: required answers missing"),
    };
    let route = q
        .route
        .as_ref()
        .map(|r| match &r.owner {
            Some(owner) => format!("{} ({owner})", r.team),
            None => r.team.clone(),
        })
        .unwrap_or_else(|| "—".into());
    html! {
        <aside class="live" aria-labelledby="live-title">
            <h2 id="live-title">{ t("Qualification") }</h2>
            <p class="grade-line">{ t("Grade: ") }<strong class="grade">{ label(&q.grade) }</strong></p>
            <p class="status-line">{ status }</p>
            <p>{ t("Route: ") }<strong class="route">{ route }</strong></p>
            <ul class="scores" aria-label={t("Scores")}>
                { for q.scores.iter().map(|(id, points)| {
                    let name = doc.scores.iter().find(|s| &s.id == id).map_or_else(|| t("Total"), |s| s.label.clone());
                    html! { <li>{ format!("{name}: {points}") }</li> }
                }) }
            </ul>
            if !q.knocked_out_by.is_empty() {
                <ul class="knockouts" aria-label={t("Knocked out by")}>
                    { for q.knocked_out_by.iter().map(|k| html! { <li>{ tf("Knocked out: {reason}", &[("reason", &k.label)]) }</li> }) }
                </ul>
            }
            <h3 id="missing-title">{ match &o.next_grade {
                Some(next) => tf("To reach {grade}", &[("grade", &label(next))]),
                None => t("Still open"),
            } }</h3>
            if o.questions.is_empty() {
                <p>{ t("No unanswered question can change the grade.") }</p>
            } else {
                <ol class="missing" aria-labelledby="missing-title">
                    { for o.questions.iter().map(|m| {
                        let mut notes = Vec::new();
                        if m.lifts_grade {
                            notes.push(tf("can reach {grade}", &[("grade", &label(&m.best_grade))]));
                        }
                        if m.points > 0 {
                            notes.push(tf("up to +{points} points", &[("points", &m.points.to_string())]));
                        }
                        if m.can_knock_out {
                            notes.push(t("can knock out"));
                        }
                        html! {
                            <li>
                                <button type="button" class="link" onclick={jump(m.field.clone())}>{ &m.label }</button>
                                <span class="why">{ format!(" — {}", notes.join(", ")) }</span>
                            </li>
                        }
                    }) }
                </ol>
            }
        </aside>
    }
}
