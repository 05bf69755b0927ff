//! Stage `load` (see the stage list in `src/lib.rs`): walks the content folder, parses each
//! file's front matter (`front_matter.rs`) and builds the flat list of pages (section indexes
//! included) with their output paths.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

mod front_matter;

use front_matter::Parsed;
pub use front_matter::{front_matter_key_line, split_front_matter, FrontMatter, Source};

use crate::config::missing_folder;
use crate::diagnostic::{walk_error, Diagnostic};
use crate::paths::parent_dir;

/// Whether a file is a section's `_index.md` or an ordinary page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `_index.md` of a folder.
    Section,
    /// Any other `.md` file.
    Page,
}

/// One Markdown file, loaded.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path inside the content folder with `/` separators, e.g. `guides/renewal.md`.
    pub source: String,
    /// Path relative to the site root, for diagnostics, e.g. `content/guides/renewal.md`.
    pub file: PathBuf,
    /// The whole file text (the content lint reads it).
    pub raw: std::sync::Arc<str>,
    /// Byte offset in `raw` where the Markdown body starts.
    pub body_offset: usize,
    /// Parsed front matter; `title` is guaranteed present.
    pub front: FrontMatter,
    /// Title (copied out of the front matter so it is never optional).
    pub title: String,
    /// Section index or page.
    pub kind: Kind,
    /// Folder of the section this file belongs to (`""` for the root); for a section index,
    /// the section's own folder.
    pub dir: String,
    /// Output path relative to the site root, e.g. `guides/renewal.html` (`en/guides/renewal.html`
    /// in the English edition).
    pub output: String,
    /// The language of a translation (`en` for `renewal.en.md`), and of every page of an extra
    /// edition; `None` for the default language's own files.
    pub lang: Option<String>,
    /// A page of an extra edition that has no translation: the default language's page, shown
    /// there with a notice.
    pub fallback: bool,
    /// A translation whose source page changed after it was made (`source-updated` older than
    /// the source's `updated`/`reviewed` date): shown with an out-of-date notice.
    pub stale: bool,
}

impl Page {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        self.raw.get(self.body_offset..).unwrap_or("")
    }
}

/// Content source → output path of each of `pages` (what links and embeds resolve against).
pub fn outputs(pages: &[Page]) -> std::collections::HashMap<String, String> {
    pages
        .iter()
        .map(|p| (p.source.clone(), p.output.clone()))
        .collect()
}

/// Every page that made it through loading, sorted by source path.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Pages and section indexes, sorted by `source`.
    pub pages: Vec<Page>,
    /// Translations (`name.<lang>.md`), sorted by `source`; not part of `pages`. Their `source`
    /// is still the file's own path; [`crate::i18n`] pairs them with the pages they translate.
    pub translations: Vec<Page>,
    /// Sources (like [`Page::source`]) of the `.md` files that exist but did not load, e.g.
    /// because of a front-matter error. Only [`load_partial`] returns any: whether they are
    /// drafts and what their headings are is unknown, so links to them cannot be checked.
    pub unloaded: BTreeSet<String>,
}

/// Walks `content_dir` (relative paths in diagnostics are made from `content_rel`) and loads
/// every `.md` file; drafts are dropped unless `drafts`. Returns every problem at once.
pub fn load(root: &Path, content_rel: &Path, drafts: bool) -> Result<Content, Vec<Diagnostic>> {
    match load_partial(root, content_rel, drafts)? {
        (content, errors) if errors.is_empty() => Ok(content),
        (_, errors) => Err(errors),
    }
}

/// Like [`load`], but a file whose own text is bad (front matter, reading it) does not stop
/// the others: `Ok` holds the pages that loaded, the sources of those that did not, and the
/// files' problems, so later stages can check the rest. `Err` is a problem with the folder or
/// the section tree (every problem found, the per-file ones included), after which the loaded
/// pages are not a sound site to check further.
pub fn load_partial(
    root: &Path,
    content_rel: &Path,
    drafts: bool,
) -> Result<(Content, Vec<Diagnostic>), Vec<Diagnostic>> {
    load_partial_with(root, content_rel, drafts, &read_page)
}

