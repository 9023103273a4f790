//! Reading a posted body: is it a lead record?

use accord_core::{
    is_uuid_v4, rfc3339_to_ms, FeedbackRecord, LeadRecord, Rulebook, RECORD_VERSION,
};
use thiserror::Error;

/// Largest body the inbox accepts (records are a few KB).
pub const MAX_BODY: usize = 256 * 1024;

/// Why a body is not accepted (answered with 400 or 415).
#[derive(Debug, Error, PartialEq, Eq)]
pub enum BodyError {
    /// Only JSON, sent as `application/json` or `text/plain`, is accepted.
    #[error("send the record as application/json or text/plain, not {0}")]
    ContentType(String),
    /// The body is not UTF-8 JSON.
    #[error("not JSON: {0}")]
    NotJson(String),
    /// JSON, but not a lead record.
    #[error("not a lead record: {0}")]
    NotARecord(String),
    /// A record of another format version.
    #[error("unsupported record version {0}; this inbox reads accord_record 1")]
    Version(u32),
    /// The submission id is not a UUID v4.
    #[error("submission_id must be a UUID v4, got {0:?}")]
    SubmissionId(String),
    /// A call's `follows_up` is not a UUID v4.
    #[error("call.follows_up must be the submission_id (a UUID v4) of the lead the call follows up, got {0:?}")]
    FollowsUp(String),
    /// `submitted_at` is not an RFC 3339 time.
    #[error("submitted_at must be an RFC 3339 time, got {0:?}")]
    SubmittedAt(String),
    /// JSON, but not a failure report.
    #[error("not a failure report: {0}")]
    NotAFailure(String),
    /// JSON, but not sales feedback.
    #[error("not a feedback record: {0}")]
    NotFeedback(String),
    /// Feedback that does not hold together (e.g. a rejection without a
    /// reason, or a reason its rulebook does not list).
    #[error("invalid feedback: {0}")]
    InvalidFeedback(String),
    /// The `Idempotency-Key` header names another submission.
    #[error("Idempotency-Key {header:?} differs from the body's submission_id {body:?}")]
    IdempotencyKey {
        /// The header's value.
        header: String,
        /// The body's submission id.
        body: String,
    },
}

/// Checks the content type, then parses and checks sales feedback. A
/// rejection's reason is checked against `rulebooks` when the inbox has the
/// lead's rulebook.
pub fn parse_feedback(
    content_type: Option<&str>,
    idempotency_key: Option<&str>,
    body: &[u8],
    rulebooks: &[Rulebook],
) -> Result<FeedbackRecord, BodyError> {
    check_content_type(content_type)?;
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| BodyError::NotJson(e.to_string()))?;
    let mut feedback: FeedbackRecord =
        serde_json::from_value(value).map_err(|e| BodyError::NotFeedback(e.to_string()))?;
    // Ids are compared case-insensitively: stored in lower case.
    feedback.feedback_id.make_ascii_lowercase();
    feedback.submission_id.make_ascii_lowercase();
    let rulebook = rulebooks
        .iter()
        .find(|r| r.reference() == &feedback.rulebook)
        .or_else(|| {
            rulebooks
                .iter()
                .find(|r| r.reference().id == feedback.rulebook.id)
        });
    let problems = feedback.problems(rulebook);
    if !problems.is_empty() {
        return Err(BodyError::InvalidFeedback(problems.join("; ")));
    }
    if let Some(rulebook) = rulebook {
        feedback.label_reason_from(rulebook);
    }
    check_key(idempotency_key, &feedback.feedback_id)?;
    Ok(feedback)
}

fn check_content_type(content_type: Option<&str>) -> Result<(), BodyError> {
    if let Some(ct) = content_type {
        let essence = ct
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if essence != "application/json" && essence != "text/plain" {
            return Err(BodyError::ContentType(essence));
        }
    }
    Ok(())
}

/// Checks the content type, then parses and checks the record.
pub fn parse(
    content_type: Option<&str>,
    idempotency_key: Option<&str>,
    body: &[u8],
) -> Result<LeadRecord, BodyError> {
    check_content_type(content_type)?;
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| BodyError::NotJson(e.to_string()))?;
    if let Some(v) = value
        .get("accord_record")
        .and_then(serde_json::Value::as_u64)
    {
        if v != u64::from(RECORD_VERSION) {
            return Err(BodyError::Version(u32::try_from(v).unwrap_or(u32::MAX)));
        }
    }
    let mut record: LeadRecord =
        serde_json::from_value(value).map_err(|e| BodyError::NotARecord(e.to_string()))?;
    if record.accord_record != RECORD_VERSION {
        return Err(BodyError::Version(record.accord_record));
    }
    if !is_uuid_v4(&record.submission_id) {
        return Err(BodyError::SubmissionId(record.submission_id));
    }
    // Ids are compared case-insensitively: stored in lower case.
    record.submission_id.make_ascii_lowercase();
    if rfc3339_to_ms(&record.submitted_at).is_none() {
        return Err(BodyError::SubmittedAt(record.submitted_at));
    }
    if let Some(lead) = record.call.as_mut().and_then(|c| c.follows_up.as_mut()) {
        if !is_uuid_v4(lead) {
            return Err(BodyError::FollowsUp(lead.clone()));
        }
        lead.make_ascii_lowercase();
    }
    check_key(idempotency_key, &record.submission_id)?;
    Ok(record)
}

