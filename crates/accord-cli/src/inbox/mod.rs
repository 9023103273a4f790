//! `accord inbox` and `accord serve`: receive lead records over HTTP.
//!
//! A local receiver for development and small teams. `POST /api/records`
//! takes a record as `application/json` or `text/plain` (the widget's
//! preflight-free encoding), is idempotent on `submission_id`, verifies the
//! record against the rulebooks it knows, and stores it in SQLite before it
//! answers — a mismatching or unknown-rulebook record is stored and flagged,
//! never dropped. `GET /api/records` lists records as JSON,
//! `GET /api/records.csv` exports them, `GET /inbox` shows them as a page.
//! `POST /api/feedback` takes sales feedback on a lead (idempotent on
//! `feedback_id`; a rejection's reason is checked against the lead's
//! rulebook when the inbox has it), `GET /api/feedback` lists it and
//! `POST /api/failures` takes a browser's report that a destination refused
//! a record (the record is stored too), `GET /api/failures` lists them.
//! `GET /api/summary` gives, per rulebook version and grade, how many leads
//! sales accepted or rejected and why — also shown on the page.
//! `accord serve` adds the built site (Trunk's `dist/`) on the same port.

mod access;
mod ingest;
mod limits;
mod page;
mod plain_form;
mod report;
mod report_page;
mod rulebooks;
mod store;

use crate::cli::{InboxArgs, ServeArgs};
use crate::clock::rfc3339_utc;
use crate::error::CliError;
use access::Access;
use accord_core::{verify_record, verify_shadow, LeadRecord, Rulebook};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;
use store::{Checks, Store, Verification};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;

pub use ingest::{parse, parse_feedback, BodyError};
pub use limits::Limits;
// The enrichment server (`enrich_server.rs`) is served the same way.
pub(crate) use access::{host_name, is_loopback, is_token_byte, same, MIN_TOKEN_LEN};
pub(crate) use limits::{rate_limit, RateLimit};

/// Shared by every request.
struct App {
    store: Mutex<Store>,
    /// The database file, for readers with a connection of their own.
    db: PathBuf,
    rulebooks: rulebooks::Rulebooks,
    /// The pages show a sign-out button (the inbox has tokens).
    sign_out: bool,
}

/// Runs `accord inbox` until Ctrl-C or SIGTERM.
pub fn run_inbox(args: &InboxArgs) -> Result<bool, CliError> {
    let addr = args.addr_or("127.0.0.1:8787");
    let access = Arc::new(Access::new(args, &addr)?);
    let router =
        api(args, access.tokens_required())?.route("/", get(|| async { Redirect::to("/inbox") }));
    serve(
        guarded(router, access, args),
        &addr,
        args.limits(),
        "inbox",
        INBOX_STOPPED,
    )
}

/// Runs `accord serve`: the built site and the inbox on one port.
pub fn run_serve(args: &ServeArgs) -> Result<bool, CliError> {
    let pages = std::fs::read_dir(&args.dist)
        .map(|dir| {
            dir.filter_map(Result::ok)
                .any(|e| e.path().extension().is_some_and(|x| x == "html"))
        })
        .unwrap_or(false);
    if !pages {
        return Err(CliError::Serve(format!(
            "{} has no .html page: build the site first (trunk build --release), or unpack the release's studio and console bundles into it",
            args.dist.display()
        )));
    }
    let addr = args.inbox.addr_or("127.0.0.1:8080");
    let access = Arc::new(Access::new(&args.inbox, &addr)?);
    let mut router = api(&args.inbox, access.tokens_required())?;
    // A folder of the release's bundles has no landing page: `/` is the inbox.
    if !args.dist.join("index.html").is_file() {
        router = router.route("/", get(|| async { Redirect::to("/inbox") }));
    }
    let router = router.fallback_service(ServeDir::new(&args.dist));
    serve(
        guarded(router, access, &args.inbox),
        &addr,
        args.inbox.limits(),
        "serve",
        INBOX_STOPPED,
    )
}

