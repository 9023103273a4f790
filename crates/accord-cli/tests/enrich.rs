//! `accord score --enrich` against a local provider that answers, answers
//! slowly, fails, answers garbage and knows nothing; and
//! `accord enrich-server` serving a CSV to it.

mod support;

use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{example, request, run, temp_dir, Server};

/// A provider on a free loopback port: answers by the `domain` query
/// parameter, and counts the lookups of each domain.
struct Provider {
    port: u16,
    hits: Arc<Mutex<HashMap<String, u32>>>,
}

impl Provider {
    fn start() -> Provider {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(Mutex::new(HashMap::new()));
        let counted = hits.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let counted = counted.clone();
                std::thread::spawn(move || {
                    let mut line = String::new();
                    let mut reader = BufReader::new(&stream);
                    if reader.read_line(&mut line).is_err() {
                        return;
                    }
                    let domain = line
                        .split("domain=")
                        .nth(1)
                        .and_then(|rest| rest.split([' ', '&']).next())
                        .unwrap_or_default()
                        .replace("%2E", ".");
                    *counted.lock().unwrap().entry(domain.clone()).or_insert(0) += 1;
                    let (status, body) = match domain.as_str() {
                        "acme.example" => (
                            "200 OK",
                            r#"{"employees": "450", "industry": "software", "country": "US"}"#
                                .to_owned(),
                        ),
                        "slow.example" => {
                            std::thread::sleep(Duration::from_millis(5000));
                            ("200 OK", r#"{"employees": 9000}"#.to_owned())
                        }
                        "broken.example" => ("500 Internal Server Error", "{}".to_owned()),
                        "garbage.example" => ("200 OK", "<html>maintenance</html>".to_owned()),
                        _ => ("404 Not Found", r#"{"error": "unknown"}"#.to_owned()),
                    };
                    let mut stream = stream;
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                });
            }
        });
        Provider { port, hits }
    }
}

/// The enriched example with its lookup pointed at `port`, and a short
/// timeout, written to a temporary folder.
fn rulebook_for(port: u16, dir: &Path) -> PathBuf {
    let mut rb: Value =
        serde_json::from_str(&std::fs::read_to_string(example("enriched.json")).unwrap()).unwrap();
    let provider = &mut rb["enrichment"]["providers"][1];
    provider["url"] = json!(format!(
        "http://127.0.0.1:{port}/v1/company?domain={{derived.email_domain}}"
    ));
    provider["timeout_ms"] = json!(1500);
    let path = dir.join("enriched.json");
    std::fs::write(&path, rb.to_string()).unwrap();
    path
}

fn lead(email: &str) -> String {
    json!({"answers": {"name": "N", "email": email, "timeline": "this_quarter"}}).to_string() + "\n"
}

