//! The words the visitor reads around the rulebook's own text: buttons, the
//! step counter, problems, status lines, the default outcome, the
//! capture-only form, the honeypot's label. One table, [`STRINGS`], of ids
//! and English; other languages replace them by id (`static/locales/*.json`
//! for the built-in ones, a rulebook's `strings` for any).
//!
//! Plain data and lookups: choosing the language and formatting numbers
//! happen in the browser (`accord_web::i18n`).

use std::collections::BTreeMap;

/// Every visitor-facing string: its id and its English text. `{name}`
/// marks a value filled in when shown.
pub const STRINGS: &[(&str, &str)] = &[
    ("loading", "Loading the form…"),
    ("continue", "Continue"),
    ("back", "Back"),
    ("send", "Send"),
    ("step", "Step {n} of {total}"),
    ("check_one", "Please check 1 answer."),
    ("check_many", "Please check {n} answers."),
    ("honeypot", "Leave this field empty if you are human"),
    ("choose", "Choose…"),
    ("yes", "Yes"),
    ("no", "No"),
    ("required", "Please fill in this field."),
    ("required_choice", "Please choose an answer."),
    ("required_consent", "Please tick this box to continue."),
    ("bad_email", "Enter an email address, like name@company.com."),
    ("bad_phone", "Enter a phone number, like +1 555 010 2030."),
    ("bad_number", "Enter a number."),
    ("number_range", "Enter a number from {min} to {max}."),
    ("too_long", "Use at most {max} characters."),
    ("bad_option", "Choose one of the options."),
    ("sending", "Sending…"),
    ("sent", "Sent."),
    (
        "offline",
        "You are offline. Your answers are saved on this device and will be sent when you are back online.",
    ),
    (
        "pending_memory",
        "Not sent yet. We will keep trying while this page is open.",
    ),
    (
        "pending",
        "Saved on this device; we will keep trying to send it.",
    ),
    (
        "failed",
        "We could not deliver this yet. A copy is kept on this device and the site owner can see it.",
    ),
    ("thank_you", "Thank you"),
    (
        "received_request",
        "We received your request and will be in touch.",
    ),
    ("contact_us", "Contact us"),
    ("name", "Name"),
    ("email", "Email"),
    ("message", "Message"),
    (
        "received_message",
        "We received your message and will be in touch.",
    ),
    (
        "cannot_send",
        "We could not send your message. Please email us instead.",
    ),
];

/// Languages written right to left, by their primary subtag.
const RIGHT_TO_LEFT: &[&str] = &["ar", "dv", "fa", "he", "ku", "ps", "sd", "ug", "ur", "yi"];

/// The English text of string `id`, if it is one.
pub fn english(id: &str) -> Option<&'static str> {
    STRINGS.iter().find(|(k, _)| *k == id).map(|(_, v)| *v)
}

/// The `{name}` placeholders of a string, in order.
pub fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

/// Why a translation of string `id` cannot be used, if it cannot: an
/// unknown id, an empty text, or a placeholder the English has not.
pub fn check_translation(id: &str, text: &str) -> Option<String> {
    let Some(english) = english(id) else {
        return Some(format!(
            "`{id}` is not a string id; the ids are {}",
            crate::model::quoted(STRINGS.iter().map(|(k, _)| *k))
        ));
    };
    if text.trim().is_empty() {
        return Some(format!("the text of `{id}` is empty"));
    }
    let known: Vec<&str> = placeholders(english).collect();
    placeholders(text)
        .find(|p| !known.contains(p))
        .map(|p| format!("`{{{p}}}` is not a value of `{id}` (English: \"{english}\")"))
}

/// Whether `locale` (a BCP 47 tag such as `de` or `pt-BR`) looks like one:
/// letters, digits and hyphens, starting with a 2 to 3 letter language.
pub fn is_locale_tag(locale: &str) -> bool {
    let primary = locale.split('-').next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && locale.len() <= 35
        && locale
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The visitor-facing strings of one language: the built-in table for it
/// (when there is one), then a rulebook's overrides, then English.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Strings {
    /// The BCP 47 tag, e.g. `de`; empty for English.
    pub locale: String,
    table: BTreeMap<String, String>,
}

impl Strings {
    /// The strings for `locale`: `built_in` (its table, if any), then
    /// `overrides` on top. Unusable entries are left out: English shows.
    pub fn new(
        locale: &str,
        built_in: &BTreeMap<String, String>,
        overrides: &BTreeMap<String, String>,
    ) -> Strings {
        // Inserted one by one: collecting would sort, and sorting code is
        // big in the wasm.
        let mut table = BTreeMap::new();
        for (id, text) in built_in.iter().chain(overrides) {
            if check_translation(id, text).is_none() {
                table.insert(id.clone(), text.clone());
            }
        }
        Strings {
            locale: locale.to_owned(),
            table,
        }
    }

    /// String `id` in this language, else in English.
    pub fn get<'a>(&'a self, id: &'a str) -> &'a str {
        self.table
            .get(id)
            .map(String::as_str)
            .or_else(|| english(id))
            .unwrap_or(id)
    }

    /// String `id` with its placeholders filled from `values`.
    pub fn fill(&self, id: &str, values: &[(&str, &str)]) -> String {
        let mut out = self.get(id).to_owned();
        for (name, value) in values {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// Whether the language is written right to left (for `dir="rtl"`).
    pub fn right_to_left(&self) -> bool {
        let primary = self.locale.split('-').next().unwrap_or_default();
        RIGHT_TO_LEFT.contains(&primary.to_ascii_lowercase().as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn every_id_is_unique() {
        for (i, (id, _)) in STRINGS.iter().enumerate() {
            assert!(!STRINGS[..i].iter().any(|(k, _)| k == id), "{id} twice");
        }
    }

    #[test]
    fn a_language_falls_back_to_english_and_overrides_win() {
        let german = map(&[("continue", "Weiter"), ("step", "Schritt {n} von {total}")]);
        let strings = Strings::new("de", &german, &map(&[("continue", "Los")]));
        assert_eq!(strings.get("continue"), "Los");
        assert_eq!(strings.get("back"), "Back");
        assert_eq!(
            strings.fill("step", &[("n", "2"), ("total", "3")]),
            "Schritt 2 von 3"
        );
        assert!(!strings.right_to_left());
        assert!(Strings::new("ar-EG", &BTreeMap::new(), &BTreeMap::new()).right_to_left());
        assert_eq!(Strings::default().get("send"), "Send");
    }

    #[test]
    fn unusable_translations_are_named_and_left_out() {
        assert!(check_translation("contine", "Weiter")
            .unwrap()
            .starts_with("`contine` is not a string id"));
        assert!(check_translation("send", " ").unwrap().contains("empty"));
        assert!(check_translation("step", "Schritt {n} von {all}")
            .unwrap()
            .starts_with("`{all}` is not a value of `step`"));
        let strings = Strings::new("de", &map(&[("step", "{oops}")]), &BTreeMap::new());
        assert_eq!(strings.get("step"), "Step {n} of {total}");
        for tag in ["de", "pt-BR", "zh-Hant-TW", "ar"] {
            assert!(is_locale_tag(tag), "{tag}");
        }
        for tag in ["", "d", "german", "de_DE", "de-", "<b>"] {
            assert!(!is_locale_tag(tag), "{tag}");
        }
    }
}
