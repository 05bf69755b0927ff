//! Content lint: known-false claims ("myths") that a page must not state outside a marked quote.
//!
//! The myth list lives in `lint/myths.toml`: each entry has an `id`, one or more regex
//! `patterns`, optional `allow` patterns for wording that looks like the myth but is not a
//! claim (a question, a quoted statute), a zh-CN `explanation` and the number of the `fact`
//! in `icp-facts.md` that refutes it.
//!
//! What is linted in a page: the front matter's `title` and `description`, and every body
//! line that holds text a reader sees outside code blocks and outside `> [!MYTH]` blockquotes
//! (a page quotes a myth there precisely to refute it). Which lines those are is decided by the
//! Markdown pass from its parser's events ([`crate::markdown::Rendered::lint_lines`]), so the
//! lint and the rendered page cannot disagree about what is code or a myth quote. Two kinds of
//! mention are not claims and are skipped: a match that is exactly the whole text of a “…” or
//! 「…」 quotation (the page talks about the term itself), and a match inside a 《…》 document
//! title (a citation). A line that states no myth (nearly all of them) is read once, by one
//! alternation of every pattern of every myth with its look-around assertions (`\b`, `^`, …)
//! left out (`loosened`): that alternation matches wherever a pattern does, and without
//! assertions it runs on the lazy DFA over any text. (With them, a Unicode `\b` makes the DFA
//! give up at the first non-ASCII byte, and the English list's alternation then took 10 s on
//! 2,500 lines of the site's English pages; the Chinese list's took 0.15 s on the 42,000 lines
//! of 1,000 generated pages, 0.04 s loosened.) Only a line it matches is run through each
//! myth's own patterns.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{line_col, toml_error, Diagnostic, TomlHelp};

/// Where the myth list lives, relative to the site root (the lint is off when it is absent).
pub const MYTHS_FILE: &str = "lint/myths.toml";

/// The myth list for pages in `lang`: [`MYTHS_FILE`] for the default language (`None`),
/// `lint/myths.<lang>.toml` (same schema, patterns in that language) for a translation.
pub fn myths_file(lang: Option<&str>) -> String {
    match lang {
        None => MYTHS_FILE.to_owned(),
        Some(l) => format!("lint/myths.{l}.toml"),
    }
}

/// The list of known-false claims, loaded from `lint/myths.toml`.
#[derive(Debug, Clone, Default)]
pub struct MythRules {
    myths: Vec<Myth>,
    /// Every myth's patterns, loosened ([`loosened`]), as one alternation: it matches every
    /// line that any pattern matches (`None` without patterns).
    any: Option<Regex>,
}

/// One known-false claim with its compiled patterns.
#[derive(Debug, Clone)]
struct Myth {
    id: String,
    patterns: Vec<Regex>,
    /// The patterns' text, for [`MythRules::set`].
    sources: Vec<String>,
    allow: Vec<Regex>,
    explanation: String,
    fact: String,
}

impl MythRules {
    /// Number of myths in the list.
    pub fn len(&self) -> usize {
        self.myths.len()
    }

    /// True when the list has no myths (a lint that can never fire).
    pub fn is_empty(&self) -> bool {
        self.myths.is_empty()
    }

    /// The ids of the myths, in file order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.myths.iter().map(|m| m.id.as_str())
    }
}

/// The file as written, before validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    myth: Vec<Spanned<RawMyth>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMyth {
    id: Spanned<String>,
    patterns: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    allow: Vec<Spanned<String>>,
    explanation: Spanned<String>,
    fact: Spanned<String>,
}

/// Loads and validates the myth list.
///
/// Every problem is reported at once, each with the file and line: a TOML syntax or shape
/// error, an empty or duplicate id, an empty pattern list or explanation, a fact number that
/// is not of the form `1.1`, and every regex that does not compile.
///
/// `rel` is the file's path from the site `root`; diagnostics name it that way.
pub fn load_myths(root: &Path, rel: &Path) -> Result<MythRules, Vec<Diagnostic>> {
    let text =
        std::fs::read_to_string(root.join(rel)).map_err(|e| {
            vec![Diagnostic::error(rel, format!("cannot read the myth list: {e}"))
            .help("create the file or fix its permissions; it is a TOML list of `[[myth]]` tables")]
        })?;
    parse_myths(rel, &text)
}

