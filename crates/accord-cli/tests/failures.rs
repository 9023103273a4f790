//! `POST /api/failures`: a browser reports that a destination refused a
//! record (or that the rulebook could not be used); the inbox keeps the
//! record, so the lead reaches the site owner, and the failure beside it.

mod support;

use support::*;

fn report(record: &serde_json::Value, failed: serde_json::Value) -> String {
    let mut body = serde_json::json!({
        "accord_failure": 1,
        "submission_id": record["submission_id"],
        "url": "https://api.hsforms.com/submissions/v3/integration/submit/1/x",
        "status": 400,
        "reason": "HTTP 400: {\"status\":\"error\",\"message\":\"The request is not valid\"}",
        "record": record,
    });
    for (k, v) in failed.as_object().unwrap() {
        body[k] = v.clone();
    }
    body.to_string()
}

#[test]
fn a_refused_delivery_s_record_and_reason_reach_the_inbox() {
    let (server, _) = start_inbox("failures", &["--allow-origin", "https://www.example.com"]);
    let lead = serde_json::to_value(record(&inbound(), 90)).unwrap();
    let id = lead["submission_id"].as_str().unwrap().to_owned();
    let body = report(
        &lead,
        serde_json::json!({"failed": "delivery", "destination": 1}),
    );
    let (status, answer) = post_to(
        server.port,
        "/api/failures",
        "text/plain;charset=UTF-8",
        &body,
    );
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["record"], "new");
    // The lead is stored as if posted, and verified.
    let (_, _, list) = request(server.port, "GET", "/api/records", &[], b"").unwrap();
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list["records"][0]["record"]["submission_id"], id);
    assert_eq!(list["records"][0]["verification"], "verified");
    // The same report again (a retry) is no second failure or record.
    let (status, answer) = post_to(server.port, "/api/failures", "text/plain", &body);
    assert_eq!(
        (status, answer["record"].as_str()),
        (200, Some("duplicate"))
    );
    // A report for the broken rulebook of a capture-only form.
    let other = serde_json::to_value(record(&inbound(), 91)).unwrap();
    let broken = report(
        &other,
        serde_json::json!({"failed": "rulebook", "url": "https://www.example.com/rulebook.json", "status": 0, "reason": "HTTP 404"}),
    );
    let (status, _, _) = request(
        server.port,
        "POST",
        "/api/failures",
        &[
            ("content-type", "text/plain"),
            ("origin", "https://www.example.com"),
        ],
        broken.as_bytes(),
    )
    .unwrap();
    assert_eq!(
        status, 201,
        "an allowed site may report, as it may post records"
    );
    let (_, _, failures) = request(server.port, "GET", "/api/failures", &[], b"").unwrap();
    let failures: serde_json::Value = serde_json::from_str(&failures).unwrap();
    let failures = failures["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 2, "{failures:?}");
    assert_eq!(failures[0]["failed"], "rulebook");
    assert_eq!(failures[0]["destination"], serde_json::Value::Null);
    assert_eq!(failures[1]["failed"], "delivery");
    assert_eq!(failures[1]["destination"], 1);
    assert_eq!(failures[1]["status"], 400);
    let (_, _, page) = request(server.port, "GET", "/inbox", &[], b"").unwrap();
    assert!(
        page.contains("Deliveries refused") && page.contains("api.hsforms.com"),
        "{page}"
    );
    assert!(!page.contains("<script"), "reasons are text, never markup");
}

#[test]
fn a_failure_report_must_hold_together() {
    let (server, _) = start_inbox(
        "failures-bad",
        &["--allow-origin", "https://www.example.com"],
    );
    let lead = serde_json::to_value(record(&inbound(), 92)).unwrap();
    let post = |body: &str| post_to(server.port, "/api/failures", "text/plain", body);
    let good = serde_json::json!({"failed": "delivery", "destination": 0});
    let mut wrong_id =
        serde_json::from_str::<serde_json::Value>(&report(&lead, good.clone())).unwrap();
    wrong_id["submission_id"] = "0b8a4a8e-4a0e-4c7e-9a43-2f1d6f0b7c11".into();
    for (body, says) in [
        ("{}".to_owned(), "accord_failure must be 1"),
        (wrong_id.to_string(), "submission_id must be the record's"),
        (
            report(&lead, serde_json::json!({"failed": "delivery"})),
            "destination must be a whole number",
        ),
        (
            report(&lead, serde_json::json!({"failed": "weather"})),
            "failed must be delivery or rulebook",
        ),
        (
            report(&serde_json::json!({"not": "a record"}), good.clone()),
            "not a lead record",
        ),
    ] {
        let (status, answer) = post(&body);
        assert_eq!(status, 400, "{body}: {answer}");
        assert!(
            answer["error"].as_str().unwrap().contains(says),
            "{says}: {answer}"
        );
    }
    // A site that is not allowed may not report either.
    let (status, _, _) = request(
        server.port,
        "POST",
        "/api/failures",
        &[
            ("content-type", "text/plain"),
            ("origin", "https://evil.example"),
        ],
        report(&lead, good).as_bytes(),
    )
    .unwrap();
    assert_eq!(status, 403);
    assert_eq!(total(server.port), 0);
}
