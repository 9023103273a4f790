//! The visitor's language: which one, its strings, and numbers written its
//! way.
//!
//! English is built into the wasm (`accord_core::STRINGS`). German,
//! French, Spanish, Portuguese, Dutch and Italian ship beside it as small
//! JSON tables (`accord/locales/<language>.json`, from `static/locales/`),
//! fetched only by a page in that language, so an English page loads no
//! byte more. A rulebook's `strings` replace any of them, for any language
//! (right-to-left ones too).

use crate::bridge;
use crate::load::fetch_text;
use accord_core::{Rulebook, Strings};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// The languages with a built-in table, by primary subtag.
pub const BUILT_IN: &[&str] = &["de", "fr", "es", "pt", "nl", "it"];

thread_local! {
    /// Tables already fetched on this page, by language.
    static TABLES: RefCell<BTreeMap<String, BTreeMap<String, String>>> =
        const { RefCell::new(BTreeMap::new()) };
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `Intl.getCanonicalLocales(tag)`: throws for a tag `Intl` refuses.
    #[wasm_bindgen(catch, js_namespace = Intl, js_name = getCanonicalLocales)]
    fn canonical_locales(tag: &str) -> Result<js_sys::Array, wasm_bindgen::JsValue>;
}

/// `tag` as `Intl` writes it, when `Intl` takes it (`Intl.NumberFormat`
/// throws on a tag it refuses, such as `en-x`).
fn canonical(tag: &str) -> Option<String> {
    canonical_locales(tag).ok()?.get(0).as_string()
}

/// The language to use: the embed's (`data-accord-locale`), else the
/// rulebook's `locale`, else the page's `<html lang>`, else English. Tags
/// the browser's `Intl` does not take are passed over.
pub fn choose(embed: Option<&str>, rulebook: Option<&Rulebook>) -> String {
    let page = || {
        web_sys::window()?
            .document()?
            .document_element()?
            .get_attribute("lang")
    };
    embed
        .map(str::to_owned)
        .or_else(|| rulebook.and_then(|r| r.doc().locale.clone()))
        .or_else(page)
        .filter(|tag| accord_core::is_locale_tag(tag))
        .and_then(|tag| canonical(&tag))
        .unwrap_or_else(|| "en".into())
}

/// The strings for `locale`: its built-in table (fetched from
/// `asset_base`, once per page), then the rulebook's own. A table that
/// cannot be fetched leaves English, with a console error: the form never
/// waits on it for long or fails because of it.
pub async fn strings(locale: &str, rulebook: Option<&Rulebook>, asset_base: &str) -> Rc<Strings> {
    let primary = locale
        .split('-')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut table = TABLES.with(|t| t.borrow().get(&primary).cloned());
    if table.is_none() && BUILT_IN.contains(&primary.as_str()) {
        let url = format!("{asset_base}locales/{primary}.json");
        let fetched = match fetch_text(&url).await {
            Ok(text) => match bridge::parse(&text) {
                Ok(Value::Object(map)) => {
                    // One by one: collecting would sort (big in the wasm).
                    let mut table = BTreeMap::new();
                    for (k, v) in map {
                        if let Value::String(text) = v {
                            table.insert(k, text);
                        }
                    }
                    Ok(table)
                }
                _ => Err("not a JSON object of strings".to_owned()),
            },
            Err(e) => Err(e),
        };
        match fetched {
            Ok(map) => {
                TABLES.with(|t| t.borrow_mut().insert(primary.clone(), map.clone()));
                table = Some(map);
            }
            Err(e) => web_sys::console::error_1(
                &format!("accord: the {primary} strings ({url}) could not be loaded, showing English: {e}").into(),
            ),
        }
    }
    let overrides = rulebook
        .map(|r| r.doc().strings.clone())
        .unwrap_or_default();
    Rc::new(Strings::new(locale, &table.unwrap_or_default(), &overrides))
}

/// A whole number written the visitor's way (`Intl.NumberFormat`), e.g.
/// `٣` in Arabic.
pub fn number(strings: &Strings, n: usize) -> String {
    if cfg!(not(target_arch = "wasm32")) {
        // On the host (a prerender): the widget draws its own form, with
        // the visitor's digits, when it takes the prerendered one over.
        return n.to_string();
    }
    let locale = strings.locale.as_str();
    if latin_digits(locale) {
        return n.to_string();
    }
    let format = number_format(locale);
    format
        .format()
        .call1(&format, &(n as f64).into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| n.to_string())
}

/// Whether `locale` surely writes numbers with the digits 0–9 (CLDR's
/// `latn` numbering), so [`number`] needs no `Intl.NumberFormat`. The first
/// one a page makes loads the browser's number data: about 120 ms on a slow
/// phone (CPU slowed 4×), on the path to the form. Only a plain language
/// tag (with a region) of a language not listed is sure: the languages
/// listed default to other digits in at least one region, a script subtag
/// can bring its own digits (`pa-Arab`), and a `-u-` extension can name a
/// numbering system; for those, Intl decides.
fn latin_digits(locale: &str) -> bool {
    const OTHER_DIGITS: [&str; 22] = [
        "ar", "as", "bgc", "bgn", "bn", "ccp", "ckb", "dz", "fa", "ks", "lrc", "mni", "mr", "my",
        "mzn", "ne", "ps", "sa", "sat", "sd", "ur", "uz",
    ];
    let locale = locale.to_ascii_lowercase();
    let mut subtags = locale.split(['-', '_']);
    let language = subtags.next().unwrap_or("");
    !OTHER_DIGITS.contains(&language) && subtags.all(|t| t.len() != 4 && t != "u")
}

/// The `Intl.NumberFormat` of `locale`, made once per visit: a form's step
/// counter asks for two numbers on every render.
fn number_format(locale: &str) -> js_sys::Intl::NumberFormat {
    thread_local! {
        static MADE: std::cell::RefCell<Option<(String, js_sys::Intl::NumberFormat)>> =
            const { std::cell::RefCell::new(None) };
    }
    MADE.with(|made| {
        let mut made = made.borrow_mut();
        match &*made {
            Some((l, format)) if l == locale => format.clone(),
            _ => {
                let format = js_sys::Intl::NumberFormat::new(
                    &js_sys::Array::of1(&locale.into()),
                    &js_sys::Object::new(),
                );
                *made = Some((locale.to_owned(), format.clone()));
                format
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::latin_digits;

    #[test]
    fn only_locales_that_may_write_other_digits_need_intl() {
        for latin in ["", "en", "de-CH", "pt_BR", "ja", "he"] {
            assert!(latin_digits(latin), "{latin}");
        }
        for other in [
            "ar",
            "AR-eg",
            "fa-IR",
            "bn",
            "ur_IN",
            "sa",
            "pa-Arab",
            "ff-Adlm-GN",
            "en-u-nu-arab",
            "th-u-ca-buddhist-nu-thai",
        ] {
            assert!(!latin_digits(other), "{other}");
        }
    }
}
