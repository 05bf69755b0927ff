//! Hostile and careless input: the bad-input table (each case: exit code, message, no panic,
//! the previous output and everything outside it byte-identical), output-folder safety,
//! crashed-build cleanup, symlinks, and escaping of input-derived strings in every output kind.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::common::{bin, run, Fixture, Run};

/// Everything under `dir`, without following links: path → file bytes, `dir/`, or `-> target`.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let value = if e.path_is_symlink() {
            format!("-> {}", std::fs::read_link(e.path()).unwrap().display()).into_bytes()
        } else if e.file_type().is_dir() {
            b"dir/".to_vec()
        } else {
            std::fs::read(e.path()).unwrap()
        };
        out.insert(rel, value);
    }
    out
}

/// Runs the binary in the site root (relative `--out` paths are relative to it).
fn build_in(root: &Path, args: &[&str]) -> Run {
    let mut cmd = bin();
    cmd.arg("build").args(args).current_dir(root);
    run(cmd)
}

fn symlink(target: &str, link: &Path) {
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
}

type Setup = fn(&Fixture);

/// One bad input: what to change in a freshly built copy of the `basic` fixture, the extra
/// `build` arguments, and a piece of the expected message.
struct Case {
    name: &'static str,
    setup: Setup,
    args: &'static [&'static str],
    message: &'static str,
}

const fn case(
    name: &'static str,
    setup: Setup,
    args: &'static [&'static str],
    message: &'static str,
) -> Case {
    Case {
        name,
        setup,
        args,
        message,
    }
}

fn nothing(_: &Fixture) {}

fn replace(site: &Fixture, rel: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.root.join(rel)).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    site.write(rel, &text.replacen(from, to, 1));
}

/// A page whose body is `body`.
fn page(site: &Fixture, body: &str) {
    site.write(
        "content/guides/bad.md",
        &format!("+++\ntitle = \"坏\"\n+++\n\n第一行\n\n{body}\n"),
    );
}

/// A page whose only source has this URL.
fn source(site: &Fixture, url: &str) {
    site.write(
        "content/guides/bad.md",
        &format!("+++\ntitle = \"坏\"\nsources = [\n  {{ title = \"x\", url = \"{url}\" }},\n]\n+++\n\n正文\n"),
    );
}

