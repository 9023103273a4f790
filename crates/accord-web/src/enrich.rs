//! Enrichment in the browser: the rulebook's providers run for the
//! visitor's answers (`accord_core::enrich` is the pure part).
//!
//! Two halves, so a lookup never blocks the visitor:
//!
//! - [`look_up`] (async) fetches what the answers need and keeps it for the
//!   visit: each `http` lookup URL once, within its provider's timeout,
//!   without cookies; the disposable-domain list only for a rulebook that
//!   asks for `disposable_email`, from the widget's own assets.
//! - [`snapshot`] (at once) builds the [`Snapshot`] from what is kept: the
//!   form shows it, and a record sent before a lookup answered says
//!   `timeout` for that provider.

use crate::fetch_deadline::FetchDeadline;
use crate::{bridge, page};
use accord_core::{
    built_in, lookup_url, needs_disposable_list, read_lookup_value, Answers, DomainLists, Lookup,
    ProviderKind, Rulebook, Snapshot, MAX_ANSWER_BYTES,
};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Where the disposable-domain list is, under the widget's asset base.
pub const DISPOSABLE_LIST: &str = "enrichment/disposable-domains.txt";

/// How long the form waits after the last change of an email or phone
/// answer before it looks up, in milliseconds: one lookup per address
/// typed, not one per keystroke.
pub const DEBOUNCE_MS: i32 = 500;

/// What this visit has looked up.
#[derive(Default)]
struct Kept {
    /// Each lookup (by [`key`]) with its answer, or its last failure (a
    /// timeout or an error) until a retry answers: a failure is not kept as an answer,
    /// so the next change of the address tries again. A visit looks up a
    /// handful of URLs: a list, not a map.
    found: Vec<(String, Lookup)>,
    /// Lookups in flight.
    pending: Vec<String>,
    /// The disposable-domain list: `None` until asked for, then the list
    /// (empty if it could not be fetched: then not known).
    lists: Option<Rc<DomainLists>>,
}

thread_local! {
    static KEPT: RefCell<Kept> = RefCell::new(Kept::default());
}

/// What the lookups of `answers` depend on (their email address and phone
/// number): the form looks up again only when these change. `None` for a
/// rulebook without enrichment.
pub fn inputs(rulebook: &Rulebook, answers: &Answers) -> Option<(Option<String>, Option<String>)> {
    rulebook.doc().enrichment.as_ref()?;
    Some((
        accord_core::email_of(rulebook, answers),
        accord_core::phone_of(rulebook, answers),
    ))
}

/// Fetches what `answers` need for the rulebook's providers and keeps it
/// for the visit. `lookups`: whether `http` providers may be asked (the
/// embed's `data-accord-enrich="off"` says no).
pub async fn look_up(rulebook: &Rulebook, answers: &Answers, asset_base: &str, lookups: bool) {
    let Some(enrichment) = &rulebook.doc().enrichment else {
        return;
    };
    // The list is fetched once an address is there to check, never on load.
    let email = accord_core::email_of(rulebook, answers);
    if email.is_some()
        && needs_disposable_list(enrichment)
        && KEPT.with(|k| k.borrow().lists.is_none())
    {
        let url = format!("{asset_base}{DISPOSABLE_LIST}");
        let lists = match crate::load::fetch_text(&url).await {
            Ok(text) => DomainLists::from_disposable_text(&text),
            Err(e) => {
                web_sys::console::warn_1(&format!("accord: {url}: {e}").into());
                DomainLists::default()
            }
        };
        KEPT.with(|k| k.borrow_mut().lists = Some(Rc::new(lists)));
    }
    if !lookups {
        return;
    }
    for provider in &enrichment.providers {
        let Some(url) = lookup_url(provider, rulebook, answers) else {
            continue;
        };
        let key = key(rulebook, provider, &url);
        let asked = KEPT.with(|k| {
            let k = k.borrow();
            let answered = k
                .found
                .iter()
                .any(|(u, l)| *u == key && matches!(l, Lookup::Found(_)));
            answered || k.pending.contains(&key)
        });
        if asked {
            continue;
        }
        KEPT.with(|k| k.borrow_mut().pending.push(key.clone()));
        let found = match fetch(&url, provider.timeout_ms()).await {
            // The browser's parser: serde_json's would add its code to the wasm.
            Fetched::Body(body) if body.len() > MAX_ANSWER_BYTES => {
                Lookup::Failed(format!("an answer of {} bytes", body.len()))
            }
            Fetched::Body(body) => match bridge::parse(&body) {
                Ok(json) => read_lookup_value(provider, enrichment, &json),
                Err(e) => Lookup::Failed(format!("the answer is not JSON: {e}")),
            },
            Fetched::NotFound => Lookup::Found(Default::default()),
            Fetched::Timeout => Lookup::Timeout,
            Fetched::Failed(why) => Lookup::Failed(why),
        };
        KEPT.with(|k| {
            let mut k = k.borrow_mut();
            k.pending.retain(|u| u != &key);
            k.found.retain(|(u, _)| *u != key);
            k.found.push((key, found));
        });
    }
}

