//! Leads and what became of them, for the commands that look back over
//! many leads (`accord diff`, `accord backtest`): each lead of a file read
//! for one or more rulebooks, and each lead's fate from an outcomes file.

use crate::error::CliError;
use crate::load::{open_lines, read_text};
use crate::terminal::one_line as escaped;
use accord_core::{lead_from_json_line, Lead, LeadColumns, LeadFate, Rulebook};
use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

/// What happened later to each lead, from an outcomes file.
pub fn fates(path: &Path) -> Result<HashMap<String, LeadFate>, CliError> {
    let file = accord_core::read_outcomes(&read_text(path)?);
    if file.skipped > file.problems.len() as u64 {
        eprintln!(
            "{}: {} rows skipped in all; the first {} are named",
            escaped(&path.display().to_string()),
            file.skipped,
            file.problems.len()
        );
    }
    for p in &file.problems {
        eprintln!(
            "{}:{}: skipped: {}",
            escaped(&path.display().to_string()),
            p.line,
            escaped(&p.error)
        );
    }
    Ok(file.fates())
}

/// A share as a percentage, `—` when there is none.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{:.0} %", r * 100.0))
}

/// Reads every lead of `path` (JSON Lines, or CSV for a `.csv` file) once
/// for each of `rulebooks` (their fields differ), streaming, and hands
/// `each` the line number and the leads. A line that cannot be read is
/// named on standard error and skipped; returns how many were.
pub fn each_lead(
    path: &Path,
    rulebooks: &[&Rulebook],
    mut each: impl FnMut(usize, Vec<Lead<'_>>) -> Result<(), CliError>,
) -> Result<u64, CliError> {
    let mut skipped = 0;
    let mut each = |line: usize, leads: Result<Vec<Lead<'_>>, String>| match leads {
        Ok(leads) => each(line, leads),
        Err(e) => {
            skipped += 1;
            eprintln!("line {line}: {}", escaped(&e));
            Ok(())
        }
    };
    let csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let input = open_lines(Some(path))?;
    if csv {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
        let headers = reader
            .headers()
            .map_err(|e| CliError::CsvHeader(e.to_string()))?
            .clone();
        let columns: Vec<LeadColumns> = rulebooks
            .iter()
            .map(|r| LeadColumns::new(r, &headers))
            .collect();
        for (i, row) in reader.records().enumerate() {
            // The row's own line (a quoted cell may span several).
            let line = row
                .as_ref()
                .ok()
                .and_then(|r| r.position())
                .map_or(i + 2, |p| p.line() as usize);
            let leads = row
                .map_err(|e| format!("not a CSV row: {e}"))
                .and_then(|r| columns.iter().map(|c| c.lead(&r)).collect());
            each(line, leads)?;
        }
        return Ok(skipped);
    }
    let mut input = input;
    let mut buffer = String::new();
    let mut line = 0;
    loop {
        buffer.clear();
        let read = input
            .read_line(&mut buffer)
            .map_err(|source| CliError::Read {
                path: path.to_path_buf(),
                source,
            })?;
        if read == 0 {
            return Ok(skipped);
        }
        line += 1;
        let text = buffer.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            continue;
        }
        let leads = rulebooks
            .iter()
            .map(|r| lead_from_json_line(r, text))
            .collect();
        each(line, leads)?;
    }
}
