//! Lead records: real records validate against docs/record.schema.json, and
//! verification catches tampered and stale records. Sales feedback validates
//! against docs/feedback.schema.json.

use accord_core::{
    uuid_v4_from_bytes, verify_record, CallDetails, Channel, Context, FeedbackRecord, LeadRecord,
    Rep, Rulebook, Submission, Verdict,
};
use serde_json::{json, Value};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn rulebook(name: &str) -> Rulebook {
    let text = std::fs::read_to_string(root().join("static/rulebooks").join(name)).unwrap();
    Rulebook::from_json(&text).unwrap()
}

fn schema() -> jsonschema::Validator {
    schema_at("docs/record.schema.json")
}

fn schema_at(path: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).expect("the schema compiles")
}

fn submission(n: u8) -> Submission {
    Submission {
        submission_id: uuid_v4_from_bytes([n; 16]),
        submitted_at: "2026-11-23T09:30:00Z".into(),
        rep: None,
        notes: None,
        call: None,
        enrichment: None,
    }
}

/// A record for every fixture of every example rulebook.
fn all_records() -> Vec<(Rulebook, LeadRecord)> {
    let mut out = Vec::new();
    for name in ["inbound.json", "meddpicc-call.json", "minimal.json"] {
        let rb = rulebook(name);
        for (i, f) in rb.doc().fixtures.clone().iter().enumerate() {
            let channel = Channel::from(f.audience.unwrap_or(accord_core::Audience::Form));
            let mut sub = submission(i as u8);
            if channel == Channel::Call {
                sub.rep = Some(Rep {
                    name: "Dana".into(),
                    email: Some("dana@example.com".into()),
                });
                sub.notes = Some("Follow up Tuesday".into());
                sub.call = Some(CallDetails {
                    disposition: "follow_up".into(),
                    duration_seconds: 754,
                    follows_up: None,
                });
            }
            let record = rb.record(
                &f.answers,
                &f.context.clone().unwrap_or_default(),
                channel,
                sub,
            );
            out.push((rb.clone(), record));
        }
    }
    out
}

#[test]
fn real_records_validate_against_the_schema() {
    let schema = schema();
    let records = all_records();
    assert!(records.len() >= 12);
    for (_, record) in &records {
        let value = serde_json::to_value(record).unwrap();
        let errors: Vec<String> = schema
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", record.submission_id);
    }
}

