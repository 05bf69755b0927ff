//! The checker's WebAssembly does not depend on where the clone is, nor on the machine's cargo
//! home, target folder or ambient flags:
//! - build/checker_wasm.rs (the recipe build.rs runs) is run on a second copy of the workspace,
//!   in another folder, with hostile ambient flags, and its output must equal the files embedded
//!   in this binary byte for byte, names included;
//! - the embedded module names no folder of this machine (a path reaches the module only as
//!   text: panic locations), while the registry sources it does name read `/cargo/…`.
//!
//! Also: the two wasm-bindgen pins agree.
//!
//! The copy is built in the nested target folder this binary's checker was built in
//! (`<target>/checker-wasm`), with the same cargo home, so the remapping flags are the same and
//! cargo reuses the registry crates and build tools compiled there: only the two workspace
//! crates (newer files at another path) are compiled and the module linked again. Cargo names
//! them by their path inside the workspace, so they replace this build's copies, and the next
//! nested build compiles those two crates again. With a target folder or cargo home of its own
//! the flags would differ, and cargo would compile every dependency again (about three minutes
//! on two cores); the second test covers those two folders instead.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::common::repo_root;

// Also compiled as `crate::wasm::shared`, which re-exports these items publicly.
#[allow(dead_code, unreachable_pub)]
#[path = "../../src/wasm/shared.rs"]
mod shared;

#[allow(dead_code)]
#[path = "../../src/checker/minify.rs"]
mod minify;

#[allow(dead_code)]
#[path = "../../build/checker_wasm.rs"]
mod checker_wasm;

/// What the nested build needs from the workspace (the root manifest names the bench and
/// test targets, so those must exist too).
const WORKSPACE_PARTS: [&str; 10] = [
    "Cargo.toml",
    "Cargo.lock",
    "rust-toolchain.toml",
    "build.rs",
    "build",
    "src",
    "checker-core",
    "checker-wasm",
    "benches",
    "tests/integration",
];

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_entry(|e| e.file_name() != "target")
    {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), &dest)
                .unwrap_or_else(|e| panic!("cannot copy {}: {e}", entry.path().display()));
        }
    }
}

/// What a CI job that sets flags for its own build may have in its environment: each of these
/// would change the module (or break the build) if it reached the nested cargo.
const HOSTILE: &[(&str, &str)] = &[
    ("RUSTFLAGS", "-Cdebug-assertions=on -Coverflow-checks=on"),
    ("CARGO_ENCODED_RUSTFLAGS", "-Copt-level=0"),
    ("CARGO_BUILD_RUSTFLAGS", "-Cdebug-assertions=on"),
    (
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
        "-Copt-level=1",
    ),
    ("RUSTC_WORKSPACE_WRAPPER", "/nonexistent/clippy-driver"),
    ("CARGO_BUILD_TARGET", "x86_64-unknown-linux-gnu"),
    ("CARGO_TARGET_DIR", "/nonexistent/target"),
    // Read by cargo or rustc as configuration, and passed on while the nested build only
    // removed a fixed list of variables (the review measured RUSTC_BOOTSTRAP and
    // CARGO_PROFILE_RELEASE_* changing the module's bytes and hashed name).
    ("RUSTC_BOOTSTRAP", "1"),
    ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1"),
    ("CARGO_PROFILE_RELEASE_LTO", "false"),
    ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256"),
    ("CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL", "0"),
    ("CARGO_PROFILE_WASM_RELEASE_PANIC", "unwind"),
    ("CARGO_BUILD_JOBS", "1"),
    ("CARGO_INCREMENTAL", "1"),
    ("RUSTC_WRAPPER", "/nonexistent/wrapper"),
];

/// The test's own environment with [`HOSTILE`] set.
fn hostile_env() -> Vec<(OsString, OsString)> {
    let mut env: Vec<(OsString, OsString)> = std::env::vars_os().collect();
    for (name, value) in HOSTILE {
        env.retain(|(n, _)| n != name);
        env.push((name.into(), value.into()));
    }
    env
}

/// The nested target folder build.rs used for this binary's checker: `checker-wasm` beside
/// `tmp` in the target folder.
fn nested_target_dir() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap();
    let nested = target.join("checker-wasm");
    assert!(
        nested.is_dir(),
        "{} is missing: build.rs builds the checker there when the target folder has its usual \
         layout",
        nested.display()
    );
    nested
}

/// The module embedded in this binary.
fn embedded_wasm() -> Vec<u8> {
    let embedded = beian_guide::wasm::embedded();
    embedded
        .files
        .into_iter()
        .find(|(path, _)| *path == embedded.wasm_path)
        .map(|(_, bytes)| bytes)
        .unwrap()
}

