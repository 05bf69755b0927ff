//! The preview's HTTP side: a small std::net server (a thread per connection) serving GET/HEAD
//! of files from memory, and the server-sent event stream that drives live reload.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use super::reload::inject;
use super::{Shared, EVENTS_PATH, KEEPALIVE};

pub(super) fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let shared = Arc::clone(shared);
        let spawned = std::thread::Builder::new()
            .name("serve-conn".into())
            .spawn(move || {
                // A client that hangs up mid-response is not the server's problem.
                let _ = handle(stream, &shared);
            });
        if let Err(e) = spawned {
            super::tell!("warning: cannot start a connection thread: {e}");
        }
    }
}

/// One request line and headers, read with a size limit.
fn read_request(stream: &TcpStream) -> std::io::Result<Option<(String, String)>> {
    let mut reader = BufReader::new(stream.take(16 * 1024));
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Ok(None);
    };
    let (method, target) = (method.to_owned(), target.to_owned());
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
    }
    Ok(Some((method, target)))
}

fn handle(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let Some((method, target)) = read_request(&stream)? else {
        return Ok(());
    };
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"only GET and HEAD\n",
            &method,
        );
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if path == EVENTS_PATH {
        return events(stream, shared);
    }
    let Some(rel) = decode_path(path) else {
        return respond(
            &mut stream,
            "400 Bad Request",
            "text/plain; charset=utf-8",
            b"bad path\n",
            &method,
        );
    };
    let (files, error, generation) = {
        let s = shared.lock();
        (Arc::clone(&s.files), s.error.clone(), s.generation)
    };
    let lookup = |p: &str| files.get(p).cloned();
    let index = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.clone()
    };
    let (status, name, body) = match lookup(&index) {
        Some(b) => ("200 OK", index, b),
        None if lookup(&format!("{rel}/index.html")).is_some() => {
            let location = format!("/{rel}/");
            let head = format!(
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            return stream.write_all(head.as_bytes());
        }
        None => match lookup("404.html") {
            Some(b) => ("404 Not Found", "404.html".to_owned(), b),
            // No site yet (the first build failed): an HTML page, so the error overlay and
            // the reload script reach the browser.
            None => (
                "404 Not Found",
                "404.html".to_owned(),
                Arc::from(&b"<!doctype html><html><body><p>not found</p></body></html>"[..]),
            ),
        },
    };
    let ctype = content_type(&name);
    if name.ends_with(".html") {
        let html = String::from_utf8_lossy(&body);
        let page = inject(&html, generation, error.as_deref());
        respond(&mut stream, status, ctype, page.as_bytes(), &method)
    } else {
        respond(&mut stream, status, ctype, &body, &method)
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    ctype: &str,
    body: &[u8],
    method: &str,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// The site-relative file path of a URL path; `None` for paths that try to leave the site.
fn decode_path(path: &str) -> Option<String> {
    let raw = path.strip_prefix('/')?;
    // `%zz` is not an escape: a bad request rather than a file named `%zz`.
    let escapes_ok = raw.match_indices('%').all(|(at, _)| {
        raw.get(at + 1..at + 3)
            .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    if !escapes_ok {
        return None;
    }
    let s = crate::paths::percent_decode_strict(raw)?;
    if s.split('/').any(|seg| seg == ".." || seg == ".") || s.contains('\\') {
        return None;
    }
    Some(s)
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "ics" => "text/calendar; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The event stream: `state` on connect, then `reload` after each good rebuild,
/// `build-error` after each failed one, and `settled` once the print edition and search index
/// have caught up with a reload.
fn events(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n",
    )?;
    let (mut seen, mut settled) = {
        let s = shared.lock();
        let msg = serde_json::json!({ "generation": s.generation, "error": s.error });
        write_event(&mut stream, "state", &msg)?;
        (s.generation, s.settled)
    };
    loop {
        let guard = shared.lock();
        let (guard, timeout) = shared
            .changed
            .wait_timeout_while(guard, KEEPALIVE, |s| {
                s.generation == seen && s.settled == settled
            })
            .unwrap_or_else(|p| p.into_inner());
        if timeout.timed_out() {
            drop(guard);
            stream.write_all(b": keepalive\n\n")?;
            stream.flush()?;
            continue;
        }
        if guard.generation == seen {
            settled = guard.settled;
            let msg = serde_json::json!({ "generation": guard.generation });
            drop(guard);
            write_event(&mut stream, "settled", &msg)?;
            continue;
        }
        seen = guard.generation;
        settled = guard.settled;
        let msg = serde_json::json!({ "generation": guard.generation, "error": guard.error });
        let name = if guard.error.is_some() {
            "build-error"
        } else {
            "reload"
        };
        drop(guard);
        write_event(&mut stream, name, &msg)?;
    }
}

fn write_event(
    stream: &mut TcpStream,
    name: &str,
    data: &serde_json::Value,
) -> std::io::Result<()> {
    // serde_json escapes newlines, so the data is one line as SSE requires.
    let text = format!("event: {name}\ndata: {data}\n\n");
    stream.write_all(text.as_bytes())?;
    stream.flush()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn paths_decode_and_cannot_climb_out() {
        assert_eq!(decode_path("/guides/a.html").unwrap(), "guides/a.html");
        assert_eq!(decode_path("/%E6%8C%87%E5%8D%97/").unwrap(), "指南/");
        assert_eq!(decode_path("/").unwrap(), "");
        assert!(decode_path("/../etc/passwd").is_none());
        assert!(decode_path("/a/%2e%2e/b").is_none());
        assert!(decode_path("/%zz").is_none());
        assert!(decode_path("/a%2").is_none());
        assert!(decode_path("/%FF").is_none());
        assert_eq!(decode_path("/a%20b").unwrap(), "a b");
    }
}
