//! Leads posted as a normal HTML form (`application/x-www-form-urlencoded`)
//! to `POST /api/records`, with no script of ours running:
//! - the loader's capture form, shown when the widget's files cannot be
//!   loaded (a host without CORS headers, a blocked script), posts `name`,
//!   `email`, `message` and `page_url`; the inbox builds the capture-only
//!   record the widget would have sent (`accord_core::capture_record`);
//! - a form `accord embed` prerendered, sent with scripts blocked, posts
//!   its answers under the fields' ids with its rulebook's id and version;
//!   the inbox qualifies them with that rulebook, as the widget would.
//!
//! Either way the visitor is answered with a page, since a browser shows
//! whatever comes back.

use super::page::escape;
use accord_core::{
    capture_answers, capture_record, check_answer, is_uuid_v4, uuid_v4_from_bytes, Answers,
    Channel, Context, ContextKey, FieldType, LeadRecord, Outcome, Rulebook, Strings, Submission,
};
use accord_web::form_state::Problem;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;
use std::collections::BTreeMap;

/// The longest `page_url` kept, as the widget cuts context values.
const PAGE_URL_MAX: usize = 2_048;

/// Whether a content type is a plain HTML form post.
pub fn is_form_post(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| {
        ct.split(';').next().is_some_and(|essence| {
            essence
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
    })
}

/// What a posted form is.
pub enum Posted {
    /// A lead: the record to store, the page the visitor came from (for
    /// the "back" link) and, for a rulebook's form, what its outcome says.
    Lead(Box<LeadRecord>, Option<String>, Option<Outcome>),
    /// The honeypot field (`website`, hidden from people) was filled: a bot.
    /// It is answered as a lead is, and nothing is stored.
    Bot,
}

/// The most fields a form post may carry: a rulebook form has one per
/// question (more for multiple choice), the capture form six.
const MAX_PAIRS: usize = 500;

/// A posted form, read, or why it cannot be taken. The loader sends a
/// `submission_id` (a UUID v4 made in the browser) so that posting twice
/// stores one lead; without one, the inbox makes one.
///
/// A form that names its rulebook (`accord_rulebook`, `accord_version`:
/// a form `accord embed` prerendered, sent with scripts blocked) is
/// qualified by that rulebook, when the inbox has it, from the answers
/// posted under its fields' ids. Otherwise it is a capture-only record:
/// `name`, `email`, `message` and, from a rulebook form the inbox does not
/// have, every other answer as a line of the message, so nothing is lost.
pub fn read(
    body: &[u8],
    submitted_at: String,
    rulebooks: &[Rulebook],
    referer: Option<&str>,
) -> Result<Posted, String> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body)
        .take(MAX_PAIRS + 1)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if pairs.len() > MAX_PAIRS {
        return Err("The form has too many fields.".into());
    }
    let one = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    };
    // A rulebook's form names its own inputs `accord_…` (no field id may),
    // so they never collide with its questions; the capture form's are
    // plain.
    let named = one("accord_rulebook");
    let rulebook_form = !named.is_empty();
    let own = |plain: &'static str, prefixed: &'static str| {
        if rulebook_form {
            one(prefixed)
        } else {
            one(plain)
        }
    };
    if !own("website", "accord_website").is_empty() {
        return Ok(Posted::Bot);
    }
    // The page: the capture form says; a prerendered form's browser says
    // in its `Referer` (the whole URL only under a lenient policy).
    let posted_page = if rulebook_form { "" } else { one("page_url") };
    let page_url = web_page(posted_page)
        .or_else(|| referer.and_then(web_page))
        .map(|url| match url.char_indices().nth(PAGE_URL_MAX) {
            Some((cut, _)) => url[..cut].to_owned(),
            None => url.to_owned(),
        });
    let mut context = Context::default();
    context.set(ContextKey::PageUrl, page_url.clone());
    let id = own("submission_id", "accord_submission_id");
    let submission_id = if is_uuid_v4(id) {
        id.to_ascii_lowercase()
    } else {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| format!("no random id: {e}"))?;
        uuid_v4_from_bytes(bytes)
    };
    let submission = Submission {
        submission_id,
        submitted_at,
        rep: None,
        notes: None,
        call: None,
        enrichment: None,
    };
    let rulebook = rulebooks.iter().find(|r| {
        let reference = r.reference();
        !named.is_empty() && reference.id == named && reference.version == one("accord_version")
    });
    if let Some(rulebook) = rulebook {
        let answers = rulebook_answers(rulebook, &pairs);
        if answers.is_empty() {
            return Err("Please go back and answer the questions.".into());
        }
        let record = rulebook.record(&answers, &context, Channel::WebForm, submission);
        // What the visitor could fix on the step they sent: a question it
        // holds (a text box or list is posted even when empty) left
        // unanswered or answered wrongly. Later steps were never shown.
        // In the words the widget shows beside the field.
        let posted = |id: &str| pairs.iter().any(|(k, _)| k == id);
        let q = &record.qualification;
        let strings = Strings::new("", &BTreeMap::new(), &rulebook.doc().strings);
        let problems: Vec<String> = rulebook
            .doc()
            .fields
            .iter()
            .filter(|f| posted(&f.id))
            .filter_map(|f| {
                let problem = if q.missing.contains(&f.id) {
                    Problem::Missing
                } else {
                    let bad = q.invalid.iter().find(|i| i.field == f.id)?;
                    Problem::Invalid(bad.problem.clone())
                };
                Some(format!("{}: {}", f.label, problem.message(f, &strings)))
            })
            .collect();
        if !problems.is_empty() {
            return Err(format!(
                "Please go back and check: {}.",
                problems.join("; ")
            ));
        }
        let outcome = rulebook.outcome_for(&record);
        return Ok(Posted::Lead(Box::new(record), page_url, outcome));
    }
    // A rulebook form the inbox does not have: its other answers, as lines.
    let mut message = one("message").to_owned();
    for (key, value) in &pairs {
        let reserved = [
            "name",
            "email",
            "message",
            "page_url",
            "submission_id",
            "website",
        ]
        .contains(&key.as_str())
            || key.starts_with("accord_");
        if !named.is_empty() && !reserved && !value.trim().is_empty() {
            message.push_str(&format!("\n{key}: {value}"));
        }
    }
    // A rulebook form's email question may have another id (`work_email`):
    // the first answer that looks like an address.
    let email = match one("email") {
        "" if rulebook_form => pairs
            .iter()
            .filter(|(k, _)| !k.starts_with(accord_core::FORM_OWN_PREFIX))
            .map(|(_, v)| v.trim())
            .find(|v| v.contains('@') && !v.contains(char::is_whitespace))
            .unwrap_or(""),
        email => email,
    };
    let answers = capture_answers(one("name"), email, message.trim_start());
    if !answers["email"].as_str().is_some_and(|e| e.contains('@')) {
        return Err("Please go back and enter your email address.".into());
    }
    let record = capture_record(answers, context, submission);
    Ok(Posted::Lead(Box::new(record), page_url, None))
}

