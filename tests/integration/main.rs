//! Integration tests over fixture sites.
mod parity;
mod content_lint;
