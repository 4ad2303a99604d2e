//! Ingest throughput beside the hashing limits, measured in one run.
//!
//! Writes a 322 MB source folder in a temporary folder (20 files of 16 MB and 40 small ones,
//! like a scanned issue), then prints:
//! - the load average, `openssl speed -evp sha512` when openssl is installed, and quire's
//!   sha512 rate on one core and on every core, in memory;
//! - a plain copy of the folder, one file after another with an fsync each: what the disk
//!   takes for the bytes alone;
//! - `ingest` of the folder into a new archive, best of three (a fresh archive each time),
//!   and its ratio to the hashing limits;
//! - the CPU time an ingest takes, beside what hashing alone takes of it, and the peak memory
//!   while ingesting;
//! - a second version of it in which one 16 MB file changed, best of three.
//!
//! ```text
//! cargo run --release --example ingest_bench
//! ```

mod bench_common;

use bench_common::{
    ingest_options as options, peak_rss_kb, process_cpu_seconds, reset_peak_rss, HashLimits, MB,
};
use quire::archive::{Archive, Layout};
use quire::ingest::{ingest_folder, IngestReport};
use std::error::Error;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

const LARGE_FILES: usize = 20;
const LARGE_SIZE: usize = 16_000_000;
const SMALL_SIZE: usize = 40_000;

fn main() -> Result<(), Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    let folder = dir.path().join("issue");
    let total = write_folder(&folder, 0x5eed)?;
    let mut limits = HashLimits::measure();

    let copy_seconds = best_of_three(|| copy_with_fsync(&folder, &dir.path().join("copy")))?;
    let mut last = None;
    let mut cpu_seconds = f64::MAX;
    reset_peak_rss();
    let ingest_seconds = best_of_three(|| {
        limits.sample_all_cores();
        let (seconds, cpu, report) = ingest_fresh(dir.path(), &folder)?;
        cpu_seconds = cpu_seconds.min(cpu);
        last = Some(report);
        Ok(seconds)
    })?;
    let peak = peak_rss_kb();
    let report = last.ok_or("no ingest ran")?;
    assert!(report.outcome.committed && report.outcome.stored_bytes >= total as u64 - 1000);

    // One 16 MB file changed: the rest is only hashed.
    let changed = dir.path().join("changed");
    let second_seconds = best_of_three(|| {
        let archive = fresh_archive(dir.path())?;
        ingest_folder(&archive, &folder, &options())?;
        let _ = fs::remove_dir_all(&changed);
        fs::rename(&folder, &changed)?;
        let mut scan = fs::OpenOptions::new()
            .write(true)
            .open(changed.join("sources/scan-07.bin"))?;
        scan.write_all(b"changed")?;
        let started = Instant::now();
        let report = ingest_folder(&archive, &changed, &options())?;
        let seconds = started.elapsed().as_secs_f64();
        assert_eq!(report.outcome.stored_files, 1);
        fs::rename(&changed, &folder)?;
        // Back as it was, for the next round.
        write_scan(&folder.join("sources/scan-07.bin"), 7, 0x5eed)?;
        Ok(seconds)
    })?;

    let rate = |seconds: f64| total as f64 / seconds / MB;
    println!(
        "source folder: {} files, {:.0} MB",
        3 * LARGE_FILES + 1,
        total as f64 / MB
    );
    limits.print();
    println!(
        "plain copy, one file after another, fsync each: {:.0} MB/s",
        rate(copy_seconds)
    );
    let ingest = rate(ingest_seconds);
    println!(
        "quire ingest (new object, {} files stored): {ingest:.0} MB/s in {ingest_seconds:.2} s",
        report.outcome.stored_files
    );
    println!(
        "ingest reaches {:.0}% of what {} threads hash in memory, {:.2} x the single-core rate",
        100.0 * ingest / limits.all_cores,
        limits.cores,
        ingest / limits.single_core
    );
    println!(
        "CPU time of an ingest (user and system, least of three): {cpu_seconds:.2} s; hashing \
         alone takes {:.2} s of it",
        total as f64 / MB / limits.single_core_cpu
    );
    println!(
        "peak memory while ingesting: {:.1} MB (the process, benchmark buffers included)",
        peak as f64 / 1024.0
    );
    println!(
        "quire ingest (second version, one 16 MB file changed): {:.0} MB/s in {second_seconds:.2} s",
        rate(second_seconds)
    );
    Ok(())
}

