//! Test of the layering stated in the crate documentation: the modules of `src/` (and those of
//! the checker core, `checker-core/src/`) use each other without cycles. The graph is read from the source (every `crate::<module>` path outside
//! comments, plus the child-module paths of `lib.rs` itself), so a new `use` that closes a loop
//! fails here with the loop spelled out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module name of a file under `src/`: `render/pages.rs` and `render/mod.rs` are `render`.
fn module_of(rel: &str) -> String {
    let first = rel.split('/').next().unwrap_or(rel);
    first.trim_end_matches(".rs").to_owned()
}

/// Identifiers that follow `prefix` in `line` (`crate::{a, b::c}` gives `a` and `b`).
fn names_after(line: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find(prefix) {
        // `x::crate::` is not a crate path; only a path starting here is.
        let before = rest[..at].chars().next_back();
        rest = &rest[at + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // One level of braces: the names before each `::`, `,` or `}` at depth 0.
            let mut depth = 0;
            let mut item = String::new();
            let mut expect_name = true;
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => expect_name = true,
                    c if depth == 0 && expect_name && (c.is_alphanumeric() || c == '_') => {
                        item.push(c)
                    }
                    _ if depth == 0 && expect_name && !item.is_empty() => {
                        out.push(std::mem::take(&mut item));
                        expect_name = false;
                    }
                    _ => {}
                }
            }
            if !item.is_empty() {
                out.push(item);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

/// Code lines of a file: comment lines (`//`, `///`, `//!`) left out.
fn code_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.trim_start().starts_with("//"))
}

/// The module graph of the crate at `src`: module → the modules it uses.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap_or_default();
    let modules: BTreeSet<String> = code_lines(&lib)
        .filter_map(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            l.strip_prefix("mod ")?.strip_suffix(';').map(str::to_owned)
        })
        .collect();
    // Names `lib.rs` re-exports (`pub use build::{BuildOptions, Summary};`) belong to the module
    // they come from; other `crate::Name`s are items of `lib.rs` itself.
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    for line in code_lines(&lib) {
        if let Some(rest) = line.trim_start().strip_prefix("pub use ") {
            let rest = rest.strip_prefix("crate::").unwrap_or(rest);
            if let Some((module, items)) = rest.split_once("::") {
                for name in names_after(&format!("x {items}"), "x ") {
                    owner.insert(name, module.to_owned());
                }
            }
        }
    }
    let resolve = |name: &str| -> String {
        if modules.contains(name) {
            name.to_owned()
        } else {
            owner.get(name).cloned().unwrap_or_else(|| "lib".to_owned())
        }
    };
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(src).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let rel = path
            .strip_prefix(src)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "main.rs" || rel == "layering.rs" {
            continue; // the binary is another crate; this file names modules in its tests
        }
        let from = if rel == "lib.rs" {
            "lib".to_owned()
        } else {
            module_of(&rel)
        };
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let uses = graph.entry(from.clone()).or_default();
        // A `use crate::{…}` group may span lines: read the code as one line.
        let code = code_lines(&text).collect::<Vec<_>>().join(" ");
        for name in names_after(&code, "crate::") {
            uses.insert(resolve(&name));
        }
        for line in code_lines(&text) {
            if from == "lib" {
                // `lib.rs` names its children without `crate::` (`build::run`).
                for name in &modules {
                    if !names_after(line, &format!("{name}::")).is_empty() {
                        uses.insert(name.clone());
                    }
                }
            }
        }
        uses.remove(&from);
    }
    graph
}

/// A cycle of `graph`, if it has one, as the modules along it (first repeated at the end).
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let at = stack.iter().position(|n| n == node).unwrap_or(0);
                let mut cycle = stack[at..].to_vec();
                cycle.push(node.to_owned());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.to_owned(), Mark::Open);
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, marks, stack) {
                return Some(c);
            }
        }
        stack.pop();
        marks.insert(node.to_owned(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in graph.keys() {
        if let Some(c) = visit(node, graph, &mut marks, &mut Vec::new()) {
            return Some(c);
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn crate_paths_are_read_from_use_lines_and_paths() {
        assert_eq!(
            names_after(
                "use crate::{diagnostic::Diagnostic, load::{Kind, Page}, paths};",
                "crate::"
            ),
            ["diagnostic", "load", "paths"]
        );
        assert_eq!(
            names_after(
                "let x = crate::paths::dir_of(a) + crate::html::escape_html(b);",
                "crate::"
            ),
            ["paths", "html"]
        );
        assert!(names_after("beian_checker::crate::x", "crate::").is_empty());
    }

    #[test]
    fn a_cycle_is_found_and_spelled_out() {
        let g: BTreeMap<String, BTreeSet<String>> = [
            ("a", vec!["b"]),
            ("b", vec!["c"]),
            ("c", vec!["a"]),
            ("d", vec!["a"]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
        .collect();
        assert_eq!(find_cycle(&g).unwrap(), ["a", "b", "c", "a"]);
        let mut dag = g.clone();
        dag.get_mut("c").unwrap().clear();
        assert_eq!(find_cycle(&dag), None);
    }

    /// Panics with the cycle spelled out if `g` has one.
    fn assert_dag(g: &BTreeMap<String, BTreeSet<String>>, layering: &str) {
        if let Some(cycle) = find_cycle(g) {
            panic!(
                "import cycle between modules: {} ({layering})\nfull graph: {g:#?}",
                cycle.join(" -> ")
            );
        }
    }

    #[test]
    fn the_generator_modules_form_a_dag() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let g = graph(&src);
        // The graph was read: the pipeline's known edges are in it.
        assert!(g["site"].contains("markdown"), "{g:?}");
        assert!(g["build"].contains("render"), "{g:?}");
        assert_dag(
            &g,
            "the layering in src/lib.rs: a module uses only modules of earlier layers",
        );
    }

    #[test]
    fn the_checker_core_modules_form_a_dag() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("checker-core/src");
        let g = graph(&src);
        // The graph was read: known edges are in it (texts read the rules, the rules'
        // validator checks placeholders with the leaf `template`).
        assert!(g["text"].contains("rules"), "{g:?}");
        assert!(g["validate"].contains("template"), "{g:?}");
        assert_dag(
            &g,
            "placeholder syntax lives in the leaf `template`, so `rules` and `text` need not \
             use each other",
        );
    }
}
