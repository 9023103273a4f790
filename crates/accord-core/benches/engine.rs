//! Engine benchmarks (`cargo bench -p accord-core`), recorded in BENCHMARKS.md.
//!
//! - `qualify/30-criteria`: one lead through a pre-validated rulebook with
//!   30 criteria, 2 knockouts, 3 grades and 3 routes (goal: under 5 µs).
//!
//! The JsonLogic engine's own benchmark is in `crates/accord-logic`.
//! - `opportunities/meddpicc`: the console's "what is missing to reach the
//!   next grade" for a call with three answers.

use accord_core::{Audience, Context, Rulebook};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::{json, Value};
use std::hint::black_box;

/// A rulebook with 10 fields and 30 criteria over them.
fn thirty_criteria_rulebook() -> Rulebook {
    let sizes = ["1-9", "10-49", "50-249", "250-999", "1000+"];
    let industries = [
        "software",
        "finance",
        "health",
        "retail",
        "education",
        "other",
    ];
    let mut criteria = Vec::new();
    for (i, s) in sizes.iter().enumerate() {
        criteria.push(json!({"id": format!("size-{i}"), "label": s, "when": {"==": [{"var": "size"}, s]}, "points": i as i64 * 5}));
    }
    for (i, ind) in industries.iter().enumerate() {
        criteria.push(json!({"id": format!("ind-{i}"), "label": ind, "when": {"==": [{"var": "industry"}, ind]}, "points": 3 + i as i64}));
    }
    for (i, t) in [1000, 5000, 20000, 50000, 100000].iter().enumerate() {
        criteria.push(json!({"id": format!("budget-{i}"), "label": "budget", "when": {">=": [{"var": "budget"}, t]}, "points": 4}));
    }
    for (i, p) in ["crm", "forecast", "coaching", "hygiene"]
        .iter()
        .enumerate()
    {
        criteria.push(json!({"id": format!("need-{i}"), "label": p, "when": {"in": [p, {"var": "needs"}]}, "points": 5}));
    }
    criteria.extend([
        json!({"id": "exec", "label": "exec", "when": {"in": [{"var": "role"}, ["ceo", "vp"]]}, "points": 10}),
        json!({"id": "mgr", "label": "mgr", "when": {"==": [{"var": "role"}, "manager"]}, "points": 5}),
        json!({"id": "urgent", "label": "urgent", "when": {"and": [{"==": [{"var": "authority"}, true]}, {"<=": [{"var": "months"}, 3]}]}, "points": 10}),
        json!({"id": "soon", "label": "soon", "when": {"<": [3, {"var": "months"}, 7]}, "points": 5}),
        json!({"id": "free-mail", "label": "free mail", "when": {"==": [{"var": "derived.free_mail"}, true]}, "points": -15}),
        json!({"id": "cpc", "label": "cpc", "when": {"==": [{"var": "context.utm_medium"}, "cpc"]}, "points": 3}),
        json!({"id": "seats", "label": "seats", "when": {">": [{"var": "seats"}, 25]}, "points": 5}),
        json!({"id": "long", "label": "long note", "when": {"!!": [{"var": "note"}]}, "points": 1}),
        json!({"id": "partner", "label": "partner", "when": {"or": [{"==": [{"var": "industry"}, "finance"]}, {">=": [{"var": "seats"}, 100]}]}, "points": 2}),
        json!({"id": "not-edu", "label": "not edu", "when": {"!=": [{"var": "industry"}, "education"]}, "points": 1}),
    ]);
    assert_eq!(criteria.len(), 30);
    let (fit, intent) = criteria.split_at(15);
    let doc = json!({
        "accord": 1, "id": "bench", "version": "1", "title": "Bench",
        "fields": [
            {"id": "email", "label": "Email", "type": "email", "required": true},
            {"id": "size", "label": "Size", "type": "choice", "required": true, "options": sizes.iter().map(|v| json!({"value": v})).collect::<Vec<_>>()},
            {"id": "industry", "label": "Industry", "type": "choice", "options": industries.iter().map(|v| json!({"value": v})).collect::<Vec<_>>()},
            {"id": "budget", "label": "Budget", "type": "number"},
            {"id": "needs", "label": "Needs", "type": "multi_choice", "options": [{"value": "crm"}, {"value": "forecast"}, {"value": "coaching"}, {"value": "hygiene"}]},
            {"id": "role", "label": "Role", "type": "choice", "options": [{"value": "ceo"}, {"value": "vp"}, {"value": "manager"}, {"value": "ic"}, {"value": "student"}]},
            {"id": "authority", "label": "Authority", "type": "yes_no"},
            {"id": "months", "label": "Months", "type": "number"},
            {"id": "seats", "label": "Seats", "type": "number"},
            {"id": "note", "label": "Note", "type": "text"}
        ],
        "scores": [
            {"id": "fit", "label": "Fit", "cap": 60, "criteria": fit},
            {"id": "intent", "label": "Intent", "criteria": intent}
        ],
        "knockouts": [
            {"id": "student", "label": "Student", "when": {"==": [{"var": "role"}, "student"]}},
            {"id": "competitor", "label": "Competitor", "when": {"in": [{"var": "derived.email_domain"}, ["rival.com", "other.io"]]}}
        ],
        "grades": [
            {"id": "sql", "label": "SQL", "when": {"and": [{">=": [{"var": "score.total"}, 60]}, {">=": [{"var": "score.fit"}, 30]}]}},
            {"id": "mql", "label": "MQL", "when": {">=": [{"var": "score.total"}, 30]}},
            {"id": "nurture", "label": "Nurture"}
        ],
        "routes": [
            {"when": {"==": [{"var": "grade"}, "sql"]}, "to": {"team": "ae"}},
            {"when": {"==": [{"var": "grade"}, "mql"]}, "to": {"team": "sdr"}},
            {"to": {"team": "marketing"}}
        ]
    });
    Rulebook::from_value(&doc).unwrap_or_else(|e| panic!("{e}"))
}

