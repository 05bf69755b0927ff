//! beian-guide: turns `content/` and `templates/` into a static site (the pipeline lives here).
//!
//! `build` and `check` run the same stages in order — config, load, lint, checker, templates,
//! markdown, assets, site, sidebar, render, write — and stop after the first stage that finds
//! problems, returning all of that stage's problems at once as [`diagnostic::Diagnostics`].
//! Some errors are held back instead and reported with the next failing stage, or alone before
//! anything is written: content-lint errors, and the problems that concern one page or the
//! checker rules only — a page whose file or Markdown is bad (the stages up to `site` go on
//! without it; links to it are not judged), a page naming a missing template, bad rules data
//! (checker blocks are then validated but not rendered). After any of those the run stops once
//! `site` has checked the links, so one bad page does not hide broken links elsewhere.

pub mod assets;
pub mod chain;
pub mod checker;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod freshness;
pub mod i18n;
pub mod incremental;
pub mod lint;
pub mod load;
pub mod markdown;
pub mod new;
pub mod paths;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod wasm;
pub mod write;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::render::{CheckerAssets, Shared, SiteContext, Templates};

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

/// Builds the site into its output folder.
pub fn build(opts: &BuildOptions) -> anyhow::Result<Summary> {
    run_reporting_lint(opts, true, None)
}

/// Builds the site into memory for `serve`, redoing only what changed since the last run with
/// the same `cache` (see [`incremental`]). On success the site is `cache.files()`; on failure
/// the last good site stays there.
pub fn build_incremental(
    opts: &BuildOptions,
    cache: &mut incremental::Cache,
) -> anyhow::Result<Summary> {
    let result = run_reporting_lint(opts, true, Some(&mut *cache));
    match &result {
        Ok(_) => cache.commit(),
        Err(_) => cache.abandon(),
    }
    result
}

/// Runs the whole pipeline without writing anything (and without compiling the WebAssembly).
pub fn check(opts: &BuildOptions) -> anyhow::Result<Summary> {
    run_reporting_lint(opts, false, None)
}

/// Content-lint errors do not stop the stages after them (they are independent of the site
/// model), so they are reported together with the problems those stages find; the run still
/// fails before anything is written.
fn run_reporting_lint(
    opts: &BuildOptions,
    write: bool,
    cache: Option<&mut incremental::Cache>,
) -> anyhow::Result<Summary> {
    let mut lint_errors = Vec::new();
    run(opts, write, &mut lint_errors, cache).map_err(|e| match e.downcast::<Diagnostics>() {
        Ok(Diagnostics(later)) => {
            lint_errors.extend(later);
            fail(lint_errors)
        }
        // An I/O or WebAssembly failure is reported alone: it is not about the content.
        Err(e) => e,
    })
}

/// Prints stage times when verbose.
struct Timer {
    verbose: bool,
    start: Instant,
}

