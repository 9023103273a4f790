//! `accord inbox` closes what would tie it up: slow request heads, idle
//! connections, slow bodies, and connections beyond its cap. Each test is
//! bounded in time and talks to loopback only.

mod support;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};
use support::*;

fn start(tag: &str, extra: &[&str]) -> Server {
    start_inbox(tag, extra).0
}

fn connect(port: u16) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    stream
}

/// Whether the server has closed the connection (reads its answer, if any).
fn closed(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return false
            }
            Err(_) => return true,
        }
    }
}

#[test]
fn a_request_head_sent_a_byte_at_a_time_is_cut_off() {
    let server = start("slow-head", &["--header-timeout", "2"]);
    let mut stream = connect(server.port);
    stream
        .write_all(b"GET /api/summary HTTP/1.1\r\nhost: 127.0.0.1\r\n")
        .unwrap();
    let started = Instant::now();
    // One header byte every 250 ms, for at most 8 s.
    while started.elapsed() < Duration::from_secs(8) {
        if stream.write_all(b"x").is_err() || closed(&mut stream) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(6),
        "still connected after {took:?}"
    );
    assert!(
        took >= Duration::from_millis(1500),
        "closed too early ({took:?})"
    );
}

#[test]
fn an_idle_kept_alive_connection_is_closed() {
    let server = start("idle", &["--header-timeout", "2"]);
    let mut stream = connect(server.port);
    stream
        .write_all(b"GET /api/summary HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n")
        .unwrap();
    let mut answer = [0u8; 1024];
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let n = stream.read(&mut answer).unwrap();
    assert!(
        answer[..n].starts_with(b"HTTP/1.1 200"),
        "{:?}",
        String::from_utf8_lossy(&answer[..n])
    );
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let idle = Instant::now();
    while !closed(&mut stream) {
        assert!(
            idle.elapsed() < Duration::from_secs(6),
            "idle connection kept open"
        );
    }
    assert!(
        idle.elapsed() >= Duration::from_millis(1500),
        "closed too early"
    );
}

#[test]
fn a_body_that_does_not_arrive_in_time_is_refused_and_the_connection_closed() {
    let server = start("slow-body", &["--body-timeout", "2"]);
    let mut stream = connect(server.port);
    stream
        .write_all(b"POST /api/records HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"accord_record\"")
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(6)))
        .unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer);
    assert!(
        text.starts_with("HTTP/1.1 400")
            && text.contains("not received within the designated timeout"),
        "{text:?} after {:?}",
        started.elapsed()
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(total(server.port), 0);
}

#[test]
fn connections_beyond_the_cap_are_closed_and_the_others_served() {
    let server = start("cap", &["--max-connections", "3", "--header-timeout", "8"]);
    let mut held: Vec<TcpStream> = (0..3).map(|_| connect(server.port)).collect();
    // Give the server a moment to accept them.
    std::thread::sleep(Duration::from_millis(300));
    let mut extra = connect(server.port);
    let started = Instant::now();
    while !closed(&mut extra) {
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "the fourth connection was kept"
        );
    }
    // An open connection is still served.
    held[0]
        .write_all(b"GET /api/summary HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n")
        .unwrap();
    held[0]
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut answer = Vec::new();
    let _ = held[0].read_to_end(&mut answer);
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{:?}",
        String::from_utf8_lossy(&answer)
    );
    // Once one closes, a new connection is served.
    held.remove(0);
    std::thread::sleep(Duration::from_millis(300));
    let (status, _, _) = request(server.port, "GET", "/api/summary", &[], b"").unwrap();
    assert_eq!(status, 200);
}

#[test]
fn a_client_over_its_rate_gets_429_and_others_go_on() {
    let server = start(
        "rate",
        &[
            "--rate-limit",
            "60",
            "--rate-burst",
            "5",
            "--trusted-proxy",
            "127.0.0.1",
        ],
    );
    let from = |client: &str| {
        request(
            server.port,
            "GET",
            "/api/summary",
            &[("x-forwarded-for", client)],
            b"",
        )
        .unwrap()
    };
    for n in 0..5 {
        assert_eq!(
            from("203.0.113.7").0,
            200,
            "request {n} is within the burst"
        );
    }
    let (status, head, body) = from("203.0.113.7");
    assert_eq!(status, 429, "{body}");
    assert!(
        head.to_ascii_lowercase().contains("retry-after: 1"),
        "{head}"
    );
    // Another client is not held back.
    assert_eq!(from("203.0.113.8").0, 200);
    // Through the proxy, a client claiming to be the machine itself is
    // limited like any other (its bucket: the proxy's own address).
    let spoofed: Vec<u16> = (0..8).map(|_| from("127.0.0.1").0).collect();
    assert!(spoofed.contains(&429), "{spoofed:?}");
    // Without a proxy in front, the machine itself is not limited.
    let direct = start("rate-direct", &["--rate-limit", "60", "--rate-burst", "5"]);
    for _ in 0..20 {
        let (status, _, _) = request(direct.port, "GET", "/api/summary", &[], b"").unwrap();
        assert_eq!(status, 200);
    }
}

#[test]
fn a_busy_connection_is_closed_at_the_end_of_its_lifetime() {
    let server = start("lifetime", &["--connection-lifetime", "2"]);
    let mut stream = connect(server.port);
    stream
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    let started = Instant::now();
    // A request every 300 ms on one kept-alive connection, for at most 8 s.
    let mut answered = 0;
    while started.elapsed() < Duration::from_secs(8) {
        let sent = stream.write_all(b"GET /api/summary HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
        let mut buf = [0u8; 2048];
        match (sent, stream.read(&mut buf)) {
            (Ok(()), Ok(n)) if n > 0 => answered += 1,
            _ => break,
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    let took = started.elapsed();
    assert!(answered >= 3, "served while alive ({answered} answers)");
    assert!(took < Duration::from_secs(5), "still open after {took:?}");
}
