//! Rulebook validation: shape, ids, references, conditions and types.
//!
//! Validation reads the document once and collects every error it can find.
//! Each array item is read on its own, so one malformed field does not hide
//! the errors of the others, and indices in paths stay true.

use crate::compiled::Compiled;
use crate::conditions::{self, always_true, Names, Stage};
use crate::decode::{self, Decoder};
use crate::error::{RulebookError, RulebookErrorKind as Kind};
use crate::model::*;
use accord_logic::js::number_to_string;
use accord_logic::Logic;
use serde_json::Value;
use std::collections::HashMap;

/// The prefix of the names of a form's own inputs (`accord_rulebook`,
/// `accord_version`, `accord_submission_id`, the honeypot `accord_website`),
/// which no field id may take.
pub const FORM_OWN_PREFIX: &str = "accord_";

pub(crate) fn validate(doc: &Value) -> Result<(RulebookDoc, Compiled), Vec<RulebookError>> {
    let mut d = Decoder::default();
    let Some(top) = decode::open(&mut d, doc) else {
        return Err(d.errors);
    };
    let mut parts = decode::parts(&mut d, &top);
    decode::read_fixtures(&mut d, &top, &mut parts);
    let mut v = Validator { errors: d.errors };
    if let Some(id) = &parts.id {
        v.check_id("id", id);
    }
    let ctx = Names::new(&parts, top.map());

    let show_if = v.check_fields(&ctx, &parts.fields);
    if let Some(attributes) = &parts.attributes {
        v.check_enrichment(attributes, &parts.providers);
    }
    v.check_skips(&ctx, &parts.fields, parts.attributes.is_some());
    v.check_steps(&ctx, &parts.steps);
    let criteria = v.check_scores(&ctx, &parts.scores);
    let knockout_logic = v.check_knockouts(&ctx, &parts.knockouts);
    let grade_logic = v.check_grades(&ctx, &parts.grades);
    let route_logic = v.check_routes(&ctx, &parts.routes);
    v.check_destinations(&ctx, &parts.destinations, &parts.routes);
    if let Some(url) = &parts.report_endpoint {
        v.check_url("report_endpoint", None, url, true);
    }
    if let Some(tag) = parts
        .locale
        .as_deref()
        .filter(|t| !crate::strings::is_locale_tag(t))
    {
        v.invalid(
            "locale",
            None,
            format!("`{tag}` is not a language tag such as `de` or `pt-BR`"),
        );
    }
    for (id, text) in &parts.strings {
        if let Some(why) = crate::strings::check_translation(id, text) {
            v.invalid(&format!("strings.{id}"), None, why);
        }
    }
    for (i, sign_off) in parts.agreed_by.iter().enumerate() {
        let hash = sign_off.as_ref().and_then(|a| a.sha256.as_deref());
        if let Some(hash) = hash.filter(|h| !crate::agreement::is_sha256(h)) {
            v.invalid(
                &format!("agreed_by[{i}].sha256"),
                None,
                format!("`{hash}` is not a SHA-256: 64 lower-case hex digits"),
            );
        }
    }
    v.check_fixtures(&ctx, &parts.fixtures, &parts.knockouts, &parts.routes);
    if let Some(feedback) = &parts.feedback {
        let mut seen = HashMap::new();
        for (i, r) in feedback.reject_reasons.iter().enumerate() {
            v.unique(
                &mut seen,
                &format!("feedback.reject_reasons[{i}].id"),
                &r.id,
            );
        }
    }

    if !v.errors.is_empty() {
        return Err(v.errors);
    }
    drop(ctx);
    // `None` only when a missing key was reported above.
    let doc = parts.into_doc().ok_or(v.errors)?;
    let compiled = Compiled::new(
        &doc,
        show_if,
        criteria,
        knockout_logic,
        grade_logic,
        route_logic,
    );
    Ok((doc, compiled))
}

#[derive(Default)]
struct Validator {
    errors: Vec<RulebookError>,
}

impl Validator {
    fn push(&mut self, path: &str, id: Option<&str>, kind: Kind) {
        self.errors.push(RulebookError {
            path: path.to_owned(),
            id: id.map(str::to_owned),
            kind,
        });
    }

    fn check_id(&mut self, path: &str, id: &str) -> bool {
        let ok = !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !ok {
            self.push(path, Some(id), Kind::BadId { id: id.to_owned() });
            return false;
        }
        if JS_OBJECT_KEYS.contains(&id) {
            self.push(
                path,
                Some(id),
                Kind::ReservedId {
                    id: id.to_owned(),
                    why: JS_OBJECT_KEYS_WHY,
                },
            );
            return false;
        }
        true
    }

