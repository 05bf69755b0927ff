//! The sharded search index: BM25F weights per (term, page) computed at build time, split into
//! content-hashed shards by term, plus the pages' text in small "packs" loaded only for the
//! results shown, and a small manifest (`search/index.js`) that names them all.
//!
//! Every file is a classic script that stores its data in `self.beianSearch[key]`, so it loads
//! from `file://` too (no `fetch`, no modules). static/search.js reads it:
//!
//! - `search/index.js` (fixed name, a few hundred bytes plus the traditional map):
//!   `{ "v": 3, "n": pages, "gen": "<hash>", "terms": shards, "chars": shards, "group": pages,
//!   "t2s": "備备過过…" }`.
//!   `gen` hashes every shard and pack, and they are all written under `search/<gen>/`: a
//!   deploy that changes anything changes the folder, so no cached file is ever stale, and the
//!   manifest stays small however many shards there are (a hash per shard would cost about
//!   4 bytes of gzip each, 30 KB at 10,000 pages).
//! - `search/<gen>/t<i>.js` (key `<gen>/t<i>`): bigrams and words, `{ term: postings }`; a term's
//!   shard is `fnv1a(key) % terms` over UTF-16 units, where the key is the term itself, or a
//!   word's first two characters (so a word being typed finds its completions in one shard).
//! - `search/<gen>/c<i>.js`: single CJK characters, `{ char: postings }`, each page weighted by
//!   its best term holding the character (证 finds 证书), by `fnv1a(char) % chars`.
//! - `search/<gen>/<g>-<pack>.js`: pack `pack` of the pages `g × group` to `g × group + group - 1`,
//!   `{ "<page>": { "t": title, "u": url, "d": description (when there is one), "f": index of
//!   the first section, "s": [[heading id, heading, text], …] }, … }`, each a run of a page's sections of about [`PACK_BYTES`];
//!   `group` is 1 (a file per page and pack) up to 2,048 pages, then grows so that there are
//!   at most 2,048 files per pack number.
//!
//! Postings are `[page, value, page - previous page, value, …]` with `value = weight × 32 +
//! title × 16 + pack`: the weight is the term's BM25F score for the page (scaled, at least 1),
//! `title` is 1 when the term is in the page's title (the first ranking pass rewards pages whose
//! title holds the query before any text is loaded), and the pack is where the term weighs most
//! in that page, which is the pack a result's snippet comes from.

use std::fmt::Write as _;

use rayon::prelude::*;

use super::tokenize::{is_cjk, tokens, unpack_chars, ContentMap, T2s, Token};
use super::Doc;
use crate::hash::{content_hash, fnv1a64};

/// Output path of the manifest, relative to the site root.
pub(super) const MANIFEST: &str = "search/index.js";

/// Index format version (bump when search.js must change with it).
pub const FORMAT: u32 = 3;

/// BM25F field weights: title, headings, the page's summary (its description and its lead, the
/// text before its first heading), footnotes, the rest of the body. The summary counts more than
/// a later section that repeats a term; footnotes (sources quoted, other sites' page titles)
/// count far less than the text, so a page whose footnotes hold the query does not rank above
/// pages that explain it (issue 19: "域名没有解析到腾讯云" gave two footnotes first).
const WEIGHTS: [f64; 5] = [6.0, 3.0, 2.0, 0.05, 1.0];
const K1: f64 = 1.2;
const B: f64 = 0.5;
/// Weight scale in the postings (keeps two significant digits of a BM25 score).
const SCALE: f64 = 100.0;
/// A character inside a bigram counts this much of the bigram (a whole-word match ranks first).
const INSIDE: f64 = 0.7;

/// Text bytes per pack: a result loads one pack, so this bounds the bytes per result shown.
pub const PACK_BYTES: usize = 2000;
/// Packs per page (the pack number takes four bits of a posting value).
const MAX_PACKS: usize = 16;
/// Raw bytes per shard the layout aims at (a query loads one shard per distinct term).
const SHARD_BYTES: usize = 3000;
/// Shards per family: past this the shards grow instead (fewer files to write; a query still
/// loads one shard per term, about 5 KB of gzip each at 10,000 pages).
const MAX_SHARDS: usize = 2048;
/// Pack files per pack number: past this, consecutive pages share a pack file.
const MAX_GROUPS: usize = 2048;
/// Pages kept per single character (the best by weight).
const MAX_CHAR_POSTINGS: usize = 1000;

