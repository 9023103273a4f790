//! What the studio knows about the draft after each edit: whether it is a
//! valid rulebook, every problem placed at the control it concerns, the
//! fixtures' results and the sign-offs.

use accord_core::{agreement_sha256, sign_offs, FixtureResult, Rulebook, SignOff};
use serde_json::Value;
use std::rc::Rc;

/// One validation error, placed at a control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where the engine found it, e.g. `scores[0].criteria[2].when`.
    pub path: String,
    /// The control that shows it: the path of the nearest control that
    /// edits `path` or holds it ([`control_for`]).
    pub control: String,
    /// The rule or field id, when the error names one.
    pub id: Option<String>,
    /// The cause, in words.
    pub message: String,
}

/// The draft, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The rulebook, when the draft is valid.
    pub rulebook: Option<Rc<Rulebook>>,
    /// Every problem, in the engine's order.
    pub problems: Vec<Problem>,
    /// Each fixture's result (none when the draft is invalid).
    pub fixtures: Vec<FixtureResult>,
    /// The agreement hash of the draft (`accord_core::agreement_sha256`).
    pub agreement: String,
    /// Each sign-off and whether it covers the draft (none when invalid).
    pub sign_offs: Vec<SignOff>,
}

impl Checked {
    /// Validates `doc`, runs its fixtures and judges its sign-offs.
    pub fn of(doc: &Value) -> Checked {
        let agreement = agreement_sha256(doc);
        match Rulebook::from_value(doc) {
            Ok(rulebook) => Checked {
                fixtures: rulebook.run_fixtures(),
                sign_offs: sign_offs(rulebook.doc(), &agreement),
                rulebook: Some(Rc::new(rulebook)),
                problems: Vec::new(),
                agreement,
            },
            Err(errors) => Checked {
                rulebook: None,
                problems: errors
                    .errors()
                    .iter()
                    .map(|e| Problem {
                        control: control_for(&e.path),
                        path: e.path.clone(),
                        id: e.id.clone(),
                        message: e.kind.to_string(),
                    })
                    .collect(),
                fixtures: Vec::new(),
                agreement,
                sign_offs: Vec::new(),
            },
        }
    }

    /// The problems shown at `control`.
    pub fn at<'a>(&'a self, control: &'a str) -> impl Iterator<Item = &'a Problem> + 'a {
        self.problems.iter().filter(move |p| p.control == control)
    }
}

/// The paths the studio has a control for, with every list index written
/// `[]`. A problem is shown at the longest of these its path starts with.
pub const CONTROLS: &[&str] = &[
    "id",
    "version",
    "title",
    "description",
    "locale",
    "report_endpoint",
    "strings",
    "agreed_by",
    "agreed_by[]",
    "fields",
    "fields[]",
    "fields[].id",
    "fields[].label",
    "fields[].type",
    "fields[].required",
    "fields[].options",
    "fields[].options[]",
    "fields[].options[].value",
    "fields[].options[].label",
    "fields[].show_if",
    "fields[].ask",
    "fields[].help",
    "fields[].placeholder",
    "fields[].autocomplete",
    "fields[].min",
    "fields[].max",
    "fields[].max_length",
    "fields[].multiline",
    "fields[].param",
    "fields[].value",
    "steps",
    "steps[]",
    "steps[].id",
    "steps[].title",
    "steps[].fields",
    "scores",
    "scores[]",
    "scores[].id",
    "scores[].label",
    "scores[].cap",
    "scores[].criteria",
    "scores[].criteria[]",
    "scores[].criteria[].id",
    "scores[].criteria[].label",
    "scores[].criteria[].when",
    "scores[].criteria[].points",
    "knockouts",
    "knockouts[]",
    "knockouts[].id",
    "knockouts[].label",
    "knockouts[].when",
    "knockouts[].outcome",
    "grades",
    "grades[]",
    "grades[].id",
    "grades[].label",
    "grades[].when",
    "grades[].sla_minutes",
    "grades[].outcome",
    "routes",
    "routes[]",
    "routes[].when",
    "routes[].to.team",
    "routes[].to.owner",
    "routes[].to.booking_url",
    "routes[].owner_pool",
    "destinations",
    "destinations[]",
    "feedback",
    "feedback.reject_reasons",
    "feedback.reject_reasons[]",
    "feedback.reject_reasons[].id",
    "feedback.reject_reasons[].label",
    "fixtures",
    "fixtures[]",
];

/// The control that shows a problem at `path`: the longest prefix of
/// `path` the studio has a control for ([`CONTROLS`]), or `""` (the
/// document as a whole).
pub fn control_for(path: &str) -> String {
    let mut here = path;
    loop {
        if CONTROLS.contains(&pattern(here).as_str()) {
            return here.to_owned();
        }
        // Climb one step: `a.b` → `a`, `a[3]` → `a`.
        match here.rfind(['.', '[']) {
            Some(cut) => here = &here[..cut],
            None => return String::new(),
        }
    }
}

/// `path` with each list index written `[]`.
fn pattern(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_problem_is_shown_at_the_nearest_control() {
        assert_eq!(
            control_for("scores[0].criteria[12].when"),
            "scores[0].criteria[12].when"
        );
        assert_eq!(control_for("grades[1].when.and[0]"), "grades[1].when");
        assert_eq!(control_for("fields[3].requried"), "fields[3]");
        assert_eq!(
            control_for("destinations[0].field_map.answers.email"),
            "destinations[0]"
        );
        assert_eq!(control_for(""), "");
        assert_eq!(control_for("nonsense"), "");
    }

    #[test]
    fn a_bad_threshold_is_a_problem_at_its_grade_condition() {
        let doc = json!({"accord": 1, "id": "t", "version": "1", "title": "T",
            "fields": [{"id": "size", "label": "Size", "type": "number"}],
            "grades": [{"id": "a", "label": "A", "when": {">=": [{"var": "size"}, "ten"]}},
                       {"id": "b", "label": "B"}]});
        let checked = Checked::of(&doc);
        assert!(checked.rulebook.is_none());
        let problem = &checked.problems[0];
        assert_eq!(problem.control, "grades[0].when", "{problem:?}");
        assert_eq!(checked.at("grades[0].when").count(), 1);
    }
}
