//! The storage layer: the few operations the archive needs from wherever it lives.
//!
//! Everything above this module (OCFL, verify, export) reads and writes archive data only
//! through [`Store`], so that an object-storage backend can stand beside the local folder
//! without touching the model or the CLI. Paths are OCFL-style strings relative to the
//! storage root, `/`-separated, with no leading slash; `""` is the root itself.

mod fs;
pub(crate) mod pause;
#[cfg(feature = "s3")]
mod s3;
mod snapshot;

pub use fs::FsStore;
#[cfg(feature = "s3")]
pub use s3::S3Store;
pub use snapshot::Snapshot;

/// Where writers stage versions and keep their locks, relative to the storage root.
pub const STAGING_DIR: &str = "extensions/quire-staging";

/// Opens the storage root at `location`: an `s3://bucket/prefix` URL (see `S3Store::from_url`,
/// with the `s3` feature) or a local folder.
pub fn open_location(location: &str) -> Result<Box<dyn Store>, StoreError> {
    if location.starts_with("s3://") {
        open_bucket(location)
    } else {
        Ok(Box::new(FsStore::new(location)))
    }
}

#[cfg(feature = "s3")]
fn open_bucket(url: &str) -> Result<Box<dyn Store>, StoreError> {
    Ok(Box::new(S3Store::from_url(url)?))
}

#[cfg(not(feature = "s3"))]
fn open_bucket(url: &str) -> Result<Box<dyn Store>, StoreError> {
    Err(StoreError::Invalid {
        path: url.to_string(),
        message: "quire was built without S3 support (its `s3` feature is off)".into(),
    })
}

use std::cell::RefCell;
use std::io::{self, ErrorKind, Read};

/// What a directory entry is. Links and special files are reported, never followed, so that
/// a validator can flag them (OCFL forbids links, E090).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    Other,
}

/// One child of a listed directory.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub name: String,
    pub kind: EntryKind,
    /// Size in bytes for files, 0 otherwise.
    pub size: u64,
    /// What OCFL cannot hold about the entry beyond its kind, for a validator to report.
    pub flaw: Option<EntryFlaw>,
}

/// Something a folder can hold and OCFL cannot, seen while listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryFlaw {
    /// The name is not UTF-8 (the entry is listed lossily, as [`EntryKind::Other`]): no
    /// inventory can name it.
    NameNotUtf8,
    /// A file with more than one name (a hard link, OCFL's E090): `links` names in all.
    HardLinked { links: u64 },
}

/// A storage failure, always naming the path it concerns.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not found")]
    NotFound { path: String },
    #[error(
        "{path}: another quire process is writing this object (lock {lock} is held); \
         try again when it has finished"
    )]
    Locked { path: String, lock: String },
    #[error("{path}: already exists")]
    AlreadyExists { path: String },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("{path}: cannot {op}")]
    Io {
        op: &'static str,
        path: String,
        #[source]
        cause: io::Error,
    },
}

impl StoreError {
    pub(crate) fn io(op: &'static str, path: impl Into<String>, cause: io::Error) -> Self {
        let path = path.into();
        match cause.kind() {
            io::ErrorKind::NotFound => StoreError::NotFound { path },
            _ => StoreError::Io { op, path, cause },
        }
    }

    /// True when the error only says that the path does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, StoreError::NotFound { .. })
    }
}

/// The operations a storage root needs: enough to read and validate any OCFL root, and to add
/// a version to an object so that readers never see it half-written.
pub trait Store: Send + Sync {
    /// A human-readable name of `path` for messages (a filesystem path or a URL).
    fn describe(&self, path: &str) -> String;

    /// The children of a directory, sorted by name. A missing directory is `NotFound`.
    fn list(&self, dir: &str) -> Result<Vec<Entry>, StoreError>;

    /// The kind of `path`, or `None` when nothing is there.
    fn kind(&self, path: &str) -> Result<Option<EntryKind>, StoreError>;

    /// A streaming reader over a file, for files too large to hold in memory.
    fn open(&self, path: &str) -> Result<Box<dyn Read + Send>, StoreError>;

