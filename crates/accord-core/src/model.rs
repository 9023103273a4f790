//! The rulebook document as written (format version 1), in serde types.
//!
//! These types are the shape only: validation decodes the document into
//! them (by hand, see `decode.rs`, reporting every problem with its path)
//! and compiles every condition into a [`crate::Rulebook`]. Unknown keys are
//! rejected everywhere, so a typo such as `"requried"` is an error, not a
//! silently optional field. `docs/rulebook.md` describes every key.

mod vocabulary;

pub(crate) use vocabulary::{quoted, quoted_names, RESERVED_ROOTS};
pub use vocabulary::{
    Audience, BuiltInFact, Channel, Context, ContextKey, EnrichmentStatus, FieldType, ProviderKind,
    Stage, Status, WebhookEncoding, CHANNEL_CONTEXT_KEY, DERIVED_KEYS, DISQUALIFIED,
};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Names no id may take: as a key of a JavaScript object (the widget hands
/// answers and scores to the page as objects) they reach its prototype.
pub(crate) const JS_OBJECT_KEYS: &[&str] = &["__proto__", "constructor", "prototype"];

/// Why [`JS_OBJECT_KEYS`] are refused, as errors say it.
pub(crate) const JS_OBJECT_KEYS_WHY: &str = "JavaScript objects give this name a meaning of its own (answers, scores and events keyed by it could reach an object's prototype in the browser)";

/// The whole rulebook document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RulebookDoc {
    /// Format version; this engine reads version 1.
    pub accord: u32,
    /// Stable identifier, e.g. `acme-inbound`.
    pub id: String,
    /// The agreed version, e.g. `2026.11.1`.
    pub version: String,
    /// Human title, shown as the form's heading.
    pub title: String,
    /// Optional text under the heading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who agreed to this version.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub agreed_by: Vec<Agreement>,
    /// The questions, in the order they are asked.
    pub fields: Vec<Field>,
    /// Optional multi-step layout of the form.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// Scores and the criteria that add points to them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scores: Vec<Score>,
    /// Conditions that disqualify a lead outright.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub knockouts: Vec<Knockout>,
    /// Grades in order; the first whose condition holds is the lead's grade.
    pub grades: Vec<Grade>,
    /// Routes in order; the first whose condition holds is the lead's route.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<Route>,
    /// Where records are sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub destinations: Vec<Destination>,
    /// The language of the visitor-facing strings around the rulebook's own
    /// text (a BCP 47 tag such as `de`); the embed's `data-accord-locale`
    /// wins over it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Visitor-facing strings replaced by id (`crate::strings::STRINGS`),
    /// e.g. `{"send": "إرسال"}`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub strings: BTreeMap<String, String>,
    /// The site owner's own endpoint that receives a failure report, with
    /// the record, when a destination refuses a record (and the
    /// capture-only form's record, when the embed names none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_endpoint: Option<String>,
    /// Golden leads the authors agree on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fixtures: Vec<Fixture>,
    /// What sales can say back about a lead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback: Option<Feedback>,
    /// What is looked up about a lead, and where.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enrichment: Option<Enrichment>,
}

/// What a rulebook looks up about a lead (`docs/rulebook.md`,
/// "Enrichment"): the attributes conditions read as `enriched.<id>`, and
/// the providers that fill them, tried in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Enrichment {
    /// The facts the rules may read, with their types.
    pub attributes: Vec<Attribute>,
    /// Where they come from; an earlier provider's value wins.
    pub providers: Vec<Provider>,
}

impl Enrichment {
    /// The attribute with this id.
    pub fn attribute(&self, id: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.id == id)
    }
}

/// One enriched fact, e.g. `employees` (a number).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribute {
    /// Identifier; conditions read it as `enriched.<id>`.
    pub id: String,
    /// Human name, e.g. `Employees`.
    pub label: String,
    /// `text`, `number`, `choice` or `yes_no`.
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// The values a `choice` attribute may take; any other value a provider
    /// gives is dropped.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
}

