//! The print edition: every page in reading order without navigation, one file per top-level
//! section on a large site.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::templates::render_bytes;
use super::{date, PageSink, Shared, SiteContext, Templates};
use crate::diagnostic::{collect_all, Diagnostic};
use crate::load::{Kind, Page, Source};
use crate::markdown::{PrintEditKind, Rendered};
use crate::site::Site;

/// The template that renders the print edition; a theme without it gets no `print.html`.
pub const PRINT_TEMPLATE: &str = "print.html";

/// The fragment id a page gets inside `print.html` (`guides/renewal.html` → `p-guides-renewal`):
/// letters, digits, `-` and `_` are kept, `/` and `.` become `-`, and every other character is
/// written as `~XX` per UTF-8 byte, so the id is safe in any attribute and any URL fragment.
pub fn print_anchor(output: &str) -> String {
    let stem = output.strip_suffix(".html").unwrap_or(output);
    let mut id = String::from("p-");
    for c in stem.chars() {
        match c {
            '/' | '.' => id.push('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => id.push(c),
            c => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    id.push_str(&format!("~{b:02X}"));
                }
            }
        }
    }
    id
}

/// One page's HTML for the print edition: the page's own HTML with the edits its Markdown
/// rendering noted ([`Rendered::print_edits`]) applied in one pass. Heading and footnote ids get
/// the page's anchor as a prefix so pages cannot collide, links to pages become fragments of
/// the print edition that holds them, links to files are made from the site root, embedded
/// checker widgets give way to a note (their live form cannot print; the rules table is
/// printed once at the end) and task-list boxes become glyphs (a paper checklist needs a box,
/// not a form control).
fn print_html_for(
    rendered: &Rendered,
    output: &str,
    anchors: &HashMap<&str, String>,
    links: &EditionLinks<'_>,
    checker_note: &str,
) -> String {
    let html = rendered.html.as_str();
    let own = anchors
        .get(output)
        .cloned()
        .unwrap_or_else(|| print_anchor(output));
    // A page shown in another edition's folder with the default edition's rendering (see
    // `Rendered::portable`): its targets are in the default edition's folder.
    let shift = match rendered.output.as_str() {
        "" => "",
        at => output.strip_suffix(at).unwrap_or_default(),
    };
    let mut shifted = String::new();
    let mut out = String::with_capacity(html.len() + 32 * rendered.print_edits.len());
    let mut pos = 0;
    for edit in &rendered.print_edits {
        let (start, end) = (edit.start as usize, edit.end as usize);
        // The edits are in order and fall on character boundaries (`markdown/print_marks.rs` notes them so).
        let Some(before) = html.get(pos..start) else {
            continue;
        };
        out.push_str(before);
        match &edit.kind {
            PrintEditKind::Local => {
                out.push_str(&own);
                out.push_str("--");
            }
            PrintEditKind::Site { suffix, .. } => {
                let mut target = rendered.print_target(&edit.kind);
                if !shift.is_empty() {
                    shifted.clear();
                    shifted.push_str(shift);
                    shifted.push_str(target);
                    target = &shifted;
                }
                let suffix = html.get(*suffix as usize..end).unwrap_or_default();
                match anchors.get(target) {
                    Some(anchor) if !suffix.starts_with('?') => {
                        out.push_str(&links.prefix(target));
                        out.push('#');
                        out.push_str(anchor);
                        if let Some(fragment) = suffix.strip_prefix('#') {
                            out.push_str("--");
                            out.push_str(fragment);
                        }
                    }
                    _ => {
                        out.push_str(links.root);
                        out.push_str(&crate::paths::encode_path(target));
                        out.push_str(suffix);
                    }
                }
            }
            PrintEditKind::Widget => out.push_str(checker_note),
            PrintEditKind::TaskBox { checked } => out.push_str(match checked {
                true => "<span class=\"task-box\" aria-hidden=\"true\">☑</span>",
                false => "<span class=\"task-box\" aria-hidden=\"true\">☐</span>",
            }),
        }
        pos = end;
    }
    out.push_str(html.get(pos..).unwrap_or_default());
    out
}

