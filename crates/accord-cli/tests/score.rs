//! `accord score`: JSON Lines and CSV in, records out; bad lines reported
//! by number while the rest are scored; records verify.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;
use support::run;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../static/rulebooks")
        .join(name)
}

fn accord(args: &[&str], input: &str) -> Output {
    run(args, input)
}

fn inbound() -> String {
    example("inbound.json").display().to_string()
}

/// The inbound example's fixtures as JSON Lines of answers.
fn fixture_leads() -> String {
    let rb: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example("inbound.json")).unwrap()).unwrap();
    rb["fixtures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["answers"].to_string() + "\n")
        .collect()
}

#[test]
fn scored_records_carry_the_fixture_grades_and_verify() {
    let out = accord(
        &[
            "score",
            &inbound(),
            "--submitted-at",
            "2026-11-23T10:00:00Z",
        ],
        &fixture_leads(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = String::from_utf8(out.stdout).unwrap();
    let grades: Vec<String> = records
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["qualification"]["grade"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        grades,
        ["sql", "sql", "mql", "nurture", "disqualified", "mql"]
    );
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(
        summary
            .contains("scored 6 leads (4 qualified, 1 knocked out, 1 incomplete), 0 lines skipped"),
        "{summary}"
    );

    let verified = accord(&["verify", &inbound()], &records);
    let text = String::from_utf8_lossy(&verified.stdout);
    assert_eq!(verified.status.code(), Some(0), "{text}");
    assert!(
        text.contains("records: 6 verified, 0 mismatched, 0 unreadable"),
        "{text}"
    );
}

#[test]
fn bad_lines_are_reported_by_number_and_the_rest_scored() {
    let mut leads = fixture_leads();
    leads.insert_str(0, "{\"email\": \"a@b.co\"}\n[1, 2]\nnot json at all\n");
    let out = accord(&["score", &inbound()], &leads);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2: a lead is a JSON object"), "{err}");
    assert!(err.contains("line 3: not JSON: expected ident"), "{err}");
    assert!(err.contains("scored 7 leads"), "{err}");
    assert!(err.contains("2 lines skipped"), "{err}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 7);
}

#[test]
fn a_line_that_is_not_utf8_is_reported_and_the_rest_scored() {
    let dir = support::temp_dir("score-utf8");
    let path = dir.join("leads.jsonl");
    let mut bytes = b"{\"email\": \"a@b.co\"}\n{\"name\": \"Ren\xe9\"}\r\n".to_vec();
    bytes.extend_from_slice(fixture_leads().as_bytes());
    std::fs::write(&path, bytes).unwrap();
    let out = accord(&["score", &inbound(), path.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 2: not UTF-8 text (byte 14 of the line)"),
        "{err}"
    );
    assert!(err.contains("scored 7 leads"), "{err}");
    assert!(err.contains("1 lines skipped"), "{err}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 7);
}

#[test]
fn ids_are_stable_across_runs_and_given_ids_are_kept() {
    let leads = "{\"answers\": {\"email\": \"a@b.co\"}, \"submission_id\": \"0f8fad5b-d9cb-469f-a165-70867728950e\"}\n{\"email\": \"c@d.co\"}\n";
    let ids = |out: Output| -> Vec<String> {
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["submission_id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    let first = ids(accord(&["score", &inbound()], leads));
    let second = ids(accord(&["score", &inbound()], leads));
    assert_eq!(first, second);
    assert_eq!(first[0], "0f8fad5b-d9cb-469f-a165-70867728950e");
    assert_ne!(first[0], first[1]);
}

#[test]
fn csv_in_csv_out() {
    let dir = std::env::temp_dir().join(format!("accord-score-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("leads.csv");
    std::fs::write(
        &file,
        "name,email,company,role,employees,crm,budget,timeline,use_cases,consent,utm_medium,favourite_colour\n\
         Ada,ada@bigcorp.com,BigCorp,executive,1000+,salesforce,yes,now,forecasting,yes,cpc,teal\n\
         \"Lee, Jr.\",lee@uni.edu,Uni,student,1000+,,,,,yes,,\n\
         Kim,kim@smallbiz.co,SmallBiz,individual,50-249,other,yes,later,forecasting;coaching,yes,cpc,\n\
         \"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",eve@evil.example,@SUM(A1),individual,1-9,,,,,yes,,\n",
    )
    .unwrap();
    let out = accord(
        &[
            "score",
            &inbound(),
            &file.display().to_string(),
            "--to",
            "csv",
        ],
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("ignoring CSV columns that are not fields or context: favourite_colour"));
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert!(rows[0].starts_with("submission_id,submitted_at,channel,status,grade,route,score.fit,score.intent,score.total,knocked_out_by,missing,name,"), "{}", rows[0]);
    assert!(
        rows[1].contains(",web_form,qualified,sql,enterprise,60,50,110,,,Ada,"),
        "{}",
        rows[1]
    );
    assert!(
        rows[2].contains(",knocked_out,disqualified,,")
            && rows[2].contains(",student,,\"Lee, Jr.\","),
        "{}",
        rows[2]
    );
    // utm_medium=cpc is read as context: +5 intent.
    assert!(
        rows[3].contains(",qualified,mql,inside-sales,10,35,45,"),
        "{}",
        rows[3]
    );
    assert!(rows[3].contains(",forecasting;coaching,"), "{}", rows[3]);
    // Rows end as RFC 4180 says, and answers a spreadsheet would run as
    // formulas are written as text.
    assert!(text.ends_with("\r\n") && !text.contains(",\n"), "{text:?}");
    assert!(
        rows[4].contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",eve@evil.example,\"'@SUM(A1)\","),
        "{}",
        rows[4]
    );
}

#[test]
fn a_malformed_csv_row_is_reported_and_the_rest_scored() {
    let dir = std::env::temp_dir().join(format!("accord-score-badcsv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("leads.csv");
    let mut bytes = b"email,employees,role\nada@bigcorp.com,1000+,executive\n".to_vec();
    bytes.extend_from_slice(b"bad\xff\xfebytes@x.co,1000+,executive\n");
    bytes.extend_from_slice(b"kim@smallbiz.co,50-249,channel-partner\n");
    std::fs::write(&file, bytes).unwrap();
    let out = accord(&["score", &inbound(), &file.display().to_string()], "");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3: not a CSV row"), "{err}");
    assert!(err.contains("scored 2 leads"), "{err}");
    // An answer that is not an option is not a malformed row: it is scored
    // and reported in the record as invalid.
    let records: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records[1]["qualification"]["invalid"][0]["field"], "role");
}

#[test]
fn the_default_channel_is_read_by_its_record_name() {
    let lead = "{\"email\": \"a@b.co\"}\n";
    let out = accord(&["score", &inbound(), "--channel", "call"], lead);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON record");
    assert_eq!(record["channel"], "call");
    let out = accord(&["score", &inbound(), "--channel", "phone"], lead);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("expected one of: web_form, call"), "{err}");
}
