//! The English edition: translations beside their pages (`name.en.md`), inherited front
//! matter, fallback pages with a notice, staleness, `hreflang` alternates both ways, the
//! language switcher, the sitemap's alternates, a feed and a search index per language, and
//! the theme's English string table (no Chinese UI text on an English page).
//! Fixture: tests/fixtures/i18n (renew is translated, untranslated is not, stale's source
//! changed after its translation was made).

use crate::common::{self, Fixture};

fn built() -> Fixture {
    let f = Fixture::new("i18n").with_repo_theme();
    f.build()
        .unwrap_or_else(|e| panic!("{}", common::error_text(&e)));
    f
}

/// The text of the `<tag …>` element's start tag that contains `needle`.
fn tag_with<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html
        .find(needle)
        .unwrap_or_else(|| panic!("no `{needle}` in:\n{html}"));
    let start = html[..at].rfind('<').unwrap_or(0);
    let end = at + html[at..].find('>').unwrap_or(0);
    &html[start..=end]
}

fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{3400}'..='\u{9fff}').contains(&c) || ('\u{f900}'..='\u{faff}').contains(&c))
}

/// Removes every element (with its content) whose start tag matches `start`, nesting of the
/// same tag name counted.
fn strip_elements(html: &str, start: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(start) {
        out.push_str(&rest[..at]);
        let name: String = start
            .trim_start_matches('<')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let (open, close) = (format!("<{name}"), format!("</{name}>"));
        let mut depth = 0usize;
        let mut pos = at;
        loop {
            let next_open = rest[pos + 1..].find(&open).map(|i| i + pos + 1);
            let next_close = rest[pos..].find(&close).map(|i| i + pos);
            match (next_open, next_close) {
                (Some(o), Some(c)) if o < c => {
                    depth += 1;
                    pos = o;
                }
                (_, Some(c)) if depth > 0 => {
                    depth -= 1;
                    pos = c + close.len() - 1;
                }
                (_, Some(c)) => {
                    pos = c + close.len();
                    break;
                }
                (_, None) => {
                    pos = rest.len();
                    break;
                }
            }
        }
        rest = &rest[pos..];
    }
    out.push_str(rest);
    out
}

#[test]
fn both_editions_are_built_with_their_language_and_inherited_order() {
    let f = built();
    let zh = f.output("guides/renew.html");
    let en = f.output("en/guides/renew.html");
    assert!(zh.contains("<html lang=\"zh-CN\">"));
    assert!(en.contains("<html lang=\"en\">"), "{en}");
    assert!(en.contains("<h1>Renewing and keeping access</h1>"));
    assert!(en.contains("id=\"keep-access\""), "the explicit id is kept");
    assert!(en.contains("Test site"), "the English site title");
    // Links written to the source files resolve inside the English edition.
    assert!(en.contains("href=\"untranslated.html\""), "{en}");
    assert!(en.contains("href=\"stale.html#why\""), "{en}");
    // `weight` is inherited: the English sidebar keeps the Chinese order (renew 1, untranslated 2,
    // stale 3) although renew.en.md and stale.en.md set none.
    let side = &en[en.find("class=\"nav-tree\"").unwrap()..];
    let pos = |s: &str| {
        side.find(s)
            .unwrap_or_else(|| panic!("{s} not in the sidebar"))
    };
    assert!(pos("renew.html") < pos("untranslated.html"));
    assert!(pos("untranslated.html") < pos("stale.html"));
    // Every English page exists, the untranslated one as a fallback.
    for rel in [
        "en/index.html",
        "en/guides/index.html",
        "en/guides/untranslated.html",
        "en/guides/stale.html",
        "en/404.html",
        "en/print.html",
    ] {
        assert!(f.out().join(rel).is_file(), "{rel} is missing");
    }
}

#[test]
fn hreflang_alternates_point_both_ways_and_the_switcher_links_the_translation() {
    let f = built();
    let zh = f.output("guides/renew.html");
    let en = f.output("en/guides/renew.html");
    let base = "https://example.org/guide/";
    for page in [&zh, &en] {
        assert!(
            page.contains(&format!(
                "<link rel=\"alternate\" hreflang=\"zh-CN\" href=\"{base}guides/renew.html\">"
            )),
            "{page}"
        );
        assert!(page.contains(&format!(
            "<link rel=\"alternate\" hreflang=\"en\" href=\"{base}en/guides/renew.html\">"
        )));
        // Readers of other languages are sent to the default language's version.
        assert!(
            page.contains(&format!(
                "<link rel=\"alternate\" hreflang=\"x-default\" href=\"{base}guides/renew.html\">"
            )),
            "{page}"
        );
    }
    let to_en = tag_with(&zh, "hreflang=\"en\" lang=\"en\"");
    assert!(
        to_en.contains("href=\"../en/guides/renew.html\""),
        "{to_en}"
    );
    assert!(zh.contains(">English</a>"));
    let to_zh = tag_with(&en, "hreflang=\"zh-CN\" lang=\"zh-CN\"");
    assert!(
        to_zh.contains("href=\"../../guides/renew.html\""),
        "{to_zh}"
    );
    assert!(en.contains(">中文</a>"));
    // An untranslated page has no English alternate to announce.
    let only_zh = f.output("guides/untranslated.html");
    assert!(!only_zh.contains("hreflang=\"en\" href="), "{only_zh}");
    assert!(!only_zh.contains("hreflang=\"x-default\""), "{only_zh}");
}

