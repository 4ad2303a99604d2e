//! The commands that write to the archive: `init`, `ingest` (folders and bags) and
//! `import-web` (`repair` has its own file).

use super::args::{ImportWebArgs, IngestArgs, InitArgs, StoreArgs};
use super::open_archive;
use super::output::Output;
use anyhow::Result;
use quire::archive::Archive;
use quire::ingest::web::{import_web as import, ImportOptions, ImportReport};
use quire::ingest::{bag, ingest_folder, IngestOptions, IngestReport};
use quire::store::open_location;
use quire::{count, plural};

/// `quire init`: a new, empty storage root.
pub fn init(archive: &str, args: InitArgs) -> Result<u8> {
    let dir = args.dir.as_deref().unwrap_or(archive);
    let name = args.layout.name();
    let archive = Archive::init(open_location(dir)?, args.layout)?;
    eprintln!(
        "quire: created an OCFL 1.1 storage root in {} (layout {name})",
        archive.location()
    );
    Ok(0)
}

/// Who makes the version, when and why, and whether to store it at all, as the options say.
fn ingest_options(store: &StoreArgs) -> IngestOptions {
    IngestOptions {
        message: store.version.message.clone(),
        user: store.version.version_user(),
        created: store.version.created_time(),
        dry_run: store.dry_run,
    }
}

/// `quire ingest`: a source folder or a bag as the next version of its issue.
pub fn ingest(archive: &str, args: IngestArgs) -> Result<u8> {
    let archive = open_archive(archive)?;
    let options = ingest_options(&args.store);
    let report = if bag::is_bag(&args.folder) {
        bag::ingest_bag(&archive, &args.folder, &options, bag::ZipLimits::default())?
    } else {
        ingest_folder(&archive, &args.folder, &options)?
    };
    if let Some(recovered) = &report.outcome.recovered {
        eprintln!("quire: {recovered}");
    }
    for warning in &report.warnings {
        eprintln!("quire: warning: {warning}");
    }
    if let Some(hint) = args
        .store
        .version
        .who_hint()
        .filter(|_| report.outcome.committed)
    {
        eprintln!("quire: hint: {hint}");
    }
    let mut out = Output::new(args.store.output.json);
    if out.json() {
        out.record("ingest", &report)?;
    } else {
        out.line(ingest_summary(&report))?;
    }
    out.finish()?;
    Ok(0)
}

/// The one line `ingest` prints: the version made (or that would be made), or "unchanged".
fn ingest_summary(report: &IngestReport) -> String {
    let o = &report.outcome;
    if !report.makes_version {
        return format!(
            "{} is unchanged: the folder is identical to head {}, nothing stored",
            report.issue, o.version
        );
    }
    let stored = if report.dry_run {
        "bytes to store); dry run: nothing stored"
    } else {
        "bytes stored)"
    };
    format!(
        "{} {}: {} ({}, {} {stored}",
        report.issue,
        o.version,
        o.changes.summary(),
        count(o.stored_files, "new content file"),
        o.stored_bytes
    )
}

/// `quire import-web`: captured pages as articles of an issue.
pub fn import_web(archive: &str, args: ImportWebArgs) -> Result<u8> {
    let archive = open_archive(archive)?;
    let options = ImportOptions {
        version: ingest_options(&args.store),
        issue: args.issue,
        section: args.section,
        publication: args.publication,
        manifest: args.manifest,
        url_prefix: args.url_prefix,
    };
    let report = import(&archive, &args.files, &options)?;
    if let Some(recovered) = &report.outcome.recovered {
        eprintln!("quire: {recovered}");
    }
    for warning in &report.warnings {
        eprintln!("quire: warning: {warning}");
    }
    let mut out = Output::new(args.store.output.json);
    if out.json() {
        for article in &report.articles {
            out.record("article", article)?;
        }
        // The same record as `ingest`'s: the issue, what the commit did (or would do: a dry
        // run commits nothing), the warnings.
        let mut outcome = report.outcome.clone();
        outcome.committed &= !report.dry_run;
        let record = IngestReport {
            issue: report.issue.clone(),
            outcome,
            dry_run: report.dry_run,
            makes_version: report.outcome.committed,
            warnings: report.warnings.clone(),
        };
        out.record("import", &record)?;
    } else {
        write_import_text(&report, &mut out)?;
    }
    out.finish()?;
    Ok(0)
}

/// The articles found, one a line, then what was stored.
fn write_import_text(report: &ImportReport, out: &mut Output) -> std::io::Result<()> {
    for article in &report.articles {
        let pages = article.sources.len();
        let dated = super::output::dated(article.meta.updated, article.meta.published);
        let updated = match dated.is_empty() {
            true => dated,
            false => format!(", {dated}"),
        };
        out.line(format!(
            "{}  {} ({pages} capture{}{updated})",
            article.id,
            article.meta.title,
            plural(pages)
        ))?;
    }
    let o = &report.outcome;
    let dry = if report.dry_run { "; dry run" } else { "" };
    match o.committed {
        true if report.dry_run => out.line(format!(
            "{} {}: {}; dry run: nothing stored",
            report.issue,
            o.version,
            o.changes.summary()
        )),
        true => out.line(format!(
            "{} {}: {}",
            report.issue,
            o.version,
            o.changes.summary()
        )),
        false => out.line(format!(
            "{} is unchanged at {}{dry}: nothing stored",
            report.issue, o.version
        )),
    }
}
