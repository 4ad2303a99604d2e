//! Adding imported articles to an issue: the head's source folder (or a new one) gets the
//! captures, the article bodies and an updated `issue.toml`, and is stored as the next version.
//! `issue.toml` is edited in place, so a librarian's comments and other fields survive.

use super::inputs::{self, Capture, Inputs};
use super::places::{self, Head};
use super::warc::WarcError;
use super::{
    decode_text, extract, issue_file, stitch, warc, Block, CaptureError, Page, WebArticle,
};
use crate::archive::{Archive, ArchiveError, CommitOutcome};
use crate::ingest::IngestOptions;
use crate::model::{check_identifier, SourceFolder, SourceFolderError, ISSUE_FILE};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use toml_edit::DocumentMut;

/// What to import into, and who does it.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The issue id.
    pub issue: String,
    /// The section the new articles go in.
    pub section: Option<String>,
    /// The publication's title, for a new issue whose captures do not name it (or name
    /// different sites).
    pub publication: Option<String>,
    /// A manifest of the issue's articles (`[[article]]` entries in reading order).
    pub manifest: Option<PathBuf>,
    /// The address prefix that chooses the pages of the WARC files given.
    pub url_prefix: Option<String>,
    /// Who makes the version, when, with what message (`None`: one naming the captures);
    /// with `dry_run`, extract and report only, and store nothing.
    pub version: IngestOptions,
}

/// What an import found and did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub issue: String,
    pub articles: Vec<WebArticle>,
    pub warnings: Vec<String>,
    /// The commit; with `dry_run`, the one an import would make, nothing written.
    pub outcome: CommitOutcome,
    pub dry_run: bool,
}

/// Why an import did not happen. Nothing is written in any case.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Capture(#[from] CaptureError),
    #[error(transparent)]
    Source(#[from] SourceFolderError),
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// A capture or an image beside it that could not be read.
    #[error("{path}: cannot read")]
    Read {
        path: String,
        #[source]
        cause: std::io::Error,
    },
    /// The new version could not be prepared in a work folder: `file` is its place in the
    /// issue (the work folder itself when empty).
    #[error("cannot prepare {file} in a work folder")]
    WorkFolder {
        file: String,
        #[source]
        cause: std::io::Error,
    },
    #[error("{id}: its {ISSUE_FILE} cannot be edited")]
    Edit {
        id: String,
        #[source]
        cause: toml_edit::TomlError,
    },
    /// A WARC file (given, or the one the issue keeps) that could not be read.
    #[error("{path}: not a WARC file quire can read")]
    Warc {
        path: String,
        #[source]
        cause: WarcError,
    },
    #[error("{0}")]
    Usage(String),
}

