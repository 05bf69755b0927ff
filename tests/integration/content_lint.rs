//! The real site content against the myth lint and the writing rules (front matter, answer-first
//! openings, no dead-end page, footnotes that match), plus fixtures that prove the lint fires.
//! Markdown is read with pulldown-cmark and the generator's options, front matter with the
//! generator's splitter: no second parser here.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use beian_guide::diagnostic::Diagnostic;
use beian_guide::lint::{load_myths, parse_myths, MythRules};
use beian_guide::markdown::lint_myths;
use pulldown_cmark::{Event, Parser, Tag};

/// The pages the agreed layout requires (paths relative to `content/`).
const REQUIRED_PAGES: &[&str] = &[
    "_index.md",
    "checker.md",
    "guides/_index.md",
    "guides/filing-expiry.md",
    "guides/server-expired.md",
    "guides/consequences.md",
    "guides/renewal.md",
    "guides/refiling.md",
    "guides/domain-expiry.md",
    "guides/icp-licence.md",
    "guides/public-security.md",
    "guides/checklist.md",
    "guides/find-status.md",
    "guides/app-filing.md",
    "guides/change-filing.md",
    "guides/stop-or-move.md",
    "guides/personal-vs-company.md",
    "guides/counting-days.md",
    "reference/_index.md",
    "reference/glossary.md",
    "reference/faq.md",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rules() -> MythRules {
    myths("lint/myths.toml")
}

fn myths(file: &str) -> MythRules {
    match load_myths(&root(), Path::new(file)) {
        Ok(r) => r,
        Err(errors) => panic!("{file} does not load:\n{}", render(&errors)),
    }
}

/// Whether a content path is an English translation (`name.en.md`).
fn is_english(path: &Path) -> bool {
    path.to_string_lossy().ends_with(".en.md")
}

/// The myth list that applies to a page: `lint/myths.en.toml` for English translations, as
/// the build's lint does.
fn rules_for<'a>(path: &Path, zh: &'a MythRules, en: &'a MythRules) -> &'a MythRules {
    if is_english(path) {
        en
    } else {
        zh
    }
}

fn render(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every Markdown page under `content/`, as (path relative to content/, text).
fn pages() -> Vec<(PathBuf, String)> {
    let content = root().join("content");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => panic!("cannot walk content/: {e}"),
        };
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
            let text = match std::fs::read_to_string(entry.path()) {
                Ok(t) => t,
                Err(e) => panic!("cannot read {}: {e}", entry.path().display()),
            };
            let rel = entry.path().strip_prefix(&content).unwrap_or(entry.path());
            out.push((rel.to_path_buf(), text));
        }
    }
    out
}

/// Splits `+++` front matter from the body with the generator's own splitter; panics with the
/// page name if it is missing.
fn split(path: &Path, text: &str) -> (toml::Table, String) {
    let (front, _, body) = beian_guide::load::split_front_matter(text)
        .unwrap_or_else(|| panic!("{}: no closed `+++` front matter", path.display()));
    let table: toml::Table = match front.parse() {
        Ok(t) => t,
        Err(e) => panic!("{}: invalid front matter: {e}", path.display()),
    };
    (table, text[body..].to_owned())
}

/// The body's Markdown events, parsed as the generator parses it (same options).
fn events(body: &str) -> Vec<Event<'_>> {
    Parser::new_ext(body, beian_guide::markdown::options()).collect()
}

#[test]
fn every_required_page_exists() {
    let have: BTreeSet<PathBuf> = pages().into_iter().map(|(p, _)| p).collect();
    for page in REQUIRED_PAGES {
        assert!(have.contains(Path::new(page)), "content/{page} is missing");
    }
}

#[test]
fn real_content_passes_the_myth_lint() {
    let (zh, en) = (rules(), myths("lint/myths.en.toml"));
    let mut found = Vec::new();
    let pages = pages();
    assert!(pages.len() >= REQUIRED_PAGES.len());
    for (path, text) in &pages {
        found.extend(lint_myths(
            &Path::new("content").join(path),
            text,
            rules_for(path, &zh, &en),
        ));
    }
    assert!(found.is_empty(), "{}", render(&found));
}

