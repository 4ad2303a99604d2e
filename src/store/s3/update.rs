//! Adding a version to an object in a bucket: the staged update that holds the writer's lock,
//! and its publication (staged files copied in, large uploads completed, inventories last,
//! the root files replaced with a new object's declaration at the very end).

mod swap;

use super::lock::Lock;
use super::upload::OpenUpload;
use super::{join, ObjectUpdate, S3Store, Store, StoreError, REQUESTS_IN_FLIGHT};
use crate::ocfl::{DECLARATION_PREFIX, INVENTORY, OBJECT_DECLARATION_PREFIX};
use crate::store::STAGING_DIR;
use futures_util::stream::{StreamExt, TryStreamExt};
use object_store::path::Path as KeyPath;
use object_store::{ObjectStoreExt, PutMode};
use sha2::{Digest, Sha256};
use std::collections::VecDeque;
use std::io::Read;
use tokio::task::JoinHandle;

/// A version being added to an object in a bucket, holding the object's lock.
pub(super) struct S3Update<'a> {
    pub(super) store: &'a S3Store,
    pub(super) object_path: String,
    /// The staging prefix of this writer.
    pub(super) staging: String,
    /// Small files uploaded to the staging prefix, by path relative to the object root.
    pub(super) staged: Vec<String>,
    /// Small uploads still in flight, with their sizes.
    pub(super) pending: VecDeque<(JoinHandle<Result<(), StoreError>>, usize)>,
    /// Large files whose parts are all uploaded.
    pub(super) open_uploads: Vec<OpenUpload>,
    /// Files read to be swapped in by [`ObjectUpdate::swap_file`], by path in the object.
    swaps: std::collections::BTreeMap<String, Vec<u8>>,
    /// The entity tag of the root inventory this version builds on.
    base: Option<String>,
    lock: Lock,
    finished: bool,
}

impl<'a> S3Update<'a> {
    /// Takes the object's lock and clears what killed writers of it left in staging; from
    /// here on, dropping the update releases the lock.
    pub(super) fn begin(store: &'a S3Store, object_path: &str) -> Result<Self, StoreError> {
        crate::store::check_object_path(store, object_path)?;
        store.key(object_path)?;
        let object_key = hex::encode(&Sha256::digest(object_path.as_bytes())[..16]);
        let lock = Lock::acquire(
            store,
            &format!("{STAGING_DIR}/{object_key}.lock"),
            object_path,
        )?;
        let staging_root = format!("{STAGING_DIR}/{object_key}");
        let mut update = S3Update {
            store,
            object_path: object_path.to_string(),
            staging: format!("{staging_root}/{}", lock.token),
            staged: Vec::new(),
            pending: Default::default(),
            open_uploads: Vec::new(),
            swaps: Default::default(),
            base: None,
            lock,
            finished: false,
        };
        // Staging left by killed writers of this object never reached it: clear it.
        store.delete_tree(&staging_root)?;
        update.base = store.etag(&join(object_path, INVENTORY))?;
        Ok(update)
    }

    /// Refuses to go on when this writer no longer holds the object as it found it.
    /// `outcome` says what is left when it is not: what the caller has done so far.
    fn check_still_ours(&self, outcome: &str) -> Result<(), StoreError> {
        let store = self.store;
        let head_now = store.etag(&join(&self.object_path, INVENTORY))?;
        if !self.lock.still_held(store)? || head_now != self.base {
            return Err(StoreError::Locked {
                path: store.describe(&self.object_path),
                lock: format!(
                    "{} (another writer took it or changed the object while this version \
                     was written; {outcome})",
                    store.describe(&self.lock.path)
                ),
            });
        }
        Ok(())
    }

    /// Makes room in the object for `version_dir`: what a writer killed during its copy step
    /// left of a version no inventory names is cleared; a published version is never touched.
    fn clear_unpublished(&self, version_dir: &str) -> Result<(), StoreError> {
        let store = self.store;
        if self.base.is_none() {
            // No root inventory: either nothing is here, or a new object torn before its root
            // files (its declaration comes last). An object with a declaration but no
            // inventory is damaged, and is left for `quire verify` to report.
            let files = store.list_tree(&self.object_path)?;
            if files.is_empty() {
                return Ok(());
            }
            let declared = files.iter().any(|(path, _)| {
                path[self.object_path.len()..]
                    .trim_start_matches('/')
                    .starts_with(OBJECT_DECLARATION_PREFIX)
            });
            if declared {
                return Err(StoreError::Invalid {
                    path: store.describe(&self.object_path),
                    message: format!(
                        "holds an object declaration but no {INVENTORY}: the object is \
                         damaged (run `quire verify`); nothing was written"
                    ),
                });
            }
            return store.delete_tree(&self.object_path);
        }
        let version_path = join(&self.object_path, version_dir);
        if store.etag(&join(&version_path, INVENTORY))?.is_some() {
            return Err(StoreError::AlreadyExists {
                path: store.describe(&version_path),
            });
        }
        store.delete_tree(&version_path)
    }

