//! Who may do what with the inbox, checked before any handler runs.
//!
//! - **Tokens.** Reading (`GET /api/*`, `/inbox`, the CSV export) needs a
//!   read token, and so does importing outcomes; publishing a rulebook
//!   needs a publish token (it decides how leads are verified: not every
//!   reader should); posting feedback needs a
//!   feedback or a read token; posting records stays open for the widget. A token comes as
//!   `Authorization: Bearer <token>`, or for reads as the `accord_inbox`
//!   cookie that `/inbox/login` sets. Tokens are read from a file
//!   (`--tokens-file`) or the environment (`ACCORD_READ_TOKENS`,
//!   `ACCORD_FEEDBACK_TOKENS`), never from the command line, where other
//!   users of the machine could read them. Without tokens the inbox only
//!   listens on a loopback address (a developer's own machine).
//! - **Host.** The `Host` header must name this inbox (`--host`, and the
//!   loopback names), so a web page on another name that resolves to this
//!   address (DNS rebinding) gets nothing.
//! - **Origin.** A browser's `POST` from another site is refused unless
//!   `--allow-origin` names it, even as a preflight-free `text/plain` post.

use crate::cli::InboxArgs;
use crate::error::CliError;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The cookie that carries a session id for the `/inbox` pages, over
/// HTTP on the machine itself.
pub const COOKIE: &str = "accord_inbox";
/// The same over HTTPS: the `__Host-` prefix makes the browser refuse one
/// set by another subdomain (a marketing site beside the inbox) or without
/// `Secure`.
pub const SECURE_COOKIE: &str = "__Host-accord_inbox";
/// How long a session lasts.
const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 60 * 60);
/// Sessions held at most; beyond, the one that ends first is dropped.
const MAX_SESSIONS: usize = 10_000;
/// The environment variables tokens may come from (comma or space
/// separated, so a new token can be added before the old one is removed).
pub const READ_TOKENS_ENV: &str = "ACCORD_READ_TOKENS";
/// See [`READ_TOKENS_ENV`].
pub const FEEDBACK_TOKENS_ENV: &str = "ACCORD_FEEDBACK_TOKENS";
/// See [`READ_TOKENS_ENV`].
pub const PUBLISH_TOKENS_ENV: &str = "ACCORD_PUBLISH_TOKENS";
/// The names of the machine itself, which every inbox answers to.
const LOOPBACK_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];
/// Tokens shorter than this are refused at start: guessable.
pub(crate) const MIN_TOKEN_LEN: usize = 16;

/// What a request needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Nothing: posting records, the site's files.
    Nothing,
    /// A read token.
    Read,
    /// A feedback or read token.
    Feedback,
    /// A publish token.
    Publish,
}

/// The inbox's access rules.
#[derive(Debug, Default)]
pub struct Access {
    read: Vec<String>,
    feedback: Vec<String>,
    publish: Vec<String>,
    hosts: Vec<String>,
    any_origin: bool,
    origins: Vec<String>,
    /// Signed-in pages: session id → when it ends.
    sessions: Mutex<HashMap<String, Instant>>,
}

