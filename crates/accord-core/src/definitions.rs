//! The written agreement: a rulebook as plain sentences both teams read,
//! print and sign, e.g. `Sales-ready (sql): Total ≥ 60 and Fit ≥ 30`.
//! The studio's definitions page and `accord define` show it. Each line
//! keeps the path of what it describes, so a page can link to the control
//! that edits it.

use crate::model::{Audience, RulebookDoc};
use crate::rulebook::Rulebook;
use crate::sentence::describe;
use serde::Serialize;

/// A rulebook in sentences, section by section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Definitions {
    /// Grades, disqualifiers, scores, routes and questions, in that order;
    /// a section with nothing to say is left out.
    pub sections: Vec<Section>,
}

/// One part of the agreement, e.g. "Grades".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// The section's heading.
    pub heading: String,
    /// Its definitions, in rulebook order.
    pub lines: Vec<Definition>,
}

/// One definition: what is defined, and its rule in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Definition {
    /// What is defined, e.g. `Sales-ready (sql)` or `+40 250+ employees`.
    pub term: String,
    /// The rule in words, e.g. `Total ≥ 60 and Fit ≥ 30; first touch within 1 h`.
    pub text: String,
    /// The JSON path of the item it describes, e.g. `grades[0]`.
    pub path: String,
}

/// The agreement `rulebook` writes down.
pub fn definitions(rulebook: &Rulebook) -> Definitions {
    let doc = rulebook.doc();
    let sections = [
        ("Grades", grades(rulebook)),
        ("Disqualified", knockouts(rulebook)),
        ("Scores", scores(rulebook)),
        ("Routes", routes(rulebook)),
        ("Questions", questions(doc)),
    ];
    Definitions {
        sections: sections
            .into_iter()
            .filter(|(_, lines)| !lines.is_empty())
            .map(|(heading, lines)| Section {
                heading: heading.to_owned(),
                lines,
            })
            .collect(),
    }
}

impl Definitions {
    /// As plain text: a heading per section, a line per definition.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for section in &self.sections {
            out.push_str(&section.heading);
            out.push('\n');
            for line in &section.lines {
                out.push_str(&format!("  {}: {}\n", line.term, line.text));
            }
        }
        out
    }
}

fn line(term: String, text: String, path: String) -> Definition {
    Definition { term, text, path }
}

fn grades(rulebook: &Rulebook) -> Vec<Definition> {
    let grades = &rulebook.doc().grades;
    grades
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let mut text = match &g.when {
                Some(when) => describe(rulebook, when),
                None if grades.len() == 1 => "every lead".to_owned(),
                None => "every other lead".to_owned(),
            };
            if let Some(sla) = g.sla_minutes {
                text.push_str(&format!("; first touch within {}", duration(sla)));
            }
            line(
                format!("{} ({})", g.label, g.id),
                text,
                format!("grades[{i}]"),
            )
        })
        .collect()
}

fn knockouts(rulebook: &Rulebook) -> Vec<Definition> {
    rulebook
        .doc()
        .knockouts
        .iter()
        .enumerate()
        .map(|(i, k)| {
            line(
                format!("{} ({})", k.label, k.id),
                describe(rulebook, &k.when),
                format!("knockouts[{i}]"),
            )
        })
        .collect()
}

fn scores(rulebook: &Rulebook) -> Vec<Definition> {
    let mut out = Vec::new();
    for (s, score) in rulebook.doc().scores.iter().enumerate() {
        let cap = score
            .cap
            .map(|c| format!(", at most {c}"))
            .unwrap_or_default();
        out.push(line(
            format!("{} ({})", score.label, score.id),
            format!("the points of the criteria below that hold{cap}"),
            format!("scores[{s}]"),
        ));
        for (c, criterion) in score.criteria.iter().enumerate() {
            out.push(line(
                format!("{:+} {}", criterion.points, criterion.label),
                describe(rulebook, &criterion.when),
                format!("scores[{s}].criteria[{c}]"),
            ));
        }
    }
    out
}