/// Parses the myth list from its text; `path` names the file in the diagnostics.
pub fn parse_myths(path: &Path, text: &str) -> Result<MythRules, Vec<Diagnostic>> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        // One layout hint fits every kind of error in this small file.
        let layout = "each entry is a `[[myth]]` table with `id`, `patterns`, `explanation` and `fact` (optional `allow`)";
        let help = TomlHelp {
            unknown_field: layout,
            date: None,
            missing_field: layout,
            invalid_type: None,
            other: layout,
        };
        vec![toml_error(path, text, &e, "invalid myth list: ", &help)]
    })?;

    let at = |offset: usize, d: Diagnostic| {
        let (line, col) = line_col(text, offset);
        d.at(line, Some(col)).with_source(text)
    };
    let fact_shape = Regex::new(r"^[0-9]+(\.[0-9]+)*$").map_err(|e| {
        vec![Diagnostic::error(
            path,
            format!("internal error in the fact-number check: {e}"),
        )]
    })?;

    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    let mut myths = Vec::new();
    if raw.myth.is_empty() {
        errors.push(
            Diagnostic::error(path, "the myth list is empty")
                .help("add at least one `[[myth]]` table, or the lint can never fail"),
        );
    }
    // Every regex compiled once, in parallel (a Unicode class under `(?i)` takes milliseconds);
    // the loop below takes them in order.
    let mut compiled: HashMap<&str, Result<Regex, regex::Error>> = (raw.myth.iter())
        .flat_map(|m| {
            m.get_ref()
                .patterns
                .get_ref()
                .iter()
                .chain(&m.get_ref().allow)
        })
        .map(|p| {
            (
                p.get_ref().as_str(),
                Err(regex::Error::Syntax(String::new())),
            )
        })
        .collect();
    compiled
        .par_iter_mut()
        .for_each(|(p, re)| *re = Regex::new(p));
    for entry in &raw.myth {
        let entry_start = entry.span().start;
        let m = entry.get_ref();
        let id = m.id.get_ref().trim().to_owned();
        if id.is_empty() {
            errors.push(at(
                m.id.span().start,
                Diagnostic::error(path, "a myth has an empty `id`")
                    .help("give it a short kebab-case id such as `filing-expires`"),
            ));
        } else if !seen.insert(id.clone()) {
            errors.push(at(
                m.id.span().start,
                Diagnostic::error(path, format!("duplicate myth id `{id}`"))
                    .help("ids must be unique; rename one of them"),
            ));
        }
        if m.explanation.get_ref().trim().is_empty() {
            errors.push(at(
                m.explanation.span().start,
                Diagnostic::error(path, format!("myth `{id}` has an empty `explanation`"))
                    .help("say in zh-CN why the claim is false"),
            ));
        }
        if !fact_shape.is_match(m.fact.get_ref()) {
            errors.push(at(
                m.fact.span().start,
                Diagnostic::error(
                    path,
                    format!("myth `{id}` has an invalid `fact` `{}`", m.fact.get_ref()),
                )
                .help("use the number of the refuting claim in icp-facts.md, e.g. \"1.1\""),
            ));
        }
        if m.patterns.get_ref().is_empty() {
            errors.push(at(
                m.patterns.span().start.max(entry_start),
                Diagnostic::error(path, format!("myth `{id}` has no `patterns`"))
                    .help("add at least one regex that matches the false claim"),
            ));
        }
        let mut compile = |list: &[Spanned<String>], what: &str| -> Vec<Regex> {
            let mut out: Vec<Regex> = Vec::new();
            for p in list {
                if p.get_ref().is_empty() {
                    errors.push(at(
                        p.span().start,
                        Diagnostic::error(path, format!("myth `{id}` has an empty {what}"))
                            .help("an empty regex matches everywhere; remove it"),
                    ));
                    continue;
                }
                match &compiled[p.get_ref().as_str()] {
                    Ok(re) => out.push(re.clone()),
                    Err(e) => errors.push(at(
                        p.span().start,
                        Diagnostic::error(
                            path,
                            format!("myth `{id}` has an invalid {what} regex: {}", regex_error_summary(e)),
                        )
                        .help("fix the regex (Rust `regex` syntax: no look-around, no backreferences)"),
                    )),
                }
            }
            out
        };
        let patterns = compile(m.patterns.get_ref(), "pattern");
        let allow = compile(&m.allow, "allow");
        let sources = patterns.iter().map(|re| re.as_str().to_owned()).collect();
        myths.push(Myth {
            id,
            patterns,
            sources,
            allow,
            explanation: m.explanation.get_ref().trim().to_owned(),
            fact: m.fact.get_ref().clone(),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let all: Vec<String> = (myths.iter())
        .flat_map(|m| m.sources.iter().map(|p| format!("(?:{})", loosened(p))))
        .collect();
    // Each pattern compiled on its own; together they can only exceed the size limit. The
    // lazy DFA gets room for the states of the whole list (the default 2 MB made it clear its
    // cache, and then give up, on the Chinese list over the generated pages).
    let any =
        regex::RegexBuilder::new(&all.join("|"))
            .dfa_size_limit(8 << 20)
            .build()
            .map_err(|e| {
                vec![Diagnostic::error(
            path,
            format!(
                "the myth patterns together are too large to compile: {}",
                regex_error_summary(&e)
            ),
        )
        .help("shorten or merge patterns (counted repetitions like `{0,8}` grow the automaton)")]
            })?;
    Ok(MythRules {
        myths,
        any: Some(any),
    })
}

/// `pattern` (which compiles) without its look-around assertions (`\b`, `\B`, `^`, `$`, …) and
/// capture groups: a regex that matches wherever `pattern` does (leaving out an assertion only
/// widens what matches), and that the lazy DFA runs over any text. A pattern the parser does
/// not take back is returned as it is. (Counted repetitions stay counted: made unbounded, they
/// halved the English list's cost on the real site but made the Chinese list's six times
/// slower on 10,000 generated pages, 0.23 s → 1.1 s.)
fn loosened(pattern: &str) -> String {
    use regex_syntax::hir::{Hir, HirKind, Repetition};
    fn go(h: &Hir) -> Hir {
        match h.kind() {
            HirKind::Look(_) => Hir::empty(),
            HirKind::Capture(c) => go(&c.sub),
            HirKind::Concat(xs) => Hir::concat(xs.iter().map(go).collect()),
            HirKind::Alternation(xs) => Hir::alternation(xs.iter().map(go).collect()),
            HirKind::Repetition(r) => Hir::repetition(Repetition {
                sub: Box::new(go(&r.sub)),
                ..r.clone()
            }),
            HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => h.clone(),
        }
    }
    match regex_syntax::Parser::new().parse(pattern) {
        Ok(h) => go(&h).to_string(),
        Err(_) => pattern.to_owned(),
    }
}

/// The `error: …` line of a regex error (the part that says what is wrong), or the whole text.
fn regex_error_summary(e: &regex::Error) -> String {
    let text = e.to_string();
    text.lines()
        .rev()
        .find(|l| l.trim_start().starts_with("error:"))
        .map(|l| l.trim().trim_start_matches("error:").trim().to_owned())
        .unwrap_or(text)
}

/// Lints one Markdown file (front matter included; `file` names it in the diagnostics): the
/// lines of the front matter's `title` and `description`, and the body lines that start at the
/// byte offsets `body_lines` in `source`, in order (those a reader sees as text, as the Markdown
/// pass found them: [`crate::markdown::Rendered::lint_lines`]; to lint a file's text on its
/// own, see [`crate::markdown::lint_myths`]).
pub fn lint_lines(
    file: &Path,
    source: &str,
    body_lines: &[u32],
    rules: &MythRules,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if rules.is_empty() {
        return out;
    }
    // The front matter is where the loader finds it (`load::split_front_matter`, the one rule);
    // of it, only the lines of the human-facing values are linted.
    let mut starts: Vec<usize> = match crate::load::split_front_matter(source) {
        Some((fm, fm_start, _)) => front_matter_lines(source, fm, fm_start)
            .into_iter()
            .collect(),
        None => Vec::new(),
    };
    starts.sort_unstable();
    starts.extend(body_lines.iter().map(|&s| s as usize));
    // The lines come in order: each one's number is counted on from the last one's.
    let (mut at, mut line_no) = (0, 1);
    for start in starts {
        let Some(rest) = source.get(start..) else {
            break;
        };
        line_no += source.get(at..start).map_or(0, |s| s.matches('\n').count());
        at = start;
        let line = rest.split('\n').next().unwrap_or_default();
        let line = line.strip_suffix('\r').unwrap_or(line);
        check_line(file, (line_no, line), rules, &mut out);
    }
    out
}

/// Footnote problems a reader would see, as warnings (`check --strict` makes them errors):
/// - a citation with no definition: the parser leaves `[^label]` as text on the page;
/// - a definition nothing cites: a note under the page that no mark leads to;
/// - definitions out of reading order: notes are numbered by first citation but listed in
///   source order, so the reader sees a list like 1, 2, 4, 3.
///
/// `events` are the page body's as the Markdown stage parsed them, with their byte ranges in
/// the body, which starts at `body_start` in `source` (the whole file: lines count from its
/// start). See [`crate::markdown::lint_footnotes`] to check a file's text on its own.
pub fn footnote_problems(
    file: &Path,
    source: &str,
    body_start: usize,
    events: &[(pulldown_cmark::Event<'_>, std::ops::Range<usize>)],
) -> Vec<Diagnostic> {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let body = source.get(body_start..).unwrap_or("");
    let warn = |at: usize, message: String, help: &str| {
        let (line, col) = line_col(source, body_start + at);
        Diagnostic::warning(file, message)
            .at(line, Some(col))
            .help(help)
            .with_source(source)
    };
    // (label, offset) of each label's first citation, and of each definition, in source order;
    // the sets keep the checks linear in the number of notes.
    let mut cited: Vec<(String, usize)> = Vec::new();
    let mut cited_labels: HashSet<String> = HashSet::new();
    let mut defined: Vec<(String, usize)> = Vec::new();
    let mut out = Vec::new();
    // Consecutive text outside code, where an unresolved `[^label]` is left as it was written.
    let mut text = String::new();
    let mut text_at = 0;
    let mut in_code = false;
    let end = (Event::HardBreak, body.len()..body.len());
    for (event, range) in events.iter().chain([&end]) {
        let range = range.clone();
        if let Event::Text(t) = event {
            // A run is kept from its first `[` on (the parser splits text there): most text
            // has none and is not copied.
            if !in_code && (!text.is_empty() || t.contains('[')) {
                if text.is_empty() {
                    text_at = range.start;
                }
                text.push_str(t);
            }
            continue;
        }
        let mut rest = text.as_str();
        while let Some(i) = rest.find("[^") {
            rest = &rest[i + 2..];
            if let Some(end) = rest.find(']') {
                let label = &rest[..end];
                if !label.is_empty() && !label.contains(char::is_whitespace) {
                    // Where it is written, when the text is as written (no escapes in between).
                    let written = format!("[^{label}]");
                    let at = body
                        .get(text_at..)
                        .and_then(|b| b.find(&written))
                        .map_or(text_at, |i| text_at + i);
                    out.push(warn(
                        at,
                        format!("footnote `[^{label}]` is cited but not defined: the page shows it as written"),
                        "add its definition (`[^label]: text`) below, or remove the citation",
                    ));
                }
                rest = &rest[end..];
            }
        }
        text.clear();
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::FootnoteReference(label) if !cited_labels.contains(label.as_ref()) => {
                cited_labels.insert(label.to_string());
                cited.push((label.to_string(), range.start));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                defined.push((label.to_string(), range.start));
            }
            _ => {}
        }
    }
    for (label, at) in &defined {
        if !cited_labels.contains(label) {
            out.push(warn(
                *at,
                format!("footnote `[^{label}]` is defined but never cited"),
                "cite it where its claim is made, or remove the definition",
            ));
        }
    }
    // The definitions of cited notes, in source order, against the order of first citation.
    let listed: Vec<&(String, usize)> = defined
        .iter()
        .filter(|(l, _)| cited_labels.contains(l))
        .collect();
    let defined_labels: HashSet<&str> = listed.iter().map(|(l, _)| l.as_str()).collect();
    // Each listed note's number: its rank among the cited notes that have a definition.
    let number: std::collections::HashMap<&str, usize> = cited
        .iter()
        .map(|(c, _)| c.as_str())
        .filter(|c| defined_labels.contains(c))
        .enumerate()
        .map(|(i, c)| (c, i + 1))
        .collect();
    let out_of_order = listed
        .iter()
        .enumerate()
        .find(|(k, (l, _))| number.get(l.as_str()) != Some(&(k + 1)));
    if let Some((k, _)) = out_of_order {
        let numbers: Vec<String> = listed
            .iter()
            .map(|(l, _)| number.get(l.as_str()).copied().unwrap_or(0).to_string())
            .collect();
        out.push(warn(
            listed[k].1,
            format!(
                "footnote `[^{}]` is defined out of reading order: the notes are listed as {}",
                listed[k].0,
                numbers.join(", ")
            ),
            "list the definitions in the order the text first cites them",
        ));
    }
    out
}

/// Start offsets (in `source`) of the lines holding the front matter's `title` and
/// `description` values, from the TOML parser's spans. Source titles in `sources` may name a
/// myth (a provider FAQ titled with the question) without stating it, so they are not linted.
fn front_matter_lines(source: &str, fm: &str, fm_start: usize) -> HashSet<usize> {
    let mut lines = HashSet::new();
    let Ok(doc) = toml::de::DeTable::parse(fm) else {
        return lines; // the loader reports the front matter's syntax error
    };
    for (key, value) in doc.get_ref() {
        if !matches!(key.get_ref().as_ref(), "title" | "description") {
            continue;
        }
        let span = value.span();
        let (start, end) = (fm_start + span.start, fm_start + span.end);
        let mut line = source[..start].rfind('\n').map_or(0, |i| i + 1);
        while line < end {
            lines.insert(line);
            line = match source[line..].find('\n') {
                Some(i) => line + i + 1,
                None => break,
            };
        }
    }
    lines
}

/// Runs every myth over one line (number `line_no`) and records the claims it states.
fn check_line(
    file: &Path,
    (line_no, line): (usize, &str),
    rules: &MythRules,
    out: &mut Vec<Diagnostic>,
) {
    // Nearly every line states no myth: one pass of the combined automaton says so.
    if !rules.any.as_ref().is_some_and(|any| any.is_match(line)) {
        return;
    }
    for myth in &rules.myths {
        // One finding per myth and line is enough to point the writer at it.
        let hit = myth.patterns.iter().find_map(|re| {
            re.find_iter(line)
                .find(|m| !is_mention(line, m.start(), m.end()) && !allowed(myth, line, m))
        });
        if let Some(m) = hit {
            let col = line[..m.start()].chars().count() + 1;
            let mut d = Diagnostic::error(
                    file,
                    format!(
                        "page states the known-false claim `{}` (\"{}\")",
                        myth.id,
                        m.as_str()
                    ),
                )
                .at(line_no, Some(col))
                .help(format!(
                    "refuted by fact {} in icp-facts.md: {} If the page quotes the claim to refute it, put the quote inside a `> [!MYTH]` block",
                    myth.fact, myth.explanation
                ));
            d.source_line = Some(line.to_owned());
            out.push(d);
        }
    }
}

/// True when an `allow` pattern of `myth` covers the match.
fn allowed(myth: &Myth, line: &str, m: &regex::Match<'_>) -> bool {
    myth.allow.iter().any(|re| {
        re.find_iter(line)
            .any(|a| a.start() <= m.start() && a.end() >= m.end())
    })
}

/// True when `line[start..end]` is a mention, not a claim: the whole text of a “…” / 「…」
/// quotation, or a part of a 《…》 document title.
fn is_mention(line: &str, start: usize, end: usize) -> bool {
    let before = &line[..start];
    let after = &line[end..];
    let whole_quote = (before.ends_with('“') && after.starts_with('”'))
        || (before.ends_with('「') && after.starts_with('」'));
    // Inside a title: the last 《 before the match is not closed before it, and a 》 follows.
    let in_title = match (before.rfind('《'), before.rfind('》')) {
        (Some(open), Some(close)) => open > close && after.contains('》'),
        (Some(_), None) => after.contains('》'),
        _ => false,
    };
    whole_quote || in_title
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// (line, column, message) of each footnote warning.
    fn footnote_warnings(source: &str) -> Vec<(usize, usize, String)> {
        let body_start = crate::load::split_front_matter(source).map_or(0, |(_, _, b)| b);
        let events: Vec<_> = pulldown_cmark::Parser::new_ext(
            &source[body_start..],
            pulldown_cmark::Options::ENABLE_FOOTNOTES,
        )
        .into_offset_iter()
        .collect();
        footnote_problems(Path::new("content/a.md"), source, body_start, &events)
            .into_iter()
            .map(|d| {
                assert_eq!(d.severity, crate::diagnostic::Severity::Warning);
                (d.line.unwrap_or(0), d.column.unwrap_or(0), d.message)
            })
            .collect()
    }

    #[test]
    fn well_kept_footnotes_pass() {
        let src = "+++\ntitle = \"t\"\n+++\n甲[^a]乙[^b]丙[^a]。\n\n[^a]: 一。\n[^b]: 二。\n";
        assert_eq!(footnote_warnings(src), []);
        // Code shows `[^x]` as code: not a citation.
        assert_eq!(footnote_warnings("`[^x]`\n\n```\n[^y]\n```\n"), []);
    }

    #[test]
    fn a_citation_without_a_definition_is_reported_where_it_is_written() {
        let src = "+++\ntitle = \"t\"\n+++\n说明[^a]，另见[^zz]。\n\n[^a]: 一。\n";
        let w = footnote_warnings(src);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!((w[0].0, w[0].1), (4, 10), "{w:?}");
        assert!(w[0].2.contains("`[^zz]` is cited but not defined"), "{w:?}");
    }

    #[test]
    fn an_unused_definition_and_an_out_of_order_list_are_reported() {
        let src = "正文[^b]，再[^a]。\n\n[^a]: 一。\n[^b]: 二。\n[^c]: 三。\n";
        let w = footnote_warnings(src);
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(w[0].0, 5);
        assert!(
            w[0].2.contains("`[^c]` is defined but never cited"),
            "{w:?}"
        );
        assert_eq!(w[1].0, 3);
        assert!(
            w[1].2.contains("`[^a]` is defined out of reading order")
                && w[1].2.ends_with("listed as 2, 1"),
            "{w:?}"
        );
    }

    #[test]
    fn a_loosened_pattern_matches_wherever_the_pattern_does() {
        let cases = [
            (
                r"(?i)\b(ICP )?filings? (expire|lapse)s?\b",
                "Our ICP filing expires soon; 备案filing lapses",
            ),
            (r"^备案号?(会|将)?过期$", "备案会过期"),
            (
                r"\brenew(ing|al)?\b[^.;]{0,30}\brestore",
                "renewal will restore it",
            ),
        ];
        for (pattern, text) in cases {
            let (strict, loose) = (Regex::new(pattern).unwrap(), loosened(pattern));
            assert!(!loose.contains(r"\b"), "{loose}");
            let loose = Regex::new(&loose).unwrap();
            for m in strict.find_iter(text) {
                assert!(
                    loose.is_match(m.as_str()) && loose.is_match(text),
                    "{pattern} matched {:?} but its loosened form does not",
                    m.as_str()
                );
            }
            assert!(strict.is_match(text), "the case tests nothing: {pattern}");
        }
        // Wider, not different: the loosened form finds the word inside another.
        let loose = Regex::new(&loosened(r"(?i)\bexpire\b")).unwrap();
        assert!(loose.is_match("unexpired") && !loose.is_match("备案"));
        let loose = Regex::new(&loosened("^备案会过期$")).unwrap();
        assert!(loose.is_match("说备案会过期了"));
    }

    #[test]
    fn bad_regex_and_shape_errors_name_the_line() {
        let text =
            "[[myth]]\nid = \"a\"\npatterns = [\"备案(\"]\nexplanation = \"x\"\nfact = \"one\"\n";
        let errs = match parse_myths(Path::new("lint/myths.toml"), text) {
            Ok(_) => panic!("should fail"),
            Err(e) => e,
        };
        assert_eq!(errs.len(), 2);
        assert!(errs
            .iter()
            .any(|d| d.line == Some(3) && d.message.contains("invalid pattern regex")));
        assert!(errs
            .iter()
            .any(|d| d.line == Some(5) && d.message.contains("invalid `fact`")));
    }

    #[test]
    fn unknown_key_is_an_error_with_line() {
        let text = "[[myth]]\nid = \"a\"\npatterns = [\"x\"]\nexplanation = \"x\"\nfact = \"1.1\"\nnote = \"?\"\n";
        let errs = match parse_myths(Path::new("m.toml"), text) {
            Ok(_) => panic!("should fail"),
            Err(e) => e,
        };
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, Some(6));
        assert!(errs[0]
            .message
            .starts_with("invalid myth list: unknown field `note`"));
    }

    #[test]
    fn duplicate_ids_are_reported() {
        let one = "[[myth]]\nid = \"a\"\npatterns = [\"x\"]\nexplanation = \"x\"\nfact = \"1.1\"\n";
        let text = format!("{one}{one}");
        let errs = match parse_myths(Path::new("m.toml"), &text) {
            Ok(_) => panic!("should fail"),
            Err(e) => e,
        };
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, Some(7));
    }
}
