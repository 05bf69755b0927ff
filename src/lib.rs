//! beian-guide: turns `content/` and `templates/` into a static site. This is the crate's
//! front door; the pipeline itself is `Build::stages()` in `src/build/stages.rs`.
//!
//! ## Stages
//!
//! This is the one list of the pipeline's stages; module headers and the README point here.
//! `build`, `check` and `serve` run the same stages, in this order, each stage once per
//! edition (the default language's, then one per `[languages]` table), one method each in
//! `src/build/stages.rs`:
//!
//! 1. `config`: read and validate `book.toml` (`config`);
//! 2. `load`: walk the content folder, parse front matter, pair translations into editions
//!    (`load`, `i18n`); the templates are parsed alongside;
//! 3. `checker`: load and validate the checker's rules data (`embed`, `checker`);
//! 4. `templates`: the Tera templates and the theme's strings (`render`);
//! 5. `markdown`: each page to HTML in one pass over its events, with everything later stages
//!    read from it (`markdown`);
//! 6. `lint`: the content lints, over the lines the Markdown pass found to be text (`lint`);
//! 7. `assets`: the static files and the embedded WebAssembly (`assets`, `wasm`);
//! 8. `site`: the site model, its order and sections, and the link check (`site`);
//! 9. `sidebar`: each edition's shared render context and sidebars (`render`);
//! 10. `render`: every page through its template, with the search index and the print edition
//!     alongside (`render`, `search`);
//! 11. `write`: the outputs into a staging folder swapped in at the end, or into memory for
//!     `serve` (`sink`, `write`, `assets` for sitemap, robots and feeds, `offline`).
//!
//! The run stops after the first stage that finds problems, returning all of that stage's
//! problems at once as [`BuildError::Problems`]. Some errors are held back instead and reported
//! with the next failing stage, or alone before anything is written: content-lint errors, and
//! the problems that concern one page or the checker rules only — a page whose file or Markdown
//! is bad (the stages up to `site` go on without it; links to it are not judged), a page naming
//! a missing template, bad rules data (checker blocks are then validated but not rendered).
//! After any of those the run stops once `site` has checked the links, so one bad page does not
//! hide broken links elsewhere.
//!
//! ## Layering
//!
//! Each module uses only modules of earlier layers, except `embed`, which uses `render` beside
//! it (no import cycles; `src/layering.rs` reads the `crate::` paths of `src/` and fails on a
//! cycle):
//!
//! 0. leaves: `diagnostic` (errors), `paths` (every path and URL rule), `hash` (the content
//!    hash), `html` (escaping, script-safe JSON, the entity decoder), `sections` (search text
//!    from Markdown events), `wasm` (the embedded checker build);
//! 1. `config`, `options` (what a run is asked to do), `chain`, `precompress` (the `.gz` and
//!    `.br` copies);
//! 2. `write` (output folder), `sink` (where a run's files go: that folder or memory), `cli`;
//! 3. `load` (pages and front matter), then `lint` (the content lints of a page's text and
//!    Markdown events);
//! 4. `markdown` (one page to HTML, its table of contents, links, search sections and footnote
//!    warnings), `checker` (rules, presets, the clock), `i18n` (editions and string tables),
//!    `new`;
//! 5. `site` (the model: order, sections, link checks);
//! 6. derived views: `render` (templates, pages, SEO, print), `search`, `assets`, `offline`
//!    (the service worker), `embed` (the checker widget and chain picture in pages, and the
//!    rules a build loads);
//! 7. `incremental` (the serve cache); 8. `build` (the stages in order); 9. this file;
//! 10. the commands built on it: `freshness` (`check`), `serve`, `classify` (the checker on
//!     the command line, reading the site as a build does).

pub mod assets;
mod build;
pub mod chain;
pub mod checker;
pub mod classify;
pub mod cli;
pub mod config;
pub mod diagnostic;
mod embed;
pub mod freshness;
pub mod hash;
pub mod html;
pub mod i18n;
pub mod incremental;
#[cfg(test)]
mod layering;
pub mod lint;
pub mod load;
pub mod markdown;
pub mod new;
pub mod offline;
mod options;
pub mod paths;
pub mod precompress;
pub mod render;
pub mod search;
pub mod sections;
pub mod serve;
pub mod sink;
pub mod site;
pub mod wasm;
pub mod write;

use std::collections::BTreeSet;
use std::path::Path;

use crate::build::Mode;

pub use build::BuildError;
pub use options::{BuildOptions, Summary};

/// Builds the site into its output folder.
pub fn build(opts: &BuildOptions) -> Result<Summary, BuildError> {
    build::run(opts, Mode::Build)
}

/// Builds the site into memory for `serve`, redoing only what changed since the last run with
/// the same `cache` (see [`incremental`]). On success the site is `cache.files()`; on failure
/// the last good site stays there.
pub fn build_incremental(
    opts: &BuildOptions,
    cache: &mut incremental::Cache,
) -> Result<Summary, BuildError> {
    let result = build::run(opts, Mode::Serve(&mut *cache));
    match &result {
        Ok(_) => cache.commit(),
        Err(_) => cache.abandon(),
    }
    result
}

/// Runs the whole pipeline without writing anything (and without compiling the WebAssembly).
pub fn check(opts: &BuildOptions) -> Result<Summary, BuildError> {
    build::run(opts, Mode::Check(None))
}

/// [`check`], handing the configuration and the content as loaded to `lint` (the contributor
/// lint of `check`, [`freshness::check_site`]), which runs only when both loaded.
pub(crate) fn check_with(
    opts: &BuildOptions,
    lint: &mut (dyn FnMut(&config::Config, &load::Content) + Send),
) -> Result<Summary, BuildError> {
    build::run(opts, Mode::Check(Some(build::ContentLint(lint))))
}

/// Collects the set of output files of a finished build, the marker file left out (for tests
/// and tools).
pub fn list_output(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != write::MARKER)
        .filter_map(|e| {
            e.path().strip_prefix(dir).ok().map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/")
            })
        })
        .collect()
}