/// A failure to read `path` (a capture, an image beside it, a manifest, a WARC).
pub(crate) fn read_error(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError {
    let path = path.display().to_string();
    move |cause| ImportError::Read { path, cause }
}

/// A failure to write `path` in the work folder `root`, named by its place in the issue.
fn work_error(root: &Path, path: &Path) -> impl FnOnce(std::io::Error) -> ImportError {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let file = match relative.as_os_str().is_empty() {
        true => "the issue".to_string(),
        false => relative.display().to_string(),
    };
    move |cause| ImportError::WorkFolder { file, cause }
}

/// Extracts the articles of `files` (capture files, folders of captures, WARC files) and of
/// the manifest, and stores them in the issue as a new version; a dry run does all but the
/// storing, and reports the version it would make.
pub fn import_web(
    archive: &Archive,
    files: &[PathBuf],
    options: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    check_identifier(&options.issue).map_err(ImportError::Usage)?;
    let mut inputs = inputs::gather(
        files,
        options.manifest.as_deref(),
        options.url_prefix.as_deref(),
        &options.issue,
    )?;
    let (mut articles, mut warnings) = extract_articles(&inputs)?;
    let id = archive.issue_object_id(&options.issue)?;
    let existing = archive.object(&id)?;
    let doc = match &existing {
        Some(object) => {
            let text = object.read(object.head(), ISSUE_FILE)?;
            let text = String::from_utf8_lossy(&text);
            Some(
                text.parse::<DocumentMut>()
                    .map_err(|cause| ImportError::Edit {
                        id: id.clone(),
                        cause,
                    })?,
            )
        }
        None => None,
    };
    let head = existing
        .as_ref()
        .zip(doc.as_ref())
        .map(|(o, d)| Head::new(o, d));
    let matches = places::match_existing(head.as_ref(), &articles, &inputs.captures);
    if let Some(doc) = &doc {
        let stored_body = |path: &str| {
            let object = existing.as_ref()?;
            let bytes = object.read(object.head(), path).ok()?;
            Some(String::from_utf8_lossy(&bytes).into_owned())
        };
        check_pages_kept(doc, &articles, &matches, &inputs, &stored_body)?;
    }
    let mut replaced = BTreeSet::new();
    if let Some(head) = &head {
        places::place_captures(head, &mut inputs.captures, &mut articles, &matches);
        replaced = places::replaced_captures(head, &matches);
    }
    drop(head);
    warnings.extend(undeclared(doc.as_ref(), &articles));
    let mut assets = Vec::new();
    for (article, found) in articles.iter_mut().zip(&matches) {
        if article.section.is_none() {
            article.section = options.section.clone().or(article.meta.section.clone());
        }
        // An article the issue has already keeps its id and its body's name.
        if let Some((existing_id, _)) = found {
            article.id = existing_id.clone();
        }
        gather_images(article, &inputs.captures, &mut assets, &mut warnings);
    }
    let work = crate::work::temporary_work_folder().map_err(|cause| ImportError::WorkFolder {
        file: "the issue".into(),
        cause,
    })?;
    let folder = work.path().join("issue");
    let mut doc = match (&existing, doc) {
        (Some(object), Some(doc)) => {
            object.checkout(object.head(), &folder)?;
            doc
        }
        _ => issue_file::new_issue(options, &articles)?,
    };
    for file in &replaced {
        let path = folder.join(file);
        match fs::remove_file(&path) {
            Err(cause) if cause.kind() != std::io::ErrorKind::NotFound => {
                return Err(work_error(&folder, &path)(cause))
            }
            _ => {}
        }
    }
    write_sources(&folder, &inputs)?;
    for (target, saved) in &assets {
        match saved {
            Saved::File(source) => {
                let bytes = fs::read(source).map_err(read_error(source))?;
                write_new(&folder, target, &bytes, &source.display().to_string())?;
            }
            Saved::Embedded { bytes, capture } => write_new(&folder, target, bytes, capture)?,
        }
    }
    for (article, found) in articles.iter().zip(&matches) {
        let body = found
            .as_ref()
            .map(|(_, body)| body.clone())
            .unwrap_or_else(|| format!("articles/{}.md", article.id));
        let path = folder.join(&body);
        fs::create_dir_all(path.parent().expect("has a parent"))
            .map_err(work_error(&folder, &path))?;
        fs::write(&path, &article.body).map_err(work_error(&folder, &path))?;
        warnings.extend(issue_file::upsert_article(&mut doc, article, &body));
    }
    let issue_path = folder.join(ISSUE_FILE);
    fs::write(&issue_path, doc.to_string()).map_err(work_error(&folder, &issue_path))?;
    let outcome = commit(archive, &id, &folder, &inputs, articles.len(), options)?;
    in_issue_order(&mut articles, &doc);
    Ok(ImportReport {
        issue: options.issue.clone(),
        articles,
        warnings,
        outcome,
        dry_run: options.version.dry_run,
    })
}

/// Refuses an import that would lose pages the issue keeps of an article it updates: an
/// import replaces an article whole, so a capture of page 3 alone would replace pages 1 and 2,
/// and a capture of page 2 an article kept whole; a capture whose text holds the stored body's
/// (a "view all" page) may. `stored_body` reads a body of the head.
fn check_pages_kept(
    doc: &DocumentMut,
    articles: &[WebArticle],
    matches: &[places::Existing],
    inputs: &Inputs,
    stored_body: &dyn Fn(&str) -> Option<String>,
) -> Result<(), ImportError> {
    for (article, found) in articles.iter().zip(matches) {
        let Some((id, body)) = found else { continue };
        let stored = issue_file::stored_pages(doc, id);
        let lost = lost_pages(article, &stored);
        let partial = article
            .pages
            .as_ref()
            .is_some_and(|p| !p.missing.is_empty());
        let loses = !lost.is_empty() && (stored.len() >= 2 || partial);
        // One capture of the whole article (a "view all" page) may replace its pages.
        if !loses || stored_body(body).is_some_and(|old| holds_text(&article.body, &old)) {
            continue;
        }
        let named: Vec<String> = lost
            .iter()
            .map(|(file, page)| match page {
                Some(page) => format!("page {page} ({file})"),
                None => file.clone(),
            })
            .collect();
        let first = &article.sources[0].file;
        let display = inputs
            .captures
            .iter()
            .find(|c| &c.source == first)
            .map_or(first.as_str(), |c| c.display.as_str());
        return Err(CaptureError::new(
            display,
            format!(
                "is a capture of `{id}`, which the issue keeps from {}; an import replaces an \
                 article whole, and this one holds only part of it, so it would lose {}. Give \
                 the whole article's captures (`quire checkout {}` puts the issue's under \
                 sources/); nothing was written",
                crate::count(stored.len(), "capture"),
                named.join(", "),
                checkout_words(doc),
            ),
        )
        .into());
    }
    Ok(())
}

/// The captures the issue keeps of an article that `article`'s captures do not give again:
/// by page where the issue numbers them, else by file.
fn lost_pages<'a>(
    article: &WebArticle,
    stored: &'a [(String, Option<u32>)],
) -> Vec<&'a (String, Option<u32>)> {
    let given = |(file, page): &(String, Option<u32>)| {
        article.sources.iter().any(|s| match page {
            Some(page) => s.page == Some(*page),
            None => format!("sources/{}", s.file) == *file,
        })
    };
    stored.iter().filter(|p| !given(p)).collect()
}

