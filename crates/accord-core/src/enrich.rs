//! Enrichment: what is known about a lead besides its answers
//! (`docs/rulebook.md`, "Enrichment").
//!
//! A rulebook's `enrichment` declares attributes (conditions read them as
//! `enriched.<id>`) and providers that fill them, tried in order. This
//! module is the pure part, the same in the browser and natively:
//!
//! - the built-in provider's facts, worked out offline from the answers
//!   ([`built_in`]): free-mail, disposable and role addresses, and a phone
//!   number's country from its calling code;
//! - an `http` provider's URL for a lead ([`lookup_url`]) and reading its
//!   JSON answer into typed attribute values ([`read_lookup`]), where
//!   anything that is not what the attribute declares is dropped;
//! - the [`Snapshot`] a record keeps: the values, which provider gave each,
//!   how each provider went, and which questions enrichment answered
//!   ([`Snapshot::fill_answers`]). Verification re-runs the rules from the
//!   snapshot, never from the providers, so a grade stays reproducible
//!   after a provider's data changes.
//!
//! The caller does the looking up (the widget with `fetch`, the CLI with
//! its HTTP client), with its own timeout, and passes each provider's
//! [`Lookup`] in; the core has no I/O and no clock.

use crate::answer::check;
use crate::model::{
    Attribute, BuiltInFact, Enrichment, EnrichmentStatus, FieldType, Link, Provider, ProviderKind,
};
use crate::qualify::{email_domain_of, is_free_mail, Answers};
use crate::rulebook::Rulebook;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};

/// What one provider gave for one lead.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// Values by attribute id, already typed ([`read_lookup`],
    /// [`built_in`]).
    Found(Map<String, Value>),
    /// No answer in time.
    Timeout,
    /// The provider failed or answered garbage: why, for logs.
    Failed(String),
    /// Not asked: what it needs (an email address) is not answered yet.
    Skipped,
}

impl Lookup {
    /// How the lookup went, as a record says it.
    pub fn status(&self) -> EnrichmentStatus {
        match self {
            Lookup::Found(_) => EnrichmentStatus::Ok,
            Lookup::Timeout => EnrichmentStatus::Timeout,
            Lookup::Failed(_) => EnrichmentStatus::Error,
            Lookup::Skipped => EnrichmentStatus::None,
        }
    }
}

/// The enrichment a record keeps (`enrichment` in `docs/record.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// `ok` when every provider that ran answered; otherwise the first
    /// provider's `timeout` or `error`; `none` when none ran.
    pub status: EnrichmentStatus,
    /// When the values were looked up (RFC 3339), from the caller's clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// The attribute values, by attribute id.
    #[serde(default)]
    pub values: Map<String, Value>,
    /// Which provider gave each value: attribute id → provider id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sources: BTreeMap<String, String>,
    /// How each provider went: provider id → status.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub providers: BTreeMap<String, EnrichmentStatus>,
    /// The questions enrichment answered instead of the visitor: field id →
    /// attribute id (`skip_when_enriched`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answered: BTreeMap<String, String>,
}

impl Snapshot {
    /// Nothing looked up.
    pub fn none() -> Snapshot {
        Snapshot {
            status: EnrichmentStatus::None,
            at: None,
            values: Map::new(),
            sources: BTreeMap::new(),
            providers: BTreeMap::new(),
            answered: BTreeMap::new(),
        }
    }

