//! Diagnostics shared by every stage: a problem in an input file, with its position and a hint.
//!
//! Stages that can find several problems at once (front matter, links, rules data) collect
//! `Diagnostic`s instead of stopping at the first; `main` prints them all and picks the exit code.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How bad a problem is. `check --strict` turns warnings into errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path of the file, relative to the site root where possible. In JSON a name that is not
    /// UTF-8 is written with U+FFFD for its bad bytes (serde would refuse it, and with it
    /// every other diagnostic of the report).
    #[serde(serialize_with = "lossy_path")]
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// Lowercase sentence saying what is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The offending source line, for the caret display.
    pub source_line: Option<String>,
}

fn lossy_path<S: serde::Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&path.to_string_lossy())
}

impl Diagnostic {
    /// An error in `file` with no position yet.
    pub fn error(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.as_ref().to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
            source_line: None,
        }
    }

    /// A warning in `file` with no position yet.
    pub fn warning(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, message)
        }
    }

    /// Sets the 1-based line (and column, when known).
    pub fn at(mut self, line: usize, column: Option<usize>) -> Self {
        self.line = Some(line);
        self.column = column;
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attaches the source line at `self.line` taken from the whole file text.
    pub fn with_source(mut self, text: &str) -> Self {
        if let Some(line) = self.line {
            self.source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_owned);
        }
        self
    }

    /// `file:line:col`, as much of it as is known.
    pub fn location(&self) -> String {
        let mut s = self.file.display().to_string();
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
            if let Some(col) = self.column {
                s.push_str(&format!(":{col}"));
            }
        }
        s
    }
}

/// A file's text with its lines indexed once, for the many diagnostics one file can have: each
/// takes its line number and source line in O(log n) instead of scanning the text
/// ([`line_col`], [`Diagnostic::with_source`]).
#[derive(Debug)]
pub struct SourceLines<'t> {
    text: &'t str,
    /// Byte offset of each line's start.
    starts: Vec<usize>,
}

impl<'t> SourceLines<'t> {
    /// Indexes `text`.
    pub fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// Where 1-based line `line` starts (`None` past the end).
    pub fn start(&self, line: usize) -> Option<usize> {
        line.checked_sub(1)
            .and_then(|i| self.starts.get(i))
            .copied()
    }

    /// The text of 1-based line `line` without its line ending, as `str::lines` gives it.
    pub fn get(&self, line: usize) -> Option<&'t str> {
        let start = self.start(line).filter(|&s| s < self.text.len())?;
        let end = self.start(line + 1).unwrap_or(self.text.len());
        let l = &self.text[start..end];
        Some(match l.strip_suffix('\n') {
            Some(l) => l.strip_suffix('\r').unwrap_or(l),
            None => l,
        })
    }
}

impl Diagnostic {
    /// [`Diagnostic::with_source`] from indexed lines.
    pub fn with_source_in(mut self, lines: &SourceLines<'_>) -> Self {
        if let Some(line) = self.line {
            self.source_line = lines.get(line).map(str::to_owned);
        }
        self
    }
}

/// Converts a byte offset in `text` into a 1-based (line, column-in-chars) pair.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// A failure while walking a folder under the site `root`, as an error that names the path
/// from the root (`folder` when walkdir does not say which path failed): walkdir's own text
/// names the absolute path, so only its cause is kept.
pub fn walk_error(root: &Path, folder: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e
        .path()
        .and_then(|p| p.strip_prefix(root).ok())
        .map_or_else(|| folder.to_path_buf(), Path::to_path_buf);
    let cause = match e.io_error() {
        Some(io) => io.to_string(),
        None => "it is a symbolic link to a folder that contains it".to_owned(),
    };
    Diagnostic::error(&path, format!("cannot read `{}`: {cause}", path.display()))
        .help("fix the file's permissions or remove the link")
}

/// Help lines for a TOML error, by the kind of error toml reports; each file names its own
/// layout in them.
#[derive(Debug, Clone, Copy)]
pub struct TomlHelp<'a> {
    /// A key the file's schema does not have.
    pub unknown_field: &'a str,
    /// Any message about a date (checked before the missing-key case), when the file has dates.
    pub date: Option<&'a str>,
    /// A required key is absent.
    pub missing_field: &'a str,
    /// A value of the wrong type, when the file wants a specific hint for it.
    pub invalid_type: Option<&'a str>,
    /// Everything else (syntax errors, other types).
    pub other: &'a str,
}

