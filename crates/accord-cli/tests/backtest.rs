//! `accord backtest`: how each grade's leads and each criterion's leads
//! turned out, on a crafted set whose numbers are known.

mod support;

use serde_json::{json, Value};
use support::*;

#[test]
fn grades_and_criteria_show_how_their_leads_turned_out() {
    let dir = temp_dir("backtest");
    // Three mql leads and one nurture.
    let leads = [
        lead_line(1, answers_worth_50()),
        lead_line(2, answers_worth_50()),
        lead_line(3, answers_worth_50()),
        lead_line(4, answers_worth_nothing()),
    ];
    let file = dir.join("leads.jsonl");
    std::fs::write(
        &file,
        leads
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    )
    .unwrap();
    let with_junk = dir.join("junk.jsonl");
    std::fs::write(&with_junk, format!("{}\nnot json\n", leads[0].1)).unwrap();
    let outcomes = dir.join("outcomes.jsonl");
    std::fs::write(
        &outcomes,
        format!(
            "{{\"submission_id\":\"{}\",\"stage\":\"won\",\"amount\":1000}}\n{{\"submission_id\":\"{}\",\"stage\":\"opportunity\"}}\n{{\"submission_id\":\"{}\",\"stage\":\"rejected\"}}\n",
            leads[0].0, leads[1].0, leads[2].0
        ),
    )
    .unwrap();
    let out = run(
        &[
            "backtest",
            example("inbound.json").to_str().unwrap(),
            file.to_str().unwrap(),
            "--outcomes",
            outcomes.to_str().unwrap(),
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
    let bt = &report["backtest"];
    let mql = &bt["grades"]["mql"];
    assert_eq!(
        [
            &mql["leads"],
            &mql["judged"],
            &mql["accepted"],
            &mql["opportunities"],
            &mql["won"]
        ],
        [&json!(3), &json!(3), &json!(2), &json!(2), &json!(1)]
    );
    assert_eq!(mql["won_amount"], 1000.0);
    assert_eq!(bt["grades"]["nurture"]["leads"], 1);
    assert_eq!(bt["all"]["leads"], 4);
    let forecasting = &bt["criteria"]["intent/wants-forecasting"];
    assert_eq!(forecasting["points"], 10);
    assert_eq!(
        (
            forecasting["hit"]["leads"].as_u64(),
            forecasting["hit"]["won"].as_u64()
        ),
        (Some(3), Some(1))
    );
    assert_eq!(forecasting["missed"]["leads"], 1);

    // A line that cannot be read is named, the rest counted, and the run
    // says so in its exit code.
    let out = run(
        &[
            "backtest",
            example("inbound.json").to_str().unwrap(),
            with_junk.to_str().unwrap(),
            "--outcomes",
            outcomes.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 2: "));

    // For people: rates and lifts against the average.
    let out = run(
        &[
            "backtest",
            example("inbound.json").to_str().unwrap(),
            file.to_str().unwrap(),
            "--outcomes",
            outcomes.to_str().unwrap(),
        ],
        "",
    );
    let said = String::from_utf8_lossy(&out.stdout);
    // mql: 1 of 3 won (33 %) against 1 of 4 overall (25 %): 1.3×.
    let row = said
        .lines()
        .find(|l| l.trim_start().starts_with("mql"))
        .expect("an mql row");
    assert!(
        row.contains("67 %") && row.contains("33 %") && row.contains("1.3×"),
        "{row}"
    );
}
