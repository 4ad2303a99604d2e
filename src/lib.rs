//! quire keeps a publication's issues in an [OCFL 1.1](https://ocfl.io/1.1/spec/) storage
//! root: one object per issue, every change a new immutable version, content addressed by
//! sha512, readable by any other OCFL tool. The `quire` command line is a thin layer over this
//! library.
//!
//! # A tour
//!
//! - [`model`]: the publication, issue, section and article types, and the strict reading of
//!   an issue *source folder* (`issue.toml`, `articles/*.md`, `assets/`, `sources/`), and
//!   the issue id ↔ OCFL object id mapping ([`model::object_id`]).
//! - [`store`]: the few storage operations the archive needs ([`store::Store`]), with two
//!   backends: a local folder ([`store::FsStore`]) and an S3 bucket (`store::S3Store`, with the
//!   `s3` feature); [`store::open_location`] picks one from a path or an `s3://bucket/prefix`
//!   URL.
//! - [`archive`]: OCFL itself: storage roots and layouts, inventories, objects and versions;
//!   [`archive::Archive::commit_version`] is the one way in,
//!   [`archive::Archive::open_version`] finds the version an `ID@vN` names, and
//!   [`archive::copy`] moves whole objects between roots, and [`archive::heal`] mends damaged
//!   files from a replica root, trusting only what digests vouch for.
//! - [`ingest`]: source folders, BagIt bags ([`ingest::bag`]) and web captures
//!   ([`ingest::web`]) into versions, or a dry run that reports what would be stored.
//! - [`verify`]: a validator for any OCFL 1.0 or 1.1 root or object, with parallel fixity
//!   checking; its findings are data with the spec's codes.
//! - [`export`]: outputs made from one archived version ([`export::Edition`]): the PDF
//!   edition ([`export::pdf`]), the EPUB ([`export::epub`]), both through
//!   [`export::render`], the BagIt bags ([`export::bag`]), the distribution feeds
//!   ([`export::feeds`]) and whole-archive exports ([`export::batch`]); the one sanitizer of
//!   body HTML ([`export::sanitize`]).
//! - `site` (with the `site` feature): the web edition, a static site of the whole archive
//!   with search, feeds and incremental builds.
//!
//! # Features
//!
//! All are on by default; a library user who needs none sets `default-features = false`.
//!
//! - `cli`: the `quire` binary (clap, indicatif, anyhow).
//! - `s3`: storage roots in S3 buckets (object_store, tokio). Without it,
//!   [`store::open_location`] refuses an `s3://` URL, saying that quire was built without S3
//!   support.
//! - `site`: the web edition (askama, pagefind, hyper).
//!
//! # Example
//!
//! Create a storage root, ingest the sample issue and list what the archive holds:
//!
//! ```
//! use quire::archive::{Archive, Layout, User};
//! use quire::ingest::{ingest_folder, IngestOptions};
//! use quire::store::FsStore;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let archive = Archive::init(Box::new(FsStore::new(dir.path().join("archive"))), Layout::default())?;
//! let options = IngestOptions {
//!     message: Some("First ingest".into()),
//!     user: Some(User { name: "A. Librarian".into(), address: Some("mailto:librarian@example.org".into()) }),
//!     created: "2026-01-01T00:00:00Z".parse()?,
//!     dry_run: false,
//! };
//! let report = ingest_folder(&archive, "examples/issue".as_ref(), &options)?;
//! assert_eq!(report.outcome.version, "v1");
//! for entry in archive.objects()? {
//!     let object = archive.object_at(&entry)?;
//!     println!("{} {}", entry.id, object.head());
//! }
//!
//! // Validate what was written, every file's digest included.
//! let report = quire::verify::verify_root(archive.store(), &[], &quire::verify::VerifyOptions::new())?;
//! assert!(report.summary().valid);
//! # Ok(())
//! # }
//! ```

pub mod archive;
pub mod export;
pub mod ingest;
pub mod model;
pub mod ocfl;
#[cfg(feature = "site")]
pub mod site;
pub mod store;
#[cfg(test)]
mod testing;
pub mod verify;
pub mod work;

/// The failure under an error of a folder walk, for a `{ path, cause }` error: walkdir's own
/// message repeats it, and the path is named by the caller. A loop of links has no failure
/// under it and stays whole.
pub(crate) fn walk_failure(e: walkdir::Error) -> std::io::Error {
    if e.io_error().is_some() {
        e.into_io_error().expect("an I/O error was checked for")
    } else {
        std::io::Error::other(e)
    }
}

/// What stands in the way of writing `path` (a file, or with `folder` a folder), when the
/// system's own word would mislead ("File exists" for a parent that is a file): the path is a
/// folder where a file is wanted (or a file where a folder is), or a part above it is a file.
pub(crate) fn in_the_way(path: &std::path::Path, folder: bool) -> Option<String> {
    if let Ok(meta) = std::fs::metadata(path) {
        return match (folder, meta.is_dir()) {
            (false, true) => Some(format!(
                "is a folder; give the name of the file to write, such as {}",
                path.join("NAME").display()
            )),
            (true, false) => Some("is a file, not a folder".into()),
            _ => None,
        };
    }
    let above = path
        .ancestors()
        .skip(1)
        .filter(|a| !a.as_os_str().is_empty())
        .find(|a| a.exists())?;
    (!above.is_dir()).then(|| format!("{} is a file, not a folder", above.display()))
}

/// An error and the causes under it, joined with ": " (each says only its own part).
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(next) = cause {
        text.push_str(": ");
        text.push_str(&next.to_string());
        cause = next.source();
    }
    text
}

/// `n` and a noun, the noun in the plural unless `n` is one: `1 issue`, `2 issues`.
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", plural(n))
}

/// The plural ending for a count: empty for one, `s` otherwise.
pub fn plural(n: usize) -> &'static str {
    match n {
        1 => "",
        _ => "s",
    }
}

#[cfg(test)]
mod count_tests {
    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(super::count(1, "issue"), "1 issue");
        assert_eq!(super::count(0, "article"), "0 articles");
        assert_eq!(super::count(2, "new content file"), "2 new content files");
    }
}
