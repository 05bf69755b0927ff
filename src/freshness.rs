//! The contributor lint of `beian-guide check`: stale `reviewed` dates, pages without sources,
//! stale checker thresholds; plus `--strict` and the JSON report for editors and CI.
//!
//! These rules are about keeping the guide true over time, not about whether the site can be
//! built, so `build` does not apply them (a generated benchmark corpus has no sources).

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::{self, Config};
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::load::Page;
use crate::BuildOptions;

/// Environment variable that fixes "today" for the freshness lint (`YYYY-MM-DD`), for tests
/// and for reproducing a CI run on another day.
pub const TODAY_ENV: &str = "BEIAN_GUIDE_TODAY";

/// How `check` runs the contributor lint.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The day ages are counted to.
    pub today: NaiveDate,
    /// Warnings count as errors.
    pub strict: bool,
}

/// Today's date in Asia/Shanghai (kept here for the lint's callers; the clock is read in
/// [`crate::checker`]).
pub use crate::checker::today_in_shanghai;

/// Parses a `YYYY-MM-DD` date given on the command line or in [`TODAY_ENV`] (white space
/// around it ignored), by the rule every date follows ([`beian_checker::parse_date`]).
pub fn parse_today(text: &str) -> Result<NaiveDate, String> {
    beian_checker::parse_date(text.trim())
        .ok_or_else(|| format!("`{text}` is not a date: write it as YYYY-MM-DD"))
}

/// "Today" for the lint: `flag` if given, else [`TODAY_ENV`] if set, else the Shanghai clock.
pub fn resolve_today(flag: Option<&str>) -> Result<NaiveDate, String> {
    match flag {
        Some(t) => parse_today(t),
        None => match std::env::var(TODAY_ENV) {
            Ok(t) if !t.trim().is_empty() => {
                parse_today(&t).map_err(|e| format!("{TODAY_ENV}: {e}"))
            }
            _ => Ok(today_in_shanghai()),
        },
    }
}

/// The lint over loaded pages: `reviewed` older than the limit or in the future (warnings),
/// missing (a warning unless `[check] require-reviewed = false`), no `sources` (an error unless
/// `[check] require-sources = false`).
pub fn lint_pages(pages: &[Page], config: &Config, today: NaiveDate) -> Vec<Diagnostic> {
    let max_age = i64::from(config.check.reviewed_max_age_days);
    let mut out = Vec::new();
    for p in pages {
        match p.front.reviewed {
            None if !config.check.require_reviewed => {}
            None => out.push(
                Diagnostic::warning(&p.file, "page has no `reviewed` date")
                    .at(1, Some(1))
                    .with_source(&p.raw)
                    .help(format!(
                        "after checking the page against its sources, add `reviewed = {today}` to the front matter"
                    )),
            ),
            Some(date) => {
                let age = (today - date).num_days();
                let line = crate::load::front_matter_key_line(&p.raw, "reviewed").unwrap_or(1);
                if age > max_age {
                    out.push(
                        Diagnostic::warning(
                            &p.file,
                            format!(
                                "`reviewed` is {date}, {age} days ago (the limit is {max_age} days)"
                            ),
                        )
                        .at(line, Some(1))
                        .with_source(&p.raw)
                        .help(format!(
                            "check the page against its sources (and for rule changes), then set `reviewed = {today}`"
                        )),
                    );
                } else if age < 0 {
                    out.push(
                        Diagnostic::warning(
                            &p.file,
                            format!("`reviewed` is {date}, which is after today ({today})"),
                        )
                        .at(line, Some(1))
                        .with_source(&p.raw)
                        .help("set `reviewed` to the day you last checked the page"),
                    );
                }
            }
        }
        if let Some(date) = p.front.source_updated.filter(|d| *d > today) {
            let line = crate::load::front_matter_key_line(&p.raw, "source-updated").unwrap_or(1);
            out.push(
                Diagnostic::warning(
                    &p.file,
                    format!("`source-updated` is {date}, which is after today ({today}): the warning that the original changed since could never show"),
                )
                .at(line, Some(1))
                .with_source(&p.raw)
                .help("set `source-updated` to the `updated` (or `reviewed`) date of the page this translates, as it was when you translated it"),
            );
        }
        for (key, text) in [
            ("title", Some(&p.title)),
            ("description", p.front.description.as_ref()),
        ] {
            let Some(c) = text.and_then(|t| t.chars().find(|&c| is_bidi_control(c))) else {
                continue;
            };
            let line = crate::load::front_matter_key_line(&p.raw, key).unwrap_or(1);
            out.push(
                Diagnostic::warning(
                    &p.file,
                    format!(
                        "`{key}` contains the invisible direction control U+{:04X}: browsers show the text after it reordered (reversed for U+202E), unlike what the source reads",
                        u32::from(c)
                    ),
                )
                .at(line, Some(1))
                .with_source(&p.raw)
                .help(format!("delete the character from `{key}`; Chinese and English text needs no direction controls")),
            );
        }
        if config.check.require_sources && p.front.sources.is_empty() {
            let line = crate::load::front_matter_key_line(&p.raw, "sources").unwrap_or(1);
            out.push(
                Diagnostic::error(&p.file, "page cites no sources")
                    .at(line, Some(1))
                    .with_source(&p.raw)
                    .help(
                        "add `sources = [{ title = \"…\", url = \"https://…\" }]` to the front matter and cite them in the text with footnotes `[^1]`",
                    ),
            );
        }
    }
    out
}

