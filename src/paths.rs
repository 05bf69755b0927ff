//! URL and path helpers shared by the stages: relative links between output files, the `root`
//! prefix, resolving `../x.md`-style links inside the content folder, and the URL policy for
//! every URL that comes from input ([`check_url`], [`check_base_url`]), and the names input
//! files give their outputs ([`relative_name`], [`check_file_name`]).

use std::path::{Component, Path};

/// Relative prefix from the folder of `output` (a site-root-relative file path) back to the
/// site root: `""` for `index.html`, `"../"` for `guides/a.html`.
pub fn root_prefix(output: &str) -> String {
    "../".repeat(output.matches('/').count())
}

/// Relative URL from the output file `from` to the output file `to` (both site-root-relative
/// file paths): every href the generator writes to a page goes through here, so a file named
/// `q#frag.md`, `why?.md` or `%E4%B8%AD.md` gets the same escaping as in the sitemap
/// ([`encode_path`]).
pub fn relative_url(from: &str, to: &str) -> String {
    let up = relative_path(from, to);
    let climb = up.len() - up.trim_start_matches("../").len();
    format!("{}{}", &up[..climb], encode_path(&up[climb..]))
}

/// [`relative_url`] for a `to` that is already a URL path (written by an author, escapes and
/// all): nothing is encoded.
pub fn relative_path(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let to_dirs = &to_parts[..to_parts.len().saturating_sub(1)];
    let common = from_dirs
        .iter()
        .zip(to_dirs)
        .take_while(|(a, b)| a == b)
        .count();
    let mut url = "../".repeat(from_dirs.len() - common);
    url.push_str(&to_parts[common..].join("/"));
    url
}

/// Joins the relative `path` onto the folder `dir` (both `/`-separated, relative to the same
/// root) and removes `.` and `..`; `None` if it climbs above the root.
pub fn resolve(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// [`resolve`] for URLs found in rendered pages, which must not fail: a `..` above the root is
/// dropped instead (`resolve_clamped("a", "../../b")` is `b`).
pub fn resolve_clamped(dir: &str, path: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Folder part of a `/`-separated path (`a/b.md` → `a`, `b.md` → ``).
pub fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Parent of a content folder (`a/b` → `a`, `a` → ``, `` → none: the top has no parent).
pub fn parent_dir(dir: &str) -> Option<&str> {
    (!dir.is_empty()).then(|| dir_of(dir))
}

/// Everything but the RFC 3986 unreserved characters (ASCII letters, digits, `-._~`) is
/// percent-encoded: the one encode set of the site's URLs.
const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a query-string component (RFC 3986 unreserved characters stay as they are).
pub fn encode_query_component(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, COMPONENT).to_string()
}

/// Decodes `%XX` escapes (invalid ones are kept as they are; bytes that are not UTF-8 become
/// U+FFFD).
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Decodes `%XX` escapes strictly: `None` when the result is not UTF-8.
pub fn percent_decode_strict(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
}

/// Percent-encodes a `/`-separated path for a URL: only ASCII letters, digits, `-._~` and `/`
/// stay as they are, so the result is also safe inside any HTML attribute.
pub fn encode_path(path: &str) -> String {
    path.split('/')
        .map(encode_query_component)
        .collect::<Vec<_>>()
        .join("/")
}

/// The schemes an input URL may use; anything else (`javascript:`, `data:`, `file:`, …) is
/// refused. URLs without a scheme are relative and allowed.
pub const ALLOWED_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// The scheme of `url` as a browser reads it (leading and trailing spaces and control
/// characters dropped, tabs and line breaks inside removed), lowercased; `None` for a relative
/// URL.
pub fn url_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// The URL policy for every URL from input (sources, edit links, Markdown links and images):
/// only http(s), mailto or relative; no control characters. The error says what is wrong.
pub fn check_url(url: &str) -> Result<(), String> {
    if let Some(c) = url.chars().find(|c| c.is_control()) {
        return Err(format!("URL {url:?} contains the control character {c:?}"));
    }
    match url_scheme(url) {
        Some(s) if !ALLOWED_SCHEMES.contains(&s.as_str()) => Err(format!(
            "URL `{url}` uses the scheme `{s}:`; only http(s), mailto and relative URLs are allowed"
        )),
        _ => Ok(()),
    }
}

/// Checks a base URL (`[output.html] base-url` or `--base-url`) and returns it ending with `/`:
/// `http(s)://host[:port][/path]`, without spaces, quotes, user name, query or fragment. The
/// error is the rest of a sentence starting with the key's name. A domain written in Chinese
/// (or any non-ASCII letters) is converted to its ASCII form (`备案指南.中国` →
/// `xn--….xn--fiqs8s`, what browsers send for it), and a path in Chinese is percent-encoded,
/// so every URL built from it (sitemap, robots.txt, feed, canonical links) is a valid URL.
pub fn check_base_url(url: &str) -> Result<String, String> {
    let bad = || format!("must be an absolute http(s) URL, found `{url}`");
    let scheme_len = ["https://", "http://"]
        .iter()
        .find(|p| {
            url.get(..p.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(p))
        })
        .map(|p| p.len())
        .ok_or_else(bad)?;
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`{}|^".contains(c))
    {
        return Err(bad());
    }
    if url.contains(['?', '#']) {
        return Err(format!(
            "must not have a query or fragment (`?`, `#`), found `{url}`"
        ));
    }
    let rest = &url[scheme_len..];
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = ascii_host(host).ok_or_else(|| {
        format!("has a domain that cannot be converted to its ASCII (punycode) form, found `{url}`; write the domain as `xn--…` labels")
    })?;
    let host_ok = !host.is_empty()
        && !host.starts_with(':')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
    if !host_ok {
        return Err(bad());
    }
    let mut out = format!(
        "{}{host}{}",
        &url[..scheme_len],
        percent_encoding::utf8_percent_encode(path, percent_encoding::CONTROLS)
    );
    if !out.ends_with('/') {
        out.push('/');
    }
    Ok(out)
}

