//! Completing a commit that was interrupted: a writer killed after its new version directory
//! appeared in the object, but before the root inventory and sidecar both named it.
//!
//! A version directory only ever appears complete (it is staged, synced and moved in with one
//! step), so when the newest one is whole and consistent its inventory is the object's true
//! head, and the root files are brought in line with it. Anything else is left alone for
//! `quire verify` to report.

use super::digest::DigestAlgorithm;
use super::inventory::{sidecar_matches, VersionNum, INVENTORY_TYPE_1_0};
use crate::ocfl::{
    declaration_body, sidecar_name, INVENTORY, OBJECT_DECLARATION, OBJECT_DECLARATION_1_0,
};
use crate::store::{join, EntryKind, ObjectUpdate, Store, StoreError};

/// Brings the root inventory and sidecar in line with the newest version's, if a commit was
/// interrupted; returns a description of what was done.
pub fn complete_interrupted_commit(
    store: &dyn Store,
    object_path: &str,
    update: &mut dyn ObjectUpdate,
) -> Result<Option<String>, StoreError> {
    let entries = match store.list(object_path) {
        Ok(entries) => entries,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e),
    };
    let Some(newest) = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Dir)
        .filter_map(|e| VersionNum::parse(&e.name).filter(|v| v.to_string() == e.name))
        .max()
    else {
        return Ok(None);
    };
    let version_path = join(object_path, &newest.to_string());
    let read = |path: &str| -> Result<Option<Vec<u8>>, StoreError> {
        match store.read(path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(StoreError::Invalid { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    };
    let Some(inventory) = read(&join(&version_path, INVENTORY))? else {
        return discard_unpublished(store, object_path, newest, update);
    };
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(&inventory) else {
        return Ok(None);
    };
    let Some(algorithm) = value
        .get("digestAlgorithm")
        .and_then(|a| a.as_str())
        .and_then(DigestAlgorithm::from_name)
    else {
        return Ok(None);
    };
    let sidecar_name = sidecar_name(algorithm.name());
    let Some(sidecar) = read(&join(&version_path, &sidecar_name))? else {
        return Ok(None);
    };
    // The newest version must be whole: its sidecar matches, it is its own head, and every
    // file its manifest puts in it is there.
    let sidecar_ok = sidecar_matches(&sidecar, algorithm, &inventory);
    let head = value
        .get("head")
        .and_then(|h| h.as_str())
        .and_then(VersionNum::parse);
    if !sidecar_ok || head != Some(newest) {
        return Ok(None);
    }
    let declared = super::declares_object(&entries);
    let declaration = match value.get("type").and_then(|t| t.as_str()) {
        Some(INVENTORY_TYPE_1_0) => OBJECT_DECLARATION_1_0,
        _ => OBJECT_DECLARATION,
    };
    let declaration = (declaration, declaration_body(declaration));
    let root_inventory = read(&join(object_path, INVENTORY))?;
    let root_sidecar = read(&join(object_path, &sidecar_name))?;
    if root_inventory.as_deref() == Some(&inventory[..])
        && root_sidecar.as_deref() == Some(&sidecar[..])
    {
        if declared {
            return Ok(None);
        }
        // A new object whose writer was killed just before its last step (on a store that
        // cannot publish an object in one step).
        update.replace_root_files(&[(declaration.0, declaration.1.as_bytes())])?;
        return Ok(Some(format!(
            "completed an interrupted commit of {}: added its object declaration",
            store.describe(object_path)
        )));
    }
    let root_head = root_inventory
        .as_deref()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(bytes).ok())
        .and_then(|v| v.get("head")?.as_str().and_then(VersionNum::parse));
    let previous = newest.number.checked_sub(1);
    // A new object torn before its root files (possible only where a store cannot publish an
    // object in one step) has a whole v1 and no root inventory.
    let new_object = root_inventory.is_none() && newest.number == 1;
    if !new_object
        && !root_head.is_some_and(|h| h.number == newest.number || Some(h.number) == previous)
    {
        return Ok(None);
    }
    let prefix = format!("{newest}/");
    let manifest = value.get("manifest").and_then(|m| m.as_object());
    for path in manifest
        .into_iter()
        .flat_map(|m| m.values())
        .filter_map(|p| p.as_array())
        .flatten()
        .filter_map(|p| p.as_str())
    {
        if path.starts_with(&prefix)
            && store.kind(&join(object_path, path))? != Some(EntryKind::File)
        {
            return Ok(None);
        }
    }
    // Only what differs is written: a root file that is already right is left alone.
    let mut root_files: Vec<(&str, &[u8])> = Vec::new();
    if root_inventory.as_deref() != Some(&inventory[..]) {
        root_files.push((INVENTORY, &inventory));
    }
    if root_sidecar.as_deref() != Some(&sidecar[..]) {
        root_files.push((&sidecar_name, &sidecar));
    }
    if !declared {
        // Last, as a commit writes it: an object is found by its declaration.
        root_files.push((declaration.0, declaration.1.as_bytes()));
    }
    update.replace_root_files(&root_files)?;
    let object = store.describe(object_path);
    if root_inventory.is_some() && root_sidecar.is_none() {
        // Not a torn commit (a commit replaces the sidecar, never removes it): a sidecar lost
        // since, put back from the newest version's own checked copy.
        let names: Vec<&str> = root_files.iter().map(|(name, _)| *name).collect();
        return Ok(Some(format!(
            "restored {} of {object} from {newest}'s own copy (the sidecar was missing)",
            names.join(" and ")
        )));
    }
    Ok(Some(format!(
        "completed an interrupted commit of {object}: the root inventory now names {newest}"
    )))
}

/// A newest version folder without an inventory, one past the root inventory's head, is what a
/// writer killed while publishing left (a version's inventory is published last; on a folder
/// a version appears whole, so this is seen only on a bucket): no inventory names its files, so
/// it is removed.
fn discard_unpublished(
    store: &dyn Store,
    object_path: &str,
    newest: VersionNum,
    update: &mut dyn ObjectUpdate,
) -> Result<Option<String>, StoreError> {
    let root_head = match store.read(&join(object_path, INVENTORY)) {
        Ok(bytes) => serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| v.get("head")?.as_str().and_then(VersionNum::parse)),
        Err(e) if e.is_not_found() => None,
        Err(e) => return Err(e),
    };
    if root_head.map(|h| h.number + 1) != Some(newest.number) {
        return Ok(None);
    }
    if !update.discard_unpublished(&newest.to_string())? {
        return Ok(None);
    }
    Ok(Some(format!(
        "cleared {newest} of {}: a writer was killed while publishing it, and no inventory names it",
        store.describe(object_path)
    )))
}

