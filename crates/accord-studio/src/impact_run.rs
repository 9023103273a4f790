//! Measuring a draft against the last agreed version on a leads file, in
//! the page, a slice at a time: the file is read from where the last slice
//! stopped, each lead qualified with both rulebooks and counted into an
//! `accord_core::Impact` (the same counting as `accord diff`), and the
//! leads whose grade moves kept with both explanations. The caller decides
//! how long a slice may run, so the page never freezes.

use accord_core::{
    explain, join_key, lead_from_json_line, Audience, Impact, Lead, LeadColumns, LeadFate, Rulebook,
};
use std::collections::HashMap;
use std::rc::Rc;

/// How many moving leads are kept with their explanations (all are
/// counted).
pub const KEPT_MOVERS: usize = 200;

/// A lead whose grade the change moves.
#[derive(Debug, Clone, PartialEq)]
pub struct Mover {
    /// The line it was read from, from 1.
    pub line: usize,
    /// Its submission id, when the file gives one.
    pub submission_id: Option<String>,
    /// Its grade under the last agreed version, and why.
    pub old: (String, Vec<String>),
    /// Its grade under the draft, and why.
    pub new: (String, Vec<String>),
    /// Whether sales accepted it, when the outcomes say.
    pub accepted: Option<bool>,
}

/// A line that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Its line, from 1.
    pub line: usize,
    /// Why.
    pub why: String,
}

/// How many skipped lines are kept with their reason (all are counted).
pub const KEPT_SKIPPED: usize = 100;

/// One measurement in progress.
pub struct ImpactRun {
    old: Rc<Rulebook>,
    new: Rc<Rulebook>,
    text: Rc<str>,
    /// Where the next slice starts reading, in bytes.
    at: usize,
    /// The line the next slice starts on, from 1.
    line: usize,
    csv: Option<(LeadColumns, LeadColumns)>,
    fates: Option<HashMap<String, LeadFate>>,
    /// The counts so far.
    pub impact: Impact,
    /// The first [`KEPT_MOVERS`] moving leads.
    pub movers: Vec<Mover>,
    /// All moving leads.
    pub moved: u64,
    /// The first [`KEPT_SKIPPED`] lines that could not be read.
    pub skipped: Vec<Skipped>,
}

impl ImpactRun {
    /// A run over `text` (JSON Lines, or CSV when `csv`), old against new,
    /// joining `fates` when given. A CSV file without a header row is an
    /// error.
    pub fn new(
        old: Rc<Rulebook>,
        new: Rc<Rulebook>,
        text: Rc<str>,
        csv: bool,
        fates: Option<HashMap<String, LeadFate>>,
    ) -> Result<ImpactRun, String> {
        let mut run = ImpactRun {
            impact: Impact {
                with_outcomes: fates.is_some(),
                ..Impact::default()
            },
            old,
            new,
            text,
            at: 0,
            line: 1,
            csv: None,
            fates,
            movers: Vec::new(),
            moved: 0,
            skipped: Vec::new(),
        };
        if csv {
            let mut reader = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(run.text.as_bytes());
            let headers = reader
                .headers()
                .map_err(|e| format!("the CSV header row: {e}"))?
                .clone();
            run.csv = Some((
                LeadColumns::new(&run.old, &headers),
                LeadColumns::new(&run.new, &headers),
            ));
            let after = reader.position().byte() as usize;
            run.advance_to(after);
        }
        Ok(run)
    }

    /// How far the run has read, 0 to 1.
    pub fn progress(&self) -> f64 {
        if self.text.is_empty() {
            1.0
        } else {
            self.at as f64 / self.text.len() as f64
        }
    }

    /// Whether the whole file has been read.
    pub fn done(&self) -> bool {
        self.at >= self.text.len()
    }

    /// Reads and counts leads while `go_on()` says so (it is asked after
    /// each lead); returns whether the file is done.
    pub fn step(&mut self, mut go_on: impl FnMut() -> bool) -> bool {
        let text = self.text.clone();
        if self.csv.is_some() {
            let base = self.at;
            let mut reader = csv::ReaderBuilder::new()
                .flexible(true)
                .has_headers(false)
                .from_reader(&text.as_bytes()[base..]);
            let mut row = csv::StringRecord::new();
            loop {
                let before = base + reader.position().byte() as usize;
                let read = reader.read_record(&mut row);
                // The row's own line: where its first cell starts (a quoted
                // cell may span several lines; a CRLF's LF may lead it).
                let start = row
                    .position()
                    .filter(|_| matches!(read, Ok(true)))
                    .map_or(before, |p| base + p.byte() as usize);
                self.advance_to(start);
                let line = self.line;
                match read {
                    Ok(false) => {
                        self.advance_to(text.len());
                        return true;
                    }
                    Ok(true) => {
                        let (old_columns, new_columns) = self.csv.as_ref().expect("a CSV run");
                        let leads = old_columns
                            .lead(&row)
                            .and_then(|a| Ok((a, new_columns.lead(&row)?)));
                        self.count(line, leads);
                    }
                    Err(e) => self.skip(line, format!("not a CSV row: {e}")),
                }
                if !go_on() {
                    self.advance_to(base + reader.position().byte() as usize);
                    return self.done();
                }
            }
        }
        while self.at < text.len() {
            let rest = &text[self.at..];
            let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
            let line = rest[..end].trim_end_matches(['\n', '\r']);
            let number = self.line;
            self.at += end;
            self.line += 1;
            if !line.trim().is_empty() {
                let leads = lead_from_json_line(&self.old, line)
                    .and_then(|a| Ok((a, lead_from_json_line(&self.new, line)?)));
                self.count(number, leads);
            }
            if !go_on() {
                break;
            }
        }
        self.done()
    }

