//! The compiled layout of a valid rulebook: its conditions compiled index
//! for index with the document, and the keys of a lead's data made once, so
//! qualifying a lead allocates no keys.

use crate::model::{ContextKey, RulebookDoc, CHANNEL_CONTEXT_KEY};
use accord_logic::{key_hash, Logic};

/// Compiled conditions of a valid rulebook, index for index with the doc.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    /// Each field's id as a data key, with its hash.
    pub field_keys: Vec<DataKey>,
    /// Each score's id as a data key (under `score`), then `total`.
    pub score_keys: Vec<DataKey>,
    /// The other keys a lead's data holds, made once.
    pub keys: LeadKeys,
    /// Each enrichment attribute as a field of its type (for checking a
    /// value) and as a data key (under `enriched`), in declared order.
    pub attributes: Vec<(crate::model::Field, DataKey)>,
    pub show_if: Vec<Option<Logic>>,
    pub criteria: Vec<Vec<Logic>>,
    pub knockouts: Vec<Logic>,
    pub grades: Vec<Option<Logic>>,
    pub routes: Vec<Option<Logic>>,
}

/// A key of a lead's data with its hash, so building the data per lead
/// allocates no keys.
pub(crate) type DataKey = (u32, std::sync::Arc<str>);

fn data_key(key: &str) -> DataKey {
    (key_hash(key), key.into())
}

/// The fixed keys of a lead's data (see `docs/rulebook.md`, "What
/// conditions read").
#[derive(Debug, Clone)]
pub(crate) struct LeadKeys {
    pub context: DataKey,
    pub derived: DataKey,
    pub enriched: DataKey,
    pub score: DataKey,
    pub grade: DataKey,
    pub channel: DataKey,
    pub email_domain: DataKey,
    pub free_mail: DataKey,
    /// The keys of [`ContextKey::NAMES`], in its order.
    pub context_keys: Vec<DataKey>,
}

impl LeadKeys {
    fn new() -> LeadKeys {
        LeadKeys {
            context: data_key("context"),
            derived: data_key("derived"),
            enriched: data_key("enriched"),
            score: data_key("score"),
            grade: data_key("grade"),
            channel: data_key(CHANNEL_CONTEXT_KEY),
            email_domain: data_key("email_domain"),
            free_mail: data_key("free_mail"),
            context_keys: ContextKey::NAMES
                .iter()
                .map(|(_, name)| data_key(name))
                .collect(),
        }
    }
}

impl Compiled {
    /// Puts together the conditions validation compiled, index for index
    /// with `doc`, and the keys of a lead's data.
    pub(crate) fn new(
        doc: &RulebookDoc,
        show_if: Vec<Option<Logic>>,
        criteria: Vec<Vec<Logic>>,
        knockouts: Vec<Logic>,
        grades: Vec<Option<Logic>>,
        routes: Vec<Option<Logic>>,
    ) -> Compiled {
        Compiled {
            field_keys: doc.fields.iter().map(|f| data_key(&f.id)).collect(),
            score_keys: doc
                .scores
                .iter()
                .map(|s| data_key(&s.id))
                .chain([data_key("total")])
                .collect(),
            keys: LeadKeys::new(),
            attributes: doc
                .enrichment
                .iter()
                .flat_map(|e| &e.attributes)
                .map(|a| (a.as_field(), data_key(&a.id)))
                .collect(),
            show_if,
            criteria,
            knockouts,
            grades,
            routes,
        }
    }
}
