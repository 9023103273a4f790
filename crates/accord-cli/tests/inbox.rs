//! `accord inbox`: idempotent, verifying, never loses an acknowledged record.

mod support;

use std::sync::{Arc, Mutex};
use support::*;

fn start(tag: &str, extra: &[&str]) -> (Server, std::path::PathBuf) {
    start_inbox(tag, extra)
}

#[test]
fn a_record_is_stored_once_however_often_it_is_sent() {
    let (server, _) = start("once", &[]);
    let rb = inbound();
    let body = serde_json::to_string(&record(&rb, 1)).unwrap();
    let (status, reply) = post(server.port, &body);
    assert_eq!(status, 201, "{reply}");
    assert_eq!(reply["stored"], "new");
    assert_eq!(reply["verification"], "verified");
    for _ in 0..3 {
        let (status, reply) = post(server.port, &body);
        assert_eq!((status, reply["stored"].as_str()), (200, Some("duplicate")));
    }
    // text/plain (the widget's preflight-free encoding) is the same record.
    let (status, _, _) = request(
        server.port,
        "POST",
        "/api/records",
        &[("content-type", "text/plain;charset=UTF-8")],
        body.as_bytes(),
    )
    .unwrap();
    assert_eq!(status, 200);
    assert_eq!(total(server.port), 1);
}

#[test]
fn tampered_and_unknown_records_are_stored_and_flagged() {
    let (server, _) = start("flagged", &[]);
    let rb = inbound();
    let mut tampered = record(&rb, 2);
    tampered.qualification.grade = "sql".into();
    let (status, reply) = post(server.port, &serde_json::to_string(&tampered).unwrap());
    assert_eq!(status, 201);
    assert_eq!(reply["verification"], "mismatch");
    assert_eq!(reply["discrepancies"][0]["what"], "grade");
    let mut unknown = record(&rb, 3);
    unknown.rulebook.version = "1999.1".into();
    let (status, reply) = post(server.port, &serde_json::to_string(&unknown).unwrap());
    assert_eq!(
        (status, reply["verification"].as_str()),
        (201, Some("unknown_rulebook"))
    );
    assert_eq!(total(server.port), 2);
}

#[test]
fn bodies_that_are_not_records_get_a_clear_4xx() {
    let (server, _) = start("bad", &[]);
    let rb = inbound();
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "application/json",
            b"{\"hello\": 1}".to_vec(),
            400,
            "not a lead record: missing field",
        ),
        (
            "application/json",
            b"\xff\xfe garbage".to_vec(),
            400,
            "not JSON",
        ),
        ("application/json", b"[]".to_vec(), 400, "not a lead record"),
        (
            "application/xml",
            b"<lead/>".to_vec(),
            415,
            "application/json or text/plain",
        ),
        (
            "application/json",
            serde_json::to_vec(&{
                let mut r = record(&rb, 4);
                r.submission_id = "42".into();
                r
            })
            .unwrap(),
            400,
            "UUID v4",
        ),
        (
            "application/json",
            {
                let mut v = serde_json::to_value(record(&rb, 5)).unwrap();
                v["accord_record"] = 2.into();
                v.to_string().into_bytes()
            },
            400,
            "unsupported record version 2",
        ),
    ];
    for (ct, body, want, message) in cases {
        let (status, _, text) = request(
            server.port,
            "POST",
            "/api/records",
            &[("content-type", ct)],
            &body,
        )
        .unwrap();
        assert_eq!(status, want, "{text}");
        assert!(text.contains(message), "{text}");
    }
    let big = vec![b' '; 300 * 1024];
    let (status, _, _) = request(
        server.port,
        "POST",
        "/api/records",
        &[("content-type", "application/json")],
        &big,
    )
    .unwrap();
    assert_eq!(status, 413);
    // A mismatched Idempotency-Key is refused rather than guessed at.
    let body = serde_json::to_string(&record(&rb, 6)).unwrap();
    let (status, _, text) = request(
        server.port,
        "POST",
        "/api/records",
        &[
            ("content-type", "application/json"),
            ("idempotency-key", "0f8fad5b-d9cb-469f-a165-70867728950e"),
        ],
        body.as_bytes(),
    )
    .unwrap();
    assert_eq!(status, 400, "{text}");
    assert_eq!(total(server.port), 0);
}

