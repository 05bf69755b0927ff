//! Fuzz target: a checker rules file (TOML) through loading, validation and link lookup (the
//! real `load_rules`, which reads it from a file), then, when valid, the rules JSON and the
//! template context the site is built from.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// A site folder of this fuzzing process with `content/checker/` in it.
fn root() -> &'static PathBuf {
    static R: OnceLock<PathBuf> = OnceLock::new();
    R.get_or_init(|| {
        let root =
            std::env::temp_dir().join(format!("beian-guide-fuzz-rules-{}", std::process::id()));
        std::fs::create_dir_all(root.join("content/checker"))
            .unwrap_or_else(|e| panic!("{}: {e}", root.display()));
        root
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rel = Path::new("content/checker/rules.toml");
    if std::fs::write(root().join(rel), text).is_err() {
        return;
    }
    if let Ok(data) = beian_guide::checker::load_rules(root(), rel) {
        let _ = data.rules_json();
        let _ = data.template_context("zh-CN");
        let _ = data.template_context("en");
        let _ = data.links();
    }
});
