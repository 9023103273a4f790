//! Published rulebooks: `publish` checks and stamps, `from_published` reads
//! a stamped document without validating it again (as the widget does),
//! refuses what is unstamped or changed, still refuses what could harm a
//! page, and never panics on a document whose stamp was forged.

use accord_core::{
    agreement_sha256, publish, rulebook_sha256, verify_record, Audience, Channel, Context,
    Rulebook, Submission, CHECKED_KEY,
};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const EXAMPLES: [(&str, &str); 4] = [
    (
        "inbound",
        include_str!("../../../static/rulebooks/inbound.json"),
    ),
    (
        "minimal",
        include_str!("../../../static/rulebooks/minimal.json"),
    ),
    (
        "meddpicc-call",
        include_str!("../../../static/rulebooks/meddpicc-call.json"),
    ),
    (
        "enriched",
        include_str!("../../../static/rulebooks/enriched.json"),
    ),
];

fn doc(text: &str) -> Value {
    serde_json::from_str(text).expect("an example is JSON")
}

/// `doc` without its stamp, as an author writes it.
fn unstamped(text: &str) -> Value {
    let mut value = doc(text);
    value
        .as_object_mut()
        .expect("an object")
        .remove(CHECKED_KEY);
    value
}

/// Stamps `doc` with its own hash without checking it: what anyone can do.
fn forge(mut doc: Value) -> Value {
    if let Value::Object(map) = &mut doc {
        map.remove(CHECKED_KEY);
    }
    let sha256 = rulebook_sha256(&doc);
    if let Value::Object(map) = &mut doc {
        map.insert(CHECKED_KEY.into(), Value::String(sha256));
    }
    doc
}

fn codes(result: Result<Rulebook, accord_core::RulebookErrors>) -> Vec<(String, &'static str)> {
    match result {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .0
            .iter()
            .map(|e| (e.path.clone(), e.kind.code()))
            .collect(),
    }
}

fn submission() -> Submission {
    Submission {
        submission_id: "00000000-0000-4000-8000-000000000000".into(),
        submitted_at: "2026-12-01T00:00:00Z".into(),
        rep: None,
        notes: None,
        call: None,
        enrichment: None,
    }
}

#[test]
fn publishing_stamps_the_hash_records_carry_and_keeps_sign_offs_current() {
    for (name, text) in EXAMPLES {
        let source = unstamped(text);
        let published = publish(&source).unwrap_or_else(|e| panic!("{name}: {e}"));
        let checked = Rulebook::from_value(&source).expect("valid");
        let read = Rulebook::from_published(&published).expect("published");
        assert_eq!(
            published[CHECKED_KEY],
            checked.reference().sha256,
            "{name}: the stamp is the rulebook's hash"
        );
        assert_eq!(read.reference(), checked.reference(), "{name}");
        assert_eq!(
            agreement_sha256(&published),
            agreement_sha256(&source),
            "{name}: stamping does not make sign-offs stale"
        );
        // Publishing again replaces the stamp with the same one.
        assert_eq!(publish(&published).expect("valid"), published, "{name}");
    }
}

#[test]
fn the_example_rulebooks_are_published_with_a_current_stamp() {
    for (name, text) in EXAMPLES {
        let value = doc(text);
        assert!(
            Rulebook::from_published(&value).is_ok(),
            "{name}: static/rulebooks/{name}.json must be published (`accord publish`)"
        );
    }
}

#[test]
fn a_published_rulebook_qualifies_every_fixture_as_the_validated_one_does() {
    for (name, text) in EXAMPLES {
        let checked = Rulebook::from_value(&unstamped(text)).expect("valid");
        let read = Rulebook::from_published(&publish(&doc(text)).expect("valid")).expect("read");
        assert!(
            read.doc().fixtures.is_empty(),
            "the widget does not read fixtures"
        );
        assert!(!checked.doc().fixtures.is_empty(), "{name} has fixtures");
        for fixture in &checked.doc().fixtures {
            let context = fixture.context.clone().unwrap_or_default();
            let audience = fixture.audience.unwrap_or(Audience::Form);
            assert_eq!(
                read.qualify(&fixture.answers, &context, audience),
                checked.qualify(&fixture.answers, &context, audience),
                "{name}: {}",
                fixture.name
            );
        }
    }
}

