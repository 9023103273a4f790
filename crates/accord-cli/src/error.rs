//! Why a command could not run (exit code 2).

use std::path::PathBuf;
use thiserror::Error;

/// A failure that stops a command before it can give a result.
#[derive(Debug, Error)]
pub enum CliError {
    /// An input file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The rulebook a command needs is not valid (`accord check` lists why).
    #[error("{path} is not a valid rulebook: {errors}")]
    InvalidRulebook {
        /// The file.
        path: PathBuf,
        /// Every error in it.
        errors: accord_core::RulebookErrors,
    },
    /// A file could not be created.
    #[error("cannot create {path}: {source}")]
    Create {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The CSV input has no usable header row.
    #[error("CSV input: {0}")]
    CsvHeader(String),
    /// The inbox or server could not start or run.
    #[error("{0}")]
    Serve(String),
    /// An option's value cannot be used (the option and why).
    #[error("{0}")]
    Usage(String),
    /// Output could not be written (e.g. a closed pipe).
    #[error("cannot write output: {0}")]
    Write(#[from] std::io::Error),
}
