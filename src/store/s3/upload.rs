//! Getting a version's files into the bucket before it is published: small files to the
//! writer's staging prefix, several at once; large ones in parts straight to their place in
//! the object, as multipart uploads left open until publication.

use super::update::S3Update;
use super::{join, store_error, Store, StoreError, REQUESTS_IN_FLIGHT};
use object_store::{MultipartUpload, ObjectStoreExt, PutPayload};
use std::collections::VecDeque;
use std::io::{self, Read};
use tokio::task::JoinHandle;

/// Files up to this size go up in one request; larger ones as multipart uploads of this size.
const PART_SIZE: usize = 8 << 20;
/// Parts of one multipart upload in flight at once.
const PARTS_IN_FLIGHT: usize = 4;
/// The largest part S3 takes.
const MAX_PART_SIZE: usize = 5 << 30;
/// Bytes of small uploads one writer keeps in flight (and in memory) at most.
const PENDING_BYTES: usize = 32 << 20;

/// A large file uploaded in parts straight to its place in the object, and completed only when
/// the version is published: until then the service shows nothing of it.
pub(super) struct OpenUpload {
    pub(super) path: String,
    pub(super) upload: Box<dyn MultipartUpload>,
}

/// The result of a spawned request; a task that died is an error about `what`.
pub(super) fn joined<T>(
    result: Result<Result<T, StoreError>, tokio::task::JoinError>,
    what: impl FnOnce() -> String,
) -> Result<T, StoreError> {
    match result {
        Ok(outcome) => outcome,
        Err(e) => Err(StoreError::io("upload", what(), io::Error::other(e))),
    }
}

impl S3Update<'_> {
    /// Sends `content` on its way: a small file to the staging prefix in the background, a
    /// large one in parts to its place in the object.
    pub(super) fn stage(&mut self, path: &str, content: &mut dyn Read) -> Result<u64, StoreError> {
        let staged_path = join(&self.staging, path);
        let key = self.store.key(&staged_path)?;
        let describe = self.store.describe(&join(&self.object_path, path));
        self.store.key(&join(&self.object_path, path))?;
        let mut first = Vec::with_capacity(PART_SIZE.min(1 << 16));
        let read = content
            .take(PART_SIZE as u64 + 1)
            .read_to_end(&mut first)
            .map_err(|e| StoreError::io("read", describe.clone(), e))?;
        if read > PART_SIZE {
            return self.upload_large(path, first, content);
        }
        // Small: one request to the staging prefix, in the background, a bounded number and
        // size at a time.
        while self.pending.len() >= REQUESTS_IN_FLIGHT
            || (!self.pending.is_empty()
                && self.pending.iter().map(|(_, size)| size).sum::<usize>() + read > PENDING_BYTES)
        {
            let (oldest, _) = self.pending.pop_front().expect("not empty");
            joined(self.store.block_on(oldest), || describe.clone())?;
        }
        let client = self.store.client.clone();
        let upload = self.store.runtime.spawn(async move {
            client
                .put(&key, PutPayload::from(first))
                .await
                .map(|_| ())
                .map_err(|e| store_error("upload", describe, e))
        });
        self.pending.push_back((upload, read));
        self.staged.push(path.to_string());
        Ok(read as u64)
    }

    /// Waits for every small upload still in flight; the first that failed is the error.
    pub(super) fn wait_for_uploads(&mut self) -> Result<(), StoreError> {
        let pending = std::mem::take(&mut self.pending);
        let results = self.store.block_on(futures_util::future::join_all(
            pending.into_iter().map(|(handle, _)| handle),
        ));
        for result in results {
            joined(result, || self.store.describe(&self.object_path))?;
        }
        Ok(())
    }

    /// Uploads a large file in parts to its place in the object, `first` being its beginning;
    /// the upload is completed at commit.
    fn upload_large(
        &mut self,
        path: &str,
        mut first: Vec<u8>,
        content: &mut dyn Read,
    ) -> Result<u64, StoreError> {
        let store = self.store;
        let final_path = join(&self.object_path, path);
        let describe = store.describe(&final_path);
        let key = store.key(&final_path)?;
        let mut upload = store
            .block_on(store.client.put_multipart(&key))
            .map_err(|e| store_error("start upload", describe.clone(), e))?;
        let mut parts: VecDeque<JoinHandle<Result<(), StoreError>>> = VecDeque::new();
        let mut total = 0u64;
        let mut part_size = PART_SIZE;
        let mut count = 0usize;
        // Reading happens here, outside the runtime: the source may itself be a bucket.
        let mut send_all =
            || -> Result<(), StoreError> {
                loop {
                    let mut chunk = std::mem::take(&mut first);
                    if chunk.len() < part_size {
                        let wanted = (part_size - chunk.len()) as u64;
                        (&mut *content)
                            .take(wanted)
                            .read_to_end(&mut chunk)
                            .map_err(|e| StoreError::io("read", describe.clone(), e))?;
                    } else if chunk.len() > part_size {
                        first = chunk.split_off(part_size);
                    }
                    if chunk.is_empty() {
                        break;
                    }
                    let last = chunk.len() < part_size;
                    total += chunk.len() as u64;
                    while parts.len() >= PARTS_IN_FLIGHT {
                        let oldest = parts.pop_front().expect("not empty");
                        joined(store.block_on(oldest), || describe.clone())?;
                    }
                    let part = upload.put_part(PutPayload::from(chunk));
                    let name = describe.clone();
                    parts.push_back(store.runtime.spawn(async move {
                        part.await.map_err(|e| store_error("upload", name, e))
                    }));
                    count += 1;
                    // 10,000 parts at most: larger parts as the file grows, so any size fits.
                    if count.is_multiple_of(1000) {
                        part_size = (part_size * 2).min(MAX_PART_SIZE);
                    }
                    if last {
                        break;
                    }
                }
                while let Some(part) = parts.pop_front() {
                    joined(store.block_on(part), || describe.clone())?;
                }
                Ok(())
            };
        if let Err(e) = send_all() {
            for part in &parts {
                part.abort();
            }
            let _ = store.block_on(upload.abort());
            return Err(e);
        }
        crate::store::pause::point("bucket-uploading");
        self.open_uploads.push(OpenUpload {
            path: path.to_string(),
            upload,
        });
        Ok(total)
    }
    /// Stops what is in flight and drops the large uploads (parts already sent are discarded by
    /// the service).
    pub(super) fn abort_all(&mut self) {
        let store = self.store;
        let pending: Vec<_> = std::mem::take(&mut self.pending)
            .into_iter()
            .map(|(handle, _)| handle)
            .collect();
        for handle in &pending {
            handle.abort();
        }
        let _ = store.block_on(futures_util::future::join_all(pending));
        for mut open in std::mem::take(&mut self.open_uploads) {
            let _ = store.block_on(open.upload.abort());
        }
    }
}
