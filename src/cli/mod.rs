//! The command line: argument parsing, output formatting and exit codes. Every command is a
//! few calls into the library.

mod output;
mod verify;

use anyhow::{bail, Result};
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use output::{table, Output};
use quire::archive::copy::CopyOutcome;
use quire::archive::{
    object::parse_version_number, Archive, FileChanges, Layout, User, VersionRef,
};
use quire::ingest::{self, IngestOptions};
use quire::model::diff::diff_issues;
use quire::store::open_location;
use quire::verify::VerifyOptions;
use serde::Serialize;
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Exit codes: 0 success, 1 findings (verify), 2 could not run (bad arguments, unreadable archive,
invalid input). Data goes to stdout (human text, or JSON Lines with --json: one
{\"type\": ..., \"data\": ...} object per line); messages go to stderr.";

/// Keep a publication's issues in a checksummed, versioned OCFL archive.
#[derive(Parser)]
#[command(name = "quire", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// The OCFL storage root: a folder, or s3://bucket/prefix (endpoint, region and
    /// credentials from the AWS_* variables, e.g. AWS_ENDPOINT_URL, AWS_REGION).
    #[arg(
        long,
        global = true,
        env = "QUIRE_ARCHIVE",
        default_value = "archive",
        value_name = "DIR|URL"
    )]
    archive: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create an empty OCFL 1.1 storage root.
    Init {
        /// Where to create it, a folder or s3://bucket/prefix (default: --archive).
        #[arg(value_name = "DIR|URL")]
        dir: Option<String>,
        /// Storage layout: 0003 (hash and id n-tuple), 0002 (flat direct) or 0004 (hashed n-tuple).
        #[arg(long, default_value = "0003")]
        layout: Layout,
    },
    /// Store an issue source folder as a new object or the next version of its object.
    Ingest {
        folder: PathBuf,
        /// The version message (default: a summary of the changed files).
        #[arg(long, short)]
        message: Option<String>,
        /// Who makes the version.
        #[arg(long, env = "QUIRE_USER")]
        user: Option<String>,
        /// Their e-mail address, recorded as a mailto: URI.
        #[arg(long, env = "QUIRE_EMAIL")]
        email: Option<String>,
        /// The version's created time (RFC 3339); default now. For migrations and reproducible archives.
        #[arg(long, value_name = "TIME")]
        created: Option<DateTime<Utc>>,
        #[arg(long)]
        json: bool,
    },
    /// Import captured web pages (text renderings or HTML) as articles of an issue.
    ImportWeb {
        /// The issue to add the articles to (created if it does not exist).
        #[arg(long)]
        issue: String,
        /// The section the new articles belong to.
        #[arg(long)]
        section: Option<String>,
        /// The publication's title, for a new issue whose captures do not name it.
        #[arg(long)]
        publication: Option<String>,
        /// Extract and report only; store nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, short)]
        message: Option<String>,
        #[arg(long, env = "QUIRE_USER")]
        user: Option<String>,
        #[arg(long, env = "QUIRE_EMAIL")]
        email: Option<String>,
        #[arg(long, value_name = "TIME")]
        created: Option<DateTime<Utc>>,
        #[arg(long)]
        json: bool,
        /// The captured pages.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List the issues: id, cover date, head version, article count, title.
    List {
        #[arg(long)]
        json: bool,
    },
    /// The table of contents of an issue version: sections, articles, update dates.
    Show {
        /// ID or ID@vN.
        issue: VersionRef,
        #[arg(long)]
        json: bool,
    },
    /// The versions of an issue, newest first: created, user, message, files changed.
    Log {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Files and metadata fields that differ between two versions.
    Diff {
        id: String,
        #[arg(value_parser = parse_version_number)]
        from: u32,
        #[arg(value_parser = parse_version_number)]
        to: u32,
        #[arg(long)]
        json: bool,
    },
    /// Write one file of an issue version to stdout.
    Cat {
        /// ID or ID@vN.
        issue: VersionRef,
        /// The file's path in the source folder, e.g. issue.toml.
        path: String,
    },
    /// Validate the storage root and its objects against OCFL 1.1 and 1.0, fixity included.
    #[command(after_help = VERIFY_HELP)]
    Verify {
        /// Only these objects (issue ids or OCFL object ids); default all.
        ids: Vec<String>,
        /// Validate one object directory (or s3:// prefix) that stands outside any storage root.
        #[arg(long, value_name = "DIR|URL", conflicts_with = "ids")]
        object: Option<String>,
        /// Check structure and inventories only; do not hash content.
        #[arg(long)]
        no_fixity: bool,
        /// Hash only this fraction (0 to 1) of the files, chosen reproducibly by --seed.
        #[arg(long, value_name = "FRACTION", value_parser = parse_fraction, conflicts_with = "no_fixity")]
        sample: Option<f64>,
        /// The seed of --sample.
        #[arg(long, default_value_t = 0, requires = "sample")]
        seed: u64,
        /// Leave out findings with this code (repeatable), e.g. --ignore W004.
        #[arg(long, value_name = "CODE", value_parser = parse_code)]
        ignore: Vec<String>,
        /// Exit 1 on warnings too.
        #[arg(long)]
        warnings_as_errors: bool,
        /// human (default), json (JSON Lines) or junit (JUnit XML).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Complete commits that a killed writer left half-done (and clear its staging).
    Repair {
        /// Only these objects (issue ids or OCFL object ids); default all.
        ids: Vec<String>,
    },
    /// Write an OPDS 1.2 catalog and an RSS 2.0 feed of the exported files.
    Feeds {
        /// The URL the exports folder is served at (links are relative without it).
        #[arg(long, default_value = "")]
        base_url: String,
        /// The exports folder.
        #[arg(long, default_value = "exports")]
        dir: PathBuf,
    },
    /// Make an output from an issue version.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Copy whole objects from one storage root to another (folder or bucket), then verify
    /// the copies. An empty destination first gets the source's root files.
    Copy {
        /// The storage root to copy from.
        #[arg(long, value_name = "DIR|URL")]
        from: String,
        /// The storage root to copy to (created when missing).
        #[arg(long, value_name = "DIR|URL")]
        to: String,
        /// Only these objects (issue ids or OCFL object ids); default all.
        ids: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Write the source folder of an issue version into a new folder, byte for byte.
    Checkout {
        /// ID or ID@vN.
        issue: VersionRef,
        dest: PathBuf,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// The PDF edition: cover, contents, articles, colophon.
    Pdf {
        /// ID or ID@vN.
        issue: VersionRef,
        /// Where to write it (default: exports/<id>-v<N>.pdf).
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = PaperSize::A4)]
        paper: PaperSize,
        /// A font for characters the bundled faces lack (CJK, say): a .ttf, .otf or .ttc file,
        /// optionally with `#N` for the face in a collection.
        #[arg(long, value_name = "FILE")]
        font: Option<String>,
    },
    /// Every issue's head (or every version) in each format, in parallel, skipping outputs
    /// that are already up to date.
    All {
        /// Comma-separated: pdf, epub.
        #[arg(long, value_delimiter = ',', default_value = "pdf,epub")]
        formats: Vec<ExportFormat>,
        /// Every version, not only the heads.
        #[arg(long)]
        all_versions: bool,
        /// The folder to write into.
        #[arg(long, default_value = "exports")]
        dir: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// A BagIt 1.0 transfer bag of the source folder (a folder, or a zip with --zip).
    Bag {
        /// ID or ID@vN.
        issue: VersionRef,
        /// Where to write it (default: exports/<id>-v<N>, or exports/<id>-v<N>.zip).
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[arg(long)]
        zip: bool,
        /// Add a sha256 manifest beside the sha512 one.
        #[arg(long)]
        sha256: bool,
    },
    /// The EPUB 3 e-book.
    Epub {
        /// ID or ID@vN.
        issue: VersionRef,
        /// Where to write it (default: exports/<id>-v<N>.epub).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExportFormat {
    Pdf,
    Epub,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum PaperSize {
    A4,
    Letter,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Junit,
}

const VERIFY_HELP: &str = "\
Exit codes: 0 valid (warnings allowed, unless --warnings-as-errors), 1 invalid, 2 could not
verify (bad arguments, unreadable root). Findings carry the OCFL spec's codes (E001-E112,
W001-W016). With --format json, stdout holds JSON Lines only: `finding` records, an `object`
record after each object's findings, and a final `summary`. A progress bar goes to stderr when
it is a terminal.";

fn parse_fraction(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(f) if (0.0..=1.0).contains(&f) => Ok(f),
        _ => Err(format!("`{text}` is not a fraction between 0 and 1")),
    }
}

fn parse_code(text: &str) -> Result<String, String> {
    let code = text.to_ascii_uppercase();
    let valid = code.len() == 4
        && (code.starts_with('E') || code.starts_with('W'))
        && code[1..].bytes().all(|b| b.is_ascii_digit());
    if valid {
        Ok(code)
    } else {
        Err(format!(
            "`{text}` is not a validation code like E092 or W004"
        ))
    }
}

/// Runs the command line and returns the exit code; the error, if any, is for `main` to print.
pub fn run(cli: Cli) -> Result<u8> {
    if let Command::Verify {
        ids,
        object,
        no_fixity,
        sample,
        seed,
        ignore,
        warnings_as_errors,
        format,
    } = &cli.command
    {
        return verify::run(
            &cli.archive,
            ids,
            object.as_deref(),
            *no_fixity,
            sample.map(|fraction| quire::verify::Sample {
                fraction,
                seed: *seed,
            }),
            ignore,
            *warnings_as_errors,
            *format,
        );
    }
    if let Command::Copy {
        from,
        to,
        ids,
        json,
    } = &cli.command
    {
        return copy(from, to, ids, Output::new(*json));
    }
    run_command(cli).map(|()| 0)
}

/// `quire copy`: copies, then verifies every copied object (fixity included); exit 1 when a
/// copy is not valid.
fn copy(from: &str, to: &str, ids: &[String], mut out: Output) -> Result<u8> {
    let source = Archive::open(open_location(from)?)?;
    let ids: Vec<String> = ids.iter().map(|id| ingest::object_id(id)).collect();
    let (dest, copied) = quire::archive::copy::copy_objects(&source, open_location(to)?, &ids)?;
    #[derive(Serialize)]
    struct Copied<'a> {
        id: &'a str,
        head: &'a str,
        outcome: String,
        files: u64,
        bytes: u64,
        location: String,
    }
    for object in &copied {
        let outcome = match &object.outcome {
            CopyOutcome::Created => "created".to_string(),
            CopyOutcome::Extended { from } => format!("extended from {from}"),
            CopyOutcome::UpToDate => "up to date".to_string(),
        };
        let record = Copied {
            id: &object.id,
            head: &object.head,
            outcome,
            files: object.files,
            bytes: object.bytes,
            location: dest.store().describe(&object.path),
        };
        if out.json() {
            out.record("copied", &record)?;
        } else {
            out.line(format!(
                "{}  {}  {}  {} files, {} bytes  {}",
                record.id, record.head, record.outcome, record.files, record.bytes, record.location
            ))?;
        }
    }
    let copied_ids: Vec<String> = copied.iter().map(|o| o.id.clone()).collect();
    let report = quire::verify::verify_root(dest.store(), &copied_ids, &VerifyOptions::new())?;
    let summary = report.summary();
    if !summary.valid {
        eprintln!(
            "quire: the copy in {} is not valid ({} errors):",
            dest.location(),
            summary.errors
        );
        quire::verify::report::write_human(&report, &mut std::io::stderr())?;
        return Ok(1);
    }
    eprintln!(
        "quire: copied {} object{} to {}; verified, fixity included",
        copied.len(),
        if copied.len() == 1 { "" } else { "s" },
        dest.location()
    );
    match out.finish() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        other => other.map(|()| 0).map_err(Into::into),
    }
}

fn run_command(cli: Cli) -> Result<()> {
    let open = || -> Result<Archive> { Ok(Archive::open(open_location(&cli.archive)?)?) };
    match cli.command {
        Command::Init { dir, layout } => {
            let dir = dir.unwrap_or(cli.archive.clone());
            let name = layout.name();
            let archive = Archive::init(open_location(&dir)?, layout)?;
            eprintln!(
                "quire: created an OCFL 1.1 storage root in {} (layout {name})",
                archive.location()
            );
            Ok(())
        }
        Command::Ingest {
            folder,
            message,
            user,
            email,
            created,
            json,
        } => {
            let archive = open()?;
            let anonymous = user.is_none() || email.is_none();
            let user = version_user(user, email);
            let options = IngestOptions {
                message,
                user,
                created: created.unwrap_or_else(Utc::now),
            };
            let report = if ingest::bag::is_bag(&folder) {
                ingest::bag::ingest_bag(
                    &archive,
                    &folder,
                    &options,
                    ingest::bag::ZipLimits::default(),
                )?
            } else {
                ingest::ingest_folder(&archive, &folder, &options)?
            };
            if let Some(recovered) = &report.outcome.recovered {
                eprintln!("quire: {recovered}");
            }
            for warning in &report.warnings {
                eprintln!("quire: warning: {warning}");
            }
            if anonymous && report.outcome.committed {
                eprintln!("quire: hint: record who made a version with --user NAME --email ADDRESS (or QUIRE_USER, QUIRE_EMAIL)");
            }
            let mut out = Output::new(json);
            if out.json() {
                out.record("ingest", &report)?;
            } else if report.outcome.committed {
                let o = &report.outcome;
                out.line(format!(
                    "{} {}: {} ({} new content files, {} bytes stored)",
                    report.issue,
                    o.version,
                    o.changes.summary(),
                    o.stored_files,
                    o.stored_bytes
                ))?;
            } else {
                out.line(format!(
                    "{} is unchanged: the folder is identical to head {}, nothing stored",
                    report.issue, report.outcome.version
                ))?;
            }
            Ok(out.finish()?)
        }
        Command::ImportWeb {
            issue,
            section,
            publication,
            dry_run,
            message,
            user,
            email,
            created,
            json,
            files,
        } => {
            let archive = open()?;
            let options = quire::ingest::web::ImportOptions {
                issue,
                section,
                publication,
                dry_run,
                message,
                user: version_user(user, email),
                created: created.unwrap_or_else(Utc::now),
            };
            let report = quire::ingest::web::import_web(&archive, &files, &options)?;
            if let Some(recovered) = report.outcome.as_ref().and_then(|o| o.recovered.as_ref()) {
                eprintln!("quire: {recovered}");
            }
            for warning in &report.warnings {
                eprintln!("quire: warning: {warning}");
            }
            let mut out = Output::new(json);
            if out.json() {
                for article in &report.articles {
                    out.record("article", article)?;
                }
                if let Some(outcome) = &report.outcome {
                    out.record("import", outcome)?;
                }
            } else {
                for article in &report.articles {
                    let pages = article.sources.len();
                    let updated = article
                        .updated
                        .map(|d| format!(", updated {d}"))
                        .unwrap_or_default();
                    out.line(format!(
                        "{}  {} ({pages} capture{}{updated})",
                        article.id,
                        article.title,
                        if pages == 1 { "" } else { "s" }
                    ))?;
                }
                match &report.outcome {
                    Some(o) if o.committed => out.line(format!(
                        "{} {}: {}",
                        report.issue,
                        o.version,
                        o.changes.summary()
                    ))?,
                    Some(o) => out.line(format!(
                        "{} is unchanged at {}: nothing stored",
                        report.issue, o.version
                    ))?,
                    None => out.line("dry run: nothing stored")?,
                }
            }
            Ok(out.finish()?)
        }
        Command::List { json } => list(&open()?, Output::new(json)),
        Command::Show { issue, json } => show(&open()?, &issue, Output::new(json)),
        Command::Log { id, json } => log(&open()?, &id, Output::new(json)),
        Command::Diff { id, from, to, json } => diff(&open()?, &id, from, to, Output::new(json)),
        Command::Cat { issue, path } => {
            let archive = open()?;
            let object = archive.require_object(&ingest::object_id(&issue.id))?;
            let version = object.version(issue.version)?;
            // Read and check the whole file first: damaged bytes never reach stdout.
            let bytes = object.read(version, &path)?;
            let mut out = Output::new(false);
            out.writer().write_all(&bytes)?;
            Ok(out.finish()?)
        }
        Command::Verify { .. } | Command::Copy { .. } => unreachable!("handled in run"),
        Command::Repair { ids } => {
            let archive = open()?;
            let ids: Vec<String> = ids.iter().map(|id| ingest::object_id(id)).collect();
            let done = archive.repair(&ids)?;
            for message in &done {
                eprintln!("quire: {message}");
            }
            if done.is_empty() {
                eprintln!("quire: nothing to repair");
            }
            Ok(())
        }
        Command::Feeds { base_url, dir } => {
            let archive = open()?;
            let base = if base_url.is_empty() || base_url.ends_with('/') {
                base_url
            } else {
                format!("{base_url}/")
            };
            for path in quire::export::batch::write_feeds(&archive, &dir, &base)? {
                eprintln!("quire: wrote {}", path.display());
            }
            Ok(())
        }
        Command::Export(ExportCommand::All {
            formats,
            all_versions,
            dir,
            json,
        }) => {
            use quire::export::batch::{export_all, Format};
            let archive = open()?;
            let formats: Vec<Format> = formats
                .iter()
                .map(|f| match f {
                    ExportFormat::Pdf => Format::Pdf,
                    ExportFormat::Epub => Format::Epub,
                })
                .collect();
            let bar = std::io::IsTerminal::is_terminal(&std::io::stderr()).then(|| {
                let bar = indicatif::ProgressBar::new(0);
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{spinner} exporting {pos}/{len} {wide_bar} {eta}",
                    )
                    .expect("a valid template"),
                );
                bar
            });
            let progress = |done: usize, total: usize| {
                if let Some(bar) = &bar {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                }
            };
            let exported = export_all(
                &archive,
                &dir,
                &formats,
                all_versions,
                env!("CARGO_PKG_VERSION"),
                &progress,
            )?;
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            let mut out = Output::new(json);
            for file in &exported {
                if out.json() {
                    out.record("export", file)?;
                } else {
                    out.line(format!(
                        "{}  {}",
                        if file.written { "wrote" } else { "up to date" },
                        file.file
                    ))?;
                }
            }
            Ok(out.finish()?)
        }
        Command::Export(ExportCommand::Bag {
            issue,
            output,
            zip,
            sha256,
        }) => {
            let archive = open()?;
            let object = archive.require_object(&ingest::object_id(&issue.id))?;
            let version = object.version(issue.version)?;
            let info = bag_info(&archive)?;
            let options = quire::export::bag::BagOptions {
                sha256,
                info,
                quire_version: env!("CARGO_PKG_VERSION").to_string(),
            };
            let files = quire::export::bag::bag_files(&object, version, &options)?;
            let issue_id = object
                .id()
                .strip_prefix(ingest::OBJECT_ID_PREFIX)
                .unwrap_or(object.id())
                .to_string();
            let name = format!("{issue_id}-v{}", version.number);
            if zip {
                let path =
                    output.unwrap_or_else(|| PathBuf::from("exports").join(format!("{name}.zip")));
                let bytes = quire::export::bag::zip_bag(&name, &files)?;
                quire::export::batch::write_file(&path, &bytes)?;
                eprintln!("quire: wrote {} ({} bytes)", path.display(), bytes.len());
            } else {
                let path = output.unwrap_or_else(|| PathBuf::from("exports").join(&name));
                if path.exists() {
                    bail!(
                        "{}: already exists; a bag is written to a new folder",
                        path.display()
                    );
                }
                // Assembled beside its place, then moved there in one step.
                let parent = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(std::path::Path::new("."));
                std::fs::create_dir_all(parent)?;
                let temp = tempfile::tempdir_in(parent)?;
                for (relative, bytes) in &files {
                    let target = temp.path().join(relative);
                    std::fs::create_dir_all(target.parent().expect("inside the bag"))?;
                    std::fs::write(&target, bytes)?;
                }
                std::fs::rename(temp.keep(), &path)?;
                eprintln!("quire: wrote {}", path.display());
            }
            Ok(())
        }
        Command::Export(ExportCommand::Epub { issue, output }) => {
            let archive = open()?;
            let object = archive.require_object(&ingest::object_id(&issue.id))?;
            let version = object.version(issue.version)?;
            let edition = quire::export::Edition::load(&object, version)?;
            let options = quire::export::epub::EpubOptions {
                quire_version: env!("CARGO_PKG_VERSION").to_string(),
            };
            let bytes = quire::export::epub::export_epub(&edition, &options)?;
            let path =
                output.unwrap_or_else(|| PathBuf::from("exports").join(edition.file_name("epub")));
            quire::export::batch::write_file(&path, &bytes)?;
            eprintln!("quire: wrote {} ({} bytes)", path.display(), bytes.len());
            Ok(())
        }
        Command::Export(ExportCommand::Pdf {
            issue,
            output,
            paper,
            font,
        }) => {
            let archive = open()?;
            let object = archive.require_object(&ingest::object_id(&issue.id))?;
            let version = object.version(issue.version)?;
            let edition = quire::export::Edition::load(&object, version)?;
            let fonts = quire::export::pdf::fonts::FontSet::bundled();
            let fallback = match font {
                Some(spec) => Some(quire::export::pdf::fonts::load_font_file(&spec)?),
                None => quire::export::pdf::fonts::system_fallback(&fonts, &edition),
            };
            let options = quire::export::pdf::PdfOptions {
                paper: match paper {
                    PaperSize::A4 => quire::export::pdf::Paper::A4,
                    PaperSize::Letter => quire::export::pdf::Paper::LETTER,
                },
                fonts: fonts.with_fallback(fallback),
                quire_version: env!("CARGO_PKG_VERSION").to_string(),
            };
            let bytes = quire::export::pdf::export_pdf(&edition, &options)?;
            let path =
                output.unwrap_or_else(|| PathBuf::from("exports").join(edition.file_name("pdf")));
            quire::export::batch::write_file(&path, &bytes)?;
            eprintln!("quire: wrote {} ({} bytes)", path.display(), bytes.len());
            Ok(())
        }
        Command::Checkout { issue, dest } => {
            let archive = open()?;
            let object = archive.require_object(&ingest::object_id(&issue.id))?;
            let version = object.version(issue.version)?;
            object.checkout(version, &dest)?;
            eprintln!(
                "quire: checked out {}@{version} into {}",
                issue.id,
                dest.display()
            );
            Ok(())
        }
    }
}