const CASES: &[Case] = &[
    // The output folder.
    case(
        "out is the root",
        nothing,
        &["--out", "."],
        "output folder `.` is the site root",
    ),
    case(
        "out is the root by its name",
        nothing,
        &["--out", "../site"],
        "output folder `../site` is the site root",
    ),
    case(
        "out contains the root",
        nothing,
        &["--out", ".."],
        "output folder `..` contains the site root",
    ),
    case(
        "out is content",
        nothing,
        &["--out", "content"],
        "output folder `content` is the content folder `content`",
    ),
    case(
        "out inside content",
        nothing,
        &["--out", "content/guides"],
        "lies inside the content folder `content`",
    ),
    case(
        "out is content via ..",
        nothing,
        &["--out", "public/../content"],
        "is the content folder `content`",
    ),
    case(
        "out is templates",
        nothing,
        &["--out", "templates"],
        "is the templates folder `templates`",
    ),
    case(
        "out is static",
        nothing,
        &["--out", "static"],
        "is the static folder `static`",
    ),
    case(
        "out inside static",
        nothing,
        &["--out", "static/files"],
        "lies inside the static folder `static`",
    ),
    case(
        "build-dir is content",
        |s| {
            s.write(
                "book.toml",
                &format!(
                    "{}\n[build]\nbuild-dir = \"content\"\n",
                    std::fs::read_to_string(s.root.join("book.toml")).unwrap()
                ),
            )
        },
        &[],
        "error: output folder `./content` is the content folder `content`",
    ),
    case(
        "build-dir is templates",
        |s| {
            s.write(
                "book.toml",
                &format!(
                    "{}\n[build]\nbuild-dir = \"templates\"\n",
                    std::fs::read_to_string(s.root.join("book.toml")).unwrap()
                ),
            )
        },
        &[],
        "is the templates folder `templates`",
    ),
    case(
        "out is book.toml",
        nothing,
        &["--out", "book.toml"],
        "output folder `book.toml` is an existing file",
    ),
    case(
        "out is a file",
        |s| s.write("../a-file", "keep me"),
        &["--out", "../a-file"],
        "output folder `../a-file` is an existing file",
    ),
    case(
        "out is a link",
        |s| symlink("site/public", &s.root.join("../link")),
        &["--out", "../link"],
        "output folder `../link` is a symbolic link",
    ),
    case(
        "out is a dangling link",
        |s| symlink("nowhere", &s.root.join("../dangling")),
        &["--out", "../dangling"],
        "is a symbolic link",
    ),
    case(
        "out is an unrelated folder",
        |s| s.write("../mine/notes.txt", "mine"),
        &["--out", "../mine"],
        "output folder `../mine` is not empty and is not a previous build of beian-guide",
    ),
    case(
        "out is .git",
        |s| s.write(".git/HEAD", "ref: refs/heads/main\n"),
        &["--out", ".git"],
        "output folder `.git` is the git repository `.git`",
    ),
    case(
        "out inside .git",
        |s| s.write(".git/HEAD", "ref: refs/heads/main\n"),
        &["--out", ".git/site"],
        "lies inside the git repository `.git`",
    ),
    case(
        "previous build holds a foreign file",
        |s| s.write("public/CNAME", "example.org\n"),
        &[],
        "holds `CNAME`, which the previous build did not write",
    ),
    case(
        "forged marker",
        |s| s.write("../forged/.beian-guide-build", "not the header\n"),
        &["--out", "../forged"],
        "is not a previous build",
    ),
    // File names and clashes.
    case(
        "backslash in a page name",
        |s| page_named(s, "content/guides/..\\..\\..\\evil.md"),
        &[],
        "contains a backslash",
    ),
    case(
        "backslash in a static name",
        |s| s.write("static/..\\..\\evil.txt", "x"),
        &[],
        "contains a backslash",
    ),
    case(
        "colon in a page name",
        |s| page_named(s, "content/guides/javascript:x.md"),
        &[],
        "contains a colon",
    ),
    case(
        "static robots.txt",
        |s| s.write("static/robots.txt", "User-agent: *\n"),
        &[],
        "static file `static/robots.txt` clashes with the generated `robots.txt`",
    ),
    case(
        "static 404.html",
        |s| s.write("static/404.html", "<p>x</p>"),
        &[],
        "clashes with the generated `404.html`",
    ),
    case(
        "static sitemap.xml",
        |s| s.write("static/sitemap.xml", "<urlset/>"),
        &[],
        "clashes with the generated `sitemap.xml`",
    ),
    case(
        "static page clash",
        |s| s.write("static/guides/access.html", "x"),
        &[],
        "output path `guides/access.html` is also a static or generated file",
    ),
    // Symbolic links in the inputs.
    case(
        "symlinked page",
        |s| symlink("access.md", &s.root.join("content/guides/linked.md")),
        &[],
        "`content/guides/linked.md` is a symbolic link",
    ),
    case(
        "symlinked folder",
        |s| symlink("guides", &s.root.join("content/more")),
        &[],
        "`content/more` is a symbolic link; links in the content folder are not followed",
    ),
    case(
        "symlink loop",
        |s| symlink(".", &s.root.join("content/guides/loop")),
        &[],
        "`content/guides/loop` is a symbolic link",
    ),
    case(
        "symlink outside",
        |s| symlink("/etc", &s.root.join("content/etc")),
        &[],
        "is a symbolic link",
    ),
    case(
        "symlinked static file",
        |s| symlink("/etc/passwd", &s.root.join("static/passwd")),
        &[],
        "links in the static folder are not followed",
    ),
    // URLs from front matter and config.
    case(
        "javascript source",
        |s| source(s, "javascript:alert(1)"),
        &[],
        "bad source URL: URL `javascript:alert(1)` uses the scheme `javascript:`",
    ),
    case(
        "spaced mixed-case source",
        |s| source(s, "  JaVaScRiPt:alert(1)"),
        &[],
        "uses the scheme `javascript:`",
    ),
    case(
        "data source",
        |s| source(s, "data:text/html,<b>x</b>"),
        &[],
        "uses the scheme `data:`",
    ),
    case(
        "source at its line",
        |s| source(s, "vbscript:x"),
        &[],
        "--> content/guides/bad.md:4",
    ),
    case(
        "javascript edit link",
        |s| {
            replace(
                s,
                "book.toml",
                "https://example.invalid/edit/main/content/{path}",
                "javascript:alert('{path}')",
            )
        },
        &[],
        "`edit-url-template`: URL `javascript:alert('{path}')` uses the scheme `javascript:`",
    ),
    case(
        "javascript base-url",
        |s| {
            replace(
                s,
                "book.toml",
                "https://example.org/guide",
                "javascript:alert(1)//",
            )
        },
        &[],
        "`base-url` must be an absolute http(s) URL, found `javascript:alert(1)//`",
    ),
    case(
        "base-url with a query",
        |s| {
            replace(
                s,
                "book.toml",
                "https://example.org/guide",
                "https://example.org/?x",
            )
        },
        &[],
        "`base-url` must not have a query or fragment",
    ),
    case(
        "--base-url javascript",
        nothing,
        &["--base-url", "javascript:alert(1)"],
        "`--base-url` must be an absolute http(s) URL, found `javascript:alert(1)`",
    ),
    case(
        "--base-url not a url",
        nothing,
        &["--base-url", "not a url"],
        "`--base-url` must be an absolute http(s) URL, found `not a url`",
    ),
    case(
        "--base-url breaking out",
        nothing,
        &["--base-url", "https://x.org/\"><script>alert(1)</script>"],
        "`--base-url` must be an absolute http(s) URL",
    ),
    case(
        "--base-url without host",
        nothing,
        &["--base-url", "https:///x"],
        "`--base-url` must be an absolute http(s) URL",
    ),
    // URLs and markup in Markdown.
    case(
        "javascript link",
        |s| page(s, "[x](javascript:alert(1))"),
        &[],
        "bad link: URL `javascript:alert(1)` uses the scheme `javascript:`",
    ),
    case(
        "link at its line",
        |s| page(s, "[x](JAVASCRIPT:alert(1))"),
        &[],
        "--> content/guides/bad.md:7",
    ),
    case(
        "entity-hidden scheme",
        |s| page(s, "[x](java&#9;script:alert(1))"),
        &[],
        "contains the control character",
    ),
    case(
        "autolink",
        |s| page(s, "<javascript:alert(1)>"),
        &[],
        "uses the scheme `javascript:`",
    ),
    case(
        "reference link",
        |s| page(s, "[x][r]\n\n[r]: vbscript:msgbox(1)"),
        &[],
        "uses the scheme `vbscript:`",
    ),
    case(
        "file link",
        |s| page(s, "[x](file:///etc/passwd)"),
        &[],
        "uses the scheme `file:`",
    ),
    case(
        "javascript image",
        |s| page(s, "![x](javascript:alert(1))"),
        &[],
        "bad image URL",
    ),
    case(
        "data image",
        |s| page(s, "![x](data:image/svg+xml;base64,PHN2Zz4=)"),
        &[],
        "bad image URL: URL `data:image/svg+xml;base64,PHN2Zz4=` uses the scheme `data:`",
    ),
    case(
        "raw script block",
        |s| page(s, "<script>alert(1)</script>"),
        &[],
        "raw HTML `<script>alert(1)</script>` is not allowed in pages",
    ),
    case(
        "raw inline link",
        |s| page(s, "点<a href=\"javascript:x\">这里</a>"),
        &[],
        "raw HTML `<a href=\"javascript:x\">` is not allowed",
    ),
    case(
        "raw html after a comment",
        |s| page(s, "<!-- note -->\n<iframe src=\"https://x.org\"></iframe>"),
        &[],
        "raw HTML `<iframe",
    ),
    // HTML comments end where a browser ends them (issue 22, item 1).
    case(
        "comment ended by --!>",
        |s| page(s, "<!-- note --!><img src=x onerror=alert(1)> -->"),
        &[],
        "bad.md:7\n  |\n7 | <!-- note --!><img src=x onerror=alert(1)> -->",
    ),
    case(
        "comment ended by --!> says why",
        |s| page(s, "<!-- note --!><img src=x onerror=alert(1)> -->"),
        &[],
        "HTML comment ends early at `--!>`: browsers show what follows it",
    ),
    case(
        "inline comment <!-->",
        |s| page(s, "文字<!--><meta http-equiv=refresh content=\"0;url=https://x.org/\"> -->"),
        &[],
        "HTML comment ends early at `<!-->`",
    ),
    case(
        "block comment <!--->",
        |s| page(s, "<!---><img src=x onerror=alert(1)> -->"),
        &[],
        "HTML comment ends early at `<!--->`",
    ),
    case(
        "unclosed comment",
        |s| page(s, "<!-- the rest of the page"),
        &[],
        "HTML comment `<!--` is not closed",
    ),
    // Names that are one file on macOS and Windows (item 4).
    case(
        "names differing in case",
        |s| {
            page_named(s, "content/guides/Notes.md");
            page_named(s, "content/guides/notes.md");
        },
        &[],
        "`content/guides/Notes.md` and `content/guides/notes.md` differ only in letter case or in how an accented letter is encoded",
    ),
    case(
        "folders differing in case",
        |s| {
            page_named(s, "content/Guides/_index.md");
            page_named(s, "content/Guides/x.md");
        },
        &[],
        "`content/Guides` and `content/guides` differ only in letter case",
    ),
    case(
        "NFC and NFD twins",
        |s| {
            page_named(s, "content/guides/caf\u{e9}.md");
            page_named(s, "content/guides/cafe\u{301}.md");
        },
        &[],
        "`content/guides/cafe\u{301}.md` and `content/guides/caf\u{e9}.md` differ only",
    ),
    // Output paths the file system refuses, named by their source (item 5).
    case(
        "file name too long for its output",
        |s| page_named(s, &format!("content/guides/{}.md", "长".repeat(83))),
        &[],
        "a file name of 254 bytes; file systems allow 255",
    ),
    case(
        "slug too long for its output",
        |s| {
            s.write(
                "content/guides/bad.md",
                &format!("+++\ntitle = \"x\"\nslug = \"{}\"\n+++\n", "a".repeat(250)),
            )
        },
        &[],
        "content/guides/bad.md:3",
    ),
    case(
        "content folder named like an edition",
        |s| {
            replace(s, "book.toml", "[checker]", "[languages.en]\ntitle = \"Test\"\n\n[checker]");
            page_named(s, "content/en/_index.md");
            page_named(s, "content/en/x.md");
        },
        &[],
        "`content/en/_index.md` is written to `en/index.html`, inside the folder of the `en` edition (2 page(s)",
    ),
    // Names and settings that were silently misread (item 6).
    case(
        "language suffix in capitals",
        |s| page_named(s, "content/guides/access.EN.md"),
        &[],
        "rename it to `access.en.md` if it is the `en` translation",
    ),
    case(
        "book language is a path",
        |s| replace(s, "book.toml", "language = \"zh-CN\"", "language = \"../../book\""),
        &[],
        "book.toml:4\n  |\n4 | language = \"../../book\"\n  = help: set a language tag",
    ),
    // Text that breaks the feed or a terminal (items 8, 9).
    case(
        "control character in a title",
        |s| s.write("content/guides/bad.md", "+++\ntitle = \"a\\u000Bb\"\n+++\n"),
        &[],
        "`title` contains the control character U+000B",
    ),
    case(
        "backspace in a description",
        |s| s.write("content/guides/bad.md", "+++\ntitle = \"x\"\ndescription = \"a\\bb\"\n+++\n"),
        &[],
        "content/guides/bad.md:3",
    ),
    case(
        "escape sequences in a quoted source line",
        |s| page(s, "<b>\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m</b>"),
        &[],
        "7 | <b>\u{241b}]0;owned\u{2407}\u{241b}[2J\\u{9b}31m</b>",
    ),
    case(
        "escape sequence in a file name",
        |s| s.write("content/guides/\u{1b}[2J.md", "no front matter\n"),
        &[],
        "--> content/guides/\u{241b}[2J.md",
    ),
    // Images are checked like links (item 14).
    case(
        "image of a missing file",
        |s| page(s, "![图](missing.png)"),
        &[],
        "broken image `missing.png`: no file `guides/missing.png` is generated",
    ),
    case(
        "image of a missing file says where to put it",
        |s| page(s, "![图](missing.png)"),
        &[],
        "bad.md:7\n  |\n7 | ![图](missing.png)\n  = help: put the image in the static folder as `guides/missing.png`",
    ),
    case(
        "image climbing out of the site",
        |s| page(s, "![图](../../../../../etc/passwd)"),
        &[],
        "broken image `../../../../../etc/passwd`: it points outside the site",
    ),
    case(
        "image at an absolute path",
        |s| page(s, "![图](/etc/passwd)"),
        &[],
        "absolute image path `/etc/passwd` breaks when the site is served from a sub-path",
    ),
    // The chain picture's data (item 12): a label that overflows its box, a blank title.
    case(
        "chain step label wider than its box",
        |s| chain(s, "label = \"接入核查\"", &format!("label = \"{}\"", "接入核查".repeat(26))),
        &[],
        "step `access-check`: the label is 208 columns wide, more than the box holds (20; a Chinese character is 2)",
    ),
    case(
        "chain step label at its line",
        |s| chain(s, "label = \"接入核查\"", &format!("label = \"{}\"", "接入核查".repeat(26))),
        &[],
        "--> content/checker/chain.toml:",
    ),
    case(
        "blank chain title",
        |s| chain(s, "title = \"服务器到期以后，备案可能经历的几步\"", "title = \"  \""),
        &[],
        "the chain's `title` is empty",
    ),
    case(
        "blank chain title at its line",
        |s| chain(s, "title = \"服务器到期以后，备案可能经历的几步\"", "title = \"  \""),
        &[],
        "--> content/checker/chain.toml:16\n   |\n16 | title = \"  \"",
    ),
    // Careless input that was already refused: still a clear message, still nothing touched.
    case(
        "unknown book.toml key",
        |s| replace(s, "book.toml", "[book]", "[book]\ntitel = \"x\""),
        &[],
        "unknown field `titel`",
    ),
    case(
        "unclosed front matter",
        |s| s.write("content/guides/bad.md", "+++\ntitle = \"x\"\n"),
        &[],
        "front matter is not closed",
    ),
    case(
        "slug with a slash",
        |s| {
            s.write(
                "content/guides/bad.md",
                "+++\ntitle = \"x\"\nslug = \"../../x\"\n+++\n",
            )
        },
        &[],
        "invalid `slug` `../../x`",
    ),
    case(
        "missing templates folder",
        |s| {
            s.write(
                "book.toml",
                &format!(
                    "{}\n[build]\ntemplates = \"nope\"\n",
                    std::fs::read_to_string(s.root.join("book.toml")).unwrap()
                ),
            )
        },
        &[],
        "templates folder `nope` does not exist",
    ),
];