/// Every request passes the rate limit (`limits.rs`), then the access
/// checks (`access.rs`): the host, the origin of posts, and the token a
/// route needs.
fn guarded(router: Router, access: Arc<Access>, args: &InboxArgs) -> Router {
    let rate = Arc::new(limits::RateLimit::new(
        args.rate_limit,
        args.rate_burst,
        args.trusted_proxies.clone(),
    ));
    router
        .route(
            "/inbox/login",
            axum::routing::post(access::login).with_state(access.clone()),
        )
        .route(
            "/inbox/logout",
            axum::routing::post(access::logout).with_state(access.clone()),
        )
        .layer(axum::middleware::from_fn_with_state(access, access::guard))
        .layer(axum::middleware::from_fn_with_state(
            rate,
            limits::rate_limit,
        ))
        .layer(axum::middleware::from_fn(plain_form::refusals_as_pages))
}

fn api(args: &InboxArgs, sign_out: bool) -> Result<Router, CliError> {
    let store = Store::open(&args.db)
        .map_err(|e| CliError::Serve(format!("cannot open {}: {e}", args.db.display())))?;
    let rulebooks = rulebooks::Rulebooks::load(&args.rulebooks, &store);
    let app = Arc::new(App {
        store: Mutex::new(store),
        db: args.db.clone(),
        rulebooks,
        sign_out,
    });
    // Cross-origin posting of records and failure reports only: reads
    // never answer another site (no Access-Control-Allow-Origin on them),
    // and feedback comes from the console on the inbox's own origin.
    let mut post_records = axum::routing::post(post_record);
    let mut post_failures = axum::routing::post(post_failure);
    if !args.allow_origins.is_empty() {
        let cors = CorsLayer::new()
            .allow_origin(allowed_origins(&args.allow_origins)?)
            .allow_methods([Method::POST])
            .allow_headers([
                header::CONTENT_TYPE,
                header::HeaderName::from_static("idempotency-key"),
            ]);
        post_records = post_records.layer(cors.clone());
        post_failures = post_failures.layer(cors);
    }
    let router = Router::new()
        .route("/api/records", get(list_records).merge(post_records))
        .route("/api/records.csv", get(export_csv))
        .route("/api/failures", get(list_failures).merge(post_failures))
        .route("/api/feedback", get(list_feedback).post(post_feedback))
        .route(
            "/api/outcomes",
            axum::routing::post(post_outcomes).layer(DefaultBodyLimit::max(MAX_OUTCOMES_BODY)),
        )
        .route(
            "/api/rulebooks",
            get(rulebooks::list_rulebooks)
                .post(rulebooks::post_rulebook)
                .layer(DefaultBodyLimit::max(rulebooks::MAX_RULEBOOK_BODY)),
        )
        .route(
            "/api/embed",
            axum::routing::post(rulebooks::post_embed)
                .layer(DefaultBodyLimit::max(rulebooks::MAX_EMBED_BODY)),
        )
        .route("/api/summary", get(summary))
        .route("/api/report", get(report_json))
        .route("/api/report.csv", get(report_csv))
        .route("/inbox/report", get(report_page))
        .route("/inbox", get(inbox_page))
        .layer(DefaultBodyLimit::max(ingest::MAX_BODY))
        .with_state(app);
    Ok(router)
}

/// The CORS origins `--allow-origin` names (`*` for any); an origin that
/// cannot be a header value is refused at start.
pub(crate) fn allowed_origins(origins: &[String]) -> Result<AllowOrigin, CliError> {
    if origins.iter().any(|o| o == "*") {
        return Ok(AllowOrigin::any());
    }
    let list: Vec<HeaderValue> = origins
        .iter()
        .map(|o| {
            HeaderValue::from_str(o.trim_end_matches('/'))
                .map_err(|_| CliError::Serve(format!("invalid origin {o:?}")))
        })
        .collect::<Result<_, _>>()?;
    Ok(AllowOrigin::list(list))
}

/// What the inbox says when it stops.
const INBOX_STOPPED: &str = "; every acknowledged record is stored";

/// Serves `router` on `addr` within `limits` until Ctrl-C or SIGTERM,
/// printing the address it listens on (`what` names the command) and,
/// when it stops, `stopped` after "stopped".
pub(crate) fn serve(
    router: Router,
    addr: &str,
    limits: Limits,
    what: &str,
    stopped: &str,
) -> Result<bool, CliError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Serve(e.to_string()))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| CliError::Serve(format!("cannot listen on {addr}: {e}")))?;
        let bound = listener
            .local_addr()
            .map_err(|e| CliError::Serve(e.to_string()))?;
        // Tests and scripts read this line to learn the port.
        println!("accord {what}: listening on http://{bound}");
        use std::io::Write;
        std::io::stdout().flush()?;
        limits::serve(listener, router, limits, shutdown_signal()).await;
        eprintln!("accord {what}: stopped{stopped}");
        Ok(false)
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

