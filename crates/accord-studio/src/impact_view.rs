//! The impact report: a leads file dropped on the page (records exported
//! from the inbox, an answers file, or CSV), re-qualified with the last
//! agreed version and with the draft, in this page, a slice at a time with
//! a progress bar (no lead leaves the computer, and the page stays usable);
//! then the grade transition matrix, the moves with what sales made of
//! them (with an outcomes file), route and knockout changes, each
//! criterion's hit rate, and the moving leads with both explanations.

use crate::impact_run::{ImpactRun, Mover, Skipped};
use accord_core::{in_grade_order, read_outcomes, share, Fates, Impact, LeadFate, Rulebook};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{DragEvent, File, HtmlInputElement};
use yew::prelude::*;

/// The largest leads or outcomes file the page reads.
pub const MAX_FILE_BYTES: f64 = 256.0 * 1024.0 * 1024.0;

/// How long one slice of the run may take before the page gets a turn.
const SLICE_MS: f64 = 12.0;

/// Properties of [`ImpactView`].
#[derive(Properties, PartialEq, Clone)]
pub struct ImpactProps {
    /// The last agreed version, when it is valid.
    pub old: Option<Rc<Rulebook>>,
    /// The draft, when it is valid.
    pub new: Option<Rc<Rulebook>>,
}

/// A finished measurement.
struct Finished {
    file: String,
    impact: Impact,
    movers: Vec<Mover>,
    moved: u64,
    skipped: Vec<Skipped>,
    old: Rc<Rulebook>,
    new: Rc<Rulebook>,
}

/// Reads a picked or dropped file as text.
async fn read(file: &File) -> Result<String, String> {
    if file.size() > MAX_FILE_BYTES {
        return Err(format!("{} is larger than 256 MB", file.name()));
    }
    JsFuture::from(file.text())
        .await
        .map_err(|e| accord_web::bridge::describe(&e))
        .map(|t| t.as_string().unwrap_or_default())
}

/// Resolves on the browser's next task (a `setTimeout` of 0): the page
/// paints and answers input before the run goes on.
async fn next_turn() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(&resolve);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// A share as a whole percentage, `—` when there is none. Rounded to an
/// integer before it is written: formatting an `f64` with `{:.0}` brings
/// Rust's float printing into the wasm (14 KB of code), and a percentage
/// needs no fraction.
fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(
        || "—".to_owned(),
        |r| format!("{} %", (r * 100.0).round() as i64),
    )
}

