//! Traditional → simplified characters for search: the index is built from simplified text, and
//! the page gets the part of the map it can need (characters whose simplified form is in the
//! index, or that occur in the indexed text), so a query typed in traditional characters finds
//! the same pages. The table is fast2s's, which is derived from OpenCC's character data; it is
//! read one character at a time, so the build and search.js apply exactly the same map.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::tokenize::FastMap;

/// Every CJK character that the table converts to one other character.
pub(super) fn map() -> &'static FastMap<char, char> {
    static MAP: OnceLock<FastMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| {
        // The table's characters are in the BMP's unified and compatibility ideographs and
        // extension A; each is asked on its own so that no context rule applies.
        let ranges = [0x3400..=0x4dbf_u32, 0x4e00..=0x9fff, 0xf900..=0xfaff];
        let mut out = FastMap::default();
        let mut buf = String::new();
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            buf.clear();
            buf.push(c);
            let s = fast2s::convert(&buf);
            let mut chars = s.chars();
            if let (Some(to), None) = (chars.next(), chars.next()) {
                if to != c {
                    out.insert(c, to);
                }
            }
        }
        out
    })
}

/// The entries of `map` a page can need, as `from to from to …` characters in code-point order:
/// those whose simplified form is one of `indexed` (characters of the simplified index) or whose
/// traditional form occurs in `raw` (characters of the text as shipped for snippets).
pub(super) fn shipped(
    map: &FastMap<char, char>,
    indexed: &dyn Fn(char) -> bool,
    raw: &dyn Fn(char) -> bool,
) -> String {
    let picked: BTreeMap<char, char> = map
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
            assert_eq!(m.get(&t), Some(&s), "{t}");
        }
        // Simplified characters are not converted.
        assert_eq!(m.get(&'备'), None);
        assert!(m.len() > 2000, "only {} entries", m.len());
    }

    #[test]
    fn only_entries_the_index_can_use_ship() {
        let m: FastMap<char, char> = [('備', '备'), ('過', '过'), ('著', '着')]
            .into_iter()
            .collect();
        let got = shipped(&m, &|c| c == '备', &|c| c == '著');
        assert_eq!(got, "備备著着");
    }
}
