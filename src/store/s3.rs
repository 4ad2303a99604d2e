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

use super::{join, Entry, EntryKind, ObjectUpdate, Store, StoreError, STAGING_DIR};
use bytes::Bytes;
use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::path::Path as KeyPath;
use object_store::{
    MultipartUpload, ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload, UpdateVersion,
};
use sha2::{Digest, Sha256};
use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::runtime::Runtime;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// Files up to this size go up in one request; larger ones as multipart uploads of this size.
const PART_SIZE: usize = 8 << 20;
/// Parts of one multipart upload in flight at once.
const PARTS_IN_FLIGHT: usize = 4;
/// The largest part S3 takes.
const MAX_PART_SIZE: usize = 5 << 30;
/// Bytes of small uploads one writer keeps in flight (and in memory) at most.
const PENDING_BYTES: usize = 32 << 20;
/// Small uploads, copies and deletes in flight at once.
const REQUESTS_IN_FLIGHT: usize = 16;
/// How long a writer waits before reading its lock back.
const LOCK_SETTLE: Duration = Duration::from_millis(25);
/// How long a writer's lock holds without renewal; it is renewed every third of it.
const LEASE: Duration = Duration::from_secs(120);

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
            .map_err(|e| invalid(&format!("cannot set up the S3 client: {e}")))?;
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
            source: io::Error::other(e),
        },
    }
}

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
        super::check_object_path(self, object_path)?;
        self.key(object_path)?;
        let object_key = hex::encode(&Sha256::digest(object_path.as_bytes())[..16]);
        let lock = Lock::acquire(
            self,
            &format!("{STAGING_DIR}/{object_key}.lock"),
            object_path,
        )?;
        let staging_root = format!("{STAGING_DIR}/{object_key}");
        // From here on, dropping the update releases the lock.
        let mut update = Box::new(S3Update {
            store: self,
            object_path: object_path.to_string(),
            staging: format!("{staging_root}/{}", lock.token),
            staged: Vec::new(),
            pending: Default::default(),
            open_uploads: Vec::new(),
            base: None,
            lock,
            finished: false,
        });
        // Staging left by killed writers of this object never reached it: clear it.
        self.delete_tree(&staging_root)?;
        update.base = self.etag(&join(object_path, "inventory.json"))?;
        Ok(update)
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
                .map_err(io::Error::other)?;
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

/// What a lock object says about its holder.
#[derive(serde::Serialize, serde::Deserialize)]
struct LockRecord {
    token: String,
    host: String,
    /// The holder's PID namespace: a process id means something only within it (containers
    /// on one host can share its name).
    #[serde(default)]
    pid_namespace: String,
    pid: u32,
    /// Seconds since the Unix epoch when the lease ends unless renewed (by the holder's clock:
    /// hosts sharing a bucket need clocks within a minute of each other).
    expires: u64,
}

impl LockRecord {
    fn is_live(&self) -> bool {
        if self.expires <= unix_now() {
            return false;
        }
        // A writer on this machine whose process is gone holds nothing.
        let here = self.host == host_name()
            && !self.pid_namespace.is_empty()
            && self.pid_namespace == pid_namespace();
        !here || process_exists(self.pid)
    }
}

/// A writer's hold on one object.
struct Lock {
    path: String,
    token: String,
    /// When the lease was last written and known to be ours (Unix seconds, this clock).
    confirmed: Arc<AtomicU64>,
    /// Tells the renewal to stop (between renewals, never in the middle of one).
    stop: Arc<Notify>,
    renewal: Option<JoinHandle<()>>,
}

