//! The checker's WebAssembly, compiled with the binary and embedded in it.
//!
//! build.rs compiles `beian-checker-wasm` for wasm32 (nested `cargo build`, its own target
//! folder, `--locked`, path remapping), runs wasm-bindgen's `--target no-modules` step through
//! `wasm-bindgen-cli-support` (classic scripts only, so the checker also runs from `file://`),
//! names the files `checker/checker.<hash>.{js,wasm}` and `checker/wasm.<hash>.js` (the module
//! as base64, for `file://`) so browsers can cache them forever, plus a tiny unhashed
//! `checker/loader.js` naming them for pages that cannot name the hash, and embeds them (build/checker_wasm.rs holds the
//! recipe). So `build`, `check` and `serve` never run cargo or rustup, and an installed binary
//! builds a site from any folder.
//!
//! Size notes (budget: wasm + glue at most 60 KB gzip, issue 11, checked by the parity tests):
//! 113,473 B raw / 44,685 B gzip -9 for the module and 11,377 / 3,075 B for the glue, 47,760 B
//! gzip together (was 244,841 / 86,282 and 11,265 / 3,030: 89,312 B; `gzip -9 -c < file`, as
//! the test measures). Checker contract v3 (three inputs, six states, reason fixes, text
//! variants and action marks) brought the module to 126,357 B raw / 48,716 B gzip -9 (from
//! 114,341 / 44,946 on the commit before it); its unknown-key deduplication is a small FNV
//! open-addressing set, because a sort or `HashSet` cost 2–3 KB gzip more. The module carries
//! no serde: checker-core reads the
//! input and the rules with its own small JSON reader (`json.rs`, `rules_json.rs`) and writes
//! the output by hand (`Output::to_json`); serde's generated code for the rules structs,
//! serde_json and the f64 formatting only its error messages reached were about half the
//! module. The rules' maps are sorted `Vec`s (`TextMap`), not `BTreeMap`s (each
//! instantiation cost ~4 KB), and `years()` rounds with integers, not `{:.1}` on an `f64`
//! (core's float formatting is ~19 KB). The `wasm-release` profile: opt-level "z" (about 3 KB
//! gzip smaller than "s"), fat LTO, one codegen unit, panic = abort, debug info stripped;
//! wasm-bindgen drops the name and producers sections. What is left, largest first: the rules
//! reader (~20 KB raw), dlmalloc (~8 KB), core::fmt and panic messages (~8 KB), chrono (~4 KB
//! with its tables). Measure with `twiggy top` on
//! `target/checker-wasm/wasm32-unknown-unknown/wasm-release/beian_checker_wasm.wasm` (it keeps
//! function names). Not done: `wasm-opt` (the crates.io `wasm-opt` crate compiles Binaryen's
//! C++ on every fresh clone, minutes on two cores), and it would not pay: Debian's Binaryen 108
//! `wasm-opt -Oz` takes the module from 126,357 to 115,855 B raw but only from 48,707 to
//! 48,631 B gzip -9 (`-Os`: 48,617), what a reader downloads (issue 20). The glue ships without
//! its doc comments and indentation (`src/checker/minify.rs`, run by build/checker_wasm.rs):
//! 7,416 B raw / 2,393 B gzip -9, from 11,377 / 3,095.

use std::path::Path;

pub mod shared;

pub use shared::{
    base64, content_hash, LOADER_NAME, NAMESPACE, OUTPUT_DIR, WASM_PACKAGE, WASM_PROFILE,
    WASM_TARGET,
};

mod generated {
    include!(concat!(env!("OUT_DIR"), "/checker_assets.rs"));
}

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

/// The checker compiled into this binary.
pub fn embedded() -> WasmAssets {
    WasmAssets {
        files: generated::FILES
            .iter()
            .map(|(path, bytes)| ((*path).to_owned(), bytes.to_vec()))
            .collect(),
        js_path: generated::JS_PATH.to_owned(),
        wasm_path: generated::WASM_PATH.to_owned(),
        wasm_js_path: generated::WASM_JS_PATH.to_owned(),
    }
}

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