/// The impact view.
#[function_component(ImpactView)]
pub fn impact_view(props: &ImpactProps) -> Html {
    let progress = use_state(|| None::<f64>);
    let result = use_state(|| None::<Rc<Finished>>);
    let status = use_state(String::new);
    let outcomes = use_state(|| None::<(String, Rc<HashMap<String, LeadFate>>)>);
    let leads = use_state(|| None::<(String, Rc<str>, bool)>);
    // Each run's number: a newer run (another file) stops an older one.
    let generation = use_mut_ref(|| 0u32);

    let start = {
        let (progress, result, status, outcomes, generation) = (
            progress.clone(),
            result.clone(),
            status.clone(),
            outcomes.clone(),
            generation.clone(),
        );
        let (old, new) = (props.old.clone(), props.new.clone());
        Rc::new(move |name: String, text: Rc<str>, csv: bool| {
            let (Some(old), Some(new)) = (old.clone(), new.clone()) else {
                status.set(
                    "The draft and the last agreed version must both be valid rulebooks.".into(),
                );
                return;
            };
            let fates = (*outcomes).as_ref().map(|(_, f)| (**f).clone());
            let mine = {
                let mut g = generation.borrow_mut();
                *g += 1;
                *g
            };
            let (progress, result, status, generation) = (
                progress.clone(),
                result.clone(),
                status.clone(),
                generation.clone(),
            );
            spawn_local(async move {
                let mut run = match ImpactRun::new(old.clone(), new.clone(), text, csv, fates) {
                    Ok(run) => run,
                    Err(e) => return status.set(format!("{name}: {e}")),
                };
                result.set(None);
                status.set(format!("Re-qualifying the leads of {name}…"));
                loop {
                    if *generation.borrow() != mine {
                        return;
                    }
                    let deadline = js_sys::Date::now() + SLICE_MS;
                    let done = run.step(|| js_sys::Date::now() < deadline);
                    progress.set(Some(run.progress()));
                    if done {
                        break;
                    }
                    // Let the page paint and answer input between slices.
                    next_turn().await;
                }
                progress.set(None);
                status.set(format!(
                    "{} leads of {name} re-qualified with both versions.",
                    run.impact.leads
                ));
                result.set(Some(Rc::new(Finished {
                    file: name,
                    impact: std::mem::take(&mut run.impact),
                    movers: std::mem::take(&mut run.movers),
                    moved: run.moved,
                    skipped: std::mem::take(&mut run.skipped),
                    old,
                    new,
                })));
            });
        })
    };
    let take_leads = {
        let (leads, status, start) = (leads.clone(), status.clone(), start.clone());
        Rc::new(move |file: File| {
            let (leads, status, start) = (leads.clone(), status.clone(), start.clone());
            spawn_local(async move {
                let name = file.name();
                match read(&file).await {
                    Ok(text) => {
                        let csv = name.to_ascii_lowercase().ends_with(".csv");
                        let text: Rc<str> = Rc::from(text);
                        leads.set(Some((name.clone(), text.clone(), csv)));
                        start(name, text, csv);
                    }
                    Err(e) => status.set(e),
                }
            });
        })
    };
    let on_leads = {
        let take = take_leads.clone();
        Callback::from(move |e: Event| {
            if let Some(f) = e
                .target_unchecked_into::<HtmlInputElement>()
                .files()
                .and_then(|f| f.get(0))
            {
                take(f);
            }
        })
    };
    let on_drop = {
        let take = take_leads.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if let Some(f) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                take(f);
            }
        })
    };
    let on_outcomes = {
        let (outcomes, status) = (outcomes.clone(), status.clone());
        Callback::from(move |e: Event| {
            let Some(file) = e
                .target_unchecked_into::<HtmlInputElement>()
                .files()
                .and_then(|f| f.get(0))
            else {
                return;
            };
            let (outcomes, status) = (outcomes.clone(), status.clone());
            spawn_local(async move {
                match read(&file).await {
                    Ok(text) => {
                        let read = read_outcomes(&text);
                        status.set(format!(
                            "{}: {} outcome rows read, {} skipped. Measure again to join them.",
                            file.name(),
                            read.rows.len(),
                            read.skipped
                        ));
                        outcomes.set(Some((file.name(), Rc::new(read.fates()))));
                    }
                    Err(e) => status.set(e),
                }
            });
        })
    };
    let again = {
        let (leads, start) = (leads.clone(), start.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some((name, text, csv)) = (*leads).clone() {
                start(name, text, csv);
            }
        })
    };
    let ready = props.old.is_some() && props.new.is_some();
    html! {
        <section class="impact" aria-labelledby="impact-heading"
            ondragover={|e: DragEvent| e.prevent_default()} ondrop={on_drop}>
            <h2 id="impact-heading">{ "Impact on real leads" }</h2>
            <p>{ "What the draft does to leads you already have, compared with the last agreed version. \
                  The file is read in this page: no lead leaves this computer." }</p>
            if !ready {
                <p class="note">{ "Fix the problems first: both versions must be valid rulebooks." }</p>
            }
            <div class="grid">
                <div class="control">
                    <label for="impact-leads">{ "Leads file: records (JSON Lines) or CSV, or drop it here" }</label>
                    <input id="impact-leads" type="file" accept=".jsonl,.ndjson,.json,.csv,.txt" onchange={on_leads} disabled={!ready} />
                </div>
                <div class="control">
                    <label for="impact-outcomes">{ "Outcomes file from the CRM (optional)" }</label>
                    <input id="impact-outcomes" type="file" accept=".csv,.jsonl,.ndjson,.json,.txt" onchange={on_outcomes} />
                </div>
            </div>
            if leads.is_some() && progress.is_none() {
                <button type="button" onclick={again} disabled={!ready}>{ "Measure again with this draft" }</button>
            }
            if let Some(p) = *progress {
                <div class="control">
                    <label for="impact-progress">{ "Re-qualifying the leads" }</label>
                    <progress id="impact-progress" max="1000" value={((p * 1000.0).round() as i64).to_string()}>{ percent(Some(p)) }</progress>
                    <span>{ format!(" {}", percent(Some(p))) }</span>
                </div>
            }
            <p role="status" class="status">{ (*status).clone() }</p>
            if let Some(done) = &*result { { report(done) } }
        </section>
    }
}