fn error(status: StatusCode, message: impl std::fmt::Display) -> Response {
    (status, Json(json!({"error": message.to_string()}))).into_response()
}

/// The answer to a body that is not accepted: 415 for another content
/// type, 422 for feedback that does not hold together, else 400.
fn refused(e: BodyError) -> Response {
    let status = match e {
        BodyError::ContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        BodyError::InvalidFeedback(_) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::BAD_REQUEST,
    };
    error(status, e)
}

fn verify(rulebooks: &[Rulebook], record: &LeadRecord) -> Checks {
    let (verification, discrepancies) =
        match rulebooks.iter().find(|r| r.reference() == &record.rulebook) {
            None => (Verification::UnknownRulebook, Vec::new()),
            Some(r) => {
                let found = verify_record(r, record);
                if found.is_empty() {
                    (Verification::Verified, found)
                } else {
                    (Verification::Mismatch, found)
                }
            }
        };
    let shadow = record.shadow.as_ref().map(|shadow| {
        match rulebooks.iter().find(|r| r.reference() == &shadow.rulebook) {
            None => Verification::UnknownRulebook,
            Some(r) if verify_shadow(r, record).is_empty() => Verification::Verified,
            Some(_) => Verification::Mismatch,
        }
    });
    Checks {
        verification,
        discrepancies,
        shadow,
    }
}

/// Runs `f` with the store on a blocking thread. A failure becomes a 503
/// (the client should retry), never a panic.
async fn with_store<T: Send + 'static>(
    app: Arc<App>,
    f: impl FnOnce(&Store) -> rusqlite::Result<T> + Send + 'static,
) -> Result<T, Response> {
    let result = tokio::task::spawn_blocking(move || match app.store.lock() {
        Ok(store) => f(&store).map_err(|e| e.to_string()),
        Err(_) => Err("the store is unavailable".to_owned()),
    })
    .await;
    match result {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(error(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("storage failed, retry: {e}"),
        )),
        Err(e) => Err(error(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("storage failed, retry: {e}"),
        )),
    }
}

async fn post_record(
    State(app): State<Arc<App>>,
    by_sales: Option<axum::Extension<access::PostedBySales>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let by_sales = by_sales.is_some_and(|e| e.0 .0);
    let header_text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if plain_form::is_form_post(header_text("content-type")) {
        return post_plain_form(app, &body, header_text("referer")).await;
    }
    let record = match parse(
        header_text("content-type"),
        header_text("idempotency-key"),
        &body,
    ) {
        Ok(r) => r,
        Err(e) => return refused(e),
    };
    let raw = String::from_utf8_lossy(&body).into_owned();
    let id = record.submission_id.clone();
    let checked = verify(&app.rulebooks.read(), &record);
    let answer = json!({"submission_id": id, "stored": "new", "verification": checked.verification,
        "discrepancies": checked.discrepancies, "shadow_verification": checked.shadow});
    match store_record(app, record, raw, checked, by_sales, None).await {
        Ok(Stored::New) => (StatusCode::CREATED, Json(answer)).into_response(),
        Ok(Stored::Duplicate(kept)) => (
            StatusCode::OK,
            Json(json!({"submission_id": id, "stored": "duplicate", "verification": kept})),
        )
            .into_response(),
        Ok(Stored::Conflict) => conflict(&id),
        Err(response) => response,
    }
}

/// A plain HTML form post (inbox/plain_form.rs): a capture form, stored as
/// the widget's capture record would be, or a prerendered rulebook form,
/// qualified by its rulebook; answered with a page.
async fn post_plain_form(app: Arc<App>, body: &[u8], referer: Option<&str>) -> Response {
    const THANKS: &str = "We received your details and will be in touch.";
    let read = plain_form::read(
        body,
        rfc3339_utc(SystemTime::now()),
        &app.rulebooks.read(),
        referer,
    );
    let (record, back, outcome) = match read {
        Ok(plain_form::Posted::Lead(record, back, outcome)) => (*record, back, outcome),
        Ok(plain_form::Posted::Bot) => return plain_form::answer(StatusCode::OK, THANKS, None),
        Err(problem) => return plain_form::answer(StatusCode::BAD_REQUEST, &problem, None),
    };
    let raw = accord_core::canonical_json(&json!(record));
    let checked = verify(&app.rulebooks.read(), &record);
    // Posted again (a reload, a double click, the loader's second try):
    // the first is kept, and the visitor is thanked as the first time.
    match store_record(app, record, raw, checked, false, None).await {
        Ok(_) => plain_form::outcome_page(outcome.as_ref(), THANKS, back.as_deref()),
        Err(_) => plain_form::answer(
            StatusCode::SERVICE_UNAVAILABLE,
            "Your details could not be saved just now. Please go back and send them again in a minute.",
            back.as_deref(),
        ),
    }
}

