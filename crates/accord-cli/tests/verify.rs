//! `accord verify`: tampered, stale and malformed records are reported by
//! line; good records pass.

use accord_core::{uuid_v4_from_bytes, Channel, Rulebook, Submission};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../static/rulebooks")
        .join(name)
}

fn records_jsonl() -> Vec<String> {
    let rb =
        Rulebook::from_json(&std::fs::read_to_string(example("inbound.json")).unwrap()).unwrap();
    rb.doc()
        .fixtures
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let sub = Submission {
                submission_id: uuid_v4_from_bytes([i as u8; 16]),
                submitted_at: "2026-11-23T10:00:00Z".into(),
                ..Submission::default()
            };
            let record = rb.record(
                &f.answers,
                &f.context.clone().unwrap_or_default(),
                Channel::WebForm,
                sub,
            );
            serde_json::to_string(&record).unwrap()
        })
        .collect()
}

fn verify(rulebook: &Path, lines: &[String], extra: &[&str]) -> Output {
    let dir = std::env::temp_dir().join(format!(
        "accord-verify-{}-{}",
        std::process::id(),
        lines.len()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("records-{}.jsonl", extra.len()));
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let mut args = vec![
        "verify".to_owned(),
        rulebook.display().to_string(),
        file.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(&args)
        .output()
        .expect("accord runs")
}

#[test]
fn good_records_verify() {
    let out = verify(&example("inbound.json"), &records_jsonl(), &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("records: 6 verified, 0 mismatched, 0 unreadable"),
        "{text}"
    );
}

#[test]
fn tampered_and_malformed_records_are_reported_by_line() {
    let mut lines = records_jsonl();
    lines[1] = lines[1].replace(r#""grade":"sql""#, r#""grade":"nurture""#);
    lines.insert(3, "{ this is not a record".into());
    let out = verify(&example("inbound.json"), &lines, &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("line 2: record "), "{text}");
    assert!(
        text.contains(r#"  grade: recorded "nurture", recomputed "sql""#),
        "{text}"
    );
    assert!(text.contains("line 4: not a record"), "{text}");
    assert!(
        text.contains("records: 5 verified, 1 mismatched, 1 unreadable"),
        "{text}"
    );

    let out = verify(&example("inbound.json"), &lines, &["--json"]);
    let reports: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(reports[0]["line"], 2);
    assert_eq!(reports[0]["discrepancies"][0]["what"], "grade");
    assert_eq!(reports[1]["line"], 4);
    assert_eq!(reports[2]["summary"]["mismatched"], 1);
}

#[test]
fn records_graded_by_another_version_are_stale() {
    let text = std::fs::read_to_string(example("inbound.json"))
        .unwrap()
        .replace(r#""version": "2026.11.1""#, r#""version": "2026.12.1""#);
    let dir = std::env::temp_dir().join(format!("accord-stale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let newer = dir.join("inbound-2026.12.1.json");
    std::fs::write(&newer, text).unwrap();
    let out = verify(&newer, &records_jsonl()[..1], &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(r#"rulebook.version: recorded "2026.11.1", recomputed "2026.12.1""#),
        "{text}"
    );
    assert!(text.contains("rulebook.sha256: recorded"), "{text}");
}

#[test]
fn an_invalid_rulebook_stops_verify_with_exit_2() {
    let dir = std::env::temp_dir().join(format!("accord-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"accord": 1}"#).unwrap();
    let out = verify(&bad, &records_jsonl(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a valid rulebook"));
}

#[test]
fn what_a_record_says_is_printed_with_control_characters_escaped() {
    let mut record: serde_json::Value = serde_json::from_str(&records_jsonl()[0]).unwrap();
    record["submission_id"] = serde_json::json!("\u{1b}]0;owned\u{7}\u{1b}[2J");
    record["qualification"]["grade"] = serde_json::json!("\u{1b}[31msql");
    let out = verify(&example("inbound.json"), &[record.to_string()], &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(
        text.contains("record \\u{1b}]0;owned\\u{7}\\u{1b}[2J does not match"),
        "{text}"
    );
}