impl Timer {
    fn stage<T>(&self, name: &str, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        if self.verbose {
            eprintln!(
                "  {name:<10} {:>8.1} ms",
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
        out
    }
}

/// Turns a stage's problems into the run's error (warnings alone do not fail).
fn fail(mut diags: Vec<Diagnostic>) -> anyhow::Error {
    diags.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    anyhow::Error::new(Diagnostics(diags))
}

fn stage_result<T>(r: Result<T, Vec<Diagnostic>>) -> anyhow::Result<T> {
    r.map_err(fail)
}

// The page sink returns a `Diagnostic` by value on the (rare) failure path.
#[allow(clippy::result_large_err)]
fn run(
    opts: &BuildOptions,
    write: bool,
    lint_errors: &mut Vec<Diagnostic>,
    mut cache: Option<&mut incremental::Cache>,
) -> anyhow::Result<Summary> {
    let timer = Timer {
        verbose: opts.verbose,
        start: Instant::now(),
    };
    let root = &opts.root;

    let mut config = timer.stage("config", || stage_result(config::load(root)))?;
    if let Some(url) = &opts.base_url {
        // The same rule as `[output.html] base-url` in book.toml.
        let u = paths::check_base_url(url).map_err(|e| {
            fail(vec![Diagnostic::error(
                "--base-url",
                format!("`--base-url` {e}"),
            )
            .help(
                "pass an absolute http(s) URL, e.g. `--base-url https://example.org/guide/`",
            )])
        })?;
        config.output.html.base_url = Some(u);
    }
    let out_dir = opts
        .out
        .clone()
        .unwrap_or_else(|| root.join(&config.build.build_dir));
    let protected = protected_paths(opts, &config);
    if write && cache.is_none() {
        // Refused before any work, and again when the staging folder is made.
        write::check_output(&out_dir, &protected)?;
    }

    let (content, load_errors) = timer.stage("load", || {
        stage_result(load::load_partial(root, &config.build.content, opts.drafts))
    })?;
    // A page whose own file is bad must not hide the other pages' problems: its errors are held
    // back like the content lint's, the stages up to `site` check the pages that did load
    // (links to the others are not checked), and the run stops after `site`.
    let mut partial = !load_errors.is_empty();
    lint_errors.extend(load_errors);
    let pages = content.pages;
    let mut unloaded = content.unloaded;
    let mut warnings = Vec::new();
    timer.stage("lint", || -> anyhow::Result<()> {
        let myths = Path::new(lint::MYTHS_FILE);
        if !root.join(myths).is_file() {
            return Ok(());
        }
        let rules = stage_result(lint::load_myths(root, myths))?;
        let diags: Vec<Diagnostic> = pages
            .par_iter()
            .flat_map_iter(|p| lint::lint_markdown(&p.file, &p.raw, &rules))
            .collect();
        let (errors, warns): (Vec<_>, Vec<_>) = diags
            .into_iter()
            .partition(|d| d.severity == Severity::Error);
        warnings.extend(warns);
        lint_errors.extend(errors);
        Ok(())
    })?;

    let outputs: HashMap<String, String> = pages
        .iter()
        .map(|p| (p.source.clone(), p.output.clone()))
        .collect();
    // Bad rules data does not change what the pages' Markdown and links are: its errors are
    // held back, the pages' checker blocks are still validated but not rendered, and the run
    // stops after `site` (the rules' own links are then not checked).
    let (checker, checker_failed) = timer.stage("checker", || {
        match load_checker(root, &config, &pages, &outputs) {
            Ok(c) => (c, false),
            Err(e) => {
                lint_errors.extend(e);
                (None, true)
            }
        }
    });
    partial |= checker_failed;
    // The chain picture's data sits next to the rules (it does not depend on them); bad data
    // is held back like bad rules, and the pages' ```chain blocks then render as nothing.
    let (chain, chain_failed) =
        match chain::load_chain(root, &chain::chain_path(&config.checker.rules)) {
            Ok(c) => (c, false),
            Err(e) => {
                lint_errors.extend(e);
                (None, true)
            }
        };
    partial |= chain_failed;

    let templates = timer.stage("templates", || {
        incremental::templates(cache.as_deref_mut(), || {
            stage_result(Templates::load(root, &config.build.templates))
        })
    })?;
    // A page naming a template that does not exist cannot be rendered, but the Markdown and
    // link checks do not need its template: held back like a bad page's errors.
    let missing_templates = templates.check_pages(&pages);
    if !missing_templates.is_empty() {
        partial = true;
        lint_errors.extend(missing_templates);
    }
    let lang = config.book.language.clone();
    // The rules as their own content-hashed file, so that a page with an embedded widget
    // fetches a few KB of JSON instead of the whole checker page; its path is in the template
    // context (`checker.rules_url`) before the Markdown stage renders the embeds.
    let rules_json = checker.as_ref().map(|c| c.rules_json()).unwrap_or_default();
    let rules_asset = checker.as_ref().map(|_| {
        let rel = format!(
            "{}/rules.{}.json",
            wasm::OUTPUT_DIR,
            wasm::content_hash(rules_json.as_bytes())
        );
        (rel, rules_json.clone())
    });
    // Its classic-script twin (`rules.<hash>.js`, same hash) for embeds: pages opened from
    // file:// cannot fetch the JSON, but they can run a script.
    let rules_js_asset = rules_asset
        .as_ref()
        .map(|(rel, json)| (wasm::rules_script_path(rel), wasm::rules_script(json)));
    let mut checker_context = checker
        .as_ref()
        .map_or(serde_json::Value::Null, |c| c.template_context(&lang));
    if let (serde_json::Value::Object(m), Some((rel, _))) = (&mut checker_context, &rules_asset) {
        m.insert("rules_url".to_owned(), rel.clone().into());
    }
    if let (serde_json::Value::Object(m), Some(c)) = (&mut checker_context, &chain) {
        m.insert("chain".to_owned(), c.template_context());
    }
    // The picture is the same on every page (it has no links), so it is drawn once.
    let chain_html = match &chain {
        Some(c) => Some(render_chain(&templates, c).map_err(fail)?),
        None if chain_failed => Some(String::new()),
        None => None,
    };

    let results = timer.stage("markdown", || {
        let embed = |preset: &serde_json::Map<String, serde_json::Value>,
                     instance: usize,
                     page_root: &str| {
            if checker_failed {
                return Ok(String::new());
            }
            embed_widget(
                &templates,
                checker.is_some(),
                &checker_context,
                preset,
                instance,
                page_root,
            )
        };
        let cx = markdown::MarkdownContext {
            outputs: &outputs,
            language: &lang,
            embed_checker: &embed,
            embed_chain: chain_html.as_deref(),
        };
        incremental::render_markdown(cache.as_deref_mut(), &pages, &outputs, &|p| {
            markdown::render(p, &cx)
        })
    });
    // A page whose Markdown fails is treated like one that did not load: its errors are held
    // back, links to it are not judged, and the other pages' links are still checked.
    let mut pages = pages;
    let mut rendered = Vec::with_capacity(results.len());
    let mut failed = Vec::new();
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Ok(r) => rendered.push(r),
            Err(e) => {
                lint_errors.extend(e);
                failed.push(i);
            }
        }
    }
    for i in failed.into_iter().rev() {
        unloaded.insert(pages.remove(i).source);
        partial = true;
    }

