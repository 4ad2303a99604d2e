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

use super::{Archive, ArchiveError};
use crate::archive::inventory::{Inventory, VersionNum};
use crate::ocfl::{declaration_body, INVENTORY};
use crate::store::{join, EntryKind, ObjectUpdate, Store, StoreError};
use crate::verify::{Finding, Severity, VerifyError, VerifyOptions};
use content::{Expected, Source};
use inventories::{Copy, Inventories};
use serde::Serialize;
use std::collections::BTreeMap;

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

/// The files of an object, found by listing it: paths relative to the object root, with what
/// each is (links and other special files are listed, never followed).
pub(crate) struct ObjectFiles {
    /// The object root, relative to the storage root.
    pub path: String,
    pub files: BTreeMap<String, EntryKind>,
}

impl ObjectFiles {
    pub fn list(store: &dyn Store, path: &str) -> Result<ObjectFiles, StoreError> {
        let relative = |full: &str| full[path.len()..].trim_start_matches('/').to_string();
        let mut files = BTreeMap::new();
        if let Some(listed) = store.list_recursive(path) {
            for (full, _) in listed? {
                files.insert(relative(&full), EntryKind::File);
            }
        } else {
            let mut pending = vec![path.to_string()];
            while let Some(dir) = pending.pop() {
                let entries = match store.list(&dir) {
                    Ok(entries) => entries,
                    Err(e) if e.is_not_found() => continue,
                    Err(e) => return Err(e),
                };
                for entry in entries {
                    let full = join(&dir, &entry.name);
                    match entry.kind {
                        EntryKind::Dir => pending.push(full),
                        kind => {
                            files.insert(relative(&full), kind);
                        }
                    }
                }
            }
        }
        Ok(ObjectFiles {
            path: path.to_string(),
            files,
        })
    }

    /// The folders named like versions (`v1`, `v002`), by number.
    pub fn version_dirs(&self) -> BTreeMap<u32, VersionNum> {
        let mut found = BTreeMap::new();
        for path in self.files.keys() {
            let Some((first, _)) = path.split_once('/') else {
                continue;
            };
            if let Some(version) = VersionNum::parse(first).filter(|v| v.to_string() == first) {
                found.entry(version.number).or_insert(version);
            }
        }
        found
    }

    /// The bytes of a regular file of the object, or `None` when it is not one.
    pub fn read_file(
        &self,
        store: &dyn Store,
        relative: &str,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        if self.files.get(relative) != Some(&EntryKind::File) {
            return Ok(None);
        }
        inventories::read_optional(store, &join(&self.path, relative))
    }
}

/// The damaged files of the object at `path` (relative to the storage root), found by digests
/// alone: inventories that do not match their sidecars, content files missing or without the
/// digests the sound inventories record, a missing or wrong object declaration.
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