#[test]
fn a_page_stating_a_myth_fails_with_position_and_fact() {
    let text = "+++\ntitle = \"服务器到期\"\n+++\n\n注意：备案号有效期为一年，过期后要续费。\n";
    let found = lint_myths(Path::new("content/guides/bad.md"), text, &rules());
    let d = found
        .iter()
        .find(|d| d.message.contains("`filing-validity-period`"))
        .unwrap_or_else(|| panic!("myth not flagged: {}", render(&found)));
    assert_eq!(d.line, Some(5));
    assert_eq!(d.column, Some(4));
    assert_eq!(
        d.source_line.as_deref(),
        Some("注意：备案号有效期为一年，过期后要续费。")
    );
    assert!(d.help.as_deref().unwrap_or("").contains("fact 1.1"));
    assert!(d
        .to_string()
        .starts_with("error: page states the known-false claim `filing-validity-period`"));
}

#[test]
fn the_same_text_inside_a_myth_quote_passes() {
    let text = "+++\ntitle = \"服务器到期\"\n+++\n\n> [!MYTH]\n> 注意：备案号有效期为一年，过期后要续费。\n\n这句话是错的。\n";
    let found = lint_myths(Path::new("content/guides/ok.md"), text, &rules());
    assert!(found.is_empty(), "{}", render(&found));
}

/// The lint reads what pulldown-cmark parses (the review's three disagreements): a lower-case
/// `[!myth]` is a myth quote like `[!MYTH]` (the renderer draws the box for both); a lazy
/// continuation line belongs to the quote it continues; an indented code block is code.
#[test]
fn the_lint_agrees_with_the_parser_on_quotes_and_code() {
    for body in [
        "> [!myth]\n> 备案号续费\n",
        "> [!MYTH]\n> 有人说：\n备案号续费\n",
        "正文。\n\n    备案号续费\n",
    ] {
        let text = format!("+++\ntitle = \"例子\"\n+++\n\n{body}");
        let found = lint_myths(Path::new("content/x.md"), &text, &rules());
        assert!(found.is_empty(), "{body:?}: {}", render(&found));
    }
    // The same claim as plain text, in an ordinary quote or after the quote has ended is a
    // claim.
    for body in [
        "备案号续费\n",
        "> 备案号续费\n",
        "> [!MYTH]\n> 有人说：\n\n备案号续费\n",
        "> [!NOTE]\n> 备案号续费\n",
        "```\n代码\n```\n备案号续费\n",
    ] {
        let text = format!("+++\ntitle = \"例子\"\n+++\n\n{body}");
        let found = lint_myths(Path::new("content/x.md"), &text, &rules());
        assert_eq!(found.len(), 1, "{body:?}: {}", render(&found));
        assert!(
            found[0]
                .source_line
                .as_deref()
                .is_some_and(|l| l.contains("备案号续费")),
            "{body:?}: {}",
            render(&found)
        );
    }
}

#[test]
fn a_myth_in_the_title_or_description_fails() {
    let text = "+++\ntitle = \"备案过期怎么办\"\ndescription = \"备案续费指南\"\n+++\n\n正文。\n";
    let found = lint_myths(Path::new("content/x.md"), text, &rules());
    let lines: Vec<_> = found.iter().map(|d| d.line).collect();
    assert_eq!(lines, vec![Some(2), Some(3)], "{}", render(&found));
}

