//! Only one tab drains at a time: a lock in `localStorage` names its owner
//! and expires after [`LOCK_MS`], so a lock left by a closed tab does not
//! block the others for long.

use crate::page::local_storage;

const LOCK_KEY: &str = "accord:outbox:lock";
/// How long a drain lock holds without being renewed.
pub const LOCK_MS: f64 = 15_000.0;

thread_local! {
    static TAB_ID: String = crate::page::new_submission_id();
}

/// Takes (or renews) the drain lock; `false` when another tab holds it.
pub(super) fn take_lock() -> bool {
    let Some(store) = local_storage() else {
        return true;
    };
    let me = TAB_ID.with(Clone::clone);
    let now = crate::page::now_ms();
    if let Ok(Some(held)) = store.get_item(LOCK_KEY) {
        let mut parts = held.splitn(2, ' ');
        let owner = parts.next().unwrap_or_default();
        // Whole milliseconds (see below); a `u64` reader is far smaller in
        // wasm than the `f64` one.
        let until = parts
            .next()
            .and_then(|t| t.parse::<u64>().ok())
            .unwrap_or(0) as f64;
        if owner != me && until > now {
            return false;
        }
    }
    store
        // Whole milliseconds: formatting an `f64` would bring the float
        // formatter into the wasm.
        .set_item(LOCK_KEY, &format!("{me} {}", (now + LOCK_MS) as u64))
        .is_ok()
}

/// Gives the lock up, if this tab holds it.
pub(super) fn release_lock() {
    if let Some(store) = local_storage() {
        let me = TAB_ID.with(Clone::clone);
        if let Ok(Some(held)) = store.get_item(LOCK_KEY) {
            if held.starts_with(&me) {
                let _ = store.remove_item(LOCK_KEY);
            }
        }
    }
}
