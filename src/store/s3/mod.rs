//! The S3 backend: a storage root under a prefix of a bucket on any S3-compatible service
//! (AWS S3, Ceph RGW, MinIO, Garage), through the `object_store` crate.
//!
//! S3 has no folders and no rename, so a version is made visible in steps:
//!
//! 1. small files (up to 8 MiB) are uploaded to a staging prefix outside the object
//!    (`extensions/quire-staging/<object key>/<writer token>/`), several at once; large files
//!    are uploaded in parts, several at once, straight to their place in the object, but the
//!    multipart uploads are not completed, so the service shows nothing of them yet. A writer
//!    killed here leaves the object untouched (valid, its head unchanged).
//! 2. publishing: the staged files are copied into the object server-side and the large
//!    uploads completed, the version's own inventory last, so that a version folder whose
//!    inventory is there is whole. This takes a few requests; a writer killed during it leaves
//!    a version folder that no inventory names (the head is still readable, but validators
//!    report the folder) until `quire repair` or the next writer of the object clears it.
//! 3. the root inventory and then its sidecar are replaced (a new object's declaration comes
//!    last of all, so that scans find it only when it is complete). A writer killed here is
//!    completed by the same rule as on a folder.
//!
//! Writers take a lock object (`extensions/quire-staging/<object key>.lock`, naming host, PID
//! namespace and process) with a two-minute lease renewed while they work. Where the service
//! enforces conditional writes (`If-None-Match`/`If-Match`, as AWS S3 does), a second writer,
//! or a second taker of an expired lock, is refused by the service. Garage and some others
//! ignore the conditions; there the lock is read back after writing, and before publishing and
//! again before replacing the root inventory the writer checks that it still holds the lock,
//! that its lease was confirmed within the last minute, and that the object's head has not
//! moved, so a second writer that starts while the first works is refused, and a writer that
//! lost its lock publishes nothing. Two writers that start at the very same instant on such a
//! service are not told apart: keep to one writer per object there. Leases are compared with
//! the readers' clocks: hosts sharing a bucket need clocks within a minute of each other.
//!
//! This file holds the store and its reads; `lock` the writer's lock and lease, `upload`
//! the uploads of a version's files, `update` the staged update and its publication.

mod lock;
mod update;
mod upload;

use super::{join, Entry, EntryKind, ObjectUpdate, Store, StoreError};
use bytes::Bytes;
use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::path::Path as KeyPath;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload};
use std::io::{self, Read};
use std::sync::Arc;
use tokio::runtime::Runtime;
use update::S3Update;

/// Small uploads, copies and deletes in flight at once.
const REQUESTS_IN_FLIGHT: usize = 16;

/// A storage root in an S3 bucket, under an optional key prefix.
pub struct S3Store {
    client: Arc<dyn ObjectStore>,
    bucket: String,
    prefix: String,
    runtime: Arc<Runtime>,
}

impl std::fmt::Debug for S3Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "S3Store({})", self.describe(""))
    }
}

