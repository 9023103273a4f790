//! Qualification: knockouts → scores → grade → route.

use crate::answer::{check, AnswerProblem};
use crate::model::{Audience, Context, FieldType, RouteTarget, Status, DISQUALIFIED};
use crate::rulebook::Rulebook;
use accord_logic::size::collect_by_insertion;
use accord_logic::{Data, Logic};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Answers by field id, as JSON values.
pub type Answers = Map<String, Value>;

/// A knockout that applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnockoutHit {
    /// The knockout's id.
    pub id: String,
    /// Its label.
    pub label: String,
}

/// Points one criterion gave to one score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    /// The score's id.
    pub score: String,
    /// The criterion's id.
    pub criterion: String,
    /// The criterion's label.
    pub label: String,
    /// Points given (negative points subtract).
    pub points: i64,
}

/// An answer that was given but is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvalidAnswer {
    /// The field's id.
    pub field: String,
    /// Why.
    #[serde(flatten)]
    pub problem: AnswerProblem,
}

/// The full result of running a rulebook on one lead: everything needed to
/// explain the grade line by line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Qualification {
    /// Qualified, knocked out or incomplete.
    pub status: Status,
    /// Every knockout that applied, in rulebook order.
    pub knocked_out_by: Vec<KnockoutHit>,
    /// Each score's value (after its cap) and `total`, their sum.
    pub scores: BTreeMap<String, i64>,
    /// Every criterion that held, in rulebook order.
    pub contributions: Vec<Contribution>,
    /// Scores whose points exceeded their cap.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capped: Vec<String>,
    /// The grade id: `disqualified` when knocked out; provisional when
    /// incomplete.
    pub grade: String,
    /// The first route that matched, if any.
    pub route: Option<RouteTarget>,
    /// Visible required fields without an answer, in field order.
    pub missing: Vec<String>,
    /// Answers that were given but are not acceptable.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invalid: Vec<InvalidAnswer>,
}

/// The lead as conditions see it, built once per qualification.
pub struct LeadData {
    data: Data,
    /// Whether each field (by index in the rulebook) is visible.
    pub visible: Vec<bool>,
    /// Visible required fields without an answer, by index.
    missing: Vec<usize>,
    invalid: Vec<InvalidAnswer>,
    /// Whether each consent field, in field order, was ticked.
    consent: Vec<bool>,
}

impl LeadData {
    /// The data conditions read.
    pub fn data(&self) -> &Data {
        &self.data
    }
}

/// The grade an assessment reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GradeAt {
    /// The grade at this index of the rulebook's list.
    Index(usize),
    /// Knocked out.
    Disqualified,
    /// No grade matched (a valid rulebook always has a fallback).
    None,
}

impl GradeAt {
    /// The grade's id: `disqualified` when knocked out, empty when none.
    fn id(self, rulebook: &Rulebook) -> &str {
        match self {
            GradeAt::Index(i) => &rulebook.doc().grades[i].id,
            GradeAt::Disqualified => DISQUALIFIED,
            GradeAt::None => "",
        }
    }
}

/// A qualification that refers to its rulebook's scores, criteria,
/// knockouts, grades, routes and fields by index instead of copying their
/// ids and labels: what [`Rulebook::assess`] returns for callers that score
/// many leads (the CLI writes records straight from it).
/// [`Assessment::qualification`] gives the owned [`Qualification`].
#[derive(Debug, Clone)]
pub struct Assessment<'r> {
    rulebook: &'r Rulebook,
    /// Qualified, knocked out or incomplete.
    pub status: Status,
    /// Indices of the knockouts that applied, in rulebook order.
    pub knockouts: Vec<usize>,
    /// `(score index, criterion index)` of every criterion that held, in
    /// rulebook order.
    pub contributions: Vec<(usize, usize)>,
    /// Each score's value after its cap, in rulebook order.
    pub scores: Vec<i64>,
    /// The sum of the scores.
    pub total: i64,
    /// Indices of the scores whose points exceeded their cap.
    pub capped: Vec<usize>,
    grade: GradeAt,
    /// Index of the first route that matched.
    pub route: Option<usize>,
    /// Indices of visible required fields without an answer.
    pub missing: Vec<usize>,
    /// Answers that were given but are not acceptable.
    pub invalid: Vec<InvalidAnswer>,
    /// Whether each field (by index) is visible under its `show_if`.
    pub visible: Vec<bool>,
    /// Whether each consent field, in field order, was ticked (whether or
    /// not it is visible).
    pub consent: Vec<bool>,
}

