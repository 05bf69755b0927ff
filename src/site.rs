//! Stage `site` (the stage list is in `src/lib.rs`): the immutable site model — section tree ordered by weight then title,
//! reading order (prev/next), sidebar and breadcrumbs per page, and the link graph check.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, SourceLines};
use crate::load::{Kind, Page};
use crate::markdown::{LinkTarget, Rendered};
use crate::paths::{dir_of, parent_dir, percent_decode, relative_url};

/// A child of a section, in display order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Child {
    /// An ordinary page (index into `Site::pages`).
    Page(usize),
    /// A subsection (its folder).
    Section(String),
}

/// One folder with an `_index.md`.
#[derive(Debug, Clone)]
pub struct Section {
    /// Index of its `_index.md` in `Site::pages`.
    pub index: usize,
    /// Pages and subsections, ordered by weight, then title, then path.
    pub children: Vec<Child>,
}

/// A link in navigation (breadcrumbs, prev/next, sidebar, listings).
#[derive(Debug, Clone, Serialize)]
pub struct NavLink {
    /// Page title.
    pub title: String,
    /// URL relative to the page being rendered.
    pub url: String,
    /// The title's language when it differs from the edition's (a fallback page's title).
    pub lang: Option<String>,
}

/// One sidebar entry. Only the sections on the way to the current page are expanded, so each
/// page carries the top level plus its own branch instead of the whole tree.
///
/// A sidebar is rendered once per content folder and shared by that folder's pages, so no entry
/// knows the current page: the partial writes `data-nav="{{ item.output }}"` on each entry's
/// link, and the generator marks the current page's link with `aria-current="page"` (see
/// `render::Sidebar`).
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    /// Page or section title.
    pub title: String,
    /// URL relative to the page being rendered.
    pub url: String,
    /// Output path of the entry's page (a section's index page), relative to the site root:
    /// the value of the link's `data-nav` marker.
    pub output: String,
    /// This entry is a section.
    pub is_section: bool,
    /// This section is expanded: it holds the pages the sidebar is rendered for, or one of their
    /// ancestors. Never set on a page entry.
    pub active: bool,
    /// The section has children that are not shown (collapsed).
    pub collapsed: bool,
    /// Children, filled only for expanded sections.
    pub children: Vec<NavItem>,
    /// The title's language when it differs from the edition's (a fallback page's title).
    pub lang: Option<String>,
    /// Not 0: the entry stands for this many entries of its section left out of the sidebar (see
    /// [`SIDEBAR_WINDOW`]); its link goes to the section's index page, which lists them all, and
    /// it carries no `data-nav` marker (it is no page's own link).
    pub more: usize,
}

/// Entries of one section a sidebar shows at most: a larger section shows the window of this
/// many entries that holds the current page, so every page's sidebar has a bounded size.
pub const SIDEBAR_WINDOW: usize = 50;

/// An entry in a section's listing of its children.
#[derive(Debug, Clone, Serialize)]
pub struct ListingEntry {
    /// Title.
    pub title: String,
    /// URL relative to the section page.
    pub url: String,
    /// Front matter description, if any.
    pub description: Option<String>,
    /// The entry is a subsection.
    pub is_section: bool,
    /// The title's language when it differs from the edition's (a fallback page's title).
    pub lang: Option<String>,
}

/// The whole site, ready to render; nothing in it changes during rendering.
#[derive(Debug)]
pub struct Site {
    /// Every page and section index (sorted by source path).
    pub pages: Vec<Page>,
    /// Rendered Markdown, same indexes as `pages`.
    pub rendered: Vec<Arc<Rendered>>,
    /// Sections by folder (`""` is the root).
    pub sections: BTreeMap<String, Section>,
    /// Page indexes in reading order (depth first, section index before its children).
    pub order: Vec<usize>,
    /// Position of each page in `order`.
    position: Vec<usize>,
    /// Position of each page among its section's children (0 for the root index).
    rank: Vec<usize>,
    /// The default language, set on the entries of fallback pages (see [`Site::set_default_language`]).
    default_lang: Option<String>,
}

