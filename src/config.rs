//! Stage `config` (the stage list is in `src/lib.rs`): reads `book.toml` strictly (unknown keys are errors) and validates it.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{toml_error, Diagnostic, TomlHelp};

/// The whole `book.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// `[book]`: what the site is.
    #[serde(default)]
    pub book: BookConfig,
    /// `[build]`: where the inputs and the output live.
    #[serde(default)]
    pub build: BuildConfig,
    /// `[output]`: per-format settings (only `[output.html]` today).
    #[serde(default)]
    pub output: OutputConfig,
    /// `[checker]`: the expiry checker's rules data and WebAssembly.
    #[serde(default)]
    pub checker: CheckerConfig,
    /// `[check]`: the contributor lint run by `beian-guide check` (freshness, sources).
    #[serde(default)]
    pub check: CheckConfig,
    /// `[search]`: the in-browser search index.
    #[serde(default)]
    pub search: SearchConfig,
    /// `[languages.<tag>]`: editions besides the default language (`[book] language`), each
    /// published under `<tag>/` from the `page.<tag>.md` translations.
    #[serde(default)]
    pub languages: std::collections::BTreeMap<String, LanguageConfig>,
}

/// `[languages.<tag>]`: one extra edition.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LanguageConfig {
    /// The edition's site title (required).
    #[serde(default)]
    pub title: String,
    /// The edition's site description.
    #[serde(default)]
    pub description: String,
}

/// Whether `tag` is usable as a language tag and URL folder: BCP 47-like, a 2–3 letter
/// language subtag then `-`-separated alphanumeric subtags (`en`, `zh-TW`, `pt-BR`).
pub fn valid_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// `[search]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SearchConfig {
    /// Write `search/index.js` (only when the theme has `partials/search.html`, which loads it).
    #[serde(default = "default_true")]
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        Self { enabled: true }
    }
}

/// `[check]`: limits of the contributor lint that only `beian-guide check` applies.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckConfig {
    /// A page's `reviewed` date (or a checker threshold's `verified` date) older than this many
    /// days is a warning.
    #[serde(default = "default_max_age")]
    pub reviewed_max_age_days: u32,
    /// A page without `sources` is an error (false turns the rule off, e.g. for test sites).
    #[serde(default = "default_true")]
    pub require_sources: bool,
    /// A page without a `reviewed` date is a warning (false turns the rule off).
    #[serde(default = "default_true")]
    pub require_reviewed: bool,
}

impl Default for CheckConfig {
    fn default() -> Self {
        Self {
            reviewed_max_age_days: default_max_age(),
            require_sources: true,
            require_reviewed: true,
        }
    }
}

fn default_max_age() -> u32 {
    180
}

/// `[book]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookConfig {
    /// Site title, shown in every page's `<title>` and header.
    #[serde(default)]
    pub title: String,
    /// Site description, the fallback `<meta name="description">`.
    #[serde(default)]
    pub description: String,
    /// BCP 47 language tag for `<html lang>`.
    #[serde(default = "default_language")]
    pub language: String,
    /// Authors, for `<meta name="author">`.
    #[serde(default)]
    pub authors: Vec<String>,
}

impl Default for BookConfig {
    fn default() -> Self {
        Self {
            title: String::new(),
            description: String::new(),
            language: default_language(),
            authors: Vec::new(),
        }
    }
}

fn default_language() -> String {
    "zh-CN".to_owned()
}

/// `[build]`: directories, relative to the site root.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildConfig {
    /// Markdown pages and sections.
    #[serde(default = "default_content")]
    pub content: PathBuf,
    /// Tera templates.
    #[serde(default = "default_templates")]
    pub templates: PathBuf,
    /// Files copied as they are.
    #[serde(default = "default_static")]
    pub r#static: PathBuf,
    /// Where the site is written.
    #[serde(default = "default_build_dir")]
    pub build_dir: PathBuf,
    /// Whether `build` writes `.gz` and `.br` copies beside the text files.
    #[serde(default = "default_precompress")]
    pub precompress: bool,
}

