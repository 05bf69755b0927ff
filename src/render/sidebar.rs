//! The sidebar: rendered once per content folder and shared by that folder's pages, with each
//! page's own link marked `aria-current="page"` from the site model.
//!
//! The contract with the theme: `partials/sidebar.html` writes every entry's link as
//! `<a href="{{ item.url }}" data-nav="{{ item.output }}">`. When a folder's sidebar is rendered,
//! [`Sidebar::extract`] takes every `data-nav` marker out (the pages never carry it) and records,
//! per entry, the byte position where `aria-current="page"` goes; [`Sidebar::for_page`] then
//! inserts it at the current page's position(s). A page that is not in the sidebar gets none. A
//! partial that links to entries without any marker, or writes a malformed one, is a build error
//! naming the partial and what to write.
#![allow(clippy::result_large_err)]

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::templates::tera_chain;
use super::Templates;
use crate::diagnostic::{collect_all, Diagnostic};
use crate::html::decode_entities;
use crate::paths::root_prefix;
use crate::site::{NavItem, Site};

/// The sidebar partial; every entry's link carries `data-nav="{{ item.output }}"` (see the
/// module documentation).
pub const SIDEBAR_TEMPLATE: &str = "partials/sidebar.html";

/// The marker attribute, without its leading space and value.
const MARKER: &str = "data-nav=\"";

/// What the current page's link gets, where its marker was.
const CURRENT: &str = " aria-current=\"page\"";

/// What the help of every marker error says to write.
const WRITE: &str = "write each sidebar link as `<a href=\"{{ item.url }}\" data-nav=\"{{ item.output }}\">`: the generator removes `data-nav` and marks the current page's link `aria-current=\"page\"`";

/// One folder's rendered sidebar, its markers taken out.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sidebar {
    /// The partial's output without the markers.
    html: String,
    /// (entry's output path, byte offset in `html` where its `aria-current` goes), sorted; an
    /// entry the partial links twice has two.
    marks: Vec<(String, usize)>,
}

/// A sidebar partial whose markers the generator cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkerError {
    /// The partial links to entries but marks none of them.
    Missing,
    /// A `data-nav="` with no closing quote before the tag ends.
    Unclosed,
    /// A marker whose value is not the output path of an entry (e.g. the URL instead).
    Unknown(String),
    /// A marker on an element other than a link (the tag's name).
    NotOnLink(String),
}

impl MarkerError {
    fn diagnostic(&self, templates: &Templates) -> Diagnostic {
        let message = match self {
            Self::Missing => "the sidebar links to pages but marks none of its links with `data-nav`, so no page's own link can be marked `aria-current=\"page\"`".to_owned(),
            Self::Unclosed => "a `data-nav=\"…` marker in the sidebar has no closing quote".to_owned(),
            Self::Unknown(v) => format!(
                "the sidebar marker `data-nav=\"{v}\"` names no sidebar entry: its value must be the entry's `item.output`, not its URL"
            ),
            Self::NotOnLink(tag) => format!(
                "the sidebar marker `data-nav` is on a `<{tag}>` element: it belongs on the entry's `<a>` link"
            ),
        };
        Diagnostic::error(templates.dir.join(SIDEBAR_TEMPLATE), message).help(WRITE)
    }
}

impl Sidebar {
    /// Takes the markers out of a rendered partial. `entries`: the output paths of the tree it
    /// was rendered from (every marker must name one of them).
    pub fn extract(rendered: &str, entries: &HashSet<&str>) -> Result<Self, MarkerError> {
        let mut html = String::with_capacity(rendered.len());
        let mut marks = Vec::new();
        let (mut copied, mut search) = (0, 0);
        while let Some(found) = rendered[search..].find(MARKER) {
            let at = search + found;
            search = at + MARKER.len();
            // Only an attribute of its own (`x-data-nav="` is someone else's).
            if !rendered[..at].ends_with(|c: char| c.is_ascii_whitespace()) {
                continue;
            }
            let start = at - 1;
            let value_start = at + MARKER.len();
            let value_len = rendered[value_start..]
                .find(['"', '<', '>'])
                .filter(|&n| rendered[value_start + n..].starts_with('"'))
                .ok_or(MarkerError::Unclosed)?;
            let value = decode_entities(&rendered[value_start..value_start + value_len]);
            let tag = tag_name(&rendered[..start]);
            if !tag.eq_ignore_ascii_case("a") {
                return Err(MarkerError::NotOnLink(tag.to_owned()));
            }
            if !entries.contains(value.as_str()) {
                return Err(MarkerError::Unknown(value));
            }
            html.push_str(&rendered[copied..start]);
            marks.push((value, html.len()));
            copied = value_start + value_len + 1;
            search = copied;
        }
        html.push_str(&rendered[copied..]);
        if marks.is_empty() && !entries.is_empty() && html.contains("href=") {
            return Err(MarkerError::Missing);
        }
        marks.sort_unstable();
        Ok(Self { html, marks })
    }

