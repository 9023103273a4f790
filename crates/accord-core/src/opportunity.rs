//! What is still missing to reach the next grade.
//!
//! During a call, a rep wants to know which unanswered questions could
//! still change the grade, best first. For each visible, unanswered
//! question this module tries the answers that matter — every option of a
//! choice, yes and no, the numbers the rulebook's conditions compare with
//! (and their neighbours) — qualifies the lead with each, and keeps the
//! best outcome: the best grade reachable with that one answer, the most
//! points it can add, and whether some answer knocks the lead out.
//!
//! Grades are ranked in rulebook order (the first grade is the best, as
//! grades are matched first to last); a knockout ranks below every grade.
//! Free-text questions (text, email, phone) are not tried: there is no
//! short list of answers to try.

use crate::model::{Audience, Context, FieldType, Status, DISQUALIFIED};
use crate::qualify::{Answers, Qualification};
use crate::rulebook::Rulebook;
use accord_logic::js::number_value;
use serde::Serialize;
use serde_json::Value;

/// One unanswered question that could change the result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Opportunity {
    /// The field id.
    pub field: String,
    /// The field's label.
    pub label: String,
    /// The best grade one answer to this question reaches.
    pub best_grade: String,
    /// Whether that grade is better than the current one.
    pub lifts_grade: bool,
    /// The most points one answer adds to the total (0 if none).
    pub points: i64,
    /// Whether some answer knocks the lead out.
    pub can_knock_out: bool,
}

/// The current grade, the next one up, and the questions that matter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Opportunities {
    /// The grade now (`disqualified` when knocked out).
    pub grade: String,
    /// The grade just above the current one, if there is one.
    pub next_grade: Option<String>,
    /// Questions that could raise the grade or the score, or knock the
    /// lead out: those that lift the grade first (best grade first), then
    /// by points, then in field order.
    pub questions: Vec<Opportunity>,
}

impl Rulebook {
    /// The unanswered questions that could still change `answers`'
    /// result for `audience`, best first.
    pub fn opportunities(
        &self,
        answers: &Answers,
        context: &Context,
        audience: Audience,
    ) -> Opportunities {
        let (now, visible) = self.qualify_visible(answers, context, audience);
        let current_rank = self.rank(&now);
        let current_total = total(&now);
        let numbers = self.compared_numbers();
        let doc = self.doc();
        let mut questions = Vec::new();
        for (index, field) in doc.fields.iter().enumerate() {
            let asked = field.ask.is_empty() || field.ask.contains(&audience);
            let answered = answers.get(&field.id).is_some_and(|v| !is_empty(v));
            if !asked || answered || !visible.get(index).copied().unwrap_or(true) {
                continue;
            }
            let candidates = candidates(field, &numbers);
            if candidates.is_empty() {
                continue;
            }
            let mut best_rank = usize::MAX;
            let mut best_points = 0i64;
            let mut can_knock_out = false;
            let mut trial = answers.clone();
            for value in candidates {
                trial.insert(field.id.clone(), value);
                let q = self.qualify(&trial, context, audience);
                if q.status == Status::KnockedOut {
                    can_knock_out = true;
                }
                best_rank = best_rank.min(self.rank(&q));
                best_points = best_points.max(total(&q) - current_total);
            }
            let lifts_grade = best_rank < current_rank;
            if !lifts_grade && best_points <= 0 && !can_knock_out {
                continue;
            }
            let best_grade = doc
                .grades
                .get(best_rank)
                .map_or_else(|| DISQUALIFIED.to_owned(), |g| g.id.clone());
            questions.push((
                index,
                best_rank,
                Opportunity {
                    field: field.id.clone(),
                    label: field.label.clone(),
                    best_grade,
                    lifts_grade,
                    points: best_points,
                    can_knock_out,
                },
            ));
        }
        questions.sort_by(|a, b| {
            let key = |(index, rank, o): &(usize, usize, Opportunity)| {
                (
                    !o.lifts_grade,
                    if o.lifts_grade { *rank } else { 0 },
                    -o.points,
                    *index,
                )
            };
            key(a).cmp(&key(b))
        });
        let next_grade = match current_rank {
            0 => None,
            rank => doc
                .grades
                .get(rank.min(doc.grades.len()) - 1)
                .map(|g| g.id.clone()),
        };
        Opportunities {
            grade: now.grade,
            next_grade,
            questions: questions.into_iter().map(|(_, _, o)| o).collect(),
        }
    }

    /// A grade's place in the rulebook (0 is the best); knocked-out leads
    /// come after every grade.
    fn rank(&self, q: &Qualification) -> usize {
        let grades = &self.doc().grades;
        if q.status == Status::KnockedOut {
            return grades.len();
        }
        grades
            .iter()
            .position(|g| g.id == q.grade)
            .unwrap_or(grades.len())
    }

