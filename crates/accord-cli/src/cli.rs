//! Command-line arguments.

use accord_core::Channel;
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
    /// Validate a rulebook and print every error with its path and id, and
    /// whether each sign-off still covers the rules.
    Check(CheckArgs),
    /// Run a rulebook's fixtures and explain each mismatch.
    Test(RulebookArgs),
    /// Check a rulebook, run its fixtures, and write it stamped with its
    /// hash (`checked_sha256`): the form the widget reads.
    Publish(PublishArgs),
    /// Print the rulebook as the plain sentences both teams agree on:
    /// grades, disqualifiers, scores, routes and questions.
    Define(RulebookArgs),
    /// Recompute lead records (JSON Lines) and report any that do not match.
    Verify(VerifyArgs),
    /// Qualify leads in bulk (JSON Lines or CSV) and write records.
    Score(ScoreArgs),
    /// What changed between two rulebooks, and with leads, what the change
    /// does to them.
    Diff(DiffArgs),
    /// How each grade's leads and each criterion's leads turned out, from
    /// an outcomes file.
    Backtest(BacktestArgs),
    /// Receive lead records over HTTP and store them in SQLite.
    Inbox(InboxCommand),
    /// Serve a folder of pages and the inbox on one port: the demo's built
    /// site, or on a server the release's studio and console bundles.
    Serve(ServeArgs),
    /// Print the snippet for a landing page with the form's first step
    /// prerendered in it, so visitors can type before any script has run
    /// and can send it with scripts blocked.
    Embed(EmbedArgs),
    /// Serve company attributes by email domain from a CSV (e.g. a CRM's
    /// account export): a team's own enrichment lookup.
    EnrichServer(EnrichServerArgs),
}

/// Arguments of `accord enrich-server`.
#[derive(Debug, Args)]
pub struct EnrichServerArgs {
    /// The companies: a CSV with a header row and a domain column.
    #[arg(long)]
    pub data: PathBuf,
    /// The column holding each company's domain (or website URL).
    #[arg(long, default_value = "domain")]
    pub key: String,
    /// Serve only these columns (comma-separated; default: every column).
    #[arg(long, value_delimiter = ',')]
    pub columns: Vec<String>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8790")]
    pub addr: String,
    /// A site whose widget may look up from the browser (repeatable; `*`
    /// for any).
    #[arg(long = "allow-origin")]
    pub allow_origins: Vec<String>,
    /// A host name this server answers to (repeatable), besides localhost
    /// and the loopback addresses. Required with a non-loopback --addr.
    #[arg(long = "host")]
    pub hosts: Vec<String>,
    /// A file of lookup tokens, `lookup TOKEN` per line: with tokens, only
    /// callers holding one get answers (ACCORD_LOOKUP_TOKENS works too).
    #[arg(long = "tokens-file")]
    pub tokens_file: Option<PathBuf>,
    /// Lookups per minute per client (0: no limit); loopback clients are
    /// not limited.
    #[arg(long, default_value_t = 600)]
    pub rate_limit: u32,
    /// How many lookups a client may make at once before the rate applies.
    #[arg(long, default_value_t = 120)]
    pub rate_burst: u32,
}

/// Arguments of `accord embed`.
#[derive(Debug, Args)]
pub struct EmbedArgs {
    /// The rulebook JSON file: the exact file the page will fetch.
    pub rulebook: PathBuf,
    /// The URL the page fetches the rulebook from (`data-accord-rulebook`).
    #[arg(long, value_name = "URL")]
    pub rulebook_url: String,
    /// Where records go (`data-accord-endpoint`), and where the form posts
    /// itself with scripts blocked (an Accord inbox's `/api/records`): an
    /// http(s) URL, or a path on the page's own site.
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// The loader's URL.
    #[arg(long, value_name = "URL", default_value = "/accord-loader.js")]
    pub loader: String,
    /// The folder of the widget's other files: `accord/` beside the loader
    /// unless given. A release's is `manifest.json`'s `assets`
    /// (`accord/<hash>/`), which is taken relative to the loader.
    #[arg(long, value_name = "URL")]
    pub assets: Option<String>,
    /// The visitor's language (`de`, `pt-BR`); else the rulebook's, else
    /// English.
    #[arg(long)]
    pub locale: Option<String>,
    /// Whose questions to ask: `form` (visitors) or `call` (reps).
    #[arg(long, default_value = "form", value_parser = ["form", "call"])]
    pub audience: String,
    /// `auto` (follows the visitor's setting), `light` or `dark`.
    #[arg(long, default_value = "auto", value_parser = ["auto", "light", "dark"])]
    pub theme: String,
}

/// `accord inbox`: run the inbox, or work on its database.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct InboxCommand {
    /// What to do with the database instead of serving it.
    #[command(subcommand)]
    pub action: Option<InboxAction>,
    /// The inbox's settings, when it runs.
    #[command(flatten)]
    pub run: InboxArgs,
}

