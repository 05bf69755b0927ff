//! Integration tests over fixture sites.
