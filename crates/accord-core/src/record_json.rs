//! Lead records as JSON text without going through serde, for bulk scoring.
//!
//! A record repeats a great deal of its rulebook: the rulebook reference,
//! each contribution's score, criterion and label, knockout labels, the
//! grade, the route and the consent text. [`RecordWriter`] writes those
//! parts once, when it is made, and then copies them into each record, so
//! per lead only the ids, the answers and the context are escaped. The
//! text is byte for byte what `serde_json::to_vec(&record)` gives for the
//! same [`LeadRecord`](crate::LeadRecord) (a test holds it to that).

use crate::canonical::json_text;
use crate::model::{Channel, Context, FieldType, Status};
use crate::qualify::Assessment;
use crate::record::{Submission, RECORD_VERSION};
use crate::rulebook::Rulebook;
use serde_json::Value;

/// Writes records of one rulebook as compact JSON.
#[derive(Debug, Clone)]
pub struct RecordWriter<'r> {
    rulebook: &'r Rulebook,
    /// `,"rulebook":{…}` for this rulebook.
    reference: String,
    /// Field indices in the order of their ids (the order of `answers`).
    answer_order: Vec<usize>,
    /// `{"id":…,"label":…}` per knockout.
    knockouts: Vec<String>,
    /// `"<id>"` per score and `total` last (the keys of `scores`, and the
    /// ids in `capped`), with the order `scores` is written in.
    score_ids: Vec<String>,
    score_order: Vec<usize>,
    /// `{"score":…,"criterion":…,"label":…,"points":…}` per criterion.
    contributions: Vec<Vec<String>>,
    /// `"<id>"` per grade.
    grades: Vec<String>,
    /// The route target's JSON per route.
    routes: Vec<String>,
    /// `"<id>"` per field (the keys of `answers`, and the ids in `missing`).
    field_ids: Vec<String>,
    /// `{"field":…,"text":…,"given":` per consent field.
    consent: Vec<String>,
}

