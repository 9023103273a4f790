//! The call view: one call after another, each a script of the rulebook's
//! `call` questions with the live qualification beside them, what could
//! still change the grade, and the wrap-up. The script's state is one
//! reducer (`call_state.rs`); its parts are `script.rs`, `wrap_up.rs` and
//! `live.rs`.

use crate::call_state::{CallAction, CallState};
use crate::feedback_state::Open;
use crate::keys::{self, use_shortcuts, Action, Pressed};
use crate::live::Live;
use crate::memory;
use crate::options::Options;
use crate::script::Questions;
use crate::words::{t, tf};
use crate::wrap_up::WrapUp;
use accord_core::{Audience, Context, LeadRecord, Rulebook, WebhookEncoding};
use accord_web::field::{focus_by_id, focus_by_id_in_place};
use accord_web::{bridge, outbox, page};
use std::rc::Rc;
use yew::prelude::*;

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
    pub on_saved: Callback<LeadRecord>,
    /// The lead the next call follows up ("Call this lead").
    #[prop_or_default]
    pub follow_up: Option<Open>,
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
        Callback::from(move |record: LeadRecord| {
            let id = record.submission_id.clone();
            let who = crate::calls::who(&record);
            let Ok(value) = serde_json::to_value(&record) else {
                return;
            };
            accord_web::events::emit(None, "accord:qualified", &bridge::to_js(&value));
            // To the inbox, a call goes with the rep's token, so the inbox
            // counts a follow-up as sales' touch (docs/cli.md); never to
            // another endpoint.
            let endpoint = options.endpoint.as_deref();
            let mut headers = std::collections::BTreeMap::new();
            if let Some(token) = endpoint
                .filter(|url| options.is_inbox(url))
                .map(|_| memory::remembered(memory::INBOX_TOKEN))
                .filter(|t| !t.trim().is_empty())
            {
                headers.insert(
                    "Authorization".to_owned(),
                    format!("Bearer {}", token.trim()),
                );
            }
            let requests = outbox::requests(
                endpoint,
                WebhookEncoding::Json,
                &headers,
                &rulebook.doc().destinations,
                &value,
            );
            outer.emit(record);
            call_no.set(*call_no + 1);
            if requests.is_empty() {
                saved.set(tf(
                    "Call with {who} saved on this device; the rulebook has no destination.",
                    &[("who", &who)],
                ));
                return;
            }
            saved.set(tf("Call with {who} saved. Sending…", &[("who", &who)]));
            let saved = saved.clone();
            outbox::send_record(&id, requests, None, None, move |progress| {
                saved.set(format!(
                    "{} {}",
                    tf("Call with {who} saved.", &[("who", &who)]),
                    crate::words::delivery(progress)
                ))
            });
        })
    };
    // A new script for each call, and for a call about another lead.
    let follow_id = props
        .follow_up
        .as_ref()
        .map_or("", |o| o.lead.submission_id.as_str());
    let key = format!("{}-{follow_id}", *call_no);
    html! {
        <>
            <p class="saved" role="status" aria-live="polite">{ (*saved).clone() }</p>
            <CallScript {key} rulebook={props.rulebook.clone()} pressed={props.pressed} {on_saved}
                        follow_up={props.follow_up.clone()} first={*call_no == 0 && props.follow_up.is_none()} />
        </>
    }
}

#[derive(Properties, PartialEq, Clone)]
struct ScriptProps {
    rulebook: Rc<Rulebook>,
    pressed: Pressed,
    on_saved: Callback<LeadRecord>,
    follow_up: Option<Open>,
    /// The console's first call since the page opened.
    first: bool,
}

