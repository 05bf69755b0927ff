//! What `serve` keeps between rebuilds so that a one-page edit redoes little: rendered Markdown
//! per page, the compiled WebAssembly, and the whole last good site in memory.
//!
//! The pipeline in `build.rs` is the same for `build` and `serve`; with a [`Cache`] (held by its
//! `Mode::Serve`) it
//! - renders Markdown only for pages whose text changed (a page's HTML depends on its own text
//!   and on the site-wide inputs: the page→output map, templates, checker data, language; the
//!   output map is fingerprinted here, the others are invalidated by `serve` when their files
//!   change, through [`Cache::invalidate_markdown`]);
//! - keeps one copy of the checker's WebAssembly (it is compiled into the binary, see
//!   [`crate::wasm`]);
//! - writes the site into memory ([`Sink::Memory`]) instead of a staging folder;
//! - renders a page through its template only when its own text changed or when anything it
//!   shows from other pages could have: every page's context holds the sidebar, breadcrumbs,
//!   prev/next and listings, which come from the other pages' front matter (titles,
//!   descriptions, weights, slugs), never from their bodies. So the cached page HTML is kept
//!   while the "navigation key" — all front matter, output paths, rendered sidebars, site and
//!   checker context — is unchanged, and each page is redone when its own text changes;
//! - with [`Cache::set_defer_aggregates`], leaves out the outputs built from every page's body
//!   (the print edition, the search index) and keeps their previous version: `serve` sends the
//!   reload first and rebuilds those right after.
//!
//! - reads and parses again only the content files whose size, modification time or inode
//!   changed since they were last read ([`Cache::load_content`]); a file modified within
//!   [`RACY`] of being read is read again next time, since a second change that quick could keep
//!   its modification time (git's "racily clean" rule).
//!
//! Templates, the site model and sidebars are redone on every run (a few ms each).

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use anyhow::Context;
use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::load::Page;
use crate::markdown::Rendered;
use crate::wasm::WasmAssets;

/// Content folder → its sidebar.
type Sidebars = HashMap<String, crate::render::Sidebar>;

/// A page's rendered Markdown, shared between the cache and the site model, or its errors.
pub type MarkdownResult = Result<Arc<Rendered>, Vec<Diagnostic>>;

/// The built site in memory: site-root-relative path → bytes.
pub type Files = HashMap<String, Arc<[u8]>>;

/// State reused from one run to the next.
#[derive(Debug, Default)]
pub struct Cache {
    /// What each edition keeps (the default language's first, as the pipeline numbers them).
    editions: Vec<EditionCache>,
    /// The checker embedded in the binary, copied out once.
    wasm: Option<WasmAssets>,
    /// Files of the run in progress; moved to `files` when the run succeeds.
    pending: Arc<Mutex<Files>>,
    /// The last good site.
    files: Arc<Files>,
    /// Skip the print edition and the search index in this run (they keep their last version).
    defer_aggregates: bool,
    /// The parsed templates, while the templates folder and the config are unchanged.
    templates: Option<Arc<crate::render::Templates>>,
    /// How many times templates were loaded: what was rendered with them is valid while it holds.
    templates_loaded: u64,
    /// Path on disk → the content file as it was last read.
    read: HashMap<PathBuf, ReadFile>,
    /// What the last run did, for the terminal and the benchmark.
    pub stats: Stats,
}

/// What the cache keeps of one edition.
#[derive(Debug, Default)]
struct EditionCache {
    /// Source path → (the file text, rendered body).
    markdown: HashMap<String, (String, Arc<Rendered>)>,
    /// Fingerprint of the page→output map the cached bodies were rendered with.
    outputs_key: u64,
    /// Output path → (the page's text, rendered HTML), valid while `nav_key` holds.
    pages: HashMap<String, (String, Arc<[u8]>)>,
    /// Fingerprint of everything a page shows from other pages (see the module doc).
    nav_key: u64,
    /// The sidebars, with the [`front_key`] and template load they came from.
    sidebars: Option<(u64, u64, Arc<Sidebars>)>,
}

/// A content file as it was last read: what identified its version then, and what it parsed to.
#[derive(Debug)]
struct ReadFile {
    stamp: Stamp,
    /// When it was read (just before opening it).
    read_at: SystemTime,
    source: String,
    file: PathBuf,
    page: Result<Page, Vec<Diagnostic>>,
}

/// What tells one version of a file from another without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: SystemTime,
    inode: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok()?,
            inode,
        })
    }
}

