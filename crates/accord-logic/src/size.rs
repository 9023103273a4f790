//! The size workaround every Accord crate shares, written once.

/// Builds a map (or any collection) by inserting the items one at a time.
///
/// Why: `collect()` into a `BTreeMap` or a `serde_json::Map` sorts the
/// items first for a bulk build, and every sort instance costs kilobytes of
/// the widget's wasm. The maps Accord builds in the browser hold a few
/// dozen keys at most, so inserting one at a time is as fast. `Extend`
/// inserts without sorting. Use this wherever the widget builds a map; for
/// maps built only natively, `collect()` is fine.
pub fn collect_by_insertion<C, T>(items: impl IntoIterator<Item = T>) -> C
where
    C: Default + Extend<T>,
{
    let mut collection = C::default();
    collection.extend(items);
    collection
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn the_result_is_what_collect_gives() {
        let items = [("b", 2), ("a", 1), ("c", 3), ("a", 4)];
        let by_insertion: BTreeMap<&str, i32> = collect_by_insertion(items);
        let collected: BTreeMap<&str, i32> = items.into_iter().collect();
        assert_eq!(by_insertion, collected);
        let map: serde_json::Map<String, serde_json::Value> =
            collect_by_insertion(items.map(|(k, v)| (k.to_owned(), v.into())));
        assert_eq!(
            serde_json::Value::Object(map),
            serde_json::json!({"a": 4, "b": 2, "c": 3})
        );
    }
}