impl Attribute {
    /// The types an attribute may have.
    pub const KINDS: &'static [FieldType] = &[
        FieldType::Text,
        FieldType::Number,
        FieldType::Choice,
        FieldType::YesNo,
    ];

    /// The attribute as a field of its type, so conditions that read
    /// `enriched.<id>` get the same type checks as a field's answer.
    pub fn as_field(&self) -> Field {
        Field {
            id: self.id.clone(),
            label: self.label.clone(),
            kind: self.kind,
            required: false,
            options: self.options.clone(),
            show_if: None,
            ask: vec![Audience::Form, Audience::Call],
            help: None,
            placeholder: None,
            autocomplete: None,
            min: None,
            max: None,
            max_length: None,
            multiline: false,
            param: None,
            value: None,
            skip_when_enriched: None,
        }
    }
}

/// One enrichment provider.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provider {
    /// Identifier, named in records as the source of a value.
    pub id: String,
    /// `built_in` or `http`.
    pub kind: ProviderKind,
    /// `http`: the lookup URL, with placeholders such as
    /// `{derived.email_domain}` ([`Provider::PLACEHOLDERS`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `http`: how long to wait for the answer, in milliseconds
    /// (default [`Provider::DEFAULT_TIMEOUT_MS`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
    /// Attribute id → where its value comes from: a [`BuiltInFact`]'s name
    /// (`built_in`), or a JSON Pointer into the answer such as
    /// `/company/employees` (`http`).
    pub map: BTreeMap<String, String>,
}

impl Provider {
    /// The placeholders an `http` provider's URL may hold; each takes the
    /// lead's value, URL-encoded. A lookup waits until each has a value.
    pub const PLACEHOLDERS: &'static [&'static str] = &["derived.email_domain"];

    /// How long an `http` lookup waits by default, in milliseconds.
    pub const DEFAULT_TIMEOUT_MS: u32 = 1500;

    /// The longest wait a rulebook may ask for: a visitor should never wait
    /// on a lookup for longer.
    pub const MAX_TIMEOUT_MS: u32 = 10_000;

    /// The wait for this provider, in milliseconds.
    pub fn timeout_ms(&self) -> u32 {
        self.timeout_ms.unwrap_or(Self::DEFAULT_TIMEOUT_MS)
    }
}

/// One signature on the rulebook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    /// The team, e.g. `marketing` or `sales`.
    pub team: String,
    /// Who agreed for that team.
    pub name: String,
    /// When, as an ISO date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The rulebook's agreement hash when they signed
    /// ([`crate::agreement_sha256`]): a later change of the rules makes
    /// this sign-off stale. Absent on sign-offs written by hand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

fn is_both_audiences(ask: &[Audience]) -> bool {
    ask == [Audience::Form, Audience::Call]
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// Identifier; answers are keyed by it and conditions read it with `var`.
    pub id: String,
    /// The question as shown (text, never HTML).
    pub label: String,
    /// The kind of answer.
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// Whether a visible field must be answered for the lead to be complete.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// The values a `choice` or `multi_choice` field offers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
    /// Show the field only when this condition holds (JsonLogic). It may read
    /// fields declared before this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Value>,
    /// Who is asked: `form`, `call` or both (the default).
    #[serde(skip_serializing_if = "is_both_audiences")]
    pub ask: Vec<Audience>,
    /// Help text shown under the field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Placeholder text inside an empty input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// An HTML `autocomplete` token; defaults from the type (`email`, `tel`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autocomplete: Option<String>,
    /// Smallest accepted number (`number` fields).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest accepted number (`number` fields).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Longest accepted text in characters (text-like fields; default 1000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// `text` fields: a multi-line box (a message) instead of one line.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub multiline: bool,
    /// `hidden` fields: the URL query parameter that fills it (default: the id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    /// `hidden` fields: a fixed value instead of a query parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The enrichment attribute that answers this question: when it has a
    /// value, the form does not ask, and the value is the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_when_enriched: Option<String>,
}

impl Field {
    /// Whether the field is asked of `audience`.
    pub fn asked_of(&self, audience: Audience) -> bool {
        self.kind != FieldType::Hidden && self.ask.contains(&audience)
    }

    /// The `autocomplete` token to use: the configured one, or the type's.
    pub fn autocomplete_token(&self) -> Option<&str> {
        self.autocomplete.as_deref().or(match self.kind {
            FieldType::Email => Some("email"),
            FieldType::Phone => Some("tel"),
            _ => None,
        })
    }
}

/// One option of a choice field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceOption {
    /// The stored value, used in conditions.
    pub value: String,
    /// What the visitor sees; defaults to the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl ChoiceOption {
    /// The text shown for the option.
    pub fn display(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.value)
    }
}

