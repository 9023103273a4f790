//! Published rulebooks: checked once when published (`accord publish`, the
//! studio's Publish), stamped with their hash, and read by the widget
//! without being checked again.
//!
//! Why: the validator is the largest part of the engine, and on a landing
//! page checking a rulebook that already passed is bytes to download and
//! work on the visitor's phone that change nothing. The stamp
//! (`checked_sha256`) names the exact document that passed. A document
//! whose hash is not its stamp (edited by hand after publishing) or that
//! has none is refused, and the widget shows its capture form rather than
//! rules nobody checked.
//!
//! A stamp is not a signature: anyone can compute a hash. So reading a
//! published rulebook keeps every check that protects the page and the
//! visitor: the nesting limit, the shape of every item, the cost bound of
//! every condition ([`crate::conditions::compile`]), ids given twice, and
//! ids that would reach a JavaScript object's prototype. What shows or fetches a URL
//! refuses one that is not http(s) where it uses it (`outcome.rs`, `enrich.rs`).

use crate::canonical::{rulebook_sha256, CHECKED_KEY};
use crate::compiled::Compiled;
use crate::conditions::{self, Names};
use crate::decode::{self, Decoder, Parts};
use crate::error::{RulebookError, RulebookErrorKind as Kind, RulebookErrors};
use crate::model::{RulebookDoc, JS_OBJECT_KEYS, JS_OBJECT_KEYS_WHY};
use accord_logic::{Data, Logic};
use serde_json::Value;

/// Whether a document is published, as `accord check` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishedState {
    /// No stamp: a draft, which the widget does not read.
    Unpublished,
    /// The stamp is the document's hash: the widget reads it.
    Current,
    /// The document changed after its stamp: the widget refuses it.
    Stale,
}

/// Whether `doc` carries a stamp, and whether the stamp is its hash. Says
/// nothing of its validity, which validation does.
pub fn published_state(doc: &Value) -> PublishedState {
    match doc.get(CHECKED_KEY) {
        None => PublishedState::Unpublished,
        Some(stamp) if stamp.as_str() == Some(&rulebook_sha256(doc)) => PublishedState::Current,
        Some(_) => PublishedState::Stale,
    }
}

/// Checks `doc` as `accord check` does and returns it stamped, ready for
/// the widget: the document as written, with `checked_sha256` set (an old
/// stamp is replaced).
pub fn publish(doc: &Value) -> Result<Value, RulebookErrors> {
    let mut unstamped = doc.clone();
    if let Value::Object(map) = &mut unstamped {
        map.remove(CHECKED_KEY);
    }
    crate::validate::validate(&unstamped).map_err(RulebookErrors)?;
    let sha256 = rulebook_sha256(&unstamped);
    if let Value::Object(map) = &mut unstamped {
        map.insert(CHECKED_KEY.to_owned(), Value::String(sha256));
    }
    Ok(unstamped)
}

/// [`publish`] on JSON text, keeping the author's layout: the stamp goes
/// in as the first key (or an old stamp's value is replaced), and the rest
/// of the text is left as written. Text whose layout this cannot follow
/// is written again as indented JSON.
pub fn publish_text(text: &str) -> Result<String, RulebookErrors> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        RulebookErrors(vec![RulebookError {
            path: String::new(),
            id: None,
            kind: Kind::Json {
                message: e.to_string(),
            },
        }])
    })?;
    let stamped = publish(&value)?;
    let sha256 = stamped[CHECKED_KEY].as_str().unwrap_or_default();
    let edited = match value.get(CHECKED_KEY) {
        Some(old) => {
            let old = serde_json::to_string(old).unwrap_or_default();
            (text.matches(&old).count() == 1)
                .then(|| text.replacen(&old, &format!("\"{sha256}\""), 1))
        }
        None => text.find('{').map(|open| {
            let rest = &text[open + 1..];
            // The first key's indentation, so the stamp lines up with it.
            let gap = &rest[..rest
                .find(|c: char| !c.is_whitespace())
                .unwrap_or(rest.len())];
            let indent = gap.rsplit_once('\n').map(|(_, i)| i);
            let stamp = match indent {
                Some(indent) => format!("\n{indent}\"{CHECKED_KEY}\": \"{sha256}\","),
                None => format!("\"{CHECKED_KEY}\": \"{sha256}\", "),
            };
            format!("{}{stamp}{rest}", &text[..=open])
        }),
    };
    // The edit must read back as exactly the stamped document.
    let same = |t: &String| serde_json::from_str::<Value>(t).ok().as_ref() == Some(&stamped);
    Ok(match edited.filter(same) {
        Some(text) => text,
        None => serde_json::to_string_pretty(&stamped).unwrap_or_default() + "\n",
    })
}