#[test]
fn the_wasm_built_from_another_clone_path_is_byte_identical() {
    let base = repo_root().join("target/wasm-clone-test");
    let clone = base.join("another-clone");
    let _ = std::fs::remove_dir_all(&clone);
    for part in WORKSPACE_PARTS {
        let from = repo_root().join(part);
        if from.is_dir() {
            copy_tree(&from, &clone.join(part));
        } else {
            std::fs::create_dir_all(clone.join(part).parent().unwrap()).unwrap();
            std::fs::copy(&from, clone.join(part))
                .unwrap_or_else(|e| panic!("cannot copy {}: {e}", from.display()));
        }
    }
    assert_ne!(clone, repo_root());
    let cargo_home = checker_wasm::Recipe::default_cargo_home().expect("no cargo home");
    let mut env = hostile_env();
    env.retain(|(n, _)| n != "CARGO_HOME");
    env.push(("CARGO_HOME".into(), cargo_home.clone().into()));

    let recipe = checker_wasm::Recipe {
        workspace: clone.clone(),
        target_dir: nested_target_dir(),
        cargo: std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()),
        // Run from the copy, so its rust-toolchain.toml picks the toolchain.
        rustc: "rustc".into(),
        cargo_home: Some(cargo_home),
        ambient_env: env,
    };
    let raw = recipe
        .compile(&mut |line| eprintln!("clone test: {line}"))
        .unwrap_or_else(|e| panic!("{e}"));
    let rebuilt = checker_wasm::bindgen(raw).unwrap_or_else(|e| panic!("{e}"));
    let embedded = beian_guide::wasm::embedded();

    assert_eq!(rebuilt.js_path, embedded.js_path);
    assert_eq!(rebuilt.wasm_path, embedded.wasm_path);
    let names = |files: &[(String, Vec<u8>)]| -> Vec<String> {
        files.iter().map(|(p, _)| p.clone()).collect()
    };
    assert_eq!(names(&rebuilt.files), names(&embedded.files));
    for ((path, ours), (_, theirs)) in rebuilt.files.iter().zip(&embedded.files) {
        assert!(
            ours == theirs,
            "{path} differs between the clone at {} ({} B) and this build ({} B)",
            clone.display(),
            ours.len(),
            theirs.len()
        );
    }
}

#[test]
fn the_embedded_wasm_names_no_folder_of_this_machine() {
    let wasm = embedded_wasm();
    let contains = |needle: &str| wasm.windows(needle.len()).any(|w| w == needle.as_bytes());
    // The registry sources' panic locations are there, under the remapped cargo home (so the
    // search below looks where paths are).
    assert!(
        contains("/cargo/registry/src/"),
        "the module names no registry source under /cargo/"
    );
    let cargo_home = checker_wasm::Recipe::default_cargo_home().expect("no cargo home");
    for folder in [
        repo_root(),
        cargo_home.as_path(),
        nested_target_dir().as_path(),
    ] {
        let folder = folder.to_str().unwrap();
        assert!(!contains(folder), "the checker's module names {folder}");
    }
}

/// `version = "=x.y.z"` of dependency `name` in the manifest at `path`, in any dependency
/// table.
fn pinned(path: &Path, name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    ["dependencies", "build-dependencies", "dev-dependencies"]
        .iter()
        .filter_map(|t| doc.get(*t)?.get(name))
        .map(|v| {
            v.as_str()
                .or_else(|| v.get("version")?.as_str())
                .unwrap_or_else(|| panic!("{}: {name} has no version", path.display()))
                .to_owned()
        })
        .collect()
}

/// Versions of package `name` in Cargo.lock.
fn locked(name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(repo_root().join("Cargo.lock")).unwrap();
    let lock: toml::Table = toml::from_str(&text).unwrap();
    lock["package"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["name"].as_str() == Some(name))
        .map(|p| p["version"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn wasm_bindgen_and_its_cli_support_are_pinned_to_one_version() {
    let bindings: PathBuf = repo_root().join("checker-wasm/Cargo.toml");
    let lib = pinned(&bindings, "wasm-bindgen");
    let cli = pinned(&repo_root().join("Cargo.toml"), "wasm-bindgen-cli-support");
    assert_eq!(lib.len(), 1, "{lib:?}");
    assert!(
        lib[0].starts_with('='),
        "wasm-bindgen must be pinned exactly: {lib:?}"
    );
    assert!(
        !cli.is_empty() && cli.iter().all(|v| *v == lib[0]),
        "wasm-bindgen-cli-support {cli:?} must be pinned like wasm-bindgen {lib:?}: the schema \
         of the module and of the bindgen step must match"
    );
    let version = lib[0].trim_start_matches('=');
    assert_eq!(locked("wasm-bindgen"), vec![version.to_owned()]);
    assert_eq!(locked("wasm-bindgen-cli-support"), vec![version.to_owned()]);
}

#[test]
fn the_nested_checker_build_passes_only_an_allow_list_of_variables() {
    for name in [
        "PATH",
        "HOME",
        "CARGO_HOME",
        "RUSTUP_HOME",
        "RUSTUP_TOOLCHAIN",
        "TMPDIR",
    ] {
        assert!(checker_wasm::reaches_nested_build(name.as_ref()), "{name}");
    }
    // Every hostile variable, and what cargo sets for a build script.
    let cargo_sets = [
        "OUT_DIR",
        "TARGET",
        "RUSTC",
        "CARGO_PKG_NAME",
        "CARGO_CFG_TARGET_OS",
    ];
    for name in HOSTILE.iter().map(|(n, _)| *n).chain(cargo_sets) {
        assert!(
            !checker_wasm::reaches_nested_build(name.as_ref()),
            "{name} reaches the nested build"
        );
    }
}
