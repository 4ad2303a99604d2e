//! Exporting a whole archive into a folder, in parallel, skipping outputs already up to date,
//! and writing the distribution feeds over what the folder holds.
//!
//! The folder keeps `.quire-exports.json`: for every file it wrote, the object, version, format,
//! quire version, whether a PDF is PDF/A, and sha256. A file is up to date when its record matches and its bytes still
//! have that digest.

use super::feeds::{self, FeedEntry};
use super::{render, Edition, ExportError, Format, RenderOptions};
use crate::archive::{Archive, DigestAlgorithm, Object, ObjectEntry, VersionNum};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Record {
    object_id: String,
    version: String,
    format: Format,
    quire_version: String,
    /// A PDF made as PDF/A-1b (false in records written before quire made PDF/A).
    #[serde(default)]
    pdfa: bool,
    sha256: String,
}

const MANIFEST: &str = ".quire-exports.json";

fn read_manifest(dir: &Path) -> BTreeMap<String, Record> {
    fs::read(dir.join(MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// The error of a failed write to `path`, with its cause.
pub(crate) fn write_error(path: &Path) -> impl Fn(std::io::Error) -> ExportError + Copy + '_ {
    move |cause| ExportError::Write {
        path: path.to_path_buf(),
        cause,
    }
}

/// The folder `path` goes in (the current one for a bare name), made where it is missing.
pub(crate) fn made_parent(path: &Path) -> Result<&Path, ExportError> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(write_error(path))?;
    Ok(parent)
}

/// Writes `bytes` to `path` through a temporary neighbour, so that nothing is ever half-written.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    if let Some(reason) = crate::in_the_way(path, false) {
        return Err(ExportError::InTheWay {
            path: path.to_path_buf(),
            reason,
        });
    }
    let io = write_error(path);
    let dir = made_parent(path)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    std::io::Write::write_all(&mut temp, bytes).map_err(io)?;
    // A temporary file is private (0600); an export is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = temp
            .as_file()
            .set_permissions(fs::Permissions::from_mode(0o644));
    }
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// A job's result: what was done, and the manifest record of a file written.
type JobOutcome = (Exported, Option<(String, Record)>);

/// A file that could not be made, and why: `export all` and the site make the others and
/// report these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportFailure {
    /// The issue id (the object id when the version's metadata cannot be read).
    pub issue: String,
    pub object_id: String,
    pub version: VersionNum,
    pub format: Format,
    /// The file it would have been, in the exports folder.
    pub file: String,
    /// The error and its causes, joined with ": ".
    pub error: String,
}

impl std::fmt::Display for ExportFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}, {}: {} not made: {}",
            self.issue,
            self.version,
            self.format.extension().to_uppercase(),
            self.file,
            self.error
        )
    }
}

/// What a batch of exports did: the files made or up to date, in the order asked, and those
/// that could not be made.
#[derive(Debug, Clone, Default)]
pub struct BatchReport {
    pub exported: Vec<Exported>,
    pub failed: Vec<ExportFailure>,
    /// Objects whose inventory, or whose head's issue.toml, could not be read, each error
    /// naming the object and the cause: the batch went on without them.
    pub unreadable: Vec<String>,
}

