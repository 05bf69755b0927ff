//! The print edition: every page in reading order without navigation, one file per top-level
//! section on a large site.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::seo::resolve_relative;
use super::templates::render_bytes;
use super::{date, PageSink, Shared, SiteContext, Templates};
use crate::diagnostic::{collect_all, Diagnostic};
use crate::load::{Kind, Page, Source};
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

/// Decodes the entities our HTML escaping writes into attribute values.
fn unescape_attr(value: &str) -> String {
    if !value.contains('&') {
        return value.to_owned();
    }
    value
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// A site-root-relative path rewritten for the print edition, as an attribute-safe URL.
fn print_file_url(from_output: &str, encoded: &str) -> String {
    let decoded = crate::paths::percent_decode(&unescape_attr(encoded));
    crate::paths::encode_path(&resolve_relative(from_output, &decoded))
}

/// Rewrites one page's rendered HTML for the print edition: heading and footnote ids get the
/// page's prefix so pages cannot collide, links to other pages become in-document fragments,
/// links to files become site-root-relative, and embedded checker widgets give way to a note
/// (their live form cannot print; the rules table is printed once at the end).
///
/// One pass over the HTML: the next occurrence of each attribute is searched for again only
/// once the scan has passed it, so the cost is linear in the page (an attribute that does not
/// occur, say `src`, is not searched for on every step).
fn print_html_for(
    html: &str,
    output: &str,
    anchors: &HashMap<&str, String>,
    links: &EditionLinks<'_>,
    checker_note: &str,
) -> String {
    const ATTRS: [&str; 3] = [" id=\"", " href=\"", " src=\""];
    let own = anchors
        .get(output)
        .cloned()
        .unwrap_or_else(|| print_anchor(output));
    let mut out = String::with_capacity(html.len() + 1024);
    let mut pos = 0;
    let find = |from: usize, attr: &str| html[from..].find(attr).map(|at| at + from);
    let mut next: [Option<usize>; 3] = ATTRS.map(|a| find(0, a));
    loop {
        for (k, n) in next.iter_mut().enumerate() {
            if n.is_some_and(|at| at < pos) {
                *n = find(pos, ATTRS[k]);
            }
        }
        let Some((at, k)) = next
            .iter()
            .enumerate()
            .filter_map(|(k, n)| n.map(|at| (at, k)))
            .min()
        else {
            break;
        };
        let attr = ATTRS[k];
        let value_start = at + attr.len();
        let Some(len) = html[value_start..].find('"') else {
            break;
        };
        let value = &html[value_start..value_start + len];
        out.push_str(&html[pos..value_start]);
        let is_external = crate::paths::url_scheme(value).is_some() || value.starts_with('/');
        let new_value = match attr {
            " id=\"" => format!("{own}--{value}"),
            _ if is_external => value.to_owned(),
            _ if value.starts_with('#') => format!("#{own}--{}", &value[1..]),
            " href=\"" => {
                let (path, frag) = value
                    .split_once('#')
                    .map_or((value, None), |(p, f)| (p, Some(f)));
                let target =
                    resolve_relative(output, &crate::paths::percent_decode(&unescape_attr(path)));
                let edition = links.prefix(&target);
                match (anchors.get(target.as_str()), frag) {
                    (Some(a), Some(f)) => format!("{edition}#{a}--{f}"),
                    (Some(a), None) => format!("{edition}#{a}"),
                    (None, Some(f)) => {
                        format!("{}{}#{f}", links.root, print_file_url(output, path))
                    }
                    (None, None) => format!("{}{}", links.root, print_file_url(output, path)),
                }
            }
            _ => format!("{}{}", links.root, print_file_url(output, value)),
        };
        out.push_str(&new_value);
        pos = value_start + len;
    }
    out.push_str(&html[pos..]);
    // Embedded widgets are one <section class="checker"> without nested sections; the note
    // goes in after the rewriting above so its own link keeps pointing at the rules table.
    let mut printed = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(at) = rest.find("<section class=\"checker\"") {
        printed.push_str(&rest[..at]);
        printed.push_str(checker_note);
        rest = rest[at..]
            .find("</section>")
            .map_or("", |end| &rest[at + end + "</section>".len()..]);
    }
    printed.push_str(rest);
    // Task-list boxes print as plain glyphs: a paper checklist needs a box, not a form control.
    printed
        .replace(
            "<input disabled=\"\" type=\"checkbox\" checked=\"\"/>",
            "<span class=\"task-box\" aria-hidden=\"true\">☑</span>",
        )
        .replace(
            "<input disabled=\"\" type=\"checkbox\"/>",
            "<span class=\"task-box\" aria-hidden=\"true\">☐</span>",
        )
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
    let anchors: HashMap<&str, String> = site
        .pages
        .iter()
        .map(|p| (p.output.as_str(), print_anchor(&p.output)))
        .collect();
    let edition_of: Vec<String> = site
        .pages
        .iter()
        .map(|p| print_output_for(&p.dir, total))
        .collect();
    // Editions in reading order of their first page, each with its pages in reading order.
    let mut editions: Vec<(&str, Vec<usize>)> = Vec::new();
    for &i in &site.order {
        let e = edition_of[i].as_str();
        match editions.iter_mut().find(|(name, _)| *name == e) {
            Some((_, pages)) => pages.push(i),
            None => editions.push((e, vec![i])),
        }
    }
    let split = editions.len() > 1;
    let of: HashMap<&str, &str> = match split {
        true => site
            .pages
            .iter()
            .zip(&edition_of)
            .map(|(p, e)| (p.output.as_str(), e.as_str()))
            .collect(),
        false => HashMap::new(),
    };
    let views: Vec<EditionView> = match split {
        true => editions
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
    let has_checker = !shared.checker.is_null();
    let edition = &shared.edition;
    // The note is the theme's own HTML (the string table is part of the theme, like templates).
    let checker_note = format!(
        "<p class=\"print-checker-note\">{}</p>",
        edition.text(if has_checker {
            "print.checker-note"
        } else {
            "print.checker-note-plain"
        })
    );
    let prefix = edition.lang.prefix.as_str();
    let root = crate::paths::root_prefix(&format!("{prefix}{PRINT_TEMPLATE}"));
    let results: Vec<Result<(), [Diagnostic; 1]>> = editions
        .par_iter()
        .enumerate()
        .map(|(k, (name, pages))| {
            let links = EditionLinks {
                own: name,
                of: &of,
                root: &root,
            };
            let entries: Vec<PrintEntry<'_>> = pages
                .iter()
                .map(|&i| {
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
                        content: print_html_for(
                            &site.rendered[i].html,
                            &p.output,
                            &anchors,
                            &links,
                            &checker_note,
                        ),
                        date: date(p.front.date),
                        updated: date(p.front.updated),
                        reviewed: date(p.front.reviewed),
                        sources: &p.front.sources,
                        is_checker: Templates::template_for(p) == "checker.html",
                        lang: site.title_lang(i),
                    }
                })
                .collect();
            let base_title = edition.text("print.title");
            let colon = edition.text("colon");
            let title = match (split, views.get(k)) {
                (true, Some(v)) if *name != PRINT_TEMPLATE => {
                    format!("{base_title}{colon}{}", v.title)
                }
                _ => base_title.to_owned(),
            };
            let mut editions = views.clone();
            if let Some(v) = editions.get_mut(k) {
                v.current = true;
            }
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
                editions,
                checker: &shared.checker,
                t: &edition.t,
                lang: &edition.lang,
            };
            let html = render_bytes(templates, PRINT_TEMPLATE, &cx).map_err(|e| {
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
        .map(|_| editions.len())
        .map_err(|mut e| e.swap_remove(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_rewrites_ids_page_links_files_and_widgets() {
        let anchors: HashMap<&str, String> = ["guides/a.html", "reference/b.html", "index.html"]
            .into_iter()
            .map(|o| (o, print_anchor(o)))
            .collect();
        let html = concat!(
            "<h2 id=\"x\">X</h2><a href=\"#x\">self</a> <a href=\"../reference/b.html#y\">b</a> ",
            "<a href=\"../index.html\">home</a> <a href=\"https://e.org/#q\">web</a> ",
            "<img src=\"../files/p.png\"> <a href=\"../files/n.txt\">file</a>",
            "<section class=\"checker\" id=\"checker-0\"><form></form></section><p>after</p>"
        );
        let out = print_html_for(
            html,
            "guides/a.html",
            &anchors,
            &EditionLinks {
                own: "print.html",
                of: &HashMap::new(),
                root: "",
            },
            "<p>NOTE</p>",
        );
        assert_eq!(
            out,
            concat!(
                "<h2 id=\"p-guides-a--x\">X</h2><a href=\"#p-guides-a--x\">self</a> <a href=\"#p-reference-b--y\">b</a> ",
                "<a href=\"#p-index\">home</a> <a href=\"https://e.org/#q\">web</a> ",
                "<img src=\"files/p.png\"> <a href=\"files/n.txt\">file</a>",
                "<p>NOTE</p><p>after</p>"
            )
        );
    }
}
