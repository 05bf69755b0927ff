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
//!
//! Layout: `watch` decides what a file change invalidates, `rebuild` runs the build and
//! publishes it, `http` serves files and the event stream, `reload` injects the
//! live-reload client (`reload.js`) and the error overlay into served pages.

mod http;
mod rebuild;
mod reload;
mod watch;

use std::io::Write;
use std::net::TcpListener;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// `eprintln!` for `serve`'s own messages: the text goes through
/// [`printable`](crate::diagnostic::printable) like every diagnostic (paths and file-watcher
/// errors could carry terminal escape sequences), and a closed or full standard error is
/// ignored instead of panicking.
macro_rules! tell {
    ($($arg:tt)*) => {
        $crate::serve::tell_line(&format!($($arg)*))
    };
}
pub(crate) use tell;

/// Writes one line of `serve`'s output to standard error, control characters made visible.
pub(crate) fn tell_line(text: &str) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "{}",
        crate::diagnostic::printable(text)
    );
}

use anyhow::Context;
use notify::Watcher;

use crate::incremental::{Cache, Files};
use crate::BuildOptions;

pub use reload::{inject, OVERLAY_ID};
pub use watch::{Changes, WatchPlan};

use http::accept_loop;
use rebuild::{rebuild, report_stale_checker};
use watch::{mode, relevant};

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
    tell!("watching for changes; press Ctrl-C to stop");
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
            Err(e) => tell!("warning: file watcher: {e}"),
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
        if changes.config || changes.rewatch {
            // `[build]` folders or the rules file may have moved: watch what the config names
            // now. A folder replaced under the same name is watched afresh.
            let next = WatchPlan::new(&build_opts.root, true);
            let again = changes.rewatch;
            for (path, _) in plan
                .paths
                .iter()
                .filter(|p| again || !next.paths.contains(p))
            {
                let _ = watcher.unwatch(path);
            }
            for (path, recursive) in next
                .paths
                .iter()
                .filter(|p| again || !plan.paths.contains(p))
            {
                if let Err(e) = watcher.watch(path, mode(*recursive)) {
                    tell!("warning: cannot watch `{}`: {e}", path.display());
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

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(cmd).arg(url).spawn() {
        tell!("cannot open a browser with `{cmd}`: {e}; open {url} yourself");
    }
}