/// The repository's chain picture data with `from` replaced by `to`, in the fixture's rules
/// folder.
fn chain(site: &Fixture, from: &str, to: &str) {
    let text =
        std::fs::read_to_string(crate::common::repo_root().join("content/checker/chain.toml"))
            .unwrap();
    assert!(text.contains(from), "chain.toml has no `{from}`");
    site.write("content/checker/chain.toml", &text.replacen(from, to, 1));
}

fn page_named(site: &Fixture, rel: &str) {
    site.write(rel, "+++\ntitle = \"坏\"\n+++\n\n正文\n");
}

/// Runs one case in its own fixture; what went wrong, if anything.
fn bad_input(c: &Case) -> Option<String> {
    let site = Fixture::new("basic");
    let first = build_in(&site.root, &[]);
    assert_eq!(
        first.code, 0,
        "{}: first build failed: {}",
        c.name, first.stderr
    );
    (c.setup)(&site);
    let world = site.root.parent().unwrap();
    let before = snapshot(world);
    let out = build_in(&site.root, c.args);
    let after = snapshot(world);
    let mut problems = Vec::new();
    if out.code != 1 {
        problems.push(format!("exit code {}", out.code));
    }
    if !out.stderr.contains(c.message) {
        problems.push(format!("message without `{}`", c.message));
    }
    if out.stderr.contains("panicked") {
        problems.push("panicked".to_owned());
    }
    if before != after {
        let changed: Vec<&String> = before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .collect();
        problems.push(format!("files changed: {changed:?}"));
    }
    (!problems.is_empty()).then(|| format!("{}: {}\n{}", c.name, problems.join("; "), out.stderr))
}

