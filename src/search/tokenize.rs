//! The search tokeniser: CJK character bigrams (a lone character stays) and lowercased words,
//! with full-width forms folded and traditional characters read as simplified. It must agree
//! with `tokenize` in static/search.js, which tokenises the query; the integration tests run
//! both over the same cases.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

pub use super::t2s::T2s;

/// A fast hasher for maps whose keys are fixed by the program (the traditional → simplified
/// table), never by the site's text: it spreads nearby code points but does not resist crafted
/// keys (keys sharing their low bits share a bucket), so maps keyed by a page's text use
/// [`ContentMap`] instead.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with [`FastHasher`] (deterministic, unlike the standard map's random state), for
/// keys the program fixes.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// A `HashMap` for keys taken from the site's text (terms, characters): the standard library's
/// SipHash with per-process random keys, so crafted text cannot make its terms collide (with
/// [`FastHasher`], 20,000 bigrams sharing their second character made the search stage about 10
/// times slower and quadratic; `bench/search-collisions.sh`). Nothing in the output depends on
/// the maps' order: terms are sorted before they are written.
pub type ContentMap<K, V> = HashMap<K, V, std::hash::RandomState>;

/// Characters that are invisible inside a word and must not split it: zero-width space, zero-width
/// non-joiner and joiner, word joiner, soft hyphen, and the zero-width no-break space (BOM). The
/// tokeniser skips them (so does `tokenize` in search.js) and the indexed text leaves them out.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{00ad}' | '\u{feff}'
    )
}

