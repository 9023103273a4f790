//! Enrichment end to end in the engine: what a rulebook may declare, how
//! conditions read `enriched.*`, how a skipped question is answered, and
//! that a record re-verifies from its own snapshot.

use accord_core::{
    verify_record, Channel, Context, EnrichmentStatus, Lookup, Rulebook, Snapshot, Submission,
};
use serde_json::{json, Map, Value};

fn base() -> Value {
    json!({
        "accord": 1, "id": "enriched", "version": "1", "title": "T",
        "fields": [
            {"id": "email", "label": "Work email", "type": "email", "required": true},
            {"id": "employees", "label": "How many people work there?", "type": "number",
             "required": true, "skip_when_enriched": "employees"},
            {"id": "industry", "label": "Industry", "type": "choice", "skip_when_enriched": "industry",
             "options": [{"value": "software"}, {"value": "retail"}, {"value": "other"}]}
        ],
        "scores": [{"id": "fit", "label": "Fit", "criteria": [
            {"id": "big", "label": "200+ people", "when": {">=": [{"var": "employees"}, 200]}, "points": 30},
            {"id": "software", "label": "Software", "when": {"==": [{"var": "enriched.industry"}, "software"]}, "points": 20},
            {"id": "german", "label": "German number", "when": {"==": [{"var": "enriched.country"}, "DE"]}, "points": 5}
        ]}],
        "knockouts": [
            {"id": "throwaway", "label": "Disposable address", "when": {"==": [{"var": "enriched.disposable"}, true]}}
        ],
        "grades": [
            {"id": "sql", "label": "SQL", "when": {">=": [{"var": "score.total"}, 50]}},
            {"id": "nurture", "label": "Nurture"}
        ],
        "enrichment": {
            "attributes": [
                {"id": "employees", "label": "Employees", "type": "number"},
                {"id": "industry", "label": "Industry", "type": "choice",
                 "options": [{"value": "software"}, {"value": "retail"}]},
                {"id": "country", "label": "Country", "type": "text"},
                {"id": "disposable", "label": "Disposable address", "type": "yes_no"}
            ],
            "providers": [
                {"id": "offline", "kind": "built_in", "map": {"disposable": "disposable_email"}},
                {"id": "crm", "kind": "http", "timeout_ms": 800,
                 "url": "https://enrich.example.com/v1/company?domain={derived.email_domain}",
                 "map": {"employees": "/employees", "industry": "/industry", "country": "/country"}}
            ]
        }
    })
}

fn errors(change: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut doc = base();
    change(&mut doc);
    match Rulebook::from_value(&doc) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(ToString::to_string).collect(),
    }
}

fn object(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

#[test]
fn the_enriched_rulebook_is_valid_and_keeps_its_declarations() {
    assert_eq!(errors(|_| {}), Vec::<String>::new());
    let rb = Rulebook::from_value(&base()).unwrap();
    let e = rb.doc().enrichment.as_ref().unwrap();
    assert_eq!(e.attributes.len(), 4);
    assert_eq!(e.providers[1].timeout_ms(), 800);
    assert_eq!(
        rb.field("employees").unwrap().skip_when_enriched.as_deref(),
        Some("employees")
    );
}

#[test]
fn every_enrichment_mistake_is_named_with_its_path() {
    let all = errors(|d| {
        let e = &mut d["enrichment"];
        e["attributes"][0]["type"] = json!("email");
        e["attributes"][1]["options"] = json!([]);
        e["attributes"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "orphan", "label": "Orphan", "type": "text"}));
        e["providers"][0]["map"]["disposable"] = json!("phone_country");
        e["providers"][0]["timeout_ms"] = json!(100);
        e["providers"][1]["url"] = json!(
            "https://{derived.email_domain}/x?key=sk_live_abcdefabcdefabcdef&email={answers.email}"
        );
        e["providers"][1]["timeout_ms"] = json!(60000);
        e["providers"][1]["map"]["revenue"] = json!("/revenue");
        e["providers"][1]["map"]["country"] = json!("country");
        d["fields"][1]["skip_when_enriched"] = json!("country");
    });
    let expected = [
        "enrichment.attributes[0].type [employees]: an attribute is `text`, `number`, `choice`, `yes_no`, not email",
        "enrichment.attributes[1].options [industry]: a choice attribute needs options",
        "enrichment.providers[0].timeout_ms [offline]: timeout_ms applies to http providers",
        "enrichment.providers[0].map.disposable [offline]: `phone_country` is text, but attribute `disposable` is yes_no",
        "enrichment.providers[1].url [crm]: placeholders may only come after the host name (in the path or the query)",
        "enrichment.providers[1].url [crm]: unknown placeholder `{answers.email}`: use `derived.email_domain`",
        "enrichment.providers[1].url [crm]: this URL looks like it holds a secret",
        "enrichment.providers[1].timeout_ms [crm]: 60000 ms is outside 1–10000 ms: a visitor never waits longer on a lookup",
        "enrichment.providers[1].map.country [crm]: `country` is not a JSON Pointer such as `/company/employees`",
        "enrichment.providers[1].map.revenue [crm]: unknown attribute `revenue`",
        "enrichment.attributes[4] [orphan]: no provider's map fills this attribute",
        "fields[1].skip_when_enriched [employees]: attribute `country` (text) cannot answer a number field",
        // Without its options, the attribute has no `software` to compare with.
        "scores[0].criteria[1].when [software]: `software` is not an option of field `enriched.industry`",
    ];
    for want in expected {
        assert!(
            all.iter().any(|e| e.starts_with(want)),
            "missing {want:?} in {all:#?}"
        );
    }
    assert_eq!(all.len(), expected.len(), "{all:#?}");
}

