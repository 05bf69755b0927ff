//! Stage `search`: the text of the rendered pages, cut into sections at their headings, turned
//! into the sharded index that the in-browser search (static/search.js) loads piece by piece and
//! ranks with BM25F over Chinese character bigrams and lowercased words.
//!
//! The layout of the files is described in `search/shards.rs`: a small manifest, term shards
//! with precomputed weights, and packs of page text loaded only for the results shown. A query
//! therefore loads a few tens of kilobytes whatever the size of the site.
//! Why bigrams and not a segmenter such as Pagefind's: see the search helper's measurements in
//! the project notes; bigrams need no dictionary and find 取消接入, 空壳, 年报 reliably.
//! The page list built here ([`Doc`]: title, URL, description, sections) is the interface the
//! index is built from; it can come from the Markdown events instead of the HTML unchanged.

mod shards;
mod t2s;
pub mod tokenize;

pub use shards::{fnv1a, packs, FORMAT, PACK_BYTES};

use rayon::prelude::*;
use serde::Serialize;

use crate::site::Site;

/// Output path of the index's manifest, relative to the site root (the other index files are
/// under `search/` with content-hashed names).
pub const INDEX_FILE: &str = shards::MANIFEST;

/// One page in the index.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Doc {
    /// Page title.
    #[serde(rename = "t")]
    pub title: String,
    /// Output path relative to the site root.
    #[serde(rename = "u")]
    pub url: String,
    /// Front-matter description (empty when absent).
    #[serde(rename = "d")]
    pub description: String,
    /// Sections: (heading id, heading text, text). The first has an empty id and the page
    /// title when the page has text before its first heading.
    #[serde(rename = "s")]
    pub sections: Vec<(String, String, String)>,
}

/// The heading shown for a hit in a footnote in the default theme's Chinese (footnote sections
/// have an id starting `fn-`; their heading is not indexed). Each edition passes its own label,
/// the string table's `search.footnotes` (see [`documents_in`]).
pub const FOOTNOTES: &str = "脚注";

/// Whether a section is a footnote (its id starts `fn-`, as the footnote definitions' ids do;
/// static/search.js tells them apart the same way), whose heading is the label, not indexed.
pub fn is_footnote(section: &(String, String, String)) -> bool {
    section.0.starts_with("fn-")
}

/// Elements whose text is not searchable: code that runs, the checker widget (a form, indexed
/// through its own page), and footnote markers and callout labels (noise in snippets).
fn skipped(name: &str, tag: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "template" | "svg" | "form" | "noscript" | "button"
    ) || has_attr(tag, "data-checker")
        || has_attr(tag, "data-search-ignore")
        || attr(tag, "class").is_some_and(|c| {
            c.split_ascii_whitespace().any(|c| {
                matches!(
                    c,
                    "footnote-reference"
                        | "footnote-backref"
                        | "footnote-definition-label"
                        | "callout-title"
                )
            })
        })
}

/// Tags after which text does not run on (a block boundary must stop bigrams across it, so
/// the text keeps a space there).
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "blockquote"
            | "pre"
            | "section"
            | "aside"
            | "figure"
            | "figcaption"
            | "hr"
            | "details"
            | "summary"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
    )
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

fn has_attr(tag: &str, name: &str) -> bool {
    tag.split(|c: char| c.is_ascii_whitespace())
        .skip(1)
        .any(|a| {
            a.trim_end_matches('/') == name
                || a.strip_prefix(name)
                    .is_some_and(|rest| rest.starts_with('='))
        })
}

/// The value of a quoted attribute in a start tag's source (`<h2 id="x" class="y">`).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    for quote in ['"', '\''] {
        // ` name=` followed by the quote, found without building the key string.
        let mut from = 0;
        while let Some(i) = tag[from..].find(name) {
            let at = from + i;
            from = at + name.len();
            let before = tag[..at].ends_with(' ');
            let mut rest = tag[from..].chars();
            if before && rest.next() == Some('=') && rest.next() == Some(quote) {
                let value = &tag[from + 1 + quote.len_utf8()..];
                return value.find(quote).map(|end| &value[..end]);
            }
        }
    }
    None
}

