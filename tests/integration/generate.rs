//! Building fixture sites: pages, links, anchors, navigation, sitemap, robots, 404, drafts,
//! byte-identical rebuilds, and the repository's own templates.

use crate::common::Fixture;

#[test]
fn basic_site_writes_every_expected_file() {
    let site = Fixture::new("basic");
    let summary = site.build().unwrap();
    assert_eq!(summary.pages, 6);
    // The precompressed `.gz`/`.br` copies have their own test
    // (text_files_get_precompressed_copies_that_the_marker_lists_and_the_flag_turns_off).
    let files: Vec<String> = beian_guide::list_output(&site.out())
        .into_iter()
        .filter(|f| !f.ends_with(".gz") && !f.ends_with(".br"))
        .collect();
    let expected = [
        "404.html",
        "atom.xml",
        "files/note.txt",
        "guides/access.html",
        "guides/index.html",
        "guides/renewal.html",
        "index.html",
        "reference/glossary.html",
        "reference/index.html",
        "robots.txt",
        "site.css",
        "sitemap.xml",
        // The service worker (src/offline.rs), written for every site; the repository's
        // theme.js registers it.
        "sw.js",
    ];
    assert_eq!(
        files.iter().map(String::as_str).collect::<Vec<_>>(),
        expected
    );
}

#[test]
fn page_html_snapshot() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    insta::assert_snapshot!("access_page", site.output("guides/access.html"));
    insta::assert_snapshot!("home_page", site.output("index.html"));
    insta::assert_snapshot!("section_page", site.output("guides/index.html"));
}

#[test]
fn chinese_heading_ids_are_readable_stable_and_numbered() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    let html = site.output("guides/access.html");
    assert!(html.contains("<h2 id=\"取消接入是什么\">取消接入是什么</h2>"));
    assert!(html.contains("<h2 id=\"取消接入是什么-1\">取消接入是什么</h2>"));
    assert!(html.contains("<h3 id=\"what-is-空壳\">What is 空壳？</h3>"));
    assert!(html.contains("<h2 id=\"custom-id\">自定义</h2>"));
}

#[test]
fn links_are_relative_and_point_at_output_files() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    let html = site.output("guides/access.html");
    assert!(
        html.contains("href=\"renewal.html#keep\""),
        "slug replaces the file stem"
    );
    assert!(html.contains("href=\"../reference/glossary.html\""));
    assert!(html.contains("href=\"../files/note.txt\""));
    assert!(
        html.contains("href=\"https://example.com/x.md\""),
        "external links are left alone"
    );
    let home = site.output("index.html");
    assert!(home.contains("href=\"guides/index.html\""));
    // No link in any page starts with `/` (so the site works from a sub-path and from disk).
    for f in beian_guide::list_output(&site.out())
        .iter()
        .filter(|f| f.ends_with(".html") && *f != "404.html")
    {
        let text = site.output(f);
        assert!(!text.contains("href=\"/"), "{f} has a root-absolute link");
    }
}

#[test]
fn navigation_orders_by_weight_then_title() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    let renew = site.output("guides/renewal.html");
    // weight 1 (renew) comes before weight 2 (access); the section index comes first.
    assert!(
        renew.contains("prev=[指南](index.html) next=[接入与取消接入](access.html)"),
        "{renew}"
    );
    let glossary = site.output("reference/glossary.html");
    assert!(
        glossary.contains("prev=[参考](index.html) </nav>"),
        "last page has no next: {glossary}"
    );
    assert!(
        glossary.contains("[首页](../index.html) [参考](index.html)"),
        "breadcrumbs"
    );
}

