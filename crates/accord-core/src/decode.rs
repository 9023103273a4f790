//! Reading the rulebook document into the model.
//!
//! The decoder walks the parsed JSON once through the shared path-tracking
//! reader (`json_object.rs`, which says why it is hand-written), reports
//! every missing key, wrong type, unknown key and unknown variant with its
//! exact path, and keeps going, so `accord check` lists them all.

use crate::error::{RulebookError, RulebookErrorKind as Kind};
use crate::json_object::{join, kind_of, JsonObject, ReadError};
use crate::model::*;
use serde_json::Value;
use std::collections::BTreeMap;

/// Collects decode errors.
#[derive(Default)]
pub(crate) struct Decoder {
    pub errors: Vec<RulebookError>,
}

/// One JSON object of the rulebook being read, with the keys it may have.
/// Reading goes through the shared [`JsonObject`]; each problem becomes a
/// shape error and the reader goes on.
pub(crate) struct Obj<'a> {
    object: JsonObject<'a>,
    known: &'static [&'static str],
}

impl Decoder {
    /// Records a problem at `path`.
    pub fn push(&mut self, path: &str, kind: Kind) {
        self.errors.push(RulebookError {
            path: path.to_owned(),
            id: None,
            kind,
        });
    }

    fn shape(&mut self, path: &str, message: String) {
        self.errors.push(RulebookError {
            path: path.to_owned(),
            id: None,
            kind: Kind::Shape { message },
        });
    }

    /// The read value, or `None` with the problem recorded.
    fn report<T>(&mut self, read: Result<Option<T>, ReadError>) -> Option<T> {
        read.unwrap_or_else(|e| {
            self.shape(&e.path, e.message);
            None
        })
    }

    /// Opens `value` as an object with the given known keys; reports
    /// unknown keys at once.
    pub fn object<'a>(
        &mut self,
        value: &'a Value,
        path: &str,
        known: &'static [&'static str],
    ) -> Option<Obj<'a>> {
        let object = self.report(JsonObject::new(value, path).map(Some))?;
        for key in object.map.keys().filter(|k| !known.contains(&k.as_str())) {
            self.shape(
                &join(path, key),
                format!(
                    "unknown field `{key}`, expected one of {}",
                    quoted(known.iter().copied())
                ),
            );
        }
        Some(Obj { object, known })
    }

    /// Reads an array under `key`: each element with its path.
    pub fn array<'a>(
        &mut self,
        obj: &Obj<'a>,
        key: &str,
        required: bool,
    ) -> Vec<(String, &'a Value)> {
        obj.declared(key);
        let Some(items) = self.report(obj.object.array(key, required)) else {
            return Vec::new();
        };
        let base = obj.at(key);
        items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("{base}[{i}]"), v))
            .collect()
    }
}