    /// Puts together each provider's lookup, `lookups[i]` being provider
    /// `i`'s (a missing one counts as skipped). An earlier provider's value
    /// wins; a value that does not fit its attribute is dropped.
    pub fn from_lookups(
        enrichment: &Enrichment,
        lookups: &[Lookup],
        at: Option<String>,
    ) -> Snapshot {
        let mut snapshot = Snapshot::none();
        snapshot.at = at;
        let mut statuses = Vec::with_capacity(enrichment.providers.len());
        for (i, provider) in enrichment.providers.iter().enumerate() {
            let lookup = lookups.get(i).unwrap_or(&Lookup::Skipped);
            statuses.push(lookup.status());
            snapshot
                .providers
                .insert(provider.id.clone(), lookup.status());
            let Lookup::Found(values) = lookup else {
                continue;
            };
            for (id, value) in values {
                let typed = enrichment.attribute(id).and_then(|a| typed(a, value));
                if let (Some(value), false) = (typed, snapshot.values.contains_key(id)) {
                    snapshot.values.insert(id.clone(), value);
                    snapshot.sources.insert(id.clone(), provider.id.clone());
                }
            }
        }
        // The first provider that timed out or failed says how it went;
        // else `ok` when any ran, `none` when none did.
        let failed = statuses
            .iter()
            .find(|s| matches!(s, EnrichmentStatus::Timeout | EnrichmentStatus::Error));
        snapshot.status = match failed {
            Some(status) => *status,
            None if statuses.contains(&EnrichmentStatus::Ok) => EnrichmentStatus::Ok,
            None => EnrichmentStatus::None,
        };
        snapshot
    }

    /// Answers each unanswered question whose `skip_when_enriched`
    /// attribute has a value with that value, and notes it in `answered`.
    /// A question the visitor answered keeps the visitor's answer.
    pub fn fill_answers(&mut self, rulebook: &Rulebook, answers: &mut Answers) {
        let fields = &rulebook.doc().fields;
        let mut slots: Vec<Option<Value>> =
            fields.iter().map(|f| answers.get(&f.id).cloned()).collect();
        self.fill_slots(rulebook, &mut slots);
        for (field, slot) in fields.iter().zip(slots) {
            if let Some(value) = slot.filter(|_| self.answered.contains_key(&field.id)) {
                answers.insert(field.id.clone(), value);
            }
        }
    }

    /// [`Snapshot::fill_answers`] for answers in the rulebook's field
    /// order (`slots[i]` answers field `i`), as lead files are read.
    pub fn fill_slots(&mut self, rulebook: &Rulebook, slots: &mut [Option<Value>]) {
        for (field, slot) in rulebook.doc().fields.iter().zip(slots) {
            let Some(attribute) = field.skip_when_enriched.as_deref() else {
                continue;
            };
            let Some(value) = self.values.get(attribute) else {
                continue;
            };
            if matches!(check(field, slot.as_ref()), Ok(Some(_))) {
                continue;
            }
            // A value that is not an answer to the field (from a record's
            // snapshot, say) answers nothing.
            if !matches!(check(field, Some(value)), Ok(Some(_))) {
                continue;
            }
            *slot = Some(value.clone());
            self.answered.insert(field.id.clone(), attribute.to_owned());
        }
    }

    /// What is wrong with a snapshot a record brought, for `rulebook`:
    /// values of attributes it does not declare or of the wrong type,
    /// sources and providers it does not have, answered questions whose
    /// answer is not the attribute's value. Empty when it is consistent.
    pub fn problems(&self, rulebook: &Rulebook, answers: &Answers) -> Vec<String> {
        let mut out = Vec::new();
        let Some(enrichment) = &rulebook.doc().enrichment else {
            out.push("the rulebook declares no enrichment".into());
            return out;
        };
        for (id, value) in &self.values {
            match enrichment.attribute(id) {
                None => out.push(format!(
                    "values.{id}: the rulebook declares no such attribute"
                )),
                Some(a) if typed(a, value).as_ref() != Some(value) => out.push(format!(
                    "values.{id}: {value} is not a {} value of this attribute",
                    a.kind.name()
                )),
                Some(_) => {}
            }
        }
        let known_provider = |id: &str| enrichment.providers.iter().any(|p| p.id == id);
        for (attribute, provider) in &self.sources {
            match enrichment.providers.iter().find(|p| p.id == *provider) {
                None => out.push(format!("sources.{attribute}: no provider `{provider}`")),
                Some(p) if !p.map.contains_key(attribute) => out.push(format!(
                    "sources.{attribute}: provider `{provider}` does not fill it"
                )),
                Some(_) => {}
            }
        }
        // The built-in facts follow from the answers: worked out again, a
        // claimed one must be what they give (a disposable address claimed
        // not to be, a gmail address claimed not free-mail).
        let lists = DomainLists::bundled();
        for provider in enrichment
            .providers
            .iter()
            .filter(|p| p.kind == ProviderKind::BuiltIn)
        {
            let Lookup::Found(facts) = built_in(provider, rulebook, answers, lists) else {
                continue;
            };
            for (id, value) in &self.values {
                let from_here = self.sources.get(id).is_some_and(|s| *s == provider.id);
                if let (true, Some(fact)) = (from_here, facts.get(id)) {
                    if fact != value {
                        out.push(format!(
                            "values.{id}: {value} is not what provider `{}` gives for these answers ({fact})",
                            provider.id
                        ));
                    }
                }
            }
        }
        for provider in self.providers.keys().filter(|p| !known_provider(p)) {
            out.push(format!("providers.{provider}: no such provider"));
        }
        for (field, attribute) in &self.answered {
            let declared = rulebook
                .field(field)
                .and_then(|f| f.skip_when_enriched.as_deref());
            if declared != Some(attribute.as_str()) {
                out.push(format!(
                    "answered.{field}: the field is not answered by attribute `{attribute}`"
                ));
            } else if answers.get(field) != self.values.get(attribute) {
                out.push(format!(
                    "answered.{field}: the answer is not the value of `{attribute}`"
                ));
            }
        }
        out
    }
}

