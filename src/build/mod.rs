//! The pipeline as a list of stages: a [`Build`] holds the options, the configuration, the
//! content as it moves through the stages, and a [`Problems`] accumulator that owns the
//! "hold back, report everything at once" policy (see the crate documentation).
// The page sink returns a `Diagnostic` by value on the (rare) failure path.
#![allow(clippy::result_large_err)]

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::embed::{load_checker, CheckerStage, Embeds};
use crate::incremental::{self, Cache};
use crate::render::{self, CheckerAssets, Shared, SiteContext, Templates};
use crate::sink::Sink;
use crate::{
    assets, chain, checker, config, i18n, lint, load, markdown, paths, search, site, wasm, write,
};
use crate::{BuildOptions, Summary};

mod stages;
#[cfg(test)]
mod tests;

/// Why a run of `build`, `check` or `serve` failed. Its text (`Display`) is what `main`
/// prints: every problem rustc-style with the counts, or `error: ` and the failure's chain.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the site's inputs, every one found (sorted by file and line).
    Problems(Vec<Diagnostic>),
    /// An I/O or WebAssembly failure, reported alone: it is not about the content.
    Fatal(anyhow::Error),
}

impl From<anyhow::Error> for BuildError {
    /// A failure that is a list of problems (the output-folder checks say what to change that
    /// way) is that list.
    fn from(e: anyhow::Error) -> Self {
        match e.downcast::<Diagnostics>() {
            Ok(Diagnostics(d)) => BuildError::Problems(d),
            Err(e) => BuildError::Fatal(e),
        }
    }
}

impl From<Vec<Diagnostic>> for BuildError {
    fn from(d: Vec<Diagnostic>) -> Self {
        BuildError::Problems(d)
    }
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Problems(d) => Diagnostics(d.clone()).fmt(f),
            // Its text may quote file names, which could carry terminal escape sequences.
            BuildError::Fatal(e) => write!(
                f,
                "error: {}",
                crate::diagnostic::printable(&format!("{e:#}"))
            ),
        }
    }
}

impl std::error::Error for BuildError {}

/// The problems a run holds back instead of stopping at once: content-lint errors (independent
/// of the site model), and problems that concern one page or the checker data only (`partial`:
/// the stages up to `site` go on without that page or checker, then the run stops).
#[derive(Debug, Default)]
pub(crate) struct Problems {
    held: Vec<Diagnostic>,
    partial: bool,
}

impl Problems {
    /// Holds back errors that leave the site model whole (content lint).
    fn hold(&mut self, errors: impl IntoIterator<Item = Diagnostic>) {
        self.held.extend(errors);
    }

    /// Holds back the errors of something the site goes on without (a page, the checker data,
    /// a page's template): the run stops after `site` has checked the links.
    fn hold_partial(&mut self, errors: impl IntoIterator<Item = Diagnostic>) {
        self.partial = true;
        self.held.extend(errors);
    }

    /// Stops when the site is missing a part: rendering it would only report artefacts of the
    /// gap.
    fn stop_if_partial(&mut self) -> Result<(), BuildError> {
        match self.partial {
            true => Err(BuildError::Problems(std::mem::take(&mut self.held))),
            false => Ok(()),
        }
    }

    /// Stops before anything is written when any error is held.
    fn stop_if_any(&mut self) -> Result<(), BuildError> {
        match self.held.is_empty() {
            true => Ok(()),
            false => Err(BuildError::Problems(std::mem::take(&mut self.held))),
        }
    }

    /// The run's error: a stage's problems joined by the held ones, sorted by file and line;
    /// a fatal error alone.
    fn finish(&mut self, e: BuildError) -> BuildError {
        match e {
            BuildError::Problems(later) => {
                let mut all = std::mem::take(&mut self.held);
                all.extend(later);
                all.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
                // A page shown in several editions (a fallback page is its original) reports a
                // problem of its own text once.
                let mut seen = HashSet::with_capacity(all.len());
                all.retain(|d| seen.insert(d.clone()));
                BuildError::Problems(all)
            }
            fatal => fatal,
        }
    }
}