#[test]
fn feedback_validates_against_its_schema() {
    let schema = schema_at("docs/feedback.schema.json");
    let mut checked = 0;
    for (rb, lead) in all_records() {
        let Some(reason) = rb
            .doc()
            .feedback
            .as_ref()
            .map(|f| f.reject_reasons[0].id.clone())
        else {
            continue;
        };
        for (verdict, reason) in [
            (Verdict::Accepted, None),
            (Verdict::Rejected, Some(reason.as_str())),
        ] {
            let feedback = FeedbackRecord::new(
                &lead,
                &rb,
                verdict,
                reason,
                Some("Spoke to them on Monday".into()),
                Some(Rep {
                    name: "Sam".into(),
                    email: None,
                }),
                uuid_v4_from_bytes([9; 16]),
                "2026-11-24T09:00:00.000Z".into(),
            )
            .unwrap();
            let value = serde_json::to_value(&feedback).unwrap();
            let errors: Vec<String> = schema.iter_errors(&value).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{errors:#?}");
            checked += 1;
            let mut bad = value.clone();
            bad.as_object_mut().unwrap().remove("reason");
            bad["verdict"] = serde_json::json!("rejected");
            assert!(!schema.is_valid(&bad), "a rejection without a reason");
        }
    }
    assert!(checked >= 8, "{checked}");
}

#[test]
fn the_schema_rejects_what_is_not_a_record() {
    let schema = schema();
    let (_, record) = all_records().remove(0);
    let good = serde_json::to_value(&record).unwrap();
    let mut bad = good.clone();
    bad["submission_id"] = json!("12345");
    assert!(!schema.is_valid(&bad));
    let mut bad = good.clone();
    bad["qualification"]["scores"]["fit"] = json!("sixty");
    assert!(!schema.is_valid(&bad));
    let mut bad = good;
    bad.as_object_mut().unwrap().remove("rulebook");
    assert!(!schema.is_valid(&bad));
}

#[test]
fn records_round_trip_and_verify_clean() {
    for (rb, record) in all_records() {
        let text = serde_json::to_string(&record).unwrap();
        let back: LeadRecord = serde_json::from_str(&text).unwrap();
        assert_eq!(back, record);
        assert_eq!(
            verify_record(&rb, &back),
            vec![],
            "{}",
            record.submission_id
        );
    }
}

#[test]
fn consent_keeps_the_text_that_was_shown() {
    let rb = rulebook("inbound.json");
    let f = &rb.doc().fixtures[0];
    let record = rb.record(
        &f.answers,
        &Context::default(),
        Channel::WebForm,
        submission(1),
    );
    assert_eq!(record.consent.len(), 1);
    assert!(record.consent[0].given);
    assert!(record.consent[0]
        .text
        .starts_with("I agree that Northwind may contact me"));
}

#[test]
fn unknown_answer_keys_are_not_recorded() {
    let rb = rulebook("minimal.json");
    let answers = json!({"email": "a@b.co", "favourite_colour": "teal"});
    let record = rb.record(
        answers.as_object().unwrap(),
        &Context::default(),
        Channel::WebForm,
        submission(2),
    );
    assert_eq!(Value::Object(record.answers), json!({"email": "a@b.co"}));
}

#[test]
fn a_tampered_record_is_caught() {
    let (rb, mut record) = all_records()
        .into_iter()
        .find(|(_, r)| r.qualification.grade == "mql")
        .unwrap();
    record.qualification.grade = "sql".into();
    *record.qualification.scores.get_mut("total").unwrap() += 30;
    let found = verify_record(&rb, &record);
    let what: Vec<&str> = found.iter().map(|d| d.what.as_str()).collect();
    assert_eq!(what, ["grade", "scores.total"]);
    assert_eq!(found[0].recorded, "\"sql\"");
    assert_eq!(found[0].recomputed, "\"mql\"");
}

#[test]
fn a_record_from_another_rulebook_version_is_stale() {
    let (_, record) = all_records().remove(0);
    let text = std::fs::read_to_string(root().join("static/rulebooks/inbound.json")).unwrap();
    let newer = Rulebook::from_json(
        &text.replace("\"version\": \"2026.11.1\"", "\"version\": \"2026.12.1\""),
    )
    .unwrap();
    let what: Vec<String> = verify_record(&newer, &record)
        .into_iter()
        .map(|d| d.what)
        .collect();
    assert_eq!(what, ["rulebook.version", "rulebook.sha256"]);
}

/// A stored outbox written by an earlier version (the serde-derived form)
/// is read, and written back exactly as it was.
#[test]
fn a_stored_outbox_reads_and_writes_back_unchanged() {
    let text = include_str!("data/outbox-v1.json");
    let stored: serde_json::Value = serde_json::from_str(text).expect("JSON");
    let outbox = accord_core::Outbox::from_json(&stored).expect("readable");
    assert_eq!(outbox.deliveries.len(), 3);
    assert!(outbox.deliveries[1].request.opaque);
    assert_eq!(outbox.to_json(), stored);

    let broken = serde_json::json!({"deliveries": [{"submission_id": "a"}]});
    assert_eq!(
        accord_core::Outbox::from_json(&broken).unwrap_err(),
        "deliveries[0]: missing field `state`"
    );
    let mut wrong = stored.clone();
    wrong["deliveries"][2]["request"]["url"] = serde_json::json!(1);
    assert_eq!(
        accord_core::Outbox::from_json(&wrong).unwrap_err(),
        "deliveries[2].request.url: expected a string, found a number"
    );
    assert_eq!(
        accord_core::Outbox::from_json(&serde_json::json!([])).unwrap_err(),
        "outbox: expected an object, found an array"
    );
    let mut huge = stored.clone();
    huge["deliveries"][0]["attempts"] = serde_json::json!(u64::MAX);
    assert_eq!(
        accord_core::Outbox::from_json(&huge).unwrap_err(),
        "deliveries[0].attempts: too large"
    );
}

/// Every claim a record makes is checked, not only the grade and scores.
#[test]
fn every_claim_of_a_record_is_verified() {
    let rb = rulebook("inbound.json");
    let f = &rb.doc().fixtures[0];
    let honest = rb.record(
        &f.answers,
        &Context::default(),
        Channel::WebForm,
        submission(3),
    );
    assert_eq!(verify_record(&rb, &honest), []);
    let what = |record: &LeadRecord| -> Vec<String> {
        verify_record(&rb, record)
            .into_iter()
            .map(|d| d.what)
            .collect()
    };

    let mut consent_text = honest.clone();
    consent_text.consent[0].text = "I agree to nothing".into();
    assert_eq!(what(&consent_text), ["consent"]);

    let mut consent_given = honest.clone();
    consent_given.consent[0].given = !consent_given.consent[0].given;
    assert_eq!(what(&consent_given), ["consent"]);

    let mut capped = honest.clone();
    capped.qualification.capped = vec!["intent".into()];
    assert_eq!(what(&capped), ["capped"]);

    let mut invalid = honest.clone();
    invalid.qualification.invalid.clear();
    invalid
        .answers
        .insert("email".into(), json!("not an email"));
    assert!(
        what(&invalid).contains(&"invalid".to_owned()),
        "{:?}",
        what(&invalid)
    );

    let mut extra = honest.clone();
    extra
        .answers
        .insert("favourite_colour".into(), json!("teal"));
    let found = verify_record(&rb, &extra);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].what, "answers");
    assert_eq!(found[0].recorded, "[\"favourite_colour\"]");
}

