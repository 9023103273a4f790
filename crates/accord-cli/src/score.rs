//! `accord score RULEBOOK [LEADS]`: qualify leads in bulk.
//!
//! Streams: one lead is read, qualified and written at a time, so memory
//! stays flat for any input size. A line that is not a lead is reported on
//! standard error with its line number and the rest are still scored.

use crate::cli::{Format, ScoreArgs};
use crate::clock::rfc3339_utc;
use crate::enrich::Enriching;
use crate::error::CliError;
use crate::load::{open_lines, rulebook};
use crate::terminal::escaped;
use accord_core::{
    is_uuid_v4, push_csv_row, uuid_v4_from_bytes, Assessment, Channel, RecordWriter, Rulebook,
    Snapshot, Status, Submission,
};
use accord_core::{lead_from_json_line, Lead, LeadColumns};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

/// Counts for the summary line.
#[derive(Default)]
struct Tally {
    scored: u64,
    qualified: u64,
    knocked_out: u64,
    incomplete: u64,
    skipped: u64,
}

/// Scores every lead; `Ok(true)` when some lines could not be read.
pub fn run(args: &ScoreArgs) -> Result<bool, CliError> {
    let rulebook = rulebook(&args.rulebook)?;
    let from = args
        .from
        .unwrap_or_else(|| format_of(args.leads.as_deref()));
    let default_channel = args.channel;
    let now = args
        .submitted_at
        .clone()
        .unwrap_or_else(|| rfc3339_utc(SystemTime::now()));
    let total_bytes = args
        .leads
        .as_deref()
        .filter(|p| *p != Path::new("-"))
        .and_then(|p| std::fs::metadata(p).ok())
        .map(|m| m.len());
    let show_progress = !args.quiet && std::io::stderr().is_terminal() && total_bytes.is_some();
    // `--enrich` looks everything up first (each distinct URL once), then
    // scores: the leads are read twice, so standard input is kept in a file.
    let mut spooled = None;
    let enriching = match args.enrich {
        false => None,
        true => {
            let mut enriching = Enriching::new(&rulebook, args)?;
            let path = match args.leads.as_deref().filter(|p| *p != Path::new("-")) {
                Some(path) => path.to_path_buf(),
                None => spooled
                    .insert(crate::enrich::spool_stdin()?)
                    .path()
                    .to_path_buf(),
            };
            read_leads(&rulebook, from, Some(&path), false, |_, lead, _| {
                if let Ok(lead) = lead {
                    enriching.plan(&rulebook, &lead);
                }
                Ok(())
            })?;
            enriching.look_up()?;
            Some(enriching)
        }
    };
    let leads_path = match &spooled {
        Some(file) => Some(file.path().to_path_buf()),
        None => args.leads.clone(),
    };

    let sink: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(File::create(path).map_err(|source| CliError::Create {
            path: path.clone(),
            source,
        })?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut writer = Writer::new(args.to, sink, &rulebook);
    let mut id_seed = Sha256::new();
    id_seed.update(rulebook.reference().sha256.as_bytes());
    let mut tally = Tally::default();
    let mut progress = Progress::new(show_progress, total_bytes.unwrap_or(0));
    let has_enrichment = rulebook.doc().enrichment.is_some();
    let mut score = |line_no: usize,
                     lead: Result<Lead, String>,
                     bytes: u64,
                     writer: &mut Writer|
     -> Result<(), CliError> {
        progress.advance(bytes, tally.scored);
        let mut lead = match lead {
            Ok(lead) => lead,
            Err(e) => {
                tally.skipped += 1;
                eprintln!("line {line_no}: {}", escaped(&e.to_string()));
                return Ok(());
            }
        };
        let mut submission = Submission {
            submission_id: lead
                .submission_id
                .take()
                .filter(|id| is_uuid_v4(id))
                .unwrap_or_else(|| derived_id(&id_seed, line_no, &lead.input)),
            submitted_at: lead.submitted_at.take().unwrap_or_else(|| now.clone()),
            rep: None,
            notes: None,
            call: None,
            // Looked up now, or as the lead record brought it; none for a
            // rulebook without enrichment.
            enrichment: has_enrichment.then(|| match &enriching {
                Some(e) => e.snapshot(&rulebook, &lead),
                None => lead.enrichment.take().unwrap_or_else(Snapshot::none),
            }),
        };
        if let Some(snapshot) = submission.enrichment.as_mut() {
            snapshot.fill_slots(&rulebook, &mut lead.answers);
        }
        let channel = lead.channel.unwrap_or(default_channel);
        let answer = |i: usize| lead.answers[i].as_ref();
        let enriched = submission.enrichment.as_ref().map(|s| &s.values);
        let assessment =
            rulebook.assess_by_index_enriched(answer, &lead.context, enriched, channel.audience());
        match assessment.status {
            Status::Qualified => tally.qualified += 1,
            Status::KnockedOut => tally.knocked_out += 1,
            Status::Incomplete => tally.incomplete += 1,
        }
        tally.scored += 1;
        writer.write(&submission, channel, &lead, &assessment)
    };

    let started = Instant::now();
    read_leads(
        &rulebook,
        from,
        leads_path.as_deref(),
        true,
        |line_no, lead, bytes| score(line_no, lead, bytes, &mut writer),
    )?;
    writer.finish()?;
    progress.clear();
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "scored {} leads ({} qualified, {} knocked out, {} incomplete), {} lines skipped, in {:.2} s ({:.0} leads/s)",
        tally.scored,
        tally.qualified,
        tally.knocked_out,
        tally.incomplete,
        tally.skipped,
        seconds,
        tally.scored as f64 / seconds.max(1e-9)
    );
    Ok(tally.skipped > 0)
}

