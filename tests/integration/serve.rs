//! `beian-guide serve` end to end: the binary on a free port, pages fetched over HTTP, edits
//! seen through the event stream. Every wait has a deadline and polls; none sleeps a fixed time.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::Fixture;

/// Generous: a loaded CI machine can be slow, and a pass never waits this long.
const DEADLINE: Duration = Duration::from_secs(60);

/// A running `serve`, stopped on drop (also used by the checker-assets tests).
pub(crate) struct Server {
    child: Child,
    port: u16,
    /// Everything the server printed on stderr so far (for failure messages).
    stderr: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub(crate) fn start(site: &Fixture) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_beian-guide"))
            .args(["serve", "--port", "0", "--root"])
            .arg(&site.root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // The first stdout line is `serving http://127.0.0.1:PORT/`, printed once built.
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("serving http://127.0.0.1:")
            .and_then(|r| r.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .parse()
            .unwrap();
        Server {
            child,
            port,
            stderr: rx,
        }
    }

    fn log(&self) -> String {
        self.stderr.try_iter().collect::<Vec<_>>().join("\n")
    }

    /// Reads stderr until a line contains `needle` (or the deadline passes); returns it all.
    fn wait_log(&self, needle: &str) -> String {
        let started = Instant::now();
        let mut log = String::new();
        while !log.contains(needle) {
            assert!(started.elapsed() < DEADLINE, "`{needle}` not in: {log}");
            if let Ok(line) = self.stderr.recv_timeout(Duration::from_millis(200)) {
                log.push_str(&line);
                log.push('\n');
            }
        }
        log
    }
}

/// Replaces a file the way editors save: write a temporary file, then rename it over the old
/// one (so the watcher never sees a half-written page).
fn save(site: &Fixture, rel: &str, text: &str) {
    let path = site.root.join(rel);
    let tmp = path.with_extension("md.tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
}

impl Server {
    /// GET `path`: (status code, body).
    pub(crate) fn get(&self, path: &str) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8(raw).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, body.to_owned())
    }

    /// Opens the event stream and returns it after its first (`state`) event.
    fn events(&self) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(DEADLINE)).unwrap();
        write!(
            s,
            "GET /__serve/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut ev = Events {
            reader: BufReader::new(s),
        };
        let mut head = String::new();
        loop {
            head.clear();
            ev.reader.read_line(&mut head).unwrap();
            if head.trim().is_empty() {
                break;
            }
        }
        let (name, _) = ev.next();
        assert_eq!(name, "state");
        ev
    }
}

struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// The next event: (name, data as JSON). Blocks until it comes (read timeout = deadline).
    fn next(&mut self) -> (String, serde_json::Value) {
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            let n = self
                .reader
                .read_line(&mut line)
                .expect("no event before the deadline");
            assert!(n > 0, "event stream closed");
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if !name.is_empty() {
                    return (name, serde_json::from_str(&data).unwrap());
                }
            } else if let Some(v) = line.strip_prefix("event: ") {
                name = v.to_owned();
            } else if let Some(v) = line.strip_prefix("data: ") {
                data = v.to_owned();
            }
        }
    }

    /// Waits for the next `reload` or `build-error` event.
    fn next_build(&mut self) -> (String, serde_json::Value) {
        let started = Instant::now();
        loop {
            let (name, data) = self.next();
            if name == "reload" || name == "build-error" {
                return (name, data);
            }
            assert!(started.elapsed() < DEADLINE, "no rebuild event");
        }
    }
}

#[test]
fn serve_reloads_after_an_edit_and_serves_from_memory() {
    let site = Fixture::new("basic");
    let server = Server::start(&site);
    let (status, page) = server.get("/guides/renewal.html");
    assert_eq!(status, 200, "{}", server.log());
    assert!(page.contains("回到"), "{page}");
    assert!(
        page.contains("data-serve-generation="),
        "live-reload script injected"
    );
    assert!(!page.contains("<div id=\"beian-serve-error\""));
    assert!(
        !site.out().exists(),
        "serve renders into memory, not into the output folder"
    );
    let (status, _) = server.get("/guides/");
    assert_eq!(status, 200);
    let (status, _) = server.get("/no-such-page.html");
    assert_eq!(status, 404);
    let (status, _) = server.get("/../book.toml");
    assert_eq!(status, 400);

    let mut events = server.events();
    save(
        &site,
        "content/guides/renew.md",
        "+++\ntitle = \"续费\"\nslug = \"renewal\"\nweight = 1\n+++\n\n## 保持接入 {#keep}\n\n改过的正文。回到[接入](access.md)。\n",
    );
    let (name, data) = events.next_build();
    assert_eq!(name, "reload", "{data} {}", server.log());
    let (_, page) = server.get("/guides/renewal.html");
    assert!(page.contains("改过的正文"), "{page}");
    // Only the edited page's Markdown was redone.
    server.wait_log("Markdown: 1 rendered, 5 reused; templates: 1 pages)");
}

