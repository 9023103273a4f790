//! Sales feedback on a lead (format version 1): the loop from sales back
//! to marketing.
//!
//! A rep who receives a lead marks it accepted or rejected; a rejection
//! names one of the reasons the lead's rulebook lists under
//! `feedback.reject_reasons`. The feedback is its own record, posted like a
//! lead record and stored next to it, keyed by its own `feedback_id` (its
//! idempotency key) and pointing at the lead's `submission_id`. A rep may
//! change their mind: the latest feedback for a lead is the one that counts.
//! `docs/feedback.md` documents every key and `docs/feedback.schema.json`
//! is the JSON Schema.

use crate::record::{is_uuid_v4, LeadRecord, Rep};
use crate::rulebook::{Rulebook, RulebookRef};
use serde::{Deserialize, Serialize};

/// The feedback format version this engine writes.
pub const FEEDBACK_VERSION: u32 = 1;

/// What sales made of a lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Sales will work the lead.
    Accepted,
    /// Sales sent it back, with a reason.
    Rejected,
}

/// The reason for a rejection, as the rulebook lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackReason {
    /// The reason's id in the rulebook.
    pub id: String,
    /// Its label, as the rep saw it.
    pub label: String,
}

/// One piece of feedback on one lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackRecord {
    /// Format version: 1.
    pub accord_feedback: u32,
    /// UUID v4 of this feedback; the idempotency key.
    pub feedback_id: String,
    /// When it was given, RFC 3339.
    pub submitted_at: String,
    /// The lead's `submission_id`.
    pub submission_id: String,
    /// The rulebook that graded the lead.
    pub rulebook: RulebookRef,
    /// The grade the lead was sent with.
    pub grade: String,
    /// Accepted or rejected.
    pub verdict: Verdict,
    /// Why it was rejected (required for a rejection, absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<FeedbackReason>,
    /// Anything else the rep wants marketing to know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rep: Option<Rep>,
}

impl FeedbackRecord {
    /// Feedback on `lead`. `reason` is required when rejecting: it is
    /// looked up by id in `rulebook` (the rulebook that graded the lead).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        lead: &LeadRecord,
        rulebook: &Rulebook,
        verdict: Verdict,
        reason_id: Option<&str>,
        note: Option<String>,
        rep: Option<Rep>,
        feedback_id: String,
        submitted_at: String,
    ) -> Result<FeedbackRecord, String> {
        let reason = match (verdict, reason_id) {
            (Verdict::Accepted, _) => None,
            (Verdict::Rejected, None) => {
                return Err("a rejection needs one of the rulebook's reasons".into())
            }
            (Verdict::Rejected, Some(id)) => Some(reason(rulebook, id)?),
        };
        let feedback = FeedbackRecord {
            accord_feedback: FEEDBACK_VERSION,
            feedback_id,
            submitted_at,
            submission_id: lead.submission_id.clone(),
            rulebook: lead.rulebook.clone(),
            grade: lead.qualification.grade.clone(),
            verdict,
            reason,
            note: note.filter(|n| !n.trim().is_empty()),
            rep: rep.filter(|r| !r.name.trim().is_empty()),
        };
        let problems = feedback.problems(Some(rulebook));
        match problems.is_empty() {
            true => Ok(feedback),
            false => Err(problems.join("; ")),
        }
    }

    /// Everything wrong with this feedback, each naming the key; empty when
    /// it is well formed. With the lead's rulebook, a rejection's reason
    /// must be one it lists (a backend without it checks the shape only).
    pub fn problems(&self, rulebook: Option<&Rulebook>) -> Vec<String> {
        let mut problems = Vec::new();
        if self.accord_feedback != FEEDBACK_VERSION {
            problems.push(format!(
                "accord_feedback: version {} is not supported (expected {FEEDBACK_VERSION})",
                self.accord_feedback
            ));
        }
        if !is_uuid_v4(&self.feedback_id) {
            problems.push("feedback_id: not a UUID v4".into());
        }
        if !is_uuid_v4(&self.submission_id) {
            problems.push("submission_id: not a UUID v4".into());
        }
        if crate::destination::rfc3339_to_ms(&self.submitted_at).is_none() {
            problems.push("submitted_at: not an RFC 3339 time".into());
        }
        match (self.verdict, &self.reason) {
            (Verdict::Rejected, None) => {
                problems.push("reason: a rejection needs one of the rulebook's reasons".into())
            }
            (Verdict::Accepted, Some(_)) => {
                problems.push("reason: only rejections have a reason".into())
            }
            (Verdict::Rejected, Some(given)) => {
                if let Some(rulebook) = rulebook.filter(|r| r.reference().id == self.rulebook.id) {
                    if let Err(e) = reason(rulebook, &given.id) {
                        problems.push(e);
                    }
                }
            }
            (Verdict::Accepted, None) => {}
        }
        problems
    }
}