impl<'a> Obj<'a> {
    /// The object's keys and values, as written.
    pub fn map(&self) -> &'a serde_json::Map<String, Value> {
        self.object.map
    }

    fn declared(&self, key: &str) {
        debug_assert!(
            self.known.contains(&key),
            "`{key}` is read but not declared known"
        );
    }

    /// Whether the object has `key` at all.
    pub fn has(&self, key: &str) -> bool {
        self.object.map.contains_key(key)
    }

    /// The raw value under `key`.
    pub fn get(&self, d: &mut Decoder, key: &str, required: bool) -> Option<&'a Value> {
        self.declared(key);
        d.report(self.object.get(key, required))
    }

    /// The path of `key` in this object.
    pub fn at(&self, key: &str) -> String {
        self.object.at(key)
    }

    /// A string (required or optional).
    pub fn string(&self, d: &mut Decoder, key: &str, required: bool) -> Option<String> {
        self.declared(key);
        d.report(self.object.string(key, required))
    }

    /// An optional `true`/`false`, `false` when absent.
    pub fn flag(&self, d: &mut Decoder, key: &str) -> bool {
        self.declared(key);
        d.report(self.object.flag(key).map(Some)).unwrap_or(false)
    }

    /// A number.
    pub fn number(&self, d: &mut Decoder, key: &str, required: bool) -> Option<f64> {
        self.declared(key);
        d.report(self.object.number(key, required))
    }

    /// A whole number within `i64`.
    pub fn integer(&self, d: &mut Decoder, key: &str, required: bool) -> Option<i64> {
        self.declared(key);
        d.report(self.object.integer(key, required))
    }

    /// Any JSON value (a condition); `null` counts as absent.
    pub fn value(&self, d: &mut Decoder, key: &str, required: bool) -> Option<Value> {
        match self.get(d, key, required)? {
            Value::Null if !required => None,
            v => Some(v.clone()),
        }
    }

    /// One of the names in `names`, as its value.
    pub fn variant<T: Copy>(
        &self,
        d: &mut Decoder,
        key: &str,
        required: bool,
        names: &[(T, &'static str)],
    ) -> Option<T> {
        let text = self.string(d, key, required)?;
        let found = names.iter().find(|(_, n)| *n == text).map(|(v, _)| *v);
        if found.is_none() {
            d.shape(
                &self.at(key),
                format!(
                    "unknown variant `{text}`, expected one of {}",
                    quoted_names(names)
                ),
            );
        }
        found
    }

    /// An object of strings.
    pub fn strings(&self, d: &mut Decoder, key: &str, required: bool) -> BTreeMap<String, String> {
        self.declared(key);
        let mut out = BTreeMap::new();
        let Some(map) = d.report(self.object.object(key, required)) else {
            return out;
        };
        for k in map.map.keys() {
            if let Some(s) = d.report(map.string(k, true)) {
                out.insert(k.clone(), s);
            }
        }
        out
    }
}

/// The top-level keys of a rulebook.
pub(crate) const TOP_LEVEL: &[&str] = &[
    "accord",
    "id",
    "version",
    "title",
    "description",
    "agreed_by",
    "fields",
    "steps",
    "scores",
    "knockouts",
    "grades",
    "routes",
    "destinations",
    "report_endpoint",
    "locale",
    "strings",
    "fixtures",
    "feedback",
    "enrichment",
    crate::canonical::CHECKED_KEY,
];

/// How deeply a value may sit inside a rulebook document (the document is
/// level 0, its keys' values level 1, and so on). The widget reads
/// rulebooks with the same limit, so the browser and the native engine
/// accept the same documents.
pub const MAX_NESTING: usize = 64;

/// The path of the first value nested deeper than [`MAX_NESTING`], if any.
/// Iterative, so a hostile document cannot exhaust the stack here.
fn too_deep(doc: &Value) -> Option<String> {
    let mut stack = vec![(doc, String::new(), 0usize)];
    while let Some((value, path, depth)) = stack.pop() {
        if depth > MAX_NESTING {
            return Some(path);
        }
        match value {
            Value::Array(items) => stack.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (v, format!("{path}[{i}]"), depth + 1)),
            ),
            Value::Object(map) => {
                stack.extend(map.iter().map(|(k, v)| (v, join(&path, k), depth + 1)))
            }
            _ => {}
        }
    }
    None
}

/// Opens a rulebook document for reading: nested no deeper than
/// [`MAX_NESTING`], an object, and format `"accord": 1`. The top-level
/// object (unknown keys already reported), or `None` with the one error
/// that stops reading.
pub(crate) fn open<'a>(d: &mut Decoder, doc: &'a Value) -> Option<Obj<'a>> {
    if let Some(path) = too_deep(doc) {
        d.push(&path, Kind::TooDeep { max: MAX_NESTING });
        return None;
    }
    let Some(obj) = doc.as_object() else {
        d.shape("", "a rulebook is a JSON object".into());
        return None;
    };
    match obj.get("accord") {
        Some(Value::Number(n)) if n.as_u64() == Some(1) => {}
        other => {
            let found = other.map_or("(missing)".to_owned(), Value::to_string);
            d.push("accord", Kind::Version { found });
            return None;
        }
    }
    d.object(doc, "", TOP_LEVEL)
}

