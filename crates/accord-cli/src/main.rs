//! `accord`: check, test and run rulebooks natively.
//!
//! The command is a thin shell over `accord-core`: each subcommand reads
//! its input, calls the engine and prints a result for people (default) or
//! machines (`--json`). Exit codes (docs/cli.md): 0 success, 1 the command
//! found problems (an invalid rulebook, a failing fixture), 2 the command
//! could not run (usage, unreadable file).

mod backtest;
mod check;
mod cli;
mod clock;
mod define;
mod diff;
mod embed;
mod enrich;
mod enrich_server;
mod error;
mod fixtures;
mod inbox;
mod lead_fates;
mod load;
mod lookup;
mod publish;
mod score;
mod terminal;
mod verify;

use clap::Parser;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let outcome = match args.command {
        cli::Command::Check(a) => check::run(&a),
        cli::Command::Test(a) => fixtures::run(&a),
        cli::Command::Publish(a) => publish::run(&a),
        cli::Command::Define(a) => define::run(&a),
        cli::Command::Verify(a) => verify::run(&a),
        cli::Command::Score(a) => score::run(&a),
        cli::Command::Diff(a) => diff::run(&a),
        cli::Command::Backtest(a) => backtest::run(&a),
        cli::Command::Inbox(a) => match &a.action {
            Some(cli::InboxAction::ImportOutcomes(i)) => inbox::run_import_outcomes(i),
            Some(cli::InboxAction::Backup(b)) => inbox::run_backup(b),
            None => inbox::run_inbox(&a.run),
        },
        cli::Command::Serve(a) => inbox::run_serve(&a),
        cli::Command::Embed(a) => embed::run(&a),
        cli::Command::EnrichServer(a) => enrich_server::run(&a),
    };
    match outcome {
        Ok(found_problems) => ExitCode::from(if found_problems { 1 } else { 0 }),
        Err(e) => {
            eprintln!("accord: {}", terminal::escaped(&e.to_string()));
            ExitCode::from(2)
        }
    }
}
