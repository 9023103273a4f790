//! What the widget reads from the page it is on: the URL, the referrer, the
//! campaign parameters, the clock and randomness. The engine takes all of
//! these as arguments; this is the one place that asks the browser.

use accord_core::{uuid_v4_from_bytes, Context, ContextKey, FieldType, RulebookDoc, Submission};
use accord_logic::size::collect_by_insertion;
use serde_json::{Map, Value};
use web_sys::UrlSearchParams;

/// The page's location and referrer, with the UTM parameters of its query
/// (none on the host, where a prerender has no page).
pub fn context() -> Context {
    if cfg!(not(target_arch = "wasm32")) {
        return Context::default();
    }
    let Some(window) = web_sys::window() else {
        return Context::default();
    };
    let location = window.location();
    let query = query();
    let param = |name: &str| {
        query
            .as_ref()
            .and_then(|q| q.get(name))
            .filter(|v| !v.is_empty())
    };
    let referrer = window
        .document()
        .map(|d| d.referrer())
        .filter(|r| !r.is_empty());
    let first = first_touch();
    let mut context = Context::default();
    for (key, name) in ContextKey::NAMES {
        let value = match key {
            ContextKey::PageUrl => location.href().ok(),
            ContextKey::Referrer => referrer.clone(),
            _ if key.is_query_parameter() => param(name),
            _ => key
                .first_touch_name()
                .and_then(|n| first.as_ref()?.get(n)?.as_str().map(str::to_owned)),
        };
        // What a page or a stored first touch says is untrusted: bounded.
        context.set(
            *key,
            value
                .filter(|v| !v.is_empty())
                .map(|v| v.chars().take(MAX_CONTEXT_CHARS).collect()),
        );
    }
    context
}

/// The longest context value a record carries.
const MAX_CONTEXT_CHARS: usize = 2_048;

/// Where the loader keeps the visit's first touch (docs/embedding.md,
/// "First-touch attribution").
pub const FIRST_TOUCH_KEY: &str = "accord:first-touch";

/// The first touch the loader kept, if any and readable.
fn first_touch() -> Option<serde_json::Map<String, serde_json::Value>> {
    let text = local_storage()?.get_item(FIRST_TOUCH_KEY).ok()??;
    match crate::bridge::parse(&text).ok()? {
        serde_json::Value::Object(map) => Some(map),
        _ => None,
    }
}

/// The page's `localStorage`, when the browser lets it be used (not in
/// every private mode, nor in a sandboxed frame).
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn query() -> Option<UrlSearchParams> {
    if cfg!(not(target_arch = "wasm32")) {
        return None;
    }
    let search = web_sys::window()?.location().search().ok()?;
    UrlSearchParams::new_with_str(&search).ok()
}

/// Answers for the rulebook's `hidden` fields: a fixed `value`, or the page
/// URL's query parameter named by `param` (default: the field id; none on
/// the host).
pub fn hidden_answers(doc: &RulebookDoc) -> Map<String, Value> {
    let query = query();
    collect_by_insertion(
        doc.fields
            .iter()
            .filter(|f| f.kind == FieldType::Hidden)
            .filter_map(|f| {
                let value = match &f.value {
                    Some(fixed) => Some(fixed.clone()),
                    None => query
                        .as_ref()
                        .and_then(|q| q.get(f.param.as_deref().unwrap_or(&f.id))),
                };
                Some((f.id.clone(), Value::String(value?)))
            }),
    )
}

/// Milliseconds since the epoch, from the browser's clock (0 on the host,
/// where a prerender has no page).
pub fn now_ms() -> f64 {
    if cfg!(not(target_arch = "wasm32")) {
        return 0.0;
    }
    js_sys::Date::now()
}

/// When the page began loading, in milliseconds since the epoch: when a
/// prerendered form appeared, long before the widget ran.
pub fn loaded_at_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(now_ms, |p| p.time_origin())
}

/// The current time as RFC 3339 (UTC, millisecond precision).
pub fn now_rfc3339() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// A submission made now, with a fresh id and nothing else (callers add
/// the rep, notes and call details).
pub fn new_submission() -> Submission {
    Submission {
        submission_id: new_submission_id(),
        submitted_at: now_rfc3339(),
        ..Submission::default()
    }
}

/// A fresh UUID v4 from the browser's cryptographic random source.
pub fn new_submission_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // No Web Crypto (very old browsers): Math.random is good enough for
        // an idempotency key, which needs uniqueness, not secrecy.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    uuid_v4_from_bytes(bytes)
}
