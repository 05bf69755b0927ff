//! Stage 7, `write`: everything goes into a staging folder next to the output folder, which then
//! replaces the old one; a failed build deletes the staging folder and leaves the old site.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

/// A staging folder that becomes the output folder on `finish`, and is removed if dropped before.
#[derive(Debug)]
pub struct Staging {
    tmp: PathBuf,
    out: PathBuf,
    done: bool,
}

fn sibling(out: &Path, tag: &str) -> anyhow::Result<PathBuf> {
    let name = out
        .file_name()
        .with_context(|| format!("output folder `{}` has no name", out.display()))?
        .to_string_lossy();
    Ok(out.with_file_name(format!("{name}.{tag}-{}", std::process::id())))
}

impl Staging {
    /// Creates `<out>.tmp-<pid>` next to `out`. Refuses an output folder that contains `root`.
    pub fn new(out: &Path, root: &Path) -> anyhow::Result<Staging> {
        let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        if abs(root).starts_with(abs(out)) {
            bail!(
                "output folder `{}` contains the site's sources; choose another `--out` or `[build] build-dir`",
                out.display()
            );
        }
        let tmp = sibling(out, "tmp")?;
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)
                .with_context(|| format!("cannot remove `{}`", tmp.display()))?;
        }
        std::fs::create_dir_all(&tmp)
            .with_context(|| format!("cannot create `{}`", tmp.display()))?;
        Ok(Staging {
            tmp,
            out: out.to_path_buf(),
            done: false,
        })
    }

    /// Writes `bytes` to `rel` (a site-root-relative path) inside the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.tmp.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create `{}`", parent.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write `{}`", path.display()))
    }

    /// Copies the file at `src` to `rel`.
    pub fn copy(&self, rel: &str, src: &Path) -> anyhow::Result<()> {
        let bytes =
            std::fs::read(src).with_context(|| format!("cannot read `{}`", src.display()))?;
        self.write(rel, &bytes)
    }

    /// Swaps the staging folder in place of the output folder.
    pub fn finish(mut self) -> anyhow::Result<PathBuf> {
        let old = sibling(&self.out, "old")?;
        if self.out.exists() {
            std::fs::rename(&self.out, &old).with_context(|| {
                format!(
                    "cannot move the previous output `{}` aside",
                    self.out.display()
                )
            })?;
        }
        std::fs::rename(&self.tmp, &self.out).with_context(|| {
            format!(
                "cannot move `{}` to `{}`",
                self.tmp.display(),
                self.out.display()
            )
        })?;
        self.done = true;
        if old.exists() {
            remove_tree(&old)?;
        }
        Ok(self.out.clone())
    }
}

/// Removes a folder tree, deleting its files in parallel (a large previous site is most of
/// the time a rebuild spends in the kernel).
fn remove_tree(dir: &Path) -> anyhow::Result<()> {
    use rayon::prelude::*;
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().try_for_each(|f| {
        std::fs::remove_file(f).with_context(|| format!("cannot remove `{}`", f.display()))
    })?;
    std::fs::remove_dir_all(dir).with_context(|| format!("cannot remove `{}`", dir.display()))
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            // Best effort: a leftover staging folder is harmless and removed by the next build.
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}