/// The Unicode bidirectional formatting characters (embeddings, overrides, isolates and the
/// marks), which make text display in another order than it is stored.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The lint over the checker rules text: a `[thresholds.NAME]` whose `verified` date is older
/// than the limit is a warning. Malformed data is left to the rules stage, which reports it.
pub fn lint_rules(file: &Path, text: &str, today: NaiveDate, max_age_days: u32) -> Vec<Diagnostic> {
    let max_age = i64::from(max_age_days);
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            current = t
                .strip_prefix("[thresholds.")
                .and_then(|r| r.strip_suffix(']'))
                .map(|n| n.trim().to_owned());
            continue;
        }
        let Some(name) = &current else { continue };
        let Some(value) = t
            .strip_prefix("verified")
            .and_then(|r| r.trim_start().strip_prefix('='))
        else {
            continue;
        };
        let value = value
            .split('#')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"');
        let Some(date) = beian_checker::parse_date(value) else {
            continue;
        };
        let age = (today - date).num_days();
        if age > max_age {
            let column = line
                .find("verified")
                .map_or(1, |b| line[..b].chars().count() + 1);
            out.push(
                Diagnostic::warning(
                    file,
                    format!(
                        "threshold `{name}` was verified on {date}, {age} days ago (the limit is {max_age} days)"
                    ),
                )
                .at(i + 1, Some(column))
                .with_source(text)
                .help(format!(
                    "check the value against its `source`, then set `verified = \"{today}\"`"
                )),
            );
        }
    }
    out
}

/// What `check` found, ready to print as text or JSON.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Pages checked (0 when the site could not be loaded).
    pub pages: usize,
    /// Every problem, errors and warnings, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckReport {
    /// Number of errors (after `--strict`).
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// The JSON report: `{"version":1,"pages":N,"errors":E,"warnings":W,"diagnostics":[{severity,
    /// file,line,column,message,help,source_line}]}`; absent positions are `null`.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            version: u32,
            pages: usize,
            errors: usize,
            warnings: usize,
            diagnostics: &'a [Diagnostic],
        }
        serde_json::to_string_pretty(&Json {
            version: 1,
            pages: self.pages,
            errors: self.errors(),
            warnings: self.warnings(),
            diagnostics: &self.diagnostics,
        })
        .unwrap_or_else(|e| format!("{{\"version\":1,\"error\":\"{e}\"}}"))
    }

    /// The human report: every diagnostic rustc-style, then the counts.
    pub fn to_text(&self) -> String {
        Diagnostics(self.diagnostics.clone()).to_string()
    }
}

