//! Reading a rulebook in the browser: fetched from a URL or given inline,
//! parsed by the browser's JSON parser, and read as published: a page runs
//! only rulebooks `accord publish` or the studio checked and stamped, and
//! does not check them again (`accord-core`'s `published.rs` says why, and
//! what is still checked).

use crate::bridge;
use accord_core::Rulebook;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

/// Where the rulebook comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum RulebookSource {
    /// Fetched from this URL.
    Url(String),
    /// Given inline as JSON text.
    Inline(String),
    /// Not configured.
    Missing,
}

/// Fetches (or takes inline), parses and reads the published rulebook. The
/// error lists every problem found, or says that the rulebook was not
/// published, or changed after it was.
pub async fn read_rulebook(source: &RulebookSource) -> Result<Rulebook, String> {
    let text = match source {
        RulebookSource::Inline(text) => text.clone(),
        RulebookSource::Url(url) => fetch_text(url).await.map_err(|e| format!("{url}: {e}"))?,
        RulebookSource::Missing => return Err("no data-accord-rulebook is set".into()),
    };
    let value = bridge::parse(&text).map_err(|e| format!("not JSON: {e}"))?;
    // Parsing was one task; reading is the next (main_thread.rs says why).
    crate::main_thread::yield_to_browser().await;
    Rulebook::from_published(&value).map_err(|errors| errors.to_string())
}

/// Fetches `url` and returns its body as text; an HTTP error is an error.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    fetch_text_with(url, None).await
}

/// [`fetch_text`] with `Authorization: Bearer <token>` when a token is
/// given (for an inbox that needs one). Send a token only to the server it
/// belongs to.
pub async fn fetch_text_with(url: &str, token: Option<&str>) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = web_sys::RequestInit::new();
    if let Some(token) = token {
        let headers = web_sys::Headers::new().map_err(|e| bridge::describe(&e))?;
        headers
            .set("Authorization", &format!("Bearer {token}"))
            .map_err(|e| bridge::describe(&e))?;
        init.set_headers(&headers);
    }
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|e| bridge::describe(&e))?;
    let response: Response = response.dyn_into().map_err(|_| "not a response")?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = response.text().map_err(|e| bridge::describe(&e))?;
    JsFuture::from(text)
        .await
        .map_err(|e| bridge::describe(&e))?
        .as_string()
        .ok_or_else(|| "the body is not text".into())
}
