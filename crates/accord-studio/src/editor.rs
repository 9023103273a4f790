//! What every editing control shares: the document, what the engine said
//! about it, and the way to change it, handed down as one Yew context.

use crate::checked::Checked;
use crate::path::{Edit, JsonPath};
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

/// The draft as the controls see it.
#[derive(Clone)]
pub struct Editor {
    /// The document.
    pub doc: Rc<Value>,
    /// The engine's verdict on it.
    pub checked: Rc<Checked>,
    /// Makes an edit.
    pub edit: Callback<Edit>,
}

impl PartialEq for Editor {
    fn eq(&self, other: &Editor) -> bool {
        Rc::ptr_eq(&self.doc, &other.doc) && Rc::ptr_eq(&self.checked, &other.checked)
    }
}

impl Editor {
    /// The value at `path`.
    pub fn get(&self, path: &JsonPath) -> Option<&Value> {
        path.get(&self.doc)
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
        self.checked
            .at(&control)
            .map(|p| p.message.clone())
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

/// The editor from the nearest provider.
#[hook]
pub fn use_editor() -> Editor {
    use_context::<Editor>().expect("controls sit inside the studio's editor context")
}