/// One object to heal: where it stands here and in the replica.
struct Target {
    id: Option<String>,
    path: String,
    replica_path: Option<String>,
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

/// The objects of a root found by their declarations, each with its id where any of its
/// inventories names one (a damaged object's root inventory may not be readable).
fn found_objects(archive: &Archive) -> Result<Vec<(Option<String>, String)>, ArchiveError> {
    let store = archive.store();
    let mut found = Vec::new();
    for path in archive.object_paths()? {
        found.push((readable_id(store, &path)?, path));
    }
    Ok(found)
}

/// The id the root inventory of the object at `path` names, or else the newest version
/// inventory that names one, read without checking sidecars.
fn readable_id(store: &dyn Store, path: &str) -> Result<Option<String>, StoreError> {
    let id_in = |inventory: &str| -> Result<Option<String>, StoreError> {
        let bytes = inventories::read_optional(store, &join(path, inventory))?;
        Ok(bytes
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|v| v.get("id")?.as_str().map(str::to_string)))
    };
    if let Some(id) = id_in(INVENTORY)? {
        return Ok(Some(id));
    }
    let mut versions: Vec<VersionNum> = match store.list(path) {
        Ok(entries) => entries
            .iter()
            .filter_map(|e| VersionNum::parse(&e.name))
            .collect(),
        Err(e) if e.is_not_found() => Vec::new(),
        Err(e) => return Err(e),
    };
    versions.sort();
    for version in versions.iter().rev() {
        if let Some(id) = id_in(&join(&version.to_string(), INVENTORY))? {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// Where `id` stands in a root: where an object declaring itself names it, else where the
/// layout puts it if a folder is there.
fn locate(
    archive: &Archive,
    found: &[(Option<String>, String)],
    id: &str,
) -> Result<Option<String>, ArchiveError> {
    if let Some((_, path)) = found.iter().find(|(i, _)| i.as_deref() == Some(id)) {
        return Ok(Some(path.clone()));
    }
    let Some(layout) = archive.layout() else {
        return Ok(None);
    };
    let path = layout
        .object_path(id)
        .map_err(|cause| ArchiveError::Layout {
            path: archive.location(),
            cause,
        })?;
    Ok((archive.store().kind(&path)? == Some(EntryKind::Dir)).then_some(path))
}

/// The objects to heal: those named (each must be here), or every object here, including
/// those the replica holds whose folder is here without a readable declaration.
fn targets(
    archive: &Archive,
    replica: &Archive,
    ids: &[String],
) -> Result<Vec<Target>, ArchiveError> {
    let local = found_objects(archive)?;
    let remote = found_objects(replica)?;
    let mut targets = Vec::new();
    if !ids.is_empty() {
        for id in ids {
            let path = locate(archive, &local, id)?.ok_or_else(|| ArchiveError::NoSuchObject {
                id: id.clone(),
                root: archive.location(),
            })?;
            let replica_path = locate(replica, &remote, id)?;
            targets.push(Target {
                id: Some(id.clone()),
                path,
                replica_path,
            });
        }
        return Ok(targets);
    }
    for (id, path) in &local {
        // An object whose id cannot be read here is matched by where it stands.
        let id = id.clone().or_else(|| {
            let same_place = remote.iter().find(|(_, p)| p == path);
            same_place.and_then(|(id, _)| id.clone())
        });
        let replica_path = match &id {
            Some(id) => locate(replica, &remote, id)?,
            None => None,
        };
        targets.push(Target {
            id,
            path: path.clone(),
            replica_path,
        });
    }
    for (id, replica_path) in &remote {
        let Some(id) = id else { continue };
        if targets.iter().any(|t| t.id.as_deref() == Some(id)) {
            continue;
        }
        if let Some(path) = locate(archive, &local, id)? {
            targets.push(Target {
                id: Some(id.clone()),
                path,
                replica_path: Some(replica_path.clone()),
            });
        }
    }
    targets.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(targets)
}

/// The replica's copy of one object, once its history is found to be this object's.
struct ReplicaObject<'a> {
    store: &'a dyn Store,
    path: String,
    root: Option<Copy>,
}

/// Whether the replica's copy of an object can be used, and if not, why.
enum Replica<'a> {
    Usable(ReplicaObject<'a>),
    /// It cannot help (it holds no copy, or no sound inventory): damage stays.
    Unusable(String),
    /// It holds a different history: it is refused.
    Refused(String),
}

impl<'a> ReplicaObject<'a> {
    /// Opens the replica's copy at `path` and checks that it tells the same history as this
    /// object's sound inventories on every version both hold.
    fn open(
        store: &'a dyn Store,
        path: &str,
        local: &Inventories,
        id: &str,
    ) -> Result<Replica<'a>, StoreError> {
        let object = ReplicaObject {
            store,
            path: path.to_string(),
            root: Copy::read(store, &join(path, INVENTORY))?,
        };
        let Some(reference) = object.reference()? else {
            return Ok(Replica::Unusable(format!(
                "the replica's copy {} has no inventory that matches its sidecar",
                store.describe(path)
            )));
        };
        if reference.id != id {
            return Ok(Replica::Refused(format!(
                "the replica holds `{}` at {}, not `{id}`; nothing was changed",
                reference.id,
                store.describe(path)
            )));
        }
        for inventory in local.sound() {
            if let Err(difference) = inventories::agree(inventory, &reference) {
                return Ok(Replica::Refused(format!(
                    "the replica {} holds a different history of `{id}` ({difference}); \
                     nothing was changed",
                    store.describe(path)
                )));
            }
        }
        Ok(Replica::Usable(object))
    }

    /// The replica's own account of the object: its root inventory if sound, else its newest
    /// sound version inventory.
    fn reference(&self) -> Result<Option<Inventory>, StoreError> {
        if let Some(sound) = self.root.as_ref().and_then(Copy::sound) {
            return Ok(Some(sound.clone()));
        }
        let mut versions: Vec<VersionNum> = match self.store.list(&self.path) {
            Ok(entries) => entries
                .iter()
                .filter_map(|e| VersionNum::parse(&e.name))
                .collect(),
            Err(e) if e.is_not_found() => Vec::new(),
            Err(e) => return Err(e),
        };
        versions.sort();
        for version in versions.iter().rev() {
            let path = join(&join(&self.path, &version.to_string()), INVENTORY);
            if let Some(sound) = Copy::read(self.store, &path)?
                .as_ref()
                .and_then(Copy::sound)
            {
                return Ok(Some(sound.clone()));
            }
        }
        Ok(None)
    }

    /// The replica's copy of the inventory that belongs in `slot`: a version's own, and for
    /// the root, the inventory of this object's head (the replica's head may be ahead).
    fn copy_for(&self, slot: &inventories::Slot) -> Result<Option<Copy>, StoreError> {
        let dir = if slot.dir.is_empty() {
            slot.head.to_string()
        } else {
            slot.dir.clone()
        };
        let copy = Copy::read(self.store, &join(&join(&self.path, &dir), INVENTORY))?;
        if copy.is_some() || !slot.dir.is_empty() {
            return Ok(copy);
        }
        let root_head = self
            .root
            .as_ref()
            .and_then(|r| r.parsed.as_ref())
            .map(|i| i.head);
        Ok(self.root.clone().filter(|_| root_head == Some(slot.head)))
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
    work.inventories(source.as_ref(), &mut inventories)?;
    work.content(source.as_ref(), &inventories)?;
    work.declaration(source.as_ref(), &inventories)?;
    heal.outcome = match () {
        _ if heal.refused.is_some() => HealOutcome::Refused,
        _ if !heal.not_healed.is_empty() => HealOutcome::DamageRemains,
        _ if !heal.healed.is_empty() || heal.completed.is_some() => HealOutcome::Healed,
        _ => HealOutcome::Sound,
    };
    Ok(heal)
}

/// One object's healing in progress.
struct Work<'a, 'u> {
    /// The store of the object being healed.
    store: &'a dyn Store,
    object: &'a ObjectFiles,
    update: &'a mut (dyn ObjectUpdate + 'u),
    heal: &'a mut ObjectHeal,
    /// Why the replica cannot help, when it cannot.
    unusable: &'a str,
}

impl Work<'_, '_> {
    /// Swaps in `bytes` at `path` (relative to the object) and records it.
    fn swap(
        &mut self,
        path: &str,
        role: FileRole,
        bytes: &[u8],
        (why, from): (&str, &str),
    ) -> Result<(), StoreError> {
        self.update.stage_swap(path, &mut &bytes[..])?;
        self.update.swap_file(path)?;
        self.heal.healed.push(Healed {
            path: join(&self.object.path, path),
            role,
            bytes: bytes.len() as u64,
            why: why.to_string(),
            from: from.to_string(),
        });
        Ok(())
    }