#[test]
fn bad_input_table() {
    assert!(CASES.len() >= 40, "{} cases", CASES.len());
    // Each case has its own fixture folder: they run side by side (two builds each, mostly
    // waiting on process start-up and the file system).
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get() + 1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut failed = Vec::new();
                    while let Some(c) =
                        CASES.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                    {
                        failed.extend(bad_input(c));
                    }
                    failed
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}

#[test]
fn a_rebuild_replaces_only_what_the_previous_build_wrote() {
    let site = Fixture::new("basic");
    assert_eq!(build_in(&site.root, &[]).code, 0);
    let marker = site.output(".beian-guide-build");
    assert!(marker.contains("\nindex.html\n"), "{marker}");
    assert!(marker.contains("\nfiles/note.txt\n"), "{marker}");
    // A page removed from the sources disappears from the next build.
    site.remove("content/reference/glossary.md");
    replace(
        &site,
        "content/guides/access.md",
        "、[术语](../reference/glossary.md)",
        "",
    );
    let second = build_in(&site.root, &[]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(!site.out().join("reference/glossary.html").exists());
    assert!(site.out().join("index.html").is_file());
    // An empty folder given as the output is used.
    let empty = site.root.join("../empty");
    std::fs::create_dir_all(&empty).unwrap();
    let third = build_in(&site.root, &["--out", "../empty"]);
    assert_eq!(third.code, 0, "{}", third.stderr);
    assert!(empty.join("index.html").is_file());
}

#[test]
fn crashed_builds_leave_nothing_behind_after_the_next_build() {
    let site = Fixture::new("basic");
    let parent = site.root.clone();
    // Left by killed builds (no process has such a pid), and one folder that is not ours.
    site.write("public.tmp-4000000000/.beian-guide-build", "beian-guide build output: replaced by the next build; only the files listed here are ever deleted\n");
    site.write("public.tmp-4000000000/index.html", "half");
    site.write("public.old-4000000001/.beian-guide-build", "beian-guide build output: replaced by the next build; only the files listed here are ever deleted\nindex.html\n");
    site.write("public.old-4000000001/index.html", "old");
    site.write("public.tmp-4000000002/mine.txt", "not a build");
    let out = build_in(&site.root, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!parent.join("public.tmp-4000000000").exists());
    assert!(!parent.join("public.old-4000000001").exists());
    assert!(parent.join("public.tmp-4000000002/mine.txt").is_file());
    let left: Vec<String> = std::fs::read_dir(&parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("public."))
        .collect();
    assert_eq!(left, ["public.tmp-4000000002"]);
}

#[test]
fn a_failed_build_keeps_the_previous_output_and_removes_its_staging_folder() {
    let site = Fixture::new("basic");
    assert_eq!(build_in(&site.root, &[]).code, 0);
    let before = snapshot(&site.out());
    page(&site, "[x](nope.md)");
    let out = build_in(&site.root, &[]);
    assert_eq!(out.code, 1);
    assert_eq!(before, snapshot(&site.out()));
    assert!(std::fs::read_dir(&site.root).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .starts_with("public.")));
}

