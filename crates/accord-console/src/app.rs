//! The console's frame: the rulebook, the three views, the shortcuts and
//! their help.

use crate::call::CallView;
use crate::calls::{self, CallEntry, RecentCalls};
use crate::feedback::FeedbackView;
use crate::keys::{self, Action, SHORTCUTS};
use crate::options::Options;
use accord_core::Rulebook;
use accord_web::load::read_rulebook;
use accord_web::load::RulebookSource;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

/// Properties of [`App`].
#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    /// The page's options.
    pub options: Rc<Options>,
}

/// A shortcut, numbered so that pressing the same one twice is two events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pressed {
    /// Increases with every shortcut.
    pub seq: u32,
    /// What was asked.
    pub action: Option<Action>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum View {
    Call,
    Feedback,
    Recent,
}

#[derive(Clone, PartialEq)]
enum Load {
    None,
    Loading(String),
    Ready(Rc<Rulebook>, String),
    Failed(String),
}

/// The console.
#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let options = props.options.clone();
    let load = use_state(|| Load::None);
    let view = use_state(|| View::Call);
    let help = use_state(|| false);
    let pressed = use_state(Pressed::default);
    let recent = use_state(calls::load);
    let url_input = use_node_ref();

    let open = {
        let load = load.clone();
        Callback::from(move |source: RulebookSource| {
            let name = match &source {
                RulebookSource::Url(url) => url.clone(),
                _ => "the chosen file".into(),
            };
            load.set(Load::Loading(name.clone()));
            let load = load.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match read_rulebook(&source).await {
                    Ok(rb) => load.set(Load::Ready(Rc::new(rb), name)),
                    Err(e) => load.set(Load::Failed(format!("{name}: {e}"))),
                }
            });
        })
    };
    {
        let open = open.clone();
        let first = options.rulebook.clone();
        use_effect_with((), move |_| {
            if let Some(url) = first {
                open.emit(RulebookSource::Url(url));
            }
            // Send what an earlier visit left in the outbox.
            wasm_bindgen_futures::spawn_local(accord_web::outbox::drain());
        });
    }

    // Shortcuts: handled here, passed down as numbered events.
    {
        let (view, help, pressed) = (view.clone(), help.clone(), pressed.clone());
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| {
                let Some(action) = keys::action(&e) else {
                    return;
                };
                e.prevent_default();
                match action {
                    Action::Help => help.set(!*help),
                    Action::Close => help.set(false),
                    Action::CallView => view.set(View::Call),
                    Action::FeedbackView => view.set(View::Feedback),
                    Action::RecentView => view.set(View::Recent),
                    Action::InboxLeads => view.set(View::Feedback),
                    Action::Search | Action::Export => view.set(View::Recent),
                    Action::Rulebook => focus_id("rulebook-url"),
                    _ => {}
                }
                pressed.set(Pressed {
                    seq: pressed.seq.wrapping_add(1),
                    action: Some(action),
                });
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

    let on_load_url = {
        let (open, url_input) = (open.clone(), url_input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = url_input.cast::<HtmlInputElement>() {
                let url = input.value();
                if !url.trim().is_empty() {
                    open.emit(RulebookSource::Url(url.trim().to_owned()));
                }
            }
        })
    };
    let on_file = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let open = open.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    open.emit(RulebookSource::Inline(text.as_string().unwrap_or_default()));
                }
            });
        })
    };
    let on_saved = {
        let recent = recent.clone();
        Callback::from(move |entry: CallEntry| {
            let mut list = (*recent).clone();
            list.insert(0, entry);
            calls::save(&list);
            recent.set(list);
        })
    };
    let tab = |v: View, label: &'static str, action: Action| {
        let (view, pressed) = (view.clone(), pressed.clone());
        let current = *view == v;
        // A click is not a shortcut: the view that opens must not act on
        // the last one pressed.
        let onclick = Callback::from(move |_| {
            pressed.set(Pressed {
                seq: pressed.seq.wrapping_add(1),
                action: None,
            });
            view.set(v);
        });
        html! {
            <button type="button" role="tab" aria-selected={current.to_string()}
                    aria-keyshortcuts={keys::label(action)} title={keys::label(action)}
                    {onclick}>{ label }</button>
        }
    };
    let rulebook = match &*load {
        Load::Ready(rb, _) => Some(rb.clone()),
        _ => None,
    };
    let loader = html! {
        <section class="loader" aria-label="Rulebook">
            <form onsubmit={on_load_url}>
                <label for="rulebook-url">{ "Rulebook URL" }</label>
                <input id="rulebook-url" type="url" ref={url_input}
                       value={options.rulebook.clone().unwrap_or_default()} />
                <button type="submit">{ "Load" }</button>
                <label for="rulebook-file">{ "or a file" }</label>
                <input id="rulebook-file" type="file" accept=".json,application/json" onchange={on_file} />
            </form>
            <p class="load-status" role="status">{ match &*load {
                Load::None => "No rulebook loaded yet.".to_owned(),
                Load::Loading(name) => format!("Loading {name}…"),
                Load::Ready(rb, _) => format!("{} — version {}", rb.doc().title, rb.reference().version),
                Load::Failed(e) => format!("This rulebook cannot be used: {e}"),
            } }</p>
        </section>
    };
    let body = match *view {
        View::Call => match &rulebook {
            Some(rb) => html! {
                <CallView rulebook={rb.clone()} options={options.clone()} pressed={*pressed} {on_saved} />
            },
            None => html! { <p>{ "Load a call rulebook to start." }</p> },
        },
        View::Feedback => html! {
            <FeedbackView options={options.clone()} current={rulebook.clone()} pressed={*pressed} />
        },
        View::Recent => html! { <RecentCalls calls={(*recent).clone()} pressed={*pressed} /> },
    };
    // The shortcuts dialog takes focus when it opens and gives it back.
    let close_button = use_node_ref();
    {
        let close_button = close_button.clone();
        use_effect_with(*help, move |open| {
            let before = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                .filter(|_| *open);
            if *open {
                if let Some(button) = close_button.cast::<web_sys::HtmlElement>() {
                    let _ = button.focus();
                }
            }
            move || {
                if let Some(element) = before {
                    let _ = element.focus();
                }
            }
        });
    }
    let close_help = {
        let help = help.clone();
        Callback::from(move |_| help.set(false))
    };
    let toggle_help = {
        let help = help.clone();
        Callback::from(move |_| help.set(!*help))
    };
    html! {
        <div class="console">
            <header class="bar">
                <h1>{ "Accord console" }</h1>
                <nav role="tablist" aria-label="Views">
                    { tab(View::Call, "Call", Action::CallView) }
                    { tab(View::Feedback, "Feedback", Action::FeedbackView) }
                    { tab(View::Recent, "Recent calls", Action::RecentView) }
                </nav>
                <button type="button" class="secondary" aria-keyshortcuts="F1" onclick={toggle_help}>{ "Shortcuts (?)" }</button>
            </header>
            { loader }
            <main>{ body }</main>
            if *help {
                <div class="overlay">
                    <div role="dialog" aria-modal="true" aria-labelledby="help-title" class="shortcuts">
                        <h2 id="help-title">{ "Keyboard shortcuts" }</h2>
                        <table>
                            <tbody>
                                { for SHORTCUTS.iter().map(|(key, _, _, what)| html! {
                                    <tr><th scope="row"><kbd>{ *key }</kbd></th><td>{ *what }</td></tr>
                                }) }
                            </tbody>
                        </table>
                        <button type="button" onclick={close_help} ref={close_button}>{ "Close" }</button>
                    </div>
                </div>
            }
        </div>
    }
}

/// Calls `act` with each shortcut pressed while the calling component is
/// shown. With `opening_counts`, the press that made it appear counts too
/// (Alt+I opens the Feedback view and loads); without it, only later ones
/// (the Alt+S that saved a call must not act on the next call's script).
#[hook]
pub fn use_shortcuts<F>(pressed: Pressed, opening_counts: bool, act: F)
where
    F: Fn(Action) + 'static,
{
    let seen = use_mut_ref(|| {
        if opening_counts {
            pressed.seq.wrapping_sub(1)
        } else {
            pressed.seq
        }
    });
    use_effect_with(pressed.seq, move |_| {
        if *seen.borrow() != pressed.seq {
            *seen.borrow_mut() = pressed.seq;
            if let Some(action) = pressed.action {
                act(action);
            }
        }
    });
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
