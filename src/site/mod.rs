//! The web edition: `quire site` publishes the whole archive as a static site that any web
//! server serves and that reads from a folder opened as files too (search aside), made from
//! the archive alone, shaped like the magazine's own web pages.
//!
//! - [`catalog`]: what the site knows of the archive (issues in reading order, sections
//!   across issues, the latest headlines), read through [`crate::archive`].
//! - [`paths`]: the permanent URLs (`issues/<id>/`, `issues/<id>/v<N>/`,
//!   `issues/<id>/<article>/`, `sections/<name>/`).
//! - [`body`]: an article body rendered from the body dialect, split into its original
//!   pages, sanitized ([`crate::export::sanitize`]); [`links`]: where its links lead on the
//!   site, by the rule every edition follows ([`crate::export::links`]).
//! - `templates`, `view`, `pages`, `issue_pages`, `history`: the pages, with askama templates
//!   (in `templates/site/`).
//! - `search`: the pagefind index; `feeds`: RSS and OPDS beside the PDF and EPUB exports,
//!   which [`crate::export::batch`] makes when they are missing or stale.
//! - `manifest`: the incremental build (only what changed is written; same archive, same
//!   bytes); [`serve`]: a preview server.

mod body;
mod catalog;
mod feeds;
mod history;
mod issue_pages;
mod links;
mod manifest;
mod pages;
pub mod paths;
mod search;
pub mod serve;
mod templates;
mod view;

pub use links::UnkeptLinks;
pub use manifest::{WriteReport, MANIFEST};

use crate::archive::{Archive, ArchiveError, DigestAlgorithm, ObjectEntry, VersionNum};
use crate::export::batch::{export_versions, BatchReport, ExportFailure, Exported};
use crate::export::{ExportError, Format};
use catalog::Catalog;
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The stylesheet, the same for every page.
const STYLE: &str = include_str!("assets/style.css");
/// The search page's script (the only script of the site).
const SEARCH_JS: &str = include_str!("assets/search.js");
/// The site's icon.
const FAVICON: &str = include_str!("assets/favicon.svg");

/// Bumped when the pages quire makes change shape, so that a build after an upgrade makes
/// every page again (quire's version is in the settings too).
const SITE_FORMAT: &str = "4";

/// The choices of a build besides the archive.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// The URL the site will be served at (for canonical links and the feeds), or empty: every
    /// link between pages is relative either way.
    pub base_url: String,
    /// The quire version the exports record.
    pub quire_version: String,
}

/// One file of the site: its path from the site's root and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Seconds spent on each part of a build.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timings {
    /// Making the PDF and EPUB files that were missing or stale (and checking the others).
    pub exports: f64,
    /// Rendering pages (the issues that changed, and the pages across issues).
    pub pages: f64,
    /// Building the search index.
    pub search: f64,
    /// Writing files (only those whose bytes changed) and removing stale ones.
    pub write: f64,
}

/// What a build did.
#[derive(Debug, Clone, Serialize)]
pub struct SiteReport {
    pub issues: usize,
    /// The issues whose pages were made again (all of them on a first build).
    pub issues_rebuilt: Vec<String>,
    /// HTML pages rendered by this build.
    pub pages_rendered: usize,
    /// Articles in the search index.
    pub search_records: usize,
    #[serde(flatten)]
    pub write: WriteReport,
    pub exports: Vec<Exported>,
    /// The exports that could not be made: the pages say that edition is not available, the
    /// feeds leave it out.
    pub failed: Vec<ExportFailure>,
    /// Objects left out, with the reason.
    pub skipped: Vec<String>,
    /// The links of articles that lead nowhere on the site, in the issues whose pages this
    /// build made again.
    pub unkept_links: Vec<UnkeptLinks>,
    /// What the site could not show as it is, in the issues whose pages this build made again
    /// and the covers beside the feeds: each image it does not show (a TIFF, an SVG that does
    /// not parse), and what it removed from each SVG it shows; each naming the file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    #[serde(skip)]
    pub timings: Timings,
}

