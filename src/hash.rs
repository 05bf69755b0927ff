//! FNV-1a 64, the one content hash of the generator: its values are fixed across Rust releases
//! (unlike `std`'s `DefaultHasher`), so names and versions derived from content stay
//! byte-identical on any toolchain. It only has to change when the content changes (cache
//! busting, index file names, the service worker's version), not resist attacks.
//!
//! This file is compiled twice, as `beian_guide::hash` and inside build.rs (through `#[path]`,
//! for `src/wasm/shared.rs`), so it uses `std` only. (The search index's shard hash, FNV-1a 32
//! over UTF-16 units, is part of its format with `search.js` and lives with it.)

/// FNV-1a 64's offset basis: the hash of no bytes.
pub const FNV64_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a 64 of `bytes`, continuing from the hash `h` (start from [`FNV64_OFFSET`]).
pub fn fnv1a64_from(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// FNV-1a 64 of `bytes`.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    fnv1a64_from(FNV64_OFFSET, bytes)
}

/// Eight hex digits naming `bytes`: FNV-1a 64, folded to 32 bits.
pub fn content_hash(bytes: &[u8]) -> String {
    let h = fnv1a64(bytes);
    format!("{:08x}", (h >> 32) ^ (h & 0xffff_ffff))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_the_reference_values() {
        // The FNV reference values: "" is the offset basis; "a" and "foobar" from its test suite.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
        // Continuing a hash is hashing the concatenation.
        assert_eq!(fnv1a64_from(fnv1a64(b"foo"), b"bar"), fnv1a64(b"foobar"));
        assert_eq!(
            content_hash(b"a"),
            format!("{:08x}", 0xaf63_dc4cu64 ^ 0x8601_ec8c)
        );
    }
}
