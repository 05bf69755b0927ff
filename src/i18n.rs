//! Languages: the editions of the site (the default language from `[book]`, one more per
//! `[languages.<tag>]`), the pairing of `name.<tag>.md` translations with the pages they
//! translate (inherited front matter, fallback pages, staleness), and the theme's per-language
//! string tables (`templates/i18n/<tag>.toml`).
//!
//! Every edition holds a page for every source page, under the same `source` (so a link
//! written to `guides/renewal.md` resolves inside the edition, and the section tree, reading
//! order and link check work per edition unchanged): the translation when there is one, else
//! the default language's page marked [`Page::fallback`]. Extra editions are written under
//! `<tag>/`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::Page;

/// One language of the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Language {
    /// BCP 47 tag, e.g. `zh-CN`, `en`.
    pub code: String,
    /// Folder of the edition's pages relative to the site root: `""` for the default language,
    /// `"en/"` for English.
    pub prefix: String,
    /// Site title in this language.
    pub title: String,
    /// Site description in this language.
    pub description: String,
    /// The default language (`[book] language`).
    pub is_default: bool,
}

/// The site's languages, the default first, then the `[languages]` tables in name order.
pub fn languages(config: &Config) -> Vec<Language> {
    let mut out = vec![Language {
        code: config.book.language.clone(),
        prefix: String::new(),
        title: config.book.title.clone(),
        description: config.book.description.clone(),
        is_default: true,
    }];
    out.extend(config.languages.iter().map(|(code, l)| Language {
        code: code.clone(),
        prefix: format!("{code}/"),
        title: l.title.clone(),
        description: if l.description.is_empty() {
            config.book.description.clone()
        } else {
            l.description.clone()
        },
        is_default: false,
    }));
    out
}

/// One edition: a language and its pages (sorted by `source`, like [`crate::load::Content`]).
#[derive(Debug, Clone)]
pub struct Edition {
    /// Its language.
    pub lang: Language,
    /// Every page of the edition.
    pub pages: Vec<Page>,
}

/// What pairing the translations found besides errors.
#[derive(Debug, Default)]
pub struct Pairing {
    /// The editions, the default language's first.
    pub editions: Vec<Edition>,
    /// Stale translations (warnings; `check --strict` makes them errors).
    pub warnings: Vec<Diagnostic>,
    /// Translations that could not be paired (their pages fall back to the original).
    pub errors: Vec<Diagnostic>,
}

/// The date a translation is compared with: the source page's `updated`, else its `reviewed`.
pub fn source_date(page: &Page) -> Option<chrono::NaiveDate> {
    page.front.updated.or(page.front.reviewed)
}

