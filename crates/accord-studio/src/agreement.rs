//! Agreeing: the definitions page (the rulebook as sentences, with its
//! sign-offs), the changes since the last agreed version, signing off and
//! publishing.

use crate::checked::Checked;
use crate::path::{Edit, JsonPath};
use crate::snippet::SnippetForm;
use accord_core::{changes, definitions, is_agreed, sign, Rulebook, SignOffState};
use serde_json::Value;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What "Publish" was asked to do.
#[derive(Debug, Clone, PartialEq)]
pub struct Publish {
    /// The version to publish.
    pub version: String,
    /// The inbox's rulebook store, or empty for the download only.
    pub inbox: String,
    /// The inbox's read token, if it needs one (never kept).
    pub token: String,
}

/// Properties of the agreement views.
#[derive(Properties, PartialEq, Clone)]
pub struct AgreementProps {
    /// The document.
    pub doc: Rc<Value>,
    /// The checked draft.
    pub checked: Rc<Checked>,
    /// The last agreed version, when valid.
    pub baseline: Option<Rc<Rulebook>>,
    /// Makes an edit.
    pub edit: Callback<Edit>,
    /// Publishes the draft as the agreed version: the new version, and
    /// the inbox to hand it to with its token (both may be empty).
    #[prop_or_default]
    pub publish: Callback<Publish>,
    /// The inbox's rulebook store the publish form offers
    /// (`/api/rulebooks` when the studio is served by `accord serve`).
    #[prop_or_default]
    pub inbox: AttrValue,
}

fn state_words(state: SignOffState) -> &'static str {
    match state {
        SignOffState::Current => "covers these rules",
        SignOffState::Stale => "stale: the rules changed after this sign-off",
        SignOffState::Unbound => "not bound to these rules (signed outside the studio)",
    }
}

/// What is typed in the input behind `r`, trimmed.
pub(crate) fn typed(r: &NodeRef) -> String {
    r.cast::<HtmlInputElement>()
        .map(|i| i.value().trim().to_owned())
        .unwrap_or_default()
}

/// The sign-offs, each with whether it still covers the rules, and with
/// `remove`, a button that takes one away.
fn sign_offs(checked: &Checked, remove: Option<&Callback<Edit>>) -> Html {
    if checked.rulebook.is_none() {
        return html! { <p>{ "The sign-offs show once the problems are fixed." }</p> };
    }
    if checked.sign_offs.is_empty() {
        return html! { <p>{ "Nobody has signed off yet." }</p> };
    }
    html! {
        <ul class="sign-offs">
            { for checked.sign_offs.iter().enumerate().map(|(i, s)| {
                let a = &s.agreement;
                let date = a.date.as_deref().map(|d| format!(" on {d}")).unwrap_or_default();
                let button = remove.map(|edit| {
                    let edit = edit.clone();
                    let onclick = Callback::from(move |_: MouseEvent| {
                        edit.emit(Edit::Remove(JsonPath::root().key("agreed_by").index(i)))
                    });
                    html! { <button type="button" class="link" {onclick}
                        aria-label={format!("Remove the sign-off of {} ({})", a.name, a.team)}>{ "Remove" }</button> }
                });
                html! { <li class={s.state.name()}>
                    { format!("{} ({}){date}: ", a.name, a.team) }<strong>{ state_words(s.state) }</strong>
                    { " " }{ for button }
                </li> }
            }) }
        </ul>
    }
}

/// The definitions page.
#[function_component(DefinitionsView)]
pub fn definitions_view(props: &AgreementProps) -> Html {
    let Some(rulebook) = &props.checked.rulebook else {
        return html! { <section><h2>{ "Definitions" }</h2><p>{ "Fix the problems to see the definitions." }</p></section> };
    };
    let d = definitions(rulebook);
    let doc = rulebook.doc();
    let print = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    html! {
        <section class="definitions" aria-labelledby="definitions-heading">
            <h2 id="definitions-heading">{ format!("Definitions: {} ({} {})", doc.title, doc.id, doc.version) }</h2>
            <button type="button" class="no-print" onclick={print}>{ "Print" }</button>
            { for d.sections.iter().map(|s| html! { <>
                <h3>{ &s.heading }</h3>
                <dl>{ for s.lines.iter().map(|l| html! { <>
                    <dt>{ &l.term }</dt><dd>{ &l.text }</dd>
                </> }) }</dl>
            </> }) }
            <h3>{ "Signed off by" }</h3>
            { sign_offs(&props.checked, None) }
        </section>
    }
}

