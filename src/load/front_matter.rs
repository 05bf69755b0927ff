//! Front matter: the TOML between the `+++` lines at the top of a page, split from the body,
//! parsed and checked (title, control characters, source URLs) with positions in the file.

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

use crate::config::{key_line, toml_diagnostic};
use crate::diagnostic::Diagnostic;

/// One entry of `sources = [...]`: where a claim on the page comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Title of the cited document.
    pub title: String,
    /// Its URL.
    pub url: String,
    /// When it was published or last checked.
    #[serde(default, deserialize_with = "opt_date")]
    pub date: Option<NaiveDate>,
}

/// The TOML between the `+++` lines at the top of a Markdown file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Page title (required; checked after parsing for a better message).
    pub title: Option<String>,
    /// One-sentence summary for `<meta name="description">` and listings.
    pub description: Option<String>,
    /// Sort key within the section; pages without one come after those with one.
    pub weight: Option<i64>,
    /// Drafts are skipped unless `--drafts` is given.
    #[serde(default)]
    pub draft: bool,
    /// Replaces the file stem in the output file name.
    pub slug: Option<String>,
    /// Template name, e.g. `checker.html`; defaults to `page.html` / `section.html` / `index.html`.
    pub template: Option<String>,
    /// Show the table of contents (default true).
    pub toc: Option<bool>,
    /// First publication.
    #[serde(default, deserialize_with = "opt_date")]
    pub date: Option<NaiveDate>,
    /// Last substantive change.
    #[serde(default, deserialize_with = "opt_date")]
    pub updated: Option<NaiveDate>,
    /// Last time the facts were checked against the sources.
    #[serde(default, deserialize_with = "opt_date")]
    pub reviewed: Option<NaiveDate>,
    /// Cited sources.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Translations only: the source page's `updated` date (or its `reviewed` date when it has
    /// no `updated`) that the translation was made from; an older date marks it as stale.
    #[serde(default, rename = "source-updated", deserialize_with = "opt_date")]
    pub source_updated: Option<NaiveDate>,
    /// Free table handed to templates as `page.extra`.
    #[serde(default)]
    pub extra: toml::Table,
}

/// A date written either as a TOML date (`2025-01-31`) or a string (`"2025-01-31"`).
#[derive(Deserialize)]
#[serde(untagged)]
enum DateRepr {
    Toml(toml::value::Datetime),
    Text(String),
}

/// A front-matter date: a TOML date without a time, or a string, either way exactly
/// `YYYY-MM-DD` (`2025-1-5` is refused), as [`beian_checker::parse_date`] reads every date.
fn opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let text = match DateRepr::deserialize(d)? {
        DateRepr::Toml(dt) => {
            if dt.time.is_some() || dt.offset.is_some() {
                return Err(serde::de::Error::custom(format!(
                    "invalid date `{dt}`: expected a date without a time, as YYYY-MM-DD"
                )));
            }
            dt.to_string()
        }
        DateRepr::Text(s) => s,
    };
    // The checker core's rule, so that a date means the same in a page and in the rules data.
    beian_checker::parse_date(&text).map(Some).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "invalid date `{text}`: expected a real calendar date as YYYY-MM-DD"
        ))
    })
}

/// Splits `+++` front matter from the body; returns (front matter text, its byte offset, body offset).
pub fn split_front_matter(raw: &str) -> Option<(&str, usize, usize)> {
    let start = if raw.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = raw.get(start..)?;
    let first_end = rest.find('\n')?;
    if rest.get(..first_end)?.trim_end() != "+++" {
        return None;
    }
    let fm_start = start + first_end + 1;
    let mut pos = fm_start;
    for line in raw.get(fm_start..)?.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some((raw.get(fm_start..pos)?, fm_start, pos + line.len()));
        }
        pos += line.len();
    }
    None
}

/// Line (1-based, counted in the whole file) of the top-level front-matter `key` of a page's
/// text `raw`, from the TOML parser's spans; `None` without front matter or without the key.
pub fn front_matter_key_line(raw: &str, key: &str) -> Option<usize> {
    let (fm, fm_start, _) = split_front_matter(raw)?;
    let before = raw.get(..fm_start)?.matches('\n').count();
    key_line(fm, key).map(|line| line + before)
}

/// Line (1-based, within the front matter `fm`) of the `index`th entry of its `sources` array,
/// from the TOML parser's spans.
fn source_line(fm: &str, index: usize) -> Option<usize> {
    let doc = toml::de::DeTable::parse(fm).ok()?;
    let (_, value) = doc
        .get_ref()
        .iter()
        .find(|(k, _)| k.get_ref() == "sources")?;
    let toml::de::DeValue::Array(items) = value.get_ref() else {
        return None;
    };
    let item = items.get(index)?;
    Some(crate::diagnostic::line_col(fm, item.span().start).0)
}