/// A rulebook's top level as read: each array item decoded on its own,
/// `None` where it did not decode, so indices stay true and one broken
/// item does not hide the others.
pub(crate) struct Parts {
    pub id: Option<String>,
    pub version: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub feedback: Option<Feedback>,
    pub agreed_by: Vec<Option<Agreement>>,
    pub fields: Vec<Option<Field>>,
    pub steps: Vec<Option<Step>>,
    pub scores: Vec<Option<Score>>,
    pub knockouts: Vec<Option<Knockout>>,
    pub grades: Vec<Option<Grade>>,
    pub routes: Vec<Option<Route>>,
    pub destinations: Vec<Option<Destination>>,
    pub report_endpoint: Option<String>,
    pub locale: Option<String>,
    pub strings: BTreeMap<String, String>,
    /// Left empty by [`parts`]: validation reads them
    /// ([`read_fixtures`]); the widget never runs them.
    pub fixtures: Vec<Option<Fixture>>,
    /// `Some` when the document has an `enrichment` section that decoded.
    pub attributes: Option<Vec<Option<Attribute>>>,
    pub providers: Vec<Option<Provider>>,
}

/// Reads every top-level key of an opened rulebook but its fixtures.
pub(crate) fn parts(d: &mut Decoder, top: &Obj) -> Parts {
    let mut parts = Parts {
        id: top.string(d, "id", true),
        version: top.string(d, "version", true),
        title: top.string(d, "title", true),
        description: top.string(d, "description", false),
        feedback: top
            .value(d, "feedback", false)
            .and_then(|f| feedback(d, &f, "feedback")),
        agreed_by: items(d, top, "agreed_by", false, agreement),
        fields: items(d, top, "fields", true, field),
        steps: items(d, top, "steps", false, step),
        scores: items(d, top, "scores", false, score),
        knockouts: items(d, top, "knockouts", false, knockout),
        grades: items(d, top, "grades", true, grade),
        routes: items(d, top, "routes", false, route),
        destinations: items(d, top, "destinations", false, destination),
        report_endpoint: top.string(d, "report_endpoint", false),
        locale: top.string(d, "locale", false),
        strings: top.strings(d, "strings", false),
        fixtures: Vec::new(),
        attributes: None,
        providers: Vec::new(),
    };
    // The stamp is a string; `published.rs` reads what it says.
    top.string(d, crate::canonical::CHECKED_KEY, false);
    let section = top.value(d, "enrichment", false);
    if let Some((attributes, providers)) = section.and_then(|e| enrichment(d, &e, "enrichment")) {
        parts.attributes = Some(attributes);
        parts.providers = providers;
    }
    parts
}

impl Parts {
    /// The document, once every part decoded (`None` when a required key
    /// is missing, which reading reported).
    pub(crate) fn into_doc(self) -> Option<RulebookDoc> {
        Some(RulebookDoc {
            accord: 1,
            id: self.id?,
            version: self.version?,
            title: self.title?,
            description: self.description,
            agreed_by: self.agreed_by.into_iter().flatten().collect(),
            fields: self.fields.into_iter().flatten().collect(),
            steps: self.steps.into_iter().flatten().collect(),
            scores: self.scores.into_iter().flatten().collect(),
            knockouts: self.knockouts.into_iter().flatten().collect(),
            grades: self.grades.into_iter().flatten().collect(),
            routes: self.routes.into_iter().flatten().collect(),
            destinations: self.destinations.into_iter().flatten().collect(),
            report_endpoint: self.report_endpoint,
            locale: self.locale,
            strings: self.strings,
            fixtures: self.fixtures.into_iter().flatten().collect(),
            feedback: self.feedback,
            enrichment: self.attributes.map(|attributes| Enrichment {
                attributes: attributes.into_iter().flatten().collect(),
                providers: self.providers.into_iter().flatten().collect(),
            }),
        })
    }
}

/// Reads a rulebook's fixtures into `parts`.
pub(crate) fn read_fixtures(d: &mut Decoder, top: &Obj, parts: &mut Parts) {
    parts.fixtures = items(d, top, "fixtures", false, fixture);
}

/// Decodes each element of the array under `key`, keeping `None` for an
/// element that did not decode so indices stay true.
fn items<T>(
    d: &mut Decoder,
    top: &Obj,
    key: &str,
    required: bool,
    decode: fn(&mut Decoder, &Value, &str) -> Option<T>,
) -> Vec<Option<T>> {
    d.array(top, key, required)
        .into_iter()
        .map(|(path, item)| decode(d, item, &path))
        .collect()
}

