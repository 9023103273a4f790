//! Command-line arguments.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Lead qualification that sales and marketing agree on.
#[derive(Debug, Parser)]
#[command(name = "accord", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a rulebook and print every error with its path and id.
    Check(RulebookArgs),
    /// Run a rulebook's fixtures and explain each mismatch.
    Test(RulebookArgs),
    /// Recompute lead records (JSON Lines) and report any that do not match.
    Verify(VerifyArgs),
}

/// Arguments of `accord verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The rulebook JSON file.
    pub rulebook: PathBuf,
    /// Records, one JSON object per line (default: standard input).
    pub records: Option<PathBuf>,
    /// Print one JSON object per problem record, and a summary, for machines.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of commands that take one rulebook.
#[derive(Debug, Args)]
pub struct RulebookArgs {
    /// The rulebook JSON file (`-` for standard input).
    pub rulebook: PathBuf,
    /// Print JSON for machines instead of text for people.
    #[arg(long)]
    pub json: bool,
}
