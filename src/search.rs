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

/// The heading shown for a hit in a footnote (footnote sections have an id starting `fn-`; their
/// heading is not indexed).
pub const FOOTNOTES: &str = "脚注";

/// Whether a section is a footnote (its heading is [`FOOTNOTES`], not indexed as a heading).
pub fn is_footnote(section: &(String, String, String)) -> bool {
    section.1 == FOOTNOTES && section.0.starts_with("fn-")
}

/// The index's sections of a page from the sections its Markdown rendering collected: the
/// intro under the page's title, footnotes under [`FOOTNOTES`].
pub fn doc_sections(sections: &[Section], title: &str) -> Vec<(String, String, String)> {
    sections
        .iter()
        .map(|s| {
            let heading = match s.kind {
                SectionKind::Intro => squash(title),
                SectionKind::Heading => s.heading.clone(),
                SectionKind::Footnote => FOOTNOTES.to_owned(),
            };
            (s.id.clone(), heading, s.text.clone())
        })
        .collect()
}

/// The documents of a site, in reading order.
pub fn documents(site: &Site) -> Vec<Doc> {
    // Extracting the text is independent per page; `par_iter` keeps the reading order.
    site.order
        .par_iter()
        .map(|&i| {
            let page = &site.pages[i];
            Doc {
                title: page.title.clone(),
                url: page.output.clone(),
                description: page.front.description.clone().unwrap_or_default(),
                sections: doc_sections(&site.rendered[i].sections, &page.title),
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