/// `text` without the [`is_invisible`] characters (borrowed when it has none).
pub fn strip_invisible(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_invisible) {
        std::borrow::Cow::Owned(text.chars().filter(|&c| !is_invisible(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Longest word (in characters) that is indexed; longer runs are hashes or noise.
const MAX_WORD: usize = 40;

/// Scripts written without spaces: Han, kana, hangul (the same ranges as `CJK` in search.js).
pub fn is_cjk(c: char) -> bool {
    matches!(
        c as u32,
        0x3040..=0x30ff
            | 0x3400..=0x4dbf
            | 0x4e00..=0x9fff
            | 0xac00..=0xd7af
            | 0xf900..=0xfaff
            | 0x20000..=0x2fa1f
    )
}

/// Full-width ASCII forms and the ideographic space → ASCII (one character for one).
fn fold(c: char) -> char {
    match c as u32 {
        n @ 0xff01..=0xff5e => char::from_u32(n - 0xfee0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// One index term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Two CJK characters.
    Bigram,
    /// A CJK character with no CJK neighbour.
    Lone,
    /// A lowercased run of letters and digits.
    Word,
}

/// A term before it is a string: CJK terms packed into an integer (the index counts them in
/// integer-keyed maps: most of a Chinese page's terms, hashed and compared without a string),
/// words as lowercased text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    /// A lone CJK character or a bigram, see [`pack_chars`].
    Chars(u64),
    /// A lowercased run of letters and digits.
    Word(&'a str),
}

/// Marks a packed bigram (a lone character's code point is below 2^21).
const BIGRAM: u64 = 1 << 42;

/// Packs a lone character (`second` = `None`) or a bigram into one integer.
pub fn pack_chars(first: char, second: Option<char>) -> u64 {
    match second {
        None => u64::from(u32::from(first)),
        Some(b) => BIGRAM | u64::from(u32::from(first)) << 21 | u64::from(u32::from(b)),
    }
}

/// The characters of a packed CJK term, written into `out` (cleared first).
pub fn unpack_chars(key: u64, out: &mut String) -> Kind {
    out.clear();
    let char_at = |bits: u64| char::from_u32((bits & 0x1f_ffff) as u32).unwrap_or('\u{fffd}');
    if key & BIGRAM == 0 {
        out.push(char_at(key));
        Kind::Lone
    } else {
        out.push(char_at(key >> 21));
        out.push(char_at(key));
        Kind::Bigram
    }
}

/// Calls `emit` with each term of `text` (after `t2s`, folding and lowercasing), CJK terms
/// packed ([`Token::Chars`]).
pub fn tokens(text: &str, t2s: &T2s, mut emit: impl FnMut(Token<'_>)) {
    // The current CJK run: its previous character and whether it is the run's only one so far.
    let mut prev: Option<char> = None;
    let mut run_len = 0usize;
    let mut word = String::new();
    let mut word_len = 0;
    let mut lower = String::new();
    let flush_cjk =
        |prev: &mut Option<char>, run_len: &mut usize, emit: &mut dyn FnMut(Token<'_>)| {
            if *run_len == 1 {
                if let Some(c) = *prev {
                    emit(Token::Chars(pack_chars(c, None)));
                }
            }
            *prev = None;
            *run_len = 0;
        };
    let mut flush_word = |word: &mut String, len: &mut usize, emit: &mut dyn FnMut(Token<'_>)| {
        if *len > 0 && *len <= MAX_WORD {
            if word.is_ascii() {
                lower.clear();
                lower.extend(word.chars().map(|c| c.to_ascii_lowercase()));
                emit(Token::Word(&lower));
            } else {
                emit(Token::Word(&word.to_lowercase()));
            }
        }
        word.clear();
        *len = 0;
    };
    for raw in text.chars() {
        // ASCII is never traditional nor full-width: no map lookup for it.
        let c = if raw.is_ascii() {
            raw
        } else if is_invisible(raw) {
            // Invisible inside a word (a zero-width space, a soft hyphen): not a separator.
            continue;
        } else {
            fold(t2s.get(raw).unwrap_or(raw))
        };
        // A run is only flushed when there is one (most characters continue a run or sit
        // between two spaces and punctuation).
        if !c.is_ascii() && is_cjk(c) {
            if word_len > 0 {
                flush_word(&mut word, &mut word_len, &mut emit);
            }
            if let Some(p) = prev {
                emit(Token::Chars(pack_chars(p, Some(c))));
            }
            prev = Some(c);
            run_len += 1;
        } else if c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric()) {
            if run_len > 0 {
                flush_cjk(&mut prev, &mut run_len, &mut emit);
            }
            word.push(c);
            word_len += 1;
        } else {
            if run_len > 0 {
                flush_cjk(&mut prev, &mut run_len, &mut emit);
            }
            if word_len > 0 {
                flush_word(&mut word, &mut word_len, &mut emit);
            }
        }
    }
    flush_cjk(&mut prev, &mut run_len, &mut emit);
    flush_word(&mut word, &mut word_len, &mut emit);
}

/// Calls `emit` with each term of `text` as a string, in the order of [`tokens`].
pub fn tokenize(text: &str, t2s: &T2s, mut emit: impl FnMut(&str, Kind)) {
    let mut buf = String::new();
    tokens(text, t2s, |t| match t {
        Token::Chars(key) => {
            let kind = unpack_chars(key, &mut buf);
            emit(&buf, kind);
        }
        Token::Word(w) => emit(w, Kind::Word),
    });
}

/// The terms of `text` as strings (tests and tools).
pub fn terms(text: &str, t2s: &T2s) -> Vec<String> {
    let mut out = Vec::new();
    tokenize(text, t2s, |t, _| out.push(t.to_owned()));
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The cases search.js must pass too (tests/integration/search.rs runs them in Node).
    #[test]
    fn shared_cases_with_search_js() {
        let cases: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/search/tokenize-cases.json")).unwrap();
        let t2s = super::super::t2s::map();
        for case in cases["cases"].as_array().unwrap() {
            let text = case[0].as_str().unwrap();
            let want: Vec<&str> = case[1]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            assert_eq!(terms(text, t2s), want, "tokenize({text})");
        }
    }

    #[test]
    fn kinds_and_long_words() {
        let none = T2s::new([]);
        let mut kinds = Vec::new();
        tokenize("证 ICP证书", &none, |t, k| kinds.push((t.to_owned(), k)));
        assert_eq!(
            kinds,
            [
                ("证".to_owned(), Kind::Lone),
                ("icp".to_owned(), Kind::Word),
                ("证书".to_owned(), Kind::Bigram)
            ]
        );
        assert!(terms(&"a".repeat(MAX_WORD + 1), &none).is_empty());
    }
}
