//! The static files the `assets` stage lists, and the site-wide files the `write` stage writes
//! from the site model: sitemap.xml, robots.txt and the Atom feed (atom.xml). The stage list is
//! in `src/lib.rs`.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::site::Site;

/// A static file to copy: (site-root-relative output path, source path on disk).
pub type StaticFile = (String, PathBuf);

/// Lists every file under `root/dir` (missing folder: no files), sorted by path.
pub fn static_files(root: &Path, dir: &Path) -> Result<Vec<StaticFile>, Vec<Diagnostic>> {
    let full = root.join(dir);
    if !full.is_dir() {
        return Ok(Vec::new());
    }
    let (found, mut errors) = crate::load::input_files(root, dir, "static");
    let mut files = Vec::new();
    for (rel, path) in found {
        match crate::paths::relative_name(&rel) {
            Ok(name) => files.push((name, path)),
            Err(err) => errors.push(
                Diagnostic::error(dir.join(&rel), format!("bad file name: {err}"))
                    .help("rename the file or folder (its name becomes part of the output path)"),
            ),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// An XML document being written: quick-xml does the escaping and the two-space indentation.
type Xml = quick_xml::Writer<Vec<u8>>;

fn xml_start() -> Xml {
    let mut w = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
    let decl = quick_xml::events::BytesDecl::new("1.0", Some("UTF-8"), None);
    // Writing into a Vec cannot fail.
    let _ = w.write_event(quick_xml::events::Event::Decl(decl));
    w
}

fn xml_finish(w: Xml) -> String {
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    // Only `&str`s went in.
    String::from_utf8_lossy(&bytes).into_owned()
}

/// `<name>text</name>`.
fn text_element(w: &mut Xml, name: &str, text: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(quick_xml::events::BytesText::new(text))
        .map(|_| ())
}

/// sitemap.xml: every edition's pages in reading order, the default language's first,
/// fallback pages left out (they repeat the original, which is listed); in a site of several
/// languages each URL names all its translations, itself included, as `xhtml:link` alternates.
/// `lastmod` is `updated`, else `reviewed`, else `date` (never the clock, so rebuilds are
/// byte-identical). `editions` are (language tag, site), the default language's first.
pub fn sitemap(editions: &[(&str, &Site)], base_url: &str) -> String {
    let loc = |output: &str| format!("{base_url}{}", crate::paths::encode_path(output));
    // source → [(language, output)] of its real (non-fallback) versions.
    let mut versions: std::collections::HashMap<&str, Vec<(&str, &str)>> = Default::default();
    for (lang, site) in editions {
        for p in site.pages.iter().filter(|p| !p.fallback) {
            versions
                .entry(p.source.as_str())
                .or_default()
                .push((lang, p.output.as_str()));
        }
    }
    let mut w = xml_start();
    let _ = w
        .create_element("urlset")
        .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"))
        .with_attributes(
            (editions.len() > 1).then_some(("xmlns:xhtml", "http://www.w3.org/1999/xhtml")),
        )
        .write_inner_content(|w| {
            for (_, site) in editions {
                for &i in &site.order {
                    let p = &site.pages[i];
                    if p.fallback {
                        continue;
                    }
                    w.create_element("url").write_inner_content(|w| {
                        text_element(w, "loc", &loc(&p.output))?;
                        if let Some(d) = p.front.updated.or(p.front.reviewed).or(p.front.date) {
                            text_element(w, "lastmod", &d.format("%Y-%m-%d").to_string())?;
                        }
                        let alternates = versions
                            .get(p.source.as_str())
                            .map_or(&[][..], Vec::as_slice);
                        if alternates.len() > 1 {
                            for (lang, output) in alternates {
                                w.create_element("xhtml:link")
                                    .with_attributes([
                                        ("rel", "alternate"),
                                        ("hreflang", lang),
                                        ("href", loc(output).as_str()),
                                    ])
                                    .write_empty()?;
                            }
                        }
                        Ok(())
                    })?;
                }
            }
            Ok(())
        });
    xml_finish(w)
}

/// robots.txt allowing everything, pointing at the sitemap when there is one.
pub fn robots(base_url: Option<&str>) -> String {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if let Some(b) = base_url {
        out.push_str(&format!("\nSitemap: {b}sitemap.xml\n"));
    }
    out
}

/// What the Atom feed says about the site itself.
#[derive(Debug, Clone, Copy)]
pub struct FeedInfo<'a> {
    /// Feed title (`[book] title`).
    pub title: &'a str,
    /// Subtitle (`[book] description`).
    pub description: &'a str,
    /// `[book] language`.
    pub language: &'a str,
    /// Author names; the site title stands in when there are none (Atom requires one).
    pub authors: &'a [String],
    /// Absolute base URL ending with `/`.
    pub base_url: &'a str,
}

fn atom_date(d: chrono::NaiveDate) -> String {
    format!("{}T00:00:00Z", d.format("%Y-%m-%d"))
}

/// The Atom feed of one edition, written to `<prefix>atom.xml` (`atom.xml` for the default
/// language): every ordinary page inside a section (the guides and reference pages) that has a
/// date, newest first by `updated`, else `reviewed`, else `date` (reading order breaks ties),
/// with the edition's own title and language; its translated pages only (an untranslated page
/// is in the default language's feed). The feed's own `updated` is the newest entry's, so
/// rebuilds are byte-identical.
pub fn atom(site: &Site, info: &FeedInfo<'_>, prefix: &str) -> String {
    let site_base = info.base_url;
    let home = format!("{site_base}{prefix}");
    let base = site_base;
    let mut entries: Vec<(chrono::NaiveDate, usize, usize)> = site
        .order
        .iter()
        .enumerate()
        .filter_map(|(pos, &i)| {
            let p = &site.pages[i];
            let when = p.front.updated.or(p.front.reviewed).or(p.front.date)?;
            (p.kind == crate::load::Kind::Page && !p.dir.is_empty() && !p.fallback)
                .then_some((when, pos, i))
        })
        .collect();
    entries.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let updated = entries
        .iter()
        .map(|e| e.0)
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), atom_date);
    let names: Vec<&str> = if info.authors.is_empty() {
        vec![info.title]
    } else {
        info.authors.iter().map(String::as_str).collect()
    };
    let link = |w: &mut Xml, rel: &str, kind: &str, href: &str| {
        w.create_element("link")
            .with_attributes([("rel", rel), ("type", kind), ("href", href)])
            .write_empty()
            .map(|_| ())
    };
    let mut w = xml_start();
    let _ = w
        .create_element("feed")
        .with_attributes([
            ("xmlns", "http://www.w3.org/2005/Atom"),
            ("xml:lang", info.language),
        ])
        .write_inner_content(|w| {
            text_element(w, "title", info.title)?;
            if !info.description.is_empty() {
                text_element(w, "subtitle", info.description)?;
            }
            link(
                w,
                "self",
                "application/atom+xml",
                &format!("{home}atom.xml"),
            )?;
            link(w, "alternate", "text/html", &home)?;
            text_element(w, "id", &home)?;
            text_element(w, "updated", &updated)?;
            for name in &names {
                w.create_element("author")
                    .write_inner_content(|w| text_element(w, "name", name))?;
            }
            text_element(w, "generator", "beian-guide")?;
            for &(when, _, i) in &entries {
                let p = &site.pages[i];
                let url = format!("{base}{}", crate::paths::encode_path(&p.output));
                w.create_element("entry").write_inner_content(|w| {
                    text_element(w, "title", &p.title)?;
                    link(w, "alternate", "text/html", &url)?;
                    text_element(w, "id", &url)?;
                    text_element(w, "updated", &atom_date(when))?;
                    if let Some(d) = p.front.date {
                        text_element(w, "published", &atom_date(d))?;
                    }
                    if let Some(d) = &p.front.description {
                        w.create_element("summary")
                            .with_attribute(("type", "text"))
                            .write_text_content(quick_xml::events::BytesText::new(d))?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        });
    xml_finish(w)
}
