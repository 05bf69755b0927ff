//! Stage 5, `render`: one Tera instance built once from the templates folder, plain serializable
//! context structs, and the parallel (rayon) rendering of every page.
// A render failure is a `Diagnostic` by value: it is the rare path, and boxing it would only
// add noise to every signature.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::diagnostic::{collect_all, Diagnostic};
use crate::load::{Kind, Page, Source};
use crate::markdown::TocEntry;
use crate::paths::root_prefix;
use crate::site::{ListingEntry, NavItem, NavLink, Site};

/// Templates every site must have.
pub const REQUIRED_TEMPLATES: [&str; 5] = [
    "page.html",
    "section.html",
    "index.html",
    "404.html",
    SIDEBAR_TEMPLATE,
];

/// The loaded templates.
#[derive(Debug)]
pub struct Templates {
    /// The one Tera instance.
    pub tera: tera::Tera,
    /// Folder they came from, relative to the site root (for messages).
    pub dir: PathBuf,
}

fn is_template_file(path: &Path) -> bool {
    let hidden = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'));
    let ext = path.extension().and_then(|e| e.to_str());
    !hidden && matches!(ext, Some("html" | "xml"))
}

/// Points a Tera parse error at the template file and line it names (Tera reports them as
/// `Failed to parse 'name': --> line:col ...`).
fn template_diagnostic(dir: &Path, files: &[(String, String)], e: &tera::Error) -> Diagnostic {
    let chain = tera_chain(e);
    let name = chain
        .split('\'')
        .nth(1)
        .filter(|n| files.iter().any(|(f, _)| f == n));
    let mut d = Diagnostic::error(
        name.map_or_else(|| dir.to_path_buf(), |n| dir.join(n)),
        format!("template error: {chain}"),
    )
    .help("fix the template syntax at the position given");
    let pos = chain.split_once("--> ").and_then(|(_, rest)| {
        let (l, rest) = rest.split_once(':')?;
        let c: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((l.trim().parse::<usize>().ok()?, c.parse::<usize>().ok()))
    });
    if let (Some((line, _)), Some(n)) = (pos, name) {
        d = d.at(line, None);
        if let Some((_, text)) = files.iter().find(|(f, _)| f == n) {
            d = d.with_source(text);
        }
    }
    d
}

/// HTML escaping for templates: Tera's default also escapes `/`, which makes every URL in the
/// output unreadable (`..&#x2F;style.css`); `/` is harmless in text and quoted attributes.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// Formats a Tera error with its whole cause chain on one line.
pub fn tera_chain(e: &tera::Error) -> String {
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(cause) = src {
        s.push_str(": ");
        s.push_str(cause.to_string().trim());
        src = cause.source();
    }
    s
}

impl Templates {
    /// Reads every `.html`/`.xml` file under `root/dir` as a template named by its relative path
    /// (other files, such as notes or editor leftovers, are not templates).
    pub fn load(root: &Path, dir: &Path) -> Result<Templates, Vec<Diagnostic>> {
        let full = root.join(dir);
        if !full.is_dir() {
            return Err(vec![crate::config::missing_folder(
                root,
                "templates",
                dir,
                "templates",
            )]);
        }
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for entry in walkdir::WalkDir::new(&full).sort_by_file_name() {
            match entry {
                Ok(e) if e.depth() > 0 && e.path_is_symlink() => {
                    let rel = e.path().strip_prefix(&full).unwrap_or(e.path());
                    errors.push(crate::load::symlink_error(&dir.join(rel), "templates"));
                }
                Ok(e) if e.file_type().is_file() && is_template_file(e.path()) => {
                    let rel = e.path().strip_prefix(&full).unwrap_or(e.path());
                    let name = rel.to_string_lossy().replace('\\', "/");
                    match std::fs::read_to_string(e.path()) {
                        Ok(text) => files.push((name, text)),
                        Err(err) => errors.push(Diagnostic::error(
                            dir.join(rel),
                            format!("cannot read template: {err}"),
                        )),
                    }
                }
                Ok(_) => {}
                Err(err) => errors.push(crate::diagnostic::walk_error(root, dir, &err)),
            }
        }
        let mut tera = tera::Tera::default();
        tera.set_escape_fn(escape_html);
        if let Err(e) = tera.add_raw_templates(files.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            errors.push(template_diagnostic(dir, &files, &e));
        }
        for name in REQUIRED_TEMPLATES {
            if errors.is_empty() && !tera.get_template_names().any(|n| n == name) {
                errors.push(
                    Diagnostic::error(dir.join(name), format!("missing template `{name}`"))
                        .help(format!("create `{}`", dir.join(name).display())),
                );
            }
        }
        if errors.is_empty() {
            Ok(Templates {
                tera,
                dir: dir.to_path_buf(),
            })
        } else {
            Err(errors)
        }
    }

