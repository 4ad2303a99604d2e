//! Healing objects from a replica (`quire repair --from`): another storage root (a folder or a
//! bucket) that holds a copy of the same objects, as preservation practice keeps several.
//!
//! For each object, under its write lock: a commit a killed writer left half-done is completed
//! and quire's own staging cleared (as `quire repair` does); then each damaged or missing
//! inventory, sidecar, content file and object declaration is put back from the replica's copy,
//! one file at a time through [`crate::store::ObjectUpdate::swap_file`], so a kill leaves the
//! object no worse. A replica's file is trusted only by digests: a content file when its bytes
//! have every digest this object's sound inventories record for it, an inventory as
//! `inventories` explains. A sound file is never touched; files another tool put in the object
//! are left for the validator to report. A replica whose head is ahead is fine (only the
//! versions both hold are used); one that tells a different story of a version both hold is
//! refused, and nothing of that object is changed.

mod content;
mod inventories;
mod objects;
mod replica;
mod work;

use super::{Archive, ArchiveError};
use crate::ocfl::declaration_body;
use crate::store::{join, Store, StoreError};
use crate::verify::{Finding, Severity, VerifyError, VerifyOptions};
use content::Expected;
use inventories::Inventories;
use objects::{targets, ObjectFiles, Target};
use replica::{Replica, ReplicaObject};
use serde::Serialize;
use work::Work;

/// What a file is to its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileRole {
    Content,
    Inventory,
    Sidecar,
    Declaration,
}

impl FileRole {
    pub fn as_str(self) -> &'static str {
        match self {
            FileRole::Content => "content",
            FileRole::Inventory => "inventory",
            FileRole::Sidecar => "sidecar",
            FileRole::Declaration => "declaration",
        }
    }
}

/// A file put back from the replica.
#[derive(Debug, Clone, Serialize)]
pub struct Healed {
    /// Relative to the storage root.
    pub path: String,
    pub role: FileRole,
    pub bytes: u64,
    /// What was wrong with it.
    pub why: String,
    /// Where the good copy came from (the replica's, or for a root inventory this object's
    /// own head version's).
    pub from: String,
}

/// A damaged file that is still damaged, and why it could not be healed.
#[derive(Debug, Clone, Serialize)]
pub struct NotHealed {
    /// Relative to the storage root.
    pub path: String,
    pub role: FileRole,
    pub reason: String,
}

/// How one object came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HealOutcome {
    /// Nothing was damaged.
    Sound,
    /// Everything damaged was healed.
    Healed,
    /// Some damage remains (see `not_healed` and `remaining`).
    DamageRemains,
    /// The replica holds a different history of the object (or another object in its place);
    /// nothing of the object was changed.
    Refused,
}

/// What healing did to one object.
#[derive(Debug, Clone)]
pub struct ObjectHeal {
    /// The object id, when it could be told.
    pub id: Option<String>,
    /// The object root, relative to the storage root.
    pub path: String,
    pub outcome: HealOutcome,
    /// An interrupted commit completed first (as `quire repair` without a replica does).
    pub completed: Option<String>,
    /// Why the replica was refused for this object.
    pub refused: Option<String>,
    pub healed: Vec<Healed>,
    pub not_healed: Vec<NotHealed>,
    /// The errors `quire verify` still finds in the object afterwards (its structure; content
    /// digests are the healing's own business): files another tool put there among them.
    pub remaining: Vec<Finding>,
}

/// What healing did to every object it was asked to heal.
#[derive(Debug, Clone)]
pub struct HealReport {
    /// Where the replica is.
    pub replica: String,
    pub objects: Vec<ObjectHeal>,
    /// Errors about the storage root outside any object (when every object was healed).
    pub root_findings: Vec<Finding>,
}

impl HealReport {
    /// True when the replica was refused for some object.
    pub fn refused(&self) -> bool {
        self.objects
            .iter()
            .any(|o| o.outcome == HealOutcome::Refused)
    }

    /// True when damage remains anywhere.
    pub fn damage_remains(&self) -> bool {
        !self.root_findings.is_empty()
            || self
                .objects
                .iter()
                .any(|o| matches!(o.outcome, HealOutcome::DamageRemains | HealOutcome::Refused))
    }
}

/// The damaged files of the object at `path` (relative to the storage root), found by digests
/// alone: inventories that do not match their sidecars, content files missing or without the
/// digests the sound inventories record, a missing or wrong object declaration.
/// The id of the object at `path`, as its inventories name it (`None` when none can be read).
pub(crate) fn object_id_at(store: &dyn Store, path: &str) -> Result<Option<String>, StoreError> {
    objects::readable_id(store, path)
}

