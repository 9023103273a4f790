//! What the console remembers on this device: the rep's name (for calls
//! and feedback alike) and the inbox token. Both stay in this browser's
//! `localStorage`; the token is sent only to the inbox.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Where the rep's name is remembered.
pub const REP: &str = "accord:console:rep";
/// Where the inbox token is remembered.
pub const INBOX_TOKEN: &str = "accord:console:inbox-token";

/// The remembered value of `key`, or empty.
pub fn remembered(key: &str) -> String {
    accord_web::page::local_storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .unwrap_or_default()
}

/// An `oninput` handler that remembers the typed value under `key` on the
/// device and hands it to `set`.
pub fn on_input(key: &'static str, set: impl Fn(String) + 'static) -> Callback<InputEvent> {
    Callback::from(move |e: InputEvent| {
        let value = e.target_unchecked_into::<HtmlInputElement>().value();
        if let Some(store) = accord_web::page::local_storage() {
            let _ = store.set_item(key, &value);
        }
        set(value);
    })
}
