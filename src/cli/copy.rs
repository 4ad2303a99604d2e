//! `quire copy`: whole objects from one storage root to another, each copy then verified with
//! fixity; exit 1 when a copy is not valid, or when the destination already holds an object's
//! head but damaged (the files are named), or when copying left out an object of the source
//! whose inventory cannot be read, whose id the destination's layout cannot place, or whose
//! history there is another.

use super::args::CopyArgs;
use super::output::Output;
use anyhow::Result;
use quire::archive::copy::{copy_scanned, CopiedObject, CopyOutcome};
use quire::archive::Archive;
use quire::count;
use quire::store::open_location;
use quire::verify::{report::write_human, verify_root, VerifyOptions};
use serde::Serialize;

#[derive(Serialize)]
struct Copied<'a> {
    id: &'a str,
    head: &'a str,
    outcome: String,
    /// For a destination object found damaged: its damaged files.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    damaged: &'a [String],
    files: u64,
    bytes: u64,
    location: String,
}

impl<'a> Copied<'a> {
    fn new(object: &'a CopiedObject, dest: &Archive) -> Copied<'a> {
        let (outcome, damaged) = match &object.outcome {
            CopyOutcome::Created => ("created".to_string(), &[][..]),
            CopyOutcome::Extended { from } => (format!("extended from {from}"), &[][..]),
            CopyOutcome::UpToDate => ("up to date".to_string(), &[][..]),
            CopyOutcome::Damaged { files } => ("DAMAGED there".to_string(), files.as_slice()),
            CopyOutcome::NotCopied { .. } => ("not copied".to_string(), &[][..]),
        };
        Copied {
            id: &object.id,
            head: &object.head,
            outcome,
            damaged,
            files: object.files,
            bytes: object.bytes,
            location: dest.store().describe(&object.path),
        }
    }
}

/// An object of the source left out, and why.
#[derive(Serialize)]
struct NotCopied<'a> {
    id: &'a str,
    cause: &'a str,
}

pub fn copy(args: CopyArgs) -> Result<u8> {
    let source = Archive::open(open_location(&args.from)?)?;
    let ids = source.typed_object_ids(&args.ids)?;
    let scan = source.scan()?;
    let (dest, copied) = copy_scanned(&source, &scan, open_location(&args.to)?, &ids)?;
    // An object the destination's layout cannot place, or whose history there is another,
    // is named among those not copied.
    let (not_copied, copied): (Vec<CopiedObject>, Vec<CopiedObject>) = copied
        .into_iter()
        .partition(|o| matches!(o.outcome, CopyOutcome::NotCopied { .. }));
    let mut out = Output::new(args.output.json);
    for object in &copied {
        let record = Copied::new(object, &dest);
        if out.json() {
            out.record("copied", &record)?;
        } else {
            out.line(format!(
                "{}  {}  {}  {} files, {} bytes  {}",
                record.id, record.head, record.outcome, record.files, record.bytes, record.location
            ))?;
            for file in record.damaged {
                out.line(format!("  damaged: {file}"))?;
            }
        }
    }
    for object in &not_copied {
        if let (CopyOutcome::NotCopied { cause }, true) = (&object.outcome, out.json()) {
            out.record(
                "not_copied",
                &NotCopied {
                    id: &object.id,
                    cause,
                },
            )?;
        }
    }
    let (damaged, whole): (Vec<&CopiedObject>, Vec<&CopiedObject>) = copied
        .iter()
        .partition(|o| matches!(o.outcome, CopyOutcome::Damaged { .. }));
    for object in &damaged {
        eprintln!(
            "quire: {} in {} is damaged and was left as it is; heal it with \
             `quire --archive {} repair --from {} {}`",
            object.id,
            dest.location(),
            args.to,
            args.from,
            object.id
        );
    }
    let copied_ids: Vec<String> = whole.iter().map(|o| o.id.clone()).collect();
    // (No ids would mean every object of the destination.)
    let report = match copied_ids.is_empty() {
        true => None,
        false => Some(verify_root(
            dest.store(),
            &copied_ids,
            &VerifyOptions::new(),
        )?),
    };
    if let Some(report) = report.filter(|r| !r.summary().valid) {
        let summary = report.summary();
        eprintln!(
            "quire: the copy in {} is not valid ({} errors):",
            dest.location(),
            summary.errors
        );
        write_human(&report, &mut std::io::stderr())?;
        return Ok(1);
    }
    out.finish()?;
    // Copying everything leaves out the objects that cannot be read; naming one by id
    // fails in copy_scanned instead.
    let left_out = match ids.is_empty() {
        true => scan.unreadable.as_slice(),
        false => &[],
    };
    if !damaged.is_empty() {
        return Ok(1);
    }
    if !copied.is_empty() || not_copied.is_empty() {
        eprintln!(
            "quire: {}; verified, fixity included",
            summary(&copied, &dest.location())
        );
    }
    for object in &not_copied {
        if let CopyOutcome::NotCopied { cause } = &object.outcome {
            eprintln!("quire: warning: not copied: {}: {cause}", object.id);
        }
    }
    for unreadable in left_out {
        eprintln!("quire: warning: not copied: {}", unreadable.describe());
    }
    Ok(u8::from(!left_out.is_empty() || !not_copied.is_empty()))
}

/// What a copy did, counted: the objects copied or extended, and those already up to date.
fn summary(copied: &[CopiedObject], location: &str) -> String {
    let objects = |n: usize| count(n, "object");
    let current = copied
        .iter()
        .filter(|o| o.outcome == CopyOutcome::UpToDate)
        .count();
    match (copied.len() - current, current) {
        (0, current) => format!("{location} already holds {} up to date", objects(current)),
        (moved, 0) => format!("copied {} to {location}", objects(moved)),
        (moved, current) => format!(
            "copied {} to {location} ({current} more already up to date)",
            objects(moved)
        ),
    }
}
