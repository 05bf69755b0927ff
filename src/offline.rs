//! The service worker (`sw.js` at the site root) that keeps the checker and the pages a reader
//! has opened working offline (issue 19, point 8). The worker's code is `offline/sw.js`; each
//! build writes it with that build's version (a hash of every file it precaches, so a new build
//! is a new worker, which replaces the old one and its cache on the reader's next online visit)
//! and the list of files to precache: the checker page of every edition and what it loads, the
//! theme's static files. `theme.js` registers it over http(s) only.

use crate::hash::content_hash;

/// Output path of the worker, relative to the site root (its folder is its scope: the site).
pub const SERVICE_WORKER: &str = "sw.js";

const SOURCE: &str = include_str!("offline/sw.js");

/// Whether a file is worth keeping for offline use from the first visit: the theme's files and
/// the checker's, not the base64 twin of the WebAssembly (only pages opened from disk load it,
/// and they never have a service worker) nor the rules' classic-script twin (the same).
pub fn precached(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let ext = name.rsplit('.').next().unwrap_or("");
    let file_only = name.starts_with("wasm.") || (name.starts_with("rules.") && ext == "js");
    matches!(ext, "js" | "css" | "wasm" | "json" | "svg" | "html") && !file_only
}

/// The worker's source for a build: `files` are `(path relative to the site root, bytes)` of
/// what it precaches (paths are written in the given order; the version hashes paths and bytes).
pub fn service_worker(files: &[(&str, &[u8])]) -> String {
    let mut all = Vec::new();
    for (rel, bytes) in files {
        all.extend_from_slice(rel.as_bytes());
        all.push(0);
        all.extend_from_slice(&content_hash(bytes).into_bytes());
    }
    let version = content_hash(&all);
    let list: Vec<&str> = files.iter().map(|(rel, _)| *rel).collect();
    let list = serde_json::to_string(&list).unwrap_or_else(|_| "[]".to_owned());
    SOURCE
        .replacen("\"__VERSION__\"", &format!("\"{version}\""), 1)
        .replacen("__PRECACHE__", &list, 1)
}

/// The worker of a build: the static files (read from disk), the checker's generated files
/// (`generated`: path and bytes) and the pages to keep from the first visit (`pages`: output
/// paths of the home and checker pages of each edition that has them).
pub fn for_build(
    static_files: &[crate::assets::StaticFile],
    generated: &[(&str, &[u8])],
    pages: &[&str],
) -> anyhow::Result<String> {
    use anyhow::Context as _;
    let mut read = Vec::new();
    for (rel, src) in static_files {
        if precached(rel) {
            let bytes =
                std::fs::read(src).with_context(|| format!("cannot read `{}`", src.display()))?;
            read.push((rel.as_str(), bytes));
        }
    }
    let mut files: Vec<(&str, &[u8])> = read.iter().map(|(r, b)| (*r, b.as_slice())).collect();
    files.extend(generated.iter().filter(|(rel, _)| precached(rel)).copied());
    // Pages are fetched fresh whenever the reader is online: their path is enough.
    files.extend(pages.iter().map(|p| (*p, &[][..])));
    Ok(service_worker(&files))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_changes_with_any_precached_file_and_the_list_is_written() {
        let a = service_worker(&[("style.css", b"a"), ("checker.html", b"<p>")]);
        let b = service_worker(&[("style.css", b"b"), ("checker.html", b"<p>")]);
        assert_ne!(a, b, "a changed file makes a new worker");
        assert_eq!(
            a,
            service_worker(&[("style.css", b"a"), ("checker.html", b"<p>")])
        );
        assert!(a.contains(r#"const PRECACHE = ["style.css","checker.html"];"#));
        assert!(!a.contains("__VERSION__") && !a.contains("__PRECACHE__"));
    }

    #[test]
    fn file_only_twins_are_not_precached() {
        assert!(precached("checker/checker.1a2b3c4d.wasm"));
        assert!(precached("checker/rules.zh-CN.1a2b3c4d.json"));
        assert!(precached("checker/rules.en.1a2b3c4d.json"));
        assert!(precached("style.css"));
        assert!(!precached("checker/wasm.1a2b3c4d.js"));
        assert!(!precached("checker/rules.zh-CN.1a2b3c4d.js"));
        assert!(!precached("checker/rules.en.1a2b3c4d.js"));
        assert!(!precached("notes.txt"));
    }
}
