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
use std::sync::OnceLock;

use beian_guide::{BuildError, BuildOptions, Summary};

/// The repository root (where Cargo.toml is).
pub(crate) fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture site copied into a temporary folder (deleted on drop).
pub(crate) struct Fixture {
    _dir: tempfile::TempDir,
    /// The site root inside the temp dir.
    pub root: PathBuf,
}

/// Result of running the binary.
#[derive(Debug)]
pub(crate) struct Run {
    /// Exit code (-1 if killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
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

/// Copies the repository's own site (content, theme, static files, lint list, book.toml) into
/// `root`, with `[checker] wasm = false`: the tests that use it do not need the WebAssembly.
pub(crate) fn copy_repo_site(root: &Path) {
    for part in ["content", "templates", "static", "lint"] {
        copy_dir(&repo_root().join(part), &root.join(part));
    }
    let book = std::fs::read_to_string(repo_root().join("book.toml")).unwrap();
    assert!(
        book.contains("\nwasm = true"),
        "book.toml no longer sets `wasm = true`; update tests/integration/common.rs"
    );
    std::fs::write(
        root.join("book.toml"),
        book.replace("\nwasm = true", "\nwasm = false"),
    )
    .unwrap();
}

/// Copies the repository's site into `dir/site` (see [`copy_repo_site`]) and builds it into
/// `out`, without the precompressed `.gz`/`.br` copies (most of a debug build's time; the
/// tests that read this site do not look at them, and theme::two_builds_are_byte_identical and
/// generate.rs test them).
pub(crate) fn build_repo_site(dir: &Path, out: &Path) {
    let root = dir.join("site");
    copy_repo_site(&root);
    let mut opts = BuildOptions::new(&root);
    opts.out = Some(out.to_path_buf());
    opts.precompress = false;
    beian_guide::build(&opts).unwrap();
}

/// The repository's site built once per test binary (shared by every module that only reads
/// it); returns the output folder.
pub(crate) fn built_repo_site() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, out) = SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        build_repo_site(dir.path(), &out);
        (dir, out)
    });
    out
}

/// `node` if it runs; None (with a note) outside CI when it is missing; a failure under CI,
/// naming the tests (`purpose`) that need it.
pub(crate) fn node(purpose: &str) -> Option<&'static str> {
    let found = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some("node");
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "node is required for the {purpose} under CI; install it (apt-get install -y nodejs)"
        );
    }
    eprintln!("note: node not found; skipping this test (it fails under CI=true)");
    None
}

/// A command for the binary under test, with no arguments yet.
pub(crate) fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_beian-guide"))
}

impl Fixture {
    /// The repository's own site (see [`copy_repo_site`]) in a fresh temp dir.
    pub(crate) fn repo() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_repo_site(&root);
        Fixture { _dir: dir, root }
    }

    /// Copies `tests/fixtures/<name>` into a fresh temp dir; a fixture without a `templates/`
    /// folder gets the small shared test theme from `tests/fixtures/_theme/templates`.
    pub(crate) fn new(name: &str) -> Fixture {
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
    pub(crate) fn with_repo_theme(self) -> Fixture {
        let _ = std::fs::remove_dir_all(self.root.join("templates"));
        copy_dir(&repo_root().join("templates"), &self.root.join("templates"));
        copy_dir(&repo_root().join("static"), &self.root.join("static"));
        self
    }

    /// Writes (or overwrites) a file inside the site.
    pub(crate) fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Deletes a file inside the site.
    pub(crate) fn remove(&self, rel: &str) {
        std::fs::remove_file(self.root.join(rel)).unwrap();
    }

    /// Library options for this site.
    pub(crate) fn options(&self) -> BuildOptions {
        BuildOptions::new(&self.root)
    }

    /// Builds with the library into `<root>/public`.
    pub(crate) fn build(&self) -> Result<Summary, BuildError> {
        beian_guide::build(&self.options())
    }

    /// Checks with the library.
    pub(crate) fn check(&self) -> Result<Summary, BuildError> {
        beian_guide::check(&self.options())
    }

    /// Builds and returns the error text (panics if the build succeeds).
    pub(crate) fn build_error(&self) -> String {
        match self.build() {
            Ok(_) => panic!("build of {} succeeded", self.root.display()),
            Err(e) => error_text(&e),
        }
    }

    /// The output folder.
    pub(crate) fn out(&self) -> PathBuf {
        self.root.join("public")
    }

    /// A generated file's text.
    pub(crate) fn output(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Runs the binary with `args` plus `--root <root>` (for `build`, `check`, `classify`).
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        let mut cmd = bin();
        cmd.args(args);
        if matches!(args.first(), Some(&("build" | "check" | "classify"))) {
            cmd.arg("--root").arg(&self.root);
        }
        run(cmd)
    }
}

/// Runs a prepared command and captures its output.
pub(crate) fn run(mut cmd: Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The text `main` prints for a failed run.
pub(crate) fn error_text(e: &BuildError) -> String {
    e.to_string()
}
