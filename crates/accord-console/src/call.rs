//! The call script: the rulebook's `call` questions, one at a time or all
//! at once, with the live qualification beside them, what could still
//! change the grade, notes, the timer, the rep and the disposition.

use crate::app::Pressed;
use crate::keys::{self, Action};
use crate::options::Options;
use accord_core::{
    Audience, CallDetails, Channel, Context, FieldType, Opportunities, Rep, Rulebook, Status,
    Submission,
};
use accord_web::field::{focus_by_id, FieldInput};
use accord_web::form_state::{FormAction, FormState};
use accord_web::{bridge, outbox, page};
use gloo_timers::callback::Interval;
use serde_json::{Map, Value};
use std::rc::Rc;
use web_sys::{HtmlElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// How a call can end (the record's `call.disposition`).
pub const DISPOSITIONS: &[(&str, &str)] = &[
    ("qualified", "Qualified — next step booked"),
    ("follow_up", "Follow-up scheduled"),
    ("not_interested", "Not interested"),
    ("no_answer", "No answer or voicemail"),
    ("wrong_contact", "Wrong contact"),
];

/// Properties of [`CallView`].
#[derive(Properties, PartialEq, Clone)]
pub struct CallProps {
    /// The call rulebook.
    pub rulebook: Rc<Rulebook>,
    /// The page's options (where calls go).
    pub options: Rc<Options>,
    /// The latest shortcut.
    pub pressed: Pressed,
    /// Called with each saved call's record.
    pub on_saved: Callback<Value>,
}

/// One call after another: a fresh script after each save, and the last
/// call's delivery status.
#[function_component(CallView)]
pub fn call_view(props: &CallProps) -> Html {
    let call_no = use_state(|| 0u32);
    let saved = use_state(String::new);
    let on_saved = {
        let (call_no, saved, outer) = (call_no.clone(), saved.clone(), props.on_saved.clone());
        let options = props.options.clone();
        let rulebook = props.rulebook.clone();
        Callback::from(move |record: Value| {
            let id = record["submission_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let who = crate::calls::who(&record);
            let requests = outbox::requests(
                options.endpoint.as_deref(),
                accord_core::WebhookEncoding::Json,
                &Default::default(),
                &rulebook.doc().destinations,
                &record,
            );
            outer.emit(record);
            call_no.set(*call_no + 1);
            if requests.is_empty() {
                saved.set(format!(
                    "Call with {who} saved on this device; the rulebook has no destination."
                ));
                return;
            }
            saved.set(format!("Call with {who} saved. Sending…"));
            let saved = saved.clone();
            outbox::send_record(&id, requests, None, move |progress| {
                saved.set(format!(
                    "Call with {who} saved. {}",
                    outbox::status_text(progress)
                ))
            });
        })
    };
    html! {
        <>
            <p class="saved" role="status" aria-live="polite">{ (*saved).clone() }</p>
            <CallScript key={*call_no} rulebook={props.rulebook.clone()} pressed={props.pressed} {on_saved} />
        </>
    }
}

#[derive(Properties, PartialEq, Clone)]
struct ScriptProps {
    rulebook: Rc<Rulebook>,
    pressed: Pressed,
    on_saved: Callback<Value>,
}

/// The call timer: when it started (ms), and time banked before that.
#[derive(Clone, Copy, PartialEq, Default)]
struct Timer {
    running_since: Option<f64>,
    banked_ms: f64,
}

impl Timer {
    fn elapsed_ms(&self, now: f64) -> f64 {
        self.banked_ms + self.running_since.map_or(0.0, |s| (now - s).max(0.0))
    }
    fn toggled(self, now: f64) -> Timer {
        match self.running_since {
            Some(_) => Timer {
                running_since: None,
                banked_ms: self.elapsed_ms(now),
            },
            None => Timer {
                running_since: Some(now),
                ..self
            },
        }
    }
}

#[function_component(CallScript)]
fn call_script(props: &ScriptProps) -> Html {
    let rulebook = props.rulebook.clone();
    let state = {
        let rulebook = rulebook.clone();
        use_reducer(move || {
            FormState::new(rulebook, Context::default(), Audience::Call, Map::new())
        })
    };
    let one_at_a_time = use_state(|| true);
    let cursor = use_state(|| 0usize);
    let timer = use_state(Timer::default);
    let tick = use_state(|| 0u32);
    let problems = use_state(Vec::<String>::new);
    let root = use_node_ref();
    let rep = use_state(crate::rep::remembered);
    let notes = use_node_ref();
    let disposition = use_node_ref();

    // Redraw the timer every second while it runs.
    {
        let tick = tick.clone();
        use_effect_with(timer.running_since.is_some(), move |running| {
            let interval =
                running.then(|| Interval::new(1_000, move || tick.set(page::now_ms() as u32)));
            move || drop(interval)
        });
    }

    let doc = rulebook.doc();
    let questions: Vec<usize> = (0..doc.fields.len())
        .filter(|i| {
            let f = &doc.fields[*i];
            f.asked_of(Audience::Call)
                && f.kind != FieldType::Hidden
                && state.visible.get(*i).copied().unwrap_or(true)
        })
        .collect();
    let at = (*cursor).min(questions.len().saturating_sub(1));

    let opportunities = use_memo(state.answers.clone(), {
        let rulebook = rulebook.clone();
        move |answers| rulebook.opportunities(answers, &Context::default(), Audience::Call)
    });

    let focus_question = {
        let root = root.clone();
        move |field_id: String| focus_by_id(&root, &format!("f-{field_id}"))
    };
    let go = {
        let (cursor, questions, focus_question) =
            (cursor.clone(), questions.clone(), focus_question.clone());
        let rulebook = rulebook.clone();
        move |to: usize| {
            let to = to.min(questions.len().saturating_sub(1));
            cursor.set(to);
            if let Some(i) = questions.get(to) {
                let id = rulebook.doc().fields[*i].id.clone();
                let focus = focus_question.clone();
                // After the re-render that shows the question.
                gloo_timers::callback::Timeout::new(0, move || focus(id)).forget();
            }
        }
    };

    let save = {
        let (state, timer, rep, notes, disposition, problems) = (
            state.clone(),
            timer.clone(),
            rep.clone(),
            notes.clone(),
            disposition.clone(),
            problems.clone(),
        );
        let on_saved = props.on_saved.clone();
        move || {
            let chosen = disposition
                .cast::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            let mut found = Vec::new();
            if rep.trim().is_empty() {
                found.push("Enter your name (Rep).".to_owned());
            }
            if chosen.is_empty() {
                found.push("Choose how the call ended (Disposition).".to_owned());
            }
            if !found.is_empty() {
                problems.set(found);
                let target = if rep.trim().is_empty() {
                    "rep-name"
                } else {
                    "call-disposition"
                };
                crate::app::focus_id(target);
                return;
            }
            problems.set(Vec::new());
            let text = notes
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            let submission = Submission {
                rep: Some(Rep {
                    name: rep.trim().to_owned(),
                    email: None,
                }),
                notes: (!text.trim().is_empty()).then_some(text),
                call: Some(CallDetails {
                    disposition: chosen,
                    duration_seconds: (timer.elapsed_ms(page::now_ms()) / 1000.0) as u64,
                }),
                ..page::new_submission()
            };
            let record =
                state
                    .rulebook
                    .record(&state.answers, &state.context, Channel::Call, submission);
            if let Ok(value) = serde_json::to_value(&record) {
                accord_web::events::emit(None, "accord:qualified", &bridge::to_js(&value));
                on_saved.emit(value);
            }
        }
    };

    // A new call starts at its first question.
    {
        let first = questions.first().map(|i| doc.fields[*i].id.clone());
        let focus_question = focus_question.clone();
        use_effect_with((), move |_| {
            if let Some(id) = first {
                focus_question(id);
            }
        });
    }

    // Shortcuts for this view.
    {
        let (one_at_a_time, timer, notes, disposition) = (
            one_at_a_time.clone(),
            timer.clone(),
            notes.clone(),
            disposition.clone(),
        );
        let (go, save) = (go.clone(), save.clone());
        crate::app::use_shortcuts(props.pressed, false, move |action| match action {
            Action::Next => go(at + 1),
            Action::Previous => go(at.saturating_sub(1)),
            Action::ToggleMode => one_at_a_time.set(!*one_at_a_time),
            Action::Timer => timer.set(timer.toggled(page::now_ms())),
            Action::Notes => focus_node(&notes),
            Action::Disposition => focus_node(&disposition),
            Action::Save => save(),
            _ => {}
        });
    }

    let on_answer = {
        let (state, timer) = (state.clone(), timer.clone());
        Callback::from(move |(id, value)| {
            // The clock starts with the first answer, if the rep did not.
            if timer.running_since.is_none() && timer.banked_ms == 0.0 {
                timer.set(timer.toggled(page::now_ms()));
            }
            state.dispatch(FormAction::Answer(id, value))
        })
    };
    let field_view = |i: usize| {
        let field = state.field(i);
        html! {
            <FieldInput key={field.id.clone()} field={Rc::new(field.clone())}
                value={state.answers.get(&field.id).cloned()}
                error={state.message(field)}
                on_answer={on_answer.clone()} />
        }
    };
    let script = if *one_at_a_time {
        let next = {
            let go = go.clone();
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                go(at + 1)
            })
        };
        let previous = {
            let go = go.clone();
            Callback::from(move |_: MouseEvent| go(at.saturating_sub(1)))
        };
        html! {
            <form class="script one" onsubmit={next}>
                <p class="progress">{ format!("Question {} of {}", at + 1, questions.len()) }</p>
                { for questions.get(at).map(|i| field_view(*i)) }
                <div class="actions">
                    <button type="button" class="secondary" onclick={previous} disabled={at == 0}
                            aria-keyshortcuts="Alt+P" title="Alt+P">{ "Previous question" }</button>
                    <button type="submit" disabled={at + 1 >= questions.len()}
                            aria-keyshortcuts="Alt+N" title="Alt+N">{ "Next question" }</button>
                </div>
            </form>
        }
    } else {
        html! {
            <form class="script all" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                { for questions.iter().map(|i| field_view(*i)) }
            </form>
        }
    };
    let toggle_mode = {
        let one_at_a_time = one_at_a_time.clone();
        Callback::from(move |_| one_at_a_time.set(!*one_at_a_time))
    };
    let toggle_timer = {
        let timer = timer.clone();
        Callback::from(move |_| timer.set(timer.toggled(page::now_ms())))
    };
    let on_rep = crate::rep::on_input(rep.clone());
    let on_save = {
        let save = save.clone();
        Callback::from(move |_: MouseEvent| save())
    };
    let jump = {
        let (go, questions, rulebook) = (go.clone(), questions.clone(), rulebook.clone());
        move |field: String| {
            let (go, questions, rulebook) = (go.clone(), questions.clone(), rulebook.clone());
            Callback::from(move |_: MouseEvent| {
                let fields = &rulebook.doc().fields;
                if let Some(pos) = questions.iter().position(|i| fields[*i].id == field) {
                    go(pos);
                }
            })
        }
    };
    let elapsed = (timer.elapsed_ms(page::now_ms()) / 1000.0) as u64;
    let _ = *tick;
    html! {
        <div class="call" ref={root}>
            <section class="questions" aria-labelledby="script-title">
                <div class="row">
                    <h2 id="script-title">{ &doc.title }</h2>
                    <button type="button" class="secondary" onclick={toggle_mode}
                            aria-keyshortcuts={keys::label(Action::ToggleMode)} title={keys::label(Action::ToggleMode)}>
                        { if *one_at_a_time { "Show all questions" } else { "One question at a time" } }
                    </button>
                </div>
                { script }
                <section class="wrap-up" aria-label="Call details">
                    <div class="timer">
                        <span>{ "Call time " }</span>
                        <time class="clock" aria-live="off">{ format!("{:02}:{:02}", elapsed / 60, elapsed % 60) }</time>
                        <button type="button" class="secondary" onclick={toggle_timer}
                                aria-keyshortcuts="Alt+T" title="Alt+T">
                            { if timer.running_since.is_some() { "Stop timer" } else { "Start timer" } }
                        </button>
                    </div>
                    <label for="rep-name">{ "Rep" }</label>
                    <input id="rep-name" type="text" autocomplete="name" value={(*rep).clone()} oninput={on_rep} />
                    <label for="call-notes">{ "Notes" }</label>
                    <textarea id="call-notes" rows="4" ref={notes} />
                    <label for="call-disposition">{ "Disposition" }</label>
                    <select id="call-disposition" ref={disposition}>
                        // Yew inserts options last first, so the placeholder must say it is
                        // the selected one.
                        <option value="" selected=true>{ "Choose…" }</option>
                        { for DISPOSITIONS.iter().map(|(value, label)| html! { <option value={*value}>{ *label }</option> }) }
                    </select>
                    <ul class="problems" role="alert">
                        { for problems.iter().map(|p| html! { <li>{ p }</li> }) }
                    </ul>
                    <button type="button" onclick={on_save} aria-keyshortcuts="Alt+S" title="Alt+S">{ "Save call" }</button>
                </section>
            </section>
            { live(&state, &opportunities, jump) }
        </div>
    }
}

