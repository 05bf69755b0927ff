//! One rebuild of the served site and its publication to the HTTP side.

use std::path::Path;
use std::time::Instant;

use super::Shared;
use crate::incremental::Cache;
use crate::BuildOptions;

/// Says in the terminal when the checker compiled into this binary is older than the sources
/// of the checkout at `root` (it is never rebuilt behind the reader's back, and never served
/// as if it were current). `changed`: the checker's code was just edited.
pub(super) fn report_stale_checker(root: &Path, changed: bool) {
    match crate::wasm::stale_in(root) {
        Some(message) => super::tell!("warning: {message}\n"),
        None if changed => super::tell!(
            "the checker's code matches what this binary was compiled from (again); the checker \
             served is current\n"
        ),
        None => {}
    }
}

/// Rebuilds and publishes the result to the server. `announce`: tell open pages (reload or
/// error overlay) and print the outcome; otherwise the new files are swapped in silently,
/// unless the run fails. Returns whether the build succeeded.
pub(super) fn rebuild(
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
                super::tell!("{w}\n");
            }
            state.files = cache.files();
            state.error = None;
            super::tell!(
                "built {} pages in {ms:.0} ms (files read: {}; Markdown: {} rendered, {} reused; templates: {} pages)",
                summary.pages,
                cache.stats.read,
                cache.stats.rendered,
                cache.stats.reused,
                cache.stats.pages_rendered
            );
        }
        Err(e) => {
            let text = e.to_string();
            super::tell!("{text}\nbuild failed; still serving the last good site");
            state.error = Some(text);
        }
    }
    drop(state);
    shared.changed.notify_all();
    ok
}
