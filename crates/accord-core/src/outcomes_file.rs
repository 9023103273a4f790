//! The outcomes file (`docs/outcomes.md`): what happened to each lead
//! later, as a CRM exports it, joined to the lead by `submission_id`.
//!
//! A row names a lead, a [`Stage`] (`accepted`, `rejected`, `opportunity`,
//! `won`, `lost`), and optionally an `amount` and the time `at` it
//! happened. Files come as CSV (a header row names the columns; other
//! columns are ignored, so a CRM export can be used as it is) or as JSON
//! Lines. This module reads one row at a time, so a caller reports a bad
//! row by its line and goes on; splitting a CSV file into cells is the
//! caller's (the CLI uses the `csv` crate). [`LeadFate`] folds a lead's
//! rows, with sales' verdicts, into where the lead got to.

use crate::destination::rfc3339_to_ms;
use crate::model::{quoted_names, Stage};
use crate::record::is_uuid_v4;
use serde::Serialize;

/// The largest amount accepted: beyond it, sums lose cents in an `f64`.
pub const MAX_AMOUNT: f64 = 1e13;

/// One row of an outcomes file, checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeRow {
    /// The lead, in lower case.
    pub submission_id: String,
    /// What happened.
    pub stage: Stage,
    /// The deal's amount, in the team's currency, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    /// When it happened (RFC 3339), if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

impl OutcomeRow {
    /// Checks the four values of a row, as text (a JSON number's text for
    /// the amount). Empty optional values count as absent.
    fn read(
        submission_id: &str,
        stage: &str,
        amount: Option<&str>,
        at: Option<&str>,
    ) -> Result<OutcomeRow, String> {
        let id = submission_id.trim().to_ascii_lowercase();
        if id.is_empty() {
            return Err("submission_id is empty".into());
        }
        if !is_uuid_v4(&id) {
            return Err(format!(
                "submission_id {:?} is not a UUID v4 (the id a lead record carries)",
                clip(&id)
            ));
        }
        let stage_name = stage.trim().to_ascii_lowercase();
        let stage = Stage::from_name(&stage_name).ok_or_else(|| {
            format!(
                "stage {:?} is not one of {}",
                clip(stage.trim()),
                quoted_names(Stage::NAMES)
            )
        })?;
        let amount = match amount.map(str::trim).filter(|a| !a.is_empty()) {
            None => None,
            Some(text) => Some(read_amount(text)?),
        };
        let at = match at.map(str::trim).filter(|a| !a.is_empty()) {
            None => None,
            Some(text) if rfc3339_to_ms(text).is_some() => Some(text.to_owned()),
            Some(text) => {
                return Err(format!(
                    "at {:?} is not an RFC 3339 time such as 2026-11-30T09:00:00Z",
                    clip(text)
                ))
            }
        };
        Ok(OutcomeRow {
            submission_id: id,
            stage,
            amount,
            at,
        })
    }

    /// Reads one line of a JSON Lines outcomes file: an object with
    /// `submission_id`, `stage`, and optionally `amount` (a number) and
    /// `at`. Other keys are ignored.
    pub fn from_json_line(line: &str) -> Result<OutcomeRow, String> {
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
        let object = value
            .as_object()
            .ok_or("expected an object with submission_id and stage")?;
        let text = |key: &str, required: bool| -> Result<Option<String>, String> {
            match object.get(key) {
                None | Some(serde_json::Value::Null) if !required => Ok(None),
                None | Some(serde_json::Value::Null) => Err(format!("{key} is missing")),
                Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
                Some(serde_json::Value::Number(n)) if key == "amount" => Ok(Some(n.to_string())),
                Some(_) if key == "amount" => Err("amount must be a number".into()),
                Some(_) => Err(format!("{key} must be a string")),
            }
        };
        if let Some(serde_json::Value::String(_)) = object.get("amount") {
            return Err("amount must be a number, not text".into());
        }
        OutcomeRow::read(
            &text("submission_id", true)?.unwrap_or_default(),
            &text("stage", true)?.unwrap_or_default(),
            text("amount", false)?.as_deref(),
            text("at", false)?.as_deref(),
        )
    }
}