/// Reads and parses one content file: (source, file for diagnostics, path on disk) → page.
/// [`read_page`] does it; `serve` keeps the pages of files that did not change.
pub type PageReader<'a> =
    dyn Fn(String, PathBuf, &Path) -> Result<Page, Vec<Diagnostic>> + Sync + 'a;

/// Reads the file at `path` and parses it as the page `source` ([`parse_page`]).
pub fn read_page(source: String, file: PathBuf, path: &Path) -> Result<Page, Vec<Diagnostic>> {
    match std::fs::read_to_string(path) {
        Ok(raw) => parse_page(source, file, raw),
        Err(e) => Err(vec![Diagnostic::error(
            &file,
            format!("cannot read the file: {e}"),
        )]),
    }
}

/// [`load_partial`], with each file read and parsed by `read`.
pub fn load_partial_with(
    root: &Path,
    content_rel: &Path,
    drafts: bool,
    read: &PageReader<'_>,
) -> Result<(Content, Vec<Diagnostic>), Vec<Diagnostic>> {
    let content_dir = root.join(content_rel);
    let mut errors = Vec::new();
    if !content_dir.is_dir() {
        return Err(vec![missing_folder(
            root,
            "content",
            content_rel,
            "content",
        )]);
    }
    // Walk first (cheap, sorted), then read and parse the files in parallel.
    let (found, walk_errors) = input_files(root, content_rel, "content");
    errors.extend(walk_errors);
    // A folder that could not be read may hold pages that links point to: nothing after this
    // stage could be checked soundly. A file with a bad name is only that file's problem.
    let walk_failed = !errors.is_empty();
    let mut files = Vec::new();
    for (rel, path) in found {
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let source = match crate::paths::relative_name(&rel) {
            Ok(s) => s,
            Err(e) => {
                errors.push(
                    Diagnostic::error(content_rel.join(&rel), format!("bad file name: {e}")).help(
                        "rename the file or folder (its name becomes part of the page's URL)",
                    ),
                );
                continue;
            }
        };
        files.push((source, content_rel.join(&rel), path));
    }
    errors.extend(twin_names(
        files.iter().map(|(s, _, _)| s.as_str()),
        content_rel,
    ));
    let results: Vec<(String, Result<Page, Vec<Diagnostic>>)> = files
        .into_par_iter()
        .map(|(source, file, path)| {
            let page = read(source.clone(), file, &path);
            (source, page)
        })
        .collect();
    // Keep the pages that did load, so the section and duplicate checks below still run.
    let mut pages = Vec::with_capacity(results.len());
    let mut translations = Vec::new();
    let mut unloaded = BTreeSet::new();
    for (source, r) in results {
        match r {
            Ok(page) if page.front.draft && !drafts => {}
            Ok(page) if page.lang.is_some() => translations.push(page),
            Ok(page) => pages.push(page),
            Err(mut e) => {
                errors.append(&mut e);
                unloaded.insert(source);
            }
        }
    }
    let mut tree_errors = Vec::new();
    check_sections_and_duplicates(&pages, &unloaded, content_rel, &mut tree_errors);
    let tree_failed = !tree_errors.is_empty();
    errors.append(&mut tree_errors);
    if walk_failed || tree_failed {
        return Err(errors);
    }
    pages.sort_by(|a, b| a.source.cmp(&b.source));
    translations.sort_by(|a, b| a.source.cmp(&b.source));
    Ok((
        Content {
            pages,
            translations,
            unloaded,
        },
        errors,
    ))
}

