//! The incremental build. The site folder keeps `.quire-site.json`: a digest of the settings
//! every page depends on (quire's version, the base URL, the site's name), and for each issue
//! the digest of the object's inventory its pages were made from and the files they are, and
//! for every file written its sha256 and size.
//!
//! A build makes an issue's pages again only when its inventory (so any version of it) or the
//! settings changed, or one of its files is gone or has another size; the pages that list
//! across issues are made every time. Any file is written only when its bytes differ from the
//! record, and files the build no longer makes are removed: a second build of the same archive
//! writes nothing but what changed.

use super::{SiteError, SiteFile};
use crate::archive::DigestAlgorithm;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The manifest's name in the site folder.
pub const MANIFEST: &str = ".quire-site.json";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Manifest {
    settings: String,
    /// Object id → the issue's record.
    issues: BTreeMap<String, IssueRecord>,
    /// Path in the site → the file's record.
    files: BTreeMap<String, FileRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct IssueRecord {
    key: String,
    files: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct FileRecord {
    sha256: String,
    bytes: u64,
}

/// What a build did to the site folder.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WriteReport {
    /// Files written, in the order they were.
    pub written: Vec<String>,
    /// Files whose bytes were already there.
    pub unchanged: usize,
    /// Files of the previous build that this one no longer makes, removed.
    pub removed: Vec<String>,
}

/// Writes a build into the site folder against the previous build's manifest.
pub struct Writer {
    dir: PathBuf,
    old: Manifest,
    new: Manifest,
    folders: BTreeSet<PathBuf>,
    report: WriteReport,
}

impl Writer {
    /// Reads the folder's manifest (none, or one made with other `settings`, counts as empty).
    pub fn open(dir: &Path, settings: &str) -> Writer {
        let old: Manifest = fs::read(dir.join(MANIFEST))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        let old = match old.settings == settings {
            true => old,
            false => Manifest {
                files: old.files,
                ..Manifest::default()
            },
        };
        Writer {
            dir: dir.to_path_buf(),
            old,
            new: Manifest {
                settings: settings.to_string(),
                ..Manifest::default()
            },
            folders: BTreeSet::new(),
            report: WriteReport::default(),
        }
    }

    /// True when the pages of the object `object_id` were made from `key` by the last build
    /// and are all still in place: they are carried into this build as they are.
    pub fn keep_issue(&mut self, object_id: &str, key: &str) -> bool {
        let Some(record) = self.old.issues.get(object_id).filter(|r| r.key == key) else {
            return false;
        };
        let in_place = record.files.iter().all(|path| {
            let size = fs::metadata(self.dir.join(path)).map(|m| m.len()).ok();
            self.old.files.get(path).map(|r| r.bytes) == size && size.is_some()
        });
        if !in_place {
            return false;
        }
        for path in &record.files {
            if let Some(file) = self.old.files.get(path) {
                self.new.files.insert(path.clone(), file.clone());
            }
        }
        self.report.unchanged += record.files.len();
        self.new
            .issues
            .insert(object_id.to_string(), record.clone());
        true
    }

    /// Writes the files of an issue made from `key`.
    pub fn issue(
        &mut self,
        object_id: &str,
        key: &str,
        files: Vec<SiteFile>,
    ) -> Result<(), SiteError> {
        let paths = files.iter().map(|f| f.path.clone()).collect();
        for file in files {
            self.file(file)?;
        }
        let record = IssueRecord {
            key: key.to_string(),
            files: paths,
        };
        self.new.issues.insert(object_id.to_string(), record);
        Ok(())
    }

    /// Writes one file, unless the folder holds its bytes already.
    pub fn file(&mut self, file: SiteFile) -> Result<(), SiteError> {
        let record = FileRecord {
            sha256: DigestAlgorithm::Sha256.digest(&file.bytes),
            bytes: file.bytes.len() as u64,
        };
        let path = self.dir.join(&file.path);
        let same = self.old.files.get(&file.path) == Some(&record)
            && fs::metadata(&path).is_ok_and(|m| m.len() == record.bytes);
        if same {
            self.report.unchanged += 1;
        } else {
            let parent = path.parent().unwrap_or(&self.dir).to_path_buf();
            if !self.folders.contains(&parent) {
                fs::create_dir_all(&parent).map_err(|cause| SiteError::Write {
                    path: parent.clone(),
                    cause,
                })?;
                self.folders.insert(parent);
            }
            fs::write(&path, &file.bytes).map_err(|cause| SiteError::Write {
                path: path.clone(),
                cause,
            })?;
            self.report.written.push(file.path.clone());
        }
        self.new.files.insert(file.path, record);
        Ok(())
    }

    /// Removes what the previous build made and this one did not, and saves the manifest.
    pub fn finish(mut self) -> Result<WriteReport, SiteError> {
        let stale: Vec<String> = self
            .old
            .files
            .keys()
            .filter(|path| !self.new.files.contains_key(*path))
            .cloned()
            .collect();
        for path in stale {
            let full = self.dir.join(&path);
            match fs::remove_file(&full) {
                Ok(()) => remove_empty_folders(&self.dir, &full),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(cause) => return Err(SiteError::Write { path: full, cause }),
            }
            self.report.removed.push(path);
        }
        let mut json = serde_json::to_vec_pretty(&self.new).expect("records serialize");
        json.push(b'\n');
        let path = self.dir.join(MANIFEST);
        fs::write(&path, json).map_err(|cause| SiteError::Write { path, cause })?;
        Ok(self.report)
    }
}

/// Removes the folders above `file` that are left empty, up to `root`.
fn remove_empty_folders(root: &Path, file: &Path) {
    let mut folder = file.parent();
    while let Some(dir) = folder.filter(|d| *d != root && d.starts_with(root)) {
        if fs::remove_dir(dir).is_err() {
            break;
        }
        folder = dir.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> SiteFile {
        SiteFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_second_build_writes_only_what_changed_and_removes_what_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let mut first = Writer::open(dir.path(), "s");
        first
            .issue("urn:x", "k1", vec![file("issues/x/index.html", "x1")])
            .unwrap();
        first.file(file("index.html", "home")).unwrap();
        first.file(file("old/gone.html", "gone")).unwrap();
        let report = first.finish().unwrap();
        assert_eq!(report.written.len(), 3);

        let mut second = Writer::open(dir.path(), "s");
        assert!(second.keep_issue("urn:x", "k1"));
        second.file(file("index.html", "home")).unwrap();
        let report = second.finish().unwrap();
        assert!(report.written.is_empty(), "{report:?}");
        assert_eq!(report.unchanged, 2);
        assert_eq!(report.removed, ["old/gone.html"]);
        assert!(
            !dir.path().join("old").exists(),
            "its empty folder goes too"
        );

        let mut third = Writer::open(dir.path(), "s");
        assert!(!third.keep_issue("urn:x", "k2"), "a new inventory");
        fs::remove_file(dir.path().join("index.html")).unwrap();
        third.file(file("index.html", "home")).unwrap();
        assert_eq!(third.finish().unwrap().written, ["index.html"]);

        let mut other = Writer::open(dir.path(), "other settings");
        assert!(!other.keep_issue("urn:x", "k1"), "settings changed");
    }
}