/// What `export all` did with one file: which issue, version and format it is, as a failure
/// says.
#[derive(Debug, Clone, Serialize)]
pub struct Exported {
    pub issue: String,
    pub object_id: String,
    pub version: VersionNum,
    pub format: Format,
    pub file: String,
    /// False when the file was already up to date.
    pub written: bool,
    /// What the file could not do as it should, when it was written now.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Exports every issue's head (or every version) in `formats` into `dir`, in parallel; a file
/// that cannot be made is reported, not fatal, and so is an object whose inventory cannot be
/// read (in `unreadable`). `progress` is called with (done, total) after each file.
pub fn export_all(
    archive: &Archive,
    dir: &Path,
    formats: &[Format],
    all_versions: bool,
    options: &RenderOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<BatchReport, ExportError> {
    let found = archive.head_issues()?;
    let mut versions: Vec<(ObjectEntry, VersionNum)> = Vec::new();
    for (object, _) in &found.issues {
        let entry = object.entry();
        if all_versions {
            for version in object.inventory().versions.keys() {
                versions.push((entry.clone(), *version));
            }
        } else {
            versions.push((entry, object.head()));
        }
    }
    let mut report = export_versions(archive, dir, &versions, formats, options, progress)?;
    report.unreadable = found.left_out;
    Ok(report)
}

/// Exports each of `versions` in `formats` into `dir`, in parallel, skipping the files
/// already up to date, and records what it wrote in the folder's manifest. A file that cannot
/// be made (a character no font has, an image PDF/A refuses) is reported with its cause and
/// the others are made; only a manifest that cannot be written fails the batch. `progress` is
/// called with (done, total) after each file.
pub fn export_versions(
    archive: &Archive,
    dir: &Path,
    versions: &[(ObjectEntry, VersionNum)],
    formats: &[Format],
    options: &RenderOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<BatchReport, ExportError> {
    let jobs: Vec<Job> = versions
        .iter()
        .flat_map(|(entry, version)| {
            formats.iter().map(move |f| Job {
                entry,
                version: *version,
                format: *f,
            })
        })
        .collect();
    let manifest = read_manifest(dir);
    let clashes = file_name_clashes(archive, &jobs);
    let total = jobs.len();
    let done = AtomicUsize::new(0);
    let results: Vec<Result<JobOutcome, ExportFailure>> = jobs
        .par_iter()
        .with_max_len(1)
        .map(|job| {
            let outcome = match clashes.get(&(job.entry.id.as_str(), job.version, job.format)) {
                Some(clash) => Err(job.failure_because(archive, clash.clone())),
                None => export_one(archive, dir, &manifest, job, options)
                    .map_err(|error| job.failure(archive, &error)),
            };
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            outcome
        })
        .collect();
    let mut manifest = manifest;
    let mut report = BatchReport::default();
    for result in results {
        match result {
            Ok((outcome, record)) => {
                if let Some((file, record)) = record {
                    manifest.insert(file, record);
                }
                report.exported.push(outcome);
            }
            Err(failure) => report.failed.push(failure),
        }
    }
    let mut json = serde_json::to_vec_pretty(&manifest).expect("records serialize");
    json.push(b'\n');
    write_file(&dir.join(MANIFEST), &json)?;
    Ok(report)
}

/// One file to export: an object's version in a format.
struct Job<'a> {
    entry: &'a ObjectEntry,
    version: VersionNum,
    format: Format,
}

impl Job<'_> {
    /// The issue id of this job's version, when its issue.toml can be read.
    fn issue_id(&self, archive: &Archive) -> Option<String> {
        let object = archive.object_at(self.entry).ok()?;
        object.issue(self.version).ok().map(|issue| issue.id)
    }

    /// The report of this job's `error`, naming the file it would have made.
    fn failure(&self, archive: &Archive, error: &ExportError) -> ExportFailure {
        self.failure_because(archive, crate::error_chain(error))
    }

    fn failure_because(&self, archive: &Archive, error: String) -> ExportFailure {
        let issue = self
            .issue_id(archive)
            .unwrap_or_else(|| self.entry.id.clone());
        ExportFailure {
            file: export_file_name(&issue, self.version, self.format),
            issue,
            object_id: self.entry.id.clone(),
            version: self.version,
            format: self.format,
            error,
        }
    }
}

/// The jobs whose file would have the name of another object's export (two objects holding
/// one issue, e.g. rocfl's `ns:x` and quire's `urn:quire:x`), each with why it is not made:
/// one file cannot be both editions, and which one is meant is not quire's to guess.
fn file_name_clashes<'a>(
    archive: &Archive,
    jobs: &'a [Job<'a>],
) -> BTreeMap<(&'a str, VersionNum, Format), String> {
    let mut by_file: BTreeMap<String, Vec<&Job>> = BTreeMap::new();
    for job in jobs {
        if let Some(issue) = job.issue_id(archive) {
            let file = export_file_name(&issue, job.version, job.format);
            by_file.entry(file).or_default().push(job);
        }
    }
    let mut clashes = BTreeMap::new();
    for (file, jobs) in by_file.into_iter().filter(|(_, jobs)| jobs.len() > 1) {
        let objects: Vec<String> = jobs
            .iter()
            .map(|job| format!("`{}` {}", job.entry.id, job.version))
            .collect();
        for job in jobs {
            let why = format!(
                "objects {} would all be exported as {file}: they hold the same issue; none \
                 of them was written (give one of the issues another id)",
                objects.join(" and ")
            );
            clashes.insert((job.entry.id.as_str(), job.version, job.format), why);
        }
    }
    clashes
}

