//! What every editing control shares: a part of the document, the
//! problems the engine found in it, and the way to change it, handed down
//! as a Yew context.
//!
//! The studio gives the whole document to the top of the forms and, to
//! each list item, a scope holding only that item (`ItemScope` in
//! `controls.rs`). A control re-renders when its scope changes, so a
//! keystroke re-renders the item being edited, not every form: that is
//! what keeps an edit within a frame (BENCHMARKS.md, Studio).

use crate::checked::Problem;
use crate::path::{Edit, JsonPath, Step};
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

/// A part of the draft as the controls inside it see it.
#[derive(Clone)]
pub struct Editor {
    /// Where the part is in the document (the top for the whole).
    pub root: JsonPath,
    /// The part.
    pub value: Rc<Value>,
    /// The problems shown at controls inside the part.
    pub problems: Rc<Vec<Problem>>,
    /// Makes an edit (with a path from the top of the document).
    pub edit: Callback<Edit>,
}

impl PartialEq for Editor {
    fn eq(&self, other: &Editor) -> bool {
        self.root == other.root
            && Rc::ptr_eq(&self.value, &other.value)
            && Rc::ptr_eq(&self.problems, &other.problems)
            && self.edit == other.edit
    }
}

impl Editor {
    /// The value at `path` (from the top of the document), when it is
    /// inside this part.
    pub fn get(&self, path: &JsonPath) -> Option<&Value> {
        let inner = path.0.strip_prefix(self.root.0.as_slice())?;
        inner.iter().try_fold(&*self.value, |v, step| match step {
            Step::Key(k) => v.get(k.as_str()),
            Step::Index(i) => v.get(*i),
        })
    }

    /// The text at `path` (`""` when absent; numbers as written).
    pub fn text(&self, path: &JsonPath) -> String {
        match self.get(path) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    }

    /// The length of the list at `path` (0 when absent).
    pub fn len(&self, path: &JsonPath) -> usize {
        self.get(path).and_then(Value::as_array).map_or(0, Vec::len)
    }

    /// The messages of the problems shown at `path`.
    pub fn problems(&self, path: &JsonPath) -> Vec<String> {
        let control = path.to_string();
        self.problems
            .iter()
            .filter(|p| p.control == control)
            .map(|p| p.message.clone())
            .collect()
    }

    /// The problems shown at `path` or at controls inside it.
    pub fn problems_within(&self, path: &JsonPath) -> Vec<Problem> {
        let at = path.to_string();
        self.problems
            .iter()
            .filter(|p| {
                p.control == at
                    || p.control
                        .strip_prefix(&at)
                        .is_some_and(|rest| rest.starts_with(['.', '[']))
            })
            .cloned()
            .collect()
    }

    /// Sets or (for `None`) removes the value at `path`.
    pub fn set(&self, path: &JsonPath, value: Option<Value>) {
        self.edit.emit(match value {
            Some(v) => Edit::Set(path.clone(), v),
            None => Edit::Remove(path.clone()),
        });
    }
}

/// The editor of the nearest scope.
#[hook]
pub fn use_editor() -> Editor {
    use_context::<Editor>().expect("controls sit inside the studio's editor context")
}

/// What conditions may name, from the whole document: each field's id,
/// label, type and options, each score's and grade's id and label, each
/// enrichment attribute's id, label, type and options. The
/// condition builders read it from their own context, which changes only
/// when these do.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline(pub Value);

impl Outline {
    /// The outline of `doc`.
    pub fn of(doc: &Value) -> Outline {
        let pick = |list: &Value, keys: &[&str]| -> Value {
            list.as_array()
                .map(|items| {
                    items
                        .iter()
                        .map(|item| {
                            let mut out = serde_json::Map::new();
                            for k in keys {
                                if let Some(v) = item.get(*k) {
                                    out.insert((*k).to_owned(), v.clone());
                                }
                            }
                            Value::Object(out)
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let typed = &["id", "label", "type", "options"];
        Outline(serde_json::json!({
            "fields": pick(&doc["fields"], typed),
            "scores": pick(&doc["scores"], &["id", "label"]),
            "grades": pick(&doc["grades"], &["id", "label"]),
            "enrichment": {"attributes": pick(&doc["enrichment"]["attributes"], typed)},
        }))
    }
}

/// The outline of the whole document.
#[hook]
pub fn use_outline() -> Rc<Outline> {
    use_context::<Rc<Outline>>().expect("controls sit inside the studio's outline context")
}