#[test]
fn an_untranslated_page_is_the_original_with_an_english_notice_and_link() {
    let f = built();
    let page = f.output("en/guides/untranslated.html");
    assert!(page.contains("<html lang=\"en\">"));
    let notice = tag_with(&page, "class=\"translation-notice\"");
    assert!(notice.contains("role=\"note\""), "{notice}");
    assert!(
        page.contains("This page has not been translated into English yet"),
        "{page}"
    );
    let link = tag_with(&page, ">The Chinese page</a>");
    assert!(
        link.contains("href=\"../../guides/untranslated.html\""),
        "{link}"
    );
    // The Chinese text is marked as Chinese, and its links stay in the English edition.
    assert!(
        page.contains("<div class=\"markdown\" lang=\"zh-CN\">"),
        "{page}"
    );
    assert!(page.contains("href=\"renew.html#keep-access\""));
    // Its sidebar entry (a Chinese title in the English navigation) says so too.
    let en = f.output("en/guides/renew.html");
    assert!(tag_with(&en, "lang=\"zh-CN\"><a href=\"untranslated.html\"").contains("nav-item"));
}

#[test]
fn a_stale_translation_shows_a_notice_and_check_warns_or_fails_when_strict() {
    let f = built();
    let page = f.output("en/guides/stale.html");
    assert!(
        page.contains("This translation may be out of date"),
        "{page}"
    );
    assert!(tag_with(&page, ">Read the current Chinese page</a>")
        .contains("href=\"../../guides/stale.html\""));
    assert!(!f
        .output("en/guides/renew.html")
        .contains("translation-notice"));

    let check = f.run(&["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    let all = format!("{}{}", check.stdout, check.stderr);
    assert!(
        all.contains("warning: this translation may be out of date"),
        "{all}"
    );
    assert!(all.contains("content/guides/stale.en.md"), "{all}");
    assert!(all.contains("set `source-updated = 2026-12-05`"), "{all}");

    let strict = f.run(&["check", "--strict"]);
    assert_ne!(strict.code, 0, "--strict makes the staleness an error");
    let all = format!("{}{}", strict.stdout, strict.stderr);
    assert!(
        all.contains("error: this translation may be out of date"),
        "{all}"
    );
}

#[test]
fn the_sitemap_lists_alternates_and_each_language_has_its_feed() {
    let f = built();
    let map = f.output("sitemap.xml");
    assert!(map.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    assert!(map.contains("<loc>https://example.org/guide/en/guides/renew.html</loc>"));
    assert!(map.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/guide/en/guides/renew.html\"/>"
    ), "{map}");
    assert!(map.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"zh-CN\" href=\"https://example.org/guide/guides/renew.html\"/>"
    ));
    // A fallback page repeats its original: not listed.
    assert!(!map.contains("en/guides/untranslated.html"), "{map}");
    let feed = f.output("en/atom.xml");
    assert!(feed.contains("xml:lang=\"en\""), "{feed}");
    assert!(feed.contains("<title>Test site</title>"));
    assert!(feed.contains("https://example.org/guide/en/atom.xml"));
    assert!(
        !feed.contains("untranslated"),
        "untranslated pages are not in the English feed"
    );
    assert!(f.output("atom.xml").contains("xml:lang=\"zh-CN\""));
}

#[test]
fn english_pages_use_the_english_string_table_no_chinese_in_the_ui() {
    let f = built();
    for rel in [
        "en/index.html",
        "en/guides/index.html",
        "en/guides/renew.html",
        "en/guides/untranslated.html",
        "en/404.html",
        "en/print.html",
    ] {
        let page = f.output(rel);
        // Content (the pages' own text), what is marked as Chinese, and the switcher's own
        // language name are not UI chrome.
        let mut chrome = strip_elements(&page, "<div class=\"markdown\"");
        if page.contains("class=\"translation-notice\"") && rel.ends_with("untranslated.html") {
            // A fallback page's title and description (in <head>) are its Chinese content.
            chrome = strip_elements(&chrome, "<head");
        }
        for marked in ["lang=\"zh-CN\""] {
            while let Some(at) = chrome.find(marked) {
                let start = chrome[..at].rfind('<').unwrap_or(0);
                let name: String = chrome[start + 1..]
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect();
                let close = format!("</{name}>");
                let end = chrome[at..]
                    .find(&close)
                    .map_or(chrome.len(), |e| at + e + close.len());
                chrome.replace_range(start..end, "");
            }
        }
        let bad: Vec<&str> = chrome.lines().filter(|l| has_cjk(l)).collect();
        assert!(
            bad.is_empty(),
            "{rel}: Chinese UI text:\n{}",
            bad.join("\n")
        );
        assert!(
            page.contains("id=\"ui-strings\""),
            "{rel}: the scripts' texts"
        );
    }
    let page = f.output("en/guides/renew.html");
    for s in [
        "Skip to the text",
        "On this page",
        "Print edition",
        "Search this site",
    ] {
        assert!(page.contains(s), "`{s}` missing");
    }
    // The callout in the English page has an English title, the Chinese one a Chinese title.
    assert!(
        page.contains("<p class=\"callout-title\">Note</p>"),
        "{page}"
    );
    assert!(f
        .output("guides/renew.html")
        .contains("<p class=\"callout-title\">注意</p>"));
    let block = &page[page.find("id=\"ui-strings\">").unwrap()..];
    assert!(block.contains("\"days-left\":\"{n} days left\""), "{block}");
}

#[test]
fn a_language_suffix_that_is_not_configured_is_an_error_naming_the_file() {
    let f = Fixture::new("i18n");
    f.write(
        "content/guides/renew.fr.md",
        "+++\ntitle = \"Renouveler\"\ndescription = \"d\"\n+++\n",
    );
    let e = f.build_error();
    assert!(e.contains("content/guides/renew.fr.md"), "{e}");
    assert!(e.contains("`fr` is not a language of this site"), "{e}");
    assert!(
        e.contains("`en`"),
        "the help names the configured languages: {e}"
    );
}

#[test]
fn a_translation_link_to_a_missing_anchor_of_the_english_page_is_reported() {
    let f = Fixture::new("i18n");
    // The Chinese page has `#why`; the English page must have it too for the English link.
    f.write(
        "content/guides/stale.en.md",
        "+++\ntitle = \"A changed page\"\ndescription = \"d\"\nsource-updated = 2026-12-05\n+++\n\n## Why not\n",
    );
    let e = f.build_error();
    assert!(e.contains("content/guides/renew.en.md"), "{e}");
    assert!(e.contains("has no heading with id `why`"), "{e}");
}

#[test]
fn the_english_search_index_finds_english_words_stems_and_kept_chinese_terms() {
    let f = built();
    assert!(f.out().join("en/search/index.js").is_file());
    let Some(node) = common::node("English search tests") else {
        return;
    };
    let quality = common::repo_root().join("tests/search/quality.mjs");
    let script = format!(
        "import {{ createRequire }} from 'node:module';\n\
         import * as quality from {q};\n\
         const search = createRequire(import.meta.url)({js});\n\
         const engine = search.createEngine(quality.fileLoader({site}, []));\n\
         const out = {{}};\n\
         for (const q of ['renewal', 'consoles', '取消接入', '续费']) out[q] = (await engine.search(q, 5)).map((r) => r.url);\n\
         console.log(JSON.stringify(out));",
        q = serde_json::json!(format!("file://{}", quality.display())),
        js = serde_json::json!(f.out().join("search.js")),
        site = serde_json::json!(f.out().join("en")),
    );
    let out = std::process::Command::new(node)
        .args(["--input-type=module", "-e", &script])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Results link to the matching section: compare the page.
    let first = |q: &str| {
        let url = got[q][0].as_str().unwrap_or("");
        url.split('#').next().unwrap_or("").to_owned()
    };
    assert_eq!(first("renewal"), "guides/renew.html", "{got}");
    assert_eq!(
        first("consoles"),
        "guides/renew.html",
        "a stem finds `console`: {got}"
    );
    assert_eq!(
        first("取消接入"),
        "guides/renew.html",
        "the Chinese term kept in the English page: {got}"
    );
    // The English index is the English edition's (URLs inside en/): the untranslated page is
    // there as its fallback, so a Chinese word from it is still found.
    assert!(
        got["续费"].as_array().is_some_and(|a| !a.is_empty()),
        "{got}"
    );
}