/// A host (with its optional `:port`) in ASCII: a label with other characters is lowercased
/// and written as `xn--` and its punycode (RFC 3492); the full stops of Chinese and Japanese
/// input methods separate labels like `.` does. `None` when a label cannot be encoded.
fn ascii_host(host: &str) -> Option<String> {
    if host.is_ascii() {
        return Some(host.to_owned());
    }
    let (name, port) = match host.rsplit_once(':') {
        Some((n, p)) if p.chars().all(|c| c.is_ascii_digit()) => (n, Some(p)),
        _ => (host, None),
    };
    let mut labels = Vec::new();
    for label in name.split(['.', '\u{3002}', '\u{ff0e}', '\u{ff61}']) {
        let label = label.to_lowercase();
        if label.is_ascii() {
            labels.push(label);
        } else {
            labels.push(format!("xn--{}", punycode(&label)?));
        }
    }
    let mut out = labels.join(".");
    if let Some(p) = port {
        out.push(':');
        out.push_str(p);
    }
    Some(out)
}

/// Punycode (RFC 3492, section 6.3) of one label; `None` on overflow.
fn punycode(label: &str) -> Option<String> {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    fn adapt(delta: u32, points: u32, first: bool) -> u32 {
        let mut delta = if first { delta / 700 } else { delta / 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + 38)
    }
    fn digit(d: u32) -> char {
        // 0..=25 are `a`..`z`, 26..=35 are `0`..`9`.
        char::from_digit((d + 10) % 36, 36).unwrap_or('a')
    }
    let input: Vec<u32> = label.chars().map(u32::from).collect();
    let mut out: String = label.chars().filter(char::is_ascii).collect();
    let basic = u32::try_from(out.len()).ok()?;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (128u32, 0u32, 72u32, basic);
    while (handled as usize) < input.len() {
        let m = input.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &input {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(out)
}

/// The host of an absolute http(s) URL, lowercased (`None` for anything else).
pub fn url_host(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) && !h.ends_with(']') => h,
        _ => host,
    };
    (!host.is_empty()).then(|| host.trim_end_matches('.').to_owned())
}

