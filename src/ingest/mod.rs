//! Turning inputs into archive versions. A source folder goes in as it is; web captures
//! ([`web`]) are turned into one first, and BagIt bags ([`bag`]) are checked completely
//! and their payload goes in as a source folder.

use crate::archive::{Archive, ArchiveError, CommitOutcome, NewFile, NewVersion, User};
use crate::model::{SourceFolder, SourceFolderError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::path::Path;

/// Who is ingesting, when, and why.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// The version message; `None` describes the changes.
    pub message: Option<String>,
    /// Who makes the version (`None`: the version names no one).
    pub user: Option<User>,
    pub created: DateTime<Utc>,
    /// Check and report only: the report tells what an ingest would store, and nothing is
    /// written to the archive.
    pub dry_run: bool,
}

impl IngestOptions {
    /// The new version of `source`'s files, made with these options and `message`.
    pub(crate) fn version_of(&self, source: &SourceFolder, message: Option<String>) -> NewVersion {
        NewVersion {
            files: source
                .files
                .iter()
                .map(|f| NewFile {
                    logical_path: f.logical_path.clone(),
                    source: f.path.clone(),
                })
                .collect(),
            message,
            user: self.user.clone(),
            created: self.created,
        }
    }
}

/// Why an ingest did not happen. Nothing is written in either case.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Source(#[from] SourceFolderError),
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    #[error(transparent)]
    Bag(#[from] bag::BagError),
}

/// What an ingest did.
#[derive(Debug, Clone, Serialize)]
pub struct IngestReport {
    pub issue: String,
    /// With `dry_run`, what an ingest would do (the version it would make, the changes);
    /// `committed` is false, as nothing was written.
    #[serde(flatten)]
    pub outcome: CommitOutcome,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dry_run: bool,
    /// Whether the ingest makes (or, in a dry run, would make) a version.
    #[serde(skip)]
    pub makes_version: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Checks a source folder and stores it as the next version of its issue's object (or as a
/// new object). A folder identical to the head stores nothing, and so does a dry run.
pub fn ingest_folder(
    archive: &Archive,
    folder: &Path,
    options: &IngestOptions,
) -> Result<IngestReport, IngestError> {
    ingest_source(archive, SourceFolder::open(folder)?, options)
}

/// Stores a source folder that has been read and checked.
fn ingest_source(
    archive: &Archive,
    source: SourceFolder,
    options: &IngestOptions,
) -> Result<IngestReport, IngestError> {
    let version = options.version_of(&source, options.message.clone());
    let id = archive.issue_object_id(&source.issue.id)?;
    let mut warnings = drift(archive, &id, &source.issue);
    let mut outcome = if options.dry_run {
        archive.plan_version(&id, &version)?
    } else {
        archive.commit_version(&id, version)?
    };
    let makes_version = outcome.committed;
    outcome.committed &= !options.dry_run;
    warnings.extend(source.warnings);
    Ok(IngestReport {
        issue: source.issue.id,
        outcome,
        dry_run: options.dry_run,
        makes_version,
        warnings,
    })
}

/// Warnings when a folder looks like another issue's than the one it names: its publication's
/// title is not the head's, or it keeps none of the head's articles. (A folder copied as a
/// template, its id left as it was, would otherwise replace an issue without a word.)
fn drift(archive: &Archive, id: &str, issue: &crate::model::Issue) -> Vec<String> {
    let Ok(Some(object)) = archive.object(id) else {
        return Vec::new();
    };
    let head = object.head();
    let Ok(before) = object.issue(head) else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    let (was, is) = (&before.publication.title, &issue.publication.title);
    if was != is {
        warnings.push(format!(
            "`{}`: the publication's title changes from `{was}` ({head}) to `{is}`; if this \
             folder is another issue's, give it an id of its own",
            issue.id
        ));
    }
    let had = before.articles().count();
    if had > 0
        && !before
            .articles()
            .any(|a| issue.articles().any(|b| b.id == a.id))
    {
        warnings.push(format!(
            "`{}`: none of the {had} article{} of {head} is in this folder; the new version \
             holds none of them (earlier versions keep them)",
            issue.id,
            crate::plural(had)
        ));
    }
    warnings
}
pub mod bag;
pub mod web;
