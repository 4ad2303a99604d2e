//! Adding a version to an object: the one way into the archive.

use super::digest::{DigestAlgorithm, HashingReader};
use super::inventory::{DigestMap, Inventory, User, Version, VersionNum, INVENTORY_TYPE_1_1};
use super::object::FileChanges;
use super::{Archive, ArchiveError};
use crate::ocfl::{declaration_body, INVENTORY, OBJECT_DECLARATION};
use crate::store::join;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::path::PathBuf;

/// A file of the new version: where it goes in the object's logical state, and where its
/// bytes are now.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub logical_path: String,
    pub source: PathBuf,
}

/// The full logical state of a new version and who made it when.
#[derive(Debug, Clone)]
pub struct NewVersion {
    pub files: Vec<NewFile>,
    /// The version message; `None` describes the file changes.
    pub message: Option<String>,
    pub user: User,
    pub created: DateTime<Utc>,
}

/// What a commit did.
#[derive(Debug, Clone, Serialize)]
pub struct CommitOutcome {
    pub id: String,
    /// The new head, or the unchanged head when nothing was stored.
    pub version: String,
    /// False when the new state equals the head: nothing was written.
    pub committed: bool,
    pub created_object: bool,
    pub changes: FileChanges,
    /// Content files written (content already in the object is referenced, not stored again).
    pub stored_files: usize,
    pub stored_bytes: u64,
    /// Set when an earlier, interrupted commit of this object had to be completed first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovered: Option<String>,
}

const ALGORITHM: DigestAlgorithm = DigestAlgorithm::Sha512;

/// A source file of a new version, hashed: its digest, where it is, and its size.
struct Hashed {
    digest: String,
    source: PathBuf,
    size: u64,
}

/// The new version's logical state: logical path → hashed source.
type HashedState = BTreeMap<String, Hashed>;

impl Archive {
    /// Makes `version` the new head of object `id` (creating the object if needed). Content
    /// already in the object is not stored again; a state equal to the head stores nothing.
    ///
    /// The object is locked for the duration; the version is staged outside the object and
    /// published so that a reader, or a crash, only ever sees the old head or the new one.
    pub fn commit_version(
        &self,
        id: &str,
        version: NewVersion,
    ) -> Result<CommitOutcome, ArchiveError> {
        let object_path = self.writable_object_path(id)?;
        // Hash the sources before taking the lock: the lock is held only for the write.
        let state = hash_sources(&version.files)?;

        let mut update = self.store().begin_update(&object_path)?;
        let recovered = super::recover::complete_interrupted_commit(
            self.store(),
            &object_path,
            update.as_mut(),
        )?;
        // Read the head only now, under the lock, so that no other writer can slip in between.
        let existing = self.existing_inventory(&object_path, id)?;
        let changes = changes_from(existing.as_ref(), &state);
        if let Some(inventory) = existing.as_ref().filter(|_| changes.is_empty()) {
            return Ok(unchanged(id, inventory, changes, recovered));
        }

        let mut inventory = existing.clone().unwrap_or_else(|| Inventory {
            id: id.to_string(),
            inventory_type: INVENTORY_TYPE_1_1.to_string(),
            digest_algorithm: ALGORITHM,
            head: VersionNum::first(),
            content_directory: None,
            manifest: DigestMap::new(),
            versions: BTreeMap::new(),
            fixity: None,
        });
        let new_head = self.next_head(existing.as_ref(), &object_path)?;
        let known = known_digests(existing.as_ref());
        let content_dir = inventory.content_directory().to_string();

        // Forward delta: store each new digest once, under the first logical path that has it.
        let mut stored_files = 0;
        let mut stored_bytes = 0;
        let mut version_state = DigestMap::new();
        for (logical_path, Hashed { digest, source, .. }) in &state {
            if let Some(spelt) = known.get(digest) {
                version_state
                    .entry(spelt.clone())
                    .or_default()
                    .push(logical_path.clone());
                continue;
            }
            version_state
                .entry(digest.clone())
                .or_default()
                .push(logical_path.clone());
            if inventory.manifest.contains_key(digest) {
                continue;
            }
            let content_path = format!("{new_head}/{content_dir}/{logical_path}");
            let file = File::open(source).map_err(|e| ArchiveError::io("read", source, e))?;
            let mut reader = HashingReader::new(ALGORITHM, file);
            stored_bytes += update.write(&content_path, &mut reader)?;
            if reader.finish() != *digest {
                return Err(ArchiveError::Source {
                    path: source.display().to_string(),
                    message: "the file changed while it was being ingested; nothing was stored"
                        .into(),
                });
            }
            stored_files += 1;
            inventory
                .manifest
                .insert(digest.clone(), vec![content_path]);
        }
        inventory.head = new_head;
        inventory.versions.insert(
            new_head,
            Version {
                created: version.created.to_rfc3339_opts(SecondsFormat::Secs, true),
                message: Some(version.message.unwrap_or_else(|| changes.summary())),
                user: Some(version.user),
                state: version_state,
            },
        );

        let json = inventory.to_json();
        let (sidecar_name, sidecar) = inventory.sidecar(&json);
        update.write(&format!("{new_head}/{INVENTORY}"), &mut json.as_slice())?;
        update.write(
            &format!("{new_head}/{sidecar_name}"),
            &mut sidecar.as_slice(),
        )?;
        let declaration = declaration_body(OBJECT_DECLARATION);
        let mut root_files: Vec<(&str, &[u8])> = Vec::new();
        // A new object's declaration (one a killed writer left out is added by recovery).
        if existing.is_none() {
            root_files.push((OBJECT_DECLARATION, declaration.as_bytes()));
        }
        root_files.push((INVENTORY, &json));
        root_files.push((&sidecar_name, &sidecar));
        update.commit(&new_head.to_string(), &root_files)?;

        Ok(CommitOutcome::new_version(
            id,
            new_head,
            existing.is_none(),
            changes,
            (stored_files, stored_bytes),
            recovered,
        ))
    }

