//! Web edition speed: a synthetic archive of 100 issues of 30 articles (3,000 articles, five
//! sections, a cover per issue) built into a site, then built again after one issue gets a new
//! version. Prints pages per second, the search index's share of each build, and the time of
//! the incremental build's page rendering and writing. The PDF and EPUB files are the
//! exporters' cost and are made before each timed build (the build only finds them up to date).
//!
//! ```text
//! cargo run --release --example site_bench [-- ISSUES ARTICLES]
//! ```

#[path = "support/synthetic_png.rs"]
mod synthetic_png;

use quire::archive::{Archive, Layout, ObjectEntry, User, VersionNum};
use quire::export::batch::export_versions;
use quire::export::Format;
use quire::ingest::{ingest_folder, IngestOptions};
use quire::site::{build_site, SiteOptions, SiteReport};
use quire::store::FsStore;
use std::error::Error;
use std::fs;
use std::path::Path;
use std::time::Instant;
use synthetic_png::pattern_png;

const SECTIONS: [&str; 5] = [
    "Government Documents",
    "Expert's View",
    "Nation",
    "World",
    "Culture",
];

const SYLLABLES: [&str; 24] = [
    "ar", "chi", "ve", "ma", "ga", "zi", "ne", "pre", "ser", "va", "tion", "li", "bra", "ry", "in",
    "ter", "na", "co", "op", "de", "vel", "ment", "lo", "qui",
];

/// A deterministic word: two to four syllables picked by `n`.
fn word(n: usize) -> String {
    let count = 2 + n % 3;
    (0..count)
        .map(|i| SYLLABLES[(n / 3 + i * 7 + n * i) % SYLLABLES.len()])
        .collect()
}

/// `words` words of prose, seeded by `seed`, in paragraphs of about 80 words.
fn prose(seed: usize, words: usize) -> String {
    let mut text = String::new();
    for i in 0..words {
        let w = word((seed * 7919 + i * 104_729) % 9_973);
        if i % 80 == 79 {
            text.push_str(&w);
            text.push_str(".\n\n");
        } else if i % 12 == 11 {
            text.push_str(&w);
            text.push_str(". ");
        } else {
            text.push_str(&w);
            text.push(' ');
        }
    }
    text
}

/// The source folder of issue `n` with `articles` articles.
fn issue_folder(dir: &Path, n: usize, articles: usize, cover: &[u8]) -> Result<(), Box<dyn Error>> {
    fs::create_dir_all(dir.join("articles"))?;
    fs::create_dir_all(dir.join("assets"))?;
    fs::write(dir.join("assets/cover.png"), cover)?;
    let (year, month) = (2010 + n / 12, 1 + n % 12);
    let mut toml = format!(
        "[publication]\ntitle = \"Bench Review\"\nlanguage = \"en\"\n\n[issue]\nid = \"issue-{n:03}\"\ntitle = \"Issue {n}\"\nnumber = {}\ndate = \"{year}-{month:02}\"\ncover = \"assets/cover.png\"\n",
        n + 1
    );
    for a in 0..articles {
        let section = SECTIONS[a * SECTIONS.len() / articles];
        let body = format!("## {}\n\n{}", word(a + n), prose(n * 1000 + a, 600));
        fs::write(dir.join(format!("articles/a{a:02}.md")), body)?;
        toml.push_str(&format!(
            "\n[[articles]]\nid = \"a{a:02}\"\ntitle = \"{} {}\"\ndeck = \"{}\"\nauthors = [\"Author {}\"]\nsection = \"{section}\"\nupdated = \"{year}-{month:02}-{:02}\"\nbody = \"articles/a{a:02}.md\"\n",
            word(a * 31 + n),
            word(a * 17 + n * 3),
            prose(a + n, 12).trim(),
            a % 7,
            1 + a % 28
        ));
    }
    fs::write(dir.join("issue.toml"), toml)?;
    Ok(())
}

fn ingest_options(n: usize) -> IngestOptions {
    IngestOptions {
        message: Some(format!("Bench version {n}")),
        user: Some(User {
            name: "Bench".into(),
            address: Some("mailto:bench@example.org".into()),
        }),
        created: format!("2026-01-01T00:{:02}:{:02}Z", n / 60, n % 60)
            .parse()
            .expect("a valid time"),
        dry_run: false,
    }
}

/// Makes the exports of every version the site will link to, as the bench leaves them out.
fn make_exports(archive: &Archive, site: &Path) -> Result<f64, Box<dyn Error>> {
    let started = Instant::now();
    let mut versions: Vec<(ObjectEntry, VersionNum)> = Vec::new();
    for entry in archive.objects()? {
        let object = archive.object_at(&entry)?;
        for version in object.inventory().versions.keys() {
            versions.push((entry.clone(), *version));
        }
    }
    let formats = [Format::Pdf, Format::Epub];
    let report = export_versions(
        archive,
        &site.join("exports"),
        &versions,
        &formats,
        &quire::export::RenderOptions::new(env!("CARGO_PKG_VERSION")),
        &|_, _| {},
    )?;
    if let Some(failure) = report.failed.first() {
        return Err(failure.to_string().into());
    }
    Ok(started.elapsed().as_secs_f64())
}