/// The bag's sender, from the storage root's optional `quire.toml` (`[bag]`).
fn bag_info(archive: &Archive) -> Result<quire::export::bag::BagInfo> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Config {
        bag: Option<quire::export::bag::BagInfo>,
    }
    match archive.store().read("quire.toml") {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|_| {
                anyhow::anyhow!("{}: not UTF-8", archive.store().describe("quire.toml"))
            })?;
            let config: Config = toml::from_str(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", archive.store().describe("quire.toml")))?;
            Ok(config.bag.unwrap_or_default())
        }
        Err(e) if e.is_not_found() => Ok(Default::default()),
        Err(e) => Err(e.into()),
    }
}

/// The version's user: from the options, else the login name.
fn version_user(name: Option<String>, email: Option<String>) -> User {
    let name = name
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .unwrap_or_else(|| "unknown".into());
    User {
        name,
        address: email.map(|e| {
            if e.starts_with("mailto:") {
                e
            } else {
                format!("mailto:{e}")
            }
        }),
    }
}

fn or_dash(value: Option<String>) -> String {
    value
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "-".into())
}

#[derive(Serialize)]
struct ListedIssue {
    id: String,
    object_id: String,
    head: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publication: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    articles: Option<usize>,
}

fn list(archive: &Archive, mut out: Output) -> Result<()> {
    let mut rows = vec![vec![
        "ID".into(),
        "DATE".into(),
        "HEAD".into(),
        "ARTICLES".into(),
        "TITLE".into(),
    ]];
    for entry in archive.objects()? {
        let object = archive.object_at(&entry)?;
        let head = object.head();
        // Objects that other tools wrote are listed too, without issue metadata.
        let issue = object.issue(head).ok();
        let listed = ListedIssue {
            id: entry
                .id
                .strip_prefix(ingest::OBJECT_ID_PREFIX)
                .unwrap_or(&entry.id)
                .to_string(),
            object_id: entry.id.clone(),
            head: head.to_string(),
            date: issue.as_ref().and_then(|i| i.date.map(|d| d.to_string())),
            publication: issue.as_ref().map(|i| i.publication.title.clone()),
            title: issue.as_ref().and_then(|i| i.title.clone()),
            articles: issue.as_ref().map(|i| i.articles().count()),
        };
        if out.json() {
            out.record("issue", &listed)?;
        } else {
            let title = match (&listed.publication, &listed.title) {
                (Some(p), Some(t)) => format!("{p}: {t}"),
                (Some(p), None) => p.clone(),
                _ => "(not a quire issue)".into(),
            };
            rows.push(vec![
                listed.id,
                or_dash(listed.date),
                listed.head,
                or_dash(listed.articles.map(|n| n.to_string())),
                title,
            ]);
        }
    }
    if !out.json() {
        for line in table(&rows) {
            out.line(line)?;
        }
    }
    Ok(out.finish()?)
}

