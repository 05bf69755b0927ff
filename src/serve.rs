//! `beian-guide serve`: builds the site into memory, serves it on 127.0.0.1, watches the inputs
//! and rebuilds on change, and reloads open pages through server-sent events.
//!
//! - Only 127.0.0.1: a preview for the person editing, never a public server.
//! - The live-reload script is injected into served HTML only; `build` output never has it.
//! - A failed rebuild keeps the last good site served; the error is printed in the terminal and
//!   shown in the browser as an overlay (pushed to open pages, and rendered into pages fetched
//!   while the error lasts), until a good rebuild reloads the pages.
//! - Rebuilds reuse [`crate::incremental::Cache`]: Markdown is redone only for edited pages.
//! - The checker's WebAssembly is the one compiled into the binary. In a workspace checkout a
//!   change under checker-core/ or checker-wasm/ (or to Cargo.toml/Cargo.lock) is reported in
//!   the terminal as needing a rebuild of the binary, at start-up too when the binary is older.
//!
//! The HTTP server is a small std::net one (a thread per connection): it serves GET/HEAD of
//! files from memory and one event stream, which is all a local preview needs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use notify::{EventKind, RecursiveMode, Watcher};

use crate::diagnostic::Diagnostics;
use crate::incremental::{Cache, Files};
use crate::BuildOptions;

/// Path of the event stream; a site file at this exact path would be shadowed while serving.
pub const EVENTS_PATH: &str = "/__serve/events";
/// Events arriving within this quiet period are handled by one rebuild (editors often write a
/// file in several steps: truncate, write, rename).
const DEBOUNCE: Duration = Duration::from_millis(10);
/// Upper bound on the debounce wait while events keep coming.
const DEBOUNCE_MAX: Duration = Duration::from_millis(250);
/// How often an idle event stream sends a comment, to notice closed connections.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Build options (root, drafts, verbose); `out` is ignored, `base_url` is set to the server.
    pub build: BuildOptions,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Open the site in the default browser once it is built.
    pub open: bool,
}

