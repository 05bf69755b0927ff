//! Command-line entry point of beian-guide: parses arguments, calls the library, prints
//! problems and picks the exit code (0 success, 1 any error).

use std::process::ExitCode;

use beian_guide::cli::{Cli, Command};
use beian_guide::diagnostic::Diagnostics;
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
        Command::Check(args) => (beian_guide::check(&args.site.options()), "check"),
        Command::Classify(args) => {
            let input = args.input.filter(|p| p.as_os_str() != "-");
            let code = beian_guide::checker::classify_command(
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
            match e.downcast_ref::<Diagnostics>() {
                Some(d) => eprintln!("{d}"),
                None => eprintln!("error: {e:#}"),
            }
            eprintln!("{what} failed; the previous output was left untouched");
            ExitCode::FAILURE
        }
    }
}
