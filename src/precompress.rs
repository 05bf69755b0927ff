//! Precompressed copies of the text files a build writes: `name.gz` (gzip) and `name.br`
//! (brotli) beside `name`, for a web server to send as they are (nginx's `gzip_static` and
//! `brotli_static`, see `deploy/nginx.conf`) instead of compressing every response again.
//!
//! - Only text formats are compressed ([`applies`]): HTML, CSS, JavaScript, JSON, XML, SVG,
//!   WebAssembly and plain text. Images and fonts are compressed already.
//! - A copy is kept only where it helps ([`helps`]): at least a tenth smaller than the file,
//!   and a `.br` only where it is smaller than the `.gz` (the server would send it instead).
//! - The bytes depend on the input alone: the gzip header carries no time stamp, file name or
//!   system byte, and both encoders are deterministic at a fixed level.
//! - The levels are chosen for build time, measured on the 1,000 generated pages of
//!   `bench/run.sh` (22.8 MB of HTML, one core): gzip 6 takes 0.5 s for 5.36 MB; brotli 4 took
//!   0.7 s for 5.34 MB, no smaller than gzip, so a page's `.br` cost more than half the
//!   compression time and saved the reader nothing. Brotli at quality [`BROTLI_QUALITY`] is 13%
//!   smaller than gzip (4.64 MB, 1.1 s); below quality 5 it is no better than gzip, and above
//!   it costs far more for 1% less. Per-page files (pages, search shards, the print edition:
//!   written from the rendering threads) therefore get a `.br` only from
//!   [`BROTLI_MIN_PER_PAGE`] bytes on, where 13% of the gzip copy is more than a packet;
//!   smaller ones get gzip alone (a brotli-capable browser is then sent the `.gz`). The few
//!   site-wide files (static files, feeds, the sitemap, the service worker) get both.
//! - Brotli's window is at least 17 bits: at quality 5 and 6 a 16-bit window selects the
//!   encoder's "forgetful chain" hasher, which in this crate cost 24 s for the same 1,000
//!   pages (that was why quality 5 once made a build about 8 times slower).
//! - The few content-hashed checker files every checker reader loads (368 KB: 124 KB at
//!   brotli 5, 111 KB at 11) get gzip 9 and brotli [`BROTLI_ASSET_QUALITY`], compressed in
//!   parallel with the rest and linked from the previous build when unchanged.
//!
//! [`SETTINGS`] names these choices; the write stage lists it in the build's marker file, so
//! a later build reuses a previous build's copies of unchanged files only when they were made
//! the same way.

use std::io::Write;

/// The compression choices, as listed in the build's marker file. It holds a colon, which no
/// output path may contain, so it can never be mistaken for a file the build wrote.
pub const SETTINGS: &str =
    "precompress: gzip 6 / 9 (hashed assets); brotli 5 (window 17-22 by size; per-page files from 32768 bytes; kept where smaller than gzip) / 11 (hashed assets, window 22)";

/// Brotli quality for files that are not content-hashed assets.
pub const BROTLI_QUALITY: i32 = 5;
/// Brotli quality for content-hashed assets (few files, loaded by every reader).
pub const BROTLI_ASSET_QUALITY: i32 = 11;
/// The size from which a per-page file (one written by the rendering threads: a page, a search
/// shard, the print edition) also gets a brotli copy.
pub const BROTLI_MIN_PER_PAGE: usize = 32 * 1024;

/// The file name extensions (lower case) of the formats that are precompressed.
const TEXT_EXTENSIONS: &[&str] = &[
    "html",
    "htm",
    "css",
    "js",
    "mjs",
    "json",
    "xml",
    "svg",
    "wasm",
    "txt",
    "map",
    "webmanifest",
];

/// An encoder: the compressed bytes of a file (None if the encoder failed, which writing
/// into memory does not).
pub type Encoder = fn(&str, &[u8]) -> Option<Vec<u8>>;

/// The two encodings, as (file name suffix, encoder).
pub const ENCODINGS: [(&str, Encoder); 2] = [("gz", gzip), ("br", brotli)];

/// The encodings a file of `len` bytes at `rel` gets: both for a site-wide file or a hashed
/// asset, gzip alone for a per-page file under [`BROTLI_MIN_PER_PAGE`] bytes (see the module
/// doc).
pub fn encodings(rel: &str, len: usize, per_page: bool) -> &'static [(&'static str, Encoder)] {
    match per_page && len < BROTLI_MIN_PER_PAGE && !is_hashed_asset(rel) {
        true => &ENCODINGS[..1],
        false => &ENCODINGS,
    }
}

/// Whether the output `rel` (a site-relative path) is of a format that is precompressed.
pub fn applies(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        TEXT_EXTENSIONS
            .iter()
            .any(|known| known.eq_ignore_ascii_case(ext))
    })
}

/// Whether a compressed copy of `compressed` bytes is worth keeping beside a file of
/// `original` bytes: at least a tenth smaller (a tiny file, whose copy would be larger once
/// headers are counted, or an already compressed one, is served as it is).
pub fn helps(original: usize, compressed: usize) -> bool {
    compressed.saturating_mul(10) <= original.saturating_mul(9)
}

