//! `quire diff`: what changed between two versions of an issue, its files, its metadata
//! fields and its articles' text. It reads the archive and writes nothing.

use super::args::DiffArgs;
use super::open_archive;
use super::output::Output;
use anyhow::{bail, Result};
use quire::archive::{FileChanges, Object, VersionNum};
use quire::model::diff::{body_diffs, diff_issues, FieldChange};
use quire::model::Issue;
use serde::Serialize;
use std::collections::BTreeMap;

/// `quire diff`: the files and metadata fields that differ between two versions.
pub fn diff(archive: &str, args: DiffArgs) -> Result<u8> {
    let archive = open_archive(archive)?;
    let object = archive.open_issue(&args.id)?;
    let (a, b) = (
        object.version(Some(args.from))?,
        object.version(Some(args.to))?,
    );
    if a == b {
        bail!("both versions are {a}: give two different versions");
    }
    let files = FileChanges::between(&object.state(a), &object.state(b));
    let (fields, texts) = match (object.issue(a), object.issue(b)) {
        (Ok(before), Ok(after)) => {
            let texts = match args.text {
                true => body_diffs(
                    (&before, &bodies(&object, a, &before)?),
                    (&after, &bodies(&object, b, &after)?),
                    (&a.to_string(), &b.to_string()),
                ),
                false => Vec::new(),
            };
            (Some(diff_issues(&before, &after)), texts)
        }
        (Err(e), _) | (_, Err(e)) => {
            let reason = super::describe_error(&e.into());
            eprintln!("quire: warning: metadata not compared: {reason}");
            (None, Vec::new())
        }
    };
    let compared = fields.is_some();
    let fields = fields.unwrap_or_default();
    let mut out = Output::new(args.output.json);
    if out.json() {
        write_diff_records(&files, &fields, &mut out)?;
        for text in &texts {
            out.record("text", text)?;
        }
    } else {
        out.line(format!("{} {a} -> {b}", args.id))?;
        write_diff_text(&files, compared.then_some(&fields[..]), &mut out)?;
        if args.text {
            out.line("text:")?;
            if texts.is_empty() {
                out.line(none_or_not_compared(compared))?;
            }
            for text in &texts {
                out.writer().write_all(text.diff.as_bytes())?;
            }
        }
    }
    out.finish()?;
    Ok(0)
}

/// Each article's body in a version, by article id (a body that is not UTF-8 is read as
/// well as it can be).
fn bodies(
    object: &Object<'_>,
    version: VersionNum,
    issue: &Issue,
) -> Result<BTreeMap<String, String>> {
    let mut bodies = BTreeMap::new();
    for article in issue.articles() {
        let bytes = object.read(version, &article.body)?;
        bodies.insert(
            article.id.clone(),
            String::from_utf8_lossy(&bytes).into_owned(),
        );
    }
    Ok(bodies)
}

/// The changed files by kind of change, in the order diff shows them.
fn file_records(files: &FileChanges) -> [(&'static str, &Vec<String>); 3] {
    [
        ("added", &files.added),
        ("changed", &files.changed),
        ("removed", &files.removed),
    ]
}

fn write_diff_records(
    files: &FileChanges,
    fields: &[FieldChange],
    out: &mut Output,
) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct FileRecord<'a> {
        path: &'a str,
        change: &'a str,
    }
    for (change, paths) in file_records(files) {
        for path in paths {
            out.record("file", &FileRecord { path, change })?;
        }
    }
    for field in fields {
        out.record("field", field)?;
    }
    Ok(())
}

/// The line under a heading with nothing to show: nothing changed, or (when the metadata of
/// a version could not be read, which a warning says) nothing was compared.
fn none_or_not_compared(compared: bool) -> &'static str {
    match compared {
        true => "  (none)",
        false => "  (not compared)",
    }
}

/// The text form of a diff; `fields` is `None` when the metadata was not compared.
fn write_diff_text(
    files: &FileChanges,
    fields: Option<&[FieldChange]>,
    out: &mut Output,
) -> std::io::Result<()> {
    out.line("files:")?;
    if files.is_empty() {
        out.line("  (none)")?;
    }
    for (change, paths) in file_records(files) {
        for path in paths {
            out.line(format!("  {change:<8} {path}"))?;
        }
    }
    out.line("metadata:")?;
    let (fields, compared) = match fields {
        Some(fields) => (fields, true),
        None => (&[][..], false),
    };
    if fields.is_empty() {
        out.line(none_or_not_compared(compared))?;
    }
    for field in fields {
        out.line(format!(
            "  {}: {} -> {}",
            field.field,
            field.before.as_deref().unwrap_or("(absent)"),
            field.after.as_deref().unwrap_or("(absent)")
        ))?;
    }
    Ok(())
}