impl Default for BuildConfig {
    fn default() -> Self {
        Self {
            content: default_content(),
            templates: default_templates(),
            r#static: default_static(),
            build_dir: default_build_dir(),
            precompress: default_precompress(),
        }
    }
}

fn default_content() -> PathBuf {
    PathBuf::from("content")
}
fn default_templates() -> PathBuf {
    PathBuf::from("templates")
}
fn default_static() -> PathBuf {
    PathBuf::from("static")
}
fn default_build_dir() -> PathBuf {
    PathBuf::from("public")
}
fn default_precompress() -> bool {
    true
}

/// `[output]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OutputConfig {
    /// `[output.html]`.
    #[serde(default)]
    pub html: HtmlConfig,
}

/// `[output.html]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HtmlConfig {
    /// Absolute URL where the site is served, e.g. `https://example.org/guide/`; used for
    /// canonical links and the sitemap. Normalised to end with `/`.
    pub base_url: Option<String>,
    /// Edit link per page; `{path}` is replaced by the page's path inside the content folder.
    pub edit_url_template: Option<String>,
    /// The site's own ICP filing number, shown in the footer.
    pub icp_number: Option<String>,
    /// The site's public-security filing number, shown in the footer.
    pub public_security_number: Option<String>,
}

/// `[checker]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckerConfig {
    /// Rules data, relative to the site root.
    #[serde(default = "default_rules")]
    pub rules: PathBuf,
    /// Compile and ship the WebAssembly checker (false skips it, for fast fixture builds).
    #[serde(default = "default_true")]
    pub wasm: bool,
}

impl Default for CheckerConfig {
    fn default() -> Self {
        Self {
            rules: default_rules(),
            wasm: true,
        }
    }
}

fn default_rules() -> PathBuf {
    PathBuf::from("content/checker/rules.toml")
}
fn default_true() -> bool {
    true
}

/// Name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "book.toml";

/// Reads and validates `root/book.toml`; a missing file is an error.
pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        vec![Diagnostic::error(
            CONFIG_FILE,
            format!("cannot read `{}`: {e}", path.display()),
        )
        .help("run the command from the site's folder or pass `--root DIR`")]
    })?;
    parse(&text)
}

/// Parses and validates the text of a `book.toml`.
pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
    let mut config: Config =
        toml::from_str(text).map_err(|e| vec![toml_diagnostic(CONFIG_FILE, text, &e)])?;
    let errors = validate(&mut config, text);
    if errors.is_empty() {
        Ok(config)
    } else {
        Err(errors)
    }
}

/// Turns a TOML error into a diagnostic at its position, with a hint for the common cases.
pub(crate) fn toml_diagnostic(
    file: impl AsRef<Path>,
    text: &str,
    e: &toml::de::Error,
) -> Diagnostic {
    let help = TomlHelp {
        unknown_field: "remove or rename this key; the accepted keys are listed after `expected`",
        date: Some("write a real calendar date as YYYY-MM-DD"),
        missing_field: "add the missing key",
        invalid_type: None,
        other: "fix the TOML syntax or the value's type at this position",
    };
    toml_error(file, text, e, "", &help)
}

/// A `[build]` folder that does not exist, named relative to the site root: reported at the
/// `book.toml` line that sets it, or at the folder itself when the default is in use.
pub(crate) fn missing_folder(root: &Path, key: &str, rel: &Path, what: &str) -> Diagnostic {
    let d = Diagnostic::error(
        rel,
        format!("{what} folder `{}` does not exist", rel.display()),
    )
    .help(format!("create it, or set `[build] {key}` in book.toml"));
    // Only a read failure makes this empty, and then the folder itself is the best location.
    let text = std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default();
    match table_key_line(&text, "build", key) {
        Some(line) => Diagnostic {
            file: PathBuf::from(CONFIG_FILE),
            ..d
        }
        .at(line, None)
        .with_source(&text),
        None => d,
    }
}

/// Line (1-based) that sets `key` inside `[table]` (keys of other tables with the same name are
/// not it).
pub(crate) fn table_key_line(text: &str, table: &str, key: &str) -> Option<usize> {
    toml_key_line(text, &[table, key])
}

