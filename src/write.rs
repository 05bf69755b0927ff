//! Stage `write` (the stage list is in `src/lib.rs`): the one place that writes a build to disk. Everything goes into a staging
//! folder next to the output folder, which then replaces the old one; a failed build deletes
//! the staging folder and leaves the old site.
//!
//! Safety rules, all enforced here:
//! - the output folder must not be, contain or lie inside the site root or a source folder or
//!   file, must not be a symbolic link or an existing file, and, when it is not empty, must be
//!   a previous build of this tool: every build writes a marker file ([`MARKER`]) listing the
//!   files it wrote, and a previous build is replaced only when it holds nothing else (so only
//!   what the tool wrote is ever deleted);
//! - every output path is a site-relative `/`-separated path checked component by component
//!   ([`check_output_path`]) and joined under the staging folder, never reinterpreted (no
//!   backslash translation); writing the same path twice is an error;
//! - staging and set-aside folders of crashed builds (`<out>.tmp-<pid>`, `<out>.old-<pid>`)
//!   are recognised by the marker and removed by the next build;
//! - a file the previous build wrote with the same bytes is hard-linked into the staging folder
//!   instead of written again (only listed regular files whose bytes match; the old folder is
//!   deleted after the swap, so no file of the new output shares its data).
//!
//! Unless turned off (`--no-precompress`, `[build] precompress = false`), every text file also
//! gets its `.gz` and `.br` copies ([`crate::precompress`]; a small per-page file gets the `.gz`
//! alone), listed in the marker like any other file: compressed on the rendering thread that
//! writes the file (a per-page file), or, for the site-wide files written from outside the
//! thread pool (static files, the checker's files, the sitemap), all at once in parallel before
//! the swap. The copies of a file the previous build wrote with the same bytes
//! are linked like the file, when that build compressed the same way.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use anyhow::Context;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::paths::check_file_name;

/// Name of the marker file at the top of every build's output.
pub const MARKER: &str = ".beian-guide-build";

/// First line of the marker file; the lines after it are the files the build wrote, and
/// [`crate::precompress::SETTINGS`] when it wrote precompressed copies (a line with a colon,
/// which no output path has).
const MARKER_HEADER: &str =
    "beian-guide build output: replaced by the next build; only the files listed here are ever deleted";

/// Where the output folder was named, for messages.
#[derive(Debug, Clone)]
pub enum OutputOrigin {
    /// `--out DIR` on the command line (or `BuildOptions::out`).
    CommandLine,
    /// `[build] build-dir` in book.toml, with the line that sets it when known and the file text.
    Config(Option<usize>, String),
}

/// The paths a build must never write over: the site root and its sources.
#[derive(Debug, Clone)]
pub struct Protected {
    /// The site root.
    pub root: PathBuf,
    /// (what it is, for messages; its path) for each source folder or file.
    pub sources: Vec<(String, PathBuf)>,
    /// Where the output folder was named.
    pub origin: OutputOrigin,
}

/// Checks one site-relative output path: `/`-separated, not empty, no empty, `.` or `..`
/// component, and no backslash, colon or control character in any component (those would be
/// reinterpreted as separators, drive letters or streams on some systems).
pub fn check_output_path(rel: &str) -> Result<(), String> {
    if rel.is_empty() {
        return Err("the output path is empty".to_owned());
    }
    for part in rel.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            return Err(format!(
                "output path `{rel}` has an empty, `.` or `..` component"
            ));
        }
        check_file_name(part).map_err(|e| format!("output path `{rel}`: {e}"))?;
    }
    Ok(())
}

/// Resolves `p` to an absolute path with every existing part's symbolic links resolved and `.`
/// and `..` removed, so that containment can be compared on real locations.
fn real_path(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut cur = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                cur.pop();
            }
            Component::CurDir => {}
            other => {
                cur.push(other);
                if let Ok(real) = std::fs::canonicalize(&cur) {
                    cur = real;
                }
            }
        }
    }
    cur
}

fn refuse(out: &Path, origin: &OutputOrigin, message: String, help: &str) -> anyhow::Error {
    let d = match origin {
        OutputOrigin::CommandLine => Diagnostic::error(out, message),
        OutputOrigin::Config(line, text) => {
            let d = Diagnostic::error(crate::config::CONFIG_FILE, message);
            match line {
                Some(l) => d.at(*l, None).with_source(text),
                None => d,
            }
        }
    };
    anyhow::Error::new(Diagnostics(vec![d.help(help)]))
}

const CHOOSE: &str = "choose another output folder with `--out DIR` or `[build] build-dir`";

