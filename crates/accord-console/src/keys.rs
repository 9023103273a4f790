//! Keyboard shortcuts: one table, used both to act on a key and to list
//! the shortcuts in the help overlay, so the two never disagree.
//!
//! Shortcuts use Alt (Option on a Mac) with a letter, read from the key's
//! position (`KeyboardEvent.code`), so they work while typing in a field
//! and on any keyboard layout; `?` (outside text fields) and F1 open the
//! help, Escape closes it.

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

/// One key press, as far as shortcuts care: plain data, so the table is
/// tested natively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Press<'a> {
    /// `KeyboardEvent.key`, e.g. `?` or `Escape`.
    pub key: &'a str,
    /// `KeyboardEvent.code`, the key's position, e.g. `KeyS`.
    pub code: &'a str,
    /// Alt (Option) held.
    pub alt: bool,
    /// Ctrl or Meta (Command) held.
    pub ctrl_or_meta: bool,
    /// The press went to a text input, text area or select.
    pub typing: bool,
}

/// The action for a key press, if it is a shortcut.
pub fn action(press: Press) -> Option<Action> {
    match press.key {
        "Escape" => return Some(Action::Close),
        "F1" => return Some(Action::Help),
        "?" if !press.alt && !press.ctrl_or_meta && !press.typing => return Some(Action::Help),
        _ => {}
    }
    if !press.alt || press.ctrl_or_meta {
        return None;
    }
    SHORTCUTS
        .iter()
        .find(|(_, c, _, _)| !c.is_empty() && *c == press.code)
        .map(|(_, _, a, _)| *a)
}

/// The shortcut shown for `action` (for `aria-keyshortcuts` and titles).
pub fn label(action: Action) -> &'static str {
    SHORTCUTS
        .iter()
        .find(|(_, _, a, _)| *a == action)
        .map_or("", |(k, _, _, _)| k)
}

/// A shortcut, numbered so that pressing the same one twice is two events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pressed {
    /// Increases with every shortcut.
    pub seq: u32,
    /// What was asked; `None` for a click that changed the view.
    pub action: Option<Action>,
}

impl Pressed {
    /// The next event: `action`, numbered after this one.
    pub fn then(self, action: Option<Action>) -> Pressed {
        Pressed {
            seq: self.seq.wrapping_add(1),
            action,
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::{press_of, use_shortcuts};

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::{Action, Press, Pressed};
    use wasm_bindgen::JsCast;
    use web_sys::KeyboardEvent;
    use yew::prelude::*;

    /// Calls `with` with the [`Press`] of a browser key event.
    pub fn press_of<T>(e: &KeyboardEvent, with: impl FnOnce(Press) -> T) -> T {
        let (key, code) = (e.key(), e.code());
        let typing = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        with(Press {
            key: &key,
            code: &code,
            alt: e.alt_key(),
            ctrl_or_meta: e.ctrl_key() || e.meta_key(),
            typing,
        })
    }

    /// Calls `act` with each shortcut pressed while the calling component
    /// is shown. With `opening_counts`, the press that made it appear counts
    /// too (Alt+I opens the Feedback view and loads); without it, only later
    /// ones (the Alt+S that saved a call must not act on the next call's
    /// script).
    #[hook]
    pub fn use_shortcuts<F>(pressed: Pressed, opening_counts: bool, act: F)
    where
        F: Fn(Action) + 'static,
    {
        let seen = use_mut_ref(|| {
            if opening_counts {
                pressed.seq.wrapping_sub(1)
            } else {
                pressed.seq
            }
        });
        use_effect_with(pressed.seq, move |_| {
            if *seen.borrow() != pressed.seq {
                *seen.borrow_mut() = pressed.seq;
                if let Some(action) = pressed.action {
                    act(action);
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alt(code: &str) -> Press<'_> {
        Press {
            code,
            alt: true,
            ..Press::default()
        }
    }

    #[test]
    fn alt_and_a_letter_position_is_the_table_s_action() {
        for (_, code, want, _) in SHORTCUTS.iter().filter(|(_, c, _, _)| !c.is_empty()) {
            assert_eq!(action(alt(code)), Some(*want), "{code}");
        }
        assert_eq!(action(alt("KeyZ")), None);
        // Without Alt, or with Ctrl/Command too, a letter is typing.
        assert_eq!(
            action(Press {
                code: "KeyS",
                ..Press::default()
            }),
            None
        );
        assert_eq!(
            action(Press {
                ctrl_or_meta: true,
                ..alt("KeyS")
            }),
            None
        );
    }

    #[test]
    fn help_opens_with_question_mark_outside_fields_and_f1_anywhere() {
        let question = Press {
            key: "?",
            ..Press::default()
        };
        assert_eq!(action(question), Some(Action::Help));
        assert_eq!(
            action(Press {
                typing: true,
                ..question
            }),
            None
        );
        assert_eq!(
            action(Press {
                key: "F1",
                typing: true,
                ..Press::default()
            }),
            Some(Action::Help)
        );
        assert_eq!(
            action(Press {
                key: "Escape",
                ..Press::default()
            }),
            Some(Action::Close)
        );
    }

    #[test]
    fn every_action_has_one_key_and_every_code_one_action() {
        let mut codes: Vec<&str> = SHORTCUTS
            .iter()
            .map(|(_, c, _, _)| *c)
            .filter(|c| !c.is_empty())
            .collect();
        let count = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), count, "a key position is used twice");
        assert_eq!(label(Action::Save), "Alt+S");
        assert_eq!(label(Action::Help), "? or F1");
        for (shown, code, _, _) in SHORTCUTS.iter().filter(|(_, c, _, _)| !c.is_empty()) {
            assert_eq!(
                shown.strip_prefix("Alt+"),
                code.strip_prefix("Key"),
                "{shown} reads as {code}"
            );
        }
    }
}
