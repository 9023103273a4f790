//! `RecordWriter` writes exactly the JSON text serde writes for the same
//! record: every example rulebook's fixtures, then generated leads with
//! hostile text, wrong types, context, reps, notes and call details.

use accord_core::{
    CallDetails, Channel, Context, ContextKey, RecordWriter, Rep, Rulebook, Submission,
};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const RULEBOOKS: [&str; 3] = [
    include_str!("../../../static/rulebooks/inbound.json"),
    include_str!("../../../static/rulebooks/meddpicc-call.json"),
    include_str!("../../../static/rulebooks/minimal.json"),
];

/// The writer's text and serde's text for one lead.
fn both(
    rulebook: &Rulebook,
    answers: &Map<String, Value>,
    context: &Context,
    channel: Channel,
    submission: Submission,
) -> (String, String) {
    let expected =
        serde_json::to_string(&rulebook.record(answers, context, channel, submission.clone()))
            .expect("serialises");
    let fields = &rulebook.doc().fields;
    let assessment = rulebook.assess(answers, context, channel.audience());
    let mut out = Vec::new();
    RecordWriter::new(rulebook).write(
        &mut out,
        &submission,
        channel,
        |i| answers.get(&fields[i].id),
        context,
        &assessment,
    );
    (String::from_utf8(out).expect("UTF-8"), expected)
}

fn submission() -> Submission {
    Submission {
        submission_id: "7d3c1f2e-8a4b-4c5d-9e6f-0a1b2c3d4e5f".into(),
        submitted_at: "2026-11-23T10:00:00Z".into(),
        ..Submission::default()
    }
}

#[test]
fn fixtures_are_written_as_serde_writes_them() {
    let mut count = 0;
    let mut seen = String::new();
    for text in RULEBOOKS {
        let rulebook = Rulebook::from_json(text).expect("example is valid");
        for fixture in &rulebook.doc().fixtures {
            for channel in [Channel::WebForm, Channel::Call] {
                let (written, expected) = both(
                    &rulebook,
                    &fixture.answers,
                    &fixture.context.clone().unwrap_or_default(),
                    channel,
                    submission(),
                );
                assert_eq!(written, expected, "{}", fixture.name);
                seen.push_str(&expected);
                count += 1;
            }
        }
    }
    assert!(count >= 20, "only {count} fixtures");
    for part in [
        "\"capped\"",
        "\"status\":\"knocked_out\"",
        "\"status\":\"incomplete\"",
        "\"route\":{",
    ] {
        assert!(seen.contains(part), "no fixture record has {part}");
    }
}

#[test]
fn knockouts_caps_invalid_answers_and_call_details_match() {
    let rulebook = Rulebook::from_json(RULEBOOKS[0]).expect("valid");
    let answers: Map<String, Value> = serde_json::from_value(json!({
        "name": "Ann \"Quotes\" O'Brien\\\u{1}\u{1f}\n\t\u{7f}é😀 </script>",
        "email": "not an email",
        "employees": 12.5,
        "role": ["student"],
        "budget": "maybe",
        "use_cases": [1, null, {"b": [true, -0.0, 1e300], "a": {}}],
        "unknown_key": "left out",
        "consent": false
    }))
    .expect("object");
    let context = Context::default()
        .with(
            ContextKey::PageUrl,
            "https://example.com/?q=\"x\"&utm_source=ads",
        )
        .with(ContextKey::UtmSource, "ads\u{0}")
        .with(ContextKey::UtmTerm, "");
    let full = Submission {
        rep: Some(Rep {
            name: "Rep \u{8}".into(),
            email: Some("rep@example.com".into()),
        }),
        notes: Some("line one\r\nline two\u{c}".into()),
        call: Some(CallDetails {
            disposition: "follow_up".into(),
            duration_seconds: 754,
            follows_up: Some("0b8a4a8e-4a0e-4c7e-9a43-2f1d6f0b7c11".into()),
        }),
        ..submission()
    };
    let (written, expected) = both(&rulebook, &answers, &context, Channel::Call, full);
    assert_eq!(written, expected);
    assert!(expected.contains("\"invalid\""), "{expected}");
}

fn any_answer() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any::<String>().prop_map(Value::String),
        prop::sample::select(vec![
            "yes",
            "no",
            "1000+",
            "250-999",
            "1-49",
            "now",
            "salesforce",
            "vp",
            "a@b.co",
            "x@gmail.com",
            "forecasting;coaching",
            "10000",
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn generated_leads_are_written_as_serde_writes_them(
        book in 0..RULEBOOKS.len(),
        values in prop::collection::vec(prop::option::of(any_answer()), 16),
        page in prop::option::of(any::<String>()),
        notes in prop::option::of(any::<String>()),
        call in any::<bool>(),
    ) {
        let rulebook = Rulebook::from_json(RULEBOOKS[book]).expect("valid");
        let answers: Map<String, Value> = rulebook
            .doc()
            .fields
            .iter()
            .map(|f| f.id.clone())
            .chain(["not_a_field".to_owned()])
            .zip(values)
            .filter_map(|(id, v)| Some((id, v?)))
            .collect();
        let mut context = Context::default();
        context.set(ContextKey::PageUrl, page);
        let channel = if call { Channel::Call } else { Channel::WebForm };
        let (written, expected) = both(
            &rulebook,
            &answers,
            &context,
            channel,
            Submission { notes, ..submission() },
        );
        prop_assert_eq!(written, expected);
    }
}