#[test]
fn a_bad_edit_shows_the_error_and_keeps_the_last_good_page() {
    let site = Fixture::new("basic");
    let server = Server::start(&site);
    let mut events = server.events();

    save(
        &site,
        "content/guides/renew.md",
        "+++\ntitel = \"续费\"\nslug = \"renewal\"\n+++\n\n新的正文。\n",
    );
    let (name, data) = events.next_build();
    assert_eq!(name, "build-error", "{data}");
    let error = data["error"].as_str().unwrap();
    assert!(error.starts_with("error: unknown field `titel`"), "{error}");
    assert!(error.contains("--> content/guides/renew.md:2:1"), "{error}");

    // The last good page is still served, with the overlay naming the problem.
    let (status, page) = server.get("/guides/renewal.html");
    assert_eq!(status, 200);
    assert!(page.contains("回到"), "old content stays: {page}");
    assert!(!page.contains("新的正文"));
    assert!(page.contains("<div id=\"beian-serve-error\""), "{page}");
    assert!(page.contains("unknown field `titel`"), "{page}");
    // And the terminal says so.
    let log = server.wait_log("build failed; still serving the last good site");
    assert!(log.contains("unknown field `titel`"), "{log}");

    // Fixing the page reloads, and the overlay is gone.
    save(
        &site,
        "content/guides/renew.md",
        "+++\ntitle = \"续费\"\nslug = \"renewal\"\n+++\n\n## 保持接入 {#keep}\n\n新的正文。\n",
    );
    let (name, data) = events.next_build();
    assert_eq!(name, "reload", "{data}");
    let (_, page) = server.get("/guides/renewal.html");
    assert!(page.contains("新的正文"), "{page}");
    assert!(!page.contains("<div id=\"beian-serve-error\""));
}

#[test]
fn build_output_never_has_the_reload_script() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    let page = site.output("guides/renewal.html");
    assert!(!page.contains("data-serve-generation"));
    assert!(!page.contains("/__serve/events"));
}

#[test]
fn outputs_built_from_every_page_follow_the_reload() {
    // The repository's theme has the print edition and the search index.
    let site = Fixture::new("basic").with_repo_theme();
    let server = Server::start(&site);
    let (status, print) = server.get("/print.html");
    assert_eq!(status, 200, "{}", server.log());
    assert!(!print.contains("第三次修改的正文"));
    let mut events = server.events();
    save(
        &site,
        "content/guides/renew.md",
        "+++\ntitle = \"续费\"\nslug = \"renewal\"\nweight = 1\n+++\n\n## 保持接入 {#keep}\n\n第三次修改的正文。\n",
    );
    let (name, data) = events.next_build();
    assert_eq!(name, "reload", "{data} {}", server.log());
    // The print edition and the search index are rebuilt right after the reload: poll.
    let started = Instant::now();
    loop {
        let (_, print) = server.get("/print.html");
        // The page text is in the index's packs, named from the manifest's generation.
        let (_, manifest) = server.get("/search/index.js");
        let field = |name: &str| {
            let key = format!("\"{name}\":");
            manifest.find(&key).map(|i| {
                manifest[i + key.len()..]
                    .trim_start_matches('"')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
            })
        };
        let (gen, pages) = (
            field("gen").unwrap_or_default(),
            field("n").unwrap_or_default(),
        );
        let index = (0..pages.parse::<usize>().unwrap_or(0)).any(|i| {
            server
                .get(&format!("/search/{gen}/{i}-0.js"))
                .1
                .contains("第三次修改的正文")
        });
        if print.contains("第三次修改的正文") && index {
            break;
        }
        assert!(
            started.elapsed() < DEADLINE,
            "print edition or search index not updated"
        );
        std::thread::yield_now();
    }
}

#[test]
fn a_site_that_does_not_build_yet_shows_the_error_until_fixed() {
    let site = Fixture::new("basic");
    site.write("content/guides/renew.md", "+++\ntitel = \"续费\"\n+++\n");
    let server = Server::start(&site);
    let (status, page) = server.get("/guides/renewal.html");
    assert_eq!(status, 404);
    assert!(page.contains("<div id=\"beian-serve-error\""), "{page}");
    assert!(page.contains("unknown field `titel`"), "{page}");
    let mut events = server.events();
    save(
        &site,
        "content/guides/renew.md",
        "+++\ntitle = \"续费\"\nslug = \"renewal\"\n+++\n\n## 保持接入 {#keep}\n\n修好了。\n",
    );
    let (name, data) = events.next_build();
    assert_eq!(name, "reload", "{data}");
    let (status, page) = server.get("/guides/renewal.html");
    assert_eq!(status, 200);
    assert!(page.contains("修好了"), "{page}");
}

