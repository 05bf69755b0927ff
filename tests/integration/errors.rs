//! Bad input: each problem names the file (and line), says what to do, and every problem of a
//! stage is reported at once. These tests pin the exact text.

use crate::common::Fixture;

#[test]
fn every_broken_link_and_anchor_is_listed_with_file_and_line() {
    let site = Fixture::new("invalid-links");
    assert_eq!(site.build_error(), "error: broken link `missing.md`: there is no page `content/guides/missing.md`\n  --> content/guides/_index.md:5\n  |\n5 | - [不存在的页面](missing.md)\n  = help: fix the path (it is relative to this file) or create the page; drafts only exist with `--drafts`\n\nerror: broken link `a.md#没有这个标题`: `content/guides/a.md` has no heading with id `没有这个标题`\n  --> content/guides/_index.md:6\n  |\n6 | - [不存在的锚点](a.md#没有这个标题)\n  = help: the ids in `content/guides/a.md` are `第一节`\n\nerror: broken link `#第二节`: `content/guides/a.md` has no heading with id `第二节`\n  --> content/guides/a.md:7\n  |\n7 | [本页坏锚点](#第二节)\n  = help: the ids in `content/guides/a.md` are `第一节`\n\nerror: broken link `../../outside.md`: it points outside the site\n  --> content/guides/a.md:9\n  |\n9 | [越界](../../outside.md) [不存在的文件](../img/x.png) [正常](_index.md)\n  = help: remove the extra `../`\n\nerror: broken link `../img/x.png`: no file `img/x.png` is generated\n  --> content/guides/a.md:9\n  |\n9 | [越界](../../outside.md) [不存在的文件](../img/x.png) [正常](_index.md)\n  = help: link to a page's `.md` file, or put the file in the static folder\n5 error(s), 0 warning(s)");
}

#[test]
fn every_front_matter_problem_is_listed_at_once() {
    let site = Fixture::new("invalid-front-matter");
    assert_eq!(site.build_error(), "error: invalid date, expected day between 01 and 28\n  --> content/bad-date.md:3:8\n  |\n3 | date = 2025-02-30\n  |        ^\n  = help: write a real calendar date as YYYY-MM-DD\n\nerror: invalid basic string, expected `\"`\n  --> content/bad-toml.md:2:14\n  |\n2 | title = \"引号没关\n  |                  ^\n  = help: fix the TOML syntax or the value's type at this position\n\nerror: missing `title` in front matter\n  --> content/no-title.md:2:1\n  |\n2 | description = \"没有标题\"\n  | ^\n  = help: add `title = \"…\"` between the `+++` lines\n\nerror: unknown field `wieght`, expected one of `title`, `description`, `weight`, `draft`, `slug`, `template`, `toc`, `date`, `updated`, `reviewed`, `sources`, `source-updated`, `extra`\n  --> content/unknown-key.md:3:1\n  |\n3 | wieght = 3\n  | ^\n  = help: remove or rename this key; the accepted keys are listed after `expected`\n4 error(s), 0 warning(s)");
}

#[test]
fn unknown_book_toml_key_names_key_and_line() {
    let site = Fixture::new("basic");
    site.write("book.toml", "[book]\ntitle = \"x\"\n\n[output.html]\nbase-url = \"https://example.org/\"\nsearch = true\n");
    assert_eq!(site.build_error(), "error: unknown field `search`, expected one of `base-url`, `edit-url-template`, `icp-number`, `public-security-number`\n  --> book.toml:6:1\n  |\n6 | search = true\n  | ^\n  = help: remove or rename this key; the accepted keys are listed after `expected`\n1 error(s), 0 warning(s)");
}

#[test]
fn malformed_book_toml() {
    let site = Fixture::new("basic");
    site.write("book.toml", "[book\ntitle = \"x\"\n");
    assert_eq!(site.build_error(), "error: unclosed table, expected `]`\n  --> book.toml:1:6\n  |\n1 | [book\n  |      ^\n  = help: fix the TOML syntax or the value's type at this position\n1 error(s), 0 warning(s)");
}

