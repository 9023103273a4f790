//! Reading inputs.

use crate::error::CliError;
use accord_core::Rulebook;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Reads a file, or standard input for `-`.
pub fn read_text(path: &Path) -> Result<String, CliError> {
    let read_err = |source| CliError::Read {
        path: path.to_path_buf(),
        source,
    };
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(read_err)?;
        Ok(text)
    } else {
        std::fs::read_to_string(path).map_err(read_err)
    }
}

/// Opens a file for reading line by line, or standard input when `None`.
pub fn open_lines(path: Option<&Path>) -> Result<Box<dyn BufRead>, CliError> {
    match path {
        None => Ok(Box::new(BufReader::new(std::io::stdin()))),
        Some(p) if p == Path::new("-") => Ok(Box::new(BufReader::new(std::io::stdin()))),
        Some(p) => {
            let file = File::open(p).map_err(|source| CliError::Read {
                path: p.to_path_buf(),
                source,
            })?;
            Ok(Box::new(BufReader::new(file)))
        }
    }
}

/// Reads and validates a rulebook; an invalid one is a reason not to run.
pub fn rulebook(path: &Path) -> Result<Rulebook, CliError> {
    rulebook_from(path, &read_text(path)?)
}

/// Validates the rulebook `text` read from `path`.
fn rulebook_from(path: &Path, text: &str) -> Result<Rulebook, CliError> {
    Rulebook::from_json(text).map_err(|errors| CliError::InvalidRulebook {
        path: path.to_path_buf(),
        errors,
    })
}

/// Reads a rulebook a page will fetch: valid, and published with a current
/// stamp, since the widget reads nothing else (`accord publish`). The file
/// (or standard input) is read once.
pub fn published_rulebook(path: &Path) -> Result<Rulebook, CliError> {
    let text = read_text(path)?;
    let rulebook = rulebook_from(path, &text)?;
    // It validated, so it is JSON.
    let value = serde_json::from_str(&text).unwrap_or_default();
    let name = path.display();
    let why = match accord_core::published_state(&value) {
        accord_core::PublishedState::Current => return Ok(rulebook),
        accord_core::PublishedState::Unpublished => "is not published",
        accord_core::PublishedState::Stale => "changed after it was published",
    };
    Err(CliError::Usage(format!(
        "{name} {why}, and a page's widget reads only published rulebooks: `accord publish {name} --out {name}` first"
    )))
}
