//! Qualification: knockouts → scores → grade → route.

use crate::answer::{check_answer, AnswerProblem};
use crate::logic::{Data, Logic};
use crate::model::{Audience, FieldType, RouteTarget};
use crate::rulebook::Rulebook;
use crate::validate::DISQUALIFIED;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Answers by field id, as JSON values.
pub type Answers = Map<String, Value>;

/// Where the lead came from: the page and its campaign parameters. Every
/// key is optional; conditions read them as `context.<key>`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Context {
    /// The page the form was on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// The referring page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
    /// `utm_source` of the page URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_source: Option<String>,
    /// `utm_medium`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_medium: Option<String>,
    /// `utm_campaign`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_campaign: Option<String>,
    /// `utm_term`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_term: Option<String>,
    /// `utm_content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_content: Option<String>,
}

/// The overall result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Complete and not knocked out: the grade is final.
    Qualified,
    /// A knockout applies: the grade is `disqualified`.
    KnockedOut,
    /// Required answers are missing or invalid: the grade is provisional.
    Incomplete,
}

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
    missing: Vec<String>,
    invalid: Vec<InvalidAnswer>,
}

impl LeadData {
    /// The data conditions read.
    pub fn data(&self) -> &Data {
        &self.data
    }
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
        self.qualify_visible(answers, context, audience).0
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
        let mut lead = self.lead_data(answers, context, audience);
        let doc = self.doc();
        let data = &lead.data;

        let knocked_out_by: Vec<KnockoutHit> = doc
            .knockouts
            .iter()
            .zip(&self.compiled.knockouts)
            .filter(|(_, logic)| logic.holds(data))
            .map(|(k, _)| KnockoutHit {
                id: k.id.clone(),
                label: k.label.clone(),
            })
            .collect();

        let mut scores = BTreeMap::new();
        let mut contributions = Vec::new();
        let mut capped = Vec::new();
        let mut total = 0i64;
        for (score, logic) in doc.scores.iter().zip(&self.compiled.criteria) {
            let mut sum = 0i64;
            for (criterion, when) in score.criteria.iter().zip(logic) {
                if when.holds(data) {
                    sum = sum.saturating_add(criterion.points);
                    contributions.push(Contribution {
                        score: score.id.clone(),
                        criterion: criterion.id.clone(),
                        label: criterion.label.clone(),
                        points: criterion.points,
                    });
                }
            }
            if let Some(cap) = score.cap {
                if sum > cap {
                    sum = cap;
                    capped.push(score.id.clone());
                }
            }
            total = total.saturating_add(sum);
            scores.insert(score.id.clone(), sum);
        }
        scores.insert("total".to_owned(), total);
        // Scores are whole numbers far inside f64's exact range.
        let score_value = scores
            .iter()
            .map(|(k, v)| (k.as_str().into(), Data::Number(*v as f64)))
            .collect();
        lead.data.insert("score", Data::object(score_value));

        let grade = if knocked_out_by.is_empty() {
            doc.grades
                .iter()
                .zip(&self.compiled.grades)
                .find(|(_, when)| when.as_ref().is_none_or(|w| w.holds(&lead.data)))
                .map(|(g, _)| g.id.clone())
                .unwrap_or_default()
        } else {
            DISQUALIFIED.to_owned()
        };
        lead.data
            .insert("grade", Data::String(grade.as_str().into()));

        let route = doc
            .routes
            .iter()
            .zip(&self.compiled.routes)
            .find(|(_, when)| when.as_ref().is_none_or(|w| w.holds(&lead.data)))
            .map(|(r, _)| r.to.clone());

        let status = if !knocked_out_by.is_empty() {
            Status::KnockedOut
        } else if !lead.missing.is_empty() || !lead.invalid.is_empty() {
            Status::Incomplete
        } else {
            Status::Qualified
        };
        let qualification = Qualification {
            status,
            knocked_out_by,
            scores,
            contributions,
            capped,
            grade,
            route,
            missing: lead.missing,
            invalid: lead.invalid,
        };
        (qualification, lead.visible)
    }

    /// Checks every answer, works out which fields are visible, and builds
    /// the data conditions read (answers of visible fields, `context`,
    /// `derived`). Answers of hidden fields (by `show_if`) are left out.
    pub fn lead_data(&self, answers: &Answers, context: &Context, audience: Audience) -> LeadData {
        let doc = self.doc();
        let checked: Vec<Result<Option<Value>, AnswerProblem>> = doc
            .fields
            .iter()
            .map(|field| check_answer(field, answers.get(&field.id)))
            .collect();

        let email_domain = doc
            .fields
            .iter()
            .zip(&checked)
            .find_map(|(f, v)| match v {
                Ok(Some(Value::String(email))) if f.kind == FieldType::Email => Some(email),
                _ => None,
            })
            .and_then(|email| email.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase()));
        let free_mail = email_domain
            .as_deref()
            .is_some_and(|d| FREE_MAIL_DOMAINS.contains(&d));
        let derived = Data::object(vec![
            ("free_mail".into(), Data::Bool(free_mail)),
            (
                "email_domain".into(),
                email_domain.map_or(Data::Null, |d| Data::String(d.into())),
            ),
        ]);
        let mut ctx = Data::from(serde_json::to_value(context).unwrap_or_default());
        if !matches!(ctx, Data::Object(_)) {
            ctx = Data::object(Vec::new());
        }
        ctx.insert("channel", Data::String(audience.channel().into()));
        let root = Data::object(vec![("context".into(), ctx), ("derived".into(), derived)]);
        let mut lead = LeadData {
            data: root,
            visible: Vec::with_capacity(doc.fields.len()),
            missing: Vec::new(),
            invalid: Vec::new(),
        };
        let keys = &self.compiled.field_keys;
        for (((field, value), show_if), (hash, key)) in doc
            .fields
            .iter()
            .zip(checked)
            .zip(&self.compiled.show_if)
            .zip(keys)
        {
            let visible = show_if
                .as_ref()
                .is_none_or(|rule: &Logic| rule.holds(&lead.data));
            lead.visible.push(visible);
            // Answers and problems of fields the lead cannot see do not count.
            if !visible {
                continue;
            }
            match value {
                Ok(Some(v)) => lead.data.push_new(*hash, key, Data::from(&v)),
                Ok(None) => {
                    if field.required && field.asked_of(audience) {
                        lead.missing.push(field.id.clone());
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
