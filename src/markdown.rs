//! Stage 3, `markdown`: renders one page's Markdown to HTML with pulldown-cmark, assigning heading
//! ids that keep Chinese characters, collecting the table of contents and every internal link
//! (rewritten to output URLs), turning GFM callouts and `> [!MYTH]` into boxes, and replacing
//! ```` ```checker ```` blocks with the checker widget.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::load::Page;
use crate::paths::{dir_of, relative_url, resolve};

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
}

/// Renders the checker widget for a preset: (preset, instance number, page's root prefix) → HTML.
pub type CheckerEmbed<'a> = dyn Fn(&serde_json::Map<String, serde_json::Value>, usize, &str) -> Result<String, String>
    + Sync
    + 'a;

/// What rendering one page needs from the rest of the site.
pub struct MarkdownContext<'a> {
    /// Content source path → output path, for every page in the site.
    pub outputs: &'a HashMap<String, String>,
    /// Site language, for callout titles.
    pub language: &'a str,
    /// Renders ```` ```checker ```` blocks.
    pub embed_checker: &'a CheckerEmbed<'a>,
    /// The chain picture's HTML for ```` ```chain ```` blocks (None: the site has no chain data).
    pub embed_chain: Option<&'a str>,
    /// Callout titles from the theme's string table (`[callout]`: `note`, `tip`, `important`,
    /// `warning`, `caution`, `myth`) in the page's language; a title it lacks is the built-in
    /// one for `language`.
    pub callouts: Option<&'a serde_json::Value>,
}

impl std::fmt::Debug for MarkdownContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MarkdownContext")
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
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

/// Maps byte offsets in a text to 1-based line numbers.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { starts }
    }
    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
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

/// A callout's title from the theme's string table (HTML-escaped), else `builtin`.
fn themed_title(cx: &MarkdownContext<'_>, class: &str, builtin: &str) -> String {
    match cx
        .callouts
        .and_then(|t| t.get(class))
        .and_then(|v| v.as_str())
    {
        Some(t) => crate::render::escape_html(t),
        None => builtin.to_owned(),
    }
}