/// `value` as attribute `a` holds it (a number from numeric text, `yes` as
/// `true`, an option's value), or `None` when it does not fit.
pub fn typed(a: &Attribute, value: &Value) -> Option<Value> {
    if !Attribute::KINDS.contains(&a.kind) {
        return None;
    }
    let mut field = a.as_field();
    // Provider text is a fact, not an essay: a long one is garbage.
    field.max_length = Some(MAX_TEXT);
    match check(&field, Some(value)) {
        Ok(Some(data)) => Some(data.to_value()),
        _ => None,
    }
}

/// The longest text value an attribute takes, in characters.
pub const MAX_TEXT: u32 = 200;

/// The first email address among the answers (the address the lookups and
/// the built-in facts read), checked as its field checks it.
pub fn email_of(rulebook: &Rulebook, answers: &Answers) -> Option<String> {
    first_answer(rulebook, answers, FieldType::Email)
}

/// The domain of [`email_of`], in lower case: what `derived.email_domain`
/// holds.
pub fn email_domain(rulebook: &Rulebook, answers: &Answers) -> Option<String> {
    email_domain_of(&email_of(rulebook, answers)?)
}

/// The first phone number among the answers (what `phone_country` reads).
pub fn phone_of(rulebook: &Rulebook, answers: &Answers) -> Option<String> {
    first_answer(rulebook, answers, FieldType::Phone)
}

fn first_answer(rulebook: &Rulebook, answers: &Answers, kind: FieldType) -> Option<String> {
    rulebook
        .doc()
        .fields
        .iter()
        .filter(|f| f.kind == kind)
        .find_map(|f| match check(f, answers.get(&f.id)) {
            Ok(Some(data)) => data.as_str().map(str::to_owned),
            _ => None,
        })
}

/// The URL an `http` provider looks up for this lead, its placeholders
/// filled and URL-encoded; `None` when a placeholder has no value yet (no
/// email answered) or the provider is not `http`. A free-mail domain names
/// no company, so it is never sent to a lookup.
pub fn lookup_url(provider: &Provider, rulebook: &Rulebook, answers: &Answers) -> Option<String> {
    let template = provider
        .url
        .as_deref()
        .filter(|u| Link::is_web_url(u) && Link::host_is_fixed(u))?;
    let domain = email_domain(rulebook, answers).filter(|d| !is_free_mail(d));
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let (name, after) = rest[open + 1..].split_once('}')?;
        let value = match name {
            "derived.email_domain" => domain.as_deref()?,
            _ => return None,
        };
        Link::encode_into(&mut out, value);
        rest = after;
    }
    out.push_str(rest);
    Some(out)
}