/// Inputs for the link graph besides the pages' own links.
#[derive(Debug, Default)]
pub struct ExtraLinks<'a> {
    /// Links from the checker rules: (rules file, content-relative href, line).
    pub rules: Vec<(&'a Path, String, usize)>,
    /// Site-root-relative paths of every non-page output file (static files, checker assets).
    pub files: BTreeSet<String>,
    /// Content sources of pages that exist but did not load ([`crate::load::Content::unloaded`]):
    /// links to them are not checked, since their headings (and draft status) are unknown.
    pub unloaded: BTreeSet<String>,
}

impl Site {
    /// Builds the tree and reading order and checks every internal link; returns every broken
    /// link at once.
    pub fn build(
        pages: Vec<Page>,
        rendered: Vec<Arc<Rendered>>,
        extra: &ExtraLinks<'_>,
    ) -> Result<Site, Vec<Diagnostic>> {
        let mut sections: BTreeMap<String, Section> = BTreeMap::new();
        for (i, p) in pages.iter().enumerate() {
            if p.kind == Kind::Section {
                sections.insert(
                    p.dir.clone(),
                    Section {
                        index: i,
                        children: Vec::new(),
                    },
                );
            }
        }
        if !sections.contains_key("") {
            if extra.unloaded.contains("_index.md") {
                // The root index exists but did not load (its own error says why): there is
                // no tree to build, but the links can still be checked. The caller holds that
                // error, so this `Err` may be empty.
                let site = Site {
                    pages,
                    rendered,
                    sections,
                    order: Vec::new(),
                    position: Vec::new(),
                    rank: Vec::new(),
                    default_lang: None,
                };
                return Err(site.check_links(extra));
            }
            return Err(vec![Diagnostic::error("content/_index.md", "the content folder has no `_index.md`")
                .help("add `_index.md` with a `title` at the top of the content folder; it becomes index.html")]);
        }
        for (i, p) in pages.iter().enumerate() {
            let (parent, child) = match p.kind {
                Kind::Page => (Some(p.dir.as_str()), Child::Page(i)),
                Kind::Section => (parent_dir(&p.dir), Child::Section(p.dir.clone())),
            };
            if let Some(s) = parent.and_then(|d| sections.get_mut(d)) {
                s.children.push(child);
            }
        }
        let key = |c: &Child| {
            let p = match c {
                Child::Page(i) => &pages[*i],
                Child::Section(d) => &pages[sections[d].index],
            };
            (
                p.front.weight.is_none(),
                p.front.weight,
                p.title.clone(),
                p.source.clone(),
            )
        };
        let sorted: Vec<(String, Vec<Child>)> = sections
            .iter()
            .map(|(d, s)| {
                let mut children = s.children.clone();
                children.sort_by_cached_key(key);
                (d.clone(), children)
            })
            .collect();
        for (d, children) in sorted {
            if let Some(s) = sections.get_mut(&d) {
                s.children = children;
            }
        }
        let mut order = Vec::with_capacity(pages.len());
        walk_order(&sections, "", &mut order);
        let mut position = vec![usize::MAX; pages.len()];
        for (pos, &i) in order.iter().enumerate() {
            position[i] = pos;
        }
        let mut rank = vec![0; pages.len()];
        for s in sections.values() {
            for (r, c) in s.children.iter().enumerate() {
                match c {
                    Child::Page(i) => rank[*i] = r,
                    Child::Section(d) => rank[sections[d].index] = r,
                }
            }
        }
        let site = Site {
            pages,
            rendered,
            sections,
            order,
            position,
            rank,
            default_lang: None,
        };
        let errors = site.check_links(extra);
        if errors.is_empty() {
            Ok(site)
        } else {
            Err(errors)
        }
    }

