//! Stage `render`: one Tera instance built once from the templates folder (`templates`), plain
//! serializable context structs (here), the parallel (rayon) rendering of every page and the 404
//! page (`pages`), the per-folder sidebars with each page's own link marked (`sidebar`), the
//! per-page JSON-LD (`seo`) and the print edition ([`print`]).
// A render failure is a `Diagnostic` by value: it is the rare path, and boxing it would only
// add noise to every signature.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::{Kind, Source};
use crate::markdown::TocEntry;
use crate::site::{ListingEntry, NavLink};

mod pages;
mod print;
mod seo;
mod sidebar;
mod templates;

pub use pages::{once_per_template, render_404, render_all, render_page};
pub use print::{
    print_anchor, print_output_for, print_outputs, render_print, EditionLinks, EditionView,
    PrintContext, PrintEntry, PrintPage, PRINT_SPLIT_PAGES, PRINT_TEMPLATE,
};
pub use seo::{is_faq, json_ld};
pub use sidebar::{render_sidebars, MarkerError, Sidebar, SidebarKey, SIDEBAR_TEMPLATE};
pub use templates::{escape_html, tera_chain, REQUIRED_TEMPLATES};

/// The loaded templates.
#[derive(Debug)]
pub struct Templates {
    /// The one Tera instance.
    pub tera: tera::Tera,
    /// Folder they came from, relative to the site root (for messages).
    pub dir: PathBuf,
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

/// Everything a page template gets besides the edition's constants `t` (the theme's strings in
/// the page's language) and `checker` (the checker's template context, null without a checker),
/// which `Shared::constants` puts into a thread's context once. Every field is serialized for
/// every page (never `skip_serializing_if`): a thread renders its pages in one Tera context,
/// each page's values replacing the previous page's key by key.
#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    /// Site-wide values.
    pub site: &'a SiteContext,
    /// This page.
    pub page: PageView<'a>,
    /// Relative prefix back to the site root (`""`, `"../"`, …).
    pub root: String,
    /// The sidebar, rendered by `partials/sidebar.html` (top level plus the current branch),
    /// with the current page's link marked `aria-current="page"` (see [`Sidebar`]). Mark it
    /// `| safe`.
    pub sidebar_html: String,
    /// Ancestor sections.
    pub breadcrumbs: Vec<NavLink>,
    /// Previous page in reading order.
    pub prev: Option<NavLink>,
    /// Next page in reading order.
    pub next: Option<NavLink>,
    /// For sections: their direct children.
    pub listing: Vec<ListingEntry>,
    /// Compiled checker files, when built.
    pub checker_assets: Option<&'a CheckerAssets>,
    /// JSON-LD for `<script type="application/ld+json">` (already safe inside a script; empty
    /// when there is none). Mark it `| safe`.
    pub json_ld: String,
    /// The print edition holding this page, encoded, relative to the site root (`print.html`,
    /// or its section's `print-<section>.html` on a large site).
    pub print_url: String,
    /// The edition's language and folder.
    pub lang: &'a crate::i18n::LangView,
    /// This page in every edition (empty on a site with one language).
    pub alternates: Vec<crate::i18n::Alternate>,
    /// Fallback / staleness notice and the link to the original.
    pub translation: crate::i18n::TranslationView,
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
    /// Checker files.
    pub checker_assets: Option<CheckerAssets>,
    /// The sidebar per content folder and window (see [`render_sidebars`]).
    pub sidebars: std::sync::Arc<HashMap<SidebarKey, Sidebar>>,
    /// The edition being rendered: its language, string table and every page's versions.
    pub edition: EditionContext,
}

impl Shared<'_> {
    /// The template values every page of the edition shares: `t`, the theme's strings in its
    /// language, and `checker`, the checker's template context (null without a checker). A
    /// [`PageContext`] does not hold them: they are put into a thread's context once.
    pub(crate) fn constants(&self) -> [(&'static str, &serde_json::Value); 2] {
        [("t", &self.edition.t), ("checker", &self.checker)]
    }
}

/// The edition a [`Shared`] renders (the default language's when there is only one).
#[derive(Debug, Clone)]
pub struct EditionContext {
    /// Index of the edition in [`crate::i18n::Outputs`] (0: the default language).
    pub index: usize,
    /// `lang` in templates.
    pub lang: crate::i18n::LangView,
    /// `t` in templates: the theme's string table of this language (`{}` without tables).
    pub t: serde_json::Value,
    /// Every page's output in every edition, for alternates and the switcher.
    pub outputs: std::sync::Arc<crate::i18n::Outputs>,
}

impl Default for EditionContext {
    fn default() -> Self {
        Self {
            index: 0,
            lang: crate::i18n::LangView {
                code: String::new(),
                prefix: String::new(),
            },
            t: serde_json::Value::Object(serde_json::Map::new()),
            outputs: std::sync::Arc::default(),
        }
    }
}

impl EditionContext {
    /// One string of the table by dotted key, or the key itself when the theme has none.
    pub fn text<'k>(&'k self, key: &'k str) -> &'k str {
        key.split('.')
            .try_fold(&self.t, |v, k| v.get(k))
            .and_then(serde_json::Value::as_str)
            .unwrap_or(key)
    }
}

/// Receives each rendered page: (site-root-relative output path, HTML bytes).
pub type PageSink<'a> = dyn Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync + 'a;

fn date(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}
