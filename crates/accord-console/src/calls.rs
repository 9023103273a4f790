//! This device's recent calls: kept in `localStorage` (so they survive
//! closing the tab and work offline), searchable, exportable as CSV.

use accord_core::{push_csv_row, Progress};
use accord_web::{bridge, outbox};
use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The `localStorage` key of the list.
pub const CALLS_KEY: &str = "accord:console:calls";
/// How many calls the device keeps (the oldest go first).
pub const MAX_CALLS: usize = 500;

/// One saved call: its lead record, as sent.
pub type CallEntry = Value;

/// The saved calls, newest first.
pub fn load() -> Vec<CallEntry> {
    let text = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(CALLS_KEY).ok().flatten());
    match text.map(|t| bridge::parse(&t)) {
        Some(Ok(Value::Array(items))) => items,
        _ => Vec::new(),
    }
}

/// Stores the list (the newest [`MAX_CALLS`]).
pub fn save(calls: &[CallEntry]) {
    let kept = Value::Array(calls.iter().take(MAX_CALLS).cloned().collect());
    if let Some(store) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        if store
            .set_item(CALLS_KEY, &bridge::stringify(&kept))
            .is_err()
        {
            web_sys::console::warn_1(
                &"accord console: could not store the recent calls list (storage full?)".into(),
            );
        }
    }
}

fn text<'a>(record: &'a Value, pointer: &str) -> &'a str {
    record
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// Who the call was with: the company and the first email answer.
pub fn who(record: &Value) -> String {
    let answers = record.get("answers").and_then(Value::as_object);
    let company = answers
        .and_then(|a| a.get("company"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let email = answers
        .and_then(|a| {
            a.iter()
                .find(|(k, v)| k.contains("email") && v.is_string())
                .and_then(|(_, v)| v.as_str())
        })
        .unwrap_or("");
    match (company.is_empty(), email.is_empty()) {
        (false, false) => format!("{company} ({email})"),
        (false, true) => company.to_owned(),
        _ => email.to_owned(),
    }
}

fn delivery(record: &Value) -> &'static str {
    match outbox::load().progress(text(record, "/submission_id")) {
        Progress::Delivered => "Sent",
        Progress::Pending => "Waiting to send",
        Progress::Failed => "Refused by the destination",
    }
}

/// The calls as CSV (RFC 4180), with a header row.
pub fn csv(calls: &[CallEntry]) -> String {
    let mut out = String::new();
    push_csv_row(
        &mut out,
        [
            "submitted_at",
            "submission_id",
            "rep",
            "who",
            "grade",
            "status",
            "total",
            "route",
            "disposition",
            "duration_seconds",
            "notes",
        ],
    );
    for r in calls {
        let total = r
            .pointer("/qualification/scores/total")
            .and_then(Value::as_i64)
            .unwrap_or(0)
            .to_string();
        let duration = r
            .pointer("/call/duration_seconds")
            .and_then(Value::as_u64)
            .unwrap_or(0)
            .to_string();
        let cells = [
            text(r, "/submitted_at").to_owned(),
            text(r, "/submission_id").to_owned(),
            text(r, "/rep/name").to_owned(),
            who(r),
            text(r, "/qualification/grade").to_owned(),
            text(r, "/qualification/status").to_owned(),
            total,
            text(r, "/qualification/route/team").to_owned(),
            text(r, "/call/disposition").to_owned(),
            duration,
            text(r, "/notes").to_owned(),
        ];
        push_csv_row(&mut out, cells);
    }
    out
}

fn matches(record: &Value, query: &str) -> bool {
    if query.trim().is_empty() {
        return true;
    }
    let haystack = [
        who(record),
        text(record, "/qualification/grade").to_owned(),
        text(record, "/notes").to_owned(),
        text(record, "/call/disposition").to_owned(),
        text(record, "/rep/name").to_owned(),
    ]
    .join(" ")
    .to_lowercase();
    query
        .to_lowercase()
        .split_whitespace()
        .all(|word| haystack.contains(word))
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
    pub pressed: crate::app::Pressed,
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
    let shown: Vec<&CallEntry> = props.calls.iter().filter(|c| matches(c, &query)).collect();
    let shown_calls: Vec<CallEntry> = shown.iter().map(|c| (*c).clone()).collect();
    let export = {
        let shown = shown_calls.clone();
        Callback::from(move |_| download("accord-calls.csv", &csv(&shown)))
    };
    // Alt+K searches, Alt+E exports (pressed here or from another view).
    crate::app::use_shortcuts(props.pressed, true, move |action| match action {
        crate::keys::Action::Search => crate::app::focus_id("recent-search"),
        crate::keys::Action::Export => download("accord-calls.csv", &csv(&shown_calls)),
        _ => {}
    });
    html! {
        <section class="recent" aria-labelledby="recent-title">
            <h2 id="recent-title">{ "Recent calls on this device" }</h2>
            <div class="row">
                <label for="recent-search">{ "Search calls" }</label>
                <input id="recent-search" type="search" value={(*query).clone()} {oninput} />
                <button type="button" onclick={export} aria-keyshortcuts="Alt+E" title="Alt+E">{ "Export CSV" }</button>
            </div>
            <p role="status">{ format!("{} of {} calls", shown.len(), props.calls.len()) }</p>
            <table aria-label="Recent calls">
                <thead><tr>
                    <th scope="col">{ "When" }</th><th scope="col">{ "Who" }</th><th scope="col">{ "Grade" }</th>
                    <th scope="col">{ "Disposition" }</th><th scope="col">{ "Delivery" }</th>
                </tr></thead>
                <tbody>
                    { for shown.iter().map(|r| html! {
                        <tr>
                            <td>{ text(r, "/submitted_at") }</td>
                            <td>{ who(r) }</td>
                            <td>{ text(r, "/qualification/grade") }</td>
                            <td>{ text(r, "/call/disposition") }</td>
                            <td>{ delivery(r) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
