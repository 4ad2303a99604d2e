//! Adding imported articles to an issue: the head's source folder (or a new one) gets the
//! captures, the article bodies and an updated `issue.toml`, and is stored as the next version.
//! `issue.toml` is edited in place, so a librarian's comments and other fields survive.

use super::{decode_text, extract, stitch, Block, CaptureError, WebArticle};
use crate::archive::{Archive, ArchiveError, CommitOutcome, NewFile, NewVersion, User};
use crate::model::{check_identifier, object_id, SourceFolder, SourceFolderError, ISSUE_FILE};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::fs;
use std::path::{Path, PathBuf};
use toml_edit::{value, Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table};

/// What to import into, and who does it.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The issue id.
    pub issue: String,
    /// The section the new articles go in.
    pub section: Option<String>,
    /// The publication's title, for a new issue whose captures do not name it.
    pub publication: Option<String>,
    /// Extract and report only; store nothing.
    pub dry_run: bool,
    pub message: Option<String>,
    pub user: User,
    pub created: DateTime<Utc>,
}

/// What an import found and did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub issue: String,
    pub articles: Vec<WebArticle>,
    pub warnings: Vec<String>,
    /// The commit, unless this was a dry run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<CommitOutcome>,
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
    #[error("{0}")]
    Usage(String),
}

fn read_error(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError {
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

/// Extracts the articles of `files` and, unless it is a dry run, stores them in the issue as a
/// new version.
pub fn import_web(
    archive: &Archive,
    files: &[PathBuf],
    options: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    check_identifier(&options.issue).map_err(ImportError::Usage)?;
    if files.is_empty() {
        return Err(ImportError::Usage("no capture files given".into()));
    }
    let mut captures = Vec::new();
    for path in files {
        let bytes = fs::read(path).map_err(read_error(path))?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| {
                ImportError::Usage(format!(
                    "{}: not a file name quire can keep",
                    path.display()
                ))
            })?
            .to_string();
        if captures
            .iter()
            .any(|(n, _, _): &(String, PathBuf, Vec<u8>)| *n == name)
        {
            return Err(ImportError::Usage(format!(
                "{}: two captures are named `{name}`",
                path.display()
            )));
        }
        captures.push((name, path.clone(), bytes));
    }
    let display = |path: &Path| path.display().to_string();
    let texts: Vec<String> = captures
        .iter()
        .map(|(_, path, bytes)| decode_text(&display(path), bytes, None))
        .collect::<Result<_, _>>()?;
    let mut pages = Vec::new();
    for (i, (name, path, bytes)) in captures.iter().enumerate() {
        let others: Vec<String> = texts
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, t)| t.clone())
            .collect();
        let mut page = extract(&display(path), bytes, &others, &Default::default())?;
        page.source = name.clone();
        pages.push(page);
    }
    let mut page_warnings = Vec::new();
    for (page, (_, path, _)) in pages.iter().zip(&captures) {
        page_warnings.extend(
            page.warnings
                .iter()
                .map(|w| format!("{}: {w}", display(path))),
        );
    }
    let (mut articles, mut warnings) = stitch(pages)?;
    warnings.splice(0..0, page_warnings);
    let mut assets = Vec::new();
    for article in &mut articles {
        gather_images(article, &captures, &mut assets, &mut warnings);
    }
    if options.dry_run {
        return Ok(ImportReport {
            issue: options.issue.clone(),
            articles,
            warnings,
            outcome: None,
        });
    }

    let work = tempfile::tempdir().map_err(|cause| ImportError::WorkFolder {
        file: "the issue".into(),
        cause,
    })?;
    let folder = work.path().join("issue");
    let id = object_id(&options.issue);
    let existing = archive.object(&id)?;
    let mut doc = match &existing {
        Some(object) => {
            object.checkout(object.head(), &folder)?;
            let path = folder.join(ISSUE_FILE);
            let text = fs::read_to_string(&path).map_err(work_error(&folder, &path))?;
            text.parse::<DocumentMut>()
                .map_err(|cause| ImportError::Edit {
                    id: id.clone(),
                    cause,
                })?
        }
        None => new_issue(options, &articles)?,
    };
    for (name, path, bytes) in &captures {
        write_new(&folder, &folder.join("sources").join(name), bytes, path)?;
    }
    for (target, source) in &assets {
        let bytes = fs::read(source).map_err(read_error(source))?;
        write_new(&folder, &folder.join(target), &bytes, source)?;
    }
    for article in &articles {
        let body = format!("articles/{}.md", article.id);
        let path = folder.join(&body);
        fs::create_dir_all(path.parent().expect("has a parent"))
            .map_err(work_error(&folder, &path))?;
        fs::write(&path, &article.body).map_err(work_error(&folder, &path))?;
        upsert_article(&mut doc, article, &body, options.section.as_deref());
    }
    let issue_path = folder.join(ISSUE_FILE);
    fs::write(&issue_path, doc.to_string()).map_err(work_error(&folder, &issue_path))?;

    let source = SourceFolder::open(&folder)?;
    let names: Vec<&str> = captures.iter().map(|(n, _, _)| n.as_str()).collect();
    let message = options.message.clone().unwrap_or_else(|| {
        format!(
            "Import web capture{} {} ({} article{})",
            if names.len() == 1 { "" } else { "s" },
            names.join(", "),
            articles.len(),
            if articles.len() == 1 { "" } else { "s" }
        )
    });
    let version = NewVersion {
        files: source
            .files
            .iter()
            .map(|f| NewFile {
                logical_path: f.logical_path.clone(),
                source: f.path.clone(),
            })
            .collect(),
        message: Some(message),
        user: options.user.clone(),
        created: options.created,
    };
    let outcome = archive.commit_version(&id, version)?;
    Ok(ImportReport {
        issue: options.issue.clone(),
        articles,
        warnings,
        outcome: Some(outcome),
    })
}

