//! The rulebook being written: the document, every edit kept for undo and
//! redo, and the version it is compared with (the last agreed one).

use crate::path::Edit;
use serde_json::Value;
use std::rc::Rc;

/// How many steps back undo reaches.
pub const UNDO_STEPS: usize = 200;

/// A draft and its history.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The document as it is now.
    pub doc: Rc<Value>,
    /// The last agreed (published or opened) version, for "changes since".
    pub baseline: Rc<Value>,
    undo: Vec<Rc<Value>>,
    redo: Vec<Rc<Value>>,
    /// The last edit, so keystrokes in one box undo together.
    last: Option<Edit>,
}

impl Draft {
    /// A draft of `doc`, compared with `baseline`.
    pub fn new(doc: Value, baseline: Value) -> Draft {
        Draft {
            doc: Rc::new(doc),
            baseline: Rc::new(baseline),
            undo: Vec::new(),
            redo: Vec::new(),
            last: None,
        }
    }

    /// The draft after `edit`; an edit that does not apply changes nothing
    /// and returns why.
    pub fn edit(&self, edit: Edit) -> Result<Draft, String> {
        let mut doc = (*self.doc).clone();
        edit.apply(&mut doc)?;
        if doc == *self.doc {
            return Ok(self.clone());
        }
        let mut next = self.clone();
        let joins = self.last.as_ref().is_some_and(|l| l.continues(&edit));
        if !joins {
            next.undo.push(self.doc.clone());
            if next.undo.len() > UNDO_STEPS {
                next.undo.remove(0);
            }
        }
        next.redo.clear();
        next.doc = Rc::new(doc);
        next.last = Some(edit);
        Ok(next)
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// The draft one edit back.
    pub fn undo(&self) -> Draft {
        let mut next = self.clone();
        if let Some(doc) = next.undo.pop() {
            next.redo.push(std::mem::replace(&mut next.doc, doc));
        }
        next.last = None;
        next
    }

    /// The draft one undone edit forward.
    pub fn redo(&self) -> Draft {
        let mut next = self.clone();
        if let Some(doc) = next.redo.pop() {
            next.undo.push(std::mem::replace(&mut next.doc, doc));
        }
        next.last = None;
        next
    }

    /// The draft with a new baseline (after publishing).
    pub fn with_baseline(&self, baseline: Value) -> Draft {
        Draft {
            baseline: Rc::new(baseline),
            ..self.clone()
        }
    }
}

/// The version after `version`: its last number plus one (`2026.11.1` →
/// `2026.11.2`), or `version.1` when it ends in no number.
pub fn next_version(version: &str) -> String {
    let digits = version.len() - version.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (head, tail) = version.split_at(version.len() - digits);
    match tail.parse::<u64>() {
        Ok(n) => format!("{head}{}", n + 1),
        Err(_) if version.is_empty() => "1".to_owned(),
        Err(_) => format!("{version}.1"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::path::JsonPath;
    use serde_json::json;

    #[test]
    fn keystrokes_in_one_box_undo_together_and_redo_comes_back() {
        let title = JsonPath::root().key("title");
        let mut d = Draft::new(json!({"title": ""}), json!({}));
        for text in ["D", "De", "Dem", "Demo"] {
            d = d.edit(Edit::Set(title.clone(), json!(text))).unwrap();
        }
        d = d
            .edit(Edit::Set(JsonPath::root().key("id"), json!("x")))
            .unwrap();
        assert_eq!(d.doc["title"], "Demo");
        d = d.undo();
        assert_eq!(*d.doc, json!({"title": "Demo"}));
        d = d.undo();
        assert_eq!(*d.doc, json!({"title": ""}));
        assert!(!d.can_undo());
        d = d.redo().redo();
        assert_eq!(*d.doc, json!({"title": "Demo", "id": "x"}));
        // A new edit after undo drops what could be redone.
        d = d.undo().edit(Edit::Set(title, json!("Other"))).unwrap();
        assert!(!d.can_redo());
    }

    #[test]
    fn the_next_version_counts_up_the_last_number() {
        assert_eq!(next_version("2026.11.1"), "2026.11.2");
        assert_eq!(next_version("v9"), "v10");
        assert_eq!(next_version("draft"), "draft.1");
        assert_eq!(next_version(""), "1");
    }

    #[test]
    fn an_edit_that_changes_nothing_is_not_a_step() {
        let d = Draft::new(json!({"a": 1}), json!({}));
        let d = d
            .edit(Edit::Set(JsonPath::root().key("a"), json!(1)))
            .unwrap();
        assert!(!d.can_undo());
    }
}
