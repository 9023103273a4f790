//! Feedback: a rep opens a lead marketing sent and accepts or rejects it,
//! with a reason from the lead's rulebook. The verdict is posted as a
//! feedback record (`docs/feedback.md`) through the outbox. The state is one
//! reducer (`feedback_state.rs`); the parts are `lead_sources.rs` (where
//! leads come from, and the list) and `lead_detail.rs` (the open lead).

use crate::feedback_state::{verdict_text, FeedbackAction, FeedbackState, Open};
use crate::keys::{use_shortcuts, Action, Pressed};
use crate::lead_detail::LeadDetail;
use crate::lead_sources::LeadSources;
use crate::memory;
use crate::options::Options;
use crate::words::{t, tf};
use accord_core::{LeadRecord, Rulebook, RulebookRef, Verdict, WebhookEncoding};
use accord_web::load::{fetch_text, fetch_text_with, read_rulebook, RulebookSource};
use accord_web::{bridge, outbox, page};
use serde_json::Value;
use std::collections::BTreeMap;
use std::rc::Rc;
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
    /// The rep wants to call the open lead.
    pub on_call: Callback<Open>,
}

/// Finds and loads the rulebook `id`: the console's own, or one listed in
/// the catalogue (`[{id, url}]`, URLs relative to the page).
async fn rulebook_for(
    wanted: &RulebookRef,
    current: Option<Rc<Rulebook>>,
    catalogue: &str,
) -> Result<Rc<Rulebook>, String> {
    let id = wanted.id.as_str();
    if let Some(rb) = current.filter(|rb| rb.reference() == wanted) {
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
    let rulebook = read_rulebook(&RulebookSource::Url(absolute)).await?;
    // The same agreement, or none: id, version and hash.
    if rulebook.reference() != wanted {
        let found = rulebook.reference();
        return Err(format!(
            "the lead was graded by {id} {} ({}…), the catalogue has {} ({}…)",
            wanted.version,
            wanted.sha256.get(..12).unwrap_or_default(),
            found.version,
            found.sha256.get(..12).unwrap_or_default()
        ));
    }
    Ok(Rc::new(rulebook))
}

/// The feedback view.
#[function_component(FeedbackView)]
pub fn feedback_view(props: &FeedbackProps) -> Html {
    let state = use_reducer(|| {
        FeedbackState::new(
            memory::remembered(memory::REP),
            memory::remembered(memory::INBOX_TOKEN),
        )
    });
    // Leads from `url`; the inbox token goes with them only to the inbox.
    let fetch_leads = {
        let state = state.clone();
        let inbox = props.options.inbox.clone();
        Callback::from(move |url: String| {
            let state = state.clone();
            let token = (url == inbox)
                .then(|| state.inbox_token().map(str::to_owned))
                .flatten();
            state.dispatch(FeedbackAction::Message(tf(
                "Loading {url}…",
                &[("url", &url)],
            )));
            wasm_bindgen_futures::spawn_local(async move {
                let text = fetch_text_with(&url, token.as_deref()).await;
                match text.and_then(|t| bridge::parse(&t)) {
                    Ok(value) => {
                        let (leads, unreadable) = crate::feedback_state::leads_in(value);
                        state.dispatch(FeedbackAction::Loaded {
                            leads,
                            unreadable,
                            source: url,
                        });
                    }
                    Err(e) => {
                        let message = if e == "HTTP 401" {
                            "Could not load {url}: {e} (the inbox needs a token: enter it under Inbox token)"
                        } else {
                            "Could not load {url}: {e}"
                        };
                        state.dispatch(FeedbackAction::Message(tf(
                            message,
                            &[("url", &url), ("e", &e)],
                        )))
                    }
                }
            });
        })
    };
    let open_lead = {
        let state = state.clone();
        let (current, catalogue) = (props.current.clone(), props.options.catalogue.clone());
        Callback::from(move |lead: Rc<LeadRecord>| {
            let (state, current, catalogue) = (state.clone(), current.clone(), catalogue.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let rulebook = match rulebook_for(&lead.rulebook, current, &catalogue).await {
                    Ok(rb) => Some(rb),
                    Err(e) => {
                        state.dispatch(FeedbackAction::Message(tf(
                            "Reasons unavailable: {e}",
                            &[("e", &e)],
                        )));
                        None
                    }
                };
                state.dispatch(FeedbackAction::Opened(Open { lead, rulebook }));
                crate::app::focus_id("lead-title");
            });
        })
    };
    let send = {
        let state = state.clone();
        let endpoint = props.options.feedback_endpoint.clone();
        Callback::from(move |verdict: Verdict| {
            let feedback =
                match state.feedback(verdict, page::new_submission_id(), page::now_rfc3339()) {
                    Ok(feedback) => feedback,
                    Err(message) => return state.dispatch(FeedbackAction::Status(message)),
                };
            let Ok(value) = serde_json::to_value(&feedback) else {
                return;
            };
            let mut headers = BTreeMap::new();
            if let Some(token) = state.inbox_token() {
                headers.insert("Authorization".to_owned(), format!("Bearer {token}"));
            }
            let request =
                accord_core::webhook_request(&endpoint, WebhookEncoding::Json, &headers, &value);
            let text = verdict_text(&feedback);
            state.dispatch(FeedbackAction::Given {
                submission_id: feedback.submission_id.clone(),
                text: text.clone(),
            });
            let state = state.clone();
            outbox::send_record(&feedback.feedback_id, vec![request], None, None, move |p| {
                state.dispatch(FeedbackAction::Status(format!(
                    "{text}. {}",
                    crate::words::delivery(p)
                )))
            });
        })
    };
    let from_inbox = {
        let (fetch_leads, url) = (fetch_leads.clone(), props.options.inbox.clone());
        Callback::from(move |()| fetch_leads.emit(url.clone()))
    };
    // Shortcuts for this view (Alt+I may arrive as the view opens).
    {
        let (send, from_inbox) = (send.clone(), from_inbox.clone());
        use_shortcuts(props.pressed, true, move |action| match action {
            Action::Accept => send.emit(Verdict::Accepted),
            Action::Reject => send.emit(Verdict::Rejected),
            Action::InboxLeads => from_inbox.emit(()),
            _ => {}
        });
    }
    let on_pasted = {
        let (state, open_lead) = (state.clone(), open_lead.clone());
        Callback::from(move |value: Value| {
            let (mut leads, unreadable) = crate::feedback_state::leads_in(value);
            match (leads.len(), unreadable) {
                (0, 0) => state.dispatch(FeedbackAction::Message(t(
                    "No lead record in the pasted text.",
                ))),
                (1, 0) => open_lead.emit(Rc::new(leads.remove(0))),
                _ => state.dispatch(FeedbackAction::Loaded {
                    leads,
                    unreadable,
                    source: "the pasted text".into(),
                }),
            }
        })
    };
    html! {
        <div class="feedback">
            <LeadSources state={state.clone()} on_inbox={from_inbox} on_feed={fetch_leads}
                         {on_pasted} on_open={open_lead} />
            if state.open.is_some() {
                <LeadDetail state={state.clone()} on_verdict={send} on_call={props.on_call.clone()} />
            }
        </div>
    }
}