/// A site with more pages than this gets one print edition per top-level section
/// (`print-<section>.html`, the home page and top-level pages staying in `print.html`): a
/// single edition of 10,000 pages is a file of about 35 MB that no browser prints, and the
/// largest thing the build would hold in memory.
pub const PRINT_SPLIT_PAGES: usize = 1500;

/// The print edition that prints a page in content folder `dir`, on a site of `total` pages.
pub fn print_output_for(dir: &str, total: usize) -> String {
    match dir.split('/').next() {
        Some(top) if total > PRINT_SPLIT_PAGES && !top.is_empty() => format!("print-{top}.html"),
        _ => PRINT_TEMPLATE.to_owned(),
    }
}

/// Every print edition a site of these pages gets (for the output-clash check).
pub fn print_outputs(pages: &[Page]) -> std::collections::BTreeSet<String> {
    pages
        .iter()
        .map(|p| print_output_for(&p.dir, pages.len()))
        .collect()
}

/// Where a link to another page goes in a split print edition: the edition holding it.
#[derive(Debug)]
pub struct EditionLinks<'a> {
    /// The edition being rendered.
    pub own: &'a str,
    /// Each page's edition (empty when the site has one edition).
    pub of: &'a HashMap<&'a str, &'a str>,
    /// Prefix from the print file back to the site root (`""`, or `"../"` for `en/print.html`):
    /// links to files are made from the site root.
    pub root: &'a str,
}

impl EditionLinks<'_> {
    /// `""` for a page in the same edition, else the other edition's encoded file name.
    fn prefix(&self, target: &str) -> String {
        match self.of.get(target) {
            Some(e) if *e != self.own => crate::paths::encode_path(e),
            _ => String::new(),
        }
    }
}

/// One page inside `print.html`.
#[derive(Debug, Serialize)]
pub struct PrintEntry<'a> {
    /// Page title.
    pub title: &'a str,
    /// Its fragment id in the print edition.
    pub anchor: String,
    /// `section` or `page`.
    pub kind: Kind,
    /// Nesting depth (0 for the home page).
    pub depth: usize,
    /// Absolute URL of the online page, when `base-url` is set.
    pub permalink: Option<String>,
    /// Rewritten HTML body (mark it `| safe`).
    pub content: String,
    /// First publication.
    pub date: Option<String>,
    /// Last change.
    pub updated: Option<String>,
    /// Last fact check.
    pub reviewed: Option<String>,
    /// Cited sources.
    pub sources: &'a [Source],
    /// The page is the checker's own page (the template adds the rules table there).
    pub is_checker: bool,
    /// The page's language when it differs from the edition's (a fallback page).
    pub lang: Option<String>,
}

/// The print edition's own `page` in its template.
#[derive(Debug, Serialize)]
pub struct PrintPage<'a> {
    /// Its title.
    pub title: &'a str,
    /// `print.html`.
    pub path: &'a str,
    /// Absolute URL, when `base-url` is set.
    pub permalink: Option<String>,
}

/// One print edition, in the list each edition of a split site shows.
#[derive(Debug, Clone, Serialize)]
pub struct EditionView {
    /// The section's title (the site's for `print.html`).
    pub title: String,
    /// Its file, encoded, relative to the site root (where every edition sits).
    pub url: String,
    /// Whether it is the edition being shown.
    pub current: bool,
}

/// Everything `print.html` gets.
#[derive(Debug, Serialize)]
pub struct PrintContext<'a> {
    /// Site-wide values.
    pub site: &'a SiteContext,
    /// The print edition itself.
    pub page: PrintPage<'a>,
    /// Always `""`: the print edition sits at the site root.
    pub root: &'a str,
    /// Every page of this edition, in reading order.
    pub entries: Vec<PrintEntry<'a>>,
    /// Every edition when the site is split per section (empty for a single edition).
    pub editions: Vec<EditionView>,
    /// The theme's strings in the edition's language.
    pub t: &'a serde_json::Value,
    /// The edition's language and folder.
    pub lang: &'a crate::i18n::LangView,
    /// The checker's template context (null without a checker), for the rules table.
    pub checker: &'a serde_json::Value,
}

