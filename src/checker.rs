//! Generator side of the checker: loads and validates the rules data, resolves its links,
//! renders the no-JavaScript rules table, and runs the `classify` command.
//!
//! PLACEHOLDER: signatures agreed between helpers; the checker helper replaces the bodies.

use std::io::{Read, Write};
use std::path::Path;

use crate::diagnostic::Diagnostic;

/// The checker's rules data, loaded and validated.
#[derive(Debug, Clone)]
pub struct CheckerData {
    _private: (),
}

/// One link in the rules data, for the site's link graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleLink {
    /// Content-relative target as written, e.g. `guides/renewal.md#keep-access`.
    pub href: String,
    /// 1-based line in the rules file.
    pub line: usize,
}

/// Loads `root/rel_path` (the rules TOML) and validates it; returns every problem at once.
pub fn load_rules(root: &Path, rel_path: &Path) -> Result<CheckerData, Vec<Diagnostic>> {
    let _ = root;
    Err(vec![Diagnostic::error(rel_path, "checker rules loading is not implemented yet")])
}

impl CheckerData {
    /// Path of the rules file relative to the site root.
    pub fn path(&self) -> &Path {
        Path::new("content/checker/rules.toml")
    }

    /// Every link target in the rules data, with its line.
    pub fn links(&self) -> Vec<RuleLink> {
        Vec::new()
    }

    /// Replaces each content link by a site-root-relative URL (`resolve` gets the href as written).
    pub fn resolve_links(&mut self, resolve: &dyn Fn(&str) -> Option<String>) {
        let _ = resolve;
    }

    /// The rules as JSON, handed to the WebAssembly module in the page.
    pub fn rules_json(&self) -> String {
        String::new()
    }

    /// Template context for the checker page and the embedded widget (fields, options,
    /// the static rules table rendered by the native core).
    pub fn template_context(&self, lang: &str) -> serde_json::Value {
        let _ = lang;
        serde_json::Value::Null
    }
}

/// Validates a preset from a ```` ```checker ```` block against the contract's input fields.
pub fn validate_preset(preset: &serde_json::Map<String, serde_json::Value>) -> Result<(), String> {
    let _ = preset;
    Ok(())
}

/// `beian-guide classify [FILE|-]`: prints the output JSON, returns the exit code (0, 1 or 2).
pub fn classify_command(
    root: &Path,
    input: Option<&Path>,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let _ = (root, input, stdin, out);
    let _ = writeln!(err, "error: classify is not implemented yet");
    2
}
