//! The rulebooks the inbox verifies records against: the files and
//! folders given at start (`--rulebooks`), and the versions published to
//! it since (`POST /api/rulebooks`, from the studio or a script), kept in
//! the store so a restart still knows them. A record of a newly published
//! version verifies from its first lead.

use super::store::{Published, Store};
use super::{error, with_store, App};
use crate::cli::EmbedArgs;
use crate::clock::rfc3339_utc;
use crate::terminal::escaped;
use accord_core::{agreement_sha256, is_agreed, sign_offs, Rulebook, RulebookRef};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::{Arc, RwLock, RwLockReadGuard};
use std::time::SystemTime;

/// The largest rulebook the inbox takes (the studio opens 2 MB at most).
pub const MAX_RULEBOOK_BODY: usize = 2 * 1024 * 1024;

/// The most versions an inbox keeps published: each is held in memory.
pub const MAX_PUBLISHED: u64 = 1_000;

/// The rulebooks the inbox knows.
pub struct Rulebooks(RwLock<Vec<Rulebook>>);

impl Rulebooks {
    /// Reads the files and folders given at start, then the published
    /// versions in the store; an invalid one is reported and skipped, so
    /// one bad file does not stop the inbox.
    pub fn load(paths: &[PathBuf], store: &Store) -> Rulebooks {
        let mut known = Vec::new();
        for file in files(paths) {
            let read = std::fs::read_to_string(&file).map_err(|e| e.to_string());
            add(&mut known, read, &file.display().to_string());
        }
        match store.published_rulebooks() {
            Ok(list) => {
                for (text, at) in list {
                    add(&mut known, Ok(text), &format!("published {at}"));
                }
            }
            Err(e) => eprintln!("inbox: cannot read the published rulebooks: {e}"),
        }
        Rulebooks(RwLock::new(known))
    }

    /// The rulebooks, for reading.
    pub fn read(&self) -> RwLockReadGuard<'_, Vec<Rulebook>> {
        self.0.read().unwrap_or_else(|e| e.into_inner())
    }

    fn insert(&self, rulebook: Rulebook) {
        let mut list = self.0.write().unwrap_or_else(|e| e.into_inner());
        if !list.iter().any(|r| r.reference() == rulebook.reference()) {
            list.push(rulebook);
        }
    }
}

fn add(known: &mut Vec<Rulebook>, text: Result<String, String>, source: &str) {
    match text.and_then(|t| Rulebook::from_json(&t).map_err(|e| e.to_string())) {
        Ok(r) => {
            let reference = r.reference();
            eprintln!(
                "inbox: verifying against {} {} ({source})",
                reference.id, reference.version
            );
            if !known.iter().any(|k| k.reference() == reference) {
                known.push(r);
            }
        }
        Err(e) => eprintln!("inbox: skipping {}: {}", escaped(source), escaped(&e)),
    }
}

/// The `.json` files of the given files and folders, each folder's in
/// name order.
fn files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            if let Ok(entries) = std::fs::read_dir(path) {
                let mut found: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "json"))
                    .collect();
                found.sort();
                files.extend(found);
            }
        } else {
            files.push(path.clone());
        }
    }
    files
}

/// `POST /api/rulebooks` (publish token): publishes an agreed rulebook. 201
/// for a new version, 200 for one published before with the same content,
/// 409 for a version published with other content, 422 for a rulebook
/// that is invalid or not agreed (every sign-off must cover its rules).
pub async fn post_rulebook(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let Ok(text) = std::str::from_utf8(&body) else {
        return error(StatusCode::BAD_REQUEST, "the rulebook is not UTF-8 text");
    };
    let rulebook = match Rulebook::from_json(text) {
        Ok(r) => r,
        Err(errors) => {
            let list: Vec<String> = errors.errors().iter().map(ToString::to_string).collect();
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({"error": "the rulebook is not valid", "errors": list})),
            )
                .into_response();
        }
    };
    let value: Value = serde_json::from_str(text).unwrap_or_default();
    let signed = sign_offs(rulebook.doc(), &agreement_sha256(&value));
    if !is_agreed(&signed) {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the rulebook is not agreed: it needs at least one sign-off, and every sign-off must cover these rules (accord check --agreed)",
        );
    }
    let reference = rulebook.reference().clone();
    // A version given at start (`--rulebooks`) is as fixed as a published one.
    let known = app.rulebooks.read().iter().find_map(|r| {
        let r = r.reference();
        (r.id == reference.id && r.version == reference.version && r.sha256 != reference.sha256)
            .then(|| r.sha256.clone())
    });
    if let Some(sha) = known {
        return conflict(&reference, &sha);
    }
    let (kept, at) = (text.to_owned(), rfc3339_utc(SystemTime::now()));
    let stored = {
        let reference = reference.clone();
        with_store(app.clone(), move |store| {
            store.publish_rulebook(&reference, &kept, &at, MAX_PUBLISHED)
        })
        .await
    };
    let body =
        json!({"id": reference.id, "version": reference.version, "sha256": reference.sha256});
    match stored {
        Ok(Published::New) => {
            eprintln!(
                "inbox: verifying against {} {} (published)",
                escaped(&reference.id),
                escaped(&reference.version)
            );
            app.rulebooks.insert(rulebook);
            (StatusCode::CREATED, Json(body)).into_response()
        }
        Ok(Published::Again) => (StatusCode::OK, Json(body)).into_response(),
        Ok(Published::Conflict(sha)) => conflict(&reference, &sha),
        Ok(Published::Full) => error(
            StatusCode::INSUFFICIENT_STORAGE,
            format!("this inbox holds {MAX_PUBLISHED} published versions, its most; none is taken"),
        ),
        Err(response) => response,
    }
}

