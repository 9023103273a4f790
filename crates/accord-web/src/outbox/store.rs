//! Where the outbox is kept: `localStorage`, or memory when this browser
//! will not store it (private mode, full storage).

use crate::bridge;
use crate::page::local_storage;
use accord_core::Outbox;
use std::cell::RefCell;

/// The `localStorage` key of the outbox.
pub const OUTBOX_KEY: &str = "accord:outbox";

thread_local! {
    /// The outbox, when this browser would not store it (private mode,
    /// full storage): kept in memory while the page stays open.
    static MEMORY: RefCell<Option<Outbox>> = const { RefCell::new(None) };
}

/// Whether the outbox lives in memory only.
pub(super) fn in_memory() -> bool {
    MEMORY.with(|m| m.borrow().is_some())
}

/// Keeps `outbox` in memory from now on, for a browser that would not
/// store it.
pub(super) fn keep_in_memory(outbox: Outbox) {
    MEMORY.with(|m| *m.borrow_mut() = Some(outbox));
}

/// Reads the outbox, delivery by delivery. A stored delivery that cannot be
/// read is moved aside under its own key (never deleted) and reported; the
/// others are kept and sent.
pub fn load() -> Outbox {
    if let Some(outbox) = MEMORY.with(|m| m.borrow().clone()) {
        return outbox;
    }
    let Some(store) = local_storage() else {
        return Outbox::default();
    };
    let Ok(Some(text)) = store.get_item(OUTBOX_KEY) else {
        return Outbox::default();
    };
    let (outbox, unreadable) = match bridge::parse(&text) {
        Ok(value) => Outbox::from_json_each(&value),
        Err(e) => (
            Outbox::default(),
            vec![(format!("not JSON: {e}"), serde_json::Value::String(text))],
        ),
    };
    if !unreadable.is_empty() {
        let aside = format!("{OUTBOX_KEY}:unreadable:{}", super::now());
        let kept: Vec<serde_json::Value> = unreadable.iter().map(|(_, v)| v.clone()).collect();
        let why: Vec<&str> = unreadable.iter().map(|(e, _)| e.as_str()).collect();
        // Set aside first, then rewrite the outbox without them.
        if store
            .set_item(&aside, &bridge::stringify(&serde_json::Value::Array(kept)))
            .is_ok()
        {
            let _ = store.set_item(OUTBOX_KEY, &bridge::stringify(&outbox.to_json()));
        }
        web_sys::console::error_1(
            &format!(
                "accord: {} stored deliver{} could not be read ({}); kept as {aside}, the others are sent",
                unreadable.len(),
                if unreadable.len() == 1 { "y" } else { "ies" },
                why.join("; ")
            )
            .into(),
        );
    }
    outbox
}

/// Writes the outbox; `false` when storage is unavailable or full.
pub fn save(outbox: &Outbox) -> bool {
    if in_memory() {
        MEMORY.with(|m| *m.borrow_mut() = Some(outbox.clone()));
        return false;
    }
    let Some(store) = local_storage() else {
        return false;
    };
    if outbox.deliveries.is_empty() {
        return store.remove_item(OUTBOX_KEY).is_ok();
    }
    store
        .set_item(OUTBOX_KEY, &bridge::stringify(&outbox.to_json()))
        .is_ok()
}
