//! The Accord engine: rulebooks, validation, JsonLogic and qualification.
//!
//! A **rulebook** (JSON, format version 1) is what sales and marketing agree
//! on: the questions (fields), how answers score (criteria), what disqualifies
//! a lead (knockouts), which grade a score earns and where a lead is routed.
//! [`Rulebook::from_json`] validates it once, collecting every error with its
//! JSON path and rule id, and compiles each condition. [`Rulebook::qualify`]
//! then runs a lead through knockouts → scores → grade → route and returns a
//! [`Qualification`] that lists every contribution, so any UI or backend can
//! explain the grade line by line.
//!
//! The crate is plain Rust: no I/O, no clock, no randomness, no web crates.
//! It builds for `wasm32-unknown-unknown` (the widget) and natively (the CLI
//! and any backend that re-checks records), with the same results.
//!
//! Conditions are JsonLogic, compiled and evaluated by the `accord-logic`
//! crate (`docs/jsonlogic.md` lists the operators and conformance results).
//!
//! Modules, from the bottom up (none imports one above it;
//! `tests/structure.rs` checks there is no circle): `model` (the document's
//! shape and the vocabulary, one name table per word), `json_object` (the
//! one path-tracking JSON reader), `decode`, `conditions` and `compiled`
//! (reading, checking and laying out a rulebook), `validate` and `rulebook`
//! (a valid, compiled, hashed rulebook), `agreement` (sign-offs bound to
//! the rules they cover), `answer` and `qualify` (one lead), `enrich`
//! (what is looked up about a lead, and the snapshot a record keeps),
//! then what is built on a qualification: `record`, `record_json`,
//! `feedback`, `explain`, `fixture`, `opportunity`, `outcome`,
//! `outcomes_file` and `outcomes_reader` (what happened to leads later, from
//! a CRM: one row, a whole file), `leads` (reading lead files), `impact`
//! (what a rulebook change does to leads), `strings`
//! (the visitor-facing words, by id, in any language), `sentence` (conditions
//! in words), `definitions` (the written agreement) and `diff` (what
//! changed between two versions); and the delivery side: `destination`, `outbox`, `outbox_json`, `csv`.

mod agreement;
mod answer;
mod canonical;
mod capture;
mod compiled;
mod conditions;
mod csv;
mod decode;
mod definitions;
mod destination;
mod diff;
mod enrich;
mod error;
mod explain;
mod feedback;
mod fixture;
mod impact;
mod json_object;
mod leads;
mod model;
mod opportunity;
mod outbox;
mod outbox_json;
mod outcome;
mod outcomes_file;
mod outcomes_reader;
mod published;
mod qualify;
mod record;
mod record_json;
mod rulebook;
mod sentence;
mod strings;
mod validate;

pub use agreement::{
    agreement_sha256, is_agreed, sign, sign_offs, SignOff, SignOffState, OUTSIDE_AGREEMENT,
};
pub use answer::{check_answer, AnswerProblem, DEFAULT_MAX_LENGTH};
pub use canonical::{canonical_json, canonical_sha256, rulebook_sha256, CHECKED_KEY};
pub use capture::{
    capture_answers, capture_record, CAPTURE_EMAIL_MAX, CAPTURE_MESSAGE_MAX, CAPTURE_NAME_MAX,
    CAPTURE_RULEBOOK_ID,
};
pub use csv::push_csv_row;
pub use decode::MAX_NESTING;
pub use definitions::{definitions, Definition, Definitions, Section};
pub use destination::{
    form_post_request, form_urlencode, hubspot_request, idempotency_key, looks_like_secret,
    looks_like_secret_value, record_text, request_for, rfc3339_to_ms, secret_in_url,
    webhook_request, OutgoingRequest, PageInfo, HUBSPOT_SUBMIT_URL,
};
pub use diff::{changes, Change};
pub use enrich::{
    built_in, email_domain, email_of, is_role_address, lookup_url, needs_disposable_list,
    phone_country, phone_of, read_lookup, read_lookup_value, typed, DomainLists, Lookup, Snapshot,
    MAX_ANSWER_BYTES,
};
pub use error::{RulebookError, RulebookErrorKind, RulebookErrors};
pub use explain::explain;
pub use feedback::{FeedbackReason, FeedbackRecord, Verdict, FEEDBACK_VERSION};
pub use fixture::{FixtureResult, Mismatch};
pub use impact::{in_grade_order, join_key, share, CriterionHits, Fates, Impact, KnockoutShift};
pub use leads::{lead_from_json_line, Lead, LeadColumns};
pub use model::{
    Agreement, Attribute, Audience, BuiltInFact, Channel, ChoiceOption, Context, ContextKey,
    Criterion, Destination, Enrichment, EnrichmentStatus, ExpectedRoute, Feedback, Field,
    FieldType, Fixture, FixtureExpect, Grade, Knockout, Link, Outcome, PoolOwner, Provider,
    ProviderKind, Reason, Route, RouteTarget, RulebookDoc, Score, Stage, Status, Step, ValueTables,
    WebhookEncoding, BOOKING_URL, CHANNEL_CONTEXT_KEY, DERIVED_KEYS, DISQUALIFIED,
};
pub use opportunity::{Opportunities, Opportunity};
pub use outbox::{
    backoff_ms, failure_report_request, retry_after_ms, AttemptResult, Delivery, DeliveryState,
    FailureReport, Outbox, Progress, Settled, FIRST_RETRY_MS, IN_FLIGHT_MS, MAX_RETRY_AFTER_MS,
    MAX_RETRY_MS, REPORT_DESTINATION,
};
pub use outcome::fill_link;
pub use outcomes_file::{LeadFate, OutcomeColumns, OutcomeRow, MAX_AMOUNT};
pub use outcomes_reader::{read_outcomes, LineProblem, OutcomesFile, KEPT_PROBLEMS};
pub use published::{publish, publish_text, published_state, PublishedState};
pub use qualify::{
    Answers, Assessment, Contribution, InvalidAnswer, KnockoutHit, LeadData, Qualification,
    FREE_MAIL_DOMAINS,
};
pub use record::{
    is_uuid_v4, uuid_v4_from_bytes, verify_record, verify_shadow, CallDetails, ConsentGiven,
    Discrepancy, LeadRecord, Rep, ShadowResult, Submission, RECORD_VERSION,
};
pub use record_json::RecordWriter;
pub use rulebook::{Rulebook, RulebookRef};
pub use sentence::describe;
pub use strings::{is_locale_tag, Strings, STRINGS};
pub use validate::FORM_OWN_PREFIX;
