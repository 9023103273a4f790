//! The rep's name, remembered on the device for calls and feedback alike.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Where the rep's name is remembered.
pub const REP_KEY: &str = "accord:console:rep";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The remembered name, or empty.
pub fn remembered() -> String {
    storage()
        .and_then(|s| s.get_item(REP_KEY).ok().flatten())
        .unwrap_or_default()
}

/// An `oninput` handler that remembers the typed name on the device and
/// hands it to `set`.
pub fn on_input(set: impl Fn(String) + 'static) -> Callback<InputEvent> {
    Callback::from(move |e: InputEvent| {
        let name = e.target_unchecked_into::<HtmlInputElement>().value();
        if let Some(store) = storage() {
            let _ = store.set_item(REP_KEY, &name);
        }
        set(name);
    })
}