/// The most bytes of a lookup's answer that are read: a company profile is
/// a few hundred; more is a wrong endpoint, not data.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Reads an `http` provider's answer (JSON text) into attribute values by
/// its `map` of JSON Pointers. A value that does not fit its attribute is
/// left out; an answer that is not a JSON object, or is too large, fails.
/// An object none of whose pointers find a usable value is found, with no
/// values (the provider knows nothing about this company).
pub fn read_lookup(provider: &Provider, enrichment: &Enrichment, body: &str) -> Lookup {
    if body.len() > MAX_ANSWER_BYTES {
        return Lookup::Failed(format!(
            "the answer has {} bytes, more than the {MAX_ANSWER_BYTES} read",
            body.len()
        ));
    }
    let json: Value = match serde_json::from_str(body) {
        Ok(json) => json,
        Err(e) => return Lookup::Failed(format!("the answer is not JSON: {e}")),
    };
    read_lookup_value(provider, enrichment, &json)
}

/// [`read_lookup`] for an answer already parsed.
pub fn read_lookup_value(provider: &Provider, enrichment: &Enrichment, json: &Value) -> Lookup {
    if !json.is_object() {
        return Lookup::Failed("the answer is not a JSON object".into());
    }
    let mut values = Map::new();
    for (id, pointer) in &provider.map {
        let found = json.pointer(pointer).filter(|v| !v.is_null());
        let typed = found.and_then(|v| enrichment.attribute(id).and_then(|a| typed(a, v)));
        if let Some(v) = typed {
            values.insert(id.clone(), v);
        }
    }
    Lookup::Found(values)
}

/// The built-in provider's facts for this lead, by its `map`; skipped
/// when the lead has neither an email address nor a phone number yet.
pub fn built_in(
    provider: &Provider,
    rulebook: &Rulebook,
    answers: &Answers,
    lists: &DomainLists,
) -> Lookup {
    if provider.kind != ProviderKind::BuiltIn {
        return Lookup::Skipped;
    }
    let email = email_of(rulebook, answers);
    let phone = phone_of(rulebook, answers);
    if email.is_none() && phone.is_none() {
        return Lookup::Skipped;
    }
    let mut values = Map::new();
    for (id, name) in &provider.map {
        let Some(fact) = BuiltInFact::from_name(name) else {
            continue;
        };
        let value = match fact {
            BuiltInFact::PhoneCountry => phone
                .as_deref()
                .and_then(phone_country)
                .map(|c| Value::String(c.into())),
            _ => email.as_deref().and_then(|email| {
                // A checked address always has its `@`.
                let local = email.rsplit_once('@').map_or("", |(local, _)| local);
                let domain = email_domain_of(email).unwrap_or_default();
                match fact {
                    BuiltInFact::FreeMail => Some(is_free_mail(&domain)),
                    // Without its list (the widget could not fetch it), not known.
                    BuiltInFact::DisposableEmail => {
                        (lists.disposable_len() > 0).then(|| lists.is_disposable(&domain))
                    }
                    _ => Some(is_role_address(local)),
                }
                .map(Value::Bool)
            }),
        };
        if let Some(value) = value {
            values.insert(id.clone(), value);
        }
    }
    Lookup::Found(values)
}

/// Domains that hand out throwaway addresses. The list is data, not code
/// (`data/enrichment/`, with its licence and `scripts/refresh-enrichment-data`):
/// the CLI compiles it in, the widget fetches it only for a rulebook that
/// asks for `disposable_email`, so it costs a landing page nothing
/// otherwise.
#[derive(Debug, Clone, Default)]
pub struct DomainLists {
    disposable: HashSet<String>,
}

