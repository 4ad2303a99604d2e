//! Verify throughput against the hashing limits, measured in one run.
//!
//! Builds a synthetic archive in a temporary folder (a few hundred issues, files from 1 KB to
//! 50 MB, about 1.3 GB in all), then prints:
//! - the load average, and `openssl speed -bytes 1048576 -seconds 2 -evp sha512` when openssl
//!   is installed (per CPU second, as openssl counts);
//! - the single-core sha512 rate, hashing an in-memory buffer on one thread, best of three, by
//!   the time that passed and per CPU second (its ratio to OpenSSL's);
//! - `quire verify` throughput (structure and fixity) over the whole archive, best of three;
//! - their ratio (2 cores hash at most 2x the single-core rate), and the rate all cores
//!   reach hashing in memory (sampled again between the verify runs), which is the ceiling on
//!   this machine;
//! - the peak memory while verifying half the archive and the whole of it, beside what the
//!   process held before;
//! - with `--bucket s3://bucket/prefix`: the archive copied there (`quire copy`), and verify's
//!   throughput on the bucket next to the folder figure, best of three each.
//!
//! ```text
//! cargo run --release --example verify_bench [-- ISSUES]
//! eval "$(bash tests/start-garage.sh)"   # a local S3 server, for the bucket figure
//! cargo run --release --example verify_bench -- 100 --bucket s3://$GARAGE_BUCKET/bench
//! ```

mod bench_common;

use bench_common::{peak_rss_kb, reset_peak_rss, rss_kb, HashLimits, MB};
use quire::archive::{Archive, Layout};
use quire::ingest::ingest_folder;
use quire::store::{FsStore, S3Store};
use quire::verify::{verify_root, VerifyOptions};
use std::error::Error;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

fn main() -> Result<(), Box<dyn Error>> {
    let mut issues = 300;
    let mut bucket = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--bucket" {
            bucket = Some(args.next().ok_or("--bucket needs an s3:// URL")?);
        } else {
            issues = arg.parse()?;
        }
    }
    let dir = tempfile::tempdir()?;
    let root = dir.path().join("archive");
    let archive = Archive::init(Box::new(FsStore::new(&root)), Layout::default())?;

    // Sizes log-uniform between 1 KB and 50 MB, from a fixed seed.
    let mut rng = 0x5eed_u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let started = Instant::now();
    let mut total = 0u64;
    let mut half_ids = Vec::new();
    for i in 0..issues {
        let size = (1e3 * (5e4f64).powf((next() % 1_000_000) as f64 / 1e6)) as usize;
        total += write_issue(&dir.path().join("source"), i, size, &mut next)? as u64;
        let options = bench_common::ingest_options();
        ingest_folder(&archive, &dir.path().join("source"), &options)?;
        fs::remove_dir_all(dir.path().join("source"))?;
        if i < issues / 2 {
            half_ids.push(format!("urn:quire:bench-{i:04}"));
        }
    }
    eprintln!(
        "built {issues} issues, {:.0} MB, in {:.1} s",
        total as f64 / MB,
        started.elapsed().as_secs_f64()
    );

    let mut limits = HashLimits::measure();

    let store = FsStore::new(&root);
    let options = VerifyOptions::new();
    // Warm the page cache, so that the figures measure hashing, not the disk.
    verify_root(&store, &[], &options)?;
    reset_peak_rss();
    let held_before = rss_kb();
    let report = verify_root(&store, &half_ids, &options)?;
    let half_peak = peak_rss_kb();
    let half_bytes = report.summary().bytes;
    reset_peak_rss();
    verify_root(&store, &[], &options)?;
    let full_peak = peak_rss_kb();
    let summary = best_verify(&store, &options, &mut || limits.sample_all_cores())?;
    let (single_core, all_cores, cores) = (limits.single_core, limits.all_cores, limits.cores);
    assert!(summary.valid, "the synthetic archive must verify clean");
    let throughput = summary.bytes as f64 / summary.seconds / MB;

    println!(
        "archive: {} objects, {} files, {:.0} MB",
        summary.objects,
        summary.files,
        summary.bytes as f64 / MB
    );
    limits.print();
    println!(
        "quire verify (fixity, {cores} cores): {throughput:.0} MB/s in {:.2} s",
        summary.seconds
    );
    println!(
        "ratio verify / single-core hash: {:.2}",
        throughput / single_core
    );
    println!(
        "verify reaches {:.0}% of what {cores} threads hash in memory",
        100.0 * throughput / all_cores
    );
    println!(
        "peak memory while verifying: {:.1} MB for {:.0} MB of content, {:.1} MB for {:.0} MB \
         (the process held {:.1} MB before)",
        half_peak as f64 / 1024.0,
        half_bytes as f64 / MB,
        full_peak as f64 / 1024.0,
        summary.bytes as f64 / MB,
        held_before as f64 / 1024.0
    );
    if let Some(url) = bucket {
        let started = Instant::now();
        let (copy, _) =
            quire::archive::copy::copy_objects(&archive, Box::new(S3Store::from_url(&url)?), &[])?;
        let copy_rate = summary.bytes as f64 / started.elapsed().as_secs_f64() / MB;
        let on_bucket = best_verify(copy.store(), &options, &mut || ())?;
        assert!(on_bucket.valid, "the copy in the bucket must verify clean");
        let bucket_rate = on_bucket.bytes as f64 / on_bucket.seconds / MB;
        println!("copy folder -> {url}: {copy_rate:.0} MB/s");
        println!(
            "quire verify (fixity) on the bucket: {bucket_rate:.0} MB/s in {:.2} s, folder: {throughput:.0} MB/s",
            on_bucket.seconds
        );
        println!("ratio bucket / folder: {:.2}", bucket_rate / throughput);
    }
    if std::env::var_os("QUIRE_BENCH_KEEP").is_some() {
        eprintln!("kept the archive in {}", dir.keep().display());
    }
    Ok(())
}

