//! Sign-offs: who agreed to which rules.
//!
//! Each `agreed_by` entry may carry the rulebook's **agreement hash** from
//! the moment its person signed. The agreement hash is the SHA-256 of the
//! canonical JSON of the document without `agreed_by` and `version`: the
//! rules themselves. Adding a second sign-off, or putting the version label
//! on agreed rules at publish time, leaves the first sign-off current; any
//! change of a question, a point, a threshold or a route makes it stale.

use crate::canonical::canonical_sha256;
use crate::model::{Agreement, RulebookDoc};
use serde::Serialize;
use serde_json::Value;

/// The top-level keys the agreement hash leaves out: the sign-offs
/// themselves and the version label.
pub const OUTSIDE_AGREEMENT: [&str; 3] = ["agreed_by", "version", crate::canonical::CHECKED_KEY];

/// The agreement hash of a rulebook document (lower-case hex SHA-256).
pub fn agreement_sha256(doc: &Value) -> String {
    match doc {
        Value::Object(map) => {
            let mut rules = map.clone();
            for key in OUTSIDE_AGREEMENT {
                rules.remove(key);
            }
            canonical_sha256(&Value::Object(rules))
        }
        other => canonical_sha256(other),
    }
}

/// Whether `text` is written as a SHA-256: 64 lower-case hex digits.
pub(crate) fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Whether a sign-off still covers the rules as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignOffState {
    /// Signed for exactly these rules.
    Current,
    /// Signed for other rules: the rulebook changed after this sign-off.
    Stale,
    /// Written without a hash (by hand): nothing binds it to these rules.
    Unbound,
}

impl SignOffState {
    /// The state's name, as `accord check --json` prints it.
    pub fn name(self) -> &'static str {
        match self {
            SignOffState::Current => "current",
            SignOffState::Stale => "stale",
            SignOffState::Unbound => "unbound",
        }
    }
}

/// One `agreed_by` entry and whether it covers the rules as they are.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignOff {
    /// The entry as written.
    #[serde(flatten)]
    pub agreement: Agreement,
    /// Current, stale or unbound.
    pub state: SignOffState,
}

/// Each sign-off of `doc`, judged against the document's agreement hash
/// (`agreement_sha256` of the same document).
pub fn sign_offs(doc: &RulebookDoc, agreement_sha256: &str) -> Vec<SignOff> {
    doc.agreed_by
        .iter()
        .map(|a| SignOff {
            agreement: a.clone(),
            state: match a.sha256.as_deref() {
                None => SignOffState::Unbound,
                Some(h) if h == agreement_sha256 => SignOffState::Current,
                Some(_) => SignOffState::Stale,
            },
        })
        .collect()
}

/// Whether `sign_offs` agree the rules: there is at least one, and every
/// one covers these exact rules (none stale or unbound). `accord check
/// --agreed`, the inbox's publishing and the studio's Publish all ask this.
pub fn is_agreed(sign_offs: &[SignOff]) -> bool {
    !sign_offs.is_empty() && sign_offs.iter().all(|s| s.state == SignOffState::Current)
}

/// Adds a sign-off bound to the document's current rules. The same person
/// of the same team signing again replaces their earlier entry, so a
/// re-signed rulebook lists each person once. `doc` must be an object.
pub fn sign(doc: &mut Value, team: &str, name: &str, date: Option<&str>) -> Result<(), String> {
    let hash = agreement_sha256(doc);
    let Value::Object(map) = doc else {
        return Err("a rulebook is a JSON object".to_owned());
    };
    let mut entry = serde_json::Map::new();
    entry.insert("team".into(), team.into());
    entry.insert("name".into(), name.into());
    if let Some(date) = date {
        entry.insert("date".into(), date.into());
    }
    entry.insert("sha256".into(), hash.into());
    let list = map
        .entry("agreed_by")
        .or_insert_with(|| Value::Array(Vec::new()));
    let Value::Array(list) = list else {
        return Err("`agreed_by` is not a list".to_owned());
    };
    let same = |v: &Value| v["team"] == team && v["name"] == name;
    match list.iter_mut().find(|v| same(v)) {
        Some(old) => *old = Value::Object(entry),
        None => list.push(Value::Object(entry)),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rulebook;
    use serde_json::json;

    fn doc() -> Value {
        json!({"accord": 1, "id": "t", "version": "1", "title": "T",
               "fields": [{"id": "email", "label": "Email", "type": "email"}],
               "grades": [{"id": "lead", "label": "Lead"}]})
    }

    fn states(doc: &Value) -> Vec<SignOffState> {
        let rulebook = Rulebook::from_value(doc).expect("valid");
        sign_offs(rulebook.doc(), &agreement_sha256(doc))
            .iter()
            .map(|s| s.state)
            .collect()
    }

    #[test]
    fn a_sign_off_is_current_until_the_rules_change() {
        let mut d = doc();
        sign(&mut d, "marketing", "Priya", Some("2026-11-30")).unwrap();
        sign(&mut d, "sales", "Tom", None).unwrap();
        assert_eq!(states(&d), [SignOffState::Current, SignOffState::Current]);
        // The version label is put on agreed rules at publish: not a change.
        d["version"] = json!("2");
        assert_eq!(states(&d), [SignOffState::Current, SignOffState::Current]);
        d["fields"][0]["label"] = json!("Work email");
        assert_eq!(states(&d), [SignOffState::Stale, SignOffState::Stale]);
        // Signing again replaces the person's entry instead of adding one.
        sign(&mut d, "sales", "Tom", None).unwrap();
        assert_eq!(states(&d), [SignOffState::Stale, SignOffState::Current]);
    }

    #[test]
    fn agreed_means_signed_and_every_sign_off_current() {
        let current = |state| SignOff {
            agreement: Agreement {
                team: "t".into(),
                name: "n".into(),
                date: None,
                sha256: None,
            },
            state,
        };
        assert!(!is_agreed(&[]));
        assert!(is_agreed(&[current(SignOffState::Current)]));
        assert!(!is_agreed(&[
            current(SignOffState::Current),
            current(SignOffState::Stale)
        ]));
        assert!(!is_agreed(&[current(SignOffState::Unbound)]));
    }

    #[test]
    fn a_hand_written_sign_off_is_unbound_and_a_bad_hash_is_an_error() {
        let mut d = doc();
        d["agreed_by"] = json!([{"team": "sales", "name": "Tom"}]);
        assert_eq!(states(&d), [SignOffState::Unbound]);
        d["agreed_by"][0]["sha256"] = json!("ABC");
        let errors = Rulebook::from_value(&d).unwrap_err();
        assert_eq!(errors.errors()[0].path, "agreed_by[0].sha256");
    }

    #[test]
    fn the_hash_ignores_formatting_and_order() {
        let a = doc();
        let b: Value = serde_json::from_str(
            r#"{"grades":[{"label":"Lead","id":"lead"}],"title":"T","id":"t","accord":1,
                "version":"9","fields":[{"type":"email","label":"Email","id":"email"}]}"#,
        )
        .unwrap();
        assert_eq!(agreement_sha256(&a), agreement_sha256(&b));
        assert!(is_sha256(&agreement_sha256(&a)));
    }
}
