//! Stage 3, `markdown`: renders one page's Markdown to HTML with pulldown-cmark, assigning heading
//! ids that keep Chinese characters, collecting the table of contents and every internal link
//! (rewritten to output URLs), turning GFM callouts and `> [!MYTH]` into boxes, and replacing
//! ```` ```checker ```` blocks with the checker widget.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag,
    TagEnd,
};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, SourceLines};
use crate::load::Page;
use crate::paths::{dir_of, relative_path, relative_url, resolve, resolve_clamped};
use crate::sections::{Collector, Section};

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
/// quotes [`render`] turns into myth boxes, found by the same [`myth_marker`]).
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
                let myth = kind.is_none() && myth_marker(events, i + 1).is_some();
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

/// Hands out unique ids: the first `x` stays `x`, repeats become `x-1`, `x-2`, ….
#[derive(Debug, Default)]
struct IdSet {
    used: HashSet<String>,
}

impl IdSet {
    fn unique(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        let mut n = 1;
        loop {
            let candidate = format!("{base}-{n}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

fn callout_title(kind: BlockQuoteKind, zh: bool) -> (&'static str, &'static str) {
    match (kind, zh) {
        (BlockQuoteKind::Note, true) => ("note", "注意"),
        (BlockQuoteKind::Tip, true) => ("tip", "提示"),
        (BlockQuoteKind::Important, true) => ("important", "重要"),
        (BlockQuoteKind::Warning, true) => ("warning", "警告"),
        (BlockQuoteKind::Caution, true) => ("caution", "当心"),
        (BlockQuoteKind::Note, false) => ("note", "Note"),
        (BlockQuoteKind::Tip, false) => ("tip", "Tip"),
        (BlockQuoteKind::Important, false) => ("important", "Important"),
        (BlockQuoteKind::Warning, false) => ("warning", "Warning"),
        (BlockQuoteKind::Caution, false) => ("caution", "Caution"),
    }
}

const MYTH_MARKER: &str = "[!MYTH]";

/// A callout's title from the theme's string table, else `builtin` (text, not HTML).
fn themed_title(cx: &MarkdownContext<'_>, class: &str, builtin: &str) -> String {
    match cx
        .callouts
        .and_then(|t| t.get(class))
        .and_then(|v| v.as_str())
    {
        Some(t) => t.to_owned(),
        None => builtin.to_owned(),
    }
}

/// Renders one page. Errors (bad presets, absolute links, duplicate explicit ids) are returned
/// all at once; broken links are only recorded here and judged by the site stage.
pub fn render(page: &Page, cx: &MarkdownContext<'_>) -> Result<Rendered, Vec<Diagnostic>> {
    let body = page.body();
    let base = page.body_offset;
    let lines = SourceLines::new(&page.raw);
    let line_at = |r: &Range<usize>| lines.line(base + r.start);
    let zh = cx.language.starts_with("zh");
    let root = crate::paths::root_prefix(&page.output);
    let page_dir = dir_of(&page.source);

    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let footnote_warnings = crate::lint::footnote_problems(&page.file, &page.raw, base, &events);
    let lint_lines = text_lines(&events, base, &lines);
    let mut out = Output::with_capacity(events.len());
    let mut errors = Vec::new();
    let mut rendered = Rendered {
        output: page.output.clone(),
        portable: true,
        ..Rendered::default()
    };
    let mut ids = IdSet::default();
    // Explicit `{#id}`s claim their ids first so automatic ids never take them.
    for (e, r) in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
            if !ids.used.insert(id.to_string()) {
                errors.push(
                    Diagnostic::error(&page.file, format!("duplicate heading id `{id}`"))
                        .at(line_at(r), None)
                        .help("give each `{#id}` on a page a different name"),
                );
            }
        }
    }
    let mut quote_is_myth: Vec<bool> = Vec::new();
    let mut checker_instance = 0;
    let mut footnotes: HashMap<String, usize> = HashMap::new();
    let mut referenced: HashSet<String> = HashSet::new();
    let mut search = Collector::new(crate::load::is_faq(page));
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        i += 1;
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let start = i;
                while i < events.len() && !matches!(events[i].0, Event::End(TagEnd::Heading(_))) {
                    i += 1;
                }
                let inner = &events[start..i];
                let title: String = inner
                    .iter()
                    .filter_map(|(e, _)| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let id = match id {
                    Some(id) => id.to_string(),
                    None => ids.unique(slugify(&title)),
                };
                add_toc(&mut rendered.toc, *level, &id, title.trim());
                rendered.ids.insert(id.clone());
                out.mark(Mark::Heading(*level));
                emit(
                    &mut out,
                    &mut search,
                    Event::Start(Tag::Heading {
                        level: *level,
                        id: Some(CowStr::from(id)),
                        classes: classes.clone(),
                        attrs: attrs.clone(),
                    }),
                );
                for (e, r) in inner {
                    let e = rewrite_event(
                        e.clone(),
                        r,
                        page,
                        page_dir,
                        cx,
                        &line_at,
                        &mut rendered,
                        &mut errors,
                        &mut out,
                    );
                    emit(&mut out, &mut search, e);
                }
                // The closing tag is pushed by the next loop iteration.
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = callout_title(*kind, zh);
                let title = themed_title(cx, class, title);
                search.callout(&title);
                let title = crate::html::escape_html(&title);
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                search.block();
                out.push(Event::Html(CowStr::Borrowed("</div>\n")))
            }
            Event::Start(Tag::BlockQuote(None)) => {
                let myth = myth_marker(&events, i);
                quote_is_myth.push(myth.is_some());
                if let Some((skip_to, rest)) = myth {
                    let title = themed_title(cx, "myth", if zh { "常见误区" } else { "Myth" });
                    let title = crate::html::escape_html(&title);
                    search.myth();
                    out.push(Event::Html(CowStr::from(format!(
                        "<div class=\"callout callout-myth\" role=\"note\"><p class=\"callout-title\">{title}</p>\n"
                    ))));
                    i = skip_to;
                    if let Some(rest) = rest {
                        emit(&mut out, &mut search, Event::Start(Tag::Paragraph));
                        if !rest.is_empty() {
                            emit(&mut out, &mut search, Event::Text(CowStr::from(rest)));
                        }
                    }
                } else {
                    emit(&mut out, &mut search, event.clone());
                }
            }
            Event::End(TagEnd::BlockQuote(None)) => {
                if quote_is_myth.pop().unwrap_or(false) {
                    search.myth_end();
                    out.push(Event::Html(CowStr::Borrowed("</div>\n")));
                } else {
                    emit(&mut out, &mut search, event.clone());
                }
            }
            // Footnotes get `fn-`/`fnref-` ids so they can never collide with heading ids.
            Event::FootnoteReference(label) => {
                let n = footnote_number(&mut footnotes, label);
                let label = crate::html::escape_html(label);
                let mut html = String::from("<sup class=\"footnote-reference\"");
                let mut local = [None, None];
                if referenced.insert(label.clone()) {
                    html.push_str(" id=\"");
                    local[0] = Some(html.len());
                    html.push_str(&format!("fnref-{label}\""));
                }
                html.push('>');
                // A reference right after another (`[^4][^1]`) would read as one number (41):
                // a comma separates them, seen and read aloud.
                // (`i` is already past this event.)
                if i >= 2 && matches!(events[i - 2].0, Event::FootnoteReference(_)) {
                    html.push_str("<span class=\"footnote-sep\">,</span>");
                }
                html.push_str("<a href=\"#");
                local[1] = Some(html.len());
                html.push_str(&format!("fn-{label}\">{n}</a></sup>"));
                for at in local.into_iter().flatten() {
                    out.mark(Mark::Own(at, at, PrintEditKind::Local));
                }
                out.push(Event::Html(CowStr::from(html)));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = footnote_number(&mut footnotes, label);
                rendered.ids.insert(format!("fn-{label}"));
                search.footnote(format!("fn-{label}"));
                let label = crate::html::escape_html(label);
                let open = "<div class=\"footnote-definition\" id=\"";
                out.mark(Mark::Own(open.len(), open.len(), PrintEditKind::Local));
                out.push(Event::Html(CowStr::from(format!(
                    "{open}fn-{label}\"><sup class=\"footnote-definition-label\">{n}</sup>\n"
                ))));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                search.footnote_end();
                out.push(Event::Html(CowStr::Borrowed("</div>\n")))
            }
            Event::Start(Tag::HtmlBlock) => {
                // Only comments may be here, and they are not written: nothing a browser could
                // read differently from this check reaches the page.
                let mut text = String::new();
                while i < events.len() && !matches!(events[i].0, Event::End(TagEnd::HtmlBlock)) {
                    if let Event::Html(t) = &events[i].0 {
                        text.push_str(t);
                    }
                    i += 1;
                }
                i += 1;
                if let Some(d) = raw_html_error(&text, page, line_at(range)) {
                    errors.push(d);
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.trim() == "checker" =>
            {
                let text = fenced_block_text(&events, &mut i);
                checker_instance += 1;
                rendered.uses_checker = true;
                rendered.portable = false;
                let line = line_at(range);
                let diag = |msg: String, help: &str| {
                    Diagnostic::error(&page.file, msg).at(line, None).help(help)
                };
                match embed_checker(&text, checker_instance, &root, cx) {
                    Ok(html) => {
                        // The widget is a form, searchable through the checker's own page.
                        search.embed("");
                        // The print edition replaces it (the blank around it stays).
                        let start = html.len() - html.trim_start().len();
                        let end = html.trim_end().len();
                        if start < end {
                            out.mark(Mark::Own(start, end, PrintEditKind::Widget));
                        }
                        out.push(Event::Html(CowStr::from(html)));
                    }
                    Err(BlockError::Toml(e)) => errors.push(diag(
                        format!("invalid checker preset: {}", e.message().lines().next().unwrap_or("").trim()),
                        "write the preset as TOML `field = value` lines using the checker's input names",
                    )),
                    Err(BlockError::Embed(EmbedError::Preset(msg))) => errors.push(diag(
                        format!("invalid checker preset: {msg}"),
                        "use the field names and values of the checker contract",
                    )),
                    Err(BlockError::Embed(EmbedError::Render(msg))) => errors.push(diag(
                        format!("cannot embed the checker: {msg}"),
                        "make sure the checker rules file and `templates/partials/checker-widget.html` exist",
                    )),
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if info.trim() == "chain" => {
                let text = fenced_block_text(&events, &mut i);
                rendered.portable = false;
                let diag = |msg: &str, help: &str| {
                    Diagnostic::error(&page.file, msg.to_owned())
                        .at(line_at(range), None)
                        .help(help.to_owned())
                };
                match cx.embed_chain {
                    _ if !text.trim().is_empty() => errors.push(diag(
                        "a ```chain block takes no content",
                        "leave the block empty: the picture comes from content/checker/chain.toml",
                    )),
                    Some(chain) => {
                        // The picture is drawn in SVG; its caption is the searchable text.
                        search.embed(chain.text);
                        out.push(Event::Html(CowStr::from(chain.html.to_owned())));
                    }
                    None => errors.push(diag(
                        "this page draws the chain but the site has no chain data",
                        "create content/checker/chain.toml next to the checker rules, or remove the ```chain block",
                    )),
                }
            }
            e => {
                let e = rewrite_event(
                    e.clone(),
                    range,
                    page,
                    page_dir,
                    cx,
                    &line_at,
                    &mut rendered,
                    &mut errors,
                    &mut out,
                );
                emit(&mut out, &mut search, e);
            }
        }
    }
    if !errors.is_empty() {
        // Each error's source line, from the lines indexed once.
        return Err(errors
            .into_iter()
            .map(|d| d.with_source_in(&lines))
            .collect());
    }
    rendered.print_targets = std::mem::take(&mut out.targets);
    (rendered.html, rendered.print_edits) = out.write_html(body.len() * 3 / 2).map_err(|why| {
        vec![Diagnostic::error(&page.file, why).help("split the page into smaller pages")]
    })?;
    (rendered.sections, rendered.faq) = search.finish();
    rendered.warnings = footnote_warnings;
    rendered.lint_lines = lint_lines;
    Ok(rendered)
}

/// Passes an event on to the HTML renderer and to the search text.
fn emit<'e>(out: &mut Output<'e>, search: &mut Collector, event: Event<'e>) {
    search.event(&event);
    out.push(event);
}

/// The events handed to the HTML writer, and the ones the print edition changes.
struct Output<'e> {
    events: Vec<Event<'e>>,
    /// (index of the event, what to note in its HTML), in order.
    marks: Vec<(usize, Mark)>,
    /// Inside an image the writer prints only the alt text, as plain text: nothing is marked.
    image_depth: usize,
    /// See [`Rendered::print_targets`].
    targets: String,
}

/// What the print edition changes in the HTML of one event.
#[derive(Debug)]
enum Mark {
    /// pulldown-cmark's `<hN id="…">`: the id.
    Heading(HeadingLevel),
    /// pulldown-cmark's `<a href="…">`.
    Link(UrlMark),
    /// pulldown-cmark's `<img src="…">`.
    Image(UrlMark),
    /// pulldown-cmark's task-list `<input>` (without the line break it writes after it).
    TaskBox(bool),
    /// Bytes `start..end` of an `Event::Html` this module wrote.
    Own(usize, usize, PrintEditKind),
}

/// What the print edition does with a URL.
#[derive(Debug)]
enum UrlMark {
    /// `#fragment`: the fragment is a local id.
    Local,
    /// Something in the site: its site-root-relative path, and how many bytes the escaped URL's
    /// query and fragment take.
    Site((u32, u32), usize),
}

impl<'e> Output<'e> {
    fn with_capacity(n: usize) -> Self {
        Self {
            events: Vec::with_capacity(n),
            marks: Vec::new(),
            image_depth: 0,
            targets: String::new(),
        }
    }

    fn push(&mut self, event: Event<'e>) {
        match event {
            Event::Start(Tag::Image { .. }) => self.image_depth += 1,
            Event::End(TagEnd::Image) => self.image_depth = self.image_depth.saturating_sub(1),
            _ => {}
        }
        self.events.push(event);
    }

    /// Notes `mark` for the next event pushed.
    fn mark(&mut self, mark: Mark) {
        if self.image_depth == 0 {
            self.marks.push((self.events.len(), mark));
        }
    }

    /// Notes the URL of the link or image pushed next, written in the page at `output`.
    fn mark_url(&mut self, url: &str, output: &str, image: bool) {
        if self.image_depth > 0 {
            return;
        }
        if let Some(url) = print_url(url, output, &mut self.targets) {
            self.mark(match image {
                true => Mark::Image(url),
                false => Mark::Link(url),
            });
        }
    }

    /// Writes the HTML and turns the marks into byte ranges of it. pulldown-cmark writes each
    /// event before it takes the next one from the iterator, so the length of the output when an
    /// event is taken is where that event's HTML starts (an image takes its alt text itself,
    /// which is why nothing inside one is marked). Where an attribute value then starts is the
    /// writer's fixed layout (`<a href="`, `<img src="`, `<hN id="` after an optional line
    /// break), checked here; it ends at the next `"`, which the escaping of a value never writes.
    fn write_html(self, capacity: usize) -> Result<(String, Vec<PrintEdit>), String> {
        let written = Cell::new(0);
        let mut starts = Vec::with_capacity(self.events.len() + 1);
        let mut html = String::with_capacity(capacity);
        let writer = Measured {
            html: &mut html,
            written: &written,
        };
        let events = self
            .events
            .into_iter()
            .inspect(|_| starts.push(written.get()));
        // Writing into a String cannot fail.
        let _ = pulldown_cmark::html::write_html_fmt(writer, events);
        starts.push(html.len());
        let too_large = || format!("the page's HTML is over {} bytes", u32::MAX);
        let offset = |at: usize| u32::try_from(at).map_err(|_| too_large());
        let mut edits = Vec::with_capacity(self.marks.len());
        for (k, mark) in self.marks {
            let (Some(&at), Some(&next)) = (starts.get(k), starts.get(k + 1)) else {
                continue;
            };
            let found = match mark {
                Mark::Heading(level) => {
                    let at = at + usize::from(html.as_bytes().get(at) == Some(&b'\n'));
                    attr_value(&html, at, &format!("<{level} id=\""))
                        .map(|(start, _)| (start, start, PrintEditKind::Local))
                }
                Mark::Link(url) => {
                    attr_value(&html, at, "<a href=\"").and_then(|v| url_edit(&html, v, url))
                }
                Mark::Image(url) => {
                    attr_value(&html, at, "<img src=\"").and_then(|v| url_edit(&html, v, url))
                }
                Mark::TaskBox(checked) => {
                    let end = next - usize::from(html[..next].ends_with('\n'));
                    html.get(at..end)
                        .is_some_and(|tag| tag.starts_with("<input "))
                        .then_some((at, end, PrintEditKind::TaskBox { checked }))
                }
                Mark::Own(start, end, kind) => {
                    (at + end <= next).then_some((at + start, at + end, kind))
                }
            };
            // Only a change in pulldown-cmark's layout can leave a mark unfound (the tests
            // would fail); the page itself is unaffected.
            debug_assert!(found.is_some(), "print mark {k} not found in the HTML");
            if let Some((start, end, kind)) = found {
                edits.push(PrintEdit {
                    start: offset(start)?,
                    end: offset(end)?,
                    kind,
                });
            }
        }
        Ok((html, edits))
    }
}

/// Counts what the HTML writer writes.
struct Measured<'a> {
    html: &'a mut String,
    written: &'a Cell<usize>,
}

impl std::fmt::Write for Measured<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.html.push_str(s);
        self.written.set(self.html.len());
        Ok(())
    }
}

