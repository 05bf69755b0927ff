//! Layer 0 helper of the `markdown` stage: a page's searchable text, cut into sections at its
//! headings, collected from the Markdown events as the page is rendered (not by scanning the
//! HTML afterwards).
//!
//! The text rules: every block (paragraph, list item, table cell, quote, code block, heading,
//! break, rule) ends a run of text, so no bigram spans two blocks; inline markup (emphasis,
//! links, inline code) does not. Image alt text, footnote markers and callout labels are left
//! out (noise in snippets); each footnote is its own section, with the footnote's `fn-…` id.
//! Whitespace runs become one space. The text is the decoded text (what a reader sees), not
//! HTML.

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

/// What a section stands for, which decides the heading a search hit shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    /// The text before the first heading (shown under the page title).
    Intro,
    /// A heading and the text up to the next one.
    Heading,
    /// One footnote's text (shown under the edition's footnote label).
    Footnote,
}

/// One searchable section of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// What it stands for.
    pub kind: SectionKind,
    /// The heading's or footnote's id (empty for the intro).
    pub id: String,
    /// The heading's text (empty for the intro and footnotes).
    pub heading: String,
    /// The text, whitespace squashed.
    pub text: String,
}

/// Collects the sections while a page's events are rendered. Feed it every event that is
/// rendered as pulldown-cmark renders it ([`Collector::event`]); for HTML the renderer makes
/// itself, say what it is ([`Collector::footnote`], [`Collector::block`], [`Collector::text`]).
#[derive(Debug)]
pub struct Collector {
    done: Vec<Section>,
    kind: SectionKind,
    id: String,
    heading: String,
    text: String,
    in_heading: bool,
    /// Inside an image: its events are the alt text, not page text.
    in_image: usize,
    /// FAQ pairs so far, and the current one (question, answer) since the last `##`.
    faq: Vec<(String, String)>,
    faq_open: Option<(String, String)>,
    /// Inside a `##` heading (its text is the FAQ question).
    in_h2: bool,
    /// Inside a myth box or footnote: not part of any FAQ answer.
    faq_skip: usize,
    /// Whether FAQ pairs are collected at all.
    faq_on: bool,
}

impl Default for Collector {
    fn default() -> Self {
        Self::new(true)
    }
}

impl Collector {
    /// A collector of the search sections, and of the FAQ pairs when `faq` (only FAQ pages
    /// need them; collecting them is a copy of every answer's text).
    pub fn new(faq: bool) -> Self {
        Self {
            done: Vec::new(),
            kind: SectionKind::Intro,
            id: String::new(),
            heading: String::new(),
            text: String::new(),
            in_heading: false,
            in_image: 0,
            faq: Vec::new(),
            faq_open: None,
            in_h2: false,
            faq_skip: 0,
            faq_on: faq,
        }
    }
}

/// Appends `s` to `out` with whitespace runs as one space, no space at either end.
fn push_squashed(out: &mut String, s: &str) {
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// `s` with whitespace runs as one space, trimmed.
pub fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_squashed(&mut out, s);
    out
}

impl Collector {
    /// Closes the current section and opens one of `kind` with `id`.
    fn start(&mut self, kind: SectionKind, id: String) {
        let body = squash(&self.text);
        if !body.is_empty() || !self.id.is_empty() {
            self.done.push(Section {
                kind: self.kind,
                id: std::mem::take(&mut self.id),
                heading: squash(&self.heading),
                text: body,
            });
        }
        self.text.clear();
        self.heading.clear();
        self.kind = kind;
        self.id = id;
        self.in_heading = false;
    }

    /// A heading with `id` starts (its text follows as events up to its end).
    pub fn heading(&mut self, id: &str) {
        self.start(SectionKind::Heading, id.to_owned());
        self.in_heading = true;
    }

    /// A `##` heading starts: the FAQ question that follows ends the previous answer.
    fn h2(&mut self) {
        self.close_faq();
        if !self.faq_on {
            return;
        }
        self.faq_open = Some((String::new(), String::new()));
        self.in_h2 = true;
    }

    fn close_faq(&mut self) {
        if let Some((q, a)) = self.faq_open.take() {
            let (q, a) = (squash(&q), squash(&a));
            if !q.is_empty() && !a.is_empty() {
                self.faq.push((q, a));
            }
        }
    }

    /// A footnote's definition starts: its text is a section of its own, `id` being `fn-…`
    /// (and no FAQ answer's), up to [`Collector::footnote_end`].
    pub fn footnote(&mut self, id: String) {
        self.start(SectionKind::Footnote, id);
        self.faq_skip += 1;
    }