/// A page of a multi-step form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// Identifier.
    pub id: String,
    /// Heading of the step.
    pub title: String,
    /// Field ids on this step, in order.
    pub fields: Vec<String>,
}

/// A score: points from criteria, optionally capped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// Identifier; conditions read the value as `score.<id>`.
    pub id: String,
    /// Human name, e.g. `Fit`.
    pub label: String,
    /// The most points this score can contribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap: Option<i64>,
    /// What adds (or removes) points.
    pub criteria: Vec<Criterion>,
}

/// A condition worth points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Criterion {
    /// Identifier, unique across all scores.
    pub id: String,
    /// Why the points are given, shown in explanations.
    pub label: String,
    /// JsonLogic condition.
    pub when: Value,
    /// Points when the condition holds; negative points subtract.
    pub points: i64,
}

/// A condition that disqualifies a lead.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Knockout {
    /// Identifier.
    pub id: String,
    /// Why, shown in explanations.
    pub label: String,
    /// JsonLogic condition.
    pub when: Value,
    /// What the visitor sees when this knockout applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
}

/// A grade such as `sql`, `mql` or `nurture`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grade {
    /// Identifier.
    pub id: String,
    /// Human name, e.g. `Sales-ready`.
    pub label: String,
    /// JsonLogic condition; the last grade has none (the fallback).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<Value>,
    /// What the visitor sees after submitting with this grade.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// How soon sales should first touch a lead of this grade, in minutes
    /// (the inbox's speed-to-lead report measures against it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sla_minutes: Option<i64>,
}

/// What a visitor is shown after submitting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// Heading, e.g. `Thanks, let's talk`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// The message (text, never HTML).
    pub message: String,
    /// An optional call to action, e.g. a booking link. `{route.booking_url}`
    /// as the URL uses the lead's route's booking URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<Link>,
}

/// A labelled link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// Link text.
    pub label: String,
    /// Target URL (`https:` or `http:`), which may start with
    /// `{route.booking_url}` and hold placeholders ([`Link::PLACEHOLDERS`]).
    pub url: String,
}

/// The placeholder a link URL may start with for the route's booking page.
pub const BOOKING_URL: &str = "{route.booking_url}";

impl Link {
    /// The placeholders a link URL (an outcome's, a booking page's) may
    /// hold besides `{answers.<field id>}`; each takes the lead's value,
    /// URL-encoded.
    pub const PLACEHOLDERS: &'static [&'static str] =
        &["submission_id", "grade", "route.team", "route.owner"];

    /// The placeholders of a link URL, in order: the text between `{`
    /// and `}`.
    pub fn placeholders(url: &str) -> impl Iterator<Item = &str> {
        url.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
    }

    /// Whether `url` is an absolute http(s) URL: what a page may show as a
    /// link or fetch (never `javascript:` or `data:`).
    pub(crate) fn is_web_url(url: &str) -> bool {
        let lower = url.trim_start().to_ascii_lowercase();
        lower.starts_with("https://") || lower.starts_with("http://")
    }

    /// Whether the host of `url` is written out before any placeholder:
    /// `https://{answers.x}/` would let an answer (or a lead's email
    /// domain) choose where a URL leads.
    pub(crate) fn host_is_fixed(url: &str) -> bool {
        let Some(brace) = url.find('{') else {
            return true;
        };
        url[..brace]
            .split_once("://")
            .is_some_and(|(_, after)| after.contains('/'))
    }

    /// Appends `value` as a placeholder's value: percent-encodes everything
    /// but letters, digits and `-_~` (the unreserved characters of RFC 3986
    /// but `.`, so a value of `..` cannot climb a path).
    pub(crate) fn encode_into(out: &mut String, value: &str) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for b in value.bytes() {
            if b.is_ascii_alphanumeric() || b"-_~".contains(&b) {
                out.push(b as char);
            } else {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
}

/// A route: who gets the lead.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Route {
    /// JsonLogic condition; a route without one matches every lead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<Value>,
    /// The destination team.
    pub to: RouteTarget,
    /// Owners who share the route's leads: each lead gets one, picked from
    /// its submission id ([`Route::pick_owner`]), so load spreads evenly
    /// without a server and the native engine re-verifies the choice.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub owner_pool: Vec<PoolOwner>,
}

/// One owner of a route's pool.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoolOwner {
    /// The owner: a name, an email or a CRM owner id.
    pub owner: String,
    /// This owner's own booking page, used instead of the route's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub booking_url: Option<String>,
}

