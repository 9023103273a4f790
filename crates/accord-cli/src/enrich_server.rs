//! `accord enrich-server --data companies.csv`: a team's own enrichment
//! lookup, domain → attributes, from a CSV such as a CRM's account export.
//!
//! `GET /v1/company?domain=acme.com` answers the row of that domain (or of
//! the domain it is under: `eu.acme.com` finds `acme.com`) as a JSON
//! object of the served columns, and `404` for a domain it does not know,
//! which a rulebook's `http` provider reads as "found nothing".
//!
//! Served like the inbox (`inbox/limits.rs`): connection limits, a rate
//! limit per client, a host check, and CORS for the sites whose widgets
//! look up (`--allow-origin`). A lookup carries no secret from a browser,
//! so by default anyone who can reach the server can read the served
//! columns of every row: `--columns` serves only the columns named, and
//! with tokens (`lookup TOKEN` in `--tokens-file`) only server-side callers
//! holding one get answers (the widget then reaches it through the team's
//! own server).

use crate::cli::EnrichServerArgs;
use crate::error::CliError;
use crate::inbox::{
    allowed_origins, host_name, is_loopback, is_token_byte, rate_limit, same, serve, Limits,
    RateLimit, MIN_TOKEN_LEN,
};
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use tower_http::cors::CorsLayer;

/// The environment variable that may hold lookup tokens (comma- or
/// space-separated), besides `--tokens-file`.
pub const TOKENS_ENV: &str = "ACCORD_LOOKUP_TOKENS";

/// Normalised domain → the served columns of its row.
type Rows = HashMap<String, Map<String, Value>>;

/// The loaded table and who may read it.
struct Table {
    rows: Rows,
    hosts: Vec<String>,
    tokens: Vec<String>,
}

/// Runs `accord enrich-server` until Ctrl-C or SIGTERM.
pub fn run(args: &EnrichServerArgs) -> Result<bool, CliError> {
    let addr = args.addr.clone();
    let (rows, served) = load(&args.data, &args.key, &args.columns)?;
    let tokens = tokens(args)?;
    if !is_loopback(&addr) && args.hosts.is_empty() {
        return Err(CliError::Serve(format!(
            "refusing to listen on {addr} without --host: name the host names this server answers to (e.g. --host enrich.example.com)"
        )));
    }
    eprintln!(
        "accord enrich-server: {} companies from {}, serving {}{}",
        rows.len(),
        args.data.display(),
        served.join(", "),
        if tokens.is_empty() {
            " to anyone who can reach it"
        } else {
            " to holders of a lookup token"
        }
    );
    let table = Arc::new(Table {
        rows,
        hosts: ["localhost", "127.0.0.1", "::1"]
            .iter()
            .map(|h| (*h).to_owned())
            .chain(args.hosts.iter().map(|h| h.to_ascii_lowercase()))
            .collect(),
        tokens,
    });
    let mut lookup = get(company);
    if !args.allow_origins.is_empty() {
        let origin = allowed_origins(&args.allow_origins)?;
        lookup = lookup.layer(
            CorsLayer::new()
                .allow_origin(origin)
                .allow_methods([Method::GET])
                .allow_headers([header::AUTHORIZATION]),
        );
    }
    let rate = Arc::new(RateLimit::new(args.rate_limit, args.rate_burst, Vec::new()));
    let router = Router::new()
        .route("/v1/company", lookup)
        .route("/healthz", get(|| async { "ok" }))
        .with_state(table.clone())
        .layer(axum::middleware::from_fn_with_state(table, guard))
        .layer(axum::middleware::from_fn_with_state(rate, rate_limit));
    serve(router, &addr, Limits::default(), "enrich-server", "")
}

/// Reads the CSV: the `key` column holds each row's domain (or website
/// URL); the served columns are `columns`, or every other column. A row
/// whose key is not a domain is skipped with a note; a later row of the
/// same domain wins.
fn load(path: &Path, key: &str, columns: &[String]) -> Result<(Rows, Vec<String>), CliError> {
    let file = std::fs::File::open(path).map_err(|source| CliError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(file);
    let headers = reader
        .headers()
        .map_err(|e| CliError::CsvHeader(e.to_string()))?
        .clone();
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let key_at = find(key).ok_or_else(|| {
        CliError::Usage(format!(
            "{}: no `{key}` column (the domain of each row; see --key)",
            path.display()
        ))
    })?;
    let served: Vec<(usize, String)> = if columns.is_empty() {
        headers
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != key_at)
            .map(|(i, h)| (i, h.trim().to_owned()))
            .collect()
    } else {
        columns
            .iter()
            .map(|c| {
                find(c).map(|i| (i, c.clone())).ok_or_else(|| {
                    CliError::Usage(format!("{}: no `{c}` column (--columns)", path.display()))
                })
            })
            .collect::<Result<_, _>>()?
    };
    let mut rows = HashMap::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?;
        let Some(domain) = record.get(key_at).and_then(normalise) else {
            eprintln!("note: row {} has no domain in `{key}`; skipped", n + 2);
            continue;
        };
        let mut row = Map::new();
        row.insert("domain".into(), Value::String(domain.clone()));
        for (i, name) in &served {
            if let Some(cell) = record.get(*i).map(str::trim).filter(|c| !c.is_empty()) {
                row.insert(name.clone(), Value::String(cell.to_owned()));
            }
        }
        rows.insert(domain, row);
    }
    Ok((rows, served.into_iter().map(|(_, name)| name).collect()))
}

