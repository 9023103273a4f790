//! What the console page configured.

use accord_web::options::text_option;
use wasm_bindgen::JsValue;

/// The console's options.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The rulebook URL to start with (the page's `?rulebook=` wins).
    pub rulebook: Option<String>,
    /// Where call records go; without it, the rulebook's destinations.
    pub endpoint: Option<String>,
    /// Where feedback records go (a webhook that takes JSON).
    pub feedback_endpoint: String,
    /// The inbox's record list, for opening leads marketing sent.
    pub inbox: String,
    /// A list of known rulebooks, `[{id, url}]`, to find a lead's rulebook.
    pub catalogue: String,
}

impl Options {
    /// Reads the options object; absent keys take their defaults.
    pub fn from_js(options: &JsValue) -> Options {
        let text = |key: &str| text_option(options, key).filter(|s| !s.is_empty());
        let query = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
            .and_then(|q| q.get("rulebook"))
            .filter(|s| !s.is_empty());
        Options {
            rulebook: query.or_else(|| text("rulebook")),
            endpoint: text("endpoint"),
            feedback_endpoint: text("feedbackEndpoint").unwrap_or_else(|| "/api/feedback".into()),
            inbox: text("inbox").unwrap_or_else(|| "/api/records?limit=200".into()),
            catalogue: text("catalogue").unwrap_or_else(|| "/rulebooks.json".into()),
        }
    }
}
