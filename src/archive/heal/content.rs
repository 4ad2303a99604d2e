//! The content files of an object being healed: the digests its sound inventories record for
//! each, which files are missing or no longer have them, and putting back the replica's copy
//! of a damaged one only when its bytes have them all.

use super::objects::ObjectFiles;
use super::{FileRole, Healed, NotHealed};
use crate::archive::digest::{DigestAlgorithm, Hasher};
use crate::archive::inventory::Inventory;
use crate::store::{in_read_pool, join, ObjectUpdate, Store, StoreError};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Read};

/// Bytes hashed at a time.
const BUFFER: usize = 1 << 20;

/// The digests a content file must have: one per algorithm its inventories use.
pub(super) type Wanted = BTreeMap<DigestAlgorithm, String>;

/// What the sound inventories record for each content path, and the paths for which they
/// record different digests in the same algorithm (which no replica can settle).
#[derive(Default)]
pub(super) struct Expected {
    pub digests: BTreeMap<String, Wanted>,
    pub conflicts: BTreeSet<String>,
}

impl Expected {
    pub fn from<'a>(inventories: impl Iterator<Item = &'a Inventory>) -> Expected {
        let mut expected = Expected::default();
        for inventory in inventories {
            let algorithm = inventory.digest_algorithm;
            for (digest, paths) in &inventory.manifest {
                let digest = digest.to_ascii_lowercase();
                for path in paths {
                    let wanted = expected.digests.entry(path.clone()).or_default();
                    match wanted.get(&algorithm) {
                        Some(known) if *known != digest => {
                            expected.conflicts.insert(path.clone());
                        }
                        _ => {
                            wanted.insert(algorithm, digest.clone());
                        }
                    }
                }
            }
        }
        expected
    }
}

/// A reader that hashes what passes through it with several algorithms at once.
pub(super) struct HashingReader<R> {
    inner: R,
    hashers: Vec<(DigestAlgorithm, Hasher)>,
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R, wanted: &Wanted) -> Self {
        let hashers = wanted.keys().map(|a| (*a, a.hasher())).collect();
        HashingReader { inner, hashers }
    }

    /// Reads to the end, returning the byte count.
    pub fn drain(&mut self) -> io::Result<u64> {
        let mut buffer = vec![0; BUFFER];
        let mut total = 0;
        loop {
            match self.read(&mut buffer)? {
                0 => return Ok(total),
                n => total += n as u64,
            }
        }
    }

    /// What is wrong with the bytes read, measured against `wanted`; `None` when nothing.
    pub fn mismatch(self, wanted: &Wanted) -> Option<String> {
        self.hashers.into_iter().find_map(|(algorithm, hasher)| {
            let found = hasher.finish();
            let recorded = &wanted[&algorithm];
            (found != *recorded).then(|| {
                format!(
                    "{algorithm} {} where the inventory records {}",
                    short(&found),
                    short(recorded)
                )
            })
        })
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (_, hasher) in &mut self.hashers {
            hasher.update(&buf[..n]);
        }
        Ok(n)
    }
}

/// A digest shortened for messages: its first and last six characters.
fn short(digest: &str) -> String {
    if digest.len() <= 16 {
        return digest.to_string();
    }
    format!("{}…{}", &digest[..8], &digest[digest.len() - 6..])
}

/// The content files that are missing or whose bytes do not have their recorded digests, each
/// with what is wrong; hashed in parallel, every file read once.
pub(super) fn damaged(
    store: &dyn Store,
    object: &ObjectFiles,
    expected: &Expected,
) -> Result<Vec<(String, String)>, StoreError> {
    let checked: Vec<Option<(String, String)>> = in_read_pool(store, || {
        use rayon::prelude::*;
        expected
            .digests
            .par_iter()
            .filter(|(path, _)| !expected.conflicts.contains(*path))
            .map(|(path, wanted)| {
                let why = check(store, object, path, wanted)?;
                Ok(why.map(|why| (path.clone(), why)))
            })
            .collect::<Result<_, StoreError>>()
    })?;
    Ok(checked.into_iter().flatten().collect())
}

/// What is wrong with one content file, or `None` when its bytes are right.
fn check(
    store: &dyn Store,
    object: &ObjectFiles,
    path: &str,
    wanted: &Wanted,
) -> Result<Option<String>, StoreError> {
    if !object.files.contains_key(path) {
        return Ok(Some("missing".into()));
    }
    let full = join(&object.path, path);
    let reader = match store.open(&full) {
        Ok(reader) => reader,
        Err(StoreError::NotFound { .. }) => return Ok(Some("missing".into())),
        Err(StoreError::Invalid { .. }) => return Ok(Some("not a regular file".into())),
        Err(e) => return Err(e),
    };
    let mut hashing = HashingReader::new(reader, wanted);
    hashing
        .drain()
        .map_err(|e| StoreError::io("read", store.describe(&full), e))?;
    Ok(hashing.mismatch(wanted))
}

