//! `accord inbox backup`: copies taken while the inbox stores a stream of
//! records are consistent, pass SQLite's integrity check and hold every
//! record acknowledged before they started; an existing file is never
//! overwritten, the copy is private to its owner, and a failed copy leaves
//! nothing behind.

mod support;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use support::*;

fn backup(db: &std::path::Path, dest: &std::path::Path) -> std::process::Output {
    run(
        &[
            "inbox",
            "backup",
            dest.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ],
        "",
    )
}

fn records_in(file: &std::path::Path) -> u32 {
    let copy = rusqlite::Connection::open(file).unwrap();
    copy.query_row("SELECT COUNT(*) FROM records", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn backups_taken_while_records_arrive_are_whole_and_never_overwrite() {
    const POSTED: u32 = 200;
    let (server, db) = start_inbox("backup", &[]);
    let dir = db.parent().unwrap().to_path_buf();
    let port = server.port;
    let acknowledged = Arc::new(AtomicU32::new(0));
    let poster = {
        let acknowledged = acknowledged.clone();
        std::thread::spawn(move || {
            let rb = inbound();
            for n in 0..POSTED {
                let (status, _) = post(port, &serde_json::to_string(&record(&rb, n)).unwrap());
                assert_eq!(status, 201, "record {n}");
                acknowledged.store(n + 1, Ordering::SeqCst);
            }
        })
    };
    let mut previous = 0;
    for i in 0..4 {
        let before = acknowledged.load(Ordering::SeqCst);
        let dest = dir.join(format!("backup-{i}.sqlite"));
        let out = backup(&db, &dest);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("integrity check passed"), "{stdout}");
        let copied = records_in(&dest);
        assert!(
            copied >= before && copied >= previous && copied <= POSTED,
            "backup {i}: {copied} records, {before} acknowledged before it"
        );
        previous = copied;
    }
    poster.join().unwrap();
    let last = dir.join("backup-last.sqlite");
    assert!(backup(&db, &last).status.success());
    assert_eq!(records_in(&last), POSTED);

    // An existing file is refused and left as it was.
    let before = std::fs::read(&last).unwrap();
    let out = backup(&db, &last);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("never overwrites"));
    assert_eq!(std::fs::read(&last).unwrap(), before);

    // The copy holds personal data: its owner alone reads it.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&last).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    // A backup that fails leaves no file behind, so the name can be reused.
    let failed = dir.join("from-nowhere.sqlite");
    let out = backup(&dir.join("no-such.sqlite"), &failed);
    assert_eq!(out.status.code(), Some(2));
    assert!(!failed.exists());
    drop(server);
}