/// Renders the print edition (every page in reading order, no navigation) when the theme has
/// `print.html`, one edition per top-level section above [`PRINT_SPLIT_PAGES`] pages; each
/// edition goes to `sink` as soon as it is rendered (in parallel), so only a few are held at once.
/// Returns the number of editions written (0 without the template).
pub fn render_print(
    site: &Site,
    templates: &Templates,
    shared: &Shared<'_>,
    sink: &PageSink<'_>,
) -> Result<usize, Diagnostic> {
    if !templates.has(PRINT_TEMPLATE) {
        return Ok(0);
    }
    let total = site.pages.len();
    let edition_of: Vec<String> = site
        .pages
        .iter()
        .map(|p| print_output_for(&p.dir, total))
        .collect();
    let editions = Editions::plan(site, &edition_of, shared);
    let anchors: HashMap<&str, String> = site
        .pages
        .iter()
        .map(|p| (p.output.as_str(), print_anchor(&p.output)))
        .collect();
    // The note is the theme's own HTML (the string table is part of the theme, like templates).
    let checker_note = format!(
        "<p class=\"print-checker-note\">{}</p>",
        shared.edition.text(if shared.checker.is_null() {
            "print.checker-note-plain"
        } else {
            "print.checker-note"
        })
    );
    let prefix = shared.edition.lang.prefix.as_str();
    let root = crate::paths::root_prefix(&format!("{prefix}{PRINT_TEMPLATE}"));
    let results: Vec<Result<(), [Diagnostic; 1]>> = editions
        .list
        .par_iter()
        .enumerate()
        .map(|(k, (name, pages))| {
            let links = EditionLinks {
                own: name,
                of: &editions.of,
                root: &root,
            };
            let entries: Vec<PrintEntry<'_>> = pages
                .iter()
                .map(|&i| print_entry(site, shared, i, &anchors, &links, &checker_note))
                .collect();
            let title = editions.title(k, shared);
            let cx = PrintContext {
                site: &shared.site,
                page: PrintPage {
                    title: &title,
                    path: name,
                    permalink: shared
                        .site
                        .base_url
                        .as_ref()
                        .map(|b| format!("{b}{prefix}{}", crate::paths::encode_path(name))),
                },
                root: &root,
                entries,
                editions: editions.views(k),
                checker: &shared.checker,
                t: &shared.edition.t,
                lang: &shared.edition.lang,
            };
            let html = render_bytes(templates, PRINT_TEMPLATE, &cx, &mut tera::Context::new())
                .map_err(|e| {
                    [Diagnostic::error(
                        templates.dir.join(PRINT_TEMPLATE),
                        format!("cannot render the print edition: {e}"),
                    )
                    .help("fix the template")]
                })?;
            sink(&format!("{prefix}{name}"), &html).map_err(|d| [d])
        })
        .collect();
    collect_all(results)
        .map(|_| editions.list.len())
        .map_err(|mut e| e.swap_remove(0))
}

/// The print files of one site edition and the pages in each.
struct Editions<'s> {
    /// Each print file in reading order of its first page, with its pages' indexes in reading
    /// order.
    list: Vec<(&'s str, Vec<usize>)>,
    /// Each page's print file, by output path (empty when there is one print file).
    of: HashMap<&'s str, &'s str>,
    /// The print files as the template lists them (empty when there is one).
    views: Vec<EditionView>,
}

impl<'s> Editions<'s> {
    /// The print files, from each page's (`edition_of`, by page index).
    fn plan(site: &'s Site, edition_of: &'s [String], shared: &Shared<'_>) -> Self {
        let mut list: Vec<(&str, Vec<usize>)> = Vec::new();
        let mut of: HashMap<&str, &str> = HashMap::new();
        for &i in &site.order {
            let e = edition_of[i].as_str();
            match list.iter_mut().find(|(name, _)| *name == e) {
                Some((_, pages)) => pages.push(i),
                None => list.push((e, vec![i])),
            }
        }
        let split = list.len() > 1;
        if split {
            of = site
                .pages
                .iter()
                .zip(edition_of)
                .map(|(p, e)| (p.output.as_str(), e.as_str()))
                .collect();
        }
        let views = match split {
            true => list
                .iter()
                .map(|(name, pages)| {
                    let first = &site.pages[pages[0]];
                    EditionView {
                        title: match *name == PRINT_TEMPLATE {
                            true => shared.site.title.clone(),
                            false => site
                                .sections
                                .get(first.dir.split('/').next().unwrap_or_default())
                                .map_or_else(
                                    || first.title.clone(),
                                    |s| site.pages[s.index].title.clone(),
                                ),
                        },
                        url: crate::paths::encode_path(name),
                        current: false,
                    }
                })
                .collect(),
            false => Vec::new(),
        };
        Self { list, of, views }
    }

