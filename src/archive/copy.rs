//! Copying whole objects between storage roots, e.g. from a folder to a bucket and back.
//!
//! Files are copied byte for byte, so the copy is the same OCFL object (same inventories,
//! same sidecars). A new object is written with one update, which the destination store makes
//! visible only when complete; an object the destination holds an older head of is extended
//! version by version, each version published the way a commit publishes it. Checking the
//! copy (fixity included) is the caller's next step: see [`crate::verify::verify_root`].

use super::{Archive, ArchiveError, Inventory, ObjectEntry, ObjectScan};
use crate::ocfl::{sidecar_name, DECLARATION_PREFIX, EXTENSIONS, INVENTORY};
use crate::store::{join, walk_files, EntryKind, ObjectUpdate, Store};

/// How many objects are copied at once.
const OBJECTS_AT_ONCE: usize = 4;

/// What happened to one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyOutcome {
    /// The destination did not hold it; it now holds every version.
    Created,
    /// The destination held an older head; the newer versions were added.
    Extended { from: String },
    /// The destination already held the same head.
    UpToDate,
    /// The destination holds the object, but damaged (these files, relative to its root, are
    /// missing or do not have their recorded digests; or its root inventory is unreadable);
    /// nothing was copied. `quire repair --from` heals it.
    Damaged { files: Vec<String> },
    /// The destination's layout cannot place the object's id (0002 and an id with `/`, and
    /// it is not the source's, whose path would do), or the destination holds a different
    /// history of it: nothing of it was copied (the other objects were). Says why.
    NotCopied { cause: String },
}

/// One copied object.
#[derive(Debug, Clone)]
pub struct CopiedObject {
    pub id: String,
    /// Where it stands in the destination root.
    pub path: String,
    pub head: String,
    pub outcome: CopyOutcome,
    pub files: u64,
    pub bytes: u64,
}

/// Copies the objects `ids` (OCFL object ids; all when empty) of `source` into the storage
/// root in `dest`. A missing or empty destination first gets the source's root files
/// (declaration, layout, extension configuration), so that copying everything gives the same
/// storage root; an existing one keeps its own, and objects go where its layout puts them.
/// Copying everything fails on an object whose inventory cannot be read (see
/// [`copy_scanned`] to copy the others).
pub fn copy_objects(
    source: &Archive,
    dest: Box<dyn Store>,
    ids: &[String],
) -> Result<(Archive, Vec<CopiedObject>), ArchiveError> {
    let scan = source.scan()?;
    if ids.is_empty() {
        if let Some(first) = scan.unreadable.first() {
            return Err(ArchiveError::Unsupported {
                path: source.store().describe(&first.path),
                message: format!("cannot copy every object: {}", scan.describe_unreadable()),
            });
        }
    }
    copy_scanned(source, &scan, dest, ids)
}

/// As [`copy_objects`], from the objects `scan` found in `source`: the objects that could not
/// be read are left out (the caller names them), the others are copied.
pub fn copy_scanned(
    source: &Archive,
    scan: &ObjectScan,
    dest: Box<dyn Store>,
    ids: &[String],
) -> Result<(Archive, Vec<CopiedObject>), ArchiveError> {
    let dest_is_empty = match dest.list("") {
        Ok(entries) => entries.is_empty(),
        Err(e) if e.is_not_found() => true,
        Err(e) => return Err(e.into()),
    };
    if dest_is_empty {
        copy_root_files(source.store(), dest.as_ref())?;
    }
    let dest = Archive::open(dest)?;
    check_placement(source, &dest)?;

    let mut selected: Vec<&ObjectEntry> = Vec::new();
    if ids.is_empty() {
        selected.extend(&scan.objects);
    } else {
        for id in ids {
            let entry =
                scan.find(id, &source.location())?
                    .ok_or_else(|| ArchiveError::NoSuchObject {
                        id: id.clone(),
                        root: source.location(),
                    })?;
            selected.push(entry);
        }
    }
    // A few objects side by side: on a bucket each spends most of its time waiting on
    // requests. (Few, because each buffers its uploads in flight.)
    let copy_all = || {
        use rayon::prelude::*;
        selected
            .par_iter()
            .with_max_len(1)
            .map(|entry| copy_object(source, entry, &dest))
            .collect::<Result<Vec<_>, _>>()
    };
    let copied = match rayon::ThreadPoolBuilder::new()
        .num_threads(OBJECTS_AT_ONCE)
        .build()
    {
        Ok(pool) => pool.install(copy_all)?,
        Err(_) => copy_all()?,
    };
    Ok((dest, copied))
}

