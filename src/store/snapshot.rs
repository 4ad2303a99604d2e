//! A store's listing taken once, for readers that walk a whole tree.
//!
//! A bucket answers "list this folder" with one request per folder, but "list everything under
//! this prefix" with one request per thousand keys; the validator walks every folder of every
//! object, so on a bucket it reads the whole listing once and answers its walk from memory.
//! Reads still go to the store.

use super::{Entry, EntryKind, ObjectUpdate, Store, StoreError};
use std::collections::BTreeMap;
use std::io::Read;

/// A store with its listing under `dir` captured at one moment.
pub struct Snapshot<'a> {
    inner: &'a dyn Store,
    /// Every file under the snapshot's folder, by store path, with its size.
    files: BTreeMap<String, u64>,
}

impl<'a> Snapshot<'a> {
    /// Lists everything under `dir` at once, when the store can do that cheaply; `None` when
    /// listing folder by folder is just as good (a local folder).
    pub fn take(inner: &'a dyn Store, dir: &str) -> Option<Result<Snapshot<'a>, StoreError>> {
        let listed = inner.list_recursive(dir)?;
        Some(listed.map(|files| {
            Snapshot {
                inner,
                files: files
                    .into_iter()
                    // Zero-byte "folder markers" (`a/`) some tools write are not files.
                    .filter(|(path, _)| !path.split('/').any(str::is_empty))
                    .collect(),
            }
        }))
    }

    /// The files under `dir` (all of them for the root).
    fn under<'b>(&'b self, dir: &'b str) -> impl Iterator<Item = (&'b str, u64)> + 'b {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let skip = prefix.len();
        self.files
            .range(prefix.clone()..)
            .take_while(move |(path, _)| path.starts_with(&prefix))
            .map(move |(path, size)| (&path[skip..], *size))
    }
}

impl Store for Snapshot<'_> {
    fn describe(&self, path: &str) -> String {
        self.inner.describe(path)
    }

    fn list(&self, dir: &str) -> Result<Vec<Entry>, StoreError> {
        let mut entries: BTreeMap<&str, Entry> = BTreeMap::new();
        for (relative, size) in self.under(dir) {
            let entry = match relative.split_once('/') {
                Some((name, _)) => Entry {
                    name: name.to_string(),
                    kind: EntryKind::Dir,
                    size: 0,
                    flaw: None,
                },
                None => Entry {
                    name: relative.to_string(),
                    kind: EntryKind::File,
                    size,
                    flaw: None,
                },
            };
            let name = relative.split('/').next().unwrap_or(relative);
            // A key that is both a file and a folder's prefix is something a folder cannot
            // hold: listed as neither (a validator reports it).
            entries
                .entry(name)
                .and_modify(|existing| {
                    if existing.kind != entry.kind {
                        existing.kind = EntryKind::Other;
                    }
                })
                .or_insert(entry);
        }
        if entries.is_empty() {
            return Err(StoreError::NotFound {
                path: self.describe(dir),
            });
        }
        let mut list: Vec<Entry> = entries.into_values().collect();
        list.sort();
        Ok(list)
    }

    fn kind(&self, path: &str) -> Result<Option<EntryKind>, StoreError> {
        if self.files.contains_key(path) {
            return Ok(Some(EntryKind::File));
        }
        Ok(self.under(path).next().map(|_| EntryKind::Dir))
    }

    fn open(&self, path: &str) -> Result<Box<dyn Read + Send>, StoreError> {
        self.inner.open(path)
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, StoreError> {
        self.inner.read(path)
    }

    fn create(&self, path: &str, bytes: &[u8]) -> Result<(), StoreError> {
        self.inner.create(path, bytes)
    }

    fn begin_update(&self, object_path: &str) -> Result<Box<dyn ObjectUpdate + '_>, StoreError> {
        self.inner.begin_update(object_path)
    }

    fn parallel_reads(&self) -> usize {
        self.inner.parallel_reads()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::FsStore;

    #[test]
    fn a_snapshot_lists_like_the_store_it_was_taken_of() {
        let dir = tempfile::tempdir().unwrap();
        for path in [
            crate::ocfl::ROOT_DECLARATION,
            "a/b/c.txt",
            "a/b/d.txt",
            "a/e.txt",
            "f/g/h.txt",
        ] {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, path).unwrap();
        }
        let store = FsStore::new(dir.path());
        let files = crate::store::walk_files(&store, "").unwrap();
        let snapshot = Snapshot {
            inner: &store,
            files: files.into_iter().collect(),
        };
        for folder in ["", "a", "a/b", "f", "f/g"] {
            assert_eq!(
                snapshot.list(folder).unwrap(),
                store.list(folder).unwrap(),
                "{folder}"
            );
        }
        for path in ["", "a", "a/e.txt", "a/b/c.txt", "nothing", "a/b/c"] {
            assert_eq!(
                snapshot.kind(path).unwrap(),
                store.kind(path).unwrap(),
                "{path}"
            );
        }
        assert!(snapshot.list("nothing").unwrap_err().is_not_found());
        assert_eq!(snapshot.read("a/e.txt").unwrap(), b"a/e.txt");
    }
}