/// Refuses an output folder that a build must not replace (see the module doc). Returns the
/// files a previous build wrote there (empty when the folder is new or empty).
pub fn check_output(out: &Path, protected: &Protected) -> anyhow::Result<BTreeSet<String>> {
    let origin = &protected.origin;
    let shown = out.display();
    if let Ok(meta) = std::fs::symlink_metadata(out) {
        if meta.file_type().is_symlink() {
            return Err(refuse(
                out,
                origin,
                format!("output folder `{shown}` is a symbolic link"),
                &format!("the build replaces the output folder and never follows or removes a link; {CHOOSE}, or name the link's target itself"),
            ));
        }
        if !meta.is_dir() {
            return Err(refuse(
                out,
                origin,
                format!("output folder `{shown}` is an existing file"),
                &format!("the build would replace it; {CHOOSE}, or move the file away"),
            ));
        }
    }
    let real_out = real_path(out);
    let real_root = real_path(&protected.root);
    let site = std::iter::once(("the site root".to_owned(), real_root.clone())).chain(
        protected
            .sources
            .iter()
            .map(|(what, p)| (what.clone(), real_path(&protected.root.join(p)))),
    );
    for (what, real) in site {
        let relation = if real == real_out {
            "is"
        } else if real.starts_with(&real_out) {
            "contains"
        } else if real_out.starts_with(&real) && real != real_root {
            "lies inside"
        } else {
            continue;
        };
        return Err(refuse(
            out,
            origin,
            format!("output folder `{shown}` {relation} {what}"),
            &format!("the build replaces its output folder, which would destroy the sources; {CHOOSE} (the default is `public` in the site root)"),
        ));
    }
    // The real location's parent, where the staging folder goes, must not be in the sources
    // either; that is covered above, since the output folder itself would be.
    let Ok(entries) = std::fs::read_dir(out) else {
        return Ok(BTreeSet::new());
    };
    if entries.into_iter().next().is_none() {
        return Ok(BTreeSet::new());
    }
    let marker = out.join(MARKER);
    let listed = match std::fs::read_to_string(&marker) {
        Ok(text) if text.lines().next() == Some(MARKER_HEADER) => {
            text.lines().skip(1).map(str::to_owned).collect::<BTreeSet<_>>()
        }
        _ => {
            return Err(refuse(
                out,
                origin,
                format!("output folder `{shown}` is not empty and is not a previous build of beian-guide (it has no `{MARKER}` file)"),
                &format!("the build replaces its output folder; {CHOOSE}, or empty or delete `{shown}` yourself"),
            ))
        }
    };
    let mut foreign = Vec::new();
    // In the file system's order (sorting every folder's names was half of this check's cost);
    // what is reported is sorted below.
    for entry in walkdir::WalkDir::new(out).min_depth(1) {
        let entry = entry.with_context(|| format!("cannot read the output folder `{shown}`"))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(out)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .into_owned();
        // Path separators are `/` in the list on every system.
        let rel = rel.replace(std::path::MAIN_SEPARATOR, "/");
        if rel != MARKER && !listed.contains(&rel) {
            foreign.push(rel);
        }
    }
    foreign.sort_unstable();
    if let Some(first) = foreign.first() {
        let more = match foreign.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        return Err(refuse(
            out,
            origin,
            format!("output folder `{shown}` holds `{first}`{more}, which the previous build did not write"),
            "the build replaces its output folder and deletes only what it wrote; move those files out (files to publish belong in the static folder), or delete the folder yourself",
        ));
    }
    Ok(listed)
}

/// A staging folder that becomes the output folder on `finish`, and is removed if dropped before.
#[derive(Debug)]
pub struct Staging {
    tmp: PathBuf,
    out: PathBuf,
    written: Mutex<BTreeSet<String>>,
    /// Folders already created inside `tmp`: creating a page's folder again for each of its
    /// files was two system calls per file (`mkdir` failing, then `stat`).
    dirs: Mutex<std::collections::HashSet<PathBuf>>,
    /// The files the previous build wrote into `out` (checked by [`check_output`]).
    previous: BTreeSet<String>,
    /// Whether text files get precompressed copies.
    precompress: bool,
    /// Files written from outside the thread pool (the site-wide files), compressed in parallel
    /// by `finish`.
    deferred: Mutex<Vec<(String, Vec<u8>, bool)>>,
    /// Compressions of large files under way (see [`LARGE_FILE`]).
    large: Gate,
    done: bool,
}

