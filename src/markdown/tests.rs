//! Tests of the Markdown stage: ids, links, callouts, embeds, print edits and search sections.
#![allow(clippy::unwrap_used)]

use super::*;
use std::path::PathBuf;

fn page(source: &str, body: &str) -> Page {
    let raw = format!("+++\ntitle = \"t\"\n+++\n{body}");
    crate::load::parse_page(
        source.to_owned(),
        PathBuf::from("content").join(source),
        raw,
    )
    .unwrap()
}

fn no_checker(
    preset: &serde_json::Map<String, serde_json::Value>,
    n: usize,
    root: &str,
) -> Result<String, EmbedError> {
    if preset.contains_key("nope") {
        return Err(EmbedError::Preset("unknown field `nope`".into()));
    }
    Ok(format!("<div data-n=\"{n}\" data-root=\"{root}\"></div>"))
}

fn outputs() -> HashMap<String, String> {
    [
        ("guides/a.md", "guides/a.html"),
        ("guides/b.md", "guides/bee.html"),
        ("ref/g.md", "ref/g.html"),
        ("_index.md", "index.html"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .collect()
}

fn run(source: &str, body: &str) -> Result<Rendered, Vec<Diagnostic>> {
    let outputs = outputs();
    let cx = MarkdownContext {
        outputs: &outputs,
        language: "zh-CN",
        embed_checker: &no_checker,
        embed_chain: Some(Fragment {
            html: "<figure data-chain></figure>",
            text: "链条",
        }),
        callouts: None,
    };
    render(&page(source, body), &cx)
}

#[test]
fn slugs_keep_chinese_and_drop_punctuation() {
    assert_eq!(slugify("取消接入是什么"), "取消接入是什么");
    assert_eq!(slugify("什么是 ICP 备案？"), "什么是-icp-备案");
    assert_eq!(slugify("  Step 1:  Renew (now) "), "step-1-renew-now");
    assert_eq!(slugify("经营许可证（ICP证）"), "经营许可证icp证");
    assert_eq!(slugify("？！"), "section");
}

#[test]
fn repeated_headings_get_numbered_ids_and_explicit_ids_win() {
    let r = run(
        "guides/a.md",
        "## 后果\n\n## 后果\n\n## 后果\n\n## 其他 {#houguo-1}\n",
    )
    .unwrap();
    let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["后果", "后果-1", "后果-2", "houguo-1"]);
    assert!(r.html.contains("<h2 id=\"后果-1\">后果</h2>"), "{}", r.html);
}

#[test]
fn automatic_ids_step_around_explicit_ones() {
    let r = run("guides/a.md", "## 后果\n\n## 另一个 {#后果-1}\n\n## 后果\n").unwrap();
    let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["后果", "后果-1", "后果-2"]);
    let e = run("guides/a.md", "## 甲 {#x}\n\n## 乙 {#x}\n").unwrap_err();
    assert_eq!(e[0].message, "duplicate heading id `x`");
    assert_eq!(e[0].line, Some(6));
}

#[test]
fn toc_nests_h3_under_h2() {
    let r = run("guides/a.md", "## 一\n### 一点一\n## 二\n").unwrap();
    assert_eq!(r.toc.len(), 2);
    assert_eq!(r.toc[0].children[0].id, "一点一");
}

#[test]
fn md_links_are_rewritten_and_recorded_with_lines() {
    let r = run(
        "guides/a.md",
        "x\n\n[b](b.md#后果) [g](../ref/g.md) [self](#top) [ext](https://miit.gov.cn/a.md)\n",
    )
    .unwrap();
    // pulldown-cmark percent-encodes non-ASCII in hrefs; browsers decode before matching ids.
    assert!(
        r.html.contains("href=\"bee.html#%E5%90%8E%E6%9E%9C\""),
        "{}",
        r.html
    );
    assert!(r.html.contains("href=\"../ref/g.html\""));
    assert!(r.html.contains("href=\"https://miit.gov.cn/a.md\""));
    assert_eq!(r.links.len(), 3);
    assert_eq!(r.links[0].line, 6);
    assert_eq!(r.links[0].target, LinkTarget::Page("guides/b.md".into()));
    assert_eq!(r.links[0].anchor.as_deref(), Some("后果"));
    assert_eq!(r.links[2].target, LinkTarget::Page("guides/a.md".into()));
}

