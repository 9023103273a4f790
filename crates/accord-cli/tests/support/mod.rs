//! Helpers for tests that run `accord inbox` / `accord serve`: start the
//! binary on a free port, and speak plain HTTP/1.1 to it.

#![allow(dead_code)] // each test file uses a different part

use accord_core::{uuid_v4_from_bytes, Channel, LeadRecord, Rulebook, Submission};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

pub fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../static/rulebooks")
        .join(name)
}

pub fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("accord-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `accord` with `input` on standard input.
pub fn run(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("accord runs");
    let written = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes());
    // A command that stops before reading its input (a usage error) closes
    // the pipe: that is its answer, not a failure to write.
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write: {e}");
    }
    child.wait_with_output().expect("accord exits")
}

/// Starts `accord inbox` on a free loopback port with a fresh database (in
/// a temporary folder named after `tag`), the inbound example rulebook and
/// `extra` arguments; the server and the database's path.
pub fn start_inbox(tag: &str, extra: &[&str]) -> (Server, PathBuf) {
    let dir = temp_dir(tag);
    let db = dir.join("inbox.sqlite");
    let rulebooks = example("inbound.json");
    let mut args = vec![
        "inbox",
        "--addr",
        "127.0.0.1:0",
        "--db",
        db.to_str().expect("a UTF-8 path"),
        "--rulebooks",
        rulebooks.to_str().expect("a UTF-8 path"),
    ];
    args.extend_from_slice(extra);
    (Server::start(&args), db)
}

/// A running server; stopped with SIGTERM when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Server {
    pub fn start(args: &[&str]) -> Server {
        Server::start_with_env(args, &[])
    }

    /// [`Server::start`] with environment variables set (tokens, say).
    pub fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("accord starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("listening line");
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        Server { child, port }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM and waits for a graceful exit; the exit status.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let status = self.child.wait().expect("exits");
        std::mem::forget(self);
        status
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request; `(status, headers, body)`. `Err` when the server
/// cannot be reached or closes the connection without a response.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<(u16, String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    // The loopback host unless the test names another.
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str("host: 127.0.0.1\r\n");
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other(format!("no response: {text:?}")))?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Ok((status, head.to_owned(), body))
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

pub fn post(port: u16, body: &str) -> (u16, serde_json::Value) {
    post_to(port, "/api/records", "application/json", body)
}

/// POSTs `body` to `path` and reads the JSON answer (or its text).
pub fn post_to(port: u16, path: &str, content_type: &str, body: &str) -> (u16, serde_json::Value) {
    let (status, _, text) = request(
        port,
        "POST",
        path,
        &[("content-type", content_type)],
        body.as_bytes(),
    )
    .expect("response");
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

pub fn inbound() -> Rulebook {
    Rulebook::from_json(&std::fs::read_to_string(example("inbound.json")).unwrap()).unwrap()
}

/// A distinct valid record for each `n`.
pub fn record(rulebook: &Rulebook, n: u32) -> LeadRecord {
    let fixtures = &rulebook.doc().fixtures;
    let f = &fixtures[n as usize % fixtures.len()];
    let mut bytes = [0u8; 16];
    bytes[..4].copy_from_slice(&n.to_le_bytes());
    bytes[4] = 0xac;
    let sub = Submission {
        submission_id: uuid_v4_from_bytes(bytes),
        submitted_at: "2026-11-23T10:00:00Z".into(),
        ..Submission::default()
    };
    rulebook.record(
        &f.answers,
        &f.context.clone().unwrap_or_default(),
        Channel::WebForm,
        sub,
    )
}

pub fn total(port: u16) -> u64 {
    let (_, _, body) = request(port, "GET", "/api/records?limit=1", &[], b"").expect("list");
    serde_json::from_str::<serde_json::Value>(&body).unwrap()["total"]
        .as_u64()
        .unwrap()
}

/// A lead for `accord diff` and `accord backtest` on the inbound rulebook,
/// as one JSON line with its own id: `(id, line)`.
pub fn lead_line(n: u8, answers: serde_json::Value) -> (String, String) {
    let mut bytes = [n; 16];
    bytes[0] = 0xd1;
    let id = uuid_v4_from_bytes(bytes);
    let line = serde_json::json!({"submission_id": id, "answers": answers}).to_string();
    (id, line)
}

/// Inbound answers worth 50 points: 250-999 employees (+25), a supported
/// CRM (+15), wants forecasts (+10); Fit 40. `mql` under the example
/// rulebook, `sql` once the threshold drops to 50.
pub fn answers_worth_50() -> serde_json::Value {
    serde_json::json!({"name": "A", "email": "a@acme.example", "company": "Acme", "role": "individual",
        "employees": "250-999", "crm": "salesforce", "budget": false, "use_cases": ["forecasting"], "consent": true})
}

/// Inbound answers that score nothing: `nurture`.
pub fn answers_worth_nothing() -> serde_json::Value {
    serde_json::json!({"name": "B", "email": "b@gmail.com", "company": "B", "role": "individual",
        "employees": "1-49", "crm": "none", "budget": false, "use_cases": [], "consent": true})
}
