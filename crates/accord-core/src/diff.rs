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
    enrichment(a, b, &mut push);
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

/// Attributes and providers of `enrichment` added, removed or changed,
/// by id.
fn enrichment(a: &RulebookDoc, b: &RulebookDoc, push: &mut impl FnMut(&'static str, String)) {
    /// Each item's id and JSON text, to compare.
    fn by_id<T: serde::Serialize>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<(String, String)> {
        items
            .iter()
            .map(|v| {
                (
                    id(v).to_owned(),
                    serde_json::to_string(v).unwrap_or_default(),
                )
            })
            .collect()
    }
    let parts = |d: &RulebookDoc| match &d.enrichment {
        Some(e) => (
            by_id(&e.attributes, |a| &a.id),
            by_id(&e.providers, |p| &p.id),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let ((old_attributes, old_providers), (new_attributes, new_providers)) = (parts(a), parts(b));
    for (what, old, new) in [
        ("attribute", old_attributes, new_attributes),
        ("provider", old_providers, new_providers),
    ] {
        for (id, text) in &old {
            match new.iter().find(|(n, _)| n == id) {
                None => push("enrichment", format!("{what} `{id}` removed")),
                Some((_, t)) if t != text => push("enrichment", format!("{what} `{id}` changed")),
                Some(_) => {}
            }
        }
        for (id, _) in new.iter().filter(|(n, _)| !old.iter().any(|(o, _)| o == n)) {
            push("enrichment", format!("{what} `{id}` added"));
        }
    }
}

/// Two versions of a condition in words; as JsonLogic when the words are
/// the same (`==` and `===`, `10` and `10.0`, a `var` written two ways).
fn both(old: &Rulebook, a: &Value, new: &Rulebook, b: &Value) -> (String, String) {
    let (x, y) = (describe(old, a), describe(new, b));
    if x == y {
        (a.to_string(), b.to_string())
    } else {
        (x, y)
    }
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
        if o.skip_when_enriched != n.skip_when_enriched {
            let said = |s: &Option<String>| match s {
                Some(a) => format!("skipped when `enriched.{a}` is known"),
                None => "always asked".to_owned(),
            };
            push(
                "fields",
                format!(
                    "{name}: {} → {}",
                    said(&o.skip_when_enriched),
                    said(&n.skip_when_enriched)
                ),
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
        let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
        let number = |v: Option<f64>| v.map_or_else(|| "none".to_owned(), |v| v.to_string());
        if o.ask != n.ask {
            let names = |f: &Field| {
                f.ask
                    .iter()
                    .map(|a| a.name())
                    .collect::<Vec<_>>()
                    .join(" and ")
            };
            push(
                "fields",
                format!("{name}: asked of {} → {}", names(o), names(n)),
            );
        }
        if o.min != n.min || o.max != n.max {
            push(
                "fields",
                format!(
                    "{name}: range {}–{} → {}–{}",
                    number(o.min),
                    number(o.max),
                    number(n.min),
                    number(n.max)
                ),
            );
        }
        if o.max_length != n.max_length {
            let len = |v: Option<u32>| v.map_or_else(|| "default".to_owned(), |v| v.to_string());
            push(
                "fields",
                format!(
                    "{name}: longest answer {} → {}",
                    len(o.max_length),
                    len(n.max_length)
                ),
            );
        }
        if o.value != n.value || o.param != n.param {
            push(
                "fields",
                format!(
                    "{name}: filled from value {} / parameter {} → {} / {}",
                    text(&o.value),
                    text(&o.param),
                    text(&n.value),
                    text(&n.param)
                ),
            );
        }
        for opt in n.options.iter() {
            if let Some(before) = o.options.iter().find(|x| x.value == opt.value) {
                if before.display() != opt.display() {
                    push(
                        "fields",
                        format!(
                            "{name}: option “{}” now reads “{}”",
                            before.display(),
                            opt.display()
                        ),
                    );
                }
            }
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
            if o.label != n.label {
                push(
                    "scores",
                    format!("“{}” ({}): label was “{}”", n.label, n.id, o.label),
                );
            }
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
                        let (a, b) = both(old, &x.when, new, &c.when);
                        push("scores", format!("{name}: when {a} → when {b}"));
                    }
                    if x.label != c.label {
                        push("scores", format!("{name}: label was “{}”", x.label));
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
            Some(o) => {
                if o.when != k.when {
                    let (a, b) = both(old, &o.when, new, &k.when);
                    push(
                        "knockouts",
                        format!("“{}”: out when {a} → when {b}", k.label),
                    );
                }
                if o.label != k.label {
                    push(
                        "knockouts",
                        format!("“{}”: label was “{}”", k.label, o.label),
                    );
                }
                if o.outcome != k.outcome {
                    push(
                        "knockouts",
                        format!("“{}”: what the visitor sees changed", k.label),
                    );
                }
            }
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
                    let (a, b) = match (&o.when, &g.when) {
                        (Some(x), Some(y)) => both(old, x, new, y),
                        _ => (rule(old, o.when.as_ref()), rule(new, g.when.as_ref())),
                    };
                    push("grades", format!("{name}: {a} → {b}"));
                }
                if o.label != g.label {
                    push("grades", format!("{name}: label was “{}”", o.label));
                }
                if o.outcome != g.outcome {
                    push("grades", format!("{name}: what the visitor sees changed"));
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
    // A route is known by its team and, when several routes share a team,
    // by which of them it is (the first, the second…).
    let keyed = |routes: &[crate::model::Route]| -> Vec<(String, usize)> {
        let mut seen: Vec<&str> = Vec::new();
        routes
            .iter()
            .map(|r| {
                let k = seen.iter().filter(|t| **t == r.to.team).count();
                seen.push(&r.to.team);
                (r.to.team.clone(), k)
            })
            .collect()
    };
    let (ka, kb) = (keyed(a), keyed(b));
    let label = |(team, k): &(String, usize)| {
        if *k == 0 {
            format!("to {team}")
        } else {
            format!("to {team} (#{})", k + 1)
        }
    };
    for (i, key) in kb.iter().enumerate() {
        let r = &b[i];
        let name = label(key);
        match ka.iter().position(|k| k == key) {
            None => push(
                "routes",
                format!("{name} added: {}", rule(new, r.when.as_ref())),
            ),
            Some(j) => {
                let o = &a[j];
                if o.when != r.when {
                    let (x, y) = match (&o.when, &r.when) {
                        (Some(x), Some(y)) => both(old, x, new, y),
                        _ => (rule(old, o.when.as_ref()), rule(new, r.when.as_ref())),
                    };
                    push("routes", format!("{name}: {x} → {y}"));
                }
                if o.to != r.to || o.owner_pool != r.owner_pool {
                    push("routes", format!("{name}: owner or booking page changed"));
                }
            }
        }
    }
    for key in ka.iter().filter(|k| !kb.contains(k)) {
        push("routes", format!("{} removed", label(key)));
    }
    // The order of the routes both have (the first that matches wins).
    let shared = |keys: &[(String, usize)], other: &[(String, usize)]| -> Vec<String> {
        keys.iter()
            .filter(|k| other.contains(k))
            .map(label)
            .collect()
    };
    let (before, after) = (shared(&ka, &kb), shared(&kb, &ka));
    if before != after {
        push(
            "routes",
            format!("order {} → {}", before.join(", "), after.join(", ")),
        );
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

    #[test]
    fn routes_of_one_team_are_told_apart_and_limits_count() {
        let mut a = base();
        a["routes"] = json!([
            {"when": {"==": [{"var": "budget"}, true]}, "to": {"team": "sales", "owner": "ae"}},
            {"to": {"team": "sales", "owner": "sdr"}}
        ]);
        a["fields"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "seats", "label": "Seats", "type": "number", "max": 1000}));
        let old = Rulebook::from_value(&a).unwrap();
        let mut b = a.clone();
        b["routes"][1]["when"] = json!({"==": [{"var": "employees"}, "big"]});
        b["routes"]
            .as_array_mut()
            .unwrap()
            .push(json!({"to": {"team": "nurture"}}));
        b["fields"][2]["max"] = json!(100);
        b["grades"][0]["when"] = json!({">=": [{"var": "score.total"}, 60.0]});
        let new = Rulebook::from_value(&b).unwrap();
        let texts: Vec<String> = changes(&old, &new).into_iter().map(|c| c.text).collect();
        assert_eq!(
            texts,
            [
                "“Seats” (seats): range none–1000 → none–100",
                "“Sales-ready” (sql): Total ≥ 60 → Total ≥ 60.0",
                "to sales (#2): every lead → Company size is “1,000 or more”",
                "to nurture added: every lead",
            ]
        );
    }
}