#[test]
fn an_unstamped_or_edited_rulebook_is_not_read_as_published() {
    let source = unstamped(EXAMPLES[1].1);
    assert_eq!(
        codes(Rulebook::from_published(&source)),
        [(CHECKED_KEY.to_owned(), "not_published")]
    );
    let mut edited = publish(&source).expect("valid");
    edited["title"] = json!("Edited after publishing");
    assert_eq!(
        codes(Rulebook::from_published(&edited)),
        [(CHECKED_KEY.to_owned(), "stale_publish")]
    );
    // The stamp is outside the rules: validation reads the rules, and
    // `accord check` says whether the stamp is current.
    assert!(Rulebook::from_value(&edited).is_ok());
    assert_eq!(
        accord_core::published_state(&edited),
        accord_core::PublishedState::Stale
    );
    let message = Rulebook::from_published(&edited).unwrap_err().to_string();
    assert!(message.contains("accord publish"), "{message}");
}

#[test]
fn publishing_refuses_an_invalid_rulebook() {
    let mut source = unstamped(EXAMPLES[1].1);
    source["grades"] = json!([]);
    assert!(publish(&source).is_err());
}

#[test]
fn a_forged_stamp_does_not_get_past_what_protects_the_page() {
    let base = unstamped(EXAMPLES[1].1);
    let refused = |change: &dyn Fn(&mut Value)| {
        let mut doc = base.clone();
        change(&mut doc);
        codes(Rulebook::from_published(&forge(doc)))
    };
    // An id that would reach a JavaScript object's prototype.
    let found = refused(&|d| d["fields"][0]["id"] = json!("__proto__"));
    assert_eq!(found, [("fields[0].id".to_owned(), "reserved_id")]);
    // A condition that does not compile.
    let found = refused(&|d| d["grades"][0]["when"] = json!({"no such op": [1]}));
    assert_eq!(found, [("grades[0].when".to_owned(), "logic")]);
    // A condition whose work per lead explodes.
    let nest =
        |inner: Value| json!({"map": [{"merge": [[1,2,3,4,5,6,7,8,9,10], {"var": ""}]}, inner]});
    let mut explode = json!({"var": ""});
    for _ in 0..6 {
        explode = nest(explode);
    }
    let found = refused(&|d| d["grades"][0]["when"] = explode.clone());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "too_costly");
    // Nesting beyond the limit every reader shares.
    let mut deep = json!(true);
    for _ in 0..70 {
        deep = json!({"!!": [deep]});
    }
    let found = refused(&|d| d["grades"][0]["when"] = deep.clone());
    assert_eq!(found[0].1, "too_deep");
    // A shape the model cannot hold.
    let found = refused(&|d| d["fields"][0]["type"] = json!("password"));
    assert_eq!(found[0], ("fields[0].type".to_owned(), "shape"));
}

#[test]
fn a_forged_stamp_cannot_give_an_id_twice_or_to_an_attribute_named_for_the_prototype() {
    let base = unstamped(EXAMPLES[3].1);
    let read = |change: &dyn Fn(&mut Value)| {
        let mut doc = base.clone();
        change(&mut doc);
        codes(Rulebook::from_published(&forge(doc)))
    };
    // A second `tools`, a list where the first is text: the cost bound of
    // a condition over `tools` would count no items, and the page would
    // run eleven to the twentieth steps on the first tick.
    let mut explode = json!(false);
    for _ in 0..20 {
        explode = json!({"some": [{"merge": [[1,2,3,4,5,6,7,8,9,10], {"var": ""}]}, explode]});
    }
    let found = read(&|d| {
        let fields = d["fields"].as_array_mut().expect("fields");
        fields.push(json!({"id": "tools", "label": "Tools", "type": "text"}));
        fields.push(
            json!({"id": "tools", "label": "Tools", "type": "multi_choice",
                           "options": [{"value": "a", "label": "A"}]}),
        );
        d["grades"][0]["when"] = json!({"some": [{"var": "tools"}, explode.clone()]});
    });
    assert!(
        found.iter().any(|(_, code)| *code == "duplicate_id"),
        "{found:?}"
    );
    for list in ["scores", "grades"] {
        let found = read(&|d| {
            let items = d[list].as_array_mut().expect("a list");
            let first = items[0].clone();
            items.push(first);
        });
        assert!(
            found.iter().any(|(_, code)| *code == "duplicate_id"),
            "{list}: {found:?}"
        );
    }
    let found = read(&|d| d["enrichment"]["attributes"][0]["id"] = json!("constructor"));
    assert!(
        found.contains(&("enrichment.attributes[0].id".to_owned(), "reserved_id")),
        "{found:?}"
    );
    let found = read(&|d| {
        let providers = d["enrichment"]["providers"]
            .as_array_mut()
            .expect("providers");
        let first = providers[0].clone();
        providers.push(first);
    });
    assert!(
        found.iter().any(|(_, code)| *code == "duplicate_id"),
        "{found:?}"
    );
}