impl FeedbackRecord {
    /// Takes the reason's label from `rulebook` (the agreed wording), not
    /// from what the client sent, when the rulebook lists the reason.
    pub fn label_reason_from(&mut self, rulebook: &Rulebook) {
        if let Some(given) = &mut self.reason {
            if let Ok(agreed) = reason(rulebook, &given.id) {
                given.label = agreed.label;
            }
        }
    }
}

/// The rulebook's reject reason `id`.
fn reason(rulebook: &Rulebook, id: &str) -> Result<FeedbackReason, String> {
    rulebook
        .doc()
        .feedback
        .iter()
        .flat_map(|f| &f.reject_reasons)
        .find(|r| r.id == id)
        .map(|r| FeedbackReason {
            id: r.id.clone(),
            label: r.label.clone(),
        })
        .ok_or_else(|| {
            format!(
                "reason.id: `{id}` is not among rulebook `{}`'s feedback.reject_reasons",
                rulebook.reference().id
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{uuid_v4_from_bytes, Channel, Context, Submission};

    fn inbound() -> Rulebook {
        Rulebook::from_json(include_str!("../../../static/rulebooks/inbound.json")).unwrap()
    }

    fn lead(rb: &Rulebook) -> LeadRecord {
        let answers = serde_json::from_value(serde_json::json!({"email": "a@b.example"})).unwrap();
        rb.record(
            &answers,
            &Context::default(),
            Channel::WebForm,
            Submission {
                submission_id: uuid_v4_from_bytes([1; 16]),
                submitted_at: "2026-11-23T10:00:00Z".into(),
                ..Submission::default()
            },
        )
    }

    fn feedback(verdict: Verdict, reason: Option<&str>) -> Result<FeedbackRecord, String> {
        let rb = inbound();
        FeedbackRecord::new(
            &lead(&rb),
            &rb,
            verdict,
            reason,
            Some("  ".into()),
            Some(Rep {
                name: "Sam".into(),
                email: None,
            }),
            uuid_v4_from_bytes([2; 16]),
            "2026-11-24T09:30:00Z".into(),
        )
    }

    #[test]
    fn a_rejection_carries_the_rulebooks_reason_and_the_leads_grade() {
        let f = feedback(Verdict::Rejected, Some("no-budget")).unwrap();
        assert_eq!(f.submission_id, uuid_v4_from_bytes([1; 16]));
        assert_eq!(f.rulebook.id, "northwind-inbound");
        assert_eq!(f.reason.as_ref().unwrap().label, "No budget after all");
        assert_eq!(f.note, None, "a blank note is no note");
        let back: FeedbackRecord =
            serde_json::from_str(&serde_json::to_string(&f).unwrap()).unwrap();
        assert_eq!(back, f);
    }

    #[test]
    fn rejections_need_a_known_reason_and_acceptances_none() {
        assert!(feedback(Verdict::Accepted, None).unwrap().reason.is_none());
        assert!(feedback(Verdict::Accepted, Some("no-budget"))
            .unwrap()
            .reason
            .is_none());
        assert!(feedback(Verdict::Rejected, None)
            .unwrap_err()
            .contains("needs one of"));
        let e = feedback(Verdict::Rejected, Some("made-up")).unwrap_err();
        assert!(
            e.contains("`made-up` is not among rulebook `northwind-inbound`"),
            "{e}"
        );

        let mut f = feedback(Verdict::Accepted, None).unwrap();
        f.feedback_id = "nope".into();
        f.submitted_at = "yesterday".into();
        f.reason = Some(FeedbackReason {
            id: "x".into(),
            label: "x".into(),
        });
        let problems = f.problems(None);
        assert_eq!(problems.len(), 3, "{problems:?}");
    }
}