impl<'r> RecordWriter<'r> {
    /// Prepares the parts of records that come from `rulebook`.
    pub fn new(rulebook: &'r Rulebook) -> RecordWriter<'r> {
        let doc = rulebook.doc();
        let mut answer_order: Vec<usize> = (0..doc.fields.len()).collect();
        answer_order.sort_by(|&a, &b| doc.fields[a].id.cmp(&doc.fields[b].id));
        let mut score_order: Vec<usize> = (0..=doc.scores.len()).collect();
        let score_name = |i: usize| doc.scores.get(i).map_or("total", |s| s.id.as_str());
        score_order.sort_by(|&a, &b| score_name(a).cmp(score_name(b)));
        RecordWriter {
            rulebook,
            reference: format!(",\"rulebook\":{}", json_text(rulebook.reference())),
            answer_order,
            knockouts: doc
                .knockouts
                .iter()
                .map(|k| {
                    format!(
                        "{{\"id\":{},\"label\":{}}}",
                        json_text(&k.id),
                        json_text(&k.label)
                    )
                })
                .collect(),
            score_ids: (0..=doc.scores.len())
                .map(|i| json_text(score_name(i)))
                .collect(),
            score_order,
            contributions: doc
                .scores
                .iter()
                .map(|s| {
                    s.criteria
                        .iter()
                        .map(|c| {
                            format!(
                                "{{\"score\":{},\"criterion\":{},\"label\":{},\"points\":{}}}",
                                json_text(&s.id),
                                json_text(&c.id),
                                json_text(&c.label),
                                c.points
                            )
                        })
                        .collect()
                })
                .collect(),
            grades: doc.grades.iter().map(|g| json_text(&g.id)).collect(),
            routes: doc.routes.iter().map(|r| json_text(&r.to)).collect(),
            field_ids: doc.fields.iter().map(|f| json_text(&f.id)).collect(),
            consent: doc
                .fields
                .iter()
                .filter(|f| f.kind == FieldType::Consent)
                .map(|f| {
                    format!(
                        "{{\"field\":{},\"text\":{},\"given\":",
                        json_text(&f.id),
                        json_text(&f.label)
                    )
                })
                .collect(),
        }
    }

    /// Appends one record's JSON text to `out`: the lead's submission,
    /// channel, answers (`answer(i)` is the answer to field `i`, as
    /// submitted; fields without one are left out), context and
    /// assessment, which must come from this writer's rulebook.
    ///
    /// # Panics
    ///
    /// When the assessment comes from another rulebook and refers to a
    /// score, criterion, knockout, grade, route or field this one lacks.
    pub fn write<'v>(
        &self,
        out: &mut Vec<u8>,
        submission: &Submission,
        channel: Channel,
        answer: impl Fn(usize) -> Option<&'v Value>,
        context: &Context,
        assessment: &Assessment<'_>,
    ) {
        out.extend_from_slice(b"{\"accord_record\":");
        push_int(out, i64::from(RECORD_VERSION));
        out.extend_from_slice(b",\"submission_id\":");
        push_str(out, &submission.submission_id);
        out.extend_from_slice(b",\"submitted_at\":");
        push_str(out, &submission.submitted_at);
        out.extend_from_slice(match channel {
            Channel::WebForm => b",\"channel\":\"web_form\"",
            Channel::Call => b",\"channel\":\"call\"",
        });
        out.extend_from_slice(self.reference.as_bytes());

        out.extend_from_slice(b",\"answers\":{");
        let mut first = true;
        for &i in &self.answer_order {
            if let Some(value) = answer(i) {
                if !first {
                    out.push(b',');
                }
                first = false;
                out.extend_from_slice(self.field_ids[i].as_bytes());
                out.push(b':');
                push_value(out, value);
            }
        }
        out.extend_from_slice(b"},\"context\":{");
        let mut first = true;
        for (key, value) in context.entries() {
            if let Some(value) = value {
                if !first {
                    out.push(b',');
                }
                first = false;
                push_str(out, key.name());
                out.push(b':');
                push_str(out, value);
            }
        }
        out.push(b'}');
        self.write_qualification(out, assessment);

        if !self.consent.is_empty() {
            out.extend_from_slice(b",\"consent\":[");
            for (i, (head, given)) in self.consent.iter().zip(&assessment.consent).enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(head.as_bytes());
                out.extend_from_slice(if *given { b"true}" } else { b"false}" });
            }
            out.push(b']');
        }
        if let Some(rep) = &submission.rep {
            out.extend_from_slice(b",\"rep\":");
            out.extend_from_slice(json_text(rep).as_bytes());
        }
        if let Some(notes) = &submission.notes {
            out.extend_from_slice(b",\"notes\":");
            push_str(out, notes);
        }
        if let Some(call) = &submission.call {
            out.extend_from_slice(b",\"call\":");
            out.extend_from_slice(json_text(call).as_bytes());
        }
        // As `Rulebook::record` keeps it: only for a rulebook with enrichment.
        if let (Some(snapshot), Some(_)) = (&submission.enrichment, &self.rulebook.doc().enrichment)
        {
            out.extend_from_slice(b",\"enrichment\":");
            out.extend_from_slice(json_text(snapshot).as_bytes());
        }
        out.push(b'}');
    }

    fn write_qualification(&self, out: &mut Vec<u8>, a: &Assessment<'_>) {
        debug_assert!(std::ptr::eq(a.rulebook(), self.rulebook));
        out.extend_from_slice(match a.status {
            Status::Qualified => b",\"qualification\":{\"status\":\"qualified\"" as &[u8],
            Status::KnockedOut => b",\"qualification\":{\"status\":\"knocked_out\"",
            Status::Incomplete => b",\"qualification\":{\"status\":\"incomplete\"",
        });
        out.extend_from_slice(b",\"knocked_out_by\":[");
        push_joined(out, a.knockouts.iter().map(|&i| &self.knockouts[i]));
        out.extend_from_slice(b"],\"scores\":{");
        for (n, &i) in self.score_order.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            out.extend_from_slice(self.score_ids[i].as_bytes());
            out.push(b':');
            push_int(out, a.scores.get(i).copied().unwrap_or(a.total));
        }
        out.extend_from_slice(b"},\"contributions\":[");
        push_joined(
            out,
            a.contributions
                .iter()
                .map(|&(s, c)| &self.contributions[s][c]),
        );
        out.push(b']');
        if !a.capped.is_empty() {
            out.extend_from_slice(b",\"capped\":[");
            push_joined(out, a.capped.iter().map(|&i| &self.score_ids[i]));
            out.push(b']');
        }
        out.extend_from_slice(b",\"grade\":");
        match a.grade_index() {
            Some(i) => out.extend_from_slice(self.grades[i].as_bytes()),
            None => push_str(out, a.grade()),
        }
        out.extend_from_slice(b",\"route\":");
        match a.route {
            Some(i) => out.extend_from_slice(self.routes[i].as_bytes()),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"missing\":[");
        push_joined(out, a.missing.iter().map(|&i| &self.field_ids[i]));
        out.push(b']');
        if !a.invalid.is_empty() {
            out.extend_from_slice(b",\"invalid\":");
            out.extend_from_slice(json_text(&a.invalid).as_bytes());
        }
        out.push(b'}');
    }
}

