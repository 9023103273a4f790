//! What changed between two versions of a rulebook, in the terms both
//! teams use: fields added or removed, criteria and their points,
//! thresholds moved, knockouts, routes. `accord diff` prints it; the studio
//! will show it beside the last agreed version.

use crate::model::{Field, RulebookDoc};
use crate::rulebook::Rulebook;
use crate::sentence::describe;
use serde::Serialize;
use serde_json::Value;

/// One change, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Which part of the rulebook: `rulebook`, `fields`, `scores`,
    /// `knockouts`, `grades`, `routes` or `destinations`.
    pub area: &'static str,
    /// What changed, e.g. `“Large company” (Fit): 10 → 15 points`.
    pub text: String,
}

/// Every change from `old` to `new`, area by area, in rulebook order.
pub fn changes(old: &Rulebook, new: &Rulebook) -> Vec<Change> {
    let mut out = Vec::new();
    let (a, b) = (old.doc(), new.doc());
    let mut push = |area: &'static str, text: String| out.push(Change { area, text });
    if a.id != b.id {
        push("rulebook", format!("id {} → {}", a.id, b.id));
    }
    if a.version != b.version {
        push("rulebook", format!("version {} → {}", a.version, b.version));
    }
    if a.title != b.title {
        push("rulebook", format!("title “{}” → “{}”", a.title, b.title));
    }
    fields(old, new, &mut push);
    scores(old, new, &mut push);
    knockouts(old, new, &mut push);
    grades(old, new, &mut push);
    routes(old, new, &mut push);
    let kinds = |d: &RulebookDoc| {
        d.destinations
            .iter()
            .map(|d| serde_json::to_value(d).unwrap_or(Value::Null).to_string())
            .collect::<Vec<_>>()
    };
    if kinds(a) != kinds(b) {
        push(
            "destinations",
            format!(
                "destinations changed ({} → {})",
                a.destinations.len(),
                b.destinations.len()
            ),
        );
    }
    out
}

/// A field as "“Label” (id)".
fn field_name(f: &Field) -> String {
    format!("“{}” ({})", f.label, f.id)
}