/// What `repair` without a replica did and found.
#[derive(Debug, Clone, Default)]
pub struct RepairReport {
    /// Each interrupted commit completed, and each work folder of a killed writer removed,
    /// described.
    pub completed: Vec<String>,
    /// Objects (by id; by path, as the store describes it, when no inventory names one) with
    /// files (named from the object's root)
    /// that are missing or do not have their recorded digests, after any completion: only a
    /// replica can heal them. A version whose sidecar is missing names its inventory.
    pub damaged: Vec<(String, Vec<String>)>,
}

impl super::Archive {
    /// Completes an interrupted commit of every object (or of the objects given), taking each
    /// object's write lock, then checks each object's files against their digests; returns
    /// what was done and the damage that remains. Objects found by scanning are repaired where
    /// they stand.
    pub fn repair(&self, ids: &[String]) -> Result<RepairReport, super::ArchiveError> {
        let mut report = RepairReport::default();
        let mut paths = Vec::new();
        if ids.is_empty() {
            paths = self.object_paths()?;
        } else {
            for id in ids {
                let path =
                    self.object_path(id)?
                        .ok_or_else(|| super::ArchiveError::NoSuchObject {
                            id: id.clone(),
                            root: self.location(),
                        })?;
                paths.push(path);
            }
        }
        paths.sort();
        let leftovers = dead_work_folders(self.store());
        for path in paths {
            let mut update = self.store().begin_update(&path)?;
            if let Some(message) =
                complete_interrupted_commit(self.store(), &path, update.as_mut())?
            {
                report.completed.push(message);
            }
            let damaged = super::heal::damaged_files(self.store(), &path)?;
            if !damaged.is_empty() {
                let files = damaged.iter().map(|f| relative(f, &path)).collect();
                let id = super::heal::object_id_at(self.store(), &path)?;
                let object = id.unwrap_or_else(|| self.store().describe(&path));
                report.damaged.push((object, files));
            }
        }
        // Taking a lock sweeps away what dead writers left in the staging folder: say so.
        let remaining = dead_work_folders(self.store());
        report
            .completed
            .extend(leftovers.difference(&remaining).map(|path| {
                format!(
                "removed {path}: a work folder a killed writer left (it never reached an object)"
            )
            }));
        Ok(report)
    }
}

/// The work folders in the staging folder that no writer's lock file stands beside: a killed
/// writer's, which the next writer removes.
fn dead_work_folders(store: &dyn Store) -> std::collections::BTreeSet<String> {
    let entries = store.list(crate::store::STAGING_DIR).unwrap_or_default();
    let names: std::collections::BTreeSet<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    entries
        .iter()
        .filter(|e| {
            e.kind == EntryKind::Dir && !names.contains(format!("{}.lock", e.name).as_str())
        })
        .map(|e| join(crate::store::STAGING_DIR, &e.name))
        .collect()
}

/// `path` named from the object's root `object`.
fn relative(path: &str, object: &str) -> String {
    path.strip_prefix(object)
        .map_or(path, |rest| rest.trim_start_matches('/'))
        .to_string()
}
