//! The studio's frame: the draft and its checks in one reducer, the
//! toolbar (undo, redo, download, open), the views (edit, JSON,
//! definitions, changes, sign off) and the proof beside them (problems,
//! fixtures, preview). Every change is kept on this device at once.

use crate::agreement::{ChangesView, DefinitionsView, Publish, SignOffView};
use crate::checked::Checked;
use crate::draft::Draft;
use crate::edit::EditView;
use crate::editor::{Editor, Outline};
use crate::impact_view::ImpactView;
use crate::json_view::JsonView;
use crate::page::{self, DRAFT_KEY};
use crate::path::{Edit, JsonPath};
use crate::preview::Preview;
use crate::proof::{FixtureResults, ProblemList};
use crate::start::Start;
use accord_core::Rulebook;
use serde_json::{json, Value};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`App`].
#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    /// The template catalogue's URL.
    pub catalogue: AttrValue,
    /// The inbox's rulebook store that publishing offers (may be empty).
    pub inbox: AttrValue,
}

/// The studio's views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The forms.
    Edit,
    /// The JSON text.
    Json,
    /// The rulebook as sentences.
    Definitions,
    /// Changes since the last agreed version.
    Changes,
    /// What the draft does to real leads.
    Impact,
    /// Sign off and publish.
    SignOff,
}

const VIEWS: [(View, &str); 6] = [
    (View::Edit, "Edit"),
    (View::Json, "JSON"),
    (View::Definitions, "Definitions"),
    (View::Changes, "Changes"),
    (View::Impact, "Impact"),
    (View::SignOff, "Sign off and publish"),
];

/// Everything the studio holds.
#[derive(Clone)]
pub struct Studio {
    draft: Option<Draft>,
    checked: Rc<Checked>,
    /// The draft's last valid version, for the preview.
    last_valid: Option<Rc<Rulebook>>,
    /// The last agreed version, when it is a valid rulebook.
    baseline: Option<Rc<Rulebook>>,
    view: View,
    status: String,
}

impl PartialEq for Studio {
    fn eq(&self, other: &Studio) -> bool {
        self.draft == other.draft && self.view == other.view && self.status == other.status
    }
}

/// What can happen to the studio.
pub enum Action {
    /// A document was opened (it is also the last agreed version).
    Open(Value, String),
    /// The kept draft was found at start.
    Restore(Value, Value),
    /// An edit.
    Edit(Edit),
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Show a view.
    Show(View),
    /// The draft was published as this document.
    Published(Value),
    /// Back to the start page.
    Close,
    /// A message for the status line.
    Say(String),
}

impl Studio {
    fn empty() -> Studio {
        Studio {
            draft: None,
            checked: Rc::new(Checked::of(&Value::Null)),
            last_valid: None,
            baseline: None,
            view: View::Edit,
            status: String::new(),
        }
    }

    /// Checks the draft after a change.
    fn with_draft(mut self, draft: Draft) -> Studio {
        if self.draft.as_ref().map(|d| &d.doc) != Some(&draft.doc) {
            self.checked = Rc::new(Checked::of(&draft.doc));
            if let Some(rb) = &self.checked.rulebook {
                self.last_valid = Some(rb.clone());
            }
        }
        if self.draft.as_ref().map(|d| &d.baseline) != Some(&draft.baseline) {
            self.baseline = Rulebook::from_value(&draft.baseline).ok().map(Rc::new);
        }
        self.draft = Some(draft);
        self
    }
}