fn show(archive: &Archive, issue_ref: &VersionRef, mut out: Output) -> Result<()> {
    let object = archive.require_object(&ingest::object_id(&issue_ref.id))?;
    let version = object.version(issue_ref.version)?;
    let issue = object.issue(version)?;
    if out.json() {
        #[derive(Serialize)]
        struct Shown<'a> {
            object_id: &'a str,
            version: String,
            head: String,
            issue: &'a quire::model::Issue,
        }
        let shown = Shown {
            object_id: object.id(),
            version: version.to_string(),
            head: object.head().to_string(),
            issue: &issue,
        };
        out.record("issue", &shown)?;
        return Ok(out.finish()?);
    }
    let head_note = if version == object.head() {
        "head".to_string()
    } else {
        format!("head is {}", object.head())
    };
    out.line(format!("{} @ {version} ({head_note})", issue.id))?;
    let mut heading = issue.publication.title.clone();
    if let Some(title) = &issue.title {
        heading.push_str(&format!(": {title}"));
    }
    out.line(&heading)?;
    let details = [
        issue.volume.as_ref().map(|v| format!("volume {v}")),
        issue.number.as_ref().map(|n| format!("number {n}")),
        issue.date.map(|d| format!("dated {d}")),
        issue.language().map(|l| format!("language {l}")),
    ];
    let details: Vec<String> = details.into_iter().flatten().collect();
    if !details.is_empty() {
        out.line(details.join(", "))?;
    }
    for section in &issue.sections {
        out.line("")?;
        out.line(section.name.as_deref().unwrap_or("(no section)"))?;
        let rows: Vec<Vec<String>> = section
            .articles
            .iter()
            .map(|a| {
                let updated = a
                    .updated
                    .map(|d| format!("updated {d}"))
                    .unwrap_or_default();
                vec![format!("  {}", a.id), a.title.clone(), updated]
            })
            .collect();
        for line in table(&rows) {
            out.line(line)?;
        }
    }
    Ok(out.finish()?)
}