#[test]
fn duplicate_output_path() {
    let site = Fixture::new("basic");
    site.write(
        "content/guides/other.md",
        "+++\ntitle = \"另一个\"\nslug = \"renewal\"\n+++\n",
    );
    assert_eq!(site.build_error(), "error: duplicate output path `guides/renewal.html`: `content/guides/other.md` is written there too\n  --> content/guides/renew.md\n  = help: change the `slug` or the file name of one of them\n1 error(s), 0 warning(s)");
}

#[test]
fn missing_page_template() {
    let site = Fixture::new("basic");
    site.write("content/guides/renew.md", "+++\ntitle = \"续费\"\nslug = \"renewal\"\ntemplate = \"special.html\"\n+++\n## 保持接入 {#keep}\n");
    assert_eq!(site.build_error(), "error: template `special.html` does not exist\n  --> content/guides/renew.md:4\n  |\n4 | template = \"special.html\"\n  = help: create `templates/special.html` or fix the `template` name\n1 error(s), 0 warning(s)");
}

#[test]
fn missing_required_template() {
    let site = Fixture::new("basic");
    site.remove("templates/404.html");
    assert_eq!(site.build_error(), "error: missing template `404.html`\n  --> templates/404.html\n  = help: create `templates/404.html`\n1 error(s), 0 warning(s)");
}

#[test]
fn template_syntax_error() {
    let site = Fixture::new("basic");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ page.title }{% endblock main %}\n",
    );
    assert_eq!(site.build_error(), "error: template error: Failed to parse 'page.html': --> 2:31\n  |\n2 | {% block main %}{{ page.title }{% endblock main %}\n  |                               ^---\n  |\n  = expected `or`, `and`, `not`, `<=`, `>=`, `<`, `>`, `==`, `!=`, `+`, `-`, `*`, `/`, `%`, a filter, or a variable end (`}}`)\n  --> templates/page.html:2\n  |\n2 | {% block main %}{{ page.title }{% endblock main %}\n  = help: fix the template syntax at the position given\n1 error(s), 0 warning(s)");
}

#[test]
fn template_render_error() {
    let site = Fixture::new("basic");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ page.nope.deeper }}{% endblock main %}\n",
    );
    assert_eq!(site.build_error(), "error: cannot render with template `page.html`: Failed to render 'page.html': Variable `page.nope.deeper` not found in context while rendering 'page.html'\n  --> templates/page.html\n  = help: fix the template, or the front matter it reads in `content/guides/access.md` (and 2 more pages fail the same way)\n1 error(s), 0 warning(s)");
}

#[test]
fn missing_front_matter_and_missing_section_index() {
    let site = Fixture::new("basic");
    site.write("content/notes/plain.md", "# 只有正文\n");
    assert_eq!(site.build_error(), "error: missing front matter\n  --> content/notes/plain.md:1:1\n  |\n1 | # 只有正文\n  | ^\n  = help: start the file with a `+++` line, then `title = \"…\"`, then another `+++` line\n1 error(s), 0 warning(s)");
}

#[test]
fn checker_block_without_rules_file() {
    let site = Fixture::new("basic");
    site.write("content/guides/renew.md", "+++\ntitle = \"续费\"\nslug = \"renewal\"\n+++\n## 保持接入 {#keep}\n\n```checker\nplanningRefile = true\n```\n");
    assert_eq!(site.build_error(), "error: this page uses the checker but the rules file `content/checker/rules.toml` does not exist\n  --> content/guides/renew.md:7\n  |\n7 | ```checker\n  = help: create the rules file, or set `[checker] rules` in book.toml\n1 error(s), 0 warning(s)");
}

#[test]
fn absolute_link() {
    let site = Fixture::new("basic");
    site.write(
        "content/reference/glossary.md",
        "+++\ntitle = \"术语表\"\n+++\n\n见[首页](/index.html)。\n",
    );
    assert_eq!(site.build_error(), "error: absolute link `/index.html` breaks when the site is served from a sub-path or from disk\n  --> content/reference/glossary.md:5\n  |\n5 | 见[首页](/index.html)。\n  = help: link to the page's `.md` file with a relative path, e.g. `../guides/renewal.md`\n1 error(s), 0 warning(s)");
}

