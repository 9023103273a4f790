//! Reading leads: JSON Lines and CSV, straight into the rulebook's field
//! order. `accord score`, `accord diff` and `accord backtest` read files
//! with it, and the studio reads a dropped file with it.
//!
//! A JSON Lines lead is either the answers themselves, or
//! `{"answers": {…}, "context"?, "channel"?, "submission_id"?, "submitted_at"?, "enrichment"?}`
//! (a lead record is one).
//! Each answer is put in the slot of its field as the line is parsed, so no
//! map of answers is built; keys that are not fields are skipped unread,
//! as records leave them out anyway.

use crate::enrich::Snapshot;
use crate::model::{Channel, Context, ContextKey};
use crate::rulebook::Rulebook;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// One lead read from the input, before qualification.
pub struct Lead<'a> {
    /// The input the lead was read from, hashed into its id when it has none.
    pub input: Cow<'a, [u8]>,
    /// The answer to each field of the rulebook, by index, as given.
    pub answers: Vec<Option<Value>>,
    /// Page and campaign context.
    pub context: Context,
    /// `web_form` or `call`, when the lead says.
    pub channel: Option<Channel>,
    /// The lead's own id, used when it is a UUID v4.
    pub submission_id: Option<String>,
    /// The lead's own time.
    pub submitted_at: Option<String>,
    /// The enrichment a lead record brought (its `enrichment`), which
    /// re-scoring it reads unless it is looked up again.
    pub enrichment: Option<Snapshot>,
}

impl Lead<'_> {
    /// The lead with its input copied, so it outlives the line it was read
    /// from.
    pub fn into_owned(self) -> Lead<'static> {
        Lead {
            input: std::borrow::Cow::Owned(self.input.into_owned()),
            answers: self.answers,
            context: self.context,
            channel: self.channel,
            submission_id: self.submission_id,
            submitted_at: self.submitted_at,
            enrichment: self.enrichment,
        }
    }

    /// The enrichment values conditions read for this lead, if it brought
    /// a snapshot.
    pub fn enriched(&self) -> Option<&serde_json::Map<String, Value>> {
        self.enrichment.as_ref().map(|s| &s.values)
    }
}

/// Reads one JSON Lines lead. The message says what is wrong with the line.
pub fn lead_from_json_line<'a>(rulebook: &Rulebook, line: &'a str) -> Result<Lead<'a>, String> {
    let mut de = serde_json::Deserializer::from_str(line);
    let raw = LineSeed { rulebook }
        .deserialize(&mut de)
        .and_then(|raw| de.end().map(|()| raw))
        .map_err(|e| match e.classify() {
            serde_json::error::Category::Data => "a lead is a JSON object".to_owned(),
            _ => format!("not JSON: {e}"),
        })?;
    let Some(answers) = raw.wrapped else {
        return Ok(Lead {
            input: Cow::Borrowed(line.as_bytes()),
            answers: raw.top,
            context: Context::default(),
            channel: None,
            submission_id: None,
            submitted_at: None,
            enrichment: None,
        });
    };
    let context = match raw.context {
        None | Some(Value::Null) => Context::default(),
        Some(c) => serde_json::from_value(c).map_err(|e| format!("context: {e}"))?,
    };
    let channel = match raw.channel {
        None | Some(Value::Null) => None,
        Some(c) => Some(serde_json::from_value(c).map_err(|e| format!("channel: {e}"))?),
    };
    let enrichment = match raw.enrichment {
        None | Some(Value::Null) => None,
        Some(e) => Some(serde_json::from_value(e).map_err(|e| format!("enrichment: {e}"))?),
    };
    let text = |v: Option<Value>| v.and_then(|v| v.as_str().map(str::to_owned));
    Ok(Lead {
        input: Cow::Borrowed(line.as_bytes()),
        answers,
        context,
        channel,
        submission_id: text(raw.submission_id),
        submitted_at: text(raw.submitted_at),
        enrichment,
    })
}

/// What a line holds, before deciding whether it is the wrapped form.
struct RawLine {
    /// Top-level keys that are fields (the bare form's answers).
    top: Vec<Option<Value>>,
    /// The `answers` object, by field (the wrapped form).
    wrapped: Option<Vec<Option<Value>>>,
    context: Option<Value>,
    channel: Option<Value>,
    submission_id: Option<Value>,
    submitted_at: Option<Value>,
    enrichment: Option<Value>,
}

