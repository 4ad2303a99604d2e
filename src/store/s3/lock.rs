//! The writer's lock on one object in a bucket: a lock object with a lease that a background
//! task renews while the writer works, taken over only when its lease ended or its writer (on
//! this machine) died, and checked again before anything is published.

use super::{S3Store, Store, StoreError};
use object_store::path::Path as KeyPath;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload, UpdateVersion};
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// How long a writer waits before reading its lock back.
const LOCK_SETTLE: Duration = Duration::from_millis(25);
/// How long a writer's lock holds without renewal; it is renewed every third of it.
const LEASE: Duration = Duration::from_secs(120);

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
pub(super) struct Lock {
    pub(super) path: String,
    pub(super) token: String,
    /// When the lease was last written and known to be ours (Unix seconds, this clock).
    confirmed: Arc<AtomicU64>,
    /// Tells the renewal to stop (between renewals, never in the middle of one).
    stop: Arc<Notify>,
    renewal: Option<JoinHandle<()>>,
}

impl Lock {
    pub(super) fn acquire(
        store: &S3Store,
        path: &str,
        object_path: &str,
    ) -> Result<Lock, StoreError> {
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

    /// Stops renewing the lease, between renewals, and waits for that, so that no renewal
    /// lands after the lock is removed.
    pub(super) fn stop_renewal(&mut self, store: &S3Store) {
        if let Some(renewal) = self.renewal.take() {
            self.stop.notify_one();
            let _ = store.block_on(renewal);
        }
    }

    /// Removes the lock object if it is still this writer's (best effort: a lock left behind
    /// expires with its lease).
    pub(super) fn release(&self, store: &S3Store) {
        if let Ok(key) = store.key(&self.path) {
            if self.still_held(store).unwrap_or(false) {
                let _ = store.block_on(store.client.delete(&key));
            }
        }
    }

    /// True when the lock object still carries this writer's token and its lease was renewed
    /// recently enough that no one else can have taken it as expired.
    pub(super) fn still_held(&self, store: &S3Store) -> Result<bool, StoreError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writer_whose_lease_went_unconfirmed_for_half_its_length_publishes_nothing() {
        let store = S3Store::from_url("s3://library/root").unwrap();
        let lock = |confirmed: u64| Lock {
            path: format!("{}/x.lock", crate::store::STAGING_DIR),
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
