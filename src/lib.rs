//! beian-guide: turns `content/` and `templates/` into a static site (the pipeline lives here).

pub mod checker;
pub mod diagnostic;
pub mod lint;
pub mod wasm;