    fn unique(&mut self, seen: &mut HashMap<String, String>, path: &str, id: &str) {
        if !self.check_id(path, id) {
            return;
        }
        if let Some(first) = seen.get(id) {
            let first = first.clone();
            self.push(
                path,
                Some(id),
                Kind::DuplicateId {
                    id: id.to_owned(),
                    first,
                },
            );
        } else {
            seen.insert(id.to_owned(), path.to_owned());
        }
    }

    fn check_fields(&mut self, ctx: &Names, fields: &[Option<Field>]) -> Vec<Option<Logic>> {
        let mut seen = HashMap::new();
        let mut compiled = Vec::new();
        for (i, field) in fields.iter().enumerate() {
            let Some(f) = field else { continue };
            let at = format!("fields[{i}]");
            let id = Some(f.id.as_str());
            self.unique(&mut seen, &format!("{at}.id"), &f.id);
            if RESERVED_ROOTS.contains(&f.id.as_str()) {
                self.push(&format!("{at}.id"), id, Kind::ReservedId {
                    id: f.id.clone(),
                    why: "conditions read `context`, `derived`, `enriched`, `score` and `grade` by these names",
                });
            }
            if f.id.starts_with(FORM_OWN_PREFIX) {
                self.push(&format!("{at}.id"), id, Kind::ReservedId {
                    id: f.id.clone(),
                    why: "the form's own inputs (its rulebook, version, submission id and honeypot) are named `accord_…`, and a form post is read by name",
                });
            }
            self.check_options(&at, id, (f.kind, "field"), &f.options);
            if f.multiline && f.kind != FieldType::Text {
                self.invalid(
                    &format!("{at}.multiline"),
                    id,
                    format!(
                        "multiline applies to text fields, not a {} field",
                        f.kind.name()
                    ),
                );
            }
            if let (Some(min), Some(max)) = (f.min, f.max) {
                if min > max {
                    self.invalid(
                        &format!("{at}.min"),
                        id,
                        format!(
                            "min {} is above max {}",
                            number_to_string(min),
                            number_to_string(max)
                        ),
                    );
                }
            }
            if (f.min.is_some() || f.max.is_some()) && f.kind != FieldType::Number {
                self.invalid(&at, id, "min and max apply to number fields only".into());
            }
            if f.kind != FieldType::Hidden && (f.param.is_some() || f.value.is_some()) {
                self.invalid(
                    &at,
                    id,
                    "param and value apply to hidden fields only".into(),
                );
            }
            if f.kind == FieldType::Hidden && f.required {
                self.invalid(
                    &format!("{at}.required"),
                    id,
                    "a hidden field cannot be required".into(),
                );
            }
            if f.ask.is_empty() {
                self.invalid(
                    &format!("{at}.ask"),
                    id,
                    "ask needs `form`, `call` or both".into(),
                );
            }
            compiled.push(f.show_if.as_ref().map(|rule| {
                self.condition(ctx, &format!("{at}.show_if"), id, rule, Stage::ShowIf(i))
            }));
        }
        compiled
    }

