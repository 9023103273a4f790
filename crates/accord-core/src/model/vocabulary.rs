//! The shared vocabulary: each name a rulebook, a record or a lead file
//! spells, in one name ↔ value table per word.
//!
//! Field types, audiences, channels, statuses, webhook encodings and context
//! keys are each one
//! `NAMES` table here. Their `name` and `from_name`, their serde forms, the
//! rulebook decoder's "expected one of" lists, the CLI's lead reader and the
//! browser's page reader all read that table, so adding a field type or a
//! context key is one row here plus its tests.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The grade every knocked-out lead gets.
pub const DISQUALIFIED: &str = "disqualified";

/// Roots of a lead's data that fields may not take as ids, because
/// conditions read them: `context.*`, `derived.*`, `enriched.*`, `score.*`
/// and `grade`.
pub(crate) const RESERVED_ROOTS: &[&str] = &["context", "derived", "enriched", "score", "grade"];

/// Keys a condition can read under `derived.`.
pub const DERIVED_KEYS: &[&str] = &["email_domain", "free_mail"];

/// The name of `value` in `table`. Every table lists every value, which
/// each table's test checks, so the fallback is never reached.
fn name_in<T: Copy + PartialEq>(table: &[(T, &'static str)], value: T) -> &'static str {
    table
        .iter()
        .find(|(v, _)| *v == value)
        .map_or("", |(_, name)| name)
}

/// The value named `name` in `table`.
fn value_in<T: Copy>(table: &[(T, &'static str)], name: &str) -> Option<T> {
    table.iter().find(|(_, n)| *n == name).map(|(v, _)| *v)
}

/// "`a`, `b`, `c`": names for error messages.
pub(crate) fn quoted<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for (i, name) in names.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(name);
        out.push('`');
    }
    out
}

/// [`quoted`] for a table's names.
pub(crate) fn quoted_names<T>(table: &[(T, &'static str)]) -> String {
    quoted(table.iter().map(|(_, name)| *name))
}

/// Serializes and deserializes a vocabulary enum as its name in `NAMES`,
/// so serde never keeps a second list of names.
macro_rules! serde_by_name {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$t, D::Error> {
                let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                <$t>::from_name(&name).ok_or_else(|| {
                    de::Error::custom(format_args!(
                        "unknown variant `{name}`, expected one of {}",
                        quoted_names(<$t>::NAMES)
                    ))
                })
            }
        }
    };
}

/// What kind of answer a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// Free text (one line or several).
    Text,
    /// An email address.
    Email,
    /// A phone number.
    Phone,
    /// A number.
    Number,
    /// One value among `options`.
    Choice,
    /// Any number of values among `options`.
    MultiChoice,
    /// A yes or no answer (`true` / `false`).
    YesNo,
    /// A consent checkbox; the label is the consent text.
    Consent,
    /// Not shown: filled from the page URL's query or a fixed value.
    Hidden,
}

impl FieldType {
    /// Every field type with its name in rulebooks, in documentation order.
    pub const NAMES: &'static [(FieldType, &'static str)] = &[
        (FieldType::Text, "text"),
        (FieldType::Email, "email"),
        (FieldType::Phone, "phone"),
        (FieldType::Number, "number"),
        (FieldType::Choice, "choice"),
        (FieldType::MultiChoice, "multi_choice"),
        (FieldType::YesNo, "yes_no"),
        (FieldType::Consent, "consent"),
        (FieldType::Hidden, "hidden"),
    ];

    /// The name used in rulebooks, e.g. `yes_no`.
    pub fn name(self) -> &'static str {
        name_in(Self::NAMES, self)
    }

    /// The field type a rulebook names, if any.
    pub fn from_name(name: &str) -> Option<FieldType> {
        value_in(Self::NAMES, name)
    }
}

serde_by_name!(FieldType);

/// Who a field is asked of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// Visitors filling in the embedded web form.
    Form,
    /// Sales reps qualifying a prospect on a call.
    Call,
}

impl Audience {
    /// Every audience with its name in rulebooks.
    pub const NAMES: &'static [(Audience, &'static str)] =
        &[(Audience::Form, "form"), (Audience::Call, "call")];

    /// The name used in rulebooks: `form` or `call`.
    pub fn name(self) -> &'static str {
        name_in(Self::NAMES, self)
    }

    /// The audience a rulebook names, if any.
    pub fn from_name(name: &str) -> Option<Audience> {
        value_in(Self::NAMES, name)
    }

    /// The record channel for this audience: `web_form` or `call`.
    pub fn channel(self) -> &'static str {
        Channel::from(self).name()
    }
}

