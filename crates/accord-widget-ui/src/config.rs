//! What the host page configured for one widget.

use accord_core::{Audience, Destination, FailureReport, OutgoingRequest, WebhookEncoding};
use accord_web::load::RulebookSource;
use accord_web::options::{get, text_option};
use accord_web::{bridge, outbox};
use serde_json::Value;
use std::collections::BTreeMap;
use wasm_bindgen::JsValue;
use web_sys::Element;

/// One widget's configuration, read from the options object that `mount`
/// receives (the loader builds it from the element's `data-accord-*`
/// attributes).
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The rulebook.
    pub rulebook: RulebookSource,
    /// A webhook URL that replaces the rulebook's destinations; also where
    /// the capture-only form sends when the rulebook cannot be read.
    pub endpoint: Option<String>,
    /// A challenger rulebook run in the shadow of the live one
    /// (`data-accord-shadow`): its verdict goes into the record, and the
    /// visitor and the delivery never see it.
    pub shadow: Option<String>,
    /// The site owner's endpoint for failure reports (a destination refused
    /// a record) and, when there is no `endpoint`, for the capture-only
    /// form; it wins over the rulebook's `report_endpoint`.
    pub report_endpoint: Option<String>,
    /// How to encode posts to `endpoint`.
    pub encoding: WebhookEncoding,
    /// Extra headers for posts to `endpoint` (a backend with CORS that
    /// wants them); headers that look like secrets are refused.
    pub headers: BTreeMap<String, String>,
    /// Whose questions to ask.
    pub audience: Audience,
    /// The visitor's language (`data-accord-locale`), over the rulebook's
    /// and the page's.
    pub locale: Option<String>,
    /// `light`, `dark` or `auto` (follow the visitor's setting).
    pub theme: String,
    /// Base URL of the widget's own files (its stylesheet).
    pub asset_base: String,
    /// Submissions faster than this after the form appeared are treated as
    /// bots: they see success and nothing is sent.
    pub min_fill_ms: f64,
    /// Shows the live qualification under the form (for authors previewing
    /// a rulebook, never for visitors).
    pub preview: bool,
    /// Whether the page's `dataLayer` gets the answers too (off: only the
    /// submission id, grade, status, route team and rulebook).
    pub data_layer_answers: bool,
    /// The host element, which receives the widget's events.
    pub host: Option<Element>,
    /// The form `accord embed` prerendered in the host's shadow root (its
    /// `.accord-root`), which the widget takes over once its own is drawn.
    pub prerendered: Option<Element>,
    /// When the rulebook's `http` enrichment providers are asked
    /// (`data-accord-enrich`); the built-in facts, worked out in the page,
    /// are always there.
    pub lookups: Lookups,
}

/// When a page lets the widget look a lead up (`data-accord-enrich`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookups {
    /// As soon as the email stands still (the default).
    On,
    /// Never (`off`).
    Off,
    /// Once the visitor has ticked every consent box of the form
    /// (`after-consent`); never on a form without one.
    AfterConsent,
}

impl Lookups {
    /// Whether lookups may run, given whether consent is given.
    pub fn allowed(self, consented: bool) -> bool {
        match self {
            Lookups::On => true,
            Lookups::Off => false,
            Lookups::AfterConsent => consented,
        }
    }
}

/// Default minimum time a human needs to fill in the form.
pub const DEFAULT_MIN_FILL_MS: f64 = 3_000.0;

impl Default for Config {
    /// What an embed with no options gets (no rulebook: the capture form).
    fn default() -> Self {
        Config {
            rulebook: RulebookSource::Missing,
            endpoint: None,
            shadow: None,
            report_endpoint: None,
            encoding: WebhookEncoding::Json,
            headers: BTreeMap::new(),
            audience: Audience::Form,
            locale: None,
            theme: "auto".into(),
            asset_base: String::new(),
            min_fill_ms: DEFAULT_MIN_FILL_MS,
            preview: false,
            data_layer_answers: false,
            lookups: Lookups::On,
            host: None,
            prerendered: None,
        }
    }
}