/// An object goes where the destination's layout puts it. Without a layout quire can write
/// with, it keeps the source's path, which is only right when the destination declares no
/// layout at all or the very one the source declares (same configuration): otherwise the
/// copy is refused before anything is written, as a commit into that root is.
fn check_placement(source: &Archive, dest: &Archive) -> Result<(), ArchiveError> {
    let Some(reason) = dest.unwritable_layout() else {
        return Ok(());
    };
    match dest.declared_layout() {
        None => Ok(()),
        Some(_) if dest.declares_same_layout(source) => Ok(()),
        Some(_) => Err(ArchiveError::Unsupported {
            path: dest.location(),
            message: format!(
                "{reason}; its objects go where that layout puts them, so nothing was copied"
            ),
        }),
    }
}

/// Copies every file of the root that belongs to no object, leaving out the extension folders
/// of no registered extension: writers' working areas (quire's staging, rocfl's
/// `extensions/rocfl-staging` with its uncommitted versions), which the root does not need.
fn copy_root_files(source: &dyn Store, dest: &dyn Store) -> Result<(), ArchiveError> {
    let mut pending = vec![String::new()];
    while let Some(dir) = pending.pop() {
        let entries = source.list(&dir)?;
        if super::declares_object(&entries) {
            continue;
        }
        for entry in entries {
            let path = join(&dir, &entry.name);
            match entry.kind {
                EntryKind::Dir if dir == EXTENSIONS && !is_registered(&entry.name) => {}
                EntryKind::Dir => pending.push(path),
                EntryKind::File if !dir.is_empty() && !in_extensions(&dir) => {
                    // A file in the storage hierarchy outside any object: not the root's.
                }
                EntryKind::File => dest.create(&path, &source.read(&path)?)?,
                _ => {}
            }
        }
    }
    Ok(())
}

fn is_registered(extension: &str) -> bool {
    crate::verify::REGISTERED_EXTENSIONS.contains(&extension)
}

fn in_extensions(dir: &str) -> bool {
    dir == EXTENSIONS || dir.starts_with(&format!("{EXTENSIONS}/"))
}

/// True for the files of an object root that a commit writes last.
fn is_root_file(relative: &str) -> bool {
    !relative.contains('/')
        && (relative.starts_with(INVENTORY) || relative.starts_with(DECLARATION_PREFIX))
}