/// FNV-1a 32 over UTF-16 code units (`shardOf` in search.js computes the same).
pub fn fnv1a(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for unit in s.encode_utf16() {
        h ^= u32::from(unit);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The shard key of a term: a word's first two characters, else the term.
fn shard_key(term: &str) -> &str {
    match term.chars().next() {
        Some(c) if !is_cjk(c) => term.char_indices().nth(2).map_or(term, |(i, _)| &term[..i]),
        _ => term,
    }
}

/// One page's part of a pack file, borrowed from its [`Doc`].
#[derive(serde::Serialize)]
struct PackOut<'a> {
    t: &'a str,
    u: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    d: &'a str,
    f: usize,
    s: Vec<&'a (String, String, String)>,
}

/// A page's weighted terms `(term id, weight, title flag + pack)` and single characters
/// `(character id, weight, pack)`.
type Weighted = (Vec<(u32, u32, u32)>, Vec<(u32, u32, u32)>);

/// A page's terms: field lengths, and per term (by id) its count in each field and the pack
/// where it weighs most.
struct PageTerms {
    lens: [u32; 5],
    terms: Vec<(u32, [u16; 5], u8)>,
}

/// Counting one term in one page: its count per field and the weight of the pack being read,
/// against the best pack so far (packs come in order, so one running pair is enough).
struct Count {
    counts: [u16; 5],
    pack: u8,
    weight: f32,
    best_pack: u8,
    best: f32,
}

/// Assigns consecutive sections to packs of about `PACK_BYTES`: `pack[i]` for section `i`.
pub fn packs(sections: &[(String, String, String)]) -> Vec<usize> {
    let total: usize = sections.iter().map(|s| s.1.len() + s.2.len()).sum();
    let budget = PACK_BYTES.max(total.div_ceil(MAX_PACKS) + 1);
    let mut out = Vec::with_capacity(sections.len());
    let (mut pack, mut used) = (0, 0);
    for s in sections {
        let size = s.1.len() + s.2.len();
        if used > 0 && used + size > budget && pack + 1 < MAX_PACKS {
            pack += 1;
            used = 0;
        }
        used += size;
        out.push(pack);
    }
    out
}

/// A term before it has an id: CJK terms by their packed characters (no string is made for
/// them until the index is written), words by their text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum TermKey {
    Chars(u64),
    Word(String),
}

/// A term read from a page: `(term, counts per field, best pack)`.
type ReadTerm = (TermKey, [u16; 5], u8);

/// A page's field lengths and its terms.
fn page_terms(doc: &Doc, pack_of: &[usize], t2s: &T2s) -> ([u32; 5], Vec<ReadTerm>) {
    let mut lens = [0u32; 5];
    // CJK terms (most of a Chinese page's) are counted under their packed characters, words
    // under their text; both become strings once per distinct term, at the end.
    // Sized for the page up front (a page has at most about one distinct term per character of
    // its text; growing the map from empty rehashed it several times a page).
    let size: usize = doc
        .sections
        .iter()
        .map(|s| s.1.len() + s.2.len())
        .sum::<usize>()
        + doc.title.len()
        + doc.description.len();
    let mut chars: ContentMap<u64, Count> =
        ContentMap::with_capacity_and_hasher(size / 4, Default::default());
    let mut words: ContentMap<String, Count> = ContentMap::default();
    let fresh = |pack: u8| Count {
        counts: [0; 5],
        pack,
        weight: 0.0,
        best_pack: pack,
        best: f32::MIN,
    };
    let bump = |e: &mut Count, field: usize, pack: u8| {
        e.counts[field] = e.counts[field].saturating_add(1);
        if e.pack != pack {
            if e.weight > e.best {
                (e.best, e.best_pack) = (e.weight, e.pack);
            }
            (e.pack, e.weight) = (pack, 0.0);
        }
        e.weight += WEIGHTS[field] as f32;
    };
    let mut add = |text: &str, field: usize, pack: usize, lens: &mut [u32; 5]| {
        let pack = pack as u8;
        tokens(text, t2s, |t| {
            let e = match t {
                Token::Chars(key) => chars.entry(key).or_insert_with(|| fresh(pack)),
                // Most words repeat: look up before allocating the key.
                Token::Word(w) => match words.get_mut(w) {
                    Some(e) => e,
                    None => words.entry(w.to_owned()).or_insert_with(|| fresh(pack)),
                },
            };
            bump(e, field, pack);
            lens[field] += 1;
        });
    };
    add(&doc.title, 0, 0, &mut lens);
    add(&doc.description, 2, 0, &mut lens);
    for (i, (id, heading, text)) in doc.sections.iter().enumerate() {
        let pack = pack_of[i];
        let footnote = super::is_footnote(&doc.sections[i]);
        if !id.is_empty() && !footnote {
            add(heading, 1, pack, &mut lens);
        }
        let field = match (i, id.is_empty()) {
            (0, true) => 2,
            _ if footnote => 3,
            _ => 4,
        };
        add(text, field, pack, &mut lens);
    }
    // Ties go to the earlier pack.
    let best = |c: &Count| {
        if c.weight > c.best {
            c.pack
        } else {
            c.best_pack
        }
    };
    // In the maps' order (random per process); term ids never reach the output, which is sorted
    // by term.
    let mut out: Vec<ReadTerm> = Vec::with_capacity(chars.len() + words.len());
    for (key, c) in chars {
        out.push((TermKey::Chars(key), c.counts, best(&c)));
    }
    for (t, c) in words {
        let pack = best(&c);
        out.push((TermKey::Word(t), c.counts, pack));
    }
    (lens, out)
}

