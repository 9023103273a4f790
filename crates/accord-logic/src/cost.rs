//! An upper bound on the work one evaluation of a rule can take, so a
//! hostile rule is refused before it runs instead of hanging or exhausting
//! memory (twelve nested `some`, or a `reduce` that doubles a list with
//! `merge` or a text with `cat` each step).
//!
//! Work is counted in node evaluations. An iterating operator (`map`,
//! `filter`, `reduce`, `all`, `some`, `none`) costs its list's work plus,
//! for each element the list can hold, its body's work. How long a list can
//! be comes from the rule's literals and from what the caller says about
//! the data (a multiple-choice answer holds at most its options). A
//! `reduce` whose body builds with `merge` or `cat` can grow its
//! accumulator without bound: its cost is [`Unbounded`].

use crate::{Data, Logic, Op};
use std::fmt;

/// The rule's work has no finite bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unbounded;

impl fmt::Display for Unbounded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a `reduce` that builds its result with `merge` or `cat` can grow without bound",
        )
    }
}

/// What the caller knows about the data a rule reads.
pub trait DataBounds {
    /// The longest array a `var` with this path can hold in the data
    /// (`None`: the path never holds an array).
    fn array_len(&self, path: &[String]) -> Option<u64>;
}

impl Logic {
    /// An upper bound on the node evaluations of one evaluation of this
    /// rule, given `bounds` on the data; saturates at `u64::MAX`.
    pub fn work_bound(&self, bounds: &dyn DataBounds) -> Result<u64, Unbounded> {
        work(self, bounds, element_bound(self, bounds), false)
    }
}

/// The longest array any element of an iterated list can itself be: the
/// longest literal array in the rule or array the data can hold.
fn element_bound(logic: &Logic, bounds: &dyn DataBounds) -> u64 {
    match logic {
        Logic::Literal(Data::Array(items)) => items.len() as u64,
        Logic::Literal(_) => 0,
        Logic::Array(items) => items
            .iter()
            .map(|i| element_bound(i, bounds))
            .fold(items.len() as u64, u64::max),
        Logic::Var { path, default, .. } => {
            let own = bounds.array_len(path).unwrap_or(0);
            default
                .as_ref()
                .map_or(own, |d| own.max(element_bound(d, bounds)))
        }
        Logic::Op(_, args) => args
            .iter()
            .map(|a| element_bound(a, bounds))
            .max()
            .unwrap_or(0),
    }
}

/// The longest array `logic` can evaluate to. `element` bounds what a
/// `var` inside an iterating body can hold.
fn len(
    logic: &Logic,
    bounds: &dyn DataBounds,
    element: u64,
    inside: bool,
) -> Result<u64, Unbounded> {
    Ok(match logic {
        Logic::Literal(Data::Array(items)) => items.len() as u64,
        Logic::Literal(_) => 0,
        Logic::Array(items) => items.len() as u64,
        Logic::Var { path, default, .. } => {
            let own = if inside {
                element
            } else {
                bounds.array_len(path).unwrap_or(0)
            };
            match default {
                Some(d) => own.max(len(d, bounds, element, inside)?),
                None => own,
            }
        }
        Logic::Op(op, args) => match op {
            Op::Merge => args.iter().try_fold(0u64, |sum, a| {
                Ok(sum.saturating_add(len(a, bounds, element, inside)?.max(1)))
            })?,
            Op::Map | Op::Filter => match args.first() {
                Some(list) => len(list, bounds, element, inside)?,
                None => 0,
            },
            Op::Reduce => {
                if args.get(1).is_some_and(builds) {
                    return Err(Unbounded);
                }
                let mut longest = element;
                for a in args.iter().skip(2) {
                    longest = longest.max(len(a, bounds, element, inside)?);
                }
                longest
            }
            Op::Missing | Op::MissingSome => args.iter().try_fold(0u64, |sum, a| {
                Ok(sum.saturating_add(len(a, bounds, element, inside)?.max(1)))
            })?,
            Op::If => args
                .iter()
                .try_fold(0u64, |m, a| Ok(m.max(len(a, bounds, element, inside)?)))?,
            _ => 0,
        },
    })
}

