//! Integration tests over fixture sites (the one integration-test binary).
//!
//! `common` builds fixture sites from `tests/fixtures/<name>/` in temp dirs; each other module
//! covers one feature.

// Tests fail loudly on unexpected results; that is what unwrap is for here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser;
mod checker;
mod checker_assets;
mod cli;
mod common;
mod content_lint;
mod errors;
mod generate;
mod hardening;
// `src/wasm/shared.rs` (compiled in `reproducible`) uses `crate::hash`, as in the library.
#[allow(dead_code, unreachable_pub)]
#[path = "../../src/hash.rs"]
mod hash;
mod i18n;
mod messages;
mod nginx;
mod parity;
mod reproducible;
mod search;
mod self_contained;
mod serve;
mod theme;