/// A domain as looked up: lower case, without a scheme, `www.`, port,
/// path or trailing dot; `None` when it is not a domain name.
fn normalise(text: &str) -> Option<String> {
    let text = text.trim().to_ascii_lowercase();
    let text = text
        .split_once("://")
        .map_or(text.as_str(), |(_, rest)| rest);
    let host = text.split(['/', '?', '#', ':']).next().unwrap_or_default();
    let host = host.trim_end_matches('.');
    let host = host.strip_prefix("www.").unwrap_or(host);
    let ok = host.contains('.')
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || !b.is_ascii())
        })
        && host.len() <= 253;
    ok.then(|| host.to_owned())
}

fn tokens(args: &EnrichServerArgs) -> Result<Vec<String>, CliError> {
    let mut tokens = Vec::new();
    if let Some(path) = &args.tokens_file {
        let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
            path: path.clone(),
            source,
        })?;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line.split_whitespace().collect::<Vec<_>>().as_slice() {
                ["lookup", token] => tokens.push((*token).to_owned()),
                _ => {
                    return Err(CliError::Serve(format!(
                        "{} line {}: expected `lookup TOKEN`",
                        path.display(),
                        n + 1
                    )))
                }
            }
        }
    }
    if let Ok(value) = std::env::var(TOKENS_ENV) {
        tokens.extend(
            value
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
        );
    }
    if let Some(short) = tokens
        .iter()
        .find(|t| t.len() < MIN_TOKEN_LEN || !t.bytes().all(is_token_byte))
    {
        return Err(CliError::Serve(format!(
            "a token of {} characters is refused: use at least {MIN_TOKEN_LEN} of letters, digits and - _ . ~",
            short.len()
        )));
    }
    Ok(tokens)
}

/// Checks the host name and, with tokens, the bearer token.
async fn guard(State(table): State<Arc<Table>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(host_name);
    if !host.is_some_and(|h| table.hosts.contains(&h)) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "this server does not answer to that host name (see --host)",
        );
    }
    let preflight = request.method() == Method::OPTIONS;
    if !table.tokens.is_empty() && !preflight {
        let given = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if !given.is_some_and(|g| table.tokens.iter().any(|t| same(t, g.trim()))) {
            let mut response = refuse(
                StatusCode::UNAUTHORIZED,
                "a lookup token is needed: Authorization: Bearer <token>",
            );
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return response;
        }
    }
    next.run(request).await
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"error": message}))).into_response()
}

/// `GET /v1/company?domain=…`.
async fn company(
    State(table): State<Arc<Table>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(domain) = query.get("domain").and_then(|d| normalise(d)) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "give a domain: /v1/company?domain=example.com",
        );
    };
    let mut at = domain.as_str();
    loop {
        if let Some(row) = table.rows.get(at) {
            let mut response = Json(row).into_response();
            // Company data changes slowly; a visitor's browser may keep it
            // for the visit.
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=3600"),
            );
            return response;
        }
        match at.split_once('.') {
            Some((_, parent)) if parent.contains('.') => at = parent,
            _ => break,
        }
    }
    refuse(StatusCode::NOT_FOUND, "no company with this domain")
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn domains_are_normalised_from_websites_and_refused_when_not_names() {
        assert_eq!(normalise("Acme.COM").as_deref(), Some("acme.com"));
        assert_eq!(
            normalise("https://www.acme.com/about?x").as_deref(),
            Some("acme.com")
        );
        assert_eq!(normalise("acme.com.").as_deref(), Some("acme.com"));
        assert_eq!(normalise("acme.com:8443").as_deref(), Some("acme.com"));
        assert_eq!(normalise("localhost"), None);
        assert_eq!(normalise("a..b"), None);
        assert_eq!(normalise("acme com.de"), None);
        assert_eq!(normalise(""), None);
    }
}
