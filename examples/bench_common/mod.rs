//! The hashing limits both benchmarks print beside their own figures, measured in the same
//! run: OpenSSL's sha512 rate, quire's on one core and on every core, and the machine's load
//! (the figures of a shared machine mean little without it).

// Each benchmark uses part of this.
#![allow(dead_code)]

use quire::archive::{DigestAlgorithm, User};
use quire::ingest::IngestOptions;
use std::process::Command;
use std::time::Instant;

pub const MB: f64 = 1_000_000.0;

/// Hashing rates in MB/s (10^6 bytes), all in memory.
pub struct HashLimits {
    /// `openssl speed -bytes 1048576 -seconds 2 -evp sha512`, when openssl is installed. It
    /// divides by the CPU time it used, not by the time that passed.
    pub openssl: Option<f64>,
    /// quire's sha512 on one thread, by the time that passed (best of three).
    pub single_core: f64,
    /// The same, per second the thread was on a CPU (best of three): the figure to hold
    /// against OpenSSL's on a loaded machine.
    pub single_core_cpu: f64,
    pub cores: usize,
    /// Every core hashing at once, by the time that passed (best of three, and of the samples
    /// taken between the runs it is compared with): the ceiling for verify and ingest here.
    pub all_cores: f64,
}

impl HashLimits {
    pub fn measure() -> HashLimits {
        let openssl = openssl_sha512();
        let single = (0..3).map(|_| hash_rate(1)).collect::<Vec<_>>();
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        let all_cores = (0..3).map(|_| hash_rate(cores).0).fold(0.0, f64::max);
        HashLimits {
            openssl,
            single_core: single.iter().map(|r| r.0).fold(0.0, f64::max),
            single_core_cpu: single.iter().map(|r| r.1).fold(0.0, f64::max),
            cores,
            all_cores,
        }
    }

    /// Takes one more sample of the all-cores rate, keeping the best: called between the runs
    /// of what is compared with it, so that both see the same moments of a shared machine.
    pub fn sample_all_cores(&mut self) {
        self.all_cores = self.all_cores.max(hash_rate(self.cores).0);
    }

    pub fn print(&self) {
        println!("load average (1, 5, 15 min): {}", load_average());
        match self.openssl {
            Some(rate) => println!(
                "openssl speed -bytes 1048576 -seconds 2 -evp sha512: {rate:.0} MB/s (per CPU second)"
            ),
            None => println!("openssl speed: not installed"),
        }
        print!(
            "quire single-core sha512 (in memory): {:.0} MB/s, {:.0} MB/s per CPU second",
            self.single_core, self.single_core_cpu
        );
        match self.openssl {
            Some(rate) => println!(", {:.0}% of OpenSSL", 100.0 * self.single_core_cpu / rate),
            None => println!(),
        }
        println!(
            "{} threads sha512 (in memory): {:.0} MB/s, {:.2} x single-core",
            self.cores,
            self.all_cores,
            self.all_cores / self.single_core
        );
    }
}

/// OpenSSL's sha512 rate in MB/s, from its `sha512 ... NNNk` line (1000s of bytes a second).
fn openssl_sha512() -> Option<f64> {
    let output = Command::new("openssl")
        .args([
            "speed", "-bytes", "1048576", "-seconds", "2", "-evp", "sha512",
        ])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().rev().find(|l| l.starts_with("sha512"))?;
    let thousands: f64 = line
        .split_whitespace()
        .last()?
        .strip_suffix('k')?
        .parse()
        .ok()?;
    Some(thousands * 1000.0 / MB)
}

/// `threads` threads each hashing a 1 MiB buffer again and again (it stays in cache, as the
/// 1 MiB reads of verify and ingest do, so this is sha512's own speed): MB/s by the time that
/// passed and by the CPU time of the threads.
fn hash_rate(threads: usize) -> (f64, f64) {
    let buffer: Vec<u8> = (0..1 << 20).map(|i| (i * 31 % 251) as u8).collect();
    let rounds = 600;
    let started = Instant::now();
    let cpu_seconds: f64 = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let cpu_start = thread_cpu_seconds();
                    let mut hasher = DigestAlgorithm::Sha512.hasher();
                    for _ in 0..rounds {
                        hasher.update(std::hint::black_box(&buffer));
                    }
                    std::hint::black_box(hasher.finish());
                    thread_cpu_seconds() - cpu_start
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or(0.0)).sum()
    });
    let bytes = (threads * rounds * buffer.len()) as f64;
    let wall = bytes / started.elapsed().as_secs_f64() / MB;
    let cpu = if cpu_seconds > 0.0 {
        bytes / cpu_seconds / MB
    } else {
        wall
    };
    (wall, cpu)
}

/// The time this thread has been on a CPU (Linux: the first field of its schedstat, in
/// nanoseconds); 0 where that cannot be read.
fn thread_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e9)
}

/// The CPU time this process has used, user and system, all threads (Linux: /proc/self/stat,
/// in ticks of 1/100 s); 0 where that cannot be read.
pub fn process_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The fields after the command name, which ends with the last `)`: utime and stime are
    // the 12th and 13th of them.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    match (ticks(11), ticks(12)) {
        (Some(user), Some(system)) => (user + system) / 100.0,
        _ => 0.0,
    }
}

/// The load averages, from /proc/loadavg (the machine has `cores` CPUs).
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// Resets the peak resident memory counter (Linux: `5` into clear_refs).
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The process's peak resident memory (VmHWM), in KiB; 0 where /proc is not available.
pub fn peak_rss_kb() -> u64 {
    status_kb("VmHWM:")
}

/// The process's resident memory now (VmRSS), in KiB; 0 where /proc is not available.
pub fn rss_kb() -> u64 {
    status_kb("VmRSS:")
}

fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1).map(|n| n.parse().unwrap_or(0)))
        })
        .unwrap_or(0)
}

/// The options every benchmark ingests with: a fixed user and date, so runs compare.
pub fn ingest_options() -> IngestOptions {
    IngestOptions {
        message: None,
        user: Some(User {
            name: "bench".into(),
            address: Some("mailto:bench@example.org".into()),
        }),
        created: "2026-01-01T00:00:00Z".parse().expect("a valid date"),
        dry_run: false,
    }
}