    /// The footnote's definition ends.
    pub fn footnote_end(&mut self) {
        self.block();
        self.faq_skip = self.faq_skip.saturating_sub(1);
    }

    /// A callout box starts with its label: not searchable, but part of a FAQ answer.
    pub fn callout(&mut self, label: &str) {
        self.block();
        if self.faq_skip == 0 {
            if let Some((_, a)) = &mut self.faq_open {
                a.push(' ');
                a.push_str(label);
                a.push(' ');
            }
        }
    }

    /// A myth box starts (`> [!MYTH]`): searchable, but a quoted false claim is no FAQ answer.
    pub fn myth(&mut self) {
        self.block();
        self.faq_skip += 1;
    }

    /// The myth box ends.
    pub fn myth_end(&mut self) {
        self.block();
        self.faq_skip = self.faq_skip.saturating_sub(1);
    }

    /// HTML the build drew (a checker widget, the chain picture) with its searchable `text`:
    /// a block of its own, and no part of a FAQ answer.
    pub fn embed(&mut self, text: &str) {
        self.block();
        self.faq_skip += 1;
        self.text(text);
        self.faq_skip -= 1;
        self.block();
    }

    /// A block boundary: the text before and after does not run on.
    pub fn block(&mut self) {
        self.text(" ");
    }

    /// Readable text (decoded, not HTML).
    pub fn text(&mut self, t: &str) {
        if self.in_image > 0 {
            return;
        }
        match self.in_heading {
            true => self.heading.push_str(t),
            false => self.text.push_str(t),
        }
        if self.faq_skip == 0 {
            if let Some((q, a)) = &mut self.faq_open {
                match self.in_h2 {
                    true => q.push_str(t),
                    false => a.push_str(t),
                }
            }
        }
    }

    /// An event rendered as pulldown-cmark renders it.
    pub fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::Image { .. }) => self.in_image += 1,
            Event::End(TagEnd::Image) => self.in_image = self.in_image.saturating_sub(1),
            Event::Start(Tag::Heading { id, level, .. }) => {
                if *level == HeadingLevel::H2 {
                    self.block(); // ends the answer's last word before it closes
                    self.h2();
                } else {
                    self.block(); // an `###` and its text belong to the answer
                }
                self.heading(id.as_deref().unwrap_or_default())
            }
            Event::End(TagEnd::Heading(level)) => {
                self.in_heading = false;
                self.in_h2 = false;
                if *level != HeadingLevel::H2 {
                    self.block();
                }
            }
            Event::Start(Tag::FootnoteDefinition(label)) => self.footnote(format!("fn-{label}")),
            Event::End(TagEnd::FootnoteDefinition) => self.footnote_end(),
            Event::Text(t) | Event::Code(t) => self.text(t),
            Event::SoftBreak | Event::HardBreak | Event::Rule | Event::TaskListMarker(_) => {
                self.block()
            }
            Event::Start(tag) if is_block(tag) => self.block(),
            Event::End(tag) if is_block_end(*tag) => self.block(),
            // Inline markup, footnote markers, HTML comments (the only raw HTML a page may
            // have) and math (not enabled) add no text.
            _ => {}
        }
    }

    /// The sections, in page order, and the FAQ pairs: each `##` heading's text (question)
    /// with the text up to the next `##` (answer), both non-empty, myths and footnotes left out.
    pub fn finish(mut self) -> (Vec<Section>, Vec<(String, String)>) {
        self.start(SectionKind::Intro, String::new());
        self.close_faq();
        (self.done, self.faq)
    }
}

fn is_block(tag: &Tag<'_>) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_block_end(tag: TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squash_collapses_and_trims() {
        assert_eq!(squash("  a \n\t b  "), "a b");
        assert_eq!(squash(" \n "), "");
    }

    #[test]
    fn empty_intro_is_dropped_and_headings_with_ids_are_kept() {
        let mut c = Collector::default();
        c.block();
        c.heading("a");
        c.text("甲");
        c.event(&Event::End(TagEnd::Heading(
            pulldown_cmark::HeadingLevel::H2,
        )));
        let (got, faq) = c.finish();
        assert!(faq.is_empty());
        assert_eq!(
            got,
            vec![Section {
                kind: SectionKind::Heading,
                id: "a".into(),
                heading: "甲".into(),
                text: String::new(),
            }]
        );
    }
}
