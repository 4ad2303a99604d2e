//! The local folder backend.
//!
//! Writes follow the OCFL implementation notes (§3.7): a version is assembled in a staging
//! folder on the same filesystem, fsynced, renamed into the object, and the root inventory and
//! its sidecar are replaced last. A new object is staged whole, together with any missing
//! parent folders of the storage hierarchy, and appears with one rename. The staging folder is
//! `extensions/quire-staging/` in the storage root; it exists only while a write runs (or after
//! a killed one, until the next write of that object cleans it up).

mod swap;

use super::{
    join, read_chunks, Entry, EntryFlaw, EntryKind, ObjectUpdate, ParallelStaging, Store,
    StoreError, STAGING_DIR,
};
use crate::ocfl::INVENTORY;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// A storage root in a local folder.
#[derive(Debug, Clone)]
pub struct FsStore {
    root: PathBuf,
}

impl FsStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        FsStore { root: root.into() }
    }

    /// The folder this store lives in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Maps a store path to a filesystem path, refusing anything that could leave the root
    /// (paths come from inventories, which may be hostile).
    fn resolve(&self, path: &str) -> Result<PathBuf, StoreError> {
        let mut full = self.root.clone();
        if path.is_empty() {
            return Ok(full);
        }
        for segment in path.split('/') {
            // A backslash is an ordinary character in a Unix file name, a separator elsewhere.
            let separator = cfg!(windows) && segment.contains('\\');
            if segment.is_empty() || segment == "." || segment == ".." || separator {
                return Err(StoreError::Invalid {
                    path: self.describe(path),
                    message: "not a safe relative path".into(),
                });
            }
            full.push(segment);
        }
        Ok(full)
    }
}

/// How many names the file has (hard links); 1 where the platform does not say.
fn link_count(meta: &fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        std::os::unix::fs::MetadataExt::nlink(meta)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        1
    }
}

fn kind_of(file_type: fs::FileType) -> EntryKind {
    if file_type.is_symlink() {
        EntryKind::Symlink
    } else if file_type.is_dir() {
        EntryKind::Dir
    } else if file_type.is_file() {
        EntryKind::File
    } else {
        EntryKind::Other
    }
}

impl Store for FsStore {
    fn describe(&self, path: &str) -> String {
        if path.is_empty() {
            self.root.display().to_string()
        } else {
            self.root.join(path).display().to_string()
        }
    }

    fn list(&self, dir: &str) -> Result<Vec<Entry>, StoreError> {
        let full = self.resolve(dir)?;
        let read_dir =
            fs::read_dir(&full).map_err(|e| StoreError::io("list", self.describe(dir), e))?;
        let mut entries = Vec::new();
        for item in read_dir {
            let item = item.map_err(|e| StoreError::io("list", self.describe(dir), e))?;
            // A name that is not UTF-8 cannot be named in OCFL: it is listed (lossily) as
            // something other than a file or folder, for a validator to report.
            let (name, readable) = match item.file_name().into_string() {
                Ok(name) => (name, true),
                Err(raw) => (raw.to_string_lossy().into_owned(), false),
            };
            let meta = fs::symlink_metadata(item.path())
                .map_err(|e| StoreError::io("stat", self.describe(&join(dir, &name)), e))?;
            let kind = if readable {
                kind_of(meta.file_type())
            } else {
                EntryKind::Other
            };
            let size = if kind == EntryKind::File {
                meta.len()
            } else {
                0
            };
            let flaw = match (readable, kind, link_count(&meta)) {
                (false, _, _) => Some(EntryFlaw::NameNotUtf8),
                (true, EntryKind::File, links) if links > 1 => {
                    Some(EntryFlaw::HardLinked { links })
                }
                _ => None,
            };
            entries.push(Entry {
                name,
                kind,
                size,
                flaw,
            });
        }
        entries.sort();
        Ok(entries)
    }

    fn kind(&self, path: &str) -> Result<Option<EntryKind>, StoreError> {
        match fs::symlink_metadata(self.resolve(path)?) {
            Ok(meta) => Ok(Some(kind_of(meta.file_type()))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::io("stat", self.describe(path), e)),
        }
    }

