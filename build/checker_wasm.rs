//! The checker's WebAssembly recipe: compile `beian-checker-wasm` for wasm32 with a nested,
//! hermetic `cargo build`, then run wasm-bindgen in-process and name the files by content hash.
//!
//! Used by build.rs (which embeds the result in the binary) and by the reproducibility test
//! (tests/integration/reproducible.rs, which runs it on a second copy of the workspace). It
//! expects sibling modules `shared` (src/wasm/shared.rs) and `minify` (src/checker/minify.rs,
//! which shrinks the glue) and uses `std` and
//! `wasm-bindgen-cli-support` only. All wasm-bindgen options live in [`bindgen`].

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::shared::{
    base64, content_hash, LOADER_NAME, NAMESPACE, OUTPUT_DIR, WASM_PACKAGE, WASM_PROFILE,
    WASM_TARGET,
};

/// Stem wasm-bindgen uses for its output.
const BINDGEN_STEM: &str = "checker";
/// The global the no-modules glue declares (then attached to [`NAMESPACE`] as `.wasm`).
const GLUE_GLOBAL: &str = "beianCheckerWasm";

/// The tools and folders of one nested build.
#[derive(Debug, Clone)]
pub(crate) struct Recipe {
    /// The workspace holding checker-core/ and checker-wasm/.
    pub workspace: PathBuf,
    /// Target folder of the nested build; never the outer cargo's (its lock would deadlock).
    pub target_dir: PathBuf,
    /// The cargo to run (build.rs: `$CARGO`, the one building us).
    pub cargo: OsString,
    /// The rustc whose wasm32 standard library must be installed (build.rs: `$RUSTC`).
    pub rustc: OsString,
    /// The cargo home, remapped to `/cargo` in the module (registry sources' paths).
    pub cargo_home: Option<PathBuf>,
    /// The environment the nested cargo starts from (build.rs: its own), of which only the
    /// variables [`reaches_nested_build`] allows are passed on.
    pub ambient_env: Vec<(OsString, OsString)>,
}

/// The bindgen outputs: files relative to the site root, and the two main paths among them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Generated {
    /// (site-root-relative path, bytes), e.g. `checker/checker.1a2b3c4d.wasm`.
    pub files: Vec<(String, Vec<u8>)>,
    /// Site-root-relative path of the JS glue.
    pub js_path: String,
    /// Site-root-relative path of the `.wasm` file.
    pub wasm_path: String,
    /// Site-root-relative path of the classic script carrying the `.wasm` as base64 (file://).
    pub wasm_js_path: String,
}

impl Recipe {
    /// The default cargo home: `$CARGO_HOME`, else `$HOME/.cargo`.
    pub(crate) fn default_cargo_home() -> Option<PathBuf> {
        std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
    }

    /// The rustc flags of the nested build: path remapping only. The cargo home (registry
    /// sources) and the nested target folder (build scripts' `OUT_DIR`) get fixed names, so
    /// machines with different homes build the same bytes.
    ///
    /// The workspace is not remapped: cargo runs rustc in the workspace root and names the
    /// workspace's own sources relative to it (`checker-core/src/…`), so their paths in the
    /// module are the same in every clone already. Naming the workspace here would change
    /// nothing in the module but would give every clone its own flags, and cargo compiles
    /// every dependency again for other flags: the reproducibility test (another clone, the
    /// same target folder) could then share nothing with the build it checks.
    pub(crate) fn rustflags(&self) -> Vec<String> {
        let mut pairs: Vec<(&Path, &str)> = Vec::new();
        if let Some(home) = &self.cargo_home {
            pairs.push((home, "/cargo"));
        }
        // rustc applies the last matching remap: the target folder may lie inside the home.
        pairs.push((&self.target_dir, "/target"));
        pairs
            .iter()
            .map(|(from, to)| format!("--remap-path-prefix={}={to}", from.display()))
            .collect()
    }

