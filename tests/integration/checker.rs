//! The checker's generator side: `beian-guide classify` end to end (exit codes, stdin and file
//! input, link URLs), and loading the rules data (located diagnostics, link check, template
//! context).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use beian_guide::checker::{load_rules, validate_preset};
use beian_guide::classify::classify_command;
use serde_json::{json, Value};

use crate::common::{self, Run};

const RULES: &str = "content/checker/rules.toml";

/// Runs `beian-guide classify <args> --root <repo>` with `stdin` as standard input.
fn classify(args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_beian-guide"))
        .arg("classify")
        .args(args)
        .arg("--root")
        .arg(common::repo_root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn temp_file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input.json");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

const EXAMPLE: &str =
    r#"{"today": "2026-10-20", "serverExpiry": "2026-11-05", "provider": "aliyun"}"#;

#[test]
fn classify_stdin_prints_the_output_and_exits_0() {
    for args in [&[][..], &["-"][..]] {
        let run = classify(args, EXAMPLE);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(run.stderr, "");
        let out: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(out["today"], json!("2026-10-20"));
        let r = &out["results"][0];
        assert_eq!(
            (
                &r["axis"],
                &r["state"],
                &r["severity"],
                &r["days"],
                &r["deadline"]
            ),
            (
                &json!("filing"),
                &json!("SERVER_EXPIRING_SOON"),
                &json!("warning"),
                &json!(16),
                &json!("2026-11-05")
            )
        );
        assert_eq!(out["warnings"], json!([]));
        assert_eq!(out["errors"], json!([]));
        // Pretty-printed, one object.
        assert!(run.stdout.starts_with("{\n  \"today\""), "{}", run.stdout);
    }
}

#[test]
fn classify_file_gives_the_same_output_with_site_urls() {
    let (_dir, path) = temp_file(EXAMPLE);
    let run = classify(&[path.to_str().unwrap()], "");
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, classify(&[], EXAMPLE).stdout);
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    let hrefs: Vec<&str> = out["results"][0]["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["href"].as_str().unwrap())
        .collect();
    assert!(!hrefs.is_empty());
    for href in &hrefs {
        assert!(href.ends_with(".html") || href.contains(".html#"), "{href}");
        assert!(!href.starts_with('/') && !href.starts_with(".."), "{href}");
    }
    assert!(hrefs.contains(&"guides/renewal.html"), "{hrefs:?}");
}

#[test]
fn classify_invalid_input_exits_1_and_prints_the_errors() {
    let run = classify(
        &[],
        r#"{"today": "2026-10-20", "serverExpiry": "2026-02-30", "provider": "x", "extra": 1}"#,
    );
    assert_eq!(run.code, 1, "{run:?}");
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    let errors = error_fields(&out);
    assert_eq!(
        errors,
        [
            ("INVALID_VALUE", "provider"),
            ("INVALID_DATE", "serverExpiry"),
            ("INVALID_VALUE", "extra")
        ]
    );
    assert_eq!(out["results"], json!([]));

    let run = classify(&[], r#"{"today": "2026-10-20"}"#);
    assert_eq!(run.code, 1, "{run:?}");
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(out["errors"][0]["code"], json!("NO_INPUT"));
}

#[test]
fn classify_usage_errors_exit_2_with_one_line() {
    let cases = [
        (
            "not json",
            "nope",
            "error: stdin: input is not valid json: ",
        ),
        ("empty", "", "error: stdin: input is not valid json: "),
        (
            "array",
            "[]",
            "error: stdin: input must be a json object like {\"serverExpiry\": \"2026-11-05\"}\n",
        ),
        ("number", "42", "error: stdin: input must be a json object"),
    ];
    for (name, stdin, prefix) in cases {
        let run = classify(&[], stdin);
        assert_eq!(run.code, 2, "{name}: {run:?}");
        assert_eq!(run.stdout, "", "{name}");
        assert!(run.stderr.starts_with(prefix), "{name}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{name}: {}", run.stderr);
    }
    let missing = common::repo_root().join("tests/checker-cases/no-such-file.json");
    let run = classify(&[missing.to_str().unwrap()], "");
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.starts_with("error: cannot read "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("no-such-file.json"));
    assert_eq!(run.stderr.lines().count(), 1);
    let (_dir, path) = temp_file("{\"today\": ");
    let run = classify(&[path.to_str().unwrap()], "");
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.starts_with(&format!(
            "error: {}: input is not valid json",
            path.display()
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn classify_settles_the_v3_byte_corners() {
    let file = |bytes: &[u8]| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input.json");
        std::fs::write(&path, bytes).unwrap();
        (dir, path)
    };
    let body = br#"{"today": "2026-10-20", "serverExpiry": "2026-11-05"}"#;
    // A byte order mark at the start is ignored (files saved by Windows editors).
    let (_d, path) = file(&[b"\xEF\xBB\xBF".as_slice(), body].concat());
    let run = classify(&[path.to_str().unwrap()], "");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("SERVER_EXPIRING_SOON"));
    // Exactly 1,048,576 bytes, the byte order mark included, is accepted; one more is not.
    let limit = 1_048_576;
    let padded = |n: usize| {
        let mut v = b"\xEF\xBB\xBF".to_vec();
        v.extend_from_slice(&body[..body.len() - 1]);
        v.resize(n - 1, b' ');
        v.push(b'}');
        v
    };
    let (_d, path) = file(&padded(limit));
    assert_eq!(classify(&[path.to_str().unwrap()], "").code, 0);
    let (_d, path) = file(&padded(limit + 1));
    let run = classify(&[path.to_str().unwrap()], "");
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.stdout, "");
    // Usage errors (exit 2, one line, nothing on stdout): invalid UTF-8, a lone surrogate,
    // more than 128 levels of nesting, a byte order mark after the start.
    let deep = format!("{{\"x\":{}{}}}", "[".repeat(128), "]".repeat(128));
    for (name, bytes) in [
        ("invalid utf-8", b"{\"today\": \"2026-10-20\xff\"}".to_vec()),
        ("lone surrogate", br#"{"x": "\ud800"}"#.to_vec()),
        ("129 levels", deep.into_bytes()),
        ("bom inside", b"{\xEF\xBB\xBF}".to_vec()),
    ] {
        let (_d, path) = file(&bytes);
        let run = classify(&[path.to_str().unwrap()], "");
        assert_eq!(run.code, 2, "{name}: {run:?}");
        assert_eq!(run.stdout, "", "{name}");
        assert_eq!(run.stderr.lines().count(), 1, "{name}: {}", run.stderr);
    }
    // 70,000 distinct unknown keys: every one reported, once, in input order.
    let mut many = String::from("{\"today\": \"2026-10-20\"");
    for i in 0..70_000 {
        many.push_str(&format!(", \"k{i}\": 1"));
    }
    many.push('}');
    let run = classify(&[], &many);
    assert_eq!(run.code, 1);
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    let errors = out["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 70_000);
    assert_eq!(errors[69_999]["field"], json!("k69999"));
    // Integers above 2^64 − 1 are too large, and the message says so.
    let run = classify(
        &[],
        r#"{"today": "2026-10-20", "lang": "en", "planningRefile": true, "serverPurchaseMonths": 18446744073709551616}"#,
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("too large"), "{}", run.stdout);
}

#[test]
fn classify_exit_codes_for_v2_inputs() {
    for (stdin, code) in [
        (r#"{"today": "2026-10-20", "miitLookup": "found"}"#, 0),
        (r#"{"today": "2026-10-20", "accessStatus": "cancelled"}"#, 0),
        (
            r#"{"today": "2026-10-20", "miitLookup": "active_with_provider"}"#,
            1,
        ),
        (r#"{"today": "2026-10-20", "siteOpened": "9999-12-15"}"#, 1),
        (r#"{"today": "2026-10-20", "siteOpened": "2199-12-31"}"#, 0),
        (r#"{"today": "2026-10-20", "noticeReceived": true}"#, 0),
        (
            r#"{"today": "2026-10-20", "noticeReceived": false, "noticeReason": "unreachable"}"#,
            1,
        ),
        (
            r#"{"today": "2026-10-20", "serverPurchaseMonths": 3.0, "planningRefile": true}"#,
            1,
        ),
    ] {
        let run = classify(&[], stdin);
        assert_eq!(run.code, code, "{stdin}: {run:?}");
        let out: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(
            out["errors"].as_array().unwrap().is_empty(),
            code == 0,
            "{stdin}"
        );
        assert_eq!(run.stderr, "", "{stdin}");
    }
}

#[test]
fn classify_duplicate_keys_exit_1_naming_the_key() {
    let text = r#"{"today": "2026-10-20", "serverExpiry": "2026-11-05", "serverExpiry": "2027-11-05", "x": 1, "x": 2}"#;
    let (_dir, path) = temp_file(text);
    for run in [classify(&[], text), classify(&[path.to_str().unwrap()], "")] {
        assert_eq!(run.code, 1, "{run:?}");
        let out: Value = serde_json::from_str(&run.stdout).unwrap();
        let errors = error_fields(&out);
        assert_eq!(
            errors,
            [("INVALID_VALUE", "serverExpiry"), ("INVALID_VALUE", "x")]
        );
        assert_eq!(out["results"], json!([]));
    }
}

#[test]
fn classify_refuses_input_over_one_megabyte_without_reading_it_whole() {
    let limit = usize::try_from(beian_checker::MAX_INPUT_BYTES).unwrap();
    let body = |len: usize| {
        let head = r#"{"today": "2026-10-20", "serverExpiry": "2026-11-05""#;
        let mut s = head.to_owned();
        s.push_str(&" ".repeat(len - head.len() - 1));
        s.push('}');
        assert_eq!(s.len(), len);
        s
    };
    // Exactly 1 MB is accepted, by file and by stdin.
    let (_dir, path) = temp_file(&body(limit));
    assert_eq!(classify(&[path.to_str().unwrap()], "").code, 0);
    assert_eq!(classify(&[], &body(limit)).code, 0);
    // One byte more is a usage error: exit 2, nothing on stdout, one line on stderr.
    let (_dir2, path) = temp_file(&body(limit + 1));
    for run in [
        classify(&[path.to_str().unwrap()], ""),
        classify(&[], &body(limit + 1)),
    ] {
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_eq!(run.stdout, "");
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("larger than 1048576 bytes"),
            "{}",
            run.stderr
        );
    }
    // The command stops reading at the limit: an endless stream ends in the same error
    // instead of filling memory.
    let data = load_rules(common::repo_root(), Path::new(RULES)).unwrap();
    drop(data);
    let mut endless = std::io::repeat(b' ');
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = classify_command(common::repo_root(), None, &mut endless, &mut out, &mut err);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.starts_with("error: stdin: input is larger than"),
        "{err}"
    );
    // Not UTF-8: a usage error too, saying where.
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = classify_command(
        common::repo_root(),
        None,
        &mut &b"{\"today\": \"\xff\"}"[..],
        &mut out,
        &mut err,
    );
    assert_eq!(code, 2);
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.contains("not valid UTF-8") && err.contains("offset 11"),
        "{err}"
    );
}

#[test]
fn classify_command_without_a_rules_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = classify_command(
        dir.path(),
        None,
        &mut EXAMPLE.as_bytes(),
        &mut out,
        &mut err,
    );
    assert_eq!(code, 2);
    assert!(out.is_empty());
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("cannot read the checker rules"), "{err}");
}

#[test]
fn classify_matches_the_library_for_every_shared_case() {
    // The command adds only I/O and URL rewriting around the core: same states, days,
    // deadlines, errors and warnings as the core for the whole parity case table.
    let cases: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(common::repo_root().join("tests/checker-cases/cases.json"))
            .unwrap(),
    )
    .unwrap();
    let data = load_rules(common::repo_root(), Path::new(RULES)).unwrap();
    let today = beian_checker::parse_date("2026-10-20").unwrap();
    for case in cases
        .iter()
        .filter(|c| c["input"]["today"].is_string())
        .step_by(7)
    {
        let input = case["input"].to_string();
        let mut out = Vec::new();
        let mut err = Vec::new();
        let code = classify_command(
            common::repo_root(),
            None,
            &mut input.as_bytes(),
            &mut out,
            &mut err,
        );
        let lib = beian_checker::classify_json(&input, data.rules(), today).unwrap();
        assert_eq!(code, lib.exit_code(), "{}", case["name"]);
        let cli: beian_checker::Output = serde_json::from_slice(&out).unwrap();
        let strip = |o: &beian_checker::Output| {
            let mut o = o.clone();
            o.results.iter_mut().for_each(|r| r.links.clear());
            o
        };
        if lib.errors.is_empty() {
            assert_eq!(strip(&cli), strip(&lib), "{}", case["name"]);
        } else {
            // Bad input: the output's today is the caller's default (the clock, for the CLI).
            assert_eq!(cli.errors, lib.errors, "{}", case["name"]);
            assert!(cli.results.is_empty() && cli.warnings.is_empty());
        }
    }
}

/// A copy of the repository's content folder in a temp dir, to break the rules file in.
struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Site {
    fn with_rules(edit: impl Fn(&str) -> String) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let from = common::repo_root().join("content");
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let dest = root
                .join("content")
                .join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(entry.path(), &dest).unwrap();
            }
        }
        let text = std::fs::read_to_string(root.join(RULES)).unwrap();
        std::fs::write(root.join(RULES), edit(&text)).unwrap();
        Site { _dir: dir, root }
    }

    fn errors(&self) -> Vec<beian_guide::diagnostic::Diagnostic> {
        load_rules(&self.root, Path::new(RULES)).unwrap_err()
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn the_shipped_rules_load() {
    let data = load_rules(common::repo_root(), Path::new(RULES)).unwrap();
    assert_eq!(data.path(), Path::new(RULES));
    let text = std::fs::read_to_string(common::repo_root().join(RULES)).unwrap();
    let links = data.links();
    assert!(links.len() > 27, "{}", links.len());
    for link in &links {
        let line = text.lines().nth(link.line - 1).unwrap();
        assert!(
            line.contains(&format!("href = \"{}\"", link.href)),
            "line {} is `{line}`",
            link.line
        );
    }
}

#[test]
fn syntax_errors_point_at_line_and_column() {
    let site = Site::with_rules(|t| t.replacen("value = 30\n", "value = 30 days\n", 1));
    let text = std::fs::read_to_string(site.root.join(RULES)).unwrap();
    let line = line_of(&text, "value = 30 days");
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let d = &errors[0];
    assert_eq!(d.file, Path::new(RULES));
    assert_eq!(d.line, Some(line));
    assert_eq!(d.column, Some(9));
    assert_eq!(
        d.to_string(),
        format!("error: invalid checker rules: string values must be quoted, expected literal string\n  --> {RULES}:{line}:9\n   |\n{line} | value = 30 days\n   |         ^\n  = help: fix the TOML at this position; the file's header comment describes its layout")
    );
    assert!(
        d.message.starts_with("invalid checker rules: "),
        "{}",
        d.message
    );
    assert_eq!(d.source_line.as_deref(), Some("value = 30 days"));
    assert!(d.help.is_some());
}

#[test]
fn type_and_unknown_key_errors_are_located() {
    let site = Site::with_rules(|t| t.replacen("value = 365", "value = \"365\"", 1));
    let d = &site.errors()[0];
    let text = std::fs::read_to_string(site.root.join(RULES)).unwrap();
    assert_eq!(d.line, Some(line_of(&text, "value = \"365\"")));
    assert!(d.message.contains("invalid type"), "{}", d.message);

    let site = Site::with_rules(|t| {
        t.replacen(
            "[states.GA_FILED.zh-CN]\n",
            "[states.GA_FILED.zh-CN]\ntitel = \"x\"\n",
            1,
        )
    });
    let d = &site.errors()[0];
    let text = std::fs::read_to_string(site.root.join(RULES)).unwrap();
    assert_eq!(d.line, Some(line_of(&text, "titel = ")));
    assert!(d.message.contains("unknown field `titel`"), "{}", d.message);
    assert_eq!(
        d.help.as_deref(),
        Some("remove the key or fix its spelling; the message lists the keys allowed here")
    );
}

#[test]
fn validation_problems_point_at_their_key() {
    let site = Site::with_rules(|t| {
        t.replacen("title = \"服务器即将到期\"", "title = \"\"", 1)
            .replacen(
                "[thresholds.licence_renewal_due_days]\nvalue = 180",
                "[thresholds.licence_renewal_due_days]\nvalue = 60",
                1,
            )
    });
    let text = std::fs::read_to_string(site.root.join(RULES)).unwrap();
    let errors = site.errors();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    let due = &errors[0];
    assert_eq!(
        due.to_string(),
        format!(
            "error: licence_renewal_due_days (60) must be greater than licence_renewal_near_days (120) (at `thresholds.licence_renewal_due_days.value`)\n  --> {RULES}:{line}:1\n   |\n{line} | value = 60\n   | ^\n  = help: the renewal-due window opens before the urgent one; raise the due days or lower the near days",
            line = line_of(&text, "value = 60"),
        )
    );
    let title = &errors[1];
    assert_eq!(
        title.line,
        Some(line_of(&text, "[states.SERVER_EXPIRING_SOON.zh-CN]") + 1)
    );
    assert_eq!(
        title.message,
        "title of `SERVER_EXPIRING_SOON` is empty (at `states.SERVER_EXPIRING_SOON.zh-CN.title`)"
    );
    assert_eq!(
        title.help.as_deref(),
        Some("write the title of `SERVER_EXPIRING_SOON` in plain zh-CN")
    );
}

#[test]
fn a_missing_state_points_at_the_states_table() {
    let site = Site::with_rules(|t| {
        // Every table of the state, its variants included.
        t.replace("[states.GA_FILED.", "[states.GA_FILEDX.")
    });
    let messages: Vec<String> = site.errors().iter().map(|d| d.message.clone()).collect();
    assert!(
        messages.contains(&"state `GA_FILED` has no texts (at `states`)".to_owned()),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"unknown state `GA_FILEDX` (at `states.GA_FILEDX`)".to_owned()),
        "{messages:?}"
    );
}

#[test]
fn missing_link_targets_are_reported_at_their_line() {
    let site = Site::with_rules(|t| {
        t.replacen(
            "href = \"guides/checklist.md\"",
            "href = \"guides/check-list.md\"",
            1,
        )
    });
    let text = std::fs::read_to_string(site.root.join(RULES)).unwrap();
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0].message,
        "link target `guides/check-list.md` does not exist"
    );
    assert_eq!(errors[0].line, Some(line_of(&text, "guides/check-list.md")));
    assert_eq!(
        errors[0].help.as_deref(),
        Some("create content/guides/check-list.md, or fix the path (it is relative to the content folder)")
    );
}