/// Files and folders whose names differ only in letter case (`Notes.md`, `notes.md`) or in
/// Unicode normalisation (`café.md` written with `é` or with `e` and a combining accent): one
/// file on macOS and Windows, so a site that builds here would lose pages there. Each pair is
/// one error on the later name, naming both.
fn twin_names<'s>(sources: impl Iterator<Item = &'s str>, content_rel: &Path) -> Vec<Diagnostic> {
    use unicode_normalization::UnicodeNormalization;
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut reported = BTreeSet::new();
    for source in sources {
        // The folders on the way, then the file itself.
        let ends = source
            .match_indices('/')
            .map(|(i, _)| i)
            .chain([source.len()]);
        for end in ends {
            let path = &source[..end];
            let key: String = path.nfc().collect::<String>().to_lowercase();
            match seen.get(key.as_str()) {
                Some(&first) if first != path => {
                    if !reported.insert(path) {
                        break;
                    }
                    errors.push(
                        Diagnostic::error(
                            content_rel.join(path),
                            format!(
                                "`{}` and `{}` differ only in letter case or in how an accented letter is encoded: on macOS and Windows they are the same {}",
                                content_rel.join(first).display(),
                                content_rel.join(path).display(),
                                if end == source.len() { "file" } else { "folder" },
                            ),
                        )
                        .help("rename or merge one of them"),
                    );
                    // One error per pair, not one per file inside a twin folder.
                    break;
                }
                Some(_) => {}
                None => {
                    seen.insert(key, path);
                }
            }
        }
    }
    errors
}

/// The regular files under `root/dir`, an input folder (`what`: `content`, `static`,
/// `templates`), sorted by path, as (path relative to `dir`, path on disk). Symbolic links are
/// refused, not followed ([`symlink_error`]: a followed link could pull in files from anywhere,
/// or loop, and a skipped one would silently drop files); unreadable entries are reported.
pub fn input_files(
    root: &Path,
    dir: &Path,
    what: &str,
) -> (Vec<(PathBuf, PathBuf)>, Vec<Diagnostic>) {
    let full = root.join(dir);
    let (mut files, mut errors) = (Vec::new(), Vec::new());
    for entry in walkdir::WalkDir::new(&full).sort_by_file_name() {
        match entry {
            Ok(e) if e.depth() > 0 && e.path_is_symlink() => {
                let rel = e.path().strip_prefix(&full).unwrap_or(e.path());
                errors.push(symlink_error(&dir.join(rel), what));
            }
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(&full).unwrap_or(e.path());
                files.push((rel.to_path_buf(), e.path().to_path_buf()));
            }
            Ok(_) => {}
            Err(err) => errors.push(walk_error(root, dir, &err)),
        }
    }
    (files, errors)
}

/// A symbolic link found in an input folder (`what`: `content`, `static`, `templates`).
pub fn symlink_error(path: &Path, what: &str) -> Diagnostic {
    Diagnostic::error(
        path,
        format!(
            "`{}` is a symbolic link; links in the {what} folder are not followed",
            path.display()
        ),
    )
    .help("replace the link with the file or folder it points to")
}