/// The page's analytics get the lead's id and fate, never its answers
/// unless the site owner opts in.
#[test]
fn analytics_see_no_personal_data_by_default() {
    let rb = rulebook("inbound.json");
    let f = &rb.doc().fixtures[0];
    let record = rb.record(
        &f.answers,
        &Context::default(),
        Channel::WebForm,
        submission(4),
    );
    let seen = record.analytics(false);
    let keys: Vec<&str> = seen
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["grade", "route_team", "rulebook", "status", "submission_id"]
    );
    assert!(!seen.to_string().contains('@'), "no email: {seen}");
    assert_eq!(seen["grade"], json!(record.qualification.grade));
    assert_eq!(seen["rulebook"]["sha256"], json!(record.rulebook.sha256));
    let opted_in = record.analytics(true);
    assert_eq!(opted_in["answers"], Value::Object(record.answers.clone()));
}

/// One unreadable delivery in a stored outbox never costs the others.
#[test]
fn a_stored_outbox_is_read_delivery_by_delivery() {
    let stored: Value = serde_json::from_str(include_str!("data/outbox-v1.json")).unwrap();
    let mut broken = stored.clone();
    broken["deliveries"][1]["request"]["url"] = json!(42);
    let (outbox, unreadable) = accord_core::Outbox::from_json_each(&broken);
    assert_eq!(outbox.deliveries.len(), 2, "the two good ones are kept");
    assert_eq!(unreadable.len(), 1);
    assert_eq!(
        unreadable[0].0,
        "deliveries[1].request.url: expected a string, found a number"
    );
    assert_eq!(
        unreadable[0].1, broken["deliveries"][1],
        "kept as it was stored"
    );
    let (none, whole) = accord_core::Outbox::from_json_each(&json!("garbage"));
    assert!(none.deliveries.is_empty());
    assert_eq!(whole[0].1, json!("garbage"));
    let (all, nothing) = accord_core::Outbox::from_json_each(&stored);
    assert_eq!((all.deliveries.len(), nothing.len()), (3, 0));
}

/// The inbound example with the sales-ready total lowered to `total`.
fn inbound_at(total: i64) -> Rulebook {
    let mut doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("static/rulebooks/inbound.json")).unwrap(),
    )
    .unwrap();
    doc["grades"][0]["when"]["and"][0][">="][1] = total.into();
    doc["version"] = "challenger".into();
    Rulebook::from_value(&doc).unwrap()
}

#[test]
fn a_shadow_result_is_the_challengers_verdict_validates_and_verifies() {
    let champion = rulebook("inbound.json");
    let challenger = inbound_at(40);
    let schema = schema();
    let mut moved = 0;
    for (rb, mut record) in all_records()
        .into_iter()
        .filter(|(rb, _)| rb.reference() == champion.reference())
    {
        record.shadow = Some(challenger.shadow_of(&record));
        let shadow = record.shadow.as_ref().unwrap();
        assert_eq!(shadow.rulebook, *challenger.reference());
        moved += usize::from(shadow.grade != record.qualification.grade);
        // The champion's verdict is untouched; the shadow verifies.
        assert!(accord_core::verify_record(&rb, &record).is_empty());
        assert!(accord_core::verify_shadow(&challenger, &record).is_empty());
        let value = serde_json::to_value(&record).unwrap();
        assert!(schema.is_valid(&value), "{value}");
        // A tampered shadow grade does not verify.
        let mut tampered = record.clone();
        tampered.shadow.as_mut().unwrap().grade = "sql".into();
        if record.shadow.as_ref().unwrap().grade != "sql" {
            let found = accord_core::verify_shadow(&challenger, &tampered);
            assert_eq!(found[0].what, "shadow.grade");
        }
    }
    assert!(
        moved > 0,
        "the lower threshold moves at least one fixture lead"
    );
}
