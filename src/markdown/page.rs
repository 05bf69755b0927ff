//! The event loop of one page: [`PageRenderer`] walks the page's events once, hands each to the
//! HTML writer and the search text (rewritten where needed), and gathers the page's
//! [`Rendered`] record as it goes. Headings and footnotes are here; callouts, myth quotes, raw
//! HTML and the fenced embeds are in `blocks.rs`, links and images in `links.rs`.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::print_marks::{Mark, Output};
use super::{slugify, text_lines, MarkdownContext, PrintEditKind, Rendered, TocEntry};
use crate::diagnostic::{Diagnostic, SourceLines};
use crate::load::Page;
use crate::paths::dir_of;
use crate::sections::Collector;

/// A page's events with their byte ranges in its body, as pulldown-cmark gives them.
pub(super) type Events<'p> = [(Event<'p>, Range<usize>)];

/// Everything rendering one page keeps between events.
pub(super) struct PageRenderer<'p, 'c> {
    pub(super) page: &'p Page,
    pub(super) cx: &'c MarkdownContext<'c>,
    /// The page's file, indexed by line once (for error lines and their source text).
    lines: SourceLines<'p>,
    /// Built-in callout titles in Chinese (the page's language is `zh-*`), else in English.
    pub(super) zh: bool,
    /// The page's root prefix (`../` per folder level), for the embeds.
    pub(super) root: String,
    /// The page's content folder, links are resolved from.
    pub(super) page_dir: &'p str,
    /// What the page gives the later stages (its HTML is written by [`PageRenderer::finish`]).
    pub(super) rendered: Rendered,
    /// Every problem found so far; any of them fails the page.
    pub(super) errors: Vec<Diagnostic>,
    /// The events for the HTML writer, with the print marks.
    pub(super) out: Output<'p>,
    /// The search text, sections and FAQ pairs.
    pub(super) search: Collector,
    ids: IdSet,
    /// For each open plain blockquote: whether it is a myth box.
    pub(super) quote_is_myth: Vec<bool>,
    /// How many checker widgets the page has embedded so far.
    pub(super) checker_instance: usize,
    /// Footnote label → its number.
    footnotes: HashMap<String, usize>,
    /// The footnote labels referenced so far (the first reference gets the `fnref-` id).
    referenced: HashSet<String>,
}