impl Access {
    /// Reads the rules from the arguments and the environment, and refuses
    /// what would expose the inbox: a non-loopback address without tokens
    /// or without `--host`, a token shorter than 16 characters.
    pub fn new(args: &InboxArgs, addr: &str) -> Result<Access, CliError> {
        let refuse = |why: String| CliError::Serve(why);
        let mut access = Access {
            hosts: LOOPBACK_NAMES
                .iter()
                .map(|h| (*h).to_owned())
                .chain(args.hosts.iter().map(|h| h.to_ascii_lowercase()))
                .collect(),
            any_origin: args.allow_origins.iter().any(|o| o == "*"),
            origins: args
                .allow_origins
                .iter()
                .map(|o| o.trim_end_matches('/').to_ascii_lowercase())
                .collect(),
            ..Access::default()
        };
        if let Some(path) = &args.tokens_file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| refuse(format!("cannot read {}: {e}", path.display())))?;
            for (n, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                match line.split_whitespace().collect::<Vec<_>>().as_slice() {
                    ["read", token] => access.read.push((*token).to_owned()),
                    ["feedback", token] => access.feedback.push((*token).to_owned()),
                    ["publish", token] => access.publish.push((*token).to_owned()),
                    _ => {
                        return Err(refuse(format!(
                        "{} line {}: expected `read TOKEN`, `feedback TOKEN` or `publish TOKEN`",
                        path.display(),
                        n + 1
                    )))
                    }
                }
            }
        }
        for (var, list) in [
            (READ_TOKENS_ENV, &mut access.read),
            (FEEDBACK_TOKENS_ENV, &mut access.feedback),
            (PUBLISH_TOKENS_ENV, &mut access.publish),
        ] {
            if let Ok(value) = std::env::var(var) {
                list.extend(
                    value
                        .split(|c: char| c == ',' || c.is_whitespace())
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned),
                );
            }
        }
        if let Some(short) = access
            .read
            .iter()
            .chain(&access.feedback)
            .chain(&access.publish)
            .find(|t| t.len() < MIN_TOKEN_LEN || !t.bytes().all(is_token_byte))
        {
            return Err(refuse(format!(
                "a token of {} characters is refused: use at least {MIN_TOKEN_LEN} of letters, digits and - _ . ~ (e.g. `openssl rand -hex 24`)",
                short.len()
            )));
        }
        if !is_loopback(addr) {
            if access.read.is_empty() {
                return Err(refuse(format!(
                    "refusing to listen on {addr} without a read token: anyone who can reach it would read every lead. Give tokens with --tokens-file or {READ_TOKENS_ENV} (docs/cli.md), or listen on 127.0.0.1"
                )));
            }
            if args.hosts.is_empty() {
                return Err(refuse(format!(
                    "refusing to listen on {addr} without --host: name the host names this inbox answers to (e.g. --host leads.example.com)"
                )));
            }
        }
        Ok(access)
    }

    /// Whether the inbox has tokens (so its pages have a sign-out).
    pub fn tokens_required(&self) -> bool {
        !self.read.is_empty() || !self.feedback.is_empty() || !self.publish.is_empty()
    }

    /// Whether `token` is one of the read tokens.
    pub fn is_read_token(&self, token: &str) -> bool {
        self.read.iter().any(|t| same(t, token))
    }

    fn allows(&self, need: Need, presented: Option<&Presented>) -> bool {
        match (need, presented) {
            (Need::Nothing, _) => true,
            _ if !self.tokens_required() => true,
            (_, None) => false,
            (Need::Read, Some(Presented::Session(ids))) => {
                ids.iter().any(|id| self.session_valid(id))
            }
            (Need::Read, Some(Presented::Bearer(t))) => self.is_read_token(t),
            (Need::Feedback, Some(Presented::Bearer(t))) => {
                self.is_read_token(t) || self.feedback.iter().any(|f| same(f, t))
            }
            (Need::Feedback, Some(Presented::Session(_))) => false,
            (Need::Publish, Some(Presented::Bearer(t))) => self.publish.iter().any(|p| same(p, t)),
            (Need::Publish, Some(Presented::Session(_))) => false,
        }
    }

    /// Starts a session: a new random id, valid for [`SESSION_LIFETIME`].
    fn start_session(&self) -> Option<String> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).ok()?;
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let now = Instant::now();
        let mut sessions = self.sessions.lock().ok()?;
        sessions.retain(|_, ends| *ends > now);
        if sessions.len() >= MAX_SESSIONS {
            let first = sessions
                .iter()
                .min_by_key(|(_, ends)| **ends)
                .map(|(id, _)| id.clone());
            if let Some(first) = first {
                sessions.remove(&first);
            }
        }
        sessions.insert(id.clone(), now + SESSION_LIFETIME);
        Some(id)
    }

    fn session_valid(&self, id: &str) -> bool {
        self.sessions
            .lock()
            .is_ok_and(|s| s.get(id).is_some_and(|ends| *ends > Instant::now()))
    }

    fn end_session(&self, id: &str) {
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.remove(id);
        }
    }

    fn host_allowed(&self, headers: &HeaderMap) -> bool {
        let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
            return false;
        };
        let name = host_name(host);
        self.hosts.contains(&name)
    }

    /// A `POST` with an `Origin` is allowed from this inbox's own origin;
    /// other sites (`--allow-origin`) may post records and failure reports
    /// only, never feedback, outcomes or a sign-in.
    fn origin_allowed(&self, headers: &HeaderMap, path: &str) -> bool {
        let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
            return true; // not a browser's cross-site request
        };
        let origin = origin.trim_end_matches('/').to_ascii_lowercase();
        let own = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|host| {
                origin
                    .split_once("://")
                    .is_some_and(|(_, authority)| authority == host.to_ascii_lowercase())
            });
        let open_to_sites = path == "/api/records" || path == "/api/failures";
        own || (open_to_sites && (self.any_origin || self.origins.contains(&origin)))
    }
}

/// The characters a token may use: safe in a header and in a cookie.
pub(crate) fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.~".contains(&b)
}

/// Whether the address to listen on is a loopback one.
pub(crate) fn is_loopback(addr: &str) -> bool {
    match addr.parse::<SocketAddr>() {
        Ok(socket) => socket.ip().is_loopback(),
        Err(_) => addr
            .rsplit_once(':')
            .map(|(host, _)| host.trim_matches(['[', ']']))
            .is_some_and(|host| {
                host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
            }),
    }
}

