//! Generator side of the checker: loads and validates the rules data, resolves its links,
//! renders the no-JavaScript rules table, and runs the `classify` command.
//!
//! The classification itself lives in `beian_checker` (one implementation for the command, the
//! build and the browser); this module only does the file and terminal work around it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use beian_checker::{FieldKind, Link, Rules, RulesProblem, AXES, FIELDS};
use serde_json::{json, Value};
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{line_col, toml_error, Diagnostic, TomlHelp};

/// The checker's rules data, loaded and validated.
#[derive(Debug, Clone)]
pub struct CheckerData {
    path: PathBuf,
    rules: Rules,
    links: Vec<RuleLink>,
}

/// One link in the rules data, for the site's link graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleLink {
    /// Content-relative target as written, e.g. `guides/renewal.md#keep-access`.
    pub href: String,
    /// 1-based line in the rules file.
    pub line: usize,
    /// Language of the texts it belongs to (`zh-CN`, `en`): it is checked against, and
    /// resolved to, that language's edition.
    pub lang: String,
}

/// Loads `root/rel_path` (the rules TOML) and validates it; returns every problem at once.
///
/// Link targets are checked against the content folder, taken to be the folder above the rules
/// file's own folder (`content/checker/rules.toml` → `content/`).
pub fn load_rules(root: &Path, rel_path: &Path) -> Result<CheckerData, Vec<Diagnostic>> {
    let file = root.join(rel_path);
    let text = std::fs::read_to_string(&file).map_err(|e| {
        vec![
            Diagnostic::error(rel_path, format!("cannot read the checker rules: {e}")).help(
                "check `[checker] rules` in book.toml; the default is content/checker/rules.toml",
            ),
        ]
    })?;
    let rules = parse_rules(&text, rel_path)?;
    let spans = DeTable::parse(&text).ok();
    let locate = |path: &[String]| -> (usize, usize) {
        spans
            .as_ref()
            .and_then(|t| find_path(t.get_ref(), path))
            .map_or((1, 1), |offset| line_col(&text, offset))
    };

    let mut problems: Vec<Diagnostic> = rules
        .validate()
        .into_iter()
        .map(|p| problem_diagnostic(&p, rel_path, &text, locate(&p.path)))
        .collect();

    let links: Vec<RuleLink> = link_paths(&rules)
        .into_iter()
        .map(|(path, href)| RuleLink {
            href,
            line: locate(&path).0,
            lang: path.get(2).cloned().unwrap_or_default(),
        })
        .collect();
    if let Some(content) = file.parent().and_then(Path::parent) {
        for link in &links {
            let page = link
                .href
                .split_once('#')
                .map_or(link.href.as_str(), |(p, _)| p);
            if beian_checker::is_content_link(&link.href) && !content.join(page).is_file() {
                problems.push(
                    Diagnostic::error(rel_path, format!("link target `{page}` does not exist"))
                        .at(link.line, None)
                        .with_source(&text)
                        .help(format!(
                            "create {}, or fix the path (it is relative to the content folder)",
                            display_rel(root, &content.join(page))
                        )),
                );
            }
        }
    }
    if problems.is_empty() {
        Ok(CheckerData {
            path: rel_path.to_path_buf(),
            rules,
            links,
        })
    } else {
        Err(problems)
    }
}

/// Parses the TOML into [`Rules`]; a syntax or type error becomes one located diagnostic.
fn parse_rules(text: &str, rel_path: &Path) -> Result<Rules, Vec<Diagnostic>> {
    toml::from_str::<Rules>(text).map_err(|e| {
        let help = TomlHelp {
            unknown_field:
                "remove the key or fix its spelling; the message lists the keys allowed here",
            date: None,
            missing_field: "add the missing key; the file's header comment describes every table",
            invalid_type: Some(
                "give the value the type named in the message (text in quotes, numbers without)",
            ),
            other: "fix the TOML at this position; the file's header comment describes its layout",
        };
        vec![toml_error(
            rel_path,
            text,
            &e,
            "invalid checker rules: ",
            &help,
        )]
    })
}

fn problem_diagnostic(
    p: &RulesProblem,
    rel_path: &Path,
    text: &str,
    (line, col): (usize, usize),
) -> Diagnostic {
    let key = p.path.join(".");
    let message = if key.is_empty() {
        p.message.clone()
    } else {
        format!("{} (at `{key}`)", p.message)
    };
    Diagnostic::error(rel_path, message)
        .at(line, Some(col))
        .with_source(text)
        .help(p.help.clone())
}

