//! Ingest an issue source folder into a new storage root and list what the archive holds.
//!
//! ```text
//! cargo run --example ingest_and_list -- examples/issue /tmp/my-archive
//! ```

use quire::archive::{Archive, Layout, User};
use quire::ingest::{ingest_folder, IngestOptions};
use quire::store::FsStore;
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let folder = args.next().unwrap_or_else(|| "examples/issue".into());
    let root = match args.next() {
        Some(root) => root.into(),
        None => std::env::temp_dir().join(format!("quire-example-{}", std::process::id())),
    };
    let store = Box::new(FsStore::new(&root));
    let archive = if root.join("0=ocfl_1.1").exists() {
        Archive::open(store)?
    } else {
        Archive::init(store, Layout::default())?
    };

    let options = IngestOptions {
        message: None,
        user: Some(User {
            name: "Example Librarian".into(),
            address: Some("mailto:librarian@example.org".into()),
        }),
        created: chrono::Utc::now(),
        dry_run: false,
    };
    let report = ingest_folder(&archive, folder.as_ref(), &options)?;
    eprintln!("{} is now at {}", report.issue, report.outcome.version);

    for entry in archive.objects()? {
        let object = archive.object_at(&entry)?;
        let head = object.head();
        let issue = object.issue(head)?;
        println!(
            "{}\t{}\t{} articles\t{}",
            entry.id,
            head,
            issue.articles().count(),
            issue.publication.title
        );
    }
    eprintln!("archive: {}", root.display());
    Ok(())
}