    let (static_files, wasm_assets) = timer.stage("assets", || -> anyhow::Result<_> {
        let files = stage_result(assets::static_files(root, &config.build.r#static))?;
        let wasm = match &checker {
            Some(_) if write && config.checker.wasm && !partial => Some(
                // Compiled into the binary by build.rs: nothing is spawned here.
                incremental::wasm_assets(cache.as_deref_mut(), || Ok(wasm::embedded()))?,
            ),
            _ => None,
        };
        Ok((files, wasm))
    })?;

    let rules_file = config.checker.rules.clone();
    // The index is only useful to a theme that loads it (partials/search.html).
    let search_enabled = config.search.enabled && templates.has("partials/search.html");
    let site = timer.stage("site", || {
        let mut extra = site::ExtraLinks {
            unloaded,
            ..Default::default()
        };
        // Every file the build generates besides the pages.
        let mut generated: BTreeSet<String> = ["robots.txt", "404.html"].map(String::from).into();
        if let Some(w) = &wasm_assets {
            generated.extend(w.files.iter().map(|(rel, _)| rel.clone()));
        }
        for (rel, _) in rules_asset.iter().chain(&rules_js_asset) {
            generated.insert(rel.clone());
        }
        // Theme outputs: the sitemap and feed need absolute URLs; the print edition needs its
        // template.
        if config.output.html.base_url.is_some() {
            generated.extend(["sitemap.xml", "atom.xml"].map(String::from));
        }
        if templates.has(render::PRINT_TEMPLATE) {
            generated.extend(render::print_outputs(&pages));
        }
        if search_enabled {
            generated.insert(search::INDEX_FILE.to_owned());
        }
        // A static file must not be silently replaced by a generated one.
        let static_dir = &config.build.r#static;
        let static_clashes: Vec<Diagnostic> = static_files
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
            return Err(fail(static_clashes));
        }
        extra
            .files
            .extend(static_files.iter().map(|(rel, _)| rel.clone()));
        extra.files.extend(generated);
        // Links to the sitemap stay valid without a base URL (as before).
        extra.files.insert("sitemap.xml".to_owned());
        if let Some(c) = &checker {
            extra.rules = c
                .links()
                .into_iter()
                .map(|l| (rules_file.as_path(), l.href, l.line))
                .collect();
        }
        // A static file must not silently replace a generated page.
        let clashes: Vec<Diagnostic> = pages
            .iter()
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
            return Err(fail(clashes));
        }
        stage_result(site::Site::build(pages, rendered, &extra))
    })?;
    if partial {
        // Rendering a site with pages (or a page's template) missing would only report
        // artefacts of the gap.
        return Err(fail(std::mem::take(lint_errors)));
    }