fn copy_object(
    source: &Archive,
    entry: &ObjectEntry,
    dest: &Archive,
) -> Result<CopiedObject, ArchiveError> {
    let from = source.store();
    let to = dest.store();
    let inventory = source.read_inventory(&entry.path)?;
    let mut copied = CopiedObject {
        id: entry.id.clone(),
        path: entry.path.clone(),
        head: inventory.head.to_string(),
        outcome: CopyOutcome::Created,
        files: 0,
        bytes: 0,
    };
    copied.path = match dest_path_of(source, entry, dest) {
        Ok(path) => path,
        Err(cause) => {
            copied.outcome = CopyOutcome::NotCopied { cause };
            return Ok(copied);
        }
    };
    let dest_path = copied.path.clone();
    let sidecar_name = sidecar_name(inventory.digest_algorithm.name());
    let files = walk_files(from, &entry.path)?;
    let relative = |path: &str| path[entry.path.len()..].trim_start_matches('/').to_string();

    // Each step takes the destination object's lock first and reads its head under it, so
    // that a writer working on it meanwhile is either waited for or refused, never undone.
    let mut first_seen: Option<String> = None;
    loop {
        let mut update = to.begin_update(&dest_path)?;
        super::recover::complete_interrupted_commit(to, &dest_path, update.as_mut())?;
        let existing = match existing_inventory(dest, &dest_path)? {
            Ok(existing) => existing,
            Err(files) => {
                copied.outcome = CopyOutcome::Damaged { files };
                return Ok(copied);
            }
        };
        let Some(existing) = existing else {
            let head = inventory.head.to_string();
            copy_new_object(from, &entry.path, &files, update, &head, &mut copied)?;
            return Ok(copied);
        };

        let same_history = existing.id == inventory.id
            && existing.digest_algorithm == inventory.digest_algorithm
            && existing.head.number <= inventory.head.number
            && existing
                .versions
                .iter()
                .all(|(v, version)| inventory.versions.get(v) == Some(version));
        if !same_history {
            copied.outcome = CopyOutcome::NotCopied {
                cause: format!(
                    "the destination holds a different history of it (its {} is not the \
                     source's)",
                    existing.head
                ),
            };
            return Ok(copied);
        }
        let first = first_seen.get_or_insert_with(|| existing.head.to_string());
        if existing.head == inventory.head {
            copied.outcome = if *first == inventory.head.to_string() {
                // Nothing to copy; but "up to date" only when the copy there is whole.
                let files = super::heal::damaged_files(to, &dest_path)?;
                match files.is_empty() {
                    true => CopyOutcome::UpToDate,
                    false => CopyOutcome::Damaged { files },
                }
            } else {
                CopyOutcome::Extended {
                    from: first.clone(),
                }
            };
            return Ok(copied);
        }
        // The next version the destination lacks (spelt as the source spells it, zero-padding
        // included), published as a commit publishes it.
        let version = inventory
            .versions
            .keys()
            .find(|v| v.number == existing.head.number + 1)
            .ok_or_else(|| ArchiveError::BadInventory {
                path: from.describe(&join(&entry.path, INVENTORY)),
                message: format!("names no version after {}", existing.head),
            })?
            .to_string();
        let prefix = format!("{version}/");
        for (path, _) in &files {
            let name = relative(path);
            if name.starts_with(&prefix) && !is_version_inventory(&name, &prefix) {
                copied.bytes += update.write(&name, &mut source_file(from, path)?)?;
                copied.files += 1;
            }
        }
        let version_dir = join(&entry.path, &version);
        let inventory_bytes = from.read(&join(&version_dir, INVENTORY))?;
        let sidecar_bytes = from.read(&join(&version_dir, &sidecar_name))?;
        // It becomes the destination's root inventory: it must be that version's, whole.
        if !is_own_inventory(&version, &inventory_bytes, &sidecar_bytes, &inventory) {
            return Err(ArchiveError::BadInventory {
                path: from.describe(&join(&version_dir, INVENTORY)),
                message: format!(
                    "is not {version}'s own inventory with a matching sidecar; nothing more was \
                     copied (run `quire verify` on the source)"
                ),
            });
        }
        // The version keeps its own inventory, which also becomes the root's.
        for (name, bytes) in [
            (INVENTORY, &inventory_bytes),
            (sidecar_name.as_str(), &sidecar_bytes),
        ] {
            copied.bytes += update.write(&format!("{prefix}{name}"), &mut bytes.as_slice())?;
            copied.files += 1;
        }
        copied.files += 2;
        copied.bytes += (inventory_bytes.len() + sidecar_bytes.len()) as u64;
        update.commit(
            &version,
            &[
                (INVENTORY, &inventory_bytes),
                (&sidecar_name, &sidecar_bytes),
            ],
        )?;
    }
}

/// Where the object at `entry` goes in `dest`: where the destination's layout puts its id, or
/// (without a layout quire can write with, see [`check_placement`]) where it stands in the
/// source. An id the layout cannot place keeps its path when the source has the very same
/// layout, which put it there (a walk finds it); otherwise the cause, naming the destination.
fn dest_path_of(source: &Archive, entry: &ObjectEntry, dest: &Archive) -> Result<String, String> {
    match dest.layout().map(|layout| layout.object_path(&entry.id)) {
        None => Ok(entry.path.clone()),
        Some(Ok(path)) => Ok(path),
        Some(Err(_)) if dest.declares_same_layout(source) => Ok(entry.path.clone()),
        Some(Err(cause)) => Err(format!("{}: {cause}", dest.location())),
    }
}