/// The answers to `rulebook`'s questions in a form post, typed as the
/// widget sends them (numbers, yes/no, lists: the engine reads the posted
/// text as it reads a CSV cell); an answer the engine refuses is kept as
/// posted, so the record shows what was wrong. A multiple choice is every
/// value posted under its id. Hidden fields are the page's to fill, never
/// a post's.
fn rulebook_answers(rulebook: &Rulebook, pairs: &[(String, String)]) -> Answers {
    let mut answers = Answers::new();
    for field in &rulebook.doc().fields {
        let mut values = pairs
            .iter()
            .filter(|(k, v)| *k == field.id && !v.trim().is_empty())
            .map(|(_, v)| Value::String(v.clone()));
        let answer = match field.kind {
            FieldType::Hidden => None,
            FieldType::MultiChoice => {
                let all: Vec<Value> = values.collect();
                (!all.is_empty()).then_some(Value::Array(all))
            }
            _ => values.next(),
        };
        if let Some(answer) = answer {
            let typed = match check_answer(field, Some(&answer)) {
                Ok(Some(value)) => value,
                Ok(None) => continue,
                Err(_) => answer,
            };
            answers.insert(field.id.clone(), typed);
        }
    }
    answers
}

/// `url` when it is an `http(s)` address: the only kind a "back" link
/// (and a record's `page_url`) may hold.
fn web_page(url: &str) -> Option<&str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url)
}

/// The page the visitor sees after posting: thanks, or what to fix, with a
/// link back to where they came from.
pub fn answer(status: StatusCode, message: &str, back: Option<&str>) -> Response {
    let title = if status.is_success() {
        "Thank you"
    } else {
        "Not sent"
    };
    page(status, title, message, None, back)
}

/// The page for a lead a rulebook qualified: what its outcome says (its
/// heading, message and link, as the widget shows them), else thanks.
pub fn outcome_page(outcome: Option<&Outcome>, fallback: &str, back: Option<&str>) -> Response {
    match outcome {
        Some(o) => page(
            StatusCode::OK,
            o.heading.as_deref().unwrap_or("Thank you"),
            &o.message,
            o.link
                .as_ref()
                .and_then(|l| Some((l.label.as_str(), web_page(&l.url)?))),
            back,
        ),
        None => answer(StatusCode::OK, fallback, back),
    }
}