/// Why a build (or the preview server) failed.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error("{page}: cannot render the page")]
    Template {
        page: String,
        #[source]
        cause: askama::Error,
    },
    #[error("cannot build the search index")]
    Search {
        #[source]
        cause: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("{}: cannot write", path.display())]
    Write {
        path: PathBuf,
        #[source]
        cause: std::io::Error,
    },
    #[error("{addr}: cannot serve the site")]
    Serve {
        addr: String,
        #[source]
        cause: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Renders a page of `folder` into its `index.html`.
fn render(folder: &str, page: &impl askama::Template) -> Result<SiteFile, SiteError> {
    let html = page.render().map_err(|cause| SiteError::Template {
        page: format!("{folder}{}", paths::INDEX),
        cause,
    })?;
    Ok(SiteFile {
        path: format!("{folder}{}", paths::INDEX),
        bytes: html.into_bytes(),
    })
}

/// Builds the site of `archive` in `dir`: the exports every version's pages link to (made
/// when missing or stale), the pages of the issues that changed since the last build, the
/// pages across issues, the feeds and the search index, writing only the files whose bytes
/// changed.
pub fn build_site(
    archive: &Archive,
    dir: &Path,
    options: &SiteOptions,
) -> Result<SiteReport, SiteError> {
    let mut timings = Timings::default();
    let catalog = Catalog::read(archive)?;
    let started = Instant::now();
    let exports_dir = dir.join(feeds::EXPORTS);
    let exports = export_every_version(archive, &catalog, &exports_dir, options)?;
    timings.exports = started.elapsed().as_secs_f64();

    let title = crate::export::feeds::configured_title(archive)?;
    let site = view::Site::new(
        &catalog,
        title.as_deref(),
        &options.base_url,
        &exports.failed,
    );
    let mut writer = manifest::Writer::open(dir, &settings(&site, options));
    let started = Instant::now();
    let changed: Vec<&catalog::IssueEntry> = catalog
        .issues
        .iter()
        .filter(|issue| !writer.keep_issue(&issue.entry.id, &site.pages_key(issue)))
        .collect();
    let issue_files: Vec<issue_pages::IssueFiles> = changed
        .par_iter()
        .with_max_len(1)
        .map(|issue| issue_pages::issue_files(&site, archive, issue))
        .collect::<Result<_, _>>()?;
    timings.pages = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let index = search::build(&site, archive)?;
    timings.search = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut shared = pages::shared_pages(&site, &index)?;
    let feeds = feeds::feeds(&site, archive, &exports_dir)?;
    shared.extend(feeds.files);
    shared.extend(assets());
    timings.pages += started.elapsed().as_secs_f64();
    let is_page = |f: &SiteFile| f.path.ends_with(".html");
    let mut unkept = Vec::new();
    let mut warnings = Vec::new();
    let issue_files: Vec<Vec<SiteFile>> = (issue_files.into_iter())
        .map(|made| {
            unkept.extend(made.unkept);
            warnings.extend(made.warnings);
            made.files
        })
        .collect();
    warnings.extend(feeds.warnings);
    let pages_rendered = issue_files.iter().flatten().filter(|f| is_page(f)).count()
        + shared.iter().filter(|f| is_page(f)).count();

    let started = Instant::now();
    for (issue, files) in changed.iter().zip(issue_files) {
        writer.issue(&issue.entry.id, &site.pages_key(issue), files)?;
    }
    let search_records = index.records;
    for file in shared.into_iter().chain(index.files) {
        writer.file(file)?;
    }
    let write = writer.finish()?;
    timings.write = started.elapsed().as_secs_f64();
    Ok(SiteReport {
        issues: catalog.issues.len(),
        issues_rebuilt: changed.iter().map(|i| i.id().to_string()).collect(),
        pages_rendered,
        search_records,
        write,
        exports: exports.exported,
        failed: exports.failed,
        skipped: catalog.skipped.clone(),
        unkept_links: unkept,
        warnings,
        timings,
    })
}

/// The PDF and EPUB of every version of every issue, made in `dir` when missing or stale;
/// those that cannot be made are reported, and the build goes on without them.
fn export_every_version(
    archive: &Archive,
    catalog: &Catalog,
    dir: &Path,
    options: &SiteOptions,
) -> Result<BatchReport, SiteError> {
    let versions: Vec<(ObjectEntry, VersionNum)> = catalog
        .issues
        .iter()
        .flat_map(|i| i.versions.iter().map(|v| (i.entry.clone(), v.version)))
        .collect();
    let formats = [Format::Pdf, Format::Epub];
    // The PDF Edition the site links is the default one, PDF/A-1b.
    let render_options = crate::export::RenderOptions::new(&options.quire_version);
    Ok(export_versions(
        archive,
        dir,
        &versions,
        &formats,
        &render_options,
        &|_, _| {},
    )?)
}

/// A digest of what every page depends on besides its own issue: when it changes, every page
/// is made again.
fn settings(site: &view::Site, options: &SiteOptions) -> String {
    let text = format!(
        "{SITE_FORMAT}\n{}\n{}\n{}",
        options.quire_version, options.base_url, site.site_name
    );
    DigestAlgorithm::Sha256.digest(text.as_bytes())
}

/// The stylesheet, the search script and the icon.
fn assets() -> [SiteFile; 3] {
    [
        ("style.css", STYLE),
        ("search.js", SEARCH_JS),
        ("favicon.svg", FAVICON),
    ]
    .map(|(path, text)| SiteFile {
        path: path.to_string(),
        bytes: text.as_bytes().to_vec(),
    })
}