    /// What [`Archive::commit_version`] would do with `version`, found without writing
    /// anything or taking the object's lock: `committed` tells whether a commit would make a
    /// version, and the counts are of the content it would store. An interrupted commit is
    /// not completed first, so the plan is against the head that readers see.
    pub fn plan_version(
        &self,
        id: &str,
        version: &NewVersion,
    ) -> Result<CommitOutcome, ArchiveError> {
        let object_path = self.writable_object_path(id)?;
        let state = hash_sources(&version.files)?;
        let existing = self.existing_inventory(&object_path, id)?;
        let changes = changes_from(existing.as_ref(), &state);
        if let Some(inventory) = existing.as_ref().filter(|_| changes.is_empty()) {
            return Ok(unchanged(id, inventory, changes, None));
        }
        let new_head = self.next_head(existing.as_ref(), &object_path)?;
        let known = known_digests(existing.as_ref());
        let mut new_content = std::collections::BTreeSet::new();
        let mut stored_bytes = 0;
        for hashed in state.values() {
            if !known.contains_key(&hashed.digest) && new_content.insert(&hashed.digest) {
                stored_bytes += hashed.size;
            }
        }
        Ok(CommitOutcome::new_version(
            id,
            new_head,
            existing.is_none(),
            changes,
            (new_content.len(), stored_bytes),
            None,
        ))
    }

    /// Where quire may write object `id`: the root must be OCFL 1.1 with a layout it knows.
    fn writable_object_path(&self, id: &str) -> Result<String, ArchiveError> {
        let root_path = self.location();
        let object_path = self
            .layout()
            .ok_or_else(|| ArchiveError::Unsupported {
                path: root_path.clone(),
                message: "the storage root declares no layout quire can write with".into(),
            })?
            .object_path(id)
            .map_err(|cause| ArchiveError::Layout {
                path: root_path.clone(),
                cause,
            })?;
        if self.store().kind(super::ROOT_DECLARATION)?.is_none() {
            return Err(ArchiveError::Unsupported {
                path: root_path,
                message: "quire writes OCFL 1.1 objects, which need an OCFL 1.1 storage root"
                    .into(),
            });
        }
        Ok(object_path)
    }