/// Each myth fires on at least one realistic sentence, so no pattern in the list is dead.
#[test]
fn every_myth_fires_on_an_example() {
    let examples: HashMap<&str, &str> = HashMap::from([
        ("filing-validity-period", "查看备案号有效期，提前处理。"),
        ("filing-expires", "备案号过期会导致网站无法访问。"),
        ("filing-renewal", "记得及时办理备案续费。"),
        ("auto-cancel-on-date", "服务器到期后备案会自动注销。"),
        ("grace-day-count", "服务器过期15天内续费即可恢复备案。"),
        ("national-annual-review", "网站备案每年都需要年审。"),
        ("cancelled-restorable", "备案号被注销后可以恢复。"),
        (
            "wrong-fine-for-no-filing",
            "未备案的网站会被罚款5000到10000元。",
        ),
        (
            "invented-change-deadline",
            "负责人变更之日起二十个工作日内要办理变更手续。",
        ),
        (
            "shell-means-no-website",
            "主体下已经没有网站，就成了空壳主体。",
        ),
        (
            "miit-lookup-shows-provider",
            "到工信部查一下，能查到接入商就说明正常。",
        ),
        ("filing-certificate", "备案成功后可以下载备案证书。"),
        ("cancel-notice-period", "注销备案的公告期一般为30天。"),
        (
            "domain-three-months-inclusive",
            "域名有效期要在3个月以上才能备案。",
        ),
        ("yearly-info-update", "网站备案后要定期更新备案信息。"),
        (
            "overseas-origin-cdn-no-filing",
            "源站在香港，前面用内地 CDN 加速也不用备案。",
        ),
        (
            "licence-renewal-deadline",
            "许可证在有效期届满前60日内可以申请延续。",
        ),
        ("licence-three-years", "ICP经营许可证的有效期一般为三年。"),
        ("invented-fine-50k", "违规接入将面临最高50万元罚款。"),
    ]);
    let rules = rules();
    let ids: Vec<&str> = rules.ids().collect();
    for id in &ids {
        let sentence = examples
            .get(id)
            .unwrap_or_else(|| panic!("add an example sentence for myth `{id}`"));
        let found = lint_myths(Path::new("x.md"), sentence, &rules);
        assert!(
            found.iter().any(|d| d.message.contains(&format!("`{id}`"))),
            "myth `{id}` does not fire on {sentence:?}: {}",
            render(&found)
        );
    }
    assert_eq!(
        ids.len(),
        examples.len(),
        "an example names a myth that is not in the list"
    );
}

/// Every `> [!MYTH]` quote in the guides is a claim the lint knows: taken out of its box, the
/// quoted text is flagged. This keeps the myth list and the pages in step.
#[test]
fn every_quoted_myth_in_the_guides_is_in_the_myth_list() {
    let (zh, en) = (rules(), myths("lint/myths.en.toml"));
    let mut quotes = 0;
    let mut unknown = Vec::new();
    for (path, text) in pages() {
        let (_, body) = split(&path, &text);
        let mut current: Option<String> = None;
        for line in body.lines().chain(std::iter::once("")) {
            let quoted = line.trim_start().strip_prefix('>').map(str::trim);
            match (&mut current, quoted) {
                (None, Some(q)) if q.starts_with("[!MYTH]") => {
                    current = Some(q.trim_start_matches("[!MYTH]").to_owned());
                }
                (Some(acc), Some(q)) => acc.push_str(q),
                (Some(acc), None) => {
                    quotes += 1;
                    let claim = std::mem::take(acc);
                    let rules = rules_for(&path, &zh, &en);
                    if lint_myths(Path::new("quote.md"), &claim, rules).is_empty() {
                        unknown.push(format!("{}: {claim}", path.display()));
                    }
                    current = None;
                }
                (None, _) => {}
            }
        }
    }
    assert!(
        quotes >= 3,
        "the guides should quote the common myths to refute them"
    );
    assert!(
        unknown.is_empty(),
        "quoted myths the lint would not catch:\n{}",
        unknown.join("\n")
    );
}

/// Sentences the guides need to write must not be flagged.
#[test]
fn true_statements_are_not_flagged() {
    let ok = [
        "备案会过期吗？",
        "备案不会过期，也不需要续费。",
        "33 号令写的是“在备案有效期内需要变更……应当提前三十日”。",
        "所谓“备案有效期”，法规没有规定时长。",
        "腾讯云在《取得备案后，备案号的有效期是多少？》里说明长期有效。",
        "许可证有效期五年，到期前至少 90 日申请延续。",
        "持续欠费 15 天后，系统将释放 ECS 资源。",
        "管局审核一般为1-5个工作日，最长不超过20个工作日。",
        "没有备案就提供服务的，处一万元罚款。",
        "备案号一经注销，便不可恢复。",
        "非经营性备案没有有效期，也不存在续费。",
        "按量付费 ECS 欠费 15 天后释放资源，和备案无关。",
        "域名到期后第 45–75 天进入赎回期（通用顶级域的例子）。",
        "备案信息要变，应当提前 30 天办理变更。",
        "工信部查询看不到接入商，也看不出是否已被取消接入。",
        "工信部查询结果里没有接入商这一栏。",
        "工信部查询能看到接入商吗？",
        "主体名下只剩一个小程序备案时，它不是空壳主体。",
        "目前工信部不支持备案证书下载。",
        "不少省份要求域名剩余有效期大于 3 个月。",
        "阿里云要求包年包月 ECS 3 个月及以上。",
    ];
    let rules = rules();
    for s in ok {
        let found = lint_myths(Path::new("x.md"), s, &rules);
        assert!(found.is_empty(), "{s:?} flagged: {}", render(&found));
    }
}