    let defer_aggregates = incremental::defers(cache.as_deref());
    // `check` writes nothing, and the index validates nothing: building it there is wasted work.
    let build_search = write && search_enabled && !defer_aggregates;

    let sidebars = timer.stage("sidebar", || {
        stage_result(render::render_sidebars(&site, &templates))
    })?;
    let shared = Shared {
        site: SiteContext::new(&config),
        edit_url_template: config.output.html.edit_url_template.as_deref(),
        checker_rules_json: rules_json,
        checker: checker_context.clone(),
        sidebars,
        checker_assets: wasm_assets.as_ref().map(|w| CheckerAssets {
            js: w.js_path.clone(),
            wasm: w.wasm_path.clone(),
        }),
    };

    if !lint_errors.is_empty() {
        return Err(fail(std::mem::take(lint_errors)));
    }
    let staging = match (&cache, write) {
        (Some(c), _) => Some(incremental::Sink::memory(c)),
        (None, true) => Some(incremental::Sink::disk(&out_dir, &protected)?),
        (None, false) => None,
    };
    timer.stage("render", || {
        let sink = |rel: &str, html: &[u8]| match &staging {
            Some(s) => s.write(rel, html).map_err(|e| {
                Diagnostic::error(rel, format!("{e:#}"))
                    .help("check the output folder's permissions and free space")
            }),
            None => Ok(()),
        };
        let page_404 = render::render_404(&site, &templates, &shared).map_err(|d| fail(vec![d]))?;
        // The search index and the print edition are the largest things a build holds: each is
        // built while the pages render (both are partly serial), written at once (the index's
        // many files in parallel) and dropped, instead of being kept until the write stage.
        let aggregates = || -> anyhow::Result<()> {
            let index = timer.stage("search", || match build_search {
                true => search::build_index(&site).map(Some),
                false => Ok(None),
            })?;
            if let (Some(s), Some(files)) = (&staging, &index) {
                files
                    .par_iter()
                    .try_for_each(|(rel, bytes)| s.write(rel, bytes))?;
            }
            drop(index);
            if !defer_aggregates {
                timer.stage("print", || {
                    render::render_print(&site, &templates, &shared, &sink)
                        .map_err(|d| fail(vec![d]))
                })?;
            }
            Ok(())
        };
        let (aggregated, rendered) = rayon::join(aggregates, || {
            incremental::render_pages(cache, &site, &templates, &shared, &sink)
        });
        stage_result(rendered)?;
        aggregated?;
        if let Some(s) = &staging {
            s.write("404.html", page_404.as_bytes())?;
        }
        anyhow::Ok(())
    })?;