#[test]
fn resolve_links_and_rules_json() {
    let mut data = load_rules(common::repo_root(), Path::new(RULES)).unwrap();
    data.resolve_links(&|href: &str| {
        let (page, anchor) = href.split_once('#').unwrap_or((href, ""));
        page.strip_suffix(".md").map(|p| {
            if anchor.is_empty() {
                format!("{p}.html")
            } else {
                format!("{p}.html#{anchor}")
            }
        })
    });
    let rules: beian_checker::Rules = serde_json::from_str(&data.rules_json()).unwrap();
    for map in rules.states.values() {
        for link in &map.zh_cn.links {
            let page = link.href.split('#').next().unwrap();
            assert!(page.ends_with(".html"), "{}", link.href);
        }
    }
    for extra in rules
        .states
        .values()
        .flat_map(|m| m.zh_cn.providers.values())
    {
        assert!(extra.links.iter().all(|l| l.href.ends_with(".html")));
    }
}

#[test]
fn template_context_renders_the_form_and_table_from_data() {
    let data = load_rules(common::repo_root(), Path::new(RULES)).unwrap();
    let cx = data.template_context("zh-CN");
    let axes = cx["axes"].as_array().unwrap();
    let names: Vec<&str> = axes.iter().map(|a| a["axis"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "filing",
            "refile",
            "domain",
            "licence",
            "annualReport",
            "publicSecurity"
        ]
    );
    let rows: usize = axes
        .iter()
        .map(|a| a["rows"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows, beian_checker::STATES.len());
    assert_eq!(axes[0]["title"], json!("服务器与备案"));
    let soon = axes[0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["state"] == json!("SERVER_EXPIRING_SOON"))
        .unwrap();
    assert_eq!(soon["condition"], json!("服务器 1～30 天内到期"));
    assert_eq!(soon["severity_label"], json!("注意"));

    let fields = cx["fields"].as_array().unwrap();
    assert_eq!(fields.len(), beian_checker::FIELDS.len());
    let provider = fields
        .iter()
        .find(|f| f["name"] == json!("provider"))
        .unwrap();
    assert_eq!(provider["kind"], json!("choice"));
    assert_eq!(provider["default"], json!("other"));
    assert_eq!(
        provider["options"][0],
        json!({"value": "aliyun", "label": "阿里云"})
    );
    let lookup = fields
        .iter()
        .find(|f| f["name"] == json!("miitLookup"))
        .unwrap();
    let values: Vec<&str> = lookup["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["found", "not_found", "unknown"]);
    assert_eq!(lookup["group"], json!("basic"));
    assert_eq!(lookup["default"], json!("unknown"));
    let access = fields
        .iter()
        .find(|f| f["name"] == json!("accessStatus"))
        .unwrap();
    assert_eq!(
        (&access["kind"], &access["group"], &access["default"]),
        (&json!("choice"), &json!("basic"), &json!("unknown"))
    );
    // The widget reads these two directly; the hints say where each answer is found.
    let texts = &cx["field_texts"];
    let hint = texts["miitLookup"]["hint"].as_str().unwrap();
    for where_ in [
        "beian.miit.gov.cn",
        "公共查询",
        "域名",
        "备案号",
        "主办单位名称",
    ] {
        assert!(
            hint.contains(where_),
            "miitLookup hint lacks {where_}: {hint}"
        );
    }
    assert!(!texts["miitLookup"]["label"].as_str().unwrap().is_empty());
    assert_eq!(texts["miitLookup"]["options"]["found"], json!("能查到"));
    let hint = texts["accessStatus"]["hint"].as_str().unwrap();
    for where_ in [
        "备案控制台",
        "取消接入",
        "短信",
        "邮件",
        "站内信",
        "空壳",
        "公示",
    ] {
        assert!(
            hint.contains(where_),
            "accessStatus hint lacks {where_}: {hint}"
        );
    }
    assert_eq!(
        texts["accessStatus"]["label"], access["label"],
        "one source for the label"
    );
    let options = texts["accessStatus"]["options"].as_object().unwrap();
    assert_eq!(
        options.keys().map(String::as_str).collect::<Vec<_>>(),
        ["active", "cancelled", "unknown"]
    );
    assert!(options.values().all(|v| !v.as_str().unwrap().is_empty()));
    assert_eq!(
        cx["field_texts"].as_object().unwrap().len(),
        beian_checker::FIELDS.len()
    );
    // The static table lists the v2 states.
    let all_rows: Vec<&str> = axes
        .iter()
        .flat_map(|a| a["rows"].as_array().unwrap())
        .map(|r| r["state"].as_str().unwrap())
        .collect();
    for state in [
        "FILING_FOUND",
        "RECTIFICATION_OPEN_SERVER_EXPIRED",
        "REFILE_NOT_CHECKED",
        "LICENCE_RENEWAL_DEADLINE_NEAR",
        "ANNUAL_REPORT_SCHEDULE",
        "GA_DEADLINE",
    ] {
        assert!(all_rows.contains(&state), "{state} missing from the table");
    }
    let near = axes[3]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["state"] == json!("LICENCE_RENEWAL_DEADLINE_NEAR"))
        .unwrap();
    assert_eq!(
        near["condition"],
        json!("许可证到期前 90～120 天（离申请截止不到一个月）")
    );
    assert_eq!(near["severity_label"], json!("紧急"));
    let table = serde_json::to_string(&cx["axes"]).unwrap();
    for raw in [
        "{days}",
        "{deadline}",
        "{server_expiry}",
        "{report_period}",
        "{estimated}",
    ] {
        assert!(!table.contains(raw), "raw {raw} in the table");
    }
    let expiry = fields
        .iter()
        .find(|f| f["name"] == json!("serverExpiry"))
        .unwrap();
    assert_eq!(
        (&expiry["kind"], &expiry["group"], &expiry["label"]),
        (&json!("date"), &json!("basic"), &json!("服务器到期日"))
    );
    assert_eq!(cx["severities"]["danger"], json!("紧急"));
    assert_eq!(
        cx["thresholds"]["server_expiring_soon_days"]["value"],
        json!(30)
    );

    let en = data.template_context("en");
    assert_eq!(en["axes"][0]["title"], json!("Server and filing"));
}

#[test]
fn presets_use_the_core_validation() {
    let ok: serde_json::Map<String, Value> = serde_json::from_value(
        json!({"miitLookup": "found", "accessStatus": "cancelled", "planningRefile": true}),
    )
    .unwrap();
    assert_eq!(validate_preset(&ok), Ok(()));
    let v1: serde_json::Map<String, Value> =
        serde_json::from_value(json!({"miitLookup": "active_no_access"})).unwrap();
    let e = validate_preset(&v1).unwrap_err();
    assert!(
        e.contains("contract v1") && e.contains("accessStatus = \"cancelled\""),
        "{e}"
    );
    // A TOML date literal (unquoted) is not a string: the message says to quote it.
    let table: toml::Table = toml::from_str("serverExpiry = 2026-11-05").unwrap();
    let preset = match serde_json::to_value(&table).unwrap() {
        Value::Object(m) => m,
        _ => unreachable!(),
    };
    assert_eq!(
        validate_preset(&preset),
        Err("`serverExpiry` must be a real date written YYYY-MM-DD (a quoted string), e.g. \"2026-11-05\"".to_owned())
    );
    let bad: serde_json::Map<String, Value> = serde_json::from_value(
        json!({"gaFiled": "yes", "serverPurchaseMonths": -1, "colour": "red"}),
    )
    .unwrap();
    assert_eq!(
        validate_preset(&bad),
        Err("`serverPurchaseMonths` must be a whole number ≥ 0; `gaFiled` must be true or false; unknown field `colour`; expected one of: today, lang, provider, serverExpiry, serverBilling, serverPurchaseMonths, miitLookup, accessStatus, noticeDeadline, noticeReceived, noticeReason, otherFilings, planningRefile, domainExpiry, licenceExpiry, licenceIssue, annualReportFiled, siteOpened, gaFiled".to_owned())
    );
}

/// `(code, field)` of each error in a classify output, in order.
fn error_fields(out: &Value) -> Vec<(&str, &str)> {
    out["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["code"].as_str().unwrap(), e["field"].as_str().unwrap()))
        .collect()
}

#[test]
fn classify_reads_the_site_as_a_build_does() {
    // The rules file and the content folder come from book.toml, and each link names the page's
    // real output in the texts' language's edition (a slug, the English folder).
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"站\"\nlanguage = \"zh-CN\"\n[languages.en]\ntitle = \"Site\"\n\
         [build]\ncontent = \"pages\"\n[checker]\nrules = \"pages/data/rules.toml\"\nwasm = false\n",
    )
    .unwrap();
    common::copy_dir(&common::repo_root().join("content"), &root.join("pages"));
    std::fs::create_dir_all(root.join("pages/data")).unwrap();
    std::fs::rename(
        root.join("pages/checker/rules.toml"),
        root.join("pages/data/rules.toml"),
    )
    .unwrap();
    let page = root.join("pages/guides/refiling.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let text = text.replacen("+++\n", "+++\nslug = \"refile\"\n", 1);
    std::fs::write(&page, text).unwrap();
    let hrefs = |lang: &str| -> Vec<String> {
        let input = format!(
            r#"{{"today": "2026-10-20", "planningRefile": true, "serverBilling": "subscription", "serverPurchaseMonths": 3, "domainExpiry": "2027-01-21", "lang": "{lang}"}}"#
        );
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = classify_command(root, None, &mut input.as_bytes(), &mut out, &mut err);
        assert!(code < 2, "{}", String::from_utf8_lossy(&err));
        let out: Value = serde_json::from_slice(&out).unwrap();
        out["results"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["links"].as_array().unwrap().clone())
            .map(|l| l["href"].as_str().unwrap().to_owned())
            .collect()
    };
    let zh = hrefs("zh-CN");
    assert!(zh.contains(&"guides/refile.html".to_owned()), "{zh:?}");
    assert!(
        zh.contains(&"guides/domain-expiry.html".to_owned()),
        "{zh:?}"
    );
    let en = hrefs("en");
    assert!(en.contains(&"en/guides/refile.html".to_owned()), "{en:?}");

    // Without the rules file book.toml names, classify says which file it looked for.
    std::fs::remove_file(root.join("pages/data/rules.toml")).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = classify_command(root, None, &mut EXAMPLE.as_bytes(), &mut out, &mut err);
    assert_eq!(code, 2);
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("pages/data/rules.toml"), "{err}");
}

