//! What `serve` watches and what a change to each input invalidates.

use std::path::{Path, PathBuf};

use notify::{EventKind, RecursiveMode};

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
    /// A watched input folder was moved, removed, replaced or created at the site root: its
    /// watch (which follows the old folder, or is gone) must be set up again.
    pub rewatch: bool,
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
    /// The input folders the config names (content, templates, static, lint, the rules'
    /// folder), whether they exist or not.
    folders: Vec<PathBuf>,
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
        let mut folders = vec![
            content.clone(),
            templates.clone(),
            static_dir.clone(),
            abs(Path::new("lint")),
        ];
        for dir in &folders {
            if dir.is_dir() {
                paths.push((dir.clone(), true));
            }
        }
        folders.extend(rules.parent().map(Path::to_path_buf));
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
            folders,
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
        // An input folder (or a folder holding one) moved away, back, or replaced by a copy:
        // a watch follows the folder it was set on, not its name, so it is set up again.
        if self
            .folders
            .iter()
            .any(|f| f == path || (path.starts_with(&self.root) && f.starts_with(path)))
            && path != self.root
        {
            // Anything in it may differ now.
            changes.any = true;
            changes.site_wide = true;
            changes.rewatch = true;
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
        // rules and chain data and static files (templates may name their hashes) can change every page.
        if path == self.rules
            || path == self.rules.with_file_name(crate::chain::CHAIN_FILE)
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

pub(super) fn mode(recursive: bool) -> RecursiveMode {
    if recursive {
        RecursiveMode::Recursive
    } else {
        RecursiveMode::NonRecursive
    }
}

/// Creations, modifications and removals; not reads (the build itself reads every file).
pub(super) fn relevant(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

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
        assert_eq!(classify("content/checker/chain.toml"), (true, true, false));
        assert_eq!(classify("templates/page.html"), (true, true, false));
        assert_eq!(classify("static/style.css"), (true, true, false));
        assert_eq!(classify("book.toml"), (true, true, false));
        assert_eq!(classify("content/guides/.a.md.swp"), (false, false, false));
        assert_eq!(classify("content/guides/a.md~"), (false, false, false));
        assert_eq!(classify("public/index.html"), (false, false, false));
        assert_eq!(classify("README.md"), (false, false, false));
        let rewatch = |rel: &str| {
            let mut c = Changes::default();
            plan.classify(&abs.join(rel), &mut c);
            (c.any, c.rewatch)
        };
        assert_eq!(rewatch("content"), (true, true));
        assert_eq!(rewatch("static"), (true, true));
        assert_eq!(rewatch("lint"), (true, true));
        assert_eq!(rewatch("content/checker"), (true, true));
        assert_eq!(rewatch("content/guides"), (true, false));
        assert_eq!(rewatch("content/guides/a.md"), (true, false));
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
}