/// The byte offset of the deepest key of `path` found in the parsed TOML (array elements are
/// addressed by index), so a problem points at its key, or at the nearest enclosing one.
fn find_path(table: &DeTable<'_>, path: &[String]) -> Option<usize> {
    let (first, rest) = path.split_first()?;
    let (key, value) = table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == first.as_str())?;
    let here = key.span().start;
    Some(find_in_value(value.get_ref(), rest).unwrap_or(here))
}

fn find_in_value(value: &DeValue<'_>, path: &[String]) -> Option<usize> {
    let (first, rest) = path.split_first()?;
    match value {
        DeValue::Table(t) => find_path(t, path),
        DeValue::Array(items) => {
            let item = items.get(first.parse::<usize>().ok()?)?;
            Some(find_in_value(item.get_ref(), rest).unwrap_or(item.span().start))
        }
        _ => None,
    }
}

/// Every link in the rules with its key path (`states.X.zh-CN.links.0.href`).
fn link_paths(rules: &Rules) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    let mut add = |prefix: Vec<String>, links: &[Link]| {
        for (i, link) in links.iter().enumerate() {
            let mut path = prefix.clone();
            path.extend([i.to_string(), "href".to_owned()]);
            out.push((path, link.href.clone()));
        }
    };
    for (code, map) in &rules.states {
        let langs =
            std::iter::once(("zh-CN", &map.zh_cn)).chain(map.en.as_ref().map(|en| ("en", en)));
        for (lang, texts) in langs {
            let base = vec!["states".to_owned(), code.clone(), lang.to_owned()];
            add(
                [base.clone(), vec!["links".to_owned()]].concat(),
                &texts.links,
            );
            for (provider, extra) in &texts.providers {
                add(
                    [
                        base.clone(),
                        vec!["providers".to_owned(), provider.clone(), "links".to_owned()],
                    ]
                    .concat(),
                    &extra.links,
                );
            }
            for (variant, extra) in &texts.variants {
                add(
                    [
                        base.clone(),
                        vec!["variants".to_owned(), variant.clone(), "links".to_owned()],
                    ]
                    .concat(),
                    &extra.links,
                );
            }
        }
    }
    for (code, map) in &rules.reasons {
        let langs =
            std::iter::once(("zh-CN", &map.zh_cn)).chain(map.en.as_ref().map(|en| ("en", en)));
        for (lang, texts) in langs {
            add(
                vec![
                    "reasons".to_owned(),
                    code.clone(),
                    lang.to_owned(),
                    "links".to_owned(),
                ],
                &texts.links,
            );
        }
    }
    out
}

fn display_rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

impl CheckerData {
    /// Path of the rules file relative to the site root.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The validated rules.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Every link target in the rules data, with its line.
    pub fn links(&self) -> Vec<RuleLink> {
        self.links.clone()
    }

    /// Replaces each content link by a site-root-relative URL (`resolve` gets the href as written).
    /// A link that `resolve` does not know is kept as written (the link check reports it).
    pub fn resolve_links(&mut self, resolve: &dyn Fn(&str) -> Option<String>) {
        self.resolve_links_in(&|_, href| resolve(href));
    }

    /// Like [`CheckerData::resolve_links`], per language: `resolve` gets the texts' language
    /// (`zh-CN` or `en`) and the href, so the English texts link to the English edition.
    pub fn resolve_links_in(&mut self, resolve: &dyn Fn(&str, &str) -> Option<String>) {
        let fix = |lang: &str, links: &mut Vec<Link>| {
            for link in links {
                if let Some(url) = resolve(lang, &link.href) {
                    link.href = url;
                }
            }
        };
        for map in self.rules.states.values_mut() {
            let langs = std::iter::once(("zh-CN", &mut map.zh_cn))
                .chain(map.en.as_mut().map(|en| ("en", en)));
            for (lang, texts) in langs {
                fix(lang, &mut texts.links);
                for extra in texts.providers.values_mut() {
                    fix(lang, &mut extra.links);
                }
                for extra in texts.variants.values_mut() {
                    fix(lang, &mut extra.links);
                }
            }
        }
        for map in self.rules.reasons.values_mut() {
            let langs = std::iter::once(("zh-CN", &mut map.zh_cn))
                .chain(map.en.as_mut().map(|en| ("en", en)));
            for (lang, texts) in langs {
                fix(lang, &mut texts.links);
            }
        }
    }