/// The live qualification beside the questions.
fn live(
    state: &FormState,
    o: &Opportunities,
    jump: impl Fn(String) -> Callback<MouseEvent>,
) -> Html {
    let q = &state.qualification;
    let doc = state.rulebook.doc();
    let label = |grade: &str| {
        state
            .rulebook
            .grade(grade)
            .map_or_else(|| grade.to_owned(), |g| g.label.clone())
    };
    let status = match q.status {
        Status::Qualified => "qualified",
        Status::KnockedOut => "knocked out",
        Status::Incomplete => "provisional: required answers missing",
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
            <h2 id="live-title">{ "Qualification" }</h2>
            <p class="grade-line">{ "Grade: " }<strong class="grade">{ label(&q.grade) }</strong></p>
            <p class="status-line">{ status }</p>
            <p>{ "Route: " }<strong class="route">{ route }</strong></p>
            <ul class="scores" aria-label="Scores">
                { for q.scores.iter().map(|(id, points)| {
                    let name = doc.scores.iter().find(|s| &s.id == id).map_or_else(|| "Total".to_owned(), |s| s.label.clone());
                    html! { <li>{ format!("{name}: {points}") }</li> }
                }) }
            </ul>
            if !q.knocked_out_by.is_empty() {
                <ul class="knockouts" aria-label="Knocked out by">
                    { for q.knocked_out_by.iter().map(|k| html! { <li>{ format!("Knocked out: {}", k.label) }</li> }) }
                </ul>
            }
            <h3 id="missing-title">{ match &o.next_grade {
                Some(next) => format!("To reach {}", label(next)),
                None => "Still open".to_owned(),
            } }</h3>
            if o.questions.is_empty() {
                <p>{ "No unanswered question can change the grade." }</p>
            } else {
                <ol class="missing" aria-labelledby="missing-title">
                    { for o.questions.iter().map(|m| {
                        let mut notes = Vec::new();
                        if m.lifts_grade {
                            notes.push(format!("can reach {}", label(&m.best_grade)));
                        }
                        if m.points > 0 {
                            notes.push(format!("up to +{} points", m.points));
                        }
                        if m.can_knock_out {
                            notes.push("can knock out".to_owned());
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

fn focus_node(node: &NodeRef) {
    if let Some(e) = node.cast::<HtmlElement>() {
        let _ = e.focus();
    }
}