/// Builds the editions from the default language's pages and the translations. Errors (in
/// [`Pairing::errors`]; the page then falls back to the original): a translation in a language
/// that is not configured, of a page that does not exist, or without its `description`.
/// Pages of `unloaded` sources are not judged.
pub fn editions(
    languages: &[Language],
    pages: Vec<Page>,
    translations: Vec<Page>,
    unloaded: &std::collections::BTreeSet<String>,
) -> Pairing {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let by_source: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.source.as_str(), i))
        .collect();
    let extra: Vec<&Language> = languages.iter().filter(|l| !l.is_default).collect();
    let mut translated: BTreeMap<(&str, usize), Page> = BTreeMap::new();
    for t in translations {
        let tag = t.lang.clone().unwrap_or_default();
        let (_, base) = crate::load::split_language(&t.source);
        let Some(li) = extra.iter().position(|l| l.code == tag) else {
            let known: Vec<String> = extra.iter().map(|l| format!("`{}`", l.code)).collect();
            let help = if known.is_empty() {
                format!("add `[languages.{tag}]` with a `title` to book.toml, or rename the file (no `.{tag}` before `.md`)")
            } else {
                format!(
                    "the configured languages are {}; add `[languages.{tag}]` to book.toml or rename the file",
                    known.join(", ")
                )
            };
            errors.push(
                Diagnostic::error(
                    &t.file,
                    format!("`{}` has the language suffix `.{tag}`, but `{tag}` is not a language of this site", t.file.display()),
                )
                .help(help),
            );
            continue;
        };
        let Some(&si) = by_source.get(base.as_str()) else {
            if !unloaded.contains(&base) {
                errors.push(
                    Diagnostic::error(
                        &t.file,
                        format!("`{}` translates `{base}`, which does not exist (or is a draft)", t.file.display()),
                    )
                    .help(format!("a translation sits beside the page it translates: create `{base}` in the content folder, or rename this file")),
                );
            }
            continue;
        };
        let src = &pages[si];
        let mut t = t;
        if t.front
            .description
            .as_deref()
            .is_none_or(|d| d.trim().is_empty())
        {
            errors.push(
                Diagnostic::error(&t.file, "missing `description` in a translation")
                    .at(2, Some(1))
                    .help("add `description = \"…\"` in the translation's language")
                    .with_source(&t.raw),
            );
            continue;
        }
        // Inherited from the source page when absent.
        t.front.weight = t.front.weight.or(src.front.weight);
        t.front.template = t.front.template.clone().or(src.front.template.clone());
        t.front.toc = t.front.toc.or(src.front.toc);
        t.source = src.source.clone();
        t.kind = src.kind;
        t.dir = src.dir.clone();
        t.output = format!("{}{}", extra[li].prefix, src.output);
        match (source_date(src), t.front.source_updated) {
            (Some(d), Some(made)) if d > made => {
                t.stale = true;
                warnings.push(stale_warning(
                    &t,
                    src,
                    &format!(
                        "`source-updated` is {made}, but `{}` changed on {d}",
                        src.file.display()
                    ),
                ));
            }
            (Some(d), None) => {
                t.stale = true;
                warnings.push(stale_warning(
                    &t,
                    src,
                    &format!(
                        "it has no `source-updated`, and `{}` is dated {d}",
                        src.file.display()
                    ),
                ));
            }
            _ => {}
        }
        translated.insert((src.source.as_str(), li), t);
    }
    let mut editions = Vec::with_capacity(languages.len());
    for (li, lang) in extra.iter().enumerate() {
        let list: Vec<Page> = pages
            .iter()
            .map(|p| match translated.remove(&(p.source.as_str(), li)) {
                Some(t) => t,
                None => {
                    let mut f = p.clone();
                    f.output = format!("{}{}", lang.prefix, p.output);
                    f.lang = Some(lang.code.clone());
                    f.fallback = true;
                    f
                }
            })
            .collect();
        editions.push(Edition {
            lang: (*lang).clone(),
            pages: list,
        });
    }
    let default = languages
        .iter()
        .find(|l| l.is_default)
        .cloned()
        .unwrap_or_else(|| Language {
            code: String::new(),
            prefix: String::new(),
            title: String::new(),
            description: String::new(),
            is_default: true,
        });
    editions.insert(
        0,
        Edition {
            lang: default,
            pages,
        },
    );
    Pairing {
        editions,
        warnings,
        errors,
    }
}

fn stale_warning(t: &Page, src: &Page, why: &str) -> Diagnostic {
    let date = source_date(src).map_or_else(String::new, |d| d.to_string());
    let line = crate::load::front_matter_key_line(&t.raw, "source-updated").unwrap_or(1);
    Diagnostic::warning(
        &t.file,
        format!("this translation may be out of date: {why}"),
    )
    .at(line, Some(1))
    .with_source(&t.raw)
    .help(format!(
        "compare it with `{}`, bring it up to date, then set `source-updated = {date}`",
        src.file.display()
    ))
}

