//! The lead record (format version 1): what the widget and the console post,
//! and what a backend re-checks.
//!
//! A record carries the answers as submitted, the page context, the
//! qualification the browser computed, and the rulebook's id, version and
//! hash, so anyone holding the same rulebook can recompute the result
//! ([`verify_record`]). The submission id and time are passed in: the core
//! has no clock and no randomness. `docs/record.md` documents every key and
//! `docs/record.schema.json` is the JSON Schema.

use crate::canonical::json_text;
use crate::enrich::Snapshot;
use crate::model::{Channel, Context, FieldType};
use crate::qualify::{Answers, Qualification};
use crate::rulebook::{Rulebook, RulebookRef};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The record format version this engine writes.
pub const RECORD_VERSION: u32 = 1;

/// Consent as the visitor saw and gave it: the exact text is kept as proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentGiven {
    /// The consent field's id.
    pub field: String,
    /// The text shown (the field's label).
    pub text: String,
    /// Whether the box was ticked.
    pub given: bool,
}

/// The sales rep who qualified a call.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Rep {
    /// The rep's name.
    pub name: String,
    /// The rep's email, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// How a call went, for records from the rep console.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CallDetails {
    /// How the call ended, e.g. `qualified`, `follow_up`, `not_interested`,
    /// `no_answer` (the console's list; free text to backends).
    pub disposition: String,
    /// Call length in seconds, from the console's timer.
    pub duration_seconds: u64,
    /// The `submission_id` of the lead this call follows up, when the rep
    /// called about a lead marketing sent: the inbox counts the call as
    /// sales' first touch of that lead (speed to lead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows_up: Option<String>,
}

/// One qualified lead, ready to post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadRecord {
    /// Format version: 1.
    pub accord_record: u32,
    /// UUID v4; the idempotency key.
    pub submission_id: String,
    /// When it was submitted, RFC 3339.
    pub submitted_at: String,
    /// `web_form` or `call`.
    pub channel: Channel,
    /// Which agreement graded it.
    pub rulebook: RulebookRef,
    /// The answers as submitted, for the rulebook's fields.
    pub answers: Answers,
    /// Page and campaign context.
    pub context: Context,
    /// The result, as the submitting side computed it.
    pub qualification: Qualification,
    /// Consent per consent field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consent: Vec<ConsentGiven>,
    /// The rep, for calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rep: Option<Rep>,
    /// Free-text notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// How the call went, for calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<CallDetails>,
    /// A challenger rulebook's verdict on the same lead, when the page ran
    /// one in the shadow of the live rulebook (`data-accord-shadow`):
    /// never shown to the visitor, never used for delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shadow: Option<ShadowResult>,
    /// What was looked up about the lead, for a rulebook with
    /// `enrichment`: the values the rules read, and where they came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrichment: Option<Snapshot>,
}

/// What a challenger rulebook made of a lead (champion/challenger).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShadowResult {
    /// The challenger's id, version and hash.
    pub rulebook: RulebookRef,
    /// Its status for the lead.
    pub status: crate::model::Status,
    /// Its grade.
    pub grade: String,
    /// Its scores, and `total`.
    pub scores: std::collections::BTreeMap<String, i64>,
    /// Its route, if one matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<crate::model::RouteTarget>,
}

/// What the caller supplies besides the answers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Submission {
    /// UUID v4 made by the caller (see [`uuid_v4_from_bytes`]).
    pub submission_id: String,
    /// RFC 3339 time from the caller's clock.
    pub submitted_at: String,
    /// The rep, for calls.
    pub rep: Option<Rep>,
    /// Notes.
    pub notes: Option<String>,
    /// Disposition and duration, for calls.
    pub call: Option<CallDetails>,
    /// What was looked up about the lead (ignored when the rulebook has no
    /// `enrichment`; nothing looked up when `None`).
    pub enrichment: Option<Snapshot>,
}

impl Rulebook {
    /// Qualifies a lead and wraps the result in a record. Answers to keys
    /// that are not fields of this rulebook are left out.
    pub fn record(
        &self,
        answers: &Answers,
        context: &Context,
        channel: Channel,
        submission: Submission,
    ) -> LeadRecord {
        self.record_owned(answers.clone(), context.clone(), channel, submission)
    }

