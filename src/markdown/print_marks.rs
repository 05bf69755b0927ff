//! Print marks: the places in a page's HTML that the print edition changes, noted while the
//! page's events are handed to pulldown-cmark's writer and turned into byte ranges of the HTML
//! it wrote ([`PrintEdit`]s; the print edition applies them in `render/print.rs`).

use std::cell::Cell;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::links::{classify, Href};
use super::{PrintEdit, PrintEditKind};
use crate::paths::{dir_of, resolve_clamped};

/// The events handed to the HTML writer, and the ones the print edition changes.
pub(super) struct Output<'e> {
    events: Vec<Event<'e>>,
    /// (index of the event, what to note in its HTML), in order.
    marks: Vec<(usize, Mark)>,
    /// Inside an image the writer prints only the alt text, as plain text: nothing is marked.
    image_depth: usize,
    /// See [`Rendered::print_targets`].
    pub(super) targets: String,
}

/// What the print edition changes in the HTML of one event.
#[derive(Debug)]
pub(super) enum Mark {
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
pub(super) enum UrlMark {
    /// `#fragment`: the fragment is a local id.
    Local,
    /// Something in the site: its site-root-relative path, and how many bytes the escaped URL's
    /// query and fragment take.
    Site((u32, u32), usize),
}

impl<'e> Output<'e> {
    pub(super) fn with_capacity(n: usize) -> Self {
        Self {
            events: Vec::with_capacity(n),
            marks: Vec::new(),
            image_depth: 0,
            targets: String::new(),
        }
    }

    pub(super) fn push(&mut self, event: Event<'e>) {
        match event {
            Event::Start(Tag::Image { .. }) => self.image_depth += 1,
            Event::End(TagEnd::Image) => self.image_depth = self.image_depth.saturating_sub(1),
            _ => {}
        }
        self.events.push(event);
    }

    /// Notes `mark` for the next event pushed.
    pub(super) fn mark(&mut self, mark: Mark) {
        if self.image_depth == 0 {
            self.marks.push((self.events.len(), mark));
        }
    }

    /// Notes the URL of the link or image pushed next, written in the page at `output`.
    pub(super) fn mark_url(&mut self, url: &str, output: &str, image: bool) {
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
    pub(super) fn write_html(self, capacity: usize) -> Result<(String, Vec<PrintEdit>), String> {
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
