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