/// Whether a URL points at a host reserved for examples and documentation (RFC 2606/6761:
/// `example.com|net|org` and their subdomains, the `.example`, `.invalid`, `.test` and
/// `.localhost` names): such a link is a placeholder a reader must never be shown.
pub fn is_placeholder_url(url: &str) -> bool {
    let Some(host) = url_host(url) else {
        return false;
    };
    let reserved_domain = ["example.com", "example.net", "example.org"]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")));
    let reserved_tld = ["example", "invalid", "test", "localhost"]
        .iter()
        .any(|t| host == *t || host.ends_with(&format!(".{t}")));
    reserved_domain || reserved_tld
}

/// The path part of an absolute URL (`https://x.org/guide/` → `/guide/`), for links that must
/// work at any depth on the site's own host without naming the host.
pub fn url_path(url: &str) -> String {
    let rest = url
        .split_once("://")
        .map_or(url, |(_, r)| r)
        .split(['?', '#'])
        .next()
        .unwrap_or("");
    match rest.find('/') {
        Some(at) => rest[at..].to_owned(),
        None => "/".to_owned(),
    }
}

/// Checks one file or folder name of an input that becomes part of an output path.
pub fn check_file_name(name: &str) -> Result<(), String> {
    match name.chars().find(|&c| c == '\\' || c == ':' || c.is_control()) {
        Some('\\') => Err(format!(
            "the name `{name}` contains a backslash `\\`, which some systems read as a folder separator"
        )),
        Some(':') => Err(format!(
            "the name `{name}` contains a colon `:`, which links and some systems read as a scheme or drive"
        )),
        Some(c) => Err(format!(
            "the name {name:?} contains the control character {c:?}"
        )),
        None => Ok(()),
    }
}

