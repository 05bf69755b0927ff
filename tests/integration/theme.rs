//! Theme outputs: the Atom feed (parsed as XML), JSON-LD per page type, the print edition,
//! the footer's filing numbers, the no-flash colour-scheme script, no outside asset URLs, and
//! byte-identical rebuilds. Most checks run on the repository's own site (WebAssembly off).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

use crate::common::{built_repo_site, repo_root, Fixture};

const BASE: &str = "https://beian-guide.example.org/";

/// The repository's site, built once per test binary (shared with the search tests).
fn site() -> &'static Path {
    static BASE_CHECKED: OnceLock<()> = OnceLock::new();
    BASE_CHECKED.get_or_init(|| {
        let book = std::fs::read_to_string(repo_root().join("book.toml")).unwrap();
        assert!(
            book.contains(&format!("base-url = \"{BASE}\"")),
            "update BASE"
        );
    });
    built_repo_site()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(site().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every generated HTML file, site-relative.
fn html_files(out: &Path) -> Vec<String> {
    beian_guide::list_output(out)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect()
}

/// The values of `attr="…"` in every tag named `tag` (our generator always double-quotes).
fn tags<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag} ");
    html.match_indices(&open)
        .filter_map(|(at, _)| html[at..].find('>').map(|end| &html[at..at + end + 1]))
        .collect()
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// The JSON-LD graph of a page, by `@type`.
fn json_ld(html: &str) -> BTreeMap<String, Value> {
    let open = "<script type=\"application/ld+json\">";
    let Some(start) = html.find(open).map(|s| s + open.len()) else {
        return BTreeMap::new();
    };
    let end = start + html[start..].find("</script>").unwrap();
    let doc: Value = serde_json::from_str(&html[start..end]).expect("JSON-LD is valid JSON");
    assert_eq!(doc["@context"], "https://schema.org");
    doc["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["@type"].as_str().unwrap().to_owned(), n.clone()))
        .collect()
}

/// Pages in reading order, from the sitemap.
fn reading_order() -> Vec<String> {
    let sitemap = read("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap().strip_prefix(BASE).unwrap().to_owned())
        .collect()
}

/// A front matter date (`key = YYYY-MM-DD`) of a content file.
fn front_date(source: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(repo_root().join("content").join(source)).unwrap();
    let front = text.split("+++").nth(1).unwrap();
    front.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == key).then(|| v.trim().to_owned())
    })
}

/// The Atom child element `name` of `n` (panics when missing).
fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
    n.children()
        .find(|c| c.has_tag_name(("http://www.w3.org/2005/Atom", name)))
        .unwrap_or_else(|| panic!("<{name}> missing"))
}