/// The fenced blocks of `text` after each `<!-- example: exit N -->` marker: (N, input, answer).
fn doc_examples(text: &str) -> Vec<(i32, String, String)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("<!-- example: exit ") {
        let rest = &text[at + "<!-- example: exit ".len()..];
        let code: i32 = rest[..rest.find(' ').unwrap()].parse().unwrap();
        let mut blocks = rest.split("```").skip(1).step_by(2).map(|b| {
            // Drop the info string (`json`, `text`) on the fence's line.
            b.split_once('\n').map_or("", |(_, body)| body).to_owned()
        });
        out.push((code, blocks.next().unwrap(), blocks.next().unwrap()));
    }
    out
}

/// The answer with its texts shortened to "…", as docs/classify.md writes them.
fn shortened(mut out: Value) -> Value {
    for r in out["results"].as_array_mut().unwrap() {
        for key in ["title", "summary"] {
            r[key] = json!("…");
        }
        for key in ["actions", "links"] {
            assert!(!r[key].as_array().unwrap().is_empty(), "{r}");
            r[key] = json!(["…"]);
        }
    }
    for list in ["warnings", "errors"] {
        for e in out[list].as_array_mut().unwrap() {
            e["message"] = json!("…");
        }
    }
    out
}

#[test]
fn classify_doc_examples_are_true() {
    // docs/classify.md documents the interface; each of its examples runs here.
    let doc = std::fs::read_to_string(common::repo_root().join("docs/classify.md")).unwrap();
    let examples = doc_examples(&doc);
    assert!(examples.len() >= 5, "{examples:?}");
    for (code, input, answer) in examples {
        let run = classify(&[], &input);
        assert_eq!(run.code, code, "{input}: {run:?}");
        if code == 2 {
            assert_eq!(run.stdout, "");
            assert_eq!(run.stderr.trim(), answer.trim(), "{input}");
            continue;
        }
        let got: Value = serde_json::from_str(&run.stdout).unwrap();
        let want: Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(shortened(got), want, "{input}");
    }
}
