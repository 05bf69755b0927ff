//! The stage methods of [`Build`], in the order `Build::stages` runs them (the crate
//! documentation lists the stages).
// The page sink returns a `Diagnostic` by value on the (rare) failure path.
#![allow(clippy::result_large_err)]

use super::*;

impl<'a, 'm> Build<'a, 'm> {
    pub(super) fn stages(&mut self) -> Result<Summary, BuildError> {
        self.load()?;
        self.checker();
        let templates = self.templates()?;
        self.markdown(&templates)?;
        self.lint()?;
        self.assets()?;
        let sites = self.site(&templates)?;
        self.problems.stop_if_partial()?;
        let outputs = Arc::new(self.outputs_of(&sites));
        let shared = (sites.iter().enumerate())
            .map(|(k, e)| self.shared(k, e, &templates, &outputs))
            .collect::<Result<Vec<_>, _>>()?;
        self.problems.stop_if_any()?;
        let sink = self.sink()?;
        for (k, (e, shared)) in sites.iter().zip(&shared).enumerate() {
            self.render(k, &e.site, &templates, shared, sink.as_ref())?;
        }
        let out = self.write(&sites, sink)?;
        if self.opts.verbose {
            eprintln!(
                "  {:<10} {:>8.1} ms",
                "total",
                self.timer.start.elapsed().as_secs_f64() * 1000.0
            );
        }
        Ok(Summary {
            pages: sites.iter().map(|e| e.site.pages.len()).sum(),
            out,
            warnings: std::mem::take(&mut self.warnings),
        })
    }

    /// The run's state after `config`; `build` refuses a bad output folder before any work.
    pub(super) fn new(
        opts: &'a BuildOptions,
        mode: Mode<'m>,
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
            checker: CheckerStage::default(),
            static_files: Vec::new(),
            wasm: None,
            strings: i18n::Strings::default(),
            editions: Vec::new(),
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
        if let Mode::Check(Some(ContentLint(lint))) = &mut self.mode {
            lint(self.config, &content);
        }
        let languages = i18n::languages(self.config);
        let clashes = load::edition_folder_clashes(
            &content.pages,
            languages.iter().map(|l| l.prefix.as_str()),
        );
        if !clashes.is_empty() {
            self.problems.hold_partial(clashes);
        }
        // The translations are paired with their pages: one edition per language, each with
        // every page (a translation, else the original as a fallback).
        let pairing = i18n::editions(
            &languages,
            content.pages,
            content.translations,
            &content.unloaded,
        );
        if !pairing.errors.is_empty() {
            self.problems.hold_partial(pairing.errors);
        }
        self.warnings.extend(pairing.warnings);
        self.editions = (pairing.editions.into_iter())
            .map(|e| Edition {
                outputs: load::outputs(&e.pages),
                lang: e.lang,
                pages: e.pages,
                rendered: Vec::new(),
                unloaded: content.unloaded.clone(),
                failed: Vec::new(),
                checker: serde_json::Value::Null,
            })
            .collect();
        Ok(())
    }