impl<'r> Assessment<'r> {
    /// The rulebook that made it.
    pub fn rulebook(&self) -> &'r Rulebook {
        self.rulebook
    }

    /// The grade id: `disqualified` when knocked out.
    pub fn grade(&self) -> &'r str {
        self.grade.id(self.rulebook)
    }

    /// Index of the grade reached in the rulebook's list (`None` when
    /// knocked out).
    pub fn grade_index(&self) -> Option<usize> {
        match self.grade {
            GradeAt::Index(i) => Some(i),
            _ => None,
        }
    }

    /// The owned form, with ids and labels copied from the rulebook.
    pub fn qualification(&self) -> Qualification {
        let doc = self.rulebook.doc();
        let scores: BTreeMap<String, i64> = collect_by_insertion(
            doc.scores
                .iter()
                .zip(&self.scores)
                .map(|(score, value)| (score.id.clone(), *value))
                .chain([("total".to_owned(), self.total)]),
        );
        Qualification {
            status: self.status,
            knocked_out_by: self
                .knockouts
                .iter()
                .map(|&i| KnockoutHit {
                    id: doc.knockouts[i].id.clone(),
                    label: doc.knockouts[i].label.clone(),
                })
                .collect(),
            scores,
            contributions: self
                .contributions
                .iter()
                .map(|&(s, c)| {
                    let (score, criterion) = (&doc.scores[s], &doc.scores[s].criteria[c]);
                    Contribution {
                        score: score.id.clone(),
                        criterion: criterion.id.clone(),
                        label: criterion.label.clone(),
                        points: criterion.points,
                    }
                })
                .collect(),
            capped: self
                .capped
                .iter()
                .map(|&i| doc.scores[i].id.clone())
                .collect(),
            grade: self.grade().to_owned(),
            route: self.route.map(|i| doc.routes[i].to.clone()),
            missing: self
                .missing
                .iter()
                .map(|&i| doc.fields[i].id.clone())
                .collect(),
            invalid: self.invalid.clone(),
        }
    }
}

/// The domain of an email address, in lower case: `derived.email_domain`,
/// and what a lookup and the built-in facts read.
pub(crate) fn email_domain_of(email: &str) -> Option<String> {
    email.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase())
}

/// Whether a lower-case domain hands out personal addresses
/// ([`FREE_MAIL_DOMAINS`]): `derived.free_mail`.
pub(crate) fn is_free_mail(domain: &str) -> bool {
    FREE_MAIL_DOMAINS.contains(&domain)
}

/// Free-mail domains: a lead with one is likely personal, not a company.
pub const FREE_MAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.co.uk",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "proton.me",
    "protonmail.com",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "mail.com",
    "yandex.com",
    "yandex.ru",
    "zoho.com",
    "qq.com",
    "163.com",
    "hey.com",
    "fastmail.com",
    "tutanota.com",
];

impl Rulebook {
    /// Qualifies one lead. Never fails: problems with answers are part of
    /// the result (`missing`, `invalid`).
    pub fn qualify(
        &self,
        answers: &Answers,
        context: &Context,
        audience: Audience,
    ) -> Qualification {
        self.assess(answers, context, audience).qualification()
    }

    /// [`Rulebook::qualify`], also returning whether each field (by index in
    /// the rulebook) is visible under its `show_if`, which a form needs on
    /// every answer and the qualification computes anyway.
    pub fn qualify_visible(
        &self,
        answers: &Answers,
        context: &Context,
        audience: Audience,
    ) -> (Qualification, Vec<bool>) {
        let assessment = self.assess(answers, context, audience);
        let qualification = assessment.qualification();
        (qualification, assessment.visible)
    }

