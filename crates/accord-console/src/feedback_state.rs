//! The feedback view's state and its transitions, in one reducer: the
//! leads marketing sent (typed lead records), the open lead, the rep's
//! verdicts so far, and the form for the next one. Plain Rust, tested
//! natively; the view (`feedback.rs`) fetches and sends.

use crate::words::{t, tf};
use accord_core::{Channel, FeedbackRecord, LeadRecord, Rep, Rulebook, Verdict};
use serde_json::Value;
use std::collections::BTreeMap;
use std::rc::Rc;

/// An open lead and its rulebook, when it could be found.
#[derive(Clone, PartialEq)]
pub struct Open {
    /// The lead.
    pub lead: Rc<LeadRecord>,
    /// Its rulebook (for the reject reasons and to check the verdict).
    pub rulebook: Option<Rc<Rulebook>>,
}

/// Lead records in a JSON document: one record, a list of records, or an
/// object with `records` (the inbox's list, whose items hold `record`).
/// Returns the records that read as lead records, and how many items
/// claimed to be records (`accord_record`) but did not read.
pub fn leads_in(value: Value) -> (Vec<LeadRecord>, usize) {
    let items = match value {
        Value::Array(items) => items,
        Value::Object(mut map) => match map.remove("records") {
            Some(Value::Array(items)) => items,
            _ => vec![Value::Object(map)],
        },
        _ => Vec::new(),
    };
    let mut leads = Vec::new();
    let mut unreadable = 0;
    for item in items {
        let item = match item {
            Value::Object(mut map) if map.contains_key("record") => {
                map.remove("record").unwrap_or(Value::Null)
            }
            other => other,
        };
        if item.get("accord_record").is_none() {
            continue;
        }
        match serde_json::from_value::<LeadRecord>(item) {
            Ok(lead) => leads.push(lead),
            Err(_) => unreadable += 1,
        }
    }
    (leads, unreadable)
}

/// Everything the feedback view holds.
#[derive(Clone, PartialEq, Default)]
pub struct FeedbackState {
    /// The leads listed (web leads; calls are the reps' own).
    pub leads: Vec<Rc<LeadRecord>>,
    /// What the last load did.
    pub message: String,
    /// The lead being judged.
    pub open: Option<Open>,
    /// What the last verdict did.
    pub status: String,
    /// The rep's name.
    pub rep: String,
    /// The inbox token (empty: the inbox needs none), sent only to the
    /// inbox: with its list of leads and with each verdict.
    pub token: String,
    /// The chosen reject reason (empty: none).
    pub reason: String,
    /// The note for marketing.
    pub note: String,
    /// The verdict given to each lead in this session, by submission id.
    pub given: BTreeMap<String, String>,
}

/// What can happen in the feedback view.
pub enum FeedbackAction {
    /// A message about loading.
    Message(String),
    /// Leads were loaded from `source`; `unreadable` items did not read.
    Loaded {
        /// The records found.
        leads: Vec<LeadRecord>,
        /// How many claimed to be records but did not read.
        unreadable: usize,
        /// Where they came from, for the message.
        source: String,
    },
    /// A lead was opened.
    Opened(Open),
    /// A message about the verdict.
    Status(String),
    /// The rep's name changed.
    Rep(String),
    /// The inbox token changed.
    Token(String),
    /// The reject reason changed.
    Reason(String),
    /// The note changed.
    Note(String),
    /// A verdict was given and is being sent.
    Given {
        /// The lead's submission id.
        submission_id: String,
        /// The verdict as shown, e.g. "Rejected (Wrong fit)".
        text: String,
    },
}

impl FeedbackState {
    /// A fresh view for the rep `rep`, with the inbox token remembered on
    /// this device.
    pub fn new(rep: String, token: String) -> FeedbackState {
        FeedbackState {
            rep,
            token,
            ..FeedbackState::default()
        }
    }

