//! Outputs made from one archived issue version. Everything an output depends on (fonts, the
//! version's created date, the quire version) comes in through an [`Edition`] read from the
//! archive and the options of each exporter (fonts, paper), so the same version always gives
//! the same bytes.

pub mod bag;
pub mod batch;
pub mod epub;
pub mod feeds;
pub mod links;
mod missing;
pub mod pdf;
mod render;
pub mod sanitize;
pub mod svg;
pub mod words;

pub use render::{pdf_fonts, render, Format, Output, RenderOptions, Rendered};

use crate::archive::{ArchiveError, DigestAlgorithm, Object, VersionNum};
use crate::model::{Issue, ISSUE_FILE};
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

/// One issue version, as every exporter reads it.
#[derive(Debug, Clone)]
pub struct Edition {
    pub object_id: String,
    pub version: VersionNum,
    /// The version's created time (RFC 3339), the only date an export may use.
    pub created: String,
    pub issue: Issue,
    /// Article id → Markdown body.
    pub bodies: BTreeMap<String, String>,
    /// Path in the source folder → bytes, for the cover and article images (those the
    /// metadata lists and those a body shows in Markdown).
    pub images: BTreeMap<String, Vec<u8>>,
    /// The issue's images that only raw HTML in a body shows (`<img src="assets/…">`), which
    /// the EPUB and the web edition show and the PDF edition does not draw (so an image it
    /// could not embed does not cost the PDF).
    pub html_images: BTreeMap<String, Vec<u8>>,
    /// sha512 of the version's issue.toml.
    pub metadata_sha512: String,
}

impl Edition {
    /// Every image the edition shows (see [`Edition::images`], [`Edition::html_images`]).
    pub fn all_images(&self) -> impl Iterator<Item = (&String, &Vec<u8>)> {
        self.images.iter().chain(&self.html_images)
    }

    /// The Markdown body of the article `article_id` (empty when the version has none).
    pub fn body(&self, article_id: &str) -> &str {
        self.bodies.get(article_id).map_or("", String::as_str)
    }

    /// Reads a version of an object, every file checked against its digest.
    pub fn load(object: &Object<'_>, version: VersionNum) -> Result<Edition, ExportError> {
        let issue = object.issue(version)?;
        let created = object.created(version);
        let mut bodies = BTreeMap::new();
        let mut images = BTreeMap::new();
        let mut html_images = BTreeMap::new();
        for article in issue.articles() {
            let bytes = object.read(version, &article.body)?;
            let text = String::from_utf8(bytes).map_err(|cause| ExportError::NotUtf8 {
                path: format!("{}@{version}/{}", object.id(), article.body),
                cause,
            })?;
            // Images the body shows must be in the issue (remote ones are only recorded).
            let state = object.state(version);
            for block in pdf::compose::blocks(&text) {
                let pdf::compose::Block::Image { src, .. } = block else {
                    continue;
                };
                // Only the issue's own assets must be there; other paths are links the web
                // capture recorded (the edition names them).
                if !src.starts_with("assets/") || images.contains_key(&src) {
                    continue;
                }
                if !state.contains_key(&src) {
                    return Err(ExportError::Image {
                        path: src,
                        message: format!(
                            "is shown by article `{}` but is not in the archived issue",
                            article.id
                        ),
                    });
                }
                let bytes = object.read(version, &src)?;
                images.insert(src, bytes);
            }
            // Raw HTML's images are read when the version holds them (the editions name the
            // others, as the model does not check them).
            for src in crate::model::body::html_image_sources(&text) {
                if src.starts_with("assets/") && state.contains_key(&src) {
                    if let Entry::Vacant(slot) = html_images.entry(src) {
                        let bytes = object.read(version, slot.key())?;
                        slot.insert(bytes);
                    }
                }
            }
            bodies.insert(article.id.clone(), text);
            for image in &article.images {
                images.insert(image.file.clone(), object.read(version, &image.file)?);
            }
        }
        if let Some(cover) = &issue.cover {
            images.insert(cover.clone(), object.read(version, cover)?);
        }
        html_images.retain(|path, _| !images.contains_key(path));
        let metadata_sha512 = DigestAlgorithm::Sha512.digest(&object.read(version, ISSUE_FILE)?);
        Ok(Edition {
            object_id: object.id().to_string(),
            version,
            created,
            issue,
            bodies,
            images,
            html_images,
            metadata_sha512,
        })
    }

    /// The version's created time, the one date an export may use.
    pub fn created_time(&self) -> Result<chrono::DateTime<chrono::FixedOffset>, ExportError> {
        chrono::DateTime::parse_from_rfc3339(&self.created).map_err(|cause| {
            ExportError::BadCreated {
                created: self.created.clone(),
                cause,
            }
        })
    }

    /// A file name safe on every system: `<issue id>-v<N>.<extension>`.
    pub fn file_name(&self, extension: &str) -> String {
        format!("{}-v{}.{extension}", self.issue.id, self.version.number)
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    #[error("{0}")]
    Input(String),
    #[error("{path}: not UTF-8")]
    NotUtf8 {
        path: String,
        #[source]
        cause: std::string::FromUtf8Error,
    },
    #[error("version created time `{created}` is not RFC 3339")]
    BadCreated {
        created: String,
        #[source]
        cause: chrono::ParseError,
    },
    #[error(
        "the PDF edition cannot set {scripts} text (it needs right-to-left layout or letters \
         shaped by their neighbours, which this edition does not do; set letter by letter it \
         would be unreadable), in {places}; the EPUB and the web edition carry it"
    )]
    ScriptNotSet { scripts: String, places: String },
    #[error("{path}: {message}")]
    Image { path: String, message: String },
    #[error("{path}: cannot read the settings")]
    Config {
        path: String,
        #[source]
        cause: toml::de::Error,
    },
    #[error("{}: already exists; a bag is written to a new folder", path.display())]
    BagExists { path: std::path::PathBuf },
    /// An image the PDF cannot embed (a format it does not take, a damaged file): the edition
    /// names it in the text instead, and warns. `reason` says what the file is ("is ...").
    #[error("{path}: {reason}")]
    ImageLeftOut { path: String, reason: String },
    #[error("{path}: cannot read the font")]
    FontFile {
        path: String,
        #[source]
        cause: std::io::Error,
    },
    /// An input PDF/A-1b cannot hold: the edition is refused rather than mislabelled.
    #[error("{input}: {reason}, so the PDF cannot be PDF/A-1b; export with --no-pdfa for a PDF that does not claim it")]
    NotPdfA { input: String, reason: String },
    #[error("cannot subset the font {font}")]
    Subset {
        font: String,
        #[source]
        cause: Box<dyn std::error::Error + Send + Sync>,
    },
    /// An encoder (zip, EPUB, PDF, XML) failed on the output `what`.
    #[error("cannot write {what}")]
    Encode {
        what: &'static str,
        #[source]
        cause: Box<dyn std::error::Error + Send + Sync>,
    },
    /// What is at or above the path to write stands in the way (a folder, or a file that
    /// should be a folder).
    #[error("{}: cannot write: {reason}", path.display())]
    InTheWay {
        path: std::path::PathBuf,
        reason: String,
    },
    #[error("{}: cannot write", path.display())]
    Write {
        path: std::path::PathBuf,
        #[source]
        cause: std::io::Error,
    },
}

impl ExportError {
    /// An encoder's failure on the output `what` ("the EPUB", "the zip"...).
    pub(crate) fn encode<E>(what: &'static str) -> impl Fn(E) -> ExportError + Copy
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        move |cause| ExportError::Encode {
            what,
            cause: cause.into(),
        }
    }
}