impl Lock {
    fn acquire(store: &S3Store, path: &str, object_path: &str) -> Result<Lock, StoreError> {
        let token = writer_token();
        let key = store.key(path)?;
        let locked = |holder: &LockRecord| StoreError::Locked {
            path: store.describe(object_path),
            lock: format!(
                "{} (held by process {} on {})",
                store.describe(path),
                holder.pid,
                holder.host
            ),
        };
        for _attempt in 0..5 {
            let current = store.block_on(async {
                let result = store.client.get(&key).await?;
                let meta = result.meta.clone();
                Ok::<_, object_store::Error>((meta, result.bytes().await?))
            });
            let mode = match current {
                Ok((meta, bytes)) => match serde_json::from_slice::<LockRecord>(&bytes) {
                    // Our own create, answered with an error but carried out.
                    Ok(holder) if holder.token == token => {
                        return Ok(Lock::held(store, path, token))
                    }
                    Ok(holder) if holder.is_live() => return Err(locked(&holder)),
                    // Expired, its writer dead, or unreadable: replace exactly that record,
                    // so that of two writers taking it over only one succeeds (where the
                    // service checks the condition).
                    _ => match meta.e_tag {
                        Some(e_tag) => PutMode::Update(UpdateVersion {
                            e_tag: Some(e_tag),
                            version: meta.version,
                        }),
                        None => {
                            store
                                .block_on(store.client.delete(&key))
                                .map_err(|e| store.error("remove stale lock", path, e))?;
                            PutMode::Create
                        }
                    },
                },
                Err(object_store::Error::NotFound { .. }) => PutMode::Create,
                Err(e) => return Err(store.error("read lock", path, e)),
            };
            match store.put(path, lock_record(&token), mode) {
                Ok(()) => {}
                Err(StoreError::AlreadyExists { .. }) => continue,
                Err(e) => return Err(e),
            }
            // Where the service ignored the condition, the last writer wins: read back after
            // a moment to see whether that is us. (A rival that writes later still is caught
            // by the checks before publishing.)
            std::thread::sleep(LOCK_SETTLE);
            let bytes = match store.read(path) {
                Ok(bytes) => bytes,
                Err(e) if e.is_not_found() => continue,
                Err(e) => return Err(e),
            };
            match serde_json::from_slice::<LockRecord>(&bytes) {
                Ok(holder) if holder.token == token => return Ok(Lock::held(store, path, token)),
                Ok(holder) => return Err(locked(&holder)),
                Err(_) => continue,
            }
        }
        Err(StoreError::Locked {
            path: store.describe(object_path),
            lock: store.describe(path),
        })
    }

    /// The lock just written and read back: starts renewing its lease.
    fn held(store: &S3Store, path: &str, token: String) -> Lock {
        let confirmed = Arc::new(AtomicU64::new(unix_now()));
        let stop = Arc::new(Notify::new());
        let renewal = store.key(path).ok().map(|key| {
            store.runtime.spawn(renew(
                store.client.clone(),
                key,
                token.clone(),
                confirmed.clone(),
                stop.clone(),
            ))
        });
        Lock {
            path: path.to_string(),
            token,
            confirmed,
            stop,
            renewal,
        }
    }

    /// True when the lock object still carries this writer's token and its lease was renewed
    /// recently enough that no one else can have taken it as expired.
    fn still_held(&self, store: &S3Store) -> Result<bool, StoreError> {
        let age = unix_now().saturating_sub(self.confirmed.load(Ordering::Relaxed));
        if age * 2 > LEASE.as_secs() {
            return Ok(false);
        }
        match store.read(&self.path) {
            Ok(bytes) => Ok(serde_json::from_slice::<LockRecord>(&bytes)
                .is_ok_and(|holder| holder.token == self.token)),
            Err(e) if e.is_not_found() => Ok(false),
            Err(e) => Err(e),
        }
    }
}

