//! Traditional → simplified characters for search: the index is built from simplified text, and
//! the page gets the part of the map it can need (characters whose simplified form is in the
//! index, or that occur in the indexed text), so a query typed in traditional characters finds
//! the same pages. The table is fast2s's, which is derived from OpenCC's character data; it is
//! read one character at a time, so the build and search.js apply exactly the same map.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::tokenize::FastMap;

/// The traditional → simplified table, with a bit per Basic Multilingual Plane code point that
/// says whether the table holds it: the tokeniser asks for every character of every page, and
/// almost none are traditional, so most questions are answered by one bit instead of a hash
/// lookup.
#[derive(Debug)]
pub struct T2s {
    /// Bit `c` is set when `c` (below U+10000) is a key of `map`.
    bits: Box<[u64]>,
    map: FastMap<char, char>,
}

/// Code points the bit set covers (every key is below: see [`map`]).
const BMP: usize = 0x1_0000;

impl T2s {
    /// A table from `from → to` pairs (keys must be in the BMP; others are left out).
    pub fn new(pairs: impl IntoIterator<Item = (char, char)>) -> T2s {
        let mut bits = vec![0u64; BMP / 64].into_boxed_slice();
        let mut map = FastMap::default();
        for (from, to) in pairs {
            let n = from as usize;
            if n < BMP {
                bits[n / 64] |= 1 << (n % 64);
                map.insert(from, to);
            }
        }
        T2s { bits, map }
    }

    /// Whether `c` is a traditional character the table converts.
    pub fn contains(&self, c: char) -> bool {
        let n = c as usize;
        n < BMP && self.bits[n / 64] & (1 << (n % 64)) != 0
    }

    /// The simplified form of `c`, when it is a traditional character the table converts.
    pub fn get(&self, c: char) -> Option<char> {
        match self.contains(c) {
            true => self.map.get(&c).copied(),
            false => None,
        }
    }

    /// Entries in the table.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// Every CJK character that the table converts to one other character.
pub(super) fn map() -> &'static T2s {
    static MAP: OnceLock<T2s> = OnceLock::new();
    MAP.get_or_init(|| {
        // The table's characters are in the BMP's unified and compatibility ideographs and
        // extension A; each is asked on its own so that no context rule applies.
        let ranges = [0x3400..=0x4dbf_u32, 0x4e00..=0x9fff, 0xf900..=0xfaff];
        let mut buf = String::new();
        T2s::new(
            ranges
                .into_iter()
                .flatten()
                .filter_map(char::from_u32)
                .filter_map(|c| {
                    buf.clear();
                    buf.push(c);
                    let s = fast2s::convert(&buf);
                    let mut chars = s.chars();
                    match (chars.next(), chars.next()) {
                        (Some(to), None) if to != c => Some((c, to)),
                        _ => None,
                    }
                }),
        )
    })
}

/// The entries of `map` a page can need, as `from to from to …` characters in code-point order:
/// those whose simplified form is one of `indexed` (characters of the simplified index) or whose
/// traditional form occurs in `raw` (characters of the text as shipped for snippets).
pub(super) fn shipped(
    map: &T2s,
    indexed: &dyn Fn(char) -> bool,
    raw: &dyn Fn(char) -> bool,
) -> String {
    let picked: BTreeMap<char, char> = map
        .map
        .iter()
        .filter(|(&t, &s)| indexed(s) || raw(t))
        .map(|(&t, &s)| (t, s))
        .collect();
    picked.into_iter().flat_map(|(t, s)| [t, s]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_common_traditional_characters() {
        let m = map();
        for (t, s) in [
            ('備', '备'),
            ('過', '过'),
            ('網', '网'),
            ('證', '证'),
            ('續', '续'),
        ] {
            assert_eq!(m.get(t), Some(s), "{t}");
            assert!(m.contains(t));
        }
        // Simplified characters are not converted.
        assert_eq!(m.get('备'), None);
        assert!(!m.contains('备') && !m.contains('a') && !m.contains('\u{2f800}'));
        assert!(m.len() > 2000, "only {} entries", m.len());
    }

    #[test]
    fn only_entries_the_index_can_use_ship() {
        let m = T2s::new([('備', '备'), ('過', '过'), ('著', '着')]);
        let got = shipped(&m, &|c| c == '备', &|c| c == '著');
        assert_eq!(got, "備备著着");
    }
}