/// The name of a version's export in a format, as [`Edition::file_name`] gives it.
fn export_file_name(issue_id: &str, version: VersionNum, format: Format) -> String {
    format!("{issue_id}-v{}.{}", version.number, format.extension())
}

/// One version in one format: skipped when its file is up to date (checked before the
/// version is read), else rendered and written.
fn export_one(
    archive: &Archive,
    dir: &Path,
    manifest: &BTreeMap<String, Record>,
    job: &Job,
    options: &RenderOptions,
) -> Result<JobOutcome, ExportError> {
    let (id, version, format) = (&job.entry.id, job.version, job.format);
    let quire_version = options.quire_version.as_str();
    let pdfa = format == Format::Pdf && options.pdfa;
    let object = archive.object_at(job.entry)?;
    // The file's name is the one Edition::file_name gives.
    let issue_id = object.issue(version)?.id;
    let file = export_file_name(&issue_id, version, format);
    let path = dir.join(&file);
    let wanted = |r: &Record| {
        r.object_id == *id
            && r.version == version.to_string()
            && r.format == format
            && r.quire_version == quire_version
            && r.pdfa == pdfa
    };
    let current = manifest.get(&file).filter(|r| wanted(r)).is_some_and(|r| {
        fs::read(&path).is_ok_and(|bytes| DigestAlgorithm::Sha256.digest(&bytes) == r.sha256)
    });
    let outcome = |file: String, written: bool, warnings: Vec<String>| Exported {
        issue: issue_id.clone(),
        object_id: id.clone(),
        version,
        format,
        file,
        written,
        warnings,
    };
    if current {
        return Ok((outcome(file, false, Vec::new()), None));
    }
    let edition = Edition::load(&object, version)?;
    let rendered = render(&edition, format, options)?;
    write_file(&path, &rendered.bytes)?;
    let record = Record {
        object_id: id.clone(),
        version: version.to_string(),
        format,
        quire_version: quire_version.to_string(),
        pdfa,
        sha256: DigestAlgorithm::Sha256.digest(&rendered.bytes),
    };
    let warnings = rendered.warnings.iter().map(|w| w.to_string()).collect();
    Ok((outcome(file.clone(), true, warnings), Some((file, record))))
}

/// What [`write_feeds`] wrote, and what a librarian should know of it.
#[derive(Debug, Clone, Default)]
pub struct FeedsReport {
    pub paths: Vec<PathBuf>,
    /// Issues offered at an older version than their head, or left out because no version
    /// had an export in the folder; and that no RSS feed was made, without a base URL.
    pub warnings: Vec<String>,
    /// Objects left out because they could not be read (the inventory, or the head's
    /// issue.toml) or hold an issue another object holds, each named with the cause.
    pub left_out: Vec<String>,
}