    fn check_links(&self, extra: &ExtraLinks<'_>) -> Vec<Diagnostic> {
        let by_source: HashMap<&str, usize> = self
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.source.as_str(), i))
            .collect();
        let outputs: std::collections::HashSet<&str> =
            self.pages.iter().map(|p| p.output.as_str()).collect();
        let unloaded_dirs: std::collections::HashSet<&str> =
            extra.unloaded.iter().map(|s| dir_of(s)).collect();
        let mut errors = Vec::new();
        let anchor_error = |target: usize, anchor: &str| -> Option<(String, String)> {
            let ids = &self.rendered[target].ids;
            if ids.contains(anchor) || ids.contains(percent_decode(anchor).as_str()) {
                return None;
            }
            let mut known: Vec<&str> = ids.iter().map(String::as_str).collect();
            known.sort_unstable();
            let help = if known.is_empty() {
                format!(
                    "`{}` has no headings; link to the page without `#…`",
                    self.pages[target].file.display()
                )
            } else {
                let list: Vec<String> = known.iter().take(12).map(|k| format!("`{k}`")).collect();
                format!(
                    "the ids in `{}` are {}",
                    self.pages[target].file.display(),
                    list.join(", ")
                )
            };
            Some((
                format!(
                    "`{}` has no heading with id `{anchor}`",
                    self.pages[target].file.display()
                ),
                help,
            ))
        };
        for (i, page) in self.pages.iter().enumerate() {
            // Indexed on the page's first broken link: each one then takes its line at once.
            let mut lines = None;
            for link in &self.rendered[i].links {
                let problem = match &link.target {
                    LinkTarget::Page(src) => match (by_source.get(src.as_str()), &link.anchor) {
                        (Some(&t), Some(a)) => anchor_error(t, a),
                        _ => None,
                    },
                    LinkTarget::MissingPage(Some(p)) if extra.unloaded.contains(p) => None,
                    LinkTarget::MissingPage(Some(p)) => Some((
                        format!("there is no page `content/{p}`"),
                        "fix the path (it is relative to this file) or create the page; drafts only exist with `--drafts`".to_owned(),
                    )),
                    LinkTarget::Image(None) => Some((
                        "it points outside the site".to_owned(),
                        "an image must be a file of the site: put it in the static folder and write its path relative to this page's output, e.g. `../images/x.png`".to_owned(),
                    )),
                    LinkTarget::Image(Some(f)) => (!extra.files.contains(f) && !outputs.contains(f.as_str())).then(|| {
                        (
                            format!("no file `{f}` is generated"),
                            format!("put the image in the static folder as `{f}`, or fix the path (it is relative to this page's output)"),
                        )
                    }),
                    LinkTarget::MissingPage(None) | LinkTarget::File(None) => Some((
                        "it points outside the site".to_owned(),
                        "remove the extra `../`".to_owned(),
                    )),
                    // An unloaded page's output is somewhere in its own folder (a slug has no
                    // `/`), under a name its front matter may have chosen.
                    LinkTarget::File(Some(f)) if f.ends_with(".html") && unloaded_dirs.contains(dir_of(f)) => None,
                    LinkTarget::File(Some(f)) => (!extra.files.contains(f) && !outputs.contains(f.as_str())).then(|| {
                        (
                            format!("no file `{f}` is generated"),
                            "link to a page's `.md` file, or put the file in the static folder".to_owned(),
                        )
                    }),
                };
                if let Some((why, help)) = problem {
                    let what = match link.target {
                        LinkTarget::Image(_) => "broken image",
                        _ => "broken link",
                    };
                    errors.push(
                        Diagnostic::error(&page.file, format!("{what} `{}`: {why}", link.href))
                            .at(link.line, None)
                            .help(help)
                            .with_source_in(
                                lines.get_or_insert_with(|| SourceLines::new(&page.raw)),
                            ),
                    );
                }
            }
        }
        for (file, href, line) in &extra.rules {
            let (path, anchor) = match href.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (href.as_str(), None),
            };
            let problem = match by_source.get(path) {
                None if extra.unloaded.contains(path) => None,
                None => Some((
                    format!("there is no page `content/{path}`"),
                    "write the target as a path inside the content folder, e.g. `guides/renewal.md#anchor`".to_owned(),
                )),
                Some(&t) => anchor.and_then(|a| anchor_error(t, a)),
            };
            if let Some((why, help)) = problem {
                errors.push(
                    Diagnostic::error(file, format!("broken link `{href}`: {why}"))
                        .at(*line, None)
                        .help(help),
                );
            }
        }
        errors
    }

    /// Names the default language, so that navigation entries of fallback pages (shown in that
    /// language in another edition) carry it as their `lang`.
    pub fn set_default_language(&mut self, lang: &str) {
        self.default_lang = Some(lang.to_owned());
    }

    /// The `lang` of a navigation entry for page `i`: the default language for a fallback page.
    pub fn title_lang(&self, i: usize) -> Option<String> {
        self.pages[i]
            .fallback
            .then(|| self.default_lang.clone())
            .flatten()
    }

    fn link(&self, from: &str, to: usize) -> NavLink {
        NavLink {
            title: self.pages[to].title.clone(),
            url: relative_url(from, &self.pages[to].output),
            lang: self.title_lang(to),
        }
    }

    /// Previous page in reading order.
    pub fn prev(&self, i: usize) -> Option<NavLink> {
        let pos = self.position[i];
        (pos > 0).then(|| self.link(&self.pages[i].output, self.order[pos - 1]))
    }

    /// Next page in reading order.
    pub fn next(&self, i: usize) -> Option<NavLink> {
        let pos = self.position[i];
        self.order
            .get(pos + 1)
            .map(|&n| self.link(&self.pages[i].output, n))
    }

    /// Folders from the root down to the folder that contains page `i` (for a section index,
    /// down to its own folder).
    fn ancestors(&self, i: usize) -> Vec<&str> {
        let mut dirs = Vec::new();
        let mut dir = Some(self.pages[i].dir.as_str());
        while let Some(d) = dir {
            dirs.push(d);
            dir = parent_dir(d);
        }
        dirs.reverse();
        dirs
    }

    /// Section index pages from the root to the parent of page `i`.
    pub fn breadcrumbs(&self, i: usize) -> Vec<NavLink> {
        let from = &self.pages[i].output;
        self.ancestors(i)
            .into_iter()
            .filter_map(|d| self.sections.get(d).map(|s| s.index))
            .filter(|&idx| idx != i)
            .map(|idx| self.link(from, idx))
            .collect()
    }

    /// The top level of the sidebar only, with URLs relative to `from` (for 404.html).
    pub fn sidebar(&self, from: &str) -> Vec<NavItem> {
        self.nav_children("", from, &[], 0)
    }

    /// Which of its folder's sidebars page `i` shows: the window of [`SIDEBAR_WINDOW`] entries
    /// of its section that holds its own entry (0 for a section's index page, which sits before
    /// its children). Pages in the same folder and window share one sidebar.
    pub fn sidebar_window(&self, i: usize) -> usize {
        match self.pages[i].kind {
            Kind::Section => 0,
            Kind::Page => self.rank.get(i).map_or(0, |r| r / SIDEBAR_WINDOW),
        }
    }

    /// How many windows the sidebar of folder `dir` has (one per [`SIDEBAR_WINDOW`] children).
    pub fn sidebar_windows(&self, dir: &str) -> usize {
        self.sections
            .get(dir)
            .map_or(1, |s| s.children.len().div_ceil(SIDEBAR_WINDOW).max(1))
    }

    /// The sidebar shared by the pages whose file sits in folder `dir` (the section's pages and
    /// its index) and whose entry is in window `window` of the section (see
    /// [`Site::sidebar_window`]): same expanded branch, same entries, same relative URLs. It
    /// marks no entry current: each page's own link is marked after rendering (see
    /// `render::Sidebar`).
    ///
    /// A section of more than [`SIDEBAR_WINDOW`] entries shows one window of them, with an entry
    /// at either end that stands for the entries left out and links to the section's index
    /// page (which lists them all), so a page's sidebar stays the same size however large its
    /// section grows: the site's output grows linearly with its pages, not quadratically.
    pub fn sidebar_for_dir(&self, dir: &str, window: usize) -> Vec<NavItem> {
        let Some(section) = self.sections.get(dir) else {
            return Vec::new();
        };
        let index = section.index;
        let expanded = self.ancestors(index);
        self.nav_children("", &self.pages[index].output, &expanded, window)
    }

    /// The entries of section `dir`. `expanded`: the folders from the root to the sidebar's
    /// own, whose children are shown; in each, the window holding the next folder on the way,
    /// and in the last one, window `window`.
    fn nav_children(
        &self,
        dir: &str,
        from: &str,
        expanded: &[&str],
        window: usize,
    ) -> Vec<NavItem> {
        let Some(section) = self.sections.get(dir) else {
            return Vec::new();
        };
        let children = &section.children;
        let shown = if children.len() <= SIDEBAR_WINDOW {
            0..children.len()
        } else {
            let w = children
                .iter()
                .position(|c| matches!(c, Child::Section(d) if d != dir && expanded.contains(&d.as_str())))
                .map_or(window, |r| r / SIDEBAR_WINDOW);
            let start = (w * SIDEBAR_WINDOW).min(children.len());
            start..(start + SIDEBAR_WINDOW).min(children.len())
        };
        let more = |n: usize| NavItem {
            more: n,
            ..self.nav_entry(section.index, from, true)
        };
        let mut items = Vec::with_capacity(shown.len() + 2);
        if shown.start > 0 {
            items.push(more(shown.start));
        }
        for c in &children[shown.clone()] {
            items.push(match c {
                Child::Page(p) => self.nav_entry(*p, from, false),
                Child::Section(d) => {
                    let s = &self.sections[d];
                    let open = expanded.contains(&d.as_str());
                    NavItem {
                        active: open,
                        collapsed: !open && !s.children.is_empty(),
                        children: if open {
                            self.nav_children(d, from, expanded, window)
                        } else {
                            Vec::new()
                        },
                        ..self.nav_entry(s.index, from, true)
                    }
                }
            });
        }
        if shown.end < children.len() {
            items.push(more(children.len() - shown.end));
        }
        items
    }

    /// A closed sidebar entry for page `p`.
    fn nav_entry(&self, p: usize, from: &str, is_section: bool) -> NavItem {
        NavItem {
            title: self.pages[p].title.clone(),
            url: relative_url(from, &self.pages[p].output),
            output: self.pages[p].output.clone(),
            is_section,
            active: false,
            collapsed: false,
            children: Vec::new(),
            lang: self.title_lang(p),
            more: 0,
        }
    }

    /// A section page's listing of its direct children.
    pub fn listing(&self, i: usize) -> Vec<ListingEntry> {
        let page = &self.pages[i];
        let Some(section) = (page.kind == Kind::Section)
            .then(|| self.sections.get(&page.dir))
            .flatten()
        else {
            return Vec::new();
        };
        section
            .children
            .iter()
            .map(|c| {
                let (idx, is_section) = match c {
                    Child::Page(p) => (*p, false),
                    Child::Section(d) => (self.sections[d].index, true),
                };
                let p = &self.pages[idx];
                ListingEntry {
                    title: p.title.clone(),
                    url: relative_url(&page.output, &p.output),
                    description: p.front.description.clone(),
                    is_section,
                    lang: self.title_lang(idx),
                }
            })
            .collect()
    }
}

fn walk_order(sections: &BTreeMap<String, Section>, dir: &str, order: &mut Vec<usize>) {
    let Some(s) = sections.get(dir) else { return };
    order.push(s.index);
    for c in &s.children {
        match c {
            Child::Page(i) => order.push(*i),
            Child::Section(d) => walk_order(sections, d, order),
        }
    }
}
