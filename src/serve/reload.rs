//! The live-reload client (`reload.js`) and the build-error overlay, injected into served HTML
//! only; `build` output never has them.

use std::sync::LazyLock;

use super::EVENTS_PATH;

/// Id of the error overlay element (tests and the script look for it).
pub const OVERLAY_ID: &str = "beian-serve-error";

/// The overlay's look and title, shared by the server-rendered overlay and the one the script
/// builds when an error is pushed.
const OVERLAY_STYLE: &str = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1em;background:#2b0b0b;color:#ffe9e9;font:13px/1.45 ui-monospace,monospace;border-top:4px solid #e5484d";
const TITLE_STYLE: &str = "margin:0 0 .5em;font-weight:bold";
const PRE_STYLE: &str = "margin:0;white-space:pre-wrap";
const OVERLAY_TITLE: &str = "构建失败：仍在显示上一次成功构建的页面。修正后会自动刷新。";

/// The client side of live reload (src/serve/reload.js) with its placeholders filled in.
static RELOAD_JS: LazyLock<String> = LazyLock::new(|| {
    include_str!("reload.js")
        .replace("__EVENTS__", EVENTS_PATH)
        .replace("__OVERLAY_ID__", OVERLAY_ID)
        .replace("__OVERLAY_STYLE__", OVERLAY_STYLE)
        .replace("__OVERLAY_TITLE__", OVERLAY_TITLE)
        .replace("__TITLE_STYLE__", TITLE_STYLE)
        .replace("__PRE_STYLE__", PRE_STYLE)
});

/// Adds the live-reload script (and the error overlay, while a build error lasts) before the
/// closing `</body>` of a served page.
pub fn inject(html: &str, generation: u64, error: Option<&str>) -> String {
    let overlay = error.map_or_else(String::new, overlay_html);
    let script = format!(
        "<script data-serve-generation=\"{generation}\">{}</script>",
        RELOAD_JS.as_str()
    );
    // The live-reload script and the overlay are inline, which the built pages' CSP forbids:
    // the preview drops the CSP meta (the built output keeps it).
    let csp = html
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .and_then(|at| html[at..].find('>').map(|end| (at, at + end + 1)));
    let stripped;
    let html = match csp {
        Some((a, b)) => {
            stripped = format!("{}{}", &html[..a], &html[b..]);
            stripped.as_str()
        }
        None => html,
    };
    let at = html.rfind("</body>").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + overlay.len() + script.len());
    out.push_str(&html[..at]);
    out.push_str(&overlay);
    out.push_str(&script);
    out.push_str(&html[at..]);
    out
}

fn overlay_html(text: &str) -> String {
    format!(
        "<div id=\"{OVERLAY_ID}\" role=\"alert\" style=\"{OVERLAY_STYLE}\"><p style=\"{TITLE_STYLE}\">{OVERLAY_TITLE}</p><pre style=\"{PRE_STYLE}\">{}</pre></div>",
        crate::html::escape_html(text)
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn injection_goes_before_body_end_and_escapes_the_error() {
        let out = inject("<html><body><p>x</p></body></html>", 3, Some("a <b> & c"));
        assert!(out.ends_with("</script></body></html>"), "{out}");
        assert!(out.contains("data-serve-generation=\"3\""));
        assert!(out.contains("a &lt;b&gt; &amp; c"));
        let clean = inject("<p>no body</p>", 1, None);
        assert!(clean.starts_with("<p>no body</p><script"));
        assert!(!clean.contains(&format!("<div id=\"{OVERLAY_ID}\"")));
    }

    #[test]
    fn the_client_has_every_placeholder_filled() {
        let left = RELOAD_JS
            .match_indices("__")
            .any(|(at, _)| RELOAD_JS[at + 2..].starts_with(|c: char| c.is_ascii_uppercase()));
        assert!(!left, "a placeholder is left: {}", RELOAD_JS.as_str());
        assert!(RELOAD_JS.contains(EVENTS_PATH));
        assert!(RELOAD_JS.contains(OVERLAY_TITLE));
    }
}