    /// A whole file.
    fn read(&self, path: &str) -> Result<Vec<u8>, StoreError> {
        let mut reader = self.open(path)?;
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| StoreError::io("read", self.describe(path), e))?;
        Ok(bytes)
    }

    /// Writes a new file that must not exist yet (used to lay out a new storage root).
    fn create(&self, path: &str, bytes: &[u8]) -> Result<(), StoreError>;

    /// Starts adding a version to the object at `object_path` (which need not exist yet).
    /// Holds the object's write lock until the update is committed or dropped; a second
    /// writer gets [`StoreError::Locked`].
    fn begin_update(&self, object_path: &str) -> Result<Box<dyn ObjectUpdate + '_>, StoreError>;

    /// How many files are best read at once (0: one per core). Network stores wait on
    /// latency, not on the CPU, and want more.
    fn parallel_reads(&self) -> usize {
        0
    }

    /// Every file under `dir` with its size, from one listing, where the store can give that
    /// far more cheaply than folder by folder (a bucket); `None` otherwise. See [`Snapshot`].
    fn list_recursive(&self, _dir: &str) -> Option<Result<Vec<(String, u64)>, StoreError>> {
        None
    }
}

/// A version being assembled. Nothing written through it is visible in the object until
/// [`ObjectUpdate::commit`]; dropping it without committing leaves the object as it was.
pub trait ObjectUpdate {
    /// Stages a new file at `path`, relative to the object root (e.g. `v2/content/a.md`).
    /// Returns the number of bytes written.
    fn write(&mut self, path: &str, content: &mut dyn Read) -> Result<u64, StoreError>;

    /// Where the store can stage files from several threads at once and take a staged file
    /// back cheaply (a folder): the means to, so that a writer can stage files while it hashes
    /// them, before it knows which are new. `None` where every upload costs a request (a
    /// bucket): there a writer hashes first and writes only what is new.
    fn parallel_staging(&self) -> Option<&dyn ParallelStaging> {
        None
    }

    /// Replaces files in the root of an existing object at once, each atomically, in the
    /// order given (used to complete a commit that was interrupted).
    fn replace_root_files(&mut self, files: &[(&str, &[u8])]) -> Result<(), StoreError>;

    /// Removes the folder `version_dir` of the object, which no inventory names, where that
    /// can only be what a writer killed while publishing a version left (a store that cannot
    /// publish in one step); returns whether it did. Elsewhere such a folder is damage or
    /// another tool's doing, and is left for the validator to report.
    fn discard_unpublished(&mut self, version_dir: &str) -> Result<bool, StoreError>;

    /// Reads `content` to its end into a private place outside the object (nothing in the
    /// object changes), ready to take the place of the object's file at `path` (relative to the
    /// object root) when [`ObjectUpdate::swap_file`] is called. The caller hashes the bytes on
    /// their way in and swaps them in only if they are right; a staged file never swapped in is
    /// discarded with the update. Returns the number of bytes read.
    fn stage_swap(&mut self, path: &str, content: &mut dyn Read) -> Result<u64, StoreError>;

    /// Puts the file staged for `path` in the place of the object's file there (a content
    /// file, inventory, sidecar or declaration of an existing object), or where it is missing,
    /// in one step: a reader sees the old bytes or the new, never a mix, and a kill leaves one
    /// or the other. On a folder a synced temporary file is renamed over it (missing folders
    /// on its path appear with it, in the same rename); on a bucket it is a put conditional on
    /// the file being as it was (or still missing).
    fn swap_file(&mut self, path: &str) -> Result<(), StoreError>;

    /// Publishes the staged version directory `version_dir`, then replaces the object-root
    /// files in `root_files` in the order given (declaration, inventory, sidecar last).
    fn commit(
        self: Box<Self>,
        version_dir: &str,
        root_files: &[(&str, &[u8])],
    ) -> Result<(), StoreError>;
}

/// Staging from several threads at once, for an [`ObjectUpdate`] that offers it
/// ([`ObjectUpdate::parallel_staging`]).
pub trait ParallelStaging: Sync {
    /// Stages a new file at `path`, as [`ObjectUpdate::write`] does; returns the bytes written.
    fn write(&self, path: &str, content: &mut dyn Read) -> Result<u64, StoreError>;

    /// Takes back a file staged at `path` in this update: it will not be published.
    fn discard(&self, path: &str) -> Result<(), StoreError>;
}

/// The size of the reads that move content: a 16 MB file takes 16 reads, not 4,000.
pub const CHUNK_SIZE: usize = 1 << 20;

