//! The recent calls view: this device's calls, kept in `localStorage` (so
//! they survive closing the tab and work offline), searchable, exportable
//! as CSV.

use crate::calls::{self, CallEntry};
use crate::keys::{use_shortcuts, Action, Pressed};
use crate::words::t;
use accord_core::Progress;
use accord_web::{bridge, outbox};
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The `localStorage` key of the list.
pub const CALLS_KEY: &str = "accord:console:calls";

/// The saved calls, newest first. Stored items that are not records are
/// moved aside under their own key and reported, never deleted.
pub fn load() -> Vec<CallEntry> {
    let Some(store) = accord_web::page::local_storage() else {
        return Vec::new();
    };
    let Some(text) = store.get_item(CALLS_KEY).ok().flatten() else {
        return Vec::new();
    };
    let value = bridge::parse(&text).unwrap_or(serde_json::Value::String(text));
    let (list, unreadable) = calls::from_stored(value);
    if !unreadable.is_empty() {
        let aside = format!(
            "{CALLS_KEY}:unreadable:{}",
            accord_web::page::now_ms() as u64
        );
        let _ = store.set_item(
            &aside,
            &bridge::stringify(&serde_json::Value::Array(unreadable)),
        );
        web_sys::console::error_1(
            &format!("accord console: some saved calls could not be read; kept as {aside}").into(),
        );
        save(&list);
    }
    list
}

/// Stores the list (the newest [`calls::MAX_CALLS`]).
pub fn save(list: &[CallEntry]) {
    let stored = bridge::stringify(&calls::to_stored(list));
    if accord_web::page::local_storage().is_none_or(|s| s.set_item(CALLS_KEY, &stored).is_err()) {
        web_sys::console::warn_1(
            &"accord console: could not store the recent calls list (storage full?)".into(),
        );
    }
}

fn delivery(record: &CallEntry) -> String {
    t(match outbox::load().progress(&record.submission_id) {
        Progress::Delivered => "Sent",
        Progress::Pending => "Waiting to send",
        Progress::Failed => "Refused by the destination",
    })
}

/// Offers `text` as a file download.
fn download(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(a) = document
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Properties of [`RecentCalls`].
#[derive(Properties, PartialEq, Clone)]
pub struct RecentProps {
    /// The saved calls, newest first.
    pub calls: Vec<CallEntry>,
    /// The latest shortcut.
    pub pressed: Pressed,
}

/// The list of this device's calls.
#[function_component(RecentCalls)]
pub fn recent_calls(props: &RecentProps) -> Html {
    let query = use_state(String::new);
    // Redraw the delivery column when a record goes out (from this tab's
    // outbox, or another tab's through the storage event).
    let redraws = use_state(|| 0u32);
    {
        let redraws = redraws.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let listener =
                wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || redraws.set(*redraws + 1));
            for event in ["accord:delivered", "storage"] {
                if let Some(w) = &window {
                    let _ = w
                        .add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
                }
            }
            move || {
                for event in ["accord:delivered", "storage"] {
                    if let Some(w) = &window {
                        let _ = w.remove_event_listener_with_callback(
                            event,
                            listener.as_ref().unchecked_ref(),
                        );
                    }
                }
            }
        });
    }
    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            query.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let shown: Vec<&CallEntry> = props
        .calls
        .iter()
        .filter(|c| calls::matches(c, &query))
        .collect();
    let shown_calls: Vec<CallEntry> = shown.iter().map(|c| (*c).clone()).collect();
    let export = {
        let shown = shown_calls.clone();
        Callback::from(move |_| download("accord-calls.csv", &calls::csv(&shown)))
    };
    // Alt+K searches, Alt+E exports (pressed here or from another view).
    use_shortcuts(props.pressed, true, move |action| match action {
        Action::Search => crate::app::focus_id("recent-search"),
        Action::Export => download("accord-calls.csv", &calls::csv(&shown_calls)),
        _ => {}
    });
    html! {
        <section class="recent" aria-labelledby="recent-title">
            <h2 id="recent-title">{ t("Recent calls on this device") }</h2>
            <div class="row">
                <label for="recent-search">{ t("Search calls") }</label>
                <input id="recent-search" type="search" value={(*query).clone()} {oninput} />
                <button type="button" onclick={export} aria-keyshortcuts="Alt+E" title="Alt+E">{ t("Export CSV") }</button>
            </div>
            <p role="status">{ format!("{} of {} calls", shown.len(), props.calls.len()) }</p>
            <div class="table-scroll" role="region" aria-label={t("Recent calls, scrollable")} tabindex="0">
                <table aria-label={t("Recent calls")}>
                    <thead><tr>
                        <th scope="col">{ t("When") }</th><th scope="col">{ t("Who") }</th><th scope="col">{ t("Grade") }</th>
                        <th scope="col">{ t("Disposition") }</th><th scope="col">{ t("Delivery") }</th>
                    </tr></thead>
                    <tbody>
                        { for shown.iter().map(|r| html! {
                            <tr>
                                <td>{ &r.submitted_at }</td>
                                <td>{ calls::who(r) }</td>
                                <td>{ &r.qualification.grade }</td>
                                <td>{ r.call.as_ref().map_or("", |c| c.disposition.as_str()) }</td>
                                <td>{ delivery(r) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
