//! The exact text of the messages contributors see, one row per bad input: front matter,
//! book.toml, links, the checker's rules data and presets, templates, the myth list, and the
//! freshness lint of `check`. A changed message must be changed here on purpose.
//!
//! The expected texts are insta inline snapshots (`@r#"…"#`). After changing a message on
//! purpose: `cargo insta test --review --test integration -- messages` (or
//! `INSTA_UPDATE=always cargo test …` then `cargo insta accept`). Under CI=true insta writes
//! nothing and a mismatch fails.

use std::path::{Path, PathBuf};

use beian_guide::freshness::{check_site, parse_today, CheckOptions};
use beian_guide::BuildOptions;

use crate::common::{self, Fixture};

/// Which site a row starts from.
#[derive(Debug, Clone, Copy)]
enum Base {
    /// tests/fixtures/basic with the shared test theme (no checker).
    Basic,
    /// The repository's own site (content, templates, static, lint, book.toml) without wasm.
    Repo,
}

/// One change to the starting site.
#[derive(Debug, Clone, Copy)]
enum Edit {
    /// Writes the whole file.
    Write(&'static str, &'static str),
    /// Replaces the first occurrence of a text in an existing file (the text must be there).
    Replace(&'static str, &'static str, &'static str),
}

/// What the row compares.
#[derive(Debug, Clone, Copy)]
enum Mode {
    /// The whole error text of the library's `check` (as `main` prints it).
    Check,
    /// The diagnostics of `beian-guide check` (pipeline + freshness lint, today = 2026-11-27)
    /// for one file, joined by a blank line.
    Lint(&'static str),
}

struct Case {
    name: &'static str,
    base: Base,
    edits: &'static [Edit],
    mode: Mode,
}

/// A temp copy of a site.
struct TempSite {
    _keep: Fixture,
    root: PathBuf,
}

impl TempSite {
    fn new(base: Base) -> TempSite {
        let site = match base {
            Base::Basic => Fixture::new("basic"),
            Base::Repo => Fixture::repo(),
        };
        let root = site.root.clone();
        TempSite { _keep: site, root }
    }

    fn apply(&self, edit: &Edit, case: &str) {
        match *edit {
            Edit::Write(rel, text) => {
                let p = self.root.join(rel);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, text).unwrap();
            }
            Edit::Replace(rel, from, to) => {
                let p = self.root.join(rel);
                let text = std::fs::read_to_string(&p).unwrap();
                assert!(text.contains(from), "{case}: `{from}` not in {rel}");
                std::fs::write(p, text.replacen(from, to, 1)).unwrap();
            }
        }
    }

    /// The message text, with the temp folder's path written as `<root>`.
    fn actual(&self, mode: Mode, case: &str) -> String {
        let text = self.messages(mode, case);
        text.replace(&self.root.display().to_string(), "<root>")
    }

