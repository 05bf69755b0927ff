//! The checker rules shipped as their own content-hashed file per language
//! (`checker/rules.<lang>.<hash8>.json`): written by the build, holding what answers in that
//! language need and giving the same answers as the whole rules, named by every widget of that
//! language's edition (`data-rules`) and preloaded by the checker page, known to the link check,
//! and served by `serve` from the same pipeline.

use std::path::{Path, PathBuf};

use beian_guide::checker::load_rules;
use beian_guide::wasm::content_hash;

use crate::common::{repo_root, Fixture};

const RULES: &str = "content/checker/rules.toml";

/// The repository's content and theme in a temp dir, without the WebAssembly and without the
/// `.gz`/`.br` copies (neither is what these tests check, and precompressing the whole site was
/// most of a debug build's time; the copies have their own tests).
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
         [build]\nprecompress = false\n\
         [checker]\nrules = \"content/checker/rules.toml\"\nwasm = false\n",
    );
    site
}

/// The rules the build should ship for `lang`: the library's `rules_json_for(lang)` after
/// resolving `.md` links to the output paths the loader gives the pages (not a second copy of
/// the output-path rule); the English texts link to the English edition under `en/`.
fn expected_rules_json(root: &Path, lang: &str) -> String {
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
    data.rules_json_for(lang)
}

/// `checker/rules.<lang>.<hash of the text>.json` for the rules text `json`.
fn rules_name(lang: &str, json: &str) -> String {
    format!(
        "checker/rules.{lang}.{}.json",
        content_hash(json.as_bytes())
    )
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
    found.sort();
    found
}

