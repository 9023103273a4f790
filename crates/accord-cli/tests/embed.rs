//! `accord embed`, run as a site owner runs it: the snippet holds the
//! widget's own markup for the form's first step in a declarative shadow
//! root, escapes whatever the rulebook says, and refuses URLs a page must
//! not carry.

mod support;

use support::{example, run, temp_dir};

fn embed(args: &[&str]) -> (Option<i32>, String, String) {
    let out = run(&[&["embed"], args].concat(), "");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_snippet_holds_the_first_step_in_a_declarative_shadow_root() {
    let inbound = example("inbound.json");
    let (code, html, err) = embed(&[
        inbound.to_str().unwrap(),
        "--rulebook-url",
        "/rulebooks/inbound.json",
        "--endpoint",
        "https://leads.example.com/api/records",
        "--loader",
        "https://cdn.example.com/accord/accord-loader.js",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(html.starts_with(r#"<div data-accord-rulebook="/rulebooks/inbound.json" data-accord-endpoint="https://leads.example.com/api/records" data-accord-locale="en"><template shadowrootmode="open"><link rel="stylesheet" href="https://cdn.example.com/accord/accord/accord.css"><div class="accord-root" data-accord-prerendered>"#), "{html}");
    assert!(html.ends_with(
        "</template></div>\n<script src=\"https://cdn.example.com/accord/accord-loader.js\" defer></script>\n"
    ));
    // The widget's own markup: a form that posts itself, with its rulebook.
    for part in [
        r#"<form action="https://leads.example.com/api/records" method="post" novalidate="novalidate" class="accord-form">"#,
        r#"<input value="northwind-inbound" type="hidden" name="accord_rulebook">"#,
        r#"<input value="2026.11.1" type="hidden" name="accord_version">"#,
        r#"<p class="progress">Step 1 of 3</p>"#,
        r#"<label for="f-name">Full name"#,
        r#"id="f-email" name="email" autocomplete="email""#,
        r#"<select id="f-role" name="role""#,
        r#"name="accord_website" type="text" tabindex="-1""#,
        r#"<input value="" type="hidden" name="accord_submission_id">"#,
        r#"<button type="submit" id="accord-submit">Continue</button>"#,
    ] {
        assert!(html.contains(part), "{part} in {html}");
    }
    // Only the first step: later questions are the widget's to show.
    assert!(!html.contains("Company size"), "{html}");
    assert_eq!(html.matches("<form").count(), 1);
}

#[test]
fn another_language_and_the_assets_of_a_release() {
    let minimal = example("minimal.json");
    let (code, html, err) = embed(&[
        minimal.to_str().unwrap(),
        "--rulebook-url",
        "https://www.example.com/r.json",
        "--locale",
        "de",
        "--loader",
        "https://cdn.example.com/accord-loader.js",
        "--assets",
        "accord/5ffa275da8/",
        "--theme",
        "dark",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        html.contains(r#"data-accord-locale="de" data-accord-theme="dark">"#),
        "{html}"
    );
    assert!(html.contains(r#"lang="de""#));
    assert!(
        html.contains("Absenden") || html.contains(">Senden<"),
        "German strings: {html}"
    );
    // manifest.json's `assets`, relative to the loader.
    assert!(
        html.contains(r#"href="https://cdn.example.com/accord/5ffa275da8/accord.css""#),
        "{html}"
    );
    // No endpoint: nowhere to post without scripts, and never a GET.
    assert!(html.contains(r#"<form method="post""#), "{html}");
    assert!(!html.contains("action="));
    assert!(err.contains("without --endpoint"), "{err}");
}

#[test]
fn what_the_rulebook_and_the_options_say_is_escaped() {
    let dir = temp_dir("embed-hostile");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example("minimal.json")).unwrap()).unwrap();
    doc["title"] = "</template><script>alert(1)</script>".into();
    doc["fields"][0]["label"] = r#""><img src=x onerror=alert(2)>"#.into();
    let path = dir.join("hostile.json");
    let doc = accord_core::publish(&doc).unwrap();
    std::fs::write(&path, doc.to_string()).unwrap();
    let (code, html, err) = embed(&[
        path.to_str().unwrap(),
        "--rulebook-url",
        r#"/r.json"><script>alert(3)</script>"#,
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(
        html.contains("&lt;/template&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains(r#"data-accord-rulebook="/r.json&quot;&gt;&lt;script&gt;"#),
        "{html}"
    );
    assert_eq!(html.matches("</template>").count(), 1);
}

#[test]
fn urls_a_page_must_not_carry_are_refused() {
    let inbound = example("inbound.json");
    let inbound = inbound.to_str().unwrap();
    for (option, value, says) in [
        ("--endpoint", "javascript:alert(1)", "http(s) URL"),
        ("--endpoint", "//evil.example/api/records", "http(s) URL"),
        ("--endpoint", "/\\evil.example/api/records", "http(s) URL"),
        ("--loader", "javascript:alert(1)", "http(s) URL"),
        ("--assets", "data:text/css,x", "http(s) URL"),
        (
            "--endpoint",
            "https://leads.example.com/api/records?api_key=sk_live_abcdefghijklmnop",
            "secrets belong on the backend",
        ),
        (
            "--loader",
            "https://user:secret@cdn.example.com/accord-loader.js",
            "secrets belong on the backend",
        ),
        ("--locale", "not a tag", "language tag"),
    ] {
        let (code, html, err) = embed(&[inbound, "--rulebook-url", "/r.json", option, value]);
        assert_eq!(code, Some(2), "{option} {value}: {html}");
        assert!(err.contains(says), "{option} {value}: {err}");
        assert!(html.is_empty());
    }
    // An invalid rulebook is never prerendered.
    let dir = temp_dir("embed-invalid");
    let path = dir.join("invalid.json");
    std::fs::write(&path, r#"{"accord_rulebook": 1}"#).unwrap();
    let (code, html, err) = embed(&[path.to_str().unwrap(), "--rulebook-url", "/r.json"]);
    assert_eq!(code, Some(2), "{html}");
    assert!(err.contains("is not a valid rulebook"), "{err}");
}

#[test]
fn a_published_rulebook_on_standard_input_is_read_once() {
    let text = std::fs::read_to_string(example("inbound.json")).unwrap();
    let out = run(
        &[
            "embed",
            "-",
            "--rulebook-url",
            "/rulebooks/inbound.json",
            "--endpoint",
            "/api/records",
        ],
        &text,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("shadowrootmode=\"open\""));
}