#[test]
fn moving_the_content_folder_in_book_toml_moves_the_watch() {
    let site = Fixture::new("basic");
    let copy = |from: &std::path::Path, to: &std::path::Path| {
        for e in walkdir::WalkDir::new(from) {
            let e = e.unwrap();
            let dest = to.join(e.path().strip_prefix(from).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(e.path(), &dest).unwrap();
            }
        }
    };
    copy(&site.root.join("content"), &site.root.join("docs"));
    let server = Server::start(&site);
    let mut events = server.events();
    let book = std::fs::read_to_string(site.root.join("book.toml")).unwrap();
    let tmp = site.root.join("book.toml.tmp");
    std::fs::write(&tmp, format!("{book}\n[build]\ncontent = \"docs\"\n")).unwrap();
    std::fs::rename(&tmp, site.root.join("book.toml")).unwrap();
    let (name, data) = events.next_build();
    assert_eq!(name, "reload", "{data}");
    save(
        &site,
        "docs/guides/renew.md",
        "+++\ntitle = \"续费\"\nslug = \"renewal\"\n+++\n\n## 保持接入 {#keep}\n\n来自 docs 的正文。\n",
    );
    let (name, data) = events.next_build();
    assert_eq!(name, "reload", "{data}");
    let (_, page) = server.get("/guides/renewal.html");
    assert!(page.contains("来自 docs 的正文"), "{page}");
}

#[test]
fn in_a_checkout_a_change_to_the_checker_code_says_the_binary_needs_a_rebuild() {
    // A site root that is a workspace checkout: the checker's sources as this binary was
    // compiled from them, and the checker on.
    let site = Fixture::new("basic");
    let book = std::fs::read_to_string(site.root.join("book.toml")).unwrap();
    site.write("book.toml", &book.replace("wasm = false", "wasm = true"));
    let repo = crate::common::repo_root();
    for rel in beian_guide::wasm::shared::input_files(repo).unwrap() {
        site.write(&rel, &std::fs::read_to_string(repo.join(&rel)).unwrap());
    }
    let lib = "checker-core/src/lib.rs";
    let original = std::fs::read_to_string(repo.join(lib)).unwrap();
    let stale =
        "differs from the code compiled into this binary; the checker served is the old one";
    let rebuild = "help: stop and rebuild the binary";

    let server = Server::start(&site);
    site.write(lib, &format!("{original}\n// edited\n"));
    let log = server.wait_log(rebuild);
    assert!(log.contains(stale), "{log}");
    site.write(lib, &original);
    server.wait_log("matches what this binary was compiled from (again)");
    drop(server);

    // Started on an edited checkout, it says so before serving.
    site.write(lib, &format!("{original}\n// edited\n"));
    let server = Server::start(&site);
    let log = server.wait_log(rebuild);
    assert!(log.contains(stale), "{log}");
}

/// Waits, rebuild by rebuild, until `path` is served with `text` in it.
fn wait_served(server: &Server, events: &mut Events, path: &str, text: &str) {
    let started = Instant::now();
    loop {
        let (status, html) = server.get(path);
        if status == 200 && html.contains(text) {
            return;
        }
        assert!(
            started.elapsed() < DEADLINE,
            "{path} never showed `{text}` ({status}): {}",
            server.log()
        );
        events.next_build();
    }
}

#[test]
fn edits_are_served_after_the_content_folder_is_moved_away_and_back_or_replaced() {
    let site = Fixture::new("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    let content = site.root.join("content");
    let away = site.root.parent().unwrap().join("content-away");
    let page = |body: &str| {
        format!(
            "+++\ntitle = \"续费\"\nslug = \"renewal\"\n+++\n\n## 保持接入 {{#keep}}\n\n{body}\n"
        )
    };
    // Moved away (the site is broken meanwhile), then back.
    std::fs::rename(&content, &away).unwrap();
    let (name, _) = events.next_build();
    assert_eq!(name, "build-error", "{}", server.log());
    std::fs::rename(&away, &content).unwrap();
    save(
        &site,
        "content/guides/renew.md",
        &page("搬回来以后的正文。"),
    );
    wait_served(
        &server,
        &mut events,
        "/guides/renewal.html",
        "搬回来以后的正文",
    );

    // Replaced by a copy (a new folder under the same name), then a new page in it.
    crate::common::copy_dir(&content, &away);
    std::fs::remove_dir_all(&content).unwrap();
    std::fs::rename(&away, &content).unwrap();
    save(&site, "content/guides/renew.md", &page("副本里的正文。"));
    wait_served(&server, &mut events, "/guides/renewal.html", "副本里的正文");
    site.write(
        "content/guides/fresh.md",
        "+++\ntitle = \"新页\"\n+++\n\n新页的正文。\n",
    );
    wait_served(&server, &mut events, "/guides/fresh.html", "新页的正文");
}
