//! The inbox's connection limits and its accept loop.
//!
//! `axum::serve` keeps a connection as long as the client likes: one header
//! byte a second holds it open indefinitely, and idle keep-alive
//! connections are never closed, so a few clients can use up the file
//! descriptors. This loop serves HTTP/1.1 connections with:
//!
//! - a **header timeout**: the request head must arrive within
//!   [`Limits::header`], counted from the connection (or the previous
//!   response, so it is also the idle timeout of a kept-alive connection);
//! - a **body timeout**: the body must arrive within [`Limits::body`]
//!   (otherwise the request is answered `400`, "data was not received
//!   within the designated timeout", and the connection closed);
//! - a **connection cap**: beyond [`Limits::connections`] open connections,
//!   or [`Limits::per_client`] from one address, a new one is closed at
//!   once, so the ones already open keep working;
//! - a **connection lifetime** ([`Limits::lifetime`]): a connection is
//!   closed after that long whatever it does, so one that never reads its
//!   answer cannot be held forever;
//! - a **rate limit per client** ([`RateLimit`]): a token bucket per client
//!   address; a client over it gets `429` with `Retry-After`. The client is
//!   the peer, or behind a trusted proxy (`--trusted-proxy`) the last
//!   address of `X-Forwarded-For`. Loopback clients are not limited (a
//!   developer's own machine, the tests). An IPv6 client is its /64
//!   ([`client_key`]), for both the rate and the connection cap.
//!
//! Graceful shutdown as before: on Ctrl-C or SIGTERM it stops accepting,
//! lets requests in flight finish (for up to [`Limits::drain`]), then
//! returns.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;
use std::time::Instant;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::timeout::RequestBodyTimeoutLayer;

/// How long clients may take, and how many may be connected.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Time to send a request's head (and the idle time between requests).
    pub header: Duration,
    /// Time to send a request's body.
    pub body: Duration,
    /// Open connections at most.
    pub connections: usize,
    /// Open connections one client address may hold at most (loopback
    /// peers and trusted proxies, which speak for many, are not capped).
    pub per_client: usize,
    /// How long one connection may stay open, whatever it does: a client
    /// that never reads its answer cannot hold a connection forever.
    pub lifetime: Duration,
    /// Reverse proxies in front of the inbox (exempt from the per-client cap).
    pub trusted_proxies: Vec<IpAddr>,
    /// Time requests in flight get to finish at shutdown.
    pub drain: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header: Duration::from_secs(10),
            body: Duration::from_secs(30),
            connections: 512,
            per_client: 32,
            lifetime: Duration::from_secs(600),
            trusted_proxies: Vec::new(),
            drain: Duration::from_secs(30),
        }
    }
}

/// The address a connection came from, put in each request's extensions
/// by the accept loop.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

/// The address that stands for a client in the limits: an IPv4 address as
/// it is, an IPv6 address by its /64 network. One subscriber is usually
/// given a whole /64, so counting each of its 2^64 addresses apart would
/// let one machine step around every limit by changing its address.
/// IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) count as the IPv4 one.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(
                u128::from(v6) & !((1u128 << 64) - 1),
            )),
        },
    }
}

/// Requests per client: a bucket of `burst` tokens refilled at `per_minute`.
#[derive(Debug)]
pub struct RateLimit {
    per_minute: u32,
    burst: u32,
    trusted_proxies: Vec<IpAddr>,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

/// Above this many clients, buckets that have refilled are forgotten.
const MAX_BUCKETS: usize = 10_000;

impl RateLimit {
    /// A limit of `per_minute` requests with bursts of `burst` per client;
    /// `per_minute` 0 turns it off.
    pub fn new(per_minute: u32, burst: u32, trusted_proxies: Vec<IpAddr>) -> RateLimit {
        RateLimit {
            per_minute,
            burst: burst.max(1),
            trusted_proxies,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// The client a request comes from, and whether it is exempt: only a
    /// loopback peer that is not a proxy (the machine itself) is. Behind a
    /// trusted proxy the client is the last address the proxy appended to
    /// `X-Forwarded-For` (all its header lines joined); without a usable one,
    /// the proxy's own address, limited like any client.
    fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> (IpAddr, bool) {
        if !self.trusted_proxies.contains(&peer) {
            return (client_key(peer), peer.is_loopback());
        }
        let client = forwarded_for
            .iter()
            .flat_map(|line| line.split(','))
            .next_back()
            .and_then(|last| last.trim().parse().ok())
            .unwrap_or(peer);
        (client_key(client), false)
    }

    /// Takes a token for `client` at `now`; the seconds to wait when none
    /// is left.
    fn take(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let rate = f64::from(self.per_minute) / 60.0;
        let full = f64::from(self.burst);
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() > MAX_BUCKETS {
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < full
            });
        }
        let (tokens, at) = buckets.entry(client).or_insert((full, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(full);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / rate).ceil() as u64)
        }
    }
}

/// The middleware: answers `429` to a client over its rate.
pub async fn rate_limit(
    State(limit): State<Arc<RateLimit>>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(Peer(peer)) = request.extensions().get::<Peer>().copied() {
        let forwarded: Vec<&str> = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let (client, exempt) = limit.client(peer.ip(), &forwarded);
        if exempt {
            return next.run(request).await;
        }
        if let Err(wait) = limit.take(client, Instant::now()) {
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                axum::Json(
                    serde_json::json!({"error": "too many requests from this client; retry later"}),
                ),
            )
                .into_response();
            if let Ok(value) = HeaderValue::from_str(&wait.max(1).to_string()) {
                response.headers_mut().insert("retry-after", value);
            }
            return response;
        }
    }
    next.run(request).await
}

