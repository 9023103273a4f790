//! Destinations: how a lead record becomes an HTTP request.
//!
//! Each [`Destination`] kind has an encoder here, pure and testable; the
//! widget sends what they return and the outbox tracks each request on its
//! own.
//!
//! - **webhook**: the record as JSON. With the `json` encoding the record's
//!   submission id also goes in an `Idempotency-Key` header (the backend's
//!   CORS rules must allow it, as they must allow `Content-Type`); the
//!   `text_plain` encoding sends the same JSON as `text/plain` and adds no
//!   header, so the browser needs no CORS preflight.
//! - **form_post**: `application/x-www-form-urlencoded` fields taken from
//!   the record through a field map (Salesforce Web-to-Lead). Such
//!   endpoints rarely answer with CORS headers, so the request is sent
//!   *opaque* (`no-cors`): the browser cannot read the answer, any answer
//!   counts as accepted and only a network failure is retried.
//! - **hubspot**: the HubSpot Forms API v3 body (`fields`, `context` with
//!   `hutk`, `pageUri` and `pageName`, `legalConsentOptions`).

use crate::canonical::canonical_json;
use crate::model::{Destination, ValueTables, WebhookEncoding};
use accord_logic::js::number_to_string;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// HubSpot's endpoint for unauthenticated form submissions.
pub const HUBSPOT_SUBMIT_URL: &str = "https://api.hsforms.com/submissions/v3/integration/submit";

/// An HTTP request ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingRequest {
    /// Where to POST.
    pub url: String,
    /// The `Content-Type` header.
    pub content_type: String,
    /// Extra headers (never secrets: they ship to the browser).
    pub headers: BTreeMap<String, String>,
    /// The body.
    pub body: String,
    /// Sent without CORS (`no-cors`): the answer cannot be read, so any
    /// answer counts as accepted; network failures still retry.
    pub opaque: bool,
    /// The body carries the submission id, so the backend can tell a
    /// repeat from a new lead: safe to send again when unsure whether an
    /// attempt arrived (e.g. with `keepalive` as the page closes).
    pub idempotent: bool,
}

/// What the page knows that some destinations want besides the record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageInfo {
    /// HubSpot's visitor cookie (`hubspotutk`), when the page has one.
    pub hutk: Option<String>,
    /// The page's title.
    pub page_name: Option<String>,
}

/// The key a backend de-duplicates `record` on: `feedback_id` for sales
/// feedback, `submission_id` for a lead record.
pub fn idempotency_key(record: &Value) -> Option<&str> {
    record
        .get("feedback_id")
        .or_else(|| record.get("submission_id"))
        .and_then(Value::as_str)
}

/// The request that delivers `record` (a lead record or sales feedback, as
/// JSON) to a webhook. `headers` are the destination's own; a JSON webhook
/// also gets the record's [`idempotency_key`] as `Idempotency-Key`.
pub fn webhook_request(
    url: &str,
    encoding: WebhookEncoding,
    headers: &BTreeMap<String, String>,
    record: &Value,
) -> OutgoingRequest {
    let mut headers = headers.clone();
    let content_type = match encoding {
        WebhookEncoding::Json => {
            if let Some(id) = idempotency_key(record) {
                headers.insert("Idempotency-Key".into(), id.to_owned());
            }
            "application/json"
        }
        WebhookEncoding::TextPlain => "text/plain;charset=UTF-8",
    };
    OutgoingRequest {
        url: url.to_owned(),
        content_type: content_type.into(),
        headers,
        body: canonical_json(record),
        opaque: false,
        idempotent: true,
    }
}

/// The form-encoded request for a `form_post` destination: the constant
/// `extra` fields first, then each mapped record path that has a value, in
/// the order of the map's paths.
pub fn form_post_request(
    url: &str,
    field_map: &BTreeMap<String, String>,
    extra: &BTreeMap<String, String>,
    values: &ValueTables,
    record: &Value,
) -> OutgoingRequest {
    let mut pairs: Vec<(&str, String)> = extra
        .iter()
        .map(|(name, value)| (name.as_str(), value.clone()))
        .collect();
    pairs.extend(mapped_fields(field_map, values, record));
    let mut body = String::new();
    for (name, value) in &pairs {
        if !body.is_empty() {
            body.push('&');
        }
        body.push_str(&form_urlencode(name));
        body.push('=');
        body.push_str(&form_urlencode(value));
    }
    OutgoingRequest {
        url: url.to_owned(),
        content_type: "application/x-www-form-urlencoded".into(),
        headers: BTreeMap::new(),
        body,
        opaque: true,
        idempotent: false,
    }
}