/// The answer to a second, different record under a stored id (logged).
fn conflict(id: &str) -> Response {
    eprintln!(
        "inbox: refused a second, different record for submission_id {id}; the first is kept"
    );
    error(
        StatusCode::CONFLICT,
        format!("submission_id {id} is already stored with a different record; the first is kept"),
    )
}

/// Stores a verified record (once per submission id), and with it a
/// failure report when one came along, in one go.
async fn store_record(
    app: Arc<App>,
    record: LeadRecord,
    raw: String,
    checked: Checks,
    by_sales: bool,
    failure: Option<ingest::FailureReport>,
) -> Result<Stored, Response> {
    with_store(app, move |store| {
        let received_at = rfc3339_utc(SystemTime::now());
        if let Some(failure) = &failure {
            store.insert_failure(failure, &received_at)?;
        }
        if store.insert(&record, &raw, &received_at, &checked, by_sales)? {
            return Ok(Stored::New);
        }
        let first = store.raw_of(&record.submission_id)?.unwrap_or_default();
        if !same_record(&first, &raw) {
            return Ok(Stored::Conflict);
        }
        Ok(Stored::Duplicate(
            store.verification_of(&record.submission_id)?,
        ))
    })
    .await
}

/// `POST /api/failures`: a browser's report that a destination refused a
/// record. The record is stored as if posted (so the lead reaches the
/// inbox), and the failure beside it.
async fn post_failure(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let (failure, record, raw) = match ingest::parse_failure(content_type, &body) {
        Ok(read) => read,
        Err(e) => return refused(e),
    };
    let id = record.submission_id.clone();
    let what = match failure.destination {
        Some(n) => format!("destination {n}"),
        None => "the rulebook".to_owned(),
    };
    eprintln!(
        "inbox: {what} ({}) failed submission {id}: {}",
        crate::terminal::escaped(&failure.url),
        crate::terminal::escaped(&failure.reason)
    );
    let checked = verify(&app.rulebooks.read(), &record);
    match store_record(app, record, raw, checked, false, Some(failure)).await {
        Ok(Stored::New) => (
            StatusCode::CREATED,
            Json(json!({"submission_id": id, "record": "new"})),
        )
            .into_response(),
        Ok(Stored::Duplicate(_)) => (
            StatusCode::OK,
            Json(json!({"submission_id": id, "record": "duplicate"})),
        )
            .into_response(),
        // The failure is kept; the record under that id stays the first.
        Ok(Stored::Conflict) => conflict(&id),
        Err(response) => response,
    }
}

async fn list_failures(State(app): State<Arc<App>>, Query(q): Query<ListQuery>) -> Response {
    let limit = q.limit.unwrap_or(100).min(10_000);
    match with_store(app, move |store| store.list_failures(limit)).await {
        Ok(list) => Json(json!({"failures": list})).into_response(),
        Err(response) => response,
    }
}

/// What posting a record did.
enum Stored {
    /// Stored now.
    New,
    /// The same record was already stored (a retry), with its verification.
    Duplicate(Option<String>),
    /// Another record with the same submission id is stored.
    Conflict,
}

/// Whether two posted bodies are the same record: equal as JSON, with the
/// submission id compared case-insensitively (a retry may re-encode the
/// text, never change the record).
fn same_record(first: &str, again: &str) -> bool {
    let read = |text: &str| -> Option<serde_json::Value> {
        let mut value: serde_json::Value = serde_json::from_str(text).ok()?;
        let id = value.get_mut("submission_id")?;
        *id = serde_json::Value::String(id.as_str()?.to_ascii_lowercase());
        Some(value)
    };
    matches!((read(first), read(again)), (Some(a), Some(b)) if a == b)
}