    /// Qualifies one lead without copying the rulebook's ids and labels
    /// into the result.
    pub fn assess(
        &self,
        answers: &Answers,
        context: &Context,
        audience: Audience,
    ) -> Assessment<'_> {
        self.assess_enriched(answers, context, None, audience)
    }

    /// [`Rulebook::assess`] for a lead with enrichment values (attribute id
    /// → value, a [`crate::Snapshot`]'s `values`), which conditions read as
    /// `enriched.<id>`. A value that does not fit its attribute reads as
    /// unknown, as does every attribute without `enriched`.
    pub fn assess_enriched(
        &self,
        answers: &Answers,
        context: &Context,
        enriched: Option<&Answers>,
        audience: Audience,
    ) -> Assessment<'_> {
        let doc = self.doc();
        self.assess_by_index_enriched(
            |i| answers.get(&doc.fields[i].id),
            context,
            enriched,
            audience,
        )
    }

    /// [`Rulebook::assess`] with the answers looked up by field index
    /// (`answer(i)` is the answer to the rulebook's field `i`), for callers
    /// that read leads straight into the rulebook's field order.
    pub fn assess_by_index<'v>(
        &self,
        answer: impl Fn(usize) -> Option<&'v Value>,
        context: &Context,
        audience: Audience,
    ) -> Assessment<'_> {
        self.assess_by_index_enriched(answer, context, None, audience)
    }

    /// [`Rulebook::assess_by_index`] with enrichment values (see
    /// [`Rulebook::assess_enriched`]).
    pub fn assess_by_index_enriched<'v>(
        &self,
        answer: impl Fn(usize) -> Option<&'v Value>,
        context: &Context,
        enriched: Option<&Answers>,
        audience: Audience,
    ) -> Assessment<'_> {
        let doc = self.doc();
        let keys = &self.compiled.keys;
        let mut lead = self.lead_data_by_index(answer, context, enriched, audience);
        let data = &lead.data;

        let knockouts: Vec<usize> = (0..doc.knockouts.len())
            .filter(|&i| self.compiled.knockouts[i].holds(data))
            .collect();

        let mut scores = Vec::with_capacity(doc.scores.len());
        let mut contributions = Vec::new();
        let mut capped = Vec::new();
        let mut total = 0i64;
        for (s, (score, logic)) in doc.scores.iter().zip(&self.compiled.criteria).enumerate() {
            let mut sum = 0i64;
            for (c, (criterion, when)) in score.criteria.iter().zip(logic).enumerate() {
                if when.holds(data) {
                    sum = sum.saturating_add(criterion.points);
                    contributions.push((s, c));
                }
            }
            if let Some(cap) = score.cap {
                if sum > cap {
                    sum = cap;
                    capped.push(s);
                }
            }
            total = total.saturating_add(sum);
            scores.push(sum);
        }
        // Scores are whole numbers far inside f64's exact range.
        let mut score_data = Data::object_with_capacity(scores.len() + 1);
        for ((hash, key), value) in self
            .compiled
            .score_keys
            .iter()
            .zip(scores.iter().chain([&total]))
        {
            score_data.push_new(*hash, key, Data::Number(*value as f64));
        }
        lead.data.push_new(keys.score.0, &keys.score.1, score_data);

        let grade = if knockouts.is_empty() {
            self.compiled
                .grades
                .iter()
                .position(|when| when.as_ref().is_none_or(|w| w.holds(&lead.data)))
                .map_or(GradeAt::None, GradeAt::Index)
        } else {
            GradeAt::Disqualified
        };
        lead.data.push_new(
            keys.grade.0,
            &keys.grade.1,
            Data::String(grade.id(self).into()),
        );

        let route = self
            .compiled
            .routes
            .iter()
            .position(|when| when.as_ref().is_none_or(|w| w.holds(&lead.data)));

        let status = if !knockouts.is_empty() {
            Status::KnockedOut
        } else if !lead.missing.is_empty() || !lead.invalid.is_empty() {
            Status::Incomplete
        } else {
            Status::Qualified
        };
        Assessment {
            rulebook: self,
            status,
            knockouts,
            contributions,
            scores,
            total,
            capped,
            grade,
            route,
            missing: lead.missing,
            invalid: lead.invalid,
            visible: lead.visible,
            consent: lead.consent,
        }
    }

    /// Checks every answer, works out which fields are visible, and builds
    /// the data conditions read (answers of visible fields, `context`,
    /// `derived`). Answers of hidden fields (by `show_if`) are left out.
    pub fn lead_data(&self, answers: &Answers, context: &Context, audience: Audience) -> LeadData {
        let doc = self.doc();
        self.lead_data_by_index(|i| answers.get(&doc.fields[i].id), context, None, audience)
    }

    fn lead_data_by_index<'v>(
        &self,
        answer: impl Fn(usize) -> Option<&'v Value>,
        context: &Context,
        enriched: Option<&Answers>,
        audience: Audience,
    ) -> LeadData {
        let doc = self.doc();
        let keys = &self.compiled.keys;
        // The first email field with an address gives `derived.email_domain`;
        // its check is kept for the loop over all fields below.
        let mut email_check = None;
        for (i, field) in doc.fields.iter().enumerate() {
            if field.kind == FieldType::Email {
                let checked = check(field, answer(i));
                let found = matches!(checked, Ok(Some(Data::String(_))));
                email_check = Some((i, checked));
                if found {
                    break;
                }
            }
        }
        let email_domain = match &email_check {
            Some((_, Ok(Some(Data::String(email))))) => email_domain_of(email),
            _ => None,
        };
        let free_mail = email_domain.as_deref().is_some_and(is_free_mail);
        let mut derived = Data::object_with_capacity(2);
        derived.push_new(keys.free_mail.0, &keys.free_mail.1, Data::Bool(free_mail));
        derived.push_new(
            keys.email_domain.0,
            &keys.email_domain.1,
            email_domain.map_or(Data::Null, |d| Data::String(d.into())),
        );
        let mut ctx = Data::object_with_capacity(2);
        for ((hash, key), (_, value)) in keys.context_keys.iter().zip(context.entries()) {
            if let Some(value) = value {
                ctx.push_new(*hash, key, Data::String(value.into()));
            }
        }
        ctx.push_new(
            keys.channel.0,
            &keys.channel.1,
            Data::String(audience.channel().into()),
        );
        let mut root = Data::object_with_capacity(doc.fields.len() + 5);
        root.push_new(keys.context.0, &keys.context.1, ctx);
        root.push_new(keys.derived.0, &keys.derived.1, derived);
        if !self.compiled.attributes.is_empty() {
            let mut values = Data::object_with_capacity(self.compiled.attributes.len());
            for (attribute, (hash, key)) in &self.compiled.attributes {
                let value = enriched.and_then(|e| e.get(&attribute.id));
                if let Ok(Some(v)) = check(attribute, value) {
                    values.push_new(*hash, key, v);
                }
            }
            root.push_new(keys.enriched.0, &keys.enriched.1, values);
        }
        let mut lead = LeadData {
            data: root,
            visible: Vec::with_capacity(doc.fields.len()),
            missing: Vec::new(),
            invalid: Vec::new(),
            consent: Vec::new(),
        };
        let field_keys = &self.compiled.field_keys;
        for (i, ((field, show_if), (hash, key))) in doc
            .fields
            .iter()
            .zip(&self.compiled.show_if)
            .zip(field_keys)
            .enumerate()
        {
            let value = match email_check.take_if(|(at, _)| *at == i) {
                Some((_, checked)) => checked,
                None => check(field, answer(i)),
            };
            if field.kind == FieldType::Consent {
                lead.consent
                    .push(matches!(value, Ok(Some(Data::Bool(true)))));
            }
            let visible = show_if
                .as_ref()
                .is_none_or(|rule: &Logic| rule.holds(&lead.data));
            lead.visible.push(visible);
            // Answers and problems of fields the lead cannot see do not count.
            if !visible {
                continue;
            }
            match value {
                Ok(Some(v)) => lead.data.push_new(*hash, key, v),
                Ok(None) => {
                    if field.required && field.asked_of(audience) {
                        lead.missing.push(i);
                    }
                }
                Err(problem) => lead.invalid.push(InvalidAnswer {
                    field: field.id.clone(),
                    problem,
                }),
            }
        }
        lead
    }
}