#[test]
fn a_bad_myth_list_is_reported_with_its_line() {
    let text = "[[myth]]\nid = \"x\"\npatterns = [\"备案(有效期\"]\nexplanation = \"说明\"\nfact = \"1.1\"\n";
    let errors = match parse_myths(Path::new("lint/myths.toml"), text) {
        Ok(_) => panic!("a bad regex must not load"),
        Err(e) => e,
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].location(), "lint/myths.toml:3:13");
    assert!(errors[0]
        .message
        .starts_with("myth `x` has an invalid pattern regex:"));
}

#[test]
fn every_page_has_reviewed_and_sources() {
    for (path, text) in pages() {
        let (fm, _) = split(&path, &text);
        let name = path.display();
        assert!(
            fm.get("title")
                .and_then(|t| t.as_str())
                .is_some_and(|t| !t.is_empty()),
            "{name}: no title"
        );
        let reviewed = fm
            .get("reviewed")
            .and_then(|v| v.as_datetime())
            .unwrap_or_else(|| panic!("{name}: `reviewed` must be a date"));
        assert!(
            reviewed.date.is_some() && reviewed.time.is_none(),
            "{name}: `reviewed` must be a plain date"
        );
        let sources = fm
            .get("sources")
            .and_then(|v| v.as_array())
            .unwrap_or_else(|| panic!("{name}: no `sources`"));
        assert!(!sources.is_empty(), "{name}: `sources` is empty");
        for s in sources {
            let t = s
                .as_table()
                .unwrap_or_else(|| panic!("{name}: a source is not a table"));
            assert!(
                t.get("title")
                    .and_then(|v| v.as_str())
                    .is_some_and(|v| !v.is_empty()),
                "{name}: source without title"
            );
            let url = t.get("url").and_then(|v| v.as_str()).unwrap_or("");
            assert!(
                url.starts_with("http://") || url.starts_with("https://"),
                "{name}: bad source url {url:?}"
            );
            if let Some(d) = t.get("date") {
                assert!(
                    d.as_datetime().is_some_and(|d| d.time.is_none()),
                    "{name}: source date must be a plain date"
                );
            }
            for key in t.keys() {
                assert!(
                    ["title", "url", "date"].contains(&key.as_str()),
                    "{name}: unknown source key {key}"
                );
            }
        }
    }
}

/// The first block after the front matter is a short paragraph or a callout, not a heading,
/// list, table or code block.
#[test]
fn every_page_opens_with_a_short_answer() {
    for (path, text) in pages() {
        let (_, body) = split(&path, &text);
        let first: Vec<&str> = body
            .lines()
            .skip_while(|l| l.trim().is_empty())
            .take_while(|l| !l.trim().is_empty())
            .collect();
        let name = path.display();
        let head = first.first().copied().unwrap_or("");
        assert!(!head.is_empty(), "{name}: empty body");
        for bad in ["#", "-", "*", "|", "```", "1."] {
            assert!(
                !head.starts_with(bad),
                "{name}: opens with `{bad}` instead of an answer"
            );
        }
        if head.starts_with('>') {
            assert!(
                head.starts_with("> [!"),
                "{name}: opening quote is not a callout"
            );
        }
        let chars: usize = first
            .iter()
            .map(|l| l.trim_start_matches(['>', ' ']).chars().count())
            .sum();
        // English needs more letters than Chinese needs characters for the same answer (a
        // Chinese character is a syllable, often a word): 260 Chinese characters say what
        // 400 English letters do at the most compact.
        let limit = if is_english(&path) { 400 } else { 260 };
        assert!(
            chars <= limit,
            "{name}: opening answer is {chars} characters; keep it to {limit}"
        );
    }
}

