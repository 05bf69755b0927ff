//! What a run is asked to do ([`BuildOptions`]) and what it produced ([`Summary`]): the
//! vocabulary shared by the pipeline (`src/build/`) and its callers (`check`, `serve`, the CLI),
//! kept in a leaf module so that none of them depends on `lib.rs`.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site root (the folder with book.toml).
    pub root: PathBuf,
    /// Output folder; default `[build] build-dir` under the root.
    pub out: Option<PathBuf>,
    /// Overrides `[output.html] base-url`.
    pub base_url: Option<String>,
    /// Include pages with `draft = true`.
    pub drafts: bool,
    /// Print each stage's time to stderr.
    pub verbose: bool,
    /// Write `.gz` and `.br` copies of the text files (also needs `[build] precompress`, on by
    /// default).
    pub precompress: bool,
}

impl BuildOptions {
    /// Defaults for a site at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            out: None,
            base_url: None,
            drafts: false,
            verbose: false,
            precompress: true,
        }
    }
}

/// What a successful run produced.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Number of pages (section indexes included).
    pub pages: usize,
    /// Output folder, for `build`.
    pub out: Option<PathBuf>,
    /// Warnings found on the way (errors fail the run instead).
    pub warnings: Vec<Diagnostic>,
}