serde_by_name!(Audience);

/// Where a lead was qualified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// The embedded form on a web page.
    WebForm,
    /// A sales rep's console during a call.
    Call,
}

impl Channel {
    /// Every channel with its name in records, and the audience whose
    /// questions it asks.
    pub const NAMES: &'static [(Channel, &'static str)] =
        &[(Channel::WebForm, "web_form"), (Channel::Call, "call")];

    /// The name used in records: `web_form` or `call`.
    pub fn name(self) -> &'static str {
        name_in(Self::NAMES, self)
    }

    /// The channel a record names, if any.
    pub fn from_name(name: &str) -> Option<Channel> {
        value_in(Self::NAMES, name)
    }

    /// The audience whose questions this channel asks.
    pub fn audience(self) -> Audience {
        match self {
            Channel::WebForm => Audience::Form,
            Channel::Call => Audience::Call,
        }
    }
}

impl From<Audience> for Channel {
    fn from(audience: Audience) -> Channel {
        match audience {
            Audience::Form => Channel::WebForm,
            Audience::Call => Channel::Call,
        }
    }
}

serde_by_name!(Channel);

/// The overall result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Complete and not knocked out: the grade is final.
    Qualified,
    /// A knockout applies: the grade is `disqualified`.
    KnockedOut,
    /// Required answers are missing or invalid: the grade is provisional.
    Incomplete,
}

impl Status {
    /// Every status with its name in records and fixtures.
    pub const NAMES: &'static [(Status, &'static str)] = &[
        (Status::Qualified, "qualified"),
        (Status::KnockedOut, "knocked_out"),
        (Status::Incomplete, "incomplete"),
    ];

    /// The name used in records, e.g. `knocked_out`.
    pub fn name(self) -> &'static str {
        name_in(Self::NAMES, self)
    }

    /// The status a record or fixture names, if any.
    pub fn from_name(name: &str) -> Option<Status> {
        value_in(Self::NAMES, name)
    }
}

serde_by_name!(Status);

/// How a webhook body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WebhookEncoding {
    /// `application/json` (CORS preflight for cross-origin endpoints).
    #[default]
    Json,
    /// The JSON text sent as `text/plain`, which needs no CORS preflight.
    TextPlain,
}

impl WebhookEncoding {
    /// Every encoding with its name in rulebooks.
    pub const NAMES: &'static [(WebhookEncoding, &'static str)] = &[
        (WebhookEncoding::Json, "json"),
        (WebhookEncoding::TextPlain, "text_plain"),
    ];

    /// The name used in rulebooks: `json` or `text_plain`.
    pub fn name(self) -> &'static str {
        name_in(Self::NAMES, self)
    }

    /// The encoding a rulebook names, if any.
    pub fn from_name(name: &str) -> Option<WebhookEncoding> {
        value_in(Self::NAMES, name)
    }
}

serde_by_name!(WebhookEncoding);

/// What happened to a lead after it was sent: a row of an outcomes file
/// (`docs/outcomes.md`), or a sales verdict the inbox holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Sales accepted the lead.
    Accepted,
    /// Sales rejected it.
    Rejected,
    /// An opportunity (deal) was opened for it.
    Opportunity,
    /// The deal was won.
    Won,
    /// The deal was lost.
    Lost,
}

impl Stage {
    /// Every stage with its name in outcomes files, in pipeline order.
    pub const NAMES: &'static [(Stage, &'static str)] = &[
        (Stage::Accepted, "accepted"),
        (Stage::Rejected, "rejected"),
        (Stage::Opportunity, "opportunity"),
        (Stage::Won, "won"),
        (Stage::Lost, "lost"),
    ];

    /// The name used in outcomes files, e.g. `opportunity`.
    pub fn name(self) -> &'static str {
        name_in(Self::NAMES, self)
    }

    /// The stage an outcomes file names, if any.
    pub fn from_name(name: &str) -> Option<Stage> {
        value_in(Self::NAMES, name)
    }
}

serde_by_name!(Stage);

/// Where an enrichment provider gets its facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderKind {
    /// Facts the engine works out itself from the answers, offline, in the
    /// browser and natively ([`BuiltInFact`]).
    BuiltIn,
    /// A JSON lookup by URL (the team's own server, or
    /// `accord enrich-server`).
    Http,
}