    /// Copies staged files into the object and completes the large uploads, in parallel.
    fn publish_files(&self, paths: &[String], uploads: Vec<OpenUpload>) -> Result<(), StoreError> {
        let store = self.store;
        let pairs: Vec<(KeyPath, KeyPath, String)> = paths
            .iter()
            .map(|path| {
                let to = join(&self.object_path, path);
                Ok((store.key(&join(&self.staging, path))?, store.key(&to)?, to))
            })
            .collect::<Result<_, StoreError>>()?;
        let client = &store.client;
        let object_path = &self.object_path;
        store
            .block_on(async {
                let copies = futures_util::stream::iter(pairs)
                    .map(|(from, to, name)| async move {
                        client.copy(&from, &to).await.map_err(|e| (name, e))
                    })
                    .buffer_unordered(REQUESTS_IN_FLIGHT)
                    .try_collect::<Vec<()>>();
                let completions = futures_util::stream::iter(uploads)
                    .map(|mut open| async move {
                        let name = join(object_path, &open.path);
                        open.upload
                            .complete()
                            .await
                            .map(|_| ())
                            .map_err(|e| (name, e))
                    })
                    .buffer_unordered(REQUESTS_IN_FLIGHT)
                    .try_collect::<Vec<()>>();
                futures_util::future::try_join(copies, completions).await
            })
            .map_err(|(name, e)| store.error("publish", &name, e))?;
        Ok(())
    }
}

impl ObjectUpdate for S3Update<'_> {
    fn write(&mut self, path: &str, content: &mut dyn Read) -> Result<u64, StoreError> {
        self.stage(path, content)
    }

    fn discard_unpublished(&mut self, version_dir: &str) -> Result<bool, StoreError> {
        self.store
            .delete_tree(&join(&self.object_path, version_dir))?;
        Ok(true)
    }

    fn replace_root_files(&mut self, files: &[(&str, &[u8])]) -> Result<(), StoreError> {
        for (name, bytes) in files {
            let path = join(&self.object_path, name);
            self.store.put(&path, bytes.to_vec(), PutMode::Overwrite)?;
        }
        self.base = self.store.etag(&join(&self.object_path, INVENTORY))?;
        Ok(())
    }

    fn stage_swap(&mut self, path: &str, content: &mut dyn Read) -> Result<u64, StoreError> {
        self.stage_swap_file(path, content)
    }

    fn swap_file(&mut self, path: &str) -> Result<(), StoreError> {
        self.swap_staged_file(path)
    }

    fn commit(
        mut self: Box<Self>,
        version_dir: &str,
        root_files: &[(&str, &[u8])],
    ) -> Result<(), StoreError> {
        self.wait_for_uploads()?;
        // The last moment to notice a second writer on a service without create-only writes.
        self.check_still_ours("nothing was published")?;
        self.clear_unpublished(version_dir)?;
        let file_name = |path: &String| path.rsplit('/').next().unwrap_or_default().to_string();
        let is_inventory = |path: &String| file_name(path).starts_with(INVENTORY);
        let (inventories, content): (Vec<String>, Vec<String>) = std::mem::take(&mut self.staged)
            .into_iter()
            .partition(is_inventory);
        let uploads = std::mem::take(&mut self.open_uploads);
        self.publish_files(&content, uploads)?;
        crate::store::pause::point("bucket-publishing");
        // The sidecar before the inventory: a version folder whose inventory is there is
        // whole, sidecar included.
        let (sidecars, inventories): (Vec<String>, Vec<String>) = inventories
            .into_iter()
            .partition(|path| file_name(path) != INVENTORY);
        self.publish_files(&sidecars, Vec::new())?;
        self.publish_files(&inventories, Vec::new())?;
        // The version is whole; check once more before it becomes the head.
        self.check_still_ours(
            "its files are in place but the root inventory does not name it yet: \
             `quire repair` or the next writer completes it",
        )?;
        // Root files in order, but a declaration last: an object is found by it.
        let store = self.store;
        let (declarations, others): (Vec<_>, Vec<_>) = root_files
            .iter()
            .partition(|(name, _)| name.starts_with(DECLARATION_PREFIX));
        for (name, bytes) in others.into_iter().chain(declarations) {
            store.put(
                &join(&self.object_path, name),
                bytes.to_vec(),
                PutMode::Overwrite,
            )?;
        }
        self.finished = true;
        Ok(())
    }
}

impl Drop for S3Update<'_> {
    fn drop(&mut self) {
        // Best effort: what is left is cleared by the next writer of this object.
        self.lock.stop_renewal(self.store);
        if !self.finished {
            self.abort_all();
        }
        let _ = self.store.delete_tree(&self.staging);
        self.lock.release(self.store);
    }
}