/// Line (1-based) of the key at `path` (`["output", "html", "base-url"]`) in the TOML document
/// `text`, from the parser's spans: dotted keys, quoted keys and inline tables are found as
/// well as `[table]` headers. `None` when the document does not parse or has no such key.
pub(crate) fn toml_key_line(text: &str, path: &[&str]) -> Option<usize> {
    let doc = toml::de::DeTable::parse(text).ok()?;
    let (last, parents) = path.split_last()?;
    let mut table = doc.get_ref();
    for name in parents {
        let (_, value) = table.iter().find(|(k, _)| k.get_ref() == name)?;
        match value.get_ref() {
            toml::de::DeValue::Table(t) => table = t,
            _ => return None,
        }
    }
    let (k, _) = table.iter().find(|(k, _)| k.get_ref() == last)?;
    Some(crate::diagnostic::line_col(text, k.span().start).0)
}

/// Line (1-based) of the top-level `key` in the TOML document `text`, for diagnostics after
/// parsing (from the parser's spans, like [`toml_key_line`]). A page's whole text, front matter
/// delimiters included, goes through `load::front_matter_key_line` instead.
pub(crate) fn key_line(text: &str, key: &str) -> Option<usize> {
    toml_key_line(text, &[key])
}

fn validate(config: &mut Config, text: &str) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let at = |path: &[&str], d: Diagnostic| match toml_key_line(text, path) {
        Some(line) => d.at(line, None).with_source(text),
        None => d,
    };
    if config.book.language.trim().is_empty() {
        errors.push(at(
            &["book", "language"],
            Diagnostic::error(CONFIG_FILE, "`book.language` is empty")
                .help("set a language tag such as `language = \"zh-CN\"`"),
        ));
    } else if !valid_language_tag(&config.book.language) {
        // It names files and folders (`<lang>/`, `page.<lang>.md`, the theme's strings).
        errors.push(at(
            &["book", "language"],
            Diagnostic::error(
                CONFIG_FILE,
                format!(
                    "`book.language` `{}` is not a language tag",
                    config.book.language
                ),
            )
            .help("set a language tag such as `language = \"zh-CN\"`: two or three lowercase letters, then optional `-` parts of letters and digits"),
        ));
    }
    for (tag, lang) in &config.languages {
        let table = |key: &str| {
            toml_key_line(text, &["languages", tag, key])
                .or_else(|| toml_key_line(text, &["languages", tag]))
        };
        let at_lang = |key: &str, d: Diagnostic| match table(key) {
            Some(line) => d.at(line, None).with_source(text),
            None => d,
        };
        if !valid_language_tag(tag) {
            errors.push(at_lang(
                "",
                Diagnostic::error(CONFIG_FILE, format!("`[languages.{tag}]`: `{tag}` is not a language tag"))
                    .help("name the table by a language tag such as `[languages.en]`; it becomes the edition's folder and the `page.<tag>.md` suffix"),
            ));
        } else if tag.eq_ignore_ascii_case(&config.book.language) {
            errors.push(at_lang(
                "",
                Diagnostic::error(
                    CONFIG_FILE,
                    format!("`[languages.{tag}]` is the default language `[book] language`"),
                )
                .help("remove the table: the default language is configured in `[book]`"),
            ));
        }
        if lang.title.trim().is_empty() {
            errors.push(at_lang(
                "title",
                Diagnostic::error(CONFIG_FILE, format!("`[languages.{tag}]` has no `title`")).help(
                    format!(
                        "add `title = \"…\"` (the site title in `{tag}`) to `[languages.{tag}]`"
                    ),
                ),
            ));
        }
    }
    if let Some(url) = &mut config.output.html.base_url {
        match crate::paths::check_base_url(url) {
            Ok(u) => *url = u,
            Err(e) => errors.push(at(
                &["output", "html", "base-url"],
                Diagnostic::error(CONFIG_FILE, format!("`base-url` {e}"))
                    .help("write it like `base-url = \"https://example.org/guide/\"`"),
            )),
        }
    }
    if let Some(t) = &config.output.html.edit_url_template {
        if let Err(e) = crate::paths::check_url(t) {
            errors.push(at(
                &["output", "html", "edit-url-template"],
                Diagnostic::error(CONFIG_FILE, format!("`edit-url-template`: {e}"))
                    .help("write an http(s) URL with `{path}`, e.g. `edit-url-template = \"https://git.example.org/site/edit/main/content/{path}\"`"),
            ));
        } else if !t.contains("{path}") {
            errors.push(at(
                &["output", "html", "edit-url-template"],
                Diagnostic::error(
                    CONFIG_FILE,
                    "`edit-url-template` has no `{path}` placeholder",
                )
                .help("add `{path}` where the page's path inside the content folder goes"),
            ));
        }
    }
    for (key, dir) in [
        ("content", &config.build.content),
        ("templates", &config.build.templates),
        ("static", &config.build.r#static),
        ("build-dir", &config.build.build_dir),
    ] {
        if dir.as_os_str().is_empty() {
            errors.push(at(
                &["build", key],
                Diagnostic::error(CONFIG_FILE, format!("`build.{key}` is empty"))
                    .help("name a folder relative to the site root"),
            ));
        }
    }
    errors
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_to_an_empty_file() {
        let c = parse("").unwrap();
        assert_eq!(c.book.language, "zh-CN");
        assert_eq!(c.build.build_dir, PathBuf::from("public"));
        assert!(c.checker.wasm);
    }

    #[test]
    fn languages_are_read_and_checked() {
        let c = parse("[languages.en]\ntitle = \"T\"\ndescription = \"D\"\n").unwrap();
        assert_eq!(c.languages["en"].title, "T");
        let errs = parse("[languages.en]\ndescription = \"D\"\n").unwrap_err();
        assert!(errs[0].message.contains("has no `title`"), "{}", errs[0]);
        assert_eq!(errs[0].line, Some(1));
        let errs = parse("[languages.zh-CN]\ntitle = \"T\"\n").unwrap_err();
        assert!(
            errs[0].message.contains("is the default language"),
            "{}",
            errs[0]
        );
        let errs = parse("[languages.\"e n\"]\ntitle = \"T\"\n").unwrap_err();
        assert!(
            errs[0].message.contains("is not a language tag"),
            "{}",
            errs[0]
        );
        let errs = parse("[languages.en]\ntitle = \"T\"\ntitel = 1\n").unwrap_err();
        assert!(
            errs[0].message.contains("unknown field `titel`"),
            "{}",
            errs[0]
        );
        assert!(
            valid_language_tag("pt-BR") && !valid_language_tag("EN") && !valid_language_tag("e")
        );
    }

    #[test]
    fn unknown_key_names_the_key_and_line() {
        let errs = parse("[book]\ntitle = \"x\"\ntitel = \"y\"\n").unwrap_err();
        let text = errs[0].to_string();
        assert!(text.starts_with("error: unknown field `titel`"), "{text}");
        assert!(text.contains("--> book.toml:3:1"), "{text}");
    }

    #[test]
    fn base_url_gets_a_trailing_slash_and_must_be_absolute() {
        let c = parse("[output.html]\nbase-url = \"https://example.org/g\"\n").unwrap();
        assert_eq!(
            c.output.html.base_url.as_deref(),
            Some("https://example.org/g/")
        );
        let errs = parse("[output.html]\nbase-url = \"/g/\"\n").unwrap_err();
        assert_eq!(errs[0].line, Some(2));
        // Positions come from the TOML parser: a dotted or quoted key is found too, and a
        // comment or another table's key of the same name is not it.
        let errs =
            parse("[book]\n# base-url = \"/old/\"\n\n[output]\nhtml.\"base-url\" = \"/g/\"\n")
                .unwrap_err();
        assert_eq!(errs[0].line, Some(5));
        let text = "[search]\ncontent = 1\n[build]\n\"content\" = \"x\"\n";
        assert_eq!(table_key_line(text, "build", "content"), Some(4));
        assert_eq!(
            toml_key_line("a = { b = 1,\n c = 2 }\n", &["a", "c"]),
            Some(2)
        );
    }
}