/// Whether a `reduce` body builds a growing value (`merge` or `cat`).
fn builds(body: &Logic) -> bool {
    match body {
        Logic::Op(Op::Merge | Op::Cat, _) => true,
        Logic::Op(_, args) => args.iter().any(builds),
        Logic::Array(items) => items.iter().any(builds),
        Logic::Var { default, .. } => default.as_deref().is_some_and(builds),
        Logic::Literal(_) => false,
    }
}

/// The node evaluations of `logic`; `inside` an iterating body, a `var`
/// names an element (bounded by `element`), not the data.
fn work(
    logic: &Logic,
    bounds: &dyn DataBounds,
    element: u64,
    inside: bool,
) -> Result<u64, Unbounded> {
    let sum = |items: &[Logic], inside: bool| -> Result<u64, Unbounded> {
        items.iter().try_fold(1u64, |total, item| {
            Ok(total.saturating_add(work(item, bounds, element, inside)?))
        })
    };
    match logic {
        Logic::Literal(_) => Ok(1),
        Logic::Array(items) => sum(items, inside),
        Logic::Var { default, .. } => match default {
            Some(d) => Ok(1u64.saturating_add(work(d, bounds, element, inside)?)),
            None => Ok(1),
        },
        Logic::Op(op, args) if op.iterates() => {
            let list = args.first();
            let items = match list {
                Some(list) => len(list, bounds, element, inside)?,
                None => 0,
            };
            let mut total = 1u64;
            if let Some(list) = list {
                total = total.saturating_add(work(list, bounds, element, inside)?);
            }
            if let Some(body) = args.get(1) {
                let each = work(body, bounds, element, true)?;
                total = total.saturating_add(items.saturating_mul(each));
            }
            for rest in args.iter().skip(2) {
                total = total.saturating_add(work(rest, bounds, element, inside)?);
            }
            if *op == Op::Reduce && args.get(1).is_some_and(builds) {
                return Err(Unbounded);
            }
            Ok(total)
        }
        Logic::Op(_, args) => sum(args, inside),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every `var` named `needs` holds at most 10 elements.
    struct TenNeeds;
    impl DataBounds for TenNeeds {
        fn array_len(&self, path: &[String]) -> Option<u64> {
            (path == ["needs"]).then_some(10)
        }
    }

    fn bound(rule: serde_json::Value) -> Result<u64, Unbounded> {
        Logic::compile(&rule)
            .expect("compiles")
            .work_bound(&TenNeeds)
    }

    #[test]
    fn ordinary_rules_cost_a_few_nodes() {
        assert_eq!(bound(json!({"==": [{"var": "size"}, "large"]})), Ok(3));
        let rule =
            json!({"and": [{">=": [{"var": "budget"}, 5]}, {"in": ["crm", {"var": "needs"}]}]});
        assert!(bound(rule).unwrap() < 20);
        // One pass over a multiple-choice answer: its options times the test.
        let some =
            bound(json!({"some": [{"var": "needs"}, {"==": [{"var": ""}, "crm"]}]})).unwrap();
        assert!((30..=40).contains(&some), "{some}");
    }

    #[test]
    fn nested_iteration_multiplies() {
        let mut rule = json!({"==": [{"var": ""}, "crm"]});
        for _ in 0..12 {
            rule = json!({"some": [{"var": "needs"}, rule]});
        }
        assert!(bound(rule).unwrap() > 10_u64.pow(12));
        let literal = json!({"all": [[1, 2, 3], {">": [{"var": ""}, 0]}]});
        assert!(bound(literal).unwrap() < 20);
    }

    #[test]
    fn a_reduce_that_builds_is_unbounded() {
        let doubling = json!({"reduce": [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            {"merge": [{"var": "accumulator"}, {"var": "accumulator"}]}, [1]]});
        assert_eq!(bound(doubling), Err(Unbounded));
        let text = json!({"reduce": [{"var": "needs"},
            {"cat": [{"var": "accumulator"}, {"var": "accumulator"}]}, "x"]});
        assert_eq!(bound(text), Err(Unbounded));
        let sum = json!({"reduce": [{"var": "needs"}, {"+": [{"var": "accumulator"}, 1]}, 0]});
        assert!(bound(sum).is_ok());
    }
}
