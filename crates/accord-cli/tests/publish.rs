//! Publishing a rulebook to the inbox (`POST /api/rulebooks`, as the
//! studio does): only agreed, valid rulebooks with a publish token; a
//! version never changes once published (or given at start); records of a
//! published version verify from the first lead, and still after a restart.

mod support;

use serde_json::{json, Value};
use support::{example, request, run, Server};

const TOKEN: &str = "publish-token-for-the-studio-0123";
const READ_TOKEN: &str = "read-token-of-an-analyst-0123456";

fn minimal() -> Value {
    serde_json::from_str(&std::fs::read_to_string(example("minimal.json")).unwrap()).unwrap()
}

/// The minimal example as version `version`, signed by both teams.
fn agreed(version: &str) -> Value {
    let mut doc = minimal();
    doc["version"] = json!(version);
    accord_core::sign(&mut doc, "marketing", "Priya", Some("2026-11-30")).unwrap();
    accord_core::sign(&mut doc, "sales", "Tom", None).unwrap();
    doc
}

fn publish(port: u16, doc: &Value, token: Option<&str>) -> (u16, Value) {
    post_json(port, "/api/rulebooks", doc, token)
}

/// POSTs `body` as JSON to `path` with `token`; the answer.
fn post_json(port: u16, path: &str, body: &Value, token: Option<&str>) -> (u16, Value) {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("content-type", "application/json")];
    if let Some(b) = &bearer {
        headers.push(("authorization", b.as_str()));
    }
    let (status, _, text) =
        request(port, "POST", path, &headers, body.to_string().as_bytes()).unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// A record of `doc` for one lead with this email, scored natively (the
/// submission id derives from the answers: another email, another lead).
fn record(doc: &Value, email: &str) -> String {
    let dir = support::temp_dir("publish-rulebook");
    let file = dir.join("rulebook.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = run(
        &["score", file.to_str().unwrap()],
        &json!({"email": email, "employees": "large"}).to_string(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn start(db: &str) -> Server {
    let minimal = example("minimal.json");
    Server::start_with_env(
        &[
            "inbox",
            "--addr",
            "127.0.0.1:0",
            "--db",
            db,
            "--rulebooks",
            minimal.to_str().unwrap(),
        ],
        &[
            ("ACCORD_PUBLISH_TOKENS", TOKEN),
            ("ACCORD_READ_TOKENS", READ_TOKEN),
        ],
    )
}

#[test]
fn an_agreed_rulebook_published_with_a_read_token_verifies_leads_from_the_first() {
    let dir = support::temp_dir("publish");
    let db = dir.join("inbox.sqlite");
    let db = db.to_str().unwrap();
    let inbox = start(db);
    let doc = agreed("2");

    // Before publishing, the inbox does not know the version.
    let lead = record(&doc, "ana@large.example");
    let (status, body) = support::post(inbox.port, &lead);
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["verification"], "unknown_rulebook");

    assert_eq!(publish(inbox.port, &doc, None).0, 401);
    assert_eq!(
        publish(inbox.port, &doc, Some("not-a-token-of-this-inbox")).0,
        401
    );
    let (status, body) = publish(inbox.port, &doc, Some(TOKEN));
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["version"], "2");
    // The same content again is fine; other content under the version is not.
    assert_eq!(publish(inbox.port, &doc, Some(TOKEN)).0, 200);
    let mut changed = doc.clone();
    changed["title"] = json!("Changed after publishing");
    accord_core::sign(&mut changed, "marketing", "Priya", None).unwrap();
    accord_core::sign(&mut changed, "sales", "Tom", None).unwrap();
    let (status, body) = publish(inbox.port, &changed, Some(TOKEN));
    assert_eq!(status, 409, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("publish these as a new version"),
        "{body}"
    );

    // Not agreed (a stale sign-off), or invalid: refused with the reason.
    let mut stale = agreed("3");
    stale["title"] = json!("Edited after signing");
    let (status, body) = publish(inbox.port, &stale, Some(TOKEN));
    assert_eq!(status, 422);
    assert!(
        body["error"].as_str().unwrap().contains("not agreed"),
        "{body}"
    );
    let mut invalid = agreed("4");
    invalid["grades"] = json!([]);
    let (status, body) = publish(inbox.port, &invalid, Some(TOKEN));
    assert_eq!(status, 422);
    assert!(!body["errors"].as_array().unwrap().is_empty(), "{body}");

    // The first lead of the published version verifies.
    let lead = record(&doc, "bo@large.example");
    let (status, body) = support::post(inbox.port, &lead);
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["verification"], "verified", "{body}");
    let (_, _, listed) = request(
        inbox.port,
        "GET",
        "/api/rulebooks",
        &[("authorization", &format!("Bearer {READ_TOKEN}"))],
        b"",
    )
    .unwrap();
    let listed: Value = serde_json::from_str(&listed).unwrap();
    let versions: Vec<&str> = listed["rulebooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["1", "2"], "{listed}");
    inbox.stop();

    // After a restart the published version is still known.
    let inbox = start(db);
    let lead = record(&doc, "cy@large.example");
    let (status, body) = support::post(inbox.port, &lead);
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["verification"], "verified", "{body}");
}

/// `POST /api/embed` with `token`: the inbox's answer.
fn snippet(port: u16, body: &Value, token: Option<&str>) -> (u16, Value) {
    post_json(port, "/api/embed", body, token)
}

#[test]
fn the_snippet_of_a_published_version_comes_with_a_publish_token() {
    let dir = support::temp_dir("publish-embed");
    let db = dir.join("inbox.sqlite");
    let inbox = start(db.to_str().unwrap());
    let ask = json!({"id": "minimal", "version": "3", "rulebook_url": "/rulebooks/minimal-3.json",
        "endpoint": "https://leads.example.com/api/records"});
    assert_eq!(snippet(inbox.port, &ask, None).0, 401);
    assert_eq!(snippet(inbox.port, &ask, Some(READ_TOKEN)).0, 401);
    let (status, body) = snippet(inbox.port, &ask, Some(TOKEN));
    assert_eq!(status, 404, "not published yet: {body}");
    assert!(body["error"].as_str().unwrap().contains("publish it first"));

    assert_eq!(publish(inbox.port, &agreed("3"), Some(TOKEN)).0, 201);
    let (status, body) = snippet(inbox.port, &ask, Some(TOKEN));
    assert_eq!(status, 200, "{body}");
    let html = body["snippet"].as_str().unwrap();
    assert!(html.starts_with(r#"<div data-accord-rulebook="/rulebooks/minimal-3.json" data-accord-endpoint="https://leads.example.com/api/records""#), "{html}");
    assert!(html.contains(r#"<input value="3" type="hidden" name="accord_version">"#));

    let mut secret = ask.clone();
    secret["endpoint"] =
        json!("https://leads.example.com/api/records?token=sk_live_0123456789abcdef");
    let (status, body) = snippet(inbox.port, &secret, Some(TOKEN));
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("secrets belong on the backend"));
    let mut theme = ask.clone();
    theme["theme"] = json!("neon");
    assert_eq!(snippet(inbox.port, &theme, Some(TOKEN)).0, 400);
    assert_eq!(snippet(inbox.port, &json!([1]), Some(TOKEN)).0, 400);
    inbox.stop();
}