pub(crate) fn agreement(d: &mut Decoder, v: &Value, path: &str) -> Option<Agreement> {
    let o = d.object(v, path, &["team", "name", "date", "sha256"])?;
    let (team, name, date, sha256) = (
        o.string(d, "team", true),
        o.string(d, "name", true),
        o.string(d, "date", false),
        o.string(d, "sha256", false),
    );
    Some(Agreement {
        team: team?,
        name: name?,
        date,
        sha256,
    })
}

pub(crate) fn field(d: &mut Decoder, v: &Value, path: &str) -> Option<Field> {
    const KEYS: &[&str] = &[
        "id",
        "label",
        "type",
        "required",
        "options",
        "show_if",
        "ask",
        "help",
        "placeholder",
        "autocomplete",
        "min",
        "max",
        "max_length",
        "multiline",
        "param",
        "value",
        "skip_when_enriched",
    ];
    let o = d.object(v, path, KEYS)?;
    let id = o.string(d, "id", true);
    let label = o.string(d, "label", true);
    let kind = o.variant(d, "type", true, FieldType::NAMES);
    let required = o.flag(d, "required");
    let options = options(d, &o);
    let show_if = o.value(d, "show_if", false);
    let ask = if o.has("ask") {
        let mut list = Vec::new();
        for (p, item) in d.array(&o, "ask", false) {
            match item.as_str().and_then(Audience::from_name) {
                Some(a) => list.push(a),
                None => d.shape(
                    &p,
                    format!(
                        "unknown variant `{}`, expected one of `form`, `call`",
                        item.as_str().unwrap_or(&item.to_string())
                    ),
                ),
            }
        }
        list
    } else {
        vec![Audience::Form, Audience::Call]
    };
    let help = o.string(d, "help", false);
    let placeholder = o.string(d, "placeholder", false);
    let autocomplete = o.string(d, "autocomplete", false);
    let min = o.number(d, "min", false);
    let max = o.number(d, "max", false);
    let max_length = o
        .integer(d, "max_length", false)
        .and_then(|n| u32::try_from(n).ok());
    let multiline = o.flag(d, "multiline");
    let param = o.string(d, "param", false);
    let value = o.string(d, "value", false);
    let skip_when_enriched = o.string(d, "skip_when_enriched", false);
    Some(Field {
        id: id?,
        label: label?,
        kind: kind?,
        required,
        options,
        show_if,
        ask,
        help,
        placeholder,
        autocomplete,
        min,
        max,
        max_length,
        multiline,
        param,
        value,
        skip_when_enriched,
    })
}

/// The options of a choice field or attribute: `[{value, label?}]`.
fn options(d: &mut Decoder, o: &Obj) -> Vec<ChoiceOption> {
    let mut options = Vec::new();
    for (p, item) in d.array(o, "options", false) {
        if let Some(opt) = d.object(item, &p, &["value", "label"]) {
            let (value, label) = (opt.string(d, "value", true), opt.string(d, "label", false));
            if let Some(value) = value {
                options.push(ChoiceOption { value, label });
            }
        }
    }
    options
}

/// The `enrichment` section as read: each attribute and provider, `None`
/// for an item that did not decode, so indices in later errors stay true.
pub(crate) type EnrichmentItems = (Vec<Option<Attribute>>, Vec<Option<Provider>>);

/// The `enrichment` section: its attributes and providers.
pub(crate) fn enrichment(d: &mut Decoder, v: &Value, path: &str) -> Option<EnrichmentItems> {
    let o = d.object(v, path, &["attributes", "providers"])?;
    let attributes = d
        .array(&o, "attributes", true)
        .into_iter()
        .map(|(p, item)| attribute(d, item, &p))
        .collect();
    let providers = d
        .array(&o, "providers", true)
        .into_iter()
        .map(|(p, item)| provider(d, item, &p))
        .collect();
    Some((attributes, providers))
}

fn attribute(d: &mut Decoder, v: &Value, path: &str) -> Option<Attribute> {
    let o = d.object(v, path, &["id", "label", "type", "options"])?;
    let id = o.string(d, "id", true);
    let label = o.string(d, "label", true);
    let kind = o.variant(d, "type", true, FieldType::NAMES);
    let options = options(d, &o);
    Some(Attribute {
        id: id?,
        label: label?,
        kind: kind?,
        options,
    })
}