impl DomainLists {
    /// Reads the disposable-domain list: one domain per line; blank lines
    /// and lines starting with `#` are skipped.
    pub fn from_disposable_text(text: &str) -> DomainLists {
        DomainLists {
            disposable: text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_ascii_lowercase)
                .collect(),
        }
    }

    /// The list as `scripts/refresh-enrichment-data` last wrote it,
    /// compiled into native builds (the CLI, the inbox, verification), which
    /// have no page to fetch it from. The widget fetches the same file
    /// instead, so its 50 KB never sit in the wasm: there this is empty.
    /// Read once per process.
    pub fn bundled() -> &'static DomainLists {
        static LISTS: std::sync::OnceLock<DomainLists> = std::sync::OnceLock::new();
        LISTS.get_or_init(|| {
            #[cfg(not(target_arch = "wasm32"))]
            let lists = DomainLists::from_disposable_text(include_str!(
                "../../../static/enrichment/disposable-domains.txt"
            ));
            #[cfg(target_arch = "wasm32")]
            let lists = DomainLists::default();
            lists
        })
    }

    /// How many disposable domains the list holds.
    pub fn disposable_len(&self) -> usize {
        self.disposable.len()
    }

    /// Whether `domain`, or a domain it is under, is disposable.
    pub fn is_disposable(&self, domain: &str) -> bool {
        let mut rest = domain;
        loop {
            if self.disposable.contains(rest) {
                return true;
            }
            match rest.split_once('.') {
                Some((_, parent)) if parent.contains('.') => rest = parent,
                _ => return false,
            }
        }
    }
}

/// Whether a rulebook's enrichment asks for the disposable-domain list.
pub fn needs_disposable_list(enrichment: &Enrichment) -> bool {
    enrichment
        .providers
        .iter()
        .filter(|p| p.kind == ProviderKind::BuiltIn)
        .flat_map(|p| p.map.values())
        .any(|name| BuiltInFact::from_name(name) == Some(BuiltInFact::DisposableEmail))
}

/// Local parts that reach a role or a team, not a person.
const ROLE_LOCAL_PARTS: &[&str] = &[
    "accounts",
    "admin",
    "billing",
    "careers",
    "contact",
    "enquiries",
    "finance",
    "hello",
    "help",
    "hr",
    "info",
    "inquiries",
    "jobs",
    "legal",
    "mail",
    "marketing",
    "media",
    "no-reply",
    "noreply",
    "office",
    "orders",
    "postmaster",
    "press",
    "privacy",
    "purchasing",
    "reception",
    "sales",
    "security",
    "service",
    "support",
    "team",
    "webmaster",
];

/// Whether an address's local part names a role (`info`, `sales+web`).
pub fn is_role_address(local: &str) -> bool {
    let local = local
        .split('+')
        .next()
        .unwrap_or(local)
        .to_ascii_lowercase();
    ROLE_LOCAL_PARTS.contains(&local.as_str())
}

/// Calling codes and their countries (ISO 3166 alpha-2), as one string of
/// `<code><country>` words: a table of pairs would cost the widget's wasm
/// two pointers and two lengths per row, where this is its bytes.
/// Shared codes: `+1` is the United States unless the area code is
/// Canada's ([`CANADA_AREA_CODES`]); `+7` is Russia unless it is
/// Kazakhstan's `6` or `7`. Other members of shared plans read as the
/// plan's main country.
const CALLING_CODES: &str = "1US 7RU 20EG 27ZA 30GR 31NL 32BE 33FR 34ES 36HU 39IT 40RO \
41CH 43AT 44GB 45DK 46SE 47NO 48PL 49DE 51PE 52MX 53CU 54AR 55BR 56CL 57CO 58VE 60MY \
61AU 62ID 63PH 64NZ 65SG 66TH 81JP 82KR 84VN 86CN 90TR 91IN 92PK 93AF 94LK 95MM 98IR \
211SS 212MA 213DZ 216TN 218LY 220GM 221SN 222MR 223ML 224GN 225CI 226BF 227NE 228TG \
229BJ 230MU 231LR 232SL 233GH 234NG 235TD 236CF 237CM 238CV 239ST 240GQ 241GA 242CG \
243CD 244AO 245GW 246IO 248SC 249SD 250RW 251ET 252SO 253DJ 254KE 255TZ 256UG 257BI \
258MZ 260ZM 261MG 262RE 263ZW 264NA 265MW 266LS 267BW 268SZ 269KM 290SH 291ER 297AW \
298FO 299GL 350GI 351PT 352LU 353IE 354IS 355AL 356MT 357CY 358FI 359BG 370LT 371LV \
372EE 373MD 374AM 375BY 376AD 377MC 378SM 380UA 381RS 382ME 383XK 385HR 386SI 387BA \
389MK 420CZ 421SK 423LI 500FK 501BZ 502GT 503SV 504HN 505NI 506CR 507PA 508PM 509HT \
590GP 591BO 592GY 593EC 594GF 595PY 596MQ 597SR 598UY 599CW 670TL 672NF 673BN 674NR \
675PG 676TO 677SB 678VU 679FJ 680PW 681WF 682CK 683NU 685WS 686KI 687NC 688TV 689PF \
690TK 691FM 692MH 850KP 852HK 853MO 855KH 856LA 880BD 886TW 960MV 961LB 962JO 963SY \
964IQ 965KW 966SA 967YE 968OM 970PS 971AE 972IL 973BH 974QA 975BT 976MN 977NP 992TJ \
993TM 994AZ 995GE 996KG 998UZ";