/// What the server shows: the last good site, and the current build error if any.
#[derive(Debug, Default)]
struct State {
    files: Arc<Files>,
    /// The last rebuild's failure, as terminal text; `None` when the last rebuild succeeded.
    error: Option<String>,
    /// Counts finished rebuilds (good or bad); the event streams wait for it to change.
    generation: u64,
    /// Counts rebuilds of the outputs made from every page (print edition, search index) that
    /// follow a reload; streams report them as `settled` (pages ignore it; tools wait for it).
    settled: u64,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panicking connection thread must not take the server down with it.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What changed since the last rebuild, by kind of input.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Changes {
    /// Templates, the config or the checker rules: every page's Markdown is redone.
    pub site_wide: bool,
    /// The checker's Rust code (in a workspace checkout): the binary needs rebuilding.
    pub wasm: bool,
    /// Anything at all (pages, static files, the myth list…).
    pub any: bool,
    /// book.toml: the folders to watch may have moved too.
    pub config: bool,
}

/// The folders and files `serve` watches, and how a change to each is handled.
#[derive(Debug, Clone)]
pub struct WatchPlan {
    root: PathBuf,
    build_dir: PathBuf,
    templates: PathBuf,
    static_dir: PathBuf,
    rules: PathBuf,
    wasm_dirs: Vec<PathBuf>,
    /// (path, recursive) to register with the watcher.
    pub paths: Vec<(PathBuf, bool)>,
}

impl WatchPlan {
    /// The plan for the site at `root` (read from its book.toml; defaults when it cannot be
    /// read, so a broken config is still watched and fixed by editing it).
    pub fn new(root: &Path, wasm: bool) -> WatchPlan {
        let config = crate::config::load(root).unwrap_or_default();
        let abs = |p: &Path| std::path::absolute(root.join(p)).unwrap_or_else(|_| root.join(p));
        let root_abs = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let content = abs(&config.build.content);
        let rules = abs(&config.checker.rules);
        let templates = abs(&config.build.templates);
        let static_dir = abs(&config.build.r#static);
        let mut paths = vec![(root_abs.clone(), false)];
        for dir in [
            content.clone(),
            templates.clone(),
            static_dir.clone(),
            abs(Path::new("lint")),
        ] {
            if dir.is_dir() {
                paths.push((dir, true));
            }
        }
        if let Some(parent) = rules.parent() {
            if parent.is_dir() && !paths.iter().any(|(p, r)| *r && parent.starts_with(p)) {
                paths.push((parent.to_path_buf(), false));
            }
        }
        // The checker is compiled into the binary; in a workspace checkout its sources are
        // watched only to say that a change needs a rebuild of the binary.
        let mut wasm_dirs = Vec::new();
        if wasm && config.checker.wasm && crate::wasm::is_workspace(&root_abs) {
            for d in crate::wasm::shared::CHECKER_CRATES {
                let dir = root_abs.join(d);
                paths.push((dir.clone(), true));
                wasm_dirs.push(dir);
            }
            // Cargo.toml, Cargo.lock, rust-toolchain.toml: the root is watched already.
            wasm_dirs.extend(
                crate::wasm::shared::WORKSPACE_INPUTS
                    .iter()
                    .map(|f| root_abs.join(f)),
            );
        }
        WatchPlan {
            build_dir: abs(&config.build.build_dir),
            root: root_abs,
            templates,
            static_dir,
            rules,
            wasm_dirs,
            paths,
        }
    }

    /// Whether the checker's sources are watched (a workspace checkout with the checker on).
    pub fn watches_checker(&self) -> bool {
        !self.wasm_dirs.is_empty()
    }

    /// Adds what a change of `path` requires to `changes`.
    pub fn classify(&self, path: &Path, changes: &mut Changes) {
        if path.starts_with(&self.build_dir) || is_editor_noise(path) {
            return;
        }
        if let Some(rel) = self
            .wasm_dirs
            .iter()
            .find_map(|d| path.strip_prefix(d).ok())
        {
            // Only sources and manifests matter, not a stray build folder. The site itself is
            // not rebuilt: the checker in it comes from the binary.
            if !rel.components().any(|c| c.as_os_str() == "target") {
                changes.wasm = true;
            }
            return;
        }
        if path.parent() == Some(self.root.as_path()) {
            // The root is watched for book.toml only (and for folders appearing).
            if path
                .file_name()
                .is_some_and(|n| n == crate::config::CONFIG_FILE)
            {
                changes.site_wide = true;
                changes.config = true;
                changes.any = true;
            } else if path.is_dir() {
                changes.any = true;
            }
            return;
        }
        changes.any = true;
        // A page or the myth list changes only that page's output; templates, the checker
        // rules and static files (templates may name their hashes) can change every page.
        if path == self.rules
            || path.starts_with(&self.templates)
            || path.starts_with(&self.static_dir)
        {
            changes.site_wide = true;
        }
    }
}

/// Swap files, backups and lock files editors write next to the real one.
fn is_editor_noise(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// Runs the server until the process is stopped. Prints `serving http://127.0.0.1:PORT/` on
/// stdout once the first build is done (tests and scripts read the port from it).
pub fn serve(opts: &ServeOptions) -> anyhow::Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", opts.port))
        .with_context(|| format!("cannot listen on 127.0.0.1:{}", opts.port))?;
    let port = listener.local_addr()?.port();
    let url = format!("http://127.0.0.1:{port}/");
    let mut build_opts = opts.build.clone();
    build_opts.base_url = Some(url.clone());
    build_opts.out = None;

    // Watch before the first build, so an edit made while it runs is not missed.
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).context("cannot start watching files")?;
    let mut plan = WatchPlan::new(&build_opts.root, true);
    for (path, recursive) in &plan.paths {
        watcher
            .watch(path, mode(*recursive))
            .with_context(|| format!("cannot watch `{}`", path.display()))?;
    }

    if plan.watches_checker() {
        report_stale_checker(&build_opts.root, false);
    }
    let shared = Arc::new(Shared::default());
    let mut cache = Cache::new();
    rebuild(&build_opts, &mut cache, &shared, None, true);

