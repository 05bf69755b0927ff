//! Sharing and SEO: the JSON-LD of each page (WebSite, FAQPage, Article, BreadcrumbList).

use serde::Serialize;

use super::{date, SiteContext, Templates};
use crate::html::script_safe;
use crate::load::Kind;
use crate::site::Site;

pub use crate::load::is_faq;

/// One node of the graph. Each node's fields are declared in the order its keys are written:
/// `@type` first, then alphabetically (the order the output has always had).
#[derive(Serialize)]
#[serde(tag = "@type")]
enum Node<'a> {
    WebSite {
        description: &'a str,
        #[serde(rename = "inLanguage")]
        in_language: &'a str,
        name: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<String>,
    },
    #[serde(rename = "FAQPage")]
    FaqPage {
        #[serde(rename = "inLanguage")]
        in_language: &'a str,
        #[serde(rename = "mainEntity")]
        main_entity: Vec<Node<'a>>,
        name: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<String>,
    },
    Question {
        #[serde(rename = "acceptedAnswer")]
        accepted_answer: Answer<'a>,
        name: &'a str,
    },
    Article {
        author: Organization<'a>,
        #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
        date_modified: Option<String>,
        #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
        date_published: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        description: Option<&'a str>,
        headline: &'a str,
        #[serde(rename = "inLanguage")]
        in_language: &'a str,
        #[serde(rename = "mainEntityOfPage", skip_serializing_if = "Option::is_none")]
        main_entity_of_page: Option<String>,
        publisher: Organization<'a>,
    },
    BreadcrumbList {
        #[serde(rename = "itemListElement")]
        item_list_element: Vec<Node<'a>>,
    },
    ListItem {
        item: String,
        name: String,
        position: usize,
    },
}

#[derive(Serialize)]
struct Answer<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    text: &'a str,
}

#[derive(Serialize, Clone)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct Graph<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: Vec<Node<'a>>,
}

/// The JSON-LD for page `i` as one `@graph` (WebSite on the home page, FAQPage on a FAQ,
/// Article on other ordinary pages, BreadcrumbList below the home page when `base-url` is set).
/// Deterministic: no clock, keys in a fixed order. Empty when there is nothing to say.
pub fn json_ld(site: &Site, i: usize, s: &SiteContext) -> String {
    let page = &site.pages[i];
    // A fallback page (another edition showing the original) is in the original's language.
    let language = site.title_lang(i).unwrap_or_else(|| s.language.clone());
    let url = |output: &str| {
        s.base_url
            .as_ref()
            .map(|b| format!("{b}{}", crate::paths::encode_path(output)))
    };
    let authors = s.authors.join(", ");
    let publisher = Organization {
        kind: "Organization",
        name: if s.authors.is_empty() {
            &s.title
        } else {
            &authors
        },
    };
    let mut graph: Vec<Node<'_>> = Vec::new();
    let home = page.kind == Kind::Section && page.dir.is_empty();
    if home {
        graph.push(Node::WebSite {
            description: &s.description,
            in_language: &language,
            name: &s.title,
            url: url(""),
        });
    } else if page.kind == Kind::Page && is_faq(page) {
        let questions: Vec<Node<'_>> = site.rendered[i]
            .faq
            .iter()
            .map(|(q, a)| Node::Question {
                accepted_answer: Answer {
                    kind: "Answer",
                    text: a,
                },
                name: q,
            })
            .collect();
        if !questions.is_empty() {
            graph.push(Node::FaqPage {
                in_language: &language,
                main_entity: questions,
                name: &page.title,
                url: url(&page.output),
            });
        }
    } else if page.kind == Kind::Page && Templates::template_for(page) == "page.html" {
        graph.push(Node::Article {
            author: publisher.clone(),
            date_modified: date(page.front.updated.or(page.front.reviewed)),
            date_published: date(page.front.date),
            description: page.front.description.as_deref(),
            headline: &page.title,
            in_language: &language,
            main_entity_of_page: url(&page.output),
            publisher,
        });
    }
    if let Some(base) = &s.base_url {
        let crumbs = site.breadcrumbs(i);
        if !crumbs.is_empty() {
            // Same URLs as the canonical links and the sitemap (`…/index.html` included).
            let items: Vec<Node<'_>> = crumbs
                .iter()
                .map(|c| {
                    (
                        c.title.clone(),
                        crate::paths::resolve_clamped(crate::paths::dir_of(&page.output), &c.url),
                    )
                })
                .chain(std::iter::once((page.title.clone(), page.output.clone())))
                .enumerate()
                .map(|(n, (name, path))| Node::ListItem {
                    item: format!("{base}{}", crate::paths::encode_path(&path)),
                    name,
                    position: n + 1,
                })
                .collect();
            graph.push(Node::BreadcrumbList {
                item_list_element: items,
            });
        }
    }
    if graph.is_empty() {
        return String::new();
    }
    let doc = Graph {
        context: "https://schema.org",
        graph,
    };
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