    fn open(&self, path: &str) -> Result<Box<dyn Read + Send>, StoreError> {
        // Only regular files: a link could lead out of the root, a FIFO would block, a device
        // would never end.
        let full = self.resolve(path)?;
        let not_regular = || StoreError::Invalid {
            path: self.describe(path),
            message: "is not a regular file (a link, folder or device); nothing was read".into(),
        };
        let meta = fs::symlink_metadata(&full)
            .map_err(|e| StoreError::io("open", self.describe(path), e))?;
        if !meta.file_type().is_file() {
            return Err(not_regular());
        }
        let file = File::open(&full).map_err(|e| StoreError::io("open", self.describe(path), e))?;
        let opened = file
            .metadata()
            .map_err(|e| StoreError::io("stat", self.describe(path), e))?;
        if !opened.is_file() || !same_file(&file, &full) {
            return Err(not_regular());
        }
        Ok(Box::new(file))
    }

    fn create(&self, path: &str, bytes: &[u8]) -> Result<(), StoreError> {
        let full = self.resolve(path)?;
        let mut file = create_new(&full, |e| match e.kind() {
            io::ErrorKind::AlreadyExists => StoreError::AlreadyExists {
                path: self.describe(path),
            },
            _ => StoreError::io("create", self.describe(path), e),
        })?;
        file.write_all(bytes)
            .and_then(|_| file.sync_all())
            .map_err(|e| StoreError::io("write", self.describe(path), e))?;
        if let Some(parent) = full.parent() {
            sync_dir(parent)?;
        }
        Ok(())
    }

    fn begin_update(&self, object_path: &str) -> Result<Box<dyn ObjectUpdate + '_>, StoreError> {
        super::check_object_path(self, object_path)?;
        let object_dir = self.resolve(object_path)?;
        let staging = self.resolve(STAGING_DIR)?;
        // One lock and one work folder per object, named by a digest of its path.
        let key = hex::encode(&Sha256::digest(object_path.as_bytes())[..16]);
        let lock_path = staging.join(format!("{key}.lock"));
        let lock = acquire_lock(&staging, &lock_path, &self.describe(object_path))?;
        sweep_dead_writers(&staging, &key);
        let work = staging.join(&key);
        if work.exists() {
            // Left behind by a killed writer: it never reached the object, so it can go.
            fs::remove_dir_all(&work).map_err(|e| {
                StoreError::io("remove stale staging folder", work.display().to_string(), e)
            })?;
        }
        fs::create_dir(&work)
            .map_err(|e| StoreError::io("create", work.display().to_string(), e))?;
        let update = FsUpdate {
            store: self,
            object_path: object_path.to_string(),
            object_dir,
            staging,
            work,
            lock_path,
            _lock: lock,
        };
        Ok(Box::new(update))
    }
}

/// Takes the object's lock file, creating it (and the staging folder) as needed. The lock is an
/// OS advisory lock, so it dies with its process: a killed writer never blocks the next one.
fn acquire_lock(staging: &Path, lock_path: &Path, object: &str) -> Result<File, StoreError> {
    for attempt in 0..20 {
        fs::create_dir_all(staging)
            .map_err(|e| StoreError::io("create", staging.display().to_string(), e))?;
        let file = match OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(lock_path)
        {
            Ok(file) => file,
            // Another writer removed the empty staging folder in between: try again.
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => {
                return Err(StoreError::io(
                    "open lock",
                    lock_path.display().to_string(),
                    e,
                ))
            }
        };
        match file.try_lock() {
            Ok(()) => {}
            // Another writer sweeping dead locks holds this one for an instant: look again
            // before calling the object busy.
            Err(TryLockError::WouldBlock) if attempt < 3 => {
                std::thread::sleep(std::time::Duration::from_millis(50));
                continue;
            }
            Err(TryLockError::WouldBlock) => {
                return Err(StoreError::Locked {
                    path: object.to_string(),
                    lock: lock_path.display().to_string(),
                })
            }
            Err(TryLockError::Error(e)) => {
                return Err(StoreError::io("lock", lock_path.display().to_string(), e))
            }
        }
        // The previous holder may have unlinked the file between our open and our lock; then
        // we hold a lock nobody else can see, so start again on the file now at that path.
        if same_file(&file, lock_path) {
            return Ok(file);
        }
    }
    Err(StoreError::Locked {
        path: object.to_string(),
        lock: lock_path.display().to_string(),
    })
}

