//! Browser tests: builds the real site (with the checker's WebAssembly) into a temp dir with the
//! built binary, from a copy of the site and without cargo on PATH, and runs
//! the headless-Chromium suite of tests/browser/run.mjs (playwright-core driving Debian's
//! Chromium, axe-core injected into the pages) over it; fails with the suite's output.
//!
//! Needs `node` and Chromium (`/usr/bin/chromium`, or the `CHROMIUM` variable). Under CI=true a
//! missing one fails the test; elsewhere the test is skipped with a loud message. The suite's npm
//! packages are installed with `npm ci` from the committed lock file when node_modules is
//! missing. Screenshots go to tests/artifacts/ (git-ignored).
//!
//! No port is picked here and passed on (another process could take it in between): the suite
//! listens first, on a port the system gives it, and says which; the site is built for that
//! address and the suite told to go on (`BUILD_AFTER_LISTEN`, see run.mjs).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::common::{repo_root, run};

/// What run.mjs prints, followed by the URL it serves, once it listens.
const LISTENING_LINE: &str = "browser suite listening on ";

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// A required tool is missing: a failure under CI, a loud skip elsewhere (returns None).
pub(crate) fn missing(what: &str, install: &str) -> Option<PathBuf> {
    if under_ci() {
        panic!("{what} is required for the browser tests under CI=true; install it: {install}");
    }
    eprintln!();
    eprintln!("!!! SKIPPING the browser tests: {what} not found ({install}).");
    eprintln!("!!! They fail under CI=true.");
    eprintln!();
    None
}

pub(crate) fn node() -> Option<PathBuf> {
    let ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        Some(PathBuf::from("node"))
    } else {
        missing("node", "apt-get install -y nodejs npm")
    }
}

pub(crate) fn chromium() -> Option<PathBuf> {
    let candidates = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .into_iter()
        .chain(["/usr/bin/chromium", "/usr/bin/chromium-browser"].map(PathBuf::from));
    for path in candidates {
        if path.is_file() {
            return Some(path);
        }
    }
    missing("Chromium", "apt-get install -y chromium")
}

/// Installs the suite's npm packages (playwright-core, axe-core, and vnu-jar for the HTML
/// validity test) from package-lock.json when they are not there yet.
pub(crate) fn npm_ci(suite: &Path) {
    // The browser suite and the HTML validity test both need the packages; one `npm ci` at a
    // time in the folder.
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = LOCK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if suite
        .join("node_modules/playwright-core/package.json")
        .is_file()
        && suite.join("node_modules/axe-core/axe.min.js").is_file()
        && suite
            .join("node_modules/vnu-jar/build/dist/vnu.jar")
            .is_file()
    {
        return;
    }
    let mut cmd = Command::new("npm");
    cmd.args(["ci", "--no-audit", "--no-fund"])
        .current_dir(suite);
    let out = run(cmd);
    assert_eq!(
        out.code,
        0,
        "`npm ci` in {} failed:\n{}\n{}",
        suite.display(),
        out.stdout,
        out.stderr
    );
}

/// The suite's process, killed if the test fails before it ends.
struct Suite(Child);

impl Drop for Suite {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

#[test]
fn browser_suite() {
    let (Some(node), Some(chromium)) = (node(), chromium()) else {
        return;
    };
    let suite = repo_root().join("tests/browser");
    npm_ci(&suite);

    // The real site, built for the address it is served from, so absolute URLs (404.html's
    // assets, canonical links) stay on 127.0.0.1; built by the binary from a copy of the site
    // in another folder, with no cargo on PATH (the checker comes from the binary). The suite
    // listens first and names its address; the site is built for it, then the suite goes on.
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source");
    let site = dir.path().join("site");
    crate::self_contained::copy_site(&source);

    let artifacts = repo_root().join("tests/artifacts");
    let mut cmd = Command::new(node);
    cmd.arg("--test-reporter=spec")
        .arg(suite.join("run.mjs"))
        .arg(&site)
        .arg(&artifacts)
        .env("BUILD_AFTER_LISTEN", "1")
        .env_remove("PORT")
        .env("CHROMIUM", &chromium)
        .env("NO_COLOR", "1")
        .current_dir(&suite)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = Suite(cmd.spawn().expect("cannot start node"));
    let mut stderr = child.0.stderr.take().unwrap();
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut stdout = BufReader::new(child.0.stdout.take().unwrap());
    let mut early = String::new();
    let url = loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            let _ = child.0.wait();
            panic!(
                "the browser suite ended before it listened; its output:\n{early}\n{}",
                stderr.join().unwrap()
            );
        }
        match line.trim_end().strip_prefix(LISTENING_LINE) {
            Some(url) => break url.to_owned(),
            None => early.push_str(&line),
        }
    };
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with('/'),
        "the suite listens on {url}"
    );
    let out_arg = site.to_string_lossy().into_owned();
    // Without the `.gz`/`.br` copies: the suite's server sends files as they are (the served
    // copies are tested through nginx, tests/integration/nginx.rs), and the suite measures
    // transfer sizes by compressing what it received.
    crate::self_contained::build_with_binary(
        &source,
        &["--out", &out_arg, "--base-url", &url, "--no-precompress"],
    );
    {
        let mut stdin = child.0.stdin.take().unwrap();
        stdin.write_all(b"built\n").unwrap();
    }
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let status = child.0.wait().unwrap();
    let (stdout, stderr) = (early + &rest, stderr.join().unwrap());
    assert!(
        status.success(),
        "the browser suite failed ({status}); its output:\n{stdout}\n{stderr}"
    );
    // The summary and the measured weights, shown with --nocapture.
    println!("{stdout}\n{stderr}");
}