/// Files from this size are compressed [`LARGE_AT_ONCE`] at a time: brotli's tables grow with
/// the window, which grows with the file (up to 4 MiB), and with a thread per core compressing
/// print editions and search shards at once, peak memory grew with the thread count (10,000
/// pages as shipped: 551 MB with 8 threads against 278 MB with 2).
const LARGE_FILE: usize = 128 << 10;
/// How many large files are compressed at once.
const LARGE_AT_ONCE: usize = 2;

/// A counting semaphore: at most [`LARGE_AT_ONCE`] holders.
#[derive(Debug, Default)]
struct Gate {
    busy: Mutex<usize>,
    freed: std::sync::Condvar,
}

impl Gate {
    /// Runs `f` once fewer than [`LARGE_AT_ONCE`] others are running. (A thread waiting here
    /// holds nothing another holder needs, so it cannot deadlock.)
    fn run<T>(&self, f: impl FnOnce() -> T) -> T {
        let lock = || {
            self.busy
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        {
            let mut busy = lock();
            while *busy >= LARGE_AT_ONCE {
                busy = self
                    .freed
                    .wait(busy)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
            }
            *busy += 1;
        }
        let out = f();
        *lock() -= 1;
        self.freed.notify_one();
        out
    }
}

fn sibling_name(out: &Path) -> anyhow::Result<String> {
    Ok(out
        .file_name()
        .with_context(|| format!("output folder `{}` has no name", out.display()))?
        .to_string_lossy()
        .into_owned())
}

fn sibling(out: &Path, tag: &str) -> anyhow::Result<PathBuf> {
    let name = sibling_name(out)?;
    Ok(out.with_file_name(format!("{name}.{tag}-{}", std::process::id())))
}

/// Whether the process `pid` may still be running (Linux: it has a `/proc` entry; elsewhere
/// there is no cheap portable test and it is taken as ended).
fn process_alive(pid: u32) -> bool {
    Path::new("/proc/self").exists() && Path::new("/proc").join(pid.to_string()).exists()
}

/// Removes `<out>.tmp-<pid>` and `<out>.old-<pid>` folders left by builds that were killed:
/// only real folders (not links) that carry the marker, of processes that have ended.
fn clean_crashed(out: &Path) -> anyhow::Result<()> {
    let name = sibling_name(out)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(entries) = std::fs::read_dir(&parent) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let Some(rest) = file_name.strip_prefix(&name) else {
            continue;
        };
        let pid = rest
            .strip_prefix(".tmp-")
            .or_else(|| rest.strip_prefix(".old-"))
            .and_then(|p| p.parse::<u32>().ok());
        let Some(pid) = pid else { continue };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if pid == std::process::id() || !is_dir || process_alive(pid) {
            continue;
        }
        let path = entry.path();
        if path.join(MARKER).is_file() {
            remove_tree(&path)?;
        }
    }
    Ok(())
}

impl Staging {
    /// Checks `out` (see [`check_output`]), removes what crashed builds left, and creates the
    /// staging folder `<out>.tmp-<pid>` next to `out`.
    /// `precompress`: whether text files get `.gz` and `.br` copies.
    pub fn new(out: &Path, protected: &Protected, precompress: bool) -> anyhow::Result<Staging> {
        let previous = check_output(out, protected)?;
        clean_crashed(out)?;
        let tmp = sibling(out, "tmp")?;
        if std::fs::symlink_metadata(&tmp).is_ok() {
            anyhow::bail!(
                "the staging folder `{}` already exists and was not left by an ended build; remove it",
                tmp.display()
            );
        }
        std::fs::create_dir_all(&tmp)
            .with_context(|| format!("cannot create `{}`", tmp.display()))?;
        // Marked from the start, so a killed build's staging folder is recognised as ours.
        std::fs::write(tmp.join(MARKER), format!("{MARKER_HEADER}\n"))
            .with_context(|| format!("cannot write `{}`", tmp.join(MARKER).display()))?;
        Ok(Staging {
            tmp,
            out: out.to_path_buf(),
            written: Mutex::new(BTreeSet::new()),
            dirs: Mutex::new(std::collections::HashSet::new()),
            previous,
            precompress,
            deferred: Mutex::new(Vec::new()),
            large: Gate::default(),
            done: false,
        })
    }

    /// The file `rel` (a checked site-relative path) will be written to.
    fn target(&self, rel: &str) -> anyhow::Result<PathBuf> {
        check_output_path(rel).map_err(anyhow::Error::msg)?;
        if rel == MARKER {
            anyhow::bail!("output path `{rel}` is reserved for the build's marker file");
        }
        let mut path = self.tmp.clone();
        path.extend(rel.split('/'));
        // Implied by the check above; kept as the last line of defence before writing.
        let inside = path
            .strip_prefix(&self.tmp)
            .is_ok_and(|r| r.components().all(|c| matches!(c, Component::Normal(_))));
        if !inside {
            anyhow::bail!("output path `{rel}` leaves the output folder");
        }
        let mut written = self
            .written
            .lock()
            .map_err(|_| anyhow::anyhow!("a writing thread panicked"))?;
        if !written.insert(rel.to_owned()) {
            anyhow::bail!("two outputs of the build are both written to `{rel}`");
        }
        Ok(path)
    }

