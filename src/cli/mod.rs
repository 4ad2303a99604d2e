//! The command line: parses arguments ([`args`]), hands each command to the file of its group,
//! and turns the outcome into an exit code. Every command is a few calls into the library.

mod args;
mod copy;
mod diff;
mod export;
mod ingest;
mod output;
mod read;
mod repair;
#[cfg(feature = "site")]
mod site;
mod verify;

pub use args::Cli;

use anyhow::Result;
use args::{Command, ExportCommand};
use quire::archive::Archive;
use quire::store::open_location;

/// Runs the command line and returns the exit code; the error, if any, is for `main` to print.
pub fn run(cli: Cli) -> Result<u8> {
    let archive = cli.archive.as_str();
    match cli.command {
        Command::Init(args) => ingest::init(archive, args),
        Command::Ingest(args) => ingest::ingest(archive, args),
        Command::ImportWeb(args) => ingest::import_web(archive, args),
        Command::Repair(args) => repair::repair(archive, args),
        Command::List(args) => read::list(archive, args),
        Command::Show(args) => read::show(archive, args),
        Command::Log(args) => read::log(archive, args),
        Command::Diff(args) => diff::diff(archive, args),
        Command::Cat(args) => read::cat(archive, args),
        Command::Checkout(args) => read::checkout(archive, args),
        Command::Verify(args) => verify::verify(archive, args),
        Command::Copy(args) => copy::copy(args),
        Command::Feeds(args) => export::feeds(archive, args),
        #[cfg(feature = "site")]
        Command::Site(args) => site::site(archive, args),
        Command::Export(ExportCommand::Pdf(args)) => export::pdf(archive, args),
        Command::Export(ExportCommand::Epub(args)) => export::epub(archive, args),
        Command::Export(ExportCommand::Bag(args)) => export::bag(archive, args),
        Command::Export(ExportCommand::All(args)) => export::all(archive, args),
    }
}

/// The storage root at `location` (a folder or an s3:// URL).
fn open_archive(location: &str) -> Result<Archive> {
    Ok(Archive::open(open_location(location)?)?)
}

/// An error and the causes under it, joined with ": " (each says only its own part).
pub fn describe_error(error: &anyhow::Error) -> String {
    error
        .chain()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}

/// True when the error is only a closed stdout.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