/// Where the columns of a CSV outcomes file are, from its header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutcomeColumns {
    submission_id: usize,
    stage: usize,
    amount: Option<usize>,
    at: Option<usize>,
}

impl OutcomeColumns {
    /// Finds the columns by name (trimmed, any case). `submission_id` and
    /// `stage` are required; other columns are ignored.
    pub fn from_header<'a>(
        header: impl IntoIterator<Item = &'a str>,
    ) -> Result<OutcomeColumns, String> {
        let names: Vec<String> = header
            .into_iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
            .collect();
        let find = |name: &str| names.iter().position(|n| n == name);
        let required = |name: &str| {
            find(name).ok_or_else(|| {
                format!("the header row has no `{name}` column (needed: submission_id, stage; optional: amount, at)")
            })
        };
        Ok(OutcomeColumns {
            submission_id: required("submission_id")?,
            stage: required("stage")?,
            amount: find("amount"),
            at: find("at"),
        })
    }

    /// Reads one data row of the file.
    pub fn row(&self, cells: &[&str]) -> Result<OutcomeRow, String> {
        let cell = |i: usize| cells.get(i).copied();
        OutcomeRow::read(
            cell(self.submission_id).unwrap_or_default(),
            cell(self.stage).unwrap_or_default(),
            self.amount.and_then(cell),
            self.at.and_then(cell),
        )
    }
}

/// An amount: digits with an optional decimal point and fraction, not
/// negative. No thousands separators or currency signs, which mean
/// different things in different locales.
fn read_amount(text: &str) -> Result<f64, String> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let plain = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && !(text.contains('.') && fraction.is_empty());
    let value: Option<f64> = plain.then(|| text.parse().ok()).flatten();
    match value {
        Some(v) if v <= MAX_AMOUNT => Ok(v),
        Some(_) => Err(format!("amount {text} is larger than {MAX_AMOUNT}")),
        None => Err(format!(
            "amount {:?} is not a plain number such as 12500 or 12500.50 (no currency sign, no thousands separator)",
            clip(text)
        )),
    }
}

/// At most 60 characters of an untrusted value, for an error message.
fn clip(text: &str) -> String {
    text.chars().take(60).collect()
}

/// Where a lead got to, from its outcome rows and sales' verdicts, taken
/// in the order they were received (later rows override earlier ones).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct LeadFate {
    /// The latest of `accepted` / `rejected`; a lead that reached
    /// `opportunity`, `won` or `lost` without one counts as accepted.
    pub verdict: Option<Stage>,
    /// It reached `opportunity`, `won` or `lost`.
    pub opportunity: bool,
    /// The latest of `won` / `lost`.
    pub closed: Option<Stage>,
    /// The amount of the latest `won` row that has one, when the deal
    /// stands won.
    pub won_amount: Option<f64>,
}

impl LeadFate {
    /// Takes the next stage the lead reached, in the order received.
    pub fn push(&mut self, stage: Stage, amount: Option<f64>) {
        match stage {
            Stage::Accepted | Stage::Rejected => self.verdict = Some(stage),
            Stage::Opportunity => self.opportunity = true,
            Stage::Won | Stage::Lost => {
                self.opportunity = true;
                self.closed = Some(stage);
                if stage == Stage::Won && amount.is_some() {
                    self.won_amount = amount;
                }
            }
        }
    }

    /// Sales' verdict on the lead, counting an opportunity as acceptance.
    pub fn accepted(&self) -> Option<bool> {
        match self.verdict {
            Some(Stage::Accepted) => Some(true),
            Some(_) => Some(false),
            None if self.opportunity => Some(true),
            None => None,
        }
    }

    /// The deal stands won.
    pub fn won(&self) -> bool {
        self.closed == Some(Stage::Won)
    }

    /// The deal stands lost.
    pub fn lost(&self) -> bool {
        self.closed == Some(Stage::Lost)
    }