/// The HubSpot Forms API v3 request: mapped fields as contact properties,
/// the page context, and the consent the visitor gave (the exact texts).
pub fn hubspot_request(
    portal_id: &str,
    form_guid: &str,
    field_map: &BTreeMap<String, String>,
    values: &ValueTables,
    record: &Value,
    page: &PageInfo,
) -> OutgoingRequest {
    let fields: Vec<Value> = mapped_fields(field_map, values, record)
        .map(|(name, text)| {
            object([
                ("objectTypeId", "0-1".into()),
                ("name", name.into()),
                ("value", text.into()),
            ])
        })
        .collect();
    let mut body = Map::new();
    if let Some(ms) = record
        .get("submitted_at")
        .and_then(Value::as_str)
        .and_then(rfc3339_to_ms)
    {
        body.insert("submittedAt".into(), Value::String(ms.to_string()));
    }
    body.insert("fields".into(), Value::Array(fields));
    let mut context = Map::new();
    if let Some(hutk) = page.hutk.as_ref().filter(|h| !h.is_empty()) {
        context.insert("hutk".into(), Value::String(hutk.clone()));
    }
    if let Some(uri) = record.pointer("/context/page_url").and_then(Value::as_str) {
        context.insert("pageUri".into(), Value::String(uri.to_owned()));
    }
    if let Some(name) = page.page_name.as_ref().filter(|n| !n.is_empty()) {
        context.insert("pageName".into(), Value::String(name.clone()));
    }
    body.insert("context".into(), Value::Object(context));
    // `consent`: [{field, text, given}] as `LeadRecord` writes it.
    let consent = record
        .get("consent")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if !consent.is_empty() {
        let text = consent
            .iter()
            .filter_map(|c| c.get("text")?.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let given = consent
            .iter()
            .all(|c| c.get("given") == Some(&Value::Bool(true)));
        body.insert(
            "legalConsentOptions".into(),
            object([(
                "consent",
                object([("consentToProcess", given.into()), ("text", text.into())]),
            )]),
        );
    }
    OutgoingRequest {
        url: format!("{HUBSPOT_SUBMIT_URL}/{portal_id}/{form_guid}"),
        content_type: "application/json".into(),
        headers: BTreeMap::new(),
        body: canonical_json(&Value::Object(body)),
        opaque: false,
        idempotent: false,
    }
}

/// The request that delivers `record` to `destination`.
pub fn request_for(destination: &Destination, record: &Value, page: &PageInfo) -> OutgoingRequest {
    match destination {
        Destination::Webhook {
            url,
            encoding,
            headers,
        } => webhook_request(url, *encoding, headers, record),
        Destination::FormPost {
            url,
            field_map,
            extra,
            values,
        } => form_post_request(url, field_map, extra, values, record),
        Destination::Hubspot {
            portal_id,
            form_guid,
            field_map,
            values,
        } => hubspot_request(portal_id, form_guid, field_map, values, record, page),
    }
}

/// Whether a request header's name suggests a secret (`Authorization`,
/// `Cookie`, anything with `key`, `token`, `secret` or `password`, except
/// `Idempotency-Key`). Such headers are refused: whatever configures the
/// widget ships to every visitor's browser.
pub fn looks_like_secret(header: &str) -> bool {
    let lower = header.to_ascii_lowercase();
    lower != "idempotency-key"
        && (["authorization", "cookie", "proxy-authorization"].contains(&lower.as_str())
            || ["key", "token", "secret", "password"]
                .iter()
                .any(|w| lower.contains(w)))
}

/// Whether a value looks like a credential: an `Authorization` scheme
/// (`Bearer …`, `Basic …`), a token with a well-known prefix (Stripe
/// `sk_live_`/`sk_test_`/`rk_`, HubSpot private apps `pat-`, GitHub `ghp_`/
/// `github_pat_`, Slack `xox`, AWS `AKIA`, Google `AIza`), or a JSON Web
/// Token. Rulebooks and embeds ship to every visitor, so such values are
/// refused wherever they would be sent from the browser.
pub fn looks_like_secret_value(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let scheme = ["bearer ", "basic ", "token ", "apikey "]
        .iter()
        .any(|p| lower.starts_with(p));
    let prefixed = [
        "sk_live_",
        "sk_test_",
        "rk_live_",
        "rk_test_",
        "pat-",
        "ghp_",
        "github_pat_",
        "xoxb-",
        "xoxp-",
        "akia",
        "aiza",
    ]
    .iter()
    .any(|p| lower.starts_with(p));
    let jwt = v.starts_with("eyJ") && v.split('.').count() == 3;
    scheme || prefixed || jwt
}

/// Why a destination URL would carry a secret, if it would: credentials in
/// it (`https://user:pass@…`) or a query parameter whose name suggests one
/// (`?api_key=…`, `?token=…`).
pub fn secret_in_url(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Some("it carries credentials (`user:password@`)".into());
    }
    let query = url
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(q))?;
    query.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        (looks_like_secret(name) || looks_like_secret_value(value))
            .then(|| format!("its query parameter `{name}` looks like a secret"))
    })
}