    /// The sidebar as no page's own (the 404 page's).
    pub fn html(&self) -> &str {
        &self.html
    }

    /// The sidebar for the page written to `output`: its own link(s) marked
    /// `aria-current="page"`; unchanged when the page is not in it.
    pub fn for_page(&self, output: &str) -> String {
        let from = self.marks.partition_point(|(o, _)| o.as_str() < output);
        let n = self.marks[from..].partition_point(|(o, _)| o == output);
        let mut s = String::with_capacity(self.html.len() + n * CURRENT.len());
        let mut copied = 0;
        for (_, at) in &self.marks[from..from + n] {
            s.push_str(&self.html[copied..*at]);
            s.push_str(CURRENT);
            copied = *at;
        }
        s.push_str(&self.html[copied..]);
        s
    }
}

/// The name of the tag that is open at the end of `before` (`""` outside any tag).
fn tag_name(before: &str) -> &str {
    match before.rfind(['<', '>']) {
        Some(lt) if before[lt..].starts_with('<') => {
            let tag = &before[lt + 1..];
            let end = tag
                .find(|c: char| c.is_ascii_whitespace() || c == '/')
                .unwrap_or(tag.len());
            &tag[..end]
        }
        _ => "",
    }
}

fn outputs_of<'a>(items: &'a [NavItem], into: &mut HashSet<&'a str>) {
    for item in items {
        into.insert(&item.output);
        outputs_of(&item.children, into);
    }
}

/// Renders the sidebar partial for `items` and takes its markers out. `t`: the edition's
/// string table (the partial words the entries that stand for entries left out with it).
pub(super) fn render_sidebar(
    templates: &Templates,
    items: &[NavItem],
    root: &str,
    t: &serde_json::Value,
) -> Result<Sidebar, Diagnostic> {
    let mut cx = tera::Context::new();
    cx.insert("sidebar", items);
    cx.insert("root", root);
    cx.insert("t", t);
    let html = templates.tera.render(SIDEBAR_TEMPLATE, &cx).map_err(|e| {
        Diagnostic::error(
            templates.dir.join(SIDEBAR_TEMPLATE),
            format!("cannot render the sidebar: {}", tera_chain(&e)),
        )
        .help("fix the template")
    })?;
    let mut entries = HashSet::new();
    outputs_of(items, &mut entries);
    Sidebar::extract(&html, &entries).map_err(|e| e.diagnostic(templates))
}

/// A page's sidebar: its content folder and its window there ([`Site::sidebar_window`]).
pub type SidebarKey = (String, usize);

