//! The binary: subcommands, exit codes, `--help`, `--version`, `--verbose`.

use crate::common::{self, Fixture};

#[test]
fn build_succeeds_and_reports() {
    let site = Fixture::new("basic");
    let out = site.run(&["build", "--verbose"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("markdown"),
        "verbose prints stage times: {}",
        out.stderr
    );
    assert!(out.stderr.contains("built 6 pages into"), "{}", out.stderr);
    assert!(site.out().join("index.html").is_file());
}

#[test]
fn build_honours_out_and_base_url() {
    let site = Fixture::new("basic");
    let dest = site.root.join("elsewhere");
    let out = site.run(&[
        "build",
        "--out",
        dest.to_str().unwrap(),
        "--base-url",
        "https://x.example/",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let sitemap = std::fs::read_to_string(dest.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://x.example/index.html</loc>"));
    assert!(!site.out().exists());
}

#[test]
fn check_writes_nothing_and_fails_with_exit_1() {
    let site = Fixture::new("basic");
    let ok = site.run(&["check"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(!site.out().exists(), "check must not write");

    let bad = Fixture::new("invalid-links");
    let out = bad.run(&["check"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("5 error(s), 0 warning(s)"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"));
}

#[test]
fn failed_build_exits_1_and_says_output_is_untouched() {
    let site = Fixture::new("invalid-front-matter");
    let out = site.run(&["build"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .ends_with("build failed; the previous output was left untouched\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn help_and_version() {
    let mut cmd = common::bin();
    cmd.arg("--help");
    let help = common::run(cmd);
    assert_eq!(help.code, 0);
    for sub in ["build", "check", "classify"] {
        assert!(help.stdout.contains(sub), "{}", help.stdout);
    }
    let mut cmd = common::bin();
    cmd.args(["build", "--help"]);
    let help = common::run(cmd);
    for flag in ["--root", "--out", "--base-url", "--drafts", "--verbose"] {
        assert!(help.stdout.contains(flag), "{}", help.stdout);
    }
    let mut cmd = common::bin();
    cmd.arg("--version");
    let version = common::run(cmd);
    assert_eq!(
        version.stdout,
        format!("beian-guide {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn missing_book_toml() {
    let site = Fixture::new("basic");
    site.remove("book.toml");
    let out = site.run(&["build"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with("error: cannot read `"),
        "{}",
        out.stderr
    );
    assert!(out
        .stderr
        .contains("= help: run the command from the site's folder or pass `--root DIR`"));
}

#[test]
fn check_and_build_run_the_content_lint_when_the_myth_list_exists() {
    let site = Fixture::new("basic");
    site.write(
        "lint/myths.toml",
        "[[myth]]\nid = \"filing-expires\"\npatterns = ['备案每年都要续费', '备案会过期']\nexplanation = \"备案本身不会过期。\"\nfact = \"1.1\"\n",
    );
    assert_eq!(
        site.run(&["check"]).code,
        0,
        "the fixture only states the myth inside [!MYTH]"
    );
    site.write(
        "content/guides/renew.md",
        "+++\ntitle = \"续费\"\nslug = \"renewal\"\n+++\n## 保持接入 {#keep}\n\n备案会过期。\n\n[坏链接](nope.md)\n",
    );
    let out = site.run(&["check"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("content/guides/renew.md:7"),
        "{}",
        out.stderr
    );
    // The lint does not hide the link graph's problems: both are reported in one run.
    assert!(
        out.stderr.contains("broken link `nope.md`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("2 error(s)"), "{}", out.stderr);
    assert_eq!(site.run(&["build"]).code, 1);
    assert!(
        !site.out().exists(),
        "a lint error stops the build before anything is written"
    );
}
