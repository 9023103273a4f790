//! `accord check` and `accord test`, run as a user runs them.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::run;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static/rulebooks")
}

fn accord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .output()
        .expect("accord runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn example(name: &str) -> String {
    examples().join(name).to_string_lossy().into_owned()
}

#[test]
fn check_accepts_every_example_rulebook() {
    for name in ["inbound.json", "meddpicc-call.json", "minimal.json"] {
        let out = accord(&["check", &example(name)]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stdout(&out));
        assert!(stdout(&out).starts_with("ok: "), "{}", stdout(&out));
        assert!(stdout(&out).contains("sha256 "), "{}", stdout(&out));
    }
}

#[test]
fn check_lists_every_error_with_path_and_id_and_exits_1() {
    let broken = std::fs::read_to_string(examples().join("inbound.json"))
        .unwrap()
        .replace(r#""value": "1000+""#, r#""value": "1000 plus""#)
        .replace(r#""type": "yes_no""#, r#""type": "boolean""#);
    let out = run(&["check", "-"], &broken);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    // The broken `budget` field does not cascade into errors in its criteria.
    assert!(text.starts_with("-: 3 errors"), "{text}");
    assert!(
        text.contains("routes[0].when [enterprise]: `1000+` is not an option"),
        "{text}"
    );
    assert!(
        text.contains(
            "scores[0].criteria[0].when [size-1000]: `1000+` is not an option of field `employees`"
        ),
        "{text}"
    );
    assert!(
        text.contains("fields[6].type: unknown variant `boolean`"),
        "{text}"
    );
}

#[test]
fn check_json_reports_codes_for_machines() {
    let out = run(
        &["check", "-", "--json"],
        r#"{"accord": 1, "id": "x", "version": "1", "title": "T",
        "fields": [{"id": "a", "label": "A", "type": "yes_no"}],
        "grades": [{"id": "g", "label": "G", "when": {"==": [{"var": "a"}, 1]}}]}"#,
    );
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(report["valid"], false);
    let codes: Vec<&str> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["type_mismatch", "no_fallback_grade"]);
    assert_eq!(report["errors"][0]["path"], "grades[0].when");
    assert_eq!(report["errors"][0]["id"], "g");

    let ok = accord(&["check", &example("minimal.json"), "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&ok.stdout).expect("JSON");
    assert_eq!(report["valid"], true);
    assert_eq!(report["rulebook"]["id"], "minimal");
    assert_eq!(report["rulebook"]["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn test_passes_the_examples() {
    for name in ["inbound.json", "meddpicc-call.json", "minimal.json"] {
        let out = accord(&["test", &example(name)]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stdout(&out));
        assert!(
            stdout(&out).contains(" passed, 0 failed"),
            "{}",
            stdout(&out)
        );
    }
}

#[test]
fn test_explains_a_failing_fixture_and_exits_1() {
    let changed = std::fs::read_to_string(examples().join("minimal.json"))
        .unwrap()
        .replace(
            r#""grade": "mql", "route""#,
            r#""grade": "nurture", "route""#,
        );
    let out = run(&["test", "-"], &changed);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("FAIL  large company"), "{text}");
    assert!(
        text.contains(r#"grade: expected "nurture", got "mql""#),
        "{text}"
    );
    assert!(text.contains("+10 Fit: Large company (large)"), "{text}");
    assert!(text.contains("fixtures: 1 passed, 1 failed"), "{text}");

    let out = run(&["test", "-", "--json"], &changed);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["failed"], 1);
    assert_eq!(report["fixtures"][0]["mismatches"][0]["what"], "grade");
}

#[test]
fn unreadable_input_is_a_clear_error_with_exit_2() {
    let out = accord(&["check", "/no/such/rulebook.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("accord: cannot read /no/such/rulebook.json:"),
        "{err}"
    );
    let out = accord(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_prints_hostile_ids_with_control_characters_escaped() {
    let dir = std::env::temp_dir().join(format!("accord-check-escape-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("hostile.json");
    let text = std::fs::read_to_string(examples().join("minimal.json"))
        .unwrap()
        .replacen(
            "\"id\": \"minimal\"",
            "\"id\": \"x\\u001b[31mred\\u0007\"",
            1,
        );
    assert!(text.contains("\\u001b"), "the id was replaced");
    std::fs::write(&file, text).unwrap();
    let out = accord(&["check", &file.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let shown = stdout(&out);
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown:?}"
    );
    assert!(shown.contains("x\\u{1b}[31mred\\u{7}"), "{shown}");
}

#[test]
fn check_says_which_sign_offs_cover_the_rules_and_agreed_fails_on_stale_ones() {
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(examples().join("minimal.json")).unwrap())
            .unwrap();
    doc.as_object_mut().unwrap().remove("agreed_by");
    let unsigned = doc.to_string();
    let out = run(&["check", "--agreed", "-"], &unsigned);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("not agreed: nobody has signed off"));

    accord_core::sign(&mut doc, "marketing", "Priya", Some("2026-11-30")).unwrap();
    accord_core::sign(&mut doc, "sales", "Tom", None).unwrap();
    let out = run(&["check", "--agreed", "-"], &doc.to_string());
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("agreed_by[0] Priya (marketing) on 2026-11-30: covers these rules")
    );

    // A later edit of the rules makes both sign-offs stale.
    doc["title"] = "Another title".into();
    let out = run(&["check", "--agreed", "--json", "-"], &doc.to_string());
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["agreed"], false);
    assert_eq!(report["sign_offs"][1]["state"], "stale");
    assert_eq!(report["sign_offs"][1]["team"], "sales");
    // Without --agreed a stale sign-off is reported, not a failure.
    let out = run(&["check", "-"], &doc.to_string());
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("STALE"), "{}", stdout(&out));
}

#[test]
fn define_prints_the_agreement_in_sentences() {
    let out = accord(&["define", &example("inbound.json")]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("Grades\n"), "{text}");
    assert!(text.contains("Sales-ready (sql): "), "{text}");
    assert!(text.contains("Disqualified\n"), "{text}");
    let out = accord(&["define", "--json", &example("inbound.json")]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["sections"][0]["heading"], "Grades");
    assert_eq!(json["sections"][0]["lines"][0]["path"], "grades[0]");
}

/// The minimal example as an author writes it: no stamp.
fn draft(dir: &Path) -> PathBuf {
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example("minimal.json")).unwrap()).unwrap();
    doc.as_object_mut()
        .unwrap()
        .remove(accord_core::CHECKED_KEY);
    let path = dir.join("minimal.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    path
}

#[test]
fn publish_stamps_the_file_the_widget_reads_and_check_says_so() {
    let dir = support::temp_dir("publish-command");
    let path = draft(&dir);
    let file = path.to_str().unwrap();
    let out = accord(&["check", file]);
    assert!(stdout(&out).contains("not published"), "{}", stdout(&out));
    // To standard output, the file untouched.
    let out = accord(&["publish", file]);
    assert_eq!(out.status.code(), Some(0));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(accord_core::Rulebook::from_published(&printed).is_ok());
    assert!(!std::fs::read_to_string(&path)
        .unwrap()
        .contains("checked_sha256"));
    // In place: the author's text, stamped first.
    let before = std::fs::read_to_string(&path).unwrap();
    let out = accord(&["publish", file, "--out", file]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("published: minimal 1\n    sha256 "),
        "{err}"
    );
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.starts_with("{\n  \"checked_sha256\": \""), "{after}");
    assert!(after.ends_with(&before[1..]), "the rest is as written");
    let out = accord(&["check", file]);
    assert!(
        stdout(&out).contains("published: the widget reads this file"),
        "{}",
        stdout(&out)
    );
    // Edited by hand afterwards: check says the stamp is stale, and embed
    // refuses the file the page would not read.
    std::fs::write(
        &path,
        after.replace("\"version\": \"1\"", "\"version\": \"2\""),
    )
    .unwrap();
    let out = accord(&["check", "--json", file]);
    assert!(
        stdout(&out).contains("\"published\":\"stale\""),
        "{}",
        stdout(&out)
    );
    let out = accord(&[
        "embed",
        file,
        "--rulebook-url",
        "/r.json",
        "--endpoint",
        "/api/records",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("changed after it was published"), "{err}");
    assert!(
        err.contains(&format!("accord publish {file} --out {file}")),
        "{err}"
    );
}

#[test]
fn publish_refuses_an_invalid_rulebook_or_failing_fixtures_and_writes_nothing() {
    let dir = support::temp_dir("publish-refused");
    let path = draft(&dir);
    let file = path.to_str().unwrap();
    let out_path = dir.join("out.json");
    let out_file = out_path.to_str().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    // A fixture that expects what the rules do not give.
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["fixtures"][0]["expect"]["grade"] = "nurture".into();
    std::fs::write(&path, doc.to_string()).unwrap();
    let out = accord(&["publish", file, "--out", out_file]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not published, 1 fixture fails"), "{err}");
    assert!(!out_path.exists());
    // Invalid: every error, as `accord check` lists them.
    std::fs::write(
        &path,
        text.replace("\"type\": \"email\"", "\"type\": \"password\""),
    )
    .unwrap();
    let out = accord(&["publish", file, "--out", out_file]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not published, 1 error in rulebook"), "{err}");
    assert!(err.contains("fields[0].type"), "{err}");
    assert!(!out_path.exists());
    // Not agreed, when asked.
    std::fs::write(&path, &text).unwrap();
    let out = accord(&["publish", file, "--agreed", "--out", out_file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not agreed"));
    assert!(!out_path.exists());
}