impl ProviderKind {
    /// Every provider kind with its name in rulebooks.
    pub const NAMES: &'static [(ProviderKind, &'static str)] = &[
        (ProviderKind::BuiltIn, "built_in"),
        (ProviderKind::Http, "http"),
    ];

    /// The name used in rulebooks: `built_in` or `http`.
    pub fn name(self) -> &'static str {
        name_in(Self::NAMES, self)
    }

    /// The provider kind a rulebook names, if any.
    pub fn from_name(name: &str) -> Option<ProviderKind> {
        value_in(Self::NAMES, name)
    }
}

serde_by_name!(ProviderKind);

/// A fact the built-in provider works out from the answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BuiltInFact {
    /// The email's domain is a free-mail provider's (`yes_no`).
    FreeMail,
    /// The email's domain hands out throwaway addresses (`yes_no`).
    DisposableEmail,
    /// The email goes to a role, not a person: `info@`, `sales@` (`yes_no`).
    RoleAddress,
    /// The phone number's country, from its calling code: an ISO 3166
    /// alpha-2 code such as `DE` (`text`).
    PhoneCountry,
}

impl BuiltInFact {
    /// Every built-in fact with its name in rulebooks.
    pub const NAMES: &'static [(BuiltInFact, &'static str)] = &[
        (BuiltInFact::FreeMail, "free_mail"),
        (BuiltInFact::DisposableEmail, "disposable_email"),
        (BuiltInFact::RoleAddress, "role_address"),
        (BuiltInFact::PhoneCountry, "phone_country"),
    ];

    /// The name used in rulebooks, e.g. `phone_country`.
    pub fn name(self) -> &'static str {
        name_in(Self::NAMES, self)
    }

    /// The fact a rulebook names, if any.
    pub fn from_name(name: &str) -> Option<BuiltInFact> {
        value_in(Self::NAMES, name)
    }

    /// The type of attribute the fact fills.
    pub fn kind(self) -> FieldType {
        match self {
            BuiltInFact::PhoneCountry => FieldType::Text,
            _ => FieldType::YesNo,
        }
    }
}

serde_by_name!(BuiltInFact);

/// How enriching one lead went, as a record says it (`enrichment.status`,
/// and per provider).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnrichmentStatus {
    /// Every provider that ran answered.
    Ok,
    /// A provider did not answer in time; the lead went on without it.
    Timeout,
    /// A provider failed or answered garbage; the lead went on without it.
    Error,
    /// Nothing was looked up (no email yet, or lookups are off).
    None,
}

impl EnrichmentStatus {
    /// Every status with its name in records.
    pub const NAMES: &'static [(EnrichmentStatus, &'static str)] = &[
        (EnrichmentStatus::Ok, "ok"),
        (EnrichmentStatus::Timeout, "timeout"),
        (EnrichmentStatus::Error, "error"),
        (EnrichmentStatus::None, "none"),
    ];

    /// The name used in records, e.g. `timeout`.
    pub fn name(self) -> &'static str {
        name_in(Self::NAMES, self)
    }

    /// The status a record names, if any.
    pub fn from_name(name: &str) -> Option<EnrichmentStatus> {
        value_in(Self::NAMES, name)
    }
}

serde_by_name!(EnrichmentStatus);

/// One key of a lead's context: where the lead came from. Conditions read
/// it as `context.<name>`; records carry it under `context`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContextKey {
    /// The page the form was on.
    PageUrl,
    /// The referring page.
    Referrer,
    /// `utm_source` of the page URL.
    UtmSource,
    /// `utm_medium`.
    UtmMedium,
    /// `utm_campaign`.
    UtmCampaign,
    /// `utm_term`.
    UtmTerm,
    /// `utm_content`.
    UtmContent,
    /// The first page of the visitor's first visit (first-touch
    /// attribution, kept by the loader in this browser for 90 days).
    FirstPageUrl,
    /// The referrer of that first page.
    FirstReferrer,
    /// `utm_source` of that first page.
    FirstUtmSource,
    /// `utm_medium` of that first page.
    FirstUtmMedium,
    /// `utm_campaign` of that first page.
    FirstUtmCampaign,
    /// `utm_term` of that first page.
    FirstUtmTerm,
    /// `utm_content` of that first page.
    FirstUtmContent,
    /// When that first page was seen (RFC 3339).
    FirstSeenAt,
}

