//! Swapping one file of an existing object in a bucket, for repairs. A bucket has no rename,
//! but a single put replaces a key whole: readers see the old bytes or the new. The put is
//! conditional on the file being as it was when the swap began (its entity tag, or its absence)
//! where the service enforces conditions, and made only while this writer still holds the
//! object's lock. The bytes wait in memory until then: a single put is at most 5 GiB.

use super::S3Update;
use crate::ocfl::INVENTORY;
use crate::store::{join, Store, StoreError};
use object_store::{ObjectStoreExt, PutMode, UpdateVersion};
use std::io::Read;

/// The largest object one put can write.
const MAX_PUT: u64 = 5 << 30;

impl S3Update<'_> {
    pub(super) fn stage_swap_file(
        &mut self,
        path: &str,
        content: &mut dyn Read,
    ) -> Result<u64, StoreError> {
        let full = join(&self.object_path, path);
        self.store.key(&full)?;
        let mut bytes = Vec::new();
        let read = content
            .take(MAX_PUT + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| StoreError::io("read", self.store.describe(&full), e))?;
        if read as u64 > MAX_PUT {
            return Err(StoreError::Invalid {
                path: self.store.describe(&full),
                message: "is larger than one put can replace (5 GiB)".into(),
            });
        }
        self.swaps.insert(path.to_string(), bytes);
        crate::store::pause::point("bucket-swap-staged");
        Ok(read as u64)
    }

    pub(super) fn swap_staged_file(&mut self, path: &str) -> Result<(), StoreError> {
        let store = self.store;
        let full = join(&self.object_path, path);
        let bytes = self.swaps.remove(path).ok_or_else(|| StoreError::Invalid {
            path: store.describe(&full),
            message: "nothing was staged to swap in here".into(),
        })?;
        if store.kind(&self.object_path)?.is_none() {
            return Err(StoreError::NotFound {
                path: store.describe(&self.object_path),
            });
        }
        self.check_still_ours("nothing was replaced")?;
        let key = store.key(&full)?;
        let mode = match store.block_on(store.client.head(&key)) {
            Ok(meta) => PutMode::Update(UpdateVersion {
                e_tag: meta.e_tag,
                version: meta.version,
            }),
            Err(object_store::Error::NotFound { .. }) => PutMode::Create,
            Err(e) => return Err(store.error("stat", &full, e)),
        };
        store.put(&full, bytes, mode).map_err(|e| match e {
            StoreError::AlreadyExists { path } => StoreError::Invalid {
                path,
                message: "changed while it was being replaced; nothing was replaced".into(),
            },
            e => e,
        })?;
        if path == INVENTORY {
            // The root inventory this writer now builds on.
            self.base = store.etag(&full)?;
        }
        crate::store::pause::point("bucket-swapped");
        Ok(())
    }
}
