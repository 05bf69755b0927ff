//! Command-line entry point of beian-guide: parses arguments, calls the library, prints
//! problems and picks the exit code (0 success, 1 any error).
//!
//! Output goes through [`say`] and [`tell`], never `println!`/`eprintln!`: those panic when the
//! reader has gone (`check --format json | head`) or the disk is full (`new > /dev/full`).
//! A closed pipe ends the output quietly; any other write error is one line on stderr. Either
//! way the exit code is the command's own.

use std::io::Write;
use std::process::ExitCode;

use beian_guide::cli::{CheckArgs, Cli, Command, Format, NewArgs};
use beian_guide::diagnostic::{printable, printable_name, Diagnostics};
use beian_guide::freshness;
use clap::Parser;

/// Writes a line to standard output (see the module documentation).
macro_rules! say {
    ($($arg:tt)*) => {
        {
            if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    tell!("error: cannot write to standard output: {e}");
                }
            }
        }
    };
}

/// Writes a line to standard error; if that fails there is nobody left to tell.
macro_rules! tell {
    ($($arg:tt)*) => {
        {
            let _ = writeln!(std::io::stderr().lock(), $($arg)*);
        }
    };
}

/// An error that is not a list of diagnostics, with its control characters made visible
/// (file names in it could carry terminal escape sequences).
fn error_text(e: &anyhow::Error) -> String {
    match e.downcast_ref::<Diagnostics>() {
        Some(d) => d.to_string(),
        None => format!("error: {}", printable(&format!("{e:#}"))),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (result, what) = match cli.command {
        Command::Build(args) => {
            let mut opts = args.site.options();
            opts.out = args.out;
            opts.base_url = args.base_url;
            opts.precompress = !args.no_precompress;
            (beian_guide::build(&opts), "build")
        }
        Command::Check(args) => return check(&args),
        Command::Serve(args) => {
            let opts = beian_guide::serve::ServeOptions {
                build: args.site.options(),
                port: args.port,
                open: args.open,
            };
            return match beian_guide::serve::serve(&opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    tell!("{}", error_text(&e));
                    ExitCode::FAILURE
                }
            };
        }
        Command::New(args) => return new(&args),
        Command::Classify(args) => {
            let input = args.input.filter(|p| p.as_os_str() != "-");
            let code = beian_guide::classify::classify_command(
                &args.root,
                input.as_deref(),
                &mut std::io::stdin().lock(),
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
            );
            return ExitCode::from(u8::try_from(code).unwrap_or(2));
        }
    };
    match result {
        Ok(summary) => {
            for w in &summary.warnings {
                tell!("{w}\n");
            }
            match summary.out {
                Some(out) => tell!(
                    "built {} pages into {}",
                    summary.pages,
                    printable_name(&out.display().to_string())
                ),
                None => tell!("checked {} pages: no errors", summary.pages),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            tell!("{e}");
            tell!("{what} failed; the previous output was left untouched");
            ExitCode::FAILURE
        }
    }
}

/// `check`: the pipeline without writing plus the contributor lint; every problem at once.
fn check(args: &CheckArgs) -> ExitCode {
    let today = match freshness::resolve_today(args.today.as_deref()) {
        Ok(d) => d,
        Err(e) => {
            tell!("error: {}", printable(&e.to_string()));
            return ExitCode::from(2);
        }
    };
    let copts = freshness::CheckOptions {
        today,
        strict: args.strict,
    };
    let report = freshness::check_site(&args.site.options(), &copts);
    match args.format {
        Format::Json => {
            say!("{}", report.to_json());
        }
        Format::Human if report.diagnostics.is_empty() => {
            tell!("checked {} pages: no problems", report.pages);
        }
        Format::Human => {
            tell!("{}", report.to_text());
        }
    }
    if report.errors() > 0 {
        if args.format == Format::Human {
            tell!("check failed");
        }
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `new`: creates the page (and missing section indexes) and says what it created.
fn new(args: &NewArgs) -> ExitCode {
    let result = freshness::resolve_today(args.today.as_deref())
        .map_err(anyhow::Error::msg)
        .and_then(|today| {
            beian_guide::new::new_page(&args.root, &args.path, args.title.as_deref(), today)
        });
    match result {
        Ok(created) => {
            for s in &created.sections {
                tell!(
                    "created {} (the folder had no section index)",
                    printable_name(&s.display().to_string())
                );
            }
            let page = created.page.display().to_string();
            tell!("created {}", printable_name(&page));
            say!("{page}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            tell!("{}", error_text(&e));
            ExitCode::FAILURE
        }
    }
}