fn routes(rulebook: &Rulebook) -> Vec<Definition> {
    rulebook
        .doc()
        .routes
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut to = format!("team {}", r.to.team);
            if let Some(owner) = &r.to.owner {
                to.push_str(&format!(", owner {owner}"));
            }
            if !r.owner_pool.is_empty() {
                let owners: Vec<&str> = r.owner_pool.iter().map(|o| o.owner.as_str()).collect();
                to.push_str(&format!(", shared among {}", owners.join(", ")));
            }
            let when = match &r.when {
                Some(when) => describe(rulebook, when),
                None => "every other lead".to_owned(),
            };
            line(to, when, format!("routes[{i}]"))
        })
        .collect()
}

fn questions(doc: &RulebookDoc) -> Vec<Definition> {
    doc.fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut text = f.kind.name().replace('_', " ");
            if f.required {
                text.push_str(", required");
            }
            match f.ask.as_slice() {
                [Audience::Form] => text.push_str(", on the form only"),
                [Audience::Call] => text.push_str(", on calls only"),
                _ => {}
            }
            if !f.options.is_empty() {
                let options: Vec<&str> = f.options.iter().map(|o| o.display()).collect();
                text.push_str(&format!(": {}", options.join(", ")));
            }
            line(f.label.clone(), text, format!("fields[{i}]"))
        })
        .collect()
}

/// Minutes as people say them: `45 min`, `4 h`, `2 days`, `1 h 30 min`.
fn duration(minutes: i64) -> String {
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (days, hours, mins) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (1, 0, 0) => "1 day".to_owned(),
        (d, 0, 0) => format!("{d} days"),
        _ => format!("{} h", minutes as f64 / 60.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_agreement_reads_as_sentences() {
        let rulebook = Rulebook::from_value(&json!({
            "accord": 1, "id": "t", "version": "1", "title": "T",
            "fields": [
                {"id": "size", "label": "Company size", "type": "choice", "required": true,
                 "options": [{"value": "small"}, {"value": "big", "label": "250 or more"}]},
                {"id": "role", "label": "Role", "type": "text", "ask": ["call"]}],
            "scores": [{"id": "fit", "label": "Fit", "cap": 50, "criteria": [
                {"id": "big", "label": "Large company", "points": 40,
                 "when": {"==": [{"var": "size"}, "big"]}}]}],
            "knockouts": [{"id": "student", "label": "Students", "when": {"==": [{"var": "role"}, "student"]}}],
            "grades": [
                {"id": "sql", "label": "Sales-ready", "sla_minutes": 90,
                 "when": {">=": [{"var": "score.total"}, 40]}},
                {"id": "nurture", "label": "Nurture"}],
            "routes": [{"when": {"==": [{"var": "grade"}, "sql"]}, "to": {"team": "ae"}},
                       {"to": {"team": "sdr"}, "owner_pool": [{"owner": "ana"}, {"owner": "bo"}]}]
        }))
        .expect("valid");
        let text = definitions(&rulebook).to_text();
        let expected = "\
Grades
  Sales-ready (sql): Total ≥ 40; first touch within 1 h 30 min
  Nurture (nurture): every other lead
Disqualified
  Students (student): Role is “student”
Scores
  Fit (fit): the points of the criteria below that hold, at most 50
  +40 Large company: Company size is “250 or more”
Routes
  team ae: the grade is “sql”
  team sdr, shared among ana, bo: every other lead
Questions
  Company size: choice, required: small, 250 or more
  Role: text, on calls only
";
        assert_eq!(text, expected);
        let d = definitions(&rulebook);
        assert_eq!(d.sections[2].lines[1].path, "scores[0].criteria[0]");
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(45), "45 min");
        assert_eq!(duration(240), "4 h");
        assert_eq!(duration(1440), "1 day");
        assert_eq!(duration(2880), "2 days");
        assert_eq!(duration(1500), "25 h");
    }
}