/// One call's script: the questions, the wrap-up and the live panel.
#[function_component(CallScript)]
fn call_script(props: &ScriptProps) -> Html {
    let state = {
        let (rulebook, follow_up) = (props.rulebook.clone(), props.follow_up.clone());
        use_reducer(move || {
            let call = CallState::new(rulebook, memory::remembered(memory::REP));
            match follow_up {
                Some(open) => call.following(&open.lead, open.rulebook.as_deref()),
                None => call,
            }
        })
    };
    let root = use_node_ref();
    let opportunities = use_memo(state.form.answers.clone(), {
        let rulebook = props.rulebook.clone();
        move |answers| rulebook.opportunities(answers, &Context::default(), Audience::Call)
    });
    // Shows question `n` and focuses it after the render that shows it.
    let go = {
        let (state, root) = (state.clone(), root.clone());
        Callback::from(move |n: usize| {
            state.dispatch(CallAction::Go(n));
            let questions = state.questions();
            let to = n.min(questions.len().saturating_sub(1));
            if let Some(i) = questions.get(to) {
                let id = format!("f-{}", state.form.field(*i).id);
                let root = root.clone();
                gloo_timers::callback::Timeout::new(0, move || focus_by_id(&root, &id)).forget();
            }
        })
    };
    let save = {
        let (state, on_saved) = (state.clone(), props.on_saved.clone());
        Callback::from(move |()| {
            if let Some((problems, first)) = state.wrap_up_problems() {
                state.dispatch(CallAction::Problems(problems));
                crate::app::focus_id(first);
                return;
            }
            state.dispatch(CallAction::Problems(Vec::new()));
            on_saved.emit(state.record(page::now_ms(), page::new_submission()));
        })
    };
    // A new call starts at its first question. The console's first call
    // leaves the page where it is, so its header stays in sight on a
    // phone; the next ones bring the question into view.
    {
        let (state, root, first) = (state.clone(), root.clone(), props.first);
        use_effect_with((), move |_| {
            if let Some(i) = state.questions().first() {
                let id = format!("f-{}", state.form.field(*i).id);
                gloo_timers::callback::Timeout::new(0, move || {
                    if first {
                        focus_by_id_in_place(&root, &id);
                    } else {
                        focus_by_id(&root, &id);
                    }
                })
                .forget();
            }
        });
    }
    {
        let (state, go, save) = (state.clone(), go.clone(), save.clone());
        use_shortcuts(props.pressed, false, move |action| {
            let at = state.at();
            match action {
                Action::Next => go.emit(at + 1),
                Action::Previous => go.emit(at.saturating_sub(1)),
                Action::ToggleMode => state.dispatch(CallAction::ToggleMode),
                Action::Timer => state.dispatch(CallAction::ToggleTimer {
                    now: page::now_ms(),
                }),
                Action::Notes => crate::app::focus_id("call-notes"),
                Action::Disposition => crate::app::focus_id("call-disposition"),
                Action::Save => save.emit(()),
                _ => {}
            }
        });
    }
    let toggle_mode = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(CallAction::ToggleMode))
    };
    let not_a_follow_up = {
        let (state, go) = (state.clone(), go.clone());
        Callback::from(move |_| {
            state.dispatch(CallAction::NotAFollowUp);
            // The button goes away: focus moves to the question shown.
            go.emit(state.at());
        })
    };
    let follow_up = state.follows_up.as_ref().map(|f| {
        html! {
            <div class="follow-up" id="follow-up">
                <p>{ tf("Following up {who} (marketing's grade: {grade}). Saving the call records it as sales' first touch of this lead.", &[("who", &f.who), ("grade", &f.grade)]) }</p>
                <button type="button" class="secondary" onclick={not_a_follow_up.clone()}>{ t("Not a follow-up") }</button>
            </div>
        }
    });
    let on_jump = {
        let (state, go) = (state.clone(), go.clone());
        Callback::from(move |field: String| {
            if let Some(n) = state.position_of(&field) {
                go.emit(n);
            }
        })
    };
    html! {
        <div class="call" ref={root}>
            <section class="questions" aria-labelledby="script-title">
                <div class="row">
                    <h2 id="script-title">{ &props.rulebook.doc().title }</h2>
                    <button type="button" class="secondary" onclick={toggle_mode}
                            aria-keyshortcuts={keys::label(Action::ToggleMode)} title={keys::label(Action::ToggleMode)}>
                        { if state.one_at_a_time { t("Show all questions") } else { t("One question at a time") } }
                    </button>
                </div>
                { for follow_up }
                <Questions state={state.clone()} on_go={go} />
                <WrapUp state={state.clone()} on_save={save} />
            </section>
            <Live state={state.form.clone()} {opportunities} {on_jump} />
        </div>
    }
}
