//! The inbox's SQLite store: one row per lead record (by submission id)
//! and one per piece of sales feedback (by feedback id).

use super::report;
use accord_core::{push_csv_row, Discrepancy, FeedbackRecord, LeadRecord, Stage, Verdict};
use accord_core::{LineProblem, OutcomesFile};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// How a stored record compares with the rulebook the inbox knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Recomputed with the same rulebook: identical.
    Verified,
    /// Recomputed with the same rulebook: something differs.
    Mismatch,
    /// The inbox does not have the rulebook (id, version and hash) that
    /// graded it.
    UnknownRulebook,
}

impl Verification {
    fn as_str(self) -> &'static str {
        match self {
            Verification::Verified => "verified",
            Verification::Mismatch => "mismatch",
            Verification::UnknownRulebook => "unknown_rulebook",
        }
    }
}

/// A record as the inbox keeps it.
#[derive(Debug, Clone, Serialize)]
pub struct Stored {
    /// When the inbox first received it (RFC 3339, the inbox's clock).
    pub received_at: String,
    /// The verification result.
    pub verification: String,
    /// What differs, for `mismatch`.
    pub discrepancies: Vec<Discrepancy>,
    /// The challenger's result checked the same way, when the record
    /// carries one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shadow_verification: Option<String>,
    /// The record as posted.
    pub record: serde_json::Value,
}

/// A record checked against the rulebooks the inbox knows.
#[derive(Debug, Clone)]
pub struct Checks {
    /// The record's own result.
    pub verification: Verification,
    /// What differs, for `mismatch`.
    pub discrepancies: Vec<Discrepancy>,
    /// The challenger's result checked the same way, when the record
    /// carries one (champion/challenger).
    pub shadow: Option<Verification>,
}

/// What publishing a rulebook did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Published {
    /// A new version.
    New,
    /// This version was already published with this content.
    Again,
    /// This version was published with other content (its sha256).
    Conflict(String),
    /// The inbox holds as many versions as it keeps; this one is not taken.
    Full,
}

/// The store.
pub struct Store {
    db: Connection,
}

/// Copies the inbox database at `db` into the new file `dest` with SQLite's
/// `VACUUM INTO`: one consistent snapshot read in a single transaction, so
/// it is safe while the inbox runs and writes (a plain file copy of a WAL
/// database is not). The copy is then opened and checked
/// (`PRAGMA integrity_check`). Returns the number of records copied.
///
/// `dest` is created first, empty, readable by its owner only (the copy
/// holds personal data), and never when it exists; a copy that fails is
/// removed, so the name can be used again.
pub fn backup(db: &Path, dest: &Path) -> Result<u64, String> {
    use std::os::unix::fs::OpenOptionsExt;
    let to = dest
        .to_str()
        .ok_or_else(|| format!("{} is not UTF-8", dest.display()))?;
    if to.starts_with("file:") {
        return Err(format!("{to}: name a file path, not a SQLite URI"));
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(dest)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => format!(
                "{} exists: a backup never overwrites a file; name a new one",
                dest.display()
            ),
            _ => format!("cannot create {}: {e}", dest.display()),
        })?;
    copy_checked(db, dest, to).inspect_err(|_| {
        let _ = std::fs::remove_file(dest);
    })
}

fn copy_checked(db: &Path, dest: &Path, to: &str) -> Result<u64, String> {
    use rusqlite::OpenFlags;
    let source = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| format!("cannot open {}: {e}", db.display()))?;
    source
        .busy_timeout(std::time::Duration::from_secs(30))
        .map_err(|e| e.to_string())?;
    source
        .execute("VACUUM INTO ?1", [to])
        .map_err(|e| format!("cannot back up {} to {}: {e}", db.display(), dest.display()))?;
    let copy = Connection::open_with_flags(dest, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| format!("cannot open the backup {}: {e}", dest.display()))?;
    let check: String = copy
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if check != "ok" {
        return Err(format!(
            "the backup {} fails its integrity check: {check}",
            dest.display()
        ));
    }
    let records: i64 = copy
        .query_row("SELECT COUNT(*) FROM records", [], |r| r.get(0))
        .map_err(|e| format!("the backup {} has no records table: {e}", dest.display()))?;
    Ok(u64::try_from(records).unwrap_or_default())
}

