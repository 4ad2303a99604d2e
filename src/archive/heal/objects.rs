//! Finding what to heal: the objects of a storage root (by their declarations, their ids read
//! from any inventory that still names one, since a damaged object's root inventory may not
//! be readable), where each stands in the replica, and the files of one object.

use super::inventories;
use crate::archive::inventory::VersionNum;
use crate::archive::{Archive, ArchiveError};
use crate::ocfl::INVENTORY;
use crate::store::{join, EntryKind, Store, StoreError};
use std::collections::BTreeMap;

/// The files of an object, found by listing it: paths relative to the object root, with what
/// each is (links and other special files are listed, never followed).
pub(super) struct ObjectFiles {
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

/// One object to heal: where it stands here and in the replica.
pub(super) struct Target {
    pub id: Option<String>,
    pub path: String,
    pub replica_path: Option<String>,
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
pub(super) fn readable_id(store: &dyn Store, path: &str) -> Result<Option<String>, StoreError> {
    let id_in = |inventory: &str| -> Result<Option<String>, StoreError> {
        let bytes = inventories::read_optional(store, &join(path, inventory))?;
        Ok(bytes
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|v| v.get("id")?.as_str().map(str::to_string)))
    };
    if let Some(id) = id_in(INVENTORY)? {
        return Ok(Some(id));
    }
    for version in newest_first(store, path)? {
        if let Some(id) = id_in(&join(&version.to_string(), INVENTORY))? {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// The folders of the object at `path` named like versions, newest first.
pub(super) fn newest_first(store: &dyn Store, path: &str) -> Result<Vec<VersionNum>, StoreError> {
    let mut versions: Vec<VersionNum> = match store.list(path) {
        Ok(entries) => entries
            .iter()
            .filter_map(|e| VersionNum::parse(&e.name))
            .collect(),
        Err(e) if e.is_not_found() => Vec::new(),
        Err(e) => return Err(e),
    };
    versions.sort_by(|a, b| b.cmp(a));
    Ok(versions)
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
pub(super) fn targets(
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