    /// Whether a template with this name exists.
    pub fn has(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    /// The template a page renders with.
    pub fn template_for(page: &Page) -> &str {
        match (&page.front.template, page.kind) {
            (Some(t), _) => t,
            (None, Kind::Section) if page.dir.is_empty() => "index.html",
            (None, Kind::Section) => "section.html",
            (None, Kind::Page) => "page.html",
        }
    }

    /// Checks that every page's template exists, naming the page and the `template` line.
    pub fn check_pages(&self, pages: &[Page]) -> Vec<Diagnostic> {
        pages
            .iter()
            .filter(|p| !self.has(Self::template_for(p)))
            .map(|p| {
                let name = Self::template_for(p);
                let mut d = Diagnostic::error(&p.file, format!("template `{name}` does not exist"))
                    .help(format!(
                        "create `{}` or fix the `template` name",
                        self.dir.join(name).display()
                    ));
                if let Some(line) = crate::config::key_line(&p.raw, "template") {
                    d = d.at(line, None).with_source(&p.raw);
                }
                d
            })
            .collect()
    }
}

/// Site-wide values, `site` in every template.
#[derive(Debug, Clone, Serialize)]
pub struct SiteContext {
    /// `[book] title`.
    pub title: String,
    /// `[book] description`.
    pub description: String,
    /// `[book] language`, for `<html lang>`.
    pub language: String,
    /// `[book] authors`.
    pub authors: Vec<String>,
    /// `[output.html] base-url` (ends with `/`).
    pub base_url: Option<String>,
    /// The site's ICP filing number.
    pub icp_number: Option<String>,
    /// The site's public-security filing number.
    pub public_security_number: Option<String>,
    /// The digits of the public-security number, for the record-lookup link.
    pub public_security_code: Option<String>,
    /// `base_url` when it names a real host; `None` for a placeholder such as
    /// `*.example.org` (RFC 2606), which a reader must never be shown.
    pub public_base_url: Option<String>,
}

impl SiteContext {
    /// From the configuration.
    pub fn new(config: &Config) -> Self {
        let html = &config.output.html;
        Self {
            title: config.book.title.clone(),
            description: config.book.description.clone(),
            language: config.book.language.clone(),
            authors: config.book.authors.clone(),
            base_url: html.base_url.clone(),
            icp_number: html.icp_number.clone(),
            public_security_number: html.public_security_number.clone(),
            public_security_code: html
                .public_security_number
                .as_ref()
                .map(|n| n.chars().filter(char::is_ascii_digit).collect()),
            public_base_url: html
                .base_url
                .clone()
                .filter(|u| !crate::paths::is_placeholder_url(u)),
        }
    }
}

/// The page being rendered, `page` in templates.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    /// Title.
    pub title: &'a str,
    /// Description.
    pub description: Option<&'a str>,
    /// Rendered Markdown body (mark it `| safe`).
    pub content: &'a str,
    /// Table of contents (empty when `toc = false`).
    pub toc: &'a [TocEntry],
    /// `section` or `page`.
    pub kind: Kind,
    /// Output path relative to the site root.
    pub path: &'a str,
    /// Source path inside the content folder.
    pub source: &'a str,
    /// Absolute URL, when `base-url` is set.
    pub permalink: Option<String>,
    /// Edit link, when `edit-url-template` is set.
    pub edit_url: Option<String>,
    /// Dates as `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Last change.
    pub updated: Option<String>,
    /// Last fact check.
    pub reviewed: Option<String>,
    /// Cited sources.
    pub sources: &'a [Source],
    /// `[extra]`.
    pub extra: &'a toml::Table,
}

