//! The condition builder and JsonLogic agree both ways: a condition built
//! in the builder reads back as itself, and any JsonLogic, whether the
//! builder knows its shape or shows it as text, is written back unchanged.

use accord_studio::condition::{Condition, Op};
use proptest::prelude::*;
use serde_json::{json, Value};

fn var() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "employees",
        "score.total",
        "context.utm_source",
        "derived.free_mail",
        "a b",
    ])
    .prop_map(str::to_owned)
}

fn literal() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[a-z0-9 +]{0,8}".prop_map(Value::from),
        (-1000i64..1000).prop_map(Value::from),
        (-1000.0f64..1000.0).prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        (-1000i64..1000).prop_map(Value::from),
        (0.0f64..1.0).prop_map(Value::from)
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop::sample::select(Op::ALL.iter().map(|e| e.0).collect::<Vec<_>>())
}

fn built() -> impl Strategy<Value = Condition> {
    let leaf = prop_oneof![
        (var(), op(), literal()).prop_map(|(var, op, value)| Condition::Compare { var, op, value }),
        (var(), prop::collection::vec(literal(), 0..4))
            .prop_map(|(var, values)| Condition::OneOf { var, values }),
        (var(), literal()).prop_map(|(var, value)| Condition::Contains { var, value }),
        (var(), number(), number()).prop_map(|(var, low, high)| Condition::Between {
            var,
            low,
            high
        }),
        (var(), any::<bool>()).prop_map(|(var, answered)| Condition::Answered { var, answered }),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Condition::All),
            prop::collection::vec(inner, 0..4).prop_map(Condition::Any),
        ]
    })
}

/// JSON that looks like JsonLogic: operators the builder knows and does
/// not, `var`s in every form, literals, lists.
fn logic() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        literal(),
        Just(Value::Null),
        var().prop_map(|v| json!({"var": v})),
        var().prop_map(|v| json!({"var": [v, 0]})),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        let ops = prop::sample::select(vec![
            "and", "or", "==", "!=", "===", "!==", "<", "<=", ">", ">=", "in", "!", "!!", "if",
            "var",
        ]);
        prop_oneof![
            (ops, prop::collection::vec(inner.clone(), 0..4))
                .prop_map(|(op, args)| json!({ op: args })),
            (prop::sample::select(vec!["==", "in", "!"]), inner.clone())
                .prop_map(|(op, arg)| json!({ op: arg })),
            prop::collection::vec(inner, 0..3).prop_map(Value::from),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn a_built_condition_reads_back_as_itself(condition in built()) {
        let logic = condition.write();
        prop_assert_eq!(Condition::read(&logic), condition);
    }

    #[test]
    fn any_json_logic_is_written_back_unchanged(logic in logic()) {
        prop_assert_eq!(Condition::read(&logic).write(), logic);
    }
}