    /// The token to send to the inbox, if one is set.
    pub fn inbox_token(&self) -> Option<&str> {
        let token = self.token.trim();
        (!token.is_empty()).then_some(token)
    }

    /// The state after `action`.
    pub fn apply(&self, action: FeedbackAction) -> FeedbackState {
        let mut next = self.clone();
        match action {
            FeedbackAction::Message(text) => next.message = text,
            FeedbackAction::Loaded {
                leads,
                unreadable,
                source,
            } => {
                next.leads = leads
                    .into_iter()
                    .filter(|l| l.channel != Channel::Call)
                    .map(Rc::new)
                    .collect();
                let count = next.leads.len().to_string();
                next.message = match unreadable {
                    0 => tf(
                        "{count} leads from {source}",
                        &[("count", &count), ("source", &source)],
                    ),
                    n => tf(
                        "{count} leads from {source}; {n} could not be read",
                        &[
                            ("count", &count),
                            ("source", &source),
                            ("n", &n.to_string()),
                        ],
                    ),
                };
            }
            FeedbackAction::Opened(open) => {
                next.open = Some(open);
                next.status.clear();
                next.reason.clear();
                next.note.clear();
            }
            FeedbackAction::Status(text) => next.status = text,
            FeedbackAction::Rep(name) => next.rep = name,
            FeedbackAction::Token(token) => next.token = token,
            FeedbackAction::Reason(id) => next.reason = id,
            FeedbackAction::Note(text) => next.note = text,
            FeedbackAction::Given {
                submission_id,
                text,
            } => {
                next.status = format!("{text}. Sending…");
                next.given.insert(submission_id, text);
            }
        }
        next
    }

    /// The feedback record for `verdict` on the open lead, with its id and
    /// time, or the message to show the rep instead.
    pub fn feedback(
        &self,
        verdict: Verdict,
        feedback_id: String,
        now: String,
    ) -> Result<FeedbackRecord, String> {
        let open = self.open.as_ref().ok_or_else(|| t("Open a lead first."))?;
        let rulebook = open.rulebook.as_ref().ok_or_else(|| {
            t("This lead's rulebook is unknown here, so no verdict can be checked.")
        })?;
        let reason = (!self.reason.is_empty()).then_some(self.reason.as_str());
        FeedbackRecord::new(
            &open.lead,
            rulebook,
            verdict,
            reason,
            Some(self.note.clone()),
            Some(Rep {
                name: self.rep.trim().to_owned(),
                email: None,
            }),
            feedback_id,
            now,
        )
        .map_err(|e| match verdict {
            Verdict::Rejected if reason.is_none() => t("Choose a reason for rejecting this lead."),
            _ => e,
        })
    }
}

/// The verdict as the rep sees it, e.g. "Rejected (Wrong fit)".
pub fn verdict_text(feedback: &FeedbackRecord) -> String {
    match feedback.verdict {
        Verdict::Accepted => t("Accepted"),
        Verdict::Rejected => tf(
            "Rejected ({reason})",
            &[(
                "reason",
                feedback.reason.as_ref().map_or("", |r| r.label.as_str()),
            )],
        ),
    }
}

#[cfg(target_arch = "wasm32")]
impl yew::Reducible for FeedbackState {
    type Action = FeedbackAction;

    fn reduce(self: Rc<Self>, action: FeedbackAction) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_core::{Context, Submission};
    use serde_json::json;

    fn inbound() -> Rc<Rulebook> {
        let text = include_str!("../../../static/rulebooks/inbound.json");
        Rc::new(Rulebook::from_json(text).expect("valid"))
    }

    fn lead(channel: Channel) -> LeadRecord {
        let answers = json!({"name": "Ada", "email": "ada@bigcorp.com", "company": "BigCorp"});
        let submission = Submission {
            submission_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
            submitted_at: "2026-11-30T10:00:00Z".into(),
            ..Submission::default()
        };
        inbound().record(
            answers.as_object().expect("object"),
            &Context::default(),
            channel,
            submission,
        )
    }