    fn not_healed(&mut self, path: &str, role: FileRole, why: &str, reason: &str) {
        self.heal.not_healed.push(NotHealed {
            path: join(&self.object.path, path),
            role,
            reason: format!("{why}; {reason}"),
        });
    }

    /// Puts back damaged inventories and sidecars, until no more can be trusted (each one
    /// healed may vouch for the next).
    fn inventories(
        &mut self,
        source: Option<&ReplicaObject>,
        inventories: &mut Inventories,
    ) -> Result<(), StoreError> {
        let mut reasons: BTreeMap<usize, String> = BTreeMap::new();
        let mut progress = true;
        while progress {
            progress = false;
            for index in 0..inventories.slots.len() {
                if inventories.slots[index].sound.is_some() {
                    continue;
                }
                match self.heal_slot(index, source, inventories)? {
                    Ok(()) => {
                        reasons.remove(&index);
                        progress = true;
                    }
                    Err(reason) => {
                        reasons.insert(index, reason);
                    }
                }
            }
        }
        for (index, reason) in reasons {
            let slot = &inventories.slots[index];
            // A version without an inventory, which the replica lacks too, is no damage.
            if !slot.is_empty() {
                let (path, why) = (slot.path(), slot.damage());
                self.not_healed(&path, FileRole::Inventory, &why, &reason);
            }
        }
        Ok(())
    }

