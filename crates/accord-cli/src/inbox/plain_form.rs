//! Leads posted as a normal HTML form (`application/x-www-form-urlencoded`)
//! to `POST /api/records`: the loader's capture form, shown when the
//! widget's files cannot be loaded (a host without CORS headers, a blocked
//! script), posts `name`, `email`, `message` and `page_url` this way, with
//! no script of ours running. The inbox builds the capture-only record the
//! widget would have sent (`accord_core::capture_record`) and answers the
//! visitor with a page, since a browser shows whatever comes back.

use super::page::escape;
use accord_core::{
    capture_answers, capture_record, is_uuid_v4, uuid_v4_from_bytes, Context, ContextKey,
    LeadRecord, Submission,
};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

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

/// What a posted capture form is.
pub enum Posted {
    /// A lead: the record to store, and the page the visitor came from
    /// (for the "back" link).
    Lead(Box<LeadRecord>, Option<String>),
    /// The honeypot field (`website`, hidden from people) was filled: a bot.
    /// It is answered as a lead is, and nothing is stored.
    Bot,
}

/// A posted capture form, read, or why it cannot be taken. The loader sends
/// a `submission_id` (a UUID v4 made in the browser) so that posting twice
/// stores one lead; without one, the inbox makes one.
pub fn read(body: &[u8], submitted_at: String) -> Result<Posted, String> {
    let [mut name, mut email, mut message, mut page_url, mut id, mut trap]: [String; 6] =
        Default::default();
    for (key, value) in form_urlencoded::parse(body) {
        match key.as_ref() {
            "name" => name = value.into_owned(),
            "email" => email = value.into_owned(),
            "message" => message = value.into_owned(),
            "page_url" => page_url = value.into_owned(),
            "submission_id" => id = value.into_owned(),
            "website" => trap = value.into_owned(),
            _ => {}
        }
    }
    if !trap.is_empty() {
        return Ok(Posted::Bot);
    }
    let answers = capture_answers(&name, &email, &message);
    if !answers["email"].as_str().is_some_and(|e| e.contains('@')) {
        return Err("Please go back and enter your email address.".into());
    }
    let page_url = web_page(&page_url).map(|url| match url.char_indices().nth(PAGE_URL_MAX) {
        Some((cut, _)) => url[..cut].to_owned(),
        None => url.to_owned(),
    });
    let mut context = Context::default();
    context.set(ContextKey::PageUrl, page_url.clone());
    let submission_id = if is_uuid_v4(&id) {
        id.to_ascii_lowercase()
    } else {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| format!("no random id: {e}"))?;
        uuid_v4_from_bytes(bytes)
    };
    let record = capture_record(
        answers,
        context,
        Submission {
            submission_id,
            submitted_at,
            rep: None,
            notes: None,
            call: None,
        },
    );
    Ok(Posted::Lead(Box::new(record), page_url))
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
    let back = back.map_or(String::new(), |url| {
        format!(r#"<p><a href="{}">Back to the page</a></p>"#, escape(url))
    });
    let title = if status.is_success() {
        "Thank you"
    } else {
        "Not sent"
    };
    let page = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font:1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}}a{{color:#0b57d0}}</style>
</head><body><main><h1>{title}</h1><p>{}</p>{back}</main></body></html>"#,
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
        let Ok(Posted::Lead(record, back)) = read(body, "2026-11-30T10:00:00Z".into()) else {
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
        assert!(read(b"name=Ada&message=hi", "2026-11-30T10:00:00Z".into()).is_err());
        let Ok(Posted::Lead(record, back)) = read(
            b"email=a%40b.example&page_url=javascript%3Aalert(1)",
            "2026-11-30T10:00:00Z".into(),
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

    #[test]
    fn the_browsers_submission_id_is_kept_and_a_filled_honeypot_is_a_bot() {
        let Ok(Posted::Lead(record, _)) = read(
            b"email=a%40b.example&submission_id=0F8FAD5B-D9CB-469F-A165-70867728950E",
            "2026-11-30T10:00:00Z".into(),
        ) else {
            panic!("a lead")
        };
        assert_eq!(record.submission_id, "0f8fad5b-d9cb-469f-a165-70867728950e");
        let Ok(Posted::Lead(record, _)) = read(
            b"email=a%40b.example&submission_id=not-a-uuid",
            "2026-11-30T10:00:00Z".into(),
        ) else {
            panic!("a lead")
        };
        assert!(is_uuid_v4(&record.submission_id));
        assert!(matches!(
            read(b"email=a%40b.example&website=http%3A%2F%2Fspam", "t".into()),
            Ok(Posted::Bot)
        ));
    }
}