/// Renders the sidebar once per content folder and window, in parallel. Every page in a folder
/// whose entry is in the same window shares the same expanded branch, entries and relative
/// URLs, so a site renders the partial once per section (once per [`crate::site::SIDEBAR_WINDOW`]
/// entries of a large one) instead of once per page; each page then only marks its own link
/// ([`Sidebar::for_page`]).
pub fn render_sidebars(
    site: &Site,
    templates: &Templates,
    t: &serde_json::Value,
) -> Result<HashMap<SidebarKey, Sidebar>, Vec<Diagnostic>> {
    let keys: Vec<(&String, usize)> = site
        .sections
        .keys()
        .flat_map(|dir| (0..site.sidebar_windows(dir)).map(move |w| (dir, w)))
        .collect();
    let results: Vec<Result<(SidebarKey, Sidebar), [Diagnostic; 1]>> = keys
        .par_iter()
        .map(|&(dir, window)| {
            let root = root_prefix(&site.pages[site.sections[dir].index].output);
            render_sidebar(templates, &site.sidebar_for_dir(dir, window), &root, t)
                .map(|h| ((dir.clone(), window), h))
                .map_err(|d| [d])
        })
        .collect();
    collect_all(results)
        .map(|v| v.into_iter().collect())
        // One broken partial fails every folder's sidebar, mostly the same way: report the first
        // folder's problem (in folder order), and how many more fail.
        .map_err(|mut e| {
            e.dedup();
            let more = e.len().saturating_sub(1);
            e.truncate(1);
            match e.pop() {
                Some(d) if more > 0 => {
                    let help = d.help.clone().unwrap_or_default();
                    vec![d.help(format!(
                        "{help} (the sidebars of {more} more folders fail too)"
                    ))]
                }
                d => d.into_iter().collect(),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries<'a>(outputs: &[&'a str]) -> HashSet<&'a str> {
        outputs.iter().copied().collect()
    }

    fn extract(html: &str, outputs: &[&str]) -> Sidebar {
        match Sidebar::extract(html, &entries(outputs)) {
            Ok(s) => s,
            Err(e) => panic!("markers not taken out of {html:?}: {e:?}"),
        }
    }

    const TREE: &str = concat!(
        r#"<ul><li><a href="../index.html" data-nav="index.html">首页</a></li>"#,
        r#"<li class="active"><a href="index.html" data-nav="guides/index.html">指南</a><ul>"#,
        r#"<li><a href="a.html" data-nav="guides/a.html">A</a></li>"#,
        r#"<li><a href="b.html" data-nav="guides/b.html">B</a></li></ul></li>"#,
        r#"<li><a href="../z.html" data-nav="z.html">Z</a></li></ul>"#
    );
    const OUTPUTS: [&str; 5] = [
        "index.html",
        "guides/index.html",
        "guides/a.html",
        "guides/b.html",
        "z.html",
    ];

    #[test]
    fn markers_are_taken_out_and_no_page_carries_them() {
        let s = extract(TREE, &OUTPUTS);
        assert!(!s.html().contains("data-nav"), "{}", s.html());
        assert_eq!(
            s.html(),
            TREE.replace(r#" data-nav="index.html""#, "")
                .replace(r#" data-nav="guides/index.html""#, "")
                .replace(r#" data-nav="guides/a.html""#, "")
                .replace(r#" data-nav="guides/b.html""#, "")
                .replace(r#" data-nav="z.html""#, "")
        );
        for o in OUTPUTS {
            assert!(!s.for_page(o).contains("data-nav"));
        }
    }

    #[test]
    fn first_last_and_nested_entries_are_marked_at_their_own_link() {
        let s = extract(TREE, &OUTPUTS);
        let first = s.for_page("index.html");
        assert!(first.starts_with(
            r#"<ul><li><a href="../index.html" aria-current="page">首页</a></li><li class="active"><a href="index.html">指南</a>"#
        ), "{first}");
        let last = s.for_page("z.html");
        assert!(
            last.ends_with(r#"<li><a href="../z.html" aria-current="page">Z</a></li></ul>"#),
            "{last}"
        );
        let nested = s.for_page("guides/b.html");
        assert!(
            nested.contains(r#"<a href="b.html" aria-current="page">B</a>"#),
            "{nested}"
        );
        let section = s.for_page("guides/index.html");
        assert!(
            section.contains(r#"<a href="index.html" aria-current="page">指南</a>"#),
            "{section}"
        );
        for o in OUTPUTS {
            assert_eq!(s.for_page(o).matches("aria-current").count(), 1, "{o}");
        }
    }

    #[test]
    fn a_page_not_in_the_sidebar_gets_no_mark() {
        let s = extract(TREE, &OUTPUTS);
        assert_eq!(s.for_page("guides/c.html"), s.html());
        // Between two entries' outputs in sort order, and past the last one.
        assert_eq!(s.for_page("guides/aa.html"), s.html());
        assert_eq!(s.for_page("zz.html"), s.html());
        assert_eq!(s.for_page(""), s.html());
    }

    #[test]
    fn chinese_and_escaped_outputs_are_matched_by_their_decoded_value() {
        // Tera escapes `&`, `'` and `"` in the marker's value; Chinese text stays as it is.
        let html = concat!(
            r#"<a href="%E5%A4%87%E6%A1%88.html" data-nav="指南/备案.html">备案</a>"#,
            r#"<a href="q&amp;a.html" data-nav="指南/q&amp;a.html">Q&amp;A</a>"#,
            r#"<a href="it&#x27;s.html" data-nav="指南/it&#x27;s.html">It's</a>"#
        );
        let outputs = ["指南/备案.html", "指南/q&a.html", "指南/it's.html"];
        let s = extract(html, &outputs);
        assert_eq!(
            s.for_page("指南/q&a.html"),
            concat!(
                r#"<a href="%E5%A4%87%E6%A1%88.html">备案</a>"#,
                r#"<a href="q&amp;a.html" aria-current="page">Q&amp;A</a>"#,
                r#"<a href="it&#x27;s.html">It's</a>"#
            )
        );
        assert!(s
            .for_page("指南/备案.html")
            .starts_with(r#"<a href="%E5%A4%87%E6%A1%88.html" aria-current="page">备案</a>"#));
        assert!(s
            .for_page("指南/it's.html")
            .ends_with(r#"<a href="it&#x27;s.html" aria-current="page">It's</a>"#));
        // The escaped form is not an output: it matches nothing.
        assert_eq!(s.for_page("指南/q&amp;a.html"), s.html());
    }

    #[test]
    fn a_page_linked_twice_is_marked_at_both_links() {
        let html = concat!(
            r#"<nav><a href="a.html" data-nav="a.html">A</a><a href="b.html" data-nav="b.html">B</a></nav>"#,
            r#"<nav><a href="a.html" data-nav="a.html">A</a></nav>"#
        );
        let s = extract(html, &["a.html", "b.html"]);
        assert_eq!(
            s.for_page("a.html"),
            concat!(
                r#"<nav><a href="a.html" aria-current="page">A</a><a href="b.html">B</a></nav>"#,
                r#"<nav><a href="a.html" aria-current="page">A</a></nav>"#
            )
        );
        assert_eq!(s.for_page("b.html").matches("aria-current").count(), 1);
    }

    #[test]
    fn a_marker_anywhere_in_the_link_tag_works_and_lookalikes_are_left_alone() {
        let html = concat!(
            "<a\n  data-nav=\"a.html\" href=\"a.html\">A</a>",
            r#"<a href="b.html" x-data-nav="b.html" data-nav="b.html">B</a>"#
        );
        let s = extract(html, &["a.html", "b.html"]);
        assert_eq!(
            s.for_page("a.html"),
            concat!(
                "<a\n  aria-current=\"page\" href=\"a.html\">A</a>",
                r#"<a href="b.html" x-data-nav="b.html">B</a>"#
            )
        );
        assert!(s
            .for_page("b.html")
            .ends_with(r#"x-data-nav="b.html" aria-current="page">B</a>"#));
    }

    #[test]
    fn a_partial_without_markers_is_refused_unless_it_links_nothing() {
        let plain = r#"<ul><li><a href="a.html">A</a></li></ul>"#;
        assert_eq!(
            Sidebar::extract(plain, &entries(&["a.html"])),
            Err(MarkerError::Missing)
        );
        // A theme without a sidebar, or an empty tree, has nothing to mark.
        assert_eq!(extract("<ul></ul>", &["a.html"]).html(), "<ul></ul>");
        assert_eq!(extract(plain, &[]).for_page("a.html"), plain);
    }

    #[test]
    fn malformed_markers_are_refused_with_what_is_wrong() {
        let outputs = entries(&["a.html"]);
        let err = |html: &str| Sidebar::extract(html, &outputs).err();
        assert_eq!(
            err(r#"<a href="a.html" data-nav="a.html>A</a>"#),
            Some(MarkerError::Unclosed)
        );
        assert_eq!(
            err(r#"<a href="a.html" data-nav="a.html"#),
            Some(MarkerError::Unclosed)
        );
        assert_eq!(
            err(r#"<a href="../a.html" data-nav="../a.html">A</a>"#),
            Some(MarkerError::Unknown("../a.html".to_owned()))
        );
        assert_eq!(
            err(r#"<li data-nav="a.html"><a href="a.html">A</a></li>"#),
            Some(MarkerError::NotOnLink("li".to_owned()))
        );
        assert_eq!(
            err(r#"<a href="a.html">A</a> data-nav="a.html""#),
            Some(MarkerError::NotOnLink(String::new()))
        );
    }
}
