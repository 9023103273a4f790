//! This device's recent calls as data: each a typed lead record, who it
//! was with, the search and the CSV export. Plain Rust, tested natively;
//! `recent.rs` keeps them in `localStorage` and shows them.

use accord_core::{push_csv_row, LeadRecord};
use serde_json::Value;

/// How many calls the device keeps (the oldest go first).
pub const MAX_CALLS: usize = 500;

/// One saved call: its lead record, as sent.
pub type CallEntry = LeadRecord;

/// Reads the stored list: the calls that read as records, newest first, and
/// the stored items that do not (kept aside by the caller, never dropped).
pub fn from_stored(value: Value) -> (Vec<CallEntry>, Vec<Value>) {
    let Value::Array(items) = value else {
        return (Vec::new(), vec![value]);
    };
    let mut calls = Vec::new();
    let mut unreadable = Vec::new();
    for item in items {
        match serde_json::from_value::<LeadRecord>(item.clone()) {
            Ok(record) => calls.push(record),
            Err(_) => unreadable.push(item),
        }
    }
    (calls, unreadable)
}

/// The stored form of the newest [`MAX_CALLS`] calls.
pub fn to_stored(calls: &[CallEntry]) -> Value {
    Value::Array(
        calls
            .iter()
            .take(MAX_CALLS)
            .filter_map(|c| serde_json::to_value(c).ok())
            .collect(),
    )
}

/// Who the call was with: the company and the first email answer.
pub fn who(record: &LeadRecord) -> String {
    let company = record
        .answers
        .get("company")
        .and_then(Value::as_str)
        .unwrap_or("");
    let email = record
        .answers
        .iter()
        .find(|(k, v)| k.contains("email") && v.is_string())
        .and_then(|(_, v)| v.as_str())
        .unwrap_or("");
    match (company.is_empty(), email.is_empty()) {
        (false, false) => format!("{company} ({email})"),
        (false, true) => company.to_owned(),
        _ => email.to_owned(),
    }
}

fn rep(record: &LeadRecord) -> &str {
    record.rep.as_ref().map_or("", |r| r.name.as_str())
}

fn disposition(record: &LeadRecord) -> &str {
    record.call.as_ref().map_or("", |c| c.disposition.as_str())
}

/// The calls as CSV (RFC 4180, formula-safe), with a header row.
pub fn csv(calls: &[CallEntry]) -> String {
    let mut out = String::new();
    push_csv_row(
        &mut out,
        [
            "submitted_at",
            "submission_id",
            "rep",
            "who",
            "grade",
            "status",
            "total",
            "route",
            "disposition",
            "duration_seconds",
            "notes",
        ],
    );
    for r in calls {
        let q = &r.qualification;
        push_csv_row(
            &mut out,
            [
                r.submitted_at.clone(),
                r.submission_id.clone(),
                rep(r).to_owned(),
                who(r),
                q.grade.clone(),
                q.status.name().to_owned(),
                q.scores.get("total").copied().unwrap_or(0).to_string(),
                q.route
                    .as_ref()
                    .map_or_else(String::new, |t| t.team.clone()),
                disposition(r).to_owned(),
                r.call
                    .as_ref()
                    .map_or(0, |c| c.duration_seconds)
                    .to_string(),
                r.notes.clone().unwrap_or_default(),
            ],
        );
    }
    out
}

/// Whether every word of `query` appears in who the call was with, its
/// grade, notes, disposition or rep (ignoring case).
pub fn matches(record: &LeadRecord, query: &str) -> bool {
    if query.trim().is_empty() {
        return true;
    }
    let haystack = [
        who(record).as_str(),
        record.qualification.grade.as_str(),
        record.notes.as_deref().unwrap_or(""),
        disposition(record),
        rep(record),
    ]
    .join(" ")
    .to_lowercase();
    query
        .to_lowercase()
        .split_whitespace()
        .all(|word| haystack.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_core::{CallDetails, Channel, Context, Rep, Rulebook, Submission};
    use serde_json::json;

    fn call(company: &str, notes: &str, disposition: &str) -> LeadRecord {
        let rulebook =
            Rulebook::from_json(include_str!("../../../static/rulebooks/meddpicc-call.json"))
                .expect("valid");
        let answers =
            json!({"company": company, "contact_email": "pat@example.com", "metrics": true});
        let answers = answers.as_object().expect("object").clone();
        let submission = Submission {
            submission_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
            submitted_at: "2026-11-30T10:00:00Z".into(),
            rep: Some(Rep {
                name: "Sam Rep".into(),
                email: None,
            }),
            notes: Some(notes.into()),
            call: Some(CallDetails {
                disposition: disposition.into(),
                duration_seconds: 125,
                follows_up: None,
            }),
            enrichment: None,
        };
        rulebook.record(&answers, &Context::default(), Channel::Call, submission)
    }

    #[test]
    fn the_export_is_read_from_the_typed_record_and_is_formula_safe() {
        let calls = [call("Acme, Inc.", "=HYPERLINK(\"x\")", "follow_up")];
        let text = csv(&calls);
        let rows: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            rows[0],
            "submitted_at,submission_id,rep,who,grade,status,total,route,disposition,duration_seconds,notes"
        );
        let q = &calls[0].qualification;
        assert_eq!(
            rows[1],
            format!(
                "2026-11-30T10:00:00Z,0f8fad5b-d9cb-469f-a165-70867728950e,Sam Rep,\"Acme, Inc. (pat@example.com)\",{},{},{},{},follow_up,125,\"'=HYPERLINK(\"\"x\"\")\"",
                q.grade,
                q.status.name(),
                q.scores["total"],
                q.route.as_ref().map_or("", |r| r.team.as_str()),
            )
        );
        assert_eq!(rows[2], "", "the last row ends with CRLF");
    }

    #[test]
    fn search_matches_every_word_in_who_grade_notes_disposition_and_rep() {
        let c = call("Acme", "wants a pilot", "follow_up");
        assert!(matches(&c, ""));
        assert!(matches(&c, "acme PILOT"));
        assert!(matches(&c, "sam follow_up"));
        assert!(!matches(&c, "acme globex"));
    }

    #[test]
    fn stored_calls_that_are_not_records_are_kept_aside_not_dropped() {
        let good = call("Acme", "", "no_answer");
        let stored = to_stored(std::slice::from_ref(&good));
        let mut items = stored.as_array().expect("a list").clone();
        items.push(json!({"not": "a record"}));
        let (calls, unreadable) = from_stored(Value::Array(items));
        assert_eq!(calls, [good]);
        assert_eq!(unreadable, [json!({"not": "a record"})]);
        let (none, kept) = from_stored(json!("garbage"));
        assert!(none.is_empty());
        assert_eq!(kept, [json!("garbage")]);
        assert_eq!(who(&call("", "", "x")), "pat@example.com");
    }
}
