//! The console's frame: the rulebook, the three views, the shortcuts and
//! their help. Its state is one reducer; the rulebook loader and the
//! shortcuts dialog are their own components (`loader.rs`, `help.rs`).

use crate::call::CallView;
use crate::calls::CallEntry;
use crate::feedback::FeedbackView;
use crate::feedback_state::Open;
use crate::help::ShortcutsHelp;
use crate::keys::{self, press_of, Action, Pressed};
use crate::loader::{Load, RulebookLoader};
use crate::options::Options;
use crate::recent::{self, RecentCalls};
use crate::words::t;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

/// Properties of [`App`].
#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    /// The page's options.
    pub options: Rc<Options>,
}

/// The console's views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The call script.
    Call,
    /// Feedback on marketing's leads.
    Feedback,
    /// This device's recent calls.
    Recent,
}

/// What the frame holds.
#[derive(Clone, PartialEq)]
pub struct AppState {
    view: View,
    help: bool,
    pressed: Pressed,
    load: Load,
    recent: Rc<Vec<CallEntry>>,
    /// The lead the next call follows up ("Call this lead").
    follow_up: Option<Open>,
}

/// What can happen to the frame.
pub enum AppAction {
    /// A shortcut was pressed.
    Shortcut(Action),
    /// A tab was clicked (not a shortcut: the view that opens must not act
    /// on the last one pressed).
    Show(View),
    /// The help was opened, closed or toggled (`None`).
    Help(Option<bool>),
    /// Where loading the rulebook stands.
    Load(Load),
    /// A call was saved.
    Saved(Box<CallEntry>),
    /// "Call this lead": the call view, with a call that follows it up.
    CallAbout(Open),
}

impl Reducible for AppState {
    type Action = AppAction;

    fn reduce(self: Rc<Self>, action: AppAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            AppAction::Shortcut(action) => {
                match action {
                    Action::Help => next.help = !next.help,
                    Action::Close => next.help = false,
                    Action::CallView => next.view = View::Call,
                    Action::FeedbackView | Action::InboxLeads => next.view = View::Feedback,
                    Action::RecentView | Action::Search | Action::Export => {
                        next.view = View::Recent
                    }
                    _ => {}
                }
                next.pressed = next.pressed.then(Some(action));
            }
            AppAction::Show(view) => {
                next.view = view;
                next.pressed = next.pressed.then(None);
            }
            AppAction::Help(open) => next.help = open.unwrap_or(!next.help),
            AppAction::Load(load) => next.load = load,
            AppAction::Saved(entry) => {
                let mut list = (*next.recent).clone();
                list.insert(0, *entry);
                recent::save(&list);
                next.recent = Rc::new(list);
                // The next call is a fresh one.
                next.follow_up = None;
            }
            AppAction::CallAbout(open) => {
                next.view = View::Call;
                next.follow_up = Some(open);
                next.pressed = next.pressed.then(None);
            }
        }
        Rc::new(next)
    }
}

/// The console.
#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let state = use_reducer(|| AppState {
        view: View::Call,
        help: false,
        pressed: Pressed::default(),
        load: Load::None,
        recent: Rc::new(recent::load()),
        follow_up: None,
    });
    // Send what an earlier visit left in the outbox.
    use_effect_with((), |_| {
        wasm_bindgen_futures::spawn_local(accord_web::outbox::drain())
    });
    // Shortcuts: handled here, passed down as numbered events.
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| {
                let Some(action) = press_of(&e, keys::action) else {
                    return;
                };
                e.prevent_default();
                if action == Action::Rulebook {
                    focus_id("rulebook-url");
                }
                state.dispatch(AppAction::Shortcut(action));
            });
            let document = web_sys::window().and_then(|w| w.document());
            if let Some(d) = &document {
                let _ = d
                    .add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(d) = document {
                    let _ = d.remove_event_listener_with_callback(
                        "keydown",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    let on_load = {
        let state = state.clone();
        Callback::from(move |load: Load| state.dispatch(AppAction::Load(load)))
    };
    let on_saved = {
        let state = state.clone();
        Callback::from(move |entry: CallEntry| state.dispatch(AppAction::Saved(Box::new(entry))))
    };
    let on_call = {
        let state = state.clone();
        // The new call's script focuses its first question when it mounts.
        Callback::from(move |open: Open| state.dispatch(AppAction::CallAbout(open)))
    };
    let tab = |v: View, label: String, action: Action| {
        let state = state.clone();
        let current = state.view == v;
        let onclick = Callback::from(move |_| state.dispatch(AppAction::Show(v)));
        html! {
            <button type="button" role="tab" aria-selected={current.to_string()}
                    aria-keyshortcuts={keys::label(action)} title={keys::label(action)}
                    {onclick}>{ label }</button>
        }
    };
    let options = props.options.clone();
    let rulebook = state.load.rulebook();
    let pressed = state.pressed;
    let body = match state.view {
        View::Call => match &rulebook {
            Some(rb) => html! {
                <CallView rulebook={rb.clone()} options={options.clone()} {pressed} {on_saved}
                          follow_up={state.follow_up.clone()} />
            },
            None => html! { <p>{ t("Load a call rulebook to start.") }</p> },
        },
        View::Feedback => html! {
            <FeedbackView options={options.clone()} current={rulebook.clone()} {pressed} {on_call} />
        },
        View::Recent => html! { <RecentCalls calls={(*state.recent).clone()} {pressed} /> },
    };
    let on_help = {
        let state = state.clone();
        Callback::from(move |open: Option<bool>| state.dispatch(AppAction::Help(open)))
    };
    let toggle_help = {
        let on_help = on_help.clone();
        Callback::from(move |_| on_help.emit(None))
    };
    html! {
        <div class="console">
            <header class="bar">
                <h1>{ t("Accord console") }</h1>
                <nav role="tablist" aria-label={t("Views")}>
                    { tab(View::Call, t("Call"), Action::CallView) }
                    { tab(View::Feedback, t("Feedback"), Action::FeedbackView) }
                    { tab(View::Recent, t("Recent calls"), Action::RecentView) }
                </nav>
                <button type="button" class="secondary" aria-keyshortcuts="F1" onclick={toggle_help}>{ t("Shortcuts (?)") }</button>
            </header>
            <RulebookLoader first={options.rulebook.clone()} refused={options.refused_rulebook.clone()}
                            load={state.load.clone()} {on_load} />
            <main>{ body }</main>
            if state.help {
                <ShortcutsHelp on_close={Callback::from(move |_| on_help.emit(Some(false)))} />
            }
        </div>
    }
}

/// Focuses the element with `id`, if the page has it.
pub fn focus_id(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}
