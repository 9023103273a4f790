//! `accord serve`: the built site and the inbox on one port.

mod support;

use support::*;

#[test]
fn serves_the_site_and_receives_records_on_one_port() {
    let dir = temp_dir("serve");
    let dist = dir.join("dist");
    std::fs::create_dir_all(dist.join("accord")).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Demo</title><h1>Landing</h1>",
    )
    .unwrap();
    std::fs::write(dist.join("accord/widget_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let db = dir.join("inbox.sqlite");
    let server = Server::start(&[
        "serve",
        "--dist",
        dist.to_str().unwrap(),
        "--addr",
        "127.0.0.1:0",
        "--db",
        db.to_str().unwrap(),
        "--rulebooks",
        example("inbound.json").to_str().unwrap(),
    ]);
    let (status, _, page) = request(server.port, "GET", "/", &[], b"").unwrap();
    assert_eq!(status, 200);
    assert!(page.contains("<h1>Landing</h1>"));
    let (status, head, _) =
        request(server.port, "GET", "/accord/widget_bg.wasm", &[], b"").unwrap();
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/wasm"),
        "{head}"
    );
    let (status, _, _) = request(server.port, "GET", "/no-such-page", &[], b"").unwrap();
    assert_eq!(status, 404);
    let (status, reply) = post(
        server.port,
        &serde_json::to_string(&record(&inbound(), 1)).unwrap(),
    );
    assert_eq!(
        (status, reply["verification"].as_str()),
        (201, Some("verified"))
    );
    assert_eq!(total(server.port), 1);
    assert!(server.stop().success());
}

#[test]
fn serve_refuses_a_site_that_is_not_built() {
    let dir = temp_dir("serve-empty");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args([
            "serve",
            "--dist",
            dir.join("nothing").to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("has no .html page: build the site first")
    );
}
