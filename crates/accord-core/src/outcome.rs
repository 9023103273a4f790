//! What the visitor is shown after submitting, and the links in it.
//!
//! A link URL (an outcome's, a route's `booking_url`, a pool owner's) may
//! hold placeholders that take the lead's values, URL-encoded, so booking
//! pages (Calendly, HubSpot Meetings) open prefilled: `{submission_id}`,
//! `{grade}`, `{route.team}`, `{route.owner}` and `{answers.<field>}`. An
//! outcome link may also start with `{route.booking_url}`, the route's (or
//! its pool owner's) booking page, itself filled in.

use crate::model::{Link, Outcome, Status, BOOKING_URL};
use crate::record::LeadRecord;
use crate::rulebook::Rulebook;
use serde_json::Value;

/// `url` with its placeholders filled from `record`, each value
/// URL-encoded; `None` when it starts with `{route.booking_url}` and the
/// route has no booking page, or when a host is not written out before the
/// placeholders (an answer must never choose where
/// a link leads). A booking page that is itself `{route.booking_url}…` is
/// `None` too: validation refuses both, and a page may read a rulebook it
/// did not validate (`published.rs`).
pub fn fill_link(url: &str, record: &LeadRecord) -> Option<String> {
    let route = record.qualification.route.as_ref();
    let mut out = String::new();
    let rest = match url.strip_prefix(BOOKING_URL) {
        Some(rest) => {
            let booking = route?.booking_url.as_deref()?;
            if booking.starts_with(BOOKING_URL) || !Link::host_is_fixed(booking) {
                return None;
            }
            fill_placeholders(&mut out, booking, record);
            rest
        }
        None if Link::host_is_fixed(url) => url,
        None => return None,
    };
    fill_placeholders(&mut out, rest, record);
    Some(out)
}

/// Appends `text` to `out`, its placeholders filled from `record`.
fn fill_placeholders(out: &mut String, text: &str, record: &LeadRecord) {
    let route = record.qualification.route.as_ref();
    let mut parts = text.split('{');
    out.push_str(parts.next().unwrap_or_default());
    for part in parts {
        let Some((name, after)) = part.split_once('}') else {
            out.push('{');
            out.push_str(part);
            continue;
        };
        let value = match name {
            "submission_id" => record.submission_id.clone(),
            "grade" => record.qualification.grade.clone(),
            "route.team" => route.map(|r| r.team.clone()).unwrap_or_default(),
            "route.owner" => route.and_then(|r| r.owner.clone()).unwrap_or_default(),
            _ => match name.strip_prefix("answers.") {
                Some(field) => answer_text(record.answers.get(field)),
                // Validation refuses unknown placeholders; kept as written.
                None => format!("{{{name}}}"),
            },
        };
        Link::encode_into(out, &value);
        out.push_str(after);
    }
}

/// An answer as text in a link: lists joined with `;`.
fn answer_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| answer_text(Some(v)))
            .collect::<Vec<_>>()
            .join(";"),
        Some(other) => other.to_string(),
    }
}