/// Renders one page. Errors (bad presets, absolute links, duplicate explicit ids) are returned
/// all at once; broken links are only recorded here and judged by the site stage.
pub fn render(page: &Page, cx: &MarkdownContext<'_>) -> Result<Rendered, Vec<Diagnostic>> {
    let body = page.body();
    let base = page.body_offset;
    let lines = Lines::new(&page.raw);
    let line_at = |r: &Range<usize>| lines.line(base + r.start);
    let zh = cx.language.starts_with("zh");
    let root = crate::paths::root_prefix(&page.output);
    let page_dir = dir_of(&page.source);

    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut errors = Vec::new();
    let mut rendered = Rendered::default();
    let mut ids = IdSet::default();
    // Explicit `{#id}`s claim their ids first so automatic ids never take them.
    for (e, r) in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
            if !ids.used.insert(id.to_string()) {
                errors.push(
                    Diagnostic::error(&page.file, format!("duplicate heading id `{id}`"))
                        .at(line_at(r), None)
                        .help("give each `{#id}` on a page a different name")
                        .with_source(&page.raw),
                );
            }
        }
    }
    let mut quote_is_myth: Vec<bool> = Vec::new();
    let mut checker_instance = 0;
    let mut footnotes: HashMap<String, usize> = HashMap::new();
    let mut referenced: HashSet<String> = HashSet::new();
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
                out.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(id)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
                for (e, r) in inner {
                    out.push(rewrite_event(
                        e.clone(),
                        r,
                        page,
                        page_dir,
                        cx,
                        &line_at,
                        &mut rendered,
                        &mut errors,
                    ));
                }
                // The closing tag is pushed by the next loop iteration.
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = callout_title(*kind, zh);
                let title = themed_title(cx, class, title);
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                out.push(Event::Html(CowStr::Borrowed("</div>\n")))
            }
            Event::Start(Tag::BlockQuote(None)) => {
                let myth = myth_marker(&events, i);
                quote_is_myth.push(myth.is_some());
                if let Some((skip_to, rest)) = myth {
                    let title = themed_title(cx, "myth", if zh { "常见误区" } else { "Myth" });
                    out.push(Event::Html(CowStr::from(format!(
                        "<div class=\"callout callout-myth\" role=\"note\"><p class=\"callout-title\">{title}</p>\n"
                    ))));
                    i = skip_to;
                    if let Some(rest) = rest {
                        out.push(Event::Start(Tag::Paragraph));
                        if !rest.is_empty() {
                            out.push(Event::Text(CowStr::from(rest)));
                        }
                    }
                } else {
                    out.push(event.clone());
                }
            }
            Event::End(TagEnd::BlockQuote(None)) => {
                if quote_is_myth.pop().unwrap_or(false) {
                    out.push(Event::Html(CowStr::Borrowed("</div>\n")));
                } else {
                    out.push(event.clone());
                }
            }
            // Footnotes get `fn-`/`fnref-` ids so they can never collide with heading ids.
            Event::FootnoteReference(label) => {
                let n = footnote_number(&mut footnotes, label);
                let label = crate::render::escape_html(label);
                let id = if referenced.insert(label.clone()) {
                    format!(" id=\"fnref-{label}\"")
                } else {
                    String::new()
                };
                out.push(Event::Html(CowStr::from(format!(
                    "<sup class=\"footnote-reference\"{id}><a href=\"#fn-{label}\">{n}</a></sup>"
                ))));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = footnote_number(&mut footnotes, label);
                rendered.ids.insert(format!("fn-{label}"));
                let label = crate::render::escape_html(label);
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"footnote-definition\" id=\"fn-{label}\"><sup class=\"footnote-definition-label\">{n}</sup>\n"
                ))));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                out.push(Event::Html(CowStr::Borrowed("</div>\n")))
            }
            Event::Start(Tag::HtmlBlock) => {
                out.push(event.clone());
                let mut text = String::new();
                while i < events.len() && !matches!(events[i].0, Event::End(TagEnd::HtmlBlock)) {
                    if let Event::Html(t) = &events[i].0 {
                        text.push_str(t);
                    }
                    out.push(events[i].0.clone());
                    i += 1;
                }
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
                let line = line_at(range);
                let diag = |msg: String, help: &str| {
                    Diagnostic::error(&page.file, msg)
                        .at(line, None)
                        .help(help)
                        .with_source(&page.raw)
                };
                match embed_checker(&text, checker_instance, &root, cx) {
                    Ok(html) => out.push(Event::Html(CowStr::from(html))),
                    Err(EmbedError::Toml(e)) => errors.push(diag(
                        format!("invalid checker preset: {}", e.message().lines().next().unwrap_or("").trim()),
                        "write the preset as TOML `field = value` lines using the checker's input names",
                    )),
                    Err(EmbedError::Preset(msg)) => errors.push(diag(
                        format!("invalid checker preset: {msg}"),
                        "use the field names and values of the checker contract",
                    )),
                    Err(EmbedError::Render(msg)) => errors.push(diag(
                        format!("cannot embed the checker: {msg}"),
                        "make sure the checker rules file and `templates/partials/checker-widget.html` exist",
                    )),
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if info.trim() == "chain" => {
                let text = fenced_block_text(&events, &mut i);
                let diag = |msg: &str, help: &str| {
                    Diagnostic::error(&page.file, msg.to_owned())
                        .at(line_at(range), None)
                        .help(help.to_owned())
                        .with_source(&page.raw)
                };
                match cx.embed_chain {
                    _ if !text.trim().is_empty() => errors.push(diag(
                        "a ```chain block takes no content",
                        "leave the block empty: the picture comes from content/checker/chain.toml",
                    )),
                    Some(html) => out.push(Event::Html(CowStr::from(html.to_owned()))),
                    None => errors.push(diag(
                        "this page draws the chain but the site has no chain data",
                        "create content/checker/chain.toml next to the checker rules, or remove the ```chain block",
                    )),
                }
            }
            e => out.push(rewrite_event(
                e.clone(),
                range,
                page,
                page_dir,
                cx,
                &line_at,
                &mut rendered,
                &mut errors,
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    rendered.html = html;
    Ok(rendered)
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
/// HTML comments, which never reach a reader.
fn raw_html_error(html: &str, page: &Page, line: usize) -> Option<Diagnostic> {
    let mut rest = html.trim();
    while let Some(after) = rest.strip_prefix("<!--") {
        rest = after.split_once("-->")?.1.trim_start();
    }
    if rest.is_empty() {
        return None;
    }
    Some(
        Diagnostic::error(
            &page.file,
            format!(
                "raw HTML `{}` is not allowed in pages",
                rest.lines().next().unwrap_or(rest)
            ),
        )
        .at(line, None)
        .help("write it in Markdown; to show a `<` as text, write `\\<`")
        .with_source(&page.raw),
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
    let rest = text.strip_prefix(MYTH_MARKER)?.trim_start().to_owned();
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

enum EmbedError {
    Toml(toml::de::Error),
    Preset(String),
    Render(String),
}

fn embed_checker(
    text: &str,
    instance: usize,
    root: &str,
    cx: &MarkdownContext<'_>,
) -> Result<String, EmbedError> {
    let table: toml::Table = toml::from_str(text).map_err(EmbedError::Toml)?;
    let preset = match serde_json::to_value(&table) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    crate::checker::validate_preset(&preset).map_err(EmbedError::Preset)?;
    (cx.embed_checker)(&preset, instance, root).map_err(EmbedError::Render)
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
) -> Event<'e> {
    match event {
        Event::Start(Tag::Image { ref dest_url, .. }) => {
            if let Err(e) = crate::paths::check_url(dest_url) {
                errors.push(
                    Diagnostic::error(&page.file, format!("bad image URL: {e}"))
                        .at(line_at(range), None)
                        .help(
                            "use a relative path to a file in the static folder, or an http(s) URL",
                        )
                        .with_source(&page.raw),
                );
            }
            event
        }
        Event::InlineHtml(ref html) => {
            if let Some(d) = raw_html_error(html, page, line_at(range)) {
                errors.push(d);
            }
            event
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
                        .help("link to a page's `.md` file with a relative path, or to an http(s) or mailto URL")
                        .with_source(&page.raw),
                );
            }
            let dest_url = match classify(&dest_url) {
                Href::External | Href::Empty => dest_url,
                Href::Absolute => {
                    errors.push(
                        Diagnostic::error(&page.file, format!("absolute link `{dest_url}` breaks when the site is served from a sub-path or from disk"))
                            .at(line, None)
                            .help("link to the page's `.md` file with a relative path, e.g. `../guides/renewal.md`")
                            .with_source(&page.raw),
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
                    let resolved = resolve(page_dir, path);
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
                        None => (LinkTarget::MissingPage(resolved), dest_url.clone()),
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
                            CowStr::from(format!("{}{suffix}", relative_url(&page.output, t)))
                        }
                        _ => dest_url,
                    }
                }
            };
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
        _: &serde_json::Map<String, serde_json::Value>,
        n: usize,
        root: &str,
    ) -> Result<String, String> {
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
            embed_chain: Some("<figure data-chain></figure>"),
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
}