    /// Replaces each content link by the output path of the page it names in the texts'
    /// language's edition (`by_lang`: language → content source → output; a language without
    /// an edition links to `default`'s). A link to no page is kept as written.
    pub fn resolve_to_outputs(
        &mut self,
        default: &HashMap<String, String>,
        by_lang: &HashMap<&str, &HashMap<String, String>>,
    ) {
        self.resolve_links_in(&|lang: &str, href: &str| {
            let (path, anchor) = href
                .split_once('#')
                .map_or((href, None), |(p, a)| (p, Some(a)));
            let outputs = by_lang.get(lang).copied().unwrap_or(default);
            outputs.get(path).map(|o| match anchor {
                Some(a) => format!("{o}#{a}"),
                None => o.clone(),
            })
        });
    }

    /// The rules as JSON, handed to the WebAssembly module in the page.
    pub fn rules_json(&self) -> String {
        // Serializing plain strings, numbers and maps cannot fail; an empty object would make
        // the page's script report the problem instead of panicking here.
        serde_json::to_string(&self.rules).unwrap_or_else(|_| "{}".to_owned())
    }

    /// The rules as JSON for a page in `lang`: the same answers in that language as
    /// [`CheckerData::rules_json`], without the texts only the other language reads, so a page
    /// ships about half the rules (issue 20).
    ///
    /// Every text table of the rules (`messages`, and each entry of `axes`, `states`, `fields`,
    /// `reasons`) is a `{ "zh-CN": …, "en": … }` pair, and the core picks a text of the output
    /// language by its key path, falling back to zh-CN at the same path only where the English
    /// one is blank (a string), empty (a list) or absent (a key). So:
    /// - `zh-CN`: every `en` table is dropped (a zh-CN answer never reads one);
    /// - `en`: a zh-CN string at a path where the English string is not blank becomes `""`, and a
    ///   zh-CN list where the English list is not empty becomes `[]`; keys are kept (which
    ///   variants exist is read from the zh-CN table), and what has no English counterpart is
    ///   kept as it is (the fallback);
    /// - any other language: the whole rules (the core answers it in zh-CN);
    /// - in every language, each threshold's `source`, `note` and `verified` become `""`: the
    ///   reader requires the keys, no answer reads them (the pages show them from the
    ///   generator's copy), and they were about a tenth of the file.
    ///
    /// `tests/integration/checker_assets.rs` checks that every case of the shared table, and a
    /// grid over providers, notice reasons and access states, answers the same with these rules
    /// as with the whole rules, in both languages.
    pub fn rules_json_for(&self, lang: &str) -> String {
        let Ok(mut all) = serde_json::to_value(&self.rules) else {
            return "{}".to_owned();
        };
        if let Some(Value::Object(thresholds)) = all.get_mut("thresholds") {
            for t in thresholds.values_mut().filter_map(Value::as_object_mut) {
                for key in ["source", "note", "verified"] {
                    if let Some(v) = t.get_mut(key) {
                        *v = Value::from("");
                    }
                }
            }
        }
        if lang == "zh-CN" || lang == "en" {
            for pair in text_tables(&mut all) {
                let Value::Object(pair) = pair else { continue };
                if lang == "zh-CN" {
                    pair.remove("en");
                } else if let Some(en) = pair.get("en").cloned() {
                    if let Some(zh) = pair.get_mut("zh-CN") {
                        drop_shadowed(zh, &en);
                    }
                }
            }
        }
        all.to_string()
    }