/// Open connections per client address.
#[derive(Debug, Default)]
struct PerClient {
    open: Mutex<HashMap<IpAddr, usize>>,
}

impl PerClient {
    /// Counts a new connection from `client`; `false` when it already has
    /// `max`.
    fn try_open(&self, client: IpAddr, max: usize) -> bool {
        let Ok(mut open) = self.open.lock() else {
            return true;
        };
        let n = open.entry(client).or_insert(0);
        if *n >= max {
            return false;
        }
        *n += 1;
        true
    }

    /// Counts a connection from `client` closed.
    fn close(&self, client: IpAddr) {
        if let Ok(mut open) = self.open.lock() {
            if let Some(n) = open.get_mut(&client) {
                *n -= 1;
                if *n == 0 {
                    open.remove(&client);
                }
            }
        }
    }
}

/// Serves `router` on `listener` within `limits` until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let router = router.layer(RequestBodyTimeoutLayer::new(limits.body));
    let open = Arc::new(Semaphore::new(limits.connections));
    let per_client = Arc::new(PerClient::default());
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(connection) => connection,
                // Out of file descriptors or similar: wait, then go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Over a cap: closing at once keeps the open connections served.
        let Ok(permit) = open.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let capped = !peer.ip().is_loopback() && !limits.trusted_proxies.contains(&peer.ip());
        let client = client_key(peer.ip());
        if capped && !per_client.try_open(client, limits.per_client) {
            drop(stream);
            continue;
        }
        let service = tower::ServiceExt::map_request(
            router.clone(),
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(Peer(peer));
                request
            },
        );
        let service = TowerToHyperService::new(service);
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        let (per_client, lifetime) = (per_client.clone(), limits.lifetime);
        tokio::spawn(async move {
            // Past its lifetime the connection is dropped, which closes it.
            let _ = tokio::time::timeout(lifetime, connection).await;
            if capped {
                per_client.close(client);
            }
            drop(permit);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(limits.drain, graceful.shutdown()).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_holds_at_most_its_share_of_connections() {
        let open = PerClient::default();
        let (a, b): (IpAddr, IpAddr) = (
            "203.0.113.7".parse().unwrap(),
            "203.0.113.8".parse().unwrap(),
        );
        assert!(open.try_open(a, 2) && open.try_open(a, 2));
        assert!(!open.try_open(a, 2), "a third from the same address");
        assert!(open.try_open(b, 2), "another address is not held back");
        open.close(a);
        assert!(open.try_open(a, 2), "a closed one makes room");
        open.close(a);
        open.close(a);
        open.close(b);
        assert!(open.open.lock().unwrap().is_empty(), "nothing left behind");
    }

    #[test]
    fn an_ipv6_client_is_its_64_and_a_mapped_ipv4_its_address() {
        let key = |s: &str| client_key(s.parse().unwrap()).to_string();
        assert_eq!(key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::");
        assert_eq!(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff::9"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(key("203.0.113.7"), "203.0.113.7");
        // Two addresses of one /64 share one bucket.
        let limit = RateLimit::new(60, 1, Vec::new());
        let now = Instant::now();
        let (a, _) = limit.client("2001:db8::1".parse().unwrap(), &[]);
        let (b, _) = limit.client("2001:db8::2".parse().unwrap(), &[]);
        assert!(limit.take(a, now).is_ok());
        assert!(
            limit.take(b, now).is_err(),
            "a new address in the same /64 is the same client"
        );
    }

    #[test]
    fn a_bucket_allows_a_burst_then_the_rate() {
        let limit = RateLimit::new(60, 3, Vec::new());
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let now = Instant::now();
        for _ in 0..3 {
            assert_eq!(limit.take(client, now), Ok(()));
        }
        assert_eq!(limit.take(client, now), Err(1));
        // One a second comes back.
        assert_eq!(
            limit.take(client, now + Duration::from_millis(1_050)),
            Ok(())
        );
        // Another client has its own bucket.
        assert_eq!(limit.take("203.0.113.8".parse().unwrap(), now), Ok(()));
        assert_eq!(RateLimit::new(0, 1, Vec::new()).take(client, now), Ok(()));
    }

    #[test]
    fn behind_a_trusted_proxy_the_client_is_the_last_forwarded_address() {
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        let limit = RateLimit::new(60, 3, vec![proxy]);
        let client = |s: &str| s.parse::<IpAddr>().unwrap();
        // The proxy appends the real client last, on its own line or not.
        let forwarded = ["127.0.0.1", "198.51.100.1, 203.0.113.7"];
        assert_eq!(
            limit.client(proxy, &forwarded),
            (client("203.0.113.7"), false)
        );
        // A client claiming to be loopback through the proxy is not exempt.
        assert_eq!(limit.client(proxy, &["127.0.0.1"]), (proxy, false));
        assert_eq!(limit.client(proxy, &["garbage"]), (proxy, false));
        assert_eq!(limit.client(proxy, &[]), (proxy, false));
        // An untrusted peer cannot claim another address; the machine itself
        // is exempt.
        let peer = client("192.0.2.9");
        assert_eq!(limit.client(peer, &forwarded), (peer, false));
        let direct = RateLimit::new(60, 3, Vec::new());
        assert_eq!(direct.client(proxy, &[]), (proxy, true));
    }
}