/// Decodes the character references the Markdown renderer and Tera emit (and any numeric one).
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Collapses whitespace runs to one space and trims.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits a page body's HTML into sections at its headings (h1–h6), keeping only readable text.
pub fn sections(html: &str, title: &str) -> Vec<(String, String, String)> {
    sections_in(html, title, FOOTNOTES)
}

/// [`sections`] with `footnotes` as the heading of footnote sections (the edition's label).
pub fn sections_in(html: &str, title: &str, footnotes: &str) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = Vec::new();
    let (mut id, mut heading, mut text) = (String::new(), title.to_owned(), String::new());
    let mut in_heading: Option<String> = None; // the heading's tag name while inside it
    let mut skip: Option<(String, usize)> = None; // skipped element's name and nesting depth
    let mut rest = html;
    loop {
        let (chunk, tag_start) = match rest.find('<') {
            Some(i) => (&rest[..i], Some(i)),
            None => (rest, None),
        };
        if skip.is_none() && !chunk.is_empty() {
            let t = decode_entities(chunk);
            match in_heading {
                Some(_) => heading.push_str(&t),
                None => text.push_str(&t),
            }
        }
        let Some(start) = tag_start else { break };
        rest = &rest[start..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let Some(end) = rest.find('>') else { break };
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        let closing = tag.starts_with("</");
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            continue; // a stray `<` in text was escaped, so this is `<!doctype` or similar
        }
        let self_closing = tag.ends_with('/') || is_void(&name);
        if let Some((skip_name, depth)) = &mut skip {
            if *skip_name == name && !self_closing {
                if closing {
                    *depth -= 1;
                } else {
                    *depth += 1;
                }
                if *depth == 0 {
                    skip = None;
                }
            }
            continue;
        }
        if !closing && skipped(&name, tag) {
            if !self_closing {
                skip = Some((name, 1));
            }
            continue;
        }
        // A footnote's text is its own section (linked by the footnote's id), not part of the
        // section that happens to come last on the page.
        if !closing
            && name == "div"
            && attr(tag, "class").is_some_and(|c| {
                c.split_ascii_whitespace()
                    .any(|c| c == "footnote-definition")
            })
        {
            let body = squash(&text);
            if !body.is_empty() || !id.is_empty() {
                out.push((std::mem::take(&mut id), squash(&heading), body));
            }
            text.clear();
            heading = footnotes.to_owned();
            id = attr(tag, "id").map(decode_entities).unwrap_or_default();
            in_heading = None;
            continue;
        }
        let is_heading = name.len() == 2
            && name.starts_with('h')
            && name[1..].parse::<u8>().is_ok_and(|n| (1..=6).contains(&n));
        if is_heading && !closing {
            let body = squash(&text);
            if !body.is_empty() || !id.is_empty() {
                out.push((std::mem::take(&mut id), squash(&heading), body));
            }
            text.clear();
            heading.clear();
            id = attr(tag, "id").map(decode_entities).unwrap_or_default();
            in_heading = Some(name);
            continue;
        }
        if closing && in_heading.as_deref() == Some(name.as_str()) {
            in_heading = None;
            continue;
        }
        if is_block(&name) {
            match in_heading {
                Some(_) => heading.push(' '),
                None => text.push(' '),
            }
        }
    }
    let body = squash(&text);
    if !body.is_empty() || !id.is_empty() {
        out.push((id, squash(&heading), body));
    }
    out
}

/// The documents of a site, in reading order.
pub fn documents(site: &Site) -> Vec<Doc> {
    documents_in(site, "", FOOTNOTES)
}

/// The documents of one edition, in reading order: URLs relative to the edition's folder
/// (`prefix`, e.g. `en/`, is stripped: the edition's index lives under `<prefix>search/` and
/// the search box's root is the edition's), footnote sections headed `footnotes`.
pub fn documents_in(site: &Site, prefix: &str, footnotes: &str) -> Vec<Doc> {
    // Extracting the text is independent per page; `par_iter` keeps the reading order.
    site.order
        .par_iter()
        .map(|&i| {
            let page = &site.pages[i];
            Doc {
                title: page.title.clone(),
                url: page
                    .output
                    .strip_prefix(prefix)
                    .unwrap_or(&page.output)
                    .to_owned(),
                description: page.front.description.clone().unwrap_or_default(),
                sections: sections_in(&site.rendered[i].html, &page.title, footnotes),
            }
        })
        .collect()
}

