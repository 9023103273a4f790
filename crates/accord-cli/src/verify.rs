//! `accord verify RULEBOOK [RECORDS]`: recompute records, report mismatches.

use crate::cli::VerifyArgs;
use crate::error::CliError;
use crate::load::{open_lines, rulebook};
use crate::terminal::Terminal;
use accord_core::{verify_record, LeadRecord};
use serde_json::json;
use std::io::{BufRead, Write};

/// Verifies every record; `Ok(true)` when any record mismatches or cannot
/// be read. Streams: memory does not grow with the number of records.
pub fn run(args: &VerifyArgs) -> Result<bool, CliError> {
    let rulebook = rulebook(&args.rulebook)?;
    let input = open_lines(args.records.as_deref())?;
    // Everything printed may quote the rulebook or the records.
    let mut out = Terminal(std::io::stdout().lock());
    let (mut ok, mut mismatched, mut unreadable) = (0u64, 0u64, 0u64);
    for (index, line) in input.lines().enumerate() {
        let line_no = index + 1;
        let line = line.map_err(|source| CliError::Read {
            path: args.records.clone().unwrap_or_else(|| "-".into()),
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let record: LeadRecord = match serde_json::from_str(&line) {
            Ok(r) => r,
            Err(e) => {
                unreadable += 1;
                if args.json {
                    writeln!(
                        out,
                        "{}",
                        json!({"line": line_no, "error": format!("not a record: {e}")})
                    )?;
                } else {
                    writeln!(out, "line {line_no}: not a record: {e}")?;
                }
                continue;
            }
        };
        let found = verify_record(&rulebook, &record);
        if found.is_empty() {
            ok += 1;
            continue;
        }
        mismatched += 1;
        if args.json {
            writeln!(
                out,
                "{}",
                json!({"line": line_no, "submission_id": record.submission_id, "discrepancies": found})
            )?;
        } else {
            writeln!(
                out,
                "line {line_no}: record {} does not match:",
                record.submission_id
            )?;
            for d in &found {
                writeln!(
                    out,
                    "  {}: recorded {}, recomputed {}",
                    d.what, d.recorded, d.recomputed
                )?;
            }
        }
    }
    if args.json {
        writeln!(
            out,
            "{}",
            json!({"summary": {"verified": ok, "mismatched": mismatched, "unreadable": unreadable}})
        )?;
    } else {
        writeln!(
            out,
            "records: {ok} verified, {mismatched} mismatched, {unreadable} unreadable"
        )?;
    }
    Ok(mismatched + unreadable > 0)
}
