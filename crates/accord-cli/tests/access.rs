//! `accord inbox` access: read and feedback tokens, sign-in sessions, the
//! Host header, the Origin of posts, and what it refuses at start.

mod support;

use std::process::Command;
use support::*;

const READ: &str = "read-token-0123456789abcdef";
const FEEDBACK: &str = "feedback-token-0123456789abcdef";

/// An inbox with a tokens file (and `extra` arguments).
fn start_with_tokens(tag: &str, extra: &[&str]) -> Server {
    let tokens = temp_dir(&format!("{tag}-tokens")).join("tokens");
    std::fs::write(
        &tokens,
        format!("# role token\nread {READ}\nfeedback {FEEDBACK}\n"),
    )
    .unwrap();
    let mut args = vec!["--tokens-file", tokens.to_str().unwrap()];
    args.extend_from_slice(extra);
    start_inbox(tag, &args).0
}

fn get(port: u16, path: &str, headers: &[(&str, &str)]) -> (u16, String, String) {
    request(port, "GET", path, headers, b"").unwrap()
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

#[test]
fn reading_needs_a_read_token_and_posting_records_stays_open() {
    let server = start_with_tokens("tokens-read", &[]);
    let body = serde_json::to_string(&record(&inbound(), 1)).unwrap();
    assert_eq!(
        post(server.port, &body).0,
        201,
        "the widget posts without a token"
    );
    for path in [
        "/api/records",
        "/api/records.csv",
        "/api/feedback",
        "/api/summary",
        "/api/report",
        "/api/report.csv?table=speed",
    ] {
        let (status, head, text) = get(server.port, path, &[]);
        assert_eq!(status, 401, "{path}: {text}");
        assert!(
            head.to_ascii_lowercase()
                .contains("www-authenticate: bearer"),
            "{head}"
        );
        assert!(!text.contains("@"), "{path} leaks: {text}");
        let wrong = bearer("read-token-0123456789abcdeX");
        assert_eq!(
            get(server.port, path, &[("authorization", &wrong)]).0,
            401,
            "{path}"
        );
        let feedback_only = bearer(FEEDBACK);
        assert_eq!(
            get(server.port, path, &[("authorization", &feedback_only)]).0,
            401,
            "{path}"
        );
        let (status, _, _) = get(server.port, path, &[("authorization", &bearer(READ))]);
        assert_eq!(status, 200, "{path}");
    }
    let (_, _, list) = get(
        server.port,
        "/api/records",
        &[("authorization", &bearer(READ))],
    );
    assert!(list.contains("\"total\":1"), "{list}");
}

#[test]
fn the_page_signs_in_with_a_read_token_into_an_http_only_cookie() {
    let server = start_with_tokens("tokens-page", &[]);
    let (status, _, page) = get(server.port, "/inbox", &[]);
    assert_eq!(status, 401);
    let (status, _, report) = get(server.port, "/inbox/report", &[]);
    assert_eq!(status, 401);
    assert!(
        report.contains("Read token") && !report.contains("Pipeline report"),
        "{report}"
    );
    assert!(
        page.contains("<label for=\"token\">Read token</label>"),
        "{page}"
    );
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let (status, _, page) = request(
        server.port,
        "POST",
        "/inbox/login",
        &form,
        format!("token={FEEDBACK}").as_bytes(),
    )
    .unwrap();
    assert_eq!(status, 401, "a feedback token does not read");
    assert!(page.contains("not a read token"), "{page}");
    let (status, head, _) = request(
        server.port,
        "POST",
        "/inbox/login",
        &form,
        format!("token={READ}").as_bytes(),
    )
    .unwrap();
    assert_eq!(status, 303);
    let head = head.to_ascii_lowercase();
    let cookie_line = head
        .lines()
        .find(|l| l.starts_with("set-cookie:"))
        .expect("a cookie");
    assert!(
        cookie_line.contains("httponly") && cookie_line.contains("samesite=strict"),
        "{cookie_line}"
    );
    // The cookie holds a session id, never the token.
    let session = cookie_line
        .split_once("accord_inbox=")
        .and_then(|(_, rest)| rest.split(';').next())
        .unwrap()
        .to_owned();
    assert_eq!(session.len(), 64, "{cookie_line}");
    assert!(!cookie_line.contains(&READ.to_ascii_lowercase()));
    let (status, _, _) = get(
        server.port,
        "/inbox",
        &[("cookie", &format!("accord_inbox={READ}"))],
    );
    assert_eq!(status, 401, "a token in the cookie is no session");
    let cookie = format!("accord_inbox={session}");
    let (status, _, page) = get(server.port, "/inbox", &[("cookie", &cookie)]);
    assert_eq!(status, 200);
    // A cookie of the same name set by another site of the domain, sent
    // first, does not hide the real one.
    let shadowed = format!("accord_inbox=planted-by-a-sibling; accord_inbox={session}");
    assert_eq!(get(server.port, "/inbox", &[("cookie", &shadowed)]).0, 200);
    assert!(page.contains("Sales feedback by grade"), "{page}");
    assert!(page.contains(">Sign out</button>"), "{page}");
    // The cookie reads; it never posts feedback (no cross-site forgery).
    let lead = record(&inbound(), 2);
    assert_eq!(
        post(server.port, &serde_json::to_string(&lead).unwrap()).0,
        201
    );
    let feedback = accord_core::FeedbackRecord::new(
        &lead,
        &inbound(),
        accord_core::Verdict::Accepted,
        None,
        None,
        None,
        accord_core::uuid_v4_from_bytes([9; 16]),
        "2026-11-30T10:00:00Z".into(),
    )
    .unwrap();
    let body = serde_json::to_string(&feedback).unwrap();
    let json = ("content-type", "application/json");
    let (status, _, _) = request(
        server.port,
        "POST",
        "/api/feedback",
        &[json, ("cookie", &cookie)],
        body.as_bytes(),
    )
    .unwrap();
    assert_eq!(status, 401);
    let (status, _, _) = request(
        server.port,
        "POST",
        "/api/feedback",
        &[json, ("authorization", &bearer(FEEDBACK))],
        body.as_bytes(),
    )
    .unwrap();
    assert_eq!(status, 201);
    // Signing out ends the session on the server, not only in the browser.
    let (status, head, _) = request(
        server.port,
        "POST",
        "/inbox/logout",
        &[("cookie", &cookie)],
        b"",
    )
    .unwrap();
    assert_eq!(status, 303);
    assert!(
        head.to_ascii_lowercase().contains("max-age=0"),
        "the cookie is cleared: {head}"
    );
    let (status, _, page) = get(server.port, "/inbox", &[("cookie", &cookie)]);
    assert_eq!(status, 401, "the old cookie no longer reads");
    assert!(page.contains("session has ended"), "{page}");
}

#[test]
fn the_host_header_must_name_this_inbox() {
    let server = start_with_tokens("host", &["--host", "leads.example.com"]);
    let read = bearer(READ);
    let ask = |host: &str| {
        get(
            server.port,
            "/api/summary",
            &[("host", host), ("authorization", &read)],
        )
        .0
    };
    assert_eq!(ask("leads.example.com"), 200);
    assert_eq!(ask("LEADS.example.com:443"), 200);
    assert_eq!(ask("localhost:8787"), 200);
    // A page on another name that resolves here (DNS rebinding) gets nothing.
    assert_eq!(ask("attacker.example"), 421);
    let body = serde_json::to_string(&record(&inbound(), 3)).unwrap();
    let (status, _, _) = request(
        server.port,
        "POST",
        "/api/records",
        &[("host", "attacker.example"), ("content-type", "text/plain")],
        body.as_bytes(),
    )
    .unwrap();
    assert_eq!(status, 421);
}

#[test]
fn posts_from_other_sites_are_refused_unless_allowed_even_as_plain_text() {
    let server = start_with_tokens("origin", &["--allow-origin", "https://shop.example"]);
    let post_from = |origin: &str, n: u32| {
        let body = serde_json::to_string(&record(&inbound(), n)).unwrap();
        let headers = [
            ("content-type", "text/plain;charset=UTF-8"),
            ("origin", origin),
        ];
        request(
            server.port,
            "POST",
            "/api/records",
            &headers,
            body.as_bytes(),
        )
        .unwrap()
    };
    let (status, _, text) = post_from("https://evil.example", 4);
    assert_eq!(status, 403, "{text}");
    assert_eq!(post_from("https://shop.example", 5).0, 201);
    let own = format!("http://127.0.0.1:{}", server.port);
    let (status, _, _) = request(
        server.port,
        "POST",
        "/api/records",
        &[
            ("content-type", "text/plain"),
            ("origin", &own),
            ("host", &format!("127.0.0.1:{}", server.port)),
        ],
        serde_json::to_string(&record(&inbound(), 6))
            .unwrap()
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(status, 201, "the inbox's own pages post");
    let (_, _, list) = get(
        server.port,
        "/api/records",
        &[("authorization", &bearer(READ))],
    );
    assert!(
        list.contains("\"total\":2"),
        "the refused post is not stored: {list}"
    );
}

#[test]
fn reads_never_answer_another_site() {
    let server = start_with_tokens("acao", &["--allow-origin", "*"]);
    let read = bearer(READ);
    let (status, head, _) = get(
        server.port,
        "/api/records",
        &[("origin", "https://shop.example"), ("authorization", &read)],
    );
    assert_eq!(status, 200);
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("access-control-allow-origin"),
        "{head}"
    );
    let preflight = [
        ("origin", "https://shop.example"),
        ("access-control-request-method", "POST"),
        ("access-control-request-headers", "content-type"),
    ];
    let (_, head, _) = request(server.port, "OPTIONS", "/api/records", &preflight, b"").unwrap();
    assert!(
        head.to_ascii_lowercase()
            .contains("access-control-allow-origin: *"),
        "posting stays open: {head}"
    );
}

#[test]
fn an_exposed_or_weakly_protected_inbox_refuses_to_start() {
    let dir = temp_dir("refuse");
    let db = dir.join("inbox.sqlite");
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_accord"));
        command
            .args(["inbox", "--db", db.to_str().unwrap()])
            .args(args);
        command
            .env_remove("ACCORD_READ_TOKENS")
            .env_remove("ACCORD_FEEDBACK_TOKENS");
        for (k, v) in env {
            command.env(k, v);
        }
        command.output().expect("accord runs")
    };
    let out = run(&["--addr", "0.0.0.0:0"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("without a read token"));
    let out = run(&["--addr", "0.0.0.0:0"], &[("ACCORD_READ_TOKENS", READ)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("without --host"));
    let out = run(
        &["--addr", "127.0.0.1:0"],
        &[("ACCORD_READ_TOKENS", "short")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 16"));
    // Tokens are never a command-line argument.
    let out = run(&["--token", READ], &[]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn tokens_from_the_environment_work_and_rotate() {
    let dir = temp_dir("env-tokens");
    let db = dir.join("inbox.sqlite");
    let rulebooks = example("inbound.json");
    let old = "old-read-token-0123456789";
    let new = "new-read-token-0123456789";
    // Both valid while a rotation is under way.
    let tokens = format!("{old},{new}");
    let server = Server::start_with_env(
        &[
            "inbox",
            "--addr",
            "127.0.0.1:0",
            "--db",
            db.to_str().unwrap(),
            "--rulebooks",
            rulebooks.to_str().unwrap(),
        ],
        &[("ACCORD_READ_TOKENS", &tokens)],
    );
    for token in [old, new] {
        let auth = bearer(token);
        assert_eq!(
            get(server.port, "/api/summary", &[("authorization", &auth)]).0,
            200
        );
    }
    assert_eq!(get(server.port, "/api/summary", &[]).0, 401);
}

#[test]
fn reads_are_never_cached_and_allowed_sites_post_records_only() {
    let server = start_with_tokens("no-store", &["--allow-origin", "https://shop.example"]);
    let (status, head, _) = get(
        server.port,
        "/api/summary",
        &[("authorization", &bearer(READ))],
    );
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("cache-control: no-store"),
        "{head}"
    );
    // The marketing site may post records, not feedback and not a sign-in.
    let form = [
        ("content-type", "application/x-www-form-urlencoded"),
        ("origin", "https://shop.example"),
    ];
    let body = format!("token={READ}");
    let (status, _, _) =
        request(server.port, "POST", "/inbox/login", &form, body.as_bytes()).unwrap();
    assert_eq!(status, 403);
    let feedback = [
        ("content-type", "application/json"),
        ("origin", "https://shop.example"),
        ("authorization", &bearer(FEEDBACK)),
    ];
    let (status, _, _) = request(server.port, "POST", "/api/feedback", &feedback, b"{}").unwrap();
    assert_eq!(status, 403);
}

#[test]
fn tokens_with_characters_unsafe_in_a_cookie_are_refused() {
    let dir = temp_dir("token-chars");
    let out = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args([
            "inbox",
            "--addr",
            "127.0.0.1:0",
            "--db",
            dir.join("db").to_str().unwrap(),
        ])
        .env("ACCORD_READ_TOKENS", "0123456789abcdef;path=/x")
        .env_remove("ACCORD_FEEDBACK_TOKENS")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("letters, digits and - _ . ~"));
}

/// The minutes-to-first-touch counts of the report: (leads, touched).
fn touched(port: u16) -> (u64, u64) {
    let (status, _, text) = get(port, "/api/report", &[("authorization", &bearer(READ))]);
    assert_eq!(status, 200, "{text}");
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    let rows = report["speed"].as_array().expect("speed rows");
    rows.iter().fold((0, 0), |(l, t), r| {
        (
            l + r["leads"].as_u64().unwrap(),
            t + r["touched"].as_u64().unwrap(),
        )
    })
}

#[test]
fn a_call_that_follows_a_lead_up_is_a_touch_only_when_sales_posted_it() {
    let server = start_with_tokens("follow-up", &[]);
    let rb = inbound();
    let lead = record(&rb, 70);
    assert_eq!(
        post(server.port, &serde_json::to_string(&lead).unwrap()).0,
        201
    );
    let call = |n: u8, follows_up: &str| {
        let mut bytes = [n; 16];
        bytes[0] = 0xca;
        rb.record(
            &lead.answers,
            &lead.context,
            accord_core::Channel::Call,
            accord_core::Submission {
                submission_id: accord_core::uuid_v4_from_bytes(bytes),
                submitted_at: "2026-11-30T10:00:00Z".into(),
                call: Some(accord_core::CallDetails {
                    disposition: "qualified".into(),
                    duration_seconds: 300,
                    follows_up: Some(follows_up.into()),
                }),
                ..accord_core::Submission::default()
            },
        )
    };
    let json = ("content-type", "application/json");
    let send = |body: &accord_core::LeadRecord, token: Option<&str>| {
        let auth = token.map(bearer);
        let mut headers = vec![json];
        if let Some(a) = &auth {
            headers.push(("authorization", a));
        }
        request(
            server.port,
            "POST",
            "/api/records",
            &headers,
            serde_json::to_string(body).unwrap().as_bytes(),
        )
        .unwrap()
    };
    let id = lead.submission_id.to_ascii_uppercase();
    // Anyone may post a call record, but an anonymous one is no touch:
    // it cannot make speed to lead look better than it is.
    assert_eq!(send(&call(1, &id), None).0, 201);
    assert_eq!(touched(server.port), (1, 0));
    let (status, _, text) = send(&call(2, &id), Some("not-a-token-of-this-inbox"));
    assert_eq!(status, 401, "{text}");
    let (status, _, text) = send(&call(3, "lead-42"), Some(FEEDBACK));
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("call.follows_up must be"), "{text}");
    // The console posts with the rep's feedback token: a touch.
    assert_eq!(send(&call(4, &id), Some(FEEDBACK)).0, 201);
    assert_eq!(touched(server.port), (1, 1));
}