/// What `check` does with the content as it was loaded (the contributor lint), so that it
/// is read once.
pub(crate) struct ContentLint<'a>(
    pub(crate) &'a mut (dyn FnMut(&config::Config, &load::Content) + Send),
);

impl std::fmt::Debug for ContentLint<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ContentLint")
    }
}

/// What a run produces and where.
#[derive(Debug)]
pub(crate) enum Mode<'a> {
    /// Runs every check, writes nothing (and compiles no WebAssembly); the loaded content goes
    /// to the contributor lint when there is one.
    Check(Option<ContentLint<'a>>),
    /// Writes a staging folder and swaps it in.
    Build,
    /// Writes into memory, reusing what did not change since the last run with this cache.
    Serve(&'a mut Cache),
}

impl Mode<'_> {
    fn writes(&self) -> bool {
        !matches!(self, Mode::Check(_))
    }

    /// The parsed templates (kept by `serve` while they are unchanged).
    fn templates<E>(
        &mut self,
        load: impl FnOnce() -> Result<Templates, E>,
    ) -> Result<Arc<Templates>, E> {
        match self {
            Mode::Serve(c) => c.templates(load),
            _ => load().map(Arc::new),
        }
    }

    /// The content folder's pages (`serve` reads again only the files that changed).
    fn load_content<R>(&mut self, load: impl FnOnce(&load::PageReader<'_>) -> R) -> R {
        match self {
            Mode::Serve(c) => c.load_content(load),
            _ => load(&load::read_page),
        }
    }

    /// The sidebars of edition `edition` (`serve` keeps them while the navigation and the
    /// templates are unchanged).
    fn sidebars(
        &mut self,
        site: &site::Site,
        edition: usize,
        render: impl FnOnce() -> Result<HashMap<render::SidebarKey, render::Sidebar>, Vec<Diagnostic>>,
    ) -> Result<Arc<HashMap<render::SidebarKey, render::Sidebar>>, Vec<Diagnostic>> {
        match self {
            Mode::Serve(c) => c.sidebars(edition, site, render),
            _ => render().map(Arc::new),
        }
    }

    /// Every page's Markdown in edition `edition` (`serve` renders only the pages whose text
    /// changed).
    fn render_markdown<F>(
        &mut self,
        edition: usize,
        pages: &[load::Page],
        outputs: &HashMap<String, String>,
        render: &F,
    ) -> Vec<incremental::MarkdownResult>
    where
        F: Fn(&load::Page) -> incremental::MarkdownResult + Sync,
    {
        match self {
            Mode::Serve(c) => c.render_markdown(edition, pages, outputs, render),
            _ => pages.par_iter().map(render).collect(),
        }
    }

    /// The checker's WebAssembly, compiled into the binary by build.rs: nothing is spawned
    /// (`serve` copies it out once).
    fn wasm(&mut self) -> anyhow::Result<wasm::WasmAssets> {
        match self {
            Mode::Serve(c) => c.wasm_assets(|| Ok(wasm::embedded())),
            _ => Ok(wasm::embedded()),
        }
    }

    /// Whether this run leaves out the print edition and the search index (`serve` rebuilds
    /// them right after the reload).
    fn defers_aggregates(&self) -> bool {
        matches!(self, Mode::Serve(c) if c.defers_aggregates())
    }

    /// Every page of edition `edition` through its template, each to `sink` (`serve` reuses
    /// the pages whose text and navigation are unchanged and puts them straight into its memory
    /// site).
    fn render_pages(
        &mut self,
        edition: usize,
        site: &site::Site,
        templates: &Templates,
        shared: &Shared<'_>,
        sink: &render::PageSink<'_>,
    ) -> Result<(), Vec<Diagnostic>> {
        match self {
            Mode::Serve(c) => c.render_pages(edition, site, templates, shared),
            _ => render::render_all(site, templates, shared, sink),
        }
    }
}

/// Prints stage times when verbose.
#[derive(Debug)]
struct Timer {
    verbose: bool,
    start: Instant,
}

impl Timer {
    fn stage<T>(&self, name: &str, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        self.report(name, t);
        out
    }

    /// Prints the time since `t` for stage `name`.
    fn report(&self, name: &str, t: Instant) {
        if self.verbose {
            eprintln!(
                "  {name:<10} {:>8.1} ms",
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

/// One run of the pipeline.
#[derive(Debug)]
pub(crate) struct Build<'a, 'm> {
    opts: &'a BuildOptions,
    mode: Mode<'m>,
    timer: Timer,
    problems: Problems,
    warnings: Vec<Diagnostic>,
    config: &'a config::Config,
    out_dir: PathBuf,
    protected: write::Protected,
    checker: CheckerStage,
    static_files: Vec<assets::StaticFile>,
    wasm: Option<wasm::WasmAssets>,
    /// The theme's string tables.
    strings: i18n::Strings,
    /// One per language, the default language's first: each stage runs once per edition.
    editions: Vec<Edition>,
    /// The templates, parsed while the content loads (`build` and `check`; `serve` keeps its
    /// own parsed templates while they are unchanged).
    parsed: Option<Result<Templates, Vec<Diagnostic>>>,
}

/// One edition (a language and every page in it: its translations, and the default language's
/// pages where it has none) through the stages up to `site`.
#[derive(Debug)]
struct Edition {
    lang: i18n::Language,
    pages: Vec<load::Page>,
    /// Content source → output path, for links and embeds.
    outputs: HashMap<String, String>,
    rendered: Vec<Arc<markdown::Rendered>>,
    /// Sources whose page did not load or whose Markdown failed: links to them are not judged.
    unloaded: BTreeSet<String>,
    /// The pages whose Markdown failed (until the lint has read them).
    failed: Vec<load::Page>,
    /// `checker` in the edition's templates, in its language.
    checker: serde_json::Value,
}

impl Edition {
    /// `lang` in the edition's templates.
    fn lang_view(&self) -> i18n::LangView {
        i18n::LangView {
            code: self.lang.code.clone(),
            prefix: self.lang.prefix.clone(),
        }
    }

    /// The pages written in the edition's language (a fallback page is the default
    /// language's, already checked there).
    fn own_pages(&self) -> impl Iterator<Item = &load::Page> {
        self.pages.iter().filter(|p| !p.fallback)
    }
}

/// The site model of one edition.
#[derive(Debug)]
pub(crate) struct EditionSite {
    lang: i18n::Language,
    site: site::Site,
    /// `checker` in the edition's templates.
    checker: serde_json::Value,
}

/// Runs the pipeline: every stage in order, stopping at the first that fails, with the held
/// problems reported together with that stage's.
pub(crate) fn run(opts: &BuildOptions, mode: Mode<'_>) -> Result<Summary, BuildError> {
    let timer = Timer {
        verbose: opts.verbose,
        start: Instant::now(),
    };
    let config = timer.stage("config", || load_config(opts))?;
    let mut b = Build::new(opts, mode, timer, &config)?;
    let result = b.stages();
    result.map_err(|e| b.problems.finish(e))
}

/// `config`: book.toml, and `--base-url` from the command line checked like the config's.
fn load_config(opts: &BuildOptions) -> Result<config::Config, BuildError> {
    let mut config = config::load(&opts.root)?;
    if let Some(url) = &opts.base_url {
        // The same rule as `[output.html] base-url` in book.toml.
        let u = paths::check_base_url(url).map_err(|e| {
            vec![Diagnostic::error("--base-url", format!("`--base-url` {e}"))
                .help("pass an absolute http(s) URL, e.g. `--base-url https://example.org/guide/`")]
        })?;
        config.output.html.base_url = Some(u);
    }
    Ok(config)
}

/// The site root and every source folder and file, which the output folder must keep clear of.
fn protected_paths(opts: &BuildOptions, config: &config::Config) -> write::Protected {
    let b = &config.build;
    let sources = [
        ("the content folder", &b.content),
        ("the templates folder", &b.templates),
        ("the static folder", &b.r#static),
        ("the checker rules file", &config.checker.rules),
    ]
    .into_iter()
    .map(|(what, p)| (format!("{what} `{}`", p.display()), p.clone()))
    .chain([
        (
            format!("the content-lint list `{}`", lint::MYTHS_FILE),
            PathBuf::from(lint::MYTHS_FILE),
        ),
        (
            format!("the configuration `{}`", config::CONFIG_FILE),
            PathBuf::from(config::CONFIG_FILE),
        ),
        (
            "the git repository `.git`".to_owned(),
            PathBuf::from(".git"),
        ),
    ])
    .collect();
    let origin = match opts.out {
        Some(_) => write::OutputOrigin::CommandLine,
        None => {
            let text =
                std::fs::read_to_string(opts.root.join(config::CONFIG_FILE)).unwrap_or_default();
            write::OutputOrigin::Config(config::table_key_line(&text, "build", "build-dir"), text)
        }
    };
    write::Protected {
        root: opts.root.clone(),
        sources,
        origin,
    }
}

/// What rendering an edition's Markdown needs besides its pages.
struct MarkdownInput<'x> {
    templates: &'x Templates,
    checker: &'x CheckerStage,
    /// Checker embeds and the chain picture in the edition's language.
    embeds: &'x Embeds<'x>,
    default_lang: &'x str,
    /// The default edition's rendering of each source that does not depend on where the page
    /// is written (empty for the default edition itself).
    originals: &'x HashMap<&'x str, &'x Arc<markdown::Rendered>>,
}

/// Renders edition `k`'s Markdown: links resolve to `outputs` (the edition's pages), checker
/// embeds and the chain picture come in the edition's language; a fallback page's own texts
/// (callout titles) stay in the default language, like the rest of its body, and a fallback
/// page whose rendering is portable is the default edition's.
fn markdown_of(
    input: &MarkdownInput<'_>,
    k: usize,
    pages: &[load::Page],
    outputs: &HashMap<String, String>,
    mode: &mut Mode<'_>,
) -> Result<Vec<incremental::MarkdownResult>, BuildError> {
    let (templates, c, embeds) = (input.templates, input.checker, input.embeds);
    let default_lang = input.default_lang;
    // The picture is the same on every page (it has no links), so it is drawn once.
    let chain_html = c.chain_picture(templates, embeds)?;
    let embed =
        |preset: &serde_json::Map<String, serde_json::Value>, instance: usize, page_root: &str| {
            c.checker_block(templates, embeds, default_lang, preset, instance, page_root)
        };
    let cx = markdown::MarkdownContext {
        outputs,
        language: &embeds.lang.code,
        embed_checker: &embed,
        embed_chain: chain_html
            .as_ref()
            .map(|(html, text)| markdown::Fragment { html, text }),
        callouts: embeds.t.get("callout"),
    };
    // A fallback page's callout titles stay in its own (the default) language.
    let original = markdown::MarkdownContext {
        language: default_lang,
        callouts: embeds.default_t.get("callout"),
        ..cx
    };
    let render = |p: &load::Page| match p.fallback {
        true => match input.originals.get(p.source.as_str()) {
            Some(r) => Ok(Arc::clone(r)),
            None => markdown::render(p, &original).map(Arc::new),
        },
        false => markdown::render(p, &cx).map(Arc::new),
    };
    Ok(mode.render_markdown(k, pages, outputs, &render))
}

/// The rendered bodies, and the indexes of the pages whose Markdown failed (their errors are
/// held back: links to them are not judged, the other pages' links are still checked).
fn split_failed(
    results: Vec<incremental::MarkdownResult>,
    problems: &mut Problems,
) -> (Vec<Arc<markdown::Rendered>>, Vec<usize>) {
    let mut failed = Vec::new();
    let mut rendered = Vec::with_capacity(results.len());
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Ok(r) => rendered.push(r),
            Err(e) => {
                problems.hold_partial(e);
                failed.push(i);
            }
        }
    }
    (rendered, failed)
}