#[test]
fn sidebar_shows_top_level_plus_the_current_branch_only() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    let glossary = site.output("reference/glossary.html");
    assert!(
        glossary.contains("<a href=\"../guides/index.html\">指南</a> collapsed"),
        "{glossary}"
    );
    assert!(
        !glossary.contains("renewal.html"),
        "collapsed sections do not list their pages"
    );
    assert!(glossary.contains("<a href=\"glossary.html\" aria-current=\"page\">术语表</a>"));
    // The section index shares its folder's sidebar, marked for itself.
    let index = site.output("reference/index.html");
    assert!(
        index.contains("<a href=\"index.html\" aria-current=\"page\">参考</a> active"),
        "{index}"
    );
    assert!(index.contains("<a href=\"glossary.html\">术语表</a>"));
}

#[test]
fn drafts_are_skipped_unless_asked_for() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    assert!(!site.out().join("guides/draft.html").exists());
    let mut opts = site.options();
    opts.drafts = true;
    beian_guide::build(&opts).unwrap();
    assert!(site.out().join("guides/draft.html").exists());
}

#[test]
fn sitemap_uses_base_url_and_front_matter_dates() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    let sitemap = site.output("sitemap.xml");
    insta::assert_snapshot!("sitemap", sitemap);
    assert_eq!(
        site.output("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/guide/sitemap.xml\n"
    );
}

#[test]
fn base_url_can_be_overridden_and_is_optional() {
    let site = Fixture::new("basic");
    let mut opts = site.options();
    opts.base_url = Some("https://mirror.example.net/b".into());
    beian_guide::build(&opts).unwrap();
    assert!(site
        .output("sitemap.xml")
        .contains("<loc>https://mirror.example.net/b/index.html</loc>"));

    site.write(
        "book.toml",
        "[book]\ntitle = \"无地址\"\n[checker]\nwasm = false\n",
    );
    site.build().unwrap();
    assert!(
        !site.out().join("sitemap.xml").exists(),
        "no sitemap without base-url"
    );
    assert_eq!(site.output("robots.txt"), "User-agent: *\nAllow: /\n");
}

#[test]
fn not_found_page_links_by_the_base_url_path() {
    // Served at any depth, but never naming the host: a local preview loads nothing remote.
    let site = Fixture::new("basic");
    site.build().unwrap();
    let html = site.output("404.html");
    assert!(html.contains("href=\"/guide/index.html\">home"), "{html}");
    assert!(!html.contains("example.org"), "{html}");
    assert!(html.contains("<html lang=\"zh-CN\">"));
}

/// The output depends on the site only, not on where it is or which process builds it: the
/// same fixture in two folders (different depth, a space and Chinese in one path) is built once
/// by the library in this process and once by the binary in a child process, and every file
/// is the same, byte for byte. (The basic fixture has no checker, so there is no WebAssembly to
/// compare here; `theme::two_builds_are_byte_identical` and `self_contained` build the
/// repository's site with it.)
#[test]
fn two_builds_are_byte_identical() {
    let here = Fixture::new("basic");
    let elsewhere = tempfile::tempdir().unwrap();
    let other = elsewhere.path().join("另一个 folder/deeper/site");
    for entry in walkdir::WalkDir::new(&here.root) {
        let entry = entry.unwrap();
        let dest = other.join(entry.path().strip_prefix(&here.root).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
    here.build().unwrap();
    let mut cmd = crate::common::bin();
    cmd.arg("build").current_dir(&other);
    let out = crate::common::run(cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);

    let files = beian_guide::list_output(&here.out());
    assert_eq!(files, beian_guide::list_output(&other.join("public")));
    assert!(files.len() > 10, "{files:?}");
    for f in &files {
        let a = std::fs::read(here.out().join(f)).unwrap();
        let b = std::fs::read(other.join("public").join(f)).unwrap();
        assert!(
            a == b,
            "{f} differs between the build in {} and the one in {}",
            here.root.display(),
            other.display()
        );
    }
}

#[test]
fn failed_build_leaves_the_previous_output_and_no_staging_folder() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    let before = site.output("guides/access.html");
    site.write(
        "content/guides/renew.md",
        "+++\ntitle = \"续费\"\n+++\n[坏链接](nope.md)\n",
    );
    assert!(site.build().is_err());
    assert_eq!(site.output("guides/access.html"), before);
    let parent = site.root.clone();
    let leftovers: Vec<_> = std::fs::read_dir(&parent)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("public."))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn rebuild_removes_files_whose_page_is_gone() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    assert!(site.out().join("reference/glossary.html").exists());
    site.write(
        "content/guides/access.md",
        &std::fs::read_to_string(site.root.join("content/guides/access.md"))
            .unwrap()
            .replace("、[术语](../reference/glossary.md)", ""),
    );
    site.remove("content/reference/glossary.md");
    site.build().unwrap();
    assert!(!site.out().join("reference/glossary.html").exists());
}