impl Route {
    /// The pool owner for a submission: number `fnv1a64(id) mod n` of the
    /// pool, where `fnv1a64` is the 64-bit FNV-1a hash of the submission
    /// id's bytes in lower case. `None` without a pool.
    pub fn pick_owner(&self, submission_id: &str) -> Option<&PoolOwner> {
        if self.owner_pool.is_empty() {
            return None;
        }
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in submission_id.bytes() {
            hash ^= u64::from(byte.to_ascii_lowercase());
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        let n = self.owner_pool.len() as u64;
        self.owner_pool.get((hash % n) as usize)
    }

    /// `target` (this route's) with the owner picked for `submission_id`,
    /// and that owner's booking page when they have one.
    pub fn assign(&self, target: &mut RouteTarget, submission_id: &str) {
        if let Some(owner) = self.pick_owner(submission_id) {
            target.owner = Some(owner.owner.clone());
            if owner.booking_url.is_some() {
                target.booking_url = owner.booking_url.clone();
            }
        }
    }
}

/// Where a routed lead goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteTarget {
    /// The team, e.g. `enterprise`.
    pub team: String,
    /// A named owner or queue within the team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// A meeting-booking page offered to the lead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking_url: Option<String>,
}

/// A destination's value translation: for a record path its `field_map`
/// sends, the text to send instead of each value, e.g.
/// `"qualification.grade": {"sql": "salesqualifiedlead"}` (HubSpot's
/// lifecycle stage) or `"qualification.route.team": {"enterprise": "52413"}`
/// (an owner id). A value the table does not list leaves the field out, so a
/// CRM never receives an option it does not have.
pub type ValueTables = BTreeMap<String, BTreeMap<String, String>>;

/// Where records are posted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Destination {
    /// A generic JSON webhook (also Formspree/Basin-style JSON endpoints).
    Webhook {
        /// Endpoint URL.
        url: String,
        /// Body encoding.
        encoding: WebhookEncoding,
        /// Extra request headers (for CORS-enabled backends; never secrets).
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        headers: BTreeMap<String, String>,
    },
    /// A form-encoded POST, e.g. Salesforce Web-to-Lead.
    FormPost {
        /// Endpoint URL.
        url: String,
        /// Form field name for each record path, e.g. `"answers.email": "email"`.
        field_map: BTreeMap<String, String>,
        /// Constant form fields, e.g. Salesforce's `oid`.
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        extra: BTreeMap<String, String>,
        /// Value translation per mapped record path (see [`ValueTables`]).
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        values: ValueTables,
    },
    /// HubSpot Forms API v3.
    Hubspot {
        /// The HubSpot portal (account) id.
        portal_id: String,
        /// The form's GUID.
        form_guid: String,
        /// HubSpot property name for each record path.
        field_map: BTreeMap<String, String>,
        /// Value translation per mapped record path (see [`ValueTables`]).
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        values: ValueTables,
    },
}

/// A golden lead and what the authors agree it should get.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fixture {
    /// Short description, e.g. `enterprise buyer`.
    pub name: String,
    /// Answers by field id.
    pub answers: Map<String, Value>,
    /// Page context (UTM parameters …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<Context>,
    /// Who answered: `form` (default) or `call`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
    /// What enrichment found, by attribute id (as a lookup would give it).
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub enriched: Map<String, Value>,
    /// The expected qualification; only the keys given are checked.
    pub expect: FixtureExpect,
}

/// The parts of a qualification a fixture checks.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct FixtureExpect {
    /// `qualified`, `knocked_out` or `incomplete`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Grade id (or `disqualified`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// The route's team (and owner, when given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<ExpectedRoute>,
    /// Score values by score id (or `total`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scores: Option<BTreeMap<String, i64>>,
    /// Knockout ids that apply, in rulebook order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub knocked_out_by: Option<Vec<String>>,
    /// Missing field ids, in field order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<String>>,
}

/// The route a fixture expects. `null` means no route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpectedRoute {
    /// The team.
    pub team: String,
    /// The owner, when the fixture checks it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// Feedback sales can give on a lead.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feedback {
    /// Reasons a rep may choose when rejecting a lead.
    pub reject_reasons: Vec<Reason>,
}

/// A feedback reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// Identifier stored in feedback records.
    pub id: String,
    /// What the rep sees.
    pub label: String,
}
