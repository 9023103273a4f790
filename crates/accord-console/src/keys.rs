//! Keyboard shortcuts: one table, used both to act on a key and to list
//! the shortcuts in the help overlay, so the two never disagree.
//!
//! Shortcuts use Alt (Option on a Mac) with a letter, read from the key's
//! position (`KeyboardEvent.code`), so they work while typing in a field
//! and on any keyboard layout; `?` (outside text fields) and F1 open the
//! help, Escape closes it.

use web_sys::KeyboardEvent;

/// Something the rep can do from the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Show or hide the list of shortcuts.
    Help,
    /// Close the help (or nothing).
    Close,
    /// The call script.
    CallView,
    /// Feedback on leads marketing sent.
    FeedbackView,
    /// This device's recent calls.
    RecentView,
    /// Next question.
    Next,
    /// Previous question.
    Previous,
    /// Switch between one question at a time and all at once.
    ToggleMode,
    /// Start or stop the call timer.
    Timer,
    /// Go to the notes.
    Notes,
    /// Go to the disposition.
    Disposition,
    /// Save the call.
    Save,
    /// Accept the open lead (feedback view).
    Accept,
    /// Reject the open lead (feedback view).
    Reject,
    /// Go to the rulebook URL.
    Rulebook,
    /// Load leads from the inbox (feedback view).
    InboxLeads,
    /// Go to the search of recent calls.
    Search,
    /// Export the shown recent calls as CSV.
    Export,
}

/// Every shortcut: the key as shown, the `KeyboardEvent.code` with Alt, and
/// what it does.
pub const SHORTCUTS: &[(&str, &str, Action, &str)] = &[
    ("Alt+C", "KeyC", Action::CallView, "Call script"),
    (
        "Alt+F",
        "KeyF",
        Action::FeedbackView,
        "Feedback on marketing's leads",
    ),
    (
        "Alt+R",
        "KeyR",
        Action::RecentView,
        "Recent calls on this device",
    ),
    ("Alt+N", "KeyN", Action::Next, "Next question"),
    ("Alt+P", "KeyP", Action::Previous, "Previous question"),
    (
        "Alt+O",
        "KeyO",
        Action::ToggleMode,
        "One question at a time / all at once",
    ),
    (
        "Alt+T",
        "KeyT",
        Action::Timer,
        "Start or stop the call timer",
    ),
    ("Alt+M", "KeyM", Action::Notes, "Go to the notes"),
    (
        "Alt+D",
        "KeyD",
        Action::Disposition,
        "Go to the disposition",
    ),
    ("Alt+S", "KeyS", Action::Save, "Save the call"),
    ("Alt+A", "KeyA", Action::Accept, "Accept the open lead"),
    (
        "Alt+J",
        "KeyJ",
        Action::Reject,
        "Reject the open lead (choose a reason first)",
    ),
    (
        "Alt+I",
        "KeyI",
        Action::InboxLeads,
        "Load leads from the inbox (Feedback)",
    ),
    ("Alt+K", "KeyK", Action::Search, "Search recent calls"),
    (
        "Alt+E",
        "KeyE",
        Action::Export,
        "Export the shown recent calls as CSV",
    ),
    (
        "Alt+L",
        "KeyL",
        Action::Rulebook,
        "Load another rulebook (go to its URL)",
    ),
    ("? or F1", "", Action::Help, "Show or hide these shortcuts"),
    ("Escape", "", Action::Close, "Close this list"),
];

/// The action for a key press, if it is a shortcut.
pub fn action(e: &KeyboardEvent) -> Option<Action> {
    if e.key() == "Escape" {
        return Some(Action::Close);
    }
    if e.key() == "F1" {
        return Some(Action::Help);
    }
    if e.key() == "?" && !e.alt_key() && !e.ctrl_key() && !e.meta_key() && !typing(e) {
        return Some(Action::Help);
    }
    if !e.alt_key() || e.ctrl_key() || e.meta_key() {
        return None;
    }
    let code = e.code();
    SHORTCUTS
        .iter()
        .find(|(_, c, _, _)| !c.is_empty() && *c == code)
        .map(|(_, _, a, _)| *a)
}

/// The shortcut shown for `action` (for `aria-keyshortcuts` and titles).
pub fn label(action: Action) -> &'static str {
    SHORTCUTS
        .iter()
        .find(|(_, _, a, _)| *a == action)
        .map_or("", |(k, _, _, _)| k)
}

fn typing(e: &KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}
