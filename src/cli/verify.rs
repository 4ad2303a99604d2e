//! `quire verify`: runs the validator, shows progress on a terminal, writes the report and
//! turns the verdict into the exit code.

use super::args::{ReportFormat, VerifyArgs};
use super::output::progress_bar;
use anyhow::Result;
use quire::archive::require_root_location;
use quire::ocfl::{OBJECT_DECLARATION_PREFIX, ROOT_DECLARATION_PREFIX};
use quire::store::open_location;
use quire::verify::{self, report, Report, Sample, VerifyOptions};
use std::collections::BTreeSet;
use std::io::{self, BufWriter, Write};
use std::sync::Arc;

pub fn verify(archive: &str, args: VerifyArgs) -> Result<u8> {
    let mut options = VerifyOptions::new();
    options.fixity = !args.no_fixity;
    options.sample = args.sample.map(|fraction| Sample {
        fraction,
        seed: args.seed,
    });
    options.ignore = args.ignore.iter().copied().collect::<BTreeSet<_>>();
    let bar = progress_bar(
        "{spinner} hashing {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {wide_bar}",
    );
    if let Some(bar) = &bar {
        let bar = bar.clone();
        options.progress = Some(Arc::new(move |p: verify::Progress| {
            bar.set_length(p.bytes_total);
            bar.set_position(p.bytes_done);
        }));
    }
    // A storage root given as one object is a wrong argument, not an invalid object.
    if let (Some(location), Some(hint)) = (&args.object, wrong_mode_hint(archive, &args)) {
        anyhow::bail!("--object {location}: {hint}");
    }
    let result = run_validator(archive, &args, &options);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut report = result?;
    if args.warnings_as_errors {
        report = report.warnings_as_errors();
    }
    if let Some(hint) = wrong_mode_hint(archive, &args) {
        eprintln!("quire: hint: {hint}");
    }
    let code = u8::from(!report.summary().valid);
    match write_report(&report, args.format) {
        // A reader that stopped early (`| head`) does not change the verdict.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(code),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(code),
    }
}

/// Validates the one object of `--object`, or the storage root (some of its objects).
fn run_validator(archive: &str, args: &VerifyArgs, options: &VerifyOptions) -> Result<Report> {
    if let Some(location) = &args.object {
        return Ok(verify::verify_object(
            open_location(location)?.as_ref(),
            options,
        )?);
    }
    let store = open_location(archive)?;
    // Nothing at the root's location: say so as every other command does.
    require_root_location(store.as_ref())?;
    Ok(verify::verify_root(store.as_ref(), &args.ids, options)?)
}

/// When `--object` names a storage root, or the archive is an object folder: how to verify
/// what is there (the findings alone would only list everything as out of place).
fn wrong_mode_hint(archive: &str, args: &VerifyArgs) -> Option<String> {
    let location = args.object.as_deref().unwrap_or(archive);
    let entries = open_location(location).ok()?.list("").ok()?;
    let declares = |prefix: &str| entries.iter().any(|e| e.name.starts_with(prefix));
    let is_object = declares(OBJECT_DECLARATION_PREFIX);
    let is_root = !is_object && declares(ROOT_DECLARATION_PREFIX);
    match (&args.object, is_object, is_root) {
        (None, true, _) => Some(format!(
            "{location} is an OCFL object, not a storage root: use `quire verify --object {location}`"
        )),
        (Some(_), _, true) => Some(format!(
            "{location} is an OCFL storage root, not an object: use `quire --archive {location} verify`"
        )),
        _ => None,
    }
}

fn write_report(report: &Report, format: ReportFormat) -> io::Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    match format {
        ReportFormat::Human => report::write_human(report, &mut out),
        ReportFormat::Json => report::write_json(report, &mut out),
        ReportFormat::Junit => report::write_junit(report, &mut out),
    }?;
    out.flush()
}