/// Every file under `dir` with its bytes, by relative path.
fn files(dir: &Path) -> Result<std::collections::BTreeMap<String, Vec<u8>>, Box<dyn Error>> {
    let mut files = std::collections::BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry?;
        if entry.file_type().is_file() {
            let path = entry
                .path()
                .strip_prefix(dir)?
                .to_string_lossy()
                .into_owned();
            files.insert(path, fs::read(entry.path())?);
        }
    }
    Ok(files)
}

/// A copy of a folder of files.
fn copy_folder(from: &Path, to: &Path) -> Result<(), Box<dyn Error>> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        fs::copy(entry.path(), to.join(entry.file_name()))?;
    }
    Ok(())
}

fn print_build(what: &str, report: &SiteReport, seconds: f64) {
    let t = &report.timings;
    let site = t.pages + t.search + t.write;
    println!(
        "{what}: {:.2} s ({} pages rendered, {:.0} pages/s; {} files written, {} unchanged, {} removed)",
        seconds,
        report.pages_rendered,
        report.pages_rendered as f64 / site.max(1e-9),
        report.write.written.len(),
        report.write.unchanged,
        report.write.removed.len(),
    );
    println!(
        "  exports checked {:.2} s | pages {:.2} s | search index {:.2} s ({:.0} % of the site's {:.2} s) | writing {:.2} s",
        t.exports,
        t.pages,
        t.search,
        100.0 * t.search / site.max(1e-9),
        site,
        t.write,
    );
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>());
    let issues = args.next().transpose()?.unwrap_or(100);
    let articles = args.next().transpose()?.unwrap_or(30);
    let dir = tempfile::tempdir()?;
    let archive = Archive::init(
        Box::new(FsStore::new(dir.path().join("archive"))),
        Layout::default(),
    )?;
    // A 200×280 PNG cover.
    let cover = pattern_png(200, 280, 233)?;
    let started = Instant::now();
    for n in 0..issues {
        let folder = dir.path().join(format!("issue-{n:03}"));
        issue_folder(&folder, n, articles, &cover)?;
        ingest_folder(&archive, &folder, &ingest_options(n))?;
    }
    println!(
        "archive: {issues} issues x {articles} articles = {} articles, ingested in {:.1} s",
        issues * articles,
        started.elapsed().as_secs_f64()
    );
    let site = dir.path().join("site");
    let options = SiteOptions {
        base_url: String::new(),
        quire_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    println!(
        "exports made beforehand in {:.1} s",
        make_exports(&archive, &site)?
    );

    let started = Instant::now();
    let first = build_site(&archive, &site, &options)?;
    print_build("first build", &first, started.elapsed().as_secs_f64());

    // Deterministic output, the search index included: a build from scratch in another folder
    // (given the same exports) gives the same bytes.
    let other = dir.path().join("site-again");
    copy_folder(&site.join("exports"), &other.join("exports"))?;
    build_site(&archive, &other, &options)?;
    let (a, b) = (files(&site)?, files(&other)?);
    let differ: Vec<&String> = a
        .iter()
        .filter(|(path, bytes)| b.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .collect();
    let megabytes = a.values().map(Vec::len).sum::<usize>() as f64 / 1e6;
    println!(
        "a second build from scratch in another folder: {} files ({megabytes:.0} MB), {} differ{}",
        a.len(),
        differ.len() + b.keys().filter(|p| !a.contains_key(*p)).count(),
        if differ.is_empty() {
            ""
        } else {
            " (not deterministic)"
        }
    );

    // One issue gets a new version: an article's text and update date change.
    let folder = dir.path().join(format!("issue-{:03}", issues / 2));
    let body = folder.join("articles/a03.md");
    let text = fs::read_to_string(&body)?;
    fs::write(&body, format!("{text}\nA correction, added later.\n"))?;
    let toml = fs::read_to_string(folder.join("issue.toml"))?.replacen(
        "-04\"\nbody = \"articles/a03.md\"",
        "-05\"\nbody = \"articles/a03.md\"",
        1,
    );
    fs::write(folder.join("issue.toml"), toml)?;
    ingest_folder(&archive, &folder, &ingest_options(issues))?;
    println!(
        "exports of the new version made in {:.1} s",
        make_exports(&archive, &site)?
    );

    let started = Instant::now();
    let second = build_site(&archive, &site, &options)?;
    print_build(
        "incremental build",
        &second,
        started.elapsed().as_secs_f64(),
    );
    let t = &second.timings;
    println!(
        "incremental page rendering and writing: {:.2} s (issues made again: {:?})",
        t.pages + t.write,
        second.issues_rebuilt
    );
    Ok(())
}
