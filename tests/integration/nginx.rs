//! The site behind a real web server: Debian's nginx runs `deploy/nginx.conf` (its root and
//! port filled in) over the site the binary builds, and tests/browser/nginx.mjs checks it in
//! headless Chromium (pages and the checker work, the precompressed files are what is sent,
//! the 404 page renders at any depth in both editions, hashed assets are cacheable, the
//! Content-Security-Policy header matches the pages', no request leaves the origin).
//!
//! nginx runs as the current user in one process (`master_process off`), with its pid file,
//! logs and temporary folders in a temp dir, on a loopback port; it is stopped when the test
//! ends. Needs `nginx` (`/usr/sbin/nginx`, or the `NGINX` variable) with the brotli_static
//! module (`libnginx-mod-http-brotli-static`), node and Chromium: under CI=true a missing one
//! fails the test, elsewhere it is skipped with a loud message.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{bin, repo_root, run};

/// Debian's brotli_static module (package `libnginx-mod-http-brotli-static`).
const BROTLI_MODULE: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";
/// The lines of deploy/nginx.conf the test replaces.
const LISTEN_LINE: &str = "listen 80;";
const ROOT_LINE: &str = "root /srv/beian-guide/public;";
/// How long nginx may take to answer after it starts, on a loaded machine.
const START_LIMIT: Duration = Duration::from_secs(60);

fn nginx() -> Option<PathBuf> {
    let path = std::env::var_os("NGINX")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/sbin/nginx"));
    if !path.is_file() {
        return crate::browser::missing(
            "nginx",
            "apt-get install -y nginx libnginx-mod-http-brotli-static",
        );
    }
    if !Path::new(BROTLI_MODULE).is_file() {
        return crate::browser::missing(
            "nginx's brotli_static module",
            "apt-get install -y libnginx-mod-http-brotli-static",
        );
    }
    Some(path)
}

/// deploy/nginx.conf with its port and root filled in, inside a main configuration that keeps
/// everything nginx writes in `dir`.
fn configuration(dir: &Path, port: u16, root: &Path) -> String {
    let site = std::fs::read_to_string(repo_root().join("deploy/nginx.conf")).unwrap();
    for line in [LISTEN_LINE, ROOT_LINE] {
        assert_eq!(
            site.matches(line).count(),
            1,
            "deploy/nginx.conf must have the line `{line}` once (the test fills it in)"
        );
    }
    let site = site
        .replace(LISTEN_LINE, &format!("listen 127.0.0.1:{port};"))
        .replace(ROOT_LINE, &format!("root {};", root.display()));
    let d = dir.display();
    format!(
        "load_module {BROTLI_MODULE};\n\
         daemon off;\n\
         master_process off;\n\
         pid {d}/nginx.pid;\n\
         error_log {d}/error.log warn;\n\
         events {{ worker_connections 64; }}\n\
         http {{\n\
         include /etc/nginx/mime.types;\n\
         default_type application/octet-stream;\n\
         access_log {d}/access.log;\n\
         client_body_temp_path {d}/body;\n\
         proxy_temp_path {d}/proxy;\n\
         fastcgi_temp_path {d}/fastcgi;\n\
         uwsgi_temp_path {d}/uwsgi;\n\
         scgi_temp_path {d}/scgi;\n\
         {site}\n\
         }}\n"
    )
}

/// The nginx process, stopped when the test ends.
struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Whether a server on `port` answers a request for `/` with an HTTP status line.
fn answers(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    if s.write_all(b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut head = [0u8; 12];
    s.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 ")
}

/// Starts nginx on a free loopback port over `root`; returns it and its port. A port taken
/// between choosing it and nginx binding it is chosen again.
fn start(nginx: &Path, dir: &Path, root: &Path) -> (Nginx, u16) {
    for _ in 0..5 {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let conf = dir.join("nginx.conf");
        std::fs::write(&conf, configuration(dir, port, root)).unwrap();
        let error_log = dir.join("error.log");
        let mut child = Nginx(
            Command::new(nginx)
                .arg("-p")
                .arg(dir)
                .arg("-e")
                .arg(&error_log)
                .arg("-c")
                .arg(&conf)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("cannot start nginx"),
        );
        let started = Instant::now();
        loop {
            if answers(port) {
                return (child, port);
            }
            if let Some(status) = child.0.try_wait().unwrap() {
                let log = std::fs::read_to_string(&error_log).unwrap_or_default();
                if log.contains("Address already in use") {
                    break;
                }
                panic!("nginx stopped ({status}) before it answered; its error log:\n{log}");
            }
            assert!(
                started.elapsed() < START_LIMIT,
                "nginx did not answer on port {port} within {START_LIMIT:?}; its error log:\n{}",
                std::fs::read_to_string(&error_log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    panic!("no free loopback port for nginx after five tries");
}

#[test]
fn nginx_serves_the_precompressed_site() {
    let (Some(nginx), Some(node), Some(chromium)) =
        (nginx(), crate::browser::node(), crate::browser::chromium())
    else {
        return;
    };
    let suite = repo_root().join("tests/browser");
    crate::browser::npm_ci(&suite);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let conf_dir = dir.path().join("nginx");
    std::fs::create_dir_all(&conf_dir).unwrap();
    // The site is built for the port nginx holds (absolute URLs stay on it); until then nginx
    // answers 404. The build swaps its folder in; nginx resolves the root per request.
    let (server, port) = start(&nginx, &conf_dir, &root);
    let url = format!("http://127.0.0.1:{port}/");
    let mut cmd = bin();
    cmd.arg("build")
        .arg("--root")
        .arg(repo_root())
        .arg("--out")
        .arg(&root)
        .args(["--base-url", &url]);
    let built = run(cmd);
    assert_eq!(built.code, 0, "build failed:\n{}", built.stderr);

    let mut cmd = Command::new(node);
    cmd.arg("--test-reporter=spec")
        .arg(suite.join("nginx.mjs"))
        .arg(&url)
        .arg(&root)
        .arg(repo_root().join("deploy/nginx.conf"))
        .env("CHROMIUM", &chromium)
        .env("NO_COLOR", "1")
        .current_dir(&suite);
    let out = run(cmd);
    drop(server);
    assert_eq!(
        out.code,
        0,
        "the nginx suite failed; its output:\n{}\n{}\nnginx's error log:\n{}",
        out.stdout,
        out.stderr,
        std::fs::read_to_string(conf_dir.join("error.log")).unwrap_or_default()
    );
    println!("{}\n{}", out.stdout, out.stderr);
}