#[test]
fn static_file_clashing_with_a_page() {
    let site = Fixture::new("basic");
    site.write("static/guides/access.html", "<p>static</p>");
    assert_eq!(site.build_error(), "error: output path `guides/access.html` is also a static or generated file\n  --> content/guides/access.md\n  = help: rename the page (or its `slug`) or the file in the static folder\n1 error(s), 0 warning(s)");
}

#[test]
fn a_bad_front_matter_does_not_hide_broken_links_in_other_pages() {
    // `guides/_index.md` and `guides/bad.md` do not load; `guides/ok.md` still has its links
    // checked. Links to the pages that did not load are not reported (their output name and
    // headings are unknown), and the folder of the bad `_index.md` is still a section.
    let site = Fixture::new("mixed-errors");
    let expected = "error: invalid type: string \"第一\", expected i64\n  --> content/guides/_index.md:3:10\n  |\n3 | weight = \"第一\"\n  |          ^\n  = help: fix the TOML syntax or the value's type at this position\n\nerror: unknown field `titel`, expected one of `title`, `description`, `weight`, `draft`, `slug`, `template`, `toc`, `date`, `updated`, `reviewed`, `sources`, `source-updated`, `extra`\n  --> content/guides/bad.md:4:1\n  |\n4 | titel = \"拼错的键\"\n  | ^\n  = help: remove or rename this key; the accepted keys are listed after `expected`\n\nerror: broken link `missing.md`: there is no page `content/guides/missing.md`\n  --> content/guides/ok.md:7\n  |\n7 | [坏页面](bad.md) [指南](_index.md) [不存在的页面](missing.md)\n  = help: fix the path (it is relative to this file) or create the page; drafts only exist with `--drafts`\n\nerror: broken link `#第二节`: `content/guides/ok.md` has no heading with id `第二节`\n  --> content/guides/ok.md:9\n  |\n9 | [本页坏锚点](#第二节)\n  = help: the ids in `content/guides/ok.md` are `第一节`\n4 error(s), 0 warning(s)";
    let check = match site.check() {
        Ok(_) => panic!("check of mixed-errors succeeded"),
        Err(e) => crate::common::error_text(&e),
    };
    assert_eq!(check, expected);
    assert_eq!(site.build_error(), expected);
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
    assert_eq!(site.build_error(), "error: front matter is not closed\n  --> content/_index.md:1:1\n  |\n1 | +++\n  | ^\n  = help: end the front matter with a line containing only `+++`\n\nerror: unknown field `titel`, expected one of `title`, `description`, `weight`, `draft`, `slug`, `template`, `toc`, `date`, `updated`, `reviewed`, `sources`, `source-updated`, `extra`\n  --> content/guides/bad.md:4:1\n  |\n4 | titel = \"拼错的键\"\n  | ^\n  = help: remove or rename this key; the accepted keys are listed after `expected`\n\nerror: broken link `missing.md`: there is no page `content/guides/missing.md`\n  --> content/guides/ok.md:7\n  |\n7 | [坏页面](bad.md) [指南](_index.md) [不存在的页面](missing.md)\n  = help: fix the path (it is relative to this file) or create the page; drafts only exist with `--drafts`\n\nerror: broken link `#第二节`: `content/guides/ok.md` has no heading with id `第二节`\n  --> content/guides/ok.md:9\n  |\n9 | [本页坏锚点](#第二节)\n  = help: the ids in `content/guides/ok.md` are `第一节`\n4 error(s), 0 warning(s)");
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
    assert_eq!(site.build_error(), "error: template `special.html` does not exist\n  --> content/guides/renew.md:4\n  |\n4 | template = \"special.html\"\n  = help: create `templates/special.html` or fix the `template` name\n\nerror: broken link `gone.md`: there is no page `content/guides/gone.md`\n  --> content/guides/renew.md:8\n  |\n8 | [不存在](gone.md)\n  = help: fix the path (it is relative to this file) or create the page; drafts only exist with `--drafts`\n2 error(s), 0 warning(s)");
    assert!(
        !site.out().exists(),
        "a failed build wrote {}",
        site.out().display()
    );
}
