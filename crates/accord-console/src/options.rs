//! What the console page configured.

use accord_web::options::text_option;
use wasm_bindgen::JsValue;

/// The console's options.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The rulebook URL to start with (the page's `?rulebook=` wins when it
    /// is on this site).
    pub rulebook: Option<String>,
    /// A `?rulebook=` that was not loaded: on another site. A link could
    /// otherwise make a rep run a stranger's questions and destinations.
    pub refused_rulebook: Option<String>,
    /// Where call records go; without it, the rulebook's destinations.
    pub endpoint: Option<String>,
    /// Where feedback records go (a webhook that takes JSON).
    pub feedback_endpoint: String,
    /// The inbox's record list, for opening leads marketing sent.
    pub inbox: String,
    /// A list of known rulebooks, `[{id, url}]`, to find a lead's rulebook.
    pub catalogue: String,
    /// The rep's language: `data-locale`, else the page's `<html lang>`,
    /// else English.
    pub locale: String,
    /// Where the widget's files are (the console's word tables are in its
    /// `locales/console/`).
    pub assets: String,
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
        let (query, refused_rulebook) = match query {
            Some(url) if same_site(&url) => (Some(url), None),
            Some(url) => (None, Some(url)),
            None => (None, None),
        };
        Options {
            rulebook: query.or_else(|| text("rulebook")),
            refused_rulebook,
            endpoint: text("endpoint"),
            feedback_endpoint: text("feedbackEndpoint").unwrap_or_else(|| "/api/feedback".into()),
            inbox: text("inbox").unwrap_or_else(|| "/api/records?limit=200".into()),
            catalogue: text("catalogue").unwrap_or_else(|| "/rulebooks.json".into()),
            locale: accord_web::i18n::choose(text("locale").as_deref(), None),
            assets: text("assets").unwrap_or_else(|| "/accord/".into()),
        }
    }
}

impl Options {
    /// Whether `url` is the inbox's record endpoint: the same origin and
    /// path as [`Options::inbox`] (its list of records), read against the
    /// page's address. Only there does a call go with the rep's token.
    pub fn is_inbox(&self, url: &str) -> bool {
        let Some(href) = web_sys::window().and_then(|w| w.location().href().ok()) else {
            return false;
        };
        let place = |u: &str| {
            web_sys::Url::new_with_base(u, &href)
                .ok()
                .map(|u| (u.origin(), u.pathname()))
        };
        place(url).is_some_and(|p| Some(p) == place(&self.inbox))
    }
}

/// Whether `url`, read against the page's address, is on the page's own
/// origin.
fn same_site(url: &str) -> bool {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return false;
    };
    let (Ok(href), Ok(origin)) = (location.href(), location.origin()) else {
        return false;
    };
    web_sys::Url::new_with_base(url, &href).is_ok_and(|u| u.origin() == origin)
}