/// A failure report from a browser's outbox (docs/embedding.md, "Report
/// endpoint"): a destination refused a record, which comes along.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FailureReport {
    /// The record's submission id (lower case).
    pub submission_id: String,
    /// Which of the record's destinations refused it (its position), or
    /// `None` when the rulebook could not be used (the capture-only form).
    pub destination: Option<u64>,
    /// That destination's URL.
    pub url: String,
    /// The HTTP status it answered (0: the page closed before an answer).
    pub status: u16,
    /// What it said, shortened, or why the send is not confirmed.
    pub reason: String,
}

/// The longest URL and reason kept from a failure report.
const FAILURE_TEXT_MAX: usize = 2_000;

/// Checks the content type, then reads a failure report and the record in
/// it (checked as `POST /api/records` checks one). Returns the report, the
/// record, and the record's JSON text to store.
pub fn parse_failure(
    content_type: Option<&str>,
    body: &[u8],
) -> Result<(FailureReport, LeadRecord, String), BodyError> {
    check_content_type(content_type)?;
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| BodyError::NotJson(e.to_string()))?;
    let not = |why: &str| BodyError::NotAFailure(why.to_owned());
    if value
        .get("accord_failure")
        .and_then(serde_json::Value::as_u64)
        != Some(1)
    {
        return Err(not("accord_failure must be 1"));
    }
    let text = |key: &str| -> Result<String, BodyError> {
        let s = value
            .get(key)
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| not(&format!("{key} must be a string")))?;
        Ok(s.chars().take(FAILURE_TEXT_MAX).collect())
    };
    let record_text = value
        .get("record")
        .filter(|r| r.is_object())
        .ok_or_else(|| not("record must be the lead record"))?
        .to_string();
    let record = parse(Some("application/json"), None, record_text.as_bytes())?;
    let destination = match text("failed")?.as_str() {
        "delivery" => Some(
            value
                .get("destination")
                .and_then(serde_json::Value::as_u64)
                .ok_or_else(|| not("destination must be a whole number"))?,
        ),
        "rulebook" => None,
        _ => return Err(not("failed must be delivery or rulebook")),
    };
    let report = FailureReport {
        submission_id: text("submission_id")?.to_ascii_lowercase(),
        destination,
        url: text("url")?,
        status: value
            .get("status")
            .and_then(serde_json::Value::as_u64)
            .and_then(|s| u16::try_from(s).ok())
            .ok_or_else(|| not("status must be an HTTP status"))?,
        reason: text("reason")?,
    };
    if report.submission_id != record.submission_id {
        return Err(not("submission_id must be the record's"));
    }
    Ok((report, record, record_text))
}

/// An `Idempotency-Key` header, when sent, must name the body's own id.
fn check_key(header: Option<&str>, id: &str) -> Result<(), BodyError> {
    match header {
        Some(key) if !key.eq_ignore_ascii_case(id) => Err(BodyError::IdempotencyKey {
            header: key.to_owned(),
            body: id.to_owned(),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

        /// Any bytes, under any content type, give a record or a clear error.
        #[test]
        fn no_body_makes_the_handler_panic(body in prop::collection::vec(any::<u8>(), 0..600), ct in "[a-z/;=+ -]{0,30}") {
            let _ = parse(Some(&ct), None, &body);
            let _ = parse(None, Some("x"), &body);
            let _ = parse_feedback(Some(&ct), None, &body, &[]);
        }

        /// JSON-shaped bodies that come close to a record still never panic.
        #[test]
        fn near_records_are_rejected_cleanly(
            version in any::<i64>(),
            id in "[0-9a-f-]{0,40}",
            status in "[a-z_]{0,12}",
            score in any::<i64>(),
        ) {
            let body = serde_json::json!({
                "accord_record": version, "submission_id": id, "submitted_at": "x", "channel": "web_form",
                "rulebook": {"id": "r", "version": "1", "sha256": "0"}, "answers": {}, "context": {},
                "qualification": {"status": status, "knocked_out_by": [], "scores": {"total": score},
                                  "contributions": [], "grade": "g", "route": null, "missing": []}
            });
            let result = parse(Some("application/json"), None, body.to_string().as_bytes());
            if let Ok(r) = result {
                prop_assert!(accord_core::is_uuid_v4(&r.submission_id));
            }
        }
    }
}
