//! Stage `markdown` (see the stage list in `src/lib.rs`): renders one page's Markdown to HTML with
//! pulldown-cmark in one pass over its events, and collects what the later stages read from that
//! pass ([`Rendered`]): heading ids that keep Chinese characters, the table of contents, every
//! internal link (rewritten to output URLs), search sections, FAQ pairs, footnote warnings, the
//! lines the myth lint reads and the print edition's edits. GFM callouts and `> [!MYTH]` quotes
//! become boxes, ```` ```checker ```` and ```` ```chain ```` blocks the checker widget and the
//! chain picture.
//!
//! Layout: this file holds the model and the entry points; `page.rs` the event loop
//! (`page::PageRenderer`: headings, footnotes, the page-wide state), `blocks.rs` callouts,
//! myth quotes, raw HTML and the fenced embeds, `links.rs` link and image rewriting,
//! `print_marks.rs` the print edits noted while the HTML is written.

mod blocks;
mod links;
mod page;
mod print_marks;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, SourceLines};
use crate::load::Page;
use crate::sections::Section;

/// One entry of a page's table of contents (`##` with its `###` children).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// Heading id (the `#fragment`).
    pub id: String,
    /// Heading text.
    pub title: String,
    /// Nested `###` entries.
    pub children: Vec<TocEntry>,
}

/// Where an internal link points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A page, by content source path (`guides/renewal.md`), which exists.
    Page(String),
    /// A `.md` path that matches no page: the resolved content path, or `None` if it climbs
    /// out of the content folder.
    MissingPage(Option<String>),
    /// Another file, by site-root-relative output path (checked against static files).
    File(Option<String>),
    /// An image's file, like [`LinkTarget::File`] (reported as an image, not a link).
    Image(Option<String>),
}

/// One internal link found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// As written in the Markdown.
    pub href: String,
    /// 1-based line in the file.
    pub line: usize,
    /// What it points at.
    pub target: LinkTarget,
    /// `#fragment`, if any.
    pub anchor: Option<String>,
}

/// A page's rendered body and what the site stage needs to know about it.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML body.
    pub html: String,
    /// Table of contents (`##`/`###`).
    pub toc: Vec<TocEntry>,
    /// Every heading id on the page, for anchor checks.
    pub ids: HashSet<String>,
    /// Every internal link, for the link graph.
    pub links: Vec<LinkRef>,
    /// The page embeds the checker widget.
    pub uses_checker: bool,
    /// The searchable text, in sections at the headings (see [`crate::sections`]).
    pub sections: Vec<Section>,
    /// Problems a reader would see that do not stop the build (footnotes, see
    /// [`crate::lint::footnote_problems`]).
    pub warnings: Vec<Diagnostic>,
    /// Each `##` heading's text with the text up to the next one (the FAQPage questions and
    /// answers of a FAQ page; see [`crate::sections::Collector::finish`]).
    pub faq: Vec<(String, String)>,
    /// Every place the print edition changes in `html`, in order, not overlapping (see
    /// [`PrintEdit`]).
    pub print_edits: Vec<PrintEdit>,
    /// The paths the [`PrintEditKind::Site`] edits name, one after the other (one allocation
    /// per page rather than one per link).
    pub print_targets: String,
    /// Start offsets in the page's file of the body lines that hold text a reader sees outside
    /// code blocks and myth quotes: what the myth lint reads ([`crate::lint::lint_lines`]).
    pub lint_lines: Vec<u32>,
    /// The output path the page was rendered for (its [`Page::output`]).
    pub output: String,
    /// The HTML is the same wherever the page is written in its edition's folder: it links
    /// only to pages (relative URLs between two pages of one edition do not depend on the
    /// edition's folder), and has no image, no link to another file and no embed (drawn in the
    /// edition's language). A page shown untranslated in another edition then reuses the
    /// default edition's rendering; its print edits name targets in the default edition's
    /// folder (see [`Rendered::output`]).
    pub portable: bool,
}