    /// The inventory of the object at `object_path`, if there is one, checked to be object
    /// `id` and one that quire can add versions to.
    fn existing_inventory(
        &self,
        object_path: &str,
        id: &str,
    ) -> Result<Option<Inventory>, ArchiveError> {
        if self.store().kind(&join(object_path, INVENTORY))?.is_none() {
            return Ok(None);
        }
        let inventory = self.read_inventory(object_path)?;
        if inventory.id != id {
            return Err(ArchiveError::BadInventory {
                path: self.store().describe(&join(object_path, INVENTORY)),
                message: format!("holds object `{}`, not `{id}`", inventory.id),
            });
        }
        if inventory.inventory_type != INVENTORY_TYPE_1_1 || inventory.digest_algorithm != ALGORITHM
        {
            return Err(ArchiveError::Unsupported {
                path: self.store().describe(object_path),
                message: "quire adds versions only to OCFL 1.1 objects addressed by sha512".into(),
            });
        }
        Ok(Some(inventory))
    }

    /// The version a commit makes: v1 for a new object, else the one after the head, which
    /// must keep the object's zero-padding width (OCFL E013).
    fn next_head(
        &self,
        existing: Option<&Inventory>,
        object_path: &str,
    ) -> Result<VersionNum, ArchiveError> {
        let Some(inventory) = existing else {
            return Ok(VersionNum::first());
        };
        let new_head = inventory.head.next();
        if new_head.width > 0 && new_head.to_string().len() > new_head.width {
            return Err(ArchiveError::Unsupported {
                path: self.store().describe(object_path),
                message: format!(
                    "the object names its versions zero-padded to {} characters, and {new_head} does not fit",
                    new_head.width
                ),
            });
        }
        Ok(new_head)
    }
}

/// Hashes every source file of a new version; a logical path given twice is refused.
fn hash_sources(files: &[NewFile]) -> Result<HashedState, ArchiveError> {
    let mut state = HashedState::new();
    for file in files {
        let read_error = |e| ArchiveError::io("read", &file.source, e);
        let mut reader = File::open(&file.source).map_err(read_error)?;
        let (digest, size) = ALGORITHM.digest_reader(&mut reader).map_err(read_error)?;
        let hashed = Hashed {
            digest,
            source: file.source.clone(),
            size,
        };
        if state.insert(file.logical_path.clone(), hashed).is_some() {
            return Err(ArchiveError::Source {
                path: file.source.display().to_string(),
                message: format!("logical path `{}` given twice", file.logical_path),
            });
        }
    }
    Ok(state)
}

/// The files that differ between the object's head (nothing, for a new object) and `state`.
fn changes_from(existing: Option<&Inventory>, state: &HashedState) -> FileChanges {
    let logical: BTreeMap<String, String> = state
        .iter()
        .map(|(path, hashed)| (path.clone(), hashed.digest.clone()))
        .collect();
    let before = existing
        .map(|inv| inv.logical_state(inv.head).unwrap_or_default())
        .unwrap_or_default();
    FileChanges::between(&before, &logical)
}

/// Digests the object already has, by their lowercase form, spelt as its manifest spells
/// them (OCFL compares digests without case, but a state should use the manifest's key).
fn known_digests(existing: Option<&Inventory>) -> HashMap<String, String> {
    existing
        .map(|inventory| {
            inventory
                .manifest
                .keys()
                .map(|d| (d.to_ascii_lowercase(), d.clone()))
                .collect()
        })
        .unwrap_or_default()
}

impl CommitOutcome {
    /// A commit that makes (or would make) `version` of object `id`, storing
    /// `stored` = (content files, bytes).
    fn new_version(
        id: &str,
        version: VersionNum,
        created_object: bool,
        changes: FileChanges,
        stored: (usize, u64),
        recovered: Option<String>,
    ) -> CommitOutcome {
        CommitOutcome {
            id: id.to_string(),
            version: version.to_string(),
            committed: true,
            created_object,
            changes,
            stored_files: stored.0,
            stored_bytes: stored.1,
            recovered,
        }
    }
}

/// The outcome of a commit whose state equals the head: nothing stored.
fn unchanged(
    id: &str,
    inventory: &Inventory,
    changes: FileChanges,
    recovered: Option<String>,
) -> CommitOutcome {
    CommitOutcome {
        committed: false,
        ..CommitOutcome::new_version(id, inventory.head, false, changes, (0, 0), recovered)
    }
}