/// A string that would become live markup, attributes or script wherever it is not escaped.
const HOSTILE: &str = "\"'><svg onload=alert(1)></script><!--";

/// The same as Markdown text (raw HTML in pages is refused, so the `<` are escaped).
const MD_HOSTILE: &str = "\"'>\\<svg onload=alert(1)>\\</script>\\<!--";

#[test]
fn input_strings_are_escaped_in_every_output_kind() {
    let site = Fixture::new("basic").with_repo_theme();
    let book = std::fs::read_to_string(site.root.join("book.toml")).unwrap();
    let book = book
        .replace("title = \"测试站点\"", &format!("title = {HOSTILE:?}"))
        .replace(
            "description = \"集成测试用的小站点\"",
            &format!("description = {HOSTILE:?}"),
        )
        .replace("authors = [\"测试\"]", &format!("authors = [{HOSTILE:?}]"))
        .replace(
            "https://example.invalid/edit/main/content/{path}",
            "https://git.beian.test.cn/edit/{path}",
        );
    site.write("book.toml", &book);
    // A folder and a page named with markup, with hostile front matter and body.
    site.write(
        "content/<svg onload=alert(1)>/_index.md",
        &format!("+++\ntitle = {HOSTILE:?}\ndescription = {HOSTILE:?}\n+++\n\n正文\n"),
    );
    site.write(
        "content/<svg onload=alert(1)>/\"'><svg onload=alert(2)>.md",
        &format!(
            "+++\ntitle = {HOSTILE:?}\ndescription = {HOSTILE:?}\ndate = 2025-01-01\nsources = [{{ title = {HOSTILE:?}, url = \"https://x.org/?a=\\\"><svg onload=alert(3)>\" }}]\n[extra]\nfaq = true\n+++\n\n## {MD_HOSTILE}\n\n答{MD_HOSTILE}[^a]\n\n[^a]: 注\n\n`{HOSTILE}`\n"
        ),
    );
    let out = build_in(&site.root, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let files = beian_guide::list_output(&site.out());
    let mut kinds = std::collections::BTreeSet::new();
    let mut search_text = String::new();
    for f in &files {
        let bytes = std::fs::read(site.out().join(f)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let kind = f.rsplit('.').next().unwrap().to_owned();
        match kind.as_str() {
            "html" => {
                for live in [
                    "<svg onload",
                    "\" onload=",
                    "'><svg",
                    "<!--\"",
                    "</script><!--",
                ] {
                    assert!(!text.contains(live), "{f}: raw `{live}`");
                }
                // JSON-LD cannot be closed early.
                for block in text.split("<script type=\"application/ld+json\">").skip(1) {
                    let json = &block[..block.find("</script>").unwrap()];
                    assert!(!json.contains('<'), "{f}: `<` in JSON-LD");
                    serde_json::from_str::<serde_json::Value>(json).unwrap();
                }
                // Every id and href attribute value is free of quotes and angle brackets.
                for attr in [" id=\"", " href=\""] {
                    for part in text.split(attr).skip(1) {
                        let value = &part[..part.find('"').unwrap()];
                        assert!(!value.contains(['<', '>', '\'']), "{f}: {attr}{value}");
                    }
                }
            }
            "xml" => {
                let doc = roxmltree::Document::parse(&text).unwrap();
                assert!(
                    doc.descendants().all(|n| n.tag_name().name() != "svg"),
                    "{f}: markup from input became XML elements"
                );
            }
            "js" if f.starts_with("search/") => {
                // Each file assigns one JSON literal: no input string can break out of it
                // into code.
                let json = text
                    .split_once("]=")
                    .and_then(|(_, t)| t.strip_suffix(";\n"))
                    .unwrap_or_else(|| panic!("{f}: not one assignment"));
                let v: serde_json::Value = serde_json::from_str(json)
                    .unwrap_or_else(|e| panic!("{f}: not one JSON literal: {e}"));
                search_text.push_str(&v.to_string());
            }
            _ => {}
        }
        kinds.insert(kind);
    }
    assert!(
        search_text.contains("svg onload=alert(1)"),
        "the search index does not hold the hostile title"
    );
    for kind in ["html", "xml", "txt"] {
        assert!(kinds.contains(kind), "no {kind} output checked: {files:?}");
    }
    let print = std::fs::read_to_string(site.out().join("print.html")).unwrap();
    assert!(
        print.contains("id=\"p-~3Csvg~20onload~3Dalert~281~29~3E-index\""),
        "print anchors"
    );
    let feed = std::fs::read_to_string(site.out().join("atom.xml")).unwrap();
    assert!(feed.contains("&lt;svg onload=alert(1)&gt;"), "{feed}");
    // An edit link with a real host is shown, its path percent-encoded.
    let page = std::fs::read_to_string(site.out().join("guides/access.html")).unwrap();
    assert!(
        page.contains("<a href=\"https://git.beian.test.cn/edit/guides/access.md\">编辑本页</a>"),
        "{page}"
    );
    let hostile = std::fs::read_to_string(
        site.out()
            .join("%3Csvg%20onload%3Dalert%281%29%3E/index.html"),
    );
    assert!(
        hostile.is_err(),
        "output paths are the file names, not their URL encoding"
    );
    let section =
        std::fs::read_to_string(site.out().join("<svg onload=alert(1)>/index.html")).unwrap();
    assert!(
        section.contains(
            "href=\"https://git.beian.test.cn/edit/%3Csvg%20onload%3Dalert%281%29%3E/_index.md\""
        ),
        "{section}"
    );
}

#[test]
fn edit_links_and_the_print_origin_show_only_real_hosts() {
    let site = Fixture::new("basic").with_repo_theme();
    replace(
        &site,
        "book.toml",
        "https://example.invalid/edit/main/content/{path}",
        "https://codeberg.org/beian/guide/_edit/main/content/{path}",
    );
    assert_eq!(build_in(&site.root, &[]).code, 0);
    let page = site.output("guides/access.html");
    assert!(page.contains(
        "<a href=\"https://codeberg.org/beian/guide/_edit/main/content/guides/access.md\">编辑本页</a>"
    ));
    // base-url is https://example.org/guide/: a placeholder, never shown to a reader.
    let print = site.output("print.html");
    assert!(
        !print.contains("example.org"),
        "print.html names the placeholder host"
    );
    let notfound = site.output("404.html");
    assert!(
        !notfound.contains("example.org"),
        "404.html names the placeholder host"
    );
    let out = build_in(&site.root, &["--base-url", "https://beian.guide.cn/"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(site
        .output("print.html")
        .contains("网页版：<a href=\"https://beian.guide.cn/\">"));
}

/// The W3C Nu HTML checker over every page of the real site: zero errors.
#[test]
fn every_built_page_is_valid_html() {
    let Some(java) = java() else { return };
    let suite = crate::common::repo_root().join("tests/browser");
    crate::browser::npm_ci(&suite);
    let jar = suite.join("node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(jar.is_file(), "{} is missing after npm ci", jar.display());
    let site = crate::common::built_repo_site();
    let pages = beian_guide::list_output(site)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .count();
    assert!(pages >= 15, "only {pages} pages built");
    let mut cmd = Command::new(java);
    cmd.arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "text"])
        .arg(site);
    let out = run(cmd);
    assert_eq!(
        out.code, 0,
        "the Nu HTML checker found errors in the built pages:\n{}{}",
        out.stdout, out.stderr
    );
}

fn java() -> Option<&'static str> {
    let found = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some("java");
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("java is required for the HTML validity test under CI=true; install it (apt-get install -y openjdk-17-jre-headless)");
    }
    eprintln!("note: java not found; skipping the HTML validity test (it fails under CI=true)");
    None
}

/// A rebuild links the files the previous build wrote with the same bytes instead of writing
/// them again: what comes out is the same as a fresh build, every file is a plain file with one
/// name, and a file changed or replaced by a link in the old output is written afresh.
#[cfg(unix)]
#[test]
fn a_rebuild_reuses_only_unchanged_plain_files() {
    use std::os::unix::fs::MetadataExt;
    let site = Fixture::new("basic");
    site.build().unwrap();
    let out = site.out();
    let fresh = snapshot(&out);
    // Tampered in place with the same length, and replaced by a link to an outside file that
    // holds the same bytes: neither may be reused.
    let access = out.join("guides/access.html");
    let mut tampered = std::fs::read(&access).unwrap();
    tampered[0] = b'X';
    std::fs::write(&access, &tampered).unwrap();
    let renewal = out.join("guides/renewal.html");
    let outside = site.root.parent().unwrap().join("outside.html");
    std::fs::copy(&renewal, &outside).unwrap();
    std::fs::remove_file(&renewal).unwrap();
    std::os::unix::fs::symlink(&outside, &renewal).unwrap();
    site.build().unwrap();
    assert_eq!(
        snapshot(&out),
        fresh,
        "a rebuild differs from the fresh build"
    );
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        let meta = std::fs::symlink_metadata(e.path()).unwrap();
        if !meta.is_dir() {
            assert!(meta.file_type().is_file(), "{}", e.path().display());
            assert_eq!(meta.nlink(), 1, "{} shares its data", e.path().display());
        }
    }
    assert_eq!(std::fs::symlink_metadata(&outside).unwrap().nlink(), 1);
    // A changed page is written with its new text.
    site.write(
        "content/guides/renew.md",
        "+++\ntitle = \"续费\"\nslug = \"renewal\"\nweight = 1\n+++\n\n## 新标题 {#keep}\n\n新的正文。\n",
    );
    site.build().unwrap();
    assert!(site.output("guides/renewal.html").contains("新的正文。"));
    assert!(!site.output("guides/renewal.html").contains("回到"));
}

