//! Line-by-line explanations of a qualification, for people.

use crate::model::Status;
use crate::qualify::Qualification;
use crate::rulebook::Rulebook;

/// Explains `q` in plain lines: knockouts, each contribution, each score
/// (and its cap), the grade, the route, and what is missing.
pub fn explain(rulebook: &Rulebook, q: &Qualification) -> Vec<String> {
    let doc = rulebook.doc();
    let mut lines = Vec::new();
    for k in &q.knocked_out_by {
        lines.push(format!("knocked out: {} ({})", k.label, k.id));
    }
    for score in &doc.scores {
        for c in q.contributions.iter().filter(|c| c.score == score.id) {
            lines.push(format!(
                "{:+} {}: {} ({})",
                c.points, score.label, c.label, c.criterion
            ));
        }
        let value = q.scores.get(&score.id).copied().unwrap_or(0);
        let cap = match score.cap {
            Some(cap) if q.capped.contains(&score.id) => format!(" (capped at {cap})"),
            _ => String::new(),
        };
        lines.push(format!("= {} {value}{cap}", score.label));
    }
    lines.push(format!(
        "= total {}",
        q.scores.get("total").copied().unwrap_or(0)
    ));
    let label = rulebook
        .grade(&q.grade)
        .map_or("Disqualified", |g| g.label.as_str());
    let provisional = if q.status == Status::Incomplete {
        " (provisional: incomplete)"
    } else {
        ""
    };
    lines.push(format!("grade: {label} ({}){provisional}", q.grade));
    match &q.route {
        Some(r) => lines.push(format!(
            "route: {}{}",
            r.team,
            r.owner
                .as_ref()
                .map(|o| format!(" / {o}"))
                .unwrap_or_default()
        )),
        None => lines.push("route: none".to_owned()),
    }
    if !q.missing.is_empty() {
        lines.push(format!("missing: {}", q.missing.join(", ")));
    }
    for i in &q.invalid {
        lines.push(format!("invalid: {} {}", i.field, i.problem));
    }
    lines
}
