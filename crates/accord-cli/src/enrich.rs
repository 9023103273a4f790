//! `accord score --enrich`: the enrichment of a whole lead file.
//!
//! Scoring streams, but lookups are slow and many leads share a company,
//! so enriching takes two passes: the first reads every lead and plans the
//! distinct lookup URLs ([`Enriching::plan`]), which are fetched together
//! with bounded concurrency and a rate limit (`lookup.rs`); the second
//! scores each lead with its [`Snapshot`] ([`Enriching::snapshot`]). The
//! built-in provider needs no network: its facts are worked out per lead,
//! with the disposable-domain list compiled in (`DomainLists::bundled`).

use crate::cli::ScoreArgs;
use crate::clock::rfc3339_utc;
use crate::error::CliError;
use crate::lookup::{fetch_all, Pace, Request};
use accord_core::{
    built_in, lookup_url, DomainLists, Enrichment, Lead, Lookup, ProviderKind, Rulebook, Snapshot,
};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The environment variable holding the token `--enrich-auth` hosts get.
pub const TOKEN_ENV: &str = "ACCORD_ENRICH_TOKEN";

/// The lookups of one run.
pub struct Enriching {
    enrichment: Enrichment,
    lists: &'static DomainLists,
    pace: Pace,
    /// Each distinct lookup (URL and provider index), until looked up.
    planned: std::collections::HashSet<Request>,
    /// Each lookup's result.
    found: HashMap<Request, Lookup>,
    /// When the lookups were made.
    at: String,
}

impl Enriching {
    /// Refuses `--enrich` for a rulebook without `enrichment`, and
    /// `--enrich-auth` without a token in the environment.
    pub fn new(rulebook: &Rulebook, args: &ScoreArgs) -> Result<Enriching, CliError> {
        let Some(enrichment) = rulebook.doc().enrichment.clone() else {
            return Err(CliError::Usage(
                "--enrich: the rulebook declares no enrichment (docs/rulebook.md, \"Enrichment\")"
                    .into(),
            ));
        };
        let auth = match args.enrich_auth.is_empty() {
            true => None,
            false => match std::env::var(TOKEN_ENV) {
                Ok(token) if !token.trim().is_empty() => {
                    Some((args.enrich_auth.clone(), token.trim().to_owned()))
                }
                _ => {
                    return Err(CliError::Usage(format!(
                        "--enrich-auth sends the token in {TOKEN_ENV}, which is not set"
                    )))
                }
            },
        };
        Ok(Enriching {
            enrichment,
            lists: DomainLists::bundled(),
            pace: Pace {
                concurrency: args.enrich_concurrency.max(1),
                per_second: args.enrich_rate,
                auth,
            },
            planned: std::collections::HashSet::new(),
            found: HashMap::new(),
            at: rfc3339_utc(SystemTime::now()),
        })
    }

    /// Notes the lookups `lead` needs (first pass).
    pub fn plan(&mut self, rulebook: &Rulebook, lead: &Lead) {
        let answers = answers_of(rulebook, lead);
        for (i, provider) in self.enrichment.providers.iter().enumerate() {
            if provider.kind != ProviderKind::Http {
                continue;
            }
            if let Some(url) = lookup_url(provider, rulebook, &answers) {
                let request = (url, i);
                if !self.found.contains_key(&request) {
                    self.planned.insert(request);
                }
            }
        }
    }

    /// Makes every planned lookup, and says on standard error how they went.
    pub fn look_up(&mut self) -> Result<(), CliError> {
        let requests: Vec<_> = self.planned.drain().collect();
        let count = requests.len();
        let started = std::time::Instant::now();
        let found = fetch_all(requests, &self.enrichment, &self.pace)
            .map_err(|e| CliError::Usage(format!("--enrich: {e}")))?;
        let mut why: Vec<&str> = Vec::new();
        let (mut answered, mut timeouts) = (0, 0);
        for lookup in found.values() {
            match lookup {
                Lookup::Found(_) => answered += 1,
                Lookup::Timeout => timeouts += 1,
                Lookup::Failed(reason) => why.push(reason),
                Lookup::Skipped => {}
            }
        }
        why.sort_unstable();
        eprintln!(
            "enrich: {count} lookups in {:.2} s: {answered} answered, {timeouts} timed out, {} failed{}",
            started.elapsed().as_secs_f64(),
            why.len(),
            match why.first() {
                Some(reason) => format!(" (e.g. {})", crate::terminal::escaped(reason)),
                None => String::new(),
            }
        );
        self.at = rfc3339_utc(SystemTime::now());
        self.found.extend(found);
        Ok(())
    }

    /// The snapshot of `lead` (second pass): the built-in facts, and each
    /// http provider's lookup as it went.
    pub fn snapshot(&self, rulebook: &Rulebook, lead: &Lead) -> Snapshot {
        let answers = answers_of(rulebook, lead);
        let lookups: Vec<Lookup> = self
            .enrichment
            .providers
            .iter()
            .enumerate()
            .map(|(i, provider)| match provider.kind {
                ProviderKind::BuiltIn => built_in(provider, rulebook, &answers, self.lists),
                ProviderKind::Http => lookup_url(provider, rulebook, &answers)
                    .and_then(|url| self.found.get(&(url, i)).cloned())
                    .unwrap_or(Lookup::Skipped),
            })
            .collect();
        Snapshot::from_lookups(&self.enrichment, &lookups, Some(self.at.clone()))
    }
}

/// A lead's answers by field id, as the lookups read them.
fn answers_of(rulebook: &Rulebook, lead: &Lead) -> Map<String, Value> {
    rulebook
        .doc()
        .fields
        .iter()
        .zip(&lead.answers)
        .filter_map(|(f, a)| Some((f.id.clone(), a.clone()?)))
        .collect()
}

/// A copy of standard input in a temporary file, removed when dropped.
pub struct Spooled(PathBuf);

impl Spooled {
    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Spooled {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Copies standard input to a temporary file, for the two passes.
pub fn spool_stdin() -> Result<Spooled, CliError> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| CliError::Usage(format!("--enrich: {e}")))?;
    let name: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let path = std::env::temp_dir().join(format!("accord-leads-{name}"));
    let spooled = Spooled(path);
    let mut file = std::fs::File::create(spooled.path()).map_err(|source| CliError::Create {
        path: spooled.path().to_path_buf(),
        source,
    })?;
    std::io::copy(&mut std::io::stdin().lock(), &mut file).map_err(|source| CliError::Read {
        path: "-".into(),
        source,
    })?;
    Ok(spooled)
}