    /// Compiles the bindings crate for wasm32 and returns the raw module. `log` receives
    /// progress lines.
    pub(crate) fn compile(&self, log: &mut dyn FnMut(String)) -> Result<Vec<u8>, String> {
        self.ensure_wasm_target(log)?;
        let mut cmd = Command::new(&self.cargo);
        cmd.current_dir(&self.workspace)
            .arg("build")
            .args(["--locked", "--quiet", "-p", WASM_PACKAGE])
            .args(["--target", WASM_TARGET, "--profile", WASM_PROFILE])
            .arg("--manifest-path")
            .arg(self.workspace.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&self.target_dir)
            // `strip = true` would also drop the `target_features` section wasm-bindgen reads
            // to detect reference types; strip debug info only and let wasm-bindgen drop names.
            .args([
                "--config",
                &format!("profile.{WASM_PROFILE}.strip=\"debuginfo\""),
            ])
            .stdin(Stdio::null())
            .env_clear()
            .envs(
                self.ambient_env
                    .iter()
                    .filter(|(name, _)| reaches_nested_build(name))
                    .map(|(name, value)| (name, value)),
            )
            // The rustc whose wasm32 standard library was checked (build.rs: the one building
            // us), named here rather than inherited.
            .env("RUSTC", &self.rustc);
        // Cargo reads CARGO_ENCODED_RUSTFLAGS before RUSTFLAGS, target.<triple>.rustflags and
        // build.rustflags, so setting it makes the remapping the only flags, whatever a config
        // file says (the environment's flags are not passed on).
        cmd.env("CARGO_ENCODED_RUSTFLAGS", self.rustflags().join("\u{1f}"));
        log(format!(
            "cargo build --locked -p {WASM_PACKAGE} --target {WASM_TARGET} --profile {WASM_PROFILE} \
             --target-dir {}",
            self.target_dir.display()
        ));
        let output = cmd
            .output()
            .map_err(|e| format!("cannot run `{}`: {e}", self.cargo.to_string_lossy()))?;
        if !output.status.success() {
            return Err(format!(
                "compiling {WASM_PACKAGE} for {WASM_TARGET} failed ({})\n{}\n  help: run `cargo \
                 build --locked -p {WASM_PACKAGE} --target {WASM_TARGET} --profile {WASM_PROFILE}` \
                 in {} to see the error",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim_end(),
                self.workspace.display()
            ));
        }
        let file = self.raw_wasm_path();
        std::fs::read(&file).map_err(|e| {
            format!(
                "cannot read {} after building {WASM_PACKAGE}: {e}",
                file.display()
            )
        })
    }

    /// Where cargo puts the raw module.
    pub(crate) fn raw_wasm_path(&self) -> PathBuf {
        self.target_dir
            .join(WASM_TARGET)
            .join(WASM_PROFILE)
            .join("beian_checker_wasm.wasm")
    }

