//! `beian-guide classify [FILE|-]`: the checker on the command line, answering exactly as the
//! site's widget does: the rules file named by the site's `book.toml`, and every link in the
//! answer resolved to the page it names in the texts' language's edition, through the same
//! loading and pairing as a build.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;

use crate::checker::{load_rules, today_in_shanghai};
use crate::config::{Config, CONFIG_FILE};

/// Prints the output JSON for the input (the file, or stdin when `input` is `None`) and returns
/// the exit code (0, 1 or 2).
///
/// The site at `root` is read as `build` reads it: `[checker] rules` and `[build] content` from
/// its `book.toml` (the defaults when there is none); `today` defaults to the date in
/// Asia/Shanghai. Exit 2 (the problems on `err`) when book.toml or the rules cannot be used,
/// when the input cannot be read, is larger than [`beian_checker::MAX_INPUT_BYTES`] (1 MB;
/// found while reading, never read whole), is not JSON or is not an object.
pub fn classify_command(
    root: &Path,
    input: Option<&Path>,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let config = match root.join(CONFIG_FILE).is_file() {
        true => match crate::config::load(root) {
            Ok(c) => c,
            Err(problems) => return fail(err, &problems, "book.toml is not usable"),
        },
        false => Config::default(),
    };
    let rules_path = config.checker.rules.as_path();
    let mut data = match load_rules(root, rules_path) {
        Ok(d) => d,
        Err(problems) => {
            let what = format!(
                "the checker rules in {} are not usable",
                rules_path.display()
            );
            return fail(err, &problems, &what);
        }
    };
    // Links go where the site's pages are: each language's edition, as the build resolves them.
    let (default, by_lang) = site_outputs(root, &config);
    let by_lang_ref: HashMap<&str, &HashMap<String, String>> =
        by_lang.iter().map(|(k, v)| (k.as_str(), v)).collect();
    data.resolve_to_outputs(&default, &by_lang_ref);

    let (name, text) = match read_input(input, stdin) {
        Ok(x) => x,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            return 2;
        }
    };
    let today = today_in_shanghai();
    let output = match beian_checker::classify_json(&text, data.rules(), today) {
        Ok(o) => o,
        Err(e) => {
            let line = e.to_string().replace('\n', " ");
            let _ = writeln!(err, "error: {name}: {line}");
            return 2;
        }
    };
    let json = match serde_json::to_string_pretty(&output) {
        Ok(j) => j,
        Err(e) => {
            let _ = writeln!(err, "error: cannot write the output: {e}");
            return 2;
        }
    };
    if writeln!(out, "{json}").is_err() {
        return 2;
    }
    output.exit_code()
}

fn fail(err: &mut dyn Write, problems: &[crate::diagnostic::Diagnostic], what: &str) -> i32 {
    for p in problems {
        let _ = writeln!(err, "{p}");
    }
    let _ = writeln!(err, "error: {what}");
    2
}

/// Content source → output path of the default edition, and per other language of its edition.
/// Pages that do not load are left out (their links stay as written, as in a build, which
/// reports them); a site without a content folder has no pages.
fn site_outputs(
    root: &Path,
    config: &Config,
) -> (
    HashMap<String, String>,
    HashMap<String, HashMap<String, String>>,
) {
    let Ok((content, _)) = crate::load::load_partial(root, &config.build.content, false) else {
        return Default::default();
    };
    let languages = crate::i18n::languages(config);
    let pairing = crate::i18n::editions(
        &languages,
        content.pages,
        content.translations,
        &content.unloaded,
    );
    let outputs = crate::load::outputs;
    let mut editions = pairing.editions.into_iter();
    let default = editions
        .next()
        .map(|e| outputs(&e.pages))
        .unwrap_or_default();
    let by_lang = editions.map(|e| (e.lang.code, outputs(&e.pages))).collect();
    (default, by_lang)
}

/// Reads the input, the file or stdin when `input` is `None`, but never more than one byte
/// past [`beian_checker::MAX_INPUT_BYTES`]: a larger input is refused without being read whole
/// (a huge file or an endless pipe cannot exhaust memory). Returns a name for messages (`stdin`
/// or the path) and the text.
fn read_input(input: Option<&Path>, stdin: &mut dyn Read) -> Result<(String, String), String> {
    let limit = beian_checker::MAX_INPUT_BYTES;
    let (name, bytes) = match input {
        Some(path) => {
            let name = path.display().to_string();
            let file = std::fs::File::open(path).map_err(|e| format!("cannot read {name}: {e}"))?;
            let mut bytes = Vec::new();
            file.take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read {name}: {e}"))?;
            (name, bytes)
        }
        None => {
            let mut bytes = Vec::new();
            stdin
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            ("stdin".to_owned(), bytes)
        }
    };
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(format!(
            "{name}: {}",
            beian_checker::UsageError::TooLarge(limit)
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{name}: input is not valid UTF-8 text (invalid byte at offset {}); save the JSON as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok((name, text))
}
