//! Sharing and SEO: the JSON-LD of each page (WebSite, FAQPage, Article, BreadcrumbList).

use super::{date, SiteContext, Templates};
use crate::html::script_safe;
use crate::load::Kind;
use crate::site::Site;

pub use crate::load::is_faq;

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
        let questions: Vec<Value> = site.rendered[i]
            .faq
            .iter()
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
                .map(|c| {
                    (
                        c.title.clone(),
                        crate::paths::resolve_clamped(crate::paths::dir_of(&page.output), &c.url),
                    )
                })
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
    fn json_in_a_script_cannot_close_it() {
        assert_eq!(
            script_safe("{\"a\":\"</script>\"}"),
            "{\"a\":\"\\u003c/script>\"}"
        );
    }
}
