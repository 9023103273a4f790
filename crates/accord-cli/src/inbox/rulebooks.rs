//! The rulebooks the inbox verifies records against: the files and
//! folders given at start (`--rulebooks`), and the versions published to
//! it since (`POST /api/rulebooks`, from the studio or a script), kept in
//! the store so a restart still knows them. A record of a newly published
//! version verifies from its first lead.

use super::store::{Published, Store};
use super::{error, with_store, App};
use crate::clock::rfc3339_utc;
use accord_core::{agreement_sha256, sign_offs, Rulebook, SignOffState};
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
        Err(e) => eprintln!("inbox: skipping {source}: {e}"),
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

/// `POST /api/rulebooks` (read token): publishes an agreed rulebook. 201
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
    if signed.is_empty() || signed.iter().any(|s| s.state != SignOffState::Current) {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the rulebook is not agreed: it needs at least one sign-off, and every sign-off must cover these rules (accord check --agreed)",
        );
    }
    let reference = rulebook.reference().clone();
    let (kept, at) = (text.to_owned(), rfc3339_utc(SystemTime::now()));
    let stored = {
        let reference = reference.clone();
        with_store(app.clone(), move |store| {
            store.publish_rulebook(&reference, &kept, &at)
        })
        .await
    };
    let body =
        json!({"id": reference.id, "version": reference.version, "sha256": reference.sha256});
    match stored {
        Ok(Published::New) => {
            eprintln!("inbox: verifying against {} {} (published)", reference.id, reference.version);
            app.rulebooks.insert(rulebook);
            (StatusCode::CREATED, Json(body)).into_response()
        }
        Ok(Published::Again) => (StatusCode::OK, Json(body)).into_response(),
        Ok(Published::Conflict(sha)) => error(
            StatusCode::CONFLICT,
            format!(
                "{} {} was published before with other rules (sha256 {sha}): publish these as a new version",
                reference.id, reference.version
            ),
        ),
        Err(response) => response,
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
