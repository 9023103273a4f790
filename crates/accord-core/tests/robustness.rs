//! Property tests: no input makes the engine panic. Arbitrary JSON as rules
//! and data, arbitrary subtrees grafted into a real rulebook, and arbitrary
//! answers to a valid rulebook.

use accord_core::{Audience, Context, Rulebook};
use accord_logic::Logic;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Operator names, so generated objects often look like rules.
const OPS: &[&str] = &[
    "var",
    "if",
    "==",
    "and",
    "or",
    "in",
    "cat",
    "substr",
    "+",
    "-",
    "*",
    "/",
    "%",
    "min",
    "max",
    "map",
    "filter",
    "reduce",
    "all",
    "some",
    "none",
    "merge",
    "missing",
    "missing_some",
    "!",
    "!!",
    "<",
    "<=",
    ">",
    ">=",
    "===",
    "!==",
    "!=",
    "log",
];

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z.+<=!]{0,6}".prop_map(Value::String),
        prop::sample::select([OPS, &["score.total", "email", "grade"]].concat())
            .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(6, 64, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map("[a-z!=<>+*%?:._]{1,12}", inner.clone(), 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            // Operator-shaped objects, so evaluation is exercised deeply.
            (
                prop::sample::select(OPS.to_vec()),
                prop::collection::vec(inner, 0..4)
            )
                .prop_map(|(op, args)| json!({ op: args })),
        ]
    })
}

const INBOUND: &str = include_str!("../../../static/rulebooks/inbound.json");

/// Replaces the value at a pseudo-random place in `doc` with `graft`.
fn graft(doc: &mut Value, mut choice: usize, graft: Value) {
    let mut node = doc;
    loop {
        let children = match node {
            Value::Object(m) => m.len(),
            Value::Array(a) => a.len(),
            _ => 0,
        };
        if children == 0 || choice.is_multiple_of(4) {
            *node = graft;
            return;
        }
        let i = (choice / 4) % children;
        choice /= 3;
        node = match node {
            Value::Object(m) => m.values_mut().nth(i).expect("in range"),
            Value::Array(a) => &mut a[i],
            _ => unreachable!(),
        };
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_rule_compiles_or_errors_and_evaluates_without_panic(rule in any_json(), data in any_json()) {
        if let Ok(logic) = Logic::compile(&rule) {
            let _ = logic.evaluate(&data);
            let _ = logic.holds(&accord_logic::Data::from(&data));
        }
    }

    #[test]
    fn a_damaged_rulebook_is_rejected_or_runs_without_panic(at in any::<usize>(), piece in any_json(), answers in any_json()) {
        let mut doc: Value = serde_json::from_str(INBOUND).expect("example is JSON");
        graft(&mut doc, at, piece);
        match Rulebook::from_value(&doc) {
            Err(errors) => prop_assert!(!errors.0.is_empty()),
            Ok(rulebook) => {
                let answers = answers.as_object().cloned().unwrap_or_default();
                let _ = rulebook.qualify(&answers, &Context::default(), Audience::Form);
                let _ = rulebook.run_fixtures();
            }
        }
    }

    #[test]
    fn hostile_answers_never_panic(values in prop::collection::vec(any_json(), 12)) {
        let rulebook = Rulebook::from_json(INBOUND).expect("example is valid");
        let ids = ["name", "email", "company", "role", "employees", "crm", "budget", "timeline",
                   "use_cases", "message", "consent", "gclid"];
        let answers: Map<String, Value> = ids.iter().map(|s| s.to_string()).zip(values).collect();
        let q = rulebook.qualify(&answers, &Context::default(), Audience::Form);
        prop_assert_eq!(q.scores.len(), 3);
    }
}
