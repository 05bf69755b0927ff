//! Builds the checker's WebAssembly (checker-wasm for wasm32, then wasm-bindgen as a library)
//! and names the files by content hash.
//!
//! The steps are: make sure the `wasm32-unknown-unknown` target is installed (adding it through
//! rustup when it is not), run a nested `cargo build` of `beian-checker-wasm` with its own target
//! directory (so it never waits on the lock of the cargo that runs us), run wasm-bindgen's
//! `--target web` step in-process through `wasm-bindgen-cli-support`, and name the two files
//! `checker/checker.<hash>.{js,wasm}` so browsers can cache them forever, plus a tiny unhashed
//! `checker/loader.js` re-exporting the glue for pages that cannot name the hash.
//!
//! Size notes (budget: wasm + glue at most 100 KiB gzip, checked by the parity tests): the
//! `wasm-release` profile (opt-level "s", fat LTO, one codegen unit, panic = abort) plus
//! debug-info stripping and wasm-bindgen's removal of the name and producers sections give about
//! 227 KiB raw / 81 KiB gzip for the module (dates are formatted by hand in checker-core, so
//! chrono's strftime machinery is not linked). Most of it is serde_json deserializing the rules
//! structs (~40 KiB raw) and the BTreeMap code per map type (~30 KiB); float formatting in serde
//! error messages is ~16 KiB raw. Not done: `wasm-opt` (the crates.io `wasm-opt` crate compiles
//! Binaryen's C++ on every fresh clone, minutes on two cores) and `opt-level = "z"` (larger here).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context};

/// The target triple the checker is compiled for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The Cargo profile (declared in the root Cargo.toml) used for the WebAssembly build.
pub const WASM_PROFILE: &str = "wasm-release";
/// The package holding the bindings.
pub const WASM_PACKAGE: &str = "beian-checker-wasm";
/// Folder of the checker's files inside the site.
pub const OUTPUT_DIR: &str = "checker";
/// Unhashed module re-exporting the hashed glue, for widgets whose HTML cannot name the hash
/// (checker embeds rendered before the WebAssembly is built).
pub const LOADER_NAME: &str = "loader.js";
/// Stem wasm-bindgen uses for its output; the glue refers to `<stem>_bg.wasm` until we rename it.
const BINDGEN_STEM: &str = "checker";

/// The compiled checker, ready to be written into the site.
#[derive(Debug, Clone)]
pub struct WasmAssets {
    /// (output path relative to the site root, bytes), e.g. `checker/checker.1a2b3c4d.wasm`.
    pub files: Vec<(String, Vec<u8>)>,
    /// Site-root-relative path of the JS glue module.
    pub js_path: String,
    /// Site-root-relative path of the `.wasm` file.
    pub wasm_path: String,
}

impl WasmAssets {
    /// The bytes of the file at the site-root-relative `path`, if it is one of ours.
    pub fn file(&self, path: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, bytes)| bytes.as_slice())
    }
}

/// Compiles `checker-wasm` from the workspace at `workspace_root` and runs wasm-bindgen over it.
///
/// Progress goes to stderr when `verbose` is set; a failing compilation always shows cargo's
/// output.
pub fn build_checker_wasm(workspace_root: &Path, verbose: bool) -> anyhow::Result<WasmAssets> {
    ensure_wasm_target(workspace_root)?;
    let raw = compile(workspace_root, verbose)?;
    let started = Instant::now();
    let assets = bindgen(raw)?;
    if verbose {
        eprintln!(
            "checker wasm: wasm-bindgen in {:.0?} ({} bytes wasm, {} bytes JS)",
            started.elapsed(),
            assets.file(&assets.wasm_path).map_or(0, <[u8]>::len),
            assets.file(&assets.js_path).map_or(0, <[u8]>::len),
        );
    }
    Ok(assets)
}

