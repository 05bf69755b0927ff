//! Sharing and SEO: the JSON-LD of each page (WebSite, FAQPage, Article, BreadcrumbList).

use super::{date, SiteContext, Templates};
use crate::load::{Kind, Page};
use crate::site::Site;

/// Whether a page is a FAQ, whose `##` headings become FAQPage questions: its file is named
/// `faq.md`, or its front matter sets `[extra] faq = true`.
pub fn is_faq(page: &Page) -> bool {
    match page.front.extra.get("faq") {
        Some(toml::Value::Boolean(b)) => *b,
        _ => page.source.rsplit('/').next() == Some("faq.md"),
    }
}

/// Resolves a relative URL (no scheme, no leading `/`) against the folder of a site-root-relative
/// output path, returning a site-root-relative path (`..` above the root is dropped).
pub(super) fn resolve_relative(from_output: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = from_output.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Turns rendered HTML into plain text: tags dropped (block ends become spaces), the entities
/// our own escaping produces decoded, whitespace collapsed.
fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if matches!(
            name.as_str(),
            "p" | "li" | "td" | "th" | "tr" | "br" | "div" | "h3" | "h4" | "ul" | "ol" | "table"
        ) {
            text.push(' ');
        }
        rest = &rest[lt + gt + 1..];
    }
    text.push_str(rest);
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes every element that starts with `open` up to the first `close` after it (for
/// elements that never nest their own kind, such as footnote references and myth boxes).
fn remove_between(html: &str, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(open) {
        out.push_str(&rest[..at]);
        match rest[at..].find(close) {
            Some(end) => rest = &rest[at + end + close.len()..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The questions (`##` headings) and answers (the text up to the next `##`) of a FAQ page.
/// Myth boxes and footnote markers are left out: a quoted false claim is not an answer.
pub fn faq_entries(html: &str) -> Vec<(String, String)> {
    let body = html
        .find("<div class=\"footnote-definition\"")
        .map_or(html, |end| &html[..end]);
    let body = remove_between(body, "<div class=\"callout callout-myth\"", "</div>");
    let body = remove_between(&body, "<sup class=\"footnote-reference\"", "</sup>");
    body.split("<h2")
        .skip(1)
        .filter_map(|part| {
            let start = part.find('>')? + 1;
            let end = part.find("</h2>")?;
            let question = html_to_text(part.get(start..end)?);
            let answer = html_to_text(&part[end + "</h2>".len()..]);
            (!question.is_empty() && !answer.is_empty()).then_some((question, answer))
        })
        .collect()
}

/// Makes JSON safe inside `<script>`: no `<` can close the element early.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// The JSON-LD for page `i` as one `@graph` (WebSite on the home page, FAQPage on a FAQ,
/// Article on other ordinary pages, BreadcrumbList below the home page when `base-url` is set).
/// Deterministic: no clock, keys in a fixed order. Empty when there is nothing to say.
pub fn json_ld(site: &Site, i: usize, s: &SiteContext) -> String {
    use serde_json::{json, Value};
    let page = &site.pages[i];
    // A fallback page (another edition showing the original) is in the original's language.
    let language = site.title_lang(i).unwrap_or_else(|| s.language.clone());
    let url = |output: &str| {
        s.base_url
            .as_ref()
            .map(|b| format!("{b}{}", crate::paths::encode_path(output)))
    };
    let publisher = json!({
        "@type": "Organization",
        "name": if s.authors.is_empty() { s.title.clone() } else { s.authors.join(", ") },
    });
    let mut graph: Vec<Value> = Vec::new();
    let home = page.kind == Kind::Section && page.dir.is_empty();
    if home {
        let mut w = json!({
            "@type": "WebSite",
            "name": s.title,
            "description": s.description,
            "inLanguage": language,
        });
        if let Some(u) = url("") {
            w["url"] = u.into();
        }
        graph.push(w);
    } else if page.kind == Kind::Page && is_faq(page) {
        let questions: Vec<Value> = faq_entries(&site.rendered[i].html)
            .into_iter()
            .map(|(q, a)| {
                json!({
                    "@type": "Question",
                    "name": q,
                    "acceptedAnswer": { "@type": "Answer", "text": a },
                })
            })
            .collect();
        if !questions.is_empty() {
            let mut f = json!({
                "@type": "FAQPage",
                "name": page.title,
                "inLanguage": language,
                "mainEntity": questions,
            });
            if let Some(u) = url(&page.output) {
                f["url"] = u.into();
            }
            graph.push(f);
        }
    } else if page.kind == Kind::Page && Templates::template_for(page) == "page.html" {
        let mut a = json!({
            "@type": "Article",
            "headline": page.title,
            "inLanguage": language,
            "author": publisher.clone(),
            "publisher": publisher,
        });
        if let Some(d) = &page.front.description {
            a["description"] = d.as_str().into();
        }
        if let Some(d) = date(page.front.date) {
            a["datePublished"] = d.into();
        }
        if let Some(d) = date(page.front.updated.or(page.front.reviewed)) {
            a["dateModified"] = d.into();
        }
        if let Some(u) = url(&page.output) {
            a["mainEntityOfPage"] = u.into();
        }
        graph.push(a);
    }
    if let Some(base) = &s.base_url {
        let crumbs = site.breadcrumbs(i);
        if !crumbs.is_empty() {
            // Same URLs as the canonical links and the sitemap (`…/index.html` included).
            let items: Vec<Value> = crumbs
                .iter()
                .map(|c| (c.title.clone(), resolve_relative(&page.output, &c.url)))
                .chain(std::iter::once((page.title.clone(), page.output.clone())))
                .enumerate()
                .map(|(n, (name, path))| {
                    json!({
                        "@type": "ListItem",
                        "position": n + 1,
                        "name": name,
                        "item": format!("{base}{}", crate::paths::encode_path(&path)),
                    })
                })
                .collect();
            graph.push(json!({ "@type": "BreadcrumbList", "itemListElement": items }));
        }
    }
    if graph.is_empty() {
        return String::new();
    }
    let doc = json!({ "@context": "https://schema.org", "@graph": graph });
    script_safe(&serde_json::to_string(&doc).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faq_answers_are_plain_text_without_myths_or_footnote_marks() {
        let html = concat!(
            "<p>intro</p>\n<h2 id=\"a\">备案会过期吗？</h2>\n<p>不会<sup class=\"footnote-reference\" id=\"fnref-1\"><a href=\"#fn-1\">1</a></sup>。A &amp; B &lt;C&gt;</p>\n",
            "<div class=\"callout callout-myth\" role=\"note\"><p class=\"callout-title\">常见误区</p>\n<p>过期 15 天</p>\n</div>\n",
            "<h2 id=\"b\">第二个？</h2>\n<table><tr><td>x</td><td>y</td></tr></table>\n",
            "<h2 id=\"c\">空的</h2>\n",
            "<div class=\"footnote-definition\" id=\"fn-1\"><p>note</p></div>\n"
        );
        let entries = faq_entries(html);
        assert_eq!(
            entries,
            [
                ("备案会过期吗？".to_owned(), "不会。A & B <C>".to_owned()),
                ("第二个？".to_owned(), "x y".to_owned()),
            ]
        );
    }

    #[test]
    fn json_in_a_script_cannot_close_it() {
        assert_eq!(
            script_safe("{\"a\":\"</script>\"}"),
            "{\"a\":\"\\u003c/script>\"}"
        );
    }
}