#[test]
fn missing_pages_are_recorded_not_rewritten() {
    let r = run("guides/a.md", "[x](nope.md) [y](../../out.md)\n").unwrap();
    assert_eq!(
        r.links[0].target,
        LinkTarget::MissingPage(Some("guides/nope.md".into()))
    );
    assert_eq!(r.links[1].target, LinkTarget::MissingPage(None));
    assert!(r.html.contains("href=\"nope.md\""));
}

#[test]
fn absolute_links_are_errors() {
    let e = run("guides/a.md", "[x](/guides/b.html)\n").unwrap_err();
    assert!(e[0].message.starts_with("absolute link `/guides/b.html`"));
}

#[test]
fn callouts_and_myths_become_boxes() {
    let r = run(
        "guides/a.md",
        "> [!WARNING]\n> 小心\n\n> [!MYTH]\n> 备案会过期\n\n> 普通引用\n",
    )
    .unwrap();
    assert!(r.html.contains("<div class=\"callout callout-warning\" role=\"note\"><p class=\"callout-title\">警告</p>"), "{}", r.html);
    assert!(r.html.contains("<div class=\"callout callout-myth\" role=\"note\"><p class=\"callout-title\">常见误区</p>\n<p>备案会过期</p>\n</div>"), "{}", r.html);
    assert!(!r.html.contains("[!MYTH]"));
    assert!(r
        .html
        .contains("<blockquote>\n<p>普通引用</p>\n</blockquote>"));
}

/// The lines the myth lint reads are what the page shows as text: not a myth box (the
/// marker in any case), not a lazy line inside one, not an indented code block.
#[test]
fn lint_lines_are_the_text_outside_myth_boxes_and_code() {
    let lines_of = |body: &str| {
        let r = run("guides/a.md", body).unwrap();
        let raw = page("guides/a.md", body).raw;
        let texts: Vec<&str> = (r.lint_lines.iter())
            .map(|&s| raw[s as usize..].lines().next().unwrap_or(""))
            .collect();
        (r.html, texts.join("|"))
    };
    let (html, lines) = lines_of("> [!myth]\n> 误区\n\n正文\n");
    assert!(html.contains("callout-myth"), "{html}");
    assert!(!html.contains("[!myth]"), "{html}");
    assert_eq!(lines, "正文");
    let (html, lines) = lines_of("> [!MYTH]\n> 有人说：\n误区\n\n正文\n");
    assert!(html.contains("<p>有人说：\n误区</p>\n</div>"), "{html}");
    assert_eq!(lines, "正文");
    let (html, lines) = lines_of("正文\n\n    代码\n\n```\n代码\n```\n> 引用\n");
    assert!(html.contains("<pre><code>代码\n</code></pre>"), "{html}");
    assert_eq!(lines, "正文|> 引用");
    let (_, lines) =
        lines_of("# 标题\n\n| a | b |\n|---|---|\n| `c` | d |\n\n- 项[^1]\n\n[^1]: 注\n");
    assert_eq!(lines, "# 标题|| a | b ||| `c` | d ||- 项[^1]|[^1]: 注");
}

/// A page that links only to pages renders the same in every edition's folder; an image,
/// a link to a file, a missing page or an embed make it depend on where it is written.
#[test]
fn only_pages_that_link_to_pages_are_portable() {
    assert!(
        run(
            "guides/a.md",
            "[B](b.md#x) [A](#y) [外](https://a.example/)\n"
        )
        .unwrap()
        .portable
    );
    for body in [
        "![图](x.png)\n",
        "[文件](x.pdf)\n",
        "[无](nope.md)\n",
        "```chain\n```\n",
        "```checker\n```\n",
    ] {
        assert!(!run("guides/a.md", body).unwrap().portable, "{body}");
    }
}