impl S3Store {
    /// Opens `s3://bucket/prefix`, with the endpoint, region and credentials taken from the
    /// usual `AWS_*` variables (`AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY`, ...). Requests are path-style; plain http is allowed when the
    /// endpoint is an `http://` URL (a local server).
    pub fn from_url(url: &str) -> Result<S3Store, StoreError> {
        let invalid = |message: &str| StoreError::Invalid {
            path: url.to_string(),
            message: message.to_string(),
        };
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| invalid("not an s3:// URL"))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(invalid("no bucket name (expected s3://bucket/prefix)"));
        }
        let prefix = prefix.trim_end_matches('/');
        if !prefix.is_empty() {
            KeyPath::parse(prefix).map_err(|_| {
                invalid("the prefix must be `/`-separated names without empty, `.` or `..` parts")
            })?;
        }
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        let endpoint = builder
            .get_config_value(&AmazonS3ConfigKey::Endpoint)
            .unwrap_or_default();
        if endpoint.starts_with("http://") {
            builder = builder.with_allow_http(true);
        }
        let client = builder
            .build()
            .map_err(|e| store_error("set up the S3 client", url.to_string(), e))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("quire-s3")
            .enable_all()
            .build()
            .map_err(|e| StoreError::io("start the S3 client", url, e))?;
        Ok(S3Store {
            client: Arc::new(client),
            bucket: bucket.to_string(),
            prefix: prefix.to_string(),
            runtime: Arc::new(runtime),
        })
    }

    /// The key of a store path, refusing paths that could not be stored as written (paths
    /// come from inventories, which may be hostile).
    fn key(&self, path: &str) -> Result<KeyPath, StoreError> {
        let full = match (self.prefix.is_empty(), path.is_empty()) {
            (_, true) => self.prefix.clone(),
            (true, false) => path.to_string(),
            (false, false) => format!("{}/{path}", self.prefix),
        };
        let unsafe_path = || StoreError::Invalid {
            path: self.describe(path),
            message: "not a safe relative path".into(),
        };
        if !path.is_empty()
            && path
                .split('/')
                .any(|s| s.is_empty() || s == "." || s == "..")
        {
            return Err(unsafe_path());
        }
        KeyPath::parse(&full).map_err(|_| unsafe_path())
    }

    fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    fn error(&self, op: &'static str, path: &str, e: object_store::Error) -> StoreError {
        store_error(op, self.describe(path), e)
    }

    /// The sizes of every file under `dir`, recursively, as store paths.
    fn list_tree(&self, dir: &str) -> Result<Vec<(String, u64)>, StoreError> {
        let key = self.key(dir)?;
        let base = key.as_ref().len();
        let metas: Vec<object_store::ObjectMeta> = self
            .block_on(self.client.list(Some(&key)).try_collect())
            .map_err(|e| self.error("list", dir, e))?;
        Ok(metas
            .into_iter()
            .filter_map(|m| {
                let relative = m.location.as_ref()[base..].trim_start_matches('/');
                // A "folder marker" (`dir/`, which some tools write) is not a file.
                (!relative.is_empty()).then(|| (join(dir, relative), m.size))
            })
            .collect())
    }

    /// Deletes every key under `dir`.
    fn delete_tree(&self, dir: &str) -> Result<(), StoreError> {
        let keys: Vec<KeyPath> = self
            .list_tree(dir)?
            .into_iter()
            .map(|(path, _)| self.key(&path))
            .collect::<Result<_, _>>()?;
        let client = &self.client;
        self.block_on(
            futures_util::stream::iter(keys)
                .map(|key| async move { client.delete(&key).await })
                .buffer_unordered(REQUESTS_IN_FLIGHT)
                .try_collect::<Vec<()>>(),
        )
        .map_err(|e| self.error("delete", dir, e))?;
        Ok(())
    }

    fn put(&self, path: &str, bytes: Vec<u8>, mode: PutMode) -> Result<(), StoreError> {
        let key = self.key(path)?;
        let options = PutOptions {
            mode,
            ..Default::default()
        };
        self.block_on(self.client.put_opts(&key, PutPayload::from(bytes), options))
            .map(|_| ())
            .map_err(|e| match e {
                // A create or a conditional update that lost to another writer.
                object_store::Error::AlreadyExists { .. }
                | object_store::Error::Precondition { .. } => StoreError::AlreadyExists {
                    path: self.describe(path),
                },
                e => self.error("write", path, e),
            })
    }

    /// The entity tag of a file, or `None` when it does not exist.
    fn etag(&self, path: &str) -> Result<Option<String>, StoreError> {
        let key = self.key(path)?;
        match self.block_on(self.client.head(&key)) {
            Ok(meta) => Ok(Some(meta.e_tag.unwrap_or_default())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(self.error("stat", path, e)),
        }
    }
}

fn store_error(op: &'static str, path: String, e: object_store::Error) -> StoreError {
    match e {
        object_store::Error::NotFound { .. } => StoreError::NotFound { path },
        e => StoreError::Io {
            op,
            path,
            cause: io::Error::other(ServiceError(e)),
        },
    }
}

/// An error of the S3 client. Its message already spells out its causes, so the chain of
/// causes ends here rather than print them twice.
#[derive(Debug)]
struct ServiceError(object_store::Error);

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for ServiceError {}

impl Store for S3Store {
    fn describe(&self, path: &str) -> String {
        let mut url = format!("s3://{}", self.bucket);
        for part in [self.prefix.as_str(), path] {
            if !part.is_empty() {
                url.push('/');
                url.push_str(part);
            }
        }
        url
    }

    fn list(&self, dir: &str) -> Result<Vec<Entry>, StoreError> {
        let key = self.key(dir)?;
        let prefix = (!key.as_ref().is_empty()).then_some(&key);
        let listed = self
            .block_on(self.client.list_with_delimiter(prefix))
            .map_err(|e| self.error("list", dir, e))?;
        let mut entries = Vec::new();
        for common in &listed.common_prefixes {
            if let Some(name) = common.filename() {
                entries.push(Entry {
                    name: name.to_string(),
                    kind: EntryKind::Dir,
                    size: 0,
                    flaw: None,
                });
            }
        }
        for object in &listed.objects {
            // A "folder marker" (`dir/`) lists as the folder itself: not a file in it.
            if object.location == key {
                continue;
            }
            if let Some(name) = object.location.filename() {
                entries.push(Entry {
                    name: name.to_string(),
                    kind: EntryKind::File,
                    size: object.size,
                    flaw: None,
                });
            }
        }
        // A bucket has no empty folders: a folder with nothing in it does not exist.
        if entries.is_empty() {
            return Err(StoreError::NotFound {
                path: self.describe(dir),
            });
        }
        entries.sort();
        Ok(entries)
    }

