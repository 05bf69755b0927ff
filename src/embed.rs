//! The checker in the pages, for the build: the rules loaded for a run (or, without a rules
//! file, the pages that needed one) and what the templates and the output get from them
//! ([`CheckerStage`]), the widget drawn for each ```` ```checker ```` block and the chain picture
//! for ```` ```chain ```` blocks, in an edition's language.
//!
//! Layer 6 (beside `render`): it renders the theme's partials with the loaded [`Templates`]; the
//! Markdown stage gets these as closures, so `markdown` and `checker` stay below `render`.
// A render failure is a `Diagnostic` by value (see `render`).
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::render::{self, Templates};
use crate::{chain, checker, config, i18n, load, markdown, paths, wasm};

/// The checker rules and the chain picture, with what the templates and embeds get from them.
#[derive(Debug, Default)]
pub(crate) struct CheckerStage {
    pub(crate) data: Option<checker::CheckerData>,
    /// The rules data was bad: checker blocks are validated but render as nothing.
    pub(crate) failed: bool,
    pub(crate) chain: Option<chain::Chain>,
    pub(crate) chain_failed: bool,
    /// The rules of each edition's language as their own content-hashed files,
    /// `checker/rules.<lang>.<hash>.json` and the classic-script twin `rules.<lang>.<hash>.js`
    /// (path, text), the default language's first.
    pub(crate) rules_assets: Vec<(String, String)>,
    /// `checker` in every template of the default language.
    pub(crate) context: serde_json::Value,
}

impl CheckerStage {
    /// What the rules (`failed`: their data was bad) and the chain picture's data give the
    /// templates of the default `language` and the output.
    pub(crate) fn new(
        data: Option<checker::CheckerData>,
        failed: bool,
        chain: Option<chain::Chain>,
        chain_failed: bool,
        language: &str,
    ) -> Self {
        let mut c = Self {
            data,
            failed,
            chain,
            chain_failed,
            ..Self::default()
        };
        c.context = c.context_in(language);
        c
    }

    /// `checker` in the templates of the edition in `lang`; adds that language's rules files
    /// to [`CheckerStage::rules_assets`] (once per language).
    ///
    /// The rules go in their own content-hashed file per language, holding only what answers
    /// in that language need ([`checker::CheckerData::rules_json_for`]): the checker page and
    /// every embed fetch it (the checker page names it in a preload from its head), and a
    /// browser caches it. Its path is in the template context (`checker.rules_url`) before the
    /// Markdown stage renders the embeds. The classic-script twin (same hash) is for pages
    /// opened from file://, which cannot fetch the JSON but can run a script.
    pub(crate) fn context_in(&mut self, lang: &str) -> serde_json::Value {
        let Some(data) = &self.data else {
            return serde_json::Value::Null;
        };
        let mut context = data.template_context(lang);
        let json = data.rules_json_for(lang);
        let rel = format!(
            "{}/rules.{lang}.{}.json",
            wasm::OUTPUT_DIR,
            wasm::content_hash(json.as_bytes())
        );
        if !self.rules_assets.iter().any(|(r, _)| *r == rel) {
            let script = (wasm::rules_script_path(&rel), wasm::rules_script(&json));
            self.rules_assets.extend([(rel.clone(), json), script]);
        }
        if let serde_json::Value::Object(m) = &mut context {
            m.insert("rules_url".to_owned(), rel.into());
            if let Some(chain) = &self.chain {
                m.insert("chain".to_owned(), chain.template_context_in(lang));
            }
        }
        context
    }

    /// The chain picture for ```` ```chain ```` blocks and its searchable text, in the edition's
    /// language: empty when its data was bad, `None` when the site has none.
    pub(crate) fn chain_picture(
        &self,
        templates: &Templates,
        embeds: &Embeds<'_>,
    ) -> Result<Option<(String, String)>, Vec<Diagnostic>> {
        Ok(match &self.chain {
            Some(chain) => Some((
                render_chain(templates, chain, embeds)?,
                chain_text(chain, embeds),
            )),
            None if self.chain_failed => Some((String::new(), String::new())),
            None => None,
        })
    }

    /// One ```` ```checker ```` block: its preset is validated even when the rules failed (the
    /// block then renders as nothing), then the widget is drawn.
    pub(crate) fn checker_block(
        &self,
        templates: &Templates,
        embeds: &Embeds<'_>,
        default_lang: &str,
        preset: &serde_json::Map<String, serde_json::Value>,
        instance: usize,
        page_root: &str,
    ) -> Result<String, markdown::EmbedError> {
        checker::validate_preset(preset).map_err(markdown::EmbedError::Preset)?;
        if self.failed {
            return Ok(String::new());
        }
        embed_widget(
            templates,
            self.data.is_some(),
            embeds,
            default_lang,
            preset,
            instance,
            page_root,
        )
        .map_err(markdown::EmbedError::Render)
    }
}

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
        data.resolve_to_outputs(outputs, by_lang);
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
fn chain_text(chain: &chain::Chain, embeds: &Embeds<'_>) -> String {
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
fn render_chain(
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
fn embed_widget(
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