/// Renews the lease while the writer works; a failed renewal is tried again soon, and the
/// writer refuses to publish once its lease has gone unconfirmed for half its length. Each
/// renewal replaces exactly the record it read, so it never overwrites a writer that took over.
async fn renew(
    client: Arc<dyn ObjectStore>,
    key: KeyPath,
    token: String,
    confirmed: Arc<AtomicU64>,
    stop: Arc<Notify>,
) {
    let mut wait = LEASE / 6;
    loop {
        let sleep = std::pin::pin!(tokio::time::sleep(wait));
        let stopped = std::pin::pin!(stop.notified());
        if let futures_util::future::Either::Right(_) =
            futures_util::future::select(sleep, stopped).await
        {
            return;
        }
        wait = Duration::from_secs(5);
        let current = match client.get(&key).await {
            Ok(result) => {
                let meta = result.meta.clone();
                result.bytes().await.map(|bytes| (meta, bytes))
            }
            Err(e) => Err(e),
        };
        let meta = match current {
            Ok((meta, bytes)) => {
                if !serde_json::from_slice::<LockRecord>(&bytes).is_ok_and(|h| h.token == token) {
                    // Someone else's now: the writer finds out before it publishes.
                    return;
                }
                meta
            }
            Err(_) => continue,
        };
        let options = PutOptions {
            mode: PutMode::Update(UpdateVersion {
                e_tag: meta.e_tag,
                version: meta.version,
            }),
            ..Default::default()
        };
        if client
            .put_opts(&key, PutPayload::from(lock_record(&token)), options)
            .await
            .is_ok()
        {
            confirmed.store(unix_now(), Ordering::Relaxed);
            wait = LEASE / 6;
        }
    }
}

fn lock_record(token: &str) -> Vec<u8> {
    let record = LockRecord {
        token: token.to_string(),
        host: host_name(),
        pid_namespace: pid_namespace(),
        pid: std::process::id(),
        expires: unix_now() + LEASE.as_secs(),
    };
    serde_json::to_vec(&record).expect("a lock record serializes")
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|name| name.trim().to_string())
        .unwrap_or_default()
}

