//! The pipeline as a list of stages: a [`Build`] holds the options, the configuration, the
//! content as it moves through the stages, and a [`Problems`] accumulator that owns the
//! "hold back, report everything at once" policy (see the crate documentation).
// The page sink returns a `Diagnostic` by value on the (rare) failure path.
#![allow(clippy::result_large_err)]

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::embed::{load_checker, CheckerStage, Embeds};
use crate::incremental::{self, Cache, Sink};
use crate::render::{self, CheckerAssets, Shared, SiteContext, Templates};
use crate::{
    assets, chain, checker, config, i18n, lint, load, markdown, paths, search, site, wasm, write,
};
use crate::{BuildOptions, Summary};

/// Why a run failed.
#[derive(Debug)]
pub(crate) enum BuildError {
    /// Problems in the site's inputs, every one found (sorted by file and line).
    Problems(Vec<Diagnostic>),
    /// An I/O or WebAssembly failure, reported alone: it is not about the content.
    Fatal(anyhow::Error),
}

impl From<anyhow::Error> for BuildError {
    fn from(e: anyhow::Error) -> Self {
        BuildError::Fatal(e)
    }
}

impl From<Vec<Diagnostic>> for BuildError {
    fn from(d: Vec<Diagnostic>) -> Self {
        BuildError::Problems(d)
    }
}

impl From<BuildError> for anyhow::Error {
    fn from(e: BuildError) -> Self {
        match e {
            BuildError::Problems(d) => anyhow::Error::new(Diagnostics(d)),
            BuildError::Fatal(e) => e,
        }
    }
}

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
                let mut seen: Vec<Diagnostic> = Vec::with_capacity(all.len());
                all.retain(|d| match seen.contains(d) {
                    true => false,
                    false => {
                        seen.push(d.clone());
                        true
                    }
                });
                BuildError::Problems(all)
            }
            fatal => fatal,
        }
    }
}

/// What a run produces and where.
#[derive(Debug)]
pub(crate) enum Mode<'a> {
    /// Runs every check, writes nothing (and compiles no WebAssembly).
    Check,
    /// Writes a staging folder and swaps it in.
    Build,
    /// Writes into memory, reusing what did not change since the last run with this cache.
    Serve(&'a mut Cache),
}