fn fields(old: &Rulebook, new: &Rulebook, push: &mut impl FnMut(&'static str, String)) {
    let (a, b) = (&old.doc().fields, &new.doc().fields);
    for f in b.iter().filter(|f| !a.iter().any(|o| o.id == f.id)) {
        push(
            "fields",
            format!(
                "{} added ({}{})",
                field_name(f),
                f.kind.name(),
                if f.required { ", required" } else { "" }
            ),
        );
    }
    for f in a.iter().filter(|f| !b.iter().any(|n| n.id == f.id)) {
        push("fields", format!("{} removed", field_name(f)));
    }
    for (o, n) in a
        .iter()
        .filter_map(|o| b.iter().find(|n| n.id == o.id).map(|n| (o, n)))
    {
        let name = field_name(n);
        if o.label != n.label {
            push("fields", format!("{name}: label was “{}”", o.label));
        }
        if o.kind != n.kind {
            push(
                "fields",
                format!("{name}: type {} → {}", o.kind.name(), n.kind.name()),
            );
        }
        if o.required != n.required {
            push(
                "fields",
                format!(
                    "{name}: {}",
                    if n.required {
                        "now required"
                    } else {
                        "no longer required"
                    }
                ),
            );
        }
        for opt in n
            .options
            .iter()
            .filter(|x| !o.options.iter().any(|y| y.value == x.value))
        {
            push(
                "fields",
                format!("{name}: option “{}” added", opt.display()),
            );
        }
        for opt in o
            .options
            .iter()
            .filter(|x| !n.options.iter().any(|y| y.value == x.value))
        {
            push(
                "fields",
                format!("{name}: option “{}” removed", opt.display()),
            );
        }
        if o.show_if != n.show_if {
            push(
                "fields",
                format!(
                    "{name}: shown {} → {}",
                    shown(old, o.show_if.as_ref()),
                    shown(new, n.show_if.as_ref())
                ),
            );
        }
    }
}

fn shown(rulebook: &Rulebook, when: Option<&Value>) -> String {
    when.map_or_else(
        || "always".to_owned(),
        |w| format!("when {}", describe(rulebook, w)),
    )
}

fn scores(old: &Rulebook, new: &Rulebook, push: &mut impl FnMut(&'static str, String)) {
    let (a, b) = (&old.doc().scores, &new.doc().scores);
    for s in b.iter().filter(|s| !a.iter().any(|o| o.id == s.id)) {
        push("scores", format!("score “{}” ({}) added", s.label, s.id));
    }
    for s in a.iter().filter(|s| !b.iter().any(|n| n.id == s.id)) {
        push("scores", format!("score “{}” ({}) removed", s.label, s.id));
    }
    for n in b {
        let o = a.iter().find(|o| o.id == n.id);
        if let Some(o) = o {
            if o.cap != n.cap {
                let cap = |c: Option<i64>| c.map_or_else(|| "none".to_owned(), |c| c.to_string());
                push(
                    "scores",
                    format!("“{}”: cap {} → {}", n.label, cap(o.cap), cap(n.cap)),
                );
            }
        }
        let before = o.map(|o| o.criteria.as_slice()).unwrap_or_default();
        for c in &n.criteria {
            let name = format!("“{}” ({})", c.label, n.label);
            match before.iter().find(|x| x.id == c.id) {
                None => push(
                    "scores",
                    format!(
                        "{name} added: {:+} points when {}",
                        c.points,
                        describe(new, &c.when)
                    ),
                ),
                Some(x) => {
                    if x.points != c.points {
                        push(
                            "scores",
                            format!("{name}: {} → {} points", x.points, c.points),
                        );
                    }
                    if x.when != c.when {
                        push(
                            "scores",
                            format!(
                                "{name}: when {} → when {}",
                                describe(old, &x.when),
                                describe(new, &c.when)
                            ),
                        );
                    }
                }
            }
        }
        for x in before
            .iter()
            .filter(|x| !n.criteria.iter().any(|c| c.id == x.id))
        {
            push(
                "scores",
                format!(
                    "“{}” ({}) removed ({:+} points)",
                    x.label, n.label, x.points
                ),
            );
        }
    }
}

fn knockouts(old: &Rulebook, new: &Rulebook, push: &mut impl FnMut(&'static str, String)) {
    let (a, b) = (&old.doc().knockouts, &new.doc().knockouts);
    for k in b {
        match a.iter().find(|o| o.id == k.id) {
            None => push(
                "knockouts",
                format!("“{}” added: out when {}", k.label, describe(new, &k.when)),
            ),
            Some(o) if o.when != k.when => push(
                "knockouts",
                format!(
                    "“{}”: out when {} → when {}",
                    k.label,
                    describe(old, &o.when),
                    describe(new, &k.when)
                ),
            ),
            Some(_) => {}
        }
    }
    for k in a.iter().filter(|k| !b.iter().any(|n| n.id == k.id)) {
        push("knockouts", format!("“{}” removed", k.label));
    }
}

fn grades(old: &Rulebook, new: &Rulebook, push: &mut impl FnMut(&'static str, String)) {
    let (a, b) = (&old.doc().grades, &new.doc().grades);
    let rule = |rb: &Rulebook, when: Option<&Value>| {
        when.map_or_else(|| "every other lead".to_owned(), |w| describe(rb, w))
    };
    for g in b {
        let name = format!("“{}” ({})", g.label, g.id);
        match a.iter().find(|o| o.id == g.id) {
            None => push(
                "grades",
                format!("{name} added: {}", rule(new, g.when.as_ref())),
            ),
            Some(o) => {
                if o.when != g.when {
                    push(
                        "grades",
                        format!(
                            "{name}: {} → {}",
                            rule(old, o.when.as_ref()),
                            rule(new, g.when.as_ref())
                        ),
                    );
                }
                if o.sla_minutes != g.sla_minutes {
                    let sla = |m: Option<i64>| {
                        m.map_or_else(|| "none".to_owned(), |m| format!("{m} min"))
                    };
                    push(
                        "grades",
                        format!(
                            "{name}: SLA {} → {}",
                            sla(o.sla_minutes),
                            sla(g.sla_minutes)
                        ),
                    );
                }
            }
        }
    }
    for g in a.iter().filter(|g| !b.iter().any(|n| n.id == g.id)) {
        push("grades", format!("“{}” ({}) removed", g.label, g.id));
    }
    let (before, after) = (shared_order(a, b), shared_order(b, a));
    if before != after {
        push(
            "grades",
            format!("order {} → {}", before.join(", "), after.join(", ")),
        );
    }
}

/// The ids of `grades` that `other` has too, in `grades`' order.
fn shared_order<'a>(
    grades: &'a [crate::model::Grade],
    other: &[crate::model::Grade],
) -> Vec<&'a str> {
    grades
        .iter()
        .filter(|g| other.iter().any(|o| o.id == g.id))
        .map(|g| g.id.as_str())
        .collect()
}

fn routes(old: &Rulebook, new: &Rulebook, push: &mut impl FnMut(&'static str, String)) {
    let (a, b) = (&old.doc().routes, &new.doc().routes);
    let rule = |rb: &Rulebook, when: Option<&Value>| {
        when.map_or_else(|| "every lead".to_owned(), |w| describe(rb, w))
    };
    for (i, r) in b.iter().enumerate() {
        let team = &r.to.team;
        match a.iter().position(|o| o.to.team == *team) {
            None => push(
                "routes",
                format!("to {team} added: {}", rule(new, r.when.as_ref())),
            ),
            Some(j) => {
                let o = &a[j];
                if o.when != r.when {
                    push(
                        "routes",
                        format!(
                            "to {team}: {} → {}",
                            rule(old, o.when.as_ref()),
                            rule(new, r.when.as_ref())
                        ),
                    );
                }
                if j != i {
                    push(
                        "routes",
                        format!("to {team}: position {} → {}", j + 1, i + 1),
                    );
                }
                if o.to != r.to || o.owner_pool != r.owner_pool {
                    push(
                        "routes",
                        format!("to {team}: owner or booking page changed"),
                    );
                }
            }
        }
    }
    for r in a
        .iter()
        .filter(|r| !b.iter().any(|n| n.to.team == r.to.team))
    {
        push("routes", format!("to {} removed", r.to.team));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn base() -> Value {
        json!({
            "accord": 1, "id": "inbound", "version": "1", "title": "Demo",
            "fields": [
                {"id": "employees", "label": "Company size", "type": "choice", "required": true,
                 "options": [{"value": "big", "label": "1,000 or more"}, {"value": "small"}]},
                {"id": "budget", "label": "Budget approved", "type": "yes_no"}
            ],
            "scores": [{"id": "fit", "label": "Fit", "criteria": [
                {"id": "large", "label": "Large company", "when": {"==": [{"var": "employees"}, "big"]}, "points": 10}]}],
            "knockouts": [{"id": "tiny", "label": "Too small", "when": {"==": [{"var": "employees"}, "small"]}}],
            "grades": [
                {"id": "sql", "label": "Sales-ready", "when": {">=": [{"var": "score.total"}, 60]}},
                {"id": "mql", "label": "Marketing-qualified"}
            ],
            "routes": [{"to": {"team": "sales"}}]
        })
    }

    #[test]
    fn changes_read_in_the_teams_terms() {
        let old = Rulebook::from_value(&base()).unwrap();
        let mut doc = base();
        doc["version"] = json!("2");
        doc["scores"][0]["criteria"][0]["points"] = json!(15);
        doc["scores"][0]["criteria"].as_array_mut().unwrap().push(
            json!({"id": "money", "label": "Budget", "when": {"==": [{"var": "budget"}, true]}, "points": 20}),
        );
        doc["grades"][0]["when"] = json!({">=": [{"var": "score.total"}, 70]});
        doc["fields"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "timeline", "label": "Timeline", "type": "text"}));
        doc["knockouts"] = json!([]);
        doc["routes"][0]["when"] = json!({"==": [{"var": "budget"}, true]});
        let new = Rulebook::from_value(&doc).unwrap();
        let texts: Vec<String> = changes(&old, &new)
            .into_iter()
            .map(|c| format!("{}: {}", c.area, c.text))
            .collect();
        assert_eq!(
            texts,
            [
                "rulebook: version 1 → 2",
                "fields: “Timeline” (timeline) added (text)",
                "scores: “Large company” (Fit): 10 → 15 points",
                "scores: “Budget” (Fit) added: +20 points when Budget approved is yes",
                "knockouts: “Too small” removed",
                "grades: “Sales-ready” (sql): Total ≥ 60 → Total ≥ 70",
                "routes: to sales: every lead → Budget approved is yes",
            ]
        );
        assert!(changes(&old, &old).is_empty());
    }
}