/// Heading ids other parts of the site (checker results, search, other guides) link to.
const AGREED_IDS: &[(&str, &str)] = &[
    ("guides/find-status.md", "miit-lookup"),
    ("guides/find-status.md", "access-status"),
    ("guides/find-status.md", "shell-list"),
    ("guides/stop-or-move.md", "hong-kong"),
    ("guides/server-expired.md", "chain"),
    ("guides/renewal.md", "notice"),
    ("guides/refiling.md", "which-path"),
];

#[test]
fn the_agreed_heading_ids_exist() {
    let pages: HashMap<PathBuf, String> = pages().into_iter().collect();
    let mut missing = Vec::new();
    for (page, id) in AGREED_IDS {
        let text = pages
            .get(Path::new(page))
            .unwrap_or_else(|| panic!("{page} is missing"));
        let (_, body) = split(Path::new(page), text);
        if !explicit_ids(&body).contains(*id) {
            missing.push(format!("{page}#{id}"));
        }
    }
    assert!(
        missing.is_empty(),
        "heading ids others link to are gone: {}",
        missing.join(", ")
    );
}

/// Explicit `{#id}` heading ids in a body.
fn explicit_ids(body: &str) -> BTreeSet<String> {
    events(body)
        .into_iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect()
}

/// Every page links onward to another page (a relative `.md` link). Whether links and anchors
/// resolve is the generator's job: the build fails on a broken one (tests/integration/errors.rs),
/// and the repository's site is built by the theme and self_contained tests.
#[test]
fn no_page_is_a_dead_end() {
    let mut dead_ends = Vec::new();
    for (path, text) in pages() {
        let (_, body) = split(&path, &text);
        let onward = events(&body).into_iter().any(|e| match e {
            Event::Start(Tag::Link { dest_url, .. }) => {
                let file = dest_url.split('#').next().unwrap_or("");
                !dest_url.contains("://") && file.ends_with(".md")
            }
            _ => false,
        });
        if !onward {
            dead_ends.push(format!("{}: links to no other page", path.display()));
        }
    }
    assert!(dead_ends.is_empty(), "{}", dead_ends.join("\n"));
}

/// Every footnote is cited and defined, in reading order: `beian-guide check` warns otherwise
/// (`lint::footnote_problems`, whose own tests prove each warning); the site has none.
#[test]
fn footnotes_match_and_are_defined_in_reading_order() {
    let problems: Vec<Diagnostic> = pages()
        .iter()
        .flat_map(|(path, text)| beian_guide::markdown::lint_footnotes(path, text))
        .collect();
    assert!(problems.is_empty(), "{}", render(&problems));
}

/// The English edition is complete: every page has its translation, which keeps the explicit
/// heading ids of its original (other pages and the checker's texts link to those ids in both
/// editions) and records which version of the original it was made from.
#[test]
fn every_page_has_an_english_translation_with_the_same_ids() {
    let pages = pages();
    let texts: HashMap<PathBuf, String> = pages.iter().cloned().collect();
    let mut originals = 0;
    for (path, text) in &pages {
        if is_english(path) {
            continue;
        }
        originals += 1;
        let name = path.display();
        let translated = path.with_extension("en.md");
        let english = texts.get(&translated).unwrap_or_else(|| {
            panic!("{name} has no English translation {}", translated.display())
        });
        let missing: Vec<String> = explicit_ids(&split(path, text).1)
            .difference(&explicit_ids(&split(&translated, english).1))
            .cloned()
            .collect();
        assert!(
            missing.is_empty(),
            "{}: heading ids of {name} missing: {missing:?}",
            translated.display()
        );
        let (front, _) = split(&translated, english);
        assert!(
            front.contains_key("source-updated"),
            "{}: no `source-updated`",
            translated.display()
        );
    }
    assert!(originals >= REQUIRED_PAGES.len());
}
