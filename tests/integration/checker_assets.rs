//! The checker rules shipped as their own content-hashed file (`checker/rules.<hash8>.json`):
//! written by the build, named by every embedded widget (`data-rules`), known to the link
//! check, and served by `serve` from the same pipeline.

use std::path::{Path, PathBuf};

use beian_guide::checker::load_rules;
use beian_guide::wasm::content_hash;

use crate::common::{repo_root, Fixture};

const RULES: &str = "content/checker/rules.toml";

/// The repository's content and theme in a temp dir, without the WebAssembly (not needed here).
fn repo_site() -> Fixture {
    let site = Fixture::new("basic").with_repo_theme();
    let _ = std::fs::remove_dir_all(site.root.join("content"));
    for entry in walkdir::WalkDir::new(repo_root().join("content")) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(repo_root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type().is_file() {
            site.write(&rel, &std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    site.write(
        "book.toml",
        "[book]\ntitle = \"备案过期了吗\"\nlanguage = \"zh-CN\"\n\
         [languages.en]\ntitle = \"Does an ICP filing expire?\"\n\
         [checker]\nrules = \"content/checker/rules.toml\"\nwasm = false\n",
    );
    site
}

/// The rules JSON the build should ship: the library's `rules_json()` after resolving `.md`
/// links to the output paths the loader gives the pages (not a second copy of the output-path
/// rule); the English texts link to the English edition under `en/`.
fn expected_rules_json(root: &Path) -> String {
    let content = beian_guide::load::load(root, Path::new("content"), false)
        .unwrap_or_else(|e| panic!("the content does not load: {e:?}"));
    let outputs: std::collections::HashMap<&str, &str> = content
        .pages
        .iter()
        .map(|p| (p.source.as_str(), p.output.as_str()))
        .collect();
    let mut data = load_rules(root, Path::new(RULES)).unwrap();
    data.resolve_links_in(&|lang: &str, href: &str| {
        let edition = if lang == "en" { "en/" } else { "" };
        let (path, anchor) = href
            .split_once('#')
            .map_or((href, None), |(p, a)| (p, Some(a)));
        let page = outputs.get(path)?;
        Some(match anchor {
            Some(a) => format!("{edition}{page}#{a}"),
            None => format!("{edition}{page}"),
        })
    });
    data.rules_json()
}

/// `data-rules` of every `[data-checker]` section in `html`.
fn data_rules(html: &str) -> Vec<String> {
    html.match_indices("<section class=\"checker\"")
        .map(|(at, _)| {
            let tag = &html[at..at + html[at..].find('>').unwrap()];
            let start = tag
                .find("data-rules=\"")
                .unwrap_or_else(|| panic!("a widget has no data-rules: {tag}"))
                + "data-rules=\"".len();
            tag[start..start + tag[start..].find('"').unwrap()].to_owned()
        })
        .collect()
}

/// Every rules file in the output's `checker/` folder.
fn rules_files(out: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(out.join("checker"))
        .map(|dir| dir.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.retain(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("rules.") && n.ends_with(".json"))
    });
    found
}

#[test]
fn the_build_ships_the_rules_under_their_hash_and_embeds_name_them() {
    let site = repo_site();
    site.build().unwrap();
    let out = site.out();

    let expected = expected_rules_json(&site.root);
    let name = format!("checker/rules.{}.json", content_hash(expected.as_bytes()));
    assert_eq!(name.len(), "checker/rules.12345678.json".len(), "{name}");
    assert_eq!(
        rules_files(&out),
        vec![out.join(&name)],
        "one rules file, named by its hash"
    );
    assert_eq!(site.output(&name), expected, "the file is rules_json()");
    // Its classic-script twin (same hash) carries the same text, for pages opened from file://.
    let twin = name.replace(".json", ".js");
    let script = site.output(&twin);
    let literal = script
        .lines()
        .find_map(|l| {
            l.strip_prefix("(self.beianChecker || (self.beianChecker = {})).rulesJson = ")
        })
        .and_then(|l| l.strip_suffix(';'))
        .unwrap_or_else(|| panic!("{twin} does not set beianChecker.rulesJson:\n{script}"));
    let text: String = serde_json::from_str(literal).unwrap();
    assert_eq!(text, expected, "{twin} differs from {name}");

    // The checker page keeps the inline copy (no extra request there), with the same text.
    let page = site.output("checker.html");
    let inline = page
        .split_once("data-checker-rules>")
        .and_then(|(_, rest)| rest.split_once("</script>"))
        .map(|(json, _)| json.replace("\\u003c", "<"))
        .expect("checker.html has no inline rules");
    assert_eq!(inline, expected);

    // Every embed names the file relative to its own page, and that path exists.
    let mut embeds = 0;
    for page in ["index.html", "guides/renewal.html", "guides/refiling.html"] {
        let html = site.output(page);
        let urls = data_rules(&html);
        assert!(!urls.is_empty(), "{page} embeds no checker");
        let dir = Path::new(page).parent().unwrap();
        let prefix = "../".repeat(dir.components().count());
        for url in urls {
            assert_eq!(url, format!("{prefix}{name}"), "{page}");
            assert!(out.join(dir).join(&url).is_file(), "{page}: {url}");
            embeds += 1;
        }
        let twin = format!("data-rules-js=\"{prefix}{}\"", name.replace(".json", ".js"));
        assert!(
            html.contains(&twin),
            "{page} does not name the rules script ({twin})"
        );
    }
    assert!(embeds >= 3);
}

#[test]
fn new_rules_give_a_new_name_and_the_old_file_goes() {
    let site = repo_site();
    site.build().unwrap();
    let before = rules_files(&site.out());
    let text = std::fs::read_to_string(site.root.join(RULES)).unwrap();
    let edited = text.replacen("value = 30", "value = 31", 1);
    assert_ne!(edited, text, "the rules have no `value = 30` to change");
    site.write(RULES, &edited);
    site.build().unwrap();
    let after = rules_files(&site.out());
    assert_eq!(after.len(), 1);
    assert_ne!(before, after, "changed rules kept the old name");
    let name = after[0].file_name().unwrap().to_str().unwrap();
    assert!(site
        .output("guides/renewal.html")
        .contains(&format!("data-rules=\"../checker/{name}\"")));
}

#[test]
fn the_link_check_knows_the_rules_file() {
    let site = repo_site();
    site.build().unwrap();
    let name = rules_files(&site.out())[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    site.write(
        "content/guides/links-to-rules.md",
        &format!("+++\ntitle = \"规则文件\"\n+++\n[规则](../checker/{name})\n"),
    );
    site.check().unwrap();
    site.write(
        "content/guides/links-to-rules.md",
        "+++\ntitle = \"规则文件\"\n+++\n[规则](../checker/rules.00000000.json)\n",
    );
    let err = site.build_error();
    assert!(err.contains("rules.00000000.json"), "{err}");
}

#[test]
fn serve_serves_the_rules_file_the_embeds_name() {
    let site = repo_site();
    let server = crate::serve::Server::start(&site);
    let (status, page) = server.get("/guides/renewal.html");
    assert_eq!(status, 200);
    let url = data_rules(&page).remove(0);
    let path = url.strip_prefix("../").unwrap_or_else(|| panic!("{url}"));
    let (status, body) = server.get(&format!("/{path}"));
    assert_eq!(status, 200, "{path}");
    assert_eq!(body, expected_rules_json(&site.root));
}