    /// The `enrichment` section: attribute ids and types, each provider's
    /// kind, URL and map, and that every attribute has a provider.
    fn check_enrichment(
        &mut self,
        attributes: &[Option<Attribute>],
        providers: &[Option<Provider>],
    ) {
        let mut seen = HashMap::new();
        for (i, a) in attributes.iter().enumerate() {
            let Some(a) = a else { continue };
            let at = format!("enrichment.attributes[{i}]");
            let id = Some(a.id.as_str());
            self.unique(&mut seen, &format!("{at}.id"), &a.id);
            if !Attribute::KINDS.contains(&a.kind) {
                self.invalid(
                    &format!("{at}.type"),
                    id,
                    format!(
                        "an attribute is {}, not {}",
                        quoted(Attribute::KINDS.iter().map(|k| k.name())),
                        a.kind.name()
                    ),
                );
            }
            self.check_options(&at, id, (a.kind, "attribute"), &a.options);
        }
        let known = |id: &str| attributes.iter().flatten().find(|a| a.id == id);
        let mut filled = std::collections::HashSet::new();
        let mut seen = HashMap::new();
        for (i, p) in providers.iter().enumerate() {
            let Some(p) = p else { continue };
            let at = format!("enrichment.providers[{i}]");
            let id = Some(p.id.as_str());
            self.unique(&mut seen, &format!("{at}.id"), &p.id);
            match (p.kind, &p.url) {
                (ProviderKind::Http, None) => {
                    self.invalid(&at, id, "an http provider needs a url".into())
                }
                (ProviderKind::Http, Some(url)) => {
                    self.check_lookup_url(&format!("{at}.url"), id, url)
                }
                (ProviderKind::BuiltIn, Some(_)) => self.invalid(
                    &format!("{at}.url"),
                    id,
                    "a built_in provider looks nothing up: url applies to http providers".into(),
                ),
                (ProviderKind::BuiltIn, None) => {}
            }
            match (p.kind, p.timeout_ms) {
                (ProviderKind::BuiltIn, Some(_)) => self.invalid(
                    &format!("{at}.timeout_ms"),
                    id,
                    "timeout_ms applies to http providers".into(),
                ),
                (ProviderKind::Http, Some(ms)) if ms == 0 || ms > Provider::MAX_TIMEOUT_MS => self
                    .invalid(
                        &format!("{at}.timeout_ms"),
                        id,
                        format!(
                            "{ms} ms is outside 1–{} ms: a visitor never waits longer on a lookup",
                            Provider::MAX_TIMEOUT_MS
                        ),
                    ),
                _ => {}
            }
            if p.map.is_empty() {
                self.invalid(
                    &format!("{at}.map"),
                    id,
                    "the map names no attribute".into(),
                );
            }
            for (attribute, from) in &p.map {
                let path = format!("{at}.map.{attribute}");
                let Some(a) = known(attribute) else {
                    self.push(
                        &path,
                        id,
                        Kind::UnknownReference {
                            what: "attribute",
                            id: attribute.clone(),
                        },
                    );
                    continue;
                };
                filled.insert(a.id.as_str());
                match p.kind {
                    ProviderKind::BuiltIn => match BuiltInFact::from_name(from) {
                        None => self.invalid(
                            &path,
                            id,
                            format!(
                                "unknown built-in fact `{from}`, expected one of {}",
                                quoted_names(BuiltInFact::NAMES)
                            ),
                        ),
                        Some(fact) if fact.kind() != a.kind => self.invalid(
                            &path,
                            id,
                            format!(
                                "`{from}` is {}, but attribute `{attribute}` is {}",
                                fact.kind().name(),
                                a.kind.name()
                            ),
                        ),
                        Some(_) => {}
                    },
                    ProviderKind::Http => {
                        if !(from.is_empty() || from.starts_with('/')) {
                            self.invalid(
                                &path,
                                id,
                                format!(
                                    "`{from}` is not a JSON Pointer such as `/company/employees`"
                                ),
                            );
                        }
                    }
                }
            }
        }
        for (i, a) in attributes.iter().enumerate() {
            if let Some(a) = a.as_ref().filter(|a| !filled.contains(a.id.as_str())) {
                self.invalid(
                    &format!("enrichment.attributes[{i}]"),
                    Some(&a.id),
                    "no provider's map fills this attribute".into(),
                );
            }
        }
    }

    /// An http provider's URL: absolute, no secret, and placeholders only
    /// from [`Provider::PLACEHOLDERS`], after the host name.
    fn check_lookup_url(&mut self, path: &str, id: Option<&str>, url: &str) {
        self.check_fixed_host(path, id, url);
        if url.matches('{').count() != url.matches('}').count() {
            self.invalid(
                path,
                id,
                "a `{` without its `}` (or the other way round)".into(),
            );
        }
        // A lookup is of the lead's company: a URL that names none would
        // fetch the same thing for every lead, or something else entirely.
        if !Link::placeholders(url).any(|p| Provider::PLACEHOLDERS.contains(&p)) {
            self.invalid(
                path,
                id,
                format!(
                    "a lookup URL names the company with {}",
                    quoted(Provider::PLACEHOLDERS.iter().map(|p| &**p))
                ),
            );
        }
        for name in Link::placeholders(url) {
            if !Provider::PLACEHOLDERS.contains(&name) {
                self.invalid(
                    path,
                    id,
                    format!(
                        "unknown placeholder `{{{name}}}`: use {}",
                        quoted(Provider::PLACEHOLDERS.iter().copied())
                    ),
                );
            }
        }
        self.check_url(path, id, url, false);
    }