/// Removes what killed writers of other objects left in the staging folder: a lock that can
/// be taken has no live owner. Best effort; a writer that loses a race here simply retries.
fn sweep_dead_writers(staging: &Path, own_key: &str) {
    let Ok(entries) = fs::read_dir(staging) else {
        return;
    };
    let entries: Vec<fs::DirEntry> = entries.flatten().collect();
    let names: BTreeSet<String> = entries
        .iter()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for entry in &entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        // A writer takes its lock before it makes its work folder and drops it after removing
        // the folder: a work folder without a lock is a dead writer's.
        if name != own_key && !name.ends_with(".lock") && !names.contains(&format!("{name}.lock")) {
            let _ = fs::remove_dir_all(entry.path());
            continue;
        }
        let Some(key) = name.strip_suffix(".lock") else {
            continue;
        };
        if key == own_key {
            continue;
        }
        let Ok(file) = OpenOptions::new().read(true).write(true).open(entry.path()) else {
            continue;
        };
        if file.try_lock().is_ok() && same_file(&file, &entry.path()) {
            let _ = fs::remove_dir_all(staging.join(key));
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

/// Opens `file` as a new file (it must not exist yet), making its folder first; `failed` names
/// a failure to open it.
fn create_new(
    file: &Path,
    failed: impl FnOnce(io::Error) -> StoreError,
) -> Result<File, StoreError> {
    if let Some(parent) = file.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| StoreError::io("create folder", parent.display().to_string(), e))?;
    }
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(file)
        .map_err(failed)
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| StoreError::io("sync", dir.display().to_string(), e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Fsyncs every folder under `dir` (files were synced as they were written), deepest first.
fn sync_tree(dir: &Path) -> Result<(), StoreError> {
    for entry in walkdir::WalkDir::new(dir).contents_first(true) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).display().to_string();
            StoreError::io("walk", path, crate::walk_failure(e))
        })?;
        if entry.file_type().is_dir() {
            sync_dir(entry.path())?;
        }
    }
    Ok(())
}

struct FsUpdate<'a> {
    store: &'a FsStore,
    object_path: String,
    object_dir: PathBuf,
    staging: PathBuf,
    work: PathBuf,
    lock_path: PathBuf,
    _lock: File,
}