fn log(archive: &Archive, id: &str, mut out: Output) -> Result<()> {
    let object = archive.require_object(&ingest::object_id(id))?;
    #[derive(Serialize)]
    struct LoggedVersion<'a> {
        version: String,
        created: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        user: Option<&'a User>,
        #[serde(skip_serializing_if = "Option::is_none")]
        message: Option<&'a str>,
        #[serde(flatten)]
        changes: FileChanges,
    }
    for (version, entry) in object.inventory().versions.iter().rev() {
        let logged = LoggedVersion {
            version: version.to_string(),
            created: &entry.created,
            user: entry.user.as_ref(),
            message: entry.message.as_deref(),
            changes: object.version_changes(*version),
        };
        if out.json() {
            out.record("version", &logged)?;
            continue;
        }
        let user = match logged.user {
            Some(User {
                name,
                address: Some(address),
            }) => format!("{name} <{address}>"),
            Some(User {
                name,
                address: None,
            }) => name.clone(),
            None => "-".into(),
        };
        out.line(format!("{}  {}  {user}", logged.version, logged.created))?;
        if let Some(message) = logged.message {
            out.line(format!("    {message}"))?;
        }
        for (mark, paths) in [
            ("A", &logged.changes.added),
            ("M", &logged.changes.changed),
            ("D", &logged.changes.removed),
        ] {
            for path in paths {
                out.line(format!("    {mark} {path}"))?;
            }
        }
    }
    Ok(out.finish()?)
}