impl Rulebook {
    /// The outcome the rulebook defines for a record: for a knocked-out
    /// lead, the outcome of the first applying knockout that has one;
    /// otherwise the grade's. The link's placeholders are filled from the
    /// record ([`fill_link`]); a link that starts with [`crate::BOOKING_URL`] is
    /// dropped when the route has no booking page, and links that are not
    /// `http:` or `https:` are dropped too, so a rulebook cannot put a
    /// `javascript:` URL in front of a visitor. `None` when the rulebook
    /// defines no outcome for this result.
    pub fn outcome_for(&self, record: &LeadRecord) -> Option<Outcome> {
        let q = &record.qualification;
        let doc = self.doc();
        let outcome = if q.status == Status::KnockedOut {
            q.knocked_out_by.iter().find_map(|hit| {
                doc.knockouts
                    .iter()
                    .find(|k| k.id == hit.id)
                    .and_then(|k| k.outcome.as_ref())
            })?
        } else {
            self.grade(&q.grade)?.outcome.as_ref()?
        };
        let link = outcome.link.as_ref().and_then(|link| {
            let url = fill_link(&link.url, record)?;
            crate::model::Link::is_web_url(&url).then(|| Link {
                label: link.label.clone(),
                url,
            })
        });
        Some(Outcome {
            heading: outcome.heading.clone(),
            message: outcome.message.clone(),
            link,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::{Answers, Audience, Context, Rulebook};
    use serde_json::json;

    fn rulebook(booking: serde_json::Value, link_url: &str) -> Rulebook {
        let doc = json!({
            "accord": 1, "id": "t", "version": "1", "title": "T",
            "fields": [{"id": "role", "label": "Role", "type": "choice",
                        "options": [{"value": "buyer"}, {"value": "student"}]}],
            "knockouts": [
                {"id": "quiet", "label": "No outcome", "when": {"==": [{"var": "role"}, "student"]}},
                {"id": "student", "label": "Student", "when": {"==": [{"var": "role"}, "student"]},
                 "outcome": {"message": "Not a fit"}}],
            "grades": [{"id": "sql", "label": "SQL", "when": {"==": [{"var": "role"}, "buyer"]},
                        "outcome": {"heading": "Let's talk", "message": "Book a time",
                                    "link": {"label": "Book", "url": link_url}}},
                       {"id": "nurture", "label": "Nurture"}],
            "routes": [{"to": {"team": "sales", "booking_url": booking}}]
        });
        let mut doc = doc;
        if doc["routes"][0]["to"]["booking_url"].is_null() {
            doc["routes"][0]["to"]
                .as_object_mut()
                .unwrap()
                .remove("booking_url");
        }
        Rulebook::from_value(&doc).unwrap()
    }

    fn record(r: &Rulebook, answers: serde_json::Value) -> crate::LeadRecord {
        let answers: Answers = serde_json::from_value(answers).unwrap();
        r.record(
            &answers,
            &Context::default(),
            crate::Channel::WebForm,
            crate::Submission {
                submission_id: "0b8a4a8e-4a0e-4c7e-9a43-2f1d6f0b7c11".into(),
                ..crate::Submission::default()
            },
        )
    }

    fn outcome(r: &Rulebook, role: &str) -> Option<crate::Outcome> {
        r.outcome_for(&record(r, json!({ "role": role })))
    }

    #[test]
    fn grade_outcome_with_the_routes_booking_page() {
        let r = rulebook(
            json!("https://cal.example/sales"),
            crate::model::BOOKING_URL,
        );
        let o = outcome(&r, "buyer").unwrap();
        assert_eq!(o.heading.as_deref(), Some("Let's talk"));
        assert_eq!(o.link.unwrap().url, "https://cal.example/sales");
    }

    #[test]
    fn first_knockout_with_an_outcome_wins() {
        let r = rulebook(json!(null), "https://x.example");
        assert_eq!(outcome(&r, "student").unwrap().message, "Not a fit");
    }

    #[test]
    fn links_without_a_booking_page_or_web_scheme_are_dropped() {
        let r = rulebook(json!(null), crate::model::BOOKING_URL);
        assert!(outcome(&r, "buyer").unwrap().link.is_none());
        assert!(!crate::model::Link::is_web_url("javascript:alert(1)"));
        assert!(crate::model::Link::is_web_url("HTTPS://cal.example"));
    }

    #[test]
    fn a_grade_without_an_outcome_has_none() {
        let r = rulebook(json!(null), "https://x.example");
        let lead = record(&r, json!({}));
        assert_eq!(lead.qualification.grade, "nurture");
        assert!(r.outcome_for(&lead).is_none());
        let _ = Audience::Form;
    }

    #[test]
    fn links_are_filled_with_the_lead_s_values_url_encoded() {
        let r = rulebook(
            json!("https://calendly.com/acme/intro?email={answers.role}&a1={submission_id}"),
            "{route.booking_url}&utm_content={grade}+{route.team}",
        );
        let o = outcome(&r, "buyer").unwrap();
        assert_eq!(
            o.link.unwrap().url,
            "https://calendly.com/acme/intro?email=buyer&a1=0b8a4a8e-4a0e-4c7e-9a43-2f1d6f0b7c11&utm_content=sql+sales"
        );
        let mut lead = record(&r, json!({"role": "buyer"}));
        lead.answers
            .insert("role".into(), json!("Dr. Ana & Co/é 1"));
        lead.answers.insert("list".into(), json!(["a b", "c"]));
        assert_eq!(
            super::fill_link("https://x.example/?n={answers.role}&l={answers.list}&m={answers.missing}&o={route.owner}", &lead).unwrap(),
            "https://x.example/?n=Dr%2E%20Ana%20%26%20Co%2F%C3%A9%201&l=a%20b%3Bc&m=&o="
        );
        let placeholders: Vec<&str> =
            crate::Link::placeholders("{route.booking_url}?a={answers.email}&b={grade}").collect();
        assert_eq!(
            placeholders,
            ["route.booking_url", "answers.email", "grade"]
        );
    }
}