/// Runs everything `check` does: the build pipeline without writing, plus the contributor lint,
/// and collects every problem the stages could find into one report.
pub fn check_site(opts: &BuildOptions, copts: &CheckOptions) -> CheckReport {
    let mut report = CheckReport::default();
    // The contributor lint needs only the config and the pages, as the pipeline loaded them;
    // when those cannot be read the pipeline says why. Pages that did not load are reported
    // there; the others are still worth linting.
    let (mut loaded, mut found) = (0, Vec::new());
    let mut lint = |config: &config::Config, content: &crate::load::Content| {
        loaded = content.pages.len();
        found.extend(lint_pages(&content.pages, config, copts.today));
        // Translations cite the same sources and carry the same `reviewed` date.
        found.extend(lint_pages(&content.translations, config, copts.today));
        let rules = &config.checker.rules;
        if let Ok(text) = std::fs::read_to_string(opts.root.join(rules)) {
            found.extend(lint_rules(
                rules,
                &text,
                copts.today,
                config.check.reviewed_max_age_days,
            ));
        }
    };
    let result = crate::check_with(opts, &mut lint);
    report.pages = loaded;
    match result {
        Ok(summary) => {
            report.pages = summary.pages;
            report.diagnostics.extend(summary.warnings);
        }
        Err(crate::BuildError::Problems(d)) => report.diagnostics.extend(d),
        Err(crate::BuildError::Fatal(e)) => report.diagnostics.push(
            Diagnostic::error(config::CONFIG_FILE, format!("{e:#}"))
                .help("fix the problem above and run `beian-guide check` again"),
        ),
    }
    report.diagnostics.extend(found);
    if copts.strict {
        for d in &mut report.diagnostics {
            d.severity = Severity::Error;
        }
    }
    report.diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, b.severity).cmp(&(&b.file, b.line, b.column, a.severity))
    });
    report.diagnostics.dedup();
    report
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        parse_today(s).unwrap()
    }

    #[test]
    fn stale_threshold_is_reported_at_its_verified_line() {
        let text = "[thresholds.a]\nvalue = 1\nverified = \"2025-01-01\"\n\n[thresholds.b]\nverified = \"2026-11-01\"\n[states.x]\nverified = \"2000-01-01\"\n";
        let d = lint_rules(Path::new("rules.toml"), text, day("2026-11-27"), 180);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, Some(3));
        assert_eq!(
            d[0].message,
            "threshold `a` was verified on 2025-01-01, 695 days ago (the limit is 180 days)"
        );
    }

    #[test]
    fn today_flag_wins_and_bad_dates_are_explained() {
        assert_eq!(
            resolve_today(Some("2026-01-02")).unwrap(),
            day("2026-01-02")
        );
        assert!(resolve_today(Some("2026-13-02"))
            .unwrap_err()
            .contains("YYYY-MM-DD"));
    }

    #[test]
    fn dates_follow_the_checker_cores_date_rule() {
        // `--today` and a `verified` date are read as the core reads every date: exactly
        // YYYY-MM-DD (white space around `--today` aside).
        for text in ["2026-1-5", "+2026-01-05", "20260105", "2026/01/05"] {
            assert!(parse_today(text).is_err(), "{text}");
        }
        assert_eq!(parse_today(" 2026-01-05\n").unwrap(), day("2026-01-05"));
        // A `verified` date the core refuses is not aged here: validation reports it.
        let text = "[thresholds.a]\nverified = \"2020-1-5\"\n";
        assert!(lint_rules(Path::new("rules.toml"), text, day("2026-11-27"), 180).is_empty());
        let text = "[thresholds.a]\nverified = \"2020-01-05\"\n";
        assert_eq!(
            lint_rules(Path::new("rules.toml"), text, day("2026-11-27"), 180).len(),
            1
        );
    }
}