#[test]
fn pages_rendered_in_one_context_keep_nothing_of_the_page_before() {
    // A thread renders its pages in one template context, each page's values replacing the
    // previous page's. With one thread the pages render in reading order: every page but the
    // last has a "next" link, and the last must not inherit the one before it had.
    let site = Fixture::new("basic").with_repo_theme();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    one.install(|| site.build()).unwrap();
    let pages = [
        "index",
        "guides/index",
        "guides/access",
        "guides/renewal",
        "reference/index",
        "reference/glossary",
    ];
    let pages: Vec<(&str, String)> = pages
        .iter()
        .map(|p| (*p, site.output(&format!("{p}.html"))))
        .collect();
    let with_next: Vec<&str> = pages
        .iter()
        .filter(|(_, html)| html.contains("rel=\"next\""))
        .map(|(p, _)| *p)
        .collect();
    assert_eq!(with_next.len(), pages.len() - 1, "{with_next:?}");
    assert!(!with_next.contains(&"reference/glossary"), "{with_next:?}");
    let first = &pages[0].1;
    assert!(
        !first.contains("rel=\"prev\""),
        "the first page has no previous page"
    );
}

#[test]
fn repository_theme_renders_the_fixture() {
    let site = Fixture::new("basic").with_repo_theme();
    site.build().unwrap();
    let html = site.output("guides/access.html");
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("<link rel=\"stylesheet\" href=\"../style.css\">"));
    assert!(html.contains("<a href=\"access.html\" aria-current=\"page\">接入与取消接入</a>"));
    assert!(html.contains(
        "<div class=\"callout callout-myth\" role=\"note\"><p class=\"callout-title\">常见误区</p>"
    ));
    assert!(
        html.contains("<a href=\"#取消接入是什么\">取消接入是什么</a>"),
        "table of contents"
    );
    assert!(html.contains("https://beian.mps.gov.cn/#/query/webSearch?code=11010502000000"));
    assert!(html.contains(
        "<a href=\"https://beian.miit.gov.cn/\" rel=\"noopener\">京ICP备00000000号-1</a>"
    ));
    // The fixture's edit-url-template names a placeholder host: no edit link.
    assert!(!html.contains("example.invalid"), "{html}");
    assert!(site
        .output("404.html")
        .contains("href=\"/guide/style.css\""));
}

/// Every file under `out`, as `/` paths relative to it.
fn output_files(out: &std::path::Path) -> std::collections::BTreeSet<String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