    /// Each field's `skip_when_enriched` names an attribute whose values
    /// are answers the field accepts.
    fn check_skips(&mut self, ctx: &Names, fields: &[Option<Field>], has_enrichment: bool) {
        for (i, f) in fields.iter().enumerate() {
            let Some((f, attribute)) = f
                .as_ref()
                .and_then(|f| Some((f, f.skip_when_enriched.as_deref()?)))
            else {
                continue;
            };
            let path = format!("fields[{i}].skip_when_enriched");
            let id = Some(f.id.as_str());
            let Some(a) = ctx.attribute(attribute) else {
                if has_enrichment {
                    self.push(
                        &path,
                        id,
                        Kind::UnknownReference {
                            what: "attribute",
                            id: attribute.to_owned(),
                        },
                    );
                } else {
                    self.invalid(&path, id, "the rulebook declares no enrichment".into());
                }
                continue;
            };
            let fits = match f.kind {
                FieldType::Text | FieldType::Number | FieldType::YesNo => a.kind == f.kind,
                FieldType::Choice => {
                    a.kind == FieldType::Choice
                        && a.options
                            .iter()
                            .all(|o| f.options.iter().any(|fo| fo.value == o.value))
                }
                _ => false,
            };
            if !fits {
                self.invalid(
                    &path,
                    id,
                    format!(
                        "attribute `{attribute}` ({}) cannot answer a {} field{}",
                        a.kind.name(),
                        f.kind.name(),
                        if f.kind == FieldType::Choice && a.kind == FieldType::Choice {
                            ": each of its options must be one of the field's"
                        } else {
                            ""
                        }
                    ),
                );
            }
        }
    }

    /// A field's or attribute's options at `at`: a choice needs them, other
    /// types take none, and values are unique and not blank.
    fn check_options(
        &mut self,
        at: &str,
        id: Option<&str>,
        (kind, what): (FieldType, &str),
        options: &[ChoiceOption],
    ) {
        let choice = matches!(kind, FieldType::Choice | FieldType::MultiChoice);
        if choice && options.is_empty() {
            self.invalid(
                &format!("{at}.options"),
                id,
                format!("a {} {what} needs options", kind.name()),
            );
        }
        if !choice && !options.is_empty() {
            self.invalid(
                &format!("{at}.options"),
                id,
                format!("options do not apply to a {} {what}", kind.name()),
            );
        }
        let mut values = HashMap::new();
        for (j, o) in options.iter().enumerate() {
            let path = format!("{at}.options[{j}].value");
            if o.value.trim().is_empty() {
                self.invalid(&path, id, "an option value cannot be blank".into());
            } else if let Some(first) = values.insert(o.value.clone(), path.clone()) {
                self.push(
                    &path,
                    id,
                    Kind::DuplicateId {
                        id: o.value.clone(),
                        first,
                    },
                );
            }
        }
    }

    fn invalid(&mut self, path: &str, id: Option<&str>, detail: String) {
        self.push(path, id, Kind::Invalid { detail });
    }

    fn check_steps(&mut self, ctx: &Names, steps: &[Option<Step>]) {
        let mut seen = HashMap::new();
        let mut placed: HashMap<String, String> = HashMap::new();
        for (i, step) in steps.iter().enumerate() {
            let Some(s) = step else { continue };
            self.unique(&mut seen, &format!("steps[{i}].id"), &s.id);
            for (j, fid) in s.fields.iter().enumerate() {
                let path = format!("steps[{i}].fields[{j}]");
                if ctx.field(fid).is_none() {
                    self.push(
                        &path,
                        Some(&s.id),
                        Kind::UnknownReference {
                            what: "field",
                            id: fid.clone(),
                        },
                    );
                } else if let Some(first) = placed.insert(fid.clone(), path.clone()) {
                    self.push(
                        &path,
                        Some(&s.id),
                        Kind::DuplicateId {
                            id: fid.clone(),
                            first,
                        },
                    );
                }
            }
        }
        if steps.iter().any(Option::is_some) {
            for (i, f) in ctx.fields.iter().enumerate() {
                if let Some(f) = f {
                    if f.asked_of(Audience::Form) && !placed.contains_key(&f.id) {
                        self.invalid(
                            &format!("fields[{i}]"),
                            Some(&f.id),
                            "the form has steps, but this field is in none".into(),
                        );
                    }
                }
            }
        }
    }