/// The snapshot for `answers` from what this visit has looked up; `None`
/// for a rulebook without enrichment.
pub fn snapshot(rulebook: &Rulebook, answers: &Answers, lookups: bool) -> Option<Snapshot> {
    let enrichment = rulebook.doc().enrichment.as_ref()?;
    let lists = KEPT.with(|k| k.borrow().lists.clone()).unwrap_or_default();
    let found: Vec<Lookup> = enrichment
        .providers
        .iter()
        .map(|provider| match provider.kind {
            ProviderKind::BuiltIn => built_in(provider, rulebook, answers, &lists),
            ProviderKind::Http if !lookups => Lookup::Skipped,
            ProviderKind::Http => match lookup_url(provider, rulebook, answers) {
                None => Lookup::Skipped,
                Some(url) => kept(&key(rulebook, provider, &url)),
            },
        })
        .collect();
    Some(Snapshot::from_lookups(
        enrichment,
        &found,
        Some(page::now_rfc3339()),
    ))
}

/// What a visit keeps a lookup under: the rulebook, the provider and the
/// URL, as each reads the answer through its own map (and several widgets
/// on a page share what is kept).
fn key(rulebook: &Rulebook, provider: &accord_core::Provider, url: &str) -> String {
    format!("{} {} {url}", rulebook.reference().sha256, provider.id)
}

/// What this visit knows of a lookup (by [`key`]): `timeout` while it is
/// in flight (sent before it answered), its answer or last failure, else
/// not asked.
fn kept(url: &str) -> Lookup {
    KEPT.with(|k| {
        let k = k.borrow();
        if k.pending.iter().any(|u| u == url) {
            return Lookup::Timeout;
        }
        k.found
            .iter()
            .find(|(u, _)| u == url)
            .map_or(Lookup::Skipped, |(_, l)| l.clone())
    })
}

/// How one lookup went.
enum Fetched {
    Body(String),
    NotFound,
    Timeout,
    Failed(String),
}

/// GETs `url` without cookies, aborted after `timeout_ms`.
async fn fetch(url: &str, timeout_ms: u32) -> Fetched {
    match try_fetch(url, timeout_ms).await {
        Ok(fetched) => fetched,
        Err(e) => Fetched::Failed(bridge::describe(&e)),
    }
}

async fn try_fetch(url: &str, timeout_ms: u32) -> Result<Fetched, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_mode(web_sys::RequestMode::Cors);
    init.set_credentials(web_sys::RequestCredentials::Omit);
    let headers = web_sys::Headers::new()?;
    headers.set("Accept", "application/json")?;
    init.set_headers(&headers);
    let deadline = FetchDeadline::arm(&init, i32::try_from(timeout_ms).unwrap_or(i32::MAX))?;
    let result = async {
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str_and_init(url, &init))
                .await?
                .dyn_into()?;
        if response.status() == 404 {
            return Ok(Fetched::NotFound);
        }
        if !response.ok() {
            return Ok(Fetched::Failed(format!("HTTP {}", response.status())));
        }
        // An answer that says it is larger than any company profile is not read.
        let length = response.headers().get("Content-Length").ok().flatten();
        if length
            .and_then(|l| l.parse::<usize>().ok())
            .is_some_and(|n| n > MAX_ANSWER_BYTES)
        {
            return Ok(Fetched::Failed("the answer is too large".into()));
        }
        let text = JsFuture::from(response.text()?).await?;
        Ok(Fetched::Body(text.as_string().unwrap_or_default()))
    };
    match result.await {
        Err(_) if deadline.timed_out() => Ok(Fetched::Timeout),
        other => other,
    }
}
