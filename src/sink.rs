//! Where a run puts the site: a staging folder swapped in at the end (`build`, see
//! [`crate::write::Staging`]) or memory (`serve`; [`Sink::memory`] in `incremental` makes one
//! from the serve cache).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::Context;

/// The built site in memory: site-root-relative path → bytes.
pub type Files = HashMap<String, Arc<[u8]>>;

/// Where a run puts the site: a staging folder on disk (`build`) or memory (`serve`). Same
/// methods as [`crate::write::Staging`].
#[derive(Debug)]
pub enum Sink {
    /// `build`: a staging folder swapped in on `finish`.
    Disk(Box<crate::write::Staging>),
    /// `serve`: the cache's pending files.
    Memory(Arc<Mutex<Files>>),
}

impl Sink {
    /// A staging folder for `out` (see [`crate::write::Staging::new`]).
    pub fn disk(
        out: &Path,
        protected: &crate::write::Protected,
        precompress: bool,
    ) -> anyhow::Result<Sink> {
        crate::write::Staging::new(out, protected, precompress).map(|s| Sink::Disk(Box::new(s)))
    }

    /// Writes `bytes` to the site-root-relative `rel`.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
        match self {
            Sink::Disk(s) => s.write(rel, bytes),
            Sink::Memory(m) => {
                crate::write::check_output_path(rel).map_err(anyhow::Error::msg)?;
                let mut files = m
                    .lock()
                    .map_err(|_| anyhow::anyhow!("a rendering thread panicked"))?;
                files.insert(rel.to_owned(), Arc::from(bytes));
                Ok(())
            }
        }
    }

    /// Copies the file at `src` to `rel`.
    pub fn copy(&self, rel: &str, src: &Path) -> anyhow::Result<()> {
        match self {
            Sink::Disk(s) => s.copy(rel, src),
            Sink::Memory(_) => {
                let bytes = std::fs::read(src)
                    .with_context(|| format!("cannot read `{}`", src.display()))?;
                self.write(rel, &bytes)
            }
        }
    }

    /// Finishes the output: swaps the staging folder in (disk) or does nothing (memory: the
    /// caller commits the cache). Returns the output folder (empty for memory).
    pub fn finish(self) -> anyhow::Result<PathBuf> {
        match self {
            Sink::Disk(s) => s.finish(),
            Sink::Memory(_) => Ok(PathBuf::new()),
        }
    }
}