    fn kind(&self, path: &str) -> Result<Option<EntryKind>, StoreError> {
        if !path.is_empty() && self.etag(path)?.is_some() {
            return Ok(Some(EntryKind::File));
        }
        let key = self.key(path)?;
        let prefix = (!key.as_ref().is_empty()).then_some(&key);
        let first = self.block_on(async { self.client.list(prefix).next().await });
        match first {
            None => Ok(None),
            Some(Ok(_)) => Ok(Some(EntryKind::Dir)),
            Some(Err(e)) => Err(self.error("list", path, e)),
        }
    }

    fn open(&self, path: &str) -> Result<Box<dyn Read + Send>, StoreError> {
        let key = self.key(path)?;
        let result = self
            .block_on(self.client.get(&key))
            .map_err(|e| self.error("open", path, e))?;
        Ok(Box::new(StreamReader {
            runtime: self.runtime.clone(),
            stream: result.into_stream(),
            chunks: Default::default(),
            finished: false,
        }))
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, StoreError> {
        let key = self.key(path)?;
        let bytes = self
            .block_on(async { self.client.get(&key).await?.bytes().await })
            .map_err(|e| self.error("read", path, e))?;
        Ok(bytes.to_vec())
    }

    fn create(&self, path: &str, bytes: &[u8]) -> Result<(), StoreError> {
        // Services that ignore the create-only condition still get the check beforehand.
        if self.etag(path)?.is_some() {
            return Err(StoreError::AlreadyExists {
                path: self.describe(path),
            });
        }
        self.put(path, bytes.to_vec(), PutMode::Create)
    }

    fn begin_update(&self, object_path: &str) -> Result<Box<dyn ObjectUpdate + '_>, StoreError> {
        Ok(Box::new(S3Update::begin(self, object_path)?))
    }

    fn parallel_reads(&self) -> usize {
        // Reads wait on the network far more than on the CPU.
        REQUESTS_IN_FLIGHT
    }

    fn list_recursive(&self, dir: &str) -> Option<Result<Vec<(String, u64)>, StoreError>> {
        Some(self.list_tree(dir))
    }
}

/// A blocking reader over the body of a GET. Each wait on the runtime gathers up to
/// [`READ_AHEAD`] bytes of the body's chunks (which arrive a few KiB at a time), so that the
/// cost of crossing into the runtime is paid per MiB, not per chunk.
struct StreamReader {
    runtime: Arc<Runtime>,
    stream: BoxStream<'static, object_store::Result<Bytes>>,
    chunks: std::collections::VecDeque<Bytes>,
    finished: bool,
}

/// How much of a body a reader gathers at a time.
const READ_AHEAD: usize = 1 << 20;

impl Read for StreamReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.chunks.is_empty() && !self.finished {
            let stream = &mut self.stream;
            let (chunks, finished) = self
                .runtime
                .block_on(async {
                    let mut chunks = std::collections::VecDeque::new();
                    let mut gathered = 0;
                    while gathered < READ_AHEAD {
                        match stream.next().await {
                            None => return Ok((chunks, true)),
                            Some(Ok(chunk)) => {
                                gathered += chunk.len();
                                chunks.push_back(chunk);
                            }
                            Some(Err(e)) => return Err(e),
                        }
                    }
                    Ok((chunks, false))
                })
                .map_err(|e| io::Error::other(ServiceError(e)))?;
            self.chunks = chunks;
            self.finished = finished;
        }
        let mut written = 0;
        while written < buf.len() {
            let Some(chunk) = self.chunks.front_mut() else {
                break;
            };
            let n = (buf.len() - written).min(chunk.len());
            buf[written..written + n].copy_from_slice(&chunk[..n]);
            let _ = chunk.split_to(n);
            written += n;
            if chunk.is_empty() {
                self.chunks.pop_front();
            }
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_a_bucket_and_a_safe_prefix() {
        let store = S3Store::from_url("s3://library/quire/root/").unwrap();
        assert_eq!(store.describe(""), "s3://library/quire/root");
        assert_eq!(
            store.describe(crate::ocfl::ROOT_DECLARATION),
            "s3://library/quire/root/0=ocfl_1.1"
        );
        assert_eq!(
            store.key("a/b").unwrap().as_ref(),
            "quire/root/a/b",
            "paths go under the prefix"
        );
        let bare = S3Store::from_url("s3://library").unwrap();
        assert_eq!(bare.key("x").unwrap().as_ref(), "x");
        for bad in [
            "s3://",
            "s3:///prefix",
            "http://library/x",
            "s3://library/a/../b",
        ] {
            assert!(S3Store::from_url(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn hostile_paths_are_refused_before_any_request() {
        let store = S3Store::from_url("s3://library/root").unwrap();
        for bad in ["../other", "a/../../b", "a//b", "./a", "a/\u{1}b", "/abs"] {
            let error = store.key(bad).unwrap_err();
            assert!(
                matches!(error, StoreError::Invalid { .. }),
                "{bad}: {error}"
            );
        }
    }
}