/// The value of the attribute that the tag at `at` opens with, when the tag starts with `open`
/// (`<a href="`): (start, end) of the value, which runs to the next `"`.
fn attr_value(html: &str, at: usize, open: &str) -> Option<(usize, usize)> {
    let start = at + open.len();
    if html.get(at..start) != Some(open) {
        return None;
    }
    let len = html[start..].find('"')?;
    Some((start, start + len))
}

/// The edit of a URL whose escaped value is `value` (start, end) in `html`.
fn url_edit(
    html: &str,
    (start, end): (usize, usize),
    url: UrlMark,
) -> Option<(usize, usize, PrintEditKind)> {
    match url {
        UrlMark::Local => html[start..end].starts_with('#').then_some((
            start + 1,
            start + 1,
            PrintEditKind::Local,
        )),
        UrlMark::Site(target, suffix_len) => {
            let suffix = end.checked_sub(suffix_len).filter(|&s| s >= start)?;
            Some((
                start,
                end,
                PrintEditKind::Site {
                    target,
                    suffix: u32::try_from(suffix).ok()?,
                },
            ))
        }
    }
}

/// What the print edition does with a link or image URL written in the page at `output`: an
/// external, empty or absolute URL (the last is an error for links) stays as it is. A target
/// goes to the end of `targets`.
fn print_url(url: &str, output: &str, targets: &mut String) -> Option<UrlMark> {
    match classify(url) {
        Href::Empty | Href::External | Href::Absolute => None,
        Href::SamePage(_) => Some(UrlMark::Local),
        Href::Markdown(..) | Href::File(_) => {
            let cut = url.find(['?', '#']).unwrap_or(url.len());
            let target =
                resolve_clamped(dir_of(output), &crate::paths::percent_decode(&url[..cut]));
            let start = u32::try_from(targets.len()).ok()?;
            targets.push_str(&target);
            let end = u32::try_from(targets.len()).ok()?;
            Some(UrlMark::Site((start, end), escaped_href_len(&url[cut..])))
        }
    }
}