fn provider(d: &mut Decoder, v: &Value, path: &str) -> Option<Provider> {
    let o = d.object(v, path, &["id", "kind", "url", "timeout_ms", "map"])?;
    let id = o.string(d, "id", true);
    let kind = o.variant(d, "kind", true, ProviderKind::NAMES);
    let url = o.string(d, "url", false);
    let timeout_ms = o.integer(d, "timeout_ms", false);
    let timeout_ms = match timeout_ms.map(u32::try_from) {
        Some(Err(_)) => {
            d.shape(
                &o.at("timeout_ms"),
                "a timeout is a positive number of milliseconds".into(),
            );
            None
        }
        Some(Ok(ms)) => Some(ms),
        None => None,
    };
    let map = o.strings(d, "map", true);
    Some(Provider {
        id: id?,
        kind: kind?,
        url,
        timeout_ms,
        map,
    })
}

pub(crate) fn step(d: &mut Decoder, v: &Value, path: &str) -> Option<Step> {
    let o = d.object(v, path, &["id", "title", "fields"])?;
    let (id, title) = (o.string(d, "id", true), o.string(d, "title", true));
    let mut fields = Vec::new();
    for (p, item) in d.array(&o, "fields", true) {
        match item {
            Value::String(s) => fields.push(s.clone()),
            other => d.shape(&p, format!("expected a string, found {}", kind_of(other))),
        }
    }
    Some(Step {
        id: id?,
        title: title?,
        fields,
    })
}

pub(crate) fn score(d: &mut Decoder, v: &Value, path: &str) -> Option<Score> {
    let o = d.object(v, path, &["id", "label", "cap", "criteria"])?;
    let (id, label, cap) = (
        o.string(d, "id", true),
        o.string(d, "label", true),
        o.integer(d, "cap", false),
    );
    let mut criteria = Vec::new();
    let mut complete = true;
    for (p, item) in d.array(&o, "criteria", true) {
        match criterion(d, item, &p) {
            Some(c) => criteria.push(c),
            None => complete = false,
        }
    }
    // A criterion that did not decode would shift the indices of the rest.
    complete.then_some(())?;
    Some(Score {
        id: id?,
        label: label?,
        cap,
        criteria,
    })
}

fn criterion(d: &mut Decoder, v: &Value, path: &str) -> Option<Criterion> {
    let o = d.object(v, path, &["id", "label", "when", "points"])?;
    let (id, label) = (o.string(d, "id", true), o.string(d, "label", true));
    let (when, points) = (o.value(d, "when", true), o.integer(d, "points", true));
    Some(Criterion {
        id: id?,
        label: label?,
        when: when?,
        points: points?,
    })
}

fn outcome(d: &mut Decoder, o: &Obj, key: &str) -> Option<Outcome> {
    let v = o.get(d, key, false)?;
    let out = d.object(v, &o.at(key), &["heading", "message", "link"])?;
    let (heading, message) = (
        out.string(d, "heading", false),
        out.string(d, "message", true),
    );
    let link = match out.get(d, "link", false) {
        None => None,
        Some(l) => {
            let lo = d.object(l, &out.at("link"), &["label", "url"])?;
            let (label, url) = (lo.string(d, "label", true), lo.string(d, "url", true));
            Some(Link {
                label: label?,
                url: url?,
            })
        }
    };
    Some(Outcome {
        heading,
        message: message?,
        link,
    })
}

pub(crate) fn knockout(d: &mut Decoder, v: &Value, path: &str) -> Option<Knockout> {
    let o = d.object(v, path, &["id", "label", "when", "outcome"])?;
    let (id, label, when) = (
        o.string(d, "id", true),
        o.string(d, "label", true),
        o.value(d, "when", true),
    );
    let outcome = outcome(d, &o, "outcome");
    Some(Knockout {
        id: id?,
        label: label?,
        when: when?,
        outcome,
    })
}

pub(crate) fn grade(d: &mut Decoder, v: &Value, path: &str) -> Option<Grade> {
    let o = d.object(v, path, &["id", "label", "when", "outcome", "sla_minutes"])?;
    let (id, label, when) = (
        o.string(d, "id", true),
        o.string(d, "label", true),
        o.value(d, "when", false),
    );
    let outcome = outcome(d, &o, "outcome");
    let sla_minutes = o.integer(d, "sla_minutes", false);
    Some(Grade {
        id: id?,
        label: label?,
        when,
        outcome,
        sla_minutes,
    })
}