async fn post_feedback(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let header_text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let feedback = match parse_feedback(
        header_text("content-type"),
        header_text("idempotency-key"),
        &body,
        &app.rulebooks.read(),
    ) {
        Ok(f) => f,
        Err(e) => return refused(e),
    };
    // Stored as read: ids in lower case, the reason's label the rulebook's.
    let text = serde_json::to_string(&feedback).unwrap_or_default();
    let id = feedback.feedback_id.clone();
    let stored = with_store(app, move |store| {
        if store.raw_of(&feedback.submission_id)?.is_none() {
            return Ok(None);
        }
        store
            .insert_feedback(&feedback, &text, &rfc3339_utc(SystemTime::now()))
            .map(Some)
    })
    .await;
    match stored {
        Ok(None) => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid feedback: no lead with this submission_id is stored in this inbox",
        ),
        Ok(Some(true)) => (
            StatusCode::CREATED,
            Json(json!({"feedback_id": id, "stored": "new"})),
        )
            .into_response(),
        Ok(Some(false)) => (
            StatusCode::OK,
            Json(json!({"feedback_id": id, "stored": "duplicate"})),
        )
            .into_response(),
        Err(response) => response,
    }
}

async fn list_feedback(State(app): State<Arc<App>>, Query(q): Query<ListQuery>) -> Response {
    let limit = q.limit.unwrap_or(100).min(10_000);
    match with_store(app, move |store| store.list_feedback(limit)).await {
        Ok(list) => Json(json!({"feedback": list})).into_response(),
        Err(response) => response,
    }
}

/// The largest outcomes file `POST /api/outcomes` takes (about 150,000
/// rows); larger files go through `accord inbox import-outcomes`.
pub const MAX_OUTCOMES_BODY: usize = 16 * 1024 * 1024;

/// At most this many skipped rows are listed in an answer; the count is
/// always whole.
const LISTED_PROBLEMS: usize = 100;

/// `POST /api/outcomes`: an outcomes file (docs/outcomes.md) as CSV or
/// JSON Lines. Good rows are stored, bad ones listed by line.
async fn post_outcomes(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if !OUTCOME_TYPES.contains(&essence.as_str()) {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "send the outcomes file as one of {}",
                OUTCOME_TYPES.join(", ")
            ),
        );
    }
    let Ok(text) = std::str::from_utf8(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "the outcomes file is not UTF-8 text",
        );
    };
    let file = accord_core::read_outcomes(text);
    match with_store(app, move |store| {
        store.import_outcomes(file, &rfc3339_utc(SystemTime::now()))
    })
    .await
    {
        Ok(done) => Json(imported_json(&done)).into_response(),
        Err(response) => response,
    }
}

/// The content types an outcomes file may come as.
const OUTCOME_TYPES: [&str; 5] = [
    "text/csv",
    "application/x-ndjson",
    "application/jsonl",
    "application/json",
    "text/plain",
];

/// What an import did, as JSON: the counts, and the first skipped rows.
pub fn imported_json(done: &store::Imported) -> serde_json::Value {
    json!({
        "imported": done.imported,
        "duplicates": done.duplicates,
        "skipped": done.skipped_total,
        "problems": done.skipped.iter().take(LISTED_PROBLEMS).collect::<Vec<_>>(),
    })
}

/// `accord inbox import-outcomes FILE`: stores an outcomes file straight
/// into the database, beside a running inbox or not (SQLite's WAL and busy
/// timeout let both write).
/// Runs `accord inbox backup`: a consistent copy of the database in a new
/// file, written while the inbox may be running, then checked.
pub fn run_backup(args: &crate::cli::BackupArgs) -> Result<bool, CliError> {
    let records = store::backup(&args.db, &args.dest).map_err(CliError::Serve)?;
    println!(
        "backed up {} ({records} records) to {}; its integrity check passed",
        crate::terminal::escaped(&args.db.display().to_string()),
        crate::terminal::escaped(&args.dest.display().to_string())
    );
    Ok(false)
}