/// Writes a file that must not hold other bytes already.
fn write_new(folder: &Path, target: &Path, bytes: &[u8], from: &Path) -> Result<(), ImportError> {
    if let Ok(present) = fs::read(target) {
        if present != bytes {
            return Err(ImportError::Usage(format!(
                "{}: the issue already keeps a different file under this name ({}); rename the capture",
                from.display(),
                target.file_name().unwrap_or_default().to_string_lossy()
            )));
        }
        return Ok(());
    }
    fs::create_dir_all(target.parent().expect("has a parent"))
        .map_err(work_error(folder, target))?;
    fs::write(target, bytes).map_err(work_error(folder, target))
}

/// Images saved beside their capture become assets; remote ones stay recorded in the body,
/// not fetched.
fn gather_images(
    article: &mut WebArticle,
    captures: &[(String, PathBuf, Vec<u8>)],
    assets: &mut Vec<(String, PathBuf)>,
    warnings: &mut Vec<String>,
) {
    let folders: Vec<PathBuf> = article
        .sources
        .iter()
        .filter_map(|s| captures.iter().find(|(n, _, _)| *n == s.file))
        .filter_map(|(_, path, _)| path.parent().map(Path::to_path_buf))
        .collect();
    let mut changed = false;
    for block in &mut article.blocks {
        let Block::Image { src, .. } = block else {
            continue;
        };
        if src.contains("://") || src.starts_with("data:") || src.starts_with("//") {
            continue;
        }
        let relative = src
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .trim_start_matches("./")
            .to_string();
        let found = folders
            .iter()
            .map(|f| f.join(&relative))
            .find(|p| p.is_file() && !relative.contains(".."));
        match found {
            Some(path) => {
                let name = path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                let target = format!("assets/{}-{name}", article.id);
                if !assets.iter().any(|(t, _)| *t == target) {
                    assets.push((target.clone(), path));
                }
                *src = target;
                changed = true;
            }
            None => warnings.push(format!(
                "`{}`: image {src} is not beside its capture; recorded, not stored",
                article.title
            )),
        }
    }
    if changed {
        article.body = super::markdown::to_markdown(&article.blocks);
    }
}