/// The (form field or property name, text) pairs a field map sends, in the
/// order of its paths: each path's [`record_text`], or, for a path with a
/// value table, each value translated through it. A path without a value,
/// or whose value the table does not list, sends nothing.
fn mapped_fields<'a>(
    field_map: &'a BTreeMap<String, String>,
    values: &'a ValueTables,
    record: &'a Value,
) -> impl Iterator<Item = (&'a str, String)> + 'a {
    field_map.iter().filter_map(|(path, name)| {
        let text = match values.get(path) {
            None => record_text(record, path)?,
            Some(table) => translated_text(record_value(record, path)?, table)?,
        };
        Some((name.as_str(), text))
    })
}

/// A value through a value table: a single value becomes its entry; a list
/// (multi_choice) becomes its listed items' entries joined with `;`. `None`
/// when nothing is listed.
fn translated_text(value: &Value, table: &BTreeMap<String, String>) -> Option<String> {
    let lookup = |v: &Value| table.get(&scalar_text(v)?).cloned();
    match value.as_array() {
        None => lookup(value),
        Some(items) => {
            let texts: Vec<String> = items.iter().filter_map(lookup).collect();
            (!texts.is_empty()).then(|| texts.join(";"))
        }
    }
}

fn record_value<'a>(record: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(record, |value, key| value.as_object()?.get(key))
}

/// The value at a dotted record path (`answers.email`,
/// `qualification.scores.total`) as form text: strings as they are, numbers
/// as JavaScript writes them, `true`/`false`, lists of those joined with `;`
/// (the separator Salesforce and HubSpot use for multi-select values).
/// Lists of objects are readable lines, one per item: the
/// explanation (`qualification.contributions`, `knocked_out_by`,
/// `invalid`) reaches a CRM as text a person reads. Missing, `null`,
/// empty lists and object values give `None`.
pub fn record_text(record: &Value, path: &str) -> Option<String> {
    let value = record_value(record, path)?;
    scalar_text(value).or_else(|| {
        let items = value.as_array().filter(|items| !items.is_empty())?;
        if items.iter().any(Value::is_object) {
            return Some(
                items
                    .iter()
                    .filter_map(|item| item_text(item).or_else(|| scalar_text(item)))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
        Some(
            items
                .iter()
                .filter_map(scalar_text)
                .collect::<Vec<_>>()
                .join(";"),
        )
    })
}

/// One object of a record list as a line: a contribution as
/// `1,000+ employees (fit +30)`, a knockout as its label, an invalid answer
/// as `field: problem`, anything else as its canonical JSON.
fn item_text(item: &Value) -> Option<String> {
    let object = item.as_object()?;
    let text = |key: &str| object.get(key).and_then(scalar_text);
    Some(match (text("label"), text("score"), object.get("points")) {
        (Some(label), Some(score), Some(points)) => {
            let points = scalar_text(points)?;
            let sign = if points.starts_with('-') { "" } else { "+" };
            format!("{label} ({score} {sign}{points})")
        }
        (Some(label), _, _) => label,
        _ => match (text("field"), text("problem")) {
            (Some(field), Some(problem)) => format!("{field}: {problem}"),
            _ => canonical_json(item),
        },
    })
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(u)) => u.to_string(),
            _ => number_to_string(n.as_f64().unwrap_or(0.0)),
        }),
        _ => None,
    }
}