impl Rendered {
    /// The site-root-relative path a [`PrintEditKind::Site`] edit names (`""` for another kind).
    pub fn print_target(&self, kind: &PrintEditKind) -> &str {
        match *kind {
            PrintEditKind::Site { target, .. } => self
                .print_targets
                .get(target.0 as usize..target.1 as usize)
                .unwrap_or_default(),
            _ => "",
        }
    }
}

/// One place where the print edition differs from the page: bytes `start..end` of
/// [`Rendered::html`], noted by [`render`] while it writes them. Edits only say what is
/// there; what replaces it depends on the whole site (the page's anchor, the edition each page
/// is printed in) and is decided by the print edition (`render/print.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintEdit {
    /// First byte.
    pub start: u32,
    /// One past the last byte (`start` for an insertion).
    pub end: u32,
    /// What is there.
    pub kind: PrintEditKind,
}

/// What a [`PrintEdit`] covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintEditKind {
    /// An insertion at the first byte of a heading or footnote id, or of the fragment of a
    /// same-page link (`#x`): the print edition writes the page's anchor and `--` there, so the
    /// ids of different pages cannot collide.
    Local,
    /// A link's `href` or an image's `src` naming something in the site (a page or a file); the
    /// bytes are the URL as the page writes it. The target ([`Rendered::print_target`]) is the
    /// site-root-relative path it resolves to (percent-decoded, without query or fragment: a
    /// page's output path, say) and bytes `suffix..end` are its query and fragment as written
    /// (`#x`, or empty). Whether the target is a page is for the site to say: a link to a file
    /// may name a page's output.
    Site {
        /// Bytes of [`Rendered::print_targets`] (start, end).
        target: (u32, u32),
        /// Where the query or fragment starts (`end` without one).
        suffix: u32,
    },
    /// An embedded checker widget, whole.
    Widget,
    /// A task-list box (the `<input>` control).
    TaskBox {
        /// Ticked (`- [x]`).
        checked: bool,
    },
}

/// Validates a preset and renders the checker widget for it: (preset, instance number, page's
/// root prefix) → HTML. Markdown only knows that a fenced block named `checker` holds a TOML
/// table handed to this callback; what a valid preset is belongs to the caller.
pub type CheckerEmbed<'a> = dyn Fn(&serde_json::Map<String, serde_json::Value>, usize, &str) -> Result<String, EmbedError>
    + Sync
    + 'a;

/// Why a ```` ```checker ```` block could not be embedded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmbedError {
    /// The preset names an unknown field or value (the message says which).
    Preset(String),
    /// The widget could not be rendered (missing rules or template).
    Render(String),
}

/// What rendering one page needs from the rest of the site.
pub struct MarkdownContext<'a> {
    /// Content source path → output path, for every page in the site.
    pub outputs: &'a HashMap<String, String>,
    /// Site language, for callout titles.
    pub language: &'a str,
    /// Renders ```` ```checker ```` blocks.
    pub embed_checker: &'a CheckerEmbed<'a>,
    /// The chain picture for ```` ```chain ```` blocks (None: the site has no chain data).
    pub embed_chain: Option<Fragment<'a>>,
    /// Callout titles from the theme's string table (`[callout]`: `note`, `tip`, `important`,
    /// `warning`, `caution`, `myth`) in the page's language; a title it lacks is the built-in
    /// one for `language`.
    pub callouts: Option<&'a serde_json::Value>,
}

/// A piece of HTML the build drew for a page, with its searchable text.
#[derive(Debug, Clone, Copy)]
pub struct Fragment<'a> {
    /// The HTML, inserted as it is.
    pub html: &'a str,
    /// What search indexes of it (decoded text).
    pub text: &'a str,
}

impl std::fmt::Debug for MarkdownContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MarkdownContext")
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