/// Canada's area codes within `+1`.
const CANADA_AREA_CODES: &str = "204 226 236 249 250 263 289 306 343 354 365 367 368 382 \
403 416 418 428 431 437 438 450 468 474 506 514 519 548 579 581 584 587 604 613 639 647 \
672 683 705 709 742 753 778 780 782 807 819 825 867 873 879 902 905";

/// The country of a phone number written internationally (`+49 30 …`,
/// `0049 30 …`), from its calling code; `None` for a national number,
/// which does not say.
pub fn phone_country(phone: &str) -> Option<&'static str> {
    let phone = phone.trim();
    let international = phone
        .strip_prefix('+')
        .or_else(|| phone.strip_prefix("00"))?;
    let digits: String = international
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '/'))
        .take_while(char::is_ascii_digit)
        .take(4)
        .collect();
    for len in (1..=3).rev() {
        let Some(code) = digits.get(..len) else {
            continue;
        };
        let country = CALLING_CODES.split(' ').find_map(|word| {
            word.strip_prefix(code)
                .filter(|cc| cc.len() == 2 && cc.bytes().all(|b| b.is_ascii_uppercase()))
        });
        let Some(country) = country else { continue };
        let area = digits.get(len..len + 3);
        return Some(match (code, area) {
            ("1", Some(area)) if CANADA_AREA_CODES.split(' ').any(|c| c == area) => "CA",
            ("7", Some(area)) if area.starts_with('6') || area.starts_with('7') => "KZ",
            _ => country,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rulebook() -> Rulebook {
        Rulebook::from_value(&json!({
            "accord": 1, "id": "t", "version": "1", "title": "T",
            "fields": [
                {"id": "email", "label": "Email", "type": "email"},
                {"id": "phone", "label": "Phone", "type": "phone"},
                {"id": "size", "label": "Size", "type": "number", "skip_when_enriched": "employees"}
            ],
            "grades": [{"id": "any", "label": "Any"}],
            "enrichment": {
                "attributes": [
                    {"id": "employees", "label": "Employees", "type": "number"},
                    {"id": "industry", "label": "Industry", "type": "choice", "options": [{"value": "software"}, {"value": "retail"}]},
                    {"id": "free", "label": "Free mail", "type": "yes_no"},
                    {"id": "throwaway", "label": "Disposable", "type": "yes_no"},
                    {"id": "role", "label": "Role address", "type": "yes_no"},
                    {"id": "country", "label": "Country", "type": "text"}
                ],
                "providers": [
                    {"id": "offline", "kind": "built_in", "map": {"free": "free_mail", "throwaway": "disposable_email", "role": "role_address", "country": "phone_country"}},
                    {"id": "crm", "kind": "http", "url": "https://enrich.example.com/v1/company?domain={derived.email_domain}", "map": {"employees": "/company/employees", "industry": "/company/industry", "country": "/country"}}
                ]
            }
        }))
        .unwrap()
    }

    fn answers(v: Value) -> Answers {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn calling_codes_give_the_country_and_national_numbers_give_none() {
        assert_eq!(phone_country("+49 30 1234567"), Some("DE"));
        assert_eq!(phone_country("0049 30 1234567"), Some("DE"));
        assert_eq!(phone_country("+44 20 7946 0958"), Some("GB"));
        assert_eq!(phone_country("+353 1 555 0100"), Some("IE"));
        assert_eq!(phone_country("+1 (416) 555-0100"), Some("CA"));
        assert_eq!(phone_country("+1 212 555 0100"), Some("US"));
        assert_eq!(phone_country("+7 727 000 0000"), Some("KZ"));
        assert_eq!(phone_country("+7 495 000 0000"), Some("RU"));
        assert_eq!(phone_country("+886 2 0000 0000"), Some("TW"));
        assert_eq!(phone_country("030 1234567"), None);
        assert_eq!(phone_country("+999 1"), None);
        assert_eq!(phone_country("+"), None);
        // Every word of the table is a code and a two-letter country.
        for word in CALLING_CODES.split(' ') {
            let (code, cc) = word.split_at(word.len() - 2);
            assert!(
                !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()),
                "{word}"
            );
            assert!(cc.bytes().all(|b| b.is_ascii_uppercase()), "{word}");
        }
    }

    #[test]
    fn role_addresses_are_teams_not_people() {
        assert!(is_role_address("info"));
        assert!(is_role_address("Sales+web"));
        assert!(!is_role_address("ada"));
        assert!(!is_role_address("salesforce"));
    }

    #[test]
    fn disposable_domains_match_themselves_and_their_subdomains() {
        let lists = DomainLists::from_disposable_text("# comment\nmailinator.com\n\nYopmail.com\n");
        assert_eq!(lists.disposable_len(), 2);
        assert!(lists.is_disposable("mailinator.com"));
        assert!(lists.is_disposable("eu.mailinator.com"));
        assert!(lists.is_disposable("yopmail.com"));
        assert!(!lists.is_disposable("com"));
        assert!(!lists.is_disposable("notmailinator.com"));
    }

    #[test]
    fn the_built_in_provider_works_out_its_facts_from_the_answers() {
        let rb = rulebook();
        let provider = &rb.doc().enrichment.as_ref().unwrap().providers[0];
        let lists = DomainLists::from_disposable_text("mailinator.com");
        let lead = answers(json!({"email": "info@Mailinator.com", "phone": "+33 1 23 45 67 89"}));
        assert_eq!(
            built_in(provider, &rb, &lead, &lists),
            Lookup::Found(answers(
                json!({"free": false, "throwaway": true, "role": true, "country": "FR"})
            ))
        );
        let lead = answers(json!({"email": "ada@gmail.com"}));
        assert_eq!(
            built_in(provider, &rb, &lead, &lists),
            Lookup::Found(answers(
                json!({"free": true, "throwaway": false, "role": false})
            ))
        );
        assert_eq!(
            built_in(provider, &rb, &answers(json!({"email": "nope"})), &lists),
            Lookup::Skipped
        );
    }

    #[test]
    fn a_lookup_url_waits_for_its_placeholder_and_encodes_it() {
        let rb = rulebook();
        let provider = &rb.doc().enrichment.as_ref().unwrap().providers[1];
        assert_eq!(lookup_url(provider, &rb, &answers(json!({}))), None);
        assert_eq!(
            lookup_url(provider, &rb, &answers(json!({"email": "ada@gmail.com"}))),
            None
        );
        assert_eq!(
            lookup_url(
                provider,
                &rb,
                &answers(json!({"email": "ada@ACME.example"}))
            )
            .as_deref(),
            Some("https://enrich.example.com/v1/company?domain=acme%2Eexample")
        );
    }

    #[test]
    fn a_lookup_answer_keeps_only_values_that_fit_their_attributes() {
        let rb = rulebook();
        let enrichment = rb.doc().enrichment.as_ref().unwrap();
        let provider = &enrichment.providers[1];
        let found = read_lookup(
            provider,
            enrichment,
            r#"{"company": {"employees": "250", "industry": "mining"}, "country": "DE"}"#,
        );
        assert_eq!(
            found,
            Lookup::Found(answers(json!({"employees": 250, "country": "DE"})))
        );
        let long = format!(r#"{{"country": "{}"}}"#, "x".repeat(MAX_TEXT as usize + 1));
        assert_eq!(
            read_lookup(provider, enrichment, &long),
            Lookup::Found(Map::new())
        );
        assert!(matches!(
            read_lookup(provider, enrichment, "<html>"),
            Lookup::Failed(_)
        ));
        assert!(matches!(
            read_lookup(provider, enrichment, "[1]"),
            Lookup::Failed(_)
        ));
        let huge = format!(r#"{{"pad": "{}"}}"#, " ".repeat(MAX_ANSWER_BYTES));
        assert!(matches!(
            read_lookup(provider, enrichment, &huge),
            Lookup::Failed(_)
        ));
    }

    #[test]
    fn a_snapshot_keeps_the_first_providers_value_and_the_worst_status() {
        let rb = rulebook();
        let enrichment = rb.doc().enrichment.as_ref().unwrap();
        let lookups = [
            Lookup::Found(answers(json!({"country": "FR", "free": false}))),
            Lookup::Found(answers(json!({"country": "DE", "employees": 40}))),
        ];
        let s = Snapshot::from_lookups(enrichment, &lookups, Some("2026-11-30T12:00:00Z".into()));
        assert_eq!(s.status, EnrichmentStatus::Ok);
        assert_eq!(
            s.values,
            answers(json!({"country": "FR", "free": false, "employees": 40}))
        );
        assert_eq!(s.sources["country"], "offline");
        assert_eq!(s.sources["employees"], "crm");

        let s = Snapshot::from_lookups(enrichment, &[Lookup::Skipped, Lookup::Timeout], None);
        assert_eq!(s.status, EnrichmentStatus::Timeout);
        assert_eq!(s.providers["offline"], EnrichmentStatus::None);
        let s = Snapshot::from_lookups(enrichment, &[], None);
        assert_eq!(s.status, EnrichmentStatus::None);
        let s = Snapshot::from_lookups(
            enrichment,
            &[Lookup::Found(Map::new()), Lookup::Failed("HTTP 500".into())],
            None,
        );
        assert_eq!(s.status, EnrichmentStatus::Error);
    }

    #[test]
    fn enrichment_answers_only_unanswered_questions_and_says_so() {
        let rb = rulebook();
        let enrichment = rb.doc().enrichment.as_ref().unwrap();
        let found = [
            Lookup::Skipped,
            Lookup::Found(answers(json!({"employees": 300}))),
        ];
        let mut s = Snapshot::from_lookups(enrichment, &found, None);
        let mut lead = answers(json!({"email": "ada@acme.example"}));
        s.fill_answers(&rb, &mut lead);
        assert_eq!(lead["size"], json!(300));
        assert_eq!(s.answered["size"], "employees");
        assert!(
            s.problems(&rb, &lead).is_empty(),
            "{:?}",
            s.problems(&rb, &lead)
        );

        let mut s = Snapshot::from_lookups(enrichment, &found, None);
        let mut typed = answers(json!({"size": "12"}));
        s.fill_answers(&rb, &mut typed);
        assert_eq!(typed["size"], json!("12"));
        assert!(s.answered.is_empty());

        // A record that claims enrichment answered with another value.
        let mut forged = Snapshot::from_lookups(enrichment, &found, None);
        forged.answered.insert("size".into(), "employees".into());
        let problems = forged.problems(&rb, &answers(json!({"size": 5})));
        assert_eq!(
            problems,
            ["answered.size: the answer is not the value of `employees`"]
        );
        forged.values.insert("employees".into(), json!("many"));
        forged.values.insert("revenue".into(), json!(1));
        forged.sources.insert("employees".into(), "someone".into());
        assert_eq!(
            forged.problems(&rb, &answers(json!({"size": "many"}))),
            [
                "values.employees: \"many\" is not a number value of this attribute",
                "values.revenue: the rulebook declares no such attribute",
                "sources.employees: no provider `someone`",
            ]
        );
    }
}