/// Whether the body `new` holds the text of the body `old`: nine in ten of its runs of 40
/// letters and digits (page marks, note numbers and a sign-off may differ).
fn holds_text(new: &str, old: &str) -> bool {
    let letters = |body: &str| super::letters(&crate::model::body::plain_text(body));
    let new = letters(new);
    let old: Vec<char> = letters(old).chars().collect();
    let runs: Vec<String> = old.chunks(40).map(|run| run.iter().collect()).collect();
    let held = runs.iter().filter(|run| new.contains(run.as_str())).count();
    !runs.is_empty() && held * 10 >= runs.len() * 9
}

/// What `quire checkout` takes for the issue: its id and a folder.
fn checkout_words(doc: &DocumentMut) -> String {
    doc.get("issue")
        .and_then(|i| i.get("id"))
        .and_then(|v| v.as_str())
        .unwrap_or("ISSUE")
        .to_string()
        + " DIR"
}

/// The articles in the order the issue has them, each capture named by its place in the
/// issue (`sources/…`), as `issue.toml` records them.
fn in_issue_order(articles: &mut [WebArticle], doc: &DocumentMut) {
    let order: Vec<&str> = doc
        .get("articles")
        .and_then(|a| a.as_array_of_tables())
        .into_iter()
        .flat_map(|tables| tables.iter())
        .filter_map(|t| t.get("id").and_then(|v| v.as_str()))
        .collect();
    articles.sort_by_key(|a| order.iter().position(|id| *id == a.id));
    for source in articles.iter_mut().flat_map(|a| a.sources.iter_mut()) {
        source.file = format!("sources/{}", source.file);
    }
}