/// A TOML syntax or shape error in `file` (whose whole text is `text`) as an error at the
/// position toml reports: `context` followed by the first line of toml's message, first letter
/// lowercase, with the help line `help` has for its kind.
pub fn toml_error(
    file: impl AsRef<Path>,
    text: &str,
    e: &toml::de::Error,
    context: &str,
    help: &TomlHelp<'_>,
) -> Diagnostic {
    let line = e.message().lines().next().unwrap_or("").trim();
    let mut chars = line.chars();
    let message: String = match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => "invalid TOML".to_owned(),
    };
    let hint = match (help.date, help.invalid_type) {
        _ if message.starts_with("unknown field") => help.unknown_field,
        (Some(h), _) if message.contains("date") => h,
        _ if message.starts_with("missing field") => help.missing_field,
        (_, Some(h)) if message.starts_with("invalid type") => h,
        _ => help.other,
    };
    let d = Diagnostic::error(file, format!("{context}{message}")).help(hint);
    match e.span() {
        Some(span) => {
            let (line, col) = line_col(text, span.start);
            d.at(line, Some(col)).with_source(text)
        }
        None => d,
    }
}

impl fmt::Display for Diagnostic {
    /// rustc-like: `error: message`, ` --> file:line:col`, the line with a caret, `= help: …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", printable(&self.message))?;
        write!(f, "  --> {}", printable_name(&self.location()))?;
        if let (Some(src), Some(line)) = (&self.source_line, self.line) {
            let gutter = line.to_string().len();
            write!(f, "\n{:gutter$} |", "")?;
            write!(f, "\n{line} | {}", printable(src))?;
            if let Some(col) = self.column {
                let pad = caret_padding(src, col);
                write!(f, "\n{:gutter$} | {pad}^", "")?;
            }
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {}", printable(help))?;
        }
        Ok(())
    }
}

/// How a character that must not reach a terminal as it is (it could move the cursor, clear
/// the screen, set the window title, write the clipboard, or reverse the text after it) is
/// shown: C0 controls and DEL as their Unicode control pictures (`␛` for ESC), C1 controls
/// and the bidirectional controls as `\u{…}`. Tabs stay (the caret line keeps them too), and
/// so do line breaks, which only [`printable_name`] shows.
fn shown(c: char) -> Option<String> {
    match c {
        '\t' | '\n' => None,
        '\0'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).map(String::from),
        '\u{7f}' => Some("\u{2421}".to_owned()),
        '\u{80}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => Some(format!("\\u{{{:x}}}", u32::from(c))),
        _ => None,
    }
}

/// A file name or position, on one line: [`printable`], with a line break shown as `␊`.
pub fn printable_name(s: &str) -> String {
    printable(s).replace('\n', "\u{240a}")
}

/// `s` with every character `shown` escapes replaced, as rustc prints source lines and file
/// names: everything a diagnostic prints goes through here.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| shown(c).is_some()) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match shown(c) {
            Some(r) => out.push_str(&r),
            None => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// What goes before the caret under `src` so that it lands under the 1-based character
/// `column` in a terminal: tabs stay tabs, every other character is replaced by as many spaces
/// as its display width (two for CJK characters and full-width punctuation, none for combining
/// marks).
fn caret_padding(src: &str, column: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut pad = String::new();
    for c in src.chars().take(column.saturating_sub(1)) {
        if c == '\t' {
            pad.push('\t');
        } else if let Some(r) = shown(c) {
            pad.extend(std::iter::repeat_n(' ', r.chars().count()));
        } else {
            pad.extend(std::iter::repeat_n(' ', c.width().unwrap_or(0)));
        }
    }
    pad
}

/// A list of diagnostics returned as one error when a stage fails.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Number of errors (warnings excluded).
    pub fn error_count(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{d}")?;
        }
        let errors = self.error_count();
        let warnings = self.0.len() - errors;
        write!(f, "{errors} error(s), {warnings} warning(s)")
    }
}

impl std::error::Error for Diagnostics {}