    #[test]
    fn leads_are_found_in_a_record_a_list_or_the_inbox_s_answer() {
        let one = serde_json::to_value(lead(Channel::WebForm)).expect("json");
        assert_eq!(leads_in(one.clone()).0.len(), 1);
        assert_eq!(
            leads_in(json!([one.clone(), {"not": "a record"}])).0.len(),
            1
        );
        let inbox = json!({"total": 2, "records": [{"record": one.clone()}, {"record": {"accord_record": 1}}]});
        assert_eq!(leads_in(inbox), (vec![lead(Channel::WebForm)], 1));
        assert_eq!(leads_in(json!("text")).0.len(), 0);
    }

    #[test]
    fn loading_lists_web_leads_and_says_what_could_not_be_read() {
        let state = FeedbackState::new("Sam".into(), String::new()).apply(FeedbackAction::Loaded {
            leads: vec![lead(Channel::WebForm), lead(Channel::Call)],
            unreadable: 1,
            source: "the inbox".into(),
        });
        assert_eq!(
            state.leads.len(),
            1,
            "calls are the reps' own, not marketing's"
        );
        assert_eq!(state.message, "1 leads from the inbox; 1 could not be read");
    }

    #[test]
    fn a_verdict_needs_an_open_lead_a_known_rulebook_and_for_a_rejection_a_reason() {
        let state = FeedbackState::new("Sam".into(), String::new());
        let verdict = |s: &FeedbackState, v| {
            s.feedback(
                v,
                "7c9e6679-7425-40de-944b-e07fc1f90ae7".into(),
                "2026-11-30T10:00:00Z".into(),
            )
        };
        assert_eq!(
            verdict(&state, Verdict::Accepted).err().as_deref(),
            Some("Open a lead first.")
        );
        let unknown = state.apply(FeedbackAction::Opened(Open {
            lead: Rc::new(lead(Channel::WebForm)),
            rulebook: None,
        }));
        assert!(verdict(&unknown, Verdict::Accepted)
            .unwrap_err()
            .contains("rulebook is unknown"));
        let open = state.apply(FeedbackAction::Opened(Open {
            lead: Rc::new(lead(Channel::WebForm)),
            rulebook: Some(inbound()),
        }));
        assert_eq!(
            verdict(&open, Verdict::Rejected).err().as_deref(),
            Some("Choose a reason for rejecting this lead.")
        );
        let reason = inbound()
            .doc()
            .feedback
            .clone()
            .expect("reasons")
            .reject_reasons[0]
            .clone();
        let rejected = open
            .apply(FeedbackAction::Reason(reason.id.clone()))
            .apply(FeedbackAction::Note("not a buyer".into()));
        let record = verdict(&rejected, Verdict::Rejected).expect("a feedback record");
        assert_eq!(
            verdict_text(&record),
            format!("Rejected ({})", reason.label)
        );
        assert_eq!(record.note.as_deref(), Some("not a buyer"));
        let given = rejected.apply(FeedbackAction::Given {
            submission_id: record.submission_id.clone(),
            text: verdict_text(&record),
        });
        assert_eq!(given.given[&record.submission_id], verdict_text(&record));
        assert!(given.status.ends_with("Sending…"));
        // Opening the next lead starts a fresh verdict.
        let next = given.apply(FeedbackAction::Opened(Open {
            lead: Rc::new(lead(Channel::WebForm)),
            rulebook: Some(inbound()),
        }));
        assert!(next.reason.is_empty() && next.note.is_empty() && next.status.is_empty());
    }

    #[test]
    fn the_inbox_token_is_sent_only_when_set() {
        let state = FeedbackState::new("Sam".into(), "  ".into());
        assert_eq!(state.inbox_token(), None);
        let set = state.apply(FeedbackAction::Token(" abc0123456789abcdef ".into()));
        assert_eq!(set.inbox_token(), Some("abc0123456789abcdef"));
    }
}