/// 409: the version is known with other rules.
fn conflict(reference: &RulebookRef, sha: &str) -> Response {
    error(
        StatusCode::CONFLICT,
        format!(
            "{} {} is known with other rules (sha256 {sha}): publish these as a new version",
            escaped(&reference.id),
            escaped(&reference.version)
        ),
    )
}

/// The largest `POST /api/embed` body: a rulebook's id and version and a
/// few URLs.
pub const MAX_EMBED_BODY: usize = 16 * 1024;

/// `POST /api/embed`: the snippet for a landing page with the form of a
/// rulebook version this inbox has, prerendered (as `accord embed`
/// prints it), for the studio to offer once it has published. Body:
/// `{"id", "version", "rulebook_url"}` and optionally `endpoint`,
/// `loader`, `assets`, `locale`, `audience`, `theme`, as `accord embed`'s
/// options. `200 {"snippet"}`; `400` for an option a page may not carry,
/// `404` for a version the inbox does not have.
pub async fn post_embed(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let Ok(Value::Object(options)) = serde_json::from_slice::<Value>(&body) else {
        return error(StatusCode::BAD_REQUEST, "the body must be a JSON object");
    };
    let text = |key: &str| options.get(key).and_then(Value::as_str).map(str::to_owned);
    let (Some(id), Some(version), Some(rulebook_url)) =
        (text("id"), text("version"), text("rulebook_url"))
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "id, version and rulebook_url are required",
        );
    };
    let one_of = |key: &str, names: &[&str]| match text(key) {
        None => Ok(names[0].to_owned()),
        Some(v) if names.contains(&v.as_str()) => Ok(v),
        Some(v) => Err(format!("{key} `{v}` is not one of {}", names.join(", "))),
    };
    let (audience, theme) = match (
        one_of("audience", &["form", "call"]),
        one_of("theme", &["auto", "light", "dark"]),
    ) {
        (Ok(a), Ok(t)) => (a, t),
        (Err(e), _) | (_, Err(e)) => return error(StatusCode::BAD_REQUEST, e),
    };
    let args = EmbedArgs {
        rulebook: PathBuf::new(),
        rulebook_url,
        endpoint: text("endpoint").filter(|e| !e.is_empty()),
        loader: text("loader")
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| "/accord-loader.js".into()),
        assets: text("assets").filter(|a| !a.is_empty()),
        locale: text("locale").filter(|l| !l.is_empty()),
        audience,
        theme,
    };
    let embed = match crate::embed::embed(&args) {
        Ok(embed) => embed,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    let rulebook = app
        .rulebooks
        .read()
        .iter()
        .find(|r| r.reference().id == id && r.reference().version == version)
        .cloned();
    let Some(rulebook) = rulebook else {
        return error(
            StatusCode::NOT_FOUND,
            format!("the inbox has no rulebook {id} version {version}: publish it first"),
        );
    };
    match tokio::task::spawn_blocking(move || crate::embed::snippet(rulebook, &embed)).await {
        Ok(Ok(snippet)) => Json(json!({"snippet": snippet})).into_response(),
        _ => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the snippet could not be made",
        ),
    }
}

/// `GET /api/rulebooks` (read token): the rulebooks the inbox verifies
/// against, `[{id, version, sha256}]`.
pub async fn list_rulebooks(State(app): State<Arc<App>>) -> Response {
    let list: Vec<_> = app
        .rulebooks
        .read()
        .iter()
        .map(|r| r.reference().clone())
        .collect();
    Json(json!({"rulebooks": list})).into_response()
}