/// Appends a posting list as a JSON array.
fn write_postings(out: &mut String, list: &[(u32, u32)]) {
    // Integers are written with `itoa` (the formatting machinery of `write!` was a tenth of a
    // 1,000-page build's instructions).
    let mut num = itoa::Buffer::new();
    out.push('[');
    let mut prev = 0;
    for (i, &(doc, value)) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(num.format(doc - prev));
        out.push(',');
        out.push_str(num.format(value));
        prev = doc;
    }
    out.push(']');
}

/// The start of every index script: the key follows, `<gen>/<name>`.
const SCRIPT_HEAD: &str = "(self.beianSearch||(self.beianSearch={}))[\"";
/// Stands for the generation (8 hex digits) until every file's content is known.
const GEN_PLACEHOLDER: &str = "00000000";

/// The opening of the script that stores data under `<gen>/<name>`, the generation still a
/// placeholder ([`finish_script`] fills it in): the JSON follows, then [`SCRIPT_TAIL`].
fn open_script(name: &str) -> String {
    format!("{SCRIPT_HEAD}{GEN_PLACEHOLDER}/{name}\"]=")
}

/// What ends every index script.
const SCRIPT_TAIL: &str = ";\n";

/// The data of a script opened by [`open_script`] (what the generation hashes).
fn script_data(script: &str) -> &str {
    let start = script.find("\"]=").map_or(0, |i| i + 3);
    &script[start..]
}

/// The bytes of a script with its generation filled in.
fn finish_script(mut script: String, gen: &str) -> Vec<u8> {
    let at = SCRIPT_HEAD.len();
    // Same length (8 hex digits): written over in place, nothing moves.
    script.replace_range(at..at + GEN_PLACEHOLDER.len(), gen);
    script.into_bytes()
}

/// A script that stores `json` under `key` (the manifest's, whose key is fixed).
fn script(key: &str, json: &str) -> Vec<u8> {
    format!("{SCRIPT_HEAD}{key}\"]={json}{SCRIPT_TAIL}").into_bytes()
}

