//! Feedback: a rep opens a lead marketing sent and accepts or rejects it,
//! with a reason from the lead's rulebook. The verdict is posted as a
//! feedback record (`docs/feedback.md`) through the outbox.

use crate::app::Pressed;
use crate::keys::Action;
use crate::options::Options;
use accord_core::{FeedbackRecord, LeadRecord, Rep, Rulebook, Verdict, WebhookEncoding};
use accord_web::load::RulebookSource;
use accord_web::load::{fetch_text, read_rulebook};
use accord_web::{bridge, outbox, page};
use serde_json::Value;
use std::collections::BTreeMap;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Properties of [`FeedbackView`].
#[derive(Properties, PartialEq, Clone)]
pub struct FeedbackProps {
    /// The page's options (inbox, catalogue, feedback endpoint).
    pub options: Rc<Options>,
    /// The rulebook loaded in the console, if any.
    pub current: Option<Rc<Rulebook>>,
    /// The latest shortcut.
    pub pressed: Pressed,
}

/// An open lead and what is known about its rulebook.
#[derive(Clone, PartialEq)]
struct Open {
    lead: Rc<LeadRecord>,
    rulebook: Option<Rc<Rulebook>>,
}

/// Lead records in a JSON document: one record, a list of records, or an
/// object with `records` (the inbox's list, whose items hold `record`).
pub fn leads_in(value: Value) -> Vec<Value> {
    let items = match value {
        Value::Array(items) => items,
        Value::Object(mut map) => match map.remove("records") {
            Some(Value::Array(items)) => items,
            _ => vec![Value::Object(map)],
        },
        _ => Vec::new(),
    };
    items
        .into_iter()
        .map(|item| match item {
            Value::Object(mut map) if map.contains_key("record") => {
                map.remove("record").unwrap_or(Value::Null)
            }
            other => other,
        })
        .filter(|v| v.get("accord_record").is_some())
        .collect()
}

/// Finds and loads the rulebook `id`: the console's own, or one listed in
/// the catalogue (`[{id, url}]`, URLs relative to the page).
async fn rulebook_for(
    id: &str,
    current: Option<Rc<Rulebook>>,
    catalogue: &str,
) -> Result<Rc<Rulebook>, String> {
    if let Some(rb) = current.filter(|rb| rb.reference().id == id) {
        return Ok(rb);
    }
    let list = bridge::parse(
        &fetch_text(catalogue)
            .await
            .map_err(|e| format!("{catalogue}: {e}"))?,
    )?;
    let url = list
        .as_array()
        .into_iter()
        .flatten()
        .find(|entry| entry.get("id").and_then(Value::as_str) == Some(id))
        .and_then(|entry| entry.get("url").and_then(Value::as_str))
        .ok_or_else(|| format!("rulebook {id} is not in {catalogue}"))?;
    let base = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let absolute = web_sys::Url::new_with_base(url, &base)
        .map(|u| u.href())
        .unwrap_or_else(|_| url.to_owned());
    read_rulebook(&RulebookSource::Url(absolute))
        .await
        .map(Rc::new)
}