/// The pages of every capture (each read against the others of the batch, whose repeated
/// lines are chrome), stitched into articles; the warnings of each capture first.
fn extract_articles(inputs: &Inputs) -> Result<(Vec<WebArticle>, Vec<String>), ImportError> {
    let texts: Vec<String> = inputs
        .captures
        .iter()
        .map(|c| decode_text(&c.display, &c.bytes, c.origin.charset.as_deref()))
        .collect::<Result<_, _>>()?;
    let mut pages = Vec::new();
    // Each capture's warnings, with its source.
    let mut warnings: Vec<(String, String)> = Vec::new();
    for (i, capture) in inputs.captures.iter().enumerate() {
        let others: Vec<String> = texts
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, t)| t.clone())
            .collect();
        let mut page = extract(&capture.display, &capture.bytes, &others, &capture.origin)?;
        warnings.extend(
            (page.warnings.iter())
                .map(|w| (capture.source.clone(), format!("{}: {w}", capture.display))),
        );
        page.source = capture.source.clone();
        pages.push(Some(page));
    }
    let mut take = |i: usize| pages[i].take();
    let known: Vec<(Option<String>, Vec<Page>)> = inputs
        .entries
        .iter()
        .map(|e| {
            (
                e.section.clone(),
                e.captures.iter().filter_map(|i| take(*i)).collect(),
            )
        })
        .collect();
    let loose: Vec<Page> = inputs.loose.iter().filter_map(|i| take(*i)).collect();
    let (articles, stitched) = stitch(known, loose).map_err(|e| as_given(e, inputs))?;
    // A capture whose page a manifest's order settled is no longer said not to know it.
    let numbered: Vec<&String> = (articles.iter().flat_map(|a| &a.sources))
        .filter(|s| s.page.is_some())
        .map(|s| &s.file)
        .collect();
    let mut warnings: Vec<String> = (warnings.into_iter())
        .filter(|(source, w)| !(w.ends_with(super::PAGE_UNKNOWN) && numbered.contains(&source)))
        .map(|(_, w)| w)
        .collect();
    warnings.extend(stitched);
    Ok((articles, warnings))
}

/// Warnings for the articles that declare no language, joining an issue that declares one:
/// the issue's language is theirs in every edition, and the capture did not say so.
fn undeclared(doc: Option<&DocumentMut>, articles: &[WebArticle]) -> Vec<String> {
    let issue_language = doc
        .and_then(|d| d.get("issue")?.get("language")?.as_str())
        .map(str::to_string);
    let Some(language) = issue_language else {
        return Vec::new();
    };
    articles
        .iter()
        .filter(|a| a.meta.language.is_none())
        .map(|a| {
            format!(
                "`{}` declares no language: the issue's ({language}) stands for it in every edition",
                a.meta.title
            )
        })
        .collect()
}

/// A stitching error that names captures by the paths given, not by their places under
/// `sources/` (`dup/y/p.html`, not `y/p.html`).
fn as_given(mut error: CaptureError, inputs: &Inputs) -> CaptureError {
    for capture in &inputs.captures {
        if error.file == capture.source {
            error.file = capture.display.clone();
        }
        let named = format!(" as {} does", capture.source);
        error.message = error
            .message
            .replace(&named, &format!(" as {} does", capture.display));
    }
    error
}

/// The captures under `sources/`, and the WARC records used, in the issue's own WARC of each
/// crawl (added to the one the issue already keeps).
fn write_sources(folder: &Path, inputs: &Inputs) -> Result<(), ImportError> {
    for capture in inputs.captures.iter().filter(|c| c.path.is_some()) {
        let target = format!("sources/{}", capture.source);
        write_new(folder, &target, &capture.bytes, &capture.display)?;
    }
    for used in &inputs.warcs {
        let target = folder.join("sources").join(&used.source);
        let existing = match fs::read(&target) {
            Ok(bytes) => warc::read_records(&bytes).map_err(|cause| ImportError::Warc {
                path: format!("sources/{}", used.source),
                cause,
            })?,
            Err(_) => Vec::new(),
        };
        let records: Vec<&warc::Record> = used.records.iter().collect();
        let bytes = warc::subset(&existing, &used.warcinfo, &records);
        fs::create_dir_all(target.parent().expect("has a parent"))
            .map_err(work_error(folder, &target))?;
        fs::write(&target, bytes).map_err(work_error(folder, &target))?;
    }
    Ok(())
}