    /// The won amount, when the deal stands won.
    pub fn amount(&self) -> Option<f64> {
        self.won().then_some(self.won_amount).flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0b8a4a8e-4a0e-4c7e-9a43-2f1d6f0b7c11";

    #[test]
    fn csv_rows_are_read_by_column_name_and_checked() {
        let cols =
            OutcomeColumns::from_header(["\u{feff}Deal", "Stage", "submission_id", "AT", "amount"])
                .unwrap();
        let row = cols
            .row(&[
                "x",
                " Won ",
                &ID.to_ascii_uppercase(),
                "2026-11-30T09:00:00Z",
                "12500.50",
            ])
            .unwrap();
        assert_eq!(
            row,
            OutcomeRow {
                submission_id: ID.into(),
                stage: Stage::Won,
                amount: Some(12500.5),
                at: Some("2026-11-30T09:00:00Z".into()),
            }
        );
        assert_eq!(cols.row(&["", "lost", ID, "", ""]).unwrap().amount, None);
        let missing = OutcomeColumns::from_header(["submission_id", "status"]).unwrap_err();
        assert!(missing.contains("no `stage` column"), "{missing}");
    }

    #[test]
    fn bad_values_name_the_column_and_the_value() {
        let cols = OutcomeColumns::from_header(["submission_id", "stage", "amount", "at"]).unwrap();
        let err = |cells: [&str; 4]| cols.row(&cells).unwrap_err();
        assert!(err(["42", "won", "", ""]).starts_with("submission_id \"42\" is not a UUID v4"));
        assert!(err(["", "won", "", ""]).starts_with("submission_id is empty"));
        assert!(
            err([ID, "closed", "", ""]).starts_with("stage \"closed\" is not one of `accepted`")
        );
        for amount in ["1,200", "$5", "-3", "1e5", "5.", ".5", "NaN", "inf"] {
            assert!(
                err([ID, "won", amount, ""]).starts_with("amount"),
                "{amount}"
            );
        }
        assert!(err([ID, "won", "99999999999999", ""]).contains("larger than"));
        assert!(err([ID, "won", "", "yesterday"]).starts_with("at \"yesterday\""));
        // Short rows read missing cells as empty.
        assert!(cols.row(&[ID]).unwrap_err().starts_with("stage \"\""));
    }

    #[test]
    fn json_lines_are_read_and_checked() {
        let row = OutcomeRow::from_json_line(&format!(
            r#"{{"submission_id":"{ID}","stage":"opportunity","amount":900,"crm":"x"}}"#
        ))
        .unwrap();
        assert_eq!((row.stage, row.amount), (Stage::Opportunity, Some(900.0)));
        for (line, starts) in [
            ("[]", "expected an object"),
            ("{", "not JSON"),
            (r#"{"stage":"won"}"#, "submission_id is missing"),
            (
                &format!(r#"{{"submission_id":"{ID}","stage":"won","amount":"900"}}"#),
                "amount must be a number",
            ),
            (
                &format!(r#"{{"submission_id":"{ID}","stage":"won","amount":-1}}"#),
                "amount \"-1\"",
            ),
            (
                &format!(r#"{{"submission_id":"{ID}","stage":3}}"#),
                "stage must be a string",
            ),
        ] {
            let e = OutcomeRow::from_json_line(line).unwrap_err();
            assert!(e.starts_with(starts), "{line}: {e}");
        }
    }

    #[test]
    fn a_fate_follows_the_latest_rows() {
        let mut fate = LeadFate::default();
        assert_eq!(fate.accepted(), None);
        fate.push(Stage::Opportunity, Some(100.0));
        assert_eq!(
            fate.accepted(),
            Some(true),
            "an opportunity implies acceptance"
        );
        fate.push(Stage::Won, Some(5000.0));
        fate.push(Stage::Won, None);
        assert_eq!(
            fate.amount(),
            Some(5000.0),
            "a later row without an amount keeps it"
        );
        fate.push(Stage::Lost, None);
        assert!(fate.lost() && !fate.won());
        assert_eq!(fate.amount(), None);
        fate.push(Stage::Rejected, None);
        assert_eq!(fate.accepted(), Some(false));
        assert!(fate.opportunity);
    }
}