    {
        let shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("serve-http".into())
            .spawn(move || accept_loop(&listener, &shared))
            .context("cannot start the HTTP thread")?;
    }
    println!("serving {url}");
    eprintln!("watching for changes; press Ctrl-C to stop");
    let _ = std::io::stdout().flush();
    if opts.open {
        open_browser(&url);
    }

    loop {
        let first = match rx.recv() {
            Ok(ev) => ev,
            Err(_) => anyhow::bail!("the file watcher stopped"),
        };
        let started = Instant::now();
        let mut changes = Changes::default();
        let mut note = |ev: notify::Result<notify::Event>| match ev {
            Ok(ev) if relevant(&ev.kind) => {
                for p in &ev.paths {
                    plan.classify(p, &mut changes);
                }
            }
            Ok(_) => {}
            Err(e) => eprintln!("warning: file watcher: {e}"),
        };
        note(first);
        loop {
            let left = DEBOUNCE_MAX.saturating_sub(started.elapsed());
            match rx.recv_timeout(DEBOUNCE.min(left)) {
                Ok(ev) => note(ev),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => anyhow::bail!("the file watcher stopped"),
            }
            if left.is_zero() {
                break;
            }
        }
        if changes.wasm {
            report_stale_checker(&build_opts.root, true);
        }
        if !changes.any {
            continue;
        }
        if changes.site_wide {
            cache.invalidate_markdown();
        }
        if changes.config {
            // `[build]` folders or the rules file may have moved: watch what the config names now.
            let next = WatchPlan::new(&build_opts.root, true);
            for (path, _) in plan.paths.iter().filter(|p| !next.paths.contains(p)) {
                let _ = watcher.unwatch(path);
            }
            for (path, recursive) in next.paths.iter().filter(|p| !plan.paths.contains(p)) {
                if let Err(e) = watcher.watch(path, mode(*recursive)) {
                    eprintln!("warning: cannot watch `{}`: {e}", path.display());
                }
            }
            plan = next;
        }
        // Pages first, announced as soon as they are ready; then the outputs built from
        // every page (print edition, search index), swapped in without another reload.
        cache.set_defer_aggregates(true);
        let ok = rebuild(&build_opts, &mut cache, &shared, Some(started), true);
        cache.set_defer_aggregates(false);
        if ok {
            rebuild(&build_opts, &mut cache, &shared, None, false);
        }
    }
}

/// Says in the terminal when the checker compiled into this binary is older than the sources
/// of the checkout at `root` (it is never rebuilt behind the reader's back, and never served
/// as if it were current). `changed`: the checker's code was just edited.
fn report_stale_checker(root: &Path, changed: bool) {
    match crate::wasm::stale_in(root) {
        Some(message) => eprintln!("warning: {message}\n"),
        None if changed => eprintln!(
            "the checker's code matches what this binary was compiled from (again); the checker \
             served is current\n"
        ),
        None => {}
    }
}

fn mode(recursive: bool) -> RecursiveMode {
    if recursive {
        RecursiveMode::Recursive
    } else {
        RecursiveMode::NonRecursive
    }
}

/// Creations, modifications and removals; not reads (the build itself reads every file).
fn relevant(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    )
}