/// The name in a `Host` header, without the port, in lower case.
pub(crate) fn host_name(host: &str) -> String {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    name.to_ascii_lowercase()
}

/// Compares tokens in time that does not depend on where they differ.
pub(crate) fn same(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether a posted record came with a feedback or read token (or the
/// inbox has no tokens): set by [`guard`] for `POST /api/records`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostedBySales(pub bool);

/// What a request presents to be let in.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Presented {
    /// `Authorization: Bearer <token>`.
    Bearer(String),
    /// The session cookies of a signed-in page (every one sent).
    Session(Vec<String>),
}

/// What a request presents: a bearer token, or (when `cookie_ok`) the
/// session cookie.
fn presented(headers: &HeaderMap, cookie_ok: bool) -> Option<Presented> {
    if let Some(auth) = headers
        .get(header::AUTHORIZATION)
        .and_then(|a| a.to_str().ok())
    {
        return auth
            .strip_prefix("Bearer ")
            .map(|t| Presented::Bearer(t.trim().to_owned()));
    }
    if !cookie_ok {
        return None;
    }
    let ids = session_cookies(headers);
    (!ids.is_empty()).then_some(Presented::Session(ids))
}

/// Every session id the request's cookies carry: a cookie of the same
/// name set by another site of the domain must not hide the real one.
fn session_cookies(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .flat_map(|c| c.split(';'))
        .filter_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == COOKIE || name == SECURE_COOKIE).then(|| value.to_owned())
        })
        .collect()
}

/// What the request at `method path` needs.
fn need(method: &Method, path: &str) -> Need {
    let reads = path.starts_with("/api/") || path == "/inbox" || path.starts_with("/inbox/");
    match *method {
        Method::POST if path == "/api/feedback" => Need::Feedback,
        // Outcomes change the numbers both teams read: a read token.
        Method::POST if path == "/api/outcomes" => Need::Read,
        // A published rulebook decides how leads are verified: a token
        // given for that alone.
        Method::POST if path == "/api/rulebooks" => Need::Publish,
        // The snippet for a published version: part of publishing.
        Method::POST if path == "/api/embed" => Need::Publish,
        Method::POST | Method::OPTIONS => Need::Nothing,
        _ if reads => Need::Read,
        _ => Need::Nothing,
    }
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({"error": message}))).into_response()
}

/// The middleware: checks the host, the origin of posts and the token,
/// then hands the request on.
pub async fn guard(State(access): State<Arc<Access>>, request: Request, next: Next) -> Response {
    let headers = request.headers().clone();
    let headers = &headers;
    if !access.host_allowed(headers) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "this inbox does not answer to that host name (see --host)",
        );
    }
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    if method == Method::POST && !access.origin_allowed(headers, &path) {
        return refuse(
            StatusCode::FORBIDDEN,
            "posts from this origin are not allowed (see --allow-origin)",
        );
    }
    let need = need(&method, &path);
    // The sign-in cookie only reads: a post needs the bearer token.
    let token = presented(headers, need == Need::Read && method == Method::GET);
    let mut request = request;
    if method == Method::POST && path == "/api/records" {
        // Anyone may post a record; one posted with a sales token (the
        // console's calls) is marked, so only those count as sales' touch.
        let signed = match &token {
            None => !access.tokens_required(),
            Some(t) if access.allows(Need::Feedback, Some(t)) => true,
            Some(_) => {
                return refuse(
                    StatusCode::UNAUTHORIZED,
                    "that token is not a token of this inbox; post without one, or with a feedback or read token",
                )
            }
        };
        request.extensions_mut().insert(PostedBySales(signed));
    }
    if access.allows(need, token.as_ref()) {
        let mut response = next.run(request).await;
        if need == Need::Read {
            // Personal data: never kept in a browser's or a proxy's cache.
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        return response;
    }
    if path == "/inbox" || path.starts_with("/inbox/") {
        return login_page(StatusCode::UNAUTHORIZED, token.is_some());
    }
    let mut response = refuse(
        StatusCode::UNAUTHORIZED,
        match need {
            Need::Feedback => "a feedback token is needed: Authorization: Bearer <token>",
            Need::Publish => "a publish token is needed: Authorization: Bearer <token>",
            _ => "a read token is needed: Authorization: Bearer <token>",
        },
    );
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// The sign-out button the pages show when the inbox has tokens.
pub const SIGN_OUT_FORM: &str = r#"<form method="post" action="/inbox/logout" class="sign-out"><button type="submit">Sign out</button></form>"#;

/// The sign-in page of `/inbox`: `wrong` when a token or session was
/// presented and refused.
pub fn login_page(status: StatusCode, wrong: bool) -> Response {
    let note = if wrong {
        r#"<p role="alert">That is not a read token of this inbox, or the session has ended: sign in again.</p>"#
    } else {
        ""
    };
    let page = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>Accord inbox: sign in</title></head>
<body><main><h1>Accord inbox</h1>{note}
<form method="post" action="/inbox/login"><label for="token">Read token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form></main></body></html>"#
    );
    (status, Html(page)).into_response()
}