impl FsUpdate<'_> {
    /// The staged object root: a new object is assembled here whole; for an existing object
    /// only the new version directory is.
    fn staged_object(&self) -> PathBuf {
        self.work.join("object")
    }

    /// Where `path` (relative to the object root) is staged.
    fn staged_path(&self, path: &str) -> Result<PathBuf, StoreError> {
        // Reuse the store's path check: `path` must be a safe relative path.
        let relative = self.store.resolve(path)?;
        let relative = relative
            .strip_prefix(self.store.root())
            .unwrap_or(&relative);
        Ok(self.staged_object().join(relative))
    }

    /// Writes a new file into the staged object, in large chunks, and syncs it. Needs no
    /// exclusive access, so that several threads can stage at once.
    fn stage(&self, path: &str, content: &mut dyn Read) -> Result<u64, StoreError> {
        let target = self.staged_path(path)?;
        let mut file = create_new(&target, |e| {
            StoreError::io("create", target.display().to_string(), e)
        })?;
        let written = read_chunks(content, |chunk| file.write_all(chunk))
            .map_err(|e| StoreError::io("write", target.display().to_string(), e))?;
        file.sync_all()
            .map_err(|e| StoreError::io("sync", target.display().to_string(), e))?;
        super::pause::point("folder-staged");
        Ok(written)
    }

    /// Writes and syncs the new copies of object-root files aside, in the work folder (same
    /// filesystem, outside the object): what [`FsUpdate::rename_root_files`] then moves in.
    fn stage_root_files(
        &self,
        files: &[(&str, &[u8])],
    ) -> Result<Vec<(PathBuf, PathBuf)>, StoreError> {
        let mut renames = Vec::new();
        for (name, bytes) in files {
            let temp = self.work.join(format!("root-{name}"));
            write_synced(&temp, bytes)?;
            renames.push((temp, self.object_dir.join(name)));
        }
        Ok(renames)
    }

    /// Replaces object-root files with their staged copies, each atomically, in the order
    /// given. Nothing is left to write by then, so the renames follow one another at once: a
    /// kill between two of them (an inventory without its sidecar) is an instant's chance.
    fn rename_root_files(&self, renames: Vec<(PathBuf, PathBuf)>) -> Result<(), StoreError> {
        for (temp, target) in renames {
            fs::rename(&temp, &target)
                .map_err(|e| StoreError::io("replace", target.display().to_string(), e))?;
        }
        sync_dir(&self.object_dir)
    }

    /// Moves the fully staged new object into the hierarchy with one rename, creating the
    /// missing parent folders inside the staged tree so that no empty folder is ever visible.
    fn publish_new_object(&self) -> Result<(), StoreError> {
        let segments: Vec<&str> = self.object_path.split('/').collect();
        let root = self.store.root().to_path_buf();
        for _attempt in 0..20 {
            // The first segment of the object path that does not exist yet.
            let mut first_missing = 0;
            while first_missing < segments.len() - 1
                && root.join(segments[..=first_missing].join("/")).is_dir()
            {
                first_missing += 1;
            }
            let chain = self.work.join("chain");
            let mut holder = chain.clone();
            for segment in &segments[first_missing..segments.len() - 1] {
                holder.push(segment);
            }
            fs::create_dir_all(&holder)
                .map_err(|e| StoreError::io("create", holder.display().to_string(), e))?;
            let staged_leaf = holder.join(segments[segments.len() - 1]);
            fs::rename(self.staged_object(), &staged_leaf)
                .map_err(|e| StoreError::io("stage", staged_leaf.display().to_string(), e))?;
            let top = if first_missing == segments.len() - 1 {
                staged_leaf.clone()
            } else {
                chain.join(segments[first_missing])
            };
            sync_tree(&chain)?;
            let target = root.join(segments[..=first_missing].join("/"));
            match fs::rename(&top, &target) {
                Ok(()) => {
                    if let Some(parent) = target.parent() {
                        sync_dir(parent)?;
                    }
                    return Ok(());
                }
                // Another writer created a folder on our path meanwhile: go one level deeper.
                Err(e) if target.exists() => {
                    let _ = e;
                    fs::rename(&staged_leaf, self.staged_object()).map_err(|e| {
                        StoreError::io("unstage", staged_leaf.display().to_string(), e)
                    })?;
                    fs::remove_dir_all(&chain)
                        .map_err(|e| StoreError::io("remove", chain.display().to_string(), e))?;
                    if target == self.object_dir {
                        return Err(StoreError::AlreadyExists {
                            path: self.store.describe(&self.object_path),
                        });
                    }
                }
                Err(e) => return Err(StoreError::io("publish", target.display().to_string(), e)),
            }
        }
        Err(StoreError::Invalid {
            path: self.store.describe(&self.object_path),
            message: "could not publish the new object: the hierarchy kept changing".into(),
        })
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let mut file =
        File::create(path).map_err(|e| StoreError::io("create", path.display().to_string(), e))?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(|e| StoreError::io("write", path.display().to_string(), e))
}