/// Reads a published rulebook without validating it again: the stamp must
/// be the document's hash, every item must decode, and every condition
/// must compile within its cost bound. Fixtures are not read.
pub(crate) fn read_published(doc: &Value) -> Result<(RulebookDoc, Compiled), Vec<RulebookError>> {
    let mut d = Decoder::default();
    let Some(top) = decode::open(&mut d, doc) else {
        return Err(d.errors);
    };
    let parts = decode::parts(&mut d, &top);
    match published_state(doc) {
        PublishedState::Current => {}
        PublishedState::Unpublished => d.push(CHECKED_KEY, Kind::NotPublished),
        PublishedState::Stale => d.push(
            CHECKED_KEY,
            Kind::StalePublish {
                sha256: rulebook_sha256(doc),
            },
        ),
    }
    if !d.errors.is_empty() {
        return Err(d.errors);
    }
    let mut errors = Vec::new();
    check_ids(&parts, &mut errors);
    let ctx = Names::new(&parts, top.map());
    let mut c = Compiling {
        ctx: &ctx,
        errors: &mut errors,
    };
    let show_if = parts
        .fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| Some((i, f.as_ref()?)))
        .map(|(i, f)| {
            let at = format!("fields[{i}].show_if");
            f.show_if.as_ref().map(|rule| c.condition(&at, rule))
        })
        .collect();
    let criteria = (parts.scores.iter().enumerate())
        .filter_map(|(i, s)| Some((i, s.as_ref()?)))
        .map(|(i, s)| {
            (s.criteria.iter().enumerate())
                .map(|(j, k)| c.condition(&format!("scores[{i}].criteria[{j}].when"), &k.when))
                .collect()
        })
        .collect();
    let knockouts = (parts.knockouts.iter().enumerate())
        .filter_map(|(i, k)| Some((i, k.as_ref()?)))
        .map(|(i, k)| c.condition(&format!("knockouts[{i}].when"), &k.when))
        .collect();
    let grades = (parts.grades.iter().enumerate())
        .filter_map(|(i, g)| Some((i, g.as_ref()?)))
        .map(|(i, g)| (g.when.as_ref()).map(|rule| c.condition(&format!("grades[{i}].when"), rule)))
        .collect();
    let routes = (parts.routes.iter().enumerate())
        .filter_map(|(i, r)| Some((i, r.as_ref()?)))
        .map(|(i, r)| (r.when.as_ref()).map(|rule| c.condition(&format!("routes[{i}].when"), rule)))
        .collect();
    drop(ctx);
    if !errors.is_empty() {
        return Err(errors);
    }
    let doc = parts.into_doc().ok_or(errors)?;
    let compiled = Compiled::new(&doc, show_if, criteria, knockouts, grades, routes);
    Ok((doc, compiled))
}

/// Ids that would reach a JavaScript object's prototype in the page, and
/// ids given twice: the engine reads an id as its first item, so a second
/// field of another type could pass a list where the cost bound of a
/// condition counted none.
fn check_ids(parts: &Parts, errors: &mut Vec<RulebookError>) {
    let lists = [
        ids(&parts.fields, "fields", |f| &f.id).collect::<Vec<_>>(),
        ids(&parts.scores, "scores", |s| &s.id).collect(),
        ids(&parts.grades, "grades", |g| &g.id).collect(),
        match &parts.attributes {
            Some(attributes) => ids(attributes, "enrichment.attributes", |a| &a.id).collect(),
            None => Vec::new(),
        },
        ids(&parts.providers, "enrichment.providers", |p| &p.id).collect(),
    ];
    for list in &lists {
        for (i, (path, id)) in list.iter().enumerate() {
            if let Some((first, _)) = list[..i].iter().find(|(_, earlier)| earlier == id) {
                errors.push(RulebookError {
                    path: path.clone(),
                    id: Some((*id).to_owned()),
                    kind: Kind::DuplicateId {
                        id: (*id).to_owned(),
                        first: first.clone(),
                    },
                });
            }
        }
    }
    for (path, id) in lists.into_iter().flatten() {
        if JS_OBJECT_KEYS.contains(&id) {
            errors.push(RulebookError {
                path,
                id: Some(id.to_owned()),
                kind: Kind::ReservedId {
                    id: id.to_owned(),
                    why: JS_OBJECT_KEYS_WHY,
                },
            });
        }
    }
}

/// Each decoded item's id with the path of that id.
fn ids<'a, T>(
    items: &'a [Option<T>],
    key: &'a str,
    id: fn(&T) -> &String,
) -> impl Iterator<Item = (String, &'a str)> + 'a {
    (items.iter().enumerate())
        .filter_map(move |(i, item)| Some((format!("{key}[{i}].id"), id(item.as_ref()?).as_str())))
}

/// Compiles conditions, collecting their problems at their paths.
struct Compiling<'c, 'n> {
    ctx: &'c Names<'n>,
    errors: &'c mut Vec<RulebookError>,
}

impl Compiling<'_, '_> {
    fn condition(&mut self, path: &str, rule: &Value) -> Logic {
        let (logic, problems) = match conditions::compile(self.ctx, rule) {
            Ok((logic, too_costly)) => (logic, Vec::from_iter(too_costly)),
            Err(problems) => (Logic::Literal(Data::Null), problems),
        };
        self.errors
            .extend(problems.into_iter().map(|kind| RulebookError {
                path: path.to_owned(),
                id: None,
                kind,
            }));
        logic
    }
}
