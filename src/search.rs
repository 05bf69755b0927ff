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
//! index is built from; its sections come from the Markdown events ([`crate::sections`]),
//! collected while the pages were rendered, not from their HTML.

mod shards;
mod t2s;
pub mod tokenize;

pub use shards::{fnv1a, packs, FORMAT, PACK_BYTES};

use rayon::prelude::*;
use serde::Serialize;

use crate::sections::{squash, Section, SectionKind};
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

/// The index's sections of a page from the sections its Markdown rendering collected: the
/// intro under the page's title, footnotes under `footnotes` (the edition's label).
pub fn doc_sections(
    sections: &[Section],
    title: &str,
    footnotes: &str,
) -> Vec<(String, String, String)> {
    sections
        .iter()
        .map(|s| {
            let heading = match s.kind {
                SectionKind::Intro => squash(&clean(title)),
                SectionKind::Heading => clean(&s.heading),
                SectionKind::Footnote => footnotes.to_owned(),
            };
            (s.id.clone(), heading, clean(&s.text))
        })
        .collect()
}

/// Text as the index holds it: without characters that are invisible inside a word (a
/// zero-width space, a soft hyphen; see [`tokenize::is_invisible`]), so a word written with one
/// is found, and its snippet marked, as the word.
fn clean(text: &str) -> String {
    tokenize::strip_invisible(text).into_owned()
}

/// The documents of a site, in reading order.
pub fn documents(site: &Site) -> Vec<Doc> {
    documents_in(site, "", FOOTNOTES)
}

/// The documents of one edition, in reading order: URLs relative to the edition's folder
/// (`prefix`, e.g. `en/`, is stripped: the edition's index lives under `<prefix>search/` and
/// the search box's root is the edition's), footnote sections headed `footnotes`.
pub fn documents_in(site: &Site, prefix: &str, footnotes: &str) -> Vec<Doc> {
    // `par_iter` keeps the reading order.
    site.order
        .par_iter()
        .map(|&i| {
            let page = &site.pages[i];
            Doc {
                title: clean(&page.title),
                url: crate::paths::encode_path(
                    page.output.strip_prefix(prefix).unwrap_or(&page.output),
                ),
                description: clean(page.front.description.as_deref().unwrap_or_default()),
                sections: doc_sections(&site.rendered[i].sections, &page.title, footnotes),
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
mod tests {
    use super::*;

    fn section(kind: SectionKind, id: &str, heading: &str, text: &str) -> Section {
        Section {
            kind,
            id: id.to_owned(),
            heading: heading.to_owned(),
            text: text.to_owned(),
        }
    }

    #[test]
    fn intro_takes_the_title_and_footnotes_the_editions_label() {
        let got = doc_sections(
            &[
                section(SectionKind::Intro, "", "", "导语"),
                section(SectionKind::Heading, "a", "取消接入", "正文"),
                section(SectionKind::Footnote, "fn-1", "", "来源"),
            ],
            " 页 \n 标题 ",
            "Notes",
        );
        let own = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
        assert_eq!(
            got,
            vec![
                own("", "页 标题", "导语"),
                own("a", "取消接入", "正文"),
                own("fn-1", "Notes", "来源"),
            ]
        );
        assert!(is_footnote(&got[2]) && !is_footnote(&got[1]));
    }
}
