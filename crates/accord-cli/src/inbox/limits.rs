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
//! - a **connection cap**: beyond [`Limits::connections`] open connections
//!   a new one is closed at once, so the ones already open keep working.
//!
//! Graceful shutdown as before: on Ctrl-C or SIGTERM it stops accepting,
//! lets requests in flight finish (for up to [`Limits::drain`]), then
//! returns.

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::timeout::RequestBodyTimeoutLayer;

/// How long clients may take, and how many may be connected.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time to send a request's head (and the idle time between requests).
    pub header: Duration,
    /// Time to send a request's body.
    pub body: Duration,
    /// Open connections at most.
    pub connections: usize,
    /// Time requests in flight get to finish at shutdown.
    pub drain: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header: Duration::from_secs(10),
            body: Duration::from_secs(30),
            connections: 512,
            drain: Duration::from_secs(30),
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
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
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
        // Over the cap: closing at once keeps the open connections served.
        let Ok(permit) = open.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let service = TowerToHyperService::new(router.clone());
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(limits.drain, graceful.shutdown()).await;
}