/// Parses one file's text into a `Page` (output path included).
pub fn parse_page(source: String, file: PathBuf, raw: String) -> Result<Page, Vec<Diagnostic>> {
    let raw = lone_cr_to_lf(raw);
    let fm = Parsed::parse(&file, &raw)?;
    let mut errors = Vec::new();
    let title = fm.check(&file, &raw, &mut errors);
    let (lang, base) = split_language(&source);
    if lang.is_none() {
        errors.extend(miscased_language_error(&source, &file));
    }
    let kind = if base.rsplit('/').next() == Some("_index.md") {
        Kind::Section
    } else {
        Kind::Page
    };
    let dir = source.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
    let stem = base
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md");
    let name = output_name(&fm, lang.as_deref(), kind, stem, &file, &raw, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let output = if dir.is_empty() {
        format!("{name}.html")
    } else {
        format!("{dir}/{name}.html")
    };
    let Parsed {
        front, body_offset, ..
    } = fm;
    Ok(Page {
        source,
        file,
        raw: raw.into(),
        body_offset,
        front,
        title,
        kind,
        dir,
        output,
        lang,
        fallback: false,
        stale: false,
    })
}

/// A file named like a translation with a capital letter in its language suffix
/// (`refiling.EN.md`), which would be built as a page of its own.
fn miscased_language_error(source: &str, file: &Path) -> Option<Diagnostic> {
    let tag = miscased_language(source)?;
    let name = source.rsplit('/').next().unwrap_or(source);
    let (first, rest) = tag.split_at(tag.find('-').unwrap_or(tag.len()));
    let fixed = format!("{}{rest}", first.to_ascii_lowercase());
    Some(Diagnostic::error(
        file,
        format!("`{name}` ends in `.{tag}.md`: a language suffix is written in lowercase, so this would be built as a page of its own"),
    )
    .help(format!(
        "rename it to `{}` if it is the `{fixed}` translation, or take the `.{tag}` out of its name",
        name.replace(&format!(".{tag}.md"), &format!(".{fixed}.md"))
    )))
}

/// The output file stem of a page (`index` for a section, else its `slug` or file stem): a
/// translation's follows the page it translates, and takes no `slug` of its own. Problems with
/// `slug`, `source-updated` and the name's length go to `errors` (`raw` is the text of `file`).
fn output_name(
    fm: &Parsed<'_>,
    lang: Option<&str>,
    kind: Kind,
    stem: &str,
    file: &Path,
    raw: &str,
    errors: &mut Vec<Diagnostic>,
) -> String {
    let front = &fm.front;
    let error = |message: String, key: &str, help: String| {
        Diagnostic::error(file, message)
            .at(fm.line(key).unwrap_or(2), None)
            .help(help)
            .with_source(raw)
    };
    if let Some(lang) = lang {
        if front.slug.is_some() {
            errors.push(error(
                "`slug` is not allowed in a translation".to_owned(),
                "slug",
                format!("remove it: the `{lang}` page's URL follows the page it translates (set `slug` there)"),
            ));
        }
    } else if front.source_updated.is_some() {
        errors.push(error(
            "`source-updated` is only for translations".to_owned(),
            "source-updated",
            "remove it; a translation (`name.<lang>.md`) records there the date of the page it was made from".to_owned(),
        ));
    }
    let name = match (&front.slug, kind) {
        (Some(_), _) if lang.is_some() => stem.to_owned(),
        (Some(_), Kind::Section) => {
            errors.push(error(
                "`slug` is not allowed on a section's `_index.md`".to_owned(),
                "slug",
                "rename the folder instead".to_owned(),
            ));
            "index".to_owned()
        }
        (None, Kind::Section) => "index".to_owned(),
        (Some(s), Kind::Page) => {
            if !valid_slug(s) {
                errors.push(error(
                    format!("invalid `slug` `{s}`"),
                    "slug",
                    "use letters, digits, `-` and `_` only (no `/`, `.` or spaces)".to_owned(),
                ));
            }
            s.clone()
        }
        (None, Kind::Page) => stem.to_owned(),
    };
    // Every output file name must fit the usual 255-byte limit, with room for the `.gz` and
    // `.br` copies written next to it: found here, the message names the source file.
    let written = format!("{name}.html");
    if written.len() > MAX_OUTPUT_NAME {
        let (line, what) = match front.slug {
            Some(_) => (fm.line("slug").unwrap_or(1), "`slug`"),
            None => (1, "file name"),
        };
        errors.push(
            Diagnostic::error(
                file,
                format!(
                    "the page would be written as `{written}`, a file name of {} bytes; file systems allow 255 (this generator keeps {MAX_OUTPUT_NAME}, for its compressed copies)",
                    written.len()
                ),
            )
            .at(line, None)
            .help(format!("shorten the {what} (a Chinese character takes 3 bytes)"))
            .with_source(raw),
        );
    }
    name
}

/// The longest output file name (bytes) a page may have: 255, the limit of common file
/// systems, less room for the `.gz`/`.br` suffix of a compressed copy.
pub const MAX_OUTPUT_NAME: usize = 250;

/// Pages of the default language written inside the folder of another edition
/// (`content/en/x.md` → `en/x.html`, where the `en` edition writes its own pages): one error
/// per edition folder, naming the first such source file. `prefixes` are the other editions'
/// folders (`en/`).
pub fn edition_folder_clashes<'p>(
    pages: &[Page],
    prefixes: impl Iterator<Item = &'p str>,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for prefix in prefixes.filter(|p| !p.is_empty()) {
        let inside: Vec<&Page> = pages
            .iter()
            .filter(|p| p.output.starts_with(prefix))
            .collect();
        if let Some(first) = inside.first() {
            let tag = prefix.trim_end_matches('/');
            errors.push(
                Diagnostic::error(
                    &first.file,
                    format!(
                        "`{}` is written to `{}`, inside the folder of the `{tag}` edition ({} page(s) of the folder `{tag}/` do this)",
                        first.file.display(),
                        first.output,
                        inside.len()
                    ),
                )
                .help(format!(
                    "rename the content folder `{tag}/`: the `{tag}` edition's pages are written there (a `{tag}` translation is a file `name.{tag}.md` next to the page it translates)"
                )),
            );
        }
    }
    errors
}

