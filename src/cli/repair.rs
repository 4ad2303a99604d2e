//! `quire repair`: completes commits a killed writer left half-done (and names the damage only a
//! replica can heal) and, with `--from`, heals damaged files from a replica; exit 0 when nothing
//! is left damaged, 1 when damage remains, 2 when it could not run (a replica refused among
//! those causes).

use super::args::RepairArgs;
use super::open_archive;
use super::output::Output;
use anyhow::Result;
use quire::archive::heal::{HealOutcome, HealReport, Healed, NotHealed, ObjectHeal};
use quire::archive::RepairReport;
use quire::plural;
use serde::Serialize;

pub fn repair(archive: &str, args: RepairArgs) -> Result<u8> {
    let archive = open_archive(archive)?;
    let ids = archive.typed_object_ids(&args.ids)?;
    let mut out = Output::new(args.output.json);
    let Some(from) = &args.from else {
        let report = archive.repair(&ids)?;
        write_repair(&report, &mut out)?;
        out.finish()?;
        return Ok(if report.damaged.is_empty() { 0 } else { 1 });
    };
    let replica = open_archive(from)?;
    let report = archive.heal_from(&replica, &ids)?;
    for object in &report.objects {
        if out.json() {
            write_object_json(object, &mut out)?;
        } else {
            write_object_text(object, &report.replica, &mut out)?;
        }
    }
    let summary = Summary::new(&report);
    if out.json() {
        for finding in &report.root_findings {
            out.record("finding", finding)?;
        }
        out.record("summary", &summary)?;
    } else {
        for finding in &report.root_findings {
            out.line(format!(
                "  still {} {}: {}",
                finding.code, finding.path, finding.message
            ))?;
        }
        out.line(summary.text())?;
    }
    out.finish()?;
    Ok(if report.refused() {
        2
    } else if report.damage_remains() {
        1
    } else {
        0
    })
}

#[derive(Serialize)]
struct Completed<'a> {
    message: &'a str,
}

#[derive(Serialize)]
struct Damaged<'a> {
    object: &'a str,
    files: &'a [String],
}

/// What a repair without a replica did, and the damage only a replica can heal.
fn write_repair(report: &RepairReport, out: &mut Output) -> std::io::Result<()> {
    for message in &report.completed {
        match out.json() {
            true => out.record("completed", &Completed { message })?,
            false => eprintln!("quire: {message}"),
        }
    }
    for (object, files) in &report.damaged {
        match out.json() {
            true => out.record("damaged", &Damaged { object, files })?,
            false => eprintln!(
                "quire: {object}: {} damaged file{} (missing, or not matching the digest \
                 recorded): {}; `quire repair --from REPLICA` heals them from another copy",
                files.len(),
                plural(files.len()),
                files.join(", ")
            ),
        }
    }
    if report.completed.is_empty() && report.damaged.is_empty() {
        eprintln!("quire: nothing to repair");
    }
    Ok(())
}

/// A file record, naming its object.
#[derive(Serialize)]
struct OfObject<'a, T> {
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<&'a str>,
    #[serde(flatten)]
    file: &'a T,
}

/// The record after an object's files.
#[derive(Serialize)]
struct ObjectRecord<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    path: &'a str,
    outcome: HealOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    completed: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refused: Option<&'a str>,
    healed: usize,
    not_healed: usize,
    remaining: usize,
}

fn write_object_json(object: &ObjectHeal, out: &mut Output) -> std::io::Result<()> {
    let id = object.id.as_deref();
    for file in &object.healed {
        out.record("healed", &OfObject::<Healed> { object: id, file })?;
    }
    for file in &object.not_healed {
        out.record("not_healed", &OfObject::<NotHealed> { object: id, file })?;
    }
    for finding in &object.remaining {
        out.record("finding", finding)?;
    }
    let record = ObjectRecord {
        id,
        path: &object.path,
        outcome: object.outcome,
        completed: object.completed.as_deref(),
        refused: object.refused.as_deref(),
        healed: object.healed.len(),
        not_healed: object.not_healed.len(),
        remaining: object.remaining.len(),
    };
    out.record("object", &record)
}

fn write_object_text(object: &ObjectHeal, replica: &str, out: &mut Output) -> std::io::Result<()> {
    let name = object.id.as_deref().unwrap_or(&object.path);
    let verdict = match object.outcome {
        HealOutcome::Sound => "sound, nothing to heal".to_string(),
        HealOutcome::Healed => format!(
            "healed {} file{}",
            object.healed.len(),
            plural(object.healed.len())
        ),
        HealOutcome::DamageRemains => "DAMAGE REMAINS".to_string(),
        HealOutcome::Refused => "REFUSED the replica".to_string(),
    };
    out.line(format!("{name}: {verdict}"))?;
    let notes = object.completed.iter().chain(&object.refused).cloned();
    let healed = object.healed.iter().map(|file| {
        // Named when the good copy was not the replica's (a root inventory from its own head).
        let from = match file.from.starts_with(replica) {
            true => String::new(),
            false => format!(", from {}", file.from),
        };
        let (path, role, why) = (&file.path, file.role.as_str(), &file.why);
        format!("healed {path} ({role}, was {why}{from})")
    });
    let not_healed = object.not_healed.iter().map(|file| {
        let (path, role, reason) = (&file.path, file.role.as_str(), &file.reason);
        format!("NOT healed {path} ({role}): {reason}")
    });
    let remaining = object.remaining.iter().map(|finding| {
        let (code, path, message) = (finding.code, &finding.path, &finding.message);
        format!("still {code} {path}: {message}")
    });
    for detail in notes.chain(healed).chain(not_healed).chain(remaining) {
        out.line(format!("  {detail}"))?;
    }
    Ok(())
}

/// The last record: counts over every object.
#[derive(Serialize)]
struct Summary {
    replica: String,
    objects: usize,
    healed_objects: usize,
    damaged_objects: usize,
    refused_objects: usize,
    healed: usize,
    not_healed: usize,
    remaining: usize,
}

impl Summary {
    fn new(report: &HealReport) -> Summary {
        let count = |outcome| {
            report
                .objects
                .iter()
                .filter(|o| o.outcome == outcome)
                .count()
        };
        let files = |f: fn(&ObjectHeal) -> usize| report.objects.iter().map(f).sum::<usize>();
        Summary {
            replica: report.replica.clone(),
            objects: report.objects.len(),
            healed_objects: count(HealOutcome::Healed),
            damaged_objects: count(HealOutcome::DamageRemains),
            refused_objects: count(HealOutcome::Refused),
            healed: files(|o| o.healed.len()),
            not_healed: files(|o| o.not_healed.len()),
            remaining: files(|o| o.remaining.len()) + report.root_findings.len(),
        }
    }

    fn text(&self) -> String {
        let verdict = if self.refused_objects > 0 {
            "REFUSED"
        } else if self.not_healed + self.remaining > 0 || self.damaged_objects > 0 {
            "DAMAGE REMAINS"
        } else {
            "OK"
        };
        format!(
            "{verdict}: {} object{} checked against {}; {} file{} healed, {} not healed, {} other error{} left",
            self.objects,
            plural(self.objects),
            self.replica,
            self.healed,
            plural(self.healed),
            self.not_healed,
            self.remaining,
            plural(self.remaining),
        )
    }
}