/// Where healing reads from: the replica's copy of this object.
pub(super) struct Source<'a> {
    pub store: &'a dyn Store,
    pub path: &'a str,
}

/// Puts back each damaged content file from the replica, when the replica's bytes have every
/// digest this object's sound inventories record for it; reports what it could not.
pub(super) fn heal(
    source: &Source,
    object: &ObjectFiles,
    damaged: Vec<(String, String)>,
    expected: &Expected,
    update: &mut dyn ObjectUpdate,
    done: &mut (Vec<Healed>, Vec<NotHealed>),
) -> Result<(), StoreError> {
    for (path, why) in damaged {
        let wanted = &expected.digests[&path];
        let not_healed = |reason: String| NotHealed {
            path: join(&object.path, &path),
            role: FileRole::Content,
            reason: format!("{why}; {reason}"),
        };
        let copy_path = join(source.path, &path);
        let reader = match source.store.open(&copy_path) {
            Ok(reader) => reader,
            Err(StoreError::NotFound { .. } | StoreError::Invalid { .. }) => {
                done.1
                    .push(not_healed("the replica holds no copy of it".into()));
                continue;
            }
            Err(e) => return Err(e),
        };
        let mut hashing = HashingReader::new(reader, wanted);
        let bytes = update.stage_swap(&path, &mut hashing)?;
        if let Some(mismatch) = hashing.mismatch(wanted) {
            let reason = format!(
                "the replica's copy {} is damaged too ({mismatch})",
                source.store.describe(&copy_path)
            );
            done.1.push(not_healed(reason));
            continue;
        }
        update.swap_file(&path)?;
        done.0.push(Healed {
            path: join(&object.path, &path),
            role: FileRole::Content,
            bytes,
            why,
            from: source.store.describe(&copy_path),
        });
    }
    Ok(())
}

/// The conflicting content paths, reported as damage no replica can settle.
pub(super) fn conflicts(object: &ObjectFiles, expected: &Expected) -> Vec<NotHealed> {
    expected
        .conflicts
        .iter()
        .map(|path| NotHealed {
            path: join(&object.path, path),
            role: FileRole::Content,
            reason: "this object's sound inventories record different digests for it".into(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inventory(algorithm: &str, digest: &str) -> Inventory {
        serde_json::from_value(serde_json::json!({
            "id": "urn:x",
            "type": crate::archive::inventory::INVENTORY_TYPE_1_1,
            "digestAlgorithm": algorithm,
            "head": "v1",
            "manifest": {digest: ["v1/content/a.md"]},
            "versions": {"v1": {"created": "2026-01-01T00:00:00Z", "state": {digest: ["a.md"]}}},
        }))
        .unwrap()
    }

    #[test]
    fn a_file_must_have_the_digest_of_every_inventory_that_records_it() {
        let (a, b) = (inventory("sha512", "AA"), inventory("sha256", "bb"));
        let expected = Expected::from([&a, &b].into_iter());
        let wanted = &expected.digests["v1/content/a.md"];
        assert_eq!(wanted[&DigestAlgorithm::Sha512], "aa", "compared lowercase");
        assert_eq!(wanted[&DigestAlgorithm::Sha256], "bb");
        assert!(expected.conflicts.is_empty());
    }

    #[test]
    fn inventories_that_record_different_digests_leave_a_file_to_no_replica() {
        let (a, b) = (inventory("sha512", "aa"), inventory("sha512", "cc"));
        let expected = Expected::from([&a, &b].into_iter());
        assert!(expected.conflicts.contains("v1/content/a.md"));
    }

    #[test]
    fn bytes_are_checked_against_every_wanted_digest() {
        let bytes = b"the text";
        let wanted: Wanted = [
            (
                DigestAlgorithm::Sha512,
                DigestAlgorithm::Sha512.digest(bytes),
            ),
            (
                DigestAlgorithm::Sha256,
                DigestAlgorithm::Sha256.digest(bytes),
            ),
        ]
        .into();
        let mut reader = HashingReader::new(&bytes[..], &wanted);
        assert_eq!(reader.drain().unwrap(), 8);
        assert_eq!(reader.mismatch(&wanted), None);
        let mut other = HashingReader::new(&b"the test"[..], &wanted);
        other.drain().unwrap();
        let why = other.mismatch(&wanted).unwrap();
        assert!(
            why.starts_with("sha256 ") && why.contains("where the inventory records"),
            "{why}"
        );
    }
}
