//! The core's modules form a DAG: no module reaches, directly or through others, back into
//! itself (the rules ↔ text cycle once made `rules` and `text` impossible to read apart).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module name → the crate modules it names (`crate::x` anywhere in its code, tests excluded).
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeMap::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        if path.extension().is_none_or(|e| e != "rs") || name == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("\n#[cfg(test)]").next().unwrap_or("");
        let mut uses = BTreeSet::new();
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            let used: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !used.is_empty() && used != name {
                uses.insert(used);
            }
        }
        modules.insert(name, uses);
    }
    modules
}

/// A path from `from` back to itself, if there is one.
fn cycle_through(
    graph: &BTreeMap<String, BTreeSet<String>>,
    from: &str,
    at: &str,
    path: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) -> bool {
    for next in graph.get(at).into_iter().flatten() {
        path.push(next.clone());
        if next == from {
            return true;
        }
        if seen.insert(next.clone()) && cycle_through(graph, from, next, path, seen) {
            return true;
        }
        path.pop();
    }
    false
}

#[test]
fn the_modules_import_each_other_without_cycles() {
    let graph = graph();
    assert!(
        graph.contains_key("rules") && graph.contains_key("text"),
        "{graph:?}"
    );
    for module in graph.keys() {
        let mut path = vec![module.clone()];
        let found = cycle_through(&graph, module, module, &mut path, &mut BTreeSet::new());
        assert!(!found, "import cycle: {}", path.join(" -> "));
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mut g = BTreeMap::new();
    g.insert("a".to_owned(), BTreeSet::from(["b".to_owned()]));
    g.insert("b".to_owned(), BTreeSet::from(["a".to_owned()]));
    let mut path = vec!["a".to_owned()];
    assert!(cycle_through(&g, "a", "a", &mut path, &mut BTreeSet::new()));
    assert_eq!(path, ["a", "b", "a"]);
}