/// Paths of the compiled checker, `checker_assets` in templates.
#[derive(Debug, Clone, Serialize)]
pub struct CheckerAssets {
    /// Site-root-relative JS glue.
    pub js: String,
    /// Site-root-relative `.wasm`.
    pub wasm: String,
}

/// Everything a page template gets.
#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    /// Site-wide values.
    pub site: &'a SiteContext,
    /// This page.
    pub page: PageView<'a>,
    /// Relative prefix back to the site root (`""`, `"../"`, …).
    pub root: String,
    /// The sidebar, rendered by `partials/sidebar.html` (top level plus the current branch),
    /// with the current page's link marked `aria-current="page"`. Mark it `| safe`.
    pub sidebar_html: String,
    /// Ancestor sections.
    pub breadcrumbs: Vec<NavLink>,
    /// Previous page in reading order.
    pub prev: Option<NavLink>,
    /// Next page in reading order.
    pub next: Option<NavLink>,
    /// For sections: their direct children.
    pub listing: Vec<ListingEntry>,
    /// The checker's template context (null when the site has no checker).
    pub checker: &'a serde_json::Value,
    /// The rules as JSON for the WebAssembly module (empty without a checker).
    pub checker_rules_json: &'a str,
    /// Compiled checker files, when built.
    pub checker_assets: Option<&'a CheckerAssets>,
    /// JSON-LD for `<script type="application/ld+json">` (already safe inside a script; empty
    /// when there is none). Mark it `| safe`.
    pub json_ld: String,
    /// The print edition holding this page, encoded, relative to the site root (`print.html`,
    /// or its section's `print-<section>.html` on a large site).
    pub print_url: String,
}

/// The shared parts of every context.
#[derive(Debug)]
pub struct Shared<'a> {
    /// Site-wide values.
    pub site: SiteContext,
    /// `edit-url-template`.
    pub edit_url_template: Option<&'a str>,
    /// Checker context.
    pub checker: serde_json::Value,
    /// Checker rules JSON.
    pub checker_rules_json: String,
    /// Checker files.
    pub checker_assets: Option<CheckerAssets>,
    /// Sidebar HTML per content folder (see [`render_sidebars`]).
    pub sidebars: HashMap<String, String>,
}