/// Whether `rel` is a content-hashed asset: a file name with an 8-hex-digit hash before its
/// extension (`checker/checker.0123abcd.wasm`), as the build names the checker's files.
fn is_hashed_asset(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let mut parts = name.rsplit('.');
    let _ext = parts.next();
    parts
        .next()
        .is_some_and(|h| h.len() == 8 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// gzip (level 6 for pages, 9 for hashed assets), with a header that holds no time stamp,
/// file name or system.
pub fn gzip(rel: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    let level = match is_hashed_asset(rel) {
        true => flate2::Compression::best(),
        false => flate2::Compression::new(6),
    };
    let out = Vec::with_capacity(bytes.len() / 3 + 64);
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(out, level);
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok()
}

/// The brotli window for `rel`: 22 bits for hashed assets; for another file, just wide enough
/// to hold the whole file (at least 17 bits, see the module doc; at most 22). The encoder sizes
/// and clears its tables by the window, so a 4 MiB window for a 30 KB file would cost more
/// system time (page faults) than the compression itself.
fn window_bits(rel: &str, len: usize) -> i32 {
    if is_hashed_asset(rel) {
        return 22;
    }
    let mut bits = 17;
    while bits < 22 && (1usize << bits) < len {
        bits += 1;
    }
    bits
}

/// brotli at the quality for `rel` (see the module doc).
pub fn brotli(rel: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: match is_hashed_asset(rel) {
            true => BROTLI_ASSET_QUALITY,
            false => BROTLI_QUALITY,
        },
        lgwin: window_bits(rel, bytes.len()),
        size_hint: bytes.len(),
        mode: match rel.ends_with(".wasm") {
            true => brotli::enc::backward_references::BrotliEncoderMode::BROTLI_MODE_GENERIC,
            false => brotli::enc::backward_references::BrotliEncoderMode::BROTLI_MODE_TEXT,
        },
        ..Default::default()
    };
    let mut out = Vec::with_capacity(bytes.len() / 3 + 64);
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).ok()?;
    Some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn text_formats_only() {
        for yes in [
            "index.html",
            "en/guides/a.html",
            "checker/checker.0123abcd.js",
            "search/zh.json",
            "sitemap.xml",
            "checker/checker.0123abcd.wasm",
            "icon.SVG",
        ] {
            assert!(applies(yes), "{yes}");
        }
        for no in [
            "logo.png",
            "font.woff2",
            "a.html.gz",
            "a.html.br",
            "LICENSE",
            "dir.x/y",
        ] {
            assert!(!applies(no), "{no}");
        }
    }

    #[test]
    fn copies_decompress_to_the_original_and_do_not_depend_on_time_or_name() {
        let text = "<p>备案没有有效期。</p>\n".repeat(200);
        let gz = gzip("a.html", text.as_bytes()).unwrap();
        // No file name flag, no time stamp, "unknown" system (byte 8 only says the level).
        assert_eq!(&gz[3..8], &[0, 0, 0, 0, 0]);
        assert_eq!(gz[9], 255);
        assert_eq!(gz, gzip("b/c.html", text.as_bytes()).unwrap());
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, text);
        let br = brotli("a.html", text.as_bytes()).unwrap();
        assert_eq!(br, brotli("a.html", text.as_bytes()).unwrap());
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut back).unwrap();
        assert_eq!(back, text.as_bytes());
        assert!(helps(text.len(), gz.len()) && helps(text.len(), br.len()));
    }

    #[test]
    fn a_copy_that_saves_little_is_not_kept() {
        let tiny = b"User-agent: *\n";
        assert!(!helps(tiny.len(), gzip("robots.txt", tiny).unwrap().len()));
        assert!(!helps(100, 91));
        assert!(helps(100, 90));
    }

    #[test]
    fn small_per_page_files_get_gzip_alone_and_site_wide_files_both() {
        let names = |rel: &str, len: usize, per_page: bool| -> Vec<&str> {
            encodings(rel, len, per_page)
                .iter()
                .map(|(s, _)| *s)
                .collect()
        };
        assert_eq!(names("guides/a.html", 23_000, true), ["gz"]);
        assert_eq!(names("search/0123abcd/1-0.js", 2_000, true), ["gz"]);
        assert_eq!(names("print.html", BROTLI_MIN_PER_PAGE, true), ["gz", "br"]);
        assert_eq!(names("style.css", 17_000, false), ["gz", "br"]);
        assert_eq!(
            names("checker/rules.00ff00ff.js", 1_000, true),
            ["gz", "br"]
        );
    }

    #[test]
    fn the_window_is_never_under_17_bits_and_fits_the_file() {
        assert_eq!(window_bits("a.html", 100), 17);
        assert_eq!(window_bits("a.html", 200_000), 18);
        assert_eq!(window_bits("print.html", 40 << 20), 22);
        assert_eq!(window_bits("checker/checker.0123abcd.wasm", 100), 22);
    }

    #[test]
    fn hashed_assets_are_told_from_pages() {
        assert!(is_hashed_asset("checker/checker.0123abcd.wasm"));
        assert!(is_hashed_asset("checker/rules.00ff00ff.json"));
        assert!(!is_hashed_asset("guides/renewal.html"));
        assert!(!is_hashed_asset("checker/loader.js"));
        assert!(!is_hashed_asset("search/0123abcd/1-0.js"));
    }
}
