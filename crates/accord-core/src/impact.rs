//! What a rulebook change does to a set of leads: each lead qualified
//! with the old and the new rulebook, counted into the grade transition
//! matrix, route changes, knockouts gained and lost and each criterion's
//! hits, with what became of the leads (their fates from an outcomes
//! file) per grade and per move. `accord diff` and the studio's impact
//! report both count with it.

use crate::model::DISQUALIFIED;
use crate::outcomes_file::LeadFate;
use crate::qualify::Assessment;
use crate::rulebook::Rulebook;
use serde::Serialize;
use std::collections::BTreeMap;

/// What a rulebook change does to a set of leads.
#[derive(Debug, Default, Serialize)]
pub struct Impact {
    /// Leads re-qualified with both rulebooks.
    pub leads: u64,
    /// Lines that could not be read (named on standard error).
    pub skipped: u64,
    /// Leads per old grade and new grade (`old → new → fates`).
    pub transitions: BTreeMap<String, BTreeMap<String, Fates>>,
    /// Leads per grade under the old rulebook.
    pub old_grades: BTreeMap<String, Fates>,
    /// Leads per grade under the new rulebook.
    pub new_grades: BTreeMap<String, Fates>,
    /// Leads whose route team changes: `old → new → leads` (`-` for none).
    pub route_changes: BTreeMap<String, BTreeMap<String, u64>>,
    /// Per knockout id: leads it now knocks out that it did not, and the
    /// reverse.
    pub knockouts: BTreeMap<String, KnockoutShift>,
    /// Per criterion (`score/criterion`): how many leads it held for under
    /// each rulebook.
    pub criteria: BTreeMap<String, CriterionHits>,
    /// Whether outcomes were joined.
    pub with_outcomes: bool,
    /// Leads that had outcomes.
    pub joined: u64,
}

/// How a knockout's reach changes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KnockoutShift {
    /// Leads knocked out by it now and not before.
    pub gained: u64,
    /// Leads knocked out by it before and not now.
    pub lost: u64,
}

/// How often a criterion held.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CriterionHits {
    /// Under the old rulebook.
    pub old: u64,
    /// Under the new one.
    pub new: u64,
}

impl Impact {
    /// Counts one lead qualified by both rulebooks.
    pub fn add(&mut self, old: &Assessment, new: &Assessment, fate: Option<&LeadFate>) {
        self.leads += 1;
        let (og, ng) = (old.grade(), new.grade());
        self.transitions
            .entry(og.to_owned())
            .or_default()
            .entry(ng.to_owned())
            .or_default()
            .add(fate);
        self.old_grades.entry(og.to_owned()).or_default().add(fate);
        self.new_grades.entry(ng.to_owned()).or_default().add(fate);
        let team = |a: &Assessment| {
            a.route
                .map_or("-", |i| a.rulebook().doc().routes[i].to.team.as_str())
                .to_owned()
        };
        let (ot, nt) = (team(old), team(new));
        if ot != nt {
            *self
                .route_changes
                .entry(ot)
                .or_default()
                .entry(nt)
                .or_default() += 1;
        }
        let knocked = |a: &Assessment| -> Vec<String> {
            a.knockouts
                .iter()
                .map(|&i| a.rulebook().doc().knockouts[i].id.clone())
                .collect()
        };
        let (ok, nk) = (knocked(old), knocked(new));
        for id in nk.iter().filter(|id| !ok.contains(id)) {
            self.knockouts.entry(id.clone()).or_default().gained += 1;
        }
        for id in ok.iter().filter(|id| !nk.contains(id)) {
            self.knockouts.entry(id.clone()).or_default().lost += 1;
        }
        let criteria = |a: &Assessment| -> Vec<String> {
            let doc = a.rulebook().doc();
            a.contributions
                .iter()
                .map(|&(s, c)| format!("{}/{}", doc.scores[s].id, doc.scores[s].criteria[c].id))
                .collect()
        };
        for id in criteria(old) {
            self.criteria.entry(id).or_default().old += 1;
        }
        for id in criteria(new) {
            self.criteria.entry(id).or_default().new += 1;
        }
    }
}

/// Outcomes of the leads of one group (a grade, or a move between grades).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Fates {
    /// Leads in the group.
    pub leads: u64,
    /// Leads with a verdict (from the outcomes).
    pub judged: u64,
    /// Leads sales accepted (an opportunity counts).
    pub accepted: u64,
    /// Leads that became an opportunity.
    pub opportunities: u64,
    /// Leads whose deal was won.
    pub won: u64,
    /// The won deals' amounts, summed.
    pub won_amount: f64,
}

impl Fates {
    /// Counts one lead of the group.
    pub fn add(&mut self, fate: Option<&LeadFate>) {
        self.leads += 1;
        let Some(fate) = fate else { return };
        if let Some(accepted) = fate.accepted() {
            self.judged += 1;
            self.accepted += u64::from(accepted);
        }
        self.opportunities += u64::from(fate.opportunity);
        self.won += u64::from(fate.won());
        self.won_amount += fate.amount().unwrap_or(0.0);
    }

    /// `part` of the group's leads, 0 to 1; `None` for an empty group.
    pub fn rate(&self, part: u64) -> Option<f64> {
        (self.leads > 0).then(|| part as f64 / self.leads as f64)
    }

    /// Accepted of judged, 0 to 1; `None` when none was judged.
    pub fn acceptance(&self) -> Option<f64> {
        (self.judged > 0).then(|| self.accepted as f64 / self.judged as f64)
    }
}

/// A lead's id as the outcomes file writes it: trimmed, in lower case.
pub fn join_key(id: &str) -> String {
    id.trim().to_ascii_lowercase()
}

/// The keys of `by_grade` in `rulebook`'s grade order, `disqualified`
/// after them, then any other.
pub fn in_grade_order<'a, T>(
    by_grade: &'a BTreeMap<String, T>,
    rulebook: &Rulebook,
) -> Vec<&'a String> {
    let order: Vec<&str> = rulebook
        .doc()
        .grades
        .iter()
        .map(|g| g.id.as_str())
        .chain(std::iter::once(DISQUALIFIED))
        .collect();
    let mut keys: Vec<&String> = by_grade.keys().collect();
    keys.sort_by_key(|k| order.iter().position(|o| o == k).unwrap_or(usize::MAX));
    keys
}

/// `part` of `whole`, 0 to 1; `None` when `whole` is 0.
pub fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}