fn records(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn score_enrich_looks_each_domain_up_once_and_goes_on_without_a_failed_lookup() {
    let provider = Provider::start();
    let dir = temp_dir("score-enrich");
    let rb = rulebook_for(provider.port, &dir);
    let rb = rb.to_str().unwrap();
    let leads: String = [
        "ada@acme.example",
        "bob@ACME.example",
        "sam@slow.example",
        "eve@broken.example",
        "gus@garbage.example",
        "ned@unknown.example",
        "tom@mailinator.com",
        "info@gmail.com",
    ]
    .map(lead)
    .concat();
    let leads_path = dir.join("leads.jsonl");
    std::fs::write(&leads_path, &leads).unwrap();

    let out = run(
        &[
            "score",
            rb,
            leads_path.to_str().unwrap(),
            "--enrich",
            "--quiet",
        ],
        "",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("enrich: 6 lookups in "), "{stderr}");
    assert!(
        stderr.contains(" s: 3 answered, 1 timed out, 2 failed"),
        "{stderr}"
    );
    let hits = provider.hits.lock().unwrap().clone();
    assert_eq!(hits.get("acme.example"), Some(&1), "{hits:?}");

    let r = records(&out.stdout);
    assert_eq!(r.len(), 8);
    let by = |email: &str| {
        r.iter()
            .find(|r| r["answers"]["email"] == email)
            .unwrap()
            .clone()
    };

    // The lookup answered: the size and industry questions are answered by it.
    let ada = by("ada@acme.example");
    assert_eq!(ada["enrichment"]["status"], "ok");
    assert_eq!(ada["enrichment"]["values"]["employees"], 450);
    assert_eq!(ada["enrichment"]["sources"]["employees"], "company-lookup");
    assert_eq!(ada["enrichment"]["answered"]["employees"], "employees");
    assert_eq!(ada["answers"]["employees"], 450);
    assert_eq!(ada["qualification"]["status"], "qualified");
    assert_eq!(ada["qualification"]["grade"], "sql");
    assert_eq!(by("bob@ACME.example")["qualification"]["grade"], "sql");

    // Slow, failing and garbage lookups: the lead goes on, asked as usual.
    for (email, status) in [
        ("sam@slow.example", "timeout"),
        ("eve@broken.example", "error"),
        ("gus@garbage.example", "error"),
    ] {
        let lead = by(email);
        assert_eq!(lead["enrichment"]["status"], status, "{email}");
        assert_eq!(
            lead["enrichment"]["providers"]["company-lookup"], status,
            "{email}"
        );
        assert_eq!(lead["qualification"]["status"], "incomplete", "{email}");
        assert_eq!(
            lead["qualification"]["missing"],
            json!(["employees", "industry"]),
            "{email}"
        );
    }
    // Known to nobody: found nothing, which is not a failure.
    let ned = by("ned@unknown.example");
    assert_eq!(ned["enrichment"]["status"], "ok");
    assert!(ned["enrichment"]["values"]["employees"].is_null());
    // The built-in facts need no network.
    assert_eq!(
        by("tom@mailinator.com")["qualification"]["grade"],
        "disqualified"
    );
    assert_eq!(
        by("info@gmail.com")["enrichment"]["values"]["role_address"],
        true
    );

    // Every record verifies from its own snapshot, with no provider running.
    let records_path = dir.join("records.jsonl");
    std::fs::write(&records_path, &out.stdout).unwrap();
    let verified = run(&["verify", rb, records_path.to_str().unwrap()], "");
    assert!(
        verified.status.success(),
        "{}{}",
        String::from_utf8_lossy(&verified.stdout),
        String::from_utf8_lossy(&verified.stderr)
    );
    // Re-scoring the records without --enrich reads their snapshots: the
    // same grades, and no lookup made.
    let before = provider.hits.lock().unwrap().values().sum::<u32>();
    let again = run(
        &["score", rb, records_path.to_str().unwrap(), "--quiet"],
        "",
    );
    assert!(again.status.success());
    let grades = |r: &[Value]| {
        r.iter()
            .map(|r| r["qualification"]["grade"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(grades(&records(&again.stdout)), grades(&r));
    assert_eq!(provider.hits.lock().unwrap().values().sum::<u32>(), before);

    // A forged snapshot does not verify.
    let forged = String::from_utf8_lossy(&out.stdout).replacen(
        "\"employees\":450",
        "\"employees\":45000",
        1,
    );
    std::fs::write(&records_path, forged).unwrap();
    let refused = run(&["verify", rb, records_path.to_str().unwrap()], "");
    assert!(!refused.status.success());
}

#[test]
fn score_enrich_reads_standard_input_and_refuses_a_rulebook_without_enrichment() {
    let provider = Provider::start();
    let dir = temp_dir("score-enrich-stdin");
    let rb = rulebook_for(provider.port, &dir);
    let out = run(
        &["score", rb.to_str().unwrap(), "--enrich", "--quiet"],
        &lead("ada@acme.example"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(records(&out.stdout)[0]["qualification"]["grade"], "sql");

    let plain = example("minimal.json");
    let out = run(&["score", plain.to_str().unwrap(), "--enrich"], "{}\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("declares no enrichment"));
}

#[test]
fn enrich_server_serves_a_crm_export_by_domain_to_allowed_sites() {
    let dir = temp_dir("enrich-server");
    let csv = dir.join("companies.csv");
    std::fs::write(
        &csv,
        "Domain,employees,industry,owner_email\nhttps://www.acme.example/,450,software,ann@northwind.example\nnot a domain,1,x,\nbig.example,12000,manufacturing,\n",
    )
    .unwrap();
    let server = Server::start(&[
        "enrich-server",
        "--data",
        csv.to_str().unwrap(),
        "--columns",
        "employees,industry",
        "--addr",
        "127.0.0.1:0",
        "--allow-origin",
        "https://www.northwind.example",
    ]);
    let get = |path: &str, headers: &[(&str, &str)]| {
        request(server.port, "GET", path, headers, b"").unwrap()
    };

    let (status, head, body) = get(
        "/v1/company?domain=eu.ACME.example",
        &[("origin", "https://www.northwind.example")],
    );
    assert_eq!(status, 200, "{body}");
    let row: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        row,
        json!({"domain": "acme.example", "employees": "450", "industry": "software"})
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("access-control-allow-origin: https://www.northwind.example"),
        "{head}"
    );
    // Columns not served stay on the server.
    assert!(!body.contains("owner_email") && !body.contains("ann@"));

    let (status, head, _) = get(
        "/v1/company?domain=acme.example",
        &[("origin", "https://evil.example")],
    );
    assert_eq!(status, 200);
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("access-control-allow-origin"),
        "{head}"
    );
    assert_eq!(get("/v1/company?domain=nobody.example", &[]).0, 404);
    assert_eq!(get("/v1/company", &[]).0, 400);
    assert_eq!(
        get(
            "/v1/company?domain=acme.example",
            &[("host", "evil.example")]
        )
        .0,
        421
    );

    // `accord score --enrich` against it: the sizes come from the CSV.
    let rb = rulebook_for(server.port, &dir);
    let out = run(
        &["score", rb.to_str().unwrap(), "--enrich", "--quiet"],
        &[lead("ada@acme.example"), lead("bo@big.example")].concat(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = records(&out.stdout);
    assert_eq!(r[0]["answers"]["employees"], 450);
    assert_eq!(r[1]["qualification"]["route"]["team"], "enterprise");
}

#[test]
fn enrich_server_with_tokens_answers_only_their_holders() {
    let dir = temp_dir("enrich-server-tokens");
    let csv = dir.join("companies.csv");
    std::fs::write(&csv, "domain,employees\nacme.example,450\n").unwrap();
    let tokens = dir.join("tokens");
    std::fs::write(
        &tokens,
        "# lookups from our own backend\nlookup 0123456789abcdef0123\n",
    )
    .unwrap();
    let server = Server::start(&[
        "enrich-server",
        "--data",
        csv.to_str().unwrap(),
        "--addr",
        "127.0.0.1:0",
        "--tokens-file",
        tokens.to_str().unwrap(),
    ]);
    let get = |headers: &[(&str, &str)]| {
        request(
            server.port,
            "GET",
            "/v1/company?domain=acme.example",
            headers,
            b"",
        )
        .unwrap()
    };
    assert_eq!(get(&[]).0, 401);
    assert_eq!(
        get(&[("authorization", "Bearer wrong-token-wrong-token")]).0,
        401
    );
    assert_eq!(
        get(&[("authorization", "Bearer 0123456789abcdef0123")]).0,
        200
    );

    // The CLI sends the token only to the hosts it is told to.
    let rb = rulebook_for(server.port, &dir);
    let rb = rb.to_str().unwrap();
    let scored = |extra: &[&str], env: Option<&str>| {
        let mut args = vec!["score", rb, "--enrich", "--quiet"];
        args.extend_from_slice(extra);
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_accord"));
        command
            .args(&args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        if let Some(token) = env {
            command.env("ACCORD_ENRICH_TOKEN", token);
        }
        let mut child = command.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(lead("ada@acme.example").as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let without = scored(&[], Some("0123456789abcdef0123"));
    assert_eq!(records(&without.stdout)[0]["enrichment"]["status"], "error");
    let with = scored(
        &["--enrich-auth", "127.0.0.1"],
        Some("0123456789abcdef0123"),
    );
    assert_eq!(
        records(&with.stdout)[0]["enrichment"]["status"],
        "ok",
        "{}",
        String::from_utf8_lossy(&with.stderr)
    );
    let unset = scored(&["--enrich-auth", "127.0.0.1"], None);
    assert_eq!(unset.status.code(), Some(2));
}

#[test]
fn enrich_server_refuses_a_public_address_without_a_host_name() {
    let dir = temp_dir("enrich-server-host");
    let csv = dir.join("companies.csv");
    std::fs::write(&csv, "domain,employees\nacme.example,450\n").unwrap();
    let out = run(
        &[
            "enrich-server",
            "--data",
            csv.to_str().unwrap(),
            "--addr",
            "0.0.0.0:0",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("without --host"));
    let out = run(
        &[
            "enrich-server",
            "--data",
            csv.to_str().unwrap(),
            "--key",
            "website",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no `website` column"));
}

#[test]
fn an_https_lookup_goes_over_tls_and_a_server_that_does_not_speak_it_is_an_error() {
    let provider = Provider::start();
    let dir = temp_dir("score-enrich-https");
    let rb = rulebook_for(provider.port, &dir);
    let text = std::fs::read_to_string(&rb)
        .unwrap()
        .replace("http://127.0.0.1", "https://127.0.0.1");
    std::fs::write(&rb, text).unwrap();
    let out = run(
        &["score", rb.to_str().unwrap(), "--enrich", "--quiet"],
        &lead("ada@acme.example"),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("1 failed"), "{stderr}");
    let record = &records(&out.stdout)[0];
    assert_eq!(record["enrichment"]["status"], "error");
    assert_eq!(
        record["qualification"]["missing"],
        json!(["employees", "industry"])
    );
}

#[test]
fn lookup_pace_flags_out_of_range_are_usage_errors() {
    let rb = example("enriched.json");
    for bad in [
        ["--enrich-rate", "1e-20"],
        ["--enrich-rate", "-1"],
        ["--enrich-rate", "NaN"],
        ["--enrich-concurrency", "0"],
        ["--enrich-concurrency", "1000000000"],
    ] {
        let mut args = vec!["score", rb.to_str().unwrap(), "--enrich"];
        args.extend_from_slice(&bad);
        let out = run(&args, "");
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
}