pub(crate) fn route(d: &mut Decoder, v: &Value, path: &str) -> Option<Route> {
    let o = d.object(v, path, &["when", "to", "owner_pool"])?;
    let when = o.value(d, "when", false);
    let mut owner_pool = Vec::new();
    for (p, item) in d.array(&o, "owner_pool", false) {
        let Some(po) = d.object(item, &p, &["owner", "booking_url"]) else {
            continue;
        };
        let (owner, booking_url) = (
            po.string(d, "owner", true),
            po.string(d, "booking_url", false),
        );
        if let Some(owner) = owner {
            owner_pool.push(PoolOwner { owner, booking_url });
        }
    }
    let to = o.get(d, "to", true)?;
    let t = d.object(to, &o.at("to"), &["team", "owner", "booking_url"])?;
    let (team, owner, booking_url) = (
        t.string(d, "team", true),
        t.string(d, "owner", false),
        t.string(d, "booking_url", false),
    );
    Some(Route {
        when,
        to: RouteTarget {
            team: team?,
            owner,
            booking_url,
        },
        owner_pool,
    })
}

pub(crate) fn destination(d: &mut Decoder, v: &Value, path: &str) -> Option<Destination> {
    #[derive(Clone, Copy)]
    enum Kind {
        Webhook,
        FormPost,
        Hubspot,
    }
    const KINDS: &[(Kind, &str)] = &[
        (Kind::Webhook, "webhook"),
        (Kind::FormPost, "form_post"),
        (Kind::Hubspot, "hubspot"),
    ];
    let kind = v.get("kind").and_then(Value::as_str);
    let known: &'static [&'static str] = match kind {
        Some("webhook") => &["kind", "url", "encoding", "headers"],
        Some("form_post") => &["kind", "url", "field_map", "extra", "values"],
        Some("hubspot") => &["kind", "portal_id", "form_guid", "field_map", "values"],
        _ => &["kind"],
    };
    let o = d.object(v, path, known)?;
    match o.variant(d, "kind", true, KINDS)? {
        Kind::Webhook => {
            let url = o.string(d, "url", true);
            let encoding = match o.get(d, "encoding", false) {
                None => Some(WebhookEncoding::Json),
                Some(_) => o.variant(d, "encoding", false, WebhookEncoding::NAMES),
            };
            let headers = o.strings(d, "headers", false);
            Some(Destination::Webhook {
                url: url?,
                encoding: encoding?,
                headers,
            })
        }
        Kind::FormPost => {
            let url = o.string(d, "url", true);
            let (field_map, extra) = (
                o.strings(d, "field_map", true),
                o.strings(d, "extra", false),
            );
            let values = value_tables(d, &o);
            Some(Destination::FormPost {
                url: url?,
                field_map,
                extra,
                values,
            })
        }
        Kind::Hubspot => {
            let (portal_id, form_guid) = (
                o.string(d, "portal_id", true),
                o.string(d, "form_guid", true),
            );
            let field_map = o.strings(d, "field_map", true);
            let values = value_tables(d, &o);
            Some(Destination::Hubspot {
                portal_id: portal_id?,
                form_guid: form_guid?,
                field_map,
                values,
            })
        }
    }
}

/// A destination's optional `values`: an object of objects of strings.
fn value_tables(d: &mut Decoder, o: &Obj) -> ValueTables {
    let mut out = ValueTables::new();
    let Some(tables) = o.get(d, "values", false) else {
        return out;
    };
    let Some(tables) = d.report(JsonObject::new(tables, &o.at("values")).map(Some)) else {
        return out;
    };
    for (path, table) in tables.map {
        let Some(table) = d.report(JsonObject::new(table, &tables.at(path)).map(Some)) else {
            continue;
        };
        let mut texts = BTreeMap::new();
        for value in table.map.keys() {
            if let Some(text) = d.report(table.string(value, true)) {
                texts.insert(value.clone(), text);
            }
        }
        out.insert(path.clone(), texts);
    }
    out
}

