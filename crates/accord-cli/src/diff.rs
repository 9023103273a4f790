//! `accord diff OLD NEW [LEADS] [--outcomes FILE]`: what changed between
//! two rulebooks in plain terms, and, with leads, what the change does to
//! them: every lead re-qualified with both, streamed line by line.

use crate::cli::DiffArgs;
use crate::error::CliError;
use crate::lead_fates::{each_lead, fates, percent};
use crate::load::rulebook;
use crate::terminal::one_line as escaped;
use accord_core::Lead;
use accord_core::{
    changes, explain, in_grade_order, join_key, share, Fates, Impact, LeadFate, Rulebook,
};
use std::io::Write;

/// Runs `accord diff`.
pub fn run(args: &DiffArgs) -> Result<bool, CliError> {
    let old = rulebook(&args.old)?;
    let new = rulebook(&args.new)?;
    let changed = changes(&old, &new);
    let impact = match &args.leads {
        None => None,
        Some(path) => Some(requalify(args, &old, &new, path)?),
    };
    let out = std::io::stdout();
    let mut out = out.lock();
    if args.json {
        let value = serde_json::json!({
            "old": old.reference(),
            "new": new.reference(),
            "changes": changed,
            "impact": impact,
        });
        writeln!(out, "{value}")?;
        return Ok(impact.is_some_and(|i| i.skipped > 0));
    }
    let (o, n) = (old.reference(), new.reference());
    writeln!(
        out,
        "{} {} → {} {}",
        escaped(&o.id),
        escaped(&o.version),
        escaped(&n.id),
        escaped(&n.version)
    )?;
    if changed.is_empty() {
        writeln!(out, "  no change to the rules")?;
    }
    for c in &changed {
        writeln!(out, "  {:<12} {}", c.area, escaped(&c.text))?;
    }
    if let Some(impact) = &impact {
        print_impact(&mut out, impact, &old, &new)?;
    }
    Ok(impact.is_some_and(|i| i.skipped > 0))
}

/// Re-qualifies every lead of `path` with both rulebooks.
fn requalify(
    args: &DiffArgs,
    old: &Rulebook,
    new: &Rulebook,
    path: &std::path::Path,
) -> Result<Impact, CliError> {
    let fates = match &args.outcomes {
        Some(p) => Some(fates(p)?),
        None => None,
    };
    let mut impact = Impact {
        with_outcomes: fates.is_some(),
        ..Impact::default()
    };
    let mut movers: Option<Box<dyn Write>> = match &args.leads_out {
        Some(p) => Some(Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).map_err(|source| CliError::Create {
                path: p.clone(),
                source,
            })?,
        ))),
        None => None,
    };
    let mut one = |line: usize,
                   (a, b): (Lead, Lead),
                   impact: &mut Impact|
     -> Result<(), CliError> {
        let audience = a.channel.unwrap_or(args.channel).audience();
        let old_a = old.assess_by_index_enriched(
            |i| a.answers[i].as_ref(),
            &a.context,
            a.enriched(),
            audience,
        );
        let new_a = new.assess_by_index_enriched(
            |i| b.answers[i].as_ref(),
            &b.context,
            b.enriched(),
            audience,
        );
        let id = a.submission_id.as_deref().map(join_key);
        let fate = id
            .as_ref()
            .and_then(|id| fates.as_ref().and_then(|f| f.get(id)));
        impact.joined += u64::from(fate.is_some());
        impact.add(&old_a, &new_a, fate);
        if let Some(w) = movers.as_mut() {
            if old_a.grade() != new_a.grade() {
                let entry = serde_json::json!({
                    "line": line,
                    "submission_id": id,
                    "old": {"grade": old_a.grade(), "why": explain(old, &old_a.qualification())},
                    "new": {"grade": new_a.grade(), "why": explain(new, &new_a.qualification())},
                    "accepted": fate.and_then(LeadFate::accepted),
                });
                writeln!(w, "{entry}")?;
            }
        }
        Ok(())
    };
    impact.skipped = each_lead(path, &[old, new], |line, mut both| {
        let b = both.pop().expect("two rulebooks, two leads");
        let a = both.pop().expect("two rulebooks, two leads");
        one(line, (a, b), &mut impact)
    })?;
    if let Some(mut w) = movers {
        w.flush()?;
    }
    if impact.with_outcomes && impact.joined == 0 && impact.leads > 0 {
        eprintln!("note: no lead's submission_id is in the outcomes file; nothing is joined");
    }
    Ok(impact)
}

