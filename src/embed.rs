//! The checker in the pages, for the build: the rules loaded for a run (or, without a rules
//! file, the pages that needed one), the widget drawn for each ```` ```checker ```` block and
//! the chain picture for ```` ```chain ```` blocks, in an edition's language.
//!
//! Layer 6 (beside `render`): it renders the theme's partials with the loaded [`Templates`]; the
//! Markdown stage gets these as closures, so `markdown` and `checker` stay below `render`.
// A render failure is a `Diagnostic` by value (see `render`).
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::render::{self, Templates};
use crate::{chain, checker, config, i18n, load, paths};

/// Loads the checker rules when the rules file exists; when it does not, the checker is absent,
/// which is only an error if a page needs it.
pub(crate) fn load_checker(
    root: &Path,
    config: &config::Config,
    pages: &[load::Page],
    outputs: &HashMap<String, String>,
    by_lang: &HashMap<&str, &HashMap<String, String>>,
) -> Result<Option<checker::CheckerData>, Vec<Diagnostic>> {
    let rules = &config.checker.rules;
    if root.join(rules).is_file() {
        let mut data = checker::load_rules(root, rules)?;
        // Each language's texts link to that language's edition (the default's when the site
        // has no such edition).
        data.resolve_links_in(&|lang: &str, href: &str| {
            let (path, anchor) = href
                .split_once('#')
                .map_or((href, None), |(p, a)| (p, Some(a)));
            let outputs = by_lang.get(lang).copied().unwrap_or(outputs);
            outputs.get(path).map(|o| match anchor {
                Some(a) => format!("{o}#{a}"),
                None => o.clone(),
            })
        });
        return Ok(Some(data));
    }
    let users: Vec<Diagnostic> = pages
        .iter()
        .filter(|p| Templates::template_for(p) == "checker.html" || p.body().contains("```checker"))
        .map(|p| {
            let line = p
                .raw
                .lines()
                .position(|l| l.trim_start().starts_with("```checker"))
                .map(|i| i + 1)
                .or_else(|| crate::load::front_matter_key_line(&p.raw, "template"));
            let d = Diagnostic::error(
                &p.file,
                format!(
                    "this page uses the checker but the rules file `{}` does not exist",
                    rules.display()
                ),
            )
            .help("create the rules file, or set `[checker] rules` in book.toml");
            match line {
                Some(l) => d.at(l, None).with_source(&p.raw),
                None => d,
            }
        })
        .collect();
    if users.is_empty() {
        Ok(None)
    } else {
        Err(users)
    }
}

/// What an edition's checker embeds and chain pictures are drawn with.
#[derive(Debug)]
pub(crate) struct Embeds<'c> {
    pub(crate) lang: i18n::LangView,
    /// The string table of the edition's language.
    pub(crate) t: serde_json::Value,
    /// The string table of the default language (a fallback page's texts are in it).
    pub(crate) default_t: serde_json::Value,
    /// `checker` in the edition's templates.
    pub(crate) context: &'c serde_json::Value,
}

/// The searchable text of the chain picture in the edition's language: its caption, as
/// `partials/chain.html` writes it (the steps are drawn in SVG, which search leaves out).
pub(crate) fn chain_text(chain: &chain::Chain, embeds: &Embeds<'_>) -> String {
    let cx = chain.template_context_in(&embeds.lang.code);
    let field =
        |v: &serde_json::Value, k: &str| v.get(k).and_then(|v| v.as_str()).unwrap_or("").to_owned();
    let (title, caption) = (field(&cx, "title"), field(&cx, "caption"));
    match caption.is_empty() {
        true => title,
        false => format!("{title}{}{caption}", field(&embeds.t, "colon")),
    }
}

/// Draws the chain picture (`partials/chain.html`) for ```` ```chain ```` blocks, in the
/// edition's language.
pub(crate) fn render_chain(
    templates: &Templates,
    chain: &chain::Chain,
    embeds: &Embeds<'_>,
) -> Result<String, Vec<Diagnostic>> {
    const PARTIAL: &str = "partials/chain.html";
    let help = "fix the template, or remove content/checker/chain.toml to go without the picture";
    if !templates.has(PARTIAL) {
        return Err(vec![Diagnostic::error(
            PARTIAL,
            format!("the site has chain data but no template `{PARTIAL}`"),
        )
        .help(help)]);
    }
    let mut cx = tera::Context::new();
    cx.insert("chain", &chain.template_context_in(&embeds.lang.code));
    cx.insert("t", &embeds.t);
    cx.insert("lang", &embeds.lang);
    templates
        .tera
        .render(PARTIAL, &cx)
        .map_err(|e| vec![Diagnostic::error(PARTIAL, render::tera_chain(&e)).help(help)])
}

/// Renders `partials/checker-widget.html` for one ```` ```checker ```` block.
pub(crate) fn embed_widget(
    templates: &Templates,
    present: bool,
    embeds: &Embeds<'_>,
    default_lang: &str,
    preset: &serde_json::Map<String, serde_json::Value>,
    instance: usize,
    root: &str,
) -> Result<String, String> {
    const WIDGET: &str = "partials/checker-widget.html";
    if !present {
        return Err("the site has no checker rules file".to_owned());
    }
    if !templates.has(WIDGET) {
        return Err(format!("template `{WIDGET}` does not exist"));
    }
    let query: Vec<String> = preset
        .iter()
        .map(|(k, v)| {
            let v = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!(
                "{}={}",
                paths::encode_query_component(k),
                paths::encode_query_component(&v)
            )
        })
        .collect();
    let mut cx = tera::Context::new();
    cx.insert("preset", preset);
    cx.insert("preset_query", &query.join("&"));
    cx.insert("instance", &instance);
    cx.insert("root", root);
    cx.insert("checker", embeds.context);
    cx.insert("t", &embeds.t);
    cx.insert("lang", &embeds.lang);
    cx.insert("default_lang", default_lang);
    templates
        .tera
        .render(WIDGET, &cx)
        .map_err(|e| render::tera_chain(&e))
}