    /// Puts back the inventory (and sidecar) of one place from the first copy that can be
    /// trusted: the replica's, and for the root also this object's own head version's; or
    /// says why none can.
    fn heal_slot(
        &mut self,
        index: usize,
        source: Option<&ReplicaObject>,
        inventories: &mut Inventories,
    ) -> Result<Result<(), String>, StoreError> {
        if self.heal.refused.is_some() {
            return Ok(Err(self.unusable.to_string()));
        }
        let slot = &inventories.slots[index];
        let mut copies = Vec::new();
        if let Some(source) = source {
            copies.extend(source.copy_for(slot)?);
        }
        if slot.dir.is_empty() {
            copies.extend(inventories.head_copy(self.store, &self.object.path));
        }
        let mut refusal = match source {
            Some(_) => "the replica holds no copy of it".to_string(),
            None => self.unusable.to_string(),
        };
        let others: Vec<&Inventory> = inventories.sound().collect();
        let id = self.heal.id.clone().unwrap_or_default();
        let mut plan = None;
        for (n, copy) in copies.iter().enumerate() {
            match inventories::plan(slot, copy, &others, &id) {
                Ok(found) => {
                    plan = Some(found);
                    break;
                }
                Err(reason) if n == 0 => refusal = reason,
                Err(_) => {}
            }
        }
        let Some(plan) = plan else {
            return Ok(Err(refusal));
        };
        let origin = plan.origin.clone();
        for (path, role, bytes) in plan.files(slot) {
            let slot = &mut inventories.slots[index];
            let name = path.rsplit('/').next().unwrap_or_default().to_string();
            let why = match role {
                FileRole::Sidecar => slot.sidecar_damage(&name).to_string(),
                _ => slot.damage(),
            };
            self.swap(&path, role, &bytes, (&why, &origin))?;
            if role == FileRole::Sidecar {
                slot.sidecars.insert(name, bytes);
            } else {
                slot.bytes = Some(bytes);
            }
        }
        let slot = &mut inventories.slots[index];
        slot.sound = slot.check();
        Ok(Ok(()))
    }

    /// Puts back damaged content files whose replica copies have the recorded digests.
    fn content(
        &mut self,
        source: Option<&ReplicaObject>,
        inventories: &Inventories,
    ) -> Result<(), StoreError> {
        let expected = Expected::from(inventories.sound());
        self.heal
            .not_healed
            .extend(content::conflicts(self.object, &expected));
        let damaged = content::damaged(self.store, self.object, &expected)?;
        let Some(source) = source else {
            for (path, why) in damaged {
                let reason = self.unusable.to_string();
                self.not_healed(&path, FileRole::Content, &why, &reason);
            }
            return Ok(());
        };
        let source = Source {
            store: source.store,
            path: &source.path,
        };
        let mut done = (Vec::new(), Vec::new());
        content::heal(
            &source,
            self.object,
            damaged,
            &expected,
            self.update,
            &mut done,
        )?;
        self.heal.healed.extend(done.0);
        self.heal.not_healed.extend(done.1);
        Ok(())
    }

    /// Puts back a missing or wrong object declaration when the replica's is right.
    fn declaration(
        &mut self,
        source: Option<&ReplicaObject>,
        inventories: &Inventories,
    ) -> Result<(), StoreError> {
        let Some(name) = inventories.declaration() else {
            return Ok(());
        };
        let body = declaration_body(name);
        let local = self.object.read_file(self.store, name)?;
        if local.as_deref() == Some(body.as_bytes()) {
            return Ok(());
        }
        let why = if local.is_some() {
            "not the declaration it must be"
        } else {
            "missing"
        };
        let Some(source) = source else {
            let reason = self.unusable.to_string();
            self.not_healed(name, FileRole::Declaration, why, &reason);
            return Ok(());
        };
        let copy_path = join(&source.path, name);
        let copy = inventories::read_optional(source.store, &copy_path)?;
        match copy {
            Some(bytes) if bytes == body.as_bytes() => {
                let from = source.store.describe(&copy_path);
                self.swap(name, FileRole::Declaration, &bytes, (why, &from))
            }
            Some(_) => {
                self.not_healed(
                    name,
                    FileRole::Declaration,
                    why,
                    "the replica's copy is wrong too",
                );
                Ok(())
            }
            None => {
                self.not_healed(
                    name,
                    FileRole::Declaration,
                    why,
                    "the replica holds no copy of it",
                );
                Ok(())
            }
        }
    }
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
