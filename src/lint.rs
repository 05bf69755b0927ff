//! Content lint: known-false claims ("myths") that a page must not state outside a marked quote.
//!
//! PLACEHOLDER: signatures agreed between helpers; the content helper replaces the bodies.

use std::path::Path;

use crate::diagnostic::Diagnostic;

/// The list of known-false claims, loaded from `lint/myths.toml`.
#[derive(Debug, Clone, Default)]
pub struct MythRules {
    _private: (),
}

/// Loads and validates the myth list.
pub fn load_myths(path: &Path) -> Result<MythRules, Vec<Diagnostic>> {
    let _ = path;
    Ok(MythRules::default())
}

/// Lints one Markdown file (front matter included); `file` is used in the diagnostics.
pub fn lint_markdown(file: &Path, source: &str, rules: &MythRules) -> Vec<Diagnostic> {
    let _ = (file, source, rules);
    Vec::new()
}
