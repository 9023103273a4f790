//! Leads and what became of them, for the commands that look back over
//! many leads (`accord diff`, `accord backtest`): each lead of a file read
//! for one or more rulebooks, and each lead's fate from an outcomes file.

use crate::error::CliError;
use crate::leads::{self, Columns, Lead};
use crate::load::{open_lines, read_text};
use crate::terminal::one_line as escaped;
use accord_core::{LeadFate, Rulebook};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::Path;

/// Outcomes of the leads of one group (a grade, or a move between grades).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Fates {
    /// Leads in the group.
    pub leads: u64,
    /// Leads with a verdict (from the outcomes).
    pub judged: u64,
    /// Leads sales accepted (an opportunity counts).
    pub accepted: u64,
    /// Leads that became an opportunity.
    pub opportunities: u64,
    /// Leads whose deal was won.
    pub won: u64,
    /// The won deals' amounts, summed.
    pub won_amount: f64,
}

impl Fates {
    /// Counts one lead of the group.
    pub fn add(&mut self, fate: Option<&LeadFate>) {
        self.leads += 1;
        let Some(fate) = fate else { return };
        if let Some(accepted) = fate.accepted() {
            self.judged += 1;
            self.accepted += u64::from(accepted);
        }
        self.opportunities += u64::from(fate.opportunity);
        self.won += u64::from(fate.won());
        self.won_amount += fate.amount().unwrap_or(0.0);
    }

    /// `part` of the group's leads, 0 to 1; `None` for an empty group.
    pub fn rate(&self, part: u64) -> Option<f64> {
        (self.leads > 0).then(|| part as f64 / self.leads as f64)
    }

    /// Accepted of judged, 0 to 1; `None` when none was judged.
    pub fn acceptance(&self) -> Option<f64> {
        (self.judged > 0).then(|| self.accepted as f64 / self.judged as f64)
    }
}

/// What happened later to each lead, from an outcomes file.
pub fn fates(path: &Path) -> Result<HashMap<String, LeadFate>, CliError> {
    let file = crate::outcomes::read(&read_text(path)?);
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
    let mut fates: HashMap<String, LeadFate> = HashMap::new();
    for (_, row) in file.rows {
        fates
            .entry(row.submission_id)
            .or_default()
            .push(row.stage, row.amount);
    }
    Ok(fates)
}

/// A lead's id as the outcomes file writes it: trimmed, in lower case.
pub fn join_key(id: &str) -> String {
    id.trim().to_ascii_lowercase()
}

/// The keys of `by_grade` in `rulebook`'s grade order, `disqualified`
/// after them, then any other.
pub fn in_grade_order<'a, T>(
    by_grade: &'a BTreeMap<String, T>,
    rulebook: &Rulebook,
) -> Vec<&'a String> {
    let order: Vec<&str> = rulebook
        .doc()
        .grades
        .iter()
        .map(|g| g.id.as_str())
        .chain(std::iter::once(accord_core::DISQUALIFIED))
        .collect();
    let mut keys: Vec<&String> = by_grade.keys().collect();
    keys.sort_by_key(|k| order.iter().position(|o| o == k).unwrap_or(usize::MAX));
    keys
}

/// A share as a percentage, `—` when there is none.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{:.0} %", r * 100.0))
}

/// `part` of `whole`, 0 to 1; `None` when `whole` is 0.
pub fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
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
        let columns: Vec<Columns> = rulebooks
            .iter()
            .map(|r| Columns::new(r, &headers))
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
            .map(|r| leads::from_json_line(r, text))
            .collect();
        each(line, leads)?;
    }
}