/// Stores the assembled folder as the next version of object `id` (the issue's, see
/// [`Archive::issue_object_id`]), with a message naming the captures. Problems found in the
/// folder name its files as the issue has them, not as the work folder does.
fn commit(
    archive: &Archive,
    id: &str,
    folder: &Path,
    inputs: &Inputs,
    articles: usize,
    options: &ImportOptions,
) -> Result<CommitOutcome, ImportError> {
    let source = SourceFolder::open(folder).map_err(|mut e| {
        let prefix = folder.display().to_string();
        for problem in &mut e.problems {
            if let Some(rest) = problem.file.strip_prefix(&prefix) {
                problem.file = format!("{}{rest}", options.issue);
            }
        }
        e
    })?;
    let mut names: Vec<&str> = Vec::new();
    for capture in &inputs.captures {
        let name = capture.origin.warc.as_ref().map(|w| w.original.as_str());
        let name = name.unwrap_or(capture.source.as_str());
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let message = options.version.message.clone().unwrap_or_else(|| {
        format!(
            "Import web capture{} {} ({} article{})",
            crate::plural(names.len()),
            names.join(", "),
            articles,
            crate::plural(articles)
        )
    });
    let version = options.version.version_of(&source, Some(message));
    match options.version.dry_run {
        true => Ok(archive.plan_version(id, &version)?),
        false => Ok(archive.commit_version(id, version)?),
    }
}

/// Writes a file that must not hold other bytes already.
fn write_new(folder: &Path, target: &str, bytes: &[u8], from: &str) -> Result<(), ImportError> {
    let target = &folder.join(target);
    if let Ok(present) = fs::read(target) {
        if present != bytes {
            return Err(ImportError::Usage(format!(
                "{from}: the issue already keeps a different file under this name ({}); rename the capture",
                target.file_name().unwrap_or_default().to_string_lossy()
            )));
        }
        return Ok(());
    }
    fs::create_dir_all(target.parent().expect("has a parent"))
        .map_err(work_error(folder, target))?;
    fs::write(target, bytes).map_err(work_error(folder, target))
}

/// Where a capture's images may be found: its folder (absolute), and the root of the saved
/// copy of the site it is in, if it is in one (see [`site_root`]).
struct SavedPlace {
    folder: PathBuf,
    site: Option<PathBuf>,
}

impl SavedPlace {
    /// The place of a capture in `folder` whose page's address is `page`.
    fn of(folder: &Path, page: Option<&str>) -> Option<SavedPlace> {
        let folder = match folder.as_os_str().is_empty() {
            true => Path::new("."),
            false => folder,
        };
        let folder = folder.canonicalize().ok()?;
        let site = site_root(&folder, page);
        Some(SavedPlace { folder, site })
    }

    /// The file an image's address `src` names in the capture's folder: a relative address
    /// below the folder; one from the site's root (`/images/a.jpg`) in the folder or at the root
    /// of the saved copy of the site the folder is in (see [`site_root`]). An address may climb
    /// (`../images/a.jpg`, as `wget -k` writes them) only within that copy. Never a file outside
    /// those, by `..` or by a link out of them.
    fn image(&self, src: &str) -> Option<PathBuf> {
        let address = src.split(['?', '#']).next().unwrap_or_default();
        let rooted = address.starts_with('/');
        let relative = address.trim_start_matches('/').trim_start_matches("./");
        let decoded = crate::model::body::percent_decode(relative);
        let parts = |p: &str| p.split('/').all(|c| !c.is_empty() && c != ".");
        if !parts(relative) || !parts(&decoded) {
            return None;
        }
        let within = self.site.as_ref().unwrap_or(&self.folder);
        let bases = std::iter::once(&self.folder).chain(self.site.as_ref().filter(|_| rooted));
        bases
            .flat_map(|base| [base.join(relative), base.join(&decoded)])
            .find(|path| {
                path.canonicalize()
                    .is_ok_and(|real| real.starts_with(within) && real.is_file())
            })
    }
}

/// The root of the saved copy of a site that holds `folder` (absolute), as wget and HTTrack
/// save one: a folder named as the site's host. With the page's address, the folder above
/// `folder` by as many folders as the address has, when their names are the address's and
/// its name the host's (`…/example.org/nation/txt/` for `https://example.org/nation/txt/a.htm`);
/// else the nearest folder named like a host (`www.example.org`).
fn site_root(folder: &Path, page: Option<&str>) -> Option<PathBuf> {
    page.and_then(|page| root_by_address(folder, page))
        .or_else(|| {
            folder
                .ancestors()
                .find(|f| {
                    f.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(is_host_name)
                })
                .map(Path::to_path_buf)
        })
}

/// The saved site's root that the page's address `page` says `folder` is in.
fn root_by_address(folder: &Path, page: &str) -> Option<PathBuf> {
    let url = url::Url::parse(page).ok()?;
    let mut segments: Vec<&str> = url.path_segments()?.collect();
    segments.pop();
    let mut root = folder;
    for segment in segments.iter().rev().filter(|s| !s.is_empty()) {
        let name = root.file_name()?.to_str()?;
        if name != crate::model::body::percent_decode(segment) {
            return None;
        }
        root = root.parent()?;
    }
    let host = url.host_str()?;
    (root.file_name()?.to_str()? == host).then(|| root.to_path_buf())
}

/// A folder name that is a host's (`www.example.org`, `example.co.uk:8080`): labels of
/// letters, digits and hyphens, the last of two letters or more.
fn is_host_name(name: &str) -> bool {
    let host = name.split_once(':').map_or(name, |(host, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            host
        } else {
            ""
        }
    });
    let labels: Vec<&str> = host.split('.').collect();
    let label = |l: &&str| {
        !l.is_empty()
            && !l.starts_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    labels.len() >= 2
        && labels.iter().all(label)
        && labels
            .last()
            .is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Images saved beside their capture become assets; remote ones stay recorded in the body,
/// not fetched. Those standing alone and those inside other blocks (a list's step, a table's
/// cell, a link) alike.
fn gather_images(
    article: &mut WebArticle,
    captures: &[Capture],
    assets: &mut Vec<(String, Saved)>,
    warnings: &mut Vec<String>,
) {
    let page = article.meta.url.clone();
    let places: Vec<SavedPlace> = article
        .sources
        .iter()
        .filter_map(|s| {
            captures
                .iter()
                .find(|c| c.source == s.file && c.path.is_some())
        })
        .filter_map(|c| SavedPlace::of(c.folder.as_deref()?, page.as_deref()))
        .collect();
    let capture = article
        .sources
        .iter()
        .find_map(|s| captures.iter().find(|c| c.source == s.file))
        .map(|c| c.display.clone())
        .unwrap_or_default();
    let mut gathering = Gathering {
        places,
        capture,
        id: &article.id,
        title: &article.meta.title,
        base: page.as_deref().and_then(|u| url::Url::parse(u).ok()),
        assets,
        warnings,
    };
    let mut changed = false;
    for block in &mut article.blocks {
        match block {
            Block::Image {
                src,
                larger,
                sources,
                ..
            } => {
                if let Some(stored) = gathering.image(src, larger, sources) {
                    *src = stored;
                    changed = true;
                }
            }
            Block::Markdown { text } => {
                if let Some(rewritten) = gathering.images_in(text) {
                    *text = rewritten;
                    changed = true;
                }
            }
            _ => {}
        }
    }
    if changed {
        article.body = super::markdown::to_markdown(&article.blocks);
    }
}

/// Where an article's images are looked for, and what gathering them adds.
struct Gathering<'a> {
    places: Vec<SavedPlace>,
    /// What messages call the article's capture.
    capture: String,
    id: &'a str,
    title: &'a str,
    /// The page's address, which a picture not saved is recorded by.
    base: Option<url::Url>,
    assets: &'a mut Vec<(String, Saved)>,
    warnings: &'a mut Vec<String>,
}

/// Where an asset's bytes come from: a file beside a capture, or the capture itself (a
/// picture it carries as a `data:` address or an inline SVG), which messages name.
enum Saved {
    File(PathBuf),
    Embedded { bytes: Vec<u8>, capture: String },
}

impl Gathering<'_> {
    /// Where the body records the image at `src` (the largest saved rendering of it among
    /// `larger`, else `src`, else one of the `sources` a picture offers, stored as an asset;
    /// else its address on the page), when that changes.
    fn image(&mut self, src: &str, larger: &[String], sources: &[String]) -> Option<String> {
        if src.starts_with("data:") {
            return self.embedded(src);
        }
        let remote =
            |src: &str| src.contains("://") || src.starts_with("data:") || src.starts_with("//");
        let found = larger
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(src))
            .chain(sources.iter().map(String::as_str))
            .filter(|src| !remote(src))
            .find_map(|src| self.places.iter().find_map(|place| place.image(src)));
        let Some(path) = found else {
            if remote(src) {
                return None;
            }
            self.warnings.push(format!(
                "`{}`: image {src} is not beside its capture; recorded, not stored",
                self.title
            ));
            let absolute = self.base.as_ref().and_then(|b| b.join(src).ok());
            return absolute.map(|a| a.to_string());
        };
        let same = |saved: &Saved| matches!(saved, Saved::File(p) if *p == path);
        if let Some((stored, _)) = self.assets.iter().find(|(_, saved)| same(saved)) {
            return Some(stored.clone());
        }
        // Two files of one name in different folders are two assets.
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let mut target = format!("assets/{}-{name}", self.id);
        for n in 2.. {
            if !self.assets.iter().any(|(t, _)| *t == target) {
                break;
            }
            target = format!("assets/{}-{n}-{name}", self.id);
        }
        self.assets.push((target.clone(), Saved::File(path)));
        Some(target)
    }

    /// Where the body records a picture the capture carries as a `data:` address: an asset
    /// named by its digest (one picture shown twice is one asset).
    fn embedded(&mut self, src: &str) -> Option<String> {
        let (bytes, ending) = super::html::embedded_picture(src)?;
        let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
        let target = format!("assets/{}-{}.{ending}", self.id, &digest[..16]);
        if !self.assets.iter().any(|(t, _)| *t == target) {
            let capture = self.capture.clone();
            self.assets
                .push((target.clone(), Saved::Embedded { bytes, capture }));
        }
        Some(target)
    }

    /// `text` (in the body dialect) with the images it shows inside it (`![…](…)`, raw HTML's
    /// `<img src>`) gathered, when any changes; an address in code or plain text stays as
    /// written.
    fn images_in(&mut self, text: &str) -> Option<String> {
        use pulldown_cmark::{Event, Tag};
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for (event, range) in crate::model::body::parser(text).into_offset_iter() {
            let found: Vec<(usize, String)> = match event {
                Event::Start(Tag::Image { dest_url, .. }) => {
                    let written = format!("]({dest_url}");
                    let at = text[range.clone()].rfind(&written);
                    at.map(|at| (at + 2, dest_url.to_string()))
                        .into_iter()
                        .collect()
                }
                Event::Html(html) | Event::InlineHtml(html) => html_image_addresses(&html),
                _ => Vec::new(),
            };
            for (at, written) in found {
                if let Some(stored) = self.image(&written.replace("&amp;", "&"), &[], &[]) {
                    let start = range.start + at;
                    edits.push((
                        start..start + written.len(),
                        super::markdown::link_target(&stored),
                    ));
                }
            }
        }
        let mut rewritten = text.to_string();
        for (range, stored) in edits.into_iter().rev() {
            rewritten.replace_range(range, &stored);
        }
        (rewritten != text).then_some(rewritten)
    }
}

/// The `src` addresses of the `<img>` tags in a piece of raw HTML, as written, each with where
/// it begins.
fn html_image_addresses(html: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (at, _) in html.match_indices("src=\"") {
        let tag = html[..at].rfind('<').map(|open| &html[open..at]);
        if !tag.is_some_and(|t| t.to_ascii_lowercase().starts_with("<img")) {
            continue;
        }
        let start = at + "src=\"".len();
        if let Some(length) = html[start..].find('"') {
            found.push((start, html[start..start + length].to_string()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_accepts_only;

    #[test]
    fn a_folder_named_as_a_host_is_a_saved_site_s_root_and_other_names_are_not() {
        assert_accepts_only(
            is_host_name,
            &["www.example.org", "example.co.uk", "news.example.cn:8080"],
            &[
                "captures",
                ".tmpa1b2",
                "br-2008",
                "v1.2",
                "my files.org",
                "a..org",
            ],
        );
    }
}