/// A file saved with classic Mac line endings (a lone CR ends a line) read like any other:
/// each lone CR becomes LF, as Markdown already counts it (CRLF stays as it is).
fn lone_cr_to_lf(raw: String) -> String {
    let bytes = raw.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(lone) {
        return raw;
    }
    let out: Vec<u8> = (0..bytes.len())
        .map(|i| if lone(i) { b'\n' } else { bytes[i] })
        .collect();
    // Only ASCII bytes were replaced by ASCII bytes.
    String::from_utf8(out).unwrap_or(raw)
}

/// Splits a language suffix off a content path: `guides/renewal.en.md` → (`Some("en")`,
/// `guides/renewal.md`). Only a suffix shaped like a language tag counts (`v1.2.md` is an
/// ordinary page); whether the language is configured is checked by [`crate::i18n`].
pub fn split_language(source: &str) -> (Option<String>, String) {
    let (dir, name) = match source.rsplit_once('/') {
        Some((d, n)) => (Some(d), n),
        None => (None, source),
    };
    let stem = name.strip_suffix(".md").unwrap_or(name);
    match stem.rsplit_once('.') {
        Some((base, tag)) if !base.is_empty() && crate::config::valid_language_tag(tag) => {
            let file = format!("{base}.md");
            let path = dir.map_or_else(|| file.clone(), |d| format!("{d}/{file}"));
            (Some(tag.to_owned()), path)
        }
        _ => (None, source.to_owned()),
    }
}

/// The suffix of a file named like a translation but with a capital letter in its language
/// (`refiling.EN.md` → `EN`), which [`split_language`] does not count as one.
fn miscased_language(source: &str) -> Option<&str> {
    let name = source.rsplit('/').next()?.strip_suffix(".md")?;
    let (base, tag) = name.rsplit_once('.')?;
    let (first, rest) = tag.split_at(tag.find('-').unwrap_or(tag.len()));
    let lowered = format!("{}{rest}", first.to_ascii_lowercase());
    (!base.is_empty()
        && !crate::config::valid_language_tag(tag)
        && crate::config::valid_language_tag(&lowered))
    .then_some(tag)
}