    fn check_scores(&mut self, ctx: &Names, scores: &[Option<Score>]) -> Vec<Vec<Logic>> {
        let mut seen = HashMap::new();
        let mut criteria_seen = HashMap::new();
        let mut compiled = Vec::new();
        for (i, score) in scores.iter().enumerate() {
            let Some(s) = score else { continue };
            let at = format!("scores[{i}]");
            self.unique(&mut seen, &format!("{at}.id"), &s.id);
            if s.id == "total" {
                self.push(
                    &format!("{at}.id"),
                    Some(&s.id),
                    Kind::ReservedId {
                        id: s.id.clone(),
                        why: "`score.total` is the sum of all scores",
                    },
                );
            }
            let mut logic = Vec::new();
            for (j, c) in s.criteria.iter().enumerate() {
                let cat = format!("{at}.criteria[{j}]");
                self.unique(&mut criteria_seen, &format!("{cat}.id"), &c.id);
                logic.push(self.condition(
                    ctx,
                    &format!("{cat}.when"),
                    Some(&c.id),
                    &c.when,
                    Stage::Scoring,
                ));
            }
            compiled.push(logic);
        }
        compiled
    }

    fn check_knockouts(&mut self, ctx: &Names, knockouts: &[Option<Knockout>]) -> Vec<Logic> {
        let mut seen = HashMap::new();
        let mut compiled = Vec::new();
        for (i, k) in knockouts.iter().enumerate() {
            let Some(k) = k else { continue };
            let at = format!("knockouts[{i}]");
            self.unique(&mut seen, &format!("{at}.id"), &k.id);
            if let Some(o) = &k.outcome {
                self.check_outcome(ctx, &format!("{at}.outcome"), &k.id, o);
            }
            compiled.push(self.condition(
                ctx,
                &format!("{at}.when"),
                Some(&k.id),
                &k.when,
                Stage::Scoring,
            ));
        }
        compiled
    }

    fn check_grades(&mut self, ctx: &Names, grades: &[Option<Grade>]) -> Vec<Option<Logic>> {
        let mut seen = HashMap::new();
        let mut compiled = Vec::new();
        let mut catch_all: Option<String> = None;
        for (i, g) in grades.iter().enumerate() {
            let Some(g) = g else { continue };
            let at = format!("grades[{i}]");
            self.unique(&mut seen, &format!("{at}.id"), &g.id);
            if let Some(sla) = g.sla_minutes.filter(|m| !(1..=525_600).contains(m)) {
                self.invalid(
                    &format!("{at}.sla_minutes"),
                    Some(&g.id),
                    format!("sla_minutes must be from 1 to 525600 (a year), got {sla}"),
                );
            }
            if g.id == DISQUALIFIED {
                self.push(
                    &format!("{at}.id"),
                    Some(&g.id),
                    Kind::ReservedId {
                        id: g.id.clone(),
                        why: "knocked-out leads get the grade `disqualified`",
                    },
                );
            }
            if let Some(by) = &catch_all {
                self.push(
                    &at,
                    Some(&g.id),
                    Kind::UnreachableGrade {
                        id: g.id.clone(),
                        by: by.clone(),
                    },
                );
            }
            if let Some(o) = &g.outcome {
                self.check_outcome(ctx, &format!("{at}.outcome"), &g.id, o);
            }
            let logic = g.when.as_ref().map(|rule| {
                self.condition(
                    ctx,
                    &format!("{at}.when"),
                    Some(&g.id),
                    rule,
                    Stage::Grading,
                )
            });
            if catch_all.is_none() && logic.as_ref().is_none_or(always_true) {
                catch_all = Some(g.id.clone());
            }
            compiled.push(logic);
        }
        match grades.last() {
            None => self.push("grades", None, Kind::NoFallbackGrade),
            Some(Some(last)) if last.when.is_some() => self.push(
                &format!("grades[{}].when", grades.len() - 1),
                Some(&last.id),
                Kind::NoFallbackGrade,
            ),
            _ => {}
        }
        compiled
    }