/// Rebuilds and publishes the result to the server. `announce`: tell open pages (reload or
/// error overlay) and print the outcome; otherwise the new files are swapped in silently,
/// unless the run fails. Returns whether the build succeeded.
fn rebuild(
    opts: &BuildOptions,
    cache: &mut Cache,
    shared: &Shared,
    since: Option<Instant>,
    announce: bool,
) -> bool {
    let started = since.unwrap_or_else(Instant::now);
    let result = crate::build_incremental(opts, cache);
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut state = shared.lock();
    if let (Ok(_), false) = (&result, announce) {
        state.files = cache.files();
        state.settled += 1;
        drop(state);
        shared.changed.notify_all();
        return true;
    }
    state.generation += 1;
    let ok = result.is_ok();
    match result {
        Ok(summary) => {
            for w in &summary.warnings {
                eprintln!("{w}\n");
            }
            state.files = cache.files();
            state.error = None;
            eprintln!(
                "built {} pages in {ms:.0} ms (Markdown: {} rendered, {} reused; templates: {} pages)",
                summary.pages,
                cache.stats.rendered,
                cache.stats.reused,
                cache.stats.pages_rendered
            );
        }
        Err(e) => {
            let text = match e.downcast_ref::<Diagnostics>() {
                Some(d) => d.to_string(),
                None => format!("error: {e:#}"),
            };
            eprintln!("{text}\nbuild failed; still serving the last good site");
            state.error = Some(text);
        }
    }
    drop(state);
    shared.changed.notify_all();
    ok
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(cmd).arg(url).spawn() {
        eprintln!("cannot open a browser with `{cmd}`: {e}; open {url} yourself");
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let shared = Arc::clone(shared);
        let spawned = std::thread::Builder::new()
            .name("serve-conn".into())
            .spawn(move || {
                // A client that hangs up mid-response is not the server's problem.
                let _ = handle(stream, &shared);
            });
        if let Err(e) = spawned {
            eprintln!("warning: cannot start a connection thread: {e}");
        }
    }
}

/// One request line and headers, read with a size limit.
fn read_request(stream: &TcpStream) -> std::io::Result<Option<(String, String)>> {
    let mut reader = BufReader::new(stream.take(16 * 1024));
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Ok(None);
    };
    let (method, target) = (method.to_owned(), target.to_owned());
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
    }
    Ok(Some((method, target)))
}

fn handle(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let Some((method, target)) = read_request(&stream)? else {
        return Ok(());
    };
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"only GET and HEAD\n",
            &method,
        );
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if path == EVENTS_PATH {
        return events(stream, shared);
    }
    let Some(rel) = decode_path(path) else {
        return respond(
            &mut stream,
            "400 Bad Request",
            "text/plain; charset=utf-8",
            b"bad path\n",
            &method,
        );
    };
    let (files, error, generation) = {
        let s = shared.lock();
        (Arc::clone(&s.files), s.error.clone(), s.generation)
    };
    let lookup = |p: &str| files.get(p).cloned();
    let index = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.clone()
    };
    let (status, name, body) = match lookup(&index) {
        Some(b) => ("200 OK", index, b),
        None if lookup(&format!("{rel}/index.html")).is_some() => {
            let location = format!("/{rel}/");
            let head = format!(
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            return stream.write_all(head.as_bytes());
        }
        None => match lookup("404.html") {
            Some(b) => ("404 Not Found", "404.html".to_owned(), b),
            // No site yet (the first build failed): an HTML page, so the error overlay and
            // the reload script reach the browser.
            None => (
                "404 Not Found",
                "404.html".to_owned(),
                Arc::from(&b"<!doctype html><html><body><p>not found</p></body></html>"[..]),
            ),
        },
    };
    let ctype = content_type(&name);
    if name.ends_with(".html") {
        let html = String::from_utf8_lossy(&body);
        let page = inject(&html, generation, error.as_deref());
        respond(&mut stream, status, ctype, page.as_bytes(), &method)
    } else {
        respond(&mut stream, status, ctype, &body, &method)
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    ctype: &str,
    body: &[u8],
    method: &str,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// The site-relative file path of a URL path; `None` for paths that try to leave the site.
fn decode_path(path: &str) -> Option<String> {
    let raw = path.strip_prefix('/')?;
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let s = String::from_utf8(out).ok()?;
    if s.split('/').any(|seg| seg == ".." || seg == ".") || s.contains('\\') {
        return None;
    }
    Some(s)
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "ics" => "text/calendar; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Id of the error overlay element (tests and the script look for it).
pub const OVERLAY_ID: &str = "beian-serve-error";

/// Adds the live-reload script (and the error overlay, while a build error lasts) before the
/// closing `</body>` of a served page.
pub fn inject(html: &str, generation: u64, error: Option<&str>) -> String {
    let overlay = error.map_or_else(String::new, overlay_html);
    let script = format!(
        "<script data-serve-generation=\"{generation}\">{}</script>",
        RELOAD_JS.replace("__EVENTS__", EVENTS_PATH)
    );
    // The live-reload script and the overlay are inline, which the built pages' CSP forbids:
    // the preview drops the CSP meta (the built output keeps it).
    let csp = html
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .and_then(|at| html[at..].find('>').map(|end| (at, at + end + 1)));
    let stripped;
    let html = match csp {
        Some((a, b)) => {
            stripped = format!("{}{}", &html[..a], &html[b..]);
            stripped.as_str()
        }
        None => html,
    };
    let at = html.rfind("</body>").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + overlay.len() + script.len());
    out.push_str(&html[..at]);
    out.push_str(&overlay);
    out.push_str(&script);
    out.push_str(&html[at..]);
    out
}

fn overlay_html(text: &str) -> String {
    format!(
        "<div id=\"{OVERLAY_ID}\" role=\"alert\" style=\"{OVERLAY_STYLE}\"><p style=\"margin:0 0 .5em;font-weight:bold\">构建失败：仍在显示上一次成功构建的页面。修正后会自动刷新。</p><pre style=\"margin:0;white-space:pre-wrap\">{}</pre></div>",
        crate::render::escape_html(text)
    )
}

const OVERLAY_STYLE: &str = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1em;background:#2b0b0b;color:#ffe9e9;font:13px/1.45 ui-monospace,monospace;border-top:4px solid #e5484d";

/// The client side of live reload: reload on `reload`, show the overlay on `build-error`, and
/// reload on (re)connect when the page is older than the last good build.
const RELOAD_JS: &str = r#"(()=>{const me=document.currentScript;const gen=Number(me.dataset.serveGeneration);
const show=(text)=>{let o=document.getElementById("beian-serve-error");if(!o){o=document.createElement("div");o.id="beian-serve-error";o.setAttribute("role","alert");o.style.cssText="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1em;background:#2b0b0b;color:#ffe9e9;font:13px/1.45 ui-monospace,monospace;border-top:4px solid #e5484d";document.body.appendChild(o);}
o.textContent="";const p=document.createElement("p");p.textContent="构建失败：仍在显示上一次成功构建的页面。修正后会自动刷新。";p.style.cssText="margin:0 0 .5em;font-weight:bold";const pre=document.createElement("pre");pre.style.cssText="margin:0;white-space:pre-wrap";pre.textContent=text;o.append(p,pre);};
const es=new EventSource("__EVENTS__");
es.addEventListener("state",(e)=>{const s=JSON.parse(e.data);if(s.error){show(s.error);}else if(s.generation!==gen){location.reload();}});
es.addEventListener("reload",()=>location.reload());
es.addEventListener("build-error",(e)=>show(JSON.parse(e.data).error));})();"#;