impl ContextKey {
    /// Every context key with its name, in record order. Each key's value
    /// is a string; the browser reads the UTM keys from the page URL's query
    /// parameter of the same name, and the `first_` keys from the first
    /// touch the loader kept (`first_X` is that visit's `X`).
    pub const NAMES: &'static [(ContextKey, &'static str)] = &[
        (ContextKey::PageUrl, "page_url"),
        (ContextKey::Referrer, "referrer"),
        (ContextKey::UtmSource, "utm_source"),
        (ContextKey::UtmMedium, "utm_medium"),
        (ContextKey::UtmCampaign, "utm_campaign"),
        (ContextKey::UtmTerm, "utm_term"),
        (ContextKey::UtmContent, "utm_content"),
        (ContextKey::FirstPageUrl, "first_page_url"),
        (ContextKey::FirstReferrer, "first_referrer"),
        (ContextKey::FirstUtmSource, "first_utm_source"),
        (ContextKey::FirstUtmMedium, "first_utm_medium"),
        (ContextKey::FirstUtmCampaign, "first_utm_campaign"),
        (ContextKey::FirstUtmTerm, "first_utm_term"),
        (ContextKey::FirstUtmContent, "first_utm_content"),
        (ContextKey::FirstSeenAt, "first_seen_at"),
    ];

    /// The names alone, in the same order: for readers that list the keys
    /// they accept.
    pub const NAME_LIST: [&'static str; ContextKey::NAMES.len()] = {
        let mut names = [""; ContextKey::NAMES.len()];
        let mut i = 0;
        while i < names.len() {
            names[i] = ContextKey::NAMES[i].1;
            i += 1;
        }
        names
    };

    /// The key's name, e.g. `utm_source`.
    pub fn name(self) -> &'static str {
        name_in(Self::NAMES, self)
    }

    /// The key with this name, if any.
    pub fn from_name(name: &str) -> Option<ContextKey> {
        value_in(Self::NAMES, name)
    }

    /// Whether the browser reads this key from the page URL's query
    /// parameter of the same name (the UTM keys).
    pub fn is_query_parameter(self) -> bool {
        self.name().starts_with("utm_")
    }

    /// For a first-touch key (`first_X`), the name `X` it has in the
    /// first touch the loader kept.
    pub fn first_touch_name(self) -> Option<&'static str> {
        self.name().strip_prefix("first_")
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The name conditions read the lead's channel under (`context.channel`).
/// It is not a [`ContextKey`]: the audience gives it, not the page.
pub const CHANNEL_CONTEXT_KEY: &str = "channel";

/// Where the lead came from: the page and its campaign parameters. Every
/// key is optional; conditions read them as `context.<key>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Context {
    values: [Option<String>; ContextKey::NAMES.len()],
}

impl Context {
    /// The value of `key`, if given.
    pub fn get(&self, key: ContextKey) -> Option<&str> {
        self.values[key.index()].as_deref()
    }

    /// Sets (or with `None` clears) the value of `key`.
    pub fn set(&mut self, key: ContextKey, value: Option<String>) {
        self.values[key.index()] = value;
    }

    /// [`Context::set`], returning the context: for building one in place.
    pub fn with(mut self, key: ContextKey, value: impl Into<String>) -> Context {
        self.set(key, Some(value.into()));
        self
    }

    /// Each key with its value, in the order of [`ContextKey::NAMES`].
    pub fn entries(&self) -> impl Iterator<Item = (ContextKey, Option<&str>)> {
        ContextKey::NAMES
            .iter()
            .map(|(key, _)| (*key, self.get(*key)))
    }
}

/// The record form: an object of the keys that have a value, in table order.
impl Serialize for Context {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let given = self.entries().filter(|(_, v)| v.is_some()).count();
        let mut map = s.serialize_map(Some(given))?;
        for (key, value) in self.entries() {
            if let Some(value) = value {
                map.serialize_entry(key.name(), value)?;
            }
        }
        map.end()
    }
}

