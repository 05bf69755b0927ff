//! What `serve` keeps between rebuilds so that a one-page edit redoes little: rendered Markdown
//! per page, the compiled WebAssembly, and the whole last good site in memory.
//!
//! The pipeline in `src/build/` is the same for `build` and `serve`; with a [`Cache`] (held by its
//! `Mode::Serve`) it
//! - renders Markdown only for pages whose text changed (a page's HTML depends on its own text
//!   and on the site-wide inputs: the page→output map, templates, checker data, language; the
//!   output map is fingerprinted here, the others are invalidated by `serve` when their files
//!   change, through [`Cache::invalidate_markdown`]);
//! - keeps one copy of the checker's WebAssembly (it is compiled into the binary, see
//!   [`crate::wasm`]);
//! - writes the site into memory ([`Sink::Memory`], made by [`Sink::memory`]) instead of a
//!   staging folder;
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
//! The site model is redone on every run (a few ms); the parsed templates are kept while the
//! templates folder and the config are unchanged ([`Cache::templates`]), each edition's sidebars
//! while every page's front matter, source and output path are ([`Cache::sidebars`]).

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::load::Page;
use crate::markdown::Rendered;
use crate::sink::Sink;
use crate::wasm::WasmAssets;

/// Content folder → its sidebar.
type Sidebars = HashMap<crate::render::SidebarKey, crate::render::Sidebar>;

/// A page's rendered Markdown, shared between the cache and the site model, or its errors.
pub type MarkdownResult = Result<Arc<Rendered>, Vec<Diagnostic>>;

pub use crate::sink::Files;

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
    markdown: HashMap<String, (Arc<str>, Arc<Rendered>)>,
    /// Fingerprint of the page→output map the cached bodies were rendered with.
    outputs_key: u64,
    /// Output path → (the page's text, rendered HTML), valid while `nav_key` holds.
    pages: HashMap<String, (Arc<str>, Arc<[u8]>)>,
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

impl Sink {
    /// Memory, collected into `cache` (made the served site by a successful run).
    pub fn memory(cache: &Cache) -> Sink {
        if let Ok(mut g) = cache.pending.lock() {
            g.clear();
        }
        Sink::Memory(Arc::clone(&cache.pending))
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
    serde_json::to_string(&shared.checker_assets)
        .unwrap_or_default()
        .hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests;