    /// Moves the read position forward to `at`, counting the lines passed.
    /// The CSV reader stops a row at its CR and leaves the LF of a CRLF for
    /// the next: that LF is passed here, so the next row starts on its own
    /// line.
    fn advance_to(&mut self, at: usize) {
        let bytes = self.text.as_bytes();
        let at = if at > 0 && bytes.get(at) == Some(&b'\n') && bytes[at - 1] == b'\r' {
            at + 1
        } else {
            at
        };
        if at > self.at {
            self.line += self.text[self.at..at].matches('\n').count();
            self.at = at;
        }
    }

    fn skip(&mut self, line: usize, why: String) {
        self.impact.skipped += 1;
        if self.skipped.len() < KEPT_SKIPPED {
            self.skipped.push(Skipped { line, why });
        }
    }

    fn count(&mut self, line: usize, leads: Result<(Lead<'_>, Lead<'_>), String>) {
        let (a, b) = match leads {
            Ok(both) => both,
            Err(why) => return self.skip(line, why),
        };
        let audience = a.channel.map_or(Audience::Form, |c| c.audience());
        let old = self.old.assess_by_index_enriched(
            |i| a.answers[i].as_ref(),
            &a.context,
            a.enriched(),
            audience,
        );
        let new = self.new.assess_by_index_enriched(
            |i| b.answers[i].as_ref(),
            &b.context,
            b.enriched(),
            audience,
        );
        let id = a.submission_id.as_deref().map(join_key);
        let fate = id.as_ref().and_then(|id| self.fates.as_ref()?.get(id));
        self.impact.joined += u64::from(fate.is_some());
        self.impact.add(&old, &new, fate);
        if old.grade() != new.grade() {
            self.moved += 1;
            if self.movers.len() < KEPT_MOVERS {
                self.movers.push(Mover {
                    line,
                    submission_id: a.submission_id.clone(),
                    old: (
                        old.grade().to_owned(),
                        explain(&self.old, &old.qualification()),
                    ),
                    new: (
                        new.grade().to_owned(),
                        explain(&self.new, &new.qualification()),
                    ),
                    accepted: fate.and_then(LeadFate::accepted),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The minimal example, with the Fit threshold of `mql` at `threshold`.
    fn minimal(threshold: i64) -> Rc<Rulebook> {
        let mut doc: serde_json::Value =
            serde_json::from_str(include_str!("../../../static/rulebooks/minimal.json")).unwrap();
        doc["grades"][0]["when"] = json!({">=": [{"var": "score.fit"}, threshold]});
        doc.as_object_mut().unwrap().remove("fixtures");
        Rc::new(Rulebook::from_value(&doc).unwrap())
    }

    /// Runs to the end, one lead per slice (the slices must not change
    /// the counts).
    fn run(text: &str, csv: bool, fates: Option<HashMap<String, LeadFate>>) -> ImpactRun {
        let mut run = ImpactRun::new(minimal(10), minimal(20), Rc::from(text), csv, fates).unwrap();
        let mut slices = 0;
        while !run.step(|| false) {
            slices += 1;
            assert!(slices < 100, "the run must end");
        }
        run
    }

    #[test]
    fn a_raised_threshold_moves_the_large_companies_from_mql_to_nurture() {
        let text = "{\"email\": \"a@large.example\", \"employees\": \"large\"}\n\
                    {\"submission_id\": \"L2\", \"answers\": {\"email\": \"b@large.example\", \"employees\": \"large\"}}\n\
                    \n\
                    {\"email\": \"c@small.example\", \"employees\": \"small\"}\n\
                    not json\n";
        let done = run(text, false, None);
        let i = &done.impact;
        assert_eq!(i.leads, 3);
        assert_eq!(i.skipped, 1);
        assert_eq!(done.skipped[0].line, 5);
        assert_eq!(i.transitions["mql"]["nurture"].leads, 2);
        assert_eq!(i.transitions["nurture"]["nurture"].leads, 1);
        assert_eq!(done.moved, 2);
        assert_eq!(done.movers[1].line, 2);
        assert_eq!(done.movers[1].submission_id.as_deref(), Some("L2"));
        assert_eq!(done.movers[1].old.0, "mql");
        assert_eq!(done.movers[1].new.0, "nurture");
        assert!(done.movers[1]
            .old
            .1
            .iter()
            .any(|l| l.contains("Large company")));
    }

    #[test]
    fn csv_reads_the_same_leads_and_outcomes_join_by_id() {
        const L1: &str = "0b6f1c2a-3d4e-4f50-8a6b-7c8d9e0f1a2b";
        const L2: &str = "1c7a2d3b-4e5f-4a61-9b7c-8d9e0f1a2b3c";
        let text = format!(
            "submission_id,email,employees\r\n{}, a@large.example,large\r\n{L2},\"b@large.example\",large\r\nL3,c@small.example,small\r\n",
            L1.to_uppercase()
        );
        let outcomes = format!("submission_id,stage\n{L1},accepted\n{L2},rejected\n");
        let fates = accord_core::read_outcomes(&outcomes).fates();
        let done = run(&text, true, Some(fates));
        let i = &done.impact;
        assert_eq!((i.leads, i.skipped, i.joined), (3, 0, 2));
        let moved = &i.transitions["mql"]["nurture"];
        assert_eq!((moved.leads, moved.judged, moved.accepted), (2, 2, 1));
        assert_eq!(
            done.movers.iter().map(|m| m.line).collect::<Vec<_>>(),
            [2, 3]
        );
        assert_eq!(done.movers[0].accepted, Some(true));
    }
}
