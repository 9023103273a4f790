//! Owner pools: a route's leads spread over its owners by submission id,
//! the same in the browser and natively, and re-verified.

use accord_core::{
    uuid_v4_from_bytes, verify_record, Answers, Channel, Context, Rulebook, Submission,
};
use serde_json::json;

fn rulebook(pool: serde_json::Value) -> Rulebook {
    Rulebook::from_value(&json!({
        "accord": 1, "id": "pool", "version": "1", "title": "Pool",
        "fields": [{"id": "email", "label": "Email", "type": "email"}],
        "grades": [{"id": "lead", "label": "Lead"}],
        "routes": [{"to": {"team": "sales", "booking_url": "https://cal.example/sales"}, "owner_pool": pool}]
    }))
    .expect("valid")
}

fn id(n: u32) -> String {
    let mut bytes = [0u8; 16];
    bytes[..4].copy_from_slice(&n.to_le_bytes());
    uuid_v4_from_bytes(bytes)
}

fn record(rb: &Rulebook, submission_id: &str) -> accord_core::LeadRecord {
    let answers: Answers = serde_json::from_value(json!({"email": "a@b.example"})).unwrap();
    rb.record(
        &answers,
        &Context::default(),
        Channel::WebForm,
        Submission {
            submission_id: submission_id.into(),
            submitted_at: "2026-11-30T10:00:00Z".into(),
            ..Submission::default()
        },
    )
}

#[test]
fn a_pool_spreads_1000_leads_evenly_and_picks_the_same_owner_every_time() {
    let rb = rulebook(json!([
        {"owner": "ana@acme.example", "booking_url": "https://cal.example/ana?email={answers.email}"},
        {"owner": "ben@acme.example"},
        {"owner": "chi@acme.example"}
    ]));
    let mut counts = std::collections::BTreeMap::new();
    for n in 0..1000 {
        let r = record(&rb, &id(n));
        let route = r.qualification.route.clone().expect("routed");
        *counts
            .entry(route.owner.clone().expect("an owner"))
            .or_insert(0) += 1;
        // Re-verified natively, owner included.
        assert!(verify_record(&rb, &r).is_empty());
        // The same id (in any case) always gets the same owner.
        let again = record(&rb, &id(n).to_ascii_uppercase());
        assert_eq!(again.qualification.route.unwrap().owner, route.owner);
        // Ana's leads book on Ana's page; the others on the route's.
        let expected_booking = if route.owner.as_deref() == Some("ana@acme.example") {
            "https://cal.example/ana?email={answers.email}"
        } else {
            "https://cal.example/sales"
        };
        assert_eq!(route.booking_url.as_deref(), Some(expected_booking));
    }
    assert_eq!(counts.len(), 3);
    for (owner, n) in &counts {
        // 333 each on average; 3 standard deviations is about ±45.
        assert!(
            (288..=378).contains(n),
            "{owner} got {n} of 1000: {counts:?}"
        );
    }
}

#[test]
fn a_record_with_another_owner_does_not_verify() {
    let rb = rulebook(json!([{"owner": "ana"}, {"owner": "ben"}]));
    let mut r = record(&rb, &id(7));
    let picked = r
        .qualification
        .route
        .as_ref()
        .unwrap()
        .owner
        .clone()
        .unwrap();
    let other = if picked == "ana" { "ben" } else { "ana" };
    r.qualification.route.as_mut().unwrap().owner = Some(other.into());
    let found = verify_record(&rb, &r);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].what, "route");
}

#[test]
fn a_pool_is_checked() {
    let errors = |route: serde_json::Value| {
        Rulebook::from_value(&json!({
            "accord": 1, "id": "pool", "version": "1", "title": "Pool",
            "fields": [{"id": "email", "label": "Email", "type": "email"}],
            "grades": [{"id": "lead", "label": "Lead"}],
            "routes": [route]
        }))
        .unwrap_err()
        .to_string()
    };
    let both =
        errors(json!({"to": {"team": "s", "owner": "ana"}, "owner_pool": [{"owner": "ben"}]}));
    assert!(
        both.contains("routes[0].owner_pool") && both.contains("not both"),
        "{both}"
    );
    let twice =
        errors(json!({"to": {"team": "s"}, "owner_pool": [{"owner": "ana"}, {"owner": "ana"}]}));
    assert!(
        twice.contains("routes[0].owner_pool[1].owner") && twice.contains("twice"),
        "{twice}"
    );
    let blank = errors(json!({"to": {"team": "s"}, "owner_pool": [{"owner": " "}]}));
    assert!(blank.contains("routes[0].owner_pool[0].owner"), "{blank}");
    let url = errors(
        json!({"to": {"team": "s"}, "owner_pool": [{"owner": "a", "booking_url": "cal.example"}]}),
    );
    assert!(url.contains("routes[0].owner_pool[0].booking_url"), "{url}");
    let key = errors(json!({"to": {"team": "s"}, "owner_pool": [{"owner": "a", "weight": 2}]}));
    assert!(key.contains("unknown field `weight`"), "{key}");
}
