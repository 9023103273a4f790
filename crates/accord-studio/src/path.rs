//! Places in the rulebook document, written as validation errors write
//! them (`fields[2].options[0].value`), and the edits the studio makes
//! there.

use serde_json::{Map, Value};
use std::fmt;

/// One step into a JSON document: an object key or a list index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    /// An object's key.
    Key(String),
    /// A list's index.
    Index(usize),
}

/// A place in the document, from the top.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct JsonPath(pub Vec<Step>);

impl JsonPath {
    /// The top of the document.
    pub fn root() -> JsonPath {
        JsonPath(Vec::new())
    }

    /// This path, then the object key `key`.
    pub fn key(&self, key: &str) -> JsonPath {
        let mut steps = self.0.clone();
        steps.push(Step::Key(key.to_owned()));
        JsonPath(steps)
    }

    /// This path, then the list index `index`.
    pub fn index(&self, index: usize) -> JsonPath {
        let mut steps = self.0.clone();
        steps.push(Step::Index(index));
        JsonPath(steps)
    }

    /// The path one step up; `None` at the top.
    pub fn parent(&self) -> Option<JsonPath> {
        self.0.split_last().map(|(_, up)| JsonPath(up.to_vec()))
    }

    /// The value at this path.
    pub fn get<'a>(&self, doc: &'a Value) -> Option<&'a Value> {
        self.0.iter().try_fold(doc, |v, step| match step {
            Step::Key(k) => v.get(k.as_str()),
            Step::Index(i) => v.get(*i),
        })
    }

    /// The value at this path, making the objects on the way.
    fn get_mut_or_make<'a>(&self, doc: &'a mut Value) -> Result<&'a mut Value, String> {
        let mut here = doc;
        for (n, step) in self.0.iter().enumerate() {
            here = match step {
                Step::Key(k) => {
                    if here.is_null() {
                        *here = Value::Object(Map::new());
                    }
                    match here {
                        Value::Object(map) => map.entry(k.clone()).or_insert(Value::Null),
                        _ => {
                            return Err(format!(
                                "{} is not an object",
                                JsonPath(self.0[..n].to_vec())
                            ))
                        }
                    }
                }
                Step::Index(i) => here
                    .get_mut(*i)
                    .ok_or_else(|| format!("{} has no item {i}", JsonPath(self.0[..n].to_vec())))?,
            };
        }
        Ok(here)
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, step) in self.0.iter().enumerate() {
            match step {
                Step::Key(k) if n == 0 => write!(f, "{k}")?,
                Step::Key(k) => write!(f, ".{k}")?,
                Step::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// One change to the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Put a value at a path (objects on the way are made).
    Set(JsonPath, Value),
    /// Remove an object's key or a list's item.
    Remove(JsonPath),
    /// Insert into the list at the path, before `index` (at the end when
    /// `index` is its length); a missing list is made.
    Insert(JsonPath, usize, Value),
    /// Move an item of the list at the path from one index to another.
    Move(JsonPath, usize, usize),
    /// Replace the whole document (opened, typed in the JSON view).
    Replace(Value),
}

impl Edit {
    /// Applies the edit to `doc`; an edit that does not fit the document
    /// (a path that is not there) changes nothing and says why.
    pub fn apply(&self, doc: &mut Value) -> Result<(), String> {
        match self {
            Edit::Set(path, value) => {
                *path.get_mut_or_make(doc)? = value.clone();
            }
            Edit::Remove(path) => {
                let Some((last, parent)) = path.0.split_last() else {
                    return Err("the whole document cannot be removed".into());
                };
                // Where there is nothing, there is nothing to remove: no
                // object is made on the way.
                let parent = parent.iter().try_fold(&mut *doc, |v, step| match step {
                    Step::Key(k) => v.get_mut(k.as_str()),
                    Step::Index(i) => v.get_mut(*i),
                });
                match (parent, last) {
                    (Some(Value::Object(map)), Step::Key(k)) => {
                        map.remove(k);
                    }
                    (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
                        items.remove(*i);
                    }
                    (None, _) | (Some(Value::Object(_)), Step::Index(_)) => {}
                    _ => return Err(format!("nothing at {path} to remove")),
                }
            }
            Edit::Insert(path, index, value) => {
                let list = path.get_mut_or_make(doc)?;
                if list.is_null() {
                    *list = Value::Array(Vec::new());
                }
                match list {
                    Value::Array(items) if *index <= items.len() => {
                        items.insert(*index, value.clone())
                    }
                    _ => return Err(format!("{path} is not a list with {index} items")),
                }
            }
            Edit::Move(path, from, to) => match path.get_mut_or_make(doc)? {
                Value::Array(items) if *from < items.len() && *to < items.len() => {
                    let item = items.remove(*from);
                    items.insert(*to, item);
                }
                _ => return Err(format!("{path} has no items {from} and {to}")),
            },
            Edit::Replace(value) => *doc = value.clone(),
        }
        Ok(())
    }

    /// Whether this edit and `next` are one keystroke after another in the
    /// same box (a value set at the same place, the JSON view replacing the
    /// document), so undo takes them back together.
    pub fn continues(&self, next: &Edit) -> bool {
        match (self, next) {
            (Edit::Set(a, _), Edit::Set(b, _)) => a == b,
            (Edit::Replace(_), Edit::Replace(_)) => true,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_read_as_validation_errors_write_them() {
        let p = JsonPath::root()
            .key("fields")
            .index(2)
            .key("options")
            .index(0);
        assert_eq!(p.to_string(), "fields[2].options[0]");
        let doc = json!({"fields": [{}, {}, {"options": [{"value": "a"}]}]});
        assert_eq!(p.key("value").get(&doc), Some(&json!("a")));
    }

    #[test]
    fn edits_set_remove_insert_and_move() {
        let mut doc = json!({"grades": [{"id": "a"}, {"id": "b"}]});
        let grades = JsonPath::root().key("grades");
        Edit::Set(grades.index(0).key("label"), json!("A"))
            .apply(&mut doc)
            .unwrap();
        Edit::Insert(grades.clone(), 2, json!({"id": "c"}))
            .apply(&mut doc)
            .unwrap();
        Edit::Move(grades.clone(), 2, 0).apply(&mut doc).unwrap();
        Edit::Remove(grades.index(1).key("label"))
            .apply(&mut doc)
            .unwrap();
        assert_eq!(
            doc,
            json!({"grades": [{"id": "c"}, {"id": "a"}, {"id": "b"}]})
        );
        Edit::Insert(JsonPath::root().key("routes"), 0, json!({}))
            .apply(&mut doc)
            .unwrap();
        assert_eq!(doc["routes"], json!([{}]));
        assert!(Edit::Move(grades, 0, 9).apply(&mut doc).is_err());
        // Removing what is not there changes nothing, and makes nothing.
        let before = doc.clone();
        Edit::Remove(
            JsonPath::root()
                .key("grades")
                .index(0)
                .key("outcome")
                .key("link")
                .key("url"),
        )
        .apply(&mut doc)
        .unwrap();
        assert_eq!(doc, before);
    }
}