/// What a comment may hide: markup that does something if a browser reads it as markup.
const LIVE: &str = "<img src=x onerror=\"window.__commentEscaped=true\"><meta http-equiv=\"refresh\" content=\"30;url=https://example.invalid/\"><iframe src=\"https://example.invalid/\"></iframe>";

/// Comments as contributors write them, and as a hostile one would (issue 22, item 1):
/// browsers end a comment at `-->`, `--!>`, `<!-->` and `<!--->`.
fn comment_variants() -> Vec<String> {
    let mut all = Vec::new();
    for c in [
        "<!-- note -->".to_owned(),
        "<!-- a -- b -->".to_owned(),
        "<!-- <!-- nested -->".to_owned(),
        format!("<!-- note --!>{LIVE} -->"),
        format!("<!-->{LIVE} -->"),
        format!("<!--->{LIVE} -->"),
        format!("<!-- {LIVE} -->"),
        format!("<!-- a --!\n>{LIVE} -->"),
        format!("<!-- first -->{LIVE}<!-- second -->"),
    ] {
        // Inline, between words, and as a block of its own.
        all.push(format!("前文{c}后文"));
        all.push(format!("前文\n\n{c}\n\n后文"));
    }
    all.push(format!(
        "前文\n\n<!-- line one\nline two --!>\n{LIVE}\n-->\n\n后文"
    ));
    all
}

/// Each comment variant is either refused by the build (naming its page) or, once accepted,
/// hides nothing in Chromium: a page that copied comments as they are (the old behaviour)
/// shows the live image, refresh and frame of the `--!>`/`<!-->` variants, and this fails.
#[test]
fn accepted_html_comments_cannot_end_early_in_chromium() {
    let (Some(node), Some(chromium)) = (node(), chromium()) else {
        return;
    };
    let suite = repo_root().join("tests/browser");
    npm_ci(&suite);
    let site = crate::common::Fixture::new("basic");
    let variants = comment_variants();
    for (i, body) in variants.iter().enumerate() {
        site.write(
            &format!("content/guides/c{i}.md"),
            &format!("+++\ntitle = \"注释{i}\"\n+++\n\n{body}\n"),
        );
    }
    // The pages the build refuses, by the diagnostics' file names.
    let check = site.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&check.stdout)
        .unwrap_or_else(|e| panic!("check printed no JSON ({e}): {}", check.stderr));
    let refused: std::collections::BTreeSet<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .filter_map(|d| d["file"].as_str())
        .map(str::to_owned)
        .collect();
    let mut accepted = Vec::new();
    for i in 0..variants.len() {
        let file = format!("content/guides/c{i}.md");
        if refused.contains(&file) {
            site.remove(&file);
        } else {
            accepted.push(format!("guides/c{i}.html"));
        }
    }
    assert!(
        refused.iter().all(|f| f.starts_with("content/guides/c")),
        "a page other than the variants was refused: {refused:?}\n{}",
        check.stderr
    );
    assert!(
        accepted.len() >= 6,
        "only {accepted:?} accepted; refused: {refused:?}"
    );
    let build = site.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let mut cmd = Command::new(node);
    cmd.arg(suite.join("comments.mjs"))
        .arg(site.out())
        .args(&accepted)
        .env("CHROMIUM", &chromium)
        .current_dir(&suite);
    let out = run(cmd);
    assert_eq!(
        out.code, 0,
        "markup inside an accepted comment is live in Chromium:\n{}\n{}",
        out.stdout, out.stderr
    );
    assert!(
        out.stdout
            .contains(&format!("{} passed, 0 failed", accepted.len())),
        "{}",
        out.stdout
    );
}