/// `issue.toml` for a new issue: the publication and the issue id, and only what the captures
/// give besides.
fn new_issue(options: &ImportOptions, articles: &[WebArticle]) -> Result<DocumentMut, ImportError> {
    let publication = options
        .publication
        .clone()
        .or_else(|| articles.iter().find_map(|a| a.site_name.clone()))
        .ok_or_else(|| {
            ImportError::Usage(format!(
                "issue `{}` is new and the captures do not name the publication: give --publication NAME",
                options.issue
            ))
        })?;
    let mut doc = DocumentMut::new();
    let mut publication_table = Table::new();
    publication_table["title"] = value(publication);
    doc["publication"] = Item::Table(publication_table);
    let mut issue = Table::new();
    issue["id"] = value(&options.issue);
    let languages: Vec<&str> = articles
        .iter()
        .filter_map(|a| a.language.as_deref())
        .collect();
    if let Some(first) = languages.first() {
        if languages.iter().all(|l| l == first) && crate::model::check_language(first).is_ok() {
            issue["language"] = value(*first);
        }
    }
    doc["issue"] = Item::Table(issue);
    Ok(doc)
}

/// Adds the article, or updates the one with the same id, keeping whatever else the table holds.
fn upsert_article(doc: &mut DocumentMut, article: &WebArticle, body: &str, section: Option<&str>) {
    if !doc.contains_key("articles") {
        doc["articles"] = Item::ArrayOfTables(ArrayOfTables::new());
    }
    let Some(list) = doc["articles"].as_array_of_tables_mut() else {
        return;
    };
    let mut tables: Vec<Table> = list.iter().cloned().collect();
    let position = tables
        .iter()
        .position(|t| t.get("id").and_then(|v| v.as_str()) == Some(article.id.as_str()));
    let mut table = position.map(|i| tables[i].clone()).unwrap_or_default();
    table["id"] = value(&article.id);
    table["title"] = value(&article.title);
    if let Some(deck) = &article.deck {
        table["deck"] = value(deck);
    }
    if !article.authors.is_empty() {
        table["authors"] = value(article.authors.iter().collect::<Array>());
    }
    if let Some(section) = section {
        table["section"] = value(section);
    }
    if let Some(updated) = article.updated {
        table["updated"] = value(updated.to_string());
    }
    if let Some(published) = article.published {
        table["published"] = value(published.to_string());
    }
    table["body"] = value(body);
    if let Some(pages) = &article.pages {
        let mut inline = InlineTable::new();
        if let Some(page) = pages.page {
            inline.insert("page", (page as i64).into());
        }
        if let Some(count) = pages.count {
            inline.insert("count", (count as i64).into());
        }
        if !pages.listed.is_empty() {
            inline.insert(
                "listed",
                pages
                    .listed
                    .iter()
                    .map(|n| *n as i64)
                    .collect::<Array>()
                    .into(),
            );
        }
        if !pages.missing.is_empty() {
            inline.insert(
                "missing",
                pages
                    .missing
                    .iter()
                    .map(|n| *n as i64)
                    .collect::<Array>()
                    .into(),
            );
        }
        table["pages"] = value(inline);
    }
    let mut sources = Array::new();
    for source in &article.sources {
        let mut inline = InlineTable::new();
        inline.insert("file", format!("sources/{}", source.file).into());
        if let Some(page) = source.page {
            inline.insert("page", (page as i64).into());
        }
        sources.push(inline);
    }
    table["sources"] = value(sources);
    let images: Vec<(&String, &Option<String>)> = article
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Image { src, alt, .. } if src.starts_with("assets/") => Some((src, alt)),
            _ => None,
        })
        .collect();
    if !images.is_empty() {
        let mut list = Array::new();
        for (file, alt) in images {
            let mut inline = InlineTable::new();
            inline.insert("file", file.as_str().into());
            if let Some(alt) = alt {
                inline.insert("alt", alt.as_str().into());
            }
            list.push(inline);
        }
        table["images"] = value(list);
    }
    match position {
        Some(i) => tables[i] = table,
        None => {
            // New articles join the end of their section, or of the issue.
            let after = section.and_then(|name| {
                tables
                    .iter()
                    .rposition(|t| t.get("section").and_then(|v| v.as_str()) == Some(name))
            });
            match after {
                Some(i) => tables.insert(i + 1, table),
                None => tables.push(table),
            }
        }
    }
    list.clear();
    for table in tables {
        list.push(table);
    }
}