/// Appends prepared fragments separated by commas.
fn push_joined<'a>(out: &mut Vec<u8>, parts: impl Iterator<Item = &'a String>) {
    for (i, part) in parts.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(part.as_bytes());
    }
}

fn push_int(out: &mut Vec<u8>, n: i64) {
    // Writing to a `Vec` cannot fail.
    let _ = serde_json::to_writer(&mut *out, &n);
}

/// Appends any JSON value as serde_json writes it (object keys in the
/// map's order).
fn push_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => {
            let _ = serde_json::to_writer(&mut *out, n);
        }
        Value::String(s) => push_str(out, s),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                push_value(out, item);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            out.push(b'{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                push_str(out, key);
                out.push(b':');
                push_value(out, item);
            }
            out.push(b'}');
        }
    }
}

/// Appends `s` as a JSON string, escaped as serde_json escapes: `"`, `\`
/// and control characters; everything else as is. Text is scanned eight
/// bytes at a time until a byte needs escaping.
fn push_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(word) = bytes.get(i..i + 8) {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            if !word_needs_escape(word) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        if b >= 0x20 && b != b'"' && b != b'\\' {
            i += 1;
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x09 => out.extend_from_slice(b"\\t"),
            0x0a => out.extend_from_slice(b"\\n"),
            0x0c => out.extend_from_slice(b"\\f"),
            0x0d => out.extend_from_slice(b"\\r"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
            }
        }
        i += 1;
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Whether any of eight bytes is a control character, `"` or `\`
/// (the word tests from "Bit Twiddling Hacks": a byte below a bound, a byte
/// equal to a value).
#[inline]
fn word_needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |w: u64, n: u64| w.wrapping_sub(ONES * n) & !w & HIGH;
    let zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGH;
    (below(word, 0x20)
        | zero(word ^ (ONES * u64::from(b'"')))
        | zero(word ^ (ONES * u64::from(b'\\'))))
        != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut text = String::new();
        for c in (0u8..=0x7f).map(char::from).chain(['é', '😀', '\u{2028}']) {
            text.push(c);
            // Every position within a word, and runs long enough to skip.
            for n in [0, 1, 7, 8, 9, 17] {
                let s = format!("{}{c}{}", "a".repeat(n), "b".repeat(n));
                let mut out = Vec::new();
                push_str(&mut out, &s);
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    serde_json::to_string(&s).unwrap()
                );
            }
        }
        let mut out = Vec::new();
        push_str(&mut out, &text);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string(&text).unwrap()
        );
    }
}