    /// Writes `bytes` to `rel` (a site-root-relative path) inside the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.target(rel)?;
        if let Some(parent) = path.parent() {
            let known = self
                .dirs
                .lock()
                .map_err(|_| anyhow::anyhow!("a writing thread panicked"))?
                .contains(parent);
            if !known {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create `{}`", parent.display()))?;
                self.dirs
                    .lock()
                    .map_err(|_| anyhow::anyhow!("a writing thread panicked"))?
                    .insert(parent.to_path_buf());
            }
        }
        let unchanged = self.unchanged(rel, bytes, &path);
        if !unchanged {
            std::fs::write(&path, bytes)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
        }
        if self.precompress && crate::precompress::applies(rel) {
            // The rendering threads write the per-page files.
            if rayon::current_thread_index().is_some() {
                self.write_compressed(rel, bytes, unchanged, true)?;
            } else {
                self.deferred
                    .lock()
                    .map_err(|_| anyhow::anyhow!("a writing thread panicked"))?
                    .push((rel.to_owned(), bytes.to_vec(), unchanged));
            }
        }
        Ok(())
    }

    /// Writes the `.gz` and `.br` copies of the file `rel` (just written with `bytes`; a
    /// `per_page` file or a site-wide one) where they help; links the previous build's copies
    /// instead when the file is `unchanged` and that build compressed the same way (it kept a
    /// copy exactly where one helped).
    fn write_compressed(
        &self,
        rel: &str,
        bytes: &[u8],
        unchanged: bool,
        per_page: bool,
    ) -> anyhow::Result<()> {
        let reuse = unchanged && self.previous.contains(crate::precompress::SETTINGS);
        let mut smallest = bytes.len();
        for &(suffix, encode) in crate::precompress::encodings(rel, bytes.len(), per_page) {
            let name = format!("{rel}.{suffix}");
            if reuse && !self.previous.contains(&name) {
                continue;
            }
            let path = self.target(&name).map_err(|e| {
                e.context(format!(
                    "`{name}` is also the name of the precompressed copy of `{rel}`: rename the file, or build with `--no-precompress`"
                ))
            })?;
            if reuse {
                let mut old = self.out.clone();
                old.extend(name.split('/'));
                if std::fs::hard_link(&old, &path).is_ok() {
                    continue;
                }
            }
            // A copy is kept where it helps, and a `.br` only where it is smaller than the `.gz`
            // (a server sends the `.br` to a reader who accepts both).
            let compressed = match bytes.len() >= LARGE_FILE {
                true => self.large.run(|| encode(rel, bytes)),
                false => encode(rel, bytes),
            };
            match compressed {
                Some(c)
                    if crate::precompress::helps(bytes.len(), c.len()) && c.len() < smallest =>
                {
                    smallest = c.len();
                    std::fs::write(&path, c)
                        .with_context(|| format!("cannot write `{}`", path.display()))?;
                }
                _ => self.forget(&name)?,
            }
        }
        Ok(())
    }

    /// Takes `rel` off the list of written files (a copy that was not kept).
    fn forget(&self, rel: &str) -> anyhow::Result<()> {
        self.written
            .lock()
            .map_err(|_| anyhow::anyhow!("a writing thread panicked"))?
            .remove(rel);
        Ok(())
    }

    /// When the previous build wrote exactly `bytes` to `rel` as a regular file, links that
    /// file into the staging folder instead of writing it again: a rebuild of a large site
    /// changes few files, and creating a link then removing the old folder's name costs the
    /// file system far less than allocating, writing and later freeing the same bytes. The
    /// old folder is deleted after the swap, so the new output is left with plain files.
    fn unchanged(&self, rel: &str, bytes: &[u8], path: &Path) -> bool {
        if !self.previous.contains(rel) {
            return false;
        }
        let mut old = self.out.clone();
        old.extend(rel.split('/'));
        let same = std::fs::symlink_metadata(&old)
            .is_ok_and(|m| m.file_type().is_file() && m.len() == bytes.len() as u64)
            && std::fs::read(&old).is_ok_and(|b| b == bytes);
        same && std::fs::hard_link(&old, path).is_ok()
    }

    /// Copies the file at `src` to `rel`.
    pub fn copy(&self, rel: &str, src: &Path) -> anyhow::Result<()> {
        let bytes =
            std::fs::read(src).with_context(|| format!("cannot read `{}`", src.display()))?;
        self.write(rel, &bytes)
    }

    /// Writes the marker with the list of written files, then swaps the staging folder in
    /// place of the output folder.
    pub fn finish(mut self) -> anyhow::Result<PathBuf> {
        {
            use rayon::prelude::*;
            let deferred = std::mem::take(
                &mut *self
                    .deferred
                    .lock()
                    .map_err(|_| anyhow::anyhow!("a writing thread panicked"))?,
            );
            deferred
                .par_iter()
                .try_for_each(|(rel, bytes, unchanged)| {
                    self.write_compressed(rel, bytes, *unchanged, false)
                })?;
        }
        let mut marker = format!("{MARKER_HEADER}\n");
        if self.precompress {
            marker.push_str(crate::precompress::SETTINGS);
            marker.push('\n');
        }
        {
            let written = self
                .written
                .lock()
                .map_err(|_| anyhow::anyhow!("a writing thread panicked"))?;
            for rel in written.iter() {
                marker.push_str(rel);
                marker.push('\n');
            }
        }
        std::fs::write(self.tmp.join(MARKER), marker)
            .with_context(|| format!("cannot write `{}`", self.tmp.join(MARKER).display()))?;
        let old = sibling(&self.out, "old")?;
        let had_old = self.out.exists();
        if had_old {
            std::fs::rename(&self.out, &old).with_context(|| {
                format!(
                    "cannot move the previous output `{}` aside",
                    self.out.display()
                )
            })?;
        }
        std::fs::rename(&self.tmp, &self.out).with_context(|| {
            format!(
                "cannot move `{}` to `{}`",
                self.tmp.display(),
                self.out.display()
            )
        })?;
        self.done = true;
        if had_old {
            remove_tree(&old)?;
        }
        Ok(self.out.clone())
    }
}