/// A new, empty storage root in `dir/archive` (an earlier one removed).
fn fresh_archive(dir: &Path) -> Result<Archive, Box<dyn Error>> {
    let root = dir.join("archive");
    let _ = fs::remove_dir_all(&root);
    Ok(Archive::init(
        Box::new(quire::store::FsStore::new(&root)),
        Layout::default(),
    )?)
}

/// Ingests `folder` into a new archive: the seconds it took, the CPU seconds it used, and the
/// report.
fn ingest_fresh(dir: &Path, folder: &Path) -> Result<(f64, f64, IngestReport), Box<dyn Error>> {
    let archive = fresh_archive(dir)?;
    let cpu_before = process_cpu_seconds();
    let started = Instant::now();
    let report = ingest_folder(&archive, folder, &options())?;
    let seconds = started.elapsed().as_secs_f64();
    Ok((seconds, process_cpu_seconds() - cpu_before, report))
}

fn best_of_three(
    mut run: impl FnMut() -> Result<f64, Box<dyn Error>>,
) -> Result<f64, Box<dyn Error>> {
    let mut best = f64::MAX;
    for _ in 0..3 {
        best = best.min(run()?);
    }
    Ok(best)
}

/// Copies every file of `from` into `to` (made anew), syncing each: the seconds it took.
fn copy_with_fsync(from: &Path, to: &Path) -> Result<f64, Box<dyn Error>> {
    let _ = fs::remove_dir_all(to);
    let started = Instant::now();
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry?;
        let target = to.join(entry.path().strip_prefix(from)?);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target)?;
        } else {
            fs::copy(entry.path(), &target)?;
            fs::File::open(&target)?.sync_all()?;
        }
    }
    Ok(started.elapsed().as_secs_f64())
}

/// Writes the source folder: 20 articles, each with a small body and a 16 MB scan, and 20
/// small assets; returns the bytes written.
fn write_folder(folder: &Path, seed: u64) -> std::io::Result<usize> {
    fs::create_dir_all(folder.join("articles"))?;
    fs::create_dir_all(folder.join("sources"))?;
    fs::create_dir_all(folder.join("assets"))?;
    let mut toml =
        String::from("[publication]\ntitle = \"Bench Review\"\n\n[issue]\nid = \"ingest-bench\"\n");
    let mut total = 0;
    for i in 0..LARGE_FILES {
        toml.push_str(&format!(
            "\n[[articles]]\nid = \"a{i:02}\"\ntitle = \"Article {i}\"\nbody = \"articles/a{i:02}.md\"\nsources = [{{ file = \"sources/scan-{i:02}.bin\" }}]\n"
        ));
        let body =
            format!("Body of article {i}, a line long enough to repeat.\n").repeat(SMALL_SIZE / 50);
        fs::write(folder.join(format!("articles/a{i:02}.md")), &body)?;
        let note = format!("Note {i} on the plates.\n").repeat(SMALL_SIZE / 20);
        fs::write(folder.join(format!("assets/note-{i:02}.txt")), &note)?;
        total += body.len() + note.len();
        total += write_scan(&folder.join(format!("sources/scan-{i:02}.bin")), i, seed)?;
    }
    fs::write(folder.join("issue.toml"), &toml)?;
    Ok(total + toml.len())
}

/// Writes scan `index`: 16 MB from a fixed seed, different for every scan.
fn write_scan(path: &Path, index: usize, seed: u64) -> std::io::Result<usize> {
    let mut rng = seed ^ (index as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut bytes = Vec::with_capacity(LARGE_SIZE);
    while bytes.len() < LARGE_SIZE {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        bytes.extend_from_slice(&rng.to_le_bytes());
    }
    bytes.truncate(LARGE_SIZE);
    fs::write(path, &bytes)?;
    Ok(LARGE_SIZE)
}
