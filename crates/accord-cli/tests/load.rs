//! Load on loopback, bounded: 950 slow clients hold connections open while
//! 50 writers post 1,000 records. Every acknowledged record is stored once,
//! posts are not stalled, and the slow clients are cut off.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::*;

const SLOW: usize = 950;
const WRITERS: u32 = 50;
const PER_WRITER: u32 = 20;

#[test]
fn a_thousand_connections_with_slow_clients_mixed_in() {
    let (server, _) = start_inbox(
        "load",
        &["--max-connections", "1100", "--header-timeout", "4"],
    );
    let port = server.port;
    // Slow clients: half a request head each, then nothing.
    let mut slow: Vec<TcpStream> = (0..SLOW)
        .map(|n| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| {
                panic!("slow client {n} cannot connect ({e}): raise `ulimit -n`")
            });
            s.write_all(b"POST /api/records HTTP/1.1\r\nhost: 127.0.0.1\r\n")
                .unwrap();
            s
        })
        .collect();
    let rb = Arc::new(inbound());
    let slowest = Arc::new(Mutex::new(Duration::ZERO));
    let started = Instant::now();
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (rb, slowest) = (rb.clone(), slowest.clone());
            std::thread::spawn(move || {
                for i in 0..PER_WRITER {
                    let body =
                        serde_json::to_string(&record(&rb, 10_000 + w * PER_WRITER + i)).unwrap();
                    let sent = Instant::now();
                    let (status, reply) = post(port, &body);
                    assert_eq!(status, 201, "{reply}");
                    let took = sent.elapsed();
                    let mut s = slowest.lock().unwrap();
                    *s = (*s).max(took);
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let all_posted = started.elapsed();
    assert_eq!(
        total(port),
        u64::from(WRITERS * PER_WRITER),
        "each acknowledged record stored once"
    );
    let slowest = *slowest.lock().unwrap();
    assert!(
        slowest < Duration::from_secs(3),
        "a post waited {slowest:?}"
    );
    // The slow clients are cut off by the header timeout.
    let deadline = Instant::now() + Duration::from_secs(10);
    for s in &mut slow {
        let left = deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1));
        s.set_read_timeout(Some(left)).unwrap();
        let mut buf = [0u8; 512];
        match s.read(&mut buf) {
            Ok(_) => {} // closed (0) or answered before closing
            Err(e) => panic!(
                "a slow client was still connected after {:?}: {e}",
                started.elapsed()
            ),
        }
    }
    eprintln!("{} records from {WRITERS} writers beside {SLOW} slow clients in {all_posted:?}; slowest post {slowest:?}", WRITERS * PER_WRITER);
}