/// Splits `lists` (term → postings, sorted by term) into shard scripts named `<prefix><i>`,
/// consuming the lists as their text is written (the index is not held twice).
fn shard_scripts(lists: Vec<(String, Vec<(u32, u32)>)>, prefix: &str) -> Vec<String> {
    let bodies: Vec<(u32, String)> = lists
        .into_par_iter()
        .map(|(term, list)| {
            // Terms are lowercased words and CJK characters: a JSON string as they are, unless
            // one holds a character JSON escapes.
            let plain = !term.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\');
            let mut s = match plain {
                true => {
                    let mut s = String::with_capacity(term.len() + 16);
                    s.push('"');
                    s.push_str(&term);
                    s.push('"');
                    s
                }
                false => serde_json::to_string(&term).unwrap_or_default(),
            };
            s.push(':');
            write_postings(&mut s, &list);
            (fnv1a(shard_key(&term)), s)
        })
        .collect();
    let total: usize = bodies.iter().map(|b| b.1.len()).sum();
    let n = total.div_ceil(SHARD_BYTES).clamp(1, MAX_SHARDS);
    // Each shard's exact size first, so no shard string grows by doubling.
    let mut sizes = vec![0usize; n];
    for (hash, body) in &bodies {
        sizes[*hash as usize % n] += body.len() + 1;
    }
    let mut shards: Vec<String> = (0..n)
        .map(|i| {
            let head = open_script(&format!("{prefix}{i}"));
            let mut s = String::with_capacity(head.len() + sizes[i] + 1 + SCRIPT_TAIL.len());
            s.push_str(&head);
            s.push('{');
            s
        })
        .collect();
    for (hash, body) in bodies {
        let s = &mut shards[hash as usize % n];
        if !s.ends_with('{') {
            s.push(',');
        }
        s.push_str(&body);
    }
    for s in &mut shards {
        s.push('}');
        s.push_str(SCRIPT_TAIL);
    }
    shards
}

/// The index files of `docs` (in reading order): the manifest first, then shards and packs.
pub(super) fn index_files(docs: &[Doc], t2s: &T2s) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let pack_of: Vec<Vec<usize>> = docs.par_iter().map(|d| packs(&d.sections)).collect();
    let terms = read_terms(docs, &pack_of, t2s);
    let lists = postings(terms, docs.len());
    let term_shards = shard_scripts(lists.terms, "t");
    let char_shards = shard_scripts(lists.chars, "c");
    let pack_files = pack_files(docs, &pack_of);

    // One content hash over every shard and pack names the folder they are written to (the
    // hashes of the bodies, computed in parallel, hashed in order: no copy of the text).
    let hashes: Vec<u64> = term_shards
        .par_iter()
        .chain(char_shards.par_iter())
        .chain(pack_files.par_iter())
        .map(|b| fnv1a64(script_data(b).as_bytes()))
        .collect();
    let gen = content_hash(
        &hashes
            .iter()
            .flat_map(|h| h.to_le_bytes())
            .collect::<Vec<u8>>(),
    );
    let (n_terms, n_chars) = (term_shards.len(), char_shards.len());
    let mut files = Vec::with_capacity(1 + n_terms + n_chars + pack_files.len());
    // Scripts are finished in place (the generation written over its placeholder): the index
    // is never copied. Each file is named by its key.
    for script in term_shards.into_iter().chain(char_shards).chain(pack_files) {
        let bytes = finish_script(script, &gen);
        let key_end = bytes[SCRIPT_HEAD.len()..]
            .iter()
            .position(|&b| b == b'"')
            .map_or(0, |i| SCRIPT_HEAD.len() + i);
        let key = String::from_utf8_lossy(&bytes[SCRIPT_HEAD.len()..key_end]).into_owned();
        files.push((format!("search/{key}.js"), bytes));
    }

    let manifest = serde_json::json!({
        "v": FORMAT,
        "n": docs.len(),
        "gen": gen,
        "terms": n_terms,
        "chars": n_chars,
        "group": group_size(docs.len()),
        "t2s": traditional_map(docs, t2s, &lists.indexed),
    });
    files.insert(
        0,
        (MANIFEST.to_owned(), script("index", &manifest.to_string())),
    );
    Ok(files)
}

/// Every term of the site, by id, and each page's terms.
struct Terms {
    /// Term id → the term.
    names: Vec<String>,
    /// Term id → how many pages hold it.
    df: Vec<u32>,
    /// Term id → what it gives the single-character lists.
    parts: Vec<CharPart>,
    /// Character id → the CJK character (every character of a CJK term, in first-seen order).
    chars: Vec<char>,
    /// The CJK character → its id (the characters the index holds).
    char_ids: ContentMap<char, u32>,
    /// Per page, in reading order.
    pages: Vec<PageTerms>,
}

/// What a term gives the single-character lists (by character id): a bigram each of its
/// characters at [`INSIDE`] of its weight, a lone character itself at its whole weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharPart {
    Word,
    Lone(u32),
    Pair(u32, u32),
}