impl Reducible for Studio {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Open(doc, source) => {
                // A published file opens as a draft: its stamp would go
                // stale with the first edit, and Publish stamps it again.
                let doc = unstamped(doc);
                next = Studio::empty().with_draft(Draft::new(doc.clone(), doc));
                next.status = format!("Opened {source}.");
            }
            Action::Restore(doc, baseline) => {
                next = Studio::empty().with_draft(Draft::new(doc, baseline));
                next.status = "Restored your draft from this device.".into();
            }
            Action::Edit(edit) => {
                if let Some(draft) = &self.draft {
                    match draft.edit(edit) {
                        Ok(d) => next = next.with_draft(d),
                        Err(e) => next.status = format!("Not changed: {e}"),
                    }
                }
            }
            Action::Undo => {
                if let Some(d) = self.draft.as_ref().filter(|d| d.can_undo()) {
                    next = next.with_draft(d.undo());
                    next.status = "Undone.".into();
                }
            }
            Action::Redo => {
                if let Some(d) = self.draft.as_ref().filter(|d| d.can_redo()) {
                    next = next.with_draft(d.redo());
                    next.status = "Redone.".into();
                }
            }
            Action::Show(view) => next.view = view,
            Action::Published(doc) => {
                if let Some(d) = &self.draft {
                    let published = d
                        .edit(Edit::Replace(doc.clone()))
                        .unwrap_or_else(|_| d.clone());
                    next = next.with_draft(published.with_baseline(doc));
                }
            }
            Action::Close => {
                next = Studio::empty();
            }
            Action::Say(text) => next.status = text,
        }
        Rc::new(next)
    }
}

/// The file name a rulebook downloads as: `<id>-<version>.json`, with any
/// character other than letters, digits, `.`, `-` and `_` made `-`.
fn file_name(doc: &Value) -> String {
    let raw = format!(
        "{}-{}",
        doc["id"].as_str().unwrap_or("rulebook"),
        doc["version"].as_str().unwrap_or("draft")
    );
    let safe: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{safe}.json")
}