#[test]
fn conditions_read_declared_attributes_with_their_types() {
    let all = errors(|d| {
        d["scores"][0]["criteria"][1]["when"] =
            json!({"==": [{"var": "enriched.industri"}, "software"]});
        d["scores"][0]["criteria"][2]["when"] =
            json!({"==": [{"var": "enriched.industry"}, "mining"]});
    });
    assert_eq!(all.len(), 2, "{all:#?}");
    assert!(
        all[0].contains("enriched.industri")
            && all[0].contains("known: employees, industry, country, disposable"),
        "{}",
        all[0]
    );
    assert!(all[1].contains("mining"), "{}", all[1]);

    let none = errors(|d| {
        d.as_object_mut().unwrap().remove("enrichment");
        d["fields"][1]
            .as_object_mut()
            .unwrap()
            .remove("skip_when_enriched");
        d["fields"][2]
            .as_object_mut()
            .unwrap()
            .remove("skip_when_enriched");
        d["knockouts"] = json!([]);
    });
    assert!(
        none.iter()
            .any(|e| e.contains("the rulebook declares no enrichment attributes")),
        "{none:#?}"
    );

    let reserved = errors(|d| {
        d["fields"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "enriched", "label": "E", "type": "text"}));
    });
    assert!(
        reserved[0].contains("`enriched` is reserved"),
        "{reserved:#?}"
    );
}

fn lead(snapshot: Option<Snapshot>, answers: Value) -> accord_core::LeadRecord {
    let rb = Rulebook::from_value(&base()).unwrap();
    rb.record(
        &object(answers),
        &Context::default(),
        Channel::WebForm,
        Submission {
            submission_id: "8a4c4a58-3b7b-4b1e-9d0f-3c2b1a0f9e8d".into(),
            submitted_at: "2026-11-30T12:00:00Z".into(),
            enrichment: snapshot,
            ..Submission::default()
        },
    )
}

fn found(values: Value) -> Snapshot {
    let rb = Rulebook::from_value(&base()).unwrap();
    let e = rb.doc().enrichment.as_ref().unwrap();
    Snapshot::from_lookups(
        e,
        &[Lookup::Found(Map::new()), Lookup::Found(object(values))],
        Some("2026-11-30T11:59:58Z".into()),
    )
}

#[test]
fn a_lead_whose_company_size_comes_from_the_lookup_is_graded_on_it() {
    let record = lead(
        Some(found(
            json!({"employees": 450, "industry": "software", "country": "DE"}),
        )),
        json!({"email": "ada@acme.example"}),
    );
    let q = &record.qualification;
    assert_eq!(q.status.name(), "qualified", "{q:#?}");
    assert_eq!(q.grade, "sql");
    assert_eq!(q.scores["total"], 55);
    assert_eq!(record.answers["employees"], json!(450));
    let e = record.enrichment.as_ref().unwrap();
    assert_eq!(e.status, EnrichmentStatus::Ok);
    assert_eq!(e.answered["employees"], "employees");
    assert_eq!(e.answered["industry"], "industry");
    assert_eq!(e.sources["employees"], "crm");
    assert!(verify_record(&Rulebook::from_value(&base()).unwrap(), &record).is_empty());

    // The record's JSON keeps the snapshot and reads back the same.
    let text = serde_json::to_string(&record).unwrap();
    let back: accord_core::LeadRecord = serde_json::from_str(&text).unwrap();
    assert_eq!(back, record);
    assert_eq!(
        serde_json::to_value(&record).unwrap()["enrichment"]["values"]["employees"],
        json!(450)
    );
}