fn date(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

/// Renders page `i` to HTML (UTF-8 bytes, ready to write).
pub fn render_page(
    site: &Site,
    i: usize,
    templates: &Templates,
    shared: &Shared<'_>,
) -> Result<Vec<u8>, Diagnostic> {
    let page = &site.pages[i];
    let rendered = &site.rendered[i];
    let show_toc = page.front.toc.unwrap_or(true);
    let cx = PageContext {
        site: &shared.site,
        page: PageView {
            title: &page.title,
            description: page.front.description.as_deref(),
            content: &rendered.html,
            toc: if show_toc { &rendered.toc } else { &[] },
            kind: page.kind,
            path: &page.output,
            source: &page.source,
            permalink: shared
                .site
                .base_url
                .as_ref()
                .map(|b| format!("{b}{}", crate::paths::encode_path(&page.output))),
            // A placeholder host (example.invalid, …) is not a link a reader can follow.
            edit_url: shared
                .edit_url_template
                .filter(|t| !crate::paths::is_placeholder_url(t))
                .map(|t| t.replace("{path}", &crate::paths::encode_path(&page.source))),
            date: date(page.front.date),
            updated: date(page.front.updated),
            reviewed: date(page.front.reviewed),
            sources: &page.front.sources,
            extra: &page.front.extra,
        },
        root: root_prefix(&page.output),
        sidebar_html: mark_current(
            shared.sidebars.get(&page.dir).map_or("", String::as_str),
            &page.output,
        ),
        breadcrumbs: site.breadcrumbs(i),
        prev: site.prev(i),
        next: site.next(i),
        listing: site.listing(i),
        checker: &shared.checker,
        checker_rules_json: &shared.checker_rules_json,
        checker_assets: shared.checker_assets.as_ref(),
        json_ld: json_ld(site, i, &shared.site),
        print_url: crate::paths::encode_path(&print_output_for(&page.dir, site.pages.len())),
    };
    let name = Templates::template_for(page);
    render_bytes(templates, name, &cx).map_err(|e| {
        Diagnostic::error(
            templates.dir.join(name),
            format!("cannot render with template `{name}`: {e}"),
        )
        .help(format!(
            "fix the template, or the front matter it reads in `{}`",
            page.file.display()
        ))
    })
}

/// A template that fails the same way on many pages is one problem: keeps the first diagnostic
/// of each (template file, message) pair, in order, and says how many pages share it.
pub fn once_per_template(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<(Diagnostic, usize)> = Vec::new();
    for d in diags {
        match out
            .iter_mut()
            .find(|(o, _)| o.file == d.file && o.message == d.message)
        {
            Some((_, n)) => *n += 1,
            None => out.push((d, 1)),
        }
    }
    out.into_iter()
        .map(|(d, n)| match (n, d.help.clone()) {
            (1, _) | (_, None) => d,
            (n, Some(h)) => d.help(format!("{h} (and {} more pages fail the same way)", n - 1)),
        })
        .collect()
}

/// Renders `404.html`: a 404 page is served at any depth, so its links start with the path of
/// `base-url` (`/guide/…`, never the host: a local preview must not load the live site), or
/// are relative to the site root without one.
pub fn render_404(
    site: &Site,
    templates: &Templates,
    shared: &Shared<'_>,
) -> Result<String, Diagnostic> {
    let root = shared
        .site
        .base_url
        .as_deref()
        .map(crate::paths::url_path)
        .unwrap_or_default();
    let from = "404.html";
    let mut sidebar = site.sidebar(None, from);
    if !root.is_empty() {
        absolutize(&mut sidebar, &root);
    }
    let sidebar_html = render_sidebar(templates, &sidebar, &root)?;
    let empty = toml::Table::new();
    let cx = PageContext {
        site: &shared.site,
        page: PageView {
            title: if shared.site.language.starts_with("zh") {
                "页面不存在"
            } else {
                "Page not found"
            },
            description: None,
            content: "",
            toc: &[],
            kind: Kind::Page,
            path: from,
            source: "",
            permalink: None,
            edit_url: None,
            date: None,
            updated: None,
            reviewed: None,
            sources: &[],
            extra: &empty,
        },
        root,
        sidebar_html,
        breadcrumbs: Vec::new(),
        prev: None,
        next: None,
        listing: Vec::new(),
        checker: &shared.checker,
        checker_rules_json: &shared.checker_rules_json,
        checker_assets: shared.checker_assets.as_ref(),
        json_ld: String::new(),
        print_url: PRINT_TEMPLATE.to_owned(),
    };
    render_with(templates, "404.html", &cx).map_err(|e| {
        Diagnostic::error(
            templates.dir.join("404.html"),
            format!("cannot render the 404 page: {e}"),
        )
        .help("fix the template")
    })
}

/// The sidebar partial; every entry must be written as `<a href="{{ item.url }}"` so that
/// [`mark_current`] can find the current page's link.
pub const SIDEBAR_TEMPLATE: &str = "partials/sidebar.html";

fn render_sidebar(
    templates: &Templates,
    items: &[NavItem],
    root: &str,
) -> Result<String, Diagnostic> {
    let mut cx = tera::Context::new();
    cx.insert("sidebar", items);
    cx.insert("root", root);
    templates.tera.render(SIDEBAR_TEMPLATE, &cx).map_err(|e| {
        Diagnostic::error(
            templates.dir.join(SIDEBAR_TEMPLATE),
            format!("cannot render the sidebar: {}", tera_chain(&e)),
        )
        .help("fix the template")
    })
}

/// Renders the sidebar once per content folder, in parallel. Every page in a folder shares the
/// same expanded branch and the same relative URLs, so a site renders the partial once per
/// section instead of once per page; each page then only marks its own link.
pub fn render_sidebars(
    site: &Site,
    templates: &Templates,
) -> Result<HashMap<String, String>, Vec<Diagnostic>> {
    let results: Vec<Result<(String, String), [Diagnostic; 1]>> = site
        .sections
        .par_iter()
        .map(|(dir, section)| {
            let root = root_prefix(&site.pages[section.index].output);
            render_sidebar(templates, &site.sidebar_for_dir(dir), &root)
                .map(|h| (dir.clone(), h))
                .map_err(|d| [d])
        })
        .collect();
    collect_all(results)
        .map(|v| v.into_iter().collect())
        // One broken partial fails every section the same way: report it once.
        .map_err(|mut e| {
            e.dedup();
            e
        })
}

/// Adds `aria-current="page"` to the first link to `output` (seen from its own folder, a link
/// to itself is just its file name).
fn mark_current(sidebar: &str, output: &str) -> String {
    let name = output.rsplit('/').next().unwrap_or(output);
    // The partial's URLs went through the templates' HTML escaping.
    let needle = format!("href=\"{}\"", escape_html(name));
    match sidebar.find(&needle) {
        Some(at) => {
            let end = at + needle.len();
            let mut s = String::with_capacity(sidebar.len() + 24);
            s.push_str(&sidebar[..end]);
            s.push_str(" aria-current=\"page\"");
            s.push_str(&sidebar[end..]);
            s
        }
        None => sidebar.to_owned(),
    }
}

fn absolutize(items: &mut [NavItem], base: &str) {
    for item in items {
        item.url = format!("{base}{}", item.url);
        absolutize(&mut item.children, base);
    }
}

fn render_with<T: Serialize>(templates: &Templates, name: &str, cx: &T) -> Result<String, String> {
    let context = tera::Context::from_serialize(cx).map_err(|e| tera_chain(&e))?;
    templates
        .tera
        .render(name, &context)
        .map_err(|e| tera_chain(&e))
}

/// Like `render_with` but keeps the bytes: pages go straight to disk, and re-validating
/// every page as UTF-8 was a measurable share of a large build.
fn render_bytes<T: Serialize>(
    templates: &Templates,
    name: &str,
    cx: &T,
) -> Result<Vec<u8>, String> {
    let context = tera::Context::from_serialize(cx).map_err(|e| tera_chain(&e))?;
    let mut out = Vec::with_capacity(16 * 1024);
    templates
        .tera
        .render_to(name, &context, &mut out)
        .map_err(|e| tera_chain(&e))?;
    Ok(out)
}

/// Receives each rendered page: (site-root-relative output path, HTML bytes).
pub type PageSink<'a> = dyn Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync + 'a;

/// Renders every page in parallel; `sink` receives each (output path, HTML) as it is ready (and
/// may write it). Returns every failure at once, in page order.
pub fn render_all(
    site: &Site,
    templates: &Templates,
    shared: &Shared<'_>,
    sink: &PageSink<'_>,
) -> Result<(), Vec<Diagnostic>> {
    let results: Vec<Result<(), [Diagnostic; 1]>> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| {
            render_page(site, i, templates, shared)
                .and_then(|html| sink(&site.pages[i].output, &html))
                .map_err(|d| [d])
        })
        .collect();
    collect_all(results).map(|_| ()).map_err(once_per_template)
}

