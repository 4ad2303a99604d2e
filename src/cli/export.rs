//! The commands that make outputs: `export pdf`, `export epub`, `export bag`, `export all`
//! and `feeds`. What an output holds is the library's business; these pick the files.

use super::args::{AllArgs, BagArgs, EpubArgs, FeedsArgs, PdfArgs};
use super::open_archive;
use super::output::{progress_bar, Output};
use anyhow::{bail, Context, Result};
use quire::archive::VersionRef;
use quire::export::bag::{bag_files, bag_name, write_bag_folder, zip_bag, BagInfo, BagOptions};
use quire::export::batch::{export_all, write_feeds, write_file, ExportFailure, Exported};
use quire::export::{render, Edition, Format, RenderOptions};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

const QUIRE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The folder outputs go to when no place is given.
fn exports_dir() -> PathBuf {
    PathBuf::from("exports")
}

/// `quire export pdf`.
pub fn pdf(archive: &str, args: PdfArgs) -> Result<u8> {
    let options = RenderOptions {
        paper: args.paper.into(),
        columns: usize::from(args.columns),
        font: args.font,
        quire_version: QUIRE_VERSION.to_string(),
        pdfa: !args.no_pdfa,
    };
    let to = (args.output, args.json.json);
    export_edition(archive, &args.issue, Format::Pdf, to, &options)
}

/// `quire export epub`.
pub fn epub(archive: &str, args: EpubArgs) -> Result<u8> {
    let options = RenderOptions::new(QUIRE_VERSION);
    let to = (args.output, args.json.json);
    export_edition(archive, &args.issue, Format::Epub, to, &options)
}

/// `-o -`: standard output, as Unix tools take it.
fn is_stdout(path: &Path) -> bool {
    path == Path::new("-")
}

/// Writes one output file to `path`, or to standard output for `-` (refused when that is a
/// terminal, which binary bytes would garble); returns how to name where it went.
fn write_output(path: &Path, bytes: &[u8]) -> Result<String> {
    if !is_stdout(path) {
        write_file(path, bytes)?;
        return Ok(path.display().to_string());
    }
    let mut stdout = std::io::stdout().lock();
    if stdout.is_terminal() {
        bail!("-: standard output is a terminal; redirect it to a file or a pipe, or give -o FILE");
    }
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .context("-: cannot write to standard output")?;
    Ok("standard output".to_string())
}

/// Renders one version in one format into `output` (default: exports/<id>-v<N>.<format>; `-`
/// is standard output); with `json`, an `export` record (as `export all` writes) on stdout.
fn export_edition(
    archive: &str,
    issue: &VersionRef,
    format: Format,
    (output, json): (Option<PathBuf>, bool),
    options: &RenderOptions,
) -> Result<u8> {
    if json && output.as_deref().is_some_and(is_stdout) {
        bail!("-o - and --json would both write to standard output; give -o FILE");
    }
    let archive = open_archive(archive)?;
    let (object, version) = archive.open_version(issue)?;
    let edition = Edition::load(&object, version)?;
    let rendered = render(&edition, format, options)?;
    let path = output.unwrap_or_else(|| exports_dir().join(edition.file_name(format.extension())));
    let place = write_output(&path, &rendered.bytes)?;
    for warning in &rendered.warnings {
        eprintln!("quire: warning: {place}: {warning}");
    }
    eprintln!("quire: wrote {place} ({} bytes)", rendered.bytes.len());
    if json {
        let mut out = Output::new(true);
        out.record(
            "export",
            &Exported {
                issue: edition.issue.id.clone(),
                object_id: edition.object_id.clone(),
                version,
                format,
                file: place,
                written: true,
                warnings: rendered.warnings.iter().map(|w| w.to_string()).collect(),
            },
        )?;
        out.finish()?;
    }
    Ok(0)
}

/// `quire export bag`: a bag folder, or a zip of one.
pub fn bag(archive: &str, args: BagArgs) -> Result<u8> {
    let archive = open_archive(archive)?;
    let (object, version) = archive.open_version(&args.issue)?;
    let options = BagOptions {
        sha256: args.sha256,
        info: BagInfo::from_archive(&archive)?,
        quire_version: QUIRE_VERSION.to_string(),
    };
    // A file named `….zip` is a zip, as its name says.
    let zip = args.zip
        || args
            .output
            .as_deref()
            .is_some_and(|o| o.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")));
    if !zip && args.output.as_deref().is_some_and(is_stdout) {
        bail!("-: a bag folder cannot go to standard output; give --zip for a zip of it");
    }
    let files = bag_files(&object, version, &options)?;
    let name = bag_name(&object, version);
    if zip {
        let path = args
            .output
            .unwrap_or_else(|| exports_dir().join(format!("{name}.zip")));
        let bytes = zip_bag(&name, &files)?;
        let place = write_output(&path, &bytes)?;
        eprintln!("quire: wrote {place} ({} bytes)", bytes.len());
    } else {
        let path = args.output.unwrap_or_else(|| exports_dir().join(&name));
        write_bag_folder(&path, &files)?;
        eprintln!("quire: wrote {}", path.display());
    }
    Ok(0)
}

/// `quire export all`: every issue in every format, skipping what is up to date.
pub fn all(archive: &str, args: AllArgs) -> Result<u8> {
    let archive = open_archive(archive)?;
    let formats: Vec<Format> = args.formats.iter().map(|f| (*f).into()).collect();
    let bar = progress_bar("{spinner} exporting {pos}/{len} {wide_bar} {eta}");
    let progress = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let report = export_all(
        &archive,
        &args.dir,
        &formats,
        args.all_versions,
        &RenderOptions {
            pdfa: !args.no_pdfa,
            ..RenderOptions::new(QUIRE_VERSION)
        },
        &progress,
    )?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut out = Output::new(args.output.json);
    for file in &report.exported {
        for warning in &file.warnings {
            eprintln!("quire: warning: {}: {warning}", file.file);
        }
        if out.json() {
            out.record("export", file)?;
        } else {
            let done = if file.written { "wrote" } else { "up to date" };
            out.line(format!("{done}  {}", file.file))?;
        }
    }
    report_failures(&mut out, &report.failed)?;
    for unreadable in &report.unreadable {
        eprintln!("quire: warning: not exported: {unreadable}");
    }
    out.finish()?;
    Ok(u8::from(
        !report.failed.is_empty() || !report.unreadable.is_empty(),
    ))
}

/// Names every file that could not be made: a warning on stderr with its cause, and a
/// `failed` record (or a `failed` line) on stdout. The caller exits 1 when there is one.
fn report_failures(out: &mut Output, failed: &[ExportFailure]) -> Result<()> {
    for failure in failed {
        eprintln!("quire: warning: {failure}");
        if out.json() {
            out.record("failed", failure)?;
        } else {
            out.line(format!("failed  {}", failure.file))?;
        }
    }
    Ok(())
}

/// `quire feeds`: the OPDS catalog and RSS feed of an exports folder.
pub fn feeds(archive: &str, args: FeedsArgs) -> Result<u8> {
    let archive = open_archive(archive)?;
    let report = write_feeds(&archive, &args.dir, &args.base_url)?;
    for warning in &report.warnings {
        eprintln!("quire: warning: {warning}");
    }
    for left_out in &report.left_out {
        eprintln!("quire: warning: left out of the feeds: {left_out}");
    }
    for path in &report.paths {
        eprintln!("quire: wrote {}", path.display());
    }
    // An issue left out for an object that cannot be read is a partial failure, as in
    // `export all`.
    Ok(u8::from(!report.left_out.is_empty()))
}
