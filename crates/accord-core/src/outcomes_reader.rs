//! Reading an outcomes file (`docs/outcomes.md`) as a whole: CSV or JSON
//! Lines, told apart by the first character. Each row is checked by
//! `accord_core::OutcomeRow`; a bad row is reported by its line and
//! skipped, and the good rows are kept.

use crate::outcomes_file::{LeadFate, OutcomeColumns, OutcomeRow};
use serde::Serialize;
use std::collections::HashMap;

/// A row that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineProblem {
    /// The line it starts on, from 1.
    pub line: u64,
    /// What is wrong with it.
    pub error: String,
}

/// At most this many skipped rows are kept with their reason (a file of
/// junk must not fill the memory); all are counted.
pub const KEPT_PROBLEMS: usize = 1_000;

/// An outcomes file, read.
#[derive(Debug, Default)]
pub struct OutcomesFile {
    /// The good rows with their line numbers, in file order.
    pub rows: Vec<(u64, OutcomeRow)>,
    /// The first [`KEPT_PROBLEMS`] rows skipped, with why.
    pub problems: Vec<LineProblem>,
    /// How many rows were skipped.
    pub skipped: u64,
}

impl OutcomesFile {
    /// What became of each lead, by its id as written (trimmed, lower
    /// case, see `join_key`): every good row of the lead, in file order.
    pub fn fates(&self) -> HashMap<String, LeadFate> {
        let mut fates: HashMap<String, LeadFate> = HashMap::new();
        for (_, row) in &self.rows {
            fates
                .entry(row.submission_id.clone())
                .or_default()
                .push(row.stage, row.amount);
        }
        fates
    }

    fn skip(&mut self, line: u64, error: impl Into<String>) {
        self.skipped += 1;
        if self.problems.len() < KEPT_PROBLEMS {
            self.problems.push(LineProblem {
                line,
                error: error.into(),
            });
        }
    }
}

/// Reads `text` as JSON Lines when its first non-blank character is `{`,
/// else as CSV with a header row.
pub fn read_outcomes(text: &str) -> OutcomesFile {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        read_json_lines(text)
    } else {
        read_csv(text)
    }
}

fn read_json_lines(text: &str) -> OutcomesFile {
    let mut file = OutcomesFile::default();
    for (i, line) in text.lines().enumerate() {
        let number = i as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        match OutcomeRow::from_json_line(line) {
            Ok(row) => file.rows.push((number, row)),
            Err(e) => file.skip(number, e),
        }
    }
    file
}

fn read_csv(text: &str) -> OutcomesFile {
    let mut file = OutcomesFile::default();
    let mut lines = Lines::new(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let columns = loop {
        match records.next() {
            None => return file,
            Some(Err(e)) => {
                file.skip(lines.of_error(&e), format!("not CSV: {e}"));
                return file;
            }
            Some(Ok(header)) if header.iter().all(|c| c.trim().is_empty()) => continue,
            Some(Ok(header)) => match OutcomeColumns::from_header(header.iter()) {
                Ok(columns) => break columns,
                Err(e) => {
                    file.skip(lines.of_record(&header), e);
                    return file;
                }
            },
        }
    };
    for record in records {
        match record {
            Err(e) => file.skip(lines.of_error(&e), format!("not CSV: {e}")),
            Ok(cells) => {
                let line = lines.of_record(&cells);
                if cells.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                let cells: Vec<&str> = cells.iter().collect();
                match columns.row(&cells) {
                    Ok(row) => file.rows.push((line, row)),
                    Err(e) => file.skip(line, e),
                }
            }
        }
    }
    file
}

/// Line numbers of CSV records. The `csv` crate's own line count lags by
/// one after a CRLF line end (it counts the `\n` when it reads the next
/// record), so lines are counted from each record's byte offset instead,
/// past the line breaks and blank lines before it. Records come in order,
/// so the count goes on from the previous one: linear in the file.
struct Lines<'a> {
    bytes: &'a [u8],
    /// Where the count stopped, and the line there.
    at: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        Lines {
            bytes: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    fn of_record(&mut self, record: &csv::StringRecord) -> u64 {
        record.position().map_or(0, |p| self.at_byte(p.byte()))
    }

    fn of_error(&mut self, e: &csv::Error) -> u64 {
        e.position().map_or(0, |p| self.at_byte(p.byte()))
    }

    fn at_byte(&mut self, byte: u64) -> u64 {
        let bytes = self.bytes;
        let mut start = usize::try_from(byte)
            .unwrap_or(bytes.len())
            .min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.at {
            // Not expected (records come in order): count from the top.
            self.at = 0;
            self.line = 1;
        }
        self.line += bytes[self.at..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.at = start;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Stage;

    const A: &str = "0b8a4a8e-4a0e-4c7e-9a43-2f1d6f0b7c11";
    const B: &str = "1c9b5b9f-5b1f-4d8f-8b54-3a2e7a1c8d22";

    #[test]
    fn csv_files_keep_good_rows_and_name_the_line_of_bad_ones() {
        // Line 2 holds a cell over two lines, line 4 is blank.
        let text = format!(
            "\u{feff}submission_id,stage,amount,note\r\n{A},won,1200,\"two\nlines\"\r\n\r\n{B},closed,,\r\nnot-an-id,lost,,\r\n{B},opportunity,,\r\n"
        );
        let file = read_outcomes(&text);
        let stages: Vec<(u64, Stage)> = file.rows.iter().map(|(l, r)| (*l, r.stage)).collect();
        assert_eq!(stages, [(2, Stage::Won), (7, Stage::Opportunity)]);
        let lines: Vec<u64> = file.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [5, 6], "{:?}", file.problems);
        assert!(file.problems[0].error.contains("closed"));
    }

    #[test]
    fn json_lines_are_told_apart_by_their_first_character() {
        let text = format!(
            "\n{{\"submission_id\":\"{A}\",\"stage\":\"accepted\"}}\n{{oops\n{{\"submission_id\":\"{B}\",\"stage\":\"lost\",\"at\":\"2026-11-30T09:00:00Z\"}}\n"
        );
        let file = read_outcomes(&text);
        assert_eq!(file.rows.len(), 2);
        assert_eq!(file.rows[1].0, 4);
        assert_eq!(file.problems.len(), 1);
        assert_eq!(file.problems[0].line, 3);
    }

    #[test]
    fn a_file_of_junk_keeps_only_the_first_problems() {
        let junk = format!("submission_id,stage\n{}", "x,y\n".repeat(5_000));
        let file = read_outcomes(&junk);
        assert_eq!(file.skipped, 5_000);
        assert_eq!(file.problems.len(), KEPT_PROBLEMS);
    }

    #[test]
    fn a_header_without_the_needed_columns_is_one_problem() {
        let file = read_outcomes("id,status\nx,won\n");
        assert!(file.rows.is_empty());
        assert_eq!(file.problems.len(), 1);
        assert_eq!(file.problems[0].line, 1);
        assert!(file.problems[0].error.contains("submission_id"));
        assert!(read_outcomes("").rows.is_empty() && read_outcomes("").problems.is_empty());
        let lf = read_outcomes(&format!("submission_id,stage\n\n{A},won\nx,won\n"));
        assert_eq!(lf.rows[0].0, 3);
        assert_eq!(lf.problems[0].line, 4);
    }
}