/// Reads every page's terms and gives each term an id.
fn read_terms(docs: &[Doc], pack_of: &[Vec<usize>], t2s: &T2s) -> Terms {
    // Terms get ids as pages are read, a few hundred pages at a time, so only those pages'
    // term strings are held at once (10,000 pages would otherwise take a gigabyte).
    let mut dict: ContentMap<TermKey, u32> = ContentMap::default();
    let mut df: Vec<u32> = Vec::new();
    let mut pages: Vec<PageTerms> = Vec::with_capacity(docs.len());
    for (chunk, packs) in docs.chunks(256).zip(pack_of.chunks(256)) {
        // Terms already known get their ids in the parallel pass (the dictionary is only read
        // there); only new terms are left for the sequential pass, which adds them.
        let read: Vec<_> = chunk
            .par_iter()
            .zip(packs)
            .map(|(d, p)| {
                let (lens, terms) = page_terms(d, p, t2s);
                let terms: Vec<(Result<u32, TermKey>, [u16; 5], u8)> = terms
                    .into_iter()
                    .map(|(t, counts, pack)| (dict.get(&t).copied().ok_or(t), counts, pack))
                    .collect();
                (lens, terms)
            })
            .collect();
        for (lens, terms) in read {
            let mut ids = Vec::with_capacity(terms.len());
            for (t, counts, pack) in terms {
                let id = match t {
                    Ok(id) => id,
                    Err(t) => match dict.get(&t) {
                        Some(&id) => id, // new in this chunk, added by an earlier page
                        None => {
                            let id = df.len() as u32;
                            dict.insert(t, id);
                            df.push(0);
                            id
                        }
                    },
                };
                df[id as usize] += 1;
                ids.push((id, counts, pack));
            }
            pages.push(PageTerms { lens, terms: ids });
        }
    }
    let mut names = vec![String::new(); df.len()];
    let mut parts = vec![CharPart::Word; df.len()];
    // Character ids in term id order (the map's order is not the output's: ids never reach it).
    let mut by_id: Vec<Option<TermKey>> = vec![None; df.len()];
    for (t, id) in dict {
        by_id[id as usize] = Some(t);
    }
    let mut char_ids: ContentMap<char, u32> = ContentMap::default();
    let mut chars: Vec<char> = Vec::new();
    let mut char_id = |c: char| {
        *char_ids.entry(c).or_insert_with(|| {
            chars.push(c);
            chars.len() as u32 - 1
        })
    };
    for (id, t) in by_id.into_iter().enumerate() {
        names[id] = match t {
            Some(TermKey::Chars(key)) => {
                let mut s = String::new();
                unpack_chars(key, &mut s);
                let mut cs = s.chars();
                parts[id] = match (cs.next(), cs.next()) {
                    (Some(a), None) => CharPart::Lone(char_id(a)),
                    (Some(a), Some(b)) => CharPart::Pair(char_id(a), char_id(b)),
                    _ => CharPart::Word,
                };
                s
            }
            Some(TermKey::Word(w)) => w,
            None => String::new(),
        };
    }
    Terms {
        names,
        df,
        parts,
        chars,
        char_ids,
        pages,
    }
}

/// The posting lists: (term, [(page, weight × 32 + title flag and pack)]) sorted by term, and
/// the same per single character; and the characters the index holds.
struct Lists {
    terms: Vec<(String, Vec<(u32, u32)>)>,
    chars: Vec<(String, Vec<(u32, u32)>)>,
    /// The characters the index holds (by their ids).
    indexed: ContentMap<char, u32>,
}