    fn check_routes(&mut self, ctx: &Names, routes: &[Option<Route>]) -> Vec<Option<Logic>> {
        let mut compiled = Vec::new();
        let mut catch_all: Option<usize> = None;
        for (i, r) in routes.iter().enumerate() {
            let Some(r) = r else { continue };
            let at = format!("routes[{i}]");
            let team = Some(r.to.team.as_str());
            if let Some(by) = catch_all {
                self.push(&at, team, Kind::UnreachableRoute { by });
            }
            if r.to.team.trim().is_empty() {
                self.invalid(
                    &format!("{at}.to.team"),
                    None,
                    "a route needs a team".into(),
                );
            }
            if let Some(url) = &r.to.booking_url {
                self.check_link(ctx, &format!("{at}.to.booking_url"), team, url, false);
            }
            if !r.owner_pool.is_empty() && r.to.owner.is_some() {
                self.invalid(
                    &format!("{at}.owner_pool"),
                    team,
                    "a route names one owner (`to.owner`) or an owner pool, not both".into(),
                );
            }
            for (j, o) in r.owner_pool.iter().enumerate() {
                let path = format!("{at}.owner_pool[{j}]");
                if o.owner.trim().is_empty() {
                    self.invalid(
                        &format!("{path}.owner"),
                        team,
                        "an owner needs a name or id".into(),
                    );
                } else if r.owner_pool[..j].iter().any(|p| p.owner == o.owner) {
                    self.invalid(
                        &format!("{path}.owner"),
                        team,
                        format!(
                            "`{}` is in the pool twice: each owner once, so leads spread evenly",
                            o.owner
                        ),
                    );
                }
                if let Some(url) = &o.booking_url {
                    self.check_link(ctx, &format!("{path}.booking_url"), team, url, false);
                }
            }
            let logic = r
                .when
                .as_ref()
                .map(|rule| self.condition(ctx, &format!("{at}.when"), team, rule, Stage::Routing));
            if catch_all.is_none() && logic.as_ref().is_none_or(always_true) {
                catch_all = Some(i);
            }
            compiled.push(logic);
        }
        compiled
    }

    fn check_outcome(&mut self, ctx: &Names, at: &str, id: &str, outcome: &Outcome) {
        if let Some(link) = &outcome.link {
            self.check_link(ctx, &format!("{at}.link.url"), Some(id), &link.url, true);
        }
    }

    /// A link URL with placeholders: each must be one of
    /// [`Link::PLACEHOLDERS`] or `answers.<a field id>`, and
    /// `{route.booking_url}` may only start an outcome's link
    /// (`booking_ok`); the rest must be an http(s) URL without secrets.
    fn check_link(
        &mut self,
        ctx: &Names,
        path: &str,
        id: Option<&str>,
        url: &str,
        booking_ok: bool,
    ) {
        let rest = match url.strip_prefix(BOOKING_URL) {
            Some(rest) if booking_ok => {
                if rest.is_empty() {
                    return;
                }
                rest
            }
            _ => url,
        };
        if rest.len() == url.len() {
            self.check_fixed_host(path, id, url);
        }
        for name in Link::placeholders(rest) {
            let known = Link::PLACEHOLDERS.contains(&name)
                || name
                    .strip_prefix("answers.")
                    .is_some_and(|f| ctx.field_index.contains_key(f));
            if !known {
                self.invalid(
                    path,
                    id,
                    format!(
                        "unknown placeholder `{{{name}}}`: use {}, `{{answers.<field id>}}`{}",
                        quoted(Link::PLACEHOLDERS.iter().map(|p| &**p)),
                        if booking_ok {
                            ", or start with `{route.booking_url}`"
                        } else {
                            ""
                        }
                    ),
                );
            }
        }
        if rest.len() < url.len() {
            // After the booking page: a query or fragment to add to it.
            if let Some(why) = crate::destination::secret_in_url(&format!(
                "https://booking.invalid/?{}",
                rest.trim_start_matches(['?', '&'])
            )) {
                self.invalid(
                    path,
                    id,
                    format!("this URL looks like it holds a secret: {why}"),
                );
            }
        } else {
            self.check_url(path, id, url, false);
        }
    }

    /// Values go after the host only ([`Link::host_is_fixed`]).
    fn check_fixed_host(&mut self, path: &str, id: Option<&str>, url: &str) {
        if !Link::host_is_fixed(url) {
            self.invalid(
                path,
                id,
                "placeholders may only come after the host name (in the path or the query)".into(),
            );
        }
    }

    fn check_url(&mut self, path: &str, id: Option<&str>, url: &str, relative_ok: bool) {
        let absolute = ["https://", "http://"]
            .iter()
            .any(|s| url.starts_with(s) && url.len() > s.len());
        let relative = relative_ok && url.starts_with('/') && !url.starts_with("//");
        if !(absolute || relative) || url.chars().any(char::is_whitespace) {
            let want = if relative_ok {
                "an http(s) URL or a path starting with `/`"
            } else {
                "an http(s) URL"
            };
            self.invalid(path, id, format!("`{url}` is not {want}"));
        } else if let Some(why) = crate::destination::secret_in_url(url) {
            self.invalid(
                path,
                id,
                format!("this URL looks like it holds a secret: {why}; rulebooks ship to browsers, so secrets belong on the backend"),
            );
        }
    }