/// A key of the line's top-level object.
enum Key {
    Answers,
    Context,
    Channel,
    SubmissionId,
    SubmittedAt,
    Enrichment,
    Other,
}

struct LineSeed<'r> {
    rulebook: &'r Rulebook,
}

impl<'de> DeserializeSeed<'de> for LineSeed<'_> {
    type Value = RawLine;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<RawLine, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LineSeed<'_> {
    type Value = RawLine;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a lead: a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawLine, A::Error> {
        let mut line = RawLine {
            top: vec![None; self.rulebook.doc().fields.len()],
            wrapped: None,
            context: None,
            channel: None,
            submission_id: None,
            submitted_at: None,
            enrichment: None,
        };
        while let Some((field, key)) = map.next_key_seed(KeySeed {
            rulebook: self.rulebook,
        })? {
            match key {
                Key::Answers => match map.next_value_seed(AnswersSeed {
                    rulebook: self.rulebook,
                })? {
                    Answers::Slots(slots) => line.wrapped = Some(slots),
                    // Not an object: `answers` is just a key, as in the bare form.
                    Answers::Other(value) => {
                        if let Some(i) = field {
                            line.top[i] = Some(value);
                        }
                    }
                },
                Key::Other => match field {
                    Some(i) => line.top[i] = Some(map.next_value()?),
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                },
                special => {
                    let value: Value = map.next_value()?;
                    if let Some(i) = field {
                        line.top[i] = Some(value.clone());
                    }
                    *match special {
                        Key::Context => &mut line.context,
                        Key::Channel => &mut line.channel,
                        Key::SubmissionId => &mut line.submission_id,
                        Key::Enrichment => &mut line.enrichment,
                        _ => &mut line.submitted_at,
                    } = Some(value);
                }
            }
        }
        Ok(line)
    }
}

/// Reads a key as the index of the field it names (if any) and what it
/// means in the wrapped form.
struct KeySeed<'r> {
    rulebook: &'r Rulebook,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = (Option<usize>, Key);

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = (Option<usize>, Key);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        let field = self.rulebook.field_index(key);
        let kind = match key {
            "answers" => Key::Answers,
            "context" => Key::Context,
            "channel" => Key::Channel,
            "submission_id" => Key::SubmissionId,
            "submitted_at" => Key::SubmittedAt,
            "enrichment" => Key::Enrichment,
            _ => Key::Other,
        };
        Ok((field, kind))
    }
}

/// The value under `answers`: an object read into field slots, or any
/// other value (then `answers` is just a key, as in the bare form).
enum Answers {
    Slots(Vec<Option<Value>>),
    Other(Value),
}

struct AnswersSeed<'r> {
    rulebook: &'r Rulebook,
}