/// The known-false claims one Markdown file's text states (front matter included), as the
/// build reports them ([`crate::lint::lint_lines`] over the lines [`render`] would give it);
/// `file` names it in the diagnostics.
pub fn lint_myths(
    file: &std::path::Path,
    source: &str,
    rules: &crate::lint::MythRules,
) -> Vec<Diagnostic> {
    let body_start = crate::load::split_front_matter(source).map_or(0, |(_, _, b)| b);
    let events: Vec<_> = Parser::new_ext(source.get(body_start..).unwrap_or(""), options())
        .into_offset_iter()
        .collect();
    let lines = text_lines(&events, body_start, &SourceLines::new(source));
    crate::lint::lint_lines(file, source, &lines, rules)
}

/// Start offsets (in the whole file, whose body starts at `base`) of the lines holding text a
/// reader sees: text, inline code and HTML outside code blocks and outside myth quotes (the
/// quotes [`render`] turns into myth boxes, found by the same `blocks::myth_marker`).
fn text_lines(
    events: &[(Event<'_>, Range<usize>)],
    base: usize,
    lines: &SourceLines<'_>,
) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    let mut code = 0usize;
    // Whether each open blockquote is a myth quote, and how many of them are.
    let mut quotes: Vec<bool> = Vec::new();
    let mut myths = 0usize;
    for (i, (event, range)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Start(Tag::BlockQuote(kind)) => {
                let myth = kind.is_none() && blocks::myth_marker(events, i + 1).is_some();
                myths += usize::from(myth);
                quotes.push(myth);
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                myths -= usize::from(quotes.pop().unwrap_or(false));
            }
            Event::Text(_) | Event::Code(_) | Event::Html(_) | Event::InlineHtml(_)
                if code == 0 && myths == 0 =>
            {
                let first = lines.line(base + range.start);
                let last = lines.line((base + range.end).saturating_sub(1)).max(first);
                for line in first..=last {
                    let start = lines.start(line).unwrap_or_default();
                    let start = u32::try_from(start).unwrap_or(u32::MAX);
                    match out.last() {
                        Some(&l) if l == start => {}
                        // Out of source order (rare): the list stays sorted.
                        Some(&l) if l > start => {
                            if let Err(at) = out.binary_search(&start) {
                                out.insert(at, start);
                            }
                        }
                        _ => out.push(start),
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The footnote problems of one Markdown file's text (front matter included), as the build
/// reports them ([`crate::lint::footnote_problems`]); `file` names it in the diagnostics.
pub fn lint_footnotes(file: &std::path::Path, source: &str) -> Vec<Diagnostic> {
    let body_start = crate::load::split_front_matter(source).map_or(0, |(_, _, b)| b);
    let events: Vec<_> = Parser::new_ext(source.get(body_start..).unwrap_or(""), options())
        .into_offset_iter()
        .collect();
    crate::lint::footnote_problems(file, source, body_start, &events)
}

/// The pulldown-cmark extensions the site uses.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Heading id from heading text: ASCII letters lowercased, whitespace runs become `-`, other
/// punctuation dropped; letters (Chinese included), digits, `-` and `_` kept.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            pending_dash = !out.is_empty();
        } else if c.is_alphanumeric() || c == '-' || c == '_' {
            if pending_dash {
                out.push('-');
                pending_dash = false;
            }
            out.push(c.to_ascii_lowercase());
        }
    }
    if out.is_empty() {
        "section".to_owned()
    } else {
        out
    }
}

/// Renders one page. Errors (bad presets, absolute links, duplicate explicit ids) are returned
/// all at once; broken links are only recorded here and judged by the site stage.
pub fn render(page: &Page, cx: &MarkdownContext<'_>) -> Result<Rendered, Vec<Diagnostic>> {
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(page.body(), options())
        .into_offset_iter()
        .collect();
    let mut renderer = page::PageRenderer::new(page, cx, &events);
    let mut i = 0;
    while i < events.len() {
        i = renderer.event(&events, i);
    }
    renderer.finish()
}