/// Reads every lead of `leads` (standard input when `None`) in the given
/// format and hands each to `each` with its line number and size in bytes;
/// a line that is not a lead is handed on as its problem. `notes`: say
/// which CSV columns are ignored.
fn read_leads(
    rulebook: &Rulebook,
    from: Format,
    leads: Option<&Path>,
    notes: bool,
    mut each: impl FnMut(usize, Result<Lead, String>, u64) -> Result<(), CliError>,
) -> Result<(), CliError> {
    let input = open_lines(leads)?;
    let read_err = |source| CliError::Read {
        path: leads.map_or_else(|| "-".into(), Path::to_path_buf),
        source,
    };
    match from {
        Format::Jsonl => {
            let mut input = input;
            // One buffer for every line; a line ends at `\n` or `\r\n`. A
            // line that is not UTF-8 is reported like any unreadable line,
            // and the rest are still scored.
            let mut buffer = Vec::new();
            let mut line_no = 0;
            loop {
                buffer.clear();
                let bytes = input.read_until(b'\n', &mut buffer).map_err(read_err)?;
                if bytes == 0 {
                    break;
                }
                line_no += 1;
                let line = buffer.strip_suffix(b"\n").unwrap_or(&buffer);
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                let lead = match std::str::from_utf8(line) {
                    Ok(text) if text.trim().is_empty() => continue,
                    Ok(text) => lead_from_json_line(rulebook, text),
                    Err(e) => Err(format!(
                        "not UTF-8 text (byte {} of the line)",
                        e.valid_up_to() + 1
                    )),
                };
                each(line_no, lead, bytes as u64)?;
            }
        }
        Format::Csv => {
            let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
            let headers = reader
                .headers()
                .map_err(|e| CliError::CsvHeader(e.to_string()))?
                .clone();
            let columns = LeadColumns::new(rulebook, &headers);
            if notes && !columns.ignored.is_empty() {
                eprintln!(
                    "note: ignoring CSV columns that are not fields or context: {}",
                    escaped(&columns.ignored.join(", "))
                );
            }
            let mut record = csv::StringRecord::new();
            let mut last_offset = 0;
            loop {
                let line_no = reader.position().line() as usize;
                match reader.read_record(&mut record) {
                    Ok(false) => break,
                    Ok(true) => {
                        let offset = reader.position().byte();
                        each(line_no, columns.lead(&record), offset - last_offset)?;
                        last_offset = offset;
                    }
                    Err(e) => each(line_no, Err(format!("not a CSV row: {e}")), 0)?,
                }
            }
        }
    }
    Ok(())
}

fn format_of(path: Option<&Path>) -> Format {
    match path.and_then(|p| p.extension()).and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("csv") => Format::Csv,
        _ => Format::Jsonl,
    }
}

/// A stable id for a lead that has none: SHA-256 of the rulebook's hash
/// (`seed`), the line number and the lead's input. The same batch scored
/// twice gets the same ids, so an idempotent store does not duplicate it.
fn derived_id(seed: &Sha256, line_no: usize, input: &[u8]) -> String {
    let mut hash = seed.clone();
    hash.update(line_no.to_le_bytes());
    hash.update(input);
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&hash.finalize()[..16]);
    uuid_v4_from_bytes(bytes)
}

/// How many bytes of records are gathered before they are written out.
const OUT_BLOCK: usize = 1 << 16;