/// Work on an inbox's database.
#[derive(Debug, Subcommand)]
pub enum InboxAction {
    /// Store an outcomes file (CSV or JSON Lines, docs/outcomes.md): what
    /// happened to the leads later, from the CRM.
    ImportOutcomes(ImportOutcomesArgs),
    /// Copy the database to a new file, safely while the inbox runs
    /// (SQLite's `VACUUM INTO`: one consistent snapshot), and check the copy.
    Backup(BackupArgs),
}

/// Arguments of `accord inbox backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new file to write; an existing file is never overwritten.
    pub dest: PathBuf,
    /// The inbox's SQLite database.
    #[arg(long, default_value = "accord-inbox.sqlite")]
    pub db: PathBuf,
}

/// Arguments of `accord inbox import-outcomes`.
#[derive(Debug, Args)]
pub struct ImportOutcomesArgs {
    /// The outcomes file.
    pub file: PathBuf,
    /// The inbox's SQLite database.
    #[arg(long, default_value = "accord-inbox.sqlite")]
    pub db: PathBuf,
    /// Print what was done as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `accord inbox`.
#[derive(Debug, Args)]
pub struct InboxArgs {
    /// Address to listen on (default 127.0.0.1:8787; `accord serve`: 127.0.0.1:8080).
    #[arg(long)]
    pub addr: Option<String>,
    /// The SQLite database, created on first run.
    #[arg(long, default_value = "accord-inbox.sqlite")]
    pub db: PathBuf,
    /// Rulebooks to verify records against: JSON files or folders of them.
    #[arg(long = "rulebooks", default_value = "static/rulebooks")]
    pub rulebooks: Vec<PathBuf>,
    /// An origin allowed to post records from another site (repeatable;
    /// `*` for any). Without it only same-origin pages can post.
    #[arg(long = "allow-origin")]
    pub allow_origins: Vec<String>,
    /// A host name this inbox answers to (repeatable), besides localhost
    /// and the loopback addresses; requests for any other name are refused.
    /// Required with a non-loopback --addr.
    #[arg(long = "host")]
    pub hosts: Vec<String>,
    /// A file of access tokens, one per line: `read TOKEN`, `feedback
    /// TOKEN` or `publish TOKEN` (see docs/cli.md). Tokens never go on the
    /// command line; `ACCORD_READ_TOKENS`, `ACCORD_FEEDBACK_TOKENS` and
    /// `ACCORD_PUBLISH_TOKENS` work too.
    #[arg(long = "tokens-file")]
    pub tokens_file: Option<PathBuf>,
    /// Seconds a client has to send a request's head; also how long an idle
    /// connection stays open.
    #[arg(long, default_value_t = 10)]
    pub header_timeout: u64,
    /// Seconds a client has to send a request's body.
    #[arg(long, default_value_t = 30)]
    pub body_timeout: u64,
    /// Open connections at most; more are closed at once.
    #[arg(long, default_value_t = 512)]
    pub max_connections: usize,
    /// Open connections one client address may hold (loopback and
    /// trusted proxies are not capped).
    #[arg(long, default_value_t = 32)]
    pub max_connections_per_client: usize,
    /// Seconds one connection may stay open, whatever it does.
    #[arg(long, default_value_t = 600)]
    pub connection_lifetime: u64,
    /// Requests per minute per client (0: no limit); loopback clients are
    /// not limited.
    #[arg(long, default_value_t = 600)]
    pub rate_limit: u32,
    /// How many requests a client may send at once before the rate applies.
    #[arg(long, default_value_t = 120)]
    pub rate_burst: u32,
    /// A reverse proxy in front of the inbox (repeatable): for requests
    /// from it, the client is the last address of X-Forwarded-For.
    #[arg(long = "trusted-proxy")]
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl InboxArgs {
    /// The connection limits these arguments set.
    pub fn limits(&self) -> crate::inbox::Limits {
        crate::inbox::Limits {
            header: std::time::Duration::from_secs(self.header_timeout.max(1)),
            body: std::time::Duration::from_secs(self.body_timeout.max(1)),
            connections: self.max_connections.max(1),
            per_client: self.max_connections_per_client.max(1),
            lifetime: std::time::Duration::from_secs(self.connection_lifetime.max(1)),
            trusted_proxies: self.trusted_proxies.clone(),
            ..crate::inbox::Limits::default()
        }
    }
}

impl InboxArgs {
    /// The address to listen on, or `default`.
    pub fn addr_or(&self, default: &str) -> String {
        self.addr.clone().unwrap_or_else(|| default.to_owned())
    }
}

/// Arguments of `accord serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The pages to serve: Trunk's output, or the release's studio and
    /// console bundles unpacked into one folder.
    #[arg(long, default_value = "dist")]
    pub dist: PathBuf,
    /// The inbox's settings.
    #[command(flatten)]
    pub inbox: InboxArgs,
}

/// Input and output formats of `accord score`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
}