/// A page's versions in every edition, for `hreflang` alternates and the language switcher.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    /// Language tag.
    pub lang: String,
    /// The language's own name for the switcher (`name` in its string table, else the tag).
    pub label: String,
    /// URL relative to the page being rendered.
    pub url: String,
    /// Absolute URL, when `base-url` is set.
    pub permalink: Option<String>,
    /// This is the page being rendered.
    pub current: bool,
    /// That version is a fallback (not translated): no `hreflang` alternate points at it.
    pub fallback: bool,
}

/// Output paths of each source page in each edition (`outputs[edition][source]`).
#[derive(Debug, Clone, Default)]
pub struct Outputs {
    langs: Vec<(String, String)>,
    by_source: Vec<HashMap<String, (String, bool)>>,
}

impl Outputs {
    /// From each edition's language and pages, the default language's first (each language is
    /// named by its string table's `language-name`, else its tag).
    pub fn new(editions: &[(&Language, &[Page])], strings: &Strings) -> Self {
        Self {
            langs: editions
                .iter()
                .map(|(lang, _)| {
                    let label = strings
                        .get(&lang.code, "language-name")
                        .unwrap_or(&lang.code)
                        .to_owned();
                    (lang.code.clone(), label)
                })
                .collect(),
            by_source: editions
                .iter()
                .map(|(_, pages)| {
                    pages
                        .iter()
                        .map(|p| (p.source.clone(), (p.output.clone(), p.fallback)))
                        .collect()
                })
                .collect(),
        }
    }

    /// Number of editions.
    pub fn len(&self) -> usize {
        self.langs.len()
    }

    /// Whether there are no editions.
    pub fn is_empty(&self) -> bool {
        self.langs.is_empty()
    }

    /// The output of `source` in edition `e`.
    pub fn output(&self, e: usize, source: &str) -> Option<&str> {
        self.by_source.get(e)?.get(source).map(|(o, _)| o.as_str())
    }

    /// Every edition's version of the page `source`, as seen from the output `from` in
    /// edition `current`.
    pub fn alternates(
        &self,
        current: usize,
        source: &str,
        from: &str,
        base_url: Option<&str>,
    ) -> Vec<Alternate> {
        self.langs
            .iter()
            .enumerate()
            .filter_map(|(e, (lang, label))| {
                let (output, fallback) = self.by_source.get(e)?.get(source)?;
                Some(Alternate {
                    lang: lang.clone(),
                    label: label.clone(),
                    url: crate::paths::relative_url(from, output),
                    permalink: base_url
                        .map(|b| format!("{b}{}", crate::paths::encode_path(output))),
                    current: e == current,
                    fallback: *fallback,
                })
            })
            .collect()
    }
}

/// `lang` in templates: the edition being rendered.
#[derive(Debug, Clone, Serialize)]
pub struct LangView {
    /// Language tag, for `<html lang>`.
    pub code: String,
    /// The edition's folder (`""`, `"en/"`): `root ~ lang.prefix` is the edition's home.
    pub prefix: String,
}

/// `translation` in templates: how the page relates to the default language's page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TranslationView {
    /// The page is the default language's, shown in another edition (with a notice).
    pub fallback: bool,
    /// The translation may be out of date (its source changed after it was made).
    pub stale: bool,
    /// URL of the default language's page, relative to this page (empty in that edition).
    pub original_url: String,
    /// The default language's tag.
    pub original_lang: String,
}

/// What the templates get about the languages of page `page` in edition `edition`: its
/// versions in every edition (seen from `page.output`) and its relation to the original.
pub fn page_view(
    outputs: &Outputs,
    edition: usize,
    page: &Page,
    base_url: Option<&str>,
) -> (Vec<Alternate>, TranslationView) {
    let alternates = if outputs.len() > 1 {
        outputs.alternates(edition, &page.source, &page.output, base_url)
    } else {
        Vec::new()
    };
    let original_lang = outputs
        .langs
        .first()
        .map(|(l, _)| l.clone())
        .unwrap_or_default();
    let original_url = match (edition, outputs.output(0, &page.source)) {
        (e, Some(o)) if e > 0 => crate::paths::relative_url(&page.output, o),
        _ => String::new(),
    };
    let view = TranslationView {
        fallback: page.fallback,
        stale: page.stale,
        original_url,
        original_lang,
    };
    (alternates, view)
}