/// `POST /inbox/login`: a valid read token starts a session, whose id
/// goes in an HTTP-only, same-site cookie for the pages.
pub async fn login(
    State(access): State<Arc<Access>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let token = form_value(&body, "token").unwrap_or_default();
    if !access.is_read_token(&token) {
        return login_page(StatusCode::UNAUTHORIZED, true);
    }
    let Some(session) = access.start_session() else {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "could not start a session, retry",
        );
    };
    let lifetime = SESSION_LIFETIME.as_secs();
    see_inbox(&headers, &format!("{session}; Max-Age={lifetime}"))
}

/// `POST /inbox/logout`: ends the session and clears the cookie.
pub async fn logout(State(access): State<Arc<Access>>, headers: HeaderMap) -> Response {
    for id in session_cookies(&headers) {
        access.end_session(&id);
    }
    see_inbox(&headers, "; Max-Age=0")
}

/// A redirect to `/inbox` that sets the session cookie to `value`
/// (an id and its lifetime, or nothing and `Max-Age=0`).
fn see_inbox(headers: &HeaderMap, value: &str) -> Response {
    // Secure (HTTPS only) everywhere but on the machine itself.
    let secure = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_none_or(|host| !LOOPBACK_NAMES.contains(&host_name(host).as_str()));
    let cookie = if secure {
        format!("{SECURE_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Secure")
    } else {
        format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict")
    };
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, "/inbox")]).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// The value of `key` in an `application/x-www-form-urlencoded` body.
fn form_value(body: &[u8], key: &str) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    text.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| percent_decode(v))
    })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_are_read_without_the_port() {
        assert_eq!(host_name("Leads.Example.com:8443"), "leads.example.com");
        assert_eq!(host_name("127.0.0.1:8787"), "127.0.0.1");
        assert_eq!(host_name("[::1]:8787"), "::1");
        assert_eq!(host_name("localhost"), "localhost");
    }

    #[test]
    fn loopback_addresses_are_recognised() {
        for addr in [
            "127.0.0.1:0",
            "[::1]:8787",
            "localhost:8080",
            "127.1.2.3:80",
        ] {
            assert!(is_loopback(addr), "{addr}");
        }
        for addr in [
            "0.0.0.0:8787",
            "192.0.2.10:80",
            "[::]:8787",
            "example.com:80",
        ] {
            assert!(!is_loopback(addr), "{addr}");
        }
    }

    #[test]
    fn what_each_route_needs() {
        assert_eq!(need(&Method::GET, "/api/records"), Need::Read);
        assert_eq!(need(&Method::GET, "/api/records.csv"), Need::Read);
        assert_eq!(need(&Method::GET, "/inbox"), Need::Read);
        assert_eq!(need(&Method::GET, "/inbox/report"), Need::Read);
        assert_eq!(need(&Method::POST, "/inbox/login"), Need::Nothing);
        assert_eq!(need(&Method::POST, "/api/records"), Need::Nothing);
        assert_eq!(need(&Method::POST, "/api/failures"), Need::Nothing);
        assert_eq!(need(&Method::GET, "/api/failures"), Need::Read);
        assert_eq!(need(&Method::POST, "/api/feedback"), Need::Feedback);
        assert_eq!(need(&Method::POST, "/api/rulebooks"), Need::Publish);
        assert_eq!(need(&Method::POST, "/api/embed"), Need::Publish);
        assert_eq!(need(&Method::GET, "/api/rulebooks"), Need::Read);
        assert_eq!(need(&Method::POST, "/api/outcomes"), Need::Read);
        assert_eq!(need(&Method::GET, "/index.html"), Need::Nothing);
    }

    #[test]
    fn tokens_compare_exactly_and_forms_decode() {
        assert!(same("abcdef0123456789", "abcdef0123456789"));
        assert!(!same("abcdef0123456789", "abcdef012345678"));
        assert!(!same("abcdef0123456789", "abcdef0123456780"));
        assert_eq!(
            form_value(b"a=1&token=x%2By+z%21", "token").as_deref(),
            Some("x+y z!")
        );
        assert_eq!(
            form_value(b"token=%zz%4", "token").as_deref(),
            Some("%zz%4")
        );
    }
}