/// Whether `s` is usable as a file stem in a URL.
pub fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// Output-path clashes, and folders without an `_index.md`; an `_index.md` that exists but did
/// not load (`unloaded`) still makes its folder a section (its own error says what is wrong).
fn check_sections_and_duplicates(
    pages: &[Page],
    unloaded: &BTreeSet<String>,
    content_rel: &Path,
    errors: &mut Vec<Diagnostic>,
) {
    let mut outputs: BTreeMap<&str, &Page> = BTreeMap::new();
    for p in pages {
        if let Some(other) = outputs.insert(&p.output, p) {
            let (first, second) = if other.source < p.source {
                (other, p)
            } else {
                (p, other)
            };
            errors.push(
                Diagnostic::error(
                    &second.file,
                    format!(
                        "duplicate output path `{}`: `{}` is written there too",
                        p.output,
                        first.file.display()
                    ),
                )
                .help("change the `slug` or the file name of one of them"),
            );
        }
    }
    let sections: BTreeSet<&str> = pages
        .iter()
        .filter(|p| p.kind == Kind::Section)
        .map(|p| p.dir.as_str())
        .chain(unloaded.iter().filter_map(|s| match s.rsplit_once('/') {
            Some((dir, "_index.md")) => Some(dir),
            None if s == "_index.md" => Some(""),
            _ => None,
        }))
        .collect();
    for p in pages {
        // Every folder on the way to a page needs an `_index.md`, so the tree has no holes.
        let mut dir = if p.kind == Kind::Section {
            parent_dir(&p.dir)
        } else {
            Some(p.dir.as_str())
        };
        while let Some(d) = dir {
            if !sections.contains(d) {
                errors.push(
                    Diagnostic::error(
                        content_rel.join(d).join("_index.md"),
                        format!(
                            "folder `{}` has no `_index.md`",
                            content_rel.join(d).display()
                        ),
                    )
                    .help("add an `_index.md` with at least `title = \"…\"` in its front matter"),
                );
                break;
            }
            dir = parent_dir(d);
        }
    }
    errors.dedup();
}

