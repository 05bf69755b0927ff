//! Shared helpers for the integration tests: copy a fixture site into a temp dir, build or
//! check it through the library, run the binary, read the output.
//!
//! Typical use from any test module:
//! ```ignore
//! let site = common::Fixture::new("basic");          // tests/fixtures/basic in a temp dir
//! site.write("content/x.md", "+++\ntitle = \"x\"\n+++\n");
//! site.build().unwrap();                               // library API, writes <root>/public
//! assert!(site.output("x.html").contains("<h1>x</h1>"));
//! let out = site.run(&["check"]);                      // the binary, `--root` added for you
//! assert_eq!(out.code, 1);
//! ```

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use beian_guide::diagnostic::Diagnostics;
use beian_guide::{BuildOptions, Summary};

/// The repository root (where Cargo.toml is).
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture site copied into a temporary folder (deleted on drop).
pub struct Fixture {
    _dir: tempfile::TempDir,
    /// The site root inside the temp dir.
    pub root: PathBuf,
}

/// Result of running the binary.
#[derive(Debug)]
pub struct Run {
    /// Exit code (-1 if killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

impl Fixture {
    /// Copies `tests/fixtures/<name>` into a fresh temp dir; a fixture without a `templates/`
    /// folder gets the small shared test theme from `tests/fixtures/_theme/templates`.
    pub fn new(name: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let fixtures = repo_root().join("tests/fixtures");
        copy_dir(&fixtures.join(name), &root);
        if !root.join("templates").exists() {
            copy_dir(&fixtures.join("_theme/templates"), &root.join("templates"));
        }
        Fixture { _dir: dir, root }
    }

    /// Replaces the fixture's templates by the repository's own, and adds the repository's
    /// static files to the fixture's.
    pub fn with_repo_theme(self) -> Fixture {
        let _ = std::fs::remove_dir_all(self.root.join("templates"));
        copy_dir(&repo_root().join("templates"), &self.root.join("templates"));
        copy_dir(&repo_root().join("static"), &self.root.join("static"));
        self
    }

    /// Writes (or overwrites) a file inside the site.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Deletes a file inside the site.
    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.root.join(rel)).unwrap();
    }

    /// Library options for this site.
    pub fn options(&self) -> BuildOptions {
        BuildOptions::new(&self.root)
    }

    /// Builds with the library into `<root>/public`.
    pub fn build(&self) -> anyhow::Result<Summary> {
        beian_guide::build(&self.options())
    }

    /// Checks with the library.
    pub fn check(&self) -> anyhow::Result<Summary> {
        beian_guide::check(&self.options())
    }

    /// Builds and returns the error text (panics if the build succeeds).
    pub fn build_error(&self) -> String {
        match self.build() {
            Ok(_) => panic!("build of {} succeeded", self.root.display()),
            Err(e) => error_text(&e),
        }
    }

    /// The output folder.
    pub fn out(&self) -> PathBuf {
        self.root.join("public")
    }

    /// A generated file's text.
    pub fn output(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Runs the binary with `args` plus `--root <root>` (for `build`, `check`, `classify`).
    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_beian-guide"));
        cmd.args(args);
        if matches!(args.first(), Some(&("build" | "check" | "classify"))) {
            cmd.arg("--root").arg(&self.root);
        }
        run(cmd)
    }
}

/// Runs a prepared command and captures its output.
pub fn run(mut cmd: Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The text `main` would print for a failed run.
pub fn error_text(e: &anyhow::Error) -> String {
    match e.downcast_ref::<Diagnostics>() {
        Some(d) => d.to_string(),
        None => format!("error: {e:#}"),
    }
}