impl Mode<'_> {
    fn writes(&self) -> bool {
        !matches!(self, Mode::Check)
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

    /// The sidebars of edition `edition` (`serve` keeps the default edition's while the
    /// navigation and the templates are unchanged).
    fn sidebars(
        &mut self,
        site: &site::Site,
        edition: usize,
        render: impl FnOnce() -> Result<HashMap<String, render::Sidebar>, Vec<Diagnostic>>,
    ) -> Result<Arc<HashMap<String, render::Sidebar>>, Vec<Diagnostic>> {
        match self {
            Mode::Serve(c) if edition == 0 => c.sidebars(site, render),
            _ => render().map(Arc::new),
        }
    }

    /// Every page's Markdown (`serve` renders only the pages whose text changed).
    fn render_markdown<F>(
        &mut self,
        pages: &[load::Page],
        outputs: &HashMap<String, String>,
        render: &F,
    ) -> Vec<incremental::MarkdownResult>
    where
        F: Fn(&load::Page) -> Result<markdown::Rendered, Vec<Diagnostic>> + Sync,
    {
        match self {
            Mode::Serve(c) => c.render_markdown(pages, outputs, render),
            _ => pages.par_iter().map(|p| render(p).map(Arc::new)).collect(),
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

    /// Every page through its template, each to `sink` (`serve` reuses the pages whose text and
    /// navigation are unchanged and puts them straight into its memory site).
    fn render_pages(
        &mut self,
        site: &site::Site,
        templates: &Templates,
        shared: &Shared<'_>,
        sink: &render::PageSink<'_>,
    ) -> Result<(), Vec<Diagnostic>> {
        match self {
            Mode::Serve(c) => c.render_pages(site, templates, shared),
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
pub(crate) struct Build<'a> {
    opts: &'a BuildOptions,
    mode: Mode<'a>,
    timer: Timer,
    problems: Problems,
    warnings: Vec<Diagnostic>,
    config: &'a config::Config,
    out_dir: PathBuf,
    protected: write::Protected,
    pages: Vec<load::Page>,
    unloaded: BTreeSet<String>,
    /// Content source → output path, for links and embeds.
    outputs: HashMap<String, String>,
    checker: CheckerStage,
    rendered: Vec<Arc<markdown::Rendered>>,
    static_files: Vec<assets::StaticFile>,
    wasm: Option<wasm::WasmAssets>,
    /// The site's languages, the default first.
    languages: Vec<i18n::Language>,
    /// The theme's string tables.
    strings: i18n::Strings,
    /// The editions besides the default language's (whose state is the fields above).
    extra: Vec<Extra>,
    /// `checker` in each other edition's templates, by language tag.
    extra_contexts: Vec<(String, serde_json::Value)>,
    /// The templates, parsed while the content loads (`build` and `check`; `serve` keeps its
    /// own parsed templates while they are unchanged).
    parsed: Option<Result<Templates, Vec<Diagnostic>>>,
}

/// An edition besides the default language's, through the stages (like [`Build`]'s `pages`,
/// `outputs`, `rendered`, `unloaded` for the default one).
#[derive(Debug)]
struct Extra {
    lang: i18n::Language,
    pages: Vec<load::Page>,
    outputs: HashMap<String, String>,
    rendered: Vec<Arc<markdown::Rendered>>,
    unloaded: BTreeSet<String>,
}

/// The site model of every edition, the default language's first.
#[derive(Debug)]
pub(crate) struct Sites {
    default: site::Site,
    extra: Vec<(i18n::Language, site::Site)>,
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

impl<'a> Build<'a> {
    fn stages(&mut self) -> Result<Summary, BuildError> {
        self.load()?;
        self.lint()?;
        self.checker();
        let templates = self.templates()?;
        self.markdown(&templates)?;
        self.assets()?;
        let sites = self.site(&templates)?;
        self.problems.stop_if_partial()?;
        let outputs = Arc::new(self.outputs_of(&sites));
        let shared = self.shared(&sites.default, &templates, 0, &outputs)?;
        let extra_shared = sites
            .extra
            .iter()
            .enumerate()
            .map(|(k, (_, s))| self.shared(s, &templates, k + 1, &outputs))
            .collect::<Result<Vec<_>, _>>()?;
        self.problems.stop_if_any()?;
        let sink = self.sink()?;
        self.render(&sites.default, &templates, &shared, sink.as_ref(), true)?;
        for ((_, s), sh) in sites.extra.iter().zip(&extra_shared) {
            self.render(s, &templates, sh, sink.as_ref(), false)?;
        }
        let site = &sites.default;
        let out = self.write(&sites, sink)?;
        if self.opts.verbose {
            eprintln!(
                "  {:<10} {:>8.1} ms",
                "total",
                self.timer.start.elapsed().as_secs_f64() * 1000.0
            );
        }
        Ok(Summary {
            pages: site.pages.len()
                + sites
                    .extra
                    .iter()
                    .map(|(_, s)| s.pages.len())
                    .sum::<usize>(),
            out,
            warnings: std::mem::take(&mut self.warnings),
        })
    }

    /// The run's state after `config`; `build` refuses a bad output folder before any work.
    fn new(
        opts: &'a BuildOptions,
        mode: Mode<'a>,
        timer: Timer,
        config: &'a config::Config,
    ) -> Result<Self, BuildError> {
        let root = &opts.root;
        let out_dir = opts
            .out
            .clone()
            .unwrap_or_else(|| root.join(&config.build.build_dir));
        let protected = protected_paths(opts, config);
        if matches!(mode, Mode::Build) {
            // Refused before any work, and again when the staging folder is made.
            write::check_output(&out_dir, &protected)?;
        }
        Ok(Build {
            opts,
            mode,
            timer,
            problems: Problems::default(),
            warnings: Vec::new(),
            config,
            out_dir,
            protected,
            pages: Vec::new(),
            unloaded: BTreeSet::new(),
            outputs: HashMap::new(),
            checker: CheckerStage::default(),
            rendered: Vec::new(),
            static_files: Vec::new(),
            wasm: None,
            languages: i18n::languages(config),
            strings: i18n::Strings::default(),
            extra: Vec::new(),
            extra_contexts: Vec::new(),
            parsed: None,
        })
    }

    /// `load`: a page whose own file is bad must not hide the other pages' problems: its errors
    /// are held back, the stages up to `site` check the pages that did load (links to the others
    /// are not checked), and the run stops after `site`.
    fn load(&mut self) -> Result<(), BuildError> {
        let (root, c) = (&self.opts.root, &self.config.build.content);
        let (drafts, mode) = (self.opts.drafts, &mut self.mode);
        let (timer, dir) = (&self.timer, &self.config.build.templates);
        // The templates do not depend on the content: they are parsed on the other core.
        let parse = !matches!(mode, Mode::Serve(_));
        let (content, parsed) = rayon::join(
            || {
                timer.stage("load", || {
                    mode.load_content(|read| load::load_partial_with(root, c, drafts, read))
                })
            },
            || parse.then(|| timer.stage("templates", || Templates::load(root, dir))),
        );
        self.parsed = parsed;
        let (content, errors) = content?;
        if !errors.is_empty() {
            self.problems.hold_partial(errors);
        }
        self.unloaded = content.unloaded;
        let clashes = load::edition_folder_clashes(
            &content.pages,
            self.languages.iter().map(|l| l.prefix.as_str()),
        );
        if !clashes.is_empty() {
            self.problems.hold_partial(clashes);
        }
        // The translations are paired with their pages: one edition per language, each with
        // every page (a translation, else the original as a fallback).
        let pairing = i18n::editions(
            &self.languages,
            content.pages,
            content.translations,
            &self.unloaded,
        );
        if !pairing.errors.is_empty() {
            self.problems.hold_partial(pairing.errors);
        }
        self.warnings.extend(pairing.warnings);
        let mut editions = pairing.editions.into_iter();
        self.pages = editions.next().map(|e| e.pages).unwrap_or_default();
        self.outputs = load::outputs(&self.pages);
        self.extra = editions
            .map(|e| Extra {
                outputs: load::outputs(&e.pages),
                lang: e.lang,
                pages: e.pages,
                rendered: Vec::new(),
                unloaded: BTreeSet::new(),
            })
            .collect();
        Ok(())
    }

    /// `lint`: content-lint errors are held back, warnings kept for the summary.
    fn lint(&mut self) -> Result<(), BuildError> {
        let root = &self.opts.root;
        // Each language's pages against its own myth list (`lint/myths.toml` for the default
        // language, `lint/myths.<tag>.toml` for the translations; fallback pages are the
        // originals, already linted).
        let mut groups: Vec<(String, Vec<&load::Page>)> =
            vec![(lint::myths_file(None), self.pages.iter().collect())];
        for e in &self.extra {
            groups.push((
                lint::myths_file(Some(&e.lang.code)),
                e.pages.iter().filter(|p| !p.fallback).collect(),
            ));
        }
        let found = self.timer.stage("lint", || {
            let mut found = Vec::new();
            let mut errors = Vec::new();
            for (file, pages) in &groups {
                let myths = Path::new(file);
                if !root.join(myths).is_file() {
                    continue;
                }
                match lint::load_myths(root, myths) {
                    Ok(rules) => found.extend(
                        pages
                            .par_iter()
                            .flat_map_iter(|p| lint::lint_markdown(&p.file, &p.raw, &rules))
                            .collect::<Vec<_>>(),
                    ),
                    Err(e) => errors.extend(e),
                }
            }
            match errors.is_empty() {
                true => Ok(found),
                false => Err(errors),
            }
        })?;
        let (errors, warns): (Vec<_>, Vec<_>) = found
            .into_iter()
            .partition(|d| d.severity == Severity::Error);
        self.warnings.extend(warns);
        self.problems.hold(errors);
        Ok(())
    }

    /// `checker`: bad rules data does not change what the pages' Markdown and links are: its
    /// errors are held back, the pages' checker blocks are still validated but not rendered, and
    /// the run stops after `site` (the rules' own links are then not checked). The chain
    /// picture's data sits next to the rules; bad data is held back the same way, and the pages'
    /// ```chain blocks then render as nothing.
    fn checker(&mut self) {
        let (root, config) = (&self.opts.root, self.config);
        let by_lang: HashMap<&str, &HashMap<String, String>> = self
            .extra
            .iter()
            .map(|e| (e.lang.code.as_str(), &e.outputs))
            .collect();
        let loaded = self.timer.stage("checker", || {
            load_checker(root, config, &self.pages, &self.outputs, &by_lang)
        });
        let (data, failed) = match loaded {
            Ok(data) => (data, false),
            Err(e) => {
                self.problems.hold_partial(e);
                (None, true)
            }
        };
        let (chain, chain_failed) =
            match chain::load_chain(root, &chain::chain_path(&config.checker.rules)) {
                Ok(chain) => (chain, false),
                Err(e) => {
                    self.problems.hold_partial(e);
                    (None, true)
                }
            };
        self.checker = CheckerStage::new(data, failed, chain, chain_failed, &config.book.language);
        // The same per edition, in its language.
        self.extra_contexts = self
            .extra
            .iter()
            .map(|e| (e.lang.code.clone(), self.checker.context_in(&e.lang.code)))
            .collect();
    }

    /// `templates`: a page naming a template that does not exist cannot be rendered, but the
    /// Markdown and link checks do not need its template: held back like a bad page's errors.
    fn templates(&mut self) -> Result<Arc<Templates>, BuildError> {
        let (root, dir) = (&self.opts.root, &self.config.build.templates);
        let (mode, parsed) = (&mut self.mode, self.parsed.take());
        let templates = match parsed {
            Some(parsed) => mode.templates(|| parsed),
            None => self.timer.stage("templates", || {
                mode.templates(|| Templates::load(root, dir))
            }),
        };
        let templates = templates?;
        let mut missing = templates.check_pages(&self.pages);
        for e in &self.extra {
            let translations: Vec<load::Page> =
                e.pages.iter().filter(|p| !p.fallback).cloned().collect();
            missing.extend(templates.check_pages(&translations));
        }
        if !missing.is_empty() {
            self.problems.hold_partial(missing);
        }
        self.strings = i18n::Strings::load(root, dir, &self.languages)?;
        Ok(templates)
    }

    /// `markdown`: a page whose Markdown fails is treated like one that did not load: its errors
    /// are held back, links to it are not judged, and the other pages' links are still checked.
    fn markdown(&mut self, templates: &Templates) -> Result<(), BuildError> {
        let default_lang = self.config.book.language.clone();
        let default = Embeds {
            lang: self.lang_view(0),
            t: self.strings.table(&default_lang),
            default_t: self.strings.table(&default_lang),
            context: &self.checker.context,
        };
        let (mode, pages, outputs) = (&mut self.mode, &self.pages, &self.outputs);
        let results = self.timer.stage("markdown", || {
            markdown_of(
                templates,
                &self.checker,
                &default,
                pages,
                outputs,
                Some(mode),
                &default_lang,
            )
        })?;
        let (rendered, failed) = split_failed(results, &mut self.problems);
        self.rendered = rendered;
        for i in failed.into_iter().rev() {
            self.unloaded.insert(self.pages.remove(i).source);
        }
        let warnings = self
            .rendered
            .iter()
            .flat_map(|r| r.warnings.iter().cloned());
        self.warnings.extend(warnings);
        // The other editions: each in its language, its links to its own pages. Not cached
        // (the cache keeps the default edition's bodies by source path).
        for k in 0..self.extra.len() {
            let e = &self.extra[k];
            let null = serde_json::Value::Null;
            let embeds = Embeds {
                lang: self.lang_view(k + 1),
                t: self.strings.table(&e.lang.code),
                default_t: self.strings.table(&default_lang),
                context: self
                    .extra_contexts
                    .iter()
                    .find(|(code, _)| *code == e.lang.code)
                    .map_or(&null, |(_, c)| c),
            };
            let results = self.timer.stage("markdown", || {
                markdown_of(
                    templates,
                    &self.checker,
                    &embeds,
                    &e.pages,
                    &e.outputs,
                    None,
                    &default_lang,
                )
            })?;
            let (rendered, failed) = split_failed(results, &mut self.problems);
            let e = &mut self.extra[k];
            e.rendered = rendered;
            for i in failed.into_iter().rev() {
                e.unloaded.insert(e.pages.remove(i).source);
            }
            // A fallback page is the original, whose warnings are reported already.
            let warnings = (e.pages.iter().zip(&e.rendered))
                .filter(|(p, _)| !p.fallback)
                .flat_map(|(_, r)| r.warnings.iter().cloned())
                .collect::<Vec<_>>();
            self.warnings.extend(warnings);
        }
        Ok(())
    }

    /// `lang` in templates for edition `k` (0: the default language).
    fn lang_view(&self, k: usize) -> i18n::LangView {
        // The editions come in the order of the languages (see `i18n::editions`).
        let lang = self.languages.get(k);
        i18n::LangView {
            code: lang.map_or_else(|| self.config.book.language.clone(), |l| l.code.clone()),
            prefix: lang.map_or_else(String::new, |l| l.prefix.clone()),
        }
    }

    /// Every page's output in every edition.
    fn outputs_of(&self, sites: &Sites) -> i18n::Outputs {
        let default = self
            .languages
            .first()
            .cloned()
            .unwrap_or_else(|| i18n::Language {
                code: self.config.book.language.clone(),
                prefix: String::new(),
                title: String::new(),
                description: String::new(),
                is_default: true,
            });
        let mut list: Vec<(&i18n::Language, &[load::Page])> =
            vec![(&default, sites.default.pages.as_slice())];
        list.extend(sites.extra.iter().map(|(l, s)| (l, s.pages.as_slice())));
        i18n::Outputs::new(&list, &self.strings)
    }

    /// `assets`: the static files, and the checker's WebAssembly when the run writes a site
    /// that has a checker.
    fn assets(&mut self) -> Result<(), BuildError> {
        let (root, config) = (&self.opts.root, self.config);
        let writes = self.mode.writes();
        let wanted =
            self.checker.data.is_some() && writes && config.checker.wasm && !self.problems.partial;
        let mode = &mut self.mode;
        let (files, wasm) = self.timer.stage("assets", || -> Result<_, BuildError> {
            let files = assets::static_files(root, &config.build.r#static)?;
            let wasm = match wanted {
                true => Some(mode.wasm()?),
                false => None,
            };
            Ok((files, wasm))
        })?;
        self.static_files = files;
        self.wasm = wasm;
        Ok(())
    }

    /// Every file the build generates besides the pages.
    fn generated(&self, templates: &Templates) -> BTreeSet<String> {
        let mut generated: BTreeSet<String> =
            ["robots.txt", "404.html", crate::offline::SERVICE_WORKER]
                .map(String::from)
                .into();
        if let Some(w) = &self.wasm {
            generated.extend(w.files.iter().map(|(rel, _)| rel.clone()));
        }
        generated.extend(self.checker.rules_assets.iter().map(|(rel, _)| rel.clone()));
        // Theme outputs: the sitemap and feed need absolute URLs; the print edition needs its
        // template.
        if self.config.output.html.base_url.is_some() {
            generated.extend(["sitemap.xml", "atom.xml"].map(String::from));
        }
        if templates.has(render::PRINT_TEMPLATE) {
            generated.extend(render::print_outputs(&self.pages));
        }
        if self.search_enabled(templates) {
            generated.insert(search::INDEX_FILE.to_owned());
        }
        // Each other edition has its own 404 page, feed, print edition and index.
        for e in &self.extra {
            let p = &e.lang.prefix;
            generated.insert(format!("{p}404.html"));
            if self.config.output.html.base_url.is_some() {
                generated.insert(format!("{p}atom.xml"));
            }
            if templates.has(render::PRINT_TEMPLATE) {
                generated.extend(
                    render::print_outputs(&e.pages)
                        .into_iter()
                        .map(|o| format!("{p}{o}")),
                );
            }
            if self.search_enabled(templates) {
                generated.insert(format!("{p}{}", search::INDEX_FILE));
            }
        }
        generated
    }

    /// The index is only useful to a theme that loads it (partials/search.html).
    fn search_enabled(&self, templates: &Templates) -> bool {
        self.config.search.enabled && templates.has("partials/search.html")
    }

    /// `site`: the tree, the reading order and every internal link; a static file must not be
    /// silently replaced by a generated file or page.
    fn site(&mut self, templates: &Templates) -> Result<Sites, BuildError> {
        let t = Instant::now();
        let site = self.site_model(templates);
        self.timer.report("site", t);
        site
    }

    fn site_model(&mut self, templates: &Templates) -> Result<Sites, BuildError> {
        let generated = self.generated(templates);
        let static_dir = &self.config.build.r#static;
        let static_clashes: Vec<Diagnostic> = self
            .static_files
            .iter()
            .filter(|(rel, _)| generated.contains(rel))
            .map(|(rel, _)| {
                Diagnostic::error(
                    static_dir.join(rel),
                    format!(
                        "static file `{}` clashes with the generated `{rel}`",
                        static_dir.join(rel).display()
                    ),
                )
                .help(format!(
                    "the build writes `{rel}` itself; remove or rename the static file"
                ))
            })
            .collect();
        if !static_clashes.is_empty() {
            return Err(BuildError::Problems(static_clashes));
        }
        let mut extra = site::ExtraLinks {
            unloaded: std::mem::take(&mut self.unloaded),
            ..Default::default()
        };
        extra
            .files
            .extend(self.static_files.iter().map(|(rel, _)| rel.clone()));
        extra.files.extend(generated);
        // Links to the sitemap stay valid without a base URL (as before).
        extra.files.insert("sitemap.xml".to_owned());
        // Each language's rule links are checked in that language's edition (the default's
        // when the site has no such edition).
        let rules_file = self.config.checker.rules.as_path();
        let links = self
            .checker
            .data
            .as_ref()
            .map(checker::CheckerData::links)
            .unwrap_or_default();
        let langs: BTreeSet<String> = self.extra.iter().map(|e| e.lang.code.clone()).collect();
        let rules_in = |edition: Option<&str>| -> Vec<(&Path, String, usize)> {
            links
                .iter()
                .filter(|l| match edition {
                    Some(code) => l.lang == code,
                    None => !langs.contains(&l.lang),
                })
                .map(|l| (rules_file, l.href.clone(), l.line))
                .collect()
        };
        extra.rules = rules_in(None);
        let clashes: Vec<Diagnostic> = self
            .pages
            .iter()
            .chain(self.extra.iter().flat_map(|e| &e.pages))
            .filter(|p| extra.files.contains(&p.output))
            .map(|p| {
                Diagnostic::error(
                    &p.file,
                    format!(
                        "output path `{}` is also a static or generated file",
                        p.output
                    ),
                )
                .help("rename the page (or its `slug`) or the file in the static folder")
            })
            .collect();
        if !clashes.is_empty() {
            return Err(BuildError::Problems(clashes));
        }
        let mut errors = Vec::new();
        let mut others = Vec::new();
        for e in std::mem::take(&mut self.extra) {
            let mut unloaded = extra.unloaded.clone();
            unloaded.extend(e.unloaded);
            let links = site::ExtraLinks {
                rules: rules_in(Some(&e.lang.code)),
                files: extra.files.clone(),
                unloaded,
            };
            match site::Site::build(e.pages, e.rendered, &links) {
                Ok(mut s) => {
                    s.set_default_language(&self.config.book.language);
                    others.push((e.lang, s));
                }
                Err(d) => errors.extend(d),
            }
        }
        let pages = std::mem::take(&mut self.pages);
        let rendered = std::mem::take(&mut self.rendered);
        let default = site::Site::build(pages, rendered, &extra);
        match default {
            Ok(default) if errors.is_empty() => Ok(Sites {
                default,
                extra: others,
            }),
            Ok(_) => Err(BuildError::Problems(errors)),
            Err(mut d) => {
                d.extend(errors);
                Err(BuildError::Problems(d))
            }
        }
    }

    /// `sidebar`: the sidebars, and the parts every page's context shares.
    fn shared(
        &mut self,
        site: &site::Site,
        templates: &Templates,
        edition: usize,
        outputs: &Arc<i18n::Outputs>,
    ) -> Result<Shared<'a>, BuildError> {
        let mode = &mut self.mode;
        let sidebars = self.timer.stage("sidebar", || {
            mode.sidebars(site, edition, || render::render_sidebars(site, templates))
        })?;
        let lang = self.lang_view(edition);
        let mut site_context = SiteContext::new(self.config);
        let mut checker = self.checker.context.clone();
        if let Some(l) = self
            .languages
            .iter()
            .find(|l| l.code == lang.code && !l.is_default)
        {
            site_context.title = l.title.clone();
            site_context.description = l.description.clone();
            site_context.language = l.code.clone();
        }
        if let Some((_, context)) = self
            .extra_contexts
            .iter()
            .find(|(code, _)| *code == lang.code)
        {
            checker = context.clone();
        }
        Ok(Shared {
            site: site_context,
            edit_url_template: self.config.output.html.edit_url_template.as_deref(),
            checker_rules_json: self.checker.rules_json.clone(),
            checker,
            edition: render::EditionContext {
                index: edition,
                t: self.strings.table(&lang.code),
                lang,
                outputs: Arc::clone(outputs),
            },
            sidebars,
            checker_assets: self.wasm.as_ref().map(|w| CheckerAssets {
                js: w.js_path.clone(),
                wasm: w.wasm_path.clone(),
            }),
        })
    }

    /// Where the outputs go: a staging folder (`build`), memory (`serve`) or nowhere (`check`).
    fn sink(&mut self) -> Result<Option<Sink>, BuildError> {
        Ok(match &self.mode {
            Mode::Serve(c) => Some(Sink::memory(c)),
            Mode::Build => Some(Sink::disk(&self.out_dir, &self.protected)?),
            Mode::Check => None,
        })
    }

    /// `render`: every page through its template, the 404 page, and, alongside the pages, the
    /// search index (`search`) and the print edition (`print`).
    fn render(
        &mut self,
        site: &site::Site,
        templates: &Templates,
        shared: &Shared<'_>,
        staging: Option<&Sink>,
        default_edition: bool,
    ) -> Result<(), BuildError> {
        let t = Instant::now();
        let prefix = shared.edition.lang.prefix.clone();
        // The theme's label for footnote hits (the built-in Chinese one without string tables).
        let footnotes = match shared.edition.text("search.footnotes") {
            "search.footnotes" => search::FOOTNOTES.to_owned(),
            label => label.to_owned(),
        };
        let defer_aggregates = self.mode.defers_aggregates();
        // `check` writes nothing, and the index validates nothing: building it there is wasted
        // work.
        let build_search =
            self.mode.writes() && self.search_enabled(templates) && !defer_aggregates;
        let timer = &self.timer;
        let sink = |rel: &str, html: &[u8]| match staging {
            Some(s) => s.write(rel, html).map_err(|e| {
                Diagnostic::error(rel, format!("{e:#}"))
                    .help("check the output folder's permissions and free space")
            }),
            None => Ok(()),
        };
        let page_404 = render::render_404(site, templates, shared).map_err(|d| vec![d])?;
        // The search index and the print edition are the largest things a build holds: each is
        // built while the pages render (both are partly serial), written at once (the index's
        // many files in parallel) and dropped, instead of being kept until the write stage.
        let aggregates = || -> Result<(), BuildError> {
            let index = timer.stage("search", || match build_search {
                true => search::build_index_in(site, &prefix, &footnotes).map(Some),
                false => Ok(None),
            })?;
            if let (Some(s), Some(files)) = (staging, &index) {
                files
                    .par_iter()
                    .try_for_each(|(rel, bytes)| s.write(rel, bytes))?;
            }
            drop(index);
            if !defer_aggregates {
                timer.stage("print", || {
                    render::render_print(site, templates, shared, &sink).map_err(|d| vec![d])
                })?;
            }
            Ok(())
        };
        let mode = &mut self.mode;
        // `serve` keeps the default edition's pages (the others are rendered every time).
        let (aggregated, rendered) = rayon::join(aggregates, || match default_edition {
            true => mode.render_pages(site, templates, shared, &sink),
            false => render::render_all(site, templates, shared, &sink),
        });
        let path_404 = format!("{prefix}404.html");
        let result =
            rendered
                .map_err(BuildError::from)
                .and(aggregated)
                .and_then(|()| match staging {
                    Some(s) => Ok(s.write(&path_404, page_404.as_bytes())?),
                    None => Ok(()),
                });
        self.timer.report("render", t);
        result
    }

    /// `write`: the static files, the checker's files, the sitemap, feed and robots.txt; then
    /// the staging folder is swapped in.
    fn write(
        &mut self,
        sites: &Sites,
        staging: Option<Sink>,
    ) -> Result<Option<PathBuf>, BuildError> {
        let t = Instant::now();
        let result = match staging {
            Some(s) => self
                .write_rest(sites, &s)
                .and_then(|()| s.finish())
                .map(Some),
            None => Ok(None),
        };
        self.timer.report("write", t);
        Ok(result?)
    }

    fn write_rest(&self, sites: &Sites, s: &Sink) -> anyhow::Result<()> {
        let site = &sites.default;
        for (rel, src) in &self.static_files {
            s.copy(rel, src)?;
        }
        if let Some(w) = &self.wasm {
            for (rel, bytes) in &w.files {
                s.write(rel, bytes)?;
            }
        }
        for (rel, text) in &self.checker.rules_assets {
            s.write(rel, text.as_bytes())?;
        }
        let config = &self.config;
        let base = config.output.html.base_url.as_deref();
        if let Some(b) = base {
            let map = match sites.extra.is_empty() {
                true => assets::sitemap(site, b),
                false => {
                    let mut all = vec![(config.book.language.as_str(), site)];
                    all.extend(sites.extra.iter().map(|(l, s)| (l.code.as_str(), s)));
                    assets::sitemap_editions(&all, b)
                }
            };
            s.write("sitemap.xml", map.as_bytes())?;
            let feed = assets::FeedInfo {
                title: &config.book.title,
                description: &config.book.description,
                language: &config.book.language,
                authors: &config.book.authors,
                base_url: b,
            };
            s.write("atom.xml", assets::atom(site, &feed).as_bytes())?;
            for (lang, other) in &sites.extra {
                let feed = assets::FeedInfo {
                    title: &lang.title,
                    description: &lang.description,
                    language: &lang.code,
                    ..feed
                };
                let rel = format!("{}atom.xml", lang.prefix);
                s.write(
                    &rel,
                    assets::atom_edition(other, &feed, &lang.prefix).as_bytes(),
                )?;
            }
        }
        s.write(
            crate::offline::SERVICE_WORKER,
            self.service_worker(sites)?.as_bytes(),
        )?;
        s.write("robots.txt", assets::robots(base).as_bytes())
    }

    /// `sw.js` for this build (src/offline.rs): the home and checker pages of each edition, the
    /// static files and the checker's files.
    fn service_worker(&self, sites: &Sites) -> anyhow::Result<String> {
        let mut generated: Vec<(&str, &[u8])> = Vec::new();
        if let Some(w) = &self.wasm {
            generated.extend(w.files.iter().map(|(r, b)| (r.as_str(), b.as_slice())));
        }
        generated
            .extend((self.checker.rules_assets.iter()).map(|(r, t)| (r.as_str(), t.as_bytes())));
        let editions = std::iter::once(("", &sites.default))
            .chain(sites.extra.iter().map(|(l, s)| (l.prefix.as_str(), s)));
        let mut pages = Vec::new();
        for (prefix, site) in editions {
            for name in ["index.html", "checker.html"] {
                let rel = format!("{prefix}{name}");
                if site.pages.iter().any(|p| p.output == rel) {
                    pages.push(rel);
                }
            }
        }
        let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
        crate::offline::for_build(&self.static_files, &generated, &pages)
    }
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

/// Renders one edition's Markdown: links resolve to `outputs` (the edition's pages), checker
/// embeds and the chain picture come in the edition's language; a fallback page's own texts
/// (callout titles) stay in the default language, like the rest of its body.
fn markdown_of(
    templates: &Templates,
    c: &CheckerStage,
    embeds: &Embeds<'_>,
    pages: &[load::Page],
    outputs: &HashMap<String, String>,
    mode: Option<&mut Mode<'_>>,
    default_lang: &str,
) -> Result<Vec<incremental::MarkdownResult>, BuildError> {
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
    let render = |p: &load::Page| markdown::render(p, if p.fallback { &original } else { &cx });
    Ok(match mode {
        Some(m) => m.render_markdown(pages, outputs, &render),
        None => pages.par_iter().map(|p| render(p).map(Arc::new)).collect(),
    })
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn without_a_cache_every_page_is_rendered_every_time() {
        let raw = "+++\ntitle = \"A\"\n+++\nbody\n".to_owned();
        let page = match load::parse_page("a.md".into(), "content/a.md".into(), raw) {
            Ok(p) => p,
            Err(e) => panic!("test page does not parse: {e:?}"),
        };
        let pages = vec![page];
        let outputs = HashMap::from([("a.md".to_owned(), "a.html".to_owned())]);
        let calls = AtomicUsize::new(0);
        let render = |_: &load::Page| {
            calls.fetch_add(1, Ordering::SeqCst);
            Ok(markdown::Rendered::default())
        };
        for mut mode in [Mode::Check, Mode::Build, Mode::Check] {
            assert_eq!(mode.render_markdown(&pages, &outputs, &render).len(), 1);
        }
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        assert!(!Mode::Build.defers_aggregates());
    }

    #[test]
    fn held_problems_join_a_later_stage_sorted_and_a_fatal_error_stands_alone() {
        let mut p = Problems::default();
        p.hold([Diagnostic::error("b.md", "lint")]);
        assert!(
            p.stop_if_partial().is_ok(),
            "lint errors alone do not stop at `site`"
        );
        let joined = p.finish(BuildError::Problems(vec![Diagnostic::error(
            "a.md", "link",
        )]));
        let files = match joined {
            BuildError::Problems(d) => d.into_iter().map(|d| d.file).collect::<Vec<_>>(),
            BuildError::Fatal(e) => panic!("unexpected fatal error {e:#}"),
        };
        assert_eq!(files, [PathBuf::from("a.md"), PathBuf::from("b.md")]);

        let mut p = Problems::default();
        p.hold_partial([Diagnostic::error("c.md", "bad page")]);
        assert!(matches!(p.stop_if_partial(), Err(BuildError::Problems(d)) if d.len() == 1));
        p.hold([Diagnostic::error("c.md", "lint")]);
        assert!(matches!(
            p.finish(BuildError::Fatal(anyhow::anyhow!("disk full"))),
            BuildError::Fatal(_)
        ));
        // A held error stops the run before anything is written, once.
        assert!(matches!(p.stop_if_any(), Err(BuildError::Problems(d)) if d.len() == 1));
        assert!(p.stop_if_any().is_ok());
    }
}