/// The fingerprint of the checker sources this binary was compiled from (see
/// [`shared::inputs_fingerprint`]).
pub fn embedded_fingerprint() -> &'static str {
    generated::INPUTS_FINGERPRINT
}

/// Whether `root` is a checkout of this workspace (it has the checker crates), so that
/// editing the checker there means the binary needs rebuilding.
pub fn is_workspace(root: &Path) -> bool {
    shared::CHECKER_CRATES
        .iter()
        .all(|krate| root.join(krate).join("Cargo.toml").is_file())
}

/// `Some(message)` when `root` is a workspace checkout whose checker sources differ from the
/// ones the embedded WebAssembly was compiled from; `None` when they match or `root` is not a
/// checkout.
pub fn stale_in(root: &Path) -> Option<String> {
    if !is_workspace(root) {
        return None;
    }
    match shared::inputs_fingerprint(root) {
        Ok(now) if now == embedded_fingerprint() => None,
        Ok(_) => Some(stale_message(root)),
        Err(e) => Some(format!(
            "cannot read the checker's sources in {} ({e}); the checker served is the one \
             compiled into this binary",
            root.display()
        )),
    }
}

/// What to tell someone who changed the checker's code under `root` while the binary runs.
pub fn stale_message(root: &Path) -> String {
    format!(
        "the checker's code in {} (checker-core/, checker-wasm/, Cargo.toml, Cargo.lock) differs \
         from the code compiled into this binary; the checker served is the old one\n  help: \
         stop and rebuild the binary: `cargo run -- serve` (or `cargo install --path .`)",
        root.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_is_eight_lowercase_hex_digits() {
        for input in [&b""[..], b"a", b"checker"] {
            let h = content_hash(input);
            assert_eq!(h.len(), 8, "{h}");
            assert!(
                h.chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
                "{h}"
            );
        }
        assert_ne!(content_hash(b"a"), content_hash(b"b"));
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
    fn the_embedded_checker_is_complete() {
        let assets = embedded();
        let wasm = assets.file(&assets.wasm_path).unwrap_or_default();
        assert_eq!(&wasm[..4.min(wasm.len())], b"\0asm");
        assert!(assets
            .file(&assets.js_path)
            .is_some_and(|js| !js.is_empty()));
        assert!(assets
            .file(&format!("{OUTPUT_DIR}/{LOADER_NAME}"))
            .is_some());
    }

    #[test]
    fn a_checkout_matching_the_binary_is_not_stale_and_an_edit_is() {
        let fail = |what: &str, e: std::io::Error| -> ! { panic!("{what}: {e}") };
        let dir = tempfile::tempdir().unwrap_or_else(|e| fail("tempdir", e));
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert!(is_workspace(workspace));
        // The sources in this checkout are the ones this test binary was compiled from.
        assert_eq!(stale_in(workspace), None);
        // An exact copy is not stale; one changed source file is; a folder without the
        // crates is not a checkout at all.
        let files = shared::input_files(workspace).unwrap_or_else(|e| fail("list", e));
        assert!(
            files.iter().any(|f| f == "checker-core/src/lib.rs"),
            "{files:?}"
        );
        for rel in &files {
            let to = dir.path().join(rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).unwrap_or_else(|e| fail("mkdir", e));
            }
            std::fs::copy(workspace.join(rel), &to).unwrap_or_else(|e| fail(rel, e));
        }
        assert_eq!(stale_in(dir.path()), None);
        let lib = dir.path().join("checker-core/src/lib.rs");
        let mut text = std::fs::read_to_string(&lib).unwrap_or_else(|e| fail("read", e));
        text.push_str("\n// edited\n");
        std::fs::write(&lib, text).unwrap_or_else(|e| fail("write", e));
        assert!(stale_in(dir.path()).is_some_and(|m| m.contains("rebuild the binary")));
        assert_eq!(stale_in(&dir.path().join("checker-core")), None);
    }
}