/// The BM25F weight of every (term, page), in posting lists.
fn postings(terms: Terms, n_docs: usize) -> Lists {
    let Terms {
        names,
        df,
        parts,
        chars,
        char_ids,
        mut pages,
    } = terms;
    let n = n_docs.max(1) as f64;
    // Average field lengths.
    let avg: Vec<f64> = (0..5)
        .map(|f| (pages.iter().map(|p| f64::from(p.lens[f])).sum::<f64>() / n).max(1.0))
        .collect();
    // A term's inverse document frequency, once per term instead of once per page holding it.
    let idf: Vec<f64> = df
        .iter()
        .map(|&d| {
            let d = f64::from(d);
            (1.0 + (n - d + 0.5) / (d + 0.5)).ln()
        })
        .collect();

    // Lone characters live only in the character shards. Posting lists sized exactly (a term's
    // pages are its document frequency).
    let mut by_term: Vec<Vec<(u32, u32)>> = df
        .iter()
        .zip(&parts)
        .map(|(&d, part)| match part {
            CharPart::Lone(_) => Vec::new(),
            _ => Vec::with_capacity(d as usize),
        })
        .collect();
    let mut by_char: Vec<Vec<(u32, u32)>> = vec![Vec::new(); chars.len()];
    // Per page: term → (weight, title flag + pack), and single characters → their best
    // (weight, pack); a few hundred pages at a time, each chunk's terms freed once its weights
    // are in the posting lists (the counts and the weights are never all held at once).
    // `best` (by character id, (0, 0) when untouched) and `touched` are a thread's scratch.
    let weigh = |(best, touched): &mut (Vec<(u32, u32)>, Vec<u32>), p: &PageTerms| -> Weighted {
        let norm: [f64; 5] =
            std::array::from_fn(|f| WEIGHTS[f] / (1.0 - B + B * f64::from(p.lens[f]) / avg[f]));
        let mut terms = Vec::with_capacity(p.terms.len());
        // Ties go to the earlier pack, whatever the order of the page's terms.
        let mut offer = |c: u32, w: u32, pack: u32| {
            let e = &mut best[c as usize];
            if e.0 == 0 {
                touched.push(c);
            }
            if (w, std::cmp::Reverse(pack)) > (e.0, std::cmp::Reverse(e.1)) {
                *e = (w, pack);
            }
        };
        for &(id, counts, pack) in &p.terms {
            let pack = u32::from(pack);
            let tf: f64 = (0..5).map(|f| f64::from(counts[f]) * norm[f]).sum();
            let w = ((idf[id as usize] * tf * SCALE) / (K1 + tf))
                .round()
                .max(1.0) as u32;
            let title = if counts[0] > 0 { 16 } else { 0 };
            terms.push((id, w, pack + title));
            match parts[id as usize] {
                CharPart::Pair(a, b) => {
                    let inside = ((f64::from(w) * INSIDE).round() as u32).max(1);
                    offer(a, inside, pack);
                    offer(b, inside, pack);
                }
                CharPart::Lone(a) => offer(a, w, pack),
                CharPart::Word => {}
            }
        }
        let chars = touched
            .drain(..)
            .map(|c| {
                let (w, p) = std::mem::take(&mut best[c as usize]);
                (c, w, p)
            })
            .collect();
        (terms, chars)
    };
    let mut doc = 0u32;
    while !pages.is_empty() {
        let chunk: Vec<PageTerms> = pages.drain(..pages.len().min(256)).collect();
        let weighted: Vec<Weighted> = chunk
            .par_iter()
            .map_init(|| (vec![(0, 0); chars.len()], Vec::new()), weigh)
            .collect();
        drop(chunk);
        for (terms, page_chars) in weighted {
            for (id, w, p) in terms {
                if !matches!(parts[id as usize], CharPart::Lone(_)) {
                    by_term[id as usize].push((doc, w * 32 + p));
                }
            }
            for (c, w, p) in page_chars {
                by_char[c as usize].push((doc, w * 32 + (p & 15)));
            }
            doc += 1;
        }
    }
    drop(pages);
    let mut term_lists: Vec<(String, Vec<(u32, u32)>)> = names
        .into_iter()
        .zip(by_term)
        .filter(|(_, l)| !l.is_empty())
        .collect();
    term_lists.sort_by(|a, b| a.0.cmp(&b.0));
    let mut char_lists: Vec<(String, Vec<(u32, u32)>)> = chars
        .iter()
        .zip(by_char)
        .filter(|(_, l)| !l.is_empty())
        .map(|(c, l)| (c.to_string(), l))
        .collect();
    char_lists.sort_by(|a, b| a.0.cmp(&b.0));
    // A single character is a vague query: its best pages are enough (a few common characters
    // would otherwise hold a posting for nearly every page).
    char_lists.par_iter_mut().for_each(|(_, list)| {
        if list.len() > MAX_CHAR_POSTINGS {
            list.sort_by(|a, b| (b.1 >> 5).cmp(&(a.1 >> 5)).then(a.0.cmp(&b.0)));
            list.truncate(MAX_CHAR_POSTINGS);
            list.sort_unstable();
        }
    });
    Lists {
        terms: term_lists,
        chars: char_lists,
        indexed: char_ids,
    }
}