/// Turns a path found under an input folder into the `/`-separated name the outputs use,
/// checking every component with [`check_file_name`] (never translating one).
pub fn relative_name(rel: &Path) -> Result<String, String> {
    let mut parts = Vec::new();
    for c in rel.components() {
        let Component::Normal(part) = c else {
            return Err(format!("`{}` is not a plain relative path", rel.display()));
        };
        let part = part
            .to_str()
            .ok_or_else(|| format!("the name {part:?} is not valid UTF-8"))?;
        check_file_name(part)?;
        parts.push(part);
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_clamped_resolution() {
        assert_eq!(parent_dir("a/b"), Some("a"));
        assert_eq!(parent_dir("a"), Some(""));
        assert_eq!(parent_dir(""), None);
        assert_eq!(
            resolve_clamped(dir_of("guides/a.html"), "../ref/b.html"),
            "ref/b.html"
        );
        assert_eq!(resolve_clamped("a", "../../b"), "b");
        assert_eq!(resolve("a", "../../b"), None);
        assert_eq!(
            resolve_clamped(dir_of("index.html"), "./x/y.png"),
            "x/y.png"
        );
    }

    #[test]
    fn url_policy_allows_web_mail_and_relative_only() {
        for ok in [
            "https://miit.gov.cn/a",
            "HTTP://x.org",
            "mailto:a@b.c",
            "../a.md",
            "a.md#x",
            "#top",
            "//cdn.x/y",
            "a/b:c",
        ] {
            assert!(check_url(ok).is_ok(), "{ok} refused");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "  javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc/passwd",
            "a\u{1}b",
        ] {
            assert!(check_url(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn base_urls_are_absolute_http() {
        assert_eq!(
            check_base_url("https://x.org/g").unwrap(),
            "https://x.org/g/"
        );
        assert_eq!(
            check_base_url("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080/"
        );
        for bad in [
            "not a url",
            "javascript:alert(1)",
            "https://",
            "https:///x",
            "/g/",
            "https://x.org/\"><script>",
            "https://x.org/?q",
            "ftp://x.org/",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn placeholder_hosts_are_recognised() {
        assert!(is_placeholder_url("https://beian-guide.example.org/"));
        assert!(is_placeholder_url(
            "https://example.invalid/edit/main/content/{path}"
        ));
        assert!(is_placeholder_url("http://x.test:8080/"));
        assert!(!is_placeholder_url("https://github.com/o/r/edit/{path}"));
        assert!(!is_placeholder_url("http://127.0.0.1:3000/"));
        assert!(!is_placeholder_url("https://notexample.org/"));
        assert_eq!(url_path("https://x.org/guide/"), "/guide/");
        assert_eq!(url_path("https://x.org"), "/");
    }

    #[test]
    fn chinese_domains_and_paths_become_ascii_urls() {
        // The IANA root zone lists `.中国` as `xn--fiqs8s` and `.测试` as `xn--0zwm56d`; RFC 3492
        // section 7.1 gives the encoding of (A) and (L).
        assert_eq!(punycode("中国").as_deref(), Some("fiqs8s"));
        assert_eq!(punycode("测试").as_deref(), Some("0zwm56d"));
        assert_eq!(
            punycode("\u{644}\u{64a}\u{647}\u{645}\u{627}\u{628}\u{62a}\u{643}\u{644}\u{645}\u{648}\u{634}\u{639}\u{631}\u{628}\u{64a}\u{61f}").as_deref(),
            Some("egbpdaj6bu4bxfgehfvwxn")
        );
        assert_eq!(
            punycode("3年b組金八先生").as_deref(),
            Some("3b-ww4c5e180e575a65lsy2b")
        );
        assert_eq!(
            check_base_url("https://例子。测试/指南").unwrap(),
            "https://xn--fsqu00a.xn--0zwm56d/%E6%8C%87%E5%8D%97/"
        );
        assert_eq!(
            check_base_url("http://Example.org:8080/a%20b/").unwrap(),
            "http://Example.org:8080/a%20b/"
        );
    }

    #[test]
    fn relative_urls_between_outputs() {
        assert_eq!(relative_url("guides/a.html", "guides/b.html"), "b.html");
        assert_eq!(
            relative_url("guides/a.html", "reference/g.html"),
            "../reference/g.html"
        );
        assert_eq!(
            relative_url("index.html", "guides/index.html"),
            "guides/index.html"
        );
        assert_eq!(relative_url("a/b/c.html", "index.html"), "../../index.html");
        assert_eq!(relative_url("a/b/c.html", "a/d.html"), "../d.html");
        assert_eq!(relative_url("a/b.html", "a/q#frag.html"), "q%23frag.html");
        assert_eq!(relative_url("x/b.html", "a/why?.html"), "../a/why%3F.html");
        assert_eq!(
            relative_url("b.html", "中/%E4.html"),
            "%E4%B8%AD/%25E4.html"
        );
        assert_eq!(relative_path("x/b.html", "a/%20.png"), "../a/%20.png");
    }

    #[test]
    fn root_prefixes() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("a/b/c.html"), "../../");
    }

    #[test]
    fn resolves_dot_segments_and_refuses_to_escape() {
        assert_eq!(
            resolve("guides", "../reference/g.md").as_deref(),
            Some("reference/g.md")
        );
        assert_eq!(resolve("", "./a.md").as_deref(), Some("a.md"));
        assert_eq!(resolve("guides", "../../x.md"), None);
    }

    #[test]
    fn encodes_query_components() {
        assert_eq!(encode_query_component("2026-11-05"), "2026-11-05");
        assert_eq!(encode_query_component("a b&c"), "a%20b%26c");
        assert_eq!(encode_query_component("过"), "%E8%BF%87");
        assert_eq!(percent_decode("%E5%90%8E%E6%9E%9C"), "后果");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("a%zzb"), "a%zzb");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}");
        assert_eq!(percent_decode_strict("%FF"), None);
        assert_eq!(
            percent_decode(&encode_path("指南/a b.html")),
            "指南/a b.html"
        );
    }
}