    let summary_pages = site.pages.len();
    let out = timer.stage("write", || -> anyhow::Result<Option<PathBuf>> {
        let Some(s) = staging else { return Ok(None) };
        for (rel, src) in &static_files {
            s.copy(rel, src)?;
        }
        if let Some(w) = &wasm_assets {
            for (rel, bytes) in &w.files {
                s.write(rel, bytes)?;
            }
        }
        for (rel, text) in rules_asset.iter().chain(&rules_js_asset) {
            s.write(rel, text.as_bytes())?;
        }
        let base = config.output.html.base_url.as_deref();
        if let Some(b) = base {
            s.write("sitemap.xml", assets::sitemap(&site, b).as_bytes())?;
            let feed = assets::FeedInfo {
                title: &config.book.title,
                description: &config.book.description,
                language: &config.book.language,
                authors: &config.book.authors,
                base_url: b,
            };
            s.write("atom.xml", assets::atom(&site, &feed).as_bytes())?;
        }
        s.write("robots.txt", assets::robots(base).as_bytes())?;
        s.finish().map(Some)
    })?;
    if opts.verbose {
        eprintln!(
            "  {:<10} {:>8.1} ms",
            "total",
            timer.start.elapsed().as_secs_f64() * 1000.0
        );
    }
    Ok(Summary {
        pages: summary_pages,
        out,
        warnings,
    })
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

/// Loads the checker rules when the rules file exists; when it does not, the checker is absent,
/// which is only an error if a page needs it.
fn load_checker(
    root: &Path,
    config: &config::Config,
    pages: &[load::Page],
    outputs: &HashMap<String, String>,
) -> Result<Option<checker::CheckerData>, Vec<Diagnostic>> {
    let rules = &config.checker.rules;
    if root.join(rules).is_file() {
        let mut data = checker::load_rules(root, rules)?;
        data.resolve_links(&|href: &str| {
            let (path, anchor) = href
                .split_once('#')
                .map_or((href, None), |(p, a)| (p, Some(a)));
            outputs.get(path).map(|o| match anchor {
                Some(a) => format!("{o}#{a}"),
                None => o.clone(),
            })
        });
        return Ok(Some(data));
    }
    let users: Vec<Diagnostic> = pages
        .iter()
        .filter(|p| Templates::template_for(p) == "checker.html" || p.body().contains("```checker"))
        .map(|p| {
            let line = p
                .raw
                .lines()
                .position(|l| l.trim_start().starts_with("```checker"))
                .map(|i| i + 1)
                .or_else(|| config::key_line(&p.raw, "template"));
            let d = Diagnostic::error(
                &p.file,
                format!(
                    "this page uses the checker but the rules file `{}` does not exist",
                    rules.display()
                ),
            )
            .help("create the rules file, or set `[checker] rules` in book.toml");
            match line {
                Some(l) => d.at(l, None).with_source(&p.raw),
                None => d,
            }
        })
        .collect();
    if users.is_empty() {
        Ok(None)
    } else {
        Err(users)
    }
}

/// Draws the chain picture (`partials/chain.html`) for ```` ```chain ```` blocks.
fn render_chain(templates: &Templates, chain: &chain::Chain) -> Result<String, Vec<Diagnostic>> {
    const PARTIAL: &str = "partials/chain.html";
    let help = "fix the template, or remove content/checker/chain.toml to go without the picture";
    if !templates.has(PARTIAL) {
        return Err(vec![Diagnostic::error(
            PARTIAL,
            format!("the site has chain data but no template `{PARTIAL}`"),
        )
        .help(help)]);
    }
    let mut cx = tera::Context::new();
    cx.insert("chain", &chain.template_context());
    templates
        .tera
        .render(PARTIAL, &cx)
        .map_err(|e| vec![Diagnostic::error(PARTIAL, render::tera_chain(&e)).help(help)])
}

/// Renders `partials/checker-widget.html` for one ```` ```checker ```` block.
fn embed_widget(
    templates: &Templates,
    present: bool,
    checker: &serde_json::Value,
    preset: &serde_json::Map<String, serde_json::Value>,
    instance: usize,
    root: &str,
) -> Result<String, String> {
    const WIDGET: &str = "partials/checker-widget.html";
    if !present {
        return Err("the site has no checker rules file".to_owned());
    }
    if !templates.has(WIDGET) {
        return Err(format!("template `{WIDGET}` does not exist"));
    }
    let query: Vec<String> = preset
        .iter()
        .map(|(k, v)| {
            let v = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!(
                "{}={}",
                paths::encode_query_component(k),
                paths::encode_query_component(&v)
            )
        })
        .collect();
    let mut cx = tera::Context::new();
    cx.insert("preset", preset);
    cx.insert("preset_query", &query.join("&"));
    cx.insert("instance", &instance);
    cx.insert("root", root);
    cx.insert("checker", checker);
    templates
        .tera
        .render(WIDGET, &cx)
        .map_err(|e| render::tera_chain(&e))
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