fn lead() -> Value {
    json!({"email": "ada@bigcorp.com", "size": "250-999", "industry": "finance", "budget": 60000,
           "needs": ["forecast", "crm"], "role": "vp", "authority": true, "months": 2, "seats": 40,
           "note": "Board wants a forecast by Q1"})
}

fn benches(c: &mut Criterion) {
    let rulebook = thirty_criteria_rulebook();
    let answers = lead();
    let answers = answers.as_object().expect("object").clone();
    let context = Context::default();
    let q = rulebook.qualify(&answers, &context, Audience::Form);
    assert_eq!(q.grade, "sql", "{q:?}");
    c.bench_function("qualify/30-criteria", |b| {
        b.iter(|| black_box(rulebook.qualify(black_box(&answers), &context, Audience::Form)))
    });

    // What the console recomputes on every answer: the questions that could
    // still change the grade, on the MEDDPICC call rulebook with three
    // answers given (nine questions left, about 40 trial qualifications).
    let meddpicc =
        Rulebook::from_json(include_str!("../../../static/rulebooks/meddpicc-call.json"))
            .expect("valid");
    let call = json!({"metrics": true, "economic_buyer": "engaged", "pain": "critical"});
    let call = call.as_object().expect("object").clone();
    let o = meddpicc.opportunities(&call, &context, Audience::Call);
    assert_eq!(o.questions[0].field, "champion");
    c.bench_function("opportunities/meddpicc", |b| {
        b.iter(|| black_box(meddpicc.opportunities(black_box(&call), &context, Audience::Call)))
    });

    // What the widget does once per page before it can draw the form:
    // validate and compile the demo's inbound rulebook (9 KB, 11 fields,
    // 3 steps) from its parsed JSON, and hash it.
    let inbound: Value =
        serde_json::from_str(include_str!("../../../static/rulebooks/inbound.json")).expect("json");
    c.bench_function("rulebook/validate-inbound", |b| {
        b.iter(|| black_box(Rulebook::from_value(black_box(&inbound)).expect("valid")))
    });
}

criterion_group!(engine, benches);
criterion_main!(engine);