impl Store {
    /// The pragmas that make an acknowledgement mean "on disk", read back
    /// from the database.
    #[cfg(test)]
    fn durability(&self) -> rusqlite::Result<(String, i64, i64)> {
        let mode: String = self.db.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        let sync: i64 = self.db.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
        let busy: i64 = self.db.query_row("PRAGMA busy_timeout", [], |r| r.get(0))?;
        Ok((mode, sync, busy))
    }

    /// Opens (and on first use creates) the database at `path`.
    pub fn open(path: &Path) -> rusqlite::Result<Store> {
        let db = Connection::open(path)?;
        db.execute_batch(
            "PRAGMA journal_mode = WAL;
             -- FULL: a record is on disk before the inbox acknowledges it,
             -- so it survives a power cut as well as a killed process.
             PRAGMA synchronous = FULL;
             -- Another process writing (a backup, a second inbox on the
             -- same file) makes a write wait, not fail.
             PRAGMA busy_timeout = 5000;
             CREATE TABLE IF NOT EXISTS records (
                 submission_id TEXT PRIMARY KEY,
                 received_at TEXT NOT NULL,
                 rulebook_id TEXT NOT NULL,
                 rulebook_version TEXT NOT NULL,
                 rulebook_sha256 TEXT NOT NULL,
                 channel TEXT NOT NULL,
                 status TEXT NOT NULL,
                 grade TEXT NOT NULL,
                 total INTEGER NOT NULL,
                 verification TEXT NOT NULL,
                 discrepancies TEXT NOT NULL,
                 record TEXT NOT NULL
             );
             CREATE INDEX IF NOT EXISTS records_received ON records (received_at);
             CREATE TABLE IF NOT EXISTS feedback (
                 feedback_id TEXT PRIMARY KEY,
                 received_at TEXT NOT NULL,
                 submitted_at TEXT NOT NULL,
                 submission_id TEXT NOT NULL,
                 rulebook_id TEXT NOT NULL,
                 rulebook_version TEXT NOT NULL,
                 grade TEXT NOT NULL,
                 verdict TEXT NOT NULL,
                 reason_id TEXT,
                 reason_label TEXT,
                 feedback TEXT NOT NULL
             );
             CREATE INDEX IF NOT EXISTS feedback_lead ON feedback (submission_id);
             -- What happened to leads later (docs/outcomes.md). The same
             -- row imported twice is kept once.
             CREATE TABLE IF NOT EXISTS outcomes (
                 submission_id TEXT NOT NULL,
                 stage TEXT NOT NULL,
                 amount REAL,
                 at TEXT,
                 received_at TEXT NOT NULL
             );
             -- Destinations that refused a record, as browsers reported
             -- (docs/embedding.md, Report endpoint); destination -1: the
             -- rulebook could not be used (a capture-only form's record).
             CREATE TABLE IF NOT EXISTS failures (
                 submission_id TEXT NOT NULL,
                 destination INTEGER NOT NULL,
                 url TEXT NOT NULL,
                 status INTEGER NOT NULL,
                 reason TEXT NOT NULL,
                 received_at TEXT NOT NULL,
                 PRIMARY KEY (submission_id, destination)
             );
             -- Rulebooks published to the inbox (docs/studio.md): a
             -- version, once published, keeps its content.
             CREATE TABLE IF NOT EXISTS rulebooks (
                 id TEXT NOT NULL,
                 version TEXT NOT NULL,
                 sha256 TEXT NOT NULL,
                 text TEXT NOT NULL,
                 published_at TEXT NOT NULL,
                 PRIMARY KEY (id, version)
             );
             CREATE UNIQUE INDEX IF NOT EXISTS outcomes_row
                 ON outcomes (submission_id, stage, IFNULL(amount, ''), IFNULL(at, ''));",
        )?;
        // Added after the first release: a database made before has no
        // such column yet.
        let has_column = db
            .prepare("SELECT 1 FROM pragma_table_info('records') WHERE name = 'by_sales'")?
            .exists([])?;
        if !has_column {
            db.execute_batch(
                "-- 1 when the record came with a feedback or read token (a
                 -- console call): only those count as sales' touch of a lead.
                 ALTER TABLE records ADD COLUMN by_sales INTEGER NOT NULL DEFAULT 0;",
            )?;
        }
        let has_shadow = db
            .prepare(
                "SELECT 1 FROM pragma_table_info('records') WHERE name = 'shadow_verification'",
            )?
            .exists([])?;
        if !has_shadow {
            db.execute_batch(
                "-- The challenger's result checked like the record's own
                 -- (verified, mismatch, unknown_rulebook); NULL without one.
                 ALTER TABLE records ADD COLUMN shadow_verification TEXT;",
            )?;
        }
        Ok(Store { db })
    }

