//! Loading the templates folder into one Tera instance, Tera error mapping, and the HTML escaping
//! the templates use.

use std::path::Path;

use serde::Serialize;

use super::{Templates, SIDEBAR_TEMPLATE};
use crate::diagnostic::Diagnostic;
use crate::load::{Kind, Page};

/// Templates every site must have.
pub const REQUIRED_TEMPLATES: [&str; 5] = [
    "page.html",
    "section.html",
    "index.html",
    "404.html",
    SIDEBAR_TEMPLATE,
];

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

pub use crate::html::escape_html;

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
        let (found, mut errors) = crate::load::input_files(root, dir, "templates");
        let mut files = Vec::new();
        for (rel, path) in found.iter().filter(|(_, p)| is_template_file(p)) {
            let name = rel.to_string_lossy().replace('\\', "/");
            match std::fs::read_to_string(path) {
                // A byte order mark (Windows editors write one) is not part of the page.
                Ok(text) => files.push((
                    name,
                    match text.strip_prefix('\u{feff}') {
                        Some(t) => t.to_owned(),
                        None => text,
                    },
                )),
                Err(err) => errors.push(Diagnostic::error(
                    dir.join(rel),
                    format!("cannot read template: {err}"),
                )),
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
    pub fn check_pages<'p>(&self, pages: impl IntoIterator<Item = &'p Page>) -> Vec<Diagnostic> {
        pages
            .into_iter()
            .filter(|p| !self.has(Self::template_for(p)))
            .map(|p| {
                let name = Self::template_for(p);
                let mut d = Diagnostic::error(&p.file, format!("template `{name}` does not exist"))
                    .help(format!(
                        "create `{}` or fix the `template` name",
                        self.dir.join(name).display()
                    ));
                if let Some(line) = crate::load::front_matter_key_line(&p.raw, "template") {
                    d = d.at(line, None).with_source(&p.raw);
                }
                d
            })
            .collect()
    }
}

/// A context holding `constants` (the same for every page of an edition: its string table, the
/// checker's context), cloned in once: pages rendered in it with [`render_with`] or
/// [`render_bytes`] bring only their own values, and the constants are neither copied nor
/// serialized again for each page.
pub(super) fn context_with(
    constants: &[(&str, &serde_json::Value)],
) -> Result<tera::Context, String> {
    let map = constants
        .iter()
        .map(|(name, v)| ((*name).to_owned(), (*v).clone()))
        .collect();
    tera::Context::from_value(serde_json::Value::Object(map)).map_err(|e| tera_chain(&e))
}

/// Puts `cx`'s values into `context`, replacing those of the page rendered in it before (every
/// page has the same keys).
fn fill<T: Serialize>(context: &mut tera::Context, cx: &T) -> Result<(), String> {
    let own = serde_json::to_value(cx).map_err(|e| e.to_string())?;
    context.extend(tera::Context::from_value(own).map_err(|e| tera_chain(&e))?);
    Ok(())
}

/// Renders template `name` with `cx` in `context` (see [`context_with`]).
pub(super) fn render_with<T: Serialize>(
    templates: &Templates,
    name: &str,
    cx: &T,
    context: &mut tera::Context,
) -> Result<String, String> {
    fill(context, cx)?;
    templates
        .tera
        .render(name, context)
        .map_err(|e| tera_chain(&e))
}

/// Like `render_with` but keeps the bytes: pages go straight to disk, and re-validating
/// every page as UTF-8 was a measurable share of a large build.
pub(super) fn render_bytes<T: Serialize>(
    templates: &Templates,
    name: &str,
    cx: &T,
    context: &mut tera::Context,
) -> Result<Vec<u8>, String> {
    fill(context, cx)?;
    let mut out = Vec::with_capacity(16 * 1024);
    templates
        .tera
        .render_to(name, context, &mut out)
        .map_err(|e| tera_chain(&e))?;
    Ok(out)
}