impl Config {
    /// Reads the options object; unknown or malformed options fall back to
    /// their defaults.
    pub fn from_js(options: &JsValue, host: Option<Element>) -> Config {
        let text = |key: &str| text_option(options, key);
        let rulebook = match (text("rulebookJson"), text("rulebook")) {
            (Some(json), _) => RulebookSource::Inline(json),
            (None, Some(url)) => RulebookSource::Url(url),
            (None, None) => RulebookSource::Missing,
        };
        let min_fill_ms = get(options, "minFillMs")
            .and_then(|v| {
                // Text (a data attribute) is read as JavaScript's `Number`
                // reads it; anything else (`"3s"`) is malformed.
                v.as_f64()
                    .or_else(|| v.as_string().and_then(|s| bridge::js_number(&s)))
            })
            .filter(|n| n.is_finite() && *n >= 0.0)
            .unwrap_or(DEFAULT_MIN_FILL_MS);
        let flag = |key: &str| {
            get(options, key).is_some_and(|v| {
                v.as_bool() == Some(true) || v.as_string().is_some_and(|s| s != "false")
            })
        };
        Config {
            rulebook,
            endpoint: url_option(options, "endpoint"),
            report_endpoint: url_option(options, "reportEndpoint"),
            shadow: text("shadow"),
            headers: headers(options),
            encoding: match text("encoding").as_deref() {
                Some("text/plain" | "text_plain") => WebhookEncoding::TextPlain,
                _ => WebhookEncoding::Json,
            },
            locale: text("locale").filter(|l| accord_core::is_locale_tag(l)),
            audience: match text("audience").as_deref() {
                Some("call") => Audience::Call,
                _ => Audience::Form,
            },
            theme: match text("theme").as_deref() {
                Some("dark") => "dark".into(),
                Some("light") => "light".into(),
                _ => "auto".into(),
            },
            asset_base: text("assetBase").unwrap_or_default(),
            min_fill_ms,
            preview: flag("preview"),
            data_layer_answers: flag("dataLayerAnswers"),
            host,
            prerendered: None,
            lookups: match text("enrich").as_deref() {
                Some("off") => Lookups::Off,
                Some("after-consent") => Lookups::AfterConsent,
                _ => Lookups::On,
            },
        }
    }
}

/// A URL option, unless it carries a secret (refused with a console
/// error: the page ships to every visitor).
fn url_option(options: &JsValue, key: &str) -> Option<String> {
    let url = text_option(options, key).filter(|s| !s.is_empty())?;
    match accord_core::secret_in_url(&url) {
        None => Some(url),
        Some(why) => {
            web_sys::console::error_1(
                &format!("accord: the {key} option is not used: {why}; the page ships to every visitor, so secrets belong on the backend").into(),
            );
            None
        }
    }
}

impl Config {
    /// Where the failures of record `id` are reported: the embed's report
    /// endpoint, else the rulebook's (`from_rulebook`) when the rulebook's
    /// destinations are in use.
    pub fn report_to(
        &self,
        from_rulebook: Option<&str>,
        id: &str,
        record: &Value,
    ) -> Option<FailureReport> {
        // The rulebook's endpoint only while its destinations are used: an
        // embed that sends elsewhere does not hand its leads to the
        // rulebook's author.
        let from_rulebook = from_rulebook.filter(|_| self.endpoint.is_none());
        let url = self.report_endpoint.as_deref().or(from_rulebook)?;
        Some(FailureReport {
            submission_id: id.to_owned(),
            url: url.to_owned(),
            record: accord_core::canonical_json(record),
        })
    }

    /// The requests that deliver `record`: to the embed's endpoint when it
    /// has one, else to each of the rulebook's destinations.
    pub fn requests(&self, destinations: &[Destination], record: &Value) -> Vec<OutgoingRequest> {
        outbox::requests(
            self.endpoint.as_deref(),
            self.encoding,
            &self.headers,
            destinations,
            record,
        )
    }
}

/// The `headers` option: an object, or JSON text of one (from the
/// `data-accord-headers` attribute), of string values.
fn headers(options: &JsValue) -> BTreeMap<String, String> {
    let value = match get(options, "headers") {
        Some(v) if v.is_string() => bridge::parse(&v.as_string().unwrap_or_default()),
        Some(v) => bridge::from_js(&v, 4),
        None => return BTreeMap::new(),
    };
    let Ok(Value::Object(map)) = value else {
        web_sys::console::error_1(
            &"accord: the headers option must be a JSON object of strings; ignored".into(),
        );
        return BTreeMap::new();
    };
    let mut headers = BTreeMap::new();
    for (name, value) in map {
        let Some(value) = value.as_str() else {
            continue;
        };
        if accord_core::looks_like_secret(&name) || accord_core::looks_like_secret_value(value) {
            web_sys::console::error_1(
                &format!("accord: header `{name}` looks like a secret (by its name or value) and is not sent; the page ships to every visitor, so secrets belong on the backend").into(),
            );
            continue;
        }
        headers.insert(name, value.to_owned());
    }
    headers
}
