//! URL and path helpers shared by the stages: relative links between output files, the `root`
//! prefix, and resolving `../x.md`-style links inside the content folder.

/// Relative prefix from the folder of `output` (a site-root-relative file path) back to the
/// site root: `""` for `index.html`, `"../"` for `guides/a.html`.
pub fn root_prefix(output: &str) -> String {
    "../".repeat(output.matches('/').count())
}

/// Relative URL from the output file `from` to the output file `to` (both site-root-relative).
pub fn relative_url(from: &str, to: &str) -> String {
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

/// Folder part of a `/`-separated path (`a/b.md` → `a`, `b.md` → ``).
pub fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Percent-encodes a query-string component (RFC 3986 unreserved characters stay as they are).
pub fn encode_query_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

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
    }
}
