//! Search: the real site's index (search/index.js) ranked by the shipped search.js in Node —
//! the same code the browser runs — must put the right page in the top three for the queries
//! readers type; plus the tokeniser's rules, snippets, and byte-identical rebuilds.

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
        .args(["-e", script])
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

/// Like `in_node`, with `input` (JSON on stdin) in scope too.
fn in_node_with(node: &str, body: &str, input: &Value) -> Value {
    let out = site();
    let script = format!(
        "const fs = require('fs'), vm = require('vm');\n\
         const search = require({js});\n\
         const sandbox = {{ self: {{}} }};\n\
         vm.runInNewContext(fs.readFileSync({ix}, 'utf8'), sandbox);\n\
         const index = sandbox.self.beianSearchIndex;\n\
         const input = JSON.parse(fs.readFileSync(0, 'utf8'));\n\
         {body}",
        js = json!(out.join("search.js")),
        ix = json!(out.join("search/index.js")),
    );
    run_node(node, &script, input)
}

/// Query → the page(s) that must be among the first three results.
const QUERIES: &[(&str, &[&str])] = &[
    (
        "取消接入",
        &["guides/find-status.html", "reference/glossary.html"],
    ),
    (
        "空壳",
        &["guides/find-status.html", "reference/glossary.html"],
    ),
    ("公安备案", &["guides/public-security.html"]),
    ("续费", &["guides/renewal.html"]),
    ("年报", &["guides/icp-licence.html"]),
    (
        "接入备案",
        &["guides/renewal.html", "reference/glossary.html"],
    ),
    ("ICP", &["guides/icp-licence.html"]),
    ("注销", &["guides/refiling.html"]),
    ("重新备案", &["guides/refiling.html"]),
    ("域名到期", &["guides/domain-expiry.html"]),
    ("整改", &["guides/server-expired.html"]),
    ("授权码", &["guides/renewal.html"]),
    ("服务器到期", &["guides/server-expired.html"]),
    ("经营许可证", &["guides/icp-licence.html"]),
    ("备案会过期吗", &["guides/filing-expiry.html"]),
    ("换接入商", &["guides/renewal.html"]),
    // Full-width letters, mixed scripts, a space between words, one character, a word prefix.
    ("ＩＣＰ", &["guides/icp-licence.html"]),
    ("ICP证 年报", &["guides/icp-licence.html"]),
    ("公安", &["guides/public-security.html"]),
    ("icp 许可证", &["guides/icp-licence.html"]),
];

#[test]
fn every_query_finds_its_page_in_the_top_three() {
    let Some(node) = node() else { return };
    let queries: Vec<&str> = QUERIES.iter().map(|(q, _)| *q).collect();
    let got = in_node_with(
        node,
        "console.log(JSON.stringify(input.map((q) => search.search(index, q, 3).map((r) => r.page))));",
        &json!(queries),
    );
    let mut failures = Vec::new();
    for ((query, expected), top) in QUERIES.iter().zip(got.as_array().unwrap()) {
        let top: Vec<&str> = top
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        eprintln!("{query}: {top:?}");
        for page in *expected {
            if !top.contains(page) {
                failures.push(format!(
                    "{query}: expected {page} in the top three, got {top:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn results_link_to_the_matching_section_with_a_highlighted_snippet() {
    let Some(node) = node() else { return };
    let got = in_node(
        node,
        "console.log(JSON.stringify(search.search(index, '取消接入', 10)));",
    );
    let results = got.as_array().unwrap();
    let glossary = results
        .iter()
        .find(|r| r["page"] == "reference/glossary.html")
        .unwrap();
    // The glossary's entry has that heading, so the result points at it.
    assert_eq!(glossary["url"], "reference/glossary.html#quxiao-jieru");
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
            assert!(
                "取消接入".contains(&marked),
                "highlighted `{marked}` is not part of the query in {r}"
            );
        }
        assert!(chars.len() <= 96, "snippet too long: {text}");
    }
    // No result for text that is nowhere on the site, and none for an empty query.
    let none = in_node(
        node,
        "console.log(JSON.stringify([search.search(index, '量子纠缠', 5), search.search(index, '  ，。 ', 5)]));",
    );
    assert_eq!(none, json!([[], []]));
}

#[test]
fn tokenizer_bigrams_words_and_full_width_forms() {
    let Some(node) = node() else { return };
    let cases = json!([
        ["取消接入", ["取消", "消接", "接入"]],
        ["壳", ["壳"]],
        ["空壳 网站", ["空壳", "网站"]],
        ["ICP备案号", ["icp", "备案", "案号"]],
        [
            "经营许可证（ICP证）",
            ["经营", "营许", "许可", "可证", "icp", "证"]
        ],
        ["2024年报", ["2024", "年报"]],
        ["ＩＣＰ１２３", ["icp123"]],
        ["续费，备案。注销、整改！", ["续费", "备案", "注销", "整改"]],
        ["域名\u{3000}到期", ["域名", "到期"]],
        ["“空壳”网站", ["空壳", "网站"]],
        ["Beian-Guide v1.2", ["beian", "guide", "v1", "2"]],
        ["𠀀𠀁", ["𠀀𠀁"]]
    ]);
    let got = in_node_with(
        node,
        "console.log(JSON.stringify(input.map(([text]) => search.tokenize(text))));",
        &cases,
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
fn the_index_holds_page_text_without_the_checker_form_and_loads_on_demand() {
    let out = site();
    let index = std::fs::read_to_string(out.join("search/index.js")).unwrap();
    let json = index
        .strip_prefix("self.beianSearchIndex=")
        .and_then(|s| s.strip_suffix(";\n"))
        .unwrap();
    let ix: Value = serde_json::from_str(json).unwrap();
    assert_eq!(ix["v"], 1);
    let docs = ix["docs"].as_array().unwrap();
    assert_eq!(docs.len(), 21, "one entry per page");
    let urls: Vec<&str> = docs.iter().map(|d| d["u"].as_str().unwrap()).collect();
    assert!(urls.contains(&"guides/renewal.html") && urls.contains(&"index.html"));
    // The embedded checker's form labels are not page text.
    assert!(
        !json.contains("checker-0"),
        "checker markup leaked into the index"
    );
    // Pages load the script and the box, not the index.
    let page = std::fs::read_to_string(out.join("guides/renewal.html")).unwrap();
    assert!(page.contains("<script src=\"../search.js\" defer></script>"));
    assert!(page.contains("data-root=\"../\""));
    assert!(!page.contains("search/index.js"));
}

#[test]
fn two_builds_write_identical_index_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let second = dir.path().join("out");
    build_repo_site(dir.path(), &second);
    let a = std::fs::read(site().join("search/index.js")).unwrap();
    let b = std::fs::read(second.join("search/index.js")).unwrap();
    assert!(a == b, "search/index.js differs between two builds");
}

#[test]
fn the_index_is_written_only_for_a_theme_with_the_search_box_and_can_be_turned_off() {
    let site = crate::common::Fixture::new("basic");
    site.build().unwrap();
    assert!(!site.out().join("search/index.js").exists());
    let site = crate::common::Fixture::new("basic").with_repo_theme();
    site.build().unwrap();
    assert!(site
        .output("search/index.js")
        .contains("\"u\":\"guides/access.html\""));
    site.write(
        "book.toml",
        &format!(
            "{}\n[search]\nenabled = false\n",
            std::fs::read_to_string(site.root.join("book.toml")).unwrap()
        ),
    );
    site.build().unwrap();
    assert!(!site.out().join("search/index.js").exists());
}
