//! What the CRM destinations send for real leads: a HubSpot submission for
//! every fixture of every example rulebook validates against HubSpot's
//! documented v3 body (tests/data/hubspot-v3-submission.schema.json), and a
//! Salesforce Web-to-Lead post carries its constants, its mapped standard
//! and `00N…` fields and the explanation as readable text.

use accord_core::{
    request_for, uuid_v4_from_bytes, Channel, Destination, PageInfo, Rulebook, Submission,
    ValueTables,
};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// A record (as JSON) for every fixture of every example rulebook.
fn fixture_records() -> Vec<(Rulebook, Value)> {
    let mut out = Vec::new();
    for name in ["inbound.json", "meddpicc-call.json", "minimal.json"] {
        let text = std::fs::read_to_string(root().join("static/rulebooks").join(name)).unwrap();
        let rb = Rulebook::from_json(&text).unwrap();
        for (i, f) in rb.doc().fixtures.clone().iter().enumerate() {
            let record = rb.record(
                &f.answers,
                &f.context.clone().unwrap_or_default(),
                Channel::from(f.audience.unwrap_or(accord_core::Audience::Form)),
                Submission {
                    submission_id: uuid_v4_from_bytes([i as u8; 16]),
                    submitted_at: "2026-11-23T09:30:00Z".into(),
                    rep: None,
                    notes: None,
                    call: None,
                    enrichment: None,
                },
            );
            out.push((rb.clone(), serde_json::to_value(record).unwrap()));
        }
    }
    assert!(out.len() >= 12, "the example rulebooks have their fixtures");
    out
}

/// Every answer, and the whole qualification, mapped to properties.
fn field_map(rb: &Rulebook) -> BTreeMap<String, String> {
    let mut map: BTreeMap<String, String> = rb
        .doc()
        .fields
        .iter()
        .map(|f| (format!("answers.{}", f.id), format!("accord_{}", f.id)))
        .collect();
    for (path, name) in [
        ("answers.email", "email"),
        ("qualification.grade", "lifecyclestage"),
        ("qualification.status", "accord_status"),
        ("qualification.scores.total", "accord_score"),
        ("qualification.route.team", "hubspot_owner_id"),
        ("qualification.contributions", "accord_reasons"),
        ("qualification.knocked_out_by", "accord_knockouts"),
        ("qualification.invalid", "accord_invalid"),
        ("rulebook.version", "accord_rulebook_version"),
        ("submission_id", "accord_submission_id"),
    ] {
        map.insert(path.into(), name.into());
    }
    map
}

fn values() -> ValueTables {
    ValueTables::from([
        (
            "qualification.grade".to_owned(),
            BTreeMap::from([
                ("sql".to_owned(), "salesqualifiedlead".to_owned()),
                ("mql".to_owned(), "marketingqualifiedlead".to_owned()),
            ]),
        ),
        (
            "qualification.route.team".to_owned(),
            BTreeMap::from([("enterprise".to_owned(), "52413".to_owned())]),
        ),
    ])
}

