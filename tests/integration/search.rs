//! Search: the real site's sharded index ranked by the shipped search.js in Node — the same
//! code the browser runs, loading the same files — must put the right page in the top three
//! (and mostly first) for the queries readers type (tests/search/queries.json); plus the
//! tokeniser's rules, traditional characters, snippets, the bytes a query loads, and
//! byte-identical rebuilds.

use std::process::Command;

use serde_json::{json, Value};

use crate::common::{self, build_repo_site, built_repo_site as site};

/// `node` if it runs (see [`common::node`]).
fn node() -> Option<&'static str> {
    common::node("search tests")
}

/// Runs `body` in Node with `search` (the built site's search.js module) and `index` (the
/// built index) in scope, and parses what it prints as JSON.
fn in_node(node: &str, body: &str) -> Value {
    in_node_with(node, body, &Value::Null)
}

fn run_node(node: &str, script: &str, input: &Value) -> Value {
    use std::io::Write;
    let mut child = Command::new(node)
        .args(["--input-type=module", "-e", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run node: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "node failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "node printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Like `in_node`, with `input` (JSON on stdin) in scope too. The script is a module with
/// `search` (the built site's search.js), `engine` (an engine over the built index, loaded from
/// disk), `loaded` (`[path, gzip bytes]` of each file it loaded), `site` (its folder) and `quality`
/// (tests/search/quality.mjs) in scope.
fn in_node_with(node: &str, body: &str, input: &Value) -> Value {
    let out = site();
    let quality = common::repo_root().join("tests/search/quality.mjs");
    let script = format!(
        "import fs from 'node:fs';\n\
         import {{ createRequire }} from 'node:module';\n\
         import * as quality from {q};\n\
         const search = createRequire(import.meta.url)({js});\n\
         const site = {site};\n\
         const loaded = [];\n\
         const engine = search.createEngine(quality.fileLoader(site, loaded));\n\
         const input = JSON.parse(fs.readFileSync(0, 'utf8'));\n\
         {body}",
        q = json!(format!("file://{}", quality.display())),
        js = json!(out.join("search.js")),
        site = json!(out),
    );
    run_node(node, &script, input)
}

/// The search quality of the queries in `tests/search/<file>` on the built site, as
/// tests/search/quality.mjs measures it: (top-3 rate, top-1 rate, one row per query). Each
/// row is printed (shown with --nocapture).
fn quality(node: &str, file: &str) -> (f64, f64, Vec<Value>) {
    let path = common::repo_root().join("tests/search").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let queries = serde_json::from_str::<Value>(&text).unwrap()["queries"].clone();
    let got = in_node_with(
        node,
        "console.log(JSON.stringify(await quality.evaluate(input.site, input.queries)));",
        &json!({ "site": site(), "queries": queries }),
    );
    let rows = got["rows"].as_array().unwrap().clone();
    for row in &rows {
        eprintln!("{}: {} (top-1: {})", row["query"], row["top"], row["top1"]);
    }
    (
        got["top3"].as_f64().unwrap(),
        got["top1"].as_f64().unwrap(),
        rows,
    )
}

#[test]
fn every_query_finds_its_page_in_the_top_three_and_most_first() {
    let Some(node) = node() else { return };
    let (_, top1, rows) = quality(node, "queries.json");
    let mut failures = Vec::new();
    for row in &rows {
        if row["top3"] != true {
            failures.push(format!(
                "{}: expected page(s) not in the top three, got {}",
                row["query"], row["top"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The right page comes first for at least 19 of the 20 queries (measured: 20).
    assert!(top1 >= 0.95, "top-1 rate {top1}");
}

#[test]
fn held_out_queries_keep_their_measured_quality() {
    // Written before the second round's ranking changes and never tuned on (measured: top-3
    // 9 of 10, top-1 8 of 10); a regression guard, the figures are reported by bench/search.mjs.
    let Some(node) = node() else { return };
    let (top3, top1, _) = quality(node, "heldout.json");
    assert!(
        top3 >= 0.9 && top1 >= 0.8,
        "held-out top-3 {top3}, top-1 {top1}"
    );
}

#[test]
fn footnote_text_links_to_its_footnote_not_the_last_section() {
    // 旧版文档 occurs only in footnotes (the glossary's and refiling's, quoting a Tencent Cloud
    // page): the glossary's hit links to that footnote. (refiling's text has 旧版本 and 文档 many
    // times, so its hit may land on a section holding them.)
    let Some(node) = node() else { return };
    let got = in_node(
        node,
        "console.log(JSON.stringify((await engine.search('旧版文档', 3)).map((r) => [r.url, r.snippet.heading])));",
    );
    let hit = got
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r[0].as_str()
                .unwrap()
                .starts_with("reference/glossary.html")
        })
        .unwrap_or_else(|| panic!("the glossary is not among the hits: {got}"));
    assert!(
        hit[0]
            .as_str()
            .unwrap()
            .starts_with("reference/glossary.html#fn-"),
        "{got}"
    );
    assert_eq!(hit[1], "脚注", "{got}");
}

#[test]
fn results_link_to_the_matching_section_with_a_highlighted_snippet() {
    let Some(node) = node() else { return };
    let got = in_node(
        node,
        "console.log(JSON.stringify(await engine.search('取消接入', 10)));",
    );
    let results = got.as_array().unwrap();
    let glossary = results
        .iter()
        .find(|r| r["page"] == "reference/glossary.html")
        .unwrap();
    // The glossary's entry has that heading, so the result points at it and names it.
    assert_eq!(glossary["url"], "reference/glossary.html#quxiao-jieru");
    assert_eq!(glossary["snippet"]["heading"], "取消接入");
    for r in results {
        let text = r["snippet"]["text"].as_str().unwrap();
        let chars: Vec<u16> = text.encode_utf16().collect();
        let marks = r["snippet"]["marks"].as_array().unwrap();
        assert!(!marks.is_empty(), "no highlight in {r}");
        for m in marks {
            let (s, e) = (
                m[0].as_u64().unwrap() as usize,
                m[1].as_u64().unwrap() as usize,
            );
            let marked = String::from_utf16(&chars[s..e]).unwrap();
            // Whole words of the query (bigrams at least), never a lone character of it.
            assert!(
                "取消接入".contains(&marked) && marked.chars().count() >= 2,
                "highlighted `{marked}` is not a word of the query in {r}"
            );
        }
        assert!(chars.len() <= 96, "snippet too long: {text}");
    }
    // No result for text that is nowhere on the site, and none for an empty query.
    let none = in_node(
        node,
        "console.log(JSON.stringify([await engine.search('量子纠缠', 5), await engine.search('  ，。 ', 5)]));",
    );
    assert_eq!(none, json!([[], []]));
}

#[test]
fn tokenizer_agrees_with_the_build_on_the_shared_cases() {
    let Some(node) = node() else { return };
    let text =
        std::fs::read_to_string(common::repo_root().join("tests/search/tokenize-cases.json"))
            .unwrap();
    let cases = serde_json::from_str::<Value>(&text).unwrap()["cases"].clone();
    // The page tokenises queries with the map the manifest ships (traditional cases need it).
    let got = in_node_with(
        node,
        "const m = quality.fileLoader(input.site)('index', 'search/index.js');\n\
         const p = [...m.t2s], t2s = new Map();\n\
         for (let i = 0; i + 1 < p.length; i += 2) t2s.set(p[i], p[i + 1]);\n\
         console.log(JSON.stringify(input.cases.map(([text]) => search.tokenize(text, t2s))));",
        &json!({ "site": site(), "cases": cases }),
    );
    for (case, tokens) in cases
        .as_array()
        .unwrap()
        .iter()
        .zip(got.as_array().unwrap())
    {
        assert_eq!(tokens, &case[1], "tokenize({})", case[0]);
    }
}

#[test]
fn traditional_queries_find_the_same_pages_as_simplified_ones() {
    let Some(node) = node() else { return };
    let got = in_node(
        node,
        "const pages = async (q) => (await engine.search(q, 8)).map((r) => r.url);\n\
         console.log(JSON.stringify([\n\
           [await pages('備案過期'), await pages('备案过期')],\n\
           [await pages('經營許可證'), await pages('经营许可证')],\n\
           [await pages('續費'), await pages('续费')],\n\
         ]));",
    );
    for pair in got.as_array().unwrap() {
        assert!(!pair[0].as_array().unwrap().is_empty(), "no result: {pair}");
        assert_eq!(pair[0], pair[1], "traditional and simplified differ");
    }
    let top3: Vec<&str> = got[0][0].as_array().unwrap()[..3]
        .iter()
        .map(|u| u.as_str().unwrap().split('#').next().unwrap())
        .collect();
    assert!(top3.contains(&"guides/filing-expiry.html"), "{got}");
    // The highlight marks the traditional text's words in the simplified snippet.
    let marks = in_node(
        node,
        "console.log(JSON.stringify((await engine.search('經營許可證', 1))[0].snippet.marks));",
    );
    assert!(!marks.as_array().unwrap().is_empty());
}

#[test]
fn a_single_character_matches_inside_words() {
    let Some(node) = node() else { return };
    // 证 stands alone on few pages; the licence guide has it inside 许可证 and 证书.
    let got = in_node(
        node,
        "console.log(JSON.stringify((await engine.search('证', 3)).map((r) => [r.page, r.snippet.text])));",
    );
    let top: Vec<&str> = got
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[0].as_str().unwrap())
        .collect();
    assert!(top.contains(&"guides/icp-licence.html"), "{got}");
    for r in got.as_array().unwrap() {
        assert!(r[1].as_str().unwrap().contains('证'), "{r}");
    }
    // A word being typed finds its completions (ic → icp, ics).
    let got = in_node(
        node,
        "console.log(JSON.stringify((await engine.search('ic', 3)).map((r) => r.snippet.text)));",
    );
    assert_eq!(got.as_array().unwrap().len(), 3, "{got}");
    for text in got.as_array().unwrap() {
        assert!(
            text.as_str().unwrap().to_lowercase().contains("ic"),
            "{text}"
        );
    }
}

#[test]
fn a_query_loads_the_manifest_its_shards_and_the_shown_results_only() {
    let Some(node) = node() else { return };
    let got = in_node(
        node,
        "await engine.search('取消接入', 8);\n\
         const zlib = await import('node:zlib');\n\
         const gz = (f) => zlib.gzipSync(fs.readFileSync(f)).length;\n\
         console.log(JSON.stringify({ loaded, scripts: gz(site + '/search.js') + gz(site + '/search.css') }));",
    );
    let scripts = got["scripts"].as_u64().unwrap();
    let got = got["loaded"].clone();
    let loaded = got.as_array().unwrap();
    let paths: Vec<&str> = loaded.iter().map(|l| l[0].as_str().unwrap()).collect();
    assert_eq!(paths[0], "search/index.js");
    // Three bigrams, at most three term shards; a pack for each of the 8 results shown.
    let name = |p: &&str| p.rsplit('/').next().unwrap_or("").to_owned();
    let shards = paths.iter().filter(|p| name(p).starts_with('t')).count();
    assert!((1..=3).contains(&shards), "{paths:?}");
    assert!(!paths.iter().any(|p| name(p).starts_with('c')), "{paths:?}");
    let packs = paths.iter().filter(|p| name(p).contains('-')).count();
    assert_eq!(packs, 8, "{paths:?}");
    assert_eq!(paths.len(), 1 + shards + packs, "{paths:?}");
    // At this site's size the first query, search.js and search.css included, stays within the
    // 27 KB (gzip) the single-file index cost.
    let data: u64 = loaded.iter().map(|l| l[1].as_u64().unwrap()).sum();
    assert!(
        data + scripts <= 27 * 1024,
        "first query {data} B + scripts {scripts} B"
    );
}

#[test]
fn the_index_holds_page_text_without_the_checker_form_and_loads_on_demand() {
    let out = site();
    let manifest = std::fs::read_to_string(out.join("search/index.js")).unwrap();
    let json = manifest
        .strip_prefix("(self.beianSearch||(self.beianSearch={}))[\"index\"]=")
        .and_then(|s| s.strip_suffix(";\n"))
        .unwrap();
    let ix: Value = serde_json::from_str(json).unwrap();
    assert_eq!(ix["v"], 3);
    // One entry per page of the default edition: every content file that is not a translation
    // (`name.<tag>.md`) and not a draft.
    let pages = walkdir::WalkDir::new(crate::common::repo_root().join("content"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            name.ends_with(".md") && name.matches('.').count() == 1
        })
        .filter(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            !text.lines().any(|l| l.replace(' ', "") == "draft=true")
        })
        .count();
    assert!(pages > 20, "{pages} pages found in content/");
    assert_eq!(ix["n"], pages, "one entry per page");
    let gen = ix["gen"].as_str().unwrap();
    for (family, prefix) in [("terms", "t"), ("chars", "c")] {
        for i in 0..ix[family].as_u64().unwrap() {
            let name = format!("search/{gen}/{prefix}{i}.js");
            assert!(out.join(&name).is_file(), "{name} missing");
        }
    }
    // Packs: each names its page; together they hold every page, and no checker markup.
    let mut packs = String::new();
    for e in std::fs::read_dir(out.join("search").join(gen)).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // Not the precompressed `.gz`/`.br` copies beside each pack.
        if name.contains('-') && name.ends_with(".js") {
            packs.push_str(&std::fs::read_to_string(path).unwrap());
        }
    }
    assert!(
        packs.contains("\"u\":\"guides/renewal.html\"") && packs.contains("\"u\":\"index.html\"")
    );
    let urls: std::collections::BTreeSet<&str> = packs
        .match_indices("\"u\":\"")
        .map(|(at, m)| {
            let rest = &packs[at + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert_eq!(
        urls.len(),
        pages,
        "every page of the manifest's count, once: {urls:?}"
    );
    assert!(
        !packs.contains("checker-0"),
        "checker markup leaked into the index"
    );
    // Pages name the script (theme.js loads it when the reader reaches for the box) and hold
    // the box, not the index; the box is valid HTML (no combobox role on a search field) and
    // advertises no keyboard shortcut by itself.
    let page = std::fs::read_to_string(out.join("guides/renewal.html")).unwrap();
    assert!(page.contains("data-script=\"../search.js\""));
    assert!(!page.contains("<script src=\"../search.js\""));
    assert!(page.contains("data-root=\"../\""));
    assert!(!page.contains("search/index.js"));
    assert!(!page.contains("role=\"combobox\""));
    assert!(page.contains("placeholder=\"搜索，如“取消接入”\""));
}

#[test]
fn two_builds_write_identical_index_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let second = dir.path().join("out");
    build_repo_site(dir.path(), &second);
    let files = |root: &std::path::Path| {
        let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root.join("search"))
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(root).unwrap().display().to_string();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect();
        v.sort();
        v
    };
    let (a, b) = (files(site()), files(&second));
    assert!(a.len() > 3);
    assert!(a == b, "the search files differ between two builds");
}

#[test]
fn the_index_is_written_only_for_a_theme_with_the_search_box_and_can_be_turned_off() {
    let site = crate::common::Fixture::new("basic");
    site.build().unwrap();
    assert!(!site.out().join("search").exists());
    let site = crate::common::Fixture::new("basic").with_repo_theme();
    site.build().unwrap();
    assert!(site.output("search/index.js").contains("\"v\":3"));
    site.write(
        "book.toml",
        &format!(
            "{}\n[search]\nenabled = false\n",
            std::fs::read_to_string(site.root.join("book.toml")).unwrap()
        ),
    );
    site.build().unwrap();
    assert!(!site.out().join("search").exists());
}

#[test]
fn question_style_queries_keep_their_measured_quality() {
    // Issue 19's question-style reader queries (tests/search/questions.json). Measured with the
    // ranking of that round on the site with the notices guide: top-3 14 of 16, top-1 11 of 16
    // (the previous ranking: 8 and 8, with footnotes first for "域名没有解析到腾讯云" before that
    // guide existed and the licence guide out of the top three for "ICP证到期 备案会失效吗");
    // a regression guard.
    let Some(node) = node() else { return };
    let (top3, top1, rows) = quality(node, "questions.json");
    assert!(
        top3 >= 14.0 / 16.0 && top1 >= 11.0 / 16.0,
        "question top-3 {top3}, top-1 {top1}"
    );
    // The report's two failures: the licence guide in the top three, and a guide's text (not a
    // footnote) first.
    assert_eq!(rows[0]["top1"], true, "{}", rows[0]);
    let first = in_node(
        node,
        "console.log(JSON.stringify((await engine.search('域名没有解析到腾讯云', 3)).map((r) => r.url)));",
    );
    for url in first.as_array().unwrap() {
        assert!(!url.as_str().unwrap().contains("#fn-"), "{first}");
    }
}

#[test]
fn question_words_are_dropped_from_queries_but_not_from_words() {
    let Some(node) = node() else { return };
    let got = in_node(
        node,
        "console.log(JSON.stringify(['备案会失效吗', '服务器到期了怎么办', '社会 会员 了解 为了', '会', '续费呢'].map(search.dropParticles)));",
    );
    assert_eq!(
        got,
        json!([
            "备案 失效 ",
            "服务器到期  ",
            "社会 会员 了解 为了",
            "会",
            "续费 "
        ])
    );
}

/// A site whose pages hold words named like JavaScript object properties and words written with
/// invisible characters inside them (issue 22, items 2 and 8), built with the repository's theme.
fn hostile_words_site() -> common::Fixture {
    let site = common::Fixture::new("basic").with_repo_theme();
    site.write(
        "content/words.md",
        "+++\ntitle = \"词\"\n+++\n\nconstructor __proto__ toString hasOwnProperty valueOf\n\n\
         鸿\u{200b}雁\u{2060}传\u{00ad}书 龙\u{200d}凤 re\u{00ad}newal\n",
    );
    site.build().unwrap();
    site
}

#[test]
fn terms_named_like_object_properties_and_words_with_invisible_characters_are_found() {
    let Some(node) = node() else { return };
    let site = hostile_words_site();
    let out = site.out();
    let quality = common::repo_root().join("tests/search/quality.mjs");
    let script = format!(
        "import {{ createRequire }} from 'node:module';\n\
         import * as quality from {q};\n\
         const search = createRequire(import.meta.url)({js});\n\
         const found = {{}};\n\
         for (const q of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '鸿雁传书', '龙凤', 'renewal', '鸿\\u200b雁传书']) {{\n\
           const engine = search.createEngine(quality.fileLoader({site}, []));\n\
           found[q] = (await engine.search(q, 3)).map((r) => r.page);\n\
         }}\n\
         console.log(JSON.stringify(found));",
        q = json!(format!("file://{}", quality.display())),
        js = json!(out.join("search.js")),
        site = json!(out),
    );
    let got = run_node(node, &script, &Value::Null);
    for (query, pages) in got.as_object().unwrap() {
        assert_eq!(pages[0], "words.html", "{query} finds the page: {got}");
    }
    // The shown text holds the words without the invisible characters. (`__proto__` is indexed
    // as `proto`: underscores separate words, so no term can be named `__proto__`.)
    let shards: String = std::fs::read_dir(out.join("search"))
        .unwrap()
        .flat_map(|e| std::fs::read_dir(e.unwrap().path()).into_iter().flatten())
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default())
        .collect();
    assert!(shards.contains("鸿雁传书 龙凤 renewal"), "{shards}");
}