#[test]
fn a_forged_booking_page_that_names_itself_or_a_host_from_an_answer_is_never_a_link() {
    let answers: Map<String, Value> = serde_json::from_value(json!({
        "name": "Ada", "email": "ada@acme.example", "consent": true, "company": "evil.example"
    }))
    .expect("answers");
    let link_of = |url: &str, booking: &str| {
        let mut doc = unstamped(EXAMPLES[0].1);
        for route in doc["routes"].as_array_mut().expect("routes") {
            route["to"]["booking_url"] = json!(booking);
            route.as_object_mut().expect("a route").remove("owner_pool");
        }
        for grade in doc["grades"].as_array_mut().expect("grades") {
            grade["outcome"] =
                json!({"message": "Book a call", "link": {"label": "Book", "url": url}});
        }
        let rulebook = Rulebook::from_published(&forge(doc)).expect("a forged stamp reads");
        let record = rulebook.record(
            &answers,
            &Context::default(),
            Channel::WebForm,
            submission(),
        );
        rulebook
            .outcome_for(&record)
            .expect("an outcome")
            .link
            .map(|l| l.url)
    };
    // Filling `{route.booking_url}` with itself used to recurse until the
    // stack overflowed, losing the lead.
    assert_eq!(link_of("{route.booking_url}", "{route.booking_url}"), None);
    assert_eq!(
        link_of("{route.booking_url}?x=1", "{route.booking_url}/a"),
        None
    );
    // An answer in the host would let a link to the page send the visitor
    // (and their answers) wherever the link says.
    assert_eq!(
        link_of("https://{answers.company}/book", "https://cal.example/a"),
        None
    );
    assert_eq!(
        link_of("{route.booking_url}", "https://{answers.company}/"),
        None
    );
    // As validation allows them, they are links.
    assert_eq!(
        link_of(
            "{route.booking_url}?name={answers.name}",
            "https://cal.example/sales"
        )
        .as_deref(),
        Some("https://cal.example/sales?name=Ada")
    );
}

#[test]
fn a_forged_link_that_is_not_http_is_never_shown() {
    let mut doc = unstamped(EXAMPLES[0].1);
    let grades = doc["grades"].as_array_mut().expect("grades");
    for grade in grades.iter_mut() {
        grade["outcome"] = json!({
            "heading": "Thanks", "message": "Book a call",
            "link": {"label": "Book", "url": "javascript:alert(document.domain)"}
        });
    }
    let rulebook = Rulebook::from_published(&forge(doc)).expect("a forged stamp reads");
    let answers: Map<String, Value> = serde_json::from_value(json!({
        "name": "Ada", "email": "ada@acme.example", "consent": true
    }))
    .expect("answers");
    let record = rulebook.record(
        &answers,
        &Context::default(),
        Channel::WebForm,
        submission(),
    );
    let outcome = rulebook.outcome_for(&record).expect("an outcome");
    assert_eq!(outcome.link, None);
}

/// Operator and id-like strings, so generated values often look like parts
/// of a rulebook.
fn piece() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-5i64..2000).prop_map(|n| json!(n)),
        prop::sample::select(vec![
            "email",
            "employees",
            "budget",
            "score.total",
            "grade",
            "sql",
            "fit",
            "var",
            "==",
            ">=",
            "in",
            "missing",
            "enriched.employees",
            "nurture",
            "sales",
            "",
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            (
                prop::sample::select(vec!["var", "==", ">=", "in", "!", "and", "if", "missing"]),
                prop::collection::vec(inner, 0..3)
            )
                .prop_map(|(op, args)| json!({ op: args })),
        ]
    })
}

/// A change no validator would let through but a forged stamp carries:
/// items removed (so references dangle), replaced or duplicated.
#[derive(Debug, Clone)]
enum Damage {
    Remove {
        list: &'static str,
        at: usize,
    },
    Duplicate {
        list: &'static str,
        at: usize,
    },
    /// A copy of an item, one key of the copy replaced.
    DuplicateAs {
        list: &'static str,
        at: usize,
        key: &'static str,
        value: Value,
    },
    Replace {
        list: &'static str,
        at: usize,
        key: &'static str,
        value: Value,
    },
}

