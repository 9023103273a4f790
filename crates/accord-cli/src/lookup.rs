//! The HTTP lookups of `accord score --enrich`: each distinct lookup URL
//! once, a bounded number at a time, no faster than a rate, each within
//! its provider's timeout.
//!
//! A lookup that is slow, fails or answers garbage becomes a
//! [`Lookup::Timeout`] or [`Lookup::Failed`], never an error of the run:
//! scoring goes on without it and the record says so, as in the widget.
//! `404` means the provider knows nothing of that company: found, no values.

use accord_core::{read_lookup, Enrichment, Lookup, MAX_ANSWER_BYTES};
use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Bytes;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, Semaphore};
use tokio::time::Instant;

/// How lookups are paced, and who gets a token.
#[derive(Debug, Clone)]
pub struct Pace {
    /// Lookups in flight at most.
    pub concurrency: usize,
    /// Lookups started per second at most (0: no limit).
    pub per_second: f64,
    /// `Authorization: Bearer` for lookups to these hosts only (a token
    /// from the environment, never from the rulebook).
    pub auth: Option<(Vec<String>, String)>,
}

/// One lookup to make: its URL and the index of its provider.
pub type Request = (String, usize);

/// Looks up every request (each is expected once) and returns each one's
/// result: keyed by URL and provider, as two providers may share a URL and
/// read it through different maps.
pub fn fetch_all(
    requests: Vec<Request>,
    enrichment: &Enrichment,
    pace: &Pace,
) -> Result<HashMap<Request, Lookup>, std::io::Error> {
    if requests.is_empty() {
        return Ok(HashMap::new());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(30))
        .build(connector());
    let enrichment = Arc::new(enrichment.clone());
    let open = Arc::new(Semaphore::new(pace.concurrency.max(1)));
    let interval = (pace.per_second > 0.0).then(|| Duration::from_secs_f64(1.0 / pace.per_second));
    let next_start = Arc::new(Mutex::new(Instant::now()));
    runtime.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for (url, provider) in requests {
            // At most `concurrency` lookups exist at a time, however many
            // are planned: a permit first, then the task.
            let permit = open.clone().acquire_owned().await;
            let (client, enrichment, next_start) =
                (client.clone(), enrichment.clone(), next_start.clone());
            let token = pace.auth.as_ref().and_then(|(hosts, token)| {
                let named = hosts.iter().any(|h| host_of(&url).eq_ignore_ascii_case(h));
                (named && private_channel(&url)).then(|| token.clone())
            });
            tasks.spawn(async move {
                let _permit = permit;
                if let Some(interval) = interval {
                    let start = {
                        let mut next = next_start.lock().await;
                        let start = (*next).max(Instant::now());
                        *next = start + interval;
                        start
                    };
                    tokio::time::sleep_until(start).await;
                }
                let p = &enrichment.providers[provider];
                let wait = Duration::from_millis(u64::from(p.timeout_ms()));
                let found = match tokio::time::timeout(wait, get(&client, &url, token)).await {
                    Err(_) => Lookup::Timeout,
                    Ok(Err(why)) => Lookup::Failed(why),
                    Ok(Ok(None)) => Lookup::Found(Default::default()),
                    Ok(Ok(Some(body))) => read_lookup(p, &enrichment, &body),
                };
                ((url, provider), found)
            });
        }
        let mut out = HashMap::new();
        while let Some(done) = tasks.join_next().await {
            if let Ok((request, found)) = done {
                out.insert(request, found);
            }
        }
        Ok(out)
    })
}

/// The lookups' connector: `http`, and `https` trusting the system's
/// certificates (`SSL_CERT_FILE` names others). Without any, an `https`
/// lookup fails, and says why.
fn connector() -> HttpsConnector<HttpConnector> {
    let builder = hyper_rustls::HttpsConnectorBuilder::new();
    let builder = match builder.with_native_roots() {
        Ok(builder) => builder,
        Err(e) => {
            eprintln!(
                "note: no trusted certificates on this machine ({e}); https lookups will fail"
            );
            let roots = rustls::RootCertStore::empty();
            hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(
                rustls::ClientConfig::builder()
                    .with_root_certificates(roots)
                    .with_no_client_auth(),
            )
        }
    };
    builder.https_or_http().enable_http1().build()
}

