//! `accord backtest RULEBOOK LEADS --outcomes FILE`: how the leads of each
//! grade, and the leads each criterion held for, turned out, from what
//! sales and the CRM did with them: evidence for the grades and the points.

use crate::cli::BacktestArgs;
use crate::error::CliError;
use crate::lead_fates::{each_lead, fates, percent};
use crate::load::rulebook;
use crate::terminal::one_line as escaped;
use accord_core::{in_grade_order, join_key, Fates};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

/// One criterion's evidence.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CriterionEvidence {
    /// Its points.
    pub points: i64,
    /// Leads it held for.
    pub hit: Fates,
    /// Leads it did not hold for.
    pub missed: Fates,
}

/// The backtest.
#[derive(Debug, Default, Serialize)]
pub struct Backtest {
    /// Every lead read.
    pub all: Fates,
    /// Lines that could not be read.
    pub skipped: u64,
    /// Per grade, in rulebook order when printed.
    pub grades: BTreeMap<String, Fates>,
    /// Per criterion (`score/criterion`).
    pub criteria: BTreeMap<String, CriterionEvidence>,
}

/// Runs `accord backtest`.
pub fn run(args: &BacktestArgs) -> Result<bool, CliError> {
    let rb = rulebook(&args.rulebook)?;
    let fates = fates(&args.outcomes)?;
    let doc = rb.doc();
    let mut bt = Backtest::default();
    for score in &doc.scores {
        for c in &score.criteria {
            bt.criteria.insert(
                format!("{}/{}", score.id, c.id),
                CriterionEvidence {
                    points: c.points,
                    ..CriterionEvidence::default()
                },
            );
        }
    }
    let mut joined = 0u64;
    bt.skipped = each_lead(&args.leads, &[&rb], |_, mut leads| {
        let lead = leads.pop().expect("one rulebook, one lead");
        let audience = lead.channel.unwrap_or(args.channel).audience();
        let a = rb.assess_by_index_enriched(
            |i| lead.answers[i].as_ref(),
            &lead.context,
            lead.enriched(),
            audience,
        );
        let fate = lead
            .submission_id
            .as_deref()
            .and_then(|id| fates.get(&join_key(id)));
        joined += u64::from(fate.is_some());
        bt.all.add(fate);
        bt.grades.entry(a.grade().to_owned()).or_default().add(fate);
        for (s, score) in doc.scores.iter().enumerate() {
            for (c, criterion) in score.criteria.iter().enumerate() {
                let evidence = bt
                    .criteria
                    .get_mut(&format!("{}/{}", score.id, criterion.id))
                    .expect("every criterion is listed");
                if a.contributions.contains(&(s, c)) {
                    evidence.hit.add(fate);
                } else {
                    evidence.missed.add(fate);
                }
            }
        }
        Ok(())
    })?;
    if joined == 0 && bt.all.leads > 0 {
        eprintln!("note: no lead's submission_id is in the outcomes file; every rate is empty");
    }
    let out = std::io::stdout();
    let mut out = out.lock();
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::json!({"rulebook": rb.reference(), "backtest": bt})
        )?;
        return Ok(bt.skipped > 0);
    }
    print(&mut out, &rb, &bt)?;
    Ok(bt.skipped > 0)
}

/// `rate` against the average `base`, e.g. `2.1×`.
fn lift(rate: Option<f64>, base: Option<f64>) -> String {
    match (rate, base) {
        (Some(r), Some(b)) if b > 0.0 => format!("{:.1}×", r / b),
        _ => "—".into(),
    }
}

fn print(out: &mut impl Write, rb: &accord_core::Rulebook, bt: &Backtest) -> Result<(), CliError> {
    let all = &bt.all;
    let (base_opp, base_won) = (all.rate(all.opportunities), all.rate(all.won));
    writeln!(
        out,
        "{} {}: {} leads{}",
        escaped(&rb.reference().id),
        escaped(&rb.reference().version),
        all.leads,
        if bt.skipped > 0 {
            format!(" ({} lines skipped)", bt.skipped)
        } else {
            String::new()
        }
    )?;
    writeln!(
        out,
        "\n  {:<16}{:>8}{:>12}{:>14}{:>8}{:>8}{:>8}{:>14}",
        "grade", "leads", "accepted", "opportunity", "lift", "won", "lift", "won amount"
    )?;
    for g in in_grade_order(&bt.grades, rb) {
        let f = &bt.grades[g];
        writeln!(
            out,
            "  {:<16}{:>8}{:>12}{:>14}{:>8}{:>8}{:>8}{:>14.0}",
            escaped(g),
            f.leads,
            percent(f.acceptance()),
            percent(f.rate(f.opportunities)),
            lift(f.rate(f.opportunities), base_opp),
            percent(f.rate(f.won)),
            lift(f.rate(f.won), base_won),
            f.won_amount
        )?;
    }
    writeln!(
        out,
        "  {:<16}{:>8}{:>12}{:>14}{:>8}{:>8}{:>8}{:>14.0}",
        "all",
        all.leads,
        percent(all.acceptance()),
        percent(base_opp),
        "1.0×",
        percent(base_won),
        "1.0×",
        all.won_amount
    )?;
    writeln!(
        out,
        "\n  criterion (points): won when it held / when it did not, lift of holding"
    )?;
    for (id, e) in &bt.criteria {
        writeln!(
            out,
            "    {:<32} {:>+4}  {} of {} / {} of {}  {}",
            escaped(id),
            e.points,
            percent(e.hit.rate(e.hit.won)),
            e.hit.leads,
            percent(e.missed.rate(e.missed.won)),
            e.missed.leads,
            lift(e.hit.rate(e.hit.won), base_won)
        )?;
    }
    Ok(())
}