/// Writes `opds.xml` and (with a base URL) `rss.xml` into `dir`, listing for each issue the exported files it
/// holds of the issue's head (and its cover image, copied beside them); an issue whose head
/// has none is offered at the newest version that has, which its entry and a warning say.
pub fn write_feeds(
    archive: &Archive,
    dir: &Path,
    base_url: &str,
) -> Result<FeedsReport, ExportError> {
    let mut entries = Vec::new();
    let found = archive.head_issues()?;
    let mut warnings = Vec::new();
    let mut left_out = found.left_out;
    let mut holders: BTreeMap<String, String> = BTreeMap::new();
    for (object, issue) in found.issues {
        if let Some(first) = holders.get(&issue.id) {
            left_out.push(format!(
                "`{}`: issue id `{}` is already the id of `{first}`",
                object.id(),
                issue.id
            ));
            continue;
        }
        let Some(offered) = issue_feed_entry(&object, dir, &BTreeSet::new())? else {
            warnings.push(format!(
                "{}: no version has an export in {}; left out of the feeds",
                issue.id,
                dir.display()
            ));
            continue;
        };
        let feed_entry = offered.entry;
        if feed_entry.version != feed_entry.head {
            warnings.push(format!(
                "{}: v{}, the head, has no export in {}; the feeds offer v{} and say so",
                issue.id,
                feed_entry.head,
                dir.display(),
                feed_entry.version
            ));
        }
        warnings.extend(offered.warnings);
        // The issue is held by the first object whose exports the folder has.
        holders.insert(issue.id.clone(), object.id().to_string());
        if let Some((file, bytes)) = offered.cover {
            write_file(&dir.join(file), &bytes)?;
        }
        entries.push(feed_entry);
    }
    let title = feeds::archive_title(
        feeds::configured_title(archive)?.as_deref(),
        entries.iter().map(|e| e.issue.publication.title.as_str()),
    );
    let (opds, rss) = feed_files(&entries, base_url, &title)?;
    let mut paths = vec![dir.join("opds.xml")];
    write_file(&paths[0], &opds)?;
    match rss {
        Some(rss) => {
            paths.push(dir.join("rss.xml"));
            write_file(&paths[1], &rss)?;
        }
        None => {
            warnings.push(feeds::RSS_NEEDS_A_URL.to_string());
            warnings.extend(remove_stale_rss(&dir.join("rss.xml"))?);
        }
    }
    Ok(FeedsReport {
        paths,
        warnings,
        left_out,
    })
}

/// Removes the RSS feed an earlier run wrote at `path` (with a base URL): it would go on
/// offering what the exports held then. Says so; a file that is no RSS feed is left alone.
fn remove_stale_rss(path: &Path) -> Result<Option<String>, ExportError> {
    let Ok(bytes) = std::fs::read(path) else {
        return Ok(None);
    };
    if !String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).contains("<rss") {
        return Ok(None);
    }
    std::fs::remove_file(path).map_err(write_error(path))?;
    Ok(Some(format!(
        "{}: the RSS feed of an earlier run removed (it offered what the exports held then)",
        path.display()
    )))
}

/// A cover image to put beside the feeds: its file name and bytes.
pub type FeedCover = (String, Vec<u8>);

/// An issue as the feeds offer it: its entry, its cover image to put beside them, and what
/// must be said of that cover (what was removed from an SVG, why there is none).
#[derive(Debug, Clone)]
pub struct FeedIssue {
    pub entry: FeedEntry,
    pub cover: Option<FeedCover>,
    pub warnings: Vec<String>,
}

