//! Adding a version to an object: the one way into the archive.

use super::digest::{DigestAlgorithm, HashingReader};
use super::inventory::{DigestMap, Inventory, User, Version, VersionNum, INVENTORY_TYPE_1_1};
use super::object::FileChanges;
use super::{Archive, ArchiveError};
use crate::ocfl::{declaration_body, INVENTORY, OBJECT_DECLARATION};
use crate::store::{join, ObjectUpdate, ParallelStaging};
use chrono::{DateTime, SecondsFormat, Utc};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::{self, File};
use std::path::PathBuf;
use std::sync::OnceLock;

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
    /// Who made it (`None`: recorded as no one, rather than an invented name).
    pub user: Option<User>,
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

/// A source file of a new version, hashed: its digest, where it is, its size, and whether it
/// was staged as it was hashed.
struct Hashed {
    digest: String,
    source: PathBuf,
    size: u64,
    staged: bool,
}

/// The new version's logical state: logical path → hashed source.
type HashedState = BTreeMap<String, Hashed>;

impl Archive {
    /// Makes `version` the new head of object `id` (creating the object if needed). Content
    /// already in the object is not stored again; a state equal to the head stores nothing.
    ///
    /// The object is locked for the duration; the version is staged outside the object and
    /// published so that a reader, or a crash, only ever sees the old head or the new one.
    /// Each source file is read once where it can be: files the head does not have are staged
    /// while they are hashed, in parallel (and taken back if their content turns out to be
    /// in the object already); the head's files are only hashed, and read again only if
    /// their content changed.
    pub fn commit_version(
        &self,
        id: &str,
        version: NewVersion,
    ) -> Result<CommitOutcome, ArchiveError> {
        let object_path = self.writable_object_path(id)?;
        check_unique_paths(&version.files)?;

        let mut update = self.store().begin_update(&object_path)?;
        let recovered = super::recover::complete_interrupted_commit(
            self.store(),
            &object_path,
            update.as_mut(),
        )?;
        // Read the head only now, under the lock, so that no other writer can slip in between.
        let existing = self.existing_inventory(&object_path, id)?;
        let before = head_state(existing.as_ref());
        let new_head = self.next_head(existing.as_ref(), &object_path);
        let mut inventory = existing.clone().unwrap_or_else(|| new_inventory(id));
        let content_dir = inventory.content_directory().to_string();
        let content_path =
            |head: VersionNum, logical_path: &str| format!("{head}/{content_dir}/{logical_path}");
        let staging_head = new_head.as_ref().ok().copied();
        let state = hash_sources(&version.files, update.parallel_staging(), |logical_path| {
            let head = staging_head.filter(|_| !before.contains_key(logical_path))?;
            Some(content_path(head, logical_path))
        })?;
        let changes = FileChanges::between(&before, &digests_of(&state));
        if let Some(inventory) = existing.as_ref().filter(|_| changes.is_empty()) {
            return Ok(unchanged(id, inventory, changes, recovered));
        }
        let new_head = new_head?;
        let (version_state, stored) = add_content(update.as_mut(), &mut inventory, &state, |p| {
            content_path(new_head, p)
        })?;
        inventory.head = new_head;
        inventory.versions.insert(
            new_head,
            Version {
                created: version.created.to_rfc3339_opts(SecondsFormat::Secs, true),
                message: Some(version.message.unwrap_or_else(|| changes.summary())),
                user: version.user,
                state: version_state,
            },
        );

        publish(update, &inventory, existing.is_none())?;
        Ok(CommitOutcome::new_version(
            id,
            new_head,
            existing.is_none(),
            changes,
            stored,
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
        check_unique_paths(&version.files)?;
        let state = hash_sources(&version.files, None, |_| None)?;
        let existing = self.existing_inventory(&object_path, id)?;
        let changes = FileChanges::between(&head_state(existing.as_ref()), &digests_of(&state));
        if let Some(inventory) = existing.as_ref().filter(|_| changes.is_empty()) {
            return Ok(unchanged(id, inventory, changes, None));
        }
        let new_head = self.next_head(existing.as_ref(), &object_path)?;
        let known = known_digests(existing.as_ref());
        let mut new_content = BTreeSet::new();
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
                message: self.unwritable_layout().unwrap_or_default(),
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
        let shared = self.layout().is_some_and(|l| l.shares_folders());
        if inventory.id != id && shared {
            return Err(ArchiveError::Unsupported {
                path: self.store().describe(object_path),
                message: format!(
                    "the root's layout puts object `{id}` in this folder, where object `{}` \
                     stands (the layout drops the ids' prefixes, so both name it): give the \
                     issue another id",
                    inventory.id
                ),
            });
        }
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

/// The inventory of a new object, before its first version.
fn new_inventory(id: &str) -> Inventory {
    Inventory {
        id: id.to_string(),
        inventory_type: INVENTORY_TYPE_1_1.to_string(),
        digest_algorithm: ALGORITHM,
        head: VersionNum::first(),
        content_directory: None,
        manifest: DigestMap::new(),
        versions: BTreeMap::new(),
        fixity: None,
    }
}

/// Stages the head version's inventory and sidecar, then publishes the version and replaces
/// the root files: a new object's declaration first, the inventory, its sidecar last.
fn publish(
    mut update: Box<dyn ObjectUpdate + '_>,
    inventory: &Inventory,
    new_object: bool,
) -> Result<(), ArchiveError> {
    let head = inventory.head;
    let json = inventory.to_json();
    let (sidecar_name, sidecar) = inventory.sidecar(&json);
    update.write(&format!("{head}/{INVENTORY}"), &mut json.as_slice())?;
    update.write(&format!("{head}/{sidecar_name}"), &mut sidecar.as_slice())?;
    let declaration = declaration_body(OBJECT_DECLARATION);
    let mut root_files: Vec<(&str, &[u8])> = Vec::new();
    // A new object's declaration (one a killed writer left out is added by recovery).
    if new_object {
        root_files.push((OBJECT_DECLARATION, declaration.as_bytes()));
    }
    root_files.push((INVENTORY, &json));
    root_files.push((&sidecar_name, &sidecar));
    update.commit(&head.to_string(), &root_files)?;
    Ok(())
}

/// Refuses a new version that gives a logical path twice.
fn check_unique_paths(files: &[NewFile]) -> Result<(), ArchiveError> {
    let mut seen = BTreeSet::new();
    match files.iter().find(|file| !seen.insert(&file.logical_path)) {
        Some(file) => Err(ArchiveError::Source {
            path: file.source.display().to_string(),
            message: format!("logical path `{}` given twice", file.logical_path),
        }),
        None => Ok(()),
    }
}

/// Hashes every source file of a new version, several at once and the largest first (so
/// that the cores finish together), each read once in large chunks. A file for which
/// `stage_at` names a content path is staged there through `staging` as it is hashed.
fn hash_sources(
    files: &[NewFile],
    staging: Option<&dyn ParallelStaging>,
    stage_at: impl Fn(&str) -> Option<String> + Sync,
) -> Result<HashedState, ArchiveError> {
    let mut jobs: Vec<(&NewFile, u64)> = files
        .iter()
        .map(|file| (file, fs::metadata(&file.source).map_or(0, |m| m.len())))
        .collect();
    jobs.sort_by_key(|(_, size)| std::cmp::Reverse(*size));
    let hash_all = || {
        // One file per work item, as verify does: rayon's default splitting can leave a core
        // idle.
        jobs.par_iter()
            .with_max_len(1)
            .map(|(file, _)| {
                let target = staging.zip(stage_at(&file.logical_path));
                hash_source(file, target)
            })
            .collect::<Result<Vec<Hashed>, _>>()
    };
    let hashed = match staging.and(staging_pool()) {
        Some(pool) => pool.install(hash_all)?,
        None => hash_all()?,
    };
    Ok(jobs
        .iter()
        .zip(hashed)
        .map(|((file, _), hashed)| (file.logical_path.clone(), hashed))
        .collect())
}

/// The threads that stage a new version's files while hashing them: a file staged is synced
/// before the next is taken up, so twice as many threads as cores keep the cores hashing while
/// some wait for the disk. Made once, so that its threads (and their buffers) are not made
/// anew for every commit.
fn staging_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        rayon::ThreadPoolBuilder::new()
            .num_threads(2 * cores)
            .thread_name(|i| format!("quire-staging-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Hashes one source file, staging it at the given content path on the way if asked to.
fn hash_source(
    file: &NewFile,
    stage: Option<(&dyn ParallelStaging, String)>,
) -> Result<Hashed, ArchiveError> {
    let read_error = |e| ArchiveError::io("read", &file.source, e);
    let mut reader = File::open(&file.source).map_err(read_error)?;
    let ((digest, size), staged) = match stage {
        Some((staging, content_path)) => {
            let mut reader = HashingReader::new(ALGORITHM, reader);
            let size = staging.write(&content_path, &mut reader)?;
            ((reader.finish(), size), true)
        }
        None => (
            ALGORITHM.digest_reader(&mut reader).map_err(read_error)?,
            false,
        ),
    };
    Ok(Hashed {
        digest,
        source: file.source.clone(),
        size,
        staged,
    })
}

/// Adds the new content of `state` to `inventory`'s manifest, and returns the version's
/// state and the (files, bytes) stored. Forward delta: each new digest is stored once, under
/// the first logical path that has it (at `content_path` of it); a staged file whose content
/// the object has, or that an earlier path of this version stores, is taken back.
fn add_content(
    update: &mut dyn ObjectUpdate,
    inventory: &mut Inventory,
    state: &HashedState,
    content_path: impl Fn(&str) -> String,
) -> Result<(DigestMap, (usize, u64)), ArchiveError> {
    let known = known_digests(Some(inventory));
    let mut version_state = DigestMap::new();
    let mut stored = (0, 0);
    let (mut discards, mut writes) = (Vec::new(), Vec::new());
    for (logical_path, hashed) in state {
        // A state uses the manifest's spelling of a digest it already has.
        let spelt = known.get(&hashed.digest).unwrap_or(&hashed.digest);
        version_state
            .entry(spelt.clone())
            .or_default()
            .push(logical_path.clone());
        let path = content_path(logical_path);
        if known.contains_key(&hashed.digest) || inventory.manifest.contains_key(&hashed.digest) {
            if hashed.staged {
                discards.push(path);
            }
            continue;
        }
        if !hashed.staged {
            writes.push((path.clone(), hashed));
        }
        stored = (stored.0 + 1, stored.1 + hashed.size);
        inventory.manifest.insert(hashed.digest.clone(), vec![path]);
    }
    if let Some(staging) = update.parallel_staging() {
        for path in &discards {
            staging.discard(path)?;
        }
    }
    for (path, hashed) in writes {
        write_unchanged(update, &path, hashed)?;
    }
    Ok((version_state, stored))
}

/// Stages a source file hashed earlier, refusing it if its content is no longer what was
/// hashed.
fn write_unchanged(
    update: &mut dyn ObjectUpdate,
    content_path: &str,
    hashed: &Hashed,
) -> Result<(), ArchiveError> {
    let source = &hashed.source;
    let file = File::open(source).map_err(|e| ArchiveError::io("read", source, e))?;
    let mut reader = HashingReader::new(ALGORITHM, file);
    update.write(content_path, &mut reader)?;
    if reader.finish() != hashed.digest {
        return Err(ArchiveError::Source {
            path: source.display().to_string(),
            message: "the file changed while it was being ingested; nothing was stored".into(),
        });
    }
    Ok(())
}

/// The logical state of the object's head (nothing, for a new object): path → digest.
fn head_state(existing: Option<&Inventory>) -> BTreeMap<String, String> {
    existing
        .and_then(|inventory| inventory.logical_state(inventory.head))
        .unwrap_or_default()
}

/// The logical state of a new version: path → digest.
fn digests_of(state: &HashedState) -> BTreeMap<String, String> {
    state
        .iter()
        .map(|(path, hashed)| (path.clone(), hashed.digest.clone()))
        .collect()
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
