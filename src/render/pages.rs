//! Rendering the pages through their templates and the 404 page.
#![allow(clippy::result_large_err)]

use rayon::prelude::*;

use super::seo::json_ld;
use super::sidebar::render_sidebar;
use super::templates::{context_with, render_bytes, render_with};
use super::{
    date, print_output_for, PageContext, PageSink, PageView, Shared, Templates, PRINT_TEMPLATE,
};
use crate::diagnostic::{collect_all, Diagnostic};
use crate::load::Kind;
use crate::paths::root_prefix;
use crate::site::{NavItem, Site};

/// Renders page `i` to HTML (UTF-8 bytes, ready to write).
pub fn render_page(
    site: &Site,
    i: usize,
    templates: &Templates,
    shared: &Shared<'_>,
) -> Result<Vec<u8>, Diagnostic> {
    let mut context = page_context(templates, shared)?;
    render_page_in(&mut context, site, i, templates, shared)
}

/// The context a thread renders pages in: the edition's constants (its string table, the
/// checker's context), put in once for all the pages instead of copied into each.
fn page_context(templates: &Templates, shared: &Shared<'_>) -> Result<tera::Context, Diagnostic> {
    context_with(&shared.constants()).map_err(|e| {
        Diagnostic::error(
            &templates.dir,
            format!("cannot build the template context: {e}"),
        )
    })
}

/// Renders page `i` in `context` (from [`page_context`]; the page's values replace the
/// previous page's).
fn render_page_in(
    context: &mut tera::Context,
    site: &Site,
    i: usize,
    templates: &Templates,
    shared: &Shared<'_>,
) -> Result<Vec<u8>, Diagnostic> {
    let page = &site.pages[i];
    let rendered = &site.rendered[i];
    let show_toc = page.front.toc.unwrap_or(true);
    let edition = &shared.edition;
    let (alternates, translation) = crate::i18n::page_view(
        &edition.outputs,
        edition.index,
        page,
        shared.site.base_url.as_deref(),
    );
    // A fallback page repeats its original: that is the canonical address.
    let canonical = match edition.outputs.output(0, &page.source) {
        Some(o) if page.fallback => o,
        _ => page.output.as_str(),
    };
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
                .map(|b| format!("{b}{}", crate::paths::encode_path(canonical))),
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
        sidebar_html: shared
            .sidebars
            .get(&(page.dir.clone(), site.sidebar_window(i)))
            .map_or_else(String::new, |s| s.for_page(&page.output)),
        breadcrumbs: site.breadcrumbs(i),
        prev: site.prev(i),
        next: site.next(i),
        listing: site.listing(i),
        checker_assets: shared.checker_assets.as_ref(),
        json_ld: json_ld(site, i, &shared.site),
        print_url: crate::paths::encode_path(&format!(
            "{}{}",
            edition.lang.prefix,
            print_output_for(&page.dir, site.pages.len())
        )),
        lang: &edition.lang,
        alternates,
        translation,
    };
    let name = Templates::template_for(page);
    render_bytes(templates, name, &cx, context).map_err(|e| {
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
    let edition = &shared.edition;
    // Served for missing pages at any depth: with a base URL, links are absolute (from the
    // site root); without one, relative to where the edition's 404 page is written.
    let path = format!("{}404.html", edition.lang.prefix);
    let base = shared.site.base_url.as_deref().map(crate::paths::url_path);
    let (root, from) = match &base {
        Some(b) => (b.clone(), "404.html"),
        None => (root_prefix(&path), path.as_str()),
    };
    let mut sidebar = site.sidebar(from);
    if base.is_some() {
        absolutize(&mut sidebar, &root);
    }
    // The 404 page is no page of the sidebar: no link is marked current.
    let sidebar_html = render_sidebar(templates, &sidebar, &root, &edition.t)?
        .html()
        .to_owned();
    let empty = toml::Table::new();
    let cx = PageContext {
        site: &shared.site,
        page: PageView {
            title: edition.text("not-found.title"),
            description: None,
            content: "",
            toc: &[],
            kind: Kind::Page,
            path: &path,
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
        checker_assets: shared.checker_assets.as_ref(),
        json_ld: String::new(),
        print_url: format!("{}{PRINT_TEMPLATE}", edition.lang.prefix),
        lang: &edition.lang,
        alternates: Vec::new(),
        translation: crate::i18n::TranslationView::default(),
    };
    let mut context = page_context(templates, shared)?;
    render_with(templates, "404.html", &cx, &mut context).map_err(|e| {
        Diagnostic::error(
            templates.dir.join("404.html"),
            format!("cannot render the 404 page: {e}"),
        )
        .help("fix the template")
    })
}

fn absolutize(items: &mut [NavItem], base: &str) {
    for item in items {
        item.url = format!("{base}{}", item.url);
        absolutize(&mut item.children, base);
    }
}

/// Renders every page in parallel; `sink` receives each (output path, HTML) as it is ready (and
/// may write it). Returns every failure at once, in page order.
pub fn render_all(
    site: &Site,
    templates: &Templates,
    shared: &Shared<'_>,
    sink: &PageSink<'_>,
) -> Result<(), Vec<Diagnostic>> {
    let base = page_context(templates, shared).map_err(|d| vec![d])?;
    let results: Vec<Result<(), [Diagnostic; 1]>> = (0..site.pages.len())
        .into_par_iter()
        .map_init(
            || base.clone(),
            |context, i| {
                render_page_in(context, site, i, templates, shared)
                    .and_then(|html| sink(&site.pages[i].output, &html))
                    .map_err(|d| [d])
            },
        )
        .collect();
    collect_all(results).map(|_| ()).map_err(once_per_template)
}