/// The feed entry of an issue's object: the files `dir` holds of its head, or, when it holds
/// none, of the newest version it holds files of (the entry then names the head it is not).
/// Files named in `unavailable` (exports that failed this time, whose old copy may linger)
/// count as absent. `None` when `dir` holds no export of any version.
pub fn issue_feed_entry(
    object: &Object<'_>,
    dir: &Path,
    unavailable: &BTreeSet<String>,
) -> Result<Option<FeedIssue>, ExportError> {
    let versions: Vec<VersionNum> = object.inventory().versions.keys().rev().copied().collect();
    for version in versions {
        if let Some(found) = feed_entry(object, version, dir, unavailable)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// The feed entry of one version whose exported files `dir` holds, with its cover image (when
/// it is of a type readers show, named for the type its bytes are, an SVG cleaned) to put
/// beside them; `None` when `dir` holds no export of it (or the version is not an issue quire
/// wrote).
fn feed_entry(
    object: &Object<'_>,
    version: VersionNum,
    dir: &Path,
    unavailable: &BTreeSet<String>,
) -> Result<Option<FeedIssue>, ExportError> {
    let Ok(issue) = object.issue(version) else {
        return Ok(None);
    };
    let stem = format!("{}-v{}", issue.id, version.number);
    let mut files = Vec::new();
    for format in [Format::Epub, Format::Pdf] {
        let file = export_file_name(&issue.id, version, format);
        if unavailable.contains(&file) {
            continue;
        }
        match fs::metadata(dir.join(&file)) {
            Ok(meta) if meta.is_file() => files.push((file, format.media_type(), meta.len())),
            _ => {}
        }
    }
    if files.is_empty() {
        return Ok(None);
    }
    let cover = match &issue.cover {
        Some(path) => feed_cover(&stem, path, object.read(version, path)?),
        None => Cover::default(),
    };
    let warnings = (cover.warning.iter())
        .map(|said| format!("{} v{}: {said}", issue.id, version.number))
        .collect();
    let entry = FeedEntry {
        object_id: object.id().to_string(),
        version: version.number,
        head: object.head().number,
        created: object.created(version),
        issue,
        files,
        cover: cover.named,
    };
    Ok(Some(FeedIssue {
        entry,
        cover: cover.file,
        warnings,
    }))
}

/// A version's cover as the feeds show it.
#[derive(Default)]
struct Cover {
    /// Its file's name and media type, for the entry.
    named: Option<(String, &'static str)>,
    /// Its file, to put beside the feeds.
    file: Option<FeedCover>,
    /// What must be said of it.
    warning: Option<String>,
}

/// The cover at `path` (with `bytes`) beside the feeds of the version whose files are named
/// `stem`: of a type readers show, named for the type its bytes are, an SVG cleaned; or none,
/// saying why.
fn feed_cover(stem: &str, path: &str, bytes: Vec<u8>) -> Cover {
    let Some((media, extension)) = super::epub::sniff(&bytes) else {
        let warning = format!(
            "{path}: the feeds show no cover, as it is not a PNG, JPEG, GIF, WebP or SVG image"
        );
        return Cover {
            warning: Some(warning),
            ..Cover::default()
        };
    };
    let (bytes, warning) = match media {
        "image/svg+xml" => match super::svg::clean(path, &bytes) {
            Ok(clean) if clean.removed.is_empty() => (clean.bytes, None),
            Ok(clean) => {
                let removed = clean.removed.join("; ");
                let warning = format!("{path}: removed from the SVG for safety: {removed}");
                (clean.bytes, Some(warning))
            }
            Err(error) => {
                let warning = format!("{path}: the feeds show no cover, as it {}", error.reason());
                return Cover {
                    warning: Some(warning),
                    ..Cover::default()
                };
            }
        },
        _ => (bytes, None),
    };
    let file = format!("{stem}-cover.{extension}");
    Cover {
        named: Some((file.clone(), media)),
        file: Some((file, bytes)),
        warning,
    }
}

/// The bytes of `opds.xml` and `rss.xml` for `entries`, titled `title` (see
/// [`feeds::archive_title`]); no `rss.xml` without a base URL (see [`feeds::rss`]).
pub fn feed_files(
    entries: &[FeedEntry],
    base_url: &str,
    title: &str,
) -> Result<(Vec<u8>, Option<Vec<u8>>), ExportError> {
    Ok((
        feeds::opds(entries, base_url, title)?,
        match base_url.is_empty() {
            true => None,
            false => Some(feeds::rss(entries, base_url, title)?),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{assert_error_with_cause, temp_file};

    #[test]
    fn a_failed_write_names_the_file_and_what_stands_in_the_way_or_its_cause() {
        let (_dir, blocker) = temp_file("exports", "a file where a folder should be");
        let target = blocker.join("x.pdf");
        let error = write_file(&target, b"%PDF").unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "{}: cannot write: {} is a file, not a folder",
                target.display(),
                blocker.display()
            )
        );
        // A failure nothing foresaw keeps the system's cause.
        let error = write_error(&target)(std::io::Error::other("disk full"));
        assert_error_with_cause::<std::io::Error>(
            &error,
            &format!("{}: cannot write", target.display()),
        );
    }

    #[test]
    fn a_folder_given_as_the_file_to_write_is_named_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let error = write_file(dir.path(), b"%PDF").unwrap_err().to_string();
        assert!(
            error.contains(
                ": cannot write: is a folder; give the name of the file to write, such as "
            ),
            "{error}"
        );
    }
}