/// A file whose modification time is this close to (or after) the moment it was read is read
/// again next time: a change made just after the read may carry the same time on a file system
/// with coarse timestamps (2 s on FAT, 1 s on some others, a few ms on Linux's).
pub const RACY: Duration = Duration::from_secs(2);

/// Counters of the last run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Content files read and parsed (the others' pages were kept).
    pub read: usize,
    /// Pages whose Markdown was rendered.
    pub rendered: usize,
    /// Pages whose cached HTML body was reused.
    pub reused: usize,
    /// Pages rendered through their template.
    pub pages_rendered: usize,
}

/// Outputs built from every page's body, left out of a deferred run: the print edition and
/// every file under `search/` (the index's manifest, shards and packs).
pub const AGGREGATES: [&str; 2] = ["print.html", "search/"];

/// Whether `name` is one of the [`AGGREGATES`] (a name ending in `/` is a folder), or one
/// section's print edition on a large site (`print-<section>.html`).
pub fn is_aggregate(name: &str) -> bool {
    // Another edition's (`en/print.html`, `en/search/…`) are aggregates too.
    if let Some((lang, rest)) = name.split_once('/') {
        if crate::config::valid_language_tag(lang) && is_aggregate(rest) {
            return true;
        }
    }
    let section_print =
        name.starts_with("print-") && name.ends_with(".html") && !name.contains('/');
    section_print
        || AGGREGATES
            .iter()
            .any(|a| name == *a || (a.ends_with('/') && name.starts_with(a)))
}