/// The fastest of three whole-archive verifications, with `between` run before each.
fn best_verify(
    store: &dyn quire::store::Store,
    options: &VerifyOptions,
    between: &mut dyn FnMut(),
) -> Result<quire::verify::Summary, Box<dyn Error>> {
    let mut best: Option<quire::verify::Summary> = None;
    for _ in 0..3 {
        between();
        let s = verify_root(store, &[], options)?.summary();
        if best.as_ref().is_none_or(|b| s.seconds < b.seconds) {
            best = Some(s);
        }
    }
    Ok(best.expect("three runs"))
}

/// Writes one issue source folder with a scan of `size` bytes; returns the bytes written.
fn write_issue(
    folder: &Path,
    index: usize,
    size: usize,
    next: &mut impl FnMut() -> u64,
) -> std::io::Result<usize> {
    fs::create_dir_all(folder.join("articles"))?;
    fs::create_dir_all(folder.join("sources"))?;
    let toml = format!(
        "[publication]\ntitle = \"Bench Review\"\n\n[issue]\nid = \"bench-{index:04}\"\n\n[[articles]]\nid = \"a\"\ntitle = \"Article\"\nbody = \"articles/a.md\"\nsources = [{{ file = \"sources/scan.bin\" }}]\n"
    );
    fs::write(folder.join("issue.toml"), &toml)?;
    let body = format!("Body of issue {index}.\n").repeat(100);
    fs::write(folder.join("articles/a.md"), &body)?;
    let mut file = std::io::BufWriter::with_capacity(
        1 << 20,
        fs::File::create(folder.join("sources/scan.bin"))?,
    );
    let mut written = 0;
    while written < size {
        let chunk = next().to_le_bytes();
        let n = chunk.len().min(size - written);
        file.write_all(&chunk[..n])?;
        written += n;
    }
    file.flush()?;
    Ok(size + toml.len() + body.len())
}