/// Whether a page is a FAQ, whose `##` headings become FAQPage questions (collected by
/// the markdown stage, see [`crate::markdown::Rendered::faq`]): its file is named
/// `faq.md`, or its front matter sets `[extra] faq = true`.
pub fn is_faq(page: &Page) -> bool {
    match page.front.extra.get("faq") {
        Some(toml::Value::Boolean(b)) => *b,
        _ => page.source.rsplit('/').next() == Some("faq.md"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn page(source: &str, raw: &str) -> Result<Page, Vec<Diagnostic>> {
        parse_page(
            source.to_owned(),
            PathBuf::from("content").join(source),
            raw.to_owned(),
        )
    }

    #[test]
    fn splits_front_matter_and_body() {
        let p = page("a/b.md", "+++\ntitle = \"标题\"\nweight = 2\n+++\n\n正文\n").unwrap();
        assert_eq!(p.title, "标题");
        assert_eq!(p.front.weight, Some(2));
        assert_eq!(p.body(), "\n正文\n");
        assert_eq!(
            p.raw[..p.body_offset].lines().count(),
            4,
            "the body starts on line 5"
        );
        assert_eq!(p.output, "a/b.html");
    }

    #[test]
    fn slug_and_section_outputs() {
        let p = page("a/b.md", "+++\ntitle = \"x\"\nslug = \"c\"\n+++\n").unwrap();
        assert_eq!(p.output, "a/c.html");
        let s = page("a/_index.md", "+++\ntitle = \"x\"\n+++\n").unwrap();
        assert_eq!((s.output.as_str(), s.kind), ("a/index.html", Kind::Section));
        let r = page("_index.md", "+++\ntitle = \"x\"\n+++\n").unwrap();
        assert_eq!(r.output, "index.html");
    }

    #[test]
    fn dates_accept_toml_dates_and_strings_and_reject_impossible_ones() {
        let p = page(
            "a.md",
            "+++\ntitle = \"x\"\ndate = 2024-02-29\nupdated = \"2025-01-31\"\n+++\n",
        )
        .unwrap();
        assert_eq!(p.front.date, NaiveDate::from_ymd_opt(2024, 2, 29));
        assert_eq!(p.front.updated, NaiveDate::from_ymd_opt(2025, 1, 31));
        let e = page("a.md", "+++\ntitle = \"x\"\ndate = \"2023-02-29\"\n+++\n").unwrap_err();
        assert_eq!(e[0].line, Some(3));
        assert!(
            e[0].message.contains("invalid date `2023-02-29`"),
            "{}",
            e[0]
        );
    }

    #[test]
    fn front_matter_dates_follow_the_checker_cores_date_rule() {
        // One rule for every date the project reads: what the core's parser accepts (the
        // rules data, the checker's input), a page's front matter accepts, and nothing else.
        for text in [
            "2025-01-05",
            "2024-02-29",
            "2025-1-5",
            "2025-01-5",
            "+2025-01-05",
            " 2025-01-05",
            "2025-01-05 ",
            "20250105",
            "2025/01/05",
            "2023-02-29",
            "0999-01-01",
            "12025-01-05",
        ] {
            let loaded = page(
                "a.md",
                &format!("+++\ntitle = \"x\"\nupdated = \"{text}\"\n+++\n"),
            );
            let core = beian_checker::parse_date(text);
            match (loaded, core) {
                (Ok(p), Some(d)) => assert_eq!(p.front.updated, Some(d), "{text}"),
                (Err(e), None) => assert!(
                    e[0].message.contains(&format!("invalid date `{text}`")),
                    "{text}: {}",
                    e[0]
                ),
                (loaded, core) => panic!("`{text}`: front matter {loaded:?}, core {core:?}"),
            }
        }
        assert!(beian_checker::parse_date("2025-1-5").is_none());
    }

    #[test]
    fn cr_only_line_endings_are_lines() {
        let p = page("a.md", "+++\rtitle = \"x\"\r+++\r\r正文\r\n二\r").unwrap();
        assert_eq!((p.title.as_str(), p.body()), ("x", "\n正文\r\n二\n"));
    }

    #[test]
    fn missing_title_and_front_matter_are_reported() {
        let e = page("a.md", "+++\nweight = 1\n+++\n").unwrap_err();
        assert_eq!(e[0].message, "missing `title` in front matter");
        let e = page("a.md", "# just markdown\n").unwrap_err();
        assert_eq!(e[0].message, "missing front matter");
        let e = page("a.md", "+++\ntitle = \"x\"\n").unwrap_err();
        assert_eq!(e[0].message, "front matter is not closed");
    }

    #[test]
    fn unknown_front_matter_key_points_at_its_line() {
        let e = page("a.md", "+++\ntitle = \"x\"\ntitel = 1\n+++\n").unwrap_err();
        assert_eq!(e[0].line, Some(3));
        assert!(e[0].message.starts_with("unknown field `titel`"));
    }

    #[test]
    fn translations_are_recognised_by_their_suffix() {
        assert_eq!(
            split_language("guides/renewal.en.md"),
            (Some("en".to_owned()), "guides/renewal.md".to_owned())
        );
        assert_eq!(
            split_language("_index.pt-BR.md"),
            (Some("pt-BR".to_owned()), "_index.md".to_owned())
        );
        assert_eq!(split_language("v1.2.md"), (None, "v1.2.md".to_owned()));
        assert_eq!(split_language(".en.md"), (None, ".en.md".to_owned()));
        let t = page(
            "a/_index.en.md",
            "+++\ntitle = \"x\"\nsource-updated = 2026-12-01\n+++\n",
        )
        .unwrap();
        assert_eq!((t.kind, t.lang.as_deref()), (Kind::Section, Some("en")));
        let e = page("a/b.en.md", "+++\ntitle = \"x\"\nslug = \"c\"\n+++\n").unwrap_err();
        assert_eq!(e[0].message, "`slug` is not allowed in a translation");
        assert_eq!(e[0].line, Some(3));
        let e = page(
            "a/b.md",
            "+++\ntitle = \"x\"\nsource-updated = 2026-12-01\n+++\n",
        )
        .unwrap_err();
        assert_eq!(e[0].message, "`source-updated` is only for translations");
    }

    #[test]
    fn slugs_are_checked() {
        assert!(valid_slug("续费-2"));
        assert!(!valid_slug("a/b"));
        assert!(!valid_slug(""));
        assert!(page("a.md", "+++\ntitle = \"x\"\nslug = \"a b\"\n+++\n").is_err());
    }
}