    /// The wasm32 standard library folder of `self.rustc`, if installed.
    fn wasm_target_libdir(&self) -> Result<Option<PathBuf>, String> {
        let out = Command::new(&self.rustc)
            .current_dir(&self.workspace)
            .args(["--print", "target-libdir", "--target", WASM_TARGET])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| {
                format!(
                    "cannot run `{} --print target-libdir`: {e}",
                    self.rustc.to_string_lossy()
                )
            })?;
        if !out.status.success() {
            // Toolchains that do not know the target at all fail here: "not installed".
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

    /// Makes sure the wasm32 standard library is installed, adding it through rustup when
    /// rustup exists; otherwise a clear error.
    fn ensure_wasm_target(&self, log: &mut dyn FnMut(String)) -> Result<(), String> {
        if self.wasm_target_libdir()?.is_some() {
            return Ok(());
        }
        let mut args = vec!["target".to_owned(), "add".to_owned()];
        if let Some(toolchain) = std::env::var("RUSTUP_TOOLCHAIN")
            .ok()
            .filter(|t| !t.is_empty())
        {
            args.push("--toolchain".to_owned());
            args.push(toolchain);
        }
        args.push(WASM_TARGET.to_owned());
        let shown = format!("rustup {}", args.join(" "));
        let rustup_present = Command::new("rustup")
            .arg("--version")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !rustup_present {
            return Err(format!(
                "the {WASM_TARGET} target is not installed for `{}` and rustup was not found\n  \
                 help: install rustup and run `{shown}`, or install your distribution's wasm32 \
                 standard library for this rustc, then build again",
                self.rustc.to_string_lossy()
            ));
        }
        log(format!(
            "the {WASM_TARGET} target is missing; running `{shown}`"
        ));
        let status = Command::new("rustup")
            .current_dir(&self.workspace)
            .args(&args)
            .stdin(Stdio::null())
            .status()
            .map_err(|e| format!("cannot run `{shown}`: {e}"))?;
        if !status.success() {
            return Err(format!(
                "`{shown}` failed ({status})\n  help: run it yourself, then build again"
            ));
        }
        if self.wasm_target_libdir()?.is_none() {
            return Err(format!(
                "`{shown}` succeeded but `{}` still has no {WASM_TARGET} standard library\n  help: \
                 check which toolchain it belongs to",
                self.rustc.to_string_lossy()
            ));
        }
        Ok(())
    }
}

/// The only variables of the ambient environment the nested cargo sees: where the tools and
/// their homes are (PATH, CARGO_HOME, RUSTUP_HOME, RUSTUP_TOOLCHAIN, HOME and the Windows
/// profile folders), temporary folders, and how to reach the network (proxies,
/// certificates, offline mode). Everything else is dropped: whatever cargo sets for the build
/// script it runs, the outer build's flags and wrappers, and any variable cargo or rustc
/// would read as configuration (`RUSTC_BOOTSTRAP`, `CARGO_PROFILE_*`, `CARGO_BUILD_*`,
/// `RUSTFLAGS` …), so nothing outside the repository changes the module's bytes.
pub(crate) fn reaches_nested_build(name: &OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    const ALLOWED: &[&str] = &[
        "PATH",
        "HOME",
        "CARGO_HOME",
        "RUSTUP_HOME",
        "RUSTUP_TOOLCHAIN",
        "TMPDIR",
        "TMP",
        "TEMP",
        // Windows: what processes and rustup need to start and find the user's folders.
        "SYSTEMROOT",
        "SystemRoot",
        "USERPROFILE",
        "APPDATA",
        "LOCALAPPDATA",
        "PATHEXT",
        "COMSPEC",
        // The network, should the nested build need to fetch (it is --locked).
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "NO_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "no_proxy",
        "all_proxy",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "CARGO_HTTP_CAINFO",
        "CARGO_HTTP_PROXY",
        "CARGO_NET_OFFLINE",
        "CARGO_NET_RETRY",
        "CARGO_NET_GIT_FETCH_WITH_CLI",
    ];
    ALLOWED.contains(&name)
}

/// Runs wasm-bindgen (`--target no-modules`) over the compiled module and names the outputs by
/// hash. The one place for the bindgen options.
///
/// Everything the page loads is a classic script, so the checker also runs from `file://`
/// (where Chromium blocks module scripts and `fetch`): the glue defines the global
/// `beianChecker.wasm`; `checker/wasm.<hash>.js` carries the module's bytes as base64 for
/// `file://`; `checker/loader.js` (unhashed) names the three hashed files for widgets rendered
/// before the names were known.
pub(crate) fn bindgen(raw_wasm: Vec<u8>) -> Result<Generated, String> {
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_bytes(BINDGEN_STEM, raw_wasm)
        .no_modules(true)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?
        .no_modules_global(GLUE_GLOBAL)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?
        .typescript(false)
        // static/checker.js always passes the module (a URL or the bytes) to the glue.
        .omit_default_module_path(true)
        .remove_name_section(true)
        .remove_producers_section(true);
    let mut output = bindgen
        .generate_output()
        .map_err(|e| format!("wasm-bindgen failed on the checker's WebAssembly: {e:#}"))?;
    if output.snippets().values().any(|list| !list.is_empty()) || !output.local_modules().is_empty()
    {
        return Err(format!(
            "wasm-bindgen produced JS snippets for {WASM_PACKAGE}; the bindings must stay \
             self-contained (remove `#[wasm_bindgen(module = ...)]` / inline_js imports)"
        ));
    }
    let wasm = output.wasm_mut().emit_wasm();
    let wasm_name = format!("checker.{}.wasm", content_hash(&wasm));

    let glue = output.js();
    let declaration = format!("let {GLUE_GLOBAL} = ");
    if glue.matches(&declaration).count() != 1 {
        return Err(format!(
            "the wasm-bindgen glue does not declare `{GLUE_GLOBAL}` once; the pinned \
             wasm-bindgen version changed its no-modules output, update build/checker_wasm.rs"
        ));
    }
    // The glue's `let` global is not a property of `window`; hang it on the widget's namespace.
    // Without its doc comments and indentation (a shared link waits for it, issue 20 §2).
    let glue = super::minify::minify_js(glue).unwrap_or_else(|| glue.to_owned());
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
    Ok(Generated {
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