    /// [`Rulebook::record`] taking the answers and context by value, which
    /// saves copying them (for bulk scoring).
    pub fn record_owned(
        &self,
        mut answers: Answers,
        context: Context,
        channel: Channel,
        submission: Submission,
    ) -> LeadRecord {
        answers.retain(|k, _| self.field(k).is_some());
        let mut enrichment = self
            .doc()
            .enrichment
            .as_ref()
            .map(|_| submission.enrichment.unwrap_or_else(Snapshot::none));
        if let Some(snapshot) = enrichment.as_mut() {
            snapshot.fill_answers(self, &mut answers);
        }
        let values = enrichment.as_ref().map(|s| &s.values);
        let assessment = self.assess_enriched(&answers, &context, values, channel.audience());
        let mut qualification = assessment.qualification();
        // An owner pool's pick depends on the submission id, not the answers.
        if let (Some(i), Some(route)) = (assessment.route, qualification.route.as_mut()) {
            self.doc().routes[i].assign(route, &submission.submission_id);
        }
        let consent = self
            .doc()
            .fields
            .iter()
            .filter(|f| f.kind == FieldType::Consent)
            .zip(&assessment.consent)
            .map(|(f, given)| ConsentGiven {
                field: f.id.clone(),
                text: f.label.clone(),
                given: *given,
            })
            .collect();
        LeadRecord {
            accord_record: RECORD_VERSION,
            submission_id: submission.submission_id,
            submitted_at: submission.submitted_at,
            channel,
            rulebook: self.reference().clone(),
            answers,
            context,
            qualification,
            consent,
            rep: submission.rep,
            notes: submission.notes,
            call: submission.call,
            shadow: None,
            enrichment,
        }
    }

    /// This rulebook's verdict on `record`'s lead as a challenger: the
    /// lead's answers (those this rulebook asks) and context, qualified for
    /// the record's channel, the route's owner picked from its submission
    /// id as the live rulebook's is.
    pub fn shadow_of(&self, record: &LeadRecord) -> ShadowResult {
        let mine = self.record(
            &record.answers,
            &record.context,
            record.channel,
            Submission {
                submission_id: record.submission_id.clone(),
                submitted_at: record.submitted_at.clone(),
                enrichment: record.enrichment.clone(),
                ..Submission::default()
            },
        );
        let q = mine.qualification;
        ShadowResult {
            rulebook: mine.rulebook,
            status: q.status,
            grade: q.grade,
            scores: q.scores,
            route: q.route,
        }
    }
}

/// Recomputes a record's shadow result with the challenger `rulebook` and
/// lists every difference (empty when the record has no shadow result or
/// it is exactly what the rulebook gives).
pub fn verify_shadow(rulebook: &Rulebook, record: &LeadRecord) -> Vec<Discrepancy> {
    let Some(claimed) = &record.shadow else {
        return Vec::new();
    };
    let expected = rulebook.shadow_of(record);
    let pairs = [
        (
            "shadow.rulebook",
            json_text(&claimed.rulebook),
            json_text(&expected.rulebook),
        ),
        (
            "shadow.status",
            json_text(&claimed.status),
            json_text(&expected.status),
        ),
        (
            "shadow.grade",
            json_text(&claimed.grade),
            json_text(&expected.grade),
        ),
        (
            "shadow.scores",
            json_text(&claimed.scores),
            json_text(&expected.scores),
        ),
        (
            "shadow.route",
            json_text(&claimed.route),
            json_text(&expected.route),
        ),
    ];
    pairs
        .into_iter()
        .filter_map(|(what, recorded, recomputed)| Discrepancy::between(what, recorded, recomputed))
        .collect()
}

impl LeadRecord {
    /// What analytics on the page (a tag manager's `dataLayer`) may see of
    /// the record: its id, grade, status, route team and rulebook, and the
    /// answers only when `with_answers` (the site owner opted in). Personal
    /// data goes only where it must.
    pub fn analytics(&self, with_answers: bool) -> Value {
        let q = &self.qualification;
        let mut rulebook = serde_json::Map::new();
        rulebook.insert("id".into(), self.rulebook.id.clone().into());
        rulebook.insert("version".into(), self.rulebook.version.clone().into());
        rulebook.insert("sha256".into(), self.rulebook.sha256.clone().into());
        let mut out = serde_json::Map::new();
        out.insert("submission_id".into(), self.submission_id.clone().into());
        out.insert("grade".into(), q.grade.clone().into());
        out.insert("status".into(), q.status.name().into());
        out.insert(
            "route_team".into(),
            q.route
                .as_ref()
                .map_or(Value::Null, |r| r.team.clone().into()),
        );
        out.insert("rulebook".into(), Value::Object(rulebook));
        if with_answers {
            out.insert("answers".into(), Value::Object(self.answers.clone()));
        }
        Value::Object(out)
    }
}