#[test]
fn chain_blocks_draw_the_picture_and_take_no_content() {
    let r = run("guides/a.md", "前\n\n```chain\n```\n\n后\n").unwrap();
    assert!(
        r.html.contains("<figure data-chain></figure>"),
        "{}",
        r.html
    );
    assert!(!r.html.contains("<code"), "{}", r.html);
    let e = run("guides/a.md", "\n```chain\nx\n```\n").unwrap_err();
    assert_eq!(e[0].message, "a ```chain block takes no content");
    assert!(e[0].line.is_some());
    let outputs = outputs();
    let cx = MarkdownContext {
        outputs: &outputs,
        language: "zh-CN",
        embed_checker: &no_checker,
        embed_chain: None,
        callouts: None,
    };
    let e = render(&page("guides/a.md", "```chain\n```\n"), &cx).unwrap_err();
    assert_eq!(
        e[0].message,
        "this page draws the chain but the site has no chain data"
    );
}

#[test]
fn checker_blocks_render_the_widget() {
    let r = run(
        "guides/a.md",
        "```checker\naccessStatus = \"cancelled\"\n```\n",
    )
    .unwrap();
    assert!(r.uses_checker);
    assert!(
        r.html
            .contains("<div data-n=\"1\" data-root=\"../\"></div>"),
        "{}",
        r.html
    );
    let e = run("guides/a.md", "\n```checker\nmiitLookup = \n```\n").unwrap_err();
    assert_eq!(e[0].line, Some(5));
    assert!(e[0].message.starts_with("invalid checker preset"));
    // The callback judges the preset; markdown reports its verdict at the block's line.
    let e = run("guides/a.md", "\n```checker\nnope = 1\n```\n").unwrap_err();
    assert_eq!(e[0].line, Some(5));
    assert_eq!(e[0].message, "invalid checker preset: unknown field `nope`");
}

/// The page's HTML with its print edits shown in place: `⟨L⟩` where the page's anchor goes,
/// `⟨S target: url | suffix⟩` around a URL, `⟨W: …⟩` and `⟨T ✓: …⟩` / `⟨T ✗: …⟩` around
/// what they replace.
fn with_edits(r: &Rendered) -> String {
    let html = r.html.as_str();
    let mut out = String::new();
    let mut pos = 0;
    for e in &r.print_edits {
        let (start, end) = (e.start as usize, e.end as usize);
        assert!(
            pos <= start && start <= end,
            "edits overlap or are out of order"
        );
        out.push_str(&html[pos..start]);
        match &e.kind {
            PrintEditKind::Local => out.push_str("⟨L⟩"),
            PrintEditKind::Site { suffix, .. } => {
                let suffix = *suffix as usize;
                out.push_str(&format!(
                    "⟨S {}: {} | {}⟩",
                    r.print_target(&e.kind),
                    &html[start..suffix],
                    &html[suffix..end]
                ));
            }
            PrintEditKind::Widget => out.push_str(&format!("⟨W: {}⟩", &html[start..end])),
            PrintEditKind::TaskBox { checked } => out.push_str(&format!(
                "⟨T {}: {}⟩",
                if *checked { "✓" } else { "✗" },
                &html[start..end]
            )),
        }
        pos = end;
    }
    out.push_str(&html[pos..]);
    out
}

#[test]
fn print_edits_stay_small() {
    // Every page keeps its edits until the print edition is written (10,000 pages have
    // about 90,000): byte offsets, no string per edit.
    assert!(std::mem::size_of::<PrintEdit>() <= 24);
}

#[test]
fn print_edits_inside_headings_and_none_inside_alt_text() {
    let r = run(
        "guides/a.md",
        "## 见 [b](b.md) ![i](i.png) {#h}\n\n![图 [x](b.md#后果) `c`](p.png) [y](b.md)\n",
    )
    .unwrap();
    assert_eq!(
        with_edits(&r),
        concat!(
            "<h2 id=\"⟨L⟩h\">见 <a href=\"⟨S guides/bee.html: bee.html | ⟩\">b</a> ",
            "<img src=\"⟨S guides/i.png: i.png | ⟩\" alt=\"i\" /></h2>\n",
            // The writer prints an image's content as its alt text: a link in there is
            // not a link.
            "<p><img src=\"⟨S guides/p.png: p.png | ⟩\" alt=\"图 x c\" /> ",
            "<a href=\"⟨S guides/bee.html: bee.html | ⟩\">y</a></p>\n"
        )
    );
}

