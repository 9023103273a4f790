//! `accord embed RULEBOOK --rulebook-url URL`: the snippet for a landing
//! page, with the form's first step prerendered by the widget's own
//! components (`accord_widget_ui::prerender`), so a visitor can type at
//! first paint, and send the form with scripts blocked.

use crate::cli::EmbedArgs;
use crate::error::CliError;
use crate::load;
use accord_core::{secret_in_url, Audience, Rulebook};
use accord_widget_ui::prerender::{prerender, Embed};
use std::io::Write;
use std::rc::Rc;

/// Prints the snippet; an invalid or unpublished rulebook, or a URL that
/// cannot be used, is an error (exit 2).
pub fn run(args: &EmbedArgs) -> Result<bool, CliError> {
    let rulebook = load::published_rulebook(&args.rulebook)?;
    let embed = embed(args)?;
    if embed.endpoint.is_none() {
        eprintln!("accord: without --endpoint, a visitor whose browser runs no script cannot send the form (it would post to the page itself)");
    }
    let snippet = snippet(rulebook, &embed)?;
    std::io::stdout().lock().write_all(snippet.as_bytes())?;
    Ok(false)
}

/// The snippet for `rulebook` embedded as `embed` says. Blocking: Yew's
/// server rendering runs on one thread, so it gets a runtime of its own
/// (the inbox calls this from a blocking task).
pub fn snippet(rulebook: Rulebook, embed: &Embed) -> Result<String, CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(CliError::Write)?;
    let local = tokio::task::LocalSet::new();
    Ok(runtime.block_on(local.run_until(prerender(Rc::new(rulebook), embed))))
}

/// The embed the arguments describe, once every URL is one a page may
/// carry: the page ships to every visitor, so no secrets. The inbox's
/// `POST /api/embed` takes the same options.
pub fn embed(args: &EmbedArgs) -> Result<Embed, CliError> {
    let url = |option: &str, value: &str| -> Result<String, CliError> {
        if value.trim().is_empty() || value.chars().any(char::is_control) {
            return Err(CliError::Usage(format!("--{option} must be a URL")));
        }
        if let Some(why) = secret_in_url(value) {
            return Err(CliError::Usage(format!(
                "--{option} is not usable: {why}; the page ships to every visitor, so secrets belong on the backend"
            )));
        }
        Ok(value.to_owned())
    };
    let endpoint = match &args.endpoint {
        Some(e) if !web_or_path(e) => {
            return Err(CliError::Usage(
                "--endpoint must be an http(s) URL, or a path on the page's own site: the form posts itself there".into(),
            ))
        }
        Some(e) => Some(url("endpoint", e)?),
        None => None,
    };
    let loader = url("loader", &args.loader)?;
    if !web_or_path(&loader) {
        return Err(CliError::Usage(
            "--loader must be an http(s) URL, or a path on the page's own site".into(),
        ));
    }
    // The loader's folder: where the loader finds the widget's files.
    let beside = &loader[..loader.rfind('/').map_or(0, |i| i + 1)];
    let assets = match &args.assets {
        // A release's `manifest.json` names them relative to the loader.
        Some(a) if !a.contains(':') && !a.starts_with('/') => {
            url("assets", &format!("{beside}{a}"))?
        }
        Some(a) if !web_or_path(a) => {
            return Err(CliError::Usage(
                "--assets must be an http(s) URL, a path on the page's own site, or a folder relative to the loader (manifest.json's `assets`)".into(),
            ))
        }
        Some(a) => url("assets", a)?,
        None => format!("{beside}accord/"),
    };
    if let Some(locale) = &args.locale {
        if !accord_core::is_locale_tag(locale) {
            return Err(CliError::Usage(format!(
                "--locale {locale} is not a language tag such as de or pt-BR"
            )));
        }
    }
    Ok(Embed {
        rulebook_url: url("rulebook-url", &args.rulebook_url)?,
        endpoint,
        locale: args.locale.clone(),
        audience: Audience::from_name(&args.audience).unwrap_or(Audience::Form),
        theme: Some(args.theme.clone()),
        loader,
        assets,
    })
}

/// Whether `url` is an `http(s)` URL or a path on the page's own site:
/// not `//host/…` or `/\host/…`, which browsers read as another site.
fn web_or_path(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || (url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\"))
}
