//! The inbox's CSV export of 100,000 records streams: the server's memory
//! stays flat, and records posted meanwhile are stored without waiting for
//! it. Loopback only, bounded in time.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};
use support::*;

const SEEDED: u32 = 100_000;

/// The server's peak resident memory so far, in KiB.
fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status")
}

#[test]
fn a_100k_record_export_streams_with_flat_memory_and_posts_go_on() {
    let (server, db) = start_inbox("export", &[]);
    let dir = db.parent().unwrap().to_path_buf();
    // Seed the records straight into the database (posting 100,000 would
    // test the posting, not the export).
    let rb = inbound();
    let template = record(&rb, 0);
    let text = serde_json::to_string(&template).unwrap();
    {
        let mut seed = rusqlite::Connection::open(&db).unwrap();
        seed.busy_timeout(Duration::from_secs(10)).unwrap();
        let tx = seed.transaction().unwrap();
        {
            let mut insert = tx
                .prepare("INSERT INTO records VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0, NULL)")
                .unwrap();
            for n in 1..=SEEDED {
                let mut bytes = [0u8; 16];
                bytes[..4].copy_from_slice(&n.to_be_bytes());
                bytes[4] = 0xee;
                let id = accord_core::uuid_v4_from_bytes(bytes);
                let raw = text.replace(&template.submission_id, &id);
                insert
                    .execute(rusqlite::params![
                        id,
                        "2026-11-30T00:00:00Z",
                        template.rulebook.id,
                        template.rulebook.version,
                        template.rulebook.sha256,
                        "web_form",
                        "qualified",
                        template.qualification.grade,
                        0,
                        "verified",
                        "[]",
                        raw
                    ])
                    .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    let before = peak_kib(server.pid());

    // The export, read as it arrives, counting rows.
    let port = server.port;
    let export = std::thread::spawn(move || {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        stream
            .write_all(
                b"GET /api/records.csv HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n",
            )
            .unwrap();
        let (mut newlines, mut buf) = (0u64, vec![0u8; 64 * 1024]);
        loop {
            let n = stream.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            newlines += buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
            // A slow reader: the server must not buffer the rest for it.
            std::thread::sleep(Duration::from_millis(1));
        }
        newlines
    });

    // Meanwhile, records are posted and stored promptly.
    let mut slowest = Duration::ZERO;
    for n in 1..=20 {
        let body = serde_json::to_string(&record(&rb, 1_000 + n)).unwrap();
        let started = Instant::now();
        let (status, reply) = post(server.port, &body);
        slowest = slowest.max(started.elapsed());
        assert_eq!(status, 201, "{reply}");
        std::thread::sleep(Duration::from_millis(20));
    }
    let rows = export.join().unwrap();
    let grown_mib = (peak_kib(server.pid()).saturating_sub(before)) / 1024;

    // Headers' lines and the header row come on top of one line per record.
    assert!(
        rows > u64::from(SEEDED),
        "{rows} lines for {SEEDED} records"
    );
    assert!(
        slowest < Duration::from_secs(2),
        "a post waited {slowest:?} during the export"
    );
    assert!(
        grown_mib < 48,
        "the export grew the server by {grown_mib} MiB"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