pub(crate) fn damaged_files(store: &dyn Store, path: &str) -> Result<Vec<String>, StoreError> {
    let object = ObjectFiles::list(store, path)?;
    let inventories = Inventories::read(store, &object)?;
    let mut damaged: Vec<String> = inventories
        .slots
        .iter()
        .filter(|s| s.sound.is_none() && !s.is_empty())
        .map(|s| join(path, &s.path()))
        .collect();
    let expected = Expected::from(inventories.sound());
    damaged.extend(expected.conflicts.iter().map(|p| join(path, p)));
    for (content, _) in content::damaged(store, &object, &expected)? {
        damaged.push(join(path, &content));
    }
    if let Some(name) = inventories.declaration() {
        if object.read_file(store, name)?.as_deref() != Some(declaration_body(name).as_bytes()) {
            damaged.push(join(path, name));
        }
    }
    damaged.sort();
    Ok(damaged)
}

impl Archive {
    /// Heals the objects `ids` (all when empty) from the replica: see the module's notes.
    /// Afterwards the objects are validated again (structure; their digests were just
    /// checked) and what is still wrong is reported with the rest.
    pub fn heal_from(&self, replica: &Archive, ids: &[String]) -> Result<HealReport, ArchiveError> {
        let targets = targets(self, replica, ids)?;
        let mut objects = Vec::new();
        for target in &targets {
            objects.push(heal_object(self, replica.store(), target)?);
        }
        let mut report = HealReport {
            replica: replica.location(),
            objects,
            root_findings: Vec::new(),
        };
        remaining_damage(self, &mut report, ids.is_empty())?;
        Ok(report)
    }
}

/// Heals one object under its write lock.
fn heal_object(
    archive: &Archive,
    replica: &dyn Store,
    target: &Target,
) -> Result<ObjectHeal, ArchiveError> {
    let store = archive.store();
    let mut update = store.begin_update(&target.path)?;
    let completed =
        super::recover::complete_interrupted_commit(store, &target.path, update.as_mut())?;
    let object = ObjectFiles::list(store, &target.path)?;
    let mut inventories = Inventories::read(store, &object)?;
    let id = target
        .id
        .clone()
        .or_else(|| inventories.sound().next().map(|i| i.id.clone()));
    let mut heal = ObjectHeal {
        id: id.clone(),
        path: target.path.clone(),
        outcome: HealOutcome::Sound,
        completed,
        refused: None,
        healed: Vec::new(),
        not_healed: Vec::new(),
        remaining: Vec::new(),
    };
    let replica = match (&target.replica_path, &id) {
        (Some(path), Some(id)) => ReplicaObject::open(replica, path, &inventories, id)?,
        _ => Replica::Unusable("the replica holds no copy of this object".into()),
    };
    let (source, unusable) = match replica {
        Replica::Usable(object) => (Some(object), String::new()),
        Replica::Unusable(reason) => (None, reason),
        Replica::Refused(reason) => {
            heal.refused = Some(reason);
            (None, "the replica was refused for this object".to_string())
        }
    };
    let mut work = Work {
        store,
        object: &object,
        update: update.as_mut(),
        heal: &mut heal,
        unusable: &unusable,
    };
    work.inventories(source.as_deref(), &mut inventories)?;
    work.content(source.as_deref(), &inventories)?;
    work.declaration(source.as_deref(), &inventories)?;
    heal.outcome = if heal.refused.is_some() {
        HealOutcome::Refused
    } else if !heal.not_healed.is_empty() {
        HealOutcome::DamageRemains
    } else if !heal.healed.is_empty() || heal.completed.is_some() {
        HealOutcome::Healed
    } else {
        HealOutcome::Sound
    };
    Ok(heal)
}

/// Validates the root again (structure only: the digests were just checked) and records the
/// errors still found in each healed object, and outside any object when all were healed.
fn remaining_damage(
    archive: &Archive,
    report: &mut HealReport,
    whole_root: bool,
) -> Result<(), ArchiveError> {
    let options = VerifyOptions {
        fixity: false,
        ..VerifyOptions::default()
    };
    let verified =
        crate::verify::verify_root(archive.store(), &[], &options).map_err(|e| match e {
            VerifyError::Store(e) => ArchiveError::Store(e),
            VerifyError::Usage(message) => ArchiveError::Unsupported {
                path: archive.location(),
                message,
            },
        })?;
    let errors = |findings: &[Finding]| -> Vec<Finding> {
        findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .cloned()
            .collect()
    };
    for object in &mut report.objects {
        if let Some(found) = verified.objects.iter().find(|o| o.path == object.path) {
            object.remaining = errors(&found.findings);
        }
        if !object.remaining.is_empty() && object.outcome < HealOutcome::DamageRemains {
            object.outcome = HealOutcome::DamageRemains;
        }
    }
    if whole_root {
        report.root_findings = errors(&verified.root_findings);
    }
    Ok(())
}