#[test]
fn text_files_get_precompressed_copies_that_the_marker_lists_and_the_flag_turns_off() {
    use std::io::Read;
    let site = Fixture::new("basic").with_repo_theme();
    site.write(
        "content/long.md",
        &format!(
            "+++\ntitle = \"长页\"\n+++\n\n{}",
            // Over 32 KiB: a page that small gets the `.gz` alone.
            "备案本身没有有效期。\n\n".repeat(1200)
        ),
    );
    let built = site.run(&["build"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let out = site.out();
    let files = output_files(&out);
    let marker = site.output(".beian-guide-build");
    for page in ["long.html", "style.css"] {
        for suffix in ["gz", "br"] {
            let copy = format!("{page}.{suffix}");
            assert!(files.contains(&copy), "{copy} missing: {files:?}");
            assert!(marker.lines().any(|l| l == copy), "the marker lists {copy}");
        }
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&std::fs::read(out.join(format!("{page}.gz"))).unwrap()[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, std::fs::read(out.join(page)).unwrap(), "{page}.gz");
        let mut back = Vec::new();
        brotli::BrotliDecompress(
            &mut &std::fs::read(out.join(format!("{page}.br"))).unwrap()[..],
            &mut back,
        )
        .unwrap();
        assert_eq!(back, std::fs::read(out.join(page)).unwrap(), "{page}.br");
    }
    // Every copy sits beside a text file and is smaller than it; no copy of a copy.
    for f in &files {
        if let Some(original) = f.strip_suffix(".gz").or_else(|| f.strip_suffix(".br")) {
            assert!(files.contains(original), "{f} has no original");
            assert!(beian_guide::precompress::applies(original), "{f}");
            let (a, b) = (out.join(original), out.join(f));
            assert!(
                b.metadata().unwrap().len() < a.metadata().unwrap().len(),
                "{f}"
            );
            // A page under 32 KiB gets the `.gz` alone (brotli would save under a packet); the
            // 404 page, one per edition, is a site-wide file.
            if f.ends_with(".html.br") && !f.ends_with("404.html.br") {
                let len = a.metadata().unwrap().len();
                assert!(len >= 32 * 1024, "{f}: a {len}-byte page has a brotli copy");
            }
        }
    }
    assert!(
        files.contains("index.html.gz") && !files.contains("index.html.br"),
        "the small home page has the gzip copy only: {files:?}"
    );
    assert!(!files.contains("robots.txt.gz"), "a tiny file gets no copy");
    // A rebuild (copies of unchanged files linked from the previous build) is the same site.
    let before: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| (f.clone(), std::fs::read(out.join(f)).unwrap()))
        .collect();
    assert_eq!(site.run(&["build"]).code, 0);
    let again: Vec<(String, Vec<u8>)> = output_files(&out)
        .iter()
        .map(|f| (f.clone(), std::fs::read(out.join(f)).unwrap()))
        .collect();
    assert!(before == again, "a rebuild differs");
    // Turned off, the next build replaces the copies: none is left, and the marker lists none.
    let plain = site.run(&["build", "--no-precompress"]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let files = output_files(&out);
    assert!(
        !files
            .iter()
            .any(|f| f.ends_with(".gz") || f.ends_with(".br")),
        "{files:?}"
    );
    assert!(!site.output(".beian-guide-build").contains(".gz"));
    // And book.toml can say the same.
    let toml = std::fs::read_to_string(site.root.join("book.toml")).unwrap();
    let toml = match toml.contains("[build]") {
        true => toml.replace("[build]", "[build]\nprecompress = false"),
        false => format!("{toml}\n[build]\nprecompress = false\n"),
    };
    site.write("book.toml", &toml);
    assert_eq!(site.run(&["build"]).code, 0);
    assert!(!output_files(&out).iter().any(|f| f.ends_with(".gz")));
}

/// The links of a page's sidebar, in order: (href, text, whether it is marked current).
fn sidebar_links(html: &str) -> Vec<(String, String, bool)> {
    let start = html.find("<nav class=\"sidebar\"").expect("a sidebar");
    let nav = &html[start..start + html[start..].find("</nav>").expect("an end")];
    nav.split("<a href=\"")
        .skip(1)
        .map(|a| {
            let href = a[..a.find('"').unwrap()].to_owned();
            let tag_end = a.find('>').unwrap();
            let text = a[tag_end + 1..a.find("</a>").unwrap()].to_owned();
            (href, text, a[..tag_end].contains("aria-current=\"page\""))
        })
        .collect()
}

#[test]
fn a_large_section_shows_the_window_of_its_sidebar_that_holds_the_page() {
    let site = Fixture::new("basic").with_repo_theme();
    site.write(
        "content/many/_index.md",
        "+++\ntitle = \"很多\"\nweight = 9\n+++\n全部页面。\n",
    );
    for n in 0..120 {
        site.write(
            &format!("content/many/p{n:03}.md"),
            &format!("+++\ntitle = \"P{n:03}\"\n+++\n正文 {n}。\n"),
        );
    }
    // A subsection sorted last (rank 120: the third window of 50).
    site.write(
        "content/many/sub/_index.md",
        "+++\ntitle = \"ZZ 子栏目\"\n+++\n子栏目。\n",
    );
    site.write(
        "content/many/sub/leaf.md",
        "+++\ntitle = \"叶子\"\n+++\n叶子。\n",
    );
    site.build().unwrap();
    let pages = |links: &[(String, String, bool)]| -> Vec<String> {
        links
            .iter()
            .filter(|(h, t, _)| h.starts_with('p') && t.starts_with('P'))
            .map(|(_, t, _)| t.clone())
            .collect()
    };
    let more = |links: &[(String, String, bool)]| -> Vec<(String, String)> {
        links
            .iter()
            .filter(|(_, t, _)| t.contains("另有"))
            .map(|(h, t, _)| (h.clone(), t.clone()))
            .collect()
    };
    let names = |r: std::ops::Range<usize>| r.map(|n| format!("P{n:03}")).collect::<Vec<_>>();

    // The first window: its 50 entries, then one entry for the 71 left out (70 pages and the
    // subsection), linking to the section's index page.
    let first = sidebar_links(&site.output("many/p000.html"));
    assert_eq!(pages(&first), names(0..50));
    assert_eq!(
        more(&first),
        [(
            "index.html".to_owned(),
            "…… 另有 71 篇，见栏目全部列表".to_owned()
        )]
    );
    assert!(first.iter().any(|(h, _, cur)| h == "p000.html" && *cur));
    // The section index shows the first window and marks itself.
    let index = sidebar_links(&site.output("many/index.html"));
    assert_eq!(pages(&index), names(0..50));
    assert!(index
        .iter()
        .any(|(h, t, cur)| h == "index.html" && t == "很多" && *cur));
    assert!(
        !index
            .iter()
            .any(|(h, t, cur)| h == "index.html" && t.contains("另有") && *cur),
        "the entry for the pages left out is no page's own link"
    );

    // A middle window: entries for the 50 before and the 21 after.
    let middle = sidebar_links(&site.output("many/p075.html"));
    assert_eq!(pages(&middle), names(50..100));
    assert_eq!(
        more(&middle)
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>(),
        [
            "…… 另有 50 篇，见栏目全部列表",
            "…… 另有 21 篇，见栏目全部列表"
        ]
    );
    assert!(middle.iter().any(|(h, _, cur)| h == "p075.html" && *cur));
    assert_eq!(middle.iter().filter(|(_, _, cur)| *cur).count(), 1);

    // A page in the subsection: its ancestor shows the window holding the subsection.
    let leaf = sidebar_links(&site.output("many/sub/leaf.html"));
    assert_eq!(pages(&leaf), Vec::<String>::new(), "{leaf:?}");
    assert!(leaf.iter().any(|(h, _, cur)| h == "leaf.html" && *cur));
    assert!(leaf
        .iter()
        .any(|(h, t, _)| h == "../p100.html" && t == "P100"));
    assert!(leaf
        .iter()
        .any(|(h, t, _)| h == "index.html" && t == "ZZ 子栏目"));
    assert!(more(&leaf)
        .iter()
        .any(|(h, t)| h == "../index.html" && t.contains("另有 100 篇")));

    // Every page's sidebar stays small however large its section is.
    for n in 0..120 {
        let links = sidebar_links(&site.output(&format!("many/p{n:03}.html")));
        assert!(links.len() <= 60, "p{n:03}: {} links", links.len());
    }
}