    /// Keeps a published rulebook. A version already published with the
    /// same content is `Published::Again`; with other content it is
    /// `Published::Conflict` (a version, once published, never changes);
    /// beyond `most` versions, `Published::Full`.
    pub fn publish_rulebook(
        &self,
        reference: &accord_core::RulebookRef,
        text: &str,
        at: &str,
        most: u64,
    ) -> rusqlite::Result<Published> {
        let known: Option<String> = self
            .db
            .query_row(
                "SELECT sha256 FROM rulebooks WHERE id = ?1 AND version = ?2",
                (&reference.id, &reference.version),
                |r| r.get(0),
            )
            .optional()?;
        Ok(match known {
            Some(sha) if sha == reference.sha256 => Published::Again,
            Some(sha) => Published::Conflict(sha),
            None if self
                .db
                .query_row("SELECT COUNT(*) FROM rulebooks", [], |r| r.get::<_, i64>(0))?
                >= i64::try_from(most).unwrap_or(i64::MAX) =>
            {
                Published::Full
            }
            None => {
                self.db.execute(
                    "INSERT INTO rulebooks (id, version, sha256, text, published_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    (&reference.id, &reference.version, &reference.sha256, text, at),
                )?;
                Published::New
            }
        })
    }

    /// Every published rulebook's text with when it was published, oldest
    /// first.
    pub fn published_rulebooks(&self) -> rusqlite::Result<Vec<(String, String)>> {
        let mut query = self.db.prepare(
            "SELECT text, published_at FROM rulebooks ORDER BY published_at, id, version",
        )?;
        let rows = query.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    }

