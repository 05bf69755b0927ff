//! Tests of the serve cache: what a one-file change redoes, and what it keeps.
// The page sink returns a `Diagnostic` by value, as in the pipeline.
#![allow(clippy::result_large_err, clippy::unwrap_used)]

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
    let page = "{{ page.title }}:{{ page.content | safe }}:{{ prev.title | default(value='-') }}";
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
