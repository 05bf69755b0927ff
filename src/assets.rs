//! Stage 6, `assets`: static files, sitemap.xml and robots.txt.

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
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(&full).unwrap_or(e.path());
                files.push((
                    rel.to_string_lossy().replace('\\', "/"),
                    e.path().to_path_buf(),
                ));
            }
            Ok(_) => {}
            Err(err) => errors.push(Diagnostic::error(
                dir,
                format!("cannot read the static folder: {err}"),
            )),
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
        out.push_str(&xml_escape(&format!("{base_url}{}", p.output)));
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