impl<'de> DeserializeSeed<'de> for AnswersSeed<'_> {
    type Value = Answers;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Answers, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AnswersSeed<'_> {
    type Value = Answers;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Answers, A::Error> {
        let mut slots = vec![None; self.rulebook.doc().fields.len()];
        while let Some((field, _)) = map.next_key_seed(KeySeed {
            rulebook: self.rulebook,
        })? {
            match field {
                Some(i) => slots[i] = Some(map.next_value()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Answers::Slots(slots))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Answers, A::Error> {
        Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Answers::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Answers, E> {
        Ok(Answers::Other(Value::Null))
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Answers, E> {
        Ok(Answers::Other(Value::Bool(b)))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Answers, E> {
        Ok(Answers::Other(n.into()))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Answers, E> {
        Ok(Answers::Other(n.into()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Answers, E> {
        Ok(Answers::Other(
            serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
        ))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Answers, E> {
        Ok(Answers::Other(Value::String(s.to_owned())))
    }
}

/// What each CSV column holds, for one rulebook.
pub struct LeadColumns {
    kinds: Vec<Column>,
    /// Headers that are neither fields nor context nor lead keys.
    pub ignored: Vec<String>,
    fields: usize,
}

enum Column {
    Answer(usize),
    Context(ContextKey),
    SubmissionId,
    SubmittedAt,
    Channel,
    Ignored,
}

impl LeadColumns {
    /// Reads the header row.
    pub fn new(rulebook: &Rulebook, headers: &csv::StringRecord) -> LeadColumns {
        let mut ignored = Vec::new();
        let kinds = headers
            .iter()
            .map(|h| {
                let h = h.trim();
                let context_key = h.strip_prefix("context.").unwrap_or(h);
                if let Some(i) = rulebook.field_index(h) {
                    Column::Answer(i)
                } else if let Some(key) = ContextKey::from_name(context_key) {
                    Column::Context(key)
                } else {
                    match h {
                        "submission_id" => Column::SubmissionId,
                        "submitted_at" => Column::SubmittedAt,
                        "channel" => Column::Channel,
                        other => {
                            ignored.push(other.to_owned());
                            Column::Ignored
                        }
                    }
                }
            })
            .collect();
        LeadColumns {
            kinds,
            ignored,
            fields: rulebook.doc().fields.len(),
        }
    }

    /// Reads one row; empty cells are no answer.
    pub fn lead(&self, row: &csv::StringRecord) -> Result<Lead<'static>, String> {
        let mut bytes = Vec::new();
        for cell in row.iter() {
            bytes.extend_from_slice(cell.as_bytes());
            bytes.push(0x1f);
        }
        let mut lead = Lead {
            input: Cow::Owned(bytes),
            answers: vec![None; self.fields],
            context: Context::default(),
            channel: None,
            submission_id: None,
            submitted_at: None,
            enrichment: None,
        };
        for (kind, cell) in self.kinds.iter().zip(row.iter()) {
            if cell.trim().is_empty() {
                continue;
            }
            match kind {
                Column::Answer(i) => lead.answers[*i] = Some(Value::String(cell.to_owned())),
                Column::Context(key) => lead.context.set(*key, Some(cell.to_owned())),
                Column::SubmissionId => lead.submission_id = Some(cell.to_owned()),
                Column::SubmittedAt => lead.submitted_at = Some(cell.to_owned()),
                Column::Channel => {
                    let name = cell.trim();
                    lead.channel = Some(
                        Channel::from_name(name)
                            .ok_or_else(|| format!("channel `{name}` is not web_form or call"))?,
                    )
                }
                Column::Ignored => {}
            }
        }
        Ok(lead)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;

    const INBOUND: &str = include_str!("../../../static/rulebooks/inbound.json");

    fn answers(rulebook: &Rulebook, lead: &Lead) -> Map<String, Value> {
        rulebook
            .doc()
            .fields
            .iter()
            .zip(&lead.answers)
            .filter_map(|(f, v)| Some((f.id.clone(), v.clone()?)))
            .collect()
    }

    #[test]
    fn bare_and_wrapped_lines_read_the_same_answers() {
        let rulebook = Rulebook::from_json(INBOUND).expect("valid");
        let bare = r#"{"email":"a@b.co","budget":true,"nope":{"deep":[1,2]},"email":"c@d.co"}"#;
        let lead = lead_from_json_line(&rulebook, bare).expect("reads");
        let expected = serde_json::json!({"email": "c@d.co", "budget": true});
        assert_eq!(Value::Object(answers(&rulebook, &lead)), expected);
        assert_eq!(lead.input.as_ref(), bare.as_bytes());

        let wrapped = r#"{"submission_id":"x","answers":{"email":"c@d.co","budget":true,"x":1},
            "context":{"utm_source":"ads"},"channel":"call","submitted_at":"2026-11-23T10:00:00Z"}"#;
        let lead = lead_from_json_line(&rulebook, wrapped).expect("reads");
        assert_eq!(Value::Object(answers(&rulebook, &lead)), expected);
        assert_eq!(lead.context.get(ContextKey::UtmSource), Some("ads"));
        assert_eq!(lead.channel, Some(Channel::Call));
        assert_eq!(lead.submission_id.as_deref(), Some("x"));
        assert_eq!(lead.submitted_at.as_deref(), Some("2026-11-23T10:00:00Z"));
    }

    #[test]
    fn a_line_that_is_not_a_lead_says_why() {
        let rulebook = Rulebook::from_json(INBOUND).expect("valid");
        let err = |line: &str| {
            lead_from_json_line(&rulebook, line)
                .err()
                .expect("an error")
        };
        assert_eq!(err("[1, 2]"), "a lead is a JSON object");
        assert_eq!(err("\"text\""), "a lead is a JSON object");
        assert!(err("{\"email\": tru}").starts_with("not JSON: "));
        assert!(err("{\"email\": 1} {}").starts_with("not JSON: trailing characters"));
        assert!(err(r#"{"answers": {}, "context": {"nope": 1}}"#).starts_with("context: "));
        assert!(err(r#"{"answers": {}, "channel": "fax"}"#).starts_with("channel: "));
    }
}