/// The index files of `docs`: `(path, bytes)`, the manifest first (deterministic).
pub fn index_files(docs: &[Doc]) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    shards::index_files(docs, t2s::map())
}

/// The search index of a whole site: `(path, bytes)` of each file to write.
pub fn build_index(site: &Site) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    index_files(&documents(site))
}

/// The search index of one edition (see [`documents_in`]), its files under `<prefix>search/`.
pub fn build_index_in(
    site: &Site,
    prefix: &str,
    footnotes: &str,
) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut files = index_files(&documents_in(site, prefix, footnotes))?;
    for (rel, _) in &mut files {
        rel.insert_str(0, prefix);
    }
    Ok(files)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sec(id: &str, heading: &str, text: &str) -> (String, String, String) {
        (id.to_owned(), heading.to_owned(), text.to_owned())
    }

    #[test]
    fn sections_split_at_headings_and_skip_noise() {
        let html = "<p>导语&amp;说明<sup class=\"footnote-reference\"><a href=\"#fn-1\">1</a></sup></p>\
            <h2 id=\"a\">取消接入</h2><p>第一段</p><p>第二段</p>\
            <section class=\"checker\" data-checker><h2>检查</h2><section>表单</section></section>\
            <script>var x = \"<p>\";</script><h3 id=\"b\">空壳 <code>x</code></h3><ul><li>甲</li><li>乙</li></ul>";
        assert_eq!(
            sections(html, "标题"),
            vec![
                sec("", "标题", "导语&说明"),
                // Paragraphs stay apart, so no bigram spans two of them (第一段 第二段).
                sec("a", "取消接入", "第一段 第二段"),
                sec("b", "空壳 x", "甲 乙"),
            ]
        );
    }

    #[test]
    fn callout_labels_comments_and_entities() {
        let html = "<div class=\"callout callout-warning\" role=\"note\"><p class=\"callout-title\">警告</p>\
            <p>ICP&#x2F;备案&#39;s &lt;b&gt; &#20320;</p></div><!-- <h2 id=\"x\">注释</h2> -->\
            <h2 id=\"q&amp;a\">问答</h2>";
        assert_eq!(
            sections(html, "页"),
            vec![sec("", "页", "ICP/备案's <b> 你"), sec("q&a", "问答", "")]
        );
    }

    #[test]
    fn footnote_text_is_the_footnotes_own_section() {
        let html = "<h2 id=\"a\">甲</h2><p>正文<sup class=\"footnote-reference\"><a href=\"#fn-1\">1</a></sup></p>\
            <h2 id=\"nianbao\">年报</h2><p>最后一节</p>\
            <div class=\"footnote-definition\" id=\"fn-1\"><sup class=\"footnote-definition-label\">1</sup>\n<p>来源一 <a href=\"#fnref-1\" class=\"footnote-backref\">↩</a></p></div>\
            <div class=\"footnote-definition\" id=\"fn-src\"><sup class=\"footnote-definition-label\">2</sup><p>来源二</p></div>";
        let got = sections(html, "页");
        assert_eq!(
            got,
            vec![
                sec("a", "甲", "正文"),
                sec("nianbao", "年报", "最后一节"),
                sec("fn-1", FOOTNOTES, "来源一"),
                sec("fn-src", FOOTNOTES, "来源二"),
            ]
        );
        assert!(is_footnote(&got[2]) && !is_footnote(&got[1]));
    }

    #[test]
    fn text_without_headings_is_one_section() {
        assert_eq!(
            sections("<p>只有正文</p>", "页"),
            vec![sec("", "页", "只有正文")]
        );
        assert_eq!(sections("", "页"), Vec::<(String, String, String)>::new());
    }

    #[test]
    fn nested_skipped_elements_end_at_their_own_close_tag() {
        let html = "<form><div><form>a</form>b</div>c</form><p>留下</p>";
        assert_eq!(sections(html, "页"), vec![sec("", "页", "留下")]);
    }
}