/// `application/x-www-form-urlencoded` encoding of one name or value, as
/// the URL standard defines it: `*-._` and alphanumerics stay, a space is
/// `+`, every other byte of the UTF-8 text is `%XX`.
pub fn form_urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(HEX[usize::from(byte >> 4)] as char);
                out.push(HEX[usize::from(byte & 15)] as char);
            }
        }
    }
    out
}

/// Milliseconds since the epoch for an RFC 3339 time such as
/// `2026-11-23T20:19:54.123Z` or `…+01:00`; `None` when it is not one.
pub fn rfc3339_to_ms(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(range)?;
        if part.is_empty() {
            return None;
        }
        part.iter().try_fold(0i64, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    if second > 60 {
        return None;
    }
    let mut i = 19;
    let mut millis = 0;
    if b[i] == b'.' {
        let start = i + 1;
        i = start;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        // The first three digits, padded: `.1` is 100 ms.
        millis = (0..3).fold(0, |n, k| {
            n * 10
                + b.get(start + k)
                    .filter(|_| start + k < i)
                    .map_or(0, |d| i64::from(d - b'0'))
        });
    }
    let offset_minutes = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let minutes = digits(i + 1..i + 3)? * 60 + digits(i + 4..i + 6)?;
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return None,
    };
    // Days since 1970-01-01 in the proleptic Gregorian calendar
    // (Howard Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1_000 + millis)
}