fn diff(archive: &Archive, id: &str, from: u32, to: u32, mut out: Output) -> Result<()> {
    let object = archive.require_object(&ingest::object_id(id))?;
    let (a, b) = (object.version(Some(from))?, object.version(Some(to))?);
    if a == b {
        bail!("both versions are {a}: give two different versions");
    }
    let files = FileChanges::between(&object.state(a), &object.state(b));
    let fields = match (object.issue(a), object.issue(b)) {
        (Ok(before), Ok(after)) => diff_issues(&before, &after),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("quire: warning: metadata not compared: {e}");
            Vec::new()
        }
    };
    let file_records = [
        ("added", &files.added),
        ("changed", &files.changed),
        ("removed", &files.removed),
    ];
    if out.json() {
        #[derive(Serialize)]
        struct FileRecord<'a> {
            path: &'a str,
            change: &'a str,
        }
        for (change, paths) in file_records {
            for path in paths {
                out.record("file", &FileRecord { path, change })?;
            }
        }
        for field in &fields {
            out.record("field", field)?;
        }
        return Ok(out.finish()?);
    }
    out.line(format!("{id} {a} -> {b}"))?;
    out.line("files:")?;
    if files.is_empty() {
        out.line("  (none)")?;
    }
    for (change, paths) in file_records {
        for path in paths {
            out.line(format!("  {change:<8} {path}"))?;
        }
    }
    out.line("metadata:")?;
    if fields.is_empty() {
        out.line("  (none)")?;
    }
    for field in &fields {
        out.line(format!(
            "  {}: {} -> {}",
            field.field,
            field.before.as_deref().unwrap_or("(absent)"),
            field.after.as_deref().unwrap_or("(absent)")
        ))?;
    }
    Ok(out.finish()?)
}

/// Context for errors at the edge: keeps messages short and specific.
pub fn describe_error(error: &anyhow::Error) -> String {
    let mut text = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(&format!(": {cause}"));
        }
    }
    text
}

/// True when the error is only a closed stdout.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