/// The studio.
#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let studio = use_reducer(|| {
        let kept = page::kept(DRAFT_KEY).and_then(|t| serde_json::from_str::<Value>(&t).ok());
        let studio = Studio::empty();
        match kept {
            Some(k) if k["doc"].is_object() => (*Rc::new(studio)
                .reduce(Action::Restore(k["doc"].clone(), k["baseline"].clone())))
            .clone(),
            _ => studio,
        }
    });
    // Keep every change on this device at once: a crash loses nothing.
    {
        let studio = studio.clone();
        let draft = studio
            .draft
            .as_ref()
            .map(|d| (d.doc.clone(), d.baseline.clone()));
        use_effect_with(draft, move |draft| {
            if let Some((doc, baseline)) = draft {
                let text = json!({"doc": **doc, "baseline": **baseline}).to_string();
                if !page::keep(DRAFT_KEY, &text) {
                    studio.dispatch(Action::Say(
                        "This device would not keep the draft (storage full or blocked): download it to keep it.".into(),
                    ));
                }
            }
        });
    }
    // Opening a rulebook or going back to the start replaces the page:
    // focus goes to its start (the Edit view's button, the start heading),
    // never to the page's body. Not on the first render.
    {
        let first = use_mut_ref(|| true);
        use_effect_with(studio.draft.is_some(), move |open| {
            if !std::mem::replace(&mut *first.borrow_mut(), false) {
                page::focus(if *open { "view-edit" } else { "start-heading" });
            }
        });
    }
    // One callback for the studio's life: item scopes compare it, and a
    // new one on every render would re-render every item.
    let edit = {
        let studio = studio.dispatcher();
        (*use_memo((), move |_| {
            Callback::from(move |e: Edit| studio.dispatch(Action::Edit(e)))
        }))
        .clone()
    };
    let on_open = {
        let studio = studio.dispatcher();
        Callback::from(move |(doc, source): (Value, String)| {
            studio.dispatch(Action::Open(doc, source))
        })
    };
    // The problems, the same `Rc` while the checks give the same list.
    let problems = use_memo(studio.checked.clone(), |c| c.problems.clone());
    let Some(draft) = &studio.draft else {
        return html! { <>
            <header class="studio-bar"><h1>{ "Accord studio" }</h1></header>
            <main id="main"><Start catalogue={props.catalogue.clone()} {on_open} /></main>
        </> };
    };
    let act = |a: fn() -> Action| {
        let studio = studio.dispatcher();
        Callback::from(move |_: MouseEvent| studio.dispatch(a()))
    };
    let download = {
        let (doc, studio) = (draft.doc.clone(), studio.dispatcher());
        Callback::from(move |_: MouseEvent| {
            let text = serde_json::to_string_pretty(&*doc).unwrap_or_default() + "\n";
            let name = file_name(&doc);
            match page::download(&name, &text) {
                Ok(()) => studio.dispatch(Action::Say(format!("Downloaded {name}."))),
                Err(e) => studio.dispatch(Action::Say(format!("The download failed: {e}"))),
            }
        })
    };
    let close = {
        let studio = studio.dispatcher();
        Callback::from(move |_: MouseEvent| {
            let sure = web_sys::window()
                .and_then(|w| w.confirm_with_message("Open another rulebook? This draft is replaced when you open one: download it first to keep it.").ok())
                .unwrap_or(false);
            if sure {
                studio.dispatch(Action::Close);
            }
        })
    };
    let publish = {
        let (doc, studio) = (draft.doc.clone(), studio.dispatcher());
        Callback::from(move |asked: Publish| {
            if asked.version.is_empty() {
                studio.dispatch(Action::Say("Give the version to publish.".into()));
                return;
            }
            let mut draft = (*doc).clone();
            draft["version"] = Value::String(asked.version.clone());
            // The site's file is stamped, the form the widget reads; the
            // draft goes on without the stamp.
            let stamped = match accord_core::publish(&draft) {
                Ok(stamped) => stamped,
                Err(errors) => {
                    studio.dispatch(Action::Say(format!("Not published: {errors}")));
                    return;
                }
            };
            let text = serde_json::to_string_pretty(&stamped).unwrap_or_default() + "\n";
            let body = serde_json::to_string(&stamped).unwrap_or_default();
            let published = draft;
            // Published means taken where it runs: with an inbox, the file
            // is offered (and the version becomes the agreed one) only once
            // the inbox has accepted it, so a version it refused (taken
            // with other rules) never reaches a site.
            let finish = {
                let studio = studio.clone();
                move |said: String| match page::download(&file_name(&published), &text) {
                    Ok(()) => {
                        studio.dispatch(Action::Published(published.clone()));
                        studio.dispatch(Action::Say(said));
                    }
                    Err(e) => studio.dispatch(Action::Say(format!("The download failed: {e}"))),
                }
            };
            let version = asked.version.clone();
            if asked.inbox.is_empty() {
                finish(format!("Published version {version}: the file is downloading, and it is now the agreed version."));
                return;
            }
            let studio = studio.clone();
            studio.dispatch(Action::Say(format!(
                "Handing version {version} to the inbox…"
            )));
            wasm_bindgen_futures::spawn_local(async move {
                let token = (!asked.token.is_empty()).then_some(asked.token.as_str());
                match page::post_json(&asked.inbox, &body, token).await {
                    Ok((200 | 201, _)) => finish(format!(
                        "Published version {version} to the inbox, which verifies its leads from the first; the file is downloading for the site."
                    )),
                    Ok((status, answer)) => {
                        let why = serde_json::from_str::<Value>(&answer)
                            .ok()
                            .and_then(|v| v["error"].as_str().map(str::to_owned))
                            .unwrap_or(answer);
                        studio.dispatch(Action::Say(format!(
                            "Not published: the inbox refused version {version} (HTTP {status}): {why}"
                        )));
                    }
                    Err(e) => studio.dispatch(Action::Say(format!(
                        "Not published: the inbox could not be reached ({e}). Empty the inbox box to download only."
                    ))),
                }
            });
        })
    };
    let editor = Editor {
        root: JsonPath::root(),
        value: draft.doc.clone(),
        problems: problems.clone(),
        edit: edit.clone(),
    };
    let outline = Rc::new(Outline::of(&draft.doc));
    let show_edit = {
        let studio = studio.dispatcher();
        Callback::from(move |_| studio.dispatch(Action::Show(View::Edit)))
    };
    let inbox = props.inbox.clone();
    let agreement = |view: View| {
        let props = (
            draft.doc.clone(),
            studio.checked.clone(),
            studio.baseline.clone(),
            edit.clone(),
            publish.clone(),
        );
        match view {
            View::Definitions => {
                html! { <DefinitionsView doc={props.0} checked={props.1} baseline={props.2} edit={props.3} /> }
            }
            View::Changes => {
                html! { <ChangesView doc={props.0} checked={props.1} baseline={props.2} edit={props.3} /> }
            }
            _ => {
                html! { <SignOffView doc={props.0} checked={props.1} baseline={props.2} edit={props.3} publish={props.4} inbox={inbox.clone()} /> }
            }
        }
    };
    let view = match studio.view {
        View::Edit => html! { <EditView /> },
        View::Json => html! { <JsonView doc={draft.doc.clone()} edit={edit.clone()} /> },
        View::Impact => html! {
            <ImpactView old={studio.baseline.clone()} new={studio.checked.rulebook.clone()} />
        },
        other => agreement(other),
    };
    // Undo and Redo are aria-disabled, not disabled: a focused button that
    // becomes disabled drops focus to the page.
    let title = draft.doc["title"].as_str().unwrap_or("Untitled").to_owned();
    html! {
        <ContextProvider<Editor> context={editor}>
        <ContextProvider<Rc<Outline>> context={outline}>
            <header class="studio-bar">
                <h1>{ "Accord studio" }<span class="doc-title">{ format!(" · {title}") }</span></h1>
                <div class="tools" role="toolbar" aria-label="Draft">
                    <button type="button" onclick={act(|| Action::Undo)}
                        aria-disabled={(!draft.can_undo()).then_some("true")}>{ "Undo" }</button>
                    <button type="button" onclick={act(|| Action::Redo)}
                        aria-disabled={(!draft.can_redo()).then_some("true")}>{ "Redo" }</button>
                    <button type="button" onclick={download}>{ "Download JSON" }</button>
                    <button type="button" onclick={close}>{ "Open another" }</button>
                </div>
            </header>
            <p class="status" role="status">{ &studio.status }</p>
            <main id="main" class="studio">
                <div class="work">
                    <nav aria-label="Views" class="views">
                        { for VIEWS.iter().map(|(v, name)| {
                            let (v, pressed) = (*v, studio.view == *v);
                            let dispatch = studio.dispatcher();
                            let id = format!("view-{}", name.split(' ').next().unwrap_or_default().to_lowercase());
                            html! { <button type="button" {id} aria-pressed={pressed.to_string()}
                                onclick={Callback::from(move |_| dispatch.dispatch(Action::Show(v)))}>{ *name }</button> }
                        }) }
                    </nav>
                    { view }
                </div>
                <aside class="proof" aria-label="Proof">
                    <ProblemList checked={studio.checked.clone()} on_jump={show_edit} />
                    <FixtureResults checked={studio.checked.clone()} />
                    if let Some(rulebook) = &studio.last_valid {
                        <Preview rulebook={rulebook.clone()} stale={studio.checked.rulebook.is_none()}
                            edit={edit.clone()} fixtures={editor_len(&draft.doc)} />
                    }
                </aside>
            </main>
        </ContextProvider<Rc<Outline>>>
        </ContextProvider<Editor>>
    }
}

fn editor_len(doc: &Value) -> usize {
    JsonPath::root()
        .key("fixtures")
        .get(doc)
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
}

/// `doc` without the stamp `accord publish` gives it.
fn unstamped(mut doc: Value) -> Value {
    if let Some(map) = doc.as_object_mut() {
        map.remove(accord_core::CHECKED_KEY);
    }
    doc
}
