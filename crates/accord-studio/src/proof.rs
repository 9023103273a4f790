//! The proof beside the editor: the problems (each a link to its
//! control), the fixtures' results, and the live preview.

use crate::checked::Checked;
use crate::page::focus;
use accord_core::explain;
use yew::prelude::*;

/// Properties of [`ProblemList`].
#[derive(Properties, PartialEq, Clone)]
pub struct ProblemListProps {
    /// The checked draft.
    pub checked: std::rc::Rc<Checked>,
    /// Called before jumping, to show the editing forms.
    pub on_jump: Callback<()>,
}

/// Every problem, each a button that moves focus to its control.
#[function_component(ProblemList)]
pub fn problem_list(props: &ProblemListProps) -> Html {
    let problems = &props.checked.problems;
    let summary = match problems.len() {
        0 => "No problems: this is a valid rulebook.".to_owned(),
        1 => "1 problem".to_owned(),
        n => format!("{n} problems"),
    };
    html! {
        <section class="panel" aria-labelledby="problems-heading">
            <h2 id="problems-heading">{ "Problems" }</h2>
            <p class={if problems.is_empty() { "ok" } else { "bad" }}>{ summary }</p>
            <ul class="problem-list">
                { for problems.iter().map(|p| {
                    let control = p.control.clone();
                    let on_jump = props.on_jump.clone();
                    let onclick = Callback::from(move |_: MouseEvent| {
                        on_jump.emit(());
                        let control = control.clone();
                        // After the forms render.
                        gloo_timers::callback::Timeout::new(0, move || focus(&control)).forget();
                    });
                    let place = if p.path.is_empty() { "the rulebook".to_owned() } else { p.path.clone() };
                    html! { <li>
                        <button type="button" class="link" {onclick}>{ place }</button>
                        { format!(": {}", p.message) }
                    </li> }
                }) }
            </ul>
        </section>
    }
}

/// Properties of [`FixtureResults`].
#[derive(Properties, PartialEq, Clone)]
pub struct FixtureResultsProps {
    /// The checked draft.
    pub checked: std::rc::Rc<Checked>,
}

/// Each fixture, passed or failed, with what differs and why.
#[function_component(FixtureResults)]
pub fn fixture_results(props: &FixtureResultsProps) -> Html {
    let checked = &props.checked;
    let Some(rulebook) = &checked.rulebook else {
        return html! {
            <section class="panel" aria-labelledby="fixtures-result-heading">
                <h2 id="fixtures-result-heading">{ "Fixture results" }</h2>
                <p>{ "Fixtures run once the problems are fixed." }</p>
            </section>
        };
    };
    let passed = checked.fixtures.iter().filter(|f| f.passed()).count();
    let total = checked.fixtures.len();
    html! {
        <section class="panel" aria-labelledby="fixtures-result-heading">
            <h2 id="fixtures-result-heading">{ "Fixture results" }</h2>
            <p>{ if total == 0 { "No fixtures yet.".to_owned() } else { format!("{passed} of {total} pass") } }</p>
            <ul class="fixture-list">
                { for checked.fixtures.iter().map(|f| {
                    let ok = f.passed();
                    html! { <li class={if ok { "pass" } else { "fail" }}>
                        <span class="verdict">{ if ok { "pass" } else { "FAIL" } }</span>
                        { format!(" {}", f.name) }
                        if !ok {
                            <ul>{ for f.mismatches.iter().map(|m| html! { <li>{ format!("{}: expected {}, got {}", m.what, m.expected, m.actual) }</li> }) }</ul>
                            <details>
                                <summary>{ "Why" }</summary>
                                <ul>{ for explain(rulebook, &f.qualification).iter().map(|l| html! { <li>{ l }</li> }) }</ul>
                            </details>
                        }
                    </li> }
                }) }
            </ul>
        </section>
    }
}