    /// `checker`: bad rules data does not change what the pages' Markdown and links are: its
    /// errors are held back, the pages' checker blocks are still validated but not rendered, and
    /// the run stops after `site` (the rules' own links are then not checked). The chain
    /// picture's data sits next to the rules; bad data is held back the same way, and the pages'
    /// ```chain blocks then render as nothing.
    fn checker(&mut self) {
        let (root, config) = (&self.opts.root, self.config);
        let loaded = self
            .timer
            .stage("checker", || match self.editions.split_first() {
                Some((default, others)) => {
                    let by_lang: HashMap<&str, &HashMap<String, String>> = (others.iter())
                        .map(|e| (e.lang.code.as_str(), &e.outputs))
                        .collect();
                    load_checker(root, config, &default.pages, &default.outputs, &by_lang)
                }
                None => Ok(None),
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
        for e in &mut self.editions {
            e.checker = match e.lang.is_default {
                true => self.checker.context.clone(),
                false => self.checker.context_in(&e.lang.code),
            };
        }
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
        let missing: Vec<Diagnostic> = (self.editions.iter())
            .flat_map(|e| templates.check_pages(e.own_pages()))
            .collect();
        if !missing.is_empty() {
            self.problems.hold_partial(missing);
        }
        let languages: Vec<i18n::Language> = self.editions.iter().map(|e| e.lang.clone()).collect();
        self.strings = i18n::Strings::load(root, dir, &languages)?;
        Ok(templates)
    }

    /// `markdown`: a page whose Markdown fails is treated like one that did not load: its errors
    /// are held back, links to it are not judged, and the other pages' links are still checked.
    /// Each edition renders in its language, its links to its own pages; a fallback page whose
    /// rendering does not depend on where it is written reuses the default edition's.
    fn markdown(&mut self, templates: &Templates) -> Result<(), BuildError> {
        let default_lang = self.config.book.language.as_str();
        for k in 0..self.editions.len() {
            let (done, rest) = self.editions.split_at_mut(k);
            let e = &mut rest[0];
            let embeds = Embeds {
                lang: e.lang_view(),
                t: self.strings.table(&e.lang.code),
                default_t: self.strings.table(default_lang),
                context: &e.checker,
            };
            // The default edition's rendering of each source, for fallback pages.
            let originals: HashMap<&str, &Arc<markdown::Rendered>> = match done.first() {
                Some(d) => (d.pages.iter().map(|p| p.source.as_str()))
                    .zip(&d.rendered)
                    .filter(|(_, r)| r.portable)
                    .collect(),
                None => HashMap::new(),
            };
            let input = MarkdownInput {
                templates,
                checker: &self.checker,
                embeds: &embeds,
                default_lang,
                originals: &originals,
            };
            let mode = &mut self.mode;
            let results = self.timer.stage("markdown", || {
                markdown_of(&input, k, &e.pages, &e.outputs, mode)
            })?;
            let (rendered, failed) = split_failed(results, &mut self.problems);
            e.rendered = rendered;
            for i in failed.into_iter().rev() {
                let page = e.pages.remove(i);
                e.unloaded.insert(page.source.clone());
                e.failed.push(page);
            }
            // A fallback page is the original, whose warnings are reported already.
            let warnings = (e.pages.iter().zip(&e.rendered))
                .filter(|(p, _)| !p.fallback)
                .flat_map(|(_, r)| r.warnings.iter().cloned());
            self.warnings.extend(warnings);
        }
        Ok(())
    }

    /// `lint`: each language's pages against its own myth list (`lint/myths.toml` for the
    /// default language, `lint/myths.<tag>.toml` for the translations; fallback pages are the
    /// originals, already linted), over the lines the Markdown pass found to be text (a page
    /// whose Markdown failed is parsed for them). Content-lint errors are held back, warnings
    /// kept for the summary.
    fn lint(&mut self) -> Result<(), BuildError> {
        let root = &self.opts.root;
        let editions = &self.editions;
        let found = self.timer.stage("lint", || {
            let mut found = Vec::new();
            let mut errors = Vec::new();
            for e in editions {
                let file = lint::myths_file((!e.lang.is_default).then_some(e.lang.code.as_str()));
                let myths = Path::new(&file);
                if !root.join(myths).is_file() {
                    continue;
                }
                let rules = match lint::load_myths(root, myths) {
                    Ok(rules) => rules,
                    Err(d) => {
                        errors.extend(d);
                        continue;
                    }
                };
                let rendered: Vec<_> = (e.pages.iter().zip(&e.rendered))
                    .filter(|(p, _)| !p.fallback)
                    .collect();
                found.extend(
                    rendered
                        .par_iter()
                        .flat_map_iter(|(p, r)| {
                            lint::lint_lines(&p.file, &p.raw, &r.lint_lines, &rules)
                        })
                        .collect::<Vec<_>>(),
                );
                let failed = e.failed.iter().filter(|p| !p.fallback);
                found.extend(failed.flat_map(|p| markdown::lint_myths(&p.file, &p.raw, &rules)));
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
        // Only the lint reads the pages whose Markdown failed.
        for e in &mut self.editions {
            e.failed = Vec::new();
        }
        Ok(())
    }

    /// Every page's output in every edition.
    fn outputs_of(&self, sites: &[EditionSite]) -> i18n::Outputs {
        let list: Vec<(&i18n::Language, &[load::Page])> = (sites.iter())
            .map(|e| (&e.lang, e.site.pages.as_slice()))
            .collect();
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

    /// Every file the build generates besides the pages: robots.txt and the sitemap once, and
    /// in each edition's folder its 404 page, feed, print edition and search index.
    fn generated(&self, templates: &Templates) -> BTreeSet<String> {
        let mut generated: BTreeSet<String> = ["robots.txt", crate::offline::SERVICE_WORKER]
            .map(String::from)
            .into();
        if let Some(w) = &self.wasm {
            generated.extend(w.files.iter().map(|(rel, _)| rel.clone()));
        }
        generated.extend(self.checker.rules_assets.iter().map(|(rel, _)| rel.clone()));
        // Theme outputs: the sitemap and feed need absolute URLs; the print edition needs its
        // template.
        let base_url = self.config.output.html.base_url.is_some();
        if base_url {
            generated.insert("sitemap.xml".to_owned());
        }
        for e in &self.editions {
            let p = &e.lang.prefix;
            generated.insert(format!("{p}404.html"));
            if base_url {
                generated.insert(format!("{p}atom.xml"));
            }
            if templates.has(render::PRINT_TEMPLATE) {
                let print = render::print_outputs(&e.pages).into_iter();
                generated.extend(print.map(|o| format!("{p}{o}")));
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
    fn site(&mut self, templates: &Templates) -> Result<Vec<EditionSite>, BuildError> {
        let t = Instant::now();
        let site = self.site_model(templates);
        self.timer.report("site", t);
        site
    }

    fn site_model(&mut self, templates: &Templates) -> Result<Vec<EditionSite>, BuildError> {
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
        let mut files: BTreeSet<String> = generated;
        files.extend(self.static_files.iter().map(|(rel, _)| rel.clone()));
        // Links to the sitemap stay valid without a base URL (as before).
        files.insert("sitemap.xml".to_owned());
        let clashes: Vec<Diagnostic> = (self.editions.iter())
            .flat_map(|e| &e.pages)
            .filter(|p| files.contains(&p.output))
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
        // Each language's rule links are checked in that language's edition (the default's
        // when the site has no such edition).
        let rules_file = self.config.checker.rules.as_path();
        let links = self
            .checker
            .data
            .as_ref()
            .map(checker::CheckerData::links)
            .unwrap_or_default();
        let langs: BTreeSet<&str> = (self.editions.iter())
            .filter(|e| !e.lang.is_default)
            .map(|e| e.lang.code.as_str())
            .collect();
        let rules_in = |e: &Edition| -> Vec<(&Path, String, usize)> {
            (links.iter())
                .filter(|l| match e.lang.is_default {
                    true => !langs.contains(l.lang.as_str()),
                    false => l.lang == e.lang.code,
                })
                .map(|l| (rules_file, l.href.clone(), l.line))
                .collect()
        };
        let mut extra: Vec<site::ExtraLinks<'_>> = (self.editions.iter())
            .map(|e| site::ExtraLinks {
                rules: rules_in(e),
                files: files.clone(),
                unloaded: e.unloaded.clone(),
            })
            .collect();
        drop(files);
        // Links to a page that is missing in the default edition are not judged in any.
        if let Some((default, others)) = extra.split_first_mut() {
            for o in others {
                o.unloaded.extend(default.unloaded.iter().cloned());
            }
        }
        let mut errors = Vec::new();
        let mut sites = Vec::with_capacity(self.editions.len());
        for (e, links) in std::mem::take(&mut self.editions).into_iter().zip(&extra) {
            match site::Site::build(e.pages, e.rendered, links) {
                Ok(mut site) => {
                    site.set_default_language(&self.config.book.language);
                    sites.push(EditionSite {
                        lang: e.lang,
                        site,
                        checker: e.checker,
                    });
                }
                Err(d) => errors.extend(d),
            }
        }
        match errors.is_empty() {
            true => Ok(sites),
            false => Err(BuildError::Problems(errors)),
        }
    }

    /// `sidebar`: the sidebars, and the parts every page's context shares.
    fn shared(
        &mut self,
        k: usize,
        e: &EditionSite,
        templates: &Templates,
        outputs: &Arc<i18n::Outputs>,
    ) -> Result<Shared<'a>, BuildError> {
        let (mode, site) = (&mut self.mode, &e.site);
        let t = self.strings.table(&e.lang.code);
        let sidebars = self.timer.stage("sidebar", || {
            mode.sidebars(site, k, || render::render_sidebars(site, templates, &t))
        })?;
        let mut site_context = SiteContext::new(self.config);
        if !e.lang.is_default {
            site_context.title = e.lang.title.clone();
            site_context.description = e.lang.description.clone();
            site_context.language = e.lang.code.clone();
        }
        Ok(Shared {
            site: site_context,
            edit_url_template: self.config.output.html.edit_url_template.as_deref(),
            checker: e.checker.clone(),
            edition: render::EditionContext {
                index: k,
                t,
                lang: i18n::LangView {
                    code: e.lang.code.clone(),
                    prefix: e.lang.prefix.clone(),
                },
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
            Mode::Build => Some(Sink::disk(
                &self.out_dir,
                &self.protected,
                self.opts.precompress && self.config.build.precompress,
            )?),
            Mode::Check(_) => None,
        })
    }

    /// `render`: every page of edition `k` through its template, the 404 page, and, alongside
    /// the pages, the search index (`search`) and the print edition (`print`).
    fn render(
        &mut self,
        k: usize,
        site: &site::Site,
        templates: &Templates,
        shared: &Shared<'_>,
        staging: Option<&Sink>,
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
        let (aggregated, rendered) = rayon::join(aggregates, || {
            mode.render_pages(k, site, templates, shared, &sink)
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
        sites: &[EditionSite],
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

    fn write_rest(&self, sites: &[EditionSite], s: &Sink) -> anyhow::Result<()> {
        for (rel, src) in &self.static_files {
            if crate::checker::SCRIPTS.contains(&rel.as_str()) {
                use anyhow::Context as _;
                let bytes = std::fs::read(src)
                    .with_context(|| format!("cannot read `{}`", src.display()))?;
                s.write(rel, &crate::checker::shipped_static(rel, &bytes))?;
            } else {
                s.copy(rel, src)?;
            }
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
            let all: Vec<(&str, &site::Site)> = (sites.iter())
                .map(|e| (e.lang.code.as_str(), &e.site))
                .collect();
            s.write("sitemap.xml", assets::sitemap(&all, b).as_bytes())?;
            for e in sites {
                let feed = assets::FeedInfo {
                    title: &e.lang.title,
                    description: &e.lang.description,
                    language: &e.lang.code,
                    authors: &config.book.authors,
                    base_url: b,
                };
                let rel = format!("{}atom.xml", e.lang.prefix);
                s.write(
                    &rel,
                    assets::atom(&e.site, &feed, &e.lang.prefix).as_bytes(),
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
    fn service_worker(&self, sites: &[EditionSite]) -> anyhow::Result<String> {
        let mut generated: Vec<(&str, &[u8])> = Vec::new();
        if let Some(w) = &self.wasm {
            generated.extend(w.files.iter().map(|(r, b)| (r.as_str(), b.as_slice())));
        }
        generated
            .extend((self.checker.rules_assets.iter()).map(|(r, t)| (r.as_str(), t.as_bytes())));
        let mut pages = Vec::new();
        for e in sites {
            for name in ["index.html", "checker.html"] {
                let rel = format!("{}{name}", e.lang.prefix);
                if e.site.pages.iter().any(|p| p.output == rel) {
                    pages.push(rel);
                }
            }
        }
        let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
        crate::offline::for_build(&self.static_files, &generated, &pages)
    }
}
