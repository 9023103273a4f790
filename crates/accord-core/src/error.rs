//! Errors found when reading a rulebook.

use accord_logic::LogicErrorKind;
use std::fmt;
use thiserror::Error;

/// One problem in a rulebook: where it is, which rule or field it concerns,
/// and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct RulebookError {
    /// JSON path inside the rulebook, e.g. `scores[0].criteria[2].when`.
    pub path: String,
    /// The id of the field, criterion, grade … the error is about.
    pub id: Option<String>,
    /// What is wrong.
    pub kind: RulebookErrorKind,
}

impl fmt::Display for RulebookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(rulebook)"
        } else {
            &self.path
        };
        match &self.id {
            Some(id) => write!(f, "{path} [{id}]: {}", self.kind),
            None => write!(f, "{path}: {}", self.kind),
        }
    }
}

/// The causes of rulebook errors.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RulebookErrorKind {
    /// The text is not JSON.
    #[error("not valid JSON: {message}")]
    Json {
        /// The parser's message, with line and column.
        message: String,
    },
    /// The `accord` format version is missing or not 1.
    #[error("unsupported format version {found}: this engine reads `\"accord\": 1`")]
    Version {
        /// What the document says.
        found: String,
    },
    /// The document nests deeper than [`crate::MAX_NESTING`] levels, which
    /// the widget would refuse to read: one limit for every reader.
    #[error("the rulebook nests deeper than {max} levels here; the widget reads no deeper, so no engine accepts it")]
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// The JSON does not have the shape the format requires (missing key,
    /// wrong type, unknown key, unknown variant …).
    #[error("{message}")]
    Shape {
        /// What serde found wrong.
        message: String,
    },
    /// An id is empty or uses characters other than letters, digits, `-`, `_`.
    #[error("`{id}` is not a valid id: use letters, digits, `-` and `_`")]
    BadId {
        /// The id.
        id: String,
    },
    /// An id is used twice where ids must be unique.
    #[error("duplicate id `{id}`, first used at {first}")]
    DuplicateId {
        /// The id.
        id: String,
        /// Path of the first use.
        first: String,
    },
    /// An id that conditions or records reserve for themselves.
    #[error("`{id}` is reserved: {why}")]
    ReservedId {
        /// The id.
        id: String,
        /// What reserves it.
        why: &'static str,
    },
    /// A condition does not compile.
    #[error("{}{kind}", if at.is_empty() { String::new() } else { format!("at {at}: ") })]
    Logic {
        /// Path inside the condition.
        at: String,
        /// The cause.
        kind: LogicErrorKind,
    },
    /// A `var` names something the rulebook does not define.
    #[error("`var` refers to unknown `{name}`{}", hint.as_ref().map(|h| format!(" ({h})")).unwrap_or_default())]
    UnknownVar {
        /// The path as written.
        name: String,
        /// What is known instead, when it helps.
        hint: Option<String>,
    },
    /// A `var` names something that exists but is not known at this point.
    #[error("`{name}` is not known here: {why}")]
    VarNotAvailable {
        /// The path as written.
        name: String,
        /// Why not.
        why: String,
    },
    /// A comparison between values of different types.
    #[error("type mismatch: {detail}")]
    TypeMismatch {
        /// What is compared with what.
        detail: String,
    },
    /// A condition whose work could grow past what a page or a batch can
    /// afford: too many nested passes over lists, or a `reduce` that grows
    /// its result each step.
    #[error("this condition could take too long or too much memory to evaluate: {detail}")]
    TooCostly {
        /// Why.
        detail: String,
    },
    /// A value that is not among a choice field's options.
    #[error("`{value}` is not an option of field `{field}`")]
    UnknownOption {
        /// The choice field.
        field: String,
        /// The value used.
        value: String,
    },
    /// Something refers to a field, grade, score … that does not exist.
    #[error("unknown {what} `{id}`")]
    UnknownReference {
        /// `field`, `grade`, `score`, `knockout`, `team` …
        what: &'static str,
        /// The id used.
        id: String,
    },
    /// A grade after a fallback (or an always-true grade) is never reached.
    #[error("grade `{id}` can never be reached: `{by}` before it matches every lead")]
    UnreachableGrade {
        /// The unreachable grade.
        id: String,
        /// The grade that shadows it.
        by: String,
    },
    /// The grade list has no fallback grade at its end.
    #[error("the last grade must have no `when`, so that every lead gets a grade")]
    NoFallbackGrade,
    /// A route after a catch-all route is never reached.
    #[error("route can never be reached: routes[{by}] before it matches every lead")]
    UnreachableRoute {
        /// Index of the catch-all route.
        by: usize,
    },
    /// The widget reads only published rulebooks, and this one has no
    /// stamp (`checked_sha256`).
    #[error("this rulebook was not published: the widget reads a rulebook only once `accord publish` (or the studio's Publish) has checked it and stamped its hash in `checked_sha256`")]
    NotPublished,
    /// The stamp is not the document's hash: it changed after publishing.
    #[error("the rulebook changed after it was published (its hash is now {sha256}): publish it again with `accord publish`")]
    StalePublish {
        /// The document's hash now.
        sha256: String,
    },
    /// A key that is meaningless or contradictory where it is used.
    #[error("{detail}")]
    Invalid {
        /// What is wrong, in words.
        detail: String,
    },
}

impl RulebookErrorKind {
    /// A stable code for machines, e.g. `unknown_var` (documented in
    /// docs/cli.md; `accord check --json` prints it).
    pub fn code(&self) -> &'static str {
        match self {
            RulebookErrorKind::Json { .. } => "json",
            RulebookErrorKind::Version { .. } => "version",
            RulebookErrorKind::TooDeep { .. } => "too_deep",
            RulebookErrorKind::Shape { .. } => "shape",
            RulebookErrorKind::BadId { .. } => "bad_id",
            RulebookErrorKind::DuplicateId { .. } => "duplicate_id",
            RulebookErrorKind::ReservedId { .. } => "reserved_id",
            RulebookErrorKind::Logic { .. } => "logic",
            RulebookErrorKind::UnknownVar { .. } => "unknown_var",
            RulebookErrorKind::VarNotAvailable { .. } => "var_not_available",
            RulebookErrorKind::TypeMismatch { .. } => "type_mismatch",
            RulebookErrorKind::TooCostly { .. } => "too_costly",
            RulebookErrorKind::UnknownOption { .. } => "unknown_option",
            RulebookErrorKind::UnknownReference { .. } => "unknown_reference",
            RulebookErrorKind::UnreachableGrade { .. } => "unreachable_grade",
            RulebookErrorKind::NoFallbackGrade => "no_fallback_grade",
            RulebookErrorKind::UnreachableRoute { .. } => "unreachable_route",
            RulebookErrorKind::NotPublished => "not_published",
            RulebookErrorKind::StalePublish { .. } => "stale_publish",
            RulebookErrorKind::Invalid { .. } => "invalid",
        }
    }
}

/// Every error found in a rulebook, in document order.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct RulebookErrors(pub Vec<RulebookError>);

impl RulebookErrors {
    /// The errors.
    pub fn errors(&self) -> &[RulebookError] {
        &self.0
    }
}

impl fmt::Display for RulebookErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(f, "{n} error{} in rulebook:", if n == 1 { "" } else { "s" })?;
        for e in &self.0 {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}