    /// Template context for the checker page and the embedded widget (fields, options,
    /// the static rules table rendered by the native core).
    ///
    /// ```text
    /// { lang, axes: [{ axis, title, description, rows: [TableRow + severity_label] }],
    ///   fields: [{ name, kind, group, label, hint, default, options: [{ value, label }] }],
    ///   field_texts: { name: { label, hint, options: { value: label } } },
    ///   severities: { ok: "正常", … }, thresholds: { name: { value, source, verified, note } } }
    /// ```
    ///
    /// `field_texts` holds the same labels and hints keyed by field name, so a template can
    /// ask for one field directly (`checker.field_texts.accessStatus.hint`).
    pub fn template_context(&self, lang: &str) -> Value {
        let rules = &self.rules;
        let table = beian_checker::rules_table(rules, lang);
        let axes: Vec<Value> = AXES
            .iter()
            .map(|&axis| {
                let (title, description) = rules.axis_texts(axis, lang);
                let rows: Vec<Value> = table
                    .iter()
                    .filter(|r| r.axis == axis)
                    .map(|r| {
                        let mut row = serde_json::to_value(r).unwrap_or(Value::Null);
                        if let Value::Object(m) = &mut row {
                            m.insert(
                                "severity_label".into(),
                                rules.severity_label(r.severity, lang).into(),
                            );
                        }
                        row
                    })
                    .collect();
                json!({ "axis": axis, "title": title, "description": description, "rows": rows })
            })
            .collect();
        let mut field_texts = serde_json::Map::new();
        // In the form's order: the notice questions together, the other filings next to the
        // access status they qualify.
        let mut ordered: Vec<(&str, FieldKind)> = FIELDS.to_vec();
        ordered.sort_by_key(|(name, _)| {
            FORM_ORDER
                .iter()
                .position(|n| n == name)
                .unwrap_or(usize::MAX)
        });
        let fields: Vec<Value> = ordered
            .iter()
            .map(|&(name, kind)| {
                let (label, hint) = rules.field_texts(name, lang);
                let (kind_name, options): (&str, &[&str]) = match kind {
                    FieldKind::Date => ("date", &[]),
                    FieldKind::Bool => ("bool", &[]),
                    FieldKind::Count => ("count", &[]),
                    FieldKind::Choice(options) => ("choice", options),
                };
                let options: Vec<Value> = options
                    .iter()
                    .map(|o| json!({ "value": o, "label": rules.option_text(name, o, lang) }))
                    .collect();
                let option_map: serde_json::Map<String, Value> = options
                    .iter()
                    .map(|o| {
                        (
                            o["value"].as_str().unwrap_or_default().to_owned(),
                            o["label"].clone(),
                        )
                    })
                    .collect();
                field_texts.insert(
                    name.to_owned(),
                    json!({ "label": label, "hint": hint, "options": option_map }),
                );
                json!({
                    "name": name,
                    "kind": kind_name,
                    "group": field_group(name),
                    "label": label,
                    "hint": hint,
                    "default": field_default(name),
                    "options": options,
                })
            })
            .collect();
        let severities: serde_json::Map<String, Value> = [
            beian_checker::Severity::Ok,
            beian_checker::Severity::Info,
            beian_checker::Severity::Warning,
            beian_checker::Severity::Danger,
        ]
        .into_iter()
        .map(|s| {
            (
                s.code().to_owned(),
                Value::from(rules.severity_label(s, lang)),
            )
        })
        .collect();
        // The fixes per notice reason, for the rules table (after the filing axis).
        let reasons: Vec<Value> = beian_checker::NOTICE_REASONS
            .iter()
            .filter_map(|code| {
                let (title, actions, links) = rules.reason_texts(code, lang)?;
                Some(json!({ "code": code, "title": title, "actions": actions, "links": links }))
            })
            .collect();
        json!({
            "lang": lang,
            "axes": axes,
            "reasons": reasons,
            "fields": fields,
            "field_texts": field_texts,
            "severities": severities,
            "thresholds": rules.thresholds,
        })
    }
}

/// The `{ "zh-CN": …, "en": … }` text tables of the serialized rules (see [`Rules`]): `messages`
/// and every entry of `axes`, `states`, `fields` and `reasons`.
fn text_tables(rules: &mut Value) -> Vec<&mut Value> {
    let Value::Object(rules) = rules else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in rules.iter_mut() {
        match (key.as_str(), value) {
            ("messages", v) => out.push(v),
            ("axes" | "states" | "fields" | "reasons", Value::Object(entries)) => {
                out.extend(entries.values_mut());
            }
            _ => {}
        }
    }
    out
}

/// Empties what of the zh-CN texts `zh` an English answer never reads, given the English texts
/// `en` at the same path (see [`CheckerData::rules_json_for`]).
fn drop_shadowed(zh: &mut Value, en: &Value) {
    match (zh, en) {
        (Value::String(z), Value::String(e)) if !e.trim().is_empty() => z.clear(),
        (Value::Array(z), Value::Array(e)) if !e.is_empty() => z.clear(),
        (Value::Object(z), Value::Object(e)) => {
            for (key, value) in z.iter_mut() {
                if let Some(en) = e.get(key) {
                    drop_shadowed(value, en);
                }
            }
        }
        _ => {}
    }
}