#[test]
fn a_lookup_that_timed_out_leaves_the_question_to_the_visitor() {
    let rb = Rulebook::from_value(&base()).unwrap();
    let e = rb.doc().enrichment.as_ref().unwrap();
    let timed_out = Snapshot::from_lookups(e, &[Lookup::Found(Map::new()), Lookup::Timeout], None);
    let record = lead(
        Some(timed_out.clone()),
        json!({"email": "ada@acme.example"}),
    );
    assert_eq!(record.qualification.status.name(), "incomplete");
    assert_eq!(record.qualification.missing, ["employees"]);
    assert_eq!(
        record.enrichment.as_ref().unwrap().status,
        EnrichmentStatus::Timeout
    );

    let answered = lead(
        Some(timed_out),
        json!({"email": "ada@acme.example", "employees": 450}),
    );
    assert_eq!(answered.qualification.status.name(), "qualified");
    assert_eq!(answered.qualification.scores["total"], 30);
    assert!(answered.enrichment.as_ref().unwrap().answered.is_empty());
    assert!(verify_record(&rb, &answered).is_empty());
}

#[test]
fn a_knockout_reads_a_built_in_fact() {
    let rb = Rulebook::from_value(&base()).unwrap();
    let e = rb.doc().enrichment.as_ref().unwrap();
    let lists = accord_core::DomainLists::from_disposable_text("mailinator.com");
    let answers = object(json!({"email": "x@mailinator.com", "employees": 5}));
    let offline = accord_core::built_in(&e.providers[0], &rb, &answers, &lists);
    let snapshot = Snapshot::from_lookups(e, &[offline], None);
    let record = lead(
        Some(snapshot),
        json!({"email": "x@mailinator.com", "employees": 5}),
    );
    assert_eq!(record.qualification.grade, "disqualified");
    assert_eq!(
        record.enrichment.as_ref().unwrap().values["disposable"],
        json!(true)
    );
}

#[test]
fn verification_uses_the_records_snapshot_and_catches_a_forged_one() {
    let rb = Rulebook::from_value(&base()).unwrap();
    let record = lead(
        Some(found(json!({"employees": 450, "industry": "software"}))),
        json!({"email": "ada@acme.example"}),
    );
    assert!(verify_record(&rb, &record).is_empty());

    // Someone raised the enriched industry after the fact: the grade no
    // longer follows from the snapshot.
    let mut forged = record.clone();
    forged
        .enrichment
        .as_mut()
        .unwrap()
        .values
        .insert("industry".into(), json!("retail"));
    let found: Vec<String> = verify_record(&rb, &forged)
        .iter()
        .map(|d| d.what.clone())
        .collect();
    assert!(found.contains(&"grade".to_owned()), "{found:?}");
    assert!(found.contains(&"enrichment".to_owned()), "{found:?}");

    // A value of the wrong type is named, and reads as unknown.
    let mut garbage = record.clone();
    garbage
        .enrichment
        .as_mut()
        .unwrap()
        .values
        .insert("country".into(), json!({"evil": true}));
    let d = verify_record(&rb, &garbage);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].recorded.contains("values.country"), "{d:#?}");

    // A record without enrichment for a rulebook with it: nothing was looked up.
    let plain = lead(None, json!({"email": "ada@acme.example", "employees": 12}));
    assert_eq!(
        plain.enrichment.as_ref().unwrap().status,
        EnrichmentStatus::None
    );
    assert!(verify_record(&rb, &plain).is_empty());
}

