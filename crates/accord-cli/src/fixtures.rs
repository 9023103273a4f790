//! `accord test RULEBOOK`: run the fixtures and explain each mismatch.

use crate::cli::RulebookArgs;
use crate::error::CliError;
use crate::load::read_text;
use crate::terminal::Terminal;
use accord_core::{explain, Rulebook};
use serde_json::json;
use std::io::Write;

/// Runs the fixtures; `Ok(true)` when the rulebook is invalid or a fixture
/// fails.
pub fn run(args: &RulebookArgs) -> Result<bool, CliError> {
    let text = read_text(&args.rulebook)?;
    // Everything printed may quote the rulebook or the records.
    let mut out = Terminal(std::io::stdout().lock());
    let rulebook = match Rulebook::from_json(&text) {
        Ok(r) => r,
        Err(errors) => {
            if args.json {
                let list: Vec<String> = errors.errors().iter().map(ToString::to_string).collect();
                writeln!(out, "{}", json!({"valid": false, "errors": list}))?;
            } else {
                write!(
                    out,
                    "{}: cannot run fixtures, {errors}",
                    args.rulebook.display()
                )?;
            }
            return Ok(true);
        }
    };
    let results = rulebook.run_fixtures();
    let failed = results.iter().filter(|r| !r.passed()).count();
    if args.json {
        let list: Vec<_> = results
            .iter()
            .map(|r| json!({"name": r.name, "passed": r.passed(), "mismatches": r.mismatches, "qualification": r.qualification}))
            .collect();
        writeln!(
            out,
            "{}",
            json!({"valid": true, "passed": results.len() - failed, "failed": failed, "fixtures": list})
        )?;
        return Ok(failed > 0);
    }
    for r in &results {
        if r.passed() {
            writeln!(out, "pass  {}", r.name)?;
            continue;
        }
        writeln!(out, "FAIL  {}", r.name)?;
        for m in &r.mismatches {
            writeln!(
                out,
                "      {}: expected {}, got {}",
                m.what, m.expected, m.actual
            )?;
        }
        writeln!(out, "      why:")?;
        for line in explain(&rulebook, &r.qualification) {
            writeln!(out, "        {line}")?;
        }
    }
    if results.is_empty() {
        writeln!(out, "{}: no fixtures", args.rulebook.display())?;
    } else {
        writeln!(
            out,
            "fixtures: {} passed, {failed} failed",
            results.len() - failed
        )?;
    }
    Ok(failed > 0)
}
