//! The shape of the crate: its modules import each other without a circle.
//!
//! Each module of `src/` (outside its `#[cfg(test)]` part) names the modules
//! it uses as `crate::<module>::…`; items re-exported at the crate root are
//! not imported through the root, so every dependency is visible here. The
//! test reads the sources and fails on a root import or on any circle,
//! naming the modules in it.

use std::collections::BTreeMap;
use std::path::Path;

/// Module name → the modules its non-test code uses.
fn module_graph() -> BTreeMap<String, Vec<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("readable entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    assert!(
        files.len() > 10,
        "found the crate's sources in {}",
        src.display()
    );
    let mut graph = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).expect("inside src");
        // `model/vocabulary.rs` is part of `model` for this purpose.
        let module = relative
            .iter()
            .next()
            .expect("a path")
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable source");
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let mut uses: Vec<String> = graph.remove(&module).unwrap_or_default();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let line = &code[code[..at].rfind('\n').map_or(0, |i| i + 1)..];
            if line.trim_start().starts_with("//") {
                continue; // documentation links
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            assert!(
                name.chars().next().is_some_and(|c| c.is_ascii_lowercase()),
                "{}: `crate::{}` imports through the crate root; name the module instead",
                relative.display(),
                &rest[..rest.len().min(30)]
            );
            if name != module && !uses.contains(&name) {
                uses.push(name);
            }
        }
        graph.insert(module, uses);
    }
    graph
}

fn find_circle(graph: &BTreeMap<String, Vec<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, Vec<String>>,
        path: &mut Vec<String>,
        done: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut circle = path[start..].to_vec();
            circle.push(node.to_owned());
            return Some(circle);
        }
        if done.iter().any(|n| n == node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.push(node.to_owned());
        None
    }
    let mut done = Vec::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn modules_import_each_other_without_a_circle() {
    let graph = module_graph();
    assert!(graph.contains_key("qualify") && graph.contains_key("model"));
    if let Some(circle) = find_circle(&graph) {
        panic!("import circle: {}", circle.join(" -> "));
    }
    // The vocabulary is at the bottom: the model uses no other module.
    assert_eq!(graph["model"], Vec::<String>::new());
}

#[test]
fn the_circle_finder_finds_a_circle() {
    let graph: BTreeMap<String, Vec<String>> = [
        ("decode", vec!["qualify"]),
        ("qualify", vec!["rulebook"]),
        ("rulebook", vec!["validate"]),
        ("validate", vec!["decode"]),
        ("model", vec![]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(
        find_circle(&graph).expect("a circle").join(" -> "),
        "decode -> qualify -> rulebook -> validate -> decode"
    );
}
