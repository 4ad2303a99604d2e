//! Swapping one file of an existing object in a folder, for repairs: the new bytes are written
//! and synced in the writer's work folder (same filesystem, outside the object), then renamed
//! over the old file, so that a reader, or a kill, sees the one file or the other. Folders
//! missing on its path are built beside it and appear with it in that same rename, so that a
//! kill never leaves an empty folder in the object.

use super::{sync_dir, sync_tree, FsUpdate};
use crate::store::{Store, StoreError};
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{self, BufWriter, Read};
use std::path::{Path, PathBuf};

/// Bytes read and written at a time while staging.
const BUFFER: usize = 1 << 20;

impl FsUpdate<'_> {
    /// `path` (relative to the object root) as a relative filesystem path, refusing anything
    /// that could leave the object.
    fn object_relative(&self, path: &str) -> Result<PathBuf, StoreError> {
        let full = self.store.resolve(path)?;
        Ok(full
            .strip_prefix(self.store.root())
            .unwrap_or(&full)
            .to_path_buf())
    }

    /// Where the bytes to swap in at `path` wait, in the work folder.
    fn swap_temp(&self, path: &str) -> PathBuf {
        let key = hex::encode(&Sha256::digest(path.as_bytes())[..16]);
        self.work.join(format!("swap-{key}"))
    }

    pub(super) fn stage_swap_file(
        &mut self,
        path: &str,
        content: &mut dyn Read,
    ) -> Result<u64, StoreError> {
        self.object_relative(path)?;
        let temp = self.swap_temp(path);
        let describe = || temp.display().to_string();
        let file = File::create(&temp).map_err(|e| StoreError::io("create", describe(), e))?;
        let mut writer = BufWriter::with_capacity(BUFFER, file);
        let written =
            io::copy(content, &mut writer).map_err(|e| StoreError::io("write", describe(), e))?;
        let file = writer
            .into_inner()
            .map_err(|e| StoreError::io("write", describe(), e.into_error()))?;
        file.sync_all()
            .map_err(|e| StoreError::io("sync", describe(), e))?;
        crate::store::pause::point("folder-swap-staged");
        Ok(written)
    }

    pub(super) fn swap_staged_file(&mut self, path: &str) -> Result<(), StoreError> {
        let temp = self.swap_temp(path);
        if !temp.is_file() {
            return Err(StoreError::Invalid {
                path: self
                    .store
                    .describe(&crate::store::join(&self.object_path, path)),
                message: "nothing was staged to swap in here".into(),
            });
        }
        if !self.object_dir.is_dir() {
            return Err(StoreError::NotFound {
                path: self.store.describe(&self.object_path),
            });
        }
        let relative = self.object_relative(path)?;
        match first_missing_folder(&self.object_dir, &relative)? {
            None => {
                let target = self.object_dir.join(&relative);
                fs::rename(&temp, &target)
                    .map_err(|e| StoreError::io("replace", target.display().to_string(), e))?;
                sync_dir(target.parent().unwrap_or(&self.object_dir))?;
            }
            Some(missing) => self.swap_with_folders(&temp, &relative, &missing)?,
        }
        crate::store::pause::point("folder-swapped");
        Ok(())
    }

    /// Moves `temp` to `relative` inside a copy of the missing folders from `missing` down,
    /// built in the work folder, then renames the topmost of them into the object.
    fn swap_with_folders(
        &self,
        temp: &Path,
        relative: &Path,
        missing: &Path,
    ) -> Result<(), StoreError> {
        let above = missing.parent().unwrap_or(Path::new(""));
        let below = relative.strip_prefix(above).unwrap_or(relative);
        let chain = temp.with_extension("folders");
        let staged = chain.join(below);
        let holder = staged.parent().unwrap_or(&chain);
        fs::create_dir_all(holder)
            .map_err(|e| StoreError::io("create", holder.display().to_string(), e))?;
        fs::rename(temp, &staged)
            .map_err(|e| StoreError::io("stage", staged.display().to_string(), e))?;
        sync_tree(&chain)?;
        let top_name = missing.file_name().unwrap_or_default();
        let target = self.object_dir.join(missing);
        fs::rename(chain.join(top_name), &target)
            .map_err(|e| StoreError::io("replace", target.display().to_string(), e))?;
        sync_dir(&self.object_dir.join(above))?;
        let _ = fs::remove_dir(&chain);
        Ok(())
    }
}

/// The topmost folder on the way to `relative` (inside `object_dir`) that does not exist.
fn first_missing_folder(object_dir: &Path, relative: &Path) -> Result<Option<PathBuf>, StoreError> {
    let Some(parent) = relative.parent() else {
        return Ok(None);
    };
    let mut folder = PathBuf::new();
    for part in parent.components() {
        folder.push(part);
        let full = object_dir.join(&folder);
        match fs::symlink_metadata(&full) {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Some(folder)),
            Err(e) => return Err(StoreError::io("stat", full.display().to_string(), e)),
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use crate::store::{FsStore, ObjectUpdate, Store};
    use std::fs;
    use std::path::Path;

    const A: &str = "v1/content/a.md";

    fn object(dir: &Path) -> FsStore {
        let store = FsStore::new(dir);
        fs::create_dir_all(dir.join("obj/v1/content")).unwrap();
        fs::write(dir.join("obj").join(A), b"damaged").unwrap();
        store
    }

    /// Stages `bytes` for `path` in an update of the object of [`object`] in `dir`, gives the
    /// update and the count of bytes read to `then`, and ends the update.
    fn with_staged(
        dir: &Path,
        path: &str,
        bytes: &[u8],
        then: impl FnOnce(&mut dyn ObjectUpdate, u64),
    ) {
        let store = object(dir);
        let mut update = store.begin_update("obj").unwrap();
        let read = update.stage_swap(path, &mut &bytes[..]).unwrap();
        then(update.as_mut(), read);
    }

    /// The bytes of `path` in the object in `dir`.
    fn file(dir: &Path, path: &str) -> Vec<u8> {
        fs::read(dir.join("obj").join(path)).unwrap()
    }

    #[test]
    fn a_swapped_file_replaces_the_old_one_whole() {
        let dir = tempfile::tempdir().unwrap();
        with_staged(dir.path(), A, b"the text", |update, read| {
            assert_eq!(read, 8);
            assert_eq!(
                file(dir.path(), A),
                b"damaged",
                "nothing changes before the swap"
            );
            update.swap_file(A).unwrap();
        });
        assert_eq!(file(dir.path(), A), b"the text");
        assert!(!dir.path().join("extensions").exists(), "work folder left");
    }

    #[test]
    fn a_file_whose_folders_are_gone_comes_back_with_them() {
        let dir = tempfile::tempdir().unwrap();
        let deep = "v1/content/articles/deep/b.md";
        with_staged(dir.path(), deep, b"b", |update, _| {
            update.swap_file(deep).unwrap()
        });
        assert_eq!(file(dir.path(), deep), b"b");
    }

    #[test]
    fn a_staged_file_never_swapped_in_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let other = "v1/content/b.md";
        with_staged(dir.path(), A, b"other", |update, _| {
            assert!(update.swap_file(other).is_err());
        });
        assert_eq!(file(dir.path(), A), b"damaged");
        assert!(!dir.path().join("obj").join(other).exists());
    }

    #[test]
    fn a_path_that_leaves_the_object_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = object(dir.path());
        let mut update = store.begin_update("obj").unwrap();
        assert!(update.stage_swap("../escape", &mut &b"x"[..]).is_err());
    }
}