#[test]
fn every_hubspot_submission_has_hubspots_documented_shape() {
    let schema_text = std::fs::read_to_string(
        root().join("crates/accord-core/tests/data/hubspot-v3-submission.schema.json"),
    )
    .unwrap();
    let schema = jsonschema::validator_for(&serde_json::from_str(&schema_text).unwrap()).unwrap();
    let page = PageInfo {
        hutk: Some("0123456789abcdef0123456789abcdef".into()),
        page_name: Some("Book a demo".into()),
    };
    let (mut lifecycle, mut reasons) = (0, 0);
    for (rb, record) in fixture_records() {
        let destination = Destination::Hubspot {
            portal_id: "1234567".into(),
            form_guid: "0f0e0d0c-0b0a-4909-8807-060504030201".into(),
            field_map: field_map(&rb),
            values: values(),
        };
        let request = request_for(&destination, &record, &page);
        let id = &record["submission_id"];
        assert_eq!(
            request.url,
            "https://api.hsforms.com/submissions/v3/integration/submit/1234567/0f0e0d0c-0b0a-4909-8807-060504030201"
        );
        assert_eq!(request.content_type, "application/json");
        let body: Value = serde_json::from_str(&request.body).unwrap();
        let errors: Vec<String> = schema
            .iter_errors(&body)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{id}: {errors:#?}\n{body:#}");
        let sent: BTreeMap<&str, &str> = body["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["name"].as_str().unwrap(), f["value"].as_str().unwrap()))
            .collect();
        for (name, value) in &sent {
            assert!(!value.is_empty(), "{id}: {name} is sent empty");
        }
        let grade = record["qualification"]["grade"].as_str().unwrap();
        match (grade, sent.get("lifecyclestage")) {
            ("sql", Some(&"salesqualifiedlead")) | ("mql", Some(&"marketingqualifiedlead")) => {
                lifecycle += 1
            }
            ("sql" | "mql", other) => panic!("{id}: grade {grade} sent as {other:?}"),
            (_, None) => {}
            (_, Some(other)) => panic!("{id}: grade {grade} has no stage, sent {other}"),
        }
        let contributions = record["qualification"]["contributions"].as_array().unwrap();
        if let Some(first) = contributions.first() {
            let text = sent["accord_reasons"];
            assert_eq!(text.lines().count(), contributions.len(), "{id}: {text}");
            assert!(
                text.starts_with(first["label"].as_str().unwrap()),
                "{id}: {text}"
            );
            reasons += 1;
        }
        if record["consent"].is_array() {
            assert!(body["legalConsentOptions"]["consent"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty()));
        }
    }
    assert!(lifecycle >= 2, "some fixtures reach a lifecycle stage");
    assert!(reasons >= 4, "some fixtures carry reasons");
}

#[test]
fn a_salesforce_web_to_lead_post_carries_constants_fields_and_readable_reasons() {
    let (mut posted, mut with_reasons) = (0, 0);
    for (_, record) in fixture_records() {
        if record["answers"]["email"].is_null() {
            continue;
        }
        let destination = Destination::FormPost {
            url: "https://webto.salesforce.com/servlet/servlet.WebToLead?encoding=UTF-8".into(),
            field_map: BTreeMap::from([
                ("answers.email".to_owned(), "email".to_owned()),
                ("answers.name".to_owned(), "last_name".to_owned()),
                ("answers.company".to_owned(), "company".to_owned()),
                ("qualification.grade".to_owned(), "rating".to_owned()),
                (
                    "qualification.scores.total".to_owned(),
                    "00N5g00000AbCdE".to_owned(),
                ),
                (
                    "qualification.contributions".to_owned(),
                    "description".to_owned(),
                ),
            ]),
            extra: BTreeMap::from([
                ("oid".to_owned(), "00D5g000004abcd".to_owned()),
                (
                    "retURL".to_owned(),
                    "https://www.example.com/thanks".to_owned(),
                ),
                ("lead_source".to_owned(), "Web".to_owned()),
            ]),
            values: ValueTables::from([(
                "qualification.grade".to_owned(),
                BTreeMap::from([
                    ("sql".to_owned(), "Hot".to_owned()),
                    ("mql".to_owned(), "Warm".to_owned()),
                ]),
            )]),
        };
        let request = request_for(&destination, &record, &PageInfo::default());
        assert_eq!(request.content_type, "application/x-www-form-urlencoded");
        assert!(request.opaque);
        let pairs = decode_form(&request.body);
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("oid"), Some("00D5g000004abcd"));
        assert_eq!(get("retURL"), Some("https://www.example.com/thanks"));
        assert_eq!(get("email"), record["answers"]["email"].as_str());
        assert_eq!(
            get("00N5g00000AbCdE"),
            Some(
                record["qualification"]["scores"]["total"]
                    .to_string()
                    .as_str()
            )
        );
        match record["qualification"]["grade"].as_str().unwrap() {
            "sql" => assert_eq!(get("rating"), Some("Hot")),
            "mql" => assert_eq!(get("rating"), Some("Warm")),
            _ => assert_eq!(get("rating"), None, "an unlisted grade sends no rating"),
        }
        let count = record["qualification"]["contributions"]
            .as_array()
            .unwrap()
            .len();
        if count > 0 {
            assert_eq!(get("description").unwrap().lines().count(), count);
            with_reasons += 1;
        }
        posted += 1;
    }
    assert!(
        posted >= 6 && with_reasons >= 4,
        "{posted} posts, {with_reasons} with reasons"
    );
}

/// `application/x-www-form-urlencoded` back into pairs.
fn decode_form(body: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let bytes = s.replace('+', " ").into_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    };
    body.split('&')
        .map(|pair| {
            let (n, v) = pair.split_once('=').unwrap();
            (decode(n), decode(v))
        })
        .collect()
}

/// The `"destinations": […]` fragments the CRM guides (docs/deploy/)
/// tell people to paste, in the example rulebook they are written for: each
/// must be a valid rulebook, or the guide does not work the first time.
#[test]
fn the_destinations_in_the_crm_guides_are_valid_in_the_example_rulebook() {
    let inbound: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("static/rulebooks/inbound.json")).unwrap(),
    )
    .unwrap();
    let mut checked = 0;
    for guide in ["docs/deploy/hubspot.md", "docs/deploy/salesforce.md"] {
        let text = std::fs::read_to_string(root().join(guide)).unwrap();
        for block in text.split("```json\n").skip(1) {
            let block = block.split("```").next().unwrap();
            if !block.trim_start().starts_with("\"destinations\"") {
                continue;
            }
            let fragment: Value = serde_json::from_str(&format!("{{{block}}}"))
                .unwrap_or_else(|e| panic!("{guide}: the destinations are not JSON: {e}\n{block}"));
            let mut doc = inbound.clone();
            for (key, value) in fragment.as_object().unwrap() {
                doc[key] = value.clone();
            }
            if let Err(errors) = Rulebook::from_value(&doc) {
                panic!("{guide}: {errors}\n{block}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 2, "each CRM guide gives its destinations once");
}