/// The changes since the last agreed version.
#[function_component(ChangesView)]
pub fn changes_view(props: &AgreementProps) -> Html {
    let body = match (&props.baseline, &props.checked.rulebook) {
        (None, _) => html! { <p>{ "There is no agreed version to compare with yet." }</p> },
        (_, None) => html! { <p>{ "Fix the problems to see the changes." }</p> },
        (Some(old), Some(new)) => {
            let list = changes(old, new);
            let r = old.reference();
            html! { <>
                <p>{ format!("Compared with {} {}, the last agreed version.", r.id, r.version) }</p>
                if list.is_empty() { <p>{ "No changes." }</p> }
                <ul class="changes">
                    { for list.iter().map(|c| html! { <li><span class="area">{ c.area }</span>{ " " }{ &c.text }</li> }) }
                </ul>
            </> }
        }
    };
    html! {
        <section aria-labelledby="changes-heading">
            <h2 id="changes-heading">{ "Changes since the last agreed version" }</h2>
            { body }
        </section>
    }
}

/// Signing off and publishing.
#[function_component(SignOffView)]
pub fn sign_off_view(props: &AgreementProps) -> Html {
    let team = use_node_ref();
    let name = use_node_ref();
    let version = use_node_ref();
    let message = use_state(String::new);
    let valid = props.checked.rulebook.is_some();
    let agreed = is_agreed(&props.checked.sign_offs);
    let fixtures_pass = props.checked.fixtures.iter().all(|f| f.passed());
    let onsign = {
        let (team, name, doc, edit, message) = (
            team.clone(),
            name.clone(),
            props.doc.clone(),
            props.edit.clone(),
            message.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (who, for_team) = (typed(&name), typed(&team));
            if who.is_empty() || for_team.is_empty() {
                message.set("Give your team and your name to sign off.".into());
                return;
            }
            let mut signed = (*doc).clone();
            match sign(&mut signed, &for_team, &who, Some(&crate::page::today())) {
                Ok(()) => {
                    let list = signed["agreed_by"].clone();
                    edit.emit(Edit::Set(JsonPath::root().key("agreed_by"), list));
                    message.set(format!("Signed off by {who} for {for_team}."));
                }
                Err(e) => message.set(e),
            }
        })
    };
    let inbox = use_node_ref();
    let token = use_node_ref();
    let onpublish = {
        let (version, inbox, token, publish) = (
            version.clone(),
            inbox.clone(),
            token.clone(),
            props.publish.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            publish.emit(Publish {
                version: typed(&version),
                inbox: typed(&inbox),
                token: typed(&token),
            });
        })
    };
    let current_version = props.doc["version"].as_str().unwrap_or_default().to_owned();
    html! {
        <section aria-labelledby="sign-heading">
            <h2 id="sign-heading">{ "Sign off and publish" }</h2>
            <h3>{ "Sign-offs" }</h3>
            { sign_offs(&props.checked, Some(&props.edit)) }
            <form class="sign" onsubmit={onsign}>
                <div class="grid">
                    <div class="control">
                        <label for="sign-team">{ "Team" }</label>
                        <input id="sign-team" ref={team} list="sign-teams" />
                        <datalist id="sign-teams"><option value="marketing" /><option value="sales" /><option value="sales ops" /></datalist>
                    </div>
                    <div class="control">
                        <label for="sign-name">{ "Your name" }</label>
                        <input id="sign-name" ref={name} autocomplete="name" />
                    </div>
                </div>
                <button type="submit" disabled={!valid}>{ "Sign off these rules" }</button>
            </form>
            <p role="status" class="status">{ (*message).clone() }</p>
            <h3>{ "Publish" }</h3>
            if !valid {
                <p>{ "Fix the problems before publishing." }</p>
            } else if !agreed {
                <p>{ "Publishing needs at least one sign-off, and every sign-off must cover these rules." }</p>
            } else if !fixtures_pass {
                <p>{ "Publishing needs every fixture to pass (see Fixture results)." }</p>
            }
            <form class="publish" onsubmit={onpublish}>
                <div class="grid">
                    <div class="control">
                        <label for="publish-version">{ "Version to publish" }</label>
                        <input id="publish-version" ref={version} value={crate::draft::next_version(&current_version)} />
                    </div>
                    <div class="control">
                        <label for="publish-inbox">{ "Inbox to hand it to (empty: download only)" }</label>
                        <input id="publish-inbox" ref={inbox.clone()} value={props.inbox.clone()} />
                    </div>
                    <div class="control">
                        <label for="publish-token">{ "Inbox publish token, if it has tokens" }</label>
                        <input id="publish-token" type="password" ref={token.clone()} autocomplete="off"
                            aria-describedby="publish-token-hint" />
                        <p class="hint" id="publish-token-hint">{ "Sent only to that inbox, never kept." }</p>
                    </div>
                </div>
                <button type="submit" disabled={!(valid && agreed && fixtures_pass)}>{ "Publish and download" }</button>
            </form>
            if valid {
                <SnippetForm id={AttrValue::from(props.doc["id"].as_str().unwrap_or_default().to_owned())}
                    version={AttrValue::from(current_version.clone())} {inbox} {token} />
            }
        </section>
    }
}
