//! Fuzz target: checker input JSON classified with the repository's own rules, and the result
//! serialised, as `beian-guide classify` does.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn rules() -> &'static beian_checker::Rules {
    static R: OnceLock<beian_checker::Rules> = OnceLock::new();
    R.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../content/checker/rules.toml");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        if let Ok(out) = beian_checker::classify_json(text, rules(), today) {
            let _ = serde_json::to_string(&out);
        }
    }
});