    fn messages(&self, mode: Mode, case: &str) -> String {
        let opts = BuildOptions::new(&self.root);
        match mode {
            Mode::Check => match beian_guide::check(&opts) {
                Ok(_) => format!("({case}: check succeeded)"),
                Err(e) => common::error_text(&e),
            },
            Mode::Lint(file) => {
                let copts = CheckOptions {
                    today: parse_today("2026-11-27").unwrap(),
                    strict: false,
                };
                let report = check_site(&opts, &copts);
                let texts: Vec<String> = report
                    .diagnostics
                    .iter()
                    .filter(|d| d.file == Path::new(file))
                    .map(ToString::to_string)
                    .collect();
                texts.join("\n\n")
            }
        }
    }
}

const CASES: &[Case] = &[
    Case {
        name: "front matter: month 13",
        base: Base::Basic,
        edits: &[Edit::Replace("content/guides/access.md", "reviewed = 2025-02-01", "reviewed = 2025-13-01")],
        mode: Mode::Check,
    },
    Case {
        name: "front matter: source without url",
        base: Base::Basic,
        edits: &[Edit::Replace("content/guides/access.md", ", url = \"https://beian.miit.gov.cn/\"", "")],
        mode: Mode::Check,
    },
    Case {
        name: "front matter: unknown key in a source",
        base: Base::Basic,
        edits: &[Edit::Replace("content/guides/access.md", "url = \"https://beian.miit.gov.cn/\"", "link = \"https://beian.miit.gov.cn/\"")],
        mode: Mode::Check,
    },
    Case {
        name: "front matter: slug with a slash",
        base: Base::Basic,
        edits: &[Edit::Replace("content/guides/renew.md", "slug = \"renewal\"", "slug = \"a/b\"")],
        mode: Mode::Check,
    },
    Case {
        name: "front matter: not closed",
        base: Base::Basic,
        edits: &[Edit::Write("content/guides/open.md", "+++\ntitle = \"没关上\"\n\n正文。\n")],
        mode: Mode::Check,
    },
    Case {
        name: "front matter: weight is text",
        base: Base::Basic,
        edits: &[Edit::Replace("content/guides/renew.md", "weight = 1", "weight = \"一\"")],
        mode: Mode::Check,
    },
    Case {
        name: "config: unknown key in [check]",
        base: Base::Basic,
        edits: &[Edit::Write("book.toml", "[book]\ntitle = \"x\"\n\n[check]\nreviewed-max-age = 90\n")],
        mode: Mode::Check,
    },
    Case {
        name: "config: relative base-url",
        base: Base::Basic,
        edits: &[Edit::Replace("book.toml", "base-url = \"https://example.org/guide\"", "base-url = \"example.org/guide\"")],
        mode: Mode::Check,
    },
    Case {
        name: "config: edit-url-template without {path}",
        base: Base::Basic,
        edits: &[Edit::Replace("book.toml", "content/{path}", "content/")],
        mode: Mode::Check,
    },
    Case {
        name: "config: content folder missing",
        base: Base::Basic,
        edits: &[Edit::Write("book.toml", "[book]\ntitle = \"x\"\n\n[build]\ncontent = \"docs\"\n")],
        mode: Mode::Check,
    },
    Case {
        name: "links: page that does not exist",
        base: Base::Basic,
        edits: &[Edit::Replace("content/guides/renew.md", "回到[接入](access.md)。", "回到[接入](acess.md)。")],
        mode: Mode::Check,
    },
    Case {
        name: "links: heading that does not exist",
        base: Base::Basic,
        edits: &[Edit::Replace("content/guides/renew.md", "回到[接入](access.md)。", "回到[接入](../reference/glossary.md#不存在)。")],
        mode: Mode::Check,
    },
    Case {
        name: "rules data: verified is not a date",
        base: Base::Repo,
        edits: &[Edit::Replace("content/checker/rules.toml", "verified = \"2026-11-27\"", "verified = \"2026-11-31\"")],
        mode: Mode::Check,
    },
    Case {
        name: "rules data: link to a page that does not exist",
        base: Base::Repo,
        edits: &[Edit::Replace("content/checker/rules.toml", "href = \"guides/renewal.md\"", "href = \"guides/renew.md\"")],
        mode: Mode::Check,
    },
    Case {
        name: "rules data: checker preset with an unknown field",
        base: Base::Repo,
        edits: &[Edit::Replace("content/guides/refiling.md", "```checker\n", "```checker\nnotAField = true\n")],
        mode: Mode::Check,
    },
    Case {
        name: "rules data: a bad rules file does not hide a broken link",
        base: Base::Repo,
        edits: &[
            Edit::Replace("content/checker/rules.toml", "verified = \"2026-11-27\"", "verified = \"2026-11-31\""),
            Edit::Write("content/guides/zz-links.md", "+++\ntitle = \"链接\"\n+++\n\n[续费](renewal.md) [不存在](renew.md)\n"),
        ],
        mode: Mode::Check,
    },
    Case {
        name: "markdown: a bad checker preset does not hide a broken link elsewhere",
        base: Base::Repo,
        edits: &[
            Edit::Replace("content/guides/refiling.md", "```checker\n", "```checker\nnotAField = true\n"),
            Edit::Write("content/guides/zz-links.md", "+++\ntitle = \"链接\"\n+++\n\n[重新备案](refiling.md#不存在的节) [不存在](renew.md)\n"),
        ],
        mode: Mode::Check,
    },
    Case {
        name: "rules data: checker page without a rules file",
        base: Base::Basic,
        edits: &[Edit::Write("content/tool.md", "+++\ntitle = \"检查器\"\ntemplate = \"checker.html\"\n+++\n")],
        mode: Mode::Check,
    },
    Case {
        name: "templates: unclosed block",
        base: Base::Basic,
        edits: &[Edit::Write("templates/page.html", "<html><body>\n{% if page.title %}\n{{ page.title }}\n</body></html>\n")],
        mode: Mode::Check,
    },
    Case {
        name: "myth list: a false claim stated in a page",
        base: Base::Basic,
        edits: &[
            Edit::Write("lint/myths.toml", "[[myth]]\nid = \"filing-expires\"\npatterns = ['备案会过期']\nexplanation = \"备案本身不会过期。\"\nfact = \"1.1\"\n"),
            Edit::Replace("content/guides/renew.md", "回到[接入](access.md)。", "听说备案会过期。"),
        ],
        mode: Mode::Check,
    },
    Case {
        name: "myth list: a myth without patterns",
        base: Base::Basic,
        edits: &[Edit::Write("lint/myths.toml", "[[myth]]\nid = \"x\"\nexplanation = \"y\"\nfact = \"1.1\"\n")],
        mode: Mode::Check,
    },
    Case {
        name: "config: templates folder missing",
        base: Base::Basic,
        edits: &[Edit::Replace("book.toml", "[checker]", "[build]\ntemplates = \"theme\"\n\n[checker]")],
        mode: Mode::Check,
    },
    Case {
        name: "templates: unknown filter is one problem, not one per page",
        base: Base::Basic,
        edits: &[Edit::Write("templates/page.html", "{% extends \"base.html\" %}\n{% block main %}{{ page.title | shout }}{% endblock main %}\n")],
        mode: Mode::Check,
    },
    Case {
        name: "freshness: reviewed long ago",
        base: Base::Repo,
        edits: &[Edit::Replace("content/guides/renewal.md", "reviewed = 2026-12-07", "reviewed = 2025-11-27")],
        mode: Mode::Lint("content/guides/renewal.md"),
    },
    Case {
        name: "freshness: no reviewed date",
        base: Base::Repo,
        edits: &[Edit::Replace("content/guides/renewal.md", "reviewed = 2026-12-07\n", "")],
        mode: Mode::Lint("content/guides/renewal.md"),
    },
    Case {
        name: "freshness: no sources",
        base: Base::Repo,
        edits: &[Edit::Write("content/guides/new-page.md", "+++\ntitle = \"新页面\"\nreviewed = 2026-11-27\nsources = []\n+++\n\n正文。\n")],
        mode: Mode::Lint("content/guides/new-page.md"),
    },
    Case {
        name: "freshness: threshold verified long ago",
        base: Base::Repo,
        edits: &[Edit::Replace("content/checker/rules.toml", "verified = \"2026-11-27\"", "verified = \"2024-05-01\"")],
        mode: Mode::Lint("content/checker/rules.toml"),
    },
];

/// Runs the rows of [`CASES`] by name and remembers which ran, so that a row without a
/// snapshot fails the test.
/// Every case's message, computed side by side up front (each case has its own copy of a
/// site; half of them check the whole repository site, which is what makes this test slow
/// when run one after another), then asserted one by one; records which cases were asserted.
struct Runs {
    actual: std::collections::HashMap<&'static str, String>,
    asserted: Vec<&'static str>,
}

impl Runs {
    fn all() -> Runs {
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
        let next = std::sync::atomic::AtomicUsize::new(0);
        let actual = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| {
                        let mut done = Vec::new();
                        while let Some(case) =
                            CASES.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                        {
                            done.push((case.name, Self::run(case)));
                        }
                        done
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        Runs {
            actual,
            asserted: Vec::new(),
        }
    }

    fn run(case: &Case) -> String {
        let site = TempSite::new(case.base);
        for e in case.edits {
            site.apply(e, case.name);
        }
        site.actual(case.mode, case.name)
    }

    fn message(&mut self, name: &str) -> String {
        let case = CASES
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no row named {name:?} in CASES"));
        assert!(
            !self.asserted.contains(&case.name),
            "{name}: asserted twice"
        );
        self.asserted.push(case.name);
        let actual = self.actual[case.name].clone();
        assert!(
            !actual.contains("<root>"),
            "{name}: names an absolute path:\n{actual}"
        );
        actual
    }
}

#[test]
fn every_bad_input_has_its_exact_message() {
    assert!(CASES.len() >= 15);
    let mut runs = Runs::all();
    insta::assert_snapshot!(runs.message("front matter: month 13"), @r#"
    error: invalid date, expected month between 01 and 12
      --> content/guides/access.md:7:12
      |
    7 | reviewed = 2025-13-01
      |            ^
      = help: write a real calendar date as YYYY-MM-DD
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("front matter: source without url"), @r#"
    error: missing field `url`
      --> content/guides/access.md:8:12
      |
    8 | sources = [{ title = "工信部备案管理系统", date = 2025-01-15 }]
      |            ^
      = help: add the missing key
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("front matter: unknown key in a source"), @r#"
    error: unknown field `link`, expected one of `title`, `url`, `date`
      --> content/guides/access.md:8:35
      |
    8 | sources = [{ title = "工信部备案管理系统", link = "https://beian.miit.gov.cn/", date = 2025-01-15 }]
      |                                            ^
      = help: remove or rename this key; the accepted keys are listed after `expected`
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("front matter: slug with a slash"), @r#"
    error: invalid `slug` `a/b`
      --> content/guides/renew.md:3
      |
    3 | slug = "a/b"
      = help: use letters, digits, `-` and `_` only (no `/`, `.` or spaces)
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("front matter: not closed"), @r#"
    error: front matter is not closed
      --> content/guides/open.md:1:1
      |
    1 | +++
      | ^
      = help: end the front matter with a line containing only `+++`
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("front matter: weight is text"), @r#"
    error: invalid type: string "一", expected i64
      --> content/guides/renew.md:4:10
      |
    4 | weight = "一"
      |          ^
      = help: fix the TOML syntax or the value's type at this position
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("config: unknown key in [check]"), @r#"
    error: unknown field `reviewed-max-age`, expected one of `reviewed-max-age-days`, `require-sources`, `require-reviewed`
      --> book.toml:5:1
      |
    5 | reviewed-max-age = 90
      | ^
      = help: remove or rename this key; the accepted keys are listed after `expected`
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("config: relative base-url"), @r#"
    error: `base-url` must be an absolute http(s) URL, found `example.org/guide`
      --> book.toml:8
      |
    8 | base-url = "example.org/guide"
      = help: write it like `base-url = "https://example.org/guide/"`
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("config: edit-url-template without {path}"), @r#"
    error: `edit-url-template` has no `{path}` placeholder
      --> book.toml:9
      |
    9 | edit-url-template = "https://example.invalid/edit/main/content/"
      = help: add `{path}` where the page's path inside the content folder goes
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("config: content folder missing"), @r#"
    error: content folder `docs` does not exist
      --> book.toml:5
      |
    5 | content = "docs"
      = help: create it, or set `[build] content` in book.toml
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("links: page that does not exist"), @r#"
    error: broken link `acess.md`: there is no page `content/guides/acess.md`
      --> content/guides/renew.md:9
      |
    9 | 回到[接入](acess.md)。
      = help: fix the path (it is relative to this file) or create the page; drafts only exist with `--drafts`
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("links: heading that does not exist"), @r#"
    error: broken link `../reference/glossary.md#不存在`: `content/reference/glossary.md` has no heading with id `不存在`
      --> content/guides/renew.md:9
      |
    9 | 回到[接入](../reference/glossary.md#不存在)。
      = help: the ids in `content/reference/glossary.md` are `空壳`
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("rules data: verified is not a date"), @r#"
    error: threshold `server_expiring_soon_days` has verified = "2026-11-31", which is not a real YYYY-MM-DD date (at `thresholds.server_expiring_soon_days.verified`)
      --> content/checker/rules.toml:52:1
       |
    52 | verified = "2026-11-31"
       | ^
      = help: write the day you last checked the value against its source, e.g. "2026-11-27"
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("rules data: link to a page that does not exist"), @r#"
    error: link target `guides/renew.md` does not exist
      --> content/checker/rules.toml:613
        |
    613 |   { title = "续费与保持接入", href = "guides/renew.md" },
      = help: create content/guides/renew.md, or fix the path (it is relative to the content folder)
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("rules data: checker preset with an unknown field"), @r#"
    error: invalid checker preset: unknown field `notAField`; expected one of: today, lang, provider, serverExpiry, serverBilling, serverPurchaseMonths, miitLookup, accessStatus, noticeDeadline, noticeReceived, noticeReason, otherFilings, planningRefile, domainExpiry, licenceExpiry, licenceIssue, annualReportFiled, siteOpened, gaFiled
      --> content/guides/refiling.md:31
       |
    31 | ```checker
      = help: use the field names and values of the checker contract
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("rules data: a bad rules file does not hide a broken link"), @r#"
    error: threshold `server_expiring_soon_days` has verified = "2026-11-31", which is not a real YYYY-MM-DD date (at `thresholds.server_expiring_soon_days.verified`)
      --> content/checker/rules.toml:52:1
       |
    52 | verified = "2026-11-31"
       | ^
      = help: write the day you last checked the value against its source, e.g. "2026-11-27"

    error: broken link `renew.md`: there is no page `content/guides/renew.md`
      --> content/guides/zz-links.md:5
      |
    5 | [续费](renewal.md) [不存在](renew.md)
      = help: fix the path (it is relative to this file) or create the page; drafts only exist with `--drafts`
    2 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("markdown: a bad checker preset does not hide a broken link elsewhere"), @r#"
    error: invalid checker preset: unknown field `notAField`; expected one of: today, lang, provider, serverExpiry, serverBilling, serverPurchaseMonths, miitLookup, accessStatus, noticeDeadline, noticeReceived, noticeReason, otherFilings, planningRefile, domainExpiry, licenceExpiry, licenceIssue, annualReportFiled, siteOpened, gaFiled
      --> content/guides/refiling.md:31
       |
    31 | ```checker
      = help: use the field names and values of the checker contract

    error: broken link `renew.md`: there is no page `content/guides/renew.md`
      --> content/guides/zz-links.md:5
      |
    5 | [重新备案](refiling.md#不存在的节) [不存在](renew.md)
      = help: fix the path (it is relative to this file) or create the page; drafts only exist with `--drafts`

    error: broken link `refiling.md#不存在的节`: `content/guides/refiling.en.md` has no heading with id `不存在的节`
      --> content/guides/zz-links.md:5
      |
    5 | [重新备案](refiling.md#不存在的节) [不存在](renew.md)
      = help: the ids in `content/guides/refiling.en.md` are `domain-check`, `fn-1`, `fn-10`, `fn-11`, `fn-12`, `fn-13`, `fn-14`, `fn-15`, `fn-16`, `fn-17`, `fn-18`, `fn-19`
    3 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("rules data: checker page without a rules file"), @r#"
    error: this page uses the checker but the rules file `content/checker/rules.toml` does not exist
      --> content/tool.md:3
      |
    3 | template = "checker.html"
      = help: create the rules file, or set `[checker] rules` in book.toml

    error: template `checker.html` does not exist
      --> content/tool.md:3
      |
    3 | template = "checker.html"
      = help: create `templates/checker.html` or fix the `template` name
    2 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("templates: unclosed block"), @r#"
    error: template error: Failed to parse 'page.html': --> 5:1
      |
    5 | 
      | ^---
      |
      = expected tag or some content
      --> templates/page.html:5
      = help: fix the template syntax at the position given
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("myth list: a false claim stated in a page"), @r#"
    error: page states the known-false claim `filing-expires` ("备案会过期")
      --> content/guides/renew.md:9:3
      |
    9 | 听说备案会过期。
      |     ^
      = help: refuted by fact 1.1 in icp-facts.md: 备案本身不会过期。 If the page quotes the claim to refute it, put the quote inside a `> [!MYTH]` block
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("myth list: a myth without patterns"), @r#"
    error: invalid myth list: missing field `patterns`
      --> lint/myths.toml:1:1
      |
    1 | [[myth]]
      | ^
      = help: each entry is a `[[myth]]` table with `id`, `patterns`, `explanation` and `fact` (optional `allow`)
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("config: templates folder missing"), @r#"
    error: templates folder `theme` does not exist
      --> book.toml:14
       |
    14 | templates = "theme"
      = help: create it, or set `[build] templates` in book.toml
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("templates: unknown filter is one problem, not one per page"), @r#"
    error: cannot render with template `page.html`: Failed to render 'page.html': Filter 'shout' not found
      --> templates/page.html
      = help: fix the template, or the front matter it reads in `content/guides/access.md` (and 2 more pages fail the same way)
    1 error(s), 0 warning(s)
    "#);
    insta::assert_snapshot!(runs.message("freshness: reviewed long ago"), @r#"
    warning: `reviewed` is 2025-11-27, 365 days ago (the limit is 180 days)
      --> content/guides/renewal.md:5:1
      |
    5 | reviewed = 2025-11-27
      | ^
      = help: check the page against its sources (and for rule changes), then set `reviewed = 2026-11-27`
    "#);
    insta::assert_snapshot!(runs.message("freshness: no reviewed date"), @r#"
    warning: page has no `reviewed` date
      --> content/guides/renewal.md:1:1
      |
    1 | +++
      | ^
      = help: after checking the page against its sources, add `reviewed = 2026-11-27` to the front matter
    "#);
    insta::assert_snapshot!(runs.message("freshness: no sources"), @r#"
    error: page cites no sources
      --> content/guides/new-page.md:4:1
      |
    4 | sources = []
      | ^
      = help: add `sources = [{ title = "…", url = "https://…" }]` to the front matter and cite them in the text with footnotes `[^1]`
    "#);
    insta::assert_snapshot!(runs.message("freshness: threshold verified long ago"), @r#"
    warning: threshold `server_expiring_soon_days` was verified on 2024-05-01, 940 days ago (the limit is 180 days)
      --> content/checker/rules.toml:52:1
       |
    52 | verified = "2024-05-01"
       | ^
      = help: check the value against its `source`, then set `verified = "2026-11-27"`
    "#);
    let missing: Vec<&str> = CASES
        .iter()
        .map(|c| c.name)
        .filter(|n| !runs.asserted.contains(n))
        .collect();
    assert!(missing.is_empty(), "rows without a snapshot: {missing:?}");
}

/// The basic fixture with the contributor lint fully on, and one page made stale.
fn lint_fixture() -> Fixture {
    let site = Fixture::new("basic");
    // The lint fully on, whatever the fixture's own `[check]` says (it must be the last table).
    let book = std::fs::read_to_string(site.root.join("book.toml")).unwrap();
    let base = book.split("\n[check]").next().unwrap();
    site.write(
        "book.toml",
        &format!("{base}\n[check]\nrequire-sources = true\nrequire-reviewed = true\n"),
    );
    // The fixture predates the lint: give every page a source and a review date.
    for rel in [
        "content/_index.md",
        "content/guides/_index.md",
        "content/guides/renew.md",
        "content/reference/_index.md",
        "content/reference/glossary.md",
    ] {
        let path = site.root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text
            .replacen("reviewed = \"2025-02-02\"\n", "", 1)
            .replacen(
                "+++\n",
                "+++\nreviewed = 2026-11-01\nsources = [{ title = \"工信部\", url = \"https://beian.miit.gov.cn/\" }]\n",
                1,
            );
        std::fs::write(path, text).unwrap();
    }
    site
}

#[test]
fn check_passes_a_fresh_sourced_site_and_warns_about_a_stale_page() {
    let site = lint_fixture();
    let access = std::fs::read_to_string(site.root.join("content/guides/access.md")).unwrap();
    site.write(
        "content/guides/access.md",
        &access.replace("reviewed = 2025-02-01", "reviewed = 2026-11-27"),
    );
    let out = site.run(&["check", "--today", "2026-11-27"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "checked 6 pages: no problems\n");

    // access.md reviewed on 2025-02-01 is stale on 2026-11-27.
    site.write("content/guides/access.md", &access);

    let out = site.run(&["check", "--today", "2026-11-27"]);
    assert_eq!(out.code, 0, "warnings alone do not fail: {}", out.stderr);
    insta::assert_snapshot!(out.stderr, @r#"
    warning: `reviewed` is 2025-02-01, 664 days ago (the limit is 180 days)
      --> content/guides/access.md:7:1
      |
    7 | reviewed = 2025-02-01
      | ^
      = help: check the page against its sources (and for rule changes), then set `reviewed = 2026-11-27`
    0 error(s), 1 warning(s)
    "#);
}

#[test]
fn strict_turns_warnings_into_errors() {
    let site = lint_fixture();
    let out = site.run(&["check", "--strict", "--today", "2026-11-27"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("error: `reviewed` is 2025-02-01, 664 days ago"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .ends_with("1 error(s), 0 warning(s)\ncheck failed\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_limit_comes_from_book_toml_and_today_from_the_environment() {
    let site = lint_fixture();
    let book = std::fs::read_to_string(site.root.join("book.toml")).unwrap();
    site.write(
        "book.toml",
        &format!("{book}reviewed-max-age-days = 1000\n"),
    );
    let mut cmd = common::bin();
    cmd.args(["check", "--strict", "--root"])
        .arg(&site.root)
        .env("BEIAN_GUIDE_TODAY", "2026-11-27");
    let out = common::run(cmd);
    assert_eq!(out.code, 0, "664 days is within 1000: {}", out.stderr);

    let mut cmd = common::bin();
    cmd.args(["check", "--root"])
        .arg(&site.root)
        .env("BEIAN_GUIDE_TODAY", "2026-02-30");
    let out = common::run(cmd);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: BEIAN_GUIDE_TODAY: `2026-02-30` is not a date: write it as YYYY-MM-DD\n"
    );
}

#[test]
fn a_page_without_sources_fails_check_but_not_build() {
    let site = lint_fixture();
    site.write(
        "content/guides/new.md",
        "+++\ntitle = \"新页\"\nreviewed = 2026-11-27\n+++\n\n正文。\n",
    );
    let out = site.run(&["check", "--today", "2026-11-27"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("error: page cites no sources\n  --> content/guides/new.md:1:1\n"),
        "{}",
        out.stderr
    );
    assert_eq!(site.run(&["build"]).code, 0);
}

#[test]
fn json_format_lists_every_problem_across_stages() {
    let site = lint_fixture();
    // A broken link (site stage) and a page without sources (contributor lint) in one run.
    site.write(
        "content/guides/new.md",
        "+++\ntitle = \"新页\"\nreviewed = 2026-11-27\n+++\n\n[坏链接](nope.md)\n",
    );
    let out = site.run(&["check", "--format", "json", "--today", "2026-11-27"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(out.stderr, "", "JSON mode prints only the JSON");
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["pages"], 7);
    assert_eq!(v["errors"], 2);
    assert_eq!(v["warnings"], 1);
    let diags = v["diagnostics"].as_array().unwrap();
    let summary: Vec<(String, String, u64, String)> = diags
        .iter()
        .map(|d| {
            (
                d["severity"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "warning".to_owned(),
                "content/guides/access.md".to_owned(),
                7,
                "`reviewed` is 2025-02-01, 664 days ago (the limit is 180 days)".to_owned()
            ),
            (
                "error".to_owned(),
                "content/guides/new.md".to_owned(),
                1,
                "page cites no sources".to_owned()
            ),
            (
                "error".to_owned(),
                "content/guides/new.md".to_owned(),
                6,
                "broken link `nope.md`: there is no page `content/guides/nope.md`".to_owned()
            ),
        ]
    );
    for d in diags {
        for key in ["column", "help", "source_line"] {
            assert!(d.get(key).is_some(), "{key} missing in {d}");
        }
    }
}

#[test]
fn new_creates_a_complete_page_and_never_overwrites() {
    let site = lint_fixture();
    let root = site.root.to_str().unwrap().to_owned();
    let run = |args: &[&str]| {
        let mut cmd = common::bin();
        cmd.args(args)
            .args(["--root", &root, "--today", "2026-11-27"]);
        common::run(cmd)
    };
    let out = run(&["new", "guides/dns", "--title", "DNS 解析与 \"接入\""]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "content/guides/dns.md\n");
    let text = std::fs::read_to_string(site.root.join("content/guides/dns.md")).unwrap();
    assert!(
        text.starts_with("+++\ntitle = \"DNS 解析与 \\\"接入\\\"\"\ndescription = \"\""),
        "{text}"
    );
    assert!(text.contains("\nreviewed = 2026-11-27"), "{text}");
    assert!(text.contains("\nsources = []\n"), "{text}");
    assert!(
        text.contains("#   sources = [{ title = "),
        "the hint: {text}"
    );
    // The new page is a valid page: check finds exactly the missing source.
    let out = site.run(&["check", "--today", "2026-11-27"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("error: page cites no sources\n  --> content/guides/dns.md:"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("1 error(s), 1 warning(s)"),
        "{}",
        out.stderr
    );

    // Never overwrites.
    let mine = "+++\ntitle = \"mine\"\n+++\n";
    std::fs::write(site.root.join("content/guides/dns.md"), mine).unwrap();
    let out = run(&["new", "content/guides/dns.md"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "error: `content/guides/dns.md` already exists; `new` never overwrites a page (edit it, or pick another name)\n"
    );
    assert_eq!(
        std::fs::read_to_string(site.root.join("content/guides/dns.md")).unwrap(),
        mine
    );

    // A new folder gets its section index, so the tree has no hole.
    let out = run(&["new", "tools/whois.md"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "created content/tools/_index.md (the folder had no section index)\ncreated content/tools/whois.md\n"
    );
    if let Err(e) = site.build() {
        panic!("{}", common::error_text(&e));
    }
    assert!(site.output("tools/whois.html").contains("whois"));

    // Paths that leave the content folder are refused.
    let out = run(&["new", "../outside.md"]);
    assert_eq!(out.code, 1);
    assert!(out
        .stderr
        .contains("is not a path inside the content folder"));
}

#[test]
fn footnote_mistakes_are_warnings_of_check_and_errors_of_check_strict() {
    let site = Fixture::new("basic");
    site.write(
        "content/guides/notes.md",
        "+++\ntitle = \"脚注\"\n+++\n\n先[^b]后[^a]，另[^zz]。\n\n[^a]: 甲。\n[^b]: 乙。\n[^c]: 丙。\n",
    );
    let out = site.run(&["check"]);
    for expected in [
        "warning: footnote `[^zz]` is cited but not defined: the page shows it as written\n  --> content/guides/notes.md:5:13\n",
        "warning: footnote `[^a]` is defined out of reading order: the notes are listed as 2, 1\n  --> content/guides/notes.md:7:1\n",
        "warning: footnote `[^c]` is defined but never cited\n  --> content/guides/notes.md:9:1\n",
    ] {
        assert!(out.stderr.contains(expected), "{}", out.stderr);
    }
    // A build still succeeds (and says so); `--strict` fails on them.
    assert_eq!(site.run(&["build"]).code, 0);
    let strict = site.run(&["check", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(
        strict
            .stderr
            .contains("error: footnote `[^c]` is defined but never cited"),
        "{}",
        strict.stderr
    );
}