/// Reads the record form: unknown and repeated keys are errors; `null` is
/// no value.
impl<'de> Deserialize<'de> for Context {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Context, D::Error> {
        struct ContextVisitor;
        impl<'de> Visitor<'de> for ContextVisitor {
            type Value = Context;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of context keys")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Context, A::Error> {
                let mut context = Context::default();
                let mut seen = [false; ContextKey::NAMES.len()];
                while let Some(name) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    let key = ContextKey::from_name(&name).ok_or_else(|| {
                        de::Error::custom(format_args!(
                            "unknown field `{name}`, expected one of {}",
                            quoted_names(ContextKey::NAMES)
                        ))
                    })?;
                    if std::mem::replace(&mut seen[key.index()], true) {
                        return Err(de::Error::custom(format_args!("duplicate field `{name}`")));
                    }
                    context.set(key, map.next_value::<Option<String>>()?);
                }
                Ok(context)
            }
        }
        d.deserialize_map(ContextVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each table lists every value once, at its place, and its names
    /// round-trip through `name`, `from_name` and serde.
    fn check_table<T>(table: &[(T, &'static str)], count: usize)
    where
        T: Copy + PartialEq + fmt::Debug + Serialize + for<'de> Deserialize<'de>,
        T: NamedForTest,
    {
        assert_eq!(table.len(), count, "every value is in the table");
        for (value, name) in table {
            assert_eq!(value.test_name(), *name);
            assert_eq!(T::test_from_name(name), Some(*value));
            assert_eq!(
                serde_json::to_value(value).unwrap(),
                serde_json::json!(name)
            );
            assert_eq!(
                serde_json::from_value::<T>(serde_json::json!(name)).unwrap(),
                *value
            );
        }
        assert_eq!(T::test_from_name("nope"), None);
        let err = serde_json::from_value::<T>(serde_json::json!("nope")).unwrap_err();
        assert!(
            err.to_string().starts_with(&format!(
                "unknown variant `nope`, expected one of `{}`",
                table[0].1
            )),
            "{err}"
        );
    }

    trait NamedForTest: Sized {
        fn test_name(self) -> &'static str;
        fn test_from_name(name: &str) -> Option<Self>;
    }
    macro_rules! named_for_test {
        ($($t:ty),*) => {$(
            impl NamedForTest for $t {
                fn test_name(self) -> &'static str { self.name() }
                fn test_from_name(name: &str) -> Option<Self> { <$t>::from_name(name) }
            }
        )*};
    }
    named_for_test!(
        FieldType,
        Audience,
        Channel,
        Status,
        WebhookEncoding,
        Stage,
        ProviderKind,
        BuiltInFact,
        EnrichmentStatus
    );

    #[test]
    fn every_vocabulary_table_is_complete_and_round_trips() {
        check_table(FieldType::NAMES, 9);
        check_table(Audience::NAMES, 2);
        check_table(Channel::NAMES, 2);
        check_table(Status::NAMES, 3);
        check_table(WebhookEncoding::NAMES, 2);
        check_table(Stage::NAMES, 5);
        check_table(ProviderKind::NAMES, 2);
        check_table(BuiltInFact::NAMES, 4);
        check_table(EnrichmentStatus::NAMES, 4);
        for (audience, _) in Audience::NAMES {
            assert_eq!(Channel::from(*audience).audience(), *audience);
        }
        assert_eq!(Audience::Form.channel(), "web_form");
    }

    #[test]
    fn context_keys_sit_at_their_index_and_round_trip() {
        for (i, (key, name)) in ContextKey::NAMES.iter().enumerate() {
            assert_eq!(key.index(), i, "{name} is out of place");
            assert_eq!(key.name(), *name);
            assert_eq!(ContextKey::from_name(name), Some(*key));
            assert_eq!(ContextKey::NAME_LIST[i], *name);
        }
        assert_eq!(ContextKey::from_name(CHANNEL_CONTEXT_KEY), None);
        assert!(ContextKey::UtmTerm.is_query_parameter());
        assert!(!ContextKey::Referrer.is_query_parameter());
        assert!(!ContextKey::FirstUtmTerm.is_query_parameter());
        assert_eq!(
            ContextKey::FirstUtmTerm.first_touch_name(),
            Some("utm_term")
        );
        assert_eq!(ContextKey::FirstSeenAt.first_touch_name(), Some("seen_at"));
        assert_eq!(ContextKey::UtmTerm.first_touch_name(), None);
    }

    #[test]
    fn a_context_reads_and_writes_its_record_form() {
        let context = Context::default()
            .with(ContextKey::UtmSource, "ads")
            .with(ContextKey::PageUrl, "https://example.com/");
        let json = serde_json::to_string(&context).unwrap();
        assert_eq!(
            json,
            r#"{"page_url":"https://example.com/","utm_source":"ads"}"#
        );
        assert_eq!(serde_json::from_str::<Context>(&json).unwrap(), context);
        let nulls: Context = serde_json::from_str(r#"{"referrer":null}"#).unwrap();
        assert_eq!(nulls, Context::default());
        let unknown = serde_json::from_str::<Context>(r#"{"nope":"x"}"#).unwrap_err();
        assert!(unknown
            .to_string()
            .starts_with("unknown field `nope`, expected one of `page_url`"));
        let twice = serde_json::from_str::<Context>(r#"{"referrer":"a","referrer":"b"}"#);
        assert!(twice
            .unwrap_err()
            .to_string()
            .starts_with("duplicate field `referrer`"));
        assert!(serde_json::from_str::<Context>(r#"{"referrer":1}"#).is_err());
        assert!(serde_json::from_str::<Context>(r#"[]"#).is_err());
    }
}
