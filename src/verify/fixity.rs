//! The hashing pass: every content file read once, streaming, with all the digests it needs,
//! spread over all cores.

use super::{Code, Progress, Sample};
use crate::archive::digest::{fixity_hasher, Hasher};
use crate::store::{read_chunks, Store, StoreError};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Extension 0009's fixity "algorithm" that is a byte count, not a digest.
const SIZE: &str = "size";

/// A digest a file must have, and the code to report if it does not.
#[derive(Debug, Clone)]
pub struct Expected {
    pub algorithm: String,
    pub digest: String,
    pub code: Code,
    /// Which inventory records it, for the message: `the inventory` or `v1/inventory.json`.
    pub recorded_by: String,
}

/// One content file to hash.
#[derive(Debug, Clone)]
pub struct Job {
    /// Index of the object report it belongs to.
    pub object: usize,
    pub store_path: String,
    pub size: u64,
    pub expected: Vec<Expected>,
}

/// The outcome for one file.
pub struct JobResult {
    pub object: usize,
    pub store_path: String,
    pub bytes: u64,
    pub findings: Vec<(Code, String)>,
}

/// True when the sample takes this file: a hash of the seed and the path, so the choice is
/// the same in every run and does not depend on the order of files.
pub fn sampled(sample: Sample, path: &str) -> bool {
    // FNV-1a, then a SplitMix64 finish for an even spread.
    let mut h: u64 = 0xcbf29ce484222325 ^ sample.seed.wrapping_mul(0x9e3779b97f4a7c15);
    for byte in path.bytes() {
        h = (h ^ byte as u64).wrapping_mul(0x100000001b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d049bb133111eb);
    h ^= h >> 31;
    (h as f64 / u64::MAX as f64) < sample.fraction
}

/// Hashes all jobs in parallel, largest first so that the cores finish together.
pub fn run(
    store: &dyn Store,
    mut jobs: Vec<Job>,
    progress: Option<Arc<dyn Fn(Progress) + Send + Sync>>,
) -> Result<Vec<JobResult>, StoreError> {
    jobs.sort_by(|a, b| {
        b.size
            .cmp(&a.size)
            .then_with(|| a.store_path.cmp(&b.store_path))
    });
    let total: u64 = jobs.iter().map(|j| j.size).sum();
    let done = AtomicU64::new(0);
    let report = |bytes: u64| {
        let bytes_done = done.fetch_add(bytes, Ordering::Relaxed) + bytes;
        if let Some(progress) = &progress {
            progress(Progress {
                bytes_done,
                bytes_total: total,
            });
        }
    };
    // One file per work item: rayon's default splitting left one core idle once the other
    // held the run of largest files (measured: 1.2 cores busy instead of 1.9).
    crate::store::in_read_pool(store, || {
        jobs.into_par_iter()
            .with_max_len(1)
            .map(|job| hash_one(store, job, &report))
            .collect()
    })
}

fn hash_one(
    store: &dyn Store,
    job: Job,
    report: &(dyn Fn(u64) + Sync),
) -> Result<JobResult, StoreError> {
    let mut result = JobResult {
        object: job.object,
        store_path: job.store_path.clone(),
        bytes: 0,
        findings: Vec::new(),
    };
    // One hasher per algorithm, however many inventories record a digest in it; algorithms
    // OCFL does not name are ignored (E028), `size` counted.
    let mut hashers: BTreeMap<&str, Hasher> = job
        .expected
        .iter()
        .filter_map(|e| Some((e.algorithm.as_str(), fixity_hasher(&e.algorithm)?)))
        .collect();
    let mut reader = match store.open(&job.store_path) {
        Ok(reader) => reader,
        Err(e) if e.is_not_found() => {
            result.findings.push((
                Code::E092,
                "the manifest lists this file but it is missing".into(),
            ));
            return Ok(result);
        }
        Err(e) => return Err(e),
    };
    read_chunks(&mut reader, |chunk| {
        for hasher in hashers.values_mut() {
            hasher.update(chunk);
        }
        result.bytes += chunk.len() as u64;
        report(chunk.len() as u64);
        Ok(())
    })
    .map_err(|e| StoreError::io("read", store.describe(&job.store_path), e))?;
    let actual: BTreeMap<&str, String> = hashers
        .into_iter()
        .map(|(algorithm, hasher)| (algorithm, hasher.finish()))
        .collect();
    for expected in &job.expected {
        // Extension 0009's `size`: the file's length in bytes, "in decimal notation, with no
        // padding" (`011` is no size of 11 bytes).
        let size = (expected.algorithm == SIZE).then(|| result.bytes.to_string());
        let Some(actual) = size.as_ref().or(actual.get(expected.algorithm.as_str())) else {
            continue;
        };
        if !actual.eq_ignore_ascii_case(&expected.digest) {
            result.findings.push((
                expected.code,
                match size {
                    Some(_) => format!(
                        "the file is {actual} bytes long, {} records a size of {}",
                        expected.recorded_by, expected.digest
                    ),
                    None => format!(
                        "{} digest is {actual}, {} records {}",
                        expected.algorithm, expected.recorded_by, expected.digest
                    ),
                },
            ));
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampling_is_reproducible_and_close_to_the_fraction() {
        let sample = Sample {
            fraction: 0.25,
            seed: 7,
        };
        let paths: Vec<String> = (0..4000)
            .map(|i| format!("obj/v1/content/file-{i}"))
            .collect();
        let chosen: Vec<bool> = paths.iter().map(|p| sampled(sample, p)).collect();
        assert_eq!(
            chosen,
            paths.iter().map(|p| sampled(sample, p)).collect::<Vec<_>>()
        );
        let count = chosen.iter().filter(|c| **c).count();
        assert!((850..1150).contains(&count), "{count}");
        let other_seed: Vec<bool> = paths
            .iter()
            .map(|p| {
                sampled(
                    Sample {
                        fraction: 0.25,
                        seed: 8,
                    },
                    p,
                )
            })
            .collect();
        assert_ne!(chosen, other_seed);
    }
}