fn page(
    status: StatusCode,
    title: &str,
    message: &str,
    link: Option<(&str, &str)>,
    back: Option<&str>,
) -> Response {
    let back = back.map_or(String::new(), |url| {
        format!(r#"<p><a href="{}">Back to the page</a></p>"#, escape(url))
    });
    let link = link.map_or(String::new(), |(label, url)| {
        format!(r#"<p><a href="{}">{}</a></p>"#, escape(url), escape(label))
    });
    let title = escape(title);
    let page = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font:1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}}a{{color:#0b57d0}}</style>
</head><body><main><h1>{title}</h1><p>{}</p>{link}{back}</main></body></html>"#,
        escape(message)
    );
    let mut response = (status, Html(page)).into_response();
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

/// Middleware: a plain form post to `POST /api/records` that is refused
/// (another site, too many posts, too large, the store failing) gets a page
/// a visitor can read, in place of the JSON a script would. Other requests
/// (a script's post, the sign-in form) pass untouched.
pub async fn refusals_as_pages(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let content_type = axum::http::header::CONTENT_TYPE;
    let form = request.method() == axum::http::Method::POST
        && request.uri().path() == "/api/records"
        && is_form_post(
            request
                .headers()
                .get(&content_type)
                .and_then(|v| v.to_str().ok()),
        );
    let response = next.run(request).await;
    let status = response.status();
    let page = response
        .headers()
        .get(&content_type)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if !form || !(status.is_client_error() || status.is_server_error()) || page {
        return response;
    }
    let message = match status {
        StatusCode::FORBIDDEN => {
            "This page may not send forms to this address. Please contact the site's owner another way."
        }
        StatusCode::TOO_MANY_REQUESTS => {
            "Too many messages came from your connection. Please wait a minute, then go back and send again."
        }
        StatusCode::PAYLOAD_TOO_LARGE => "Your message is too long. Please go back and shorten it.",
        _ => "Your details could not be sent just now. Please go back and send them again in a minute.",
    };
    answer(status, message, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posted_form_becomes_a_capture_record() {
        let body = b"name=Ada+Byron&email=ada%40bigcorp.example&message=Call+me&page_url=https%3A%2F%2Fwww.example.com%2Fdemo&extra=ignored&website=";
        let Ok(Posted::Lead(record, back, _)) =
            read(body, "2026-11-30T10:00:00Z".into(), &[], None)
        else {
            panic!("a lead")
        };
        let value = serde_json::to_value(&record).unwrap();
        assert_eq!(value["rulebook"]["id"], "accord-capture");
        assert_eq!(
            value["answers"],
            serde_json::json!({"name": "Ada Byron", "email": "ada@bigcorp.example", "message": "Call me"})
        );
        assert_eq!(value["context"]["page_url"], "https://www.example.com/demo");
        assert_eq!(back.as_deref(), Some("https://www.example.com/demo"));
        assert!(accord_core::is_uuid_v4(&record.submission_id));
    }

    #[test]
    fn no_email_is_refused_and_a_script_url_is_never_a_link() {
        assert!(read(
            b"name=Ada&message=hi",
            "2026-11-30T10:00:00Z".into(),
            &[],
            None
        )
        .is_err());
        let Ok(Posted::Lead(record, back, _)) = read(
            b"email=a%40b.example&page_url=javascript%3Aalert(1)",
            "2026-11-30T10:00:00Z".into(),
            &[],
            None,
        ) else {
            panic!("a lead")
        };
        assert_eq!(back, None);
        assert_eq!(record.context.get(ContextKey::PageUrl), None);
        assert!(is_form_post(Some(
            "application/x-www-form-urlencoded; charset=UTF-8"
        )));
        assert!(!is_form_post(Some("text/plain")));
        assert!(!is_form_post(None));
    }

    const INBOUND: &str = include_str!("../../../../static/rulebooks/inbound.json");

    #[test]
    fn a_prerendered_form_is_qualified_by_its_rulebook() {
        let rulebook = Rulebook::from_json(INBOUND).expect("valid");
        let r = rulebook.reference();
        let body = format!(
            "accord_rulebook={}&accord_version={}&name=Ada&email=ada%40bigcorp.example&company=Big&role=executive&website=&unknown=x",
            r.id, r.version
        );
        let read = read(
            body.as_bytes(),
            "2026-11-30T10:00:00Z".into(),
            std::slice::from_ref(&rulebook),
            Some("https://www.example.com/demo?utm_source=x"),
        );
        let Ok(Posted::Lead(record, back, outcome)) = read else {
            panic!("a lead")
        };
        assert_eq!(record.rulebook, *r);
        assert_eq!(
            serde_json::to_value(&record.answers).unwrap(),
            serde_json::json!({"name": "Ada", "email": "ada@bigcorp.example", "company": "Big", "role": "executive"})
        );
        // Recomputing it gives the same record: the inbox verifies it.
        let again = rulebook.record(
            &record.answers,
            &record.context,
            Channel::WebForm,
            Submission {
                submission_id: record.submission_id.clone(),
                submitted_at: record.submitted_at.clone(),
                rep: None,
                notes: None,
                call: None,
                enrichment: None,
            },
        );
        assert_eq!(again.qualification, record.qualification);
        assert_eq!(
            back.as_deref(),
            Some("https://www.example.com/demo?utm_source=x")
        );
        assert!(outcome.is_some());
    }

    #[test]
    fn a_prerendered_form_is_refused_in_the_widgets_words_and_its_own_inputs_are_its_own() {
        let rulebook = Rulebook::from_json(INBOUND).expect("valid");
        let r = rulebook.reference();
        let post = |rest: &str| {
            let body = format!(
                "accord_rulebook={}&accord_version={}&{rest}",
                r.id, r.version
            );
            read(
                body.as_bytes(),
                "t".into(),
                std::slice::from_ref(&rulebook),
                None,
            )
        };
        // A question of the step sent, left empty or answered wrongly.
        let Err(why) = post("name=Ada&email=not-an-email&company=&role=executive") else {
            panic!("refused")
        };
        assert!(why.contains("Work email: "), "{why}");
        assert!(why.contains("Company: "), "{why}");
        assert!(
            !why.contains("Company size"),
            "a later step is not asked: {why}"
        );
        // Its honeypot and submission id are `accord_…`: a question named
        // like the capture form's inputs is a question.
        assert!(matches!(
            post("name=Ada&email=a%40b.example&company=B&role=executive&accord_website=x"),
            Ok(Posted::Bot)
        ));
        let Ok(Posted::Lead(record, _, _)) = post(
            "name=Ada&email=a%40b.example&company=B&role=executive&website=x&accord_submission_id=0F8FAD5B-D9CB-469F-A165-70867728950E",
        ) else {
            panic!("a lead")
        };
        assert_eq!(record.submission_id, "0f8fad5b-d9cb-469f-a165-70867728950e");
    }

    #[test]
    fn a_form_of_a_rulebook_the_inbox_lacks_keeps_every_answer() {
        let body =
            b"accord_rulebook=gone&accord_version=1&email=a%40b.example&company=Big&size=51-200";
        let Ok(Posted::Lead(record, _, None)) = read(body, "t".into(), &[], None) else {
            panic!("a capture lead")
        };
        assert_eq!(record.rulebook.id, "accord-capture");
        assert_eq!(record.answers["message"], "company: Big\nsize: 51-200");
        // Its email question under another id.
        let body = b"accord_rulebook=gone&accord_version=1&work_email=a%40b.example&company=Big";
        let Ok(Posted::Lead(record, _, None)) = read(body, "t".into(), &[], None) else {
            panic!("a capture lead")
        };
        assert_eq!(record.answers["email"], "a@b.example");
        let many = "a=1&".repeat(MAX_PAIRS + 1);
        assert!(read(many.as_bytes(), "t".into(), &[], None).is_err());
    }

    #[test]
    fn the_browsers_submission_id_is_kept_and_a_filled_honeypot_is_a_bot() {
        let Ok(Posted::Lead(record, _, _)) = read(
            b"email=a%40b.example&submission_id=0F8FAD5B-D9CB-469F-A165-70867728950E",
            "2026-11-30T10:00:00Z".into(),
            &[],
            None,
        ) else {
            panic!("a lead")
        };
        assert_eq!(record.submission_id, "0f8fad5b-d9cb-469f-a165-70867728950e");
        let Ok(Posted::Lead(record, _, _)) = read(
            b"email=a%40b.example&submission_id=not-a-uuid",
            "2026-11-30T10:00:00Z".into(),
            &[],
            None,
        ) else {
            panic!("a lead")
        };
        assert!(is_uuid_v4(&record.submission_id));
        assert!(matches!(
            read(
                b"email=a%40b.example&website=http%3A%2F%2Fspam",
                "t".into(),
                &[],
                None
            ),
            Ok(Posted::Bot)
        ));
    }
}
