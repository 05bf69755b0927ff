//! What the build script (build.rs) and the generator both need to know about the checker's
//! WebAssembly: names, the content hash (from `src/hash.rs`), and which workspace files it is
//! compiled from.
//!
//! This file is compiled twice, as `beian_guide::wasm::shared` and inside build.rs (through
//! `#[path]`, beside `src/hash.rs`), so it uses `std` and `crate::hash` only.

use std::path::{Path, PathBuf};

/// The target triple the checker is compiled for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The Cargo profile (declared in the root Cargo.toml) used for the WebAssembly build.
pub const WASM_PROFILE: &str = "wasm-release";
/// The package holding the bindings.
pub const WASM_PACKAGE: &str = "beian-checker-wasm";
/// Folder of the checker's files inside the site.
pub const OUTPUT_DIR: &str = "checker";
/// Unhashed classic script naming the hashed files, for widgets whose HTML cannot name the hash
/// (checker embeds rendered before the WebAssembly's names are in the template context).
pub const LOADER_NAME: &str = "loader.js";
/// The classic-script expression that is the widget's namespace object (created on first use):
/// the glue sets `.wasm`, the base64 twin `.wasmBase64`, the loader `.assets`, the rules twin
/// `.rulesJson`.
pub const NAMESPACE: &str = "(self.beianChecker || (self.beianChecker = {}))";
/// The crate folders whose sources end up in the WebAssembly.
pub const CHECKER_CRATES: [&str; 2] = ["checker-core", "checker-wasm"];
/// Workspace files outside those folders that change the WebAssembly (versions, profile,
/// toolchain).
pub const WORKSPACE_INPUTS: [&str; 3] = ["Cargo.toml", "Cargo.lock", "rust-toolchain.toml"];

pub use crate::hash::content_hash;
use crate::hash::{fnv1a64_from, FNV64_OFFSET};

/// The folders and files (absolute) whose changes must rebuild the WebAssembly: each checker
/// crate's `Cargo.toml`, `build.rs` when there is one, and `src/`, plus [`WORKSPACE_INPUTS`].
/// These are what build.rs names in `cargo:rerun-if-changed`.
pub fn watched_inputs(workspace: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for krate in CHECKER_CRATES {
        let dir = workspace.join(krate);
        out.push(dir.join("Cargo.toml"));
        if dir.join("build.rs").is_file() {
            out.push(dir.join("build.rs"));
        }
        out.push(dir.join("src"));
    }
    out.extend(WORKSPACE_INPUTS.iter().map(|f| workspace.join(f)));
    out
}

/// Every file of [`watched_inputs`] (folders walked), as sorted workspace-relative `/` paths.
pub fn input_files(workspace: &Path) -> std::io::Result<Vec<String>> {
    let mut files = Vec::new();
    let mut stack = watched_inputs(workspace);
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path)? {
                stack.push(entry?.path());
            }
        } else if path.is_file() {
            let rel = path.strip_prefix(workspace).unwrap_or(&path);
            files.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    files.sort();
    Ok(files)
}

/// A fingerprint of the checker's sources in `workspace`: names and contents of every
/// [`input_files`] entry. The binary records the one it was compiled from, so `serve` in a
/// checkout can tell that the embedded checker is older than the sources.
pub fn inputs_fingerprint(workspace: &Path) -> std::io::Result<String> {
    let mut h = FNV64_OFFSET;
    for rel in input_files(workspace)? {
        let bytes = std::fs::read(workspace.join(&rel))?;
        h = fnv1a64_from(h, rel.as_bytes());
        h = fnv1a64_from(h, &[0]);
        h = fnv1a64_from(h, &(bytes.len() as u64).to_le_bytes());
        h = fnv1a64_from(h, &bytes);
    }
    Ok(format!("{h:016x}"))
}

/// `bytes` in standard base64 (RFC 4648 §4, with padding), for the module's classic-script twin.
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
