//! Running a rulebook's fixtures: golden leads with agreed outcomes.

use crate::canonical::json_text;
use crate::enrich::Snapshot;
use crate::model::{Audience, Fixture};
use crate::qualify::Qualification;
use crate::rulebook::Rulebook;
use serde::Serialize;

/// One expectation a fixture's lead did not meet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// What was checked: `grade`, `route`, `scores.fit` …
    pub what: String,
    /// What the fixture expects, as JSON text.
    pub expected: String,
    /// What the rulebook gave, as JSON text.
    pub actual: String,
}

/// The result of one fixture.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FixtureResult {
    /// The fixture's name.
    pub name: String,
    /// Every expectation that failed; empty when the fixture passes.
    pub mismatches: Vec<Mismatch>,
    /// The qualification the lead got.
    pub qualification: Qualification,
}

impl FixtureResult {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty()
    }
}

impl Rulebook {
    /// Runs every fixture in the rulebook.
    pub fn run_fixtures(&self) -> Vec<FixtureResult> {
        self.doc()
            .fixtures
            .iter()
            .map(|f| self.run_fixture(f))
            .collect()
    }

    /// Runs one fixture and compares the result with its expectations.
    pub fn run_fixture(&self, fixture: &Fixture) -> FixtureResult {
        let context = fixture.context.clone().unwrap_or_default();
        // Enriched as a lookup would have: questions it answers are skipped.
        let mut snapshot = Snapshot::none();
        snapshot.values = fixture.enriched.clone();
        let mut answers = fixture.answers.clone();
        snapshot.fill_answers(self, &mut answers);
        let q = self
            .assess_enriched(
                &answers,
                &context,
                Some(&snapshot.values),
                fixture.audience.unwrap_or(Audience::Form),
            )
            .qualification();
        let e = &fixture.expect;
        let mut mismatches = Vec::new();
        let mut check = |what: String, expected: String, actual: String| {
            if expected != actual {
                mismatches.push(Mismatch {
                    what,
                    expected,
                    actual,
                });
            }
        };
        if let Some(status) = &e.status {
            check("status".into(), json_text(status), json_text(&q.status));
        }
        if let Some(grade) = &e.grade {
            check("grade".into(), json_text(grade), json_text(&q.grade));
        }
        if let Some(route) = &e.route {
            let actual = q.route.as_ref().map(|r| crate::model::ExpectedRoute {
                team: r.team.clone(),
                owner: route.owner.as_ref().and(r.owner.clone()),
            });
            check(
                "route".into(),
                json_text(route),
                actual.map_or("null".into(), |a| json_text(&a)),
            );
        }
        for (id, want) in e.scores.iter().flatten() {
            let got = q.scores.get(id).map_or("null".into(), i64::to_string);
            check(format!("scores.{id}"), want.to_string(), got);
        }
        if let Some(ids) = &e.knocked_out_by {
            let got: Vec<&str> = q.knocked_out_by.iter().map(|k| k.id.as_str()).collect();
            check("knocked_out_by".into(), json_text(ids), json_text(&got));
        }
        if let Some(ids) = &e.missing {
            check("missing".into(), json_text(ids), json_text(&q.missing));
        }
        FixtureResult {
            name: fixture.name.clone(),
            mismatches,
            qualification: q,
        }
    }
}
