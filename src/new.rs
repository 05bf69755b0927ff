//! `beian-guide new <path>`: creates a page with complete front matter, ready to write in.
//!
//! Every folder on the way to a page needs an `_index.md` (the load stage rejects holes in the
//! tree), so `new` also creates the missing section indexes, and says so; it never overwrites.

use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Context};
use chrono::NaiveDate;

use crate::config;

/// What `new` created, relative to the site root, in creation order (sections first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Created {
    /// The new page.
    pub page: PathBuf,
    /// Section indexes created for folders that had none.
    pub sections: Vec<PathBuf>,
}

/// Creates the page `path` (inside the content folder; a leading `content/` and a missing `.md`
/// are accepted) in the site at `root`, with `title` (default: the file stem) and `reviewed =
/// today`. Fails, writing nothing, if the page exists or the path leaves the content folder.
pub fn new_page(
    root: &Path,
    path: &Path,
    title: Option<&str>,
    today: NaiveDate,
) -> anyhow::Result<Created> {
    let config = config::load(root).map_err(crate::diagnostic::Diagnostics)?;
    let content = &config.build.content;
    let rel = content_relative(path, content)?;
    refuse_links(root, content, &rel)?;
    let page_file = root.join(content).join(&rel);
    if page_file.exists() {
        bail!(
            "`{}` already exists; `new` never overwrites a page (edit it, or pick another name)",
            content.join(&rel).display()
        );
    }
    let stem = rel
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("page")
        .to_owned();
    let source = crate::paths::relative_name(&rel)
        .map_err(|e| anyhow::anyhow!("bad file name: {e}; rename the page"))?;
    if let (Some(tag), base) = crate::load::split_language(&source) {
        bail!(
            "`{}` is named like a `{tag}` translation (`.{tag}.md`); `new` creates pages of the default language only. For a translation, copy `{}` to `{}`, translate it, write its `description` in that language and set `source-updated` to the date of the page it translates; a page's own name cannot end in `.{tag}`",
            content.join(&rel).display(),
            content.join(&base).display(),
            content.join(&rel).display(),
        );
    }

    // Missing `_index.md` files, from the top of the content folder down to the page's folder.
    let mut sections = Vec::new();
    let mut dir = PathBuf::new();
    let folders: Vec<_> = rel
        .parent()
        .map(|p| p.components().collect())
        .unwrap_or_default();
    let mut wanted = vec![PathBuf::new()];
    for c in folders {
        dir.push(c);
        wanted.push(dir.clone());
    }
    for d in wanted {
        let index = d.join("_index.md");
        if index == rel || root.join(content).join(&index).exists() {
            continue;
        }
        let name = d
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or("首页")
            .to_owned();
        sections.push((index, name));
    }

    let page_title = title.map_or_else(|| stem.clone(), str::to_owned);
    // What is written is exactly what the build reads back: a blank title, a control character
    // or a name the build refuses is refused here, with the build's own message.
    let text = front_matter(&page_title, today);
    crate::load::parse_page(source, content.join(&rel), text.clone())
        .map_err(crate::diagnostic::Diagnostics)?;
    for (index, name) in &sections {
        write_new(&root.join(content).join(index), &front_matter(name, today))?;
    }
    write_new(&page_file, &text)?;
    Ok(Created {
        page: content.join(&rel),
        sections: sections.into_iter().map(|(i, _)| content.join(i)).collect(),
    })
}

/// Refuses a page path through a symbolic link inside the content folder: the build does not
/// follow such links, and the page would be written wherever the link points, maybe outside
/// the site.
fn refuse_links(root: &Path, content: &Path, rel: &Path) -> anyhow::Result<()> {
    let mut shown = content.to_path_buf();
    for part in rel.components() {
        shown.push(part);
        let is_link =
            std::fs::symlink_metadata(root.join(&shown)).is_ok_and(|m| m.file_type().is_symlink());
        if is_link {
            bail!(
                "`{}` is a symbolic link; `new` does not write through links (the build does not follow them either): pick a path inside the content folder's own folders",
                shown.display()
            );
        }
    }
    Ok(())
}

/// The path inside the content folder, normalised to end in `.md`.
fn content_relative(path: &Path, content: &Path) -> anyhow::Result<PathBuf> {
    let mut rel = path.strip_prefix(content).unwrap_or(path).to_path_buf();
    if rel.extension().and_then(|e| e.to_str()) != Some("md") {
        let mut name = rel.file_name().unwrap_or_default().to_os_string();
        name.push(".md");
        rel.set_file_name(name);
    }
    let ok = rel.components().all(|c| matches!(c, Component::Normal(_)))
        && rel.file_stem().is_some_and(|s| !s.is_empty());
    if !ok {
        bail!(
            "`{}` is not a path inside the content folder; write it like `guides/my-page.md`",
            path.display()
        );
    }
    Ok(rel)
}

/// The front matter of a new page: every key a reviewed, sourced page has (comments in zh-CN,
/// like the site's content).
pub fn front_matter(title: &str, today: NaiveDate) -> String {
    let title = toml_string(title);
    format!(
        "+++\n\
title = {title}\n\
description = \"\"  # 一句话摘要，用于搜索结果和列表\n\
weight = 100  # 在侧边栏和列表里的顺序：小的在前\n\
reviewed = {today}  # 最后一次对照来源核对本页的日期\n\
# 每条事实都要有来源：每份文件写一项，并在正文里用脚注 [^1] 引用，例如\n\
#   sources = [{{ title = \"工信部：…\", url = \"https://…\", date = {today} }}]\n\
sources = []\n\
+++\n\
\n\
在这里写正文。引用来源时在句末加脚注[^1]，并在页面末尾写出脚注内容。\n\
\n\
[^1]: 来源标题，网址。\n"
    )
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes a file that must not exist yet (the check and the create are one step).
fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder `{}`", parent.display()))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create `{}`", path.display()))?;
    f.write_all(text.as_bytes())
        .with_context(|| format!("cannot write `{}`", path.display()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_normalised_and_escapes_refused() {
        let c = Path::new("content");
        assert_eq!(
            content_relative(Path::new("content/guides/x"), c).unwrap(),
            PathBuf::from("guides/x.md")
        );
        assert!(content_relative(Path::new("../x.md"), c).is_err());
        assert!(content_relative(Path::new("/etc/x.md"), c).is_err());
    }

    #[test]
    fn front_matter_parses_as_a_page() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let text = front_matter("含 \"引号\" 的标题", today);
        let page = crate::load::parse_page("x.md".into(), "content/x.md".into(), text).unwrap();
        assert_eq!(page.title, "含 \"引号\" 的标题");
        assert_eq!(page.front.reviewed, Some(today));
        assert!(page.front.sources.is_empty());
    }
}
