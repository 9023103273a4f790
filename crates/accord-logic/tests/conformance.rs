//! Runs the public JsonLogic conformance suites, vendored with their
//! licences in `tests/conformance/` (see its README).
//!
//! - `official-tests.json`: every case must pass.
//! - `compat-suites/`: per-file pass counts must not fall below the baseline
//!   in `tests/data/compat-baseline.json`. Set `ACCORD_WRITE_COMPAT_BASELINE=1`
//!   to rewrite the baseline (and the table in `docs/jsonlogic.md` is made
//!   from the same numbers).
//!
//! A missing suite is a failure, never a skip: a test whose data is missing
//! must not pass.

use accord_logic::Logic;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn suites_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Equality of results, numbers compared by value (`1` equals `1.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn official_suite_passes_completely() {
    let dir = suites_dir();
    let cases = read_json(&dir.join("official-tests.json"));
    let mut failures = Vec::new();
    let mut count = 0;
    for case in cases.as_array().expect("the suite is an array") {
        let Some(case) = case.as_array() else {
            continue;
        }; // section heading
        let (rule, data, expected) = (&case[0], &case[1], &case[2]);
        count += 1;
        match Logic::compile(rule) {
            Ok(logic) => {
                let got = logic.evaluate(data);
                if !same(&got, expected) {
                    failures.push(format!(
                        "{rule} with {data}: expected {expected}, got {got}"
                    ));
                }
            }
            Err(errors) => failures.push(format!("{rule}: does not compile: {errors:?}")),
        }
    }
    assert_eq!(count, 277, "the official suite has 277 cases");
    assert!(
        failures.is_empty(),
        "{} of {count} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn compat_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable suite folder") {
            let path = entry.expect("readable entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn compat_suites_do_not_regress() {
    let dir = suites_dir();
    let compat = dir.join("compat-suites");
    let mut results: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for file in compat_files(&compat) {
        let name = file
            .strip_prefix(&compat)
            .expect("inside")
            .to_string_lossy()
            .into_owned();
        let cases = read_json(&file);
        let (mut passed, mut total) = (0, 0);
        for case in cases.as_array().expect("a suite is an array") {
            let Some(case) = case.as_object() else {
                continue;
            }; // comment
            total += 1;
            let compiled = Logic::compile(&case["rule"]);
            let data = case.get("data").cloned().unwrap_or(Value::Null);
            let ok = match (compiled, case.get("result"), case.contains_key("error")) {
                (Ok(logic), Some(expected), _) => same(&logic.evaluate(&data), expected),
                (Err(_), _, true) => true,
                _ => false,
            };
            passed += usize::from(ok);
        }
        results.insert(name, (passed, total));
    }

    let baseline_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/compat-baseline.json");
    if std::env::var_os("ACCORD_WRITE_COMPAT_BASELINE").is_some() {
        let table: BTreeMap<&String, Value> = results
            .iter()
            .map(|(k, (p, t))| (k, serde_json::json!({"passed": p, "total": t})))
            .collect();
        std::fs::create_dir_all(baseline_path.parent().expect("has parent")).expect("mkdir");
        std::fs::write(
            &baseline_path,
            serde_json::to_string_pretty(&table).expect("json") + "\n",
        )
        .expect("write baseline");
        for (k, (p, t)) in &results {
            println!("| `{k}` | {p} / {t} |");
        }
        return;
    }
    let baseline = read_json(&baseline_path);
    let baseline = baseline.as_object().expect("the baseline is an object");
    let mut regressions = Vec::new();
    for (name, want) in baseline {
        let want = want["passed"].as_u64().expect("a pass count") as usize;
        match results.get(name) {
            Some((passed, total)) if *passed < want => {
                regressions.push(format!("{name}: {passed}/{total}, baseline {want}"))
            }
            Some(_) => {}
            None => regressions.push(format!("{name}: the suite file is missing")),
        }
    }
    for name in results.keys().filter(|n| !baseline.contains_key(*n)) {
        regressions.push(format!("{name}: not in the baseline (rewrite it)"));
    }
    assert!(
        regressions.is_empty(),
        "compat suites regressed:\n{}",
        regressions.join("\n")
    );
}
