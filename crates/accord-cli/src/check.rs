//! `accord check RULEBOOK`: validate and report every error.

use crate::cli::RulebookArgs;
use crate::error::CliError;
use crate::load::read_text;
use crate::terminal::Terminal;
use accord_core::Rulebook;
use serde_json::json;
use std::io::Write;

/// Runs the check; `Ok(true)` when the rulebook has errors.
pub fn run(args: &RulebookArgs) -> Result<bool, CliError> {
    let text = read_text(&args.rulebook)?;
    let name = args.rulebook.display();
    // Everything printed may quote the rulebook or the records.
    let mut out = Terminal(std::io::stdout().lock());
    match Rulebook::from_json(&text) {
        Ok(rulebook) => {
            let doc = rulebook.doc();
            let r = rulebook.reference();
            if args.json {
                let report = json!({"valid": true, "rulebook": r, "errors": []});
                writeln!(out, "{report}")?;
            } else {
                let criteria: usize = doc.scores.iter().map(|s| s.criteria.len()).sum();
                writeln!(
                    out,
                    "ok: {name}: {} {} ({} fields, {} criteria, {} knockouts, {} grades, {} routes, {} fixtures)\n    sha256 {}",
                    r.id, r.version, doc.fields.len(), criteria, doc.knockouts.len(),
                    doc.grades.len(), doc.routes.len(), doc.fixtures.len(), r.sha256
                )?;
            }
            Ok(false)
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