    /// Stores a record unless one with the same submission id is there.
    /// `Ok(true)` when it is new. The row is on disk when this returns.
    pub fn insert(
        &self,
        record: &LeadRecord,
        raw: &str,
        received_at: &str,
        checks: &Checks,
        by_sales: bool,
    ) -> rusqlite::Result<bool> {
        let Checks {
            verification,
            discrepancies,
            shadow,
        } = checks;
        let q = &record.qualification;
        let changed = self.db.execute(
            "INSERT OR IGNORE INTO records (submission_id, received_at, rulebook_id,
                 rulebook_version, rulebook_sha256, channel, status, grade, total,
                 verification, discrepancies, record, by_sales, shadow_verification)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                record.submission_id,
                received_at,
                record.rulebook.id,
                record.rulebook.version,
                record.rulebook.sha256,
                serde_json::to_value(record.channel)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned)),
                serde_json::to_value(q.status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned)),
                q.grade,
                q.scores.get("total").copied().unwrap_or(0),
                verification.as_str(),
                serde_json::to_string(discrepancies).unwrap_or_else(|_| "[]".into()),
                raw,
                by_sales,
                shadow.map(Verification::as_str),
            ],
        )?;
        Ok(changed == 1)
    }

    /// The body a record was first stored with, if it is stored.
    pub fn raw_of(&self, submission_id: &str) -> rusqlite::Result<Option<String>> {
        self.db
            .query_row(
                "SELECT record FROM records WHERE submission_id = ?1",
                [submission_id],
                |r| r.get(0),
            )
            .optional()
    }

    /// The verification of an already stored record.
    pub fn verification_of(&self, submission_id: &str) -> rusqlite::Result<Option<String>> {
        self.db
            .query_row(
                "SELECT verification FROM records WHERE submission_id = ?1",
                [submission_id],
                |r| r.get(0),
            )
            .optional()
    }

    /// Streams every record as CSV rows, newest first, from a read-only
    /// connection of its own: writers go on while it runs (WAL), and memory
    /// holds one chunk of rows at a time. `send` gets the text in chunks and
    /// answers `false` to stop (the client went away).
    pub fn export_csv(path: &Path, mut send: impl FnMut(String) -> bool) -> rusqlite::Result<()> {
        let db = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        db.busy_timeout(std::time::Duration::from_secs(5))?;
        let mut chunk = String::new();
        push_csv_row(&mut chunk, CSV_HEADER);
        let mut stmt = db.prepare(
            "SELECT received_at, verification, record FROM records
             ORDER BY received_at DESC, rowid DESC",
        )?;
        let mut rows = stmt.query([])?;
        let mut in_chunk = 0;
        while let Some(row) = rows.next()? {
            let received_at: String = row.get(0)?;
            let verification: String = row.get(1)?;
            let text: String = row.get(2)?;
            let record = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
            push_csv_record(&mut chunk, &received_at, &verification, &record);
            in_chunk += 1;
            if in_chunk == 500 {
                if !send(std::mem::take(&mut chunk)) {
                    return Ok(());
                }
                in_chunk = 0;
            }
        }
        if !chunk.is_empty() {
            send(chunk);
        }
        Ok(())
    }

    /// What the report reads: the verified leads (with their source), all
    /// feedback in the order received, and how many records did not verify.
    pub fn report_rows(&self) -> rusqlite::Result<report::Rows> {
        let mut stmt = self.db.prepare(
            "SELECT submission_id, received_at, rulebook_id, rulebook_version, grade, record,
                    shadow_verification
             FROM records WHERE verification = ?1
               -- A call that follows a lead up is that lead's touch, not a
               -- new lead.
               AND json_type(record, '$.call.follows_up') IS NOT 'text'",
        )?;
        let leads = stmt
            .query_map([Verification::Verified.as_str()], |r| {
                let record: String = r.get(5)?;
                let value = serde_json::from_str(&record).unwrap_or(serde_json::Value::Null);
                let shadow_verified = r.get::<_, Option<String>>(6)?.as_deref()
                    == Some(Verification::Verified.as_str());
                let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
                Ok(report::LeadRow {
                    submission_id: r.get(0)?,
                    received_at: r.get(1)?,
                    rulebook_id: r.get(2)?,
                    rulebook_version: r.get(3)?,
                    grade: r.get(4)?,
                    source: report::Source::of(&value),
                    // Only a challenger's result that verified is compared.
                    shadow: shadow_verified.then(|| report::ShadowRow {
                        rulebook_id: text(&value["shadow"]["rulebook"]["id"]),
                        rulebook_version: text(&value["shadow"]["rulebook"]["version"]),
                        grade: text(&value["shadow"]["grade"]),
                    }),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // Verdicts and imported outcomes, each in the order received; the
        // report merges them by the time the inbox received them.
        let mut stmt = self.db.prepare(
            "SELECT submission_id, verdict, received_at, reason_label FROM feedback ORDER BY rowid",
        )?;
        let mut events = stmt
            .query_map([], |r| {
                Ok(report::StageRow {
                    submission_id: r.get(0)?,
                    stage: stage_of(&r.get::<_, String>(1)?),
                    amount: None,
                    received_at: r.get(2)?,
                    touch: true,
                    reason: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = self.db.prepare(
            "SELECT submission_id, stage, amount, received_at FROM outcomes ORDER BY rowid",
        )?;
        let outcomes = stmt.query_map([], |r| {
            Ok(report::StageRow {
                submission_id: r.get(0)?,
                stage: stage_of(&r.get::<_, String>(1)?),
                amount: r.get(2)?,
                received_at: r.get(3)?,
                touch: false,
                reason: None,
            })
        })?;
        for row in outcomes {
            events.push(row?);
        }
        // Calls that follow a lead up, posted by the console with a sales
        // token: sales' touch of that lead.
        let mut stmt = self.db.prepare(
            "SELECT lower(json_extract(record, '$.call.follows_up')), received_at FROM records
             WHERE channel = 'call' AND by_sales = 1
               AND json_type(record, '$.call.follows_up') = 'text'
             ORDER BY rowid",
        )?;
        let calls = stmt.query_map([], |r| {
            Ok(report::StageRow {
                submission_id: r.get(0)?,
                stage: None,
                amount: None,
                received_at: r.get(1)?,
                touch: true,
                reason: None,
            })
        })?;
        for row in calls {
            events.push(row?);
        }
        // Stable: rows received at the same instant keep their order.
        events.sort_by(|a, b| a.received_at.cmp(&b.received_at));
        let unverified: i64 = self.db.query_row(
            "SELECT COUNT(*) FROM records WHERE verification != ?1",
            [Verification::Verified.as_str()],
            |r| r.get(0),
        )?;
        Ok(report::Rows {
            leads,
            events,
            unverified: u64::try_from(unverified).unwrap_or(0),
        })
    }

    /// The newest records first, at most `limit`.
    pub fn list(&self, limit: u32) -> rusqlite::Result<Vec<Stored>> {
        let mut stmt = self.db.prepare(
            "SELECT received_at, verification, discrepancies, record, shadow_verification
             FROM records ORDER BY received_at DESC, rowid DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |r| {
            let discrepancies: String = r.get(2)?;
            let record: String = r.get(3)?;
            Ok(Stored {
                received_at: r.get(0)?,
                verification: r.get(1)?,
                discrepancies: serde_json::from_str::<Vec<DiscrepancyRow>>(&discrepancies)
                    .unwrap_or_default()
                    .into_iter()
                    .map(DiscrepancyRow::into_discrepancy)
                    .collect(),
                shadow_verification: r.get(4)?,
                record: serde_json::from_str(&record).unwrap_or(serde_json::Value::Null),
            })
        })?;
        rows.collect()
    }

    /// How many records are stored.
    pub fn count(&self) -> rusqlite::Result<u64> {
        let n: i64 = self
            .db
            .query_row("SELECT COUNT(*) FROM records", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

impl Store {
    /// Stores a failure report unless one for the same record and
    /// destination is there; `Ok(true)` when it is new.
    pub fn insert_failure(
        &self,
        failure: &super::ingest::FailureReport,
        received_at: &str,
    ) -> rusqlite::Result<bool> {
        let changed = self.db.execute(
            "INSERT OR IGNORE INTO failures VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                failure.submission_id,
                // -1: the rulebook, not a destination, failed.
                failure
                    .destination
                    .map_or(-1, |d| i64::try_from(d).unwrap_or(i64::MAX)),
                failure.url,
                failure.status,
                failure.reason,
                received_at,
            ],
        )?;
        Ok(changed == 1)
    }

    /// Failure reports, newest first, at most `limit`.
    pub fn list_failures(&self, limit: u32) -> rusqlite::Result<Vec<serde_json::Value>> {
        let mut stmt = self.db.prepare(
            "SELECT submission_id, destination, url, status, reason, received_at FROM failures
             ORDER BY rowid DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |r| {
            let destination = r.get::<_, i64>(1)?;
            Ok(serde_json::json!({
                "submission_id": r.get::<_, String>(0)?,
                "failed": if destination < 0 { "rulebook" } else { "delivery" },
                "destination": (destination >= 0).then_some(destination),
                "url": r.get::<_, String>(2)?,
                "status": r.get::<_, i64>(3)?,
                "reason": r.get::<_, String>(4)?,
                "received_at": r.get::<_, String>(5)?,
            }))
        })?;
        rows.collect()
    }
}

/// What importing outcome rows did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// Rows stored now.
    pub imported: u64,
    /// Rows that were already stored (the same file imported again).
    pub duplicates: u64,
    /// Rows skipped, by line: unreadable, or for a lead this inbox does
    /// not hold (the first of them; `skipped_total` counts all).
    pub skipped: Vec<LineProblem>,
    /// How many rows were skipped.
    pub skipped_total: u64,
}

impl Store {
    /// Stores outcome rows in one transaction, skipping rows for leads
    /// this inbox does not hold (reported by line, like unreadable rows).
    pub fn import_outcomes(
        &self,
        file: OutcomesFile,
        received_at: &str,
    ) -> rusqlite::Result<Imported> {
        let mut done = Imported {
            skipped: file.problems,
            skipped_total: file.skipped,
            ..Imported::default()
        };
        let tx = self.db.unchecked_transaction()?;
        {
            let mut known = tx.prepare("SELECT 1 FROM records WHERE submission_id = ?1")?;
            let mut insert = tx.prepare(
                "INSERT OR IGNORE INTO outcomes (submission_id, stage, amount, at, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (line, row) in file.rows {
                if !known.exists([&row.submission_id])? {
                    done.skipped_total += 1;
                    if done.skipped.len() >= accord_core::KEPT_PROBLEMS {
                        continue;
                    }
                    done.skipped.push(LineProblem {
                        line,
                        error: format!(
                            "no lead with submission_id {} is stored in this inbox",
                            row.submission_id
                        ),
                    });
                    continue;
                }
                let changed = insert.execute(params![
                    row.submission_id,
                    row.stage.name(),
                    row.amount,
                    row.at,
                    received_at,
                ])?;
                if changed == 1 {
                    done.imported += 1;
                } else {
                    done.duplicates += 1;
                }
            }
        }
        tx.commit()?;
        done.skipped.sort_by_key(|p| p.line);
        Ok(done)
    }
}

/// Sales' latest verdict on the leads of one rulebook version and grade.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct GradeSummary {
    /// The rulebook id.
    pub rulebook_id: String,
    /// The rulebook version.
    pub rulebook_version: String,
    /// The grade the leads were sent with.
    pub grade: String,
    /// Lead records the inbox holds for this grade that verified against
    /// their rulebook.
    pub leads: u64,
    /// Records that claim this grade but did not verify (a mismatch, or a
    /// rulebook the inbox does not know): held and flagged, never counted
    /// as leads of the grade, and their feedback is not counted either.
    pub unverified: u64,
    /// Leads whose latest feedback accepts them.
    pub accepted: u64,
    /// Leads whose latest feedback rejects them.
    pub rejected: u64,
    /// Rejections by reason label, most frequent first.
    pub reasons: Vec<(String, u64)>,
}

impl Store {
    /// Stores feedback unless the same feedback id is there; `Ok(true)`
    /// when it is new.
    pub fn insert_feedback(
        &self,
        feedback: &FeedbackRecord,
        raw: &str,
        received_at: &str,
    ) -> rusqlite::Result<bool> {
        let changed = self.db.execute(
            "INSERT OR IGNORE INTO feedback VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                feedback.feedback_id,
                received_at,
                feedback.submitted_at,
                feedback.submission_id,
                feedback.rulebook.id,
                feedback.rulebook.version,
                feedback.grade,
                verdict_text(feedback.verdict),
                feedback.reason.as_ref().map(|r| r.id.clone()),
                feedback.reason.as_ref().map(|r| r.label.clone()),
                raw,
            ],
        )?;
        Ok(changed == 1)
    }

    /// All feedback, newest first, at most `limit`.
    pub fn list_feedback(&self, limit: u32) -> rusqlite::Result<Vec<serde_json::Value>> {
        let mut stmt = self
            .db
            .prepare("SELECT received_at, feedback FROM feedback ORDER BY rowid DESC LIMIT ?1")?;
        let rows = stmt.query_map([limit], |r| {
            let received_at: String = r.get(0)?;
            let text: String = r.get(1)?;
            Ok(serde_json::json!({
                "received_at": received_at,
                "feedback": serde_json::from_str::<serde_json::Value>(&text).unwrap_or(serde_json::Value::Null),
            }))
        })?;
        rows.collect()
    }

    /// The latest verdict per lead: submission id → (verdict, reason label).
    /// "Latest" is the last the inbox received (rowid order), never the
    /// client's clock, which may be wrong or hostile.
    pub fn latest_verdicts(&self) -> rusqlite::Result<BTreeMap<String, (String, Option<String>)>> {
        let mut stmt = self
            .db
            .prepare("SELECT submission_id, verdict, reason_label FROM feedback ORDER BY rowid")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
        // Later rows overwrite earlier ones: the latest feedback counts.
        rows.collect()
    }

    /// Per rulebook version and grade: how many verified leads the inbox
    /// holds, and how many of them sales accepted or rejected (the latest
    /// feedback the inbox received per lead) and why. Records that did not
    /// verify are counted apart, with none of their feedback.
    pub fn summary(&self) -> rusqlite::Result<Vec<GradeSummary>> {
        type Key = (String, String, String);
        let mut groups: BTreeMap<Key, GradeSummary> = BTreeMap::new();
        let mut stmt = self.db.prepare(
            "SELECT rulebook_id, rulebook_version, grade, verification = ?1, COUNT(*)
             FROM records GROUP BY 1, 2, 3, 4",
        )?;
        let counts = stmt.query_map([Verification::Verified.as_str()], |r| {
            Ok((
                (r.get(0)?, r.get(1)?, r.get(2)?),
                r.get::<_, bool>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        for row in counts {
            let (key, verified, n): (Key, bool, i64) = row?;
            let n = u64::try_from(n).unwrap_or(0);
            let g = group(&mut groups, key);
            if verified {
                g.leads = n;
            } else {
                g.unverified = n;
            }
        }
        // Feedback counts under the stored lead's rulebook and grade, and
        // only for leads that verified.
        let mut stmt = self.db.prepare(
            "SELECT f.submission_id, r.rulebook_id, r.rulebook_version, r.grade, f.verdict,
                    f.reason_label
             FROM feedback f JOIN records r ON r.submission_id = f.submission_id
             WHERE r.verification = ?1
             ORDER BY f.rowid",
        )?;
        let rows = stmt.query_map([Verification::Verified.as_str()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (r.get(1)?, r.get(2)?, r.get(3)?),
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        let mut latest: BTreeMap<String, (Key, String, Option<String>)> = BTreeMap::new();
        for row in rows {
            let (lead, key, verdict, reason) = row?;
            latest.insert(lead, (key, verdict, reason));
        }
        let mut reasons: BTreeMap<Key, BTreeMap<String, u64>> = BTreeMap::new();
        for (key, verdict, reason) in latest.into_values() {
            let g = group(&mut groups, key.clone());
            if verdict == verdict_text(Verdict::Accepted) {
                g.accepted += 1;
            } else {
                g.rejected += 1;
                *reasons
                    .entry(key)
                    .or_default()
                    .entry(reason.unwrap_or_else(|| "(no reason)".into()))
                    .or_default() += 1;
            }
        }
        for (key, counts) in reasons {
            let mut list: Vec<(String, u64)> = counts.into_iter().collect();
            list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            group(&mut groups, key).reasons = list;
        }
        Ok(groups.into_values().collect())
    }
}

fn group(
    groups: &mut BTreeMap<(String, String, String), GradeSummary>,
    key: (String, String, String),
) -> &mut GradeSummary {
    groups.entry(key.clone()).or_insert_with(|| GradeSummary {
        rulebook_id: key.0,
        rulebook_version: key.1,
        grade: key.2,
        ..GradeSummary::default()
    })
}

/// A stored stage name, read back; only names from `Stage::NAMES` are
/// ever written, so the fallback is never reached.
fn stage_of(name: &str) -> Option<Stage> {
    Stage::from_name(name)
}

fn verdict_text(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Accepted => "accepted",
        Verdict::Rejected => "rejected",
    }
}

/// A stored discrepancy, read back.
#[derive(serde::Deserialize)]
struct DiscrepancyRow {
    what: String,
    recorded: String,
    recomputed: String,
}

impl DiscrepancyRow {
    fn into_discrepancy(self) -> Discrepancy {
        Discrepancy {
            what: self.what,
            recorded: self.recorded,
            recomputed: self.recomputed,
        }
    }
}

/// The columns of the CSV export.
const CSV_HEADER: [&str; 12] = [
    "received_at",
    "submission_id",
    "submitted_at",
    "channel",
    "rulebook_id",
    "rulebook_version",
    "status",
    "grade",
    "total",
    "route",
    "verification",
    "answers",
];

/// One record as a row of the CSV export (formula-safe: `push_csv_row`).
fn push_csv_record(out: &mut String, received_at: &str, verification: &str, r: &serde_json::Value) {
    let q = &r["qualification"];
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    push_csv_row(
        out,
        [
            received_at.to_owned(),
            text(&r["submission_id"]),
            text(&r["submitted_at"]),
            text(&r["channel"]),
            text(&r["rulebook"]["id"]),
            text(&r["rulebook"]["version"]),
            text(&q["status"]),
            text(&q["grade"]),
            q["scores"]["total"].as_i64().unwrap_or(0).to_string(),
            text(&q["route"]["team"]),
            verification.to_owned(),
            r["answers"].to_string(),
        ],
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_acknowledged_write_is_on_disk_and_a_second_writer_waits() {
        let dir = std::env::temp_dir().join(format!("accord-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open(&dir.join("inbox.sqlite")).unwrap();
        // synchronous = FULL is 2.
        assert_eq!(store.durability().unwrap(), ("wal".to_owned(), 2, 5000));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_database_from_before_the_by_sales_column_is_upgraded() {
        let dir = std::env::temp_dir().join(format!("accord-store-old-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("old.sqlite");
        let _ = std::fs::remove_file(&path);
        Connection::open(&path)
            .unwrap()
            .execute_batch(
                "CREATE TABLE records (submission_id TEXT PRIMARY KEY, received_at TEXT NOT NULL,
                 rulebook_id TEXT NOT NULL, rulebook_version TEXT NOT NULL,
                 rulebook_sha256 TEXT NOT NULL, channel TEXT NOT NULL, status TEXT NOT NULL,
                 grade TEXT NOT NULL, total INTEGER NOT NULL, verification TEXT NOT NULL,
                 discrepancies TEXT NOT NULL, record TEXT NOT NULL);
                 INSERT INTO records VALUES ('a', 't', 'r', '1', 'h', 'call', 'qualified', 'g', 0,
                 'verified', '[]', '{}');",
            )
            .unwrap();
        let store = Store::open(&path).unwrap();
        let by_sales: i64 = store
            .db
            .query_row("SELECT by_sales FROM records", [], |r| r.get(0))
            .unwrap();
        assert_eq!(by_sales, 0, "old records are not sales' touches");
        drop(store);
        Store::open(&path).expect("opens again once upgraded");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
