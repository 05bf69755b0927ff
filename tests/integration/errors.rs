//! Bad input: each problem names the file (and line), says what to do, and every problem of a
//! stage is reported at once. These tests pin the exact text.
//!
//! The texts are insta inline snapshots; see tests/integration/messages.rs for how to update
//! them (`cargo insta test --review`). Under CI=true a mismatch fails and nothing is written.

use crate::common::Fixture;

#[test]
fn every_broken_link_and_anchor_is_listed_with_file_and_line() {
    let site = Fixture::new("invalid-links");
    insta::assert_snapshot!(site.build_error(), @r#"
    error: broken link `missing.md`: there is no page `content/guides/missing.md`
      --> content/guides/_index.md:5
      |
    5 | - [不存在的页面](missing.md)
      = help: fix the path (it is relative to this file) or create the page; drafts only exist with `--drafts`

    error: broken link `a.md#没有这个标题`: `content/guides/a.md` has no heading with id `没有这个标题`
      --> content/guides/_index.md:6
      |
    6 | - [不存在的锚点](a.md#没有这个标题)
      = help: the ids in `content/guides/a.md` are `第一节`

    error: broken link `#第二节`: `content/guides/a.md` has no heading with id `第二节`
      --> content/guides/a.md:7
      |
    7 | [本页坏锚点](#第二节)
      = help: the ids in `content/guides/a.md` are `第一节`

    error: broken link `../../outside.md`: it points outside the site
      --> content/guides/a.md:9
      |
    9 | [越界](../../outside.md) [不存在的文件](../img/x.png) [正常](_index.md)
      = help: remove the extra `../`

    error: broken link `../img/x.png`: no file `img/x.png` is generated
      --> content/guides/a.md:9
      |
    9 | [越界](../../outside.md) [不存在的文件](../img/x.png) [正常](_index.md)
      = help: link to a page's `.md` file, or put the file in the static folder
    5 error(s), 0 warning(s)
    "#);
}

#[test]
fn every_front_matter_problem_is_listed_at_once() {
    let site = Fixture::new("invalid-front-matter");
    insta::assert_snapshot!(site.build_error(), @r#"
    error: invalid date, expected day between 01 and 28
      --> content/bad-date.md:3:8
      |
    3 | date = 2025-02-30
      |        ^
      = help: write a real calendar date as YYYY-MM-DD

    error: invalid basic string, expected `"`
      --> content/bad-toml.md:2:14
      |
    2 | title = "引号没关
      |                  ^
      = help: fix the TOML syntax or the value's type at this position

    error: missing `title` in front matter
      --> content/no-title.md:2:1
      |
    2 | description = "没有标题"
      | ^
      = help: add `title = "…"` between the `+++` lines

    error: unknown field `wieght`, expected one of `title`, `description`, `weight`, `draft`, `slug`, `template`, `toc`, `date`, `updated`, `reviewed`, `sources`, `source-updated`, `extra`
      --> content/unknown-key.md:3:1
      |
    3 | wieght = 3
      | ^
      = help: remove or rename this key; the accepted keys are listed after `expected`
    4 error(s), 0 warning(s)
    "#);
}

#[test]
fn unknown_book_toml_key_names_key_and_line() {
    let site = Fixture::new("basic");
    site.write("book.toml", "[book]\ntitle = \"x\"\n\n[output.html]\nbase-url = \"https://example.org/\"\nsearch = true\n");
    insta::assert_snapshot!(site.build_error(), @r#"
    error: unknown field `search`, expected one of `base-url`, `edit-url-template`, `icp-number`, `public-security-number`
      --> book.toml:6:1
      |
    6 | search = true
      | ^
      = help: remove or rename this key; the accepted keys are listed after `expected`
    1 error(s), 0 warning(s)
    "#);
}

#[test]
fn malformed_book_toml() {
    let site = Fixture::new("basic");
    site.write("book.toml", "[book\ntitle = \"x\"\n");
    insta::assert_snapshot!(site.build_error(), @r#"
    error: unclosed table, expected `]`
      --> book.toml:1:6
      |
    1 | [book
      |      ^
      = help: fix the TOML syntax or the value's type at this position
    1 error(s), 0 warning(s)
    "#);
}

#[test]
fn duplicate_output_path() {
    let site = Fixture::new("basic");
    site.write(
        "content/guides/other.md",
        "+++\ntitle = \"另一个\"\nslug = \"renewal\"\n+++\n",
    );
    insta::assert_snapshot!(site.build_error(), @r#"
    error: duplicate output path `guides/renewal.html`: `content/guides/other.md` is written there too
      --> content/guides/renew.md
      = help: change the `slug` or the file name of one of them
    1 error(s), 0 warning(s)
    "#);
}

#[test]
fn missing_page_template() {
    let site = Fixture::new("basic");
    site.write("content/guides/renew.md", "+++\ntitle = \"续费\"\nslug = \"renewal\"\ntemplate = \"special.html\"\n+++\n## 保持接入 {#keep}\n");
    insta::assert_snapshot!(site.build_error(), @r#"
    error: template `special.html` does not exist
      --> content/guides/renew.md:4
      |
    4 | template = "special.html"
      = help: create `templates/special.html` or fix the `template` name
    1 error(s), 0 warning(s)
    "#);
}

#[test]
fn missing_required_template() {
    let site = Fixture::new("basic");
    site.remove("templates/404.html");
    insta::assert_snapshot!(site.build_error(), @r#"
    error: missing template `404.html`
      --> templates/404.html
      = help: create `templates/404.html`
    1 error(s), 0 warning(s)
    "#);
}

#[test]
fn template_syntax_error() {
    let site = Fixture::new("basic");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ page.title }{% endblock main %}\n",
    );
    insta::assert_snapshot!(site.build_error(), @r#"
    error: template error: Failed to parse 'page.html': --> 2:31
      |
    2 | {% block main %}{{ page.title }{% endblock main %}
      |                               ^---
      |
      = expected `or`, `and`, `not`, `<=`, `>=`, `<`, `>`, `==`, `!=`, `+`, `-`, `*`, `/`, `%`, a filter, or a variable end (`}}`)
      --> templates/page.html:2
      |
    2 | {% block main %}{{ page.title }{% endblock main %}
      = help: fix the template syntax at the position given
    1 error(s), 0 warning(s)
    "#);
}

#[test]
fn template_render_error() {
    let site = Fixture::new("basic");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ page.nope.deeper }}{% endblock main %}\n",
    );
    insta::assert_snapshot!(site.build_error(), @r#"
    error: cannot render with template `page.html`: Failed to render 'page.html': Variable `page.nope.deeper` not found in context while rendering 'page.html'
      --> templates/page.html
      = help: fix the template, or the front matter it reads in `content/guides/access.md` (and 2 more pages fail the same way)
    1 error(s), 0 warning(s)
    "#);
}

#[test]
fn missing_front_matter_and_missing_section_index() {
    let site = Fixture::new("basic");
    site.write("content/notes/plain.md", "# 只有正文\n");
    insta::assert_snapshot!(site.build_error(), @r#"
    error: missing front matter
      --> content/notes/plain.md:1:1
      |
    1 | # 只有正文
      | ^
      = help: start the file with a `+++` line, then `title = "…"`, then another `+++` line
    1 error(s), 0 warning(s)
    "#);
}

#[test]
fn checker_block_without_rules_file() {
    let site = Fixture::new("basic");
    site.write("content/guides/renew.md", "+++\ntitle = \"续费\"\nslug = \"renewal\"\n+++\n## 保持接入 {#keep}\n\n```checker\nplanningRefile = true\n```\n");
    insta::assert_snapshot!(site.build_error(), @r#"
    error: this page uses the checker but the rules file `content/checker/rules.toml` does not exist
      --> content/guides/renew.md:7
      |
    7 | ```checker
      = help: create the rules file, or set `[checker] rules` in book.toml
    1 error(s), 0 warning(s)
    "#);
}

#[test]
fn absolute_link() {
    let site = Fixture::new("basic");
    site.write(
        "content/reference/glossary.md",
        "+++\ntitle = \"术语表\"\n+++\n\n见[首页](/index.html)。\n",
    );
    insta::assert_snapshot!(site.build_error(), @r#"
    error: absolute link `/index.html` breaks when the site is served from a sub-path or from disk
      --> content/reference/glossary.md:5
      |
    5 | 见[首页](/index.html)。
      = help: link to the page's `.md` file with a relative path, e.g. `../guides/renewal.md`
    1 error(s), 0 warning(s)
    "#);
}

#[test]
fn static_file_clashing_with_a_page() {
    let site = Fixture::new("basic");
    site.write("static/guides/access.html", "<p>static</p>");
    insta::assert_snapshot!(site.build_error(), @r#"
    error: output path `guides/access.html` is also a static or generated file
      --> content/guides/access.md
      = help: rename the page (or its `slug`) or the file in the static folder
    1 error(s), 0 warning(s)
    "#);
}

#[test]
fn a_bad_front_matter_does_not_hide_broken_links_in_other_pages() {
    // `guides/_index.md` and `guides/bad.md` do not load; `guides/ok.md` still has its links
    // checked. Links to the pages that did not load are not reported (their output name and
    // headings are unknown), and the folder of the bad `_index.md` is still a section.
    let site = Fixture::new("mixed-errors");
    let check = match site.check() {
        Ok(_) => panic!("check of mixed-errors succeeded"),
        Err(e) => crate::common::error_text(&e),
    };
    insta::assert_snapshot!(check, @r#"
    error: invalid type: string "第一", expected i64
      --> content/guides/_index.md:3:10
      |
    3 | weight = "第一"
      |          ^
      = help: fix the TOML syntax or the value's type at this position

    error: unknown field `titel`, expected one of `title`, `description`, `weight`, `draft`, `slug`, `template`, `toc`, `date`, `updated`, `reviewed`, `sources`, `source-updated`, `extra`
      --> content/guides/bad.md:4:1
      |
    4 | titel = "拼错的键"
      | ^
      = help: remove or rename this key; the accepted keys are listed after `expected`

    error: broken link `missing.md`: there is no page `content/guides/missing.md`
      --> content/guides/ok.md:7
      |
    7 | [坏页面](bad.md) [指南](_index.md) [不存在的页面](missing.md)
      = help: fix the path (it is relative to this file) or create the page; drafts only exist with `--drafts`

    error: broken link `#第二节`: `content/guides/ok.md` has no heading with id `第二节`
      --> content/guides/ok.md:9
      |
    9 | [本页坏锚点](#第二节)
      = help: the ids in `content/guides/ok.md` are `第一节`
    4 error(s), 0 warning(s)
    "#);
    assert_eq!(
        site.build_error(),
        check,
        "build reports what check reports"
    );
    assert!(
        !site.out().exists(),
        "a failed build wrote {}",
        site.out().display()
    );
}

#[test]
fn a_bad_root_index_does_not_hide_broken_links_either() {
    let site = Fixture::new("mixed-errors");
    site.write("content/_index.md", "+++\ntitle = \"首页\"\n");
    site.write(
        "content/guides/_index.md",
        "+++\ntitle = \"指南\"\n+++\n\n[首页](../_index.md)\n",
    );
    insta::assert_snapshot!(site.build_error(), @r#"
    error: front matter is not closed
      --> content/_index.md:1:1
      |
    1 | +++
      | ^
      = help: end the front matter with a line containing only `+++`

    error: unknown field `titel`, expected one of `title`, `description`, `weight`, `draft`, `slug`, `template`, `toc`, `date`, `updated`, `reviewed`, `sources`, `source-updated`, `extra`
      --> content/guides/bad.md:4:1
      |
    4 | titel = "拼错的键"
      | ^
      = help: remove or rename this key; the accepted keys are listed after `expected`

    error: broken link `missing.md`: there is no page `content/guides/missing.md`
      --> content/guides/ok.md:7
      |
    7 | [坏页面](bad.md) [指南](_index.md) [不存在的页面](missing.md)
      = help: fix the path (it is relative to this file) or create the page; drafts only exist with `--drafts`

    error: broken link `#第二节`: `content/guides/ok.md` has no heading with id `第二节`
      --> content/guides/ok.md:9
      |
    9 | [本页坏锚点](#第二节)
      = help: the ids in `content/guides/ok.md` are `第一节`
    4 error(s), 0 warning(s)
    "#);
    assert!(
        !site.out().exists(),
        "a failed build wrote {}",
        site.out().display()
    );
}

#[test]
fn a_missing_page_template_does_not_hide_broken_links() {
    let site = Fixture::new("basic");
    site.write(
        "content/guides/renew.md",
        "+++\ntitle = \"续费\"\nslug = \"renewal\"\ntemplate = \"special.html\"\n+++\n## 保持接入 {#keep}\n\n[不存在](gone.md)\n",
    );
    insta::assert_snapshot!(site.build_error(), @r#"
    error: template `special.html` does not exist
      --> content/guides/renew.md:4
      |
    4 | template = "special.html"
      = help: create `templates/special.html` or fix the `template` name

    error: broken link `gone.md`: there is no page `content/guides/gone.md`
      --> content/guides/renew.md:8
      |
    8 | [不存在](gone.md)
      = help: fix the path (it is relative to this file) or create the page; drafts only exist with `--drafts`
    2 error(s), 0 warning(s)
    "#);
    assert!(
        !site.out().exists(),
        "a failed build wrote {}",
        site.out().display()
    );
}