/// The event stream: `state` on connect, then `reload` after each good rebuild,
/// `build-error` after each failed one, and `settled` once the print edition and search index
/// have caught up with a reload.
fn events(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n",
    )?;
    let (mut seen, mut settled) = {
        let s = shared.lock();
        let msg = serde_json::json!({ "generation": s.generation, "error": s.error });
        write_event(&mut stream, "state", &msg)?;
        (s.generation, s.settled)
    };
    loop {
        let guard = shared.lock();
        let (guard, timeout) = shared
            .changed
            .wait_timeout_while(guard, KEEPALIVE, |s| {
                s.generation == seen && s.settled == settled
            })
            .unwrap_or_else(|p| p.into_inner());
        if timeout.timed_out() {
            drop(guard);
            stream.write_all(b": keepalive\n\n")?;
            stream.flush()?;
            continue;
        }
        if guard.generation == seen {
            settled = guard.settled;
            let msg = serde_json::json!({ "generation": guard.generation });
            drop(guard);
            write_event(&mut stream, "settled", &msg)?;
            continue;
        }
        seen = guard.generation;
        settled = guard.settled;
        let msg = serde_json::json!({ "generation": guard.generation, "error": guard.error });
        let name = if guard.error.is_some() {
            "build-error"
        } else {
            "reload"
        };
        drop(guard);
        write_event(&mut stream, name, &msg)?;
    }
}

