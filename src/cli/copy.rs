//! `quire copy`: whole objects from one storage root to another, each copy then verified with
//! fixity; exit 1 when a copy is not valid.

use super::args::CopyArgs;
use super::output::Output;
use anyhow::Result;
use quire::archive::copy::{copy_objects, CopiedObject, CopyOutcome};
use quire::archive::Archive;
use quire::model::object_id;
use quire::store::open_location;
use quire::verify::{report::write_human, verify_root, VerifyOptions};
use serde::Serialize;

#[derive(Serialize)]
struct Copied<'a> {
    id: &'a str,
    head: &'a str,
    outcome: String,
    files: u64,
    bytes: u64,
    location: String,
}

impl<'a> Copied<'a> {
    fn new(object: &'a CopiedObject, dest: &Archive) -> Copied<'a> {
        let outcome = match &object.outcome {
            CopyOutcome::Created => "created".to_string(),
            CopyOutcome::Extended { from } => format!("extended from {from}"),
            CopyOutcome::UpToDate => "up to date".to_string(),
        };
        Copied {
            id: &object.id,
            head: &object.head,
            outcome,
            files: object.files,
            bytes: object.bytes,
            location: dest.store().describe(&object.path),
        }
    }
}

pub fn copy(args: CopyArgs) -> Result<u8> {
    let source = Archive::open(open_location(&args.from)?)?;
    let ids: Vec<String> = args.ids.iter().map(|id| object_id(id)).collect();
    let (dest, copied) = copy_objects(&source, open_location(&args.to)?, &ids)?;
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
        }
    }
    let copied_ids: Vec<String> = copied.iter().map(|o| o.id.clone()).collect();
    let report = verify_root(dest.store(), &copied_ids, &VerifyOptions::new())?;
    let summary = report.summary();
    if !summary.valid {
        eprintln!(
            "quire: the copy in {} is not valid ({} errors):",
            dest.location(),
            summary.errors
        );
        write_human(&report, &mut std::io::stderr())?;
        return Ok(1);
    }
    eprintln!(
        "quire: copied {} object{} to {}; verified, fixity included",
        copied.len(),
        if copied.len() == 1 { "" } else { "s" },
        dest.location()
    );
    out.finish()?;
    Ok(0)
}
