//! Block-level constructs: GFM callouts and `> [!MYTH]` quotes (boxes), raw HTML (refused,
//! comments dropped) and the fenced embeds (```` ```checker ```` widgets and the
//! ```` ```chain ```` picture).

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};

use super::page::{Events, PageRenderer};
use super::print_marks::Mark;
use super::{EmbedError, MarkdownContext, PrintEditKind};
use crate::diagnostic::Diagnostic;
use crate::load::Page;

impl<'p> PageRenderer<'p, '_> {
    /// The start of a GFM callout (`> [!NOTE]`): the box and its title.
    pub(super) fn callout_start(&mut self, kind: BlockQuoteKind) {
        let (class, title) = callout_title(kind, self.zh);
        let title = themed_title(self.cx, class, title);
        self.search.callout(&title);
        let title = crate::html::escape_html(&title);
        self.out.push(Event::Html(CowStr::from(format!(
            "<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>\n"
        ))));
    }

    /// The end of a GFM callout.
    pub(super) fn callout_end(&mut self) {
        self.search.block();
        self.out.push(Event::Html(CowStr::Borrowed("</div>\n")))
    }

    /// The start of a plain blockquote, whose events start at `next`: a myth box when it opens
    /// with the marker ([`myth_marker`]), else a quote. Returns the index of the next event.
    pub(super) fn quote_start(&mut self, events: &Events<'p>, next: usize) -> usize {
        let myth = myth_marker(events, next);
        self.quote_is_myth.push(myth.is_some());
        let Some((skip_to, rest)) = myth else {
            self.emit(events[next - 1].0.clone());
            return next;
        };
        let title = themed_title(self.cx, "myth", if self.zh { "常见误区" } else { "Myth" });
        let title = crate::html::escape_html(&title);
        self.search.myth();
        self.out.push(Event::Html(CowStr::from(format!(
            "<div class=\"callout callout-myth\" role=\"note\"><p class=\"callout-title\">{title}</p>\n"
        ))));
        if let Some(rest) = rest {
            self.emit(Event::Start(Tag::Paragraph));
            if !rest.is_empty() {
                self.emit(Event::Text(CowStr::from(rest)));
            }
        }
        skip_to
    }

    /// The end of a plain blockquote (`event`), or of a myth box.
    pub(super) fn quote_end(&mut self, event: &Event<'p>) {
        if self.quote_is_myth.pop().unwrap_or(false) {
            self.search.myth_end();
            self.out.push(Event::Html(CowStr::Borrowed("</div>\n")));
        } else {
            self.emit(event.clone());
        }
    }

    /// An HTML block, whose events start at `next`: only comments may be here, and they are not
    /// written, so nothing a browser could read differently from this check reaches the page.
    /// Returns the index after the block.
    pub(super) fn html_block(
        &mut self,
        events: &Events<'p>,
        next: usize,
        range: &Range<usize>,
    ) -> usize {
        let mut i = next;
        let mut text = String::new();
        while i < events.len() && !matches!(events[i].0, Event::End(TagEnd::HtmlBlock)) {
            if let Event::Html(t) = &events[i].0 {
                text.push_str(t);
            }
            i += 1;
        }
        if let Some(d) = raw_html_error(&text, self.page, self.line_at(range)) {
            self.errors.push(d);
        }
        i + 1
    }

    /// A ```` ```checker ```` block at `line` holding `text`: the widget for its preset.
    pub(super) fn checker_block(&mut self, text: &str, line: usize) {
        self.checker_instance += 1;
        self.rendered.uses_checker = true;
        self.rendered.portable = false;
        match embed_checker(text, self.checker_instance, &self.root, self.cx) {
            Ok(html) => {
                // The widget is a form, searchable through the checker's own page.
                self.search.embed("");
                // The print edition replaces it (the blank around it stays).
                let start = html.len() - html.trim_start().len();
                let end = html.trim_end().len();
                if start < end {
                    self.out.mark(Mark::Own(start, end, PrintEditKind::Widget));
                }
                self.out.push(Event::Html(CowStr::from(html)));
            }
            Err(BlockError::Toml(e)) => self.error(
                line,
                format!("invalid checker preset: {}", e.message().lines().next().unwrap_or("").trim()),
                "write the preset as TOML `field = value` lines using the checker's input names",
            ),
            Err(BlockError::Embed(EmbedError::Preset(msg))) => self.error(
                line,
                format!("invalid checker preset: {msg}"),
                "use the field names and values of the checker contract",
            ),
            Err(BlockError::Embed(EmbedError::Render(msg))) => self.error(
                line,
                format!("cannot embed the checker: {msg}"),
                "make sure the checker rules file and `templates/partials/checker-widget.html` exist",
            ),
        }
    }

    /// A ```` ```chain ```` block at `line` holding `text`: the chain picture.
    pub(super) fn chain_block(&mut self, text: &str, line: usize) {
        self.rendered.portable = false;
        match self.cx.embed_chain {
            _ if !text.trim().is_empty() => self.error(
                line,
                "a ```chain block takes no content",
                "leave the block empty: the picture comes from content/checker/chain.toml",
            ),
            Some(chain) => {
                // The picture is drawn in SVG; its caption is the searchable text.
                self.search.embed(chain.text);
                self.out.push(Event::Html(CowStr::from(chain.html.to_owned())));
            }
            None => self.error(
                line,
                "this page draws the chain but the site has no chain data",
                "create content/checker/chain.toml next to the checker rules, or remove the ```chain block",
            ),
        }
    }
}

/// The text of the fenced code block whose events start at `next` (after its start event), and
/// the index past its end event (the block's own events are not rendered).
pub(super) fn fenced_block_text(events: &Events<'_>, next: usize) -> (String, usize) {
    let mut text = String::new();
    let mut i = next;
    while i < events.len() && !matches!(events[i].0, Event::End(TagEnd::CodeBlock)) {
        if let Event::Text(t) = &events[i].0 {
            text.push_str(t);
        }
        i += 1;
    }
    (text, i + 1)
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

/// Raw HTML in a page is an error (it would bypass the URL policy and the escaping), except
/// HTML comments, which are dropped. A comment ends where a browser ends it: at the first
/// `-->` or `--!>`, or right away for `<!-->` and `<!--->`; the odd endings are refused, so
/// that what follows them is never taken for part of a comment by one reader and markup by
/// another.
pub(super) fn raw_html_error(html: &str, page: &Page, line: usize) -> Option<Diagnostic> {
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
pub(super) fn myth_marker(events: &Events<'_>, i: usize) -> Option<(usize, Option<String>)> {
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
