//! Links and images: checked, rewritten from `.md` paths to output URLs, recorded for the link
//! check ([`LinkRef`]) and marked for the print edition.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag};

use super::page::PageRenderer;
use super::print_marks::Mark;
use super::{LinkRef, LinkTarget};
use crate::paths::{dir_of, relative_path, relative_url, resolve};

impl<'p> PageRenderer<'p, '_> {
    /// Rewrites links and records them; other events pass through.
    pub(super) fn rewrite_event(&mut self, event: Event<'p>, range: &Range<usize>) -> Event<'p> {
        match event {
            Event::TaskListMarker(checked) => {
                self.out.mark(Mark::TaskBox(checked));
                event
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                self.image(dest_url, range);
                event
            }
            Event::InlineHtml(ref html) => {
                if let Some(d) = super::blocks::raw_html_error(html, self.page, self.line_at(range))
                {
                    self.errors.push(d);
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
                let line = self.line_at(range);
                if let Err(e) = crate::paths::check_url(&dest_url) {
                    self.error(
                        line,
                        format!("bad link: {e}"),
                        "link to a page's `.md` file with a relative path, or to an http(s) or mailto URL",
                    );
                }
                let dest_url = self.link(dest_url, line);
                // An e-mail autolink is written as `mailto:` and the address: nothing to change.
                if link_type != LinkType::Email {
                    self.out.mark_url(&dest_url, &self.page.output, false);
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

    /// The page's output path in the default language's folder (`en/a/b.html` → `a/b.html`):
    /// what file links and images are resolved from, as the page is written in its source.
    fn default_output(&self) -> &'p str {
        let output = self.page.output.as_str();
        self.page
            .lang
            .as_ref()
            .and_then(|l| output.strip_prefix(l.as_str()))
            .and_then(|rest| rest.strip_prefix('/'))
            .unwrap_or(output)
    }

    /// Checks an image's URL and records it. Images are not rewritten: the page writes the URL
    /// as its source does.
    fn image(&mut self, dest_url: &str, range: &Range<usize>) {
        let line = self.line_at(range);
        if let Err(e) = crate::paths::check_url(dest_url) {
            self.error(
                line,
                format!("bad image URL: {e}"),
                "use a relative path to a file in the static folder, or an http(s) URL",
            );
        }
        // Checked like links: a relative path must name a file the site has (resolved from the
        // default language's output, as file links are), and an absolute path breaks under a
        // sub-path and names nothing of the site's own.
        match classify(dest_url) {
            Href::Absolute => self.error(
                line,
                format!("absolute image path `{dest_url}` breaks when the site is served from a sub-path or from disk"),
                "use a path relative to this page's output, to a file in the static folder, e.g. `../images/x.png`",
            ),
            Href::File(path) | Href::Markdown(path, _) => {
                let target = resolve(dir_of(self.default_output()), path);
                self.rendered.links.push(LinkRef {
                    href: dest_url.to_owned(),
                    line,
                    target: LinkTarget::Image(target),
                    anchor: None,
                });
            }
            Href::Empty | Href::External | Href::SamePage(_) => {}
        }
        self.out.mark_url(dest_url, &self.page.output, true);
        self.rendered.portable = false;
    }

    /// Records a link at `line` and returns the URL the page writes for it.
    fn link(&mut self, dest_url: CowStr<'p>, line: usize) -> CowStr<'p> {
        match classify(&dest_url) {
            Href::External | Href::Empty => dest_url,
            Href::Absolute => {
                self.error(
                    line,
                    format!("absolute link `{dest_url}` breaks when the site is served from a sub-path or from disk"),
                    "link to the page's `.md` file with a relative path, e.g. `../guides/renewal.md`",
                );
                dest_url
            }
            Href::SamePage(anchor) => {
                self.rendered.links.push(LinkRef {
                    href: dest_url.to_string(),
                    line,
                    target: LinkTarget::Page(self.page.source.clone()),
                    anchor: Some(anchor.to_owned()),
                });
                dest_url
            }
            Href::Markdown(path, anchor) => {
                let (path, anchor) = (path.to_owned(), anchor.map(str::to_owned));
                self.page_link(dest_url, &path, anchor, line)
            }
            Href::File(path) => {
                let path = path.to_owned();
                self.file_link(dest_url, &path, line)
            }
        }
    }

    /// A link to a page's `.md` file (`path`, `#anchor`): the page's output URL, relative to
    /// this page's, or the link as written when no page has that source.
    fn page_link(
        &mut self,
        dest_url: CowStr<'p>,
        path: &str,
        anchor: Option<String>,
        line: usize,
    ) -> CowStr<'p> {
        let outputs = self.cx.outputs;
        // A link is a URL: `q%23frag.md` is the page `q#frag.md`. A file whose name itself has
        // a `%XX` is still found by the name as written.
        let resolved = resolve(self.page_dir, &crate::paths::percent_decode(path))
            .filter(|p| outputs.contains_key(p))
            .or_else(|| resolve(self.page_dir, path));
        let (target, url) = match resolved
            .as_ref()
            .and_then(|p| outputs.get(p).map(|o| (p, o)))
        {
            Some((source, output)) => {
                let mut url = if source == &self.page.source && anchor.is_some() {
                    String::new()
                } else {
                    relative_url(&self.page.output, output)
                };
                if let Some(a) = &anchor {
                    url.push('#');
                    url.push_str(a);
                }
                (LinkTarget::Page(source.clone()), CowStr::from(url))
            }
            None => {
                self.rendered.portable = false;
                (LinkTarget::MissingPage(resolved), dest_url.clone())
            }
        };
        self.rendered.links.push(LinkRef {
            href: dest_url.to_string(),
            line,
            target,
            anchor,
        });
        url
    }

    /// A link to another file (`path`, query and anchor removed). A page of another edition
    /// (`en/…`) is written as its source is: a file link is resolved from the default
    /// language's output, then made relative to where this page is written.
    fn file_link(&mut self, dest_url: CowStr<'p>, path: &str, line: usize) -> CowStr<'p> {
        let base = self.default_output();
        let target = resolve(dir_of(base), path);
        self.rendered.portable = false;
        self.rendered.links.push(LinkRef {
            href: dest_url.to_string(),
            line,
            target: LinkTarget::File(target.clone()),
            anchor: None,
        });
        match (&target, base.len() != self.page.output.len()) {
            (Some(t), true) => {
                let suffix = dest_url
                    .find(['?', '#'])
                    .map_or("", |i| &dest_url[i..])
                    .to_owned();
                CowStr::from(format!("{}{suffix}", relative_path(&self.page.output, t)))
            }
            _ => dest_url,
        }
    }
}

/// The kinds of link destination.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Href<'h> {
    /// `""`.
    Empty,
    /// A URL with a scheme, or protocol-relative (`//host/…`).
    External,
    /// A path from the site root (`/x`), which breaks under a sub-path.
    Absolute,
    /// `#fragment`: the fragment.
    SamePage(&'h str),
    /// Relative `.md` path and optional anchor.
    Markdown(&'h str, Option<&'h str>),
    /// Relative path to something else (query and anchor removed).
    File(&'h str),
}

/// What kind of destination `href` is.
pub(super) fn classify(href: &str) -> Href<'_> {
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