    /// Refuses names or values that look like secrets in what the browser
    /// sends (webhook headers, form-post extras).
    fn check_no_secrets(
        &mut self,
        at: &str,
        what: &str,
        pairs: &std::collections::BTreeMap<String, String>,
    ) {
        for (name, value) in pairs {
            let secret = crate::destination::looks_like_secret(name)
                || crate::destination::looks_like_secret_value(value);
            if secret {
                self.invalid(
                    &format!("{at}.{name}"),
                    None,
                    format!("{what} `{name}` looks like a secret (by its name or its value); rulebooks ship to browsers, so secrets belong on the backend"),
                );
            }
        }
    }

    fn check_destinations(
        &mut self,
        ctx: &Names,
        destinations: &[Option<Destination>],
        routes: &[Option<Route>],
    ) {
        for (i, d) in destinations.iter().enumerate() {
            let Some(d) = d else { continue };
            let at = format!("destinations[{i}]");
            let (field_map, values) = match d {
                Destination::Webhook { url, headers, .. } => {
                    self.check_url(&format!("{at}.url"), None, url, true);
                    self.check_no_secrets(&format!("{at}.headers"), "header", headers);
                    (None, None)
                }
                Destination::FormPost {
                    url,
                    field_map,
                    extra,
                    values,
                } => {
                    self.check_url(&format!("{at}.url"), None, url, true);
                    self.check_no_secrets(&format!("{at}.extra"), "extra field", extra);
                    (Some(field_map), Some(values))
                }
                Destination::Hubspot {
                    portal_id,
                    form_guid,
                    field_map,
                    values,
                } => {
                    if portal_id.is_empty() || !portal_id.chars().all(|c| c.is_ascii_digit()) {
                        self.invalid(
                            &format!("{at}.portal_id"),
                            None,
                            "a HubSpot portal id is a number".into(),
                        );
                    }
                    if form_guid.len() != 36 {
                        self.invalid(
                            &format!("{at}.form_guid"),
                            None,
                            "a HubSpot form GUID has 36 characters".into(),
                        );
                    }
                    (Some(field_map), Some(values))
                }
            };
            if let (Some(field_map), Some(values)) = (field_map, values) {
                for path in values.keys().filter(|p| !field_map.contains_key(*p)) {
                    self.invalid(
                        &format!("{at}.values.{path}"),
                        None,
                        format!("`{path}` is not sent: translate only a path the field_map names"),
                    );
                }
                for (path, table) in values {
                    self.check_value_table(
                        &format!("{at}.values.{path}"),
                        path,
                        table,
                        ctx,
                        routes,
                    );
                    for (value, text) in table {
                        if crate::destination::looks_like_secret_value(text) {
                            self.invalid(
                                &format!("{at}.values.{path}.{value}"),
                                None,
                                "this value looks like a secret; rulebooks ship to browsers, so secrets belong on the backend".into(),
                            );
                        }
                    }
                }
            }
            for path in field_map.into_iter().flat_map(|m| m.keys()) {
                if let Some(fid) = path.strip_prefix("answers.") {
                    if ctx.field(fid).is_none() {
                        self.push(
                            &format!("{at}.field_map.{path}"),
                            None,
                            Kind::UnknownReference {
                                what: "field",
                                id: fid.to_owned(),
                            },
                        );
                    }
                }
            }
        }
    }

