//! A validated, compiled rulebook.

use crate::canonical::rulebook_sha256;
use crate::compiled::Compiled;
use crate::error::{RulebookError, RulebookErrorKind, RulebookErrors};
use crate::model::RulebookDoc;
use crate::published::read_published;
use crate::validate::validate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A rulebook that passed validation, with every condition compiled and its
/// hash computed. Made once, then used for any number of qualifications.
#[derive(Debug, Clone)]
pub struct Rulebook {
    doc: RulebookDoc,
    reference: RulebookRef,
    pub(crate) compiled: Compiled,
}

/// Which agreement graded a record: the rulebook's id, version and the
/// SHA-256 of its canonical JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulebookRef {
    /// The rulebook id.
    pub id: String,
    /// The rulebook version.
    pub version: String,
    /// Lower-case hex SHA-256 of the canonical JSON (see `docs/rulebook.md`).
    pub sha256: String,
}

/// Two rulebooks are the same agreement when their id, version and hash
/// agree: the hash covers the whole document.
impl PartialEq for Rulebook {
    fn eq(&self, other: &Rulebook) -> bool {
        self.reference == other.reference
    }
}

impl Rulebook {
    /// Parses and validates rulebook JSON text.
    pub fn from_json(text: &str) -> Result<Rulebook, RulebookErrors> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            RulebookErrors(vec![RulebookError {
                path: String::new(),
                id: None,
                kind: RulebookErrorKind::Json {
                    message: e.to_string(),
                },
            }])
        })?;
        Rulebook::from_value(&value)
    }

    /// Validates a parsed rulebook document.
    pub fn from_value(value: &Value) -> Result<Rulebook, RulebookErrors> {
        let (doc, compiled) = validate(value).map_err(RulebookErrors)?;
        Ok(Rulebook::new(value, doc, compiled))
    }

    /// Reads a published rulebook (one `accord publish` stamped) without
    /// validating it again: how the widget reads rulebooks. An unstamped
    /// document, or one changed since its stamp, is an error
    /// (`published.rs` says what is still checked, and why).
    pub fn from_published(value: &Value) -> Result<Rulebook, RulebookErrors> {
        let (doc, compiled) = read_published(value).map_err(RulebookErrors)?;
        Ok(Rulebook::new(value, doc, compiled))
    }

    fn new(value: &Value, doc: RulebookDoc, compiled: Compiled) -> Rulebook {
        let reference = RulebookRef {
            id: doc.id.clone(),
            version: doc.version.clone(),
            sha256: rulebook_sha256(value),
        };
        Rulebook {
            doc,
            reference,
            compiled,
        }
    }

    /// The document as written.
    pub fn doc(&self) -> &RulebookDoc {
        &self.doc
    }

    /// Id, version and hash, as records carry them.
    pub fn reference(&self) -> &RulebookRef {
        &self.reference
    }

    /// The field with this id.
    pub fn field(&self, id: &str) -> Option<&crate::model::Field> {
        self.field_index(id).map(|i| &self.doc.fields[i])
    }

    /// The index of the field with this id.
    pub fn field_index(&self, id: &str) -> Option<usize> {
        self.doc.fields.iter().position(|f| f.id == id)
    }

    /// The grade with this id.
    pub fn grade(&self, id: &str) -> Option<&crate::model::Grade> {
        self.doc.grades.iter().find(|g| g.id == id)
    }
}
