//! What the visitor is shown after submitting.

use crate::model::{Link, Outcome, Status};
use crate::qualify::Qualification;
use crate::rulebook::Rulebook;

/// The placeholder a link URL may use for the route's booking page.
pub const BOOKING_URL: &str = "{route.booking_url}";

impl Rulebook {
    /// The outcome the rulebook defines for `q`: for a knocked-out lead, the
    /// outcome of the first applying knockout that has one; otherwise the
    /// grade's. A link whose URL is [`BOOKING_URL`] gets the route's booking
    /// page, and is dropped when the route has none; links that are not
    /// `http:` or `https:` are dropped too, so a rulebook cannot put a
    /// `javascript:` URL in front of a visitor. `None` when the rulebook
    /// defines no outcome for this result.
    pub fn outcome_for(&self, q: &Qualification) -> Option<Outcome> {
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
            let url = if link.url == BOOKING_URL {
                q.route.as_ref()?.booking_url.clone()?
            } else {
                link.url.clone()
            };
            is_web_url(&url).then(|| Link {
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

fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
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

    fn outcome(r: &Rulebook, role: &str) -> Option<crate::Outcome> {
        let answers: Answers = serde_json::from_value(json!({ "role": role })).unwrap();
        r.outcome_for(&r.qualify(&answers, &Context::default(), Audience::Form))
    }

    #[test]
    fn grade_outcome_with_the_routes_booking_page() {
        let r = rulebook(json!("https://cal.example/sales"), super::BOOKING_URL);
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
        let r = rulebook(json!(null), super::BOOKING_URL);
        assert!(outcome(&r, "buyer").unwrap().link.is_none());
        assert!(!super::is_web_url("javascript:alert(1)"));
        assert!(super::is_web_url("HTTPS://cal.example"));
    }

    #[test]
    fn a_grade_without_an_outcome_has_none() {
        let r = rulebook(json!(null), "https://x.example");
        let answers = serde_json::Map::new();
        let q = r.qualify(&answers, &Context::default(), Audience::Form);
        assert_eq!(q.grade, "nurture");
        assert!(r.outcome_for(&q).is_none());
    }
}