/// Arguments of `accord score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The rulebook JSON file.
    pub rulebook: PathBuf,
    /// Leads: a .jsonl/.ndjson or .csv file (default: JSON Lines on standard input).
    pub leads: Option<PathBuf>,
    /// Input format (default: from the file's extension, else jsonl).
    #[arg(long = "from", value_enum)]
    pub from: Option<Format>,
    /// Output format: full records as JSON Lines, or a flat CSV summary.
    #[arg(long = "to", value_enum, default_value = "jsonl")]
    pub to: Format,
    /// The channel of leads that do not say: `web_form` or `call`.
    #[arg(long, default_value = "web_form", value_parser = channel)]
    pub channel: Channel,
    /// RFC 3339 time for leads without `submitted_at` (default: now).
    #[arg(long)]
    pub submitted_at: Option<String>,
    /// Write records here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Never show the progress line.
    #[arg(long)]
    pub quiet: bool,
    /// Look each lead up with the rulebook's enrichment providers before
    /// scoring it (docs/cli.md); without it, a lead record's own
    /// `enrichment` is used.
    #[arg(long)]
    pub enrich: bool,
    /// `--enrich`: lookups in flight at most (1 to 1024).
    #[arg(long, default_value_t = 8, requires = "enrich", value_parser = concurrency)]
    pub enrich_concurrency: usize,
    /// `--enrich`: lookups started per second at most (0: no limit; else
    /// at least 0.01).
    #[arg(long, default_value_t = 20.0, requires = "enrich", value_parser = rate)]
    pub enrich_rate: f64,
    /// `--enrich`: send the token in ACCORD_ENRICH_TOKEN as a bearer token
    /// to lookups on this host (repeatable); no other host gets it.
    #[arg(long = "enrich-auth", requires = "enrich")]
    pub enrich_auth: Vec<String>,
}

/// Arguments of `accord diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The rulebook as it was (the last agreed version).
    pub old: PathBuf,
    /// The rulebook as proposed.
    pub new: PathBuf,
    /// Leads to re-qualify with both: JSON Lines (answers or lead records)
    /// or a .csv file.
    pub leads: Option<PathBuf>,
    /// What happened to the leads later (docs/outcomes.md), joined by
    /// submission_id.
    #[arg(long, requires = "leads")]
    pub outcomes: Option<PathBuf>,
    /// Write the leads whose grade changes here, as JSON Lines with both
    /// explanations.
    #[arg(long = "leads-out", requires = "leads")]
    pub leads_out: Option<PathBuf>,
    /// The channel of leads that do not say: `web_form` or `call`.
    #[arg(long, default_value = "web_form", value_parser = channel)]
    pub channel: Channel,
    /// Print one JSON object, for machines.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `accord backtest`.
#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// The rulebook.
    pub rulebook: PathBuf,
    /// Leads: JSON Lines (answers or lead records) or a .csv file.
    pub leads: PathBuf,
    /// What happened to the leads later (docs/outcomes.md), joined by
    /// submission_id.
    #[arg(long)]
    pub outcomes: PathBuf,
    /// The channel of leads that do not say: `web_form` or `call`.
    #[arg(long, default_value = "web_form", value_parser = channel)]
    pub channel: Channel,
    /// Print one JSON object, for machines.
    #[arg(long)]
    pub json: bool,
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

/// Arguments of `accord check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The rulebook and the output format.
    #[command(flatten)]
    pub rulebook: RulebookArgs,
    /// Also fail unless the rulebook is agreed: at least one sign-off, and
    /// every sign-off bound to these exact rules (none stale or unbound).
    #[arg(long)]
    pub agreed: bool,
}

/// Arguments of `accord publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The rulebook JSON file (`-` for standard input).
    pub rulebook: PathBuf,
    /// Where to write the published rulebook (it may be the same file);
    /// standard output when not given.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Also refuse unless the rulebook is agreed, as `accord check --agreed`.
    #[arg(long)]
    pub agreed: bool,
}

/// Reads a channel by its name in records (`accord_core::Channel::NAMES`).
fn channel(name: &str) -> Result<Channel, String> {
    Channel::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Channel::NAMES.iter().map(|(_, n)| *n).collect();
        format!("expected one of: {}", names.join(", "))
    })
}

/// `--enrich-concurrency`: 1 to 1024.
fn concurrency(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=1024).contains(&n) => Ok(n),
        _ => Err("a whole number from 1 to 1024".into()),
    }
}

/// `--enrich-rate`: 0 (no limit), or a rate of at least 0.01 a second.
fn rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(r) if r == 0.0 || (r.is_finite() && r >= 0.01) => Ok(r),
        _ => Err("0 for no limit, or lookups per second from 0.01".into()),
    }
}