#[test]
fn records_of_rulebooks_without_enrichment_carry_no_enrichment_key() {
    let mut doc = base();
    doc.as_object_mut().unwrap().remove("enrichment");
    doc["fields"][1]
        .as_object_mut()
        .unwrap()
        .remove("skip_when_enriched");
    doc["fields"][2]
        .as_object_mut()
        .unwrap()
        .remove("skip_when_enriched");
    doc["knockouts"] = json!([]);
    doc["scores"][0]["criteria"] = json!([{"id": "big", "label": "Big", "when": {">=": [{"var": "employees"}, 200]}, "points": 30}]);
    let rb = Rulebook::from_value(&doc).unwrap();
    let record = rb.record(
        &object(json!({"email": "ada@acme.example", "employees": 300})),
        &Context::default(),
        Channel::WebForm,
        Submission {
            enrichment: Some(found(json!({"employees": 1}))),
            ..Submission::default()
        },
    );
    assert!(record.enrichment.is_none());
    assert!(serde_json::to_value(&record)
        .unwrap()
        .get("enrichment")
        .is_none());
}

#[test]
fn a_diff_names_enrichment_changes() {
    let old = Rulebook::from_value(&base()).unwrap();
    let mut doc = base();
    doc["enrichment"]["providers"][1]["timeout_ms"] = json!(1200);
    doc["enrichment"]["attributes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "revenue", "label": "Revenue", "type": "number"}));
    doc["enrichment"]["providers"][1]["map"]["revenue"] = json!("/revenue");
    doc["fields"][2]
        .as_object_mut()
        .unwrap()
        .remove("skip_when_enriched");
    let new = Rulebook::from_value(&doc).unwrap();
    let changes: Vec<String> = accord_core::changes(&old, &new)
        .into_iter()
        .map(|c| format!("{}: {}", c.area, c.text))
        .collect();
    assert!(
        changes.contains(&"enrichment: attribute `revenue` added".to_owned()),
        "{changes:#?}"
    );
    assert!(
        changes.contains(&"enrichment: provider `crm` changed".to_owned()),
        "{changes:#?}"
    );
    assert!(
        changes
            .iter()
            .any(|c| c.ends_with("skipped when `enriched.industry` is known → always asked")),
        "{changes:#?}"
    );
}

#[test]
fn a_record_that_claims_other_built_in_facts_than_its_answers_give_does_not_verify() {
    let rb = Rulebook::from_value(&base()).unwrap();
    let e = rb.doc().enrichment.as_ref().unwrap();
    let answers = json!({"email": "x@mailinator.com", "employees": 5});
    let honest = accord_core::built_in(
        &e.providers[0],
        &rb,
        &object(answers.clone()),
        accord_core::DomainLists::bundled(),
    );
    let record = lead(
        Some(Snapshot::from_lookups(e, &[honest], None)),
        answers.clone(),
    );
    assert_eq!(record.qualification.grade, "disqualified");
    assert!(verify_record(&rb, &record).is_empty());

    // The same address, claimed not to be disposable: past the knockout.
    let claimed = Lookup::Found(object(json!({"disposable": false})));
    let forged = lead(Some(Snapshot::from_lookups(e, &[claimed], None)), answers);
    assert_ne!(forged.qualification.grade, "disqualified");
    let found = verify_record(&rb, &forged);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0]
            .recorded
            .contains("not what provider `offline` gives"),
        "{found:#?}"
    );

    // A value credited to a provider that does not fill it.
    let mut misattributed = record.clone();
    let e2 = misattributed.enrichment.as_mut().unwrap();
    e2.values.insert("employees".into(), json!(5));
    e2.sources.insert("employees".into(), "offline".into());
    let found = verify_record(&rb, &misattributed);
    assert!(
        found
            .iter()
            .any(|d| d.recorded.contains("provider `offline` does not fill it")),
        "{found:#?}"
    );
}

#[test]
fn a_lookup_url_must_name_the_company_and_close_its_braces() {
    let all = errors(|d| {
        d["enrichment"]["providers"][1]["url"] = json!("https://enrich.example.com/v1/company")
    });
    assert_eq!(all.len(), 1, "{all:#?}");
    assert!(
        all[0].contains("a lookup URL names the company with `derived.email_domain`"),
        "{all:#?}"
    );
    let all = errors(|d| {
        d["enrichment"]["providers"][1]["url"] =
            json!("https://enrich.example.com/v1/company?domain={derived.email_domain}&x={oops")
    });
    assert!(
        all.iter().any(|e| e.contains("a `{` without its `}`")),
        "{all:#?}"
    );
}