    /// Every number the rulebook's conditions mention, and its neighbours,
    /// so that `>=`, `>`, `<` and between tests can each be met and missed.
    fn compared_numbers(&self) -> Vec<f64> {
        let doc = self.doc();
        let mut numbers = vec![0.0];
        let conditions = doc
            .scores
            .iter()
            .flat_map(|s| s.criteria.iter().map(|c| &c.when))
            .chain(doc.knockouts.iter().map(|k| &k.when))
            .chain(doc.grades.iter().filter_map(|g| g.when.as_ref()));
        for condition in conditions {
            collect_numbers(condition, &mut numbers);
        }
        numbers.sort_by(f64::total_cmp);
        numbers.dedup();
        numbers
    }
}

fn collect_numbers(value: &Value, out: &mut Vec<f64>) {
    match value {
        Value::Number(n) => {
            if let Some(n) = n.as_f64() {
                out.extend([n - 1.0, n, n + 1.0]);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_numbers(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect_numbers(v, out)),
        _ => {}
    }
}

fn candidates(field: &crate::model::Field, numbers: &[f64]) -> Vec<Value> {
    let options = || field.options.iter().map(|o| Value::String(o.value.clone()));
    match field.kind {
        FieldType::YesNo => vec![Value::Bool(true), Value::Bool(false)],
        FieldType::Consent => vec![Value::Bool(true)],
        FieldType::Choice => options().collect(),
        FieldType::MultiChoice => {
            let mut all: Vec<Value> = options().map(|v| Value::Array(vec![v])).collect();
            all.push(Value::Array(options().collect()));
            all
        }
        FieldType::Number => numbers
            .iter()
            .filter(|n| field.min.is_none_or(|min| **n >= min))
            .filter(|n| field.max.is_none_or(|max| **n <= max))
            .filter(|n| n.is_finite())
            .map(|n| number_value(*n))
            .collect(),
        FieldType::Text | FieldType::Email | FieldType::Phone | FieldType::Hidden => Vec::new(),
    }
}

fn total(q: &Qualification) -> i64 {
    q.scores.get("total").copied().unwrap_or(0)
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn meddpicc() -> Rulebook {
        let text = include_str!("../../../static/rulebooks/meddpicc-call.json");
        Rulebook::from_json(text).unwrap()
    }

    fn answers(value: Value) -> Answers {
        serde_json::from_value(value).unwrap()
    }

    fn ids(o: &Opportunities) -> Vec<&str> {
        o.questions.iter().map(|q| q.field.as_str()).collect()
    }

    #[test]
    fn with_nothing_answered_the_biggest_levers_come_first() {
        let rb = meddpicc();
        let o = rb.opportunities(&Answers::new(), &Context::default(), Audience::Call);
        assert_eq!(o.grade, "pipeline");
        assert_eq!(o.next_grade.as_deref(), Some("best-case"));
        // No single answer reaches best-case (60 points) from nothing, so
        // the list is by points: champion, pain and economic buyer (20
        // each, in field order), then deal size (20, and it can knock out).
        assert!(o.questions.iter().all(|q| !q.lifts_grade));
        assert_eq!(
            &ids(&o)[..4],
            ["economic_buyer", "pain", "champion", "deal_size"]
        );
        let pain = o.questions.iter().find(|q| q.field == "pain").unwrap();
        assert!(pain.can_knock_out, "\"no pain\" knocks the deal out");
        assert_eq!(pain.points, 20);
        assert!(!ids(&o).contains(&"company"), "free text is not tried");
    }

    #[test]
    fn the_list_changes_as_answers_arrive() {
        let rb = meddpicc();
        let mut a =
            answers(json!({"metrics": true, "economic_buyer": "engaged", "pain": "critical"}));
        let o = rb.opportunities(&a, &Context::default(), Audience::Call);
        assert_eq!(o.grade, "pipeline");
        // 55 points: one strong champion (20) lifts it to best-case.
        let first = &o.questions[0];
        assert_eq!(first.field, "champion");
        assert!(first.lifts_grade);
        assert_eq!(first.best_grade, "best-case");
        assert!(
            !ids(&o).contains(&"pain"),
            "answered questions leave the list"
        );

        a.insert("champion".into(), json!("strong"));
        let o = rb.opportunities(&a, &Context::default(), Audience::Call);
        assert_eq!(o.grade, "best-case");
        assert_eq!(o.next_grade.as_deref(), Some("commit"));
        assert!(!ids(&o).contains(&"champion"));
        // 75 points: 100 needs more than one answer, so nothing lifts alone;
        // the deal size (up to +35 with the close) is first.
        assert_eq!(o.questions[0].field, "deal_size");
        assert_eq!(o.questions[0].points, 20);
    }

    #[test]
    fn at_the_top_grade_there_is_no_next_grade() {
        let rb = meddpicc();
        let a = answers(
            json!({"metrics": true, "economic_buyer": "engaged", "pain": "critical",
            "champion": "strong", "decision_criteria": true, "decision_process": "documented",
            "paper_process": true, "deal_size": 90000}),
        );
        let o = rb.opportunities(&a, &Context::default(), Audience::Call);
        assert_eq!(o.grade, "commit");
        assert_eq!(o.next_grade, None);
        assert!(o.questions.iter().all(|q| !q.lifts_grade));
    }
}