/// Whether a token may go to `url`: over TLS, or to this machine (the
/// rulebook picks the scheme, so a named host alone is not enough).
fn private_channel(url: &str) -> bool {
    url.starts_with("https://")
        || matches!(host_of(url), "127.0.0.1" | "localhost" | "[::1]" | "::1")
}

/// Whether `url` names a link-local address by number (169.254.x.x,
/// fe80::…): where clouds answer with a machine's own credentials. Never a
/// lookup's.
fn link_local(url: &str) -> bool {
    let host = host_of(url).trim_matches(['[', ']']);
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_link_local(),
        Ok(std::net::IpAddr::V6(ip)) => (ip.segments()[0] & 0xffc0) == 0xfe80,
        Err(_) => false,
    }
}

/// The host of an `http(s)://host[:port]/…` URL, without the port.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if authority.starts_with('[') {
        // An IPv6 address, `[…]`, with or without a port after it.
        return authority.split_inclusive(']').next().unwrap_or(authority);
    }
    authority.rsplit_once(':').map_or(authority, |(h, _)| h)
}

/// GETs `url`: the body as text, `None` for `404`, or why it failed.
async fn get(
    client: &Client<HttpsConnector<HttpConnector>, Empty<Bytes>>,
    url: &str,
    token: Option<String>,
) -> Result<Option<String>, String> {
    if link_local(url) {
        return Err(
            "refused: a link-local address (a cloud's metadata service) is never a lookup".into(),
        );
    }
    let mut request = hyper::Request::get(url)
        .header(hyper::header::ACCEPT, "application/json")
        .header(
            hyper::header::USER_AGENT,
            concat!("accord/", env!("CARGO_PKG_VERSION")),
        );
    if let Some(token) = token {
        request = request.header(hyper::header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = request
        .body(Empty::new())
        .map_err(|e| format!("bad lookup URL: {e}"))?;
    let response = client.request(request).await.map_err(|e| {
        let mut why = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            why = format!("{why}: {s}");
            source = s.source();
        }
        why
    })?;
    let status = response.status();
    if status == hyper::StatusCode::NOT_FOUND {
        return Ok(None);
    }
    if !status.is_success() {
        return Err(format!("HTTP {}", status.as_u16()));
    }
    let body = Limited::new(response.into_body(), MAX_ANSWER_BYTES)
        .collect()
        .await
        .map_err(|e| format!("reading the answer: {e}"))?
        .to_bytes();
    String::from_utf8(body.to_vec())
        .map(Some)
        .map_err(|_| "the answer is not UTF-8 text".into())
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn tokens_go_over_tls_or_to_this_machine_and_link_local_is_never_asked() {
        use super::{link_local, private_channel};
        assert!(private_channel("https://enrich.example.com/v1"));
        assert!(private_channel("http://127.0.0.1:8790/v1"));
        assert!(!private_channel("http://enrich.example.com:80/v1"));
        assert!(link_local("http://169.254.169.254/latest/meta-data/x"));
        assert!(link_local("http://[fe80::1]/x"));
        assert!(!link_local("http://10.0.0.5/x"));
        assert!(!link_local("https://enrich.example.com/x"));
    }

    #[test]
    fn the_host_of_a_url_leaves_out_the_port_and_the_path() {
        assert_eq!(
            host_of("http://enrich.local:8790/v1?domain=x"),
            "enrich.local"
        );
        assert_eq!(host_of("https://api.example.com/v1"), "api.example.com");
        assert_eq!(host_of("http://127.0.0.1/x"), "127.0.0.1");
        assert_eq!(host_of("http://[::1]:8790/x"), "[::1]");
        assert_eq!(host_of("http://[fe80::1]/x"), "[fe80::1]");
    }
}