    /// A value table's keys must be values its path can have, where the
    /// rulebook says which: a grade, a route's team, a status, a choice's
    /// option. A key that can never match (`"SQL"` for `sql`) would leave
    /// the field out of every lead without a word.
    fn check_value_table(
        &mut self,
        at: &str,
        path: &str,
        table: &std::collections::BTreeMap<String, String>,
        ctx: &Names,
        routes: &[Option<Route>],
    ) {
        if table.is_empty() {
            self.invalid(
                at,
                None,
                "an empty table sends nothing for this path; list its values or remove it".into(),
            );
            return;
        }
        let known: Option<Vec<String>> = match path {
            "qualification.grade" => Some(
                ctx.grades
                    .iter()
                    .cloned()
                    .chain([DISQUALIFIED.to_owned()])
                    .collect(),
            ),
            "qualification.status" => Some(
                ["qualified", "knocked_out", "incomplete"]
                    .map(String::from)
                    .to_vec(),
            ),
            "qualification.route.team" => {
                Some(routes.iter().flatten().map(|r| r.to.team.clone()).collect())
            }
            _ => path
                .strip_prefix("answers.")
                .and_then(|id| ctx.field(id)?.1)
                .filter(|f| !f.options.is_empty())
                .map(|f| f.options.iter().map(|o| o.value.clone()).collect()),
        };
        let Some(known) = known else { return };
        for value in table.keys().filter(|v| !known.contains(v)) {
            self.invalid(
                &format!("{at}.{value}"),
                None,
                format!(
                    "`{value}` is never a value of `{path}`, so this line never applies; expected one of {}",
                    known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }

    fn check_fixtures(
        &mut self,
        ctx: &Names,
        fixtures: &[Option<Fixture>],
        knockouts: &[Option<Knockout>],
        routes: &[Option<Route>],
    ) {
        let mut names = HashMap::new();
        for (i, fx) in fixtures.iter().enumerate() {
            let Some(fx) = fx else { continue };
            let at = format!("fixtures[{i}]");
            let id = Some(fx.name.as_str());
            if let Some(first) = names.insert(fx.name.clone(), at.clone()) {
                self.push(
                    &format!("{at}.name"),
                    id,
                    Kind::DuplicateId {
                        id: fx.name.clone(),
                        first,
                    },
                );
            }
            for key in fx.answers.keys() {
                if ctx.field(key).is_none() {
                    self.push(
                        &format!("{at}.answers.{key}"),
                        id,
                        Kind::UnknownReference {
                            what: "field",
                            id: key.clone(),
                        },
                    );
                }
            }
            for (key, value) in &fx.enriched {
                let path = format!("{at}.enriched.{key}");
                match ctx.attribute(key) {
                    None => self.push(
                        &path,
                        id,
                        Kind::UnknownReference {
                            what: "attribute",
                            id: key.clone(),
                        },
                    ),
                    Some(a) if crate::answer::check(a, Some(value)).is_err() => self.invalid(
                        &path,
                        id,
                        format!("{value} is not a {} value", a.kind.name()),
                    ),
                    Some(_) => {}
                }
            }
            let e = &fx.expect;
            if let Some(g) = &e.grade {
                if g != DISQUALIFIED && !ctx.grades.contains(g) {
                    self.push(
                        &format!("{at}.expect.grade"),
                        id,
                        Kind::UnknownReference {
                            what: "grade",
                            id: g.clone(),
                        },
                    );
                }
            }
            if let Some(r) = &e.route {
                if !routes.iter().flatten().any(|route| route.to.team == r.team) {
                    self.push(
                        &format!("{at}.expect.route.team"),
                        id,
                        Kind::UnknownReference {
                            what: "team",
                            id: r.team.clone(),
                        },
                    );
                }
            }
            for key in e.scores.iter().flat_map(|s| s.keys()) {
                if key != "total" && !ctx.scores.contains(key) {
                    self.push(
                        &format!("{at}.expect.scores.{key}"),
                        id,
                        Kind::UnknownReference {
                            what: "score",
                            id: key.clone(),
                        },
                    );
                }
            }
            for k in e.knocked_out_by.iter().flatten() {
                if !knockouts.iter().flatten().any(|ko| &ko.id == k) {
                    self.push(
                        &format!("{at}.expect.knocked_out_by"),
                        id,
                        Kind::UnknownReference {
                            what: "knockout",
                            id: k.clone(),
                        },
                    );
                }
            }
            for m in e.missing.iter().flatten() {
                if ctx.field(m).is_none() {
                    self.push(
                        &format!("{at}.expect.missing"),
                        id,
                        Kind::UnknownReference {
                            what: "field",
                            id: m.clone(),
                        },
                    );
                }
            }
        }
    }

    /// Compiles a condition and checks what it reads and compares,
    /// reporting each problem at `path`.
    fn condition(
        &mut self,
        ctx: &Names,
        path: &str,
        id: Option<&str>,
        rule: &Value,
        stage: Stage,
    ) -> Logic {
        let (logic, problems) = conditions::check(ctx, rule, stage);
        for kind in problems {
            self.push(path, id, kind);
        }
        logic
    }
}
