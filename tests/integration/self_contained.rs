//! The binary is self-contained: copied next to nothing but a site (book.toml, content,
//! templates, static, lint), run with a PATH that has no cargo, rustc or rustup and an empty
//! environment, it builds the same site byte for byte as a build in the repository, the
//! checker's WebAssembly included. The browser suite tests a site built this way
//! ([`build_with_binary`]).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{repo_root, run};

/// What a site is made of (the repository's own, as shipped: `[checker] wasm = true`).
const SITE_PARTS: [&str; 5] = ["book.toml", "content", "templates", "static", "lint"];

/// Tools whose presence on PATH would let the binary build the checker behind our back.
const TOOLCHAIN: [&str; 3] = ["cargo", "rustc", "rustup"];

/// The current PATH without any folder that holds a Rust toolchain command.
fn path_without_toolchain() -> OsString {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let kept: Vec<PathBuf> = std::env::split_paths(&path)
        .filter(|dir| !TOOLCHAIN.iter().any(|tool| dir.join(tool).exists()))
        .collect();
    std::env::join_paths(kept).unwrap()
}

/// Copies the repository's site (not its code) into `to`.
pub(crate) fn copy_site(to: &Path) {
    for part in SITE_PARTS {
        let from = repo_root().join(part);
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(&from).unwrap();
            let dest = if rel.as_os_str().is_empty() {
                to.join(part)
            } else {
                to.join(part).join(rel)
            };
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
                std::fs::copy(entry.path(), &dest).unwrap();
            }
        }
    }
}

/// Runs the built binary's `build` in `site` (its working directory) with an empty
/// environment whose PATH has no cargo, rustc or rustup; panics with its output on failure.
pub(crate) fn build_with_binary(site: &Path, extra_args: &[&str]) {
    let path = path_without_toolchain();
    for dir in std::env::split_paths(&path) {
        for tool in TOOLCHAIN {
            assert!(
                !dir.join(tool).exists(),
                "{} is still on PATH",
                dir.join(tool).display()
            );
        }
    }
    let home = site.join(".home");
    std::fs::create_dir_all(&home).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_beian-guide"));
    cmd.arg("build")
        .args(extra_args)
        .current_dir(site)
        .env_clear()
        .env("PATH", path)
        .env("HOME", &home);
    let out = run(cmd);
    assert_eq!(
        out.code,
        0,
        "the binary failed to build {} without a toolchain:\n{}\n{}",
        site.display(),
        out.stdout,
        out.stderr
    );
}

/// Every file under `dir`, by `/` path relative to it.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_binary_builds_the_same_site_from_any_folder_without_a_toolchain() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("elsewhere/site");
    copy_site(&site);
    // Without the `.gz`/`.br` copies, most of a debug build's time: that they are the same
    // from any folder is tested by theme::two_builds_are_byte_identical.
    build_with_binary(&site, &["--no-precompress"]);
    let ours = tree(&site.join("public"));

    let mut opts = beian_guide::BuildOptions::new(repo_root());
    opts.out = Some(dir.path().join("in-repo"));
    opts.precompress = false;
    if let Err(e) = beian_guide::build(&opts) {
        panic!("{}", crate::common::error_text(&e));
    }
    let reference = tree(&dir.path().join("in-repo"));

    // The checker is there, as compiled into the binary.
    let embedded = beian_guide::wasm::embedded();
    for (path, bytes) in &embedded.files {
        assert_eq!(
            ours.get(path),
            Some(bytes),
            "{path} in the site built elsewhere"
        );
    }
    let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&ours), names(&reference));
    for (path, bytes) in &ours {
        assert!(
            reference.get(path) == Some(bytes),
            "{path} differs between the build in {} and the build in the repository",
            site.display()
        );
    }
}