/// The feedback view.
#[function_component(FeedbackView)]
pub fn feedback_view(props: &FeedbackProps) -> Html {
    let leads = use_state(Vec::<Value>::new);
    let message = use_state(String::new);
    let open = use_state(|| None::<Open>);
    let status = use_state(String::new);
    let paste = use_node_ref();
    let feed = use_node_ref();
    let reason = use_node_ref();
    let note = use_node_ref();
    let rep = use_state(crate::rep::remembered);
    let given = use_state(BTreeMap::<String, String>::new);

    let fetch_leads = {
        let (leads, message) = (leads.clone(), message.clone());
        move |url: String| {
            let (leads, message) = (leads.clone(), message.clone());
            message.set(format!("Loading {url}…"));
            wasm_bindgen_futures::spawn_local(async move {
                match fetch_text(&url).await.and_then(|t| bridge::parse(&t)) {
                    Ok(value) => {
                        let found: Vec<Value> = leads_in(value)
                            .into_iter()
                            .filter(|r| r.get("channel").and_then(Value::as_str) != Some("call"))
                            .collect();
                        message.set(format!("{} leads from {url}", found.len()));
                        leads.set(found);
                    }
                    Err(e) => message.set(format!("Could not load {url}: {e}")),
                }
            });
        }
    };
    let open_lead = {
        let (open, message, status) = (open.clone(), message.clone(), status.clone());
        let (current, catalogue) = (props.current.clone(), props.options.catalogue.clone());
        Callback::from(move |value: Value| {
            let lead: LeadRecord = match serde_json::from_value(value) {
                Ok(lead) => lead,
                Err(e) => {
                    message.set(format!("This is not a lead record: {e}"));
                    return;
                }
            };
            status.set(String::new());
            let (open, message, current, catalogue) = (
                open.clone(),
                message.clone(),
                current.clone(),
                catalogue.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let rulebook = match rulebook_for(&lead.rulebook.id, current, &catalogue).await {
                    Ok(rb) => Some(rb),
                    Err(e) => {
                        message.set(format!("Reasons unavailable: {e}"));
                        None
                    }
                };
                open.set(Some(Open {
                    lead: Rc::new(lead),
                    rulebook,
                }));
                crate::app::focus_id("lead-title");
            });
        })
    };
    let send = {
        let (open, status, reason, note, rep, given) = (
            open.clone(),
            status.clone(),
            reason.clone(),
            note.clone(),
            rep.clone(),
            given.clone(),
        );
        let endpoint = props.options.feedback_endpoint.clone();
        move |verdict: Verdict| {
            let Some(current) = (*open).clone() else {
                status.set("Open a lead first.".into());
                return;
            };
            let Some(rulebook) = current.rulebook.clone() else {
                status.set(
                    "This lead's rulebook is unknown here, so no verdict can be checked.".into(),
                );
                return;
            };
            let reason_id = reason
                .cast::<HtmlSelectElement>()
                .map(|s| s.value())
                .filter(|v| !v.is_empty());
            let text = note
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            let feedback = FeedbackRecord::new(
                &current.lead,
                &rulebook,
                verdict,
                reason_id.as_deref(),
                Some(text),
                Some(Rep {
                    name: rep.trim().to_owned(),
                    email: None,
                }),
                page::new_submission_id(),
                page::now_rfc3339(),
            );
            let feedback = match feedback {
                Ok(f) => f,
                Err(e) => {
                    status.set(match verdict {
                        Verdict::Rejected if reason_id.is_none() => {
                            "Choose a reason for rejecting this lead.".into()
                        }
                        _ => e,
                    });
                    return;
                }
            };
            let Ok(value) = serde_json::to_value(&feedback) else {
                return;
            };
            let request = accord_core::webhook_request(
                &endpoint,
                WebhookEncoding::Json,
                &BTreeMap::new(),
                &value,
            );
            let verdict_text = match verdict {
                Verdict::Accepted => "Accepted".to_owned(),
                Verdict::Rejected => format!(
                    "Rejected ({})",
                    feedback
                        .reason
                        .as_ref()
                        .map(|r| r.label.as_str())
                        .unwrap_or("")
                ),
            };
            let mut marks = (*given).clone();
            marks.insert(feedback.submission_id.clone(), verdict_text.clone());
            given.set(marks);
            status.set(format!("{verdict_text}. Sending…"));
            let status = status.clone();
            outbox::send_record(&feedback.feedback_id, vec![request], None, move |p| {
                status.set(format!("{verdict_text}. {}", outbox::status_text(p)))
            });
        }
    };
    let from_inbox = {
        let (fetch_leads, url) = (fetch_leads.clone(), props.options.inbox.clone());
        move || fetch_leads(url.clone())
    };
    // Shortcuts for this view (Alt+I may arrive as the view opens).
    {
        let (send, from_inbox) = (send.clone(), from_inbox.clone());
        crate::app::use_shortcuts(props.pressed, true, move |action| match action {
            Action::Accept => send(Verdict::Accepted),
            Action::Reject => send(Verdict::Rejected),
            Action::InboxLeads => from_inbox(),
            _ => {}
        });
    }

    let on_from_inbox = {
        let from_inbox = from_inbox.clone();
        Callback::from(move |_: MouseEvent| from_inbox())
    };
    let from_feed = {
        let (fetch_leads, feed) = (fetch_leads.clone(), feed.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(url) = feed.cast::<HtmlInputElement>().map(|i| i.value()) {
                if !url.trim().is_empty() {
                    fetch_leads(url.trim().to_owned());
                }
            }
        })
    };
    let from_paste = {
        let (paste, leads, message, open_lead) = (
            paste.clone(),
            leads.clone(),
            message.clone(),
            open_lead.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = paste
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            match bridge::parse(&text) {
                Ok(value) => {
                    let found = leads_in(value);
                    match found.len() {
                        0 => message.set("No lead record in the pasted text.".into()),
                        1 => open_lead.emit(found.into_iter().next().unwrap_or_default()),
                        n => {
                            message.set(format!("{n} leads pasted"));
                            leads.set(found);
                        }
                    }
                }
                Err(e) => message.set(format!("The pasted text is not JSON: {e}")),
            }
        })
    };
    let on_rep = crate::rep::on_input(rep.clone());

    let list = html! {
        <table aria-label="Leads">
            <thead><tr>
                <th scope="col">{ "Received" }</th><th scope="col">{ "Lead" }</th>
                <th scope="col">{ "Grade" }</th><th scope="col">{ "Your verdict" }</th><th scope="col"></th>
            </tr></thead>
            <tbody>
                { for leads.iter().map(|lead| {
                    let id = lead["submission_id"].as_str().unwrap_or_default().to_owned();
                    let who = crate::calls::who(lead);
                    let onclick = {
                        let (open_lead, lead) = (open_lead.clone(), lead.clone());
                        Callback::from(move |_: MouseEvent| open_lead.emit(lead.clone()))
                    };
                    html! {
                        <tr>
                            <td>{ lead["submitted_at"].as_str().unwrap_or_default() }</td>
                            <td>{ who.clone() }</td>
                            <td>{ lead["qualification"]["grade"].as_str().unwrap_or_default() }</td>
                            <td>{ given.get(&id).cloned().unwrap_or_default() }</td>
                            <td><button type="button" {onclick} aria-label={format!("Open lead {who}")}>{ "Open" }</button></td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    };
    let detail = (*open).clone().map(|o| {
        let lead = &o.lead;
        let reasons = o
            .rulebook
            .as_ref()
            .and_then(|rb| rb.doc().feedback.clone())
            .map(|f| f.reject_reasons)
            .unwrap_or_default();
        let accept = {
            let send = send.clone();
            Callback::from(move |_: MouseEvent| send(Verdict::Accepted))
        };
        let reject = {
            let send = send.clone();
            Callback::from(move |_: MouseEvent| send(Verdict::Rejected))
        };
        let answers = lead.answers.iter().map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            html! { <tr><th scope="row">{ k.clone() }</th><td>{ text }</td></tr> }
        });
        html! {
            <section class="lead" aria-labelledby="lead-title">
                <h3 id="lead-title" tabindex="-1">{ format!("Lead: {}", crate::calls::who(&serde_json::to_value(&**lead).unwrap_or_default())) }</h3>
                <p>{ format!("Grade {} · total {} · rulebook {} {}", lead.qualification.grade,
                    lead.qualification.scores.get("total").copied().unwrap_or(0),
                    lead.rulebook.id, lead.rulebook.version) }</p>
                <table aria-label="Answers"><tbody>{ for answers }</tbody></table>
                <ul aria-label="Why this grade">
                    { for lead.qualification.contributions.iter().map(|c| html! { <li>{ format!("{:+} {}", c.points, c.label) }</li> }) }
                </ul>
                <label for="feedback-rep">{ "Rep" }</label>
                <input id="feedback-rep" type="text" value={(*rep).clone()} oninput={on_rep.clone()} />
                <label for="feedback-reason">{ "Reason for rejecting" }</label>
                <select id="feedback-reason" ref={reason.clone()}>
                    <option value="" selected=true>{ "Choose…" }</option>
                    { for reasons.iter().map(|r| html! { <option value={r.id.clone()}>{ r.label.clone() }</option> }) }
                </select>
                <label for="feedback-note">{ "Note for marketing" }</label>
                <textarea id="feedback-note" rows="3" ref={note.clone()} />
                <div class="actions">
                    <button type="button" onclick={accept} aria-keyshortcuts="Alt+A" title="Alt+A">{ "Accept lead" }</button>
                    <button type="button" class="danger" onclick={reject} aria-keyshortcuts="Alt+J" title="Alt+J">{ "Reject lead" }</button>
                </div>
                <p class="saved" role="status" aria-live="polite">{ (*status).clone() }</p>
            </section>
        }
    });
    html! {
        <div class="feedback">
            <section class="sources" aria-labelledby="sources-title">
                <h2 id="sources-title">{ "Leads from marketing" }</h2>
                <button type="button" onclick={on_from_inbox} aria-keyshortcuts="Alt+I" title="Alt+I">{ "Load leads from the inbox" }</button>
                <form onsubmit={from_feed}>
                    <label for="feed-url">{ "JSON feed URL" }</label>
                    <input id="feed-url" type="url" ref={feed} />
                    <button type="submit">{ "Load feed" }</button>
                </form>
                <form onsubmit={from_paste}>
                    <label for="paste-record">{ "Paste a lead record" }</label>
                    <textarea id="paste-record" rows="3" ref={paste} />
                    <button type="submit">{ "Open pasted record" }</button>
                </form>
                <p role="status">{ (*message).clone() }</p>
                { list }
            </section>
            { for detail }
        </div>
    }
}