    /// The title of print file `k`: the edition's, with the section's after it when the site
    /// is split.
    fn title(&self, k: usize, shared: &Shared<'_>) -> String {
        let base_title = shared.edition.text("print.title");
        let colon = shared.edition.text("colon");
        match (self.views.get(k), self.list.get(k)) {
            (Some(v), Some((name, _))) if *name != PRINT_TEMPLATE => {
                format!("{base_title}{colon}{}", v.title)
            }
            _ => base_title.to_owned(),
        }
    }

    /// The list of print files with file `k` marked as the one shown.
    fn views(&self, k: usize) -> Vec<EditionView> {
        let mut views = self.views.clone();
        if let Some(v) = views.get_mut(k) {
            v.current = true;
        }
        views
    }
}

/// One page of the print edition, as the template gets it.
fn print_entry<'s>(
    site: &'s Site,
    shared: &Shared<'_>,
    i: usize,
    anchors: &HashMap<&str, String>,
    links: &EditionLinks<'_>,
    checker_note: &str,
) -> PrintEntry<'s> {
    let p = &site.pages[i];
    PrintEntry {
        title: &p.title,
        anchor: print_anchor(&p.output),
        kind: p.kind,
        depth: if p.dir.is_empty() {
            usize::from(p.kind == Kind::Page)
        } else {
            p.dir.split('/').count() + usize::from(p.kind == Kind::Page)
        },
        permalink: shared
            .site
            .public_base_url
            .as_ref()
            .map(|b| format!("{b}{}", crate::paths::encode_path(&p.output))),
        content: print_html_for(&site.rendered[i], &p.output, anchors, links, checker_note),
        date: date(p.front.date),
        updated: date(p.front.updated),
        reviewed: date(p.front.reviewed),
        sources: &p.front.sources,
        is_checker: Templates::template_for(p) == "checker.html",
        lang: site.title_lang(i),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::markdown::{EmbedError, MarkdownContext};

    fn widget(
        _: &serde_json::Map<String, serde_json::Value>,
        n: usize,
        _: &str,
    ) -> Result<String, EmbedError> {
        Ok(format!("<section class=\"checker\" id=\"checker-{n}\"><a href=\"#checker-{n}-rules\">rules</a><form></form></section>\n"))
    }

    /// `body` rendered as the Markdown of `source` on a site of these pages.
    fn rendered(source: &str, body: &str) -> Rendered {
        let outputs: HashMap<String, String> = [
            ("guides/a.md", "guides/a.html"),
            ("guides/b.md", "guides/bee.html"),
            ("reference/b.md", "reference/b.html"),
            ("other/c.md", "other/c.html"),
            ("_index.md", "index.html"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
        let cx = MarkdownContext {
            outputs: &outputs,
            language: "zh-CN",
            embed_checker: &widget,
            embed_chain: None,
            callouts: None,
        };
        let raw = format!("+++\ntitle = \"t\"\n+++\n{body}");
        let page = crate::load::parse_page(
            source.to_owned(),
            std::path::PathBuf::from("content").join(source),
            raw,
        )
        .unwrap();
        crate::markdown::render(&page, &cx).unwrap()
    }

    fn anchors() -> HashMap<&'static str, String> {
        [
            "guides/a.html",
            "guides/bee.html",
            "reference/b.html",
            "other/c.html",
            "index.html",
        ]
        .into_iter()
        .map(|o| (o, print_anchor(o)))
        .collect()
    }

    #[test]
    fn print_rewrites_ids_page_links_files_and_widgets() {
        let anchors = anchors();
        let r = rendered(
            "guides/a.md",
            concat!(
                "## X {#x .wide}\n\n",
                "[self](#x) [b](../reference/b.md#y) [home](../_index.md) [web](https://e.org/#q)\n",
                "[bee](bee.html#后果) [c](../other/c.md#z) [me](a.md)\n\n",
                "| 表 |\n|---|\n| ![p *q*](../files/p&q.png) [n](<../files/n 文.txt#s>) |\n\n",
                "注[^1] 又[^1]\n\n",
                "```checker\naccessStatus = \"cancelled\"\n```\n\n",
                "- [x] 完成\n- [ ] 待办\n\n",
                "`<a href=\"x\"> id=\"y\"`\n\n",
                "[^1]: 注释\n",
            ),
        );
        // guides/ and reference/ are printed together, the home page and other/ elsewhere.
        let of: HashMap<&str, &str> = [
            ("guides/a.html", "print-guides.html"),
            ("guides/bee.html", "print-guides.html"),
            ("reference/b.html", "print-guides.html"),
            ("other/c.html", "print-other.html"),
            ("index.html", "print.html"),
        ]
        .into_iter()
        .collect();
        let links = EditionLinks {
            own: "print-guides.html",
            of: &of,
            root: "",
        };
        let out = print_html_for(&r, "guides/a.html", &anchors, &links, "<p>NOTE</p>");
        assert_eq!(
            out,
            concat!(
                "<h2 id=\"p-guides-a--x\" class=\"wide\">X</h2>\n",
                "<p><a href=\"#p-guides-a--x\">self</a> <a href=\"#p-reference-b--y\">b</a> <a href=\"print.html#p-index\">home</a> <a href=\"https://e.org/#q\">web</a>\n",
                "<a href=\"#p-guides-bee--%E5%90%8E%E6%9E%9C\">bee</a> <a href=\"print-other.html#p-other-c--z\">c</a> <a href=\"#p-guides-a\">me</a></p>\n",
                "<table><thead><tr><th>表</th></tr></thead><tbody>\n",
                "<tr><td><img src=\"files/p%26q.png\" alt=\"p q\" /> <a href=\"files/n%20%E6%96%87.txt#s\">n</a></td></tr>\n",
                "</tbody></table>\n",
                "<p>注<sup class=\"footnote-reference\" id=\"p-guides-a--fnref-1\"><a href=\"#p-guides-a--fn-1\">1</a></sup> 又<sup class=\"footnote-reference\"><a href=\"#p-guides-a--fn-1\">1</a></sup></p>\n",
                "<p>NOTE</p>\n",
                "<ul>\n",
                "<li><span class=\"task-box\" aria-hidden=\"true\">☑</span>\n",
                "完成</li>\n",
                "<li><span class=\"task-box\" aria-hidden=\"true\">☐</span>\n",
                "待办</li>\n",
                "</ul>\n",
                "<p><code>&lt;a href=\"x\"&gt; id=\"y\"</code></p>\n",
                "<div class=\"footnote-definition\" id=\"p-guides-a--fn-1\"><sup class=\"footnote-definition-label\">1</sup>\n",
                "<p>注释</p>\n",
                "</div>\n",
            )
        );
    }

    #[test]
    fn print_applies_site_facts_at_print_time() {
        // The edits are page-local: where a linked page is printed is decided when printing,
        // so a cached rendering stays right when another page moves to another edition.
        let anchors = anchors();
        let r = rendered(
            "guides/a.md",
            "[c](../other/c.md#z) [f](../files/n.txt) ![i](../files/i.png)\n",
        );
        let one = HashMap::new();
        let single = EditionLinks {
            own: "print.html",
            of: &one,
            root: "../",
        };
        assert_eq!(
            print_html_for(&r, "guides/a.html", &anchors, &single, ""),
            concat!(
                "<p><a href=\"#p-other-c--z\">c</a> <a href=\"../files/n.txt\">f</a> ",
                "<img src=\"../files/i.png\" alt=\"i\" /></p>\n"
            )
        );
        let split: HashMap<&str, &str> = [("other/c.html", "print-other.html")].into();
        let links = EditionLinks {
            own: "print.html",
            of: &split,
            root: "",
        };
        assert_eq!(
            print_html_for(&r, "guides/a.html", &anchors, &links, ""),
            concat!(
                "<p><a href=\"print-other.html#p-other-c--z\">c</a> <a href=\"files/n.txt\">f</a> ",
                "<img src=\"files/i.png\" alt=\"i\" /></p>\n"
            )
        );
    }
}