pub fn run_import_outcomes(args: &crate::cli::ImportOutcomesArgs) -> Result<bool, CliError> {
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| CliError::Serve(format!("cannot read {}: {e}", args.file.display())))?;
    let store = Store::open(&args.db)
        .map_err(|e| CliError::Serve(format!("cannot open {}: {e}", args.db.display())))?;
    let file = accord_core::read_outcomes(&text);
    let done = store
        .import_outcomes(file, &rfc3339_utc(SystemTime::now()))
        .map_err(|e| CliError::Serve(format!("cannot store outcomes: {e}")))?;
    if args.json {
        println!("{}", imported_json(&done));
    } else {
        for p in &done.skipped {
            println!(
                "{}:{}: skipped: {}",
                crate::terminal::escaped(&args.file.display().to_string()),
                p.line,
                crate::terminal::escaped(&p.error)
            );
        }
        println!(
            "{} imported, {} already there, {} skipped",
            done.imported, done.duplicates, done.skipped_total
        );
    }
    Ok(done.skipped_total > 0)
}

/// Computes the report from the store's rows, now.
async fn compute_report(app: Arc<App>) -> Result<report::Report, Response> {
    let rows = with_store(app.clone(), |store| store.report_rows()).await?;
    let now = rfc3339_utc(SystemTime::now());
    Ok(report::report(&rows, &app.rulebooks.read(), &now))
}

/// `GET /api/report`: the pipeline report as JSON.
async fn report_json(State(app): State<Arc<App>>) -> Response {
    match compute_report(app).await {
        Ok(r) => Json(r).into_response(),
        Err(response) => response,
    }
}

#[derive(serde::Deserialize)]
struct TableQuery {
    table: Option<String>,
}

/// `GET /api/report.csv?table=weeks|sources|reasons|speed`: one table as
/// CSV.
async fn report_csv(State(app): State<Arc<App>>, Query(q): Query<TableQuery>) -> Response {
    let table = q.table.unwrap_or_else(|| "weeks".into());
    let Some(kind) = report::Table::from_name(&table) else {
        return error(
            StatusCode::BAD_REQUEST,
            "table must be weeks, sources, reasons or speed",
        );
    };
    match compute_report(app).await {
        Ok(r) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"accord-report-{table}.csv\""),
                ),
            ],
            report::csv(&r, kind),
        )
            .into_response(),
        Err(response) => response,
    }
}

/// `GET /inbox/report`: the report as a page.
async fn report_page(State(app): State<Arc<App>>) -> Response {
    let sign_out = app.sign_out;
    match compute_report(app).await {
        Ok(r) => Html(report_page::render(&r, sign_out)).into_response(),
        Err(response) => response,
    }
}

async fn summary(State(app): State<Arc<App>>) -> Response {
    match with_store(app, |store| store.summary()).await {
        Ok(groups) => Json(json!({"grades": groups})).into_response(),
        Err(response) => response,
    }
}

#[derive(serde::Deserialize)]
struct ListQuery {
    limit: Option<u32>,
}

async fn list_records(State(app): State<Arc<App>>, Query(q): Query<ListQuery>) -> Response {
    let limit = q.limit.unwrap_or(100).min(10_000);
    match with_store(app, move |store| Ok((store.count()?, store.list(limit)?))).await {
        Ok((total, records)) => Json(json!({"total": total, "records": records})).into_response(),
        Err(response) => response,
    }
}

async fn inbox_page(State(app): State<Arc<App>>) -> Response {
    let sign_out = app.sign_out;
    let read = move |store: &Store| {
        Ok(page::Page {
            records: store.list(500)?,
            total: store.count()?,
            verdicts: store.latest_verdicts()?,
            summary: store.summary()?,
            sign_out,
            failures: store.list_failures(100)?,
        })
    };
    match with_store(app, read).await {
        Ok(view) => Html(page::render(&view)).into_response(),
        Err(response) => response,
    }
}

/// `GET /api/records.csv`: streamed from a read-only connection of its
/// own, so memory stays flat and posts are not held up, however many
/// records there are.
async fn export_csv(State(app): State<Arc<App>>) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<String>>(4);
    let path = app.db.clone();
    tokio::task::spawn_blocking(move || {
        let sent = Store::export_csv(&path, |chunk| tx.blocking_send(Ok(chunk)).is_ok());
        if let Err(e) = sent {
            // The body ends with an error: the client sees a broken
            // download, never a silently short one.
            let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    let chunks = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"accord-records.csv\"",
            ),
        ],
        axum::body::Body::from_stream(chunks),
    )
        .into_response()
}