#[test]
fn feed_is_valid_atom_with_every_guide_newest_first() {
    let xml = read("atom.xml");
    let doc = roxmltree::Document::parse(&xml).expect("atom.xml is well-formed XML");
    let atom = "http://www.w3.org/2005/Atom";
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some(atom));
    assert_eq!(feed.tag_name().name(), "feed");
    let is_rfc3339 = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("`{s}`: {e}"));
    };
    assert_eq!(child(feed, "id").text(), Some(BASE));
    is_rfc3339(child(feed, "updated").text().unwrap());
    assert!(child(child(feed, "author"), "name").text().is_some());
    let self_link = feed
        .children()
        .find(|c| c.has_tag_name((atom, "link")) && c.attribute("rel") == Some("self"))
        .unwrap();
    assert_eq!(
        self_link.attribute("href"),
        Some(&*format!("{BASE}atom.xml"))
    );

    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name((atom, "entry")))
        .collect();
    let mut previous: Option<String> = None;
    let mut urls = Vec::new();
    for e in &entries {
        let id = child(*e, "id").text().unwrap();
        assert!(id.starts_with(BASE), "absolute id: {id}");
        let updated = child(*e, "updated").text().unwrap().to_owned();
        is_rfc3339(&updated);
        assert!(!child(*e, "title").text().unwrap().is_empty());
        let link = child(*e, "link").attribute("href").unwrap();
        assert_eq!(link, id);
        let rel = link.strip_prefix(BASE).unwrap();
        assert!(site().join(rel).is_file(), "{rel} exists");
        if let Some(p) = &previous {
            assert!(*p >= updated, "newest first: {p} before {updated}");
        }
        previous = Some(updated);
        urls.push(rel.to_owned());
    }
    // Every guide with a date is in the feed, with its `updated`/`reviewed` date.
    let guides: Vec<_> = std::fs::read_dir(repo_root().join("content/guides"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && n != "_index.md" && !n.ends_with(".en.md"))
        .collect();
    assert!(guides.len() >= 5);
    // The English edition has its own feed, which lists every translated guide.
    let en_feed = read("en/atom.xml");
    for g in &guides {
        let translated = g.replace(".md", ".en.md");
        if repo_root()
            .join("content/guides")
            .join(&translated)
            .is_file()
        {
            let id = format!("<id>{BASE}en/guides/{}</id>", g.replace(".md", ".html"));
            assert!(en_feed.contains(&id), "{id} is in en/atom.xml");
            assert!(!xml.contains(&id), "{id} is not in atom.xml");
        }
    }
    for g in guides {
        let source = format!("guides/{g}");
        let Some(date) = front_date(&source, "updated").or(front_date(&source, "reviewed")) else {
            continue;
        };
        let rel = format!("guides/{}", g.replace(".md", ".html"));
        let entry = entries
            .iter()
            .find(|e| child(**e, "id").text() == Some(&*format!("{BASE}{rel}")))
            .unwrap_or_else(|| panic!("{rel} is in the feed"));
        assert_eq!(
            child(*entry, "updated").text(),
            Some(&*format!("{date}T00:00:00Z"))
        );
    }
    // Pages point at the feed.
    assert!(read("guides/renewal.html").contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"备案过期了吗\" href=\"../atom.xml\">"
    ));
}

#[test]
fn json_ld_has_the_right_types_on_the_right_pages() {
    // The FAQ: one Question per `##` heading, answers without the quoted myths.
    let faq_md = std::fs::read_to_string(repo_root().join("content/reference/faq.md")).unwrap();
    let headings = faq_md.lines().filter(|l| l.starts_with("## ")).count();
    let graph = json_ld(&read("reference/faq.html"));
    let faq = graph.get("FAQPage").expect("FAQPage on the FAQ");
    let questions = faq["mainEntity"].as_array().unwrap();
    assert_eq!(questions.len(), headings);
    assert_eq!(questions[0]["@type"], "Question");
    assert_eq!(questions[0]["name"], "备案会过期吗？");
    let first = questions[0]["acceptedAnswer"]["text"].as_str().unwrap();
    assert!(first.starts_with("不会。"), "{first}");
    assert!(
        !first.contains('<') && !first.contains("&amp;"),
        "plain text: {first}"
    );
    let myths: Vec<&str> = faq_md
        .split("> [!MYTH]\n")
        .skip(1)
        .filter_map(|rest| rest.lines().next())
        .map(|l| l.trim_start_matches('>').trim().trim_matches(['“', '”']))
        .collect();
    assert!(!myths.is_empty(), "the FAQ quotes at least one myth");
    for q in questions {
        let text = q["acceptedAnswer"]["text"].as_str().unwrap();
        for m in &myths {
            assert!(!text.contains(m), "a myth became an answer: {m}");
        }
    }
    assert!(!graph.contains_key("Article"));
    assert!(graph.contains_key("BreadcrumbList"));

    // A guide: Article dated by `reviewed`, and its breadcrumbs with absolute URLs.
    let graph = json_ld(&read("guides/renewal.html"));
    let article = &graph["Article"];
    assert_eq!(article["headline"], "续费与保持接入");
    let reviewed = front_date("guides/renewal.md", "reviewed").unwrap();
    let modified = front_date("guides/renewal.md", "updated").unwrap_or(reviewed);
    assert_eq!(article["dateModified"], modified.as_str());
    assert_eq!(
        article["mainEntityOfPage"],
        format!("{BASE}guides/renewal.html")
    );
    let crumbs = graph["BreadcrumbList"]["itemListElement"]
        .as_array()
        .unwrap();
    let items: Vec<&str> = crumbs.iter().map(|c| c["item"].as_str().unwrap()).collect();
    assert_eq!(
        items,
        [
            format!("{BASE}index.html"),
            format!("{BASE}guides/index.html"),
            format!("{BASE}guides/renewal.html")
        ]
    );
    assert_eq!(crumbs[2]["position"], 3);

    // Home: WebSite, no breadcrumbs; 404: nothing.
    let graph = json_ld(&read("index.html"));
    assert_eq!(
        graph.keys().collect::<Vec<_>>(),
        ["WebSite"],
        "home page graph"
    );
    assert!(json_ld(&read("404.html")).is_empty());
    // Every page's JSON-LD parses (json_ld panics otherwise) and no `<` can end the script.
    for f in html_files(site()) {
        let html = read(&f);
        json_ld(&html);
        if let Some(start) = html.find("application/ld+json\">") {
            let body = &html[start..start + html[start..].find("</script>").unwrap()];
            assert!(!body[1..].contains('<'), "{f}");
        }
    }
}

