//! Command-line interface (clap derive); each subcommand is a short call into the library.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Static site generator for the beian-guide site.
#[derive(Debug, Parser)]
#[command(name = "beian-guide", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default `public/`).
    Build(BuildArgs),
    /// Run the whole pipeline without writing; report every problem; exit 1 on any error.
    Check(CheckArgs),
    /// Classify one checker input (JSON from FILE or stdin, at most 1 MB) and print the result
    /// as JSON (checker contract v2).
    Classify(ClassifyArgs),
    /// Build into memory, serve on 127.0.0.1, rebuild on change and reload open pages.
    Serve(ServeArgs),
    /// Create a page with complete front matter (never overwrites).
    New(NewArgs),
}

/// Options shared by `build` and `check`.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Site root: the folder that holds book.toml.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Print each stage's time.
    #[arg(long, short)]
    pub verbose: bool,
}

/// `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder (default: `[build] build-dir` under the root).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Absolute URL the site is served from (overrides `[output.html] base-url`).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Do not write `.gz` and `.br` copies of the text files (as `[build] precompress = false`).
    #[arg(long)]
    pub no_precompress: bool,
}

/// `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Treat warnings (stale `reviewed`/`verified` dates, content-lint warnings) as errors.
    #[arg(long)]
    pub strict: bool,
    /// Output format: `human` (rustc-like, on stderr) or `json` (one object on stdout).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The day the freshness lint counts to, YYYY-MM-DD (default: env BEIAN_GUIDE_TODAY, else
    /// today in Asia/Shanghai).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-like text on stderr.
    Human,
    /// One JSON object on stdout: `{version, pages, errors, warnings, diagnostics: [...]}`.
    Json,
}

/// `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Port on 127.0.0.1 (0 picks a free one; the URL is printed).
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// `new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Page to create, inside the content folder, e.g. `guides/dns.md`.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// Page title (default: the file name).
    #[arg(long)]
    pub title: Option<String>,
    /// Site root: the folder that holds book.toml.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// The `reviewed` date, YYYY-MM-DD (default: env BEIAN_GUIDE_TODAY, else today in
    /// Asia/Shanghai).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// `classify`.
#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// Input JSON file, or `-` (the default) for stdin; larger than 1 MB is refused (exit 2).
    #[arg(value_name = "FILE|-")]
    pub input: Option<PathBuf>,
    /// Site root, where the rules file is found.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

impl SiteArgs {
    /// Library options from the flags.
    pub fn options(&self) -> crate::BuildOptions {
        crate::BuildOptions {
            root: self.root.clone(),
            out: None,
            base_url: None,
            drafts: self.drafts,
            verbose: self.verbose,
            precompress: true,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