/// The finished report.
fn report(done: &Finished) -> Html {
    let i = &done.impact;
    let columns = in_grade_order(&i.new_grades, &done.new);
    let rows = in_grade_order(&i.old_grades, &done.old);
    let mut moves: Vec<(&String, &String, &Fates)> = i
        .transitions
        .iter()
        .flat_map(|(from, row)| {
            row.iter()
                .filter(move |(to, _)| *to != from)
                .map(move |(to, f)| (from, to, f))
        })
        .collect();
    moves.sort_by_key(|m| std::cmp::Reverse(m.2.leads));
    let skipped = (i.skipped > 0).then(|| html! {
        <details>
            <summary>{ format!("{} lines skipped", i.skipped) }</summary>
            <ul>{ for done.skipped.iter().map(|s| html! { <li>{ format!("line {}: {}", s.line, s.why) }</li> }) }</ul>
        </details>
    });
    html! { <>
        <h3>{ format!("{} leads from {}", i.leads, done.file) }</h3>
        if i.with_outcomes { <p>{ format!("{} of them have outcomes.", i.joined) }</p> }
        { for skipped }
        <table class="matrix">
            <caption>{ "Grade with the last agreed version (rows) and with the draft (columns)" }</caption>
            <thead><tr>
                <th scope="col">{ "agreed \\ draft" }</th>
                { for columns.iter().map(|c| html! { <th scope="col">{ c.as_str() }</th> }) }
            </tr></thead>
            <tbody>
                { for rows.iter().map(|from| html! { <tr>
                    <th scope="row">{ from.as_str() }</th>
                    { for columns.iter().map(|to| {
                        let n = i.transitions.get(*from).and_then(|r| r.get(*to)).map_or(0, |f| f.leads);
                        html! { <td class={(from == to).then_some("same")}>{ n }</td> }
                    }) }
                </tr> }) }
            </tbody>
        </table>
        <h3>{ "What moves" }</h3>
        if moves.is_empty() { <p>{ "No lead changes grade." }</p> }
        <ul class="moves">
            { for moves.iter().map(|(from, to, f)| {
                let sales = if i.with_outcomes && f.judged > 0 {
                    format!("; sales had accepted {} of them ({} judged)", f.accepted, f.judged)
                } else {
                    String::new()
                };
                html! { <li>{ format!("{} lead{} go from {from} to {to}{sales}", f.leads, if f.leads == 1 { "" } else { "s" }) }</li> }
            }) }
            { for i.route_changes.iter().flat_map(|(from, to)| to.iter().map(move |(team, n)| html! {
                <li>{ format!("{n} routed to {team} instead of {from}") }</li>
            })) }
            { for i.knockouts.iter().map(|(id, k)| html! {
                <li>{ format!("disqualifier {id}: {} more, {} fewer", k.gained, k.lost) }</li>
            }) }
        </ul>
        <table class="hits">
            <caption>{ "How often each criterion held" }</caption>
            <thead><tr><th scope="col">{ "criterion" }</th><th scope="col">{ "agreed" }</th><th scope="col">{ "draft" }</th></tr></thead>
            <tbody>
                { for i.criteria.iter().map(|(id, h)| html! { <tr>
                    <th scope="row">{ id }</th>
                    <td>{ percent(share(h.old, i.leads)) }</td>
                    <td>{ percent(share(h.new, i.leads)) }</td>
                </tr> }) }
            </tbody>
        </table>
        if i.with_outcomes { { outcomes_table(i, &rows, &columns) } }
        <h3>{ format!("Moving leads ({})", done.moved) }</h3>
        if done.moved > done.movers.len() as u64 {
            <p>{ format!("The first {} with both explanations:", done.movers.len()) }</p>
        }
        <ol class="movers">
            { for done.movers.iter().map(|m| html! { <li>
                <details>
                    <summary>{ format!("line {}{}: {} → {}{}", m.line,
                        m.submission_id.as_deref().map(|s| format!(" ({s})")).unwrap_or_default(),
                        m.old.0, m.new.0,
                        match m.accepted { Some(true) => ", sales accepted it", Some(false) => ", sales rejected it", None => "" }) }</summary>
                    <div class="why">
                        <div><h4>{ "Agreed version" }</h4><ul>{ for m.old.1.iter().map(|l| html! { <li>{ l }</li> }) }</ul></div>
                        <div><h4>{ "Draft" }</h4><ul>{ for m.new.1.iter().map(|l| html! { <li>{ l }</li> }) }</ul></div>
                    </div>
                </details>
            </li> }) }
        </ol>
    </> }
}

/// Per grade, under each version: leads, acceptance, opportunities, won.
fn outcomes_table(i: &Impact, rows: &[&String], columns: &[&String]) -> Html {
    let mut grades: Vec<&String> = rows.to_vec();
    for c in columns {
        if !grades.contains(c) {
            grades.push(c);
        }
    }
    let empty = Fates::default();
    html! {
        <table class="fates">
            <caption>{ "What became of each grade's leads (agreed / draft)" }</caption>
            <thead><tr>
                <th scope="col">{ "grade" }</th><th scope="col">{ "leads" }</th>
                <th scope="col">{ "accepted" }</th><th scope="col">{ "opportunities" }</th><th scope="col">{ "won" }</th>
            </tr></thead>
            <tbody>
                { for grades.iter().map(|g| {
                    let (o, n) = (i.old_grades.get(*g).unwrap_or(&empty), i.new_grades.get(*g).unwrap_or(&empty));
                    html! { <tr>
                        <th scope="row">{ g.as_str() }</th>
                        <td>{ format!("{} / {}", o.leads, n.leads) }</td>
                        <td>{ format!("{} / {}", percent(o.acceptance()), percent(n.acceptance())) }</td>
                        <td>{ format!("{} / {}", o.opportunities, n.opportunities) }</td>
                        <td>{ format!("{} / {}", o.won, n.won) }</td>
                    </tr> }
                }) }
            </tbody>
        </table>
    }
}