#[test]
fn sharing_tags_are_on_every_page() {
    for f in reading_order() {
        let html = read(&f);
        let canonical = format!("<link rel=\"canonical\" href=\"{BASE}{f}\">");
        assert!(html.contains(&canonical), "{f}: canonical");
        for needle in [
            "<meta name=\"description\" content=\"",
            "<meta property=\"og:title\" content=\"",
            "<meta property=\"og:description\" content=\"",
            "<meta name=\"twitter:card\" content=\"summary\">",
        ] {
            assert!(html.contains(needle), "{f}: {needle}");
        }
        let locale = if f.starts_with("en/") { "en" } else { "zh_CN" };
        let needle = format!("<meta property=\"og:locale\" content=\"{locale}\">");
        assert!(html.contains(&needle), "{f}: {needle}");
        assert!(html.contains(&format!("<meta property=\"og:url\" content=\"{BASE}{f}\">")));
        assert_eq!(html.matches("<title>").count(), 1, "{f}");
    }
    assert!(read("guides/renewal.html").contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(read("index.html").contains("<meta property=\"og:type\" content=\"website\">"));
}

#[test]
fn print_edition_has_every_page_in_order_and_the_rules_table() {
    // Every page of each edition, in reading order, in that edition's print.html (the English
    // edition's is en/print.html) and in no other.
    for (edition, print_file) in [("", "print.html"), ("en/", "en/print.html")] {
        let print = read(print_file);
        let mut last = 0;
        let mut pages = 0;
        for f in reading_order() {
            let anchor = format!(
                "id=\"p-{}\"",
                f.trim_end_matches(".html").replace(['/', '.'], "-")
            );
            let ours = if edition.is_empty() {
                !f.starts_with("en/")
            } else {
                f.starts_with(edition)
            };
            if !ours {
                assert!(!print.contains(&anchor), "{f} is in {print_file}");
                continue;
            }
            let at = print
                .find(&anchor)
                .unwrap_or_else(|| panic!("{f} ({anchor}) is in {print_file}"));
            assert!(at > last, "{f} is in reading order in {print_file}");
            last = at;
            pages += 1;
        }
        assert!(pages >= 20, "{print_file} has {pages} pages");
    }
    let print = read("print.html");
    // Each page's own text is there (a sentence from the renewal guide).
    assert!(print.contains("要续的是<strong>云服务器</strong>"));
    // The checker's static rules table: every row of the checker page's table.
    let rules_start = print.find("id=\"print-rules\"").expect("rules section");
    let checker = read("checker.html");
    let rows: Vec<&str> = tags(&checker, "tr")
        .into_iter()
        .filter_map(|t| attr(t, "data-state"))
        .collect();
    assert!(rows.len() >= 5, "the checker page has a rules table");
    for state in rows {
        assert!(
            print[rules_start..].contains(&format!("<tr data-state=\"{state}\">")),
            "rule row {state} is printed"
        );
    }
    // No navigation and no live form.
    for absent in [
        "class=\"sidebar\"",
        "class=\"breadcrumbs\"",
        "class=\"pager\"",
        "<form",
        "type=\"module\"",
        "type=\"checkbox\"",
    ] {
        assert!(!print.contains(absent), "print.html has no {absent}");
    }
    // Ids are unique and every in-document link has its target; other links are files
    // that exist or web addresses.
    let ids: Vec<&str> = print
        .match_indices(" id=\"")
        .map(|(at, m)| {
            let s = at + m.len();
            &print[s..s + print[s..].find('"').unwrap()]
        })
        .collect();
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids in print.html");
    for tag in tags(&print, "a") {
        let href = attr(tag, "href").unwrap();
        if let Some(frag) = href.strip_prefix('#') {
            assert!(unique.contains(frag), "dangling link #{frag}");
        } else if !href.starts_with("http") {
            let path = href.split('#').next().unwrap();
            assert!(
                site().join(path).is_file(),
                "link to a missing file: {href}"
            );
        }
    }
    // The checklist's task boxes print as boxes.
    assert!(print.contains("<span class=\"task-box\" aria-hidden=\"true\">☐</span>"));
    // Links between pages now stay inside the document.
    assert!(print.contains("href=\"#p-guides-refiling\""));
    // Indexed pages carry the text; the print edition must not compete with them.
    assert!(print.contains("<meta name=\"robots\" content=\"noindex, follow\">"));
}

#[test]
fn print_styles_hide_navigation_and_print_link_urls() {
    let css = read("style.css");
    let print = &css[css.find("@media print").expect("print styles")..];
    for needle in [
        ".sidebar",
        ".checker-form",
        "a[href^=\"http\"]::after",
        "attr(href)",
    ] {
        assert!(print.contains(needle), "print CSS: {needle}");
    }
    // Pages link the print edition.
    assert!(read("guides/renewal.html").contains("href=\"../print.html\""));
}

#[test]
fn footer_shows_the_filing_numbers_with_their_links() {
    let site = Fixture::new("basic").with_repo_theme();
    site.build().unwrap();
    let html = site.output("guides/access.html");
    let footer = &html[html.find("<footer class=\"site-footer\">").unwrap()..];
    assert!(footer.contains(
        "<a href=\"https://beian.miit.gov.cn/\" rel=\"noopener\">京ICP备00000000号-1</a>"
    ));
    assert!(footer.contains(
        "<a class=\"ps-number\" href=\"https://beian.mps.gov.cn/#/query/webSearch?code=11010502000000\" rel=\"noopener\">京公网安备11010502000000号</a>"
    ));
    // No edit link to the placeholder host of the fixture's edit-url-template; the drawer's
    // button/target pair.
    assert!(!html.contains("编辑本页"));
    assert!(!html.contains("example.invalid"));
    assert!(html.contains("aria-controls=\"sidebar\""));
    assert!(html.contains("<nav class=\"sidebar\" id=\"sidebar\" aria-label=\"目录\">"));

    // Without numbers in book.toml the footer has none.
    let book = std::fs::read_to_string(site.root.join("book.toml")).unwrap();
    let book: String = book
        .lines()
        .filter(|l| !l.starts_with("icp-number") && !l.starts_with("public-security-number"))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write("book.toml", &book);
    site.build().unwrap();
    let html = site.output("guides/access.html");
    let footer = &html[html.find("<footer class=\"site-footer\">").unwrap()..];
    assert!(!footer.contains("beian.miit.gov.cn"));
    assert!(!footer.contains("beian.mps.gov.cn"));
    assert!(!footer.contains("filing-numbers"));
}

#[test]
fn no_feed_or_feed_link_without_base_url() {
    let site = Fixture::new("basic").with_repo_theme();
    let book = std::fs::read_to_string(site.root.join("book.toml")).unwrap();
    let book: String = book
        .lines()
        .filter(|l| !l.starts_with("base-url"))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write("book.toml", &book);
    site.build().unwrap();
    assert!(!site.out().join("atom.xml").exists());
    let html = site.output("guides/renewal.html");
    assert!(!html.contains("application/atom+xml"));
    assert!(!html.contains("rel=\"canonical\""));
    // JSON-LD still describes the article, without URLs.
    let graph = json_ld(&html);
    assert!(graph.contains_key("Article"));
    assert!(!graph.contains_key("BreadcrumbList"));
    assert!(site.out().join("print.html").is_file());
}

#[test]
fn colour_scheme_is_set_before_the_stylesheet_paints() {
    for f in html_files(site()) {
        let html = read(&f);
        let head = &html[..html.find("</head>").unwrap()];
        assert!(head.contains("rel=\"stylesheet\""), "{f}: stylesheet");
        // A blocking (not deferred) script file in <head>, since the CSP allows no inline
        // script: nothing of the page paints before it has run. Last in <head>, so the
        // stylesheets and preloads before it are asked for while it loads (issue 20).
        let script = head
            .rfind("<script src=\"")
            .filter(|&at| head[at..].ends_with("theme-init.js\"></script>\n"))
            .unwrap_or_else(|| panic!("{f}: the theme-init script does not end <head>"));
        assert!(!head[script..].contains(" defer") && !head[script..].contains(" async"));
        // Every other script is a file or a JSON data block.
        for tag in html.split("<script").skip(1) {
            let open = &tag[..tag.find('>').unwrap()];
            assert!(
                open.contains(" src=\"") || open.contains("type=\"application/"),
                "{f}: inline script <script{open}>"
            );
        }
        // The toggle is in the page, wired by theme.js.
        assert!(html.contains("data-theme-toggle"), "{f}: toggle");
        assert!(html.contains("theme.js\" defer></script>"), "{f}: theme.js");
    }
    let init = read("theme-init.js");
    assert!(init.contains("localStorage.getItem(\"theme\")"));
    assert!(init.contains("data-theme"));
    let css = read("style.css");
    assert!(css.contains(":root[data-theme=\"dark\"]"));
    assert!(css.contains("@media (prefers-color-scheme: dark)"));
}

#[test]
fn no_asset_is_loaded_from_another_origin() {
    // 404.html links its assets through base-url (it is served at any depth): same origin.
    let external = |u: &str| (u.contains("://") && !u.starts_with(BASE)) || u.starts_with("//");
    for f in html_files(site()) {
        let html = read(&f);
        for tag in ["script", "img", "iframe", "source", "video", "audio"] {
            for t in tags(&html, tag) {
                if let Some(src) = attr(t, "src") {
                    assert!(!external(src), "{f}: <{tag} src={src}>");
                }
            }
        }
        for t in tags(&html, "link") {
            let rel = attr(t, "rel").unwrap_or("");
            if ["canonical", "alternate"].contains(&rel) {
                continue; // addresses, not loaded
            }
            let href = attr(t, "href").unwrap();
            assert!(!external(href), "{f}: <link rel={rel} href={href}>");
        }
        assert!(!html.contains("fonts.googleapis"), "{f}");
    }
    for f in beian_guide::list_output(site()) {
        if f.ends_with(".css") {
            let css = read(&f);
            assert!(!css.contains("@import"), "{f}");
            for (at, _) in css.match_indices("url(") {
                let arg = &css[at + 4..at + 4 + css[at..].find(')').unwrap() - 4];
                assert!(!external(arg.trim_matches(['"', '\''])), "{f}: {arg}");
            }
        }
    }
}

/// The repository's site as shipped (the checker's WebAssembly on) gives the same files
/// wherever it is: two copies, one in a deeper folder whose path has a space and Chinese, one
/// written into its own `public/`, the other `--out` somewhere else, are byte-identical,
/// checker files included.
#[test]
fn two_builds_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("另一个 站点/更深/b"));
    let (out_a, out_b) = (a.join("public"), dir.path().join("out elsewhere"));
    for (root, out) in [(&a, &out_a), (&b, &out_b)] {
        crate::self_contained::copy_site(root);
        let mut opts = beian_guide::BuildOptions::new(root);
        opts.out = Some(out.clone());
        if let Err(e) = beian_guide::build(&opts) {
            panic!("{}", crate::common::error_text(&e));
        }
    }
    let first = beian_guide::list_output(&out_a);
    assert_eq!(first, beian_guide::list_output(&out_b));
    // The precompressed copies are compared too (self_contained's test leaves them out).
    for ext in [".gz", ".br"] {
        assert!(
            first.iter().any(|f| f.ends_with(ext)),
            "no {ext} copy built"
        );
    }
    let embedded = beian_guide::wasm::embedded();
    for (path, _) in &embedded.files {
        assert!(first.contains(path), "the checker's {path} is built");
    }
    for f in &first {
        let x = std::fs::read(out_a.join(f)).unwrap();
        let y = std::fs::read(out_b.join(f)).unwrap();
        assert!(
            x == y,
            "{f} differs between the builds in {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn a_large_site_gets_one_print_edition_per_top_level_section() {
    let site = Fixture::new("basic").with_repo_theme();
    // Past the split size: the extra pages go to `guides`, one of them links across sections.
    for n in 0..beian_guide::render::PRINT_SPLIT_PAGES {
        site.write(
            &format!("content/guides/bulk-{n:04}.md"),
            &format!("+++\ntitle = \"批量 {n}\"\nweight = {}\n+++\n\n正文 {n}。见[术语](../reference/glossary.md)与[接入](access.md)。\n", n + 10),
        );
    }
    // What is tested is the print editions: without the `.gz`/`.br` copies of 1,500 pages
    // (most of this test's time in a debug build; they have their own test in generate.rs).
    let mut opts = site.options();
    opts.precompress = false;
    beian_guide::build(&opts).unwrap();
    let out = site.out();
    assert!(out.join("print.html").is_file());
    let guides = site.output("print-guides.html");
    let reference = site.output("print-reference.html");
    let root = site.output("print.html");
    // Each page is printed in exactly one edition: its top-level section's, or print.html.
    let article = |a: &str| format!("<article class=\"page print-page depth-2\" id=\"{a}\"");
    assert!(guides.contains(&article("p-guides-renewal")));
    assert!(guides.contains(&article("p-guides-bulk-0000")));
    assert!(!reference.contains(&article("p-guides-renewal")));
    assert!(!root.contains(&article("p-guides-renewal")));
    assert!(reference.contains(&article("p-reference-glossary")));
    assert!(!guides.contains(&article("p-reference-glossary")));
    assert!(root.contains("id=\"p-index\""));
    assert!(!guides.contains("id=\"p-index\""));
    // Links to a page of another edition go to that edition; inside one, to the fragment.
    assert!(guides.contains("href=\"print-reference.html#p-reference-glossary\""));
    assert!(guides.contains("href=\"#p-guides-access\""));
    // Every edition lists the others and marks itself.
    for (html, current) in [(&root, "测试站点"), (&guides, "指南"), (&reference, "参考")] {
        assert!(html.contains("<nav class=\"print-editions\""));
        assert!(html.contains("href=\"print-guides.html\"") || current == "指南");
        assert!(html.contains("href=\"print-reference.html\"") || current == "参考");
        assert!(html.contains("href=\"print.html\"") || current == "测试站点");
    }
    // A page's print link points at its own section's edition.
    assert!(site
        .output("guides/renewal.html")
        .contains("<a href=\"../print-guides.html\">全文打印版</a>"));
    assert!(site
        .output("index.html")
        .contains("<a href=\"print.html\">全文打印版</a>"));
}

#[test]
fn a_small_site_keeps_one_print_edition() {
    let site = Fixture::new("basic").with_repo_theme();
    site.build().unwrap();
    let print = site.output("print.html");
    assert!(print.contains("id=\"p-guides-renewal\""));
    assert!(print.contains("id=\"p-reference-glossary\""));
    assert!(!print.contains("print-editions"));
    assert!(!site.out().join("print-guides.html").exists());
    assert!(site
        .output("guides/renewal.html")
        .contains("<a href=\"../print.html\">全文打印版</a>"));
}

/// The sidebar of a page: the inside of its `<nav class="sidebar" …>`.
fn sidebar_of(html: &str) -> Option<&str> {
    let start = html.find("<nav class=\"sidebar\"")?;
    let end = start + html[start..].find("</nav>")?;
    Some(&html[start..end])
}

#[test]
fn every_page_marks_its_own_sidebar_link_current_exactly_once() {
    let in_sitemap = reading_order();
    let mut marked = 0;
    for f in html_files(site()) {
        let html = read(&f);
        assert!(
            !html.contains("data-nav=\""),
            "{f}: the sidebar markers are taken out"
        );
        let Some(nav) = sidebar_of(&html) else {
            continue;
        };
        let current: Vec<&str> = tags(nav, "a")
            .into_iter()
            .filter(|a| a.contains(" aria-current=\"page\""))
            .collect();
        // Every page of the tree is in it; an edition's home page, the 404 pages and the print
        // editions are not (the sidebar lists the home page's children).
        let home = f.strip_prefix("en/").unwrap_or(&f) == "index.html";
        if in_sitemap.contains(&f) && !home {
            assert_eq!(current.len(), 1, "{f}: {current:?}");
            // Seen from its own folder, a link to itself is its file name.
            let own = f.rsplit('/').next().unwrap();
            assert_eq!(attr(current[0], "href"), Some(own), "{f}");
            marked += 1;
        } else {
            assert_eq!(current, Vec::<&str>::new(), "{f} is no page of the sidebar");
        }
    }
    assert!(marked >= 30, "only {marked} pages are marked");
}

#[test]
fn a_sidebar_partial_without_markers_is_refused_naming_the_partial() {
    let site = Fixture::new("basic").with_repo_theme();
    // The contract of old: links found by `href` only.
    let macros = std::fs::read_to_string(site.root.join("templates/partials/macros.html")).unwrap();
    let marker = " data-nav=\"{{ item.output }}\"";
    assert!(macros.contains(marker));
    site.write(
        "templates/partials/macros.html",
        &macros.replace(marker, ""),
    );
    let err = site.build_error();
    assert!(
        err.contains("templates/partials/sidebar.html")
            && err.contains("marks none of its links with `data-nav`")
            && err.contains("data-nav=\"{{ item.output }}\""),
        "{err}"
    );
    // Reported once, not once per folder.
    assert_eq!(err.matches("marks none of its links").count(), 1, "{err}");

    // A marker holding the URL instead of the output path names no entry.
    site.write(
        "templates/partials/macros.html",
        &macros.replace(marker, " data-nav=\"{{ item.url }}\""),
    );
    let err = site.build_error();
    assert!(
        err.contains("templates/partials/sidebar.html") && err.contains("names no sidebar entry"),
        "{err}"
    );
}