#[test]
fn ten_thousand_records_from_fifty_clients_are_all_stored_once() {
    let (server, _) = start("load", &[]);
    let rb = Arc::new(inbound());
    let port = server.port;
    let failures = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..50u32)
        .map(|client| {
            let (rb, failures) = (rb.clone(), failures.clone());
            std::thread::spawn(move || {
                for i in 0..200u32 {
                    let n = client * 200 + i;
                    let body = serde_json::to_string(&record(&rb, n)).unwrap();
                    match request(
                        port,
                        "POST",
                        "/api/records",
                        &[("content-type", "application/json")],
                        body.as_bytes(),
                    ) {
                        Ok((201, _, _)) => {}
                        other => failures.lock().unwrap().push(format!("{n}: {other:?}")),
                    }
                    // Every tenth record is sent again, as a retrying client would.
                    if i % 10 == 0 {
                        let again = request(
                            port,
                            "POST",
                            "/api/records",
                            &[("content-type", "application/json")],
                            body.as_bytes(),
                        );
                        if !matches!(again, Ok((200, _, _))) {
                            failures
                                .lock()
                                .unwrap()
                                .push(format!("{n} again: {again:?}"));
                        }
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "{} failures, e.g. {}",
        failures.len(),
        failures[0]
    );
    assert_eq!(total(port), 10_000);
}

#[test]
fn graceful_shutdown_keeps_every_acknowledged_record() {
    let (server, db) = start("shutdown", &[]);
    let port = server.port;
    let rb = Arc::new(inbound());
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let sender = {
        let (rb, acknowledged) = (rb.clone(), acknowledged.clone());
        std::thread::spawn(move || {
            for n in 0..5_000u32 {
                let record = record(&rb, n);
                let body = serde_json::to_string(&record).unwrap();
                match request(
                    port,
                    "POST",
                    "/api/records",
                    &[("content-type", "application/json")],
                    body.as_bytes(),
                ) {
                    Ok((201, _, _)) => acknowledged.lock().unwrap().push(record.submission_id),
                    _ => break, // the server is going away
                }
            }
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(400));
    let status = server.stop();
    sender.join().unwrap();
    assert!(status.success(), "graceful exit: {status}");
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(!acknowledged.is_empty());

    let again = Server::start(&[
        "inbox",
        "--addr",
        "127.0.0.1:0",
        "--db",
        db.to_str().unwrap(),
        "--rulebooks",
        example("inbound.json").to_str().unwrap(),
    ]);
    let (_, _, body) = request(again.port, "GET", "/api/records?limit=10000", &[], b"").unwrap();
    let listed: serde_json::Value = serde_json::from_str(&body).unwrap();
    let stored: std::collections::HashSet<&str> = listed["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["record"]["submission_id"].as_str().unwrap())
        .collect();
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|id| !stored.contains(id.as_str()))
        .collect();
    assert!(lost.is_empty(), "{} acknowledged records lost", lost.len());
}

#[test]
fn cors_is_off_unless_an_origin_is_allowed() {
    let preflight = [
        ("origin", "https://shop.example"),
        ("access-control-request-method", "POST"),
        (
            "access-control-request-headers",
            "content-type,idempotency-key",
        ),
    ];
    let (closed, _) = start("cors-closed", &[]);
    let (_, head, _) = request(closed.port, "OPTIONS", "/api/records", &preflight, b"").unwrap();
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("access-control-allow-origin"),
        "{head}"
    );
    let (open, _) = start("cors-open", &["--allow-origin", "https://shop.example"]);
    let (_, head, _) = request(open.port, "OPTIONS", "/api/records", &preflight, b"").unwrap();
    let head = head.to_ascii_lowercase();
    assert!(
        head.contains("access-control-allow-origin: https://shop.example"),
        "{head}"
    );
    assert!(head.contains("idempotency-key"), "{head}");
}

#[test]
fn the_page_and_the_export_show_hostile_answers_as_text() {
    let (server, _) = start("page", &[]);
    let rb = inbound();
    let mut r = record(&rb, 7);
    r.answers.insert(
        "email".into(),
        serde_json::json!("<img src=x onerror=alert(1)>@x.co"),
    );
    r = rb.record(
        &r.answers,
        &r.context,
        r.channel,
        accord_core::Submission {
            submission_id: r.submission_id,
            submitted_at: r.submitted_at,
            ..Default::default()
        },
    );
    assert_eq!(
        post(server.port, &serde_json::to_string(&r).unwrap()).0,
        201
    );
    let (status, _, page) = request(server.port, "GET", "/inbox", &[], b"").unwrap();
    assert_eq!(status, 200);
    assert!(
        page.contains("&lt;img src=x onerror=alert(1)&gt;@x.co"),
        "{page}"
    );
    assert!(!page.contains("<img src=x"), "{page}");
    let (status, head, csv) = request(server.port, "GET", "/api/records.csv", &[], b"").unwrap();
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("text/csv"));
    assert!(csv.starts_with("received_at,submission_id,"), "{csv}");
    assert_eq!(csv.lines().count(), 2);
}

fn post_feedback(port: u16, body: &str) -> (u16, serde_json::Value) {
    post_to(port, "/api/feedback", "text/plain;charset=UTF-8", body)
}

fn feedback_on(
    rb: &accord_core::Rulebook,
    lead: &accord_core::LeadRecord,
    n: u8,
    verdict: accord_core::Verdict,
    reason: Option<&str>,
    at: &str,
) -> accord_core::FeedbackRecord {
    accord_core::FeedbackRecord::new(
        lead,
        rb,
        verdict,
        reason,
        None,
        Some(accord_core::Rep {
            name: "Sam Rep".into(),
            email: None,
        }),
        accord_core::uuid_v4_from_bytes([n; 16]),
        at.into(),
    )
    .unwrap()
}

#[test]
fn sales_feedback_is_stored_once_and_summed_per_grade() {
    use accord_core::Verdict::{Accepted, Rejected};
    let (server, _) = start("feedback", &[]);
    let rb = inbound();
    let leads: Vec<_> = (0..3).map(|n| record(&rb, n)).collect();
    for lead in &leads {
        assert_eq!(
            post(server.port, &serde_json::to_string(lead).unwrap()).0,
            201
        );
    }
    let first = feedback_on(&rb, &leads[0], 1, Accepted, None, "2026-11-24T09:00:00Z");
    let body = serde_json::to_string(&first).unwrap();
    assert_eq!(post_feedback(server.port, &body).0, 201);
    let (status, reply) = post_feedback(server.port, &body);
    assert_eq!((status, reply["stored"].as_str()), (200, Some("duplicate")));
    // The rep changes their mind later: the latest verdict counts.
    let later = feedback_on(
        &rb,
        &leads[0],
        2,
        Rejected,
        Some("too-small"),
        "2026-11-24T10:00:00Z",
    );
    assert_eq!(
        post_feedback(server.port, &serde_json::to_string(&later).unwrap()).0,
        201
    );
    let other = feedback_on(
        &rb,
        &leads[1],
        3,
        Rejected,
        Some("no-budget"),
        "2026-11-24T09:30:00Z",
    );
    assert_eq!(
        post_feedback(server.port, &serde_json::to_string(&other).unwrap()).0,
        201
    );

    // Bad feedback gets a clear 4xx and is not stored.
    let mut unknown_reason = serde_json::to_value(&other).unwrap();
    unknown_reason["feedback_id"] = serde_json::json!(accord_core::uuid_v4_from_bytes([4; 16]));
    unknown_reason["reason"] = serde_json::json!({"id": "made-up", "label": "Made up"});
    let (status, reply) = post_feedback(server.port, &unknown_reason.to_string());
    assert_eq!(status, 422, "{reply}");
    assert!(
        reply["error"]
            .as_str()
            .unwrap()
            .contains("`made-up` is not among"),
        "{reply}"
    );
    let mut no_reason = unknown_reason.clone();
    no_reason.as_object_mut().unwrap().remove("reason");
    assert_eq!(post_feedback(server.port, &no_reason.to_string()).0, 422);
    let (status, reply) = post_feedback(server.port, &serde_json::to_string(&leads[2]).unwrap());
    assert_eq!(status, 400);
    assert!(
        reply["error"]
            .as_str()
            .unwrap()
            .starts_with("not a feedback record"),
        "{reply}"
    );

    let (_, _, list) = request(server.port, "GET", "/api/feedback", &[], b"").unwrap();
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list["feedback"].as_array().unwrap().len(), 3);

    let (_, _, summary) = request(server.port, "GET", "/api/summary", &[], b"").unwrap();
    let summary: serde_json::Value = serde_json::from_str(&summary).unwrap();
    let grades = summary["grades"].as_array().unwrap();
    let leads_total: u64 = grades.iter().map(|g| g["leads"].as_u64().unwrap()).sum();
    let rejected: u64 = grades.iter().map(|g| g["rejected"].as_u64().unwrap()).sum();
    let accepted: u64 = grades.iter().map(|g| g["accepted"].as_u64().unwrap()).sum();
    assert_eq!((leads_total, accepted, rejected), (3, 0, 2), "{summary}");
    let first_grade = grades
        .iter()
        .find(|g| g["grade"] == leads[0].qualification.grade.as_str())
        .unwrap();
    assert!(first_grade["reasons"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!(["Too small for us", 1])));

    let (_, _, page) = request(server.port, "GET", "/inbox", &[], b"").unwrap();
    assert!(page.contains("Sales feedback by grade"), "{page}");
    assert!(page.contains("No budget after all (1)"), "{page}");
    assert!(page.contains("rejected (Too small for us)"), "{page}");
}

fn summary_of(port: u16) -> Vec<serde_json::Value> {
    let (_, _, summary) = request(port, "GET", "/api/summary", &[], b"").unwrap();
    let summary: serde_json::Value = serde_json::from_str(&summary).unwrap();
    summary["grades"].as_array().unwrap().clone()
}

fn sum(grades: &[serde_json::Value], key: &str) -> u64 {
    grades.iter().map(|g| g[key].as_u64().unwrap()).sum()
}

#[test]
fn the_latest_verdict_is_the_last_received_not_the_latest_dated() {
    use accord_core::Verdict::{Accepted, Rejected};
    let (server, _) = start("verdict-order", &[]);
    let rb = inbound();
    let lead = record(&rb, 7);
    assert_eq!(
        post(server.port, &serde_json::to_string(&lead).unwrap()).0,
        201
    );
    // A client whose clock says 9999 sends first; a later verdict wins.
    let far_future = feedback_on(&rb, &lead, 1, Accepted, None, "9999-12-31T23:59:59Z");
    let later = feedback_on(
        &rb,
        &lead,
        2,
        Rejected,
        Some("no-budget"),
        "2026-11-24T05:00:00Z",
    );
    for f in [&far_future, &later] {
        assert_eq!(
            post_feedback(server.port, &serde_json::to_string(f).unwrap()).0,
            201
        );
    }
    let grades = summary_of(server.port);
    assert_eq!((sum(&grades, "accepted"), sum(&grades, "rejected")), (0, 1));
    // `10:00+09:00` is 01:00Z: earlier than `05:00Z`, though it sorts later
    // as text. Order of receipt decides, whatever the offsets.
    let lead2 = record(&rb, 8);
    assert_eq!(
        post(server.port, &serde_json::to_string(&lead2).unwrap()).0,
        201
    );
    let first = feedback_on(&rb, &lead2, 3, Accepted, None, "2026-11-24T10:00:00+09:00");
    let second = feedback_on(
        &rb,
        &lead2,
        4,
        Rejected,
        Some("too-small"),
        "2026-11-24T00:30:00Z",
    );
    for f in [&first, &second] {
        assert_eq!(
            post_feedback(server.port, &serde_json::to_string(f).unwrap()).0,
            201
        );
    }
    let grades = summary_of(server.port);
    assert_eq!((sum(&grades, "accepted"), sum(&grades, "rejected")), (0, 2));
    // The list is newest received first.
    let (_, _, list) = request(server.port, "GET", "/api/feedback", &[], b"").unwrap();
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    let ids: Vec<&str> = list["feedback"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["feedback"]["feedback_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [&second, &first, &later, &far_future].map(|f| f.feedback_id.as_str())
    );
}

#[test]
fn feedback_needs_a_held_lead_and_takes_the_rulebook_s_reason_label() {
    use accord_core::Verdict::Rejected;
    let (server, _) = start("feedback-lead", &[]);
    let rb = inbound();
    let absent = record(&rb, 9);
    // Five verdicts on a lead this inbox never received: all refused.
    for n in 0..5 {
        let f = feedback_on(
            &rb,
            &absent,
            10 + n,
            Rejected,
            Some("no-budget"),
            "2026-11-24T09:00:00Z",
        );
        let (status, reply) = post_feedback(server.port, &serde_json::to_string(&f).unwrap());
        assert_eq!(status, 422, "{reply}");
        assert!(
            reply["error"].as_str().unwrap().contains("no lead"),
            "{reply}"
        );
    }
    assert_eq!(sum(&summary_of(server.port), "rejected"), 0);
    // A label the client made up is replaced by the agreed one.
    let held = record(&rb, 10);
    assert_eq!(
        post(server.port, &serde_json::to_string(&held).unwrap()).0,
        201
    );
    let mut f = serde_json::to_value(feedback_on(
        &rb,
        &held,
        20,
        Rejected,
        Some("no-budget"),
        "2026-11-24T09:00:00Z",
    ))
    .unwrap();
    f["reason"]["label"] = serde_json::json!("=HYPERLINK(\"http://evil.example\")");
    // Upper-case ids name the same lead and feedback.
    f["submission_id"] = serde_json::json!(held.submission_id.to_uppercase());
    assert_eq!(post_feedback(server.port, &f.to_string()).0, 201);
    f["feedback_id"] = serde_json::json!(f["feedback_id"].as_str().unwrap().to_uppercase());
    assert_eq!(
        post_feedback(server.port, &f.to_string()).0,
        200,
        "the same feedback id"
    );
    let grades = summary_of(server.port);
    let reasons: Vec<&serde_json::Value> = grades
        .iter()
        .flat_map(|g| g["reasons"].as_array().unwrap())
        .collect();
    assert_eq!(reasons, [&serde_json::json!(["No budget after all", 1])]);
}

#[test]
fn a_second_different_record_with_the_same_id_is_refused() {
    let (server, _) = start("conflict", &[]);
    let rb = inbound();
    let first = record(&rb, 11);
    let body = serde_json::to_string(&first).unwrap();
    assert_eq!(post(server.port, &body).0, 201);
    // The same record, re-encoded and with the id in upper case: a retry.
    let mut again = serde_json::to_value(&first).unwrap();
    again["submission_id"] = serde_json::json!(first.submission_id.to_uppercase());
    let (status, reply) = post(server.port, &serde_json::to_string_pretty(&again).unwrap());
    assert_eq!(
        (status, reply["stored"].as_str()),
        (200, Some("duplicate")),
        "{reply}"
    );
    // Another record under the same id: 409, and the first is kept.
    let mut other = record(&rb, 12);
    other.submission_id = first.submission_id.to_uppercase();
    let (status, reply) = post(server.port, &serde_json::to_string(&other).unwrap());
    assert_eq!(status, 409, "{reply}");
    assert!(
        reply["error"]
            .as_str()
            .unwrap()
            .contains("different record"),
        "{reply}"
    );
    assert_eq!(total(server.port), 1);
    let (_, _, list) = request(server.port, "GET", "/api/records", &[], b"").unwrap();
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(
        list["records"][0]["record"],
        serde_json::to_value(&first).unwrap()
    );
}

#[test]
fn records_that_do_not_verify_are_held_but_not_counted() {
    let (server, _) = start("unverified", &[]);
    let rb = inbound();
    let honest = record(&rb, 13);
    let mut tampered = record(&rb, 14);
    tampered.qualification.grade = honest.qualification.grade.clone();
    tampered.qualification.scores.insert("total".into(), 999);
    assert_eq!(
        post(server.port, &serde_json::to_string(&honest).unwrap()).0,
        201
    );
    let (status, reply) = post(server.port, &serde_json::to_string(&tampered).unwrap());
    assert_eq!(
        (status, reply["verification"].as_str()),
        (201, Some("mismatch"))
    );
    let grades = summary_of(server.port);
    assert_eq!(
        (sum(&grades, "leads"), sum(&grades, "unverified")),
        (1, 1),
        "{grades:?}"
    );
    assert_eq!(total(server.port), 2, "both are held");
}

#[test]
fn a_record_must_say_when_it_was_submitted_as_rfc_3339() {
    let (server, _) = start("submitted-at", &[]);
    let mut bad = record(&inbound(), 15);
    bad.submitted_at = "yesterday".into();
    let (status, reply) = post(server.port, &serde_json::to_string(&bad).unwrap());
    assert_eq!(status, 400, "{reply}");
    assert!(reply["error"]
        .as_str()
        .unwrap()
        .starts_with("submitted_at must be an RFC 3339 time"));
    assert_eq!(total(server.port), 0);
}

#[test]
fn the_report_counts_verified_leads_by_week_source_and_speed() {
    use accord_core::Verdict::{Accepted, Rejected};
    let (server, _) = start("report", &[]);
    let rb = inbound();
    let mut leads = Vec::new();
    for n in 0..4u32 {
        let mut lead = record(&rb, 40 + n);
        let source = if n < 3 { "google" } else { "linkedin" };
        lead.context
            .set(accord_core::ContextKey::UtmSource, Some(source.into()));
        // Re-qualified with the context, so the record verifies.
        let answers = lead.answers.clone();
        let submission = accord_core::Submission {
            submission_id: lead.submission_id.clone(),
            submitted_at: lead.submitted_at.clone(),
            ..accord_core::Submission::default()
        };
        let lead = rb.record(
            &answers,
            &lead.context,
            accord_core::Channel::WebForm,
            submission,
        );
        assert_eq!(
            post(server.port, &serde_json::to_string(&lead).unwrap()).0,
            201
        );
        leads.push(lead);
    }
    let mut tampered = record(&rb, 50);
    tampered.qualification.grade = "sql".into();
    assert_eq!(
        post(server.port, &serde_json::to_string(&tampered).unwrap()).0,
        201
    );
    for (n, (lead, verdict)) in [(&leads[0], Accepted), (&leads[1], Rejected)]
        .into_iter()
        .enumerate()
    {
        let reason = (verdict == Rejected).then_some("no-budget");
        let f = feedback_on(
            &rb,
            lead,
            60 + n as u8,
            verdict,
            reason,
            "2026-11-30T10:00:00Z",
        );
        assert_eq!(
            post_feedback(server.port, &serde_json::to_string(&f).unwrap()).0,
            201
        );
    }
    let (status, _, text) = request(server.port, "GET", "/api/report", &[], b"").unwrap();
    assert_eq!(status, 200, "{text}");
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["unverified"], 1);
    let sum = |rows: &serde_json::Value, key: &str| -> u64 {
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| r[key].as_u64().unwrap())
            .sum()
    };
    assert_eq!(
        sum(&report["weeks"], "leads"),
        4,
        "only verified leads: {report}"
    );
    assert_eq!(
        (
            sum(&report["weeks"], "accepted"),
            sum(&report["weeks"], "rejected")
        ),
        (1, 1)
    );
    let google: u64 = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["utm_source"] == "google")
        .map(|s| s["leads"].as_u64().unwrap())
        .sum();
    assert_eq!(google, 3);
    assert_eq!(sum(&report["speed"], "touched"), 2);
    // Each table as CSV, formula-safe.
    let reasons = report["reasons"].as_array().expect("reasons");
    assert_eq!(reasons.len(), 1, "{report}");
    assert_eq!(reasons[0]["reason"], "No budget after all");
    assert_eq!(reasons[0]["leads"], 1);
    for table in ["weeks", "sources", "reasons", "speed"] {
        let (status, _, csv) = request(
            server.port,
            "GET",
            &format!("/api/report.csv?table={table}"),
            &[],
            b"",
        )
        .unwrap();
        assert_eq!(status, 200, "{table}");
        assert!(csv.lines().count() >= 2, "{table}: {csv}");
    }
    assert_eq!(
        request(server.port, "GET", "/api/report.csv?table=nope", &[], b"")
            .unwrap()
            .0,
        400
    );
    let (status, _, page) = request(server.port, "GET", "/inbox/report", &[], b"").unwrap();
    assert_eq!(status, 200);
    assert!(
        page.contains("<svg role=\"img\"") && page.contains("Speed to lead"),
        "{page}"
    );
    for chart in [
        "Verified leads per week, by grade",
        "Accepted of judged, by grade",
        "Median minutes to the first touch, by grade",
    ] {
        assert!(page.contains(chart), "the chart {chart:?} is drawn: {page}");
    }
}

#[test]
fn a_plain_html_form_post_is_stored_as_a_capture_record_and_answered_with_a_page() {
    const FORM: &[u8] = b"name=Lee+Chen&email=lee%40example.com&message=%3Cb%3Ecall%3C%2Fb%3E&page_url=https%3A%2F%2Fwww.example.com%2Fdemo&website=&submission_id=5c4a3f0e-1d2b-4c3a-9e8f-7a6b5c4d3e2f";
    let (server, _db) = start_inbox("plain-form", &[]);
    let (status, headers, page) = request(
        server.port,
        "POST",
        "/api/records",
        &[("content-type", "application/x-www-form-urlencoded")],
        FORM,
    )
    .expect("response");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("<h1>Thank you</h1>"), "{page}");
    assert!(
        page.contains(r#"href="https://www.example.com/demo""#),
        "{page}"
    );
    assert!(
        headers
            .to_ascii_lowercase()
            .contains("cache-control: no-store"),
        "{headers}"
    );
    let (_, _, list) = request(server.port, "GET", "/api/records", &[], b"").expect("list");
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    let record = &list["records"][0]["record"];
    assert_eq!(record["rulebook"]["id"], "accord-capture");
    assert_eq!(record["answers"]["message"], "<b>call</b>");
    assert_eq!(
        record["context"]["page_url"],
        "https://www.example.com/demo"
    );

    // Without an email it is not stored, and the page says what to do.
    let (status, _, page) = request(
        server.port,
        "POST",
        "/api/records",
        &[("content-type", "application/x-www-form-urlencoded")],
        b"name=Lee",
    )
    .expect("response");
    assert_eq!(status, 400);
    assert!(page.contains("enter your email address"), "{page}");
    assert_eq!(total(server.port), 1);

    // Posted again with the same submission id (a reload, a double click):
    // thanked again, stored once. A filled honeypot is thanked, not stored.
    for body in [
        FORM,
        b"name=Bot&email=bot%40spam.example&website=http%3A%2F%2Fspam.example".as_slice(),
    ] {
        let (status, _, page) = request(
            server.port,
            "POST",
            "/api/records",
            &[("content-type", "application/x-www-form-urlencoded")],
            body,
        )
        .expect("response");
        assert_eq!(status, 200);
        assert!(page.contains("<h1>Thank you</h1>"), "{page}");
    }
    assert_eq!(total(server.port), 1);

    // Refused (a site the inbox does not allow): a page a person can read,
    // not JSON; a script's post is still answered in JSON.
    let (status, headers, page) = request(
        server.port,
        "POST",
        "/api/records",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("origin", "https://elsewhere.example"),
        ],
        b"email=a%40b.example",
    )
    .expect("response");
    assert_eq!(status, 403);
    assert!(
        headers
            .to_ascii_lowercase()
            .contains("content-type: text/html"),
        "{headers}"
    );
    assert!(
        page.contains("<h1>Not sent</h1>") && page.contains("may not send forms"),
        "{page}"
    );
    let (status, headers, _) = request(
        server.port,
        "POST",
        "/api/records",
        &[
            ("content-type", "text/plain"),
            ("origin", "https://elsewhere.example"),
        ],
        b"{}",
    )
    .expect("response");
    assert_eq!(status, 403);
    assert!(
        headers.to_ascii_lowercase().contains("application/json"),
        "{headers}"
    );
    assert_eq!(total(server.port), 1);
}