/// Copies a new object: everything in one update, the root files last.
fn copy_new_object(
    from: &dyn Store,
    object_path: &str,
    files: &[(String, u64)],
    mut update: Box<dyn ObjectUpdate + '_>,
    head: &str,
    copied: &mut CopiedObject,
) -> Result<(), ArchiveError> {
    let mut root_files: Vec<(String, Vec<u8>)> = Vec::new();
    for (path, _) in files {
        let name = path[object_path.len()..]
            .trim_start_matches('/')
            .to_string();
        if is_root_file(&name) {
            root_files.push((name, from.read(path)?));
            continue;
        }
        copied.bytes += update.write(&name, &mut source_file(from, path)?)?;
        copied.files += 1;
    }
    // Declaration first, then the inventory, then its sidecar.
    root_files.sort_by_key(|(name, _)| {
        (
            !name.starts_with(DECLARATION_PREFIX),
            name.as_str() != INVENTORY,
            name.clone(),
        )
    });
    let root_files: Vec<(&str, &[u8])> = root_files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    update.commit(head, &root_files)?;
    copied.files += root_files.len() as u64;
    copied.bytes += root_files.iter().map(|(_, b)| b.len() as u64).sum::<u64>();
    Ok(())
}

/// The destination's root inventory of the object (`None` when it holds none), or, when it is
/// unreadable or does not match its sidecar, the object's damaged files: its head cannot be
/// told, and nothing is copied over it.
fn existing_inventory(
    dest: &Archive,
    dest_path: &str,
) -> Result<Result<Option<Inventory>, Vec<String>>, ArchiveError> {
    if dest.store().kind(&join(dest_path, INVENTORY))?.is_none() {
        return Ok(Ok(None));
    }
    match dest.read_inventory(dest_path) {
        Ok(existing) => Ok(Ok(Some(existing))),
        Err(ArchiveError::BadInventory { .. } | ArchiveError::InventoryJson { .. }) => {
            Ok(Err(super::heal::damaged_files(dest.store(), dest_path)?))
        }
        Err(e) => Err(e),
    }
}

/// True when `bytes` are `version`'s own inventory (it names that version as its head) and
/// `sidecar` matches them in `inventory`'s digest algorithm.
fn is_own_inventory(version: &str, bytes: &[u8], sidecar: &[u8], inventory: &Inventory) -> bool {
    let digest_ok = super::inventory::sidecar_matches(sidecar, inventory.digest_algorithm, bytes);
    let head_ok = serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()
        .and_then(|v| v.get("head")?.as_str().map(|h| h == version))
        .unwrap_or(false);
    digest_ok && head_ok
}

/// A failed read of a source file, under the error of the destination's write.
#[derive(Debug, thiserror::Error)]
#[error("reading {name}")]
struct ReadingSource {
    name: String,
    #[source]
    cause: std::io::Error,
}

/// A file of the source, whose read errors name it (a failed copy says which side failed).
fn source_file(store: &dyn Store, path: &str) -> Result<impl std::io::Read, ArchiveError> {
    struct Named {
        inner: Box<dyn std::io::Read + Send>,
        name: String,
    }
    impl std::io::Read for Named {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.inner.read(buf).map_err(|cause| {
                let kind = cause.kind();
                let name = self.name.clone();
                std::io::Error::new(kind, ReadingSource { name, cause })
            })
        }
    }
    Ok(Named {
        inner: store.open(path)?,
        name: store.describe(path),
    })
}

/// True for a version's own inventory or sidecar (`v2/inventory.json`, `v2/inventory.json.sha512`).
fn is_version_inventory(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix)
        .is_some_and(|rest| !rest.contains('/') && rest.starts_with(INVENTORY))
}