/// The order of the form's fields where it differs from the contract's (fields not listed come
/// after, in contract order).
const FORM_ORDER: &[&str] = &[
    "provider",
    "serverExpiry",
    "miitLookup",
    "accessStatus",
    "otherFilings",
    "noticeReceived",
    "noticeDeadline",
    "noticeReason",
    "domainExpiry",
];

/// Which part of the form a field belongs in: `basic` is always shown; the others can be
/// folded away until needed; `advanced` holds `today` and `lang`.
fn field_group(name: &str) -> &'static str {
    match name {
        "provider" | "serverExpiry" | "miitLookup" | "accessStatus" | "otherFilings"
        | "noticeReceived" | "noticeDeadline" | "noticeReason" | "domainExpiry" => "basic",
        "planningRefile" | "serverBilling" | "serverPurchaseMonths" => "refile",
        "licenceExpiry" | "licenceIssue" | "annualReportFiled" => "licence",
        "siteOpened" | "gaFiled" => "publicSecurity",
        _ => "advanced",
    }
}

/// The contract's default of a choice field, if it names one.
fn field_default(name: &str) -> Value {
    match name {
        "lang" => "zh-CN".into(),
        "provider" => "other".into(),
        "miitLookup" | "accessStatus" | "noticeReason" | "otherFilings" => "unknown".into(),
        _ => Value::Null,
    }
}

/// Today's date on the clock of Asia/Shanghai (UTC+8 all year: China has no daylight saving),
/// the time zone the guide's dates are written in. The clock is read here; the date rule is
/// the checker's ([`beian_checker::today_in_shanghai`]), so the generator and the checker never
/// disagree about what day it is.
pub fn today_in_shanghai() -> chrono::NaiveDate {
    beian_checker::today_in_shanghai(chrono::Utc::now().timestamp_millis())
}

/// Validates a preset from a ```` ```checker ```` block against the contract's input fields.
/// Same validation as the classification (one implementation, in `beian_checker`).
pub fn validate_preset(preset: &serde_json::Map<String, serde_json::Value>) -> Result<(), String> {
    beian_checker::check_input(preset).map_err(|problems| {
        problems
            .iter()
            .map(|p| p.describe())
            .collect::<Vec<_>>()
            .join("; ")
    })
}

mod minify;

/// The theme's checker scripts (paths in the static folder), which the build ships without
/// comments or indentation (`minify.rs`): a shared checker link waits for every byte of them.
/// Other static scripts are copied as they are.
pub(crate) const SCRIPTS: [&str; 3] = ["checker.js", "checker-dates.js", "checker/checker-ics.js"];

/// The bytes the build writes for the static file `rel` read as `bytes`: a checker script
/// shrunk (when its source can be followed: otherwise as it is), any other file unchanged.
pub(crate) fn shipped_static<'a>(rel: &str, bytes: &'a [u8]) -> std::borrow::Cow<'a, [u8]> {
    let small = SCRIPTS
        .contains(&rel)
        .then(|| std::str::from_utf8(bytes).ok().and_then(minify::minify_js))
        .flatten();
    match small {
        Some(text) => std::borrow::Cow::Owned(text.into_bytes()),
        None => std::borrow::Cow::Borrowed(bytes),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn preset_problems_are_described() {
        let preset: serde_json::Map<String, Value> =
            serde_json::from_str(r#"{"miitLookup": "gone", "accessStatus": "active_no_access", "planningRefile": true, "serverExpiry": "2026-02-30", "x": 1}"#)
                .unwrap();
        let e = validate_preset(&preset).unwrap_err();
        assert!(e.contains("`serverExpiry` must be a real date"), "{e}");
        assert!(e.contains("`miitLookup` must be one of"), "{e}");
        assert!(
            e.contains("`accessStatus` must be one of: \"active\", \"cancelled\", \"unknown\""),
            "{e}"
        );
        assert!(e.contains("unknown field `x`"), "{e}");
        assert!(validate_preset(&serde_json::Map::new()).is_ok());
    }
}