/// This process's PID namespace (`pid:[4026531836]`), or "" where that cannot be told.
fn pid_namespace() -> String {
    std::fs::read_link("/proc/self/ns/pid")
        .map(|target| target.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn process_exists(pid: u32) -> bool {
    // Without /proc there is no cheap way to tell: trust the lease.
    !std::path::Path::new("/proc/self").exists()
        || std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// A token no other writer has: a hash of the host, the process, the time and the address of a
/// fresh allocation (no random source is needed, only uniqueness).
fn writer_token() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let marker = Box::new(0u8);
    let seed = format!(
        "{}:{}:{}:{nanos}:{:p}",
        host_name(),
        pid_namespace(),
        std::process::id(),
        &*marker
    );
    hex::encode(&Sha256::digest(seed.as_bytes())[..12])
}

/// A large file uploaded in parts straight to its place in the object, and completed only when
/// the version is published: until then the service shows nothing of it.
struct OpenUpload {
    path: String,
    upload: Box<dyn MultipartUpload>,
}

struct S3Update<'a> {
    store: &'a S3Store,
    object_path: String,
    /// The staging prefix of this writer.
    staging: String,
    /// Small files uploaded to the staging prefix, by path relative to the object root.
    staged: Vec<String>,
    /// Small uploads still in flight, with their sizes.
    pending: VecDeque<(JoinHandle<Result<(), StoreError>>, usize)>,
    /// Large files whose parts are all uploaded.
    open_uploads: Vec<OpenUpload>,
    /// The entity tag of the root inventory this version builds on.
    base: Option<String>,
    lock: Lock,
    finished: bool,
}

/// The result of a spawned request; a task that died is an error about `what`.
fn joined<T>(
    result: Result<Result<T, StoreError>, tokio::task::JoinError>,
    what: impl FnOnce() -> String,
) -> Result<T, StoreError> {
    match result {
        Ok(outcome) => outcome,
        Err(e) => Err(StoreError::io("upload", what(), io::Error::other(e))),
    }
}

impl S3Update<'_> {
    fn wait_for_uploads(&mut self) -> Result<(), StoreError> {
        let pending = std::mem::take(&mut self.pending);
        let results = self.store.block_on(futures_util::future::join_all(
            pending.into_iter().map(|(handle, _)| handle),
        ));
        for result in results {
            joined(result, || self.store.describe(&self.object_path))?;
        }
        Ok(())
    }

    /// Refuses to go on when this writer no longer holds the object as it found it.
    /// `outcome` says what is left when it is not: what the caller has done so far.
    fn check_still_ours(&self, outcome: &str) -> Result<(), StoreError> {
        let store = self.store;
        let head_now = store.etag(&join(&self.object_path, "inventory.json"))?;
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
                    .starts_with("0=ocfl_object_")
            });
            if declared {
                return Err(StoreError::Invalid {
                    path: store.describe(&self.object_path),
                    message: "holds an object declaration but no inventory.json: the object is \
                              damaged (run `quire verify`); nothing was written"
                        .into(),
                });
            }
            return store.delete_tree(&self.object_path);
        }
        let version_path = join(&self.object_path, version_dir);
        if store
            .etag(&join(&version_path, "inventory.json"))?
            .is_some()
        {
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
        self.open_uploads.push(OpenUpload {
            path: path.to_string(),
            upload,
        });
        Ok(total)
    }

    /// Stops what is in flight and drops the large uploads (parts already sent are discarded by
    /// the service).
    fn abort_all(&mut self) {
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

impl ObjectUpdate for S3Update<'_> {
    fn write(&mut self, path: &str, content: &mut dyn Read) -> Result<u64, StoreError> {
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
        self.base = self
            .store
            .etag(&join(&self.object_path, "inventory.json"))?;
        Ok(())
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
        let is_inventory = |path: &String| {
            path.rsplit('/')
                .next()
                .is_some_and(|name| name.starts_with("inventory.json"))
        };
        let (inventories, content): (Vec<String>, Vec<String>) = std::mem::take(&mut self.staged)
            .into_iter()
            .partition(is_inventory);
        let uploads = std::mem::take(&mut self.open_uploads);
        self.publish_files(&content, uploads)?;
        // The sidecar before the inventory: a version folder whose inventory.json is there is
        // whole, sidecar included.
        let (sidecars, inventories): (Vec<String>, Vec<String>) = inventories
            .into_iter()
            .partition(|path| !path.ends_with("/inventory.json") && path != "inventory.json");
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
            .partition(|(name, _)| name.starts_with("0="));
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
        if let Some(renewal) = self.lock.renewal.take() {
            // Stop it between renewals and wait, so that no renewal lands after the lock is
            // removed.
            self.lock.stop.notify_one();
            let _ = self.store.block_on(renewal);
        }
        if !self.finished {
            self.abort_all();
        }
        let _ = self.store.delete_tree(&self.staging);
        if let Ok(key) = self.store.key(&self.lock.path) {
            if self.lock.still_held(self.store).unwrap_or(false) {
                let _ = self.store.block_on(self.store.client.delete(&key));
            }
        }
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
            store.describe("0=ocfl_1.1"),
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

    #[test]
    fn a_writer_whose_lease_went_unconfirmed_for_half_its_length_publishes_nothing() {
        let store = S3Store::from_url("s3://library/root").unwrap();
        let lock = |confirmed: u64| Lock {
            path: "extensions/quire-staging/x.lock".into(),
            token: "t".into(),
            confirmed: Arc::new(AtomicU64::new(confirmed)),
            stop: Arc::new(Notify::new()),
            renewal: None,
        };
        // Decided before any request: no server is needed to tell.
        let stale = unix_now() - LEASE.as_secs() / 2 - 1;
        assert!(!lock(stale).still_held(&store).unwrap());
    }

    #[test]
    fn a_lock_is_live_until_its_lease_ends_or_its_local_process_dies() {
        let live = |host: &str, pid: u32, expires: u64| {
            LockRecord {
                token: "t".into(),
                host: host.into(),
                pid_namespace: pid_namespace(),
                pid,
                expires,
            }
            .is_live()
        };
        let later = unix_now() + 60;
        assert!(live("elsewhere", 1, later));
        assert!(!live("elsewhere", 1, unix_now() - 1));
        assert!(live(&host_name(), std::process::id(), later));
        // No process has this id (above the kernel's limit).
        assert!(!live(&host_name(), u32::MAX, later));
        // The same id in another PID namespace (a container) tells nothing: the lease rules.
        let elsewhere = LockRecord {
            token: "t".into(),
            host: host_name(),
            pid_namespace: "pid:[1]".into(),
            pid: u32::MAX,
            expires: later,
        };
        assert!(elsewhere.is_live());
    }
}
