//! Differential test against datalogic-rs on generated rules and data.
//!
//! The rules come from the part of JsonLogic where the reference
//! implementation and datalogic-rs agree by specification: numbers compared
//! with numbers, text with text by equality, `in`, boolean logic, `if`,
//! and `+ - * min max` on numbers. (They deliberately differ elsewhere:
//! datalogic-rs follows the newer proposal, e.g. `null == 0` and errors on
//! NaN; see docs/jsonlogic.md.) Every generated case is compared; a case
//! datalogic-rs rejects is counted, and the test fails if that happens at all.

use accord_logic::Logic;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};
use std::cell::RefCell;

fn num_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        (-5i64..100).prop_map(|n| json!(n)),
        Just(json!({"var": "n1"})),
        Just(json!({"var": "n2"})),
        Just(json!({"var": "nested.n"})),
    ]
}

fn str_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec!["a", "b", "large", "small", ""]).prop_map(|s| json!(s)),
        Just(json!({"var": "s1"})),
        Just(json!({"var": "s2"})),
    ]
}

fn num_expr() -> impl Strategy<Value = Value> {
    num_leaf().prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            (
                prop::sample::select(vec!["+", "*", "min", "max"]),
                prop::collection::vec(inner.clone(), 1..4)
            )
                .prop_map(|(op, args)| json!({ op: args })),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| json!({"-": [a, b]})),
        ]
    })
}

fn bool_expr() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        (
            prop::sample::select(vec!["==", "!=", "===", "!==", "<", "<=", ">", ">="]),
            num_expr(),
            num_expr()
        )
            .prop_map(|(op, a, b)| json!({ op: [a, b] })),
        (
            prop::sample::select(vec!["==", "!=", "===", "!=="]),
            str_leaf(),
            str_leaf()
        )
            .prop_map(|(op, a, b)| json!({ op: [a, b] })),
        (str_leaf(), prop::collection::vec(str_leaf(), 0..4))
            .prop_map(|(a, list)| json!({"in": [a, list]})),
        str_leaf().prop_map(|a| json!({"in": [a, {"var": "list"}]})),
        (num_expr(), num_expr(), num_expr()).prop_map(|(a, b, c)| json!({"<": [a, b, c]})),
        any::<bool>().prop_map(|b| json!(b)),
    ];
    leaf.prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            (
                prop::sample::select(vec!["and", "or"]),
                prop::collection::vec(inner.clone(), 1..4)
            )
                .prop_map(|(op, args)| json!({ op: args })),
            inner.clone().prop_map(|a| json!({"!": [a]})),
            inner.clone().prop_map(|a| json!({"!!": [a]})),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| json!({"if": [c, a, b]})),
        ]
    })
}

fn data() -> impl Strategy<Value = Value> {
    let word = prop::sample::select(vec!["a", "b", "large", "small", ""]);
    (-5i64..100, -5i64..100, -5i64..100, word.clone(), word.clone(), prop::collection::vec(word, 0..4)).prop_map(
        |(n1, n2, n, s1, s2, list)| json!({"n1": n1, "n2": n2, "nested": {"n": n}, "s1": s1, "s2": s2, "list": list}),
    )
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

#[test]
fn agrees_with_datalogic_rs_on_generated_rules() {
    let engine = datalogic_rs::Engine::new();
    let mut runner = TestRunner::new(Config {
        cases: 3000,
        failure_persistence: None,
        ..Config::default()
    });
    let compared = RefCell::new(0u32);
    let rejected = RefCell::new(Vec::new());
    let result = runner.run(&(bool_expr(), data()), |(rule, data)| {
        let ours = Logic::compile(&rule)
            .expect("generated rules compile")
            .evaluate(&data);
        let compiled = engine
            .compile(&rule)
            .map_err(|e| TestCaseError::fail(format!("datalogic-rs: {e}")))?;
        let mut session = engine.session();
        match session.eval_into::<Value, _>(&compiled, &data) {
            Ok(theirs) => {
                *compared.borrow_mut() += 1;
                prop_assert!(
                    same(&ours, &theirs),
                    "rule {rule}\ndata {data}\nours {ours}\ndatalogic-rs {theirs}"
                );
            }
            Err(e) => rejected.borrow_mut().push(format!("{rule}: {e}")),
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let rejected = rejected.into_inner();
    assert!(
        rejected.is_empty(),
        "datalogic-rs rejected {} of the cases, e.g. {}",
        rejected.len(),
        rejected[0]
    );
    let compared = compared.into_inner();
    assert!(compared >= 3000, "compared {compared} cases");
}