/// Folder of the string tables inside the templates folder.
pub const STRINGS_DIR: &str = "i18n";

/// The theme's reader-visible strings per language (`templates/i18n/<tag>.toml`), handed to
/// templates as `t` and read by the generator for the texts it writes itself (404 title, print
/// edition, fallback notice, search labels).
#[derive(Debug, Clone, Default)]
pub struct Strings {
    tables: BTreeMap<String, Value>,
}

impl Strings {
    /// Reads the tables of `languages` from `root/templates_dir/i18n/`. A theme without that
    /// folder has no tables (templates then must not use `t`). With it, every language needs a
    /// table, and every table the default language's keys.
    pub fn load(
        root: &Path,
        templates_dir: &Path,
        languages: &[Language],
    ) -> Result<Strings, Vec<Diagnostic>> {
        let dir = templates_dir.join(STRINGS_DIR);
        if !root.join(&dir).is_dir() {
            return Ok(Strings::default());
        }
        let mut errors = Vec::new();
        let mut tables = BTreeMap::new();
        let mut texts = BTreeMap::new();
        for lang in languages {
            let rel = dir.join(format!("{}.toml", lang.code));
            let text = match std::fs::read_to_string(root.join(&rel)) {
                Ok(t) => t,
                Err(e) => {
                    errors.push(
                        Diagnostic::error(&rel, format!("cannot read the `{}` string table: {e}", lang.code))
                            .help(format!("create `{}` with the theme's texts in `{}` (copy the default language's table and translate it)", rel.display(), lang.code)),
                    );
                    continue;
                }
            };
            match toml::from_str::<toml::Table>(&text) {
                Ok(t) => {
                    tables.insert(
                        lang.code.clone(),
                        serde_json::to_value(t).unwrap_or(Value::Null),
                    );
                    texts.insert(lang.code.clone(), (rel, text));
                }
                Err(e) => errors.push(crate::config::toml_diagnostic(&rel, &text, &e)),
            }
        }
        if let Some(default) = languages.iter().find(|l| l.is_default) {
            if let Some(base) = tables.get(&default.code) {
                let mut keys = Vec::new();
                flat_keys(base, "", &mut keys);
                for lang in languages.iter().filter(|l| !l.is_default) {
                    let (Some(t), Some((rel, _))) = (tables.get(&lang.code), texts.get(&lang.code))
                    else {
                        continue;
                    };
                    for key in &keys {
                        if lookup(t, key).is_none() {
                            errors.push(
                                Diagnostic::error(
                                    rel,
                                    format!(
                                        "string `{key}` is missing from the `{}` table",
                                        lang.code
                                    ),
                                )
                                .help(format!(
                                    "add `{key}` (it is in the `{}` table) in `{}`",
                                    default.code, lang.code
                                )),
                            );
                        }
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(Strings { tables })
        } else {
            Err(errors)
        }
    }

    /// The table of `lang` for templates (an empty object when the theme has none).
    pub fn table(&self, lang: &str) -> Value {
        self.tables
            .get(lang)
            .cloned()
            .unwrap_or_else(|| Value::Object(serde_json::Map::new()))
    }

    /// One string, by dotted key (`print.title`).
    pub fn get(&self, lang: &str, key: &str) -> Option<&str> {
        lookup(self.tables.get(lang)?, key)?.as_str()
    }

    /// One string, or the key itself when the theme has no such string (visible, never empty).
    pub fn text<'a>(&'a self, lang: &str, key: &'a str) -> &'a str {
        self.get(lang, key).unwrap_or(key)
    }

    /// Whether the theme has string tables at all.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }
}

fn lookup<'a>(table: &'a Value, key: &str) -> Option<&'a Value> {
    key.split('.').try_fold(table, |v, k| v.get(k))
}

fn flat_keys(v: &Value, prefix: &str, out: &mut Vec<String>) {
    if let Value::Object(m) = v {
        for (k, v) in m {
            let key = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                Value::Object(_) => flat_keys(v, &key, out),
                _ => out.push(key),
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::load::parse_page;
    use std::path::PathBuf;

    fn page(source: &str, raw: &str) -> Page {
        parse_page(
            source.to_owned(),
            PathBuf::from("content").join(source),
            raw.to_owned(),
        )
        .unwrap()
    }

    fn langs() -> Vec<Language> {
        let config =
            crate::config::parse("[book]\ntitle = \"站\"\n[languages.en]\ntitle = \"Site\"\n")
                .unwrap();
        languages(&config)
    }

    #[test]
    fn translations_inherit_and_untranslated_pages_fall_back() {
        let pages = vec![
            page("_index.md", "+++\ntitle = \"首页\"\n+++\n"),
            page(
                "a.md",
                "+++\ntitle = \"甲\"\nweight = 3\ntoc = false\nslug = \"aa\"\nreviewed = 2026-12-01\n+++\n",
            ),
            page("b.md", "+++\ntitle = \"乙\"\n+++\n"),
        ];
        let translations = vec![page(
            "a.en.md",
            "+++\ntitle = \"A\"\ndescription = \"d\"\nsource-updated = 2026-12-01\n+++\n",
        )];
        let p = editions(&langs(), pages, translations, &Default::default());
        assert!(
            p.warnings.is_empty() && p.errors.is_empty(),
            "{:?}",
            p.warnings
        );
        let en = &p.editions[1];
        assert_eq!(en.lang.code, "en");
        let a = &en.pages[1];
        assert_eq!(
            (a.source.as_str(), a.output.as_str(), a.title.as_str()),
            ("a.md", "en/aa.html", "A")
        );
        assert_eq!(
            (a.front.weight, a.front.toc, a.fallback),
            (Some(3), Some(false), false)
        );
        let b = &en.pages[2];
        assert_eq!(
            (b.output.as_str(), b.fallback, b.title.as_str()),
            ("en/b.html", true, "乙")
        );
        assert_eq!(p.editions[0].pages[1].output, "aa.html");
    }

    #[test]
    fn unknown_suffix_missing_source_and_staleness() {
        let pages = vec![page(
            "a.md",
            "+++\ntitle = \"甲\"\nupdated = 2026-12-05\nreviewed = 2026-12-01\n+++\n",
        )];
        let bad = vec![
            page("a.fr.md", "+++\ntitle = \"A\"\ndescription = \"d\"\n+++\n"),
            page("c.en.md", "+++\ntitle = \"C\"\ndescription = \"d\"\n+++\n"),
        ];
        let p = editions(&langs(), pages.clone(), bad, &Default::default());
        assert!(
            p.editions[1].pages[0].fallback,
            "a bad translation leaves the fallback"
        );
        let e = p.errors;
        assert!(
            e[0].message.contains("`fr` is not a language of this site"),
            "{}",
            e[0]
        );
        assert!(e[0].help.as_deref().unwrap_or("").contains("`en`"));
        assert!(
            e[1].message
                .contains("translates `c.md`, which does not exist"),
            "{}",
            e[1]
        );
        let stale = vec![page(
            "a.en.md",
            "+++\ntitle = \"A\"\ndescription = \"d\"\nsource-updated = 2026-12-01\n+++\n",
        )];
        let p = editions(&langs(), pages, stale, &Default::default());
        assert!(p.editions[1].pages[0].stale);
        assert_eq!(p.warnings.len(), 1);
        assert!(
            p.warnings[0].message.contains("may be out of date")
                && p.warnings[0].message.contains("2026-12-05"),
            "{}",
            p.warnings[0]
        );
        assert_eq!(p.warnings[0].line, Some(4));
    }
}
