//! `accord define RULEBOOK`: the written agreement, in plain sentences.

use crate::cli::RulebookArgs;
use crate::error::CliError;
use crate::load;
use crate::terminal::Terminal;
use accord_core::definitions;
use std::io::Write;

/// Prints the definitions; an invalid rulebook is an error (exit 2).
pub fn run(args: &RulebookArgs) -> Result<bool, CliError> {
    let rulebook = load::rulebook(&args.rulebook)?;
    let defined = definitions(&rulebook);
    // Everything printed quotes the rulebook.
    let mut out = Terminal(std::io::stdout().lock());
    if args.json {
        writeln!(out, "{}", serde_json::json!(defined))?;
    } else {
        let r = rulebook.reference();
        writeln!(out, "{} ({} {})", rulebook.doc().title, r.id, r.version)?;
        write!(out, "{}", defined.to_text())?;
    }
    Ok(false)
}
