//! A test-only pause, so that a test can kill a writer at a known moment and know that it did.
//!
//! With `QUIRE_TEST_PAUSE_AT=<point>` in its environment, a writer that reaches the named point
//! prints `quire: paused at <point>` on stderr and then waits there, doing nothing, until it
//! is killed. Nothing else uses the variable; unset, a point costs one environment lookup.
//! The points:
//!
//! - `folder-staged`: a folder writer has staged its first file of the new version.
//! - `folder-published`: a folder writer has moved its version into the object; the root
//!   inventory still names the version before.
//! - `bucket-uploading`: a bucket writer has sent every part of a large file; its multipart
//!   upload is open, not completed.
//! - `bucket-publishing`: a bucket writer has copied its version's content files into the
//!   object; the version's inventory is not there yet.
//! - `folder-swap-staged`, `bucket-swap-staged`: a repair has read the replica's copy of a
//!   damaged file aside; nothing in the object has changed yet.
//! - `folder-swapped`, `bucket-swapped`: a repair has swapped one file into the object (the
//!   first it heals), the others still damaged.
//! - `bag-unpacked`: an ingest has unpacked a zipped bag into its work folder; nothing is
//!   checked or written yet.

use std::io::Write;

/// The environment variable naming the point to pause at.
const PAUSE_AT: &str = "QUIRE_TEST_PAUSE_AT";

/// Pauses for good at `point` when the environment asks for it.
pub(crate) fn point(point: &str) {
    if std::env::var_os(PAUSE_AT).is_none_or(|wanted| wanted != point) {
        return;
    }
    let _ = writeln!(std::io::stderr(), "quire: paused at {point}");
    loop {
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}