#[test]
fn print_edits_mark_ids_urls_widgets_and_task_boxes() {
    let r = run(
        "guides/a.md",
        concat!(
            "## 标题 {#custom .wide .note}\n\n",
            "| 列 | 链接 |\n|---|---|\n| 一 | [b](b.md#后果) |\n\n",
            "![图 *说明* [x](b.md)](<../files/p&q 图.png> \"题\")\n\n",
            "正文[^n] 再次[^n]\n\n",
            "- [x] 完成\n- [ ] 待办\n\n",
            "[同页](#custom) [外部](https://e.org/a#b) <a@b.cn> [自己](a.md)\n",
            "[文件](../files/a%20b.txt?v=1&w=2#片段) [缺](nope.md#x) [空]()\n\n",
            "```checker\naccessStatus = \"cancelled\"\n```\n\n",
            "    <a href=\"x.md\" id=\"y\">\n\n",
            "[^n]: 注释\n",
        ),
    )
    .unwrap();
    assert_eq!(
        with_edits(&r),
        concat!(
            "<h2 id=\"⟨L⟩custom\" class=\"wide note\">标题</h2>\n",
            "<table><thead><tr><th>列</th><th>链接</th></tr></thead><tbody>\n",
            "<tr><td>一</td><td><a href=\"⟨S guides/bee.html: bee.html | #%E5%90%8E%E6%9E%9C⟩\">b</a></td></tr>\n",
            "</tbody></table>\n",
            "<p><img src=\"⟨S files/p&q 图.png: ../files/p&amp;q%20%E5%9B%BE.png | ⟩\" alt=\"图 说明 x\" title=\"题\" /></p>\n",
            "<p>正文<sup class=\"footnote-reference\" id=\"⟨L⟩fnref-n\"><a href=\"#⟨L⟩fn-n\">1</a></sup> 再次<sup class=\"footnote-reference\"><a href=\"#⟨L⟩fn-n\">1</a></sup></p>\n",
            "<ul>\n",
            "<li>⟨T ✓: <input disabled=\"\" type=\"checkbox\" checked=\"\"/>⟩\n",
            "完成</li>\n",
            "<li>⟨T ✗: <input disabled=\"\" type=\"checkbox\"/>⟩\n",
            "待办</li>\n",
            "</ul>\n",
            "<p><a href=\"#⟨L⟩custom\">同页</a> <a href=\"https://e.org/a#b\">外部</a> <a href=\"mailto:a@b.cn\">a@b.cn</a> <a href=\"⟨S guides/a.html: a.html | ⟩\">自己</a>\n",
            "<a href=\"⟨S files/a b.txt: ../files/a%20b.txt | ?v=1&amp;w=2#%E7%89%87%E6%AE%B5⟩\">文件</a> <a href=\"⟨S guides/nope.md: nope.md | #x⟩\">缺</a> <a href=\"\">空</a></p>\n",
            "⟨W: <div data-n=\"1\" data-root=\"../\"></div>⟩\n",
            "<pre><code>&lt;a href=\"x.md\" id=\"y\"&gt;\n",
            "</code></pre>\n",
            "<div class=\"footnote-definition\" id=\"⟨L⟩fn-n\"><sup class=\"footnote-definition-label\">1</sup>\n",
            "<p>注释</p>\n",
            "</div>\n",
        )
    );
}

#[test]
fn gfm_extensions_render() {
    let r = run(
        "guides/a.md",
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~旧~~\n\n- [x] 完成\n\n脚注[^1]\n\n[^1]: 注释\n",
    )
    .unwrap();
    assert!(r.html.contains("<table>"));
    assert!(r.html.contains("<del>旧</del>"));
    assert!(r.html.contains("type=\"checkbox\""));
    assert!(
        r.html.contains(
            "<sup class=\"footnote-reference\" id=\"fnref-1\"><a href=\"#fn-1\">1</a></sup>"
        ),
        "{}",
        r.html
    );
    assert!(r.html.contains("<div class=\"footnote-definition\" id=\"fn-1\"><sup class=\"footnote-definition-label\">1</sup>"));
    assert!(r.ids.contains("fn-1"));
}