fn damage() -> impl Strategy<Value = Damage> {
    let list = prop::sample::select(vec![
        "fields",
        "steps",
        "scores",
        "knockouts",
        "grades",
        "routes",
        "destinations",
    ]);
    let key = prop::sample::select(vec![
        "id",
        "when",
        "show_if",
        "fields",
        "options",
        "min",
        "max",
        "skip_when_enriched",
        "to",
        "points",
        "criteria",
        "type",
        "required",
    ]);
    prop_oneof![
        (list.clone(), 0usize..12).prop_map(|(list, at)| Damage::Remove { list, at }),
        (list.clone(), 0usize..12).prop_map(|(list, at)| Damage::Duplicate { list, at }),
        (list.clone(), 0usize..12, key.clone(), piece()).prop_map(|(list, at, key, value)| {
            Damage::DuplicateAs {
                list,
                at,
                key,
                value,
            }
        }),
        (list, 0usize..12, key, piece()).prop_map(|(list, at, key, value)| Damage::Replace {
            list,
            at,
            key,
            value
        }),
    ]
}

fn apply(doc: &mut Value, damage: &Damage) {
    let list = match damage {
        Damage::Remove { list, .. }
        | Damage::Duplicate { list, .. }
        | Damage::DuplicateAs { list, .. }
        | Damage::Replace { list, .. } => list,
    };
    let Some(items) = doc.get_mut(*list).and_then(Value::as_array_mut) else {
        return;
    };
    if items.is_empty() {
        return;
    }
    match damage {
        Damage::Remove { at, .. } => {
            items.remove(at % items.len());
        }
        Damage::Duplicate { at, .. } => {
            let item = items[at % items.len()].clone();
            items.push(item);
        }
        Damage::DuplicateAs { at, key, value, .. } => {
            let mut item = items[at % items.len()].clone();
            if let Some(object) = item.as_object_mut() {
                object.insert((*key).to_owned(), value.clone());
            }
            items.push(item);
        }
        Damage::Replace { at, key, value, .. } => {
            let n = items.len();
            if let Some(item) = items[at % n].as_object_mut() {
                item.insert((*key).to_owned(), value.clone());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_forged_stamp_on_a_broken_rulebook_is_refused_or_runs_without_panic(
        example in 0usize..4,
        damages in prop::collection::vec(damage(), 1..4),
        values in prop::collection::vec(piece(), 8),
    ) {
        let mut doc = unstamped(EXAMPLES[example].1);
        for d in &damages {
            apply(&mut doc, d);
        }
        if let Ok(rulebook) = Rulebook::from_published(&forge(doc)) {
            let ids: Vec<String> = rulebook.doc().fields.iter().map(|f| f.id.clone()).collect();
            let answers: Map<String, Value> = ids.into_iter().zip(values).collect();
            for audience in [Audience::Form, Audience::Call] {
                let _ = rulebook.qualify_visible(&answers, &Context::default(), audience);
            }
            let record = rulebook.record(&answers, &Context::default(), Channel::WebForm, submission());
            let _ = rulebook.outcome_for(&record);
            let _ = verify_record(&rulebook, &record);
        }
    }
}

#[test]
fn publishing_text_keeps_the_authors_layout() {
    let source = "{\n    \"accord\": 1,\n    \"id\": \"tiny\", \"version\": \"1\", \"title\": \"T\",\n    \"fields\": [{\"id\": \"email\", \"label\": \"Email\", \"type\": \"email\"}],\n    \"grades\": [{\"id\": \"all\", \"label\": \"All\"}]\n}\n";
    let published = accord_core::publish_text(source).expect("valid");
    let sha256 = rulebook_sha256(&serde_json::from_str(source).expect("JSON"));
    assert_eq!(
        published,
        source.replacen('{', &format!("{{\n    \"{CHECKED_KEY}\": \"{sha256}\","), 1)
    );
    // Publishing again after an edit replaces the stamp, nothing else.
    let edited = published.replace("\"T\"", "\"Tiny\"");
    let again = accord_core::publish_text(&edited).expect("valid");
    assert_eq!(again.len(), published.len() + 3);
    assert!(Rulebook::from_published(&serde_json::from_str(&again).expect("JSON")).is_ok());
    assert!(!again.contains(&sha256));
    // Compact text stays on one line.
    let compact: String = source.split('\n').map(str::trim).collect();
    let one_line = accord_core::publish_text(&compact).expect("valid");
    assert!(!one_line.contains('\n'));
    assert!(Rulebook::from_published(&serde_json::from_str(&one_line).expect("JSON")).is_ok());
    // Not JSON, or not valid: the errors, as `accord check` gives them.
    assert!(accord_core::publish_text("{").is_err());
    assert!(accord_core::publish_text(&source.replace("email\"}", "password\"}")).is_err());
}
