//! Command-line entry point of beian-guide.
fn main() {}
