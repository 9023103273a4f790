//! JsonLogic benchmarks (`cargo bench -p accord-logic`), recorded in
//! BENCHMARKS.md.
//!
//! - `rule-15-conditions/*`: one 15-condition JsonLogic rule, the shape grade
//!   and route rules take, compiled once and evaluated by accord-logic and by
//!   datalogic-rs 5.4 (its fastest path: pre-parsed data in a reused session
//!   arena).

use accord_logic::{Data, Logic};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::{json, Value};
use std::hint::black_box;

/// A lead's data as conditions see it.
fn lead() -> Value {
    json!({"email": "ada@bigcorp.com", "size": "250-999", "industry": "finance", "budget": 60000,
           "needs": ["forecast", "crm"], "role": "vp", "authority": true, "months": 2, "seats": 40,
           "note": "Board wants a forecast by Q1"})
}

/// 15 conditions over the lead's data, the shape grade and route rules take.
fn fifteen_condition_rule() -> Value {
    json!({"and": [
        {"==": [{"var": "size"}, "250-999"]},
        {"!=": [{"var": "industry"}, "education"]},
        {">=": [{"var": "budget"}, 50000]},
        {"<": [{"var": "months"}, 6]},
        {"in": ["forecast", {"var": "needs"}]},
        {"in": [{"var": "role"}, ["ceo", "vp", "cfo"]]},
        {"===": [{"var": "authority"}, true]},
        {">": [{"var": "seats"}, 25]},
        {"<=": [1, {"var": "months"}, 12]},
        {"!": [{"==": [{"var": "role"}, "student"]}]},
        {"or": [{"==": [{"var": "industry"}, "finance"]}, {">=": [{"var": "seats"}, 100]}]},
        {"!!": [{"var": "note"}]},
        {"!==": [{"var": "email"}, ""]},
        {"<": [{"var": "seats"}, 10000]},
        {"==": [{"var": "context.utm_medium"}, null]}
    ]})
}

fn benches(c: &mut Criterion) {
    let rule = fifteen_condition_rule();
    let data = lead();
    let ours = Logic::compile(&rule).expect("compiles");
    assert_eq!(ours.evaluate(&data), json!(true));
    let prepared = Data::from(&data);
    let mut group = c.benchmark_group("rule-15-conditions");
    group.bench_function("accord-logic", |b| {
        b.iter(|| black_box(ours.evaluate_data(black_box(&prepared))))
    });
    group.bench_function("accord-logic-from-json", |b| {
        b.iter(|| black_box(ours.evaluate(black_box(&data))))
    });

    let engine = datalogic_rs::Engine::new();
    let theirs = engine.compile(&rule).expect("datalogic-rs compiles");
    let parsed = datalogic_rs::ParsedData::from_json(&data.to_string()).expect("parses");
    let mut session = engine.session();
    assert_eq!(
        session
            .eval_borrowed(&theirs, &parsed)
            .expect("evaluates")
            .as_bool(),
        Some(true)
    );
    session.reset();
    group.bench_function("datalogic-rs", |b| {
        b.iter(|| {
            let result = session
                .eval_borrowed(&theirs, black_box(&parsed))
                .expect("evaluates")
                .as_bool();
            black_box(result);
            session.reset();
        })
    });
    group.finish();
}

criterion_group!(logic, benches);
criterion_main!(logic);