/// How many bytes pulldown-cmark writes for `url` in an `href` or `src` (its own escaping).
fn escaped_href_len(url: &str) -> usize {
    #[derive(Default)]
    struct Count(usize);
    impl std::fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut count = Count::default();
    let _ = pulldown_cmark_escape::escape_href(pulldown_cmark_escape::FmtWriter(&mut count), url);
    count.0
}

/// The text of the fenced code block whose start event was just consumed, up to its end event;
/// `i` is left past the end (the block's own events are not rendered).
fn fenced_block_text(events: &[(Event<'_>, Range<usize>)], i: &mut usize) -> String {
    let mut text = String::new();
    while *i < events.len() && !matches!(events[*i].0, Event::End(TagEnd::CodeBlock)) {
        if let Event::Text(t) = &events[*i].0 {
            text.push_str(t);
        }
        *i += 1;
    }
    *i += 1;
    text
}

/// Raw HTML in a page is an error (it would bypass the URL policy and the escaping), except
/// HTML comments, which are dropped. A comment ends where a browser ends it: at the first
/// `-->` or `--!>`, or right away for `<!-->` and `<!--->`; the odd endings are refused, so
/// that what follows them is never taken for part of a comment by one reader and markup by
/// another.
fn raw_html_error(html: &str, page: &Page, line: usize) -> Option<Diagnostic> {
    let error = |message: String, help: &str| {
        Some(
            Diagnostic::error(&page.file, message)
                .at(line, None)
                .help(help),
        )
    };
    let mut rest = html.trim();
    while let Some(after) = rest.strip_prefix("<!--") {
        let odd = match (after.find("-->"), after.find("--!>")) {
            _ if after.starts_with('>') => Some("<!-->"),
            _ if after.starts_with("->") => Some("<!--->"),
            (Some(end), Some(bang)) if bang < end => Some("--!>"),
            (None, Some(_)) => Some("--!>"),
            (Some(end), _) => {
                rest = after[end + 3..].trim_start();
                continue;
            }
            (None, None) => {
                return error(
                    "HTML comment `<!--` is not closed".to_owned(),
                    "end the comment with `-->`, or remove it",
                )
            }
        };
        return error(
            format!(
                "HTML comment ends early at `{}`: browsers show what follows it",
                odd.unwrap_or_default()
            ),
            "write a comment as `<!-- note -->`, with nothing but `-->` ending it, or remove it",
        );
    }
    if rest.is_empty() {
        return None;
    }
    error(
        format!(
            "raw HTML `{}` is not allowed in pages",
            rest.lines().next().unwrap_or(rest)
        ),
        "write it in Markdown; to show a `<` as text, write `\\<`",
    )
}

/// If the blockquote starting before `i` opens with `[!MYTH]`, returns the index to continue
/// from and any text that followed the marker on its line.
fn myth_marker(events: &[(Event<'_>, Range<usize>)], i: usize) -> Option<(usize, Option<String>)> {
    if !matches!(events.get(i)?.0, Event::Start(Tag::Paragraph)) {
        return None;
    }
    let mut j = i + 1;
    let mut text = String::new();
    while let Some((Event::Text(t), _)) = events.get(j) {
        text.push_str(t);
        j += 1;
        if text.len() >= MYTH_MARKER.len() {
            break;
        }
    }
    // Case-insensitive, like GitHub's own callouts (`[!note]` is a note).
    let marker = text.get(..MYTH_MARKER.len())?;
    if !marker.eq_ignore_ascii_case(MYTH_MARKER) {
        return None;
    }
    let rest = text[MYTH_MARKER.len()..].trim_start().to_owned();
    match events.get(j).map(|e| &e.0) {
        // Marker alone in its paragraph: drop the paragraph entirely.
        Some(Event::End(TagEnd::Paragraph)) if rest.is_empty() => Some((j + 1, None)),
        // Keep the paragraph open for the lines after the marker.
        Some(Event::SoftBreak | Event::HardBreak) if rest.is_empty() => {
            Some((j + 1, Some(String::new())))
        }
        _ => Some((j, Some(rest))),
    }
}

/// Footnotes are numbered in order of first mention, reference or definition.
fn footnote_number(numbers: &mut HashMap<String, usize>, label: &str) -> usize {
    let next = numbers.len() + 1;
    *numbers.entry(label.to_owned()).or_insert(next)
}

enum BlockError {
    Toml(toml::de::Error),
    Embed(EmbedError),
}

fn embed_checker(
    text: &str,
    instance: usize,
    root: &str,
    cx: &MarkdownContext<'_>,
) -> Result<String, BlockError> {
    let table: toml::Table = toml::from_str(text).map_err(BlockError::Toml)?;
    let preset = match serde_json::to_value(&table) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    (cx.embed_checker)(&preset, instance, root).map_err(BlockError::Embed)
}

fn add_toc(toc: &mut Vec<TocEntry>, level: HeadingLevel, id: &str, title: &str) {
    let level = match level {
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        _ => return,
    };
    let entry = TocEntry {
        level,
        id: id.to_owned(),
        title: title.to_owned(),
        children: Vec::new(),
    };
    match toc.last_mut() {
        Some(parent) if level == 3 => parent.children.push(entry),
        _ => toc.push(entry),
    }
}

/// Rewrites links and records them; other events pass through.
#[allow(clippy::too_many_arguments)]
fn rewrite_event<'e>(
    event: Event<'e>,
    range: &Range<usize>,
    page: &Page,
    page_dir: &str,
    cx: &MarkdownContext<'_>,
    line_at: &dyn Fn(&Range<usize>) -> usize,
    rendered: &mut Rendered,
    errors: &mut Vec<Diagnostic>,
    out: &mut Output<'_>,
) -> Event<'e> {
    match event {
        Event::TaskListMarker(checked) => {
            out.mark(Mark::TaskBox(checked));
            event
        }
        Event::Start(Tag::Image { ref dest_url, .. }) => {
            if let Err(e) = crate::paths::check_url(dest_url) {
                errors.push(
                    Diagnostic::error(&page.file, format!("bad image URL: {e}"))
                        .at(line_at(range), None)
                        .help(
                            "use a relative path to a file in the static folder, or an http(s) URL",
                        ),
                );
            }
            // Checked like links: a relative path must name a file the site has (resolved
            // from the default language's output, as file links are), and an absolute path
            // breaks under a sub-path and names nothing of the site's own.
            let line = line_at(range);
            match classify(dest_url) {
                Href::Absolute => errors.push(
                    Diagnostic::error(&page.file, format!("absolute image path `{dest_url}` breaks when the site is served from a sub-path or from disk"))
                        .at(line, None)
                        .help("use a path relative to this page's output, to a file in the static folder, e.g. `../images/x.png`"),
                ),
                Href::File(path) | Href::Markdown(path, _) => {
                    let prefix = page.lang.as_ref().map(|l| format!("{l}/"));
                    let base = prefix
                        .as_deref()
                        .and_then(|p| page.output.strip_prefix(p))
                        .unwrap_or(&page.output);
                    rendered.links.push(LinkRef {
                        href: dest_url.to_string(),
                        line,
                        target: LinkTarget::Image(resolve(dir_of(base), path)),
                        anchor: None,
                    });
                }
                Href::Empty | Href::External | Href::SamePage(_) => {}
            }
            // Images are not rewritten: the page writes the URL as its source does.
            out.mark_url(dest_url, &page.output, true);
            rendered.portable = false;
            event
        }
        Event::InlineHtml(ref html) => {
            if let Some(d) = raw_html_error(html, page, line_at(range)) {
                errors.push(d);
            }
            // What passed is comments only, which are not written.
            Event::InlineHtml(CowStr::Borrowed(""))
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let line = line_at(range);
            if let Err(e) = crate::paths::check_url(&dest_url) {
                errors.push(
                    Diagnostic::error(&page.file, format!("bad link: {e}"))
                        .at(line, None)
                        .help("link to a page's `.md` file with a relative path, or to an http(s) or mailto URL"),
                );
            }
            let dest_url = match classify(&dest_url) {
                Href::External | Href::Empty => dest_url,
                Href::Absolute => {
                    errors.push(
                        Diagnostic::error(&page.file, format!("absolute link `{dest_url}` breaks when the site is served from a sub-path or from disk"))
                            .at(line, None)
                            .help("link to the page's `.md` file with a relative path, e.g. `../guides/renewal.md`"),
                    );
                    dest_url
                }
                Href::SamePage(anchor) => {
                    rendered.links.push(LinkRef {
                        href: dest_url.to_string(),
                        line,
                        target: LinkTarget::Page(page.source.clone()),
                        anchor: Some(anchor.to_owned()),
                    });
                    dest_url
                }
                Href::Markdown(path, anchor) => {
                    // A link is a URL: `q%23frag.md` is the page `q#frag.md`. A file whose
                    // name itself has a `%XX` is still found by the name as written.
                    let resolved = resolve(page_dir, &crate::paths::percent_decode(path))
                        .filter(|p| cx.outputs.contains_key(p))
                        .or_else(|| resolve(page_dir, path));
                    let (target, url) = match resolved
                        .as_ref()
                        .and_then(|p| cx.outputs.get(p).map(|o| (p, o)))
                    {
                        Some((source, output)) => {
                            let mut url = if source == &page.source && anchor.is_some() {
                                String::new()
                            } else {
                                relative_url(&page.output, output)
                            };
                            if let Some(a) = anchor {
                                url.push('#');
                                url.push_str(a);
                            }
                            (LinkTarget::Page(source.clone()), CowStr::from(url))
                        }
                        None => {
                            rendered.portable = false;
                            (LinkTarget::MissingPage(resolved), dest_url.clone())
                        }
                    };
                    rendered.links.push(LinkRef {
                        href: dest_url.to_string(),
                        line,
                        target,
                        anchor: anchor.map(str::to_owned),
                    });
                    url
                }
                Href::File(path) => {
                    // A page of another edition (`en/…`) is written as its source is: a file
                    // link is resolved from the default language's output, then made relative
                    // to where this page is written.
                    let prefix = page.lang.as_ref().map(|l| format!("{l}/"));
                    let base = prefix
                        .as_deref()
                        .and_then(|p| page.output.strip_prefix(p))
                        .unwrap_or(&page.output);
                    let target = resolve(dir_of(base), path);
                    rendered.portable = false;
                    rendered.links.push(LinkRef {
                        href: dest_url.to_string(),
                        line,
                        target: LinkTarget::File(target.clone()),
                        anchor: None,
                    });
                    match (&target, base.len() != page.output.len()) {
                        (Some(t), true) => {
                            let suffix = dest_url
                                .find(['?', '#'])
                                .map_or("", |i| &dest_url[i..])
                                .to_owned();
                            CowStr::from(format!("{}{suffix}", relative_path(&page.output, t)))
                        }
                        _ => dest_url,
                    }
                }
            };
            // An e-mail autolink is written as `mailto:` and the address: nothing to change.
            if link_type != LinkType::Email {
                out.mark_url(&dest_url, &page.output, false);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        e => e,
    }
}

/// The kinds of link destination.
#[derive(Debug, PartialEq, Eq)]
enum Href<'h> {
    Empty,
    External,
    Absolute,
    SamePage(&'h str),
    /// Relative `.md` path and optional anchor.
    Markdown(&'h str, Option<&'h str>),
    /// Relative path to something else (query and anchor removed).
    File(&'h str),
}

fn classify(href: &str) -> Href<'_> {
    if href.is_empty() {
        return Href::Empty;
    }
    if let Some(anchor) = href.strip_prefix('#') {
        return Href::SamePage(anchor);
    }
    if href.starts_with("//") || has_scheme(href) {
        return Href::External;
    }
    if href.starts_with('/') {
        return Href::Absolute;
    }
    let (path, anchor) = match href.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (href, None),
    };
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    if path.ends_with(".md") {
        Href::Markdown(path, anchor.filter(|a| !a.is_empty()))
    } else {
        Href::File(path)
    }
}

fn has_scheme(href: &str) -> bool {
    match href.split_once(':') {
        Some((scheme, _)) => {
            let mut chars = scheme.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn page(source: &str, body: &str) -> Page {
        let raw = format!("+++\ntitle = \"t\"\n+++\n{body}");
        crate::load::parse_page(
            source.to_owned(),
            PathBuf::from("content").join(source),
            raw,
        )
        .unwrap()
    }

    fn no_checker(
        preset: &serde_json::Map<String, serde_json::Value>,
        n: usize,
        root: &str,
    ) -> Result<String, EmbedError> {
        if preset.contains_key("nope") {
            return Err(EmbedError::Preset("unknown field `nope`".into()));
        }
        Ok(format!("<div data-n=\"{n}\" data-root=\"{root}\"></div>"))
    }

    fn outputs() -> HashMap<String, String> {
        [
            ("guides/a.md", "guides/a.html"),
            ("guides/b.md", "guides/bee.html"),
            ("ref/g.md", "ref/g.html"),
            ("_index.md", "index.html"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect()
    }

    fn run(source: &str, body: &str) -> Result<Rendered, Vec<Diagnostic>> {
        let outputs = outputs();
        let cx = MarkdownContext {
            outputs: &outputs,
            language: "zh-CN",
            embed_checker: &no_checker,
            embed_chain: Some(Fragment {
                html: "<figure data-chain></figure>",
                text: "链条",
            }),
            callouts: None,
        };
        render(&page(source, body), &cx)
    }

    #[test]
    fn slugs_keep_chinese_and_drop_punctuation() {
        assert_eq!(slugify("取消接入是什么"), "取消接入是什么");
        assert_eq!(slugify("什么是 ICP 备案？"), "什么是-icp-备案");
        assert_eq!(slugify("  Step 1:  Renew (now) "), "step-1-renew-now");
        assert_eq!(slugify("经营许可证（ICP证）"), "经营许可证icp证");
        assert_eq!(slugify("？！"), "section");
    }

    #[test]
    fn repeated_headings_get_numbered_ids_and_explicit_ids_win() {
        let r = run(
            "guides/a.md",
            "## 后果\n\n## 后果\n\n## 后果\n\n## 其他 {#houguo-1}\n",
        )
        .unwrap();
        let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["后果", "后果-1", "后果-2", "houguo-1"]);
        assert!(r.html.contains("<h2 id=\"后果-1\">后果</h2>"), "{}", r.html);
    }

    #[test]
    fn automatic_ids_step_around_explicit_ones() {
        let r = run("guides/a.md", "## 后果\n\n## 另一个 {#后果-1}\n\n## 后果\n").unwrap();
        let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["后果", "后果-1", "后果-2"]);
        let e = run("guides/a.md", "## 甲 {#x}\n\n## 乙 {#x}\n").unwrap_err();
        assert_eq!(e[0].message, "duplicate heading id `x`");
        assert_eq!(e[0].line, Some(6));
    }

    #[test]
    fn toc_nests_h3_under_h2() {
        let r = run("guides/a.md", "## 一\n### 一点一\n## 二\n").unwrap();
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[0].children[0].id, "一点一");
    }

    #[test]
    fn md_links_are_rewritten_and_recorded_with_lines() {
        let r = run(
            "guides/a.md",
            "x\n\n[b](b.md#后果) [g](../ref/g.md) [self](#top) [ext](https://miit.gov.cn/a.md)\n",
        )
        .unwrap();
        // pulldown-cmark percent-encodes non-ASCII in hrefs; browsers decode before matching ids.
        assert!(
            r.html.contains("href=\"bee.html#%E5%90%8E%E6%9E%9C\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"../ref/g.html\""));
        assert!(r.html.contains("href=\"https://miit.gov.cn/a.md\""));
        assert_eq!(r.links.len(), 3);
        assert_eq!(r.links[0].line, 6);
        assert_eq!(r.links[0].target, LinkTarget::Page("guides/b.md".into()));
        assert_eq!(r.links[0].anchor.as_deref(), Some("后果"));
        assert_eq!(r.links[2].target, LinkTarget::Page("guides/a.md".into()));
    }

    #[test]
    fn missing_pages_are_recorded_not_rewritten() {
        let r = run("guides/a.md", "[x](nope.md) [y](../../out.md)\n").unwrap();
        assert_eq!(
            r.links[0].target,
            LinkTarget::MissingPage(Some("guides/nope.md".into()))
        );
        assert_eq!(r.links[1].target, LinkTarget::MissingPage(None));
        assert!(r.html.contains("href=\"nope.md\""));
    }

    #[test]
    fn absolute_links_are_errors() {
        let e = run("guides/a.md", "[x](/guides/b.html)\n").unwrap_err();
        assert!(e[0].message.starts_with("absolute link `/guides/b.html`"));
    }

    #[test]
    fn callouts_and_myths_become_boxes() {
        let r = run(
            "guides/a.md",
            "> [!WARNING]\n> 小心\n\n> [!MYTH]\n> 备案会过期\n\n> 普通引用\n",
        )
        .unwrap();
        assert!(r.html.contains("<div class=\"callout callout-warning\" role=\"note\"><p class=\"callout-title\">警告</p>"), "{}", r.html);
        assert!(r.html.contains("<div class=\"callout callout-myth\" role=\"note\"><p class=\"callout-title\">常见误区</p>\n<p>备案会过期</p>\n</div>"), "{}", r.html);
        assert!(!r.html.contains("[!MYTH]"));
        assert!(r
            .html
            .contains("<blockquote>\n<p>普通引用</p>\n</blockquote>"));
    }

    /// The lines the myth lint reads are what the page shows as text: not a myth box (the
    /// marker in any case), not a lazy line inside one, not an indented code block.
    #[test]
    fn lint_lines_are_the_text_outside_myth_boxes_and_code() {
        let lines_of = |body: &str| {
            let r = run("guides/a.md", body).unwrap();
            let raw = page("guides/a.md", body).raw;
            let texts: Vec<&str> = (r.lint_lines.iter())
                .map(|&s| raw[s as usize..].lines().next().unwrap_or(""))
                .collect();
            (r.html, texts.join("|"))
        };
        let (html, lines) = lines_of("> [!myth]\n> 误区\n\n正文\n");
        assert!(html.contains("callout-myth"), "{html}");
        assert!(!html.contains("[!myth]"), "{html}");
        assert_eq!(lines, "正文");
        let (html, lines) = lines_of("> [!MYTH]\n> 有人说：\n误区\n\n正文\n");
        assert!(html.contains("<p>有人说：\n误区</p>\n</div>"), "{html}");
        assert_eq!(lines, "正文");
        let (html, lines) = lines_of("正文\n\n    代码\n\n```\n代码\n```\n> 引用\n");
        assert!(html.contains("<pre><code>代码\n</code></pre>"), "{html}");
        assert_eq!(lines, "正文|> 引用");
        let (_, lines) =
            lines_of("# 标题\n\n| a | b |\n|---|---|\n| `c` | d |\n\n- 项[^1]\n\n[^1]: 注\n");
        assert_eq!(lines, "# 标题|| a | b ||| `c` | d ||- 项[^1]|[^1]: 注");
    }

    /// A page that links only to pages renders the same in every edition's folder; an image,
    /// a link to a file, a missing page or an embed make it depend on where it is written.
    #[test]
    fn only_pages_that_link_to_pages_are_portable() {
        assert!(
            run(
                "guides/a.md",
                "[B](b.md#x) [A](#y) [外](https://a.example/)\n"
            )
            .unwrap()
            .portable
        );
        for body in [
            "![图](x.png)\n",
            "[文件](x.pdf)\n",
            "[无](nope.md)\n",
            "```chain\n```\n",
            "```checker\n```\n",
        ] {
            assert!(!run("guides/a.md", body).unwrap().portable, "{body}");
        }
    }

    #[test]
    fn chain_blocks_draw_the_picture_and_take_no_content() {
        let r = run("guides/a.md", "前\n\n```chain\n```\n\n后\n").unwrap();
        assert!(
            r.html.contains("<figure data-chain></figure>"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<code"), "{}", r.html);
        let e = run("guides/a.md", "\n```chain\nx\n```\n").unwrap_err();
        assert_eq!(e[0].message, "a ```chain block takes no content");
        assert!(e[0].line.is_some());
        let outputs = outputs();
        let cx = MarkdownContext {
            outputs: &outputs,
            language: "zh-CN",
            embed_checker: &no_checker,
            embed_chain: None,
            callouts: None,
        };
        let e = render(&page("guides/a.md", "```chain\n```\n"), &cx).unwrap_err();
        assert_eq!(
            e[0].message,
            "this page draws the chain but the site has no chain data"
        );
    }

    #[test]
    fn checker_blocks_render_the_widget() {
        let r = run(
            "guides/a.md",
            "```checker\naccessStatus = \"cancelled\"\n```\n",
        )
        .unwrap();
        assert!(r.uses_checker);
        assert!(
            r.html
                .contains("<div data-n=\"1\" data-root=\"../\"></div>"),
            "{}",
            r.html
        );
        let e = run("guides/a.md", "\n```checker\nmiitLookup = \n```\n").unwrap_err();
        assert_eq!(e[0].line, Some(5));
        assert!(e[0].message.starts_with("invalid checker preset"));
        // The callback judges the preset; markdown reports its verdict at the block's line.
        let e = run("guides/a.md", "\n```checker\nnope = 1\n```\n").unwrap_err();
        assert_eq!(e[0].line, Some(5));
        assert_eq!(e[0].message, "invalid checker preset: unknown field `nope`");
    }

    /// The page's HTML with its print edits shown in place: `⟨L⟩` where the page's anchor goes,
    /// `⟨S target: url | suffix⟩` around a URL, `⟨W: …⟩` and `⟨T ✓: …⟩` / `⟨T ✗: …⟩` around
    /// what they replace.
    fn with_edits(r: &Rendered) -> String {
        let html = r.html.as_str();
        let mut out = String::new();
        let mut pos = 0;
        for e in &r.print_edits {
            let (start, end) = (e.start as usize, e.end as usize);
            assert!(
                pos <= start && start <= end,
                "edits overlap or are out of order"
            );
            out.push_str(&html[pos..start]);
            match &e.kind {
                PrintEditKind::Local => out.push_str("⟨L⟩"),
                PrintEditKind::Site { suffix, .. } => {
                    let suffix = *suffix as usize;
                    out.push_str(&format!(
                        "⟨S {}: {} | {}⟩",
                        r.print_target(&e.kind),
                        &html[start..suffix],
                        &html[suffix..end]
                    ));
                }
                PrintEditKind::Widget => out.push_str(&format!("⟨W: {}⟩", &html[start..end])),
                PrintEditKind::TaskBox { checked } => out.push_str(&format!(
                    "⟨T {}: {}⟩",
                    if *checked { "✓" } else { "✗" },
                    &html[start..end]
                )),
            }
            pos = end;
        }
        out.push_str(&html[pos..]);
        out
    }

    #[test]
    fn print_edits_stay_small() {
        // Every page keeps its edits until the print edition is written (10,000 pages have
        // about 90,000): byte offsets, no string per edit.
        assert!(std::mem::size_of::<PrintEdit>() <= 24);
    }

    #[test]
    fn print_edits_inside_headings_and_none_inside_alt_text() {
        let r = run(
            "guides/a.md",
            "## 见 [b](b.md) ![i](i.png) {#h}\n\n![图 [x](b.md#后果) `c`](p.png) [y](b.md)\n",
        )
        .unwrap();
        assert_eq!(
            with_edits(&r),
            concat!(
                "<h2 id=\"⟨L⟩h\">见 <a href=\"⟨S guides/bee.html: bee.html | ⟩\">b</a> ",
                "<img src=\"⟨S guides/i.png: i.png | ⟩\" alt=\"i\" /></h2>\n",
                // The writer prints an image's content as its alt text: a link in there is
                // not a link.
                "<p><img src=\"⟨S guides/p.png: p.png | ⟩\" alt=\"图 x c\" /> ",
                "<a href=\"⟨S guides/bee.html: bee.html | ⟩\">y</a></p>\n"
            )
        );
    }

    #[test]
    fn print_edits_mark_ids_urls_widgets_and_task_boxes() {
        let r = run(
            "guides/a.md",
            concat!(
                "## 标题 {#custom .wide .note}\n\n",
                "| 列 | 链接 |\n|---|---|\n| 一 | [b](b.md#后果) |\n\n",
                "![图 *说明* [x](b.md)](<../files/p&q 图.png> \"题\")\n\n",
                "正文[^n] 再次[^n]\n\n",
                "- [x] 完成\n- [ ] 待办\n\n",
                "[同页](#custom) [外部](https://e.org/a#b) <a@b.cn> [自己](a.md)\n",
                "[文件](../files/a%20b.txt?v=1&w=2#片段) [缺](nope.md#x) [空]()\n\n",
                "```checker\naccessStatus = \"cancelled\"\n```\n\n",
                "    <a href=\"x.md\" id=\"y\">\n\n",
                "[^n]: 注释\n",
            ),
        )
        .unwrap();
        assert_eq!(
            with_edits(&r),
            concat!(
                "<h2 id=\"⟨L⟩custom\" class=\"wide note\">标题</h2>\n",
                "<table><thead><tr><th>列</th><th>链接</th></tr></thead><tbody>\n",
                "<tr><td>一</td><td><a href=\"⟨S guides/bee.html: bee.html | #%E5%90%8E%E6%9E%9C⟩\">b</a></td></tr>\n",
                "</tbody></table>\n",
                "<p><img src=\"⟨S files/p&q 图.png: ../files/p&amp;q%20%E5%9B%BE.png | ⟩\" alt=\"图 说明 x\" title=\"题\" /></p>\n",
                "<p>正文<sup class=\"footnote-reference\" id=\"⟨L⟩fnref-n\"><a href=\"#⟨L⟩fn-n\">1</a></sup> 再次<sup class=\"footnote-reference\"><a href=\"#⟨L⟩fn-n\">1</a></sup></p>\n",
                "<ul>\n",
                "<li>⟨T ✓: <input disabled=\"\" type=\"checkbox\" checked=\"\"/>⟩\n",
                "完成</li>\n",
                "<li>⟨T ✗: <input disabled=\"\" type=\"checkbox\"/>⟩\n",
                "待办</li>\n",
                "</ul>\n",
                "<p><a href=\"#⟨L⟩custom\">同页</a> <a href=\"https://e.org/a#b\">外部</a> <a href=\"mailto:a@b.cn\">a@b.cn</a> <a href=\"⟨S guides/a.html: a.html | ⟩\">自己</a>\n",
                "<a href=\"⟨S files/a b.txt: ../files/a%20b.txt | ?v=1&amp;w=2#%E7%89%87%E6%AE%B5⟩\">文件</a> <a href=\"⟨S guides/nope.md: nope.md | #x⟩\">缺</a> <a href=\"\">空</a></p>\n",
                "⟨W: <div data-n=\"1\" data-root=\"../\"></div>⟩\n",
                "<pre><code>&lt;a href=\"x.md\" id=\"y\"&gt;\n",
                "</code></pre>\n",
                "<div class=\"footnote-definition\" id=\"⟨L⟩fn-n\"><sup class=\"footnote-definition-label\">1</sup>\n",
                "<p>注释</p>\n",
                "</div>\n",
            )
        );
    }

    #[test]
    fn gfm_extensions_render() {
        let r = run(
            "guides/a.md",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~旧~~\n\n- [x] 完成\n\n脚注[^1]\n\n[^1]: 注释\n",
        )
        .unwrap();
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>旧</del>"));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(
            r.html.contains(
                "<sup class=\"footnote-reference\" id=\"fnref-1\"><a href=\"#fn-1\">1</a></sup>"
            ),
            "{}",
            r.html
        );
        assert!(r.html.contains("<div class=\"footnote-definition\" id=\"fn-1\"><sup class=\"footnote-definition-label\">1</sup>"));
        assert!(r.ids.contains("fn-1"));
    }

    #[test]
    fn adjacent_footnote_references_are_separated_by_a_comma() {
        // `[^2][^1]` read as footnote 21; a reference after text stays as it was.
        let r = run(
            "guides/a.md",
            "甲[^2][^1]，乙[^1]\n\n[^1]: 一\n\n[^2]: 二\n",
        )
        .unwrap();
        assert!(
            r.html.contains(concat!(
                "<a href=\"#fn-2\">1</a></sup>",
                "<sup class=\"footnote-reference\" id=\"fnref-1\"><span class=\"footnote-sep\">,</span><a href=\"#fn-1\">2</a></sup>，乙",
                "<sup class=\"footnote-reference\"><a href=\"#fn-1\">2</a></sup>"
            )),
            "{}",
            r.html
        );
    }

    /// The search sections of a page as (kind, id, heading, text).
    fn sections_of(body: &str) -> Vec<(SectionKind, String, String, String)> {
        run("guides/a.md", body)
            .unwrap()
            .sections
            .into_iter()
            .map(|s| (s.kind, s.id, s.heading, s.text))
            .collect()
    }

    fn sec(
        kind: SectionKind,
        id: &str,
        heading: &str,
        text: &str,
    ) -> (SectionKind, String, String, String) {
        (kind, id.to_owned(), heading.to_owned(), text.to_owned())
    }

    use crate::sections::SectionKind::{self, Footnote, Heading, Intro};

    // The search tests below were written against the HTML scanner that search.rs had; they
    // now feed the Markdown that produced that HTML, with the same expected sections.
    #[test]
    fn sections_split_at_headings_and_skip_noise() {
        let got = sections_of(
            "导语&amp;说明[^1]\n\n## 取消接入\n\n第一段\n\n第二段\n\n```checker\naccessStatus = \"cancelled\"\n```\n\n\
             ### 空壳 `x`\n\n- 甲\n- 乙\n\n[^1]: 注\n",
        );
        assert_eq!(
            got,
            vec![
                sec(Intro, "", "", "导语&说明"),
                // Paragraphs stay apart, so no bigram spans two of them (第一段 第二段).
                sec(Heading, "取消接入", "取消接入", "第一段 第二段"),
                sec(Heading, "空壳-x", "空壳 x", "甲 乙"),
                sec(Footnote, "fn-1", "", "注"),
            ]
        );
    }

    #[test]
    fn callout_labels_comments_entities_and_inline_markup() {
        let got = sections_of(
            "> [!WARNING]\n> ICP&#x2F;备案&#39;s &lt;b&gt; &#20320;\n\n<!-- ## 注释 -->\n\n\
             > [!MYTH]\n> 备案会**过**期\n\n## 问答 {#q-a}\n",
        );
        assert_eq!(
            got,
            vec![
                sec(Intro, "", "", "ICP/备案's <b> 你 备案会过期"),
                sec(Heading, "q-a", "问答", ""),
            ]
        );
    }

    #[test]
    fn footnote_text_is_the_footnotes_own_section() {
        let got = sections_of(
            "## 甲\n\n正文[^1]\n\n## 年报 {#nianbao}\n\n最后一节\n\n[^1]: 来源一\n\n[^src]: 来源二\n",
        );
        assert_eq!(
            got,
            vec![
                sec(Heading, "甲", "甲", "正文"),
                sec(Heading, "nianbao", "年报", "最后一节"),
                sec(Footnote, "fn-1", "", "来源一"),
                sec(Footnote, "fn-src", "", "来源二"),
            ]
        );
    }

    #[test]
    fn text_without_headings_is_one_section() {
        assert_eq!(
            sections_of("只有正文\n"),
            vec![sec(Intro, "", "", "只有正文")]
        );
        assert_eq!(sections_of(""), vec![]);
    }

    #[test]
    fn alt_text_is_not_text_blocks_are_apart_and_the_chain_is_its_caption() {
        let got = sections_of(
            "![图片说明](a.png)图后\n\n| 列 | 行 |\n|---|---|\n| 一 | 二 |\n\n```\n代码\n```\n\n行一  \n行二\n\n```chain\n```\n\n- [x] 完成\n",
        );
        assert_eq!(
            got,
            vec![sec(
                Intro,
                "",
                "",
                "图后 列 行 一 二 代码 行一 行二 链条 完成"
            )]
        );
    }

    // Written against the HTML scanner render/seo.rs had; it now feeds the Markdown.
    #[test]
    fn faq_answers_are_plain_text_without_myths_or_footnote_marks() {
        // Only FAQ pages collect the pairs.
        assert!(run("guides/a.md", "## 问\n\n答\n").unwrap().faq.is_empty());
        let r = run(
            "guides/faq.md",
            "intro\n\n## 备案会过期吗？\n\n不会[^1]。A &amp; B &lt;C&gt;\n\n> [!MYTH]\n> 过期 15 天\n\n\
             ## 第二个？\n\n| x | y |\n|---|---|\n\n## 空的\n\n## 第三个\n\n> [!NOTE]\n> 甲\n\n### 小节\n\n乙\n\n\
             [^1]: note\n",
        )
        .unwrap();
        assert_eq!(
            r.faq,
            [
                ("备案会过期吗？".to_owned(), "不会。A & B <C>".to_owned()),
                ("第二个？".to_owned(), "x y".to_owned()),
                // A callout's label reads as part of the answer; an `###` is part of it too.
                ("第三个".to_owned(), "注意 甲 小节 乙".to_owned()),
            ]
        );
    }

    /// The myth lint over the lines this pass finds (see `lint_lines_are_the_text_…` above).
    mod myth_lint {
        use std::path::Path;

        use crate::lint::{parse_myths, MythRules};
        use crate::markdown::lint_myths;

        fn rules() -> MythRules {
            let text = r#"
    [[myth]]
    id = "filing-expires"
    patterns = ["备案号?过期"]
    allow = ["备案号?过期了吗"]
    explanation = "非经营性备案没有有效期。"
    fact = "1.1"
    "#;
            match parse_myths(Path::new("lint/myths.toml"), text) {
                Ok(r) => r,
                Err(e) => panic!("test rules should parse: {e:?}"),
            }
        }

        #[test]
        fn flags_claim_with_position_and_fact() {
            let src = "+++\ntitle = \"x\"\n+++\n\n说明：备案号过期要续费。\n";
            let found = lint_myths(Path::new("content/a.md"), src, &rules());
            assert_eq!(found.len(), 1);
            let d = &found[0];
            assert_eq!((d.line, d.column), (Some(5), Some(4)));
            assert_eq!(d.source_line.as_deref(), Some("说明：备案号过期要续费。"));
            assert!(d.help.as_deref().unwrap_or("").contains("fact 1.1"));
        }

        #[test]
        fn lints_title_but_not_sources() {
            let src = "+++\ntitle = \"备案过期怎么办\"\nsources = [{ title = \"备案过期\", url = \"u\" }]\n+++\n正文。\n";
            let found = lint_myths(Path::new("a.md"), src, &rules());
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].line, Some(2));
        }

        #[test]
        fn lints_every_line_of_a_multi_line_description_and_nothing_after_a_front_matter_key() {
            // The value's lines come from the TOML spans, not from `key =` at a line's start: the
            // second line of a multi-line string is linted, and a key that is not human-facing
            // (`slug`) is not.
            let src = "+++\ntitle = \"标题\"\ndescription = \"\"\"\n第一行。\n备案过期怎么办\n\"\"\"\nslug = \"备案过期\"\n+++\n正文。\n";
            let found = lint_myths(Path::new("a.md"), src, &rules());
            assert_eq!(found.len(), 1, "{found:?}");
            assert_eq!(found[0].line, Some(5));
        }

        #[test]
        fn skips_myth_quotes_fences_and_mentions() {
            let src = "> [!MYTH]\n> 备案号过期了要续费。\n>\n> 备案过期\n\n```text\n备案过期\n```\n所谓“备案过期”并不存在。\n《备案过期怎么办》是一篇文章。\n备案过期了吗？\n";
            assert!(lint_myths(Path::new("a.md"), src, &rules()).is_empty());
        }

        #[test]
        fn myth_quote_ends_at_blank_line() {
            let src = "> [!MYTH]\n> 备案过期\n\n备案过期\n";
            let found = lint_myths(Path::new("a.md"), src, &rules());
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].line, Some(4));
        }

        #[test]
        fn ordinary_blockquote_and_partial_quote_are_linted() {
            let src = "> [!NOTE]\n> 备案过期\n文章说“备案过期要续费”。\n";
            let found = lint_myths(Path::new("a.md"), src, &rules());
            assert_eq!(found.len(), 2);
        }
    }
}
