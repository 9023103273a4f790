//! The inbox's SQLite store: one row per submission id.

use accord_core::{Discrepancy, LeadRecord};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
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
    /// The record as posted.
    pub record: serde_json::Value,
}

/// The store.
pub struct Store {
    db: Connection,
}

impl Store {
    /// Opens (and on first use creates) the database at `path`.
    pub fn open(path: &Path) -> rusqlite::Result<Store> {
        let db = Connection::open(path)?;
        db.execute_batch(
            "PRAGMA journal_mode = WAL;
             -- WAL + NORMAL: a commit survives the process being killed;
             -- only a power cut can lose the last few.
             PRAGMA synchronous = NORMAL;
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
             CREATE INDEX IF NOT EXISTS records_received ON records (received_at);",
        )?;
        Ok(Store { db })
    }

    /// Stores a record unless one with the same submission id is there.
    /// `Ok(true)` when it is new. The row is on disk when this returns.
    pub fn insert(
        &self,
        record: &LeadRecord,
        raw: &str,
        received_at: &str,
        verification: Verification,
        discrepancies: &[Discrepancy],
    ) -> rusqlite::Result<bool> {
        let q = &record.qualification;
        let changed = self.db.execute(
            "INSERT OR IGNORE INTO records VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                record.submission_id,
                received_at,
                record.rulebook.id,
                record.rulebook.version,
                record.rulebook.sha256,
                serde_json::to_value(record.channel).ok().and_then(|v| v.as_str().map(str::to_owned)),
                serde_json::to_value(q.status).ok().and_then(|v| v.as_str().map(str::to_owned)),
                q.grade,
                q.scores.get("total").copied().unwrap_or(0),
                verification.as_str(),
                serde_json::to_string(discrepancies).unwrap_or_else(|_| "[]".into()),
                raw,
            ],
        )?;
        Ok(changed == 1)
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

    /// The newest records first, at most `limit`.
    pub fn list(&self, limit: u32) -> rusqlite::Result<Vec<Stored>> {
        let mut stmt = self.db.prepare(
            "SELECT received_at, verification, discrepancies, record FROM records
             ORDER BY received_at DESC, rowid DESC LIMIT ?1",
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
