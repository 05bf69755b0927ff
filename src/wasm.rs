//! Builds the checker's WebAssembly (checker-wasm for wasm32, then wasm-bindgen as a library)
//! and names the files by content hash.
//!
//! The steps are: make sure the `wasm32-unknown-unknown` target is installed (adding it through
//! rustup when it is not), run a nested `cargo build` of `beian-checker-wasm` with its own target
//! directory (so it never waits on the lock of the cargo that runs us), run wasm-bindgen's
//! `--target no-modules` step in-process through `wasm-bindgen-cli-support` (classic scripts
//! only, so the checker also runs from `file://`), and name the files
//! `checker/checker.<hash>.{js,wasm}` and `checker/wasm.<hash>.js` (the module as base64, for
//! `file://`) so browsers can cache them forever, plus a tiny unhashed `checker/loader.js`
//! naming them for pages that cannot name the hash.
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
/// Unhashed classic script naming the hashed files, for widgets whose HTML cannot name the hash
/// (checker embeds rendered before the WebAssembly is built).
pub const LOADER_NAME: &str = "loader.js";
/// Stem wasm-bindgen uses for its output; the glue refers to `<stem>_bg.wasm` until we rename it.
const BINDGEN_STEM: &str = "checker";
/// The global the no-modules glue declares (then attached to [`NAMESPACE`] as `.wasm`).
const GLUE_GLOBAL: &str = "beianCheckerWasm";

/// The compiled checker, ready to be written into the site.
#[derive(Debug, Clone)]
pub struct WasmAssets {
    /// (output path relative to the site root, bytes), e.g. `checker/checker.1a2b3c4d.wasm`.
    pub files: Vec<(String, Vec<u8>)>,
    /// Site-root-relative path of the JS glue module.
    pub js_path: String,
    /// Site-root-relative path of the `.wasm` file.
    pub wasm_path: String,
    /// Site-root-relative path of the classic script carrying the `.wasm` as base64 (file://).
    pub wasm_js_path: String,
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

/// Runs wasm-bindgen (`--target no-modules`) over the compiled module and names the outputs by
/// hash.
///
/// Everything the page loads is a classic script, so the checker also runs from `file://`
/// (where Chromium blocks module scripts and `fetch`): the glue defines the global
/// `beianChecker.wasm`; `checker/wasm.<hash>.js` carries the module's bytes as base64 for
/// `file://`; `checker/loader.js` (unhashed) names the three hashed files for widgets rendered
/// before the names were known. Public so that tests can check the naming on a module they
/// compiled once.
pub fn bindgen(raw_wasm: Vec<u8>) -> anyhow::Result<WasmAssets> {
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_bytes(BINDGEN_STEM, raw_wasm)
        .no_modules(true)?
        .no_modules_global(GLUE_GLOBAL)?
        .typescript(false)
        // static/checker.js always passes the module (a URL or the bytes) to the glue.
        .omit_default_module_path(true)
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

    let glue = output.js();
    let declaration = format!("let {GLUE_GLOBAL} = ");
    if glue.matches(&declaration).count() != 1 {
        bail!(
            "the wasm-bindgen glue does not declare `{GLUE_GLOBAL}` once; the pinned \
             wasm-bindgen version changed its no-modules output, update src/wasm.rs"
        );
    }
    // The glue's `let` global is not a property of `window`; hang it on the widget's namespace.
    let js = format!(
        "//! The checker's wasm-bindgen glue (generated, no-modules target).\n{}\n\
         {NAMESPACE}.wasm = {GLUE_GLOBAL};\n",
        glue.trim()
    )
    .into_bytes();
    let js_name = format!("checker.{}.js", content_hash(&js));
    let base64_js = format!(
        "//! The checker's WebAssembly as base64, for pages opened from file:// (no fetch there).\n\
         {NAMESPACE}.wasmBase64 = \"{}\";\n",
        base64(&wasm)
    )
    .into_bytes();
    let base64_name = format!("wasm.{}.js", content_hash(&base64_js));

    let js_path = format!("{OUTPUT_DIR}/{js_name}");
    let wasm_path = format!("{OUTPUT_DIR}/{wasm_name}");
    let wasm_js_path = format!("{OUTPUT_DIR}/{base64_name}");
    let loader = format!(
        "//! Names of the checker's content-hashed files (site-root-relative), for widgets \
         rendered before they were known.\n{NAMESPACE}.assets = {{ glue: \"{js_path}\", wasm: \
         \"{wasm_path}\", wasmBase64: \"{wasm_js_path}\" }};\n"
    );
    Ok(WasmAssets {
        files: vec![
            (js_path.clone(), js),
            (wasm_path.clone(), wasm),
            (wasm_js_path.clone(), base64_js),
            (format!("{OUTPUT_DIR}/{LOADER_NAME}"), loader.into_bytes()),
        ],
        js_path,
        wasm_path,
        wasm_js_path,
    })
}

/// The classic-script expression that is the widget's namespace object (created on first use).
pub const NAMESPACE: &str = "(self.beianChecker || (self.beianChecker = {}))";

/// The site-root-relative path of the classic-script twin of the rules file
/// (`checker/rules.1a2b3c4d.json` → `checker/rules.1a2b3c4d.js`).
pub fn rules_script_path(json_path: &str) -> String {
    let stem = json_path.strip_suffix(".json").unwrap_or(json_path);
    format!("{stem}.js")
}

/// The classic script that hands the rules JSON to the widget on pages that cannot fetch it
/// (`file://`): it sets `beianChecker.rulesJson` to the JSON text.
pub fn rules_script(rules_json: &str) -> String {
    // A JSON string literal is a JavaScript string literal (ES2019 allows U+2028/U+2029).
    let literal = serde_json::to_string(rules_json).unwrap_or_else(|_| "\"{}\"".to_owned());
    format!(
        "//! The checker's rules for pages opened from file:// (the twin of the .json file).\n\
         {NAMESPACE}.rulesJson = {literal};\n"
    )
}

/// `bytes` in standard base64 (RFC 4648 §4, with padding).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
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
    fn base64_matches_rfc4648_test_vectors() {
        // RFC 4648 §10.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain:?}");
        }
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }

    #[test]
    fn the_rules_script_carries_the_json_text_unchanged() {
        assert_eq!(
            rules_script_path("checker/rules.1a2b3c4d.json"),
            "checker/rules.1a2b3c4d.js"
        );
        let json = r#"{"a":"</script> \" \\ 接入"}"#;
        let script = rules_script(json);
        assert!(script.starts_with("//! "), "{script}");
        let literal = script
            .lines()
            .nth(1)
            .and_then(|l| l.split_once(".rulesJson = "))
            .map(|(_, v)| v.trim_end_matches(';'));
        let back: Option<String> = literal.and_then(|l| serde_json::from_str(l).ok());
        assert_eq!(back.as_deref(), Some(json), "{script}");
    }

    #[test]
    fn rustup_command_names_the_target() {
        let args = rustup_add_args();
        assert_eq!(args.first().map(String::as_str), Some("target"));
        assert_eq!(args.last().map(String::as_str), Some(WASM_TARGET));
    }
}
