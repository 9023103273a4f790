//! Reading inputs.

use crate::error::CliError;
use std::io::Read;
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