impl Cache {
    /// An empty cache (the first run does everything).
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets every rendered body and page (templates, checker data, static files or the
    /// config changed).
    pub fn invalidate_markdown(&mut self) {
        for e in &mut self.editions {
            e.markdown.clear();
            e.pages.clear();
        }
        self.templates = None;
    }

    /// What the cache keeps of edition `k` (made on first use).
    fn edition(&mut self, k: usize) -> &mut EditionCache {
        if self.editions.len() <= k {
            self.editions.resize_with(k + 1, EditionCache::default);
        }
        &mut self.editions[k]
    }

    /// Whether the next runs leave out the print edition and the search index.
    pub fn set_defer_aggregates(&mut self, defer: bool) {
        self.defer_aggregates = defer;
    }

    /// Forgets the WebAssembly (the checker's Rust code changed).
    pub fn invalidate_wasm(&mut self) {
        self.wasm = None;
    }

    /// The last good site (empty before the first successful run).
    pub fn files(&self) -> Arc<Files> {
        Arc::clone(&self.files)
    }

    /// Makes the files of the run that just succeeded the served site.
    pub(crate) fn commit(&mut self) {
        let mut files = match self.pending.lock() {
            Ok(mut g) => std::mem::take(&mut *g),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        };
        if self.defer_aggregates {
            for (name, old) in self.files.iter() {
                if is_aggregate(name) && !files.contains_key(name) {
                    files.insert(name.clone(), Arc::clone(old));
                }
            }
        }
        self.files = Arc::new(files);
    }

    /// Drops the files of a failed run (the last good site stays).
    pub(crate) fn abandon(&mut self) {
        if let Ok(mut g) = self.pending.lock() {
            g.clear();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn into_inner<T>(m: Mutex<T>) -> T {
    m.into_inner().unwrap_or_else(|p| p.into_inner())
}

impl Cache {
    /// Runs the load stage `load` with a page reader that keeps the page of every content file
    /// that did not change since it was last read (same path, size, modification time and inode,
    /// and read more than [`RACY`] after it was modified) and reads the others with
    /// [`crate::load::read_page`]. Files not asked for this time are forgotten.
    pub fn load_content<R>(&mut self, load: impl FnOnce(&crate::load::PageReader<'_>) -> R) -> R {
        let mut old = std::mem::take(&mut self.read);
        // Files kept as they were (their entries move over afterwards) and files read now.
        let kept = Mutex::new(Vec::new());
        let fresh = Mutex::new(Vec::new());
        let reader = |source: String, file: PathBuf, path: &Path| {
            let stamp = Stamp::of(path);
            if let (Some(stamp), Some(e)) = (stamp, old.get(path)) {
                let settled = stamp
                    .modified
                    .checked_add(RACY)
                    .is_some_and(|t| t < e.read_at);
                if e.stamp == stamp && settled && e.source == source && e.file == file {
                    lock(&kept).push(path.to_path_buf());
                    return e.page.clone();
                }
            }
            let read_at = SystemTime::now();
            let page = crate::load::read_page(source.clone(), file.clone(), path);
            // The stamp was taken before the read: a change during the read makes it differ
            // next time, so the file is read again then.
            if let Some(stamp) = stamp {
                let entry = ReadFile {
                    stamp,
                    read_at,
                    source,
                    file,
                    page: page.clone(),
                };
                lock(&fresh).push((path.to_path_buf(), entry));
            }
            page
        };
        let result = load(&reader);
        let (kept, fresh) = (into_inner(kept), into_inner(fresh));
        // The first stage of a run: the counts start again.
        self.stats = Stats {
            read: fresh.len(),
            ..Stats::default()
        };
        self.read = kept
            .into_iter()
            .filter_map(|p| old.remove_entry(&p))
            .chain(fresh)
            .collect();
        result
    }

    /// Renders every page of edition `edition` with `render`, reusing the cached body of each
    /// page whose text and the edition's page→output map are unchanged.
    pub fn render_markdown<F>(
        &mut self,
        edition: usize,
        pages: &[Page],
        outputs: &HashMap<String, String>,
        render: &F,
    ) -> Vec<MarkdownResult>
    where
        F: Fn(&Page) -> MarkdownResult + Sync,
    {
        let mut pairs: Vec<(&String, &String)> = outputs.iter().collect();
        pairs.sort_unstable();
        let mut h = DefaultHasher::new();
        pairs.hash(&mut h);
        let outputs_key = h.finish();
        let cache = self.edition(edition);
        if outputs_key != cache.outputs_key {
            cache.markdown.clear();
            cache.outputs_key = outputs_key;
        }
        let cached = &cache.markdown;
        // A page's text is compared whole: as fast as hashing it, and never wrong.
        let results: Vec<(bool, MarkdownResult)> = pages
            .par_iter()
            .map(|p| match cached.get(&p.source) {
                Some((raw, r)) if *raw == p.raw => (false, Ok(Arc::clone(r))),
                _ => (true, render(p)),
            })
            .collect();
        let (mut rendered, mut reused) = (0, 0);
        for (p, (fresh, r)) in pages.iter().zip(&results) {
            if *fresh {
                rendered += 1;
                if let Ok(r) = r {
                    cache
                        .markdown
                        .insert(p.source.clone(), (p.raw.clone(), Arc::clone(r)));
                }
            } else {
                reused += 1;
            }
        }
        // Pages that were deleted or renamed leave the cache too.
        if cache.markdown.len() > pages.len() {
            let live: std::collections::HashSet<&str> =
                pages.iter().map(|p| p.source.as_str()).collect();
            cache.markdown.retain(|s, _| live.contains(s.as_str()));
        }
        self.stats.rendered += rendered;
        self.stats.reused += reused;
        results.into_iter().map(|(_, r)| r).collect()
    }

    /// The checker's WebAssembly: the cached copy, else `build()` (whose result is then cached).
    pub fn wasm_assets(
        &mut self,
        build: impl FnOnce() -> anyhow::Result<WasmAssets>,
    ) -> anyhow::Result<WasmAssets> {
        match &self.wasm {
            Some(w) => Ok(w.clone()),
            None => {
                let w = build()?;
                self.wasm = Some(w.clone());
                Ok(w)
            }
        }
    }
}

/// Where a run puts the site: a staging folder on disk (`build`) or memory (`serve`). Same
/// methods as [`crate::write::Staging`].
#[derive(Debug)]
pub enum Sink {
    /// `build`: a staging folder swapped in on `finish`.
    Disk(crate::write::Staging),
    /// `serve`: the cache's pending files.
    Memory(Arc<Mutex<Files>>),
}

impl Sink {
    /// A staging folder for `out` (see [`crate::write::Staging::new`]).
    pub fn disk(
        out: &Path,
        protected: &crate::write::Protected,
        precompress: bool,
    ) -> anyhow::Result<Sink> {
        crate::write::Staging::new(out, protected, precompress).map(Sink::Disk)
    }

    /// Memory, collected into `cache` (made the served site by a successful run).
    pub fn memory(cache: &Cache) -> Sink {
        if let Ok(mut g) = cache.pending.lock() {
            g.clear();
        }
        Sink::Memory(Arc::clone(&cache.pending))
    }

    /// Writes `bytes` to the site-root-relative `rel`.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
        match self {
            Sink::Disk(s) => s.write(rel, bytes),
            Sink::Memory(m) => {
                crate::write::check_output_path(rel).map_err(anyhow::Error::msg)?;
                let mut files = m
                    .lock()
                    .map_err(|_| anyhow::anyhow!("a rendering thread panicked"))?;
                files.insert(rel.to_owned(), Arc::from(bytes));
                Ok(())
            }
        }
    }

    /// Copies the file at `src` to `rel`.
    pub fn copy(&self, rel: &str, src: &Path) -> anyhow::Result<()> {
        match self {
            Sink::Disk(s) => s.copy(rel, src),
            Sink::Memory(_) => {
                let bytes = std::fs::read(src)
                    .with_context(|| format!("cannot read `{}`", src.display()))?;
                self.write(rel, &bytes)
            }
        }
    }

    /// Finishes the output: swaps the staging folder in (disk) or does nothing (memory: the
    /// caller commits the cache). Returns the output folder (empty for memory).
    pub fn finish(self) -> anyhow::Result<PathBuf> {
        match self {
            Sink::Disk(s) => s.finish(),
            Sink::Memory(_) => Ok(PathBuf::new()),
        }
    }
}

impl Cache {
    /// The parsed templates: the cached ones, else `load()` (cached when it succeeds).
    pub fn templates<E>(
        &mut self,
        load: impl FnOnce() -> Result<crate::render::Templates, E>,
    ) -> Result<Arc<crate::render::Templates>, E> {
        match &self.templates {
            Some(t) => Ok(Arc::clone(t)),
            None => {
                let t = Arc::new(load()?);
                self.templates = Some(Arc::clone(&t));
                self.templates_loaded += 1;
                Ok(t)
            }
        }
    }

    /// The sidebars of edition `edition`: the cached ones while every page's front matter,
    /// source and output path (`front_key`: all a sidebar shows) and the templates are
    /// unchanged, else `render()`.
    pub fn sidebars<E>(
        &mut self,
        edition: usize,
        site: &crate::site::Site,
        render: impl FnOnce() -> Result<Sidebars, E>,
    ) -> Result<Arc<Sidebars>, E> {
        let key = front_key(site);
        let loaded = self.templates_loaded;
        let cache = self.edition(edition);
        match &cache.sidebars {
            Some((k, t, s)) if *k == key && *t == loaded => Ok(Arc::clone(s)),
            _ => {
                let s = Arc::new(render()?);
                cache.sidebars = Some((key, loaded, Arc::clone(&s)));
                Ok(s)
            }
        }
    }

    /// Whether this run leaves out the print edition and the search index.
    pub fn defers_aggregates(&self) -> bool {
        self.defer_aggregates
    }

    /// Renders every page through its template like [`crate::render::render_all`], reusing the
    /// HTML of pages whose text and navigation key are unchanged, and puts it straight into the
    /// memory site (the page sink is not called).
    pub fn render_pages(
        &mut self,
        edition: usize,
        site: &crate::site::Site,
        templates: &crate::render::Templates,
        shared: &crate::render::Shared<'_>,
    ) -> Result<(), Vec<Diagnostic>> {
        let pending = Arc::clone(&self.pending);
        let cache = self.edition(edition);
        let nav_key = nav_key(site, shared);
        if nav_key != cache.nav_key {
            cache.pages.clear();
            cache.nav_key = nav_key;
        }
        let cached = &cache.pages;
        // (rendered now, HTML) per page.
        type PageHtml = Result<(bool, Arc<[u8]>), Vec<Diagnostic>>;
        let results: Vec<PageHtml> = (0..site.pages.len())
            .into_par_iter()
            .map(|i| {
                let page = &site.pages[i];
                match cached.get(&page.output) {
                    Some((raw, html)) if *raw == page.raw => Ok((false, Arc::clone(html))),
                    _ => crate::render::render_page(site, i, templates, shared)
                        .map(|html| (true, Arc::from(html)))
                        .map_err(|d| vec![d]),
                }
            })
            .collect();
        let results =
            crate::diagnostic::collect_all(results).map_err(crate::render::once_per_template)?;
        let mut files = pending
            .lock()
            .map_err(|_| vec![Diagnostic::error("", "a rendering thread panicked")])?;
        let mut rendered = 0;
        for (page, (fresh, html)) in site.pages.iter().zip(results) {
            if fresh {
                rendered += 1;
                cache
                    .pages
                    .insert(page.output.clone(), (page.raw.clone(), Arc::clone(&html)));
            }
            files.insert(page.output.clone(), html);
        }
        if cache.pages.len() > site.pages.len() {
            let live: std::collections::HashSet<&str> =
                site.pages.iter().map(|p| p.output.as_str()).collect();
            cache.pages.retain(|o, _| live.contains(o.as_str()));
        }
        drop(files);
        self.stats.pages_rendered += rendered;
        Ok(())
    }
}

/// Every page's source, output path, title and front matter: what the navigation is made of.
fn front_key(site: &crate::site::Site) -> u64 {
    let mut h = DefaultHasher::new();
    for p in &site.pages {
        p.source.hash(&mut h);
        p.output.hash(&mut h);
        p.title.hash(&mut h);
        p.raw.get(..p.body_offset).unwrap_or("").hash(&mut h);
    }
    h.finish()
}

/// Everything a page shows from outside its own file: all front matter and output paths (the
/// sidebar, breadcrumbs, prev/next and listings come from them), the rendered sidebars, and the
/// site-wide and checker context.
fn nav_key(site: &crate::site::Site, shared: &crate::render::Shared<'_>) -> u64 {
    let mut h = DefaultHasher::new();
    front_key(site).hash(&mut h);
    let mut sidebars: Vec<_> = shared.sidebars.iter().collect();
    sidebars.sort_unstable();
    sidebars.hash(&mut h);
    serde_json::to_string(&shared.site)
        .unwrap_or_default()
        .hash(&mut h);
    shared.edit_url_template.hash(&mut h);
    shared.checker.to_string().hash(&mut h);
    shared.checker_rules_json.hash(&mut h);
    serde_json::to_string(&shared.checker_assets)
        .unwrap_or_default()
        .hash(&mut h);
    h.finish()
}

#[cfg(test)]
// The page sink returns a `Diagnostic` by value, as in the pipeline.
#[allow(clippy::result_large_err, clippy::unwrap_used)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::render::{Shared, SiteContext, Templates};
    use crate::site::{ExtraLinks, Site};

    fn page(source: &str, title: &str, body: &str) -> Page {
        let raw = format!("+++\ntitle = \"{title}\"\n+++\n{body}\n");
        match crate::load::parse_page(source.into(), format!("content/{source}").into(), raw) {
            Ok(p) => p,
            Err(e) => panic!("test page {source} does not parse: {e:?}"),
        }
    }

    /// Renders the Markdown of `pages` through `cache`, returning the sources the renderer was
    /// called for (sorted) and the bodies.
    fn markdown(cache: &mut Cache, pages: &[Page]) -> (BTreeSet<String>, Vec<String>) {
        // A run's counts start with its load stage (not run here).
        cache.stats = Stats::default();
        let called = Mutex::new(BTreeSet::new());
        let render = |p: &Page| {
            if let Ok(mut c) = called.lock() {
                c.insert(p.source.clone());
            }
            Ok(Arc::new(Rendered {
                html: format!("<p>{}</p>", p.body().trim()),
                ..Default::default()
            }))
        };
        let results = cache.render_markdown(0, pages, &crate::load::outputs(pages), &render);
        let bodies = results
            .into_iter()
            .map(|r| r.map(|r| r.html.clone()).unwrap_or_default())
            .collect();
        (called.into_inner().unwrap_or_default(), bodies)
    }

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    /// Writes `text` to `dir/name` with the modification time `secs` after the epoch.
    fn write_at(dir: &Path, name: &str, text: &str, secs: u64) {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let f = std::fs::File::options().write(true).open(&path).unwrap();
        f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
            .unwrap();
    }

    /// Loads `root/content` through `cache`: (titles by source, files read).
    fn load(cache: &mut Cache, root: &Path) -> (Vec<(String, String)>, usize) {
        let (content, errors) = cache
            .load_content(|read| {
                crate::load::load_partial_with(root, Path::new("content"), false, read)
            })
            .unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        let titles = content
            .pages
            .into_iter()
            .map(|p| (p.source, p.title))
            .collect();
        (titles, cache.stats.read)
    }

    fn page_text(title: &str) -> String {
        format!("+++\ntitle = \"{title}\"\n+++\n\nbody\n")
    }

    #[test]
    fn only_content_files_that_changed_are_read_again() {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        std::fs::create_dir(&content).unwrap();
        write_at(&content, "_index.md", &page_text("Home"), 1_000_000);
        write_at(&content, "a.md", &page_text("A"), 1_000_000);
        write_at(&content, "b.md", &page_text("B"), 1_000_000);
        let mut cache = Cache::new();
        let titles = |t: &[(&str, &str)]| -> Vec<(String, String)> {
            t.iter()
                .map(|(s, t)| ((*s).to_owned(), (*t).to_owned()))
                .collect()
        };
        let all = titles(&[("_index.md", "Home"), ("a.md", "A"), ("b.md", "B")]);
        assert_eq!(load(&mut cache, tmp.path()), (all.clone(), 3));
        assert_eq!(load(&mut cache, tmp.path()), (all, 0), "nothing changed");

        // A new version (another size, another time) is read; the others are kept.
        write_at(&content, "a.md", &page_text("A2"), 1_000_001);
        let changed = titles(&[("_index.md", "Home"), ("a.md", "A2"), ("b.md", "B")]);
        assert_eq!(load(&mut cache, tmp.path()), (changed.clone(), 1));
        // Same size, another modification time: still a new version.
        write_at(&content, "b.md", &page_text("C"), 1_000_002);
        let same_size = titles(&[("_index.md", "Home"), ("a.md", "A2"), ("b.md", "C")]);
        assert_eq!(load(&mut cache, tmp.path()), (same_size.clone(), 1));

        // A file modified just now is read again until its time is RACY in the past: a
        // second change within the file system's time granularity could keep its time.
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        write_at(&content, "b.md", &page_text("D"), now);
        let fresh = titles(&[("_index.md", "Home"), ("a.md", "A2"), ("b.md", "D")]);
        assert_eq!(load(&mut cache, tmp.path()), (fresh.clone(), 1));
        assert_eq!(load(&mut cache, tmp.path()), (fresh, 1), "racy: read again");

        // A deleted file leaves the site and the cache; a file that fails to parse is kept
        // as a failure and reported again without being read.
        std::fs::remove_file(content.join("a.md")).unwrap();
        write_at(&content, "b.md", "+++\ntitel = 1\n+++\n", 1_000_003);
        let (content_now, errors) = cache
            .load_content(|read| {
                crate::load::load_partial_with(tmp.path(), Path::new("content"), false, read)
            })
            .unwrap();
        assert_eq!(cache.stats.read, 1);
        assert_eq!(content_now.pages.len(), 1, "only _index.md loads");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(cache.read.len(), 2, "a.md is forgotten");
        let (_, errors_again) = cache
            .load_content(|read| {
                crate::load::load_partial_with(tmp.path(), Path::new("content"), false, read)
            })
            .unwrap();
        assert_eq!((cache.stats.read, errors_again), (0, errors));
    }

    #[test]
    fn markdown_of_an_unchanged_page_is_reused_and_a_changed_one_rendered() {
        let mut cache = Cache::new();
        let mut pages = vec![page("a.md", "A", "one"), page("b.md", "B", "two")];
        let (called, _) = markdown(&mut cache, &pages);
        assert_eq!(called, set(&["a.md", "b.md"]));
        assert_eq!((cache.stats.rendered, cache.stats.reused), (2, 0));

        let (called, bodies) = markdown(&mut cache, &pages);
        assert!(
            called.is_empty(),
            "nothing changed, yet {called:?} were rendered"
        );
        assert_eq!((cache.stats.rendered, cache.stats.reused), (0, 2));
        assert_eq!(bodies, ["<p>one</p>", "<p>two</p>"]);

        pages[1] = page("b.md", "B", "changed");
        let (called, bodies) = markdown(&mut cache, &pages);
        assert_eq!(called, set(&["b.md"]));
        assert_eq!((cache.stats.rendered, cache.stats.reused), (1, 1));
        assert_eq!(bodies, ["<p>one</p>", "<p>changed</p>"]);
    }

    #[test]
    fn a_changed_output_map_or_an_invalidation_renders_every_page_again() {
        let mut cache = Cache::new();
        let pages = vec![page("a.md", "A", "one"), page("b.md", "B", "two")];
        markdown(&mut cache, &pages);

        // A new page changes where links go, so every cached body may be stale.
        let mut more = pages.clone();
        more.push(page("c.md", "C", "three"));
        let (called, _) = markdown(&mut cache, &more);
        assert_eq!(called, set(&["a.md", "b.md", "c.md"]));

        // Templates, checker data or the config changed (`serve` calls this).
        cache.invalidate_markdown();
        let (called, _) = markdown(&mut cache, &more);
        assert_eq!(called, set(&["a.md", "b.md", "c.md"]));
    }

    #[test]
    fn a_page_whose_markdown_failed_is_rendered_again_next_time() {
        let mut cache = Cache::new();
        let pages = vec![page("a.md", "A", "one")];
        let calls = AtomicUsize::new(0);
        let failing = |p: &Page| {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(vec![Diagnostic::error(&p.file, "bad")])
        };
        for _ in 0..2 {
            let r = cache.render_markdown(0, &pages, &crate::load::outputs(&pages), &failing);
            assert!(r[0].is_err());
        }
        assert_eq!(
            calls.load(Ordering::SeqCst),
            2,
            "a failure must not be cached"
        );
    }

    fn tera_templates() -> Templates {
        let mut tera = tera::Tera::default();
        let page =
            "{{ page.title }}:{{ page.content | safe }}:{{ prev.title | default(value='-') }}";
        if let Err(e) = tera.add_raw_templates([("page.html", page), ("index.html", page)]) {
            panic!("test templates do not parse: {e}");
        }
        Templates {
            tera,
            dir: PathBuf::from("templates"),
        }
    }

    #[test]
    fn templates_are_loaded_once_until_invalidated() {
        let mut cache = Cache::new();
        let loads = AtomicUsize::new(0);
        let load = || {
            loads.fetch_add(1, Ordering::SeqCst);
            Ok::<_, Vec<Diagnostic>>(tera_templates())
        };
        let first = cache.templates(load);
        let second = cache.templates(load);
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        assert!(matches!((first, second), (Ok(a), Ok(b)) if Arc::ptr_eq(&a, &b)));
        cache.invalidate_markdown();
        let _ = cache.templates(load);
        assert_eq!(loads.load(Ordering::SeqCst), 2);
        // A failed load is not cached.
        cache.invalidate_markdown();
        let failed: Result<_, Vec<Diagnostic>> =
            cache.templates(|| Err(vec![Diagnostic::error("t", "bad")]));
        assert!(failed.is_err());
        let _ = cache.templates(load);
        assert_eq!(loads.load(Ordering::SeqCst), 3);
    }

    /// Renders the pages of `pages` through their templates into the cache's pending files;
    /// returns how many went through a template.
    fn render(cache: &mut Cache, pages: Vec<Page>) -> usize {
        let rendered = pages
            .iter()
            .map(|p| {
                Arc::new(Rendered {
                    html: format!("<p>{}</p>", p.body().trim()),
                    ..Default::default()
                })
            })
            .collect();
        let site = match Site::build(pages, rendered, &ExtraLinks::default()) {
            Ok(s) => s,
            Err(e) => panic!("test site does not build: {e:?}"),
        };
        let config = crate::config::Config::default();
        let shared = Shared {
            site: SiteContext::new(&config),
            edit_url_template: None,
            checker: serde_json::Value::Null,
            checker_rules_json: String::new(),
            checker_assets: None,
            sidebars: Arc::default(),
            edition: Default::default(),
        };
        // A run starts its memory site afresh, as `build` does when it makes its sink.
        let _sink = Sink::memory(cache);
        let templates = tera_templates();
        cache.stats = Stats::default();
        if let Err(e) = cache.render_pages(0, &site, &templates, &shared) {
            panic!("test pages do not render: {e:?}");
        }
        cache.commit();
        cache.stats.pages_rendered
    }

    #[test]
    fn sidebars_are_kept_until_the_navigation_or_the_templates_change() {
        let site = |pages: Vec<Page>| {
            let rendered = pages.iter().map(|_| Arc::default()).collect();
            Site::build(pages, rendered, &ExtraLinks::default()).unwrap()
        };
        let calls = AtomicUsize::new(0);
        let sidebars = |cache: &mut Cache, site: &Site| {
            cache
                .sidebars(0, site, || {
                    calls.fetch_add(1, Ordering::Relaxed);
                    Ok::<_, ()>(HashMap::new())
                })
                .unwrap();
            calls.load(Ordering::Relaxed)
        };
        let mut cache = Cache::new();
        assert_eq!(sidebars(&mut cache, &site(site_pages("B", "two"))), 1);
        assert_eq!(sidebars(&mut cache, &site(site_pages("B", "two"))), 1);
        // A body is not navigation; a title is.
        assert_eq!(sidebars(&mut cache, &site(site_pages("B", "new body"))), 1);
        assert_eq!(sidebars(&mut cache, &site(site_pages("B2", "new body"))), 2);
        // New templates render new sidebars.
        cache.invalidate_markdown();
        cache.templates(|| Ok::<_, ()>(tera_templates())).unwrap();
        assert_eq!(sidebars(&mut cache, &site(site_pages("B2", "new body"))), 3);
        assert_eq!(sidebars(&mut cache, &site(site_pages("B2", "new body"))), 3);
    }

    fn site_pages(b_title: &str, b_body: &str) -> Vec<Page> {
        vec![
            page("_index.md", "Home", "home"),
            page("a.md", "A", "one"),
            page("b.md", b_title, b_body),
        ]
    }

    fn served(cache: &Cache, rel: &str) -> String {
        cache
            .files()
            .get(rel)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    }

    #[test]
    fn only_the_edited_page_goes_through_its_template_again() {
        let mut cache = Cache::new();
        assert_eq!(render(&mut cache, site_pages("B", "two")), 3);
        assert_eq!(render(&mut cache, site_pages("B", "two")), 0);
        assert_eq!(served(&cache, "b.html"), "B:<p>two</p>:A");

        assert_eq!(render(&mut cache, site_pages("B", "edited")), 1);
        assert_eq!(served(&cache, "b.html"), "B:<p>edited</p>:A");
        // The reused pages are still served.
        assert_eq!(served(&cache, "a.html"), "A:<p>one</p>:Home");
    }

    #[test]
    fn a_front_matter_change_renders_every_page_again() {
        let mut cache = Cache::new();
        render(&mut cache, site_pages("B", "two"));
        // Another page's title shows in the navigation (prev/next, sidebar) of the others.
        assert_eq!(render(&mut cache, site_pages("B2", "two")), 3);
        assert_eq!(served(&cache, "b.html"), "B2:<p>two</p>:A");
    }

    #[test]
    fn a_template_change_renders_every_page_again() {
        let mut cache = Cache::new();
        render(&mut cache, site_pages("B", "two"));
        cache.invalidate_markdown();
        assert_eq!(render(&mut cache, site_pages("B", "two")), 3);
    }

    #[test]
    fn a_deferred_run_keeps_the_last_aggregates_and_a_failed_run_the_last_site() {
        let mut cache = Cache::new();
        let sink = Sink::memory(&cache);
        for rel in ["index.html", "print.html", "search/index.json"] {
            assert!(sink.write(rel, b"v1").is_ok());
        }
        cache.commit();

        cache.set_defer_aggregates(true);
        let sink = Sink::memory(&cache);
        assert!(sink.write("index.html", b"v2").is_ok());
        cache.commit();
        let files = cache.files();
        assert_eq!(files.get("index.html").map(|b| &b[..]), Some(&b"v2"[..]));
        assert_eq!(files.get("print.html").map(|b| &b[..]), Some(&b"v1"[..]));
        assert_eq!(
            files.get("search/index.json").map(|b| &b[..]),
            Some(&b"v1"[..])
        );

        let sink = Sink::memory(&cache);
        assert!(sink.write("index.html", b"broken").is_ok());
        cache.abandon();
        assert_eq!(
            cache.files().get("index.html").map(|b| &b[..]),
            Some(&b"v2"[..])
        );

        // Without deferring, an aggregate the run did not write is gone.
        cache.set_defer_aggregates(false);
        let sink = Sink::memory(&cache);
        assert!(sink.write("index.html", b"v3").is_ok());
        cache.commit();
        assert!(cache.files().get("print.html").is_none());
    }

    #[test]
    fn aggregates_are_the_print_editions_and_the_search_index() {
        for name in [
            "print.html",
            "print-guides.html",
            "search/index.json",
            "search/s/0.bin",
        ] {
            assert!(is_aggregate(name), "{name}");
        }
        for name in [
            "index.html",
            "guides/print.html",
            "searching.html",
            "print-a/b.html",
        ] {
            assert!(!is_aggregate(name), "{name}");
        }
    }

    #[test]
    fn the_wasm_is_built_once_per_cache() {
        let mut cache = Cache::new();
        let builds = AtomicUsize::new(0);
        let build = || {
            builds.fetch_add(1, Ordering::SeqCst);
            Ok(WasmAssets {
                files: Vec::new(),
                js_path: "checker/c.js".into(),
                wasm_path: "checker/c.wasm".into(),
                wasm_js_path: "checker/c.wasm.js".into(),
            })
        };
        assert!(cache.wasm_assets(build).is_ok());
        assert!(cache.wasm_assets(build).is_ok());
        assert_eq!(builds.load(Ordering::SeqCst), 1);
        cache.invalidate_wasm();
        assert!(cache.wasm_assets(build).is_ok());
        assert_eq!(builds.load(Ordering::SeqCst), 2);
    }
}