/// Runs wasm-bindgen (`--target web`) over the compiled module and names the outputs by hash.
///
/// Public so that tests can check the naming on a module they compiled once.
pub fn bindgen(raw_wasm: Vec<u8>) -> anyhow::Result<WasmAssets> {
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_bytes(BINDGEN_STEM, raw_wasm)
        .web(true)?
        .typescript(false)
        // Keep the default `new URL('<stem>_bg.wasm', import.meta.url)` so that the glue can
        // load the module on its own; the name is replaced by the hashed one below.
        .omit_default_module_path(false)
        .remove_name_section(true)
        .remove_producers_section(true);
    let mut output = bindgen
        .generate_output()
        .context("wasm-bindgen failed on the checker's WebAssembly")?;
    if output.snippets().values().any(|list| !list.is_empty()) || !output.local_modules().is_empty()
    {
        bail!(
            "wasm-bindgen produced JS snippets for {WASM_PACKAGE}; the bindings must stay \
             self-contained (remove `#[wasm_bindgen(module = ...)]` / inline_js imports)"
        );
    }
    let wasm = output.wasm_mut().emit_wasm();
    let wasm_name = format!("checker.{}.wasm", content_hash(&wasm));

    let default_ref = format!("'{BINDGEN_STEM}_bg.wasm'");
    let glue = output.js();
    let count = glue.matches(&default_ref).count();
    if count != 1 {
        bail!(
            "the wasm-bindgen glue refers to {default_ref} {count} times (expected once); \
             the pinned wasm-bindgen version changed its output, update src/wasm.rs"
        );
    }
    let js = glue
        .replace(&default_ref, &format!("'{wasm_name}'"))
        .into_bytes();
    let js_name = format!("checker.{}.js", content_hash(&js));

    let js_path = format!("{OUTPUT_DIR}/{js_name}");
    let wasm_path = format!("{OUTPUT_DIR}/{wasm_name}");
    let loader = format!(
        "// Stable entry to the checker module for pages rendered before the hashed names were \
         known.\nexport * from \"./{js_name}\";\nexport {{ default }} from \"./{js_name}\";\n"
    );
    Ok(WasmAssets {
        files: vec![
            (js_path.clone(), js),
            (wasm_path.clone(), wasm),
            (format!("{OUTPUT_DIR}/{LOADER_NAME}"), loader.into_bytes()),
        ],
        js_path,
        wasm_path,
    })
}

/// Eight hex digits naming `bytes`: FNV-1a 64, folded to 32 bits.
///
/// It only has to change when the content changes (cache busting), not resist attacks, and
/// unlike `std`'s `DefaultHasher` its output is fixed across Rust releases, so two builds of
/// the same input stay byte-identical on any toolchain.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{:08x}", (h >> 32) ^ (h & 0xffff_ffff))
}

/// The cargo to run: the one running us (`CARGO`, set by `cargo run`), else `cargo` on PATH.
fn cargo_program() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"))
}

/// A command run from the workspace root, so that its rust-toolchain.toml picks the toolchain
/// (unless `RUSTUP_TOOLCHAIN` is set, as `cargo run` does, which names the one in use).
fn command(program: impl Into<OsString>, workspace_root: &Path) -> Command {
    let mut cmd = Command::new(program.into());
    cmd.current_dir(workspace_root);
    cmd
}

/// The library folder of the wasm32 standard library for the toolchain in use, if installed.
fn wasm_target_libdir(workspace_root: &Path) -> anyhow::Result<Option<PathBuf>> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| OsString::from("rustc"));
    let out = command(rustc.clone(), workspace_root)
        .args(["--print", "target-libdir", "--target", WASM_TARGET])
        .stdin(Stdio::null())
        .output()
        .with_context(|| {
            format!(
                "cannot run `{} --print target-libdir`",
                rustc.to_string_lossy()
            )
        })?;
    if !out.status.success() {
        // Toolchains that do not know the target at all fail here; treat it as "not installed".
        return Ok(None);
    }
    let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let has_core = std::fs::read_dir(&dir)
        .map(|entries| {
            entries.flatten().any(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                name.starts_with("libcore-") && name.ends_with(".rlib")
            })
        })
        .unwrap_or(false);
    Ok(has_core.then_some(dir))
}

/// The rustup command that installs the target for the toolchain in use.
fn rustup_add_args() -> Vec<String> {
    let mut args = vec!["target".to_owned(), "add".to_owned()];
    if let Ok(toolchain) = std::env::var("RUSTUP_TOOLCHAIN") {
        if !toolchain.is_empty() {
            args.push("--toolchain".to_owned());
            args.push(toolchain);
        }
    }
    args.push(WASM_TARGET.to_owned());
    args
}

/// Makes sure the wasm32 standard library is installed, adding it through rustup if needed.
fn ensure_wasm_target(workspace_root: &Path) -> anyhow::Result<()> {
    if wasm_target_libdir(workspace_root)?.is_some() {
        return Ok(());
    }
    let args = rustup_add_args();
    let shown = format!("rustup {}", args.join(" "));
    let rustup_present = command("rustup", workspace_root)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !rustup_present {
        bail!(
            "the {WASM_TARGET} target is not installed for this Rust toolchain and rustup was not \
             found\n  help: install rustup and run `{shown}` (or install your distribution's \
             wasm32 standard library), or set `wasm = false` under [checker] in book.toml"
        );
    }
    eprintln!("checker wasm: the {WASM_TARGET} target is missing; running `{shown}`");
    let status = command("rustup", workspace_root)
        .args(&args)
        .stdin(Stdio::null())
        .status()
        .with_context(|| format!("cannot run `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})\n  help: run it yourself, then build again");
    }
    if wasm_target_libdir(workspace_root)?.is_none() {
        bail!(
            "`{shown}` succeeded but rustc still has no {WASM_TARGET} standard library\n  help: \
             check which toolchain `rustc --version` uses in {}",
            workspace_root.display()
        );
    }
    Ok(())
}