/// Removes a folder tree: the top two levels in parallel, each deeper folder with
/// `remove_dir_all` (which unlinks relative to an open folder instead of resolving every full
/// path again); a large previous site is most of the time a rebuild spends in the kernel.
fn remove_tree(dir: &Path) -> anyhow::Result<()> {
    remove_level(dir, 2)
}

fn remove_level(dir: &Path, parallel_depth: usize) -> anyhow::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<(PathBuf, bool)> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read `{}`", dir.display()))?
        .map(|e| {
            let e = e.with_context(|| format!("cannot read `{}`", dir.display()))?;
            // Never follows a link: a link is removed as a file.
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            Ok((e.path(), is_dir))
        })
        .collect::<anyhow::Result<_>>()?;
    entries
        .par_iter()
        .try_for_each(|(path, is_dir)| match (*is_dir, parallel_depth > 1) {
            (true, true) => remove_level(path, parallel_depth - 1),
            (true, false) => std::fs::remove_dir_all(path)
                .with_context(|| format!("cannot remove `{}`", path.display())),
            (false, _) => std::fs::remove_file(path)
                .with_context(|| format!("cannot remove `{}`", path.display())),
        })?;
    std::fs::remove_dir(dir).with_context(|| format!("cannot remove `{}`", dir.display()))
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            // Best effort: a leftover staging folder is marked and removed by the next build.
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_lets_no_more_than_its_limit_run_at_once_and_runs_everyone() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let gate = Gate::default();
        let (running, most, done) = (
            AtomicUsize::new(0),
            AtomicUsize::new(0),
            AtomicUsize::new(0),
        );
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..20 {
                        gate.run(|| {
                            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            std::thread::yield_now();
                            running.fetch_sub(1, Ordering::SeqCst);
                            done.fetch_add(1, Ordering::SeqCst);
                        });
                    }
                });
            }
        });
        assert_eq!(done.load(Ordering::SeqCst), 160);
        assert!(most.load(Ordering::SeqCst) <= LARGE_AT_ONCE);
        assert!(most.load(Ordering::SeqCst) >= 1);
    }

    #[test]
    fn output_paths_are_checked_component_by_component() {
        assert!(check_output_path("guides/a.html").is_ok());
        assert!(check_output_path("备案/续费.html").is_ok());
        for bad in [
            "",
            "/etc/x",
            "a//b",
            "../x",
            "a/../../x",
            "./a",
            "..\\..\\x.html",
            "a\\b",
            "c:x",
            "a\u{0}b",
        ] {
            assert!(check_output_path(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