#[test]
fn adjacent_footnote_references_are_separated_by_a_comma() {
    // `[^2][^1]` read as footnote 21; a reference after text stays as it was.
    let r = run(
        "guides/a.md",
        "甲[^2][^1]，乙[^1]\n\n[^1]: 一\n\n[^2]: 二\n",
    )
    .unwrap();
    assert!(
        r.html.contains(concat!(
            "<a href=\"#fn-2\">1</a></sup>",
            "<sup class=\"footnote-reference\" id=\"fnref-1\"><span class=\"footnote-sep\">,</span><a href=\"#fn-1\">2</a></sup>，乙",
            "<sup class=\"footnote-reference\"><a href=\"#fn-1\">2</a></sup>"
        )),
        "{}",
        r.html
    );
}

/// The search sections of a page as (kind, id, heading, text).
fn sections_of(body: &str) -> Vec<(SectionKind, String, String, String)> {
    run("guides/a.md", body)
        .unwrap()
        .sections
        .into_iter()
        .map(|s| (s.kind, s.id, s.heading, s.text))
        .collect()
}

fn sec(
    kind: SectionKind,
    id: &str,
    heading: &str,
    text: &str,
) -> (SectionKind, String, String, String) {
    (kind, id.to_owned(), heading.to_owned(), text.to_owned())
}

use crate::sections::SectionKind::{self, Footnote, Heading, Intro};

// The search tests below were written against the HTML scanner that search.rs had; they
// now feed the Markdown that produced that HTML, with the same expected sections.
#[test]
fn sections_split_at_headings_and_skip_noise() {
    let got = sections_of(
        "导语&amp;说明[^1]\n\n## 取消接入\n\n第一段\n\n第二段\n\n```checker\naccessStatus = \"cancelled\"\n```\n\n\
         ### 空壳 `x`\n\n- 甲\n- 乙\n\n[^1]: 注\n",
    );
    assert_eq!(
        got,
        vec![
            sec(Intro, "", "", "导语&说明"),
            // Paragraphs stay apart, so no bigram spans two of them (第一段 第二段).
            sec(Heading, "取消接入", "取消接入", "第一段 第二段"),
            sec(Heading, "空壳-x", "空壳 x", "甲 乙"),
            sec(Footnote, "fn-1", "", "注"),
        ]
    );
}

#[test]
fn callout_labels_comments_entities_and_inline_markup() {
    let got = sections_of(
        "> [!WARNING]\n> ICP&#x2F;备案&#39;s &lt;b&gt; &#20320;\n\n<!-- ## 注释 -->\n\n\
         > [!MYTH]\n> 备案会**过**期\n\n## 问答 {#q-a}\n",
    );
    assert_eq!(
        got,
        vec![
            sec(Intro, "", "", "ICP/备案's <b> 你 备案会过期"),
            sec(Heading, "q-a", "问答", ""),
        ]
    );
}

#[test]
fn footnote_text_is_the_footnotes_own_section() {
    let got = sections_of(
        "## 甲\n\n正文[^1]\n\n## 年报 {#nianbao}\n\n最后一节\n\n[^1]: 来源一\n\n[^src]: 来源二\n",
    );
    assert_eq!(
        got,
        vec![
            sec(Heading, "甲", "甲", "正文"),
            sec(Heading, "nianbao", "年报", "最后一节"),
            sec(Footnote, "fn-1", "", "来源一"),
            sec(Footnote, "fn-src", "", "来源二"),
        ]
    );
}

#[test]
fn text_without_headings_is_one_section() {
    assert_eq!(
        sections_of("只有正文\n"),
        vec![sec(Intro, "", "", "只有正文")]
    );
    assert_eq!(sections_of(""), vec![]);
}

#[test]
fn alt_text_is_not_text_blocks_are_apart_and_the_chain_is_its_caption() {
    let got = sections_of(
        "![图片说明](a.png)图后\n\n| 列 | 行 |\n|---|---|\n| 一 | 二 |\n\n```\n代码\n```\n\n行一  \n行二\n\n```chain\n```\n\n- [x] 完成\n",
    );
    assert_eq!(
        got,
        vec![sec(
            Intro,
            "",
            "",
            "图后 列 行 一 二 代码 行一 行二 链条 完成"
        )]
    );
}

