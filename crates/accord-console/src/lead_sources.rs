//! Where the feedback view's leads come from (the inbox, a JSON feed, a
//! pasted record) and the list of them with the rep's verdicts so far.

use crate::feedback_state::{FeedbackAction, FeedbackState};
use crate::words::{t, tf};
use accord_core::LeadRecord;
use accord_web::bridge;
use serde_json::Value;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Properties of [`LeadSources`].
#[derive(Properties, PartialEq, Clone)]
pub struct LeadSourcesProps {
    /// The feedback view's state.
    pub state: UseReducerHandle<FeedbackState>,
    /// Load the inbox's leads.
    pub on_inbox: Callback<()>,
    /// Load the leads of a JSON feed at this URL.
    pub on_feed: Callback<String>,
    /// Pasted JSON to read leads from.
    pub on_pasted: Callback<Value>,
    /// Open this lead.
    pub on_open: Callback<Rc<LeadRecord>>,
}

/// The sources and the list of leads.
#[function_component(LeadSources)]
pub fn lead_sources(props: &LeadSourcesProps) -> Html {
    let state = &props.state;
    let feed = use_node_ref();
    let paste = use_node_ref();
    let on_inbox = {
        let on_inbox = props.on_inbox.clone();
        Callback::from(move |_: MouseEvent| on_inbox.emit(()))
    };
    let from_feed = {
        let (on_feed, feed) = (props.on_feed.clone(), feed.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let url = feed
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            if !url.trim().is_empty() {
                on_feed.emit(url.trim().to_owned());
            }
        })
    };
    let from_paste = {
        let (on_pasted, paste, state) = (props.on_pasted.clone(), paste.clone(), state.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = paste
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            match bridge::parse(&text) {
                Ok(value) => on_pasted.emit(value),
                Err(e) => state.dispatch(FeedbackAction::Message(tf(
                    "The pasted text is not JSON: {e}",
                    &[("e", &e)],
                ))),
            }
        })
    };
    let on_token = {
        let state = state.clone();
        crate::memory::on_input(crate::memory::INBOX_TOKEN, move |token| {
            state.dispatch(FeedbackAction::Token(token))
        })
    };
    let row = |lead: &Rc<LeadRecord>| {
        let who = crate::calls::who(lead);
        let onclick = {
            let (on_open, lead) = (props.on_open.clone(), lead.clone());
            Callback::from(move |_: MouseEvent| on_open.emit(lead.clone()))
        };
        html! {
            <tr>
                <td>{ &lead.submitted_at }</td>
                <td>{ who.clone() }</td>
                <td>{ &lead.qualification.grade }</td>
                <td>{ state.given.get(&lead.submission_id).cloned().unwrap_or_default() }</td>
                <td><button type="button" {onclick} aria-label={format!("Open lead {who}")}>{ t("Open") }</button></td>
            </tr>
        }
    };
    html! {
        <section class="sources" aria-labelledby="sources-title">
            <h2 id="sources-title">{ t("Leads from marketing") }</h2>
            <label for="inbox-token">{ t("Inbox token") }</label>
            <input id="inbox-token" type="password" autocomplete="off" aria-describedby="inbox-token-help"
                   value={state.token.clone()} oninput={on_token} />
            <p id="inbox-token-help" class="hint">{ t("Kept on this device and sent only to the inbox, when it asks for one.") }</p>
            <button type="button" onclick={on_inbox} aria-keyshortcuts="Alt+I" title="Alt+I">{ t("Load leads from the inbox") }</button>
            <form onsubmit={from_feed}>
                <label for="feed-url">{ t("JSON feed URL") }</label>
                <input id="feed-url" type="url" ref={feed} />
                <button type="submit">{ t("Load feed") }</button>
            </form>
            <form onsubmit={from_paste}>
                <label for="paste-record">{ t("Paste a lead record") }</label>
                <textarea id="paste-record" rows="3" ref={paste} />
                <button type="submit">{ t("Open pasted record") }</button>
            </form>
            <p role="status">{ &state.message }</p>
            <div class="table-scroll" role="region" aria-label={t("Leads, scrollable")} tabindex="0">
                <table aria-label={t("Leads")}>
                    <thead><tr>
                        <th scope="col">{ t("Received") }</th><th scope="col">{ t("Lead") }</th>
                        <th scope="col">{ t("Grade") }</th><th scope="col">{ t("Your verdict") }</th>
                        <th scope="col"><span class="visually-hidden">{ t("Open") }</span></th>
                    </tr></thead>
                    <tbody>{ for state.leads.iter().map(row) }</tbody>
                </table>
            </div>
        </section>
    }
}