/// A JSON object of these entries. (Not `json!`: with values from
/// variables it serialises each through a fallible call whose `unwrap`
/// brings error formatting into the wasm. Not `collect`, which brings a
/// sort.)
fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    let mut map = Map::new();
    for (key, value) in entries {
        map.insert(key.to_owned(), value);
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record() -> Value {
        json!({
            "accord_record": 1,
            "submission_id": "0b7e2a4c-0000-4000-8000-000000000001",
            "submitted_at": "2026-11-23T20:19:54.123Z",
            "channel": "web_form",
            "answers": {"email": "dana@acme.example", "name": "Dana Smith & Co",
                        "employees": 1200, "tools": ["salesforce", "hubspot"],
                        "budget": true, "note": null},
            "context": {"page_url": "https://www.example.com/demo?utm_source=x"},
            "qualification": {"grade": "sql", "scores": {"total": 72.5}},
            "consent": [{"field": "consent", "text": "You may contact me.", "given": true}]
        })
    }

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn record_paths_read_as_form_text() {
        let r = record();
        assert_eq!(
            record_text(&r, "answers.email").unwrap(),
            "dana@acme.example"
        );
        assert_eq!(record_text(&r, "answers.employees").unwrap(), "1200");
        assert_eq!(
            record_text(&r, "answers.tools").unwrap(),
            "salesforce;hubspot"
        );
        assert_eq!(record_text(&r, "answers.budget").unwrap(), "true");
        assert_eq!(
            record_text(&r, "qualification.scores.total").unwrap(),
            "72.5"
        );
        assert_eq!(record_text(&r, "answers.note"), None);
        assert_eq!(record_text(&r, "answers.missing"), None);
        assert_eq!(
            record_text(&r, "answers"),
            None,
            "objects have no form text"
        );
        assert_eq!(record_text(&r, "submission_id.x"), None);
    }

    #[test]
    fn secret_looking_headers_are_recognised() {
        for secret in [
            "Authorization",
            "cookie",
            "X-Api-Key",
            "X-Auth-Token",
            "client_secret",
            "Password",
        ] {
            assert!(looks_like_secret(secret), "{secret}");
        }
        for fine in ["X-Site", "Idempotency-Key", "Accept-Language"] {
            assert!(!looks_like_secret(fine), "{fine}");
        }
    }

    #[test]
    fn form_encoding_follows_the_url_standard() {
        assert_eq!(form_urlencode("a b&c=d"), "a+b%26c%3Dd");
        assert_eq!(form_urlencode("é*-._~"), "%C3%A9*-._%7E");
        assert_eq!(form_urlencode(""), "");
    }

    #[test]
    fn a_json_webhook_carries_the_idempotency_key_and_text_plain_does_not() {
        let r = record();
        let hook = webhook_request(
            "https://hooks.example/lead",
            WebhookEncoding::Json,
            &map(&[("X-Site", "north")]),
            &r,
        );
        assert_eq!(hook.content_type, "application/json");
        assert_eq!(
            hook.headers,
            map(&[
                ("Idempotency-Key", "0b7e2a4c-0000-4000-8000-000000000001"),
                ("X-Site", "north")
            ])
        );
        assert_eq!(serde_json::from_str::<Value>(&hook.body).unwrap(), r);
        assert!(!hook.opaque);
        assert!(hook.idempotent, "the body carries the submission id");
        let plain = webhook_request("/api", WebhookEncoding::TextPlain, &BTreeMap::new(), &r);
        assert_eq!(plain.content_type, "text/plain;charset=UTF-8");
        assert!(plain.headers.is_empty(), "no header, so no CORS preflight");
        assert_eq!(plain.body, hook.body);
        // Feedback names the lead it is about; its own id is the key.
        let feedback = json!({"feedback_id": "f-1", "submission_id": "lead-1"});
        let hook = webhook_request(
            "/api/feedback",
            WebhookEncoding::Json,
            &BTreeMap::new(),
            &feedback,
        );
        assert_eq!(hook.headers["Idempotency-Key"], "f-1");
    }

    #[test]
    fn a_salesforce_form_post_maps_fields_and_keeps_constants() {
        let destination = Destination::FormPost {
            url: "https://webto.salesforce.com/servlet/servlet.WebToLead".into(),
            field_map: map(&[
                ("answers.email", "email"),
                ("answers.name", "last_name"),
                ("answers.tools", "00N000000000001"),
                ("answers.missing", "never"),
                ("qualification.grade", "lead_source"),
            ]),
            extra: map(&[
                ("oid", "00D000000000062"),
                ("retURL", "https://example.com/"),
            ]),
            values: ValueTables::new(),
        };
        let request = request_for(&destination, &record(), &PageInfo::default());
        assert_eq!(request.content_type, "application/x-www-form-urlencoded");
        assert!(request.opaque, "Web-to-Lead answers without CORS headers");
        assert!(!request.idempotent, "a repeat would be a second lead");
        assert!(request.headers.is_empty());
        assert_eq!(
            request.body,
            "oid=00D000000000062&retURL=https%3A%2F%2Fexample.com%2F\
             &email=dana%40acme.example&last_name=Dana+Smith+%26+Co\
             &00N000000000001=salesforce%3Bhubspot&lead_source=sql"
        );
    }

    #[test]
    fn a_hubspot_submission_has_fields_context_and_consent() {
        let destination = Destination::Hubspot {
            portal_id: "123456".into(),
            form_guid: "0f0e0d0c-0b0a-4909-8807-060504030201".into(),
            field_map: map(&[("answers.email", "email"), ("answers.tools", "crm_tools")]),
            values: ValueTables::new(),
        };
        let page = PageInfo {
            hutk: Some("abc123hutk".into()),
            page_name: Some("Book a demo".into()),
        };
        let request = request_for(&destination, &record(), &page);
        assert_eq!(
            request.url,
            "https://api.hsforms.com/submissions/v3/integration/submit/123456/0f0e0d0c-0b0a-4909-8807-060504030201"
        );
        assert_eq!(request.content_type, "application/json");
        assert!(
            request.headers.is_empty(),
            "HubSpot allows no custom headers"
        );
        let body: Value = serde_json::from_str(&request.body).unwrap();
        assert_eq!(
            body,
            json!({
                "submittedAt": "1795465194123",
                "fields": [
                    {"objectTypeId": "0-1", "name": "email", "value": "dana@acme.example"},
                    {"objectTypeId": "0-1", "name": "crm_tools", "value": "salesforce;hubspot"}
                ],
                "context": {"hutk": "abc123hutk", "pageUri": "https://www.example.com/demo?utm_source=x",
                            "pageName": "Book a demo"},
                "legalConsentOptions": {"consent": {"consentToProcess": true, "text": "You may contact me."}}
            })
        );
        // No cookie, no consent field: neither is invented.
        let mut bare = record();
        bare.as_object_mut().unwrap().remove("consent");
        let body: Value =
            serde_json::from_str(&request_for(&destination, &bare, &PageInfo::default()).body)
                .unwrap();
        assert_eq!(body.get("legalConsentOptions"), None);
        assert_eq!(
            body["context"],
            json!({"pageUri": "https://www.example.com/demo?utm_source=x"})
        );
    }

    #[test]
    fn value_tables_translate_single_values_and_lists_and_leave_out_the_rest() {
        let mut r = record();
        r["qualification"]["route"] = json!({"team": "enterprise"});
        let values = ValueTables::from([
            (
                "qualification.grade".to_owned(),
                map(&[
                    ("sql", "salesqualifiedlead"),
                    ("mql", "marketingqualifiedlead"),
                ]),
            ),
            (
                "qualification.route.team".to_owned(),
                map(&[("smb", "52414")]),
            ),
            ("answers.tools".to_owned(), map(&[("hubspot", "HubSpot")])),
        ]);
        let destination = Destination::Hubspot {
            portal_id: "123456".into(),
            form_guid: "0f0e0d0c-0b0a-4909-8807-060504030201".into(),
            field_map: map(&[
                ("qualification.grade", "lifecyclestage"),
                ("qualification.route.team", "hubspot_owner_id"),
                ("answers.tools", "crm_tools"),
                ("answers.email", "email"),
            ]),
            values,
        };
        let body: Value =
            serde_json::from_str(&request_for(&destination, &r, &PageInfo::default()).body)
                .unwrap();
        assert_eq!(
            body["fields"],
            json!([
                {"objectTypeId": "0-1", "name": "email", "value": "dana@acme.example"},
                {"objectTypeId": "0-1", "name": "crm_tools", "value": "HubSpot"},
                {"objectTypeId": "0-1", "name": "lifecyclestage", "value": "salesqualifiedlead"}
            ]),
            "the unlisted team sends no owner; an untranslated path goes as it is"
        );
    }

    #[test]
    fn the_explanation_is_sent_as_readable_lines() {
        let r = json!({"qualification": {
            "contributions": [
                {"score": "fit", "criterion": "size", "label": "1,000+ employees", "points": 30},
                {"score": "intent", "criterion": "student", "label": "Student", "points": -10}
            ],
            "knocked_out_by": [{"id": "competitor", "label": "Works for a competitor"}],
            "invalid": [{"field": "employees", "problem": "not_an_option"}],
            "odd": [{"x": 1}, "plain"]
        }});
        assert_eq!(
            record_text(&r, "qualification.contributions").unwrap(),
            "1,000+ employees (fit +30)\nStudent (intent -10)"
        );
        assert_eq!(
            record_text(&r, "qualification.knocked_out_by").unwrap(),
            "Works for a competitor"
        );
        assert_eq!(
            record_text(&r, "qualification.invalid").unwrap(),
            "employees: not_an_option"
        );
        assert_eq!(
            record_text(&r, "qualification.odd").unwrap(),
            "{\"x\":1}\nplain"
        );
    }

    #[test]
    fn rfc3339_times_become_epoch_milliseconds() {
        assert_eq!(rfc3339_to_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            rfc3339_to_ms("2026-11-23T20:19:54.123Z"),
            Some(1_795_465_194_123)
        );
        assert_eq!(
            rfc3339_to_ms("2026-11-23T21:19:54.1+01:00"),
            Some(1_795_465_194_100)
        );
        assert_eq!(
            rfc3339_to_ms("2000-02-29T00:00:00-00:30"),
            Some(951_784_200_000)
        );
        assert_eq!(rfc3339_to_ms("1969-12-31T23:59:59Z"), Some(-1_000));
        for bad in [
            "",
            "2026-11-23",
            "2026-13-01T00:00:00Z",
            "2026-11-23T20:19:54",
            "2026-11-23T20:19:54.Z",
            "2026-11-23T20:19:54Zjunk",
            "２０２６-11-23T20:19:54Z",
        ] {
            assert_eq!(rfc3339_to_ms(bad), None, "{bad}");
        }
    }
}