/// Collects per-item results, keeping every item's problems: `Ok` with all values in order when
/// nothing failed, else `Err` with all diagnostics in order.
pub fn collect_all<T, E>(
    results: impl IntoIterator<Item = Result<T, E>>,
) -> Result<Vec<T>, Vec<Diagnostic>>
where
    E: IntoIterator<Item = Diagnostic>,
{
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(v) => ok.push(v),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(ok)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_sent_and_the_caret_still_lines_up() {
        let src = "a\u{1b}[2J\u{202e}b\tc";
        let d = Diagnostic::error("x\u{7}\ny.md", "bad\u{9b}\nsecond line")
            .at(1, Some(7))
            .with_source(src)
            .help("h\r");
        assert_eq!(
            d.to_string(),
            "error: bad\\u{9b}\nsecond line\n  --> x\u{2407}\u{240a}y.md:1:7\n  |\n1 | a\u{241b}[2J\\u{202e}b\tc\n  | {}^\n  = help: h\u{240d}"
                .replace("{}", &" ".repeat(13))
        );
    }

    #[test]
    fn line_col_counts_chars_not_bytes() {
        let text = "第一行\n标题 = 1\n";
        assert_eq!(line_col(text, 0), (1, 1));
        let off = text.find('=').unwrap_or(0);
        assert_eq!(line_col(text, off), (2, 4));
    }

    #[test]
    fn toml_errors_are_located_and_keep_only_the_first_line() {
        let text = "a = 1\nb = \"open\n";
        let e = match toml::from_str::<toml::Table>(text) {
            Ok(_) => panic!("parsed bad TOML"),
            Err(e) => e,
        };
        let help = TomlHelp {
            unknown_field: "u",
            date: Some("d"),
            missing_field: "m",
            invalid_type: None,
            other: "o",
        };
        let d = toml_error("x.toml", text, &e, "invalid x: ", &help);
        assert_eq!(d.location(), "x.toml:2:10");
        assert_eq!(d.message, "invalid x: invalid basic string, expected `\"`");
        assert_eq!(d.source_line.as_deref(), Some("b = \"open"));
        assert_eq!(d.help.as_deref(), Some("o"));
    }

    #[test]
    fn toml_error_help_follows_the_kind_of_error() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            n: i64,
        }
        let help = |invalid_type| TomlHelp {
            unknown_field: "u",
            date: Some("d"),
            missing_field: "m",
            invalid_type,
            other: "o",
        };
        let hint = |text: &str, h: &TomlHelp<'_>| match toml::from_str::<T>(text) {
            Ok(_) => panic!("parsed {text}"),
            Err(e) => toml_error("t.toml", text, &e, "", h).help,
        };
        assert_eq!(hint("n = 1\nm = 2\n", &help(None)).as_deref(), Some("u"));
        assert_eq!(hint("", &help(None)).as_deref(), Some("m"));
        assert_eq!(hint("n = \"x\"\n", &help(None)).as_deref(), Some("o"));
        assert_eq!(hint("n = \"x\"\n", &help(Some("t"))).as_deref(), Some("t"));
        assert_eq!(hint("n = 2025-02-30\n", &help(None)).as_deref(), Some("d"));
    }

    #[test]
    fn the_caret_lands_under_the_right_character_on_chinese_text() {
        // `标题` is the 4th character; before it, `页面：` is three double-width characters.
        let line = "页面：标题 = 1";
        let d = Diagnostic::error("content/a.md", "bad key")
            .at(3, Some(4))
            .with_source(&format!("+++\ntitle = \"x\"\n{line}\n"));
        let text = d.to_string();
        let lines: Vec<&str> = text.lines().collect();
        let (source_line, caret_line) = (lines[3], lines[4]);
        assert_eq!(source_line, "3 | 页面：标题 = 1");
        assert_eq!(caret_line, "  |       ^");
        // Same display column: the caret sits under the `标`.
        let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
        let at = source_line.find('标').unwrap_or(0);
        assert_eq!(width(&source_line[..at]), width(caret_line) - 1);
        // A tab stays a tab, a combining mark takes no room.
        assert_eq!(caret_padding("\tа\u{301}x", 4), "\t ");
    }

    #[test]
    fn display_has_location_caret_and_help() {
        let d = Diagnostic::error("content/a.md", "missing `title` in front matter")
            .at(2, Some(1))
            .help("add `title = \"…\"` between the `+++` lines")
            .with_source("+++\nweight = 1\n+++\n");
        let text = d.to_string();
        assert_eq!(
            text,
            "error: missing `title` in front matter\n  --> content/a.md:2:1\n  |\n2 | weight = 1\n  | ^\n  = help: add `title = \"…\"` between the `+++` lines"
        );
    }
}
