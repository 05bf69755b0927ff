//! Stage 6, `assets`: static files, sitemap.xml, robots.txt and the Atom feed (atom.xml).

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
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for entry in walkdir::WalkDir::new(&full).sort_by_file_name() {
        match entry {
            Ok(e) if e.depth() > 0 && e.path_is_symlink() => {
                let rel = e.path().strip_prefix(&full).unwrap_or(e.path());
                errors.push(crate::load::symlink_error(&dir.join(rel), "static"));
            }
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(&full).unwrap_or(e.path());
                match crate::write::relative_name(rel) {
                    Ok(name) => files.push((name, e.path().to_path_buf())),
                    Err(err) => errors.push(
                        Diagnostic::error(dir.join(rel), format!("bad file name: {err}")).help(
                            "rename the file or folder (its name becomes part of the output path)",
                        ),
                    ),
                }
            }
            Ok(_) => {}
            Err(err) => errors.push(crate::diagnostic::walk_error(root, dir, &err)),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// sitemap.xml in reading order; `lastmod` is `updated`, else `reviewed`, else `date` (never
/// the clock, so rebuilds are byte-identical).
pub fn sitemap(site: &Site, base_url: &str) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for &i in &site.order {
        let p = &site.pages[i];
        out.push_str("  <url>\n    <loc>");
        out.push_str(&xml_escape(&format!(
            "{base_url}{}",
            crate::paths::encode_path(&p.output)
        )));
        out.push_str("</loc>\n");
        if let Some(d) = p.front.updated.or(p.front.reviewed).or(p.front.date) {
            out.push_str(&format!(
                "    <lastmod>{}</lastmod>\n",
                d.format("%Y-%m-%d")
            ));
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    out
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

/// `atom.xml`: every ordinary page inside a section (the guides and reference pages) that has a
/// date, newest first by `updated`, else `reviewed`, else `date` (reading order breaks ties).
/// The feed's own `updated` is the newest entry's, so rebuilds are byte-identical.
pub fn atom(site: &Site, info: &FeedInfo<'_>) -> String {
    let base = info.base_url;
    let mut entries: Vec<(chrono::NaiveDate, usize, usize)> = site
        .order
        .iter()
        .enumerate()
        .filter_map(|(pos, &i)| {
            let p = &site.pages[i];
            let when = p.front.updated.or(p.front.reviewed).or(p.front.date)?;
            (p.kind == crate::load::Kind::Page && !p.dir.is_empty()).then_some((when, pos, i))
        })
        .collect();
    entries.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let updated = entries
        .iter()
        .map(|e| e.0)
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), atom_date);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml_escape(info.language)
    ));
    out.push_str(&format!("  <title>{}</title>\n", xml_escape(info.title)));
    if !info.description.is_empty() {
        out.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            xml_escape(info.description)
        ));
    }
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml_escape(&format!("{base}atom.xml"))
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(base)
    ));
    out.push_str(&format!("  <id>{}</id>\n", xml_escape(base)));
    out.push_str(&format!("  <updated>{updated}</updated>\n"));
    let names: Vec<&str> = if info.authors.is_empty() {
        vec![info.title]
    } else {
        info.authors.iter().map(String::as_str).collect()
    };
    for name in names {
        out.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            xml_escape(name)
        ));
    }
    out.push_str("  <generator>beian-guide</generator>\n");
    for (when, _, i) in entries {
        let p = &site.pages[i];
        let url = xml_escape(&format!("{base}{}", crate::paths::encode_path(&p.output)));
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", xml_escape(&p.title)));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n"
        ));
        out.push_str(&format!("    <id>{url}</id>\n"));
        out.push_str(&format!("    <updated>{}</updated>\n", atom_date(when)));
        if let Some(d) = p.front.date {
            out.push_str(&format!("    <published>{}</published>\n", atom_date(d)));
        }
        if let Some(d) = &p.front.description {
            out.push_str(&format!(
                "    <summary type=\"text\">{}</summary>\n",
                xml_escape(d)
            ));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}