fn write_event(
    stream: &mut TcpStream,
    name: &str,
    data: &serde_json::Value,
) -> std::io::Result<()> {
    // serde_json escapes newlines, so the data is one line as SSE requires.
    let text = format!("event: {name}\ndata: {data}\n\n");
    stream.write_all(text.as_bytes())?;
    stream.flush()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn paths_decode_and_cannot_climb_out() {
        assert_eq!(decode_path("/guides/a.html").unwrap(), "guides/a.html");
        assert_eq!(decode_path("/%E6%8C%87%E5%8D%97/").unwrap(), "指南/");
        assert_eq!(decode_path("/").unwrap(), "");
        assert!(decode_path("/../etc/passwd").is_none());
        assert!(decode_path("/a/%2e%2e/b").is_none());
        assert!(decode_path("/%zz").is_none());
    }

    #[test]
    fn changes_are_classified_by_what_they_invalidate() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in ["content/guides", "templates", "static", "lint"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        std::fs::write(root.join("book.toml"), "[checker]\nwasm = true\n").unwrap();
        let plan = WatchPlan::new(root, true);
        let abs = std::path::absolute(root).unwrap();
        let classify = |rel: &str| {
            let mut c = Changes::default();
            plan.classify(&abs.join(rel), &mut c);
            (c.any, c.site_wide, c.wasm)
        };
        assert_eq!(classify("content/guides/a.md"), (true, false, false));
        assert_eq!(classify("lint/myths.toml"), (true, false, false));
        assert_eq!(classify("content/checker/rules.toml"), (true, true, false));
        assert_eq!(classify("templates/page.html"), (true, true, false));
        assert_eq!(classify("static/style.css"), (true, true, false));
        assert_eq!(classify("book.toml"), (true, true, false));
        assert_eq!(classify("content/guides/.a.md.swp"), (false, false, false));
        assert_eq!(classify("content/guides/a.md~"), (false, false, false));
        assert_eq!(classify("public/index.html"), (false, false, false));
        assert_eq!(classify("README.md"), (false, false, false));
        // Not a workspace checkout: the checker's code is not watched.
        assert!(!plan.watches_checker());
        assert_eq!(classify("checker-core/src/lib.rs"), (true, false, false));

        // In a checkout, a change of the checker's code only reports that the binary needs
        // rebuilding (`wasm`); the site is not rebuilt for it.
        for krate in ["checker-core", "checker-wasm"] {
            std::fs::create_dir_all(root.join(krate).join("src")).unwrap();
            std::fs::write(root.join(krate).join("Cargo.toml"), "").unwrap();
        }
        let plan = WatchPlan::new(root, true);
        assert!(plan.watches_checker());
        let classify = |rel: &str| {
            let mut c = Changes::default();
            plan.classify(&abs.join(rel), &mut c);
            (c.any, c.site_wide, c.wasm)
        };
        assert_eq!(classify("checker-core/src/lib.rs"), (false, false, true));
        assert_eq!(classify("checker-wasm/Cargo.toml"), (false, false, true));
        assert_eq!(classify("Cargo.lock"), (false, false, true));
        assert_eq!(classify("Cargo.toml"), (false, false, true));
        assert_eq!(
            classify("checker-core/target/x.rlib"),
            (false, false, false)
        );
        assert_eq!(classify("content/guides/a.md"), (true, false, false));
        // With `wasm = false` the checker's code is not watched at all.
        std::fs::write(root.join("book.toml"), "[checker]\nwasm = false\n").unwrap();
        let plan = WatchPlan::new(root, true);
        assert!(!plan.watches_checker());
        assert!(!plan.paths.iter().any(|(p, _)| p.ends_with("checker-core")));
    }

    #[test]
    fn injection_goes_before_body_end_and_escapes_the_error() {
        let out = inject("<html><body><p>x</p></body></html>", 3, Some("a <b> & c"));
        assert!(out.ends_with("</script></body></html>"), "{out}");
        assert!(out.contains("data-serve-generation=\"3\""));
        assert!(out.contains("a &lt;b&gt; &amp; c"));
        let clean = inject("<p>no body</p>", 1, None);
        assert!(clean.starts_with("<p>no body</p><script"));
        assert!(!clean.contains(&format!("<div id=\"{OVERLAY_ID}\"")));
    }
}
