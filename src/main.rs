//! The `quire` command: parses arguments, runs the library, maps the outcome to an exit code
//! (0 success, 1 findings, 2 could not run).

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    match cli::run(args) {
        Ok(code) => ExitCode::from(code),
        Err(e) if cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let text = cli::describe_error(&e);
            let mut lines = text.lines();
            eprintln!("quire: error: {}", lines.next().unwrap_or_default());
            for line in lines {
                eprintln!("  {line}");
            }
            ExitCode::from(2)
        }
    }
}