/// A `--config` value remapping the workspace and the cargo home to fixed names, so two
/// clones in different folders build the same bytes.
fn remap_rustflags(workspace_root: &Path) -> String {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let mut pairs = vec![(workspace_root.to_path_buf(), "/beian-guide")];
    if let Some(home) = cargo_home {
        pairs.push((home, "/cargo"));
    }
    let flags: Vec<String> = pairs
        .iter()
        .map(|(from, to)| {
            let flag = format!("--remap-path-prefix={}={to}", from.display());
            format!("\"{}\"", flag.replace('\\', "\\\\").replace('"', "\\\""))
        })
        .collect();
    format!("build.rustflags=[{}]", flags.join(", "))
}

/// Compiles the bindings crate for wasm32 and returns the raw module.
fn compile(workspace_root: &Path, verbose: bool) -> anyhow::Result<Vec<u8>> {
    let target_dir = workspace_root.join("target").join("checker-wasm");
    let manifest = workspace_root.join("Cargo.toml");
    let mut cmd = command(cargo_program(), workspace_root);
    cmd.arg("build")
        .args([
            "-p",
            WASM_PACKAGE,
            "--target",
            WASM_TARGET,
            "--profile",
            WASM_PROFILE,
        ])
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&target_dir)
        // Panic locations embed source paths; without this the module (and its hashed name)
        // would depend on where the clone and the cargo home are.
        .args(["--config", &remap_rustflags(workspace_root)])
        // `strip = true` would also drop the `target_features` section wasm-bindgen reads to
        // detect reference types; strip debug info only and let wasm-bindgen drop the names.
        .args([
            "--config",
            &format!("profile.{WASM_PROFILE}.strip=\"debuginfo\""),
        ])
        .stdin(Stdio::null())
        // Variables cargo sets for the program it runs, or that target the host build, must not
        // leak into the nested wasm32 build.
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS");
    if !verbose {
        cmd.arg("--quiet");
    }
    let started = Instant::now();
    let output = if verbose {
        eprintln!(
            "checker wasm: cargo build -p {WASM_PACKAGE} --target {WASM_TARGET} --profile \
             {WASM_PROFILE} --target-dir {}",
            target_dir.display()
        );
        cmd.stdout(Stdio::inherit()).stderr(Stdio::inherit());
        cmd.output()
    } else {
        cmd.output()
    }
    .with_context(|| format!("cannot run cargo to build {WASM_PACKAGE}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        bail!(
            "compiling {WASM_PACKAGE} for {WASM_TARGET} failed ({})\n{}\n  help: run `cargo build \
             -p {WASM_PACKAGE} --target {WASM_TARGET} --profile {WASM_PROFILE}` to see the \
             error, or set `wasm = false` under [checker] in book.toml",
            output.status,
            stderr.trim_end()
        );
    }
    if verbose {
        eprintln!("checker wasm: cargo build in {:.0?}", started.elapsed());
    }
    let wasm_file = target_dir
        .join(WASM_TARGET)
        .join(WASM_PROFILE)
        .join("beian_checker_wasm.wasm");
    std::fs::read(&wasm_file).with_context(|| {
        format!(
            "cannot read {} after building {WASM_PACKAGE}",
            wasm_file.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_is_stable_and_eight_hex_digits() {
        // Fixed expectations: the names must not change across toolchains for the same bytes.
        assert_eq!(content_hash(b""), content_hash(b""));
        assert_eq!(content_hash(b"").len(), 8);
        assert_ne!(content_hash(b"a"), content_hash(b"b"));
        assert!(content_hash(b"checker")
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    }

    #[test]
    fn content_hash_matches_fnv1a_reference_values() {
        // FNV-1a 64 of "" is 0xcbf29ce484222325 and of "a" is 0xaf63dc4c8601ec8c.
        assert_eq!(
            content_hash(b""),
            format!("{:08x}", 0xcbf2_9ce4u64 ^ 0x8422_2325)
        );
        assert_eq!(
            content_hash(b"a"),
            format!("{:08x}", 0xaf63_dc4cu64 ^ 0x8601_ec8c)
        );
    }

    #[test]
    fn rustup_command_names_the_target() {
        let args = rustup_add_args();
        assert_eq!(args.first().map(String::as_str), Some("target"));
        assert_eq!(args.last().map(String::as_str), Some(WASM_TARGET));
    }
}
