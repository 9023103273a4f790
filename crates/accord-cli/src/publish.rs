//! `accord publish RULEBOOK [--out FILE] [--agreed]`: check a rulebook,
//! run its fixtures, and write it stamped with its hash (`checked_sha256`),
//! the form the widget reads (`docs/rulebook.md`, "Publishing").

use crate::cli::PublishArgs;
use crate::error::CliError;
use crate::load::read_text;
use crate::terminal::Terminal;
use accord_core::{agreement_sha256, is_agreed, publish_text, sign_offs, Rulebook};
use std::io::Write;
use std::path::Path;

/// Publishes; `Ok(true)` when the rulebook was not published (invalid, a
/// fixture fails, or with `--agreed` it is not agreed), with why on
/// standard error.
pub fn run(args: &PublishArgs) -> Result<bool, CliError> {
    let text = read_text(&args.rulebook)?;
    let name = args.rulebook.display();
    let mut err = Terminal(std::io::stderr().lock());
    let published = match publish_text(&text) {
        Ok(published) => published,
        Err(errors) => {
            write!(err, "{name}: not published, {errors}")?;
            return Ok(true);
        }
    };
    // It published, so it reads and validates.
    let value = serde_json::from_str(&published).unwrap_or_default();
    let Ok(rulebook) = Rulebook::from_value(&value) else {
        return Ok(true);
    };
    let failed: Vec<_> = rulebook
        .run_fixtures()
        .into_iter()
        .filter(|r| !r.passed())
        .map(|r| r.name)
        .collect();
    if !failed.is_empty() {
        writeln!(
            err,
            "{name}: not published, {} fixture{} fail{} (`accord test {name}` says why): {}",
            failed.len(),
            if failed.len() == 1 { "" } else { "s" },
            if failed.len() == 1 { "s" } else { "" },
            failed.join(", ")
        )?;
        return Ok(true);
    }
    if args.agreed && !is_agreed(&sign_offs(rulebook.doc(), &agreement_sha256(&value))) {
        writeln!(
            err,
            "{name}: not published, not agreed: every sign-off must cover these rules (`accord check {name}` lists them)"
        )?;
        return Ok(true);
    }
    match &args.out {
        Some(path) => write_file(path, &published)?,
        None => std::io::stdout().lock().write_all(published.as_bytes())?,
    }
    let r = rulebook.reference();
    writeln!(
        err,
        "published: {} {}\n    sha256 {}",
        r.id, r.version, r.sha256
    )?;
    Ok(false)
}

/// Writes `text` to `path` whole or not at all: into a file beside it,
/// then renamed over it (so `--out` may name the input).
fn write_file(path: &Path, text: &str) -> Result<(), CliError> {
    let create = |source| CliError::Create {
        path: path.to_path_buf(),
        source,
    };
    let name = path.file_name().ok_or_else(|| {
        create(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a file name",
        ))
    })?;
    let mut partial = name.to_os_string();
    partial.push(".publishing");
    let partial = path.with_file_name(partial);
    std::fs::write(&partial, text)
        .and_then(|()| std::fs::rename(&partial, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            create(e)
        })
}