/// A way in which a record does not match its recomputation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Discrepancy {
    /// What differs: `rulebook.sha256`, `grade`, `scores.fit` …
    pub what: String,
    /// The record's value, as JSON text.
    pub recorded: String,
    /// The recomputed value, as JSON text.
    pub recomputed: String,
}

impl Discrepancy {
    /// The difference between what a record says and what recomputing
    /// gives, as JSON texts; `None` when they are the same.
    fn between(what: &str, recorded: String, recomputed: String) -> Option<Discrepancy> {
        (recorded != recomputed).then(|| Discrepancy {
            what: what.to_owned(),
            recorded,
            recomputed,
        })
    }
}

/// Recomputes a record with `rulebook` and lists every difference: a
/// different rulebook (id, version or hash) — a stale record — or anything
/// else the record claims that the rulebook does not give for its answers
/// and context: status, grade, scores, capped scores, route, knockouts,
/// missing and invalid answers, contributions, the consent given and its
/// text, and answers to keys that are not fields — a tampered one. Empty
/// when the record is exactly what the rulebook gives.
pub fn verify_record(rulebook: &Rulebook, record: &LeadRecord) -> Vec<Discrepancy> {
    let mut out = Vec::new();
    let mut diff = |what: &str, recorded: String, recomputed: String| {
        out.extend(Discrepancy::between(what, recorded, recomputed));
    };
    let r = rulebook.reference();
    diff(
        "rulebook.id",
        json_text(&record.rulebook.id),
        json_text(&r.id),
    );
    diff(
        "rulebook.version",
        json_text(&record.rulebook.version),
        json_text(&r.version),
    );
    diff(
        "rulebook.sha256",
        json_text(&record.rulebook.sha256),
        json_text(&r.sha256),
    );
    let unknown: Vec<&String> = record
        .answers
        .keys()
        .filter(|k| rulebook.field(k).is_none())
        .collect();
    diff("answers", json_text(&unknown), json_text(&[] as &[&String]));
    // The rules re-run on the record's own snapshot, never on a provider's
    // data today; a snapshot that does not fit the rulebook is a discrepancy.
    let problems = record
        .enrichment
        .as_ref()
        .map(|s| s.problems(rulebook, &record.answers))
        .unwrap_or_default();
    diff(
        "enrichment",
        json_text(&problems),
        json_text(&[] as &[&String]),
    );
    let expected = rulebook.record(
        &record.answers,
        &record.context,
        record.channel,
        Submission {
            // The route's pool owner is picked from it.
            submission_id: record.submission_id.clone(),
            enrichment: record.enrichment.clone(),
            ..Submission::default()
        },
    );
    let (got, q) = (&record.qualification, &expected.qualification);
    diff("status", json_text(&got.status), json_text(&q.status));
    diff("grade", json_text(&got.grade), json_text(&q.grade));
    let ids: std::collections::BTreeSet<&String> =
        got.scores.keys().chain(q.scores.keys()).collect();
    for id in ids {
        diff(
            &format!("scores.{id}"),
            json_text(&got.scores.get(id)),
            json_text(&q.scores.get(id)),
        );
    }
    diff("capped", json_text(&got.capped), json_text(&q.capped));
    diff("route", json_text(&got.route), json_text(&q.route));
    diff(
        "knocked_out_by",
        json_text(&got.knocked_out_by),
        json_text(&q.knocked_out_by),
    );
    diff("missing", json_text(&got.missing), json_text(&q.missing));
    diff("invalid", json_text(&got.invalid), json_text(&q.invalid));
    diff(
        "contributions",
        json_text(&got.contributions),
        json_text(&q.contributions),
    );
    diff(
        "consent",
        json_text(&record.consent),
        json_text(&expected.consent),
    );
    out
}

/// Formats 16 random bytes as a UUID version 4 (the caller supplies the
/// randomness, e.g. `crypto.getRandomValues`).
pub fn uuid_v4_from_bytes(mut bytes: [u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    out
}

/// Whether `id` is a lower- or upper-case UUID version 4.
pub fn is_uuid_v4(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b' | b'A' | b'B')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_have_version_and_variant_bits() {
        let id = uuid_v4_from_bytes([0xff; 16]);
        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert!(is_uuid_v4(&id));
        assert!(is_uuid_v4(&uuid_v4_from_bytes([0; 16])));
        assert!(!is_uuid_v4("ffffffff-ffff-1fff-bfff-ffffffffffff"));
        assert!(!is_uuid_v4("not-a-uuid"));
    }
}