thread_local! {
    static CHUNK: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Reads `reader` to its end in chunks of up to [`CHUNK_SIZE`], handing each to `chunk`, with
/// one buffer per thread (memory stays flat however much is read); returns the bytes read.
pub fn read_chunks(
    reader: &mut dyn Read,
    mut chunk: impl FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<u64> {
    CHUNK.with(|buffer| {
        // A nested call (a reader that itself reads in chunks) gets a buffer of its own.
        let mut own = Vec::new();
        let mut shared = buffer.try_borrow_mut();
        let buffer = match shared.as_deref_mut() {
            Ok(buffer) => buffer,
            Err(_) => &mut own,
        };
        buffer.resize(CHUNK_SIZE, 0);
        let mut total = 0;
        loop {
            let n = match reader.read(buffer) {
                Ok(0) => return Ok(total),
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            chunk(&buffer[..n])?;
            total += n as u64;
        }
    })
}

/// Runs `work` on as many threads as the store reads best with: one per core for a local
/// folder, more for a store that waits on the network.
pub fn in_read_pool<R: Send>(store: &dyn Store, work: impl FnOnce() -> R + Send) -> R {
    match store.parallel_reads() {
        0 => work(),
        threads => match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => pool.install(work),
            Err(_) => work(),
        },
    }
}

/// Refuses object paths that would put an object over the root or its extensions.
pub(crate) fn check_object_path(store: &dyn Store, object_path: &str) -> Result<(), StoreError> {
    let first = object_path.split('/').next().unwrap_or_default();
    if object_path.is_empty() || first == crate::ocfl::EXTENSIONS {
        return Err(StoreError::Invalid {
            path: store.describe(object_path),
            message: "an object cannot stand here (the storage root or its extensions folder)"
                .into(),
        });
    }
    Ok(())
}

/// Every file under `dir`, recursively, with its size, sorted by path.
pub fn walk_files(store: &dyn Store, dir: &str) -> Result<Vec<(String, u64)>, StoreError> {
    // A bucket lists a whole prefix in one go.
    if let Some(listed) = store.list_recursive(dir) {
        let mut files = listed?;
        files.sort();
        return Ok(files);
    }
    let mut files = Vec::new();
    let mut pending = vec![dir.to_string()];
    while let Some(dir) = pending.pop() {
        for entry in store.list(&dir)? {
            let path = join(&dir, &entry.name);
            match entry.kind {
                EntryKind::Dir => pending.push(path),
                EntryKind::File => files.push((path, entry.size)),
                EntryKind::Symlink | EntryKind::Other => {
                    return Err(StoreError::Invalid {
                        path: store.describe(&path),
                        message: "is not a regular file or folder".into(),
                    })
                }
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Joins two store paths.
pub fn join(base: &str, name: &str) -> String {
    match (base.is_empty(), name.is_empty()) {
        (true, _) => name.to_string(),
        (_, true) => base.to_string(),
        _ => format!("{base}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_s3_url_opens_a_bucket_only_where_quire_was_built_with_s3() {
        let opened = open_location("s3://library/quire");
        if cfg!(feature = "s3") {
            let store = opened.expect("an s3:// URL opens a bucket store");
            assert_eq!(store.describe(""), "s3://library/quire");
        } else {
            let error = opened.err().expect("refused without the s3 feature");
            assert!(
                error.to_string().contains("built without S3 support"),
                "{error}"
            );
        }
    }

    #[test]
    fn reading_in_chunks_hands_over_every_byte_once_even_from_a_reader_that_reads_in_chunks() {
        /// A reader that itself reads its source in chunks on every call.
        struct Nested(Vec<u8>);
        impl Read for Nested {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                let mut inner = Vec::new();
                read_chunks(&mut self.0.as_slice(), |c| {
                    inner.extend_from_slice(c);
                    Ok(())
                })?;
                let n = inner.len().min(out.len());
                out[..n].copy_from_slice(&inner[..n]);
                self.0.drain(..n);
                Ok(n)
            }
        }
        let bytes: Vec<u8> = (0..3 * CHUNK_SIZE + 5).map(|i| (i % 251) as u8).collect();
        for reader in [
            &mut bytes.as_slice() as &mut dyn Read,
            &mut Nested(bytes.clone()),
        ] {
            let mut seen = Vec::new();
            let total = read_chunks(reader, |chunk| {
                assert!(chunk.len() <= CHUNK_SIZE);
                seen.extend_from_slice(chunk);
                Ok(())
            })
            .unwrap();
            assert_eq!((total, &seen), (bytes.len() as u64, &bytes));
        }
    }

    #[test]
    fn writers_stage_inside_the_extensions_folder() {
        assert!(STAGING_DIR.starts_with(&format!("{}/", crate::ocfl::EXTENSIONS)));
    }
}