#[test]
fn the_build_ships_the_rules_per_language_under_their_hash_and_widgets_name_them() {
    let site = repo_site();
    site.build().unwrap();
    let out = site.out();

    let mut names = Vec::new();
    for (lang, edition) in [("zh-CN", ""), ("en", "en/")] {
        let expected = expected_rules_json(&site.root, lang);
        let name = rules_name(lang, &expected);
        assert_eq!(
            name.len(),
            format!("checker/rules.{lang}.12345678.json").len(),
            "{name}"
        );
        assert_eq!(
            site.output(&name),
            expected,
            "{name} is rules_json_for({lang})"
        );
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

        // The checker page carries no copy of the rules: its widget names the file (and its head
        // preloads it when the site has the engine, checked by
        // parity::the_built_site_ships_a_working_checker; this site is built without it).
        let page = site.output(&format!("{edition}checker.html"));
        assert!(
            !page.contains("data-checker-rules"),
            "{edition}checker.html still carries the rules inline"
        );
        let prefix = "../".repeat(edition.matches('/').count());
        assert_eq!(data_rules(&page), vec![format!("{prefix}{name}")]);

        // Every embed of the edition names its language's file relative to its own page, and
        // that path exists.
        let mut embeds = 0;
        for page in ["index.html", "guides/renewal.html", "guides/refiling.html"] {
            let page = format!("{edition}{page}");
            let html = site.output(&page);
            let urls = data_rules(&html);
            assert!(!urls.is_empty(), "{page} embeds no checker");
            let dir = Path::new(&page).parent().unwrap();
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
        assert!(embeds >= 3, "{edition}: {embeds} embeds");
        names.push(out.join(&name));
    }
    names.sort();
    assert_eq!(rules_files(&out), names, "one rules file per language");
}

/// The shared case table's inputs (tests/checker-cases/cases.json), each asked in `lang`, plus a
/// grid over what selects texts: every provider and notice reason, with and without a notice,
/// each access status, a server expiring on different days (variants such as the last day),
/// and a refile with the licence fields.
fn inputs_in(lang: &str) -> Vec<serde_json::Value> {
    use serde_json::{json, Value};
    let text = std::fs::read_to_string(repo_root().join("tests/checker-cases/cases.json")).unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    let mut inputs: Vec<Value> = cases
        .iter()
        .filter_map(|c| c.get("input")?.as_object().cloned())
        .map(Value::Object)
        .collect();
    assert!(inputs.len() > 50, "cases.json has {} inputs", inputs.len());
    for provider in beian_checker::PROVIDERS {
        for reason in beian_checker::NOTICE_REASONS {
            for access in beian_checker::ACCESS_STATUSES {
                for (server, deadline) in [
                    ("2026-10-20", "2026-10-20"),
                    ("2026-10-25", "2026-11-01"),
                    ("2025-01-01", ""),
                    ("2026-12-30", "2026-10-19"),
                ] {
                    let mut input = json!({
                        "today": "2026-10-20",
                        "provider": provider,
                        "serverExpiry": server,
                        "accessStatus": access,
                        "noticeReceived": true,
                        "noticeReason": reason,
                        "domainExpiry": "2026-10-21",
                        "planningRefile": true,
                        "licenceExpiry": "2027-01-10",
                    });
                    if !deadline.is_empty() {
                        input["noticeDeadline"] = deadline.into();
                    }
                    inputs.push(input);
                }
            }
        }
    }
    for input in &mut inputs {
        input["lang"] = lang.into();
    }
    inputs
}

#[test]
fn each_language_s_rules_answer_as_the_whole_rules_do() {
    let site = repo_site();
    let data = load_rules(&site.root, Path::new(RULES)).unwrap();
    let whole = beian_checker::Rules::from_json(&data.rules_json()).unwrap();
    let today = beian_checker::parse_date("2026-10-20").unwrap();
    let answer = |rules: &beian_checker::Rules, input: &serde_json::Value| {
        beian_checker::classify_json(&input.to_string(), rules, today)
            .map(|o| o.to_json())
            .map_err(|e| e.to_string())
    };
    for lang in ["zh-CN", "en"] {
        let json = data.rules_json_for(lang);
        assert!(
            json.len() * 10 < data.rules_json().len() * 7,
            "the {lang} rules ({} B) are not much smaller than the whole rules ({} B)",
            json.len(),
            data.rules_json().len()
        );
        let own = beian_checker::Rules::from_json(&json)
            .unwrap_or_else(|e| panic!("the {lang} rules do not read: {e}"));
        let inputs = inputs_in(lang);
        let mut differ = Vec::new();
        for input in &inputs {
            let (a, b) = (answer(&whole, input), answer(&own, input));
            if a != b {
                differ.push(format!("{input}\n  whole: {a:?}\n  {lang}: {b:?}"));
            }
        }
        assert!(
            differ.is_empty(),
            "{} of {} inputs answer differently with the {lang} rules:\n{}",
            differ.len(),
            inputs.len(),
            differ.join("\n")
        );
    }
    // The other language's texts are gone: no English title in the zh-CN file, no Chinese
    // title of a translated state in the English one.
    let rules = data.rules();
    let (code, texts) = rules
        .states
        .iter()
        .find(|(_, t)| t.en.as_ref().is_some_and(|en| !en.title.trim().is_empty()))
        .expect("no state has an English title");
    let en_title = &texts.en.as_ref().unwrap().title;
    assert!(
        !data
            .rules_json_for("zh-CN")
            .contains(&format!("\"{en_title}\"")),
        "{code}"
    );
    assert!(
        !data
            .rules_json_for("en")
            .contains(&format!("\"{}\"", texts.zh_cn.title)),
        "{code}"
    );
    assert!(
        data.rules_json_for("en")
            .contains(&format!("\"{en_title}\"")),
        "{code}"
    );
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
    assert_eq!(after.len(), 2, "{after:?}");
    for path in &after {
        assert!(
            !before.contains(path),
            "changed rules kept the old name {path:?}"
        );
    }
    let name = after[1].file_name().unwrap().to_str().unwrap();
    assert!(name.starts_with("rules.zh-CN."), "{name}");
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
    assert_eq!(body, expected_rules_json(&site.root, "zh-CN"));
}

/// The theme's checker scripts ship without comments or indentation (src/checker/minify.rs):
/// smaller than their sources, still valid JavaScript (`node --check`), and every line of code
/// without a comment or template literal kept as written (only its indentation gone).
#[test]
fn the_checker_scripts_ship_shrunk_and_still_parse() {
    let out = crate::common::built_repo_site();
    let node = crate::common::node("shipped checker scripts check");
    for rel in ["checker.js", "checker-dates.js", "checker/checker-ics.js"] {
        let source = std::fs::read_to_string(repo_root().join("static").join(rel)).unwrap();
        let shipped = std::fs::read_to_string(out.join(rel)).unwrap();
        assert!(
            shipped.len() * 10 < source.len() * 8,
            "{rel}: {} B shipped from a {} B source",
            shipped.len(),
            source.len()
        );
        assert!(
            !shipped
                .lines()
                .any(|l| l.starts_with("//") || l.starts_with(' ')),
            "{rel} still has a comment line or indentation"
        );
        let kept: std::collections::HashSet<&str> = shipped.lines().collect();
        let code = source.lines().map(str::trim).filter(|l| {
            !l.is_empty() && !l.starts_with('*') && !["//", "/*", "`"].iter().any(|c| l.contains(c))
        });
        for line in code {
            assert!(kept.contains(line), "{rel} lost the line `{line}`");
        }
        if let Some(node) = node {
            let run = std::process::Command::new(node)
                .arg("--check")
                .arg(out.join(rel))
                .output()
                .unwrap();
            assert!(
                run.status.success(),
                "{rel}: {}",
                String::from_utf8_lossy(&run.stderr)
            );
        }
    }
}
