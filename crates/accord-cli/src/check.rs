//! `accord check RULEBOOK [--agreed]`: validate and report every error,
//! and whether each sign-off still covers the rules.

use crate::cli::CheckArgs;
use crate::error::CliError;
use crate::load::read_text;
use crate::terminal::Terminal;
use accord_core::{
    agreement_sha256, is_agreed, published_state, sign_offs, PublishedState, Rulebook, SignOffState,
};
use serde_json::{json, Value};
use std::io::Write;

/// Runs the check; `Ok(true)` when the rulebook has errors (or, with
/// `--agreed`, is not agreed).
pub fn run(check: &CheckArgs) -> Result<bool, CliError> {
    let args = &check.rulebook;
    let text = read_text(&args.rulebook)?;
    let name = args.rulebook.display();
    // Everything printed may quote the rulebook or the records.
    let mut out = Terminal(std::io::stdout().lock());
    match Rulebook::from_json(&text) {
        Ok(rulebook) => {
            let doc = rulebook.doc();
            let r = rulebook.reference();
            // It parsed as a rulebook, so it parses as JSON.
            let value: Value = serde_json::from_str(&text).unwrap_or_default();
            let agreement = agreement_sha256(&value);
            let signed = sign_offs(doc, &agreement);
            let agreed = is_agreed(&signed);
            let published = published_state(&value);
            if args.json {
                let published = match published {
                    PublishedState::Current => "current",
                    PublishedState::Unpublished => "unpublished",
                    PublishedState::Stale => "stale",
                };
                let report = json!({"valid": true, "rulebook": r, "errors": [],
                    "agreement_sha256": agreement, "sign_offs": signed, "agreed": agreed,
                    "published": published});
                writeln!(out, "{report}")?;
            } else {
                let criteria: usize = doc.scores.iter().map(|s| s.criteria.len()).sum();
                writeln!(
                    out,
                    "ok: {name}: {} {} ({} fields, {} criteria, {} knockouts, {} grades, {} routes, {} fixtures)\n    sha256 {}",
                    r.id, r.version, doc.fields.len(), criteria, doc.knockouts.len(),
                    doc.grades.len(), doc.routes.len(), doc.fixtures.len(), r.sha256
                )?;
                let published = match published {
                    PublishedState::Current => "published: the widget reads this file",
                    PublishedState::Unpublished => "not published: the widget reads it once `accord publish` has stamped it",
                    PublishedState::Stale => "STALE stamp: it changed after it was published, so the widget refuses it; `accord publish` stamps it again",
                };
                writeln!(out, "    {published}")?;
                for (i, s) in signed.iter().enumerate() {
                    let a = &s.agreement;
                    let date = a
                        .date
                        .as_deref()
                        .map(|d| format!(" on {d}"))
                        .unwrap_or_default();
                    let why = match s.state {
                        SignOffState::Current => "covers these rules",
                        SignOffState::Stale => {
                            "STALE: the rules changed after this sign-off; sign again"
                        }
                        SignOffState::Unbound => {
                            "not bound to any rules (no sha256); sign in the studio to bind it"
                        }
                    };
                    writeln!(
                        out,
                        "    agreed_by[{i}] {} ({}){date}: {why}",
                        a.name, a.team
                    )?;
                }
                if check.agreed && !agreed {
                    writeln!(
                        out,
                        "not agreed: {}",
                        if signed.is_empty() {
                            "nobody has signed off"
                        } else {
                            "every sign-off must cover these rules"
                        }
                    )?;
                }
            }
            Ok(check.agreed && !agreed)
        }
        Err(errors) => {
            if args.json {
                let list: Vec<_> = errors
                    .errors()
                    .iter()
                    .map(|e| json!({"path": e.path, "id": e.id, "code": e.kind.code(), "message": e.kind.to_string()}))
                    .collect();
                writeln!(out, "{}", json!({"valid": false, "errors": list}))?;
            } else {
                let n = errors.errors().len();
                writeln!(out, "{name}: {n} error{}", if n == 1 { "" } else { "s" })?;
                for e in errors.errors() {
                    writeln!(out, "  {e}")?;
                }
            }
            Ok(true)
        }
    }
}
