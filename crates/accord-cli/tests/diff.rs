//! `accord diff`: what changed between two rulebooks in plain terms, and
//! what it does to real leads, with what sales made of them.

mod support;

use serde_json::{json, Value};
use std::path::PathBuf;
use support::*;

/// The demo rulebook, and a next version that lowers the sales-ready
/// threshold and gives an approved budget more points.
fn versions(tag: &str) -> (PathBuf, PathBuf) {
    let old = example("inbound.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&old).unwrap()).unwrap();
    doc["version"] = json!("2026.12.0");
    doc["grades"][0]["when"] =
        json!({"and": [{">=": [{"var": "score.total"}, 50]}, {">=": [{"var": "score.fit"}, 30]}]});
    doc["scores"][1]["criteria"][0]["points"] = json!(25);
    doc.as_object_mut().unwrap().remove("fixtures");
    let new = temp_dir(tag).join("next.json");
    std::fs::write(&new, doc.to_string()).unwrap();
    (old, new)
}

fn text(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_rules_that_changed_read_in_plain_terms() {
    let (old, new) = versions("diff-rules");
    let out = run(&["diff", old.to_str().unwrap(), new.to_str().unwrap()], "");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = text(&out);
    for line in [
        "northwind-inbound 2026.11.1 → northwind-inbound 2026.12.0",
        "scores       “Budget approved” (Intent): 20 → 25 points",
        "grades       “Sales-ready” (sql): Total ≥ 60 and Fit ≥ 30 → Total ≥ 50 and Fit ≥ 30",
    ] {
        assert!(said.contains(line), "{line:?} in:\n{said}");
    }
    let same = run(&["diff", old.to_str().unwrap(), old.to_str().unwrap()], "");
    assert!(text(&same).contains("no change to the rules"));
}

#[test]
fn leads_are_requalified_with_both_and_joined_to_their_outcomes() {
    let (old, new) = versions("diff-leads");
    let dir = temp_dir("diff-leads-files");
    // mql before, sql after; and nurture under both.
    let leads = [
        lead_line(1, answers_worth_50()),
        lead_line(2, answers_worth_50()),
        lead_line(3, answers_worth_50()),
        lead_line(4, answers_worth_nothing()),
    ];
    let leads_file = dir.join("leads.jsonl");
    let lines: Vec<&str> = leads.iter().map(|(_, line)| line.as_str()).collect();
    std::fs::write(&leads_file, lines.join("\n") + "\nnot json\n").unwrap();
    let outcomes = dir.join("outcomes.csv");
    std::fs::write(
        &outcomes,
        format!(
            "submission_id,stage\n{},accepted\n{},rejected\n",
            leads[0].0, leads[1].0
        ),
    )
    .unwrap();
    let movers = dir.join("movers.jsonl");
    let out = run(
        &[
            "diff",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            leads_file.to_str().unwrap(),
            "--outcomes",
            outcomes.to_str().unwrap(),
            "--leads-out",
            movers.to_str().unwrap(),
            "--json",
        ],
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "a skipped line is a problem: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("line 5: "),
        "the bad line is named"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let impact = &report["impact"];
    assert_eq!(impact["leads"], 4);
    assert_eq!(impact["skipped"], 1);
    let moved = &impact["transitions"]["mql"]["sql"];
    assert_eq!(
        (
            moved["leads"].as_u64(),
            moved["judged"].as_u64(),
            moved["accepted"].as_u64()
        ),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(impact["transitions"]["nurture"]["nurture"]["leads"], 1);
    assert_eq!(impact["old_grades"]["mql"]["leads"], 3);
    assert_eq!(impact["new_grades"]["sql"]["leads"], 3);
    assert_eq!(impact["criteria"]["intent/wants-forecasting"]["old"], 3);
    assert!(report["changes"].as_array().unwrap().len() >= 3);
    // The moving leads, with both explanations.
    let lines: Vec<Value> = std::fs::read_to_string(&movers)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["old"]["grade"], "mql");
    assert_eq!(lines[0]["new"]["grade"], "sql");
    assert_eq!(lines[0]["accepted"], true);
    assert!(lines[0]["new"]["why"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w == "grade: Sales-ready (sql)"));

    // The same as text, for people.
    let out = run(
        &[
            "diff",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            leads_file.to_str().unwrap(),
            "--outcomes",
            outcomes.to_str().unwrap(),
        ],
        "",
    );
    let said = text(&out);
    assert!(
        said.contains("3 leads go from mql to sql; sales had accepted 1 of them (2 judged)"),
        "{said}"
    );
}

#[test]
fn csv_leads_work_and_a_broken_rulebook_stops_it() {
    let (old, new) = versions("diff-csv");
    let dir = temp_dir("diff-csv-files");
    let csv = dir.join("leads.csv");
    std::fs::write(
        &csv,
        "email,employees,crm,use_cases\na@acme.example,250-999,salesforce,forecasting\n",
    )
    .unwrap();
    let out = run(
        &[
            "diff",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            csv.to_str().unwrap(),
            "--json",
        ],
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["impact"]["leads"], 1);
    let broken = dir.join("broken.json");
    std::fs::write(&broken, r#"{"accord": 1}"#).unwrap();
    let out = run(
        &["diff", old.to_str().unwrap(), broken.to_str().unwrap()],
        "",
    );
    assert_ne!(out.status.code(), Some(0));
    let out = run(
        &[
            "diff",
            old.to_str().unwrap(),
            dir.join("nope.json").to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
}