impl ObjectUpdate for FsUpdate<'_> {
    fn discard_unpublished(&mut self, _version_dir: &str) -> Result<bool, StoreError> {
        // A version appears here whole, in one rename: a folder no inventory names is not a
        // killed writer's, so it is not quire's to remove.
        Ok(false)
    }

    fn replace_root_files(&mut self, files: &[(&str, &[u8])]) -> Result<(), StoreError> {
        let renames = self.stage_root_files(files)?;
        self.rename_root_files(renames)
    }

    fn stage_swap(&mut self, path: &str, content: &mut dyn Read) -> Result<u64, StoreError> {
        self.stage_swap_file(path, content)
    }

    fn swap_file(&mut self, path: &str) -> Result<(), StoreError> {
        self.swap_staged_file(path)
    }

    fn write(&mut self, path: &str, content: &mut dyn Read) -> Result<u64, StoreError> {
        self.stage(path, content)
    }

    fn parallel_staging(&self) -> Option<&dyn ParallelStaging> {
        Some(self)
    }

    fn commit(
        self: Box<Self>,
        version_dir: &str,
        root_files: &[(&str, &[u8])],
    ) -> Result<(), StoreError> {
        let staged = self.staged_object();
        let has_inventory = self.object_dir.join(INVENTORY).exists();
        let holds_files = fs::read_dir(&self.object_dir).is_ok_and(|mut d| d.next().is_some());
        if holds_files && !has_inventory {
            // Adding one version folder to it would leave out every earlier one.
            return Err(StoreError::Invalid {
                path: self.object_dir.display().to_string(),
                message: format!(
                    "exists but holds no {INVENTORY} (damaged, or not an object); \
                     nothing was written (see `quire verify`)"
                ),
            });
        }
        if has_inventory {
            let staged_version = staged.join(version_dir);
            let target = self.object_dir.join(version_dir);
            sync_tree(&staged_version)?;
            if target.exists() {
                return Err(StoreError::AlreadyExists {
                    path: target.display().to_string(),
                });
            }
            // The root files are written before the version moves in, so that between the
            // two only renames remain. The sync between them keeps their order through a power
            // failure on any file system (ext2, FAT and NFS do not keep renames in order): an
            // inventory must never name a version folder that is not there. A kill in that
            // instant leaves a version no inventory names, which the next write or `quire
            // repair` completes.
            let renames = self.stage_root_files(root_files)?;
            fs::rename(&staged_version, &target)
                .map_err(|e| StoreError::io("publish", target.display().to_string(), e))?;
            sync_dir(&self.object_dir)?;
            super::pause::point("folder-published");
            self.rename_root_files(renames)?;
        } else {
            for (name, bytes) in root_files {
                write_synced(&staged.join(name), bytes)?;
            }
            self.publish_new_object()?;
        }
        Ok(())
    }
}

impl ParallelStaging for FsUpdate<'_> {
    fn write(&self, path: &str, content: &mut dyn Read) -> Result<u64, StoreError> {
        self.stage(path, content)
    }

    fn discard(&self, path: &str) -> Result<(), StoreError> {
        let target = self.staged_path(path)?;
        fs::remove_file(&target)
            .map_err(|e| StoreError::io("discard", target.display().to_string(), e))?;
        // No empty folder may stay behind in a version's content (OCFL E024): remove the
        // folders the file leaves empty, up to the staged object.
        let top = self.staged_object();
        let mut folder = target.parent();
        while let Some(dir) = folder.filter(|dir| *dir != top && dir.starts_with(&top)) {
            match fs::remove_dir(dir) {
                Ok(()) => folder = dir.parent(),
                Err(e) if e.kind() == io::ErrorKind::DirectoryNotEmpty => break,
                Err(e) => return Err(StoreError::io("discard", dir.display().to_string(), e)),
            }
        }
        Ok(())
    }
}

impl Drop for FsUpdate<'_> {
    fn drop(&mut self) {
        // Best effort: a leftover work folder is removed by the next writer of this object.
        let _ = fs::remove_dir_all(&self.work);
        let _ = fs::remove_file(&self.lock_path);
        // Leaves no empty staging folder behind (fails harmlessly while others use it).
        let _ = fs::remove_dir(&self.staging);
        if let Some(extensions) = self.staging.parent() {
            let _ = fs::remove_dir(extensions);
        }
    }
}