/// Pages per pack file: one page each below [`MAX_GROUPS`] pages, else groups of pages share.
fn group_size(n_docs: usize) -> usize {
    n_docs.div_ceil(MAX_GROUPS).max(1)
}

/// The pack files: the text shown for results, with the page's title and URL.
fn pack_files(docs: &[Doc], pack_of: &[Vec<usize>]) -> Vec<String> {
    // Pack `k` of the pages `g × group ..` share one file (fewer files to write on a large
    // site; one per page below `MAX_GROUPS` pages).
    let group = group_size(docs.len());
    docs.par_chunks(group)
        .zip(pack_of.par_chunks(group))
        .enumerate()
        .flat_map_iter(|(g, (docs, pack_of))| {
            let count = pack_of
                .iter()
                .filter_map(|p| p.last().map(|l| l + 1))
                .max()
                .unwrap_or(0);
            (0..count).map(move |k| {
                let mut body = open_script(&format!("{g}-{k}")) + "{";
                for (i, (d, p)) in docs.iter().zip(pack_of).enumerate() {
                    let Some(first) = p.iter().position(|&x| x == k) else {
                        continue;
                    };
                    let secs: Vec<&(String, String, String)> = d
                        .sections
                        .iter()
                        .zip(p)
                        .filter(|(_, &x)| x == k)
                        .map(|(s, _)| s)
                        .collect();
                    if !body.ends_with('{') {
                        body.push(',');
                    }
                    let pack = PackOut {
                        t: &d.title,
                        u: &d.url,
                        d: &d.description,
                        f: first,
                        s: secs,
                    };
                    let _ = write!(body, "\"{}\":", g * group + i);
                    // Serialized without a JSON tree in between (and without checking the
                    // whole file's text as UTF-8 again for each page, as a detour through
                    // its bytes did).
                    match serde_json::to_string(&pack) {
                        Ok(json) => body.push_str(&json),
                        Err(_) => body.push_str("null"),
                    }
                }
                body.push('}');
                body.push_str(SCRIPT_TAIL);
                body
            })
        })
        .collect()
}