pub(crate) fn fixture(d: &mut Decoder, v: &Value, path: &str) -> Option<Fixture> {
    let o = d.object(
        v,
        path,
        &[
            "name", "answers", "context", "audience", "enriched", "expect",
        ],
    )?;
    let name = o.string(d, "name", true);
    let answers = match o.get(d, "answers", true) {
        Some(Value::Object(map)) => Some(map.clone()),
        Some(other) => {
            d.shape(
                &o.at("answers"),
                format!("expected an object, found {}", kind_of(other)),
            );
            None
        }
        None => None,
    };
    let context = match o.get(d, "context", false) {
        None | Some(Value::Null) => None,
        Some(c) => {
            // Every context key; `channel` comes from the audience.
            let co = d.object(c, &o.at("context"), &ContextKey::NAME_LIST)?;
            let mut context = Context::default();
            for (key, name) in ContextKey::NAMES {
                context.set(*key, co.string(d, name, false));
            }
            Some(context)
        }
    };
    let audience = match o.get(d, "audience", false) {
        None => None,
        Some(_) => Some(o.variant(d, "audience", false, Audience::NAMES)?),
    };
    let enriched = match o.get(d, "enriched", false) {
        None | Some(Value::Null) => serde_json::Map::new(),
        Some(Value::Object(map)) => map.clone(),
        Some(other) => {
            d.shape(
                &o.at("enriched"),
                format!("expected an object, found {}", kind_of(other)),
            );
            serde_json::Map::new()
        }
    };
    let expect_value = o.get(d, "expect", true)?;
    let expect = expectation(d, expect_value, &o.at("expect"));
    Some(Fixture {
        name: name?,
        answers: answers?,
        context,
        audience,
        enriched,
        expect: expect?,
    })
}

fn expectation(d: &mut Decoder, v: &Value, path: &str) -> Option<FixtureExpect> {
    let o = d.object(
        v,
        path,
        &[
            "status",
            "grade",
            "route",
            "scores",
            "knocked_out_by",
            "missing",
        ],
    )?;
    let status = match o.get(d, "status", false) {
        None => None,
        Some(_) => Some(o.variant(d, "status", false, Status::NAMES)?),
    };
    let grade = o.string(d, "grade", false);
    let route = match o.get(d, "route", false) {
        None | Some(Value::Null) => None,
        Some(r) => {
            let ro = d.object(r, &o.at("route"), &["team", "owner"])?;
            let (team, owner) = (ro.string(d, "team", true), ro.string(d, "owner", false));
            Some(ExpectedRoute { team: team?, owner })
        }
    };
    let scores = match o.get(d, "scores", false) {
        None => None,
        Some(Value::Object(map)) => {
            let mut out = BTreeMap::new();
            for (k, v) in map {
                match v.as_i64() {
                    Some(n) => {
                        out.insert(k.clone(), n);
                    }
                    None => d.shape(
                        &join(&o.at("scores"), k),
                        format!("expected a whole number, found {}", kind_of(v)),
                    ),
                }
            }
            Some(out)
        }
        Some(other) => {
            d.shape(
                &o.at("scores"),
                format!("expected an object, found {}", kind_of(other)),
            );
            None
        }
    };
    let mut ids = |key: &str| -> Option<Vec<String>> {
        o.get(d, key, false)?;
        let list = d.array(&o, key, false);
        Some(
            list.into_iter()
                .filter_map(|(_, v)| v.as_str().map(str::to_owned))
                .collect(),
        )
    };
    let (knocked_out_by, missing) = (ids("knocked_out_by"), ids("missing"));
    Some(FixtureExpect {
        status,
        grade,
        route,
        scores,
        knocked_out_by,
        missing,
    })
}

pub(crate) fn feedback(d: &mut Decoder, v: &Value, path: &str) -> Option<Feedback> {
    let o = d.object(v, path, &["reject_reasons"])?;
    let mut reject_reasons = Vec::new();
    for (p, item) in d.array(&o, "reject_reasons", true) {
        if let Some(r) = d.object(item, &p, &["id", "label"]) {
            let (id, label) = (r.string(d, "id", true), r.string(d, "label", true));
            if let (Some(id), Some(label)) = (id, label) {
                reject_reasons.push(Reason { id, label });
            }
        }
    }
    Some(Feedback { reject_reasons })
}
