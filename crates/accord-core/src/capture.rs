//! Capture-only records: what a lead leaves when the rulebook cannot be
//! used (it did not load, or the widget itself could not start).
//!
//! The visitor gets a plain form (name, email, message). The widget's
//! fallback form sends its record as JSON; the loader's form, shown when the
//! widget's files cannot be loaded at all, posts the same three fields as a
//! normal HTML form and the inbox builds the record. Both build it here, so
//! the two records are the same.

use crate::model::{Channel, Context, Status};
use crate::qualify::{Answers, Qualification};
use crate::record::{LeadRecord, Submission, RECORD_VERSION};
use crate::rulebook::RulebookRef;
use serde_json::Value;
use std::collections::BTreeMap;

/// The rulebook id capture-only records carry, so a backend can tell them
/// apart from qualified leads.
pub const CAPTURE_RULEBOOK_ID: &str = "accord-capture";

/// The longest name the capture form takes, in characters: with
/// [`CAPTURE_EMAIL_MAX`] and [`CAPTURE_MESSAGE_MAX`], small enough that its
/// record is always accepted (the inbox takes 256 KiB; a pasted book would
/// be refused for good and sit in the outbox).
pub const CAPTURE_NAME_MAX: usize = 200;
/// See [`CAPTURE_NAME_MAX`].
pub const CAPTURE_EMAIL_MAX: usize = 254;
/// See [`CAPTURE_NAME_MAX`].
pub const CAPTURE_MESSAGE_MAX: usize = 5_000;

/// The capture form's answers: `name`, `email` and `message`, each cut to
/// its longest. The fields' `maxlength` stops typing; this also holds for
/// text set by a script, an extension or a hand-made post.
pub fn capture_answers(name: &str, email: &str, message: &str) -> Answers {
    let mut answers = Answers::new();
    for (key, text, max) in [
        ("name", name, CAPTURE_NAME_MAX),
        ("email", email, CAPTURE_EMAIL_MAX),
        ("message", message, CAPTURE_MESSAGE_MAX),
    ] {
        let cut = text
            .char_indices()
            .nth(max)
            .map_or(text, |(at, _)| &text[..at]);
        answers.insert(key.to_owned(), Value::String(cut.to_owned()));
    }
    answers
}

/// A record of format 1 for a capture-only submission: rulebook
/// `accord-capture` version `1` with no hash, status `incomplete`, grade
/// `unqualified`, total score 0.
pub fn capture_record(answers: Answers, context: Context, submission: Submission) -> LeadRecord {
    let qualification = Qualification {
        status: Status::Incomplete,
        knocked_out_by: Vec::new(),
        scores: BTreeMap::from([("total".to_owned(), 0)]),
        contributions: Vec::new(),
        capped: Vec::new(),
        grade: "unqualified".into(),
        route: None,
        missing: Vec::new(),
        invalid: Vec::new(),
    };
    LeadRecord {
        accord_record: RECORD_VERSION,
        submission_id: submission.submission_id,
        submitted_at: submission.submitted_at,
        channel: Channel::WebForm,
        rulebook: RulebookRef {
            id: CAPTURE_RULEBOOK_ID.into(),
            version: "1".into(),
            sha256: String::new(),
        },
        answers,
        context,
        qualification,
        consent: Vec::new(),
        rep: submission.rep,
        notes: submission.notes,
        call: submission.call,
        shadow: None,
        enrichment: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_cut_to_their_longest_on_a_character_boundary() {
        let long = "é".repeat(CAPTURE_NAME_MAX + 5);
        let answers = capture_answers(&long, "a@b.example", "");
        assert_eq!(
            answers["name"].as_str().unwrap().chars().count(),
            CAPTURE_NAME_MAX
        );
        assert_eq!(answers["email"], "a@b.example");
        assert_eq!(answers["message"], "");
    }

    #[test]
    fn a_capture_record_is_an_incomplete_unqualified_lead_of_the_capture_rulebook() {
        let record = capture_record(
            capture_answers("Ada", "ada@example.com", "Call me"),
            Context::default(),
            Submission {
                submission_id: crate::uuid_v4_from_bytes([7; 16]),
                submitted_at: "2026-11-30T10:00:00Z".into(),
                rep: None,
                notes: None,
                call: None,
                enrichment: None,
            },
        );
        let value = serde_json::to_value(&record).unwrap();
        assert_eq!(value["rulebook"]["id"], CAPTURE_RULEBOOK_ID);
        assert_eq!(value["qualification"]["status"], "incomplete");
        assert_eq!(value["qualification"]["grade"], "unqualified");
        assert_eq!(value["answers"]["email"], "ada@example.com");
    }
}