// ---------------------------------------------------------------------------------------------
// Sharing and SEO: JSON-LD per page, and the single-page print edition (`print.html`).
// ---------------------------------------------------------------------------------------------

/// The template that renders the print edition; a theme without it gets no `print.html`.
pub const PRINT_TEMPLATE: &str = "print.html";

/// Whether a page is a FAQ, whose `##` headings become FAQPage questions: its file is named
/// `faq.md`, or its front matter sets `[extra] faq = true`.
pub fn is_faq(page: &Page) -> bool {
    match page.front.extra.get("faq") {
        Some(toml::Value::Boolean(b)) => *b,
        _ => page.source.rsplit('/').next() == Some("faq.md"),
    }
}

/// Resolves a relative URL (no scheme, no leading `/`) against the folder of a site-root-relative
/// output path, returning a site-root-relative path (`..` above the root is dropped).
fn resolve_relative(from_output: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = from_output.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Turns rendered HTML into plain text: tags dropped (block ends become spaces), the entities
/// our own escaping produces decoded, whitespace collapsed.
fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if matches!(
            name.as_str(),
            "p" | "li" | "td" | "th" | "tr" | "br" | "div" | "h3" | "h4" | "ul" | "ol" | "table"
        ) {
            text.push(' ');
        }
        rest = &rest[lt + gt + 1..];
    }
    text.push_str(rest);
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes every element that starts with `open` up to the first `close` after it (for
/// elements that never nest their own kind, such as footnote references and myth boxes).
fn remove_between(html: &str, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(open) {
        out.push_str(&rest[..at]);
        match rest[at..].find(close) {
            Some(end) => rest = &rest[at + end + close.len()..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The questions (`##` headings) and answers (the text up to the next `##`) of a FAQ page.
/// Myth boxes and footnote markers are left out: a quoted false claim is not an answer.
pub fn faq_entries(html: &str) -> Vec<(String, String)> {
    let body = html
        .find("<div class=\"footnote-definition\"")
        .map_or(html, |end| &html[..end]);
    let body = remove_between(body, "<div class=\"callout callout-myth\"", "</div>");
    let body = remove_between(&body, "<sup class=\"footnote-reference\"", "</sup>");
    body.split("<h2")
        .skip(1)
        .filter_map(|part| {
            let start = part.find('>')? + 1;
            let end = part.find("</h2>")?;
            let question = html_to_text(part.get(start..end)?);
            let answer = html_to_text(&part[end + "</h2>".len()..]);
            (!question.is_empty() && !answer.is_empty()).then_some((question, answer))
        })
        .collect()
}

/// Makes JSON safe inside `<script>`: no `<` can close the element early.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// The JSON-LD for page `i` as one `@graph` (WebSite on the home page, FAQPage on a FAQ,
/// Article on other ordinary pages, BreadcrumbList below the home page when `base-url` is set).
/// Deterministic: no clock, keys in a fixed order. Empty when there is nothing to say.
pub fn json_ld(site: &Site, i: usize, s: &SiteContext) -> String {
    use serde_json::{json, Value};
    let page = &site.pages[i];
    let url = |output: &str| {
        s.base_url
            .as_ref()
            .map(|b| format!("{b}{}", crate::paths::encode_path(output)))
    };
    let publisher = json!({
        "@type": "Organization",
        "name": if s.authors.is_empty() { s.title.clone() } else { s.authors.join(", ") },
    });
    let mut graph: Vec<Value> = Vec::new();
    let home = page.kind == Kind::Section && page.dir.is_empty();
    if home {
        let mut w = json!({
            "@type": "WebSite",
            "name": s.title,
            "description": s.description,
            "inLanguage": s.language,
        });
        if let Some(u) = url("") {
            w["url"] = u.into();
        }
        graph.push(w);
    } else if page.kind == Kind::Page && is_faq(page) {
        let questions: Vec<Value> = faq_entries(&site.rendered[i].html)
            .into_iter()
            .map(|(q, a)| {
                json!({
                    "@type": "Question",
                    "name": q,
                    "acceptedAnswer": { "@type": "Answer", "text": a },
                })
            })
            .collect();
        if !questions.is_empty() {
            let mut f = json!({
                "@type": "FAQPage",
                "name": page.title,
                "inLanguage": s.language,
                "mainEntity": questions,
            });
            if let Some(u) = url(&page.output) {
                f["url"] = u.into();
            }
            graph.push(f);
        }
    } else if page.kind == Kind::Page && Templates::template_for(page) == "page.html" {
        let mut a = json!({
            "@type": "Article",
            "headline": page.title,
            "inLanguage": s.language,
            "author": publisher.clone(),
            "publisher": publisher,
        });
        if let Some(d) = &page.front.description {
            a["description"] = d.as_str().into();
        }
        if let Some(d) = date(page.front.date) {
            a["datePublished"] = d.into();
        }
        if let Some(d) = date(page.front.updated.or(page.front.reviewed)) {
            a["dateModified"] = d.into();
        }
        if let Some(u) = url(&page.output) {
            a["mainEntityOfPage"] = u.into();
        }
        graph.push(a);
    }
    if let Some(base) = &s.base_url {
        let crumbs = site.breadcrumbs(i);
        if !crumbs.is_empty() {
            // Same URLs as the canonical links and the sitemap (`…/index.html` included).
            let items: Vec<Value> = crumbs
                .iter()
                .map(|c| (c.title.clone(), resolve_relative(&page.output, &c.url)))
                .chain(std::iter::once((page.title.clone(), page.output.clone())))
                .enumerate()
                .map(|(n, (name, path))| {
                    json!({
                        "@type": "ListItem",
                        "position": n + 1,
                        "name": name,
                        "item": format!("{base}{}", crate::paths::encode_path(&path)),
                    })
                })
                .collect();
            graph.push(json!({ "@type": "BreadcrumbList", "itemListElement": items }));
        }
    }
    if graph.is_empty() {
        return String::new();
    }
    let doc = json!({ "@context": "https://schema.org", "@graph": graph });
    script_safe(&serde_json::to_string(&doc).unwrap_or_default())
}

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
                    (None, Some(f)) => format!("{}#{f}", print_file_url(output, path)),
                    (None, None) => print_file_url(output, path),
                }
            }
            _ => print_file_url(output, value),
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
    let checker_note = if has_checker {
        "<p class=\"print-checker-note\">（此处在网页上是交互式到期检查器；判断规则见本文末尾的<a href=\"#print-rules\">规则一览</a>。）</p>"
    } else {
        "<p class=\"print-checker-note\">（此处在网页上是交互式到期检查器。）</p>"
    };
    let zh = shared.site.language.starts_with("zh");
    let results: Vec<Result<(), [Diagnostic; 1]>> = editions
        .par_iter()
        .enumerate()
        .map(|(k, (name, pages))| {
            let links = EditionLinks { own: name, of: &of };
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
                            checker_note,
                        ),
                        date: date(p.front.date),
                        updated: date(p.front.updated),
                        reviewed: date(p.front.reviewed),
                        sources: &p.front.sources,
                        is_checker: Templates::template_for(p) == "checker.html",
                    }
                })
                .collect();
            let base_title = if zh {
                "全文（打印版）"
            } else {
                "Print edition"
            };
            let title = match (split, views.get(k)) {
                (true, Some(v)) if *name != PRINT_TEMPLATE => format!("{base_title}：{}", v.title),
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
                        .map(|b| format!("{b}{}", crate::paths::encode_path(name))),
                },
                root: "",
                entries,
                editions,
                checker: &shared.checker,
            };
            let html = render_bytes(templates, PRINT_TEMPLATE, &cx).map_err(|e| {
                [Diagnostic::error(
                    templates.dir.join(PRINT_TEMPLATE),
                    format!("cannot render the print edition: {e}"),
                )
                .help("fix the template")]
            })?;
            sink(name, &html).map_err(|d| [d])
        })
        .collect();
    collect_all(results)
        .map(|_| editions.len())
        .map_err(|mut e| e.swap_remove(0))
}