// Written against the HTML scanner render/seo.rs had; it now feeds the Markdown.
#[test]
fn faq_answers_are_plain_text_without_myths_or_footnote_marks() {
    // Only FAQ pages collect the pairs.
    assert!(run("guides/a.md", "## 问\n\n答\n").unwrap().faq.is_empty());
    let r = run(
        "guides/faq.md",
        "intro\n\n## 备案会过期吗？\n\n不会[^1]。A &amp; B &lt;C&gt;\n\n> [!MYTH]\n> 过期 15 天\n\n\
         ## 第二个？\n\n| x | y |\n|---|---|\n\n## 空的\n\n## 第三个\n\n> [!NOTE]\n> 甲\n\n### 小节\n\n乙\n\n\
         [^1]: note\n",
    )
    .unwrap();
    assert_eq!(
        r.faq,
        [
            ("备案会过期吗？".to_owned(), "不会。A & B <C>".to_owned()),
            ("第二个？".to_owned(), "x y".to_owned()),
            // A callout's label reads as part of the answer; an `###` is part of it too.
            ("第三个".to_owned(), "注意 甲 小节 乙".to_owned()),
        ]
    );
}

/// The myth lint over the lines this pass finds (see `lint_lines_are_the_text_…` above).
mod myth_lint {
    use std::path::Path;

    use crate::lint::{parse_myths, MythRules};
    use crate::markdown::lint_myths;

    fn rules() -> MythRules {
        let text = r#"
[[myth]]
id = "filing-expires"
patterns = ["备案号?过期"]
allow = ["备案号?过期了吗"]
explanation = "非经营性备案没有有效期。"
fact = "1.1"
"#;
        match parse_myths(Path::new("lint/myths.toml"), text) {
            Ok(r) => r,
            Err(e) => panic!("test rules should parse: {e:?}"),
        }
    }

    #[test]
    fn flags_claim_with_position_and_fact() {
        let src = "+++\ntitle = \"x\"\n+++\n\n说明：备案号过期要续费。\n";
        let found = lint_myths(Path::new("content/a.md"), src, &rules());
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!((d.line, d.column), (Some(5), Some(4)));
        assert_eq!(d.source_line.as_deref(), Some("说明：备案号过期要续费。"));
        assert!(d.help.as_deref().unwrap_or("").contains("fact 1.1"));
    }

    #[test]
    fn lints_title_but_not_sources() {
        let src = "+++\ntitle = \"备案过期怎么办\"\nsources = [{ title = \"备案过期\", url = \"u\" }]\n+++\n正文。\n";
        let found = lint_myths(Path::new("a.md"), src, &rules());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, Some(2));
    }

    #[test]
    fn lints_every_line_of_a_multi_line_description_and_nothing_after_a_front_matter_key() {
        // The value's lines come from the TOML spans, not from `key =` at a line's start: the
        // second line of a multi-line string is linted, and a key that is not human-facing
        // (`slug`) is not.
        let src = "+++\ntitle = \"标题\"\ndescription = \"\"\"\n第一行。\n备案过期怎么办\n\"\"\"\nslug = \"备案过期\"\n+++\n正文。\n";
        let found = lint_myths(Path::new("a.md"), src, &rules());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, Some(5));
    }

    #[test]
    fn skips_myth_quotes_fences_and_mentions() {
        let src = "> [!MYTH]\n> 备案号过期了要续费。\n>\n> 备案过期\n\n```text\n备案过期\n```\n所谓“备案过期”并不存在。\n《备案过期怎么办》是一篇文章。\n备案过期了吗？\n";
        assert!(lint_myths(Path::new("a.md"), src, &rules()).is_empty());
    }

    #[test]
    fn myth_quote_ends_at_blank_line() {
        let src = "> [!MYTH]\n> 备案过期\n\n备案过期\n";
        let found = lint_myths(Path::new("a.md"), src, &rules());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, Some(4));
    }

    #[test]
    fn ordinary_blockquote_and_partial_quote_are_linted() {
        let src = "> [!NOTE]\n> 备案过期\n文章说“备案过期要续费”。\n";
        let found = lint_myths(Path::new("a.md"), src, &rules());
        assert_eq!(found.len(), 2);
    }
}