/// A page's front matter, parsed, with where it is in the file.
#[derive(Debug)]
pub(super) struct Parsed<'r> {
    /// The values.
    pub(super) front: FrontMatter,
    /// The front matter's text (between the `+++` lines).
    text: &'r str,
    /// Byte offset in the file where the body starts.
    pub(super) body_offset: usize,
}

impl<'r> Parsed<'r> {
    /// Splits and parses the front matter of `raw`, the text of `file`. A missing, unclosed or
    /// invalid front matter is the only problem reported: nothing else can be checked without
    /// it.
    pub(super) fn parse(file: &Path, raw: &'r str) -> Result<Self, Vec<Diagnostic>> {
        let Some((text, fm_offset, body_offset)) = split_front_matter(raw) else {
            let opened = raw
                .trim_start_matches('\u{feff}')
                .lines()
                .next()
                .is_some_and(|l| l.trim_end() == "+++");
            let d = if opened {
                Diagnostic::error(file, "front matter is not closed")
                    .at(1, Some(1))
                    .help("end the front matter with a line containing only `+++`")
            } else {
                Diagnostic::error(file, "missing front matter")
                    .at(1, Some(1))
                    .help("start the file with a `+++` line, then `title = \"…\"`, then another `+++` line")
            };
            return Err(vec![d.with_source(raw)]);
        };
        let front: FrontMatter = toml::from_str(text).map_err(|e| {
            let mut d = toml_diagnostic(file, text, &e);
            // Positions are relative to the front matter; shift them to the file.
            let shift = raw.get(..fm_offset).map_or(0, |s| s.matches('\n').count());
            if let Some(line) = d.line {
                let column = d.column;
                d = d.at(line + shift, column).with_source(raw);
            }
            vec![d]
        })?;
        Ok(Self {
            front,
            text,
            body_offset,
        })
    }

    /// The line in the file of the top-level `key` (the front matter starts on line 2).
    pub(super) fn line(&self, key: &str) -> Option<usize> {
        key_line(self.text, key).map(|l| l + 1)
    }

    /// The page's title; the problems of the values themselves (a missing or empty title,
    /// control characters in the title or description, bad source URLs) go to `errors`.
    pub(super) fn check(&self, file: &Path, raw: &str, errors: &mut Vec<Diagnostic>) -> String {
        let front = &self.front;
        let title = match &front.title {
            Some(t) if !t.trim().is_empty() => t.clone(),
            Some(_) => {
                errors.push(
                    Diagnostic::error(file, "`title` is empty")
                        .at(self.line("title").unwrap_or(2), None)
                        .help("give the page a title")
                        .with_source(raw),
                );
                String::new()
            }
            None => {
                errors.push(
                    Diagnostic::error(file, "missing `title` in front matter")
                        .at(2, Some(1))
                        .help("add `title = \"…\"` between the `+++` lines")
                        .with_source(raw),
                );
                String::new()
            }
        };
        // A control character is invisible in the page, makes the Atom feed invalid XML (XML
        // 1.0 has no way to write most of them) and can drive a terminal that prints the title.
        for (key, text) in [
            ("title", front.title.as_ref()),
            ("description", front.description.as_ref()),
        ] {
            if let Some(c) = text.and_then(|t| t.chars().find(|c| c.is_control())) {
                errors.push(
                    Diagnostic::error(
                        file,
                        format!("`{key}` contains the control character U+{:04X}", u32::from(c)),
                    )
                    .at(self.line(key).unwrap_or(2), None)
                    .help(format!("delete it from `{key}` (look for a `\\u{:04X}`-style escape or a `\\b`, `\\t`, `\\n` in the string)", u32::from(c)))
                    .with_source(raw),
                );
            }
        }
        for (index, src) in front.sources.iter().enumerate() {
            if let Err(e) = crate::paths::check_url(&src.url) {
                // The line where that source starts (sources are usually an array of inline
                // tables).
                let line = source_line(self.text, index)
                    .or_else(|| key_line(self.text, "sources"))
                    .map_or(2, |l| l + 1);
                errors.push(
                    Diagnostic::error(file, format!("bad source URL: {e}"))
                        .at(line, None)
                        .help("cite the source by its http(s) address")
                        .with_source(raw),
                );
            }
        }
        title
    }
}