fn print_impact(
    out: &mut impl Write,
    impact: &Impact,
    old: &Rulebook,
    new: &Rulebook,
) -> Result<(), CliError> {
    writeln!(
        out,
        "\n{} leads re-qualified with both{}",
        impact.leads,
        if impact.skipped > 0 {
            format!(" ({} lines skipped)", impact.skipped)
        } else {
            String::new()
        }
    )?;
    // The transition matrix: old grades down, new grades across, each in
    // its rulebook's order.
    let columns: Vec<&String> = in_grade_order(&impact.new_grades, new);
    let width = columns.iter().map(|c| c.len()).max().unwrap_or(4).max(6) + 2;
    write!(out, "\n  {:<14}", "old \\ new")?;
    for c in &columns {
        write!(out, "{:>width$}", escaped(c))?;
    }
    writeln!(out)?;
    for from in in_grade_order(&impact.old_grades, old) {
        let row = &impact.transitions[from];
        write!(out, "  {:<14}", escaped(from))?;
        for c in &columns {
            let n = row.get(*c).map_or(0, |f| f.leads);
            write!(out, "{n:>width$}")?;
        }
        writeln!(out)?;
    }
    let mut moves = Vec::new();
    for (old, row) in &impact.transitions {
        for (new, fates) in row.iter().filter(|(new, _)| *new != old) {
            moves.push((fates.leads, old, new, fates));
        }
    }
    moves.sort_by_key(|m| std::cmp::Reverse(m.0));
    if !moves.is_empty() {
        writeln!(out)?;
    }
    for (n, old, new, fates) in moves {
        let sales = if impact.with_outcomes && fates.judged > 0 {
            format!(
                "; sales had accepted {} of them ({} judged)",
                fates.accepted, fates.judged
            )
        } else {
            String::new()
        };
        writeln!(
            out,
            "  {n} lead{} go from {} to {}{sales}",
            if n == 1 { "" } else { "s" },
            escaped(old),
            escaped(new)
        )?;
    }
    for (from, to) in &impact.route_changes {
        for (team, n) in to {
            writeln!(
                out,
                "  {n} routed to {} instead of {}",
                escaped(team),
                escaped(from)
            )?;
        }
    }
    for (id, shift) in &impact.knockouts {
        writeln!(
            out,
            "  knockout {}: {} more, {} fewer",
            escaped(id),
            shift.gained,
            shift.lost
        )?;
    }
    writeln!(out, "\n  criterion hit rate, old → new")?;
    for (id, hits) in &impact.criteria {
        writeln!(
            out,
            "    {:<32} {} → {}",
            escaped(id),
            percent(share(hits.old, impact.leads)),
            percent(share(hits.new, impact.leads))
        )?;
    }
    if impact.with_outcomes {
        writeln!(
            out,
            "\n  per grade (old / new): leads, accepted of judged, opportunities, won"
        )?;
        let grades: std::collections::BTreeSet<&String> = impact
            .old_grades
            .keys()
            .chain(impact.new_grades.keys())
            .collect();
        let empty = Fates::default();
        for g in grades {
            let (o, n) = (
                impact.old_grades.get(g).unwrap_or(&empty),
                impact.new_grades.get(g).unwrap_or(&empty),
            );
            writeln!(
                out,
                "    {:<16} {} / {} leads, {} / {} accepted, {} / {} opportunities, {} / {} won",
                escaped(g),
                o.leads,
                n.leads,
                percent(o.acceptance()),
                percent(n.acceptance()),
                o.opportunities,
                n.opportunities,
                o.won,
                n.won
            )?;
        }
    }
    Ok(())
}
