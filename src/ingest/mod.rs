//! Turning inputs into archive versions. A source folder goes in as it is; web captures
//! ([`web`]) are turned into one first, and BagIt bags will be.

use crate::archive::{Archive, ArchiveError, CommitOutcome, NewFile, NewVersion, User};
use crate::model::{SourceFolder, SourceFolderError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::path::Path;

/// The prefix that makes an issue id the OCFL object id (OCFL asks for URIs, W005).
pub const OBJECT_ID_PREFIX: &str = "urn:quire:";

/// The OCFL object id of an issue id. An id that is already a URI is used as it is, so that
/// objects written by other tools can be named on the command line.
pub fn object_id(issue_or_object_id: &str) -> String {
    if issue_or_object_id.contains(':') {
        issue_or_object_id.to_string()
    } else {
        format!("{OBJECT_ID_PREFIX}{issue_or_object_id}")
    }
}

/// Who is ingesting, when, and why.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// The version message; `None` describes the changes.
    pub message: Option<String>,
    pub user: User,
    pub created: DateTime<Utc>,
}

/// Why an ingest did not happen. Nothing is written in either case.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{0}")]
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
    #[serde(flatten)]
    pub outcome: CommitOutcome,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Checks a source folder and stores it as the next version of its issue's object (or as a
/// new object). A folder identical to the head stores nothing.
pub fn ingest_folder(
    archive: &Archive,
    folder: &Path,
    options: &IngestOptions,
) -> Result<IngestReport, IngestError> {
    let source = SourceFolder::open(folder)?;
    let files = source
        .files
        .iter()
        .map(|f| NewFile {
            logical_path: f.logical_path.clone(),
            source: f.path.clone(),
        })
        .collect();
    let version = NewVersion {
        files,
        message: options.message.clone(),
        user: options.user.clone(),
        created: options.created,
    };
    let outcome = archive.commit_version(&object_id(&source.issue.id), version)?;
    Ok(IngestReport {
        issue: source.issue.id,
        outcome,
        warnings: source.warnings,
    })
}
pub mod bag;
pub mod web;
