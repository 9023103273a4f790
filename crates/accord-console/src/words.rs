//! The console's words in the rep's language.
//!
//! Every text the console shows goes through [`t`] (or [`tf`] with values),
//! keyed by its English: English needs no table, and the code reads as the
//! rep sees it. Other languages ship as `static/locales/console/<lang>.json`
//! (English text → translation), fetched once when the page's language is
//! one of them; a text a table lacks stays English. A native test checks
//! that every table translates exactly the texts the sources use, with the
//! same `{placeholders}`.

use std::cell::RefCell;
use std::collections::BTreeMap;

/// The languages with a console table, by primary subtag.
pub const BUILT_IN: &[&str] = &["de", "fr", "es", "pt", "nl", "it"];

thread_local! {
    static TABLE: RefCell<BTreeMap<String, String>> = const { RefCell::new(BTreeMap::new()) };
}

/// `english` in the rep's language.
pub fn t(english: &str) -> String {
    TABLE.with(|table| {
        table
            .borrow()
            .get(english)
            .cloned()
            .unwrap_or_else(|| english.to_owned())
    })
}

/// `english` in the rep's language with its `{name}` placeholders filled.
pub fn tf(english: &str, values: &[(&str, &str)]) -> String {
    let mut out = t(english);
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The `{name}` placeholders of a text, sorted.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut found: Vec<&str> = text
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    found.sort_unstable();
    found
}

/// Uses `table` (English → translation) from now on. Entries whose
/// placeholders differ from their English are left out: English shows.
pub fn use_table(table: BTreeMap<String, String>) {
    let mut kept = BTreeMap::new();
    for (english, text) in table {
        if !text.trim().is_empty() && placeholders(&english) == placeholders(&text) {
            kept.insert(english, text);
        }
    }
    TABLE.with(|t| *t.borrow_mut() = kept);
}

/// Where a record's delivery stands, in the rep's language (the browser
/// runtime's status line, keyed by its English).
#[cfg(target_arch = "wasm32")]
pub fn delivery(progress: accord_core::Progress) -> String {
    t(&accord_web::outbox::status_text(
        progress,
        &accord_core::Strings::default(),
    ))
}

/// Fetches and uses the table of `locale` (from `assets`, e.g.
/// `/accord/`), when there is one; `false` when the console stays English.
#[cfg(target_arch = "wasm32")]
pub async fn load(locale: &str, assets: &str) -> bool {
    let primary = locale
        .split('-')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !BUILT_IN.contains(&primary.as_str()) {
        return false;
    }
    let url = format!("{assets}locales/console/{primary}.json");
    let text = match accord_web::load::fetch_text(&url).await {
        Ok(text) => text,
        Err(e) => {
            web_sys::console::error_1(
                &format!("accord: the console's {primary} words ({url}) could not be loaded, showing English: {e}").into(),
            );
            return false;
        }
    };
    let Ok(serde_json::Value::Object(map)) = accord_web::bridge::parse(&text) else {
        web_sys::console::error_1(&format!("accord: {url} is not a JSON object").into());
        return false;
    };
    let mut table = BTreeMap::new();
    for (english, value) in map {
        if let serde_json::Value::String(text) = value {
            table.insert(english, text);
        }
    }
    use_table(table);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text the console's sources pass to `t` or `tf`.
    fn texts_in_sources() -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut found = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == "words.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for marker in ["t(\"", "tf(\""] {
                for (i, _) in source.match_indices(marker) {
                    // A whole call: `t(` not preceded by a letter (`get(`).
                    if source[..i]
                        .chars()
                        .last()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_')
                    {
                        continue;
                    }
                    let rest = &source[i + marker.len()..];
                    let end = rest.find('"').expect("a closing quote");
                    let text = rest[..end].replace("\\'", "'");
                    if !found.contains(&text) {
                        found.push(text);
                    }
                }
            }
        }
        // Texts shown through a table or another crate rather than a
        // literal: the shortcuts, the dispositions, delivery status lines.
        for (_, _, _, what) in crate::keys::SHORTCUTS {
            found.push((*what).to_owned());
        }
        for (_, label) in crate::call_state::DISPOSITIONS {
            found.push((*label).to_owned());
        }
        for id in ["sent", "offline", "pending_memory", "pending", "failed"] {
            let english = accord_core::STRINGS
                .iter()
                .find(|(k, _)| *k == id)
                .unwrap()
                .1;
            found.push(english.to_owned());
        }
        found.sort();
        found.dedup();
        found
    }

    #[test]
    fn every_table_translates_exactly_the_texts_the_console_shows() {
        let texts = texts_in_sources();
        assert!(texts.len() > 80, "only {} texts found", texts.len());
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../static/locales/console");
        for lang in BUILT_IN {
            let path = format!("{dir}/{lang}.json");
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let table: BTreeMap<String, String> = serde_json::from_str(&text).unwrap();
            let keys: Vec<String> = table.keys().cloned().collect();
            let missing: Vec<&String> = texts.iter().filter(|t| !table.contains_key(*t)).collect();
            let extra: Vec<&String> = keys.iter().filter(|k| !texts.contains(k)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{lang}: missing {missing:?}, not used {extra:?}"
            );
            for (english, translated) in &table {
                assert_eq!(
                    placeholders(english),
                    placeholders(translated),
                    "{lang}: {english}"
                );
            }
        }
    }

    #[test]
    fn a_table_translates_and_english_stays_where_it_has_no_entry() {
        use_table(BTreeMap::from([
            ("Call".to_owned(), "Anruf".to_owned()),
            (
                "Question {n} of {total}".to_owned(),
                "Frage {n} von {total}".to_owned(),
            ),
            ("Save call".to_owned(), "Speichern {oops}".to_owned()),
        ]));
        assert_eq!(t("Call"), "Anruf");
        assert_eq!(
            tf("Question {n} of {total}", &[("n", "2"), ("total", "9")]),
            "Frage 2 von 9"
        );
        assert_eq!(
            t("Save call"),
            "Save call",
            "a translation with other placeholders is left out"
        );
        assert_eq!(t("Feedback"), "Feedback");
        use_table(BTreeMap::new());
        assert_eq!(t("Call"), "Call");
    }
}