/// Writes records as JSON Lines or as a flat CSV summary.
struct Writer<'a> {
    format: Format,
    sink: Box<dyn Write>,
    rulebook: &'a Rulebook,
    records: RecordWriter<'a>,
    /// Records not yet written to the sink (records are written straight
    /// into it, and it goes out in blocks of about 64 KiB).
    out: Vec<u8>,
    header_written: bool,
}

impl<'a> Writer<'a> {
    fn new(format: Format, sink: Box<dyn Write>, rulebook: &'a Rulebook) -> Writer<'a> {
        Writer {
            format,
            sink,
            rulebook,
            records: RecordWriter::new(rulebook),
            out: Vec::with_capacity(OUT_BLOCK * 2),
            header_written: false,
        }
    }

    fn write(
        &mut self,
        submission: &Submission,
        channel: Channel,
        lead: &Lead,
        assessment: &Assessment,
    ) -> Result<(), CliError> {
        let answer = |i: usize| lead.answers[i].as_ref();
        match self.format {
            Format::Jsonl => {
                self.records.write(
                    &mut self.out,
                    submission,
                    channel,
                    answer,
                    &lead.context,
                    assessment,
                );
                self.out.push(b'\n');
            }
            Format::Csv => {
                let doc = self.rulebook.doc();
                if !self.header_written {
                    let mut header: Vec<String> = [
                        "submission_id",
                        "submitted_at",
                        "channel",
                        "status",
                        "grade",
                        "route",
                    ]
                    .map(String::from)
                    .to_vec();
                    header.extend(doc.scores.iter().map(|s| format!("score.{}", s.id)));
                    header.extend(["score.total", "knocked_out_by", "missing"].map(String::from));
                    header.extend(doc.fields.iter().map(|f| f.id.clone()));
                    self.csv_row(&header)?;
                    self.header_written = true;
                }
                let a = assessment;
                let join = |ids: Vec<&str>| ids.join(";");
                let mut row = vec![
                    submission.submission_id.clone(),
                    submission.submitted_at.clone(),
                    channel.name().to_owned(),
                    a.status.name().to_owned(),
                    a.grade().to_owned(),
                    a.route
                        .map(|i| doc.routes[i].to.team.clone())
                        .unwrap_or_default(),
                ];
                row.extend(a.scores.iter().map(i64::to_string));
                row.push(a.total.to_string());
                row.push(join(
                    a.knockouts
                        .iter()
                        .map(|&i| doc.knockouts[i].id.as_str())
                        .collect(),
                ));
                row.push(join(
                    a.missing
                        .iter()
                        .map(|&i| doc.fields[i].id.as_str())
                        .collect(),
                ));
                row.extend((0..doc.fields.len()).map(|i| {
                    match answer(i) {
                        None | Some(Value::Null) => String::new(),
                        Some(Value::String(s)) => s.clone(),
                        Some(Value::Array(items)) => items
                            .iter()
                            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                            .collect::<Vec<_>>()
                            .join(";"),
                        Some(other) => other.to_string(),
                    }
                }));
                self.csv_row(&row)?;
            }
        }
        if self.out.len() >= OUT_BLOCK {
            self.sink.write_all(&self.out)?;
            self.out.clear();
        }
        Ok(())
    }

    fn csv_row(&mut self, cells: &[String]) -> Result<(), CliError> {
        let mut line = String::new();
        push_csv_row(&mut line, cells);
        self.out.write_all(line.as_bytes())?;
        Ok(())
    }

    fn finish(mut self) -> Result<(), CliError> {
        self.sink.write_all(&self.out)?;
        self.sink.flush()?;
        Ok(())
    }
}

/// A progress line on standard error, redrawn at most four times a second.
struct Progress {
    enabled: bool,
    total: u64,
    done: u64,
    started: Instant,
    last: Instant,
}

impl Progress {
    fn new(enabled: bool, total: u64) -> Progress {
        let now = Instant::now();
        Progress {
            enabled,
            total,
            done: 0,
            started: now,
            last: now,
        }
    }

    fn advance(&mut self, bytes: u64, leads: u64) {
        self.done += bytes;
        if !self.enabled || self.last.elapsed() < Duration::from_millis(250) {
            return;
        }
        self.last = Instant::now();
        let pct = if self.total == 0 {
            0.0
        } else {
            100.0 * self.done as f64 / self.total as f64
        };
        let rate = leads as f64 / self.started.elapsed().as_secs_f64().max(1e-9);
        eprint!("\r{pct:5.1}%  {leads} leads  {rate:.0} leads/s ");
    }

    fn clear(&self) {
        if self.enabled {
            eprint!("\r{}\r", " ".repeat(60));
        }
    }
}