impl<'p, 'c> PageRenderer<'p, 'c> {
    /// Starts a page: runs the footnote lint and finds the lint lines on the whole event list,
    /// and claims the explicit `{#id}`s before any automatic id is made.
    pub(super) fn new(page: &'p Page, cx: &'c MarkdownContext<'c>, events: &Events<'p>) -> Self {
        let base = page.body_offset;
        let lines = SourceLines::new(&page.raw);
        let rendered = Rendered {
            output: page.output.clone(),
            portable: true,
            warnings: crate::lint::footnote_problems(&page.file, &page.raw, base, events),
            lint_lines: text_lines(events, base, &lines),
            ..Rendered::default()
        };
        let mut renderer = Self {
            page,
            cx,
            lines,
            zh: cx.language.starts_with("zh"),
            root: crate::paths::root_prefix(&page.output),
            page_dir: dir_of(&page.source),
            rendered,
            errors: Vec::new(),
            out: Output::with_capacity(events.len()),
            search: Collector::new(crate::load::is_faq(page)),
            ids: IdSet::default(),
            quote_is_myth: Vec::new(),
            checker_instance: 0,
            footnotes: HashMap::new(),
            referenced: HashSet::new(),
        };
        for (e, r) in events {
            if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
                if !renderer.ids.used.insert(id.to_string()) {
                    renderer.error(
                        renderer.line_at(r),
                        format!("duplicate heading id `{id}`"),
                        "give each `{#id}` on a page a different name",
                    );
                }
            }
        }
        renderer
    }

    /// The 1-based line in the page's file of a body range.
    pub(super) fn line_at(&self, range: &Range<usize>) -> usize {
        self.lines.line(self.page.body_offset + range.start)
    }

    /// Records an error at `line` of the page's file.
    pub(super) fn error(&mut self, line: usize, message: impl Into<String>, help: &str) {
        let d = Diagnostic::error(&self.page.file, message)
            .at(line, None)
            .help(help);
        self.errors.push(d);
    }

    /// Renders the event at `at` (and the ones it owns); returns the index of the next one.
    pub(super) fn event(&mut self, events: &Events<'p>, at: usize) -> usize {
        let (event, range) = &events[at];
        let next = at + 1;
        match event {
            Event::Start(Tag::Heading { .. }) => return self.heading(events, at),
            Event::Start(Tag::BlockQuote(Some(kind))) => self.callout_start(*kind),
            Event::End(TagEnd::BlockQuote(Some(_))) => self.callout_end(),
            Event::Start(Tag::BlockQuote(None)) => return self.quote_start(events, next),
            Event::End(TagEnd::BlockQuote(None)) => self.quote_end(event),
            Event::FootnoteReference(label) => {
                // A reference right after another (`[^4][^1]`) would read as one number.
                let after_reference =
                    at >= 1 && matches!(events[at - 1].0, Event::FootnoteReference(_));
                self.footnote_reference(label, after_reference);
            }
            Event::Start(Tag::FootnoteDefinition(label)) => self.footnote_definition(label),
            Event::End(TagEnd::FootnoteDefinition) => {
                self.search.footnote_end();
                self.out.push(Event::Html(CowStr::Borrowed("</div>\n")))
            }
            Event::Start(Tag::HtmlBlock) => return self.html_block(events, next, range),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if matches!(info.trim(), "checker" | "chain") =>
            {
                let (text, after) = super::blocks::fenced_block_text(events, next);
                let line = self.line_at(range);
                match info.trim() {
                    "checker" => self.checker_block(&text, line),
                    _ => self.chain_block(&text, line),
                }
                return after;
            }
            e => {
                let e = self.rewrite_event(e.clone(), range);
                self.emit(e);
            }
        }
        next
    }

    /// Passes an event on to the HTML renderer and to the search text.
    pub(super) fn emit(&mut self, event: Event<'p>) {
        self.search.event(&event);
        self.out.push(event);
    }

    /// A heading at `at`: its id (explicit, or made from its text), its table-of-contents
    /// entry, and its inner events (links rewritten). Returns the index of its end event, which
    /// the next call renders.
    fn heading(&mut self, events: &Events<'p>, at: usize) -> usize {
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = &events[at].0
        else {
            return at + 1;
        };
        let start = at + 1;
        let mut end = start;
        while end < events.len() && !matches!(events[end].0, Event::End(TagEnd::Heading(_))) {
            end += 1;
        }
        let inner = &events[start..end];
        let title: String = inner
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let id = match id {
            Some(id) => id.to_string(),
            None => self.ids.unique(slugify(&title)),
        };
        add_toc(&mut self.rendered.toc, *level, &id, title.trim());
        self.rendered.ids.insert(id.clone());
        self.out.mark(Mark::Heading(*level));
        self.emit(Event::Start(Tag::Heading {
            level: *level,
            id: Some(CowStr::from(id)),
            classes: classes.clone(),
            attrs: attrs.clone(),
        }));
        for (e, r) in inner {
            let e = self.rewrite_event(e.clone(), r);
            self.emit(e);
        }
        end
    }

    /// A footnote reference. Footnotes get `fn-`/`fnref-` ids so they can never collide with
    /// heading ids.
    fn footnote_reference(&mut self, label: &str, after_reference: bool) {
        let n = footnote_number(&mut self.footnotes, label);
        let label = crate::html::escape_html(label);
        let mut html = String::from("<sup class=\"footnote-reference\"");
        let mut local = [None, None];
        if self.referenced.insert(label.clone()) {
            html.push_str(" id=\"");
            local[0] = Some(html.len());
            html.push_str(&format!("fnref-{label}\""));
        }
        html.push('>');
        // A reference right after another (`[^4][^1]`) would read as one number (41): a comma
        // separates them, seen and read aloud.
        if after_reference {
            html.push_str("<span class=\"footnote-sep\">,</span>");
        }
        html.push_str("<a href=\"#");
        local[1] = Some(html.len());
        html.push_str(&format!("fn-{label}\">{n}</a></sup>"));
        for at in local.into_iter().flatten() {
            self.out.mark(Mark::Own(at, at, PrintEditKind::Local));
        }
        self.out.push(Event::Html(CowStr::from(html)));
    }

    /// The start of a footnote's definition.
    fn footnote_definition(&mut self, label: &str) {
        let n = footnote_number(&mut self.footnotes, label);
        self.rendered.ids.insert(format!("fn-{label}"));
        self.search.footnote(format!("fn-{label}"));
        let label = crate::html::escape_html(label);
        let open = "<div class=\"footnote-definition\" id=\"";
        self.out
            .mark(Mark::Own(open.len(), open.len(), PrintEditKind::Local));
        self.out.push(Event::Html(CowStr::from(format!(
            "{open}fn-{label}\"><sup class=\"footnote-definition-label\">{n}</sup>\n"
        ))));
    }

    /// The page's record, or every error found (each with its source line).
    pub(super) fn finish(mut self) -> Result<Rendered, Vec<Diagnostic>> {
        if !self.errors.is_empty() {
            let lines = &self.lines;
            return Err(self
                .errors
                .into_iter()
                .map(|d| d.with_source_in(lines))
                .collect());
        }
        let mut rendered = self.rendered;
        rendered.print_targets = std::mem::take(&mut self.out.targets);
        let capacity = self.page.body().len() * 3 / 2;
        (rendered.html, rendered.print_edits) = self.out.write_html(capacity).map_err(|why| {
            vec![Diagnostic::error(&self.page.file, why).help("split the page into smaller pages")]
        })?;
        (rendered.sections, rendered.faq) = self.search.finish();
        Ok(rendered)
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

/// Footnotes are numbered in order of first mention, reference or definition.
fn footnote_number(numbers: &mut HashMap<String, usize>, label: &str) -> usize {
    let next = numbers.len() + 1;
    *numbers.entry(label.to_owned()).or_insert(next)
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