/// The traditional → simplified map shipped for queries: the characters the pages or the
/// index hold.
fn traditional_map(docs: &[Doc], t2s: &T2s, indexed: &ContentMap<char, u32>) -> String {
    let raw: std::collections::HashSet<char> = docs
        .par_iter()
        .fold(std::collections::HashSet::new, |mut set, d| {
            let texts = d.sections.iter().flat_map(|s| [&s.1, &s.2]);
            for t in texts.chain([&d.title]) {
                set.extend(t.chars().filter(|&c| t2s.contains(c)));
            }
            set
        })
        .reduce(std::collections::HashSet::new, |mut a, b| {
            a.extend(b);
            a
        });
    super::t2s::shipped(t2s, &|c| indexed.contains_key(&c), &|c| raw.contains(&c))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sec(id: &str, heading: &str, text: &str) -> (String, String, String) {
        (id.to_owned(), heading.to_owned(), text.to_owned())
    }

    #[test]
    fn fnv_matches_known_values_and_words_share_a_shard_by_prefix() {
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
        assert_eq!(shard_key("icp"), "ic");
        assert_eq!(shard_key("i"), "i");
        assert_eq!(shard_key("备案"), "备案");
    }

    #[test]
    fn sections_pack_by_size_in_order() {
        let half = "字".repeat(PACK_BYTES / 6);
        let secs = vec![
            sec("", "t", "短"),
            sec("a", "A", &half),
            sec("b", "B", &half),
        ];
        assert_eq!(packs(&secs), vec![0, 0, 1]);
        let big = "字".repeat(PACK_BYTES / 3);
        let many: Vec<_> = (0..40).map(|i| sec(&i.to_string(), "h", &big)).collect();
        assert!(packs(&many).iter().all(|&p| p < MAX_PACKS));
    }

    #[test]
    fn past_max_groups_pages_share_pack_files_that_hold_each_page_once() {
        let docs: Vec<Doc> = (0..MAX_GROUPS + 3)
            .map(|i| Doc {
                title: format!("页{i}"),
                url: format!("p{i}.html"),
                description: if i == 1 {
                    "摘要".to_owned()
                } else {
                    String::new()
                },
                sections: vec![sec("", "t", "正文")],
            })
            .collect();
        let files = index_files(&docs, super::super::t2s::map()).unwrap();
        let manifest = String::from_utf8_lossy(&files[0].1).into_owned();
        assert!(manifest.contains("\"group\":2"), "{manifest}");
        let packs: Vec<&(String, Vec<u8>)> = files
            .iter()
            .filter(|f| f.0.rsplit('/').next().unwrap().contains('-'))
            .collect();
        // Two pages per file: ceil(2,051 / 2) files for pack 0.
        assert_eq!(packs.len(), (MAX_GROUPS + 3).div_ceil(2));
        let all: String = packs
            .iter()
            .map(|f| String::from_utf8_lossy(&f.1).into_owned())
            .collect();
        for i in [0, 1, MAX_GROUPS + 2] {
            assert_eq!(
                all.matches(&format!("\"u\":\"p{i}.html\"")).count(),
                1,
                "page {i}"
            );
        }
        let first = packs.iter().find(|f| f.0.ends_with("/0-0.js")).unwrap();
        let text = String::from_utf8_lossy(&first.1);
        assert!(
            text.contains("\"0\":{") && text.contains("\"1\":{"),
            "{text}"
        );
        assert!(
            text.contains("\"d\":\"摘要\""),
            "a description ships with its page: {text}"
        );
    }

    #[test]
    fn files_do_not_depend_on_the_number_of_threads() {
        // The passes run in parallel, a few hundred pages at a time: with one thread and with
        // four, over several chunks of pages that share terms, the files are the same bytes.
        let docs: Vec<Doc> = (0..700)
            .map(|i| Doc {
                title: format!("页{i} 續費"),
                url: format!("p{i}.html"),
                description: String::new(),
                sections: vec![
                    sec(
                        "",
                        "t",
                        &format!("续费与接入 第{i}号 备案{} icp{}", i % 7, i % 13),
                    ),
                    sec("s", "小节", &"正文".repeat(i % 5 + 1)),
                ],
            })
            .collect();
        let t2s = super::super::t2s::map();
        let with = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| index_files(&docs, t2s).unwrap())
        };
        let one = with(1);
        let four = with(4);
        assert_eq!(one.len(), four.len());
        for (a, b) in one.iter().zip(&four) {
            assert!(a == b, "{} differs between one thread and four", a.0);
        }
    }

    #[test]
    fn the_manifest_names_every_shard() {
        let docs = vec![
            Doc {
                title: "續費".to_owned(),
                url: "r.html".to_owned(),
                description: String::new(),
                sections: vec![sec("", "續費", "续费与保持接入 ICP 证书")],
            },
            Doc {
                title: "其他".to_owned(),
                url: "o.html".to_owned(),
                description: String::new(),
                sections: vec![sec("a", "小节", "接入")],
            },
        ];
        let t2s = super::super::t2s::map();
        let a = index_files(&docs, t2s).unwrap();
        assert_eq!(a[0].0, MANIFEST);
        let manifest = String::from_utf8(a[0].1.clone()).unwrap();
        let json: serde_json::Value = serde_json::from_str(
            manifest
                .strip_prefix("(self.beianSearch||(self.beianSearch={}))[\"index\"]=")
                .and_then(|s| s.strip_suffix(";\n"))
                .unwrap(),
        )
        .unwrap();
        let names: Vec<&str> = a.iter().map(|f| f.0.as_str()).collect();
        let gen = json["gen"].as_str().unwrap();
        for i in 0..json["terms"].as_u64().unwrap() {
            assert!(names.contains(&format!("search/{gen}/t{i}.js").as_str()));
        }
        // The traditional title is indexed as simplified, and its characters ship in the map.
        assert!(json["t2s"].as_str().unwrap().contains("續续"));
        let shards: String = a
            .iter()
            .filter(|f| f.0.contains("/t"))
            .map(|f| String::from_utf8_lossy(&f.1).into_owned())
            .collect();
        assert!(shards.contains("\"续费\":[0,"));
        assert!(!shards.contains("續費"));
        // Both pages hold 接入: page 0, then page 1 at a delta of 1.
        assert!(shards.contains("\"接入\":[0,"), "{shards}");
        let chars: String = a
            .iter()
            .filter(|f| f.0.contains("/c"))
            .map(|f| String::from_utf8_lossy(&f.1).into_owned())
            .collect();
        assert!(chars.contains("\"证\":[0,"), "证 finds the page with 证书");
    }
}
