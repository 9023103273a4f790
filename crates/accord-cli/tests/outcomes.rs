//! Outcomes (docs/outcomes.md) into a running inbox: `POST /api/outcomes`
//! and `accord inbox import-outcomes`, bad rows reported by line, the same
//! file twice counted once, and the report's opportunities, won and amount.

mod support;

use support::*;

const READ: &str = "read-token-0123456789abcdef";
const FEEDBACK: &str = "feedback-token-0123456789abcdef";

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

fn post_outcomes(
    port: u16,
    token: &str,
    content_type: &str,
    body: &str,
) -> (u16, serde_json::Value) {
    let (status, _, text) = request(
        port,
        "POST",
        "/api/outcomes",
        &[
            ("content-type", content_type),
            ("authorization", &bearer(token)),
        ],
        body.as_bytes(),
    )
    .expect("response");
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// The weeks table of the report, summed over its rows.
fn report_totals(port: u16) -> (u64, u64, u64, u64, f64) {
    let (status, _, text) = request(
        port,
        "GET",
        "/api/report",
        &[("authorization", &bearer(READ))],
        b"",
    )
    .unwrap();
    assert_eq!(status, 200, "{text}");
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    let weeks = report["weeks"].as_array().expect("weeks");
    assert!(!weeks.is_empty(), "the report has rows: {text}");
    let sum = |key: &str| weeks.iter().map(|w| w[key].as_u64().unwrap()).sum::<u64>();
    let amount = weeks
        .iter()
        .map(|w| w["won_amount"].as_f64().unwrap())
        .sum::<f64>();
    (
        sum("accepted"),
        sum("opportunities"),
        sum("won"),
        sum("lost"),
        amount,
    )
}

#[test]
fn outcomes_reach_the_report_and_bad_rows_are_named_by_line() {
    let dir = temp_dir("outcomes-tokens");
    let tokens = dir.join("tokens");
    std::fs::write(&tokens, format!("read {READ}\nfeedback {FEEDBACK}\n")).unwrap();
    let (server, db) = start_inbox(
        "outcomes",
        &[
            "--tokens-file",
            tokens.to_str().unwrap(),
            "--allow-origin",
            "https://shop.example",
        ],
    );
    let rulebook = inbound();
    let leads: Vec<_> = (0..3).map(|n| record(&rulebook, n)).collect();
    for lead in &leads {
        let (status, body) = post(server.port, &serde_json::to_string(lead).unwrap());
        assert_eq!(status, 201, "{body}");
    }
    let [a, b, c] = [0, 1, 2].map(|i| leads[i].submission_id.clone());
    assert_eq!(report_totals(server.port), (0, 0, 0, 0, 0.0));

    let csv = format!(
        "Deal name,submission_id,stage,amount,at\r\n\
         Acme,{a},opportunity,,2026-11-25T10:00:00Z\r\n\
         Acme,{},won,12500.50,2026-11-28T10:00:00Z\r\n\
         Beta,{b},lost,,\r\n\
         Gamma,{c},signed,,\r\n\
         Nobody,0b8a4a8e-4a0e-4c7e-9a43-2f1d6f0b7c11,won,10,\r\n",
        a.to_ascii_uppercase()
    );
    // Outcomes change the numbers both teams read: a read token only.
    assert_eq!(
        post_outcomes(server.port, FEEDBACK, "text/csv", &csv).0,
        401
    );
    let (status, _, _) = request(
        server.port,
        "POST",
        "/api/outcomes",
        &[
            ("content-type", "text/csv"),
            ("origin", "https://shop.example"),
            ("authorization", &bearer(READ)),
        ],
        csv.as_bytes(),
    )
    .unwrap();
    assert_eq!(
        status, 403,
        "the marketing site posts records, never outcomes"
    );
    assert_eq!(
        post_outcomes(server.port, READ, "application/pdf", &csv).0,
        415
    );

    let (status, answer) = post_outcomes(server.port, READ, "text/csv; charset=utf-8", &csv);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["imported"], 3, "{answer}");
    assert_eq!(answer["skipped"], 2, "{answer}");
    let problems = answer["problems"].as_array().unwrap();
    assert_eq!(problems[0]["line"], 5);
    assert!(problems[0]["error"]
        .as_str()
        .unwrap()
        .contains("\"signed\""));
    assert_eq!(problems[1]["line"], 6);
    assert!(problems[1]["error"]
        .as_str()
        .unwrap()
        .contains("no lead with submission_id"));

    // a became a won deal, b a lost one (both count as accepted).
    assert_eq!(report_totals(server.port), (2, 2, 1, 1, 12500.5));

    // The same file again changes nothing.
    let (_, again) = post_outcomes(server.port, READ, "text/csv", &csv);
    assert_eq!(
        (again["imported"].as_u64(), again["duplicates"].as_u64()),
        (Some(0), Some(3))
    );
    assert_eq!(report_totals(server.port), (2, 2, 1, 1, 12500.5));

    // The CLI writes into the same database while the inbox runs: c won,
    // a's deal was lost after all (the later row counts).
    let file = temp_dir("outcomes-file").join("later.jsonl");
    std::fs::write(
        &file,
        format!(
            "{{\"submission_id\":\"{c}\",\"stage\":\"won\",\"amount\":500}}\n\
             {{\"submission_id\":\"{a}\",\"stage\":\"lost\"}}\n\
             {{\"submission_id\":\"{c}\",\"stage\":\"won\",\"amount\":\"500\"}}\n"
        ),
    )
    .unwrap();
    let out = run(
        &[
            "inbox",
            "import-outcomes",
            file.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ],
        "",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a skipped row is a problem: {stdout}"
    );
    assert!(
        stdout.contains(":3: skipped: amount must be a number"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2 imported, 0 already there, 1 skipped"),
        "{stdout}"
    );
    assert_eq!(report_totals(server.port), (3, 3, 1, 2, 500.0));

    // Every table of the report carries the outcome columns.
    let (_, _, weeks) = request(
        server.port,
        "GET",
        "/api/report.csv?table=weeks",
        &[("authorization", &bearer(READ))],
        b"",
    )
    .unwrap();
    assert!(
        weeks.starts_with("week,rulebook_id,rulebook_version,grade,leads,accepted,rejected,acceptance,opportunities,won,lost,won_amount\r\n"),
        "{weeks}"
    );
}

#[test]
fn import_outcomes_refuses_an_unreadable_file_clearly() {
    let dir = temp_dir("outcomes-missing");
    let out = run(
        &[
            "inbox",
            "import-outcomes",
            dir.join("nope.csv").to_str().unwrap(),
            "--db",
            dir.join("db").to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
    let header_only = dir.join("bad.csv");
    std::fs::write(&header_only, "id,status\n").unwrap();
    let out = run(
        &[
            "inbox",
            "import-outcomes",
            header_only.to_str().unwrap(),
            "--db",
            dir.join("db").to_str().unwrap(),
            "--json",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["skipped"], 1);
    assert!(answer["problems"][0]["error"]
        .as_str()
        .unwrap()
        .contains("no `submission_id` column"));
}