// Issue 22 (hardening, round three): what is accepted must come out right.

/// Every relative `href`/`src` in the built HTML files, with the file it is in.
fn relative_urls(out: &Path) -> Vec<(String, String)> {
    let re = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    let mut urls = Vec::new();
    for e in walkdir::WalkDir::new(out) {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(out)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(e.path()).unwrap();
        for c in re.captures_iter(&text) {
            let url = c[1].to_owned();
            if !url.is_empty()
                && !url.starts_with('#')
                && !url.contains(':')
                && !url.starts_with('/')
            {
                urls.push((rel.clone(), url));
            }
        }
    }
    urls
}

#[test]
fn html_comments_never_reach_the_page() {
    let site = Fixture::new("basic");
    page(
        &site,
        "段落<!-- inline note -->继续\n\n<!-- block note\nsecond line -->",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = site.output("guides/bad.html");
    assert!(html.contains("段落继续"), "{html}");
    assert!(!html.contains("note"), "{html}");
}

#[test]
fn pages_named_with_url_characters_get_links_that_resolve() {
    let site = Fixture::new("basic");
    for name in ["q#frag", "why?", "%E4%B8%AD", "空 格"] {
        page_named(&site, &format!("content/guides/{name}.md"));
    }
    site.write(
        "content/guides/links.md",
        "+++\ntitle = \"链接\"\n+++\n\n[a](q%23frag.md) [b](why%3F.md) [c](%25E4%25B8%25AD.md) [d](空%20格.md) [e](<空 格.md>)\n",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let urls = relative_urls(&site.out());
    assert!(urls.iter().any(|(_, u)| u == "q%23frag.html"), "{urls:?}");
    let mut broken = Vec::new();
    for (file, url) in &urls {
        let path = url.split(['#', '?']).next().unwrap();
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .unwrap();
        let dir = site.out().join(file);
        let target = dir.parent().unwrap().join(decoded.as_ref());
        if !target.exists() {
            broken.push(format!("{file}: {url}"));
        }
    }
    assert!(broken.is_empty(), "{} broken: {broken:#?}", broken.len());
}

#[test]
fn a_chinese_base_url_is_written_as_an_ascii_url() {
    let site = Fixture::new("basic");
    let out = site.run(&["build", "--base-url", "https://备案指南。中国/指南"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Python: '备案指南'.encode('punycode') == b'6kr35kpvjynf'; `.中国` is `xn--fiqs8s`.
    let base = "https://xn--6kr35kpvjynf.xn--fiqs8s/%E6%8C%87%E5%8D%97/";
    let robots = site.output("robots.txt");
    assert!(
        robots.contains(&format!("Sitemap: {base}sitemap.xml")),
        "{robots}"
    );
    let sitemap = site.output("sitemap.xml");
    assert!(
        sitemap.contains(&format!("<loc>{base}index.html</loc>")),
        "{sitemap}"
    );
    assert!(sitemap.is_ascii() && robots.is_ascii());
}

#[test]
fn cr_only_pages_and_templates_with_a_byte_order_mark_build() {
    let site = Fixture::new("basic");
    site.write(
        "content/guides/mac.md",
        "+++\rtitle = \"旧式换行\"\r+++\r\r第一段\r\r## 小节\r\r第二段\r",
    );
    let page = std::fs::read_to_string(site.root.join("templates/page.html")).unwrap();
    site.write("templates/page.html", &format!("\u{feff}{page}"));
    let out = site.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = site.output("guides/mac.html");
    assert!(html.contains("<h2") && html.contains("第二段"), "{html}");
    assert!(
        !html.contains('\u{feff}'),
        "the mark is written into the page"
    );
}

#[test]
fn check_strict_refuses_direction_controls_and_a_future_source_updated() {
    let site = Fixture::new("i18n");
    replace(
        &site,
        "content/guides/renew.en.md",
        "source-updated = 2026-12-01",
        "source-updated = 2099-01-01",
    );
    replace(
        &site,
        "content/guides/renew.md",
        "+++\ntitle = \"",
        "+++\ntitle = \"\u{202e}",
    );
    let out = site.run(&["check", "--strict", "--today", "2026-12-07"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    for text in [
        "`source-updated` is 2099-01-01, which is after today (2026-12-07)",
        "--> content/guides/renew.en.md:5",
        "`title` contains the invisible direction control U+202E",
        "--> content/guides/renew.md:2",
        // The line itself is quoted with the control made visible.
        "title = \"\\u{202e}",
    ] {
        assert!(out.stderr.contains(text), "no `{text}` in:\n{}", out.stderr);
    }
    assert!(!out.stderr.contains('\u{202e}'), "{}", out.stderr);
}

#[test]
fn check_json_keeps_every_diagnostic_beside_a_name_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let site = Fixture::new("basic");
    let name = std::ffi::OsStr::from_bytes(b"bad\xff.md");
    std::fs::write(site.root.join("content/guides").join(name), "x").unwrap();
    replace(
        &site,
        "content/guides/renew.md",
        "(access.md)",
        "(acess.md)",
    );
    let out = site.run(&["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let files: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert!(
        files.contains(&"content/guides/bad\u{fffd}.md"),
        "{files:?}"
    );
    assert!(files.contains(&"content/guides/renew.md"), "{files:?}");
}

#[test]
fn a_closed_or_full_output_ends_quietly_with_the_usual_exit_code() {
    use std::io::Read;
    let site = Fixture::new("basic");
    // Lots of diagnostics, so the JSON outgrows the pipe's buffer.
    let links = "[x](nope.md) ".repeat(4000);
    page(&site, &links);
    let mut child = bin()
        .args(["check", "--format", "json", "--root"])
        .arg(&site.root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // `| head -c 10`: read a little, then close the pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 10];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = bin()
        .args(["new", "guides/full.md", "--root"])
        .arg(&site.root)
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("cannot write to standard output"),
        "{stderr}"
    );
    assert!(site.root.join("content/guides/full.md").is_file());
}

#[test]
fn new_writes_only_what_the_build_accepts_inside_the_site() {
    let site = Fixture::new("basic");
    let outside = site.root.parent().unwrap().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    symlink(outside.to_str().unwrap(), &site.root.join("content/linked"));
    let cases: [(&[&str], &str); 6] = [
        (
            &["linked/page.md"],
            "`content/linked` is a symbolic link; `new` does not write through links",
        ),
        (&["guides/renew.en.md"], "is named like a `en` translation"),
        (&["guides/x.fr.md"], "is named like a `fr` translation"),
        (&["guides/x.old.md"], "is named like a `old` translation"),
        (&["guides/y.md", "--title", "  "], "`title` is empty"),
        (
            &["guides/y.md", "--title", "a\u{1b}]0;x\u{7}"],
            "`title` contains the control character U+001B",
        ),
    ];
    for (args, message) in cases {
        let before = snapshot(site.root.parent().unwrap());
        let out = bin()
            .arg("new")
            .args(args)
            .arg("--root")
            .arg(&site.root)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(message),
            "{args:?}: no `{message}` in {stderr}"
        );
        assert!(!stderr.contains('\u{1b}'), "{stderr}");
        assert_eq!(
            before,
            snapshot(site.root.parent().unwrap()),
            "{args:?} wrote"
        );
    }
    std::fs::remove_file(site.root.join("content/linked")).unwrap();
    let out = bin()
        .args(["new", "guides/fine.md", "--title", "好", "--root"])
        .arg(&site.root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(site.run(&["build"]).code, 0);
}
