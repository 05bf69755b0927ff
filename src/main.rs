//! Command-line entry point of beian-guide: parses arguments, calls the library, prints
//! problems and picks the exit code (0 success, 1 any error).

use std::process::ExitCode;

use beian_guide::cli::{CheckArgs, Cli, Command, Format, NewArgs};
use beian_guide::diagnostic::Diagnostics;
use beian_guide::freshness;
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (result, what) = match cli.command {
        Command::Build(args) => {
            let mut opts = args.site.options();
            opts.out = args.out;
            opts.base_url = args.base_url;
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
                    eprintln!("error: {e:#}");
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
                eprintln!("{w}\n");
            }
            match summary.out {
                Some(out) => eprintln!("built {} pages into {}", summary.pages, out.display()),
                None => eprintln!("checked {} pages: no errors", summary.pages),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            eprintln!("{what} failed; the previous output was left untouched");
            ExitCode::FAILURE
        }
    }
}

/// `check`: the pipeline without writing plus the contributor lint; every problem at once.
fn check(args: &CheckArgs) -> ExitCode {
    let today = match freshness::resolve_today(args.today.as_deref()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let copts = freshness::CheckOptions {
        today,
        strict: args.strict,
    };
    let report = freshness::check_site(&args.site.options(), &copts);
    match args.format {
        Format::Json => println!("{}", report.to_json()),
        Format::Human if report.diagnostics.is_empty() => {
            eprintln!("checked {} pages: no problems", report.pages);
        }
        Format::Human => eprintln!("{}", report.to_text()),
    }
    if report.errors() > 0 {
        if args.format == Format::Human {
            eprintln!("check failed");
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
                eprintln!("created {} (the folder had no section index)", s.display());
            }
            eprintln!("created {}", created.page.display());
            println!("{}", created.page.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            match e.downcast_ref::<Diagnostics>() {
                Some(d) => eprintln!("{d}"),
                None => eprintln!("error: {e:#}"),
            }
            ExitCode::FAILURE
        }
    }
}
