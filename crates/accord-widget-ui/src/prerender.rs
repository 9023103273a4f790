//! Prerendering: the form's first step as HTML, drawn natively by the same
//! components the browser draws, for `accord embed`.
//!
//! The snippet puts it in a declarative shadow root
//! (`<template shadowrootmode="open">`), so the browser shows a form a
//! visitor can read and type into at first paint, before any script has
//! run. When the widget arrives it draws its own form and takes the
//! prerendered one's place, keeping what was typed, the focus and the
//! caret (`widget.rs`). With scripts blocked, the form posts itself to the
//! endpoint, with the rulebook's id and version, and the inbox qualifies it.

/// The attribute that marks a prerendered form's `.accord-root`.
pub const PRERENDERED: &str = "data-accord-prerendered";

#[cfg(feature = "ssr")]
pub use server::{prerender, Embed};

#[cfg(feature = "ssr")]
mod server {
    use super::PRERENDERED;
    use crate::config::Config;
    use crate::widget::{Prepared, Widget, WidgetProps};
    use accord_core::{Audience, Rulebook, Strings};
    use accord_web::load::RulebookSource;
    use std::collections::BTreeMap;
    use std::rc::Rc;

    /// What the landing page's snippet says about its widget.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Embed {
        /// Where the page fetches the rulebook (`data-accord-rulebook`).
        pub rulebook_url: String,
        /// Where records and the no-script post go (`data-accord-endpoint`).
        pub endpoint: Option<String>,
        /// The visitor's language; else the rulebook's, else English.
        pub locale: Option<String>,
        /// Whose questions to ask.
        pub audience: Audience,
        /// `auto`, `light` or `dark`.
        pub theme: Option<String>,
        /// The loader's URL (`https://cdn.example.com/accord-loader.js`).
        pub loader: String,
        /// The folder of the widget's other files, as the loader names it
        /// (`accord/` beside the loader, or a release's `accord/<hash>/`,
        /// which its `manifest.json` gives as `assets`).
        pub assets: String,
    }

    /// The built-in string tables, as the widget fetches them.
    const TABLES: &[(&str, &str)] = &[
        ("de", include_str!("../../../static/locales/de.json")),
        ("fr", include_str!("../../../static/locales/fr.json")),
        ("es", include_str!("../../../static/locales/es.json")),
        ("pt", include_str!("../../../static/locales/pt.json")),
        ("nl", include_str!("../../../static/locales/nl.json")),
        ("it", include_str!("../../../static/locales/it.json")),
    ];

    /// The strings the widget would use for `locale` with `rulebook`.
    fn strings(locale: &str, rulebook: &Rulebook) -> Strings {
        let primary = locale.split('-').next().unwrap_or_default();
        let table: BTreeMap<String, String> = TABLES
            .iter()
            .find(|(tag, _)| tag.eq_ignore_ascii_case(primary))
            .and_then(|(_, json)| serde_json::from_str(json).ok())
            .unwrap_or_default();
        Strings::new(locale, &table, &rulebook.doc().strings)
    }

    /// The snippet for a landing page: the host element with the
    /// prerendered form in its declarative shadow root, and the loader.
    /// Every value from the rulebook or the embed is escaped: the form's
    /// text is Yew's (escaped), the attributes here are escaped by
    /// `attribute`.
    pub async fn prerender(rulebook: Rc<Rulebook>, embed: &Embed) -> String {
        let locale = embed
            .locale
            .clone()
            .or_else(|| rulebook.doc().locale.clone())
            .filter(|l| accord_core::is_locale_tag(l))
            .unwrap_or_else(|| "en".to_owned());
        let assets = if embed.assets.ends_with('/') {
            embed.assets.clone()
        } else {
            format!("{}/", embed.assets)
        };
        let theme = embed.theme.clone().unwrap_or_else(|| "auto".to_owned());
        let config = Config {
            rulebook: RulebookSource::Url(embed.rulebook_url.clone()),
            endpoint: embed.endpoint.clone(),
            locale: Some(locale.clone()),
            audience: embed.audience,
            theme: theme.clone(),
            asset_base: assets.clone(),
            ..Config::default()
        };
        let prepared = Prepared {
            strings: Rc::new(strings(&locale, &rulebook)),
            rulebook: rulebook.clone(),
            typed: Rc::default(),
            shown_at_ms: None,
        };
        let props = WidgetProps {
            config: Rc::new(config),
            prepared: Some(prepared),
        };
        let form = yew::LocalServerRenderer::<Widget>::with_props(props)
            .hydratable(false)
            .render()
            .await;
        let mut host = format!(
            "<div data-accord-rulebook=\"{}\"",
            attribute(&embed.rulebook_url)
        );
        if let Some(endpoint) = &embed.endpoint {
            host += &format!(" data-accord-endpoint=\"{}\"", attribute(endpoint));
        }
        host += &format!(" data-accord-locale=\"{}\"", attribute(&locale));
        if embed.audience != Audience::Form {
            host += &format!(" data-accord-audience=\"{}\"", embed.audience.name());
        }
        if theme != "auto" {
            host += &format!(" data-accord-theme=\"{}\"", attribute(&theme));
        }
        format!(
            "{host}><template shadowrootmode=\"open\"><link rel=\"stylesheet\" href=\"{css}\"><div class=\"accord-root\" {PRERENDERED}>{form}</div></template></div>\n<script src=\"{loader}\" defer></script>\n",
            css = attribute(&format!("{assets}accord.css")),
            loader = attribute(&embed.loader),
        )
    }

    /// `text` for a double-quoted HTML attribute.
    fn attribute(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }
}