#[cfg(test)]
mod theme_tests {
    use super::*;

    #[test]
    fn faq_answers_are_plain_text_without_myths_or_footnote_marks() {
        let html = concat!(
            "<p>intro</p>\n<h2 id=\"a\">备案会过期吗？</h2>\n<p>不会<sup class=\"footnote-reference\" id=\"fnref-1\"><a href=\"#fn-1\">1</a></sup>。A &amp; B &lt;C&gt;</p>\n",
            "<div class=\"callout callout-myth\" role=\"note\"><p class=\"callout-title\">常见误区</p>\n<p>过期 15 天</p>\n</div>\n",
            "<h2 id=\"b\">第二个？</h2>\n<table><tr><td>x</td><td>y</td></tr></table>\n",
            "<h2 id=\"c\">空的</h2>\n",
            "<div class=\"footnote-definition\" id=\"fn-1\"><p>note</p></div>\n"
        );
        let entries = faq_entries(html);
        assert_eq!(
            entries,
            [
                ("备案会过期吗？".to_owned(), "不会。A & B <C>".to_owned()),
                ("第二个？".to_owned(), "x y".to_owned()),
            ]
        );
    }

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

    #[test]
    fn json_in_a_script_cannot_close_it() {
        assert_eq!(
            script_safe("{\"a\":\"</script>\"}"),
            "{\"a\":\"\\u003c/script>\"}"
        );
    }
}
