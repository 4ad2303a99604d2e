//! The issue source folder: the human-editable form of an issue that a librarian prepares,
//! that `quire ingest` takes and that `quire checkout` gives back byte for byte.
//!
//! ```text
//! issue.toml      issue and article metadata
//! articles/*.md   article bodies (Markdown, the body dialect: see model::body)
//! assets/         images
//! sources/        original captures, kept byte for byte
//! ```

use super::{body, Issue, ISSUE_FILE};
use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The folders a source folder may hold besides `issue.toml`.
pub const FOLDERS: [&str; 3] = ["articles", "assets", "sources"];

/// One thing wrong with a source folder, naming the file and, where known, the line.
#[derive(Debug)]
pub struct Problem {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
    /// The failure underneath, for a file that could not be read at all.
    pub cause: Option<io::Error>,
}

impl Problem {
    pub(crate) fn new(file: String, line: Option<usize>, message: String) -> Self {
        Problem {
            file,
            line,
            message,
            cause: None,
        }
    }

    /// A file or folder that could not be read.
    pub(crate) fn unreadable(file: String, cause: io::Error) -> Self {
        Problem {
            cause: Some(cause),
            ..Problem::new(file, None, "cannot read".into())
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message)?,
            None => write!(f, "{}: {}", self.file, self.message)?,
        }
        // One of several problems: its cause is part of its line, not of an error chain.
        match &self.cause {
            Some(cause) => write!(f, ": {cause}"),
            None => Ok(()),
        }
    }
}

/// Everything wrong with a source folder, so that one run shows all there is to fix.
#[derive(Debug, thiserror::Error)]
pub struct SourceFolderError {
    pub problems: Vec<Problem>,
}

impl SourceFolderError {
    pub(crate) fn one(
        file: impl Into<String>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        SourceFolderError {
            problems: vec![Problem::new(file.into(), line, message.into())],
        }
    }
}

impl fmt::Display for SourceFolderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

/// A file of the source folder: its path inside the folder (`/`-separated) and on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub logical_path: String,
    pub path: PathBuf,
}

/// A source folder whose metadata has been read and checked.
#[derive(Debug, Clone)]
pub struct SourceFolder {
    pub root: PathBuf,
    pub issue: Issue,
    /// Every file, sorted by logical path.
    pub files: Vec<SourceFile>,
    /// Things worth telling that do not stop an ingest (such as files nothing refers to).
    pub warnings: Vec<String>,
}

/// Checks a path inside a source folder: relative, `/`-separated, no `.`, `..` or empty parts.
pub fn check_relative_path(path: &str) -> Result<(), String> {
    if path.is_empty() || path.starts_with('/') || path.ends_with('/') || path.contains('\\') {
        return Err("must be a relative path like assets/cover.jpg".into());
    }
    if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Err("must not contain empty, `.` or `..` parts".into());
    }
    Ok(())
}

impl SourceFolder {
    /// Reads and checks a source folder: every problem found is reported at once.
    pub fn open(root: impl AsRef<Path>) -> Result<SourceFolder, SourceFolderError> {
        let root = root.as_ref().to_path_buf();
        if !root.is_dir() {
            let what = match root.exists() {
                true => {
                    "is not a folder (ingest takes an issue folder, a bag folder or a zipped \
                     bag; unpack a tar or other archive first)"
                }
                false => "does not exist",
            };
            return Err(SourceFolderError::one(name(&root), None, what));
        }
        let mut problems = Vec::new();
        let files = walk_folder(&root, &mut problems)?;
        let issue = read_issue(&root, &files, &mut problems);
        let Some(issue) = issue.filter(|_| problems.is_empty()) else {
            return Err(SourceFolderError { problems });
        };
        let present: BTreeSet<&str> = files.iter().map(|f| f.logical_path.as_str()).collect();
        let shown = check_bodies(&root, &issue, &present, &mut problems);
        if !problems.is_empty() {
            return Err(SourceFolderError { problems });
        }
        let warnings = unreferenced(&issue, &files, &shown);
        Ok(SourceFolder {
            root,
            issue,
            files,
            warnings,
        })
    }
}

fn name(path: &Path) -> String {
    path.display().to_string()
}

/// Every visible file of the folder, sorted by logical path; links, special files and
/// unexpected files or folders are problems. Only a folder that cannot be walked stops here.
fn walk_folder(
    root: &Path,
    problems: &mut Vec<Problem>,
) -> Result<Vec<SourceFile>, SourceFolderError> {
    let mut files = Vec::new();
    // Hidden files and folders (.DS_Store, .git, editor state) are not part of an issue.
    let visible =
        |e: &walkdir::DirEntry| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.');
    let unexpected = |what: &str| {
        format!("unexpected {what}: a source folder holds {ISSUE_FILE}, articles/, assets/ and sources/")
    };
    for entry in walkdir::WalkDir::new(root)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(visible)
    {
        let entry = entry.map_err(|e| {
            let path = e.path().map(name).unwrap_or_else(|| name(root));
            let problems = vec![Problem::unreadable(path, crate::walk_failure(e))];
            SourceFolderError { problems }
        })?;
        let relative = entry
            .path()
            .strip_prefix(root)
            .expect("walkdir stays inside the root");
        let Some(logical) = relative
            .to_str()
            .map(|s| s.replace(std::path::MAIN_SEPARATOR, "/"))
        else {
            problems.push(Problem::new(
                name(entry.path()),
                None,
                "file name is not valid UTF-8".into(),
            ));
            continue;
        };
        let file_type = entry.file_type();
        let problem = if file_type.is_symlink() {
            Some(
                "is a symbolic link; copy the file itself into the folder (OCFL keeps no links)"
                    .into(),
            )
        } else if file_type.is_dir() {
            (entry.depth() == 1 && !FOLDERS.contains(&logical.as_str()))
                .then(|| unexpected("folder"))
        } else if !file_type.is_file() {
            Some("is not a regular file".into())
        } else if entry.depth() == 1 && logical != ISSUE_FILE {
            Some(unexpected("file"))
        } else {
            files.push(SourceFile {
                logical_path: logical,
                path: entry.path().to_path_buf(),
            });
            None
        };
        if let Some(message) = problem {
            problems.push(Problem::new(name(entry.path()), None, message));
        }
    }
    files.sort_by(|a, b| a.logical_path.cmp(&b.logical_path));
    Ok(files)
}

/// Reads and parses `issue.toml` against the files present; `None` when it has problems.
fn read_issue(root: &Path, files: &[SourceFile], problems: &mut Vec<Problem>) -> Option<Issue> {
    let issue_path = root.join(ISSUE_FILE);
    let issue_name = name(&issue_path);
    let text = match fs::read(&issue_path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                problems.push(Problem::new(
                    issue_name,
                    None,
                    format!(
                        "is not UTF-8 (invalid byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ),
                ));
                return None;
            }
        },
        Err(e) => {
            problems.push(Problem::unreadable(issue_name, e));
            return None;
        }
    };
    let present: BTreeSet<String> = files.iter().map(|f| f.logical_path.clone()).collect();
    match Issue::parse(&text, &issue_name, &present) {
        Ok(issue) => Some(issue),
        Err(e) => {
            problems.extend(e.problems);
            None
        }
    }
}

/// Bodies must be readable, non-empty text (Markdown itself accepts any text), and the images
/// they show from the issue must be in the folder. Gives the images shown that are there.
fn check_bodies(
    root: &Path,
    issue: &Issue,
    present: &BTreeSet<&str>,
    problems: &mut Vec<Problem>,
) -> BTreeSet<String> {
    let mut shown = BTreeSet::new();
    for article in issue.articles() {
        let path = root.join(&article.body);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                problems.push(Problem::unreadable(name(&path), e));
                continue;
            }
        };
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            let message = format!("body of article `{}` is empty", article.id);
            problems.push(Problem::new(name(&path), None, message));
            continue;
        }
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => text,
            Err(e) => {
                let line = bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                problems.push(Problem::new(
                    name(&path),
                    Some(line),
                    "is not UTF-8 text".into(),
                ));
                continue;
            }
        };
        // A path as the editions read it: `%20` and other escapes decoded.
        for src in body::image_sources(text)
            .iter()
            .map(|s| body::percent_decode(s))
        {
            match image_problem(&article.body, &src, present) {
                Some(message) => problems.push(Problem::new(name(&path), None, message)),
                None => {
                    shown.insert(src);
                }
            }
        }
    }
    shown
}

/// What is wrong with an image a body shows (its path decoded): an issue's asset that is not
/// in the folder, or
/// a path written relative to the body's own folder (as a Markdown editor reads it) while the
/// body dialect reads image paths from the issue folder. Other paths are addresses a capture
/// recorded (the editions name them) and are left as they are.
fn image_problem(body_path: &str, src: &str, present: &BTreeSet<&str>) -> Option<String> {
    if !body::is_local_source(src) || present.contains(src) {
        return None;
    }
    if src.starts_with("assets/") {
        return Some(format!("shows image `{src}`, which is not in the folder"));
    }
    let from_body = relative_to(body_path, src)?;
    present.contains(from_body.as_str()).then(|| {
        format!(
            "shows image `{src}`: image paths are read from the issue folder, so write \
             `{from_body}`"
        )
    })
}

/// `src` read from the folder of the file `base` (both `/`-separated, inside the folder),
/// `..` and `.` resolved; `None` when it leaves the folder.
fn relative_to(base: &str, src: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for part in src.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// Where an issue keeps the tag files of the bag it came in (`bag-info.txt`, the sender's
/// manifests, other tag files), as they were: the deposit's provenance, which no
/// `issue.toml` names.
pub const BAG_TAG_FILES: &str = "sources/bag/";

/// A warning for each file that neither `issue.toml` nor a body names (but a bag's tag files).
fn unreferenced(issue: &Issue, files: &[SourceFile], shown: &BTreeSet<String>) -> Vec<String> {
    let mut referenced: BTreeSet<&str> = BTreeSet::from([ISSUE_FILE]);
    referenced.extend(shown.iter().map(String::as_str));
    referenced.extend(issue.cover.as_deref());
    for article in issue.articles() {
        referenced.insert(&article.body);
        referenced.extend(article.images.iter().map(|i| i.file.as_str()));
        referenced.extend(article.sources.iter().map(|s| s.file.as_str()));
    }
    files
        .iter()
        .filter(|f| !referenced.contains(f.logical_path.as_str()))
        .filter(|f| !f.logical_path.starts_with(BAG_TAG_FILES))
        .map(|f| {
            format!(
                "{}: not referenced by {ISSUE_FILE} (kept in the archive all the same)",
                name(&f.path)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_from_a_body_resolves_inside_the_folder_or_not_at_all() {
        assert_eq!(
            relative_to("articles/a.md", "../assets/x.png").as_deref(),
            Some("assets/x.png")
        );
        assert_eq!(
            relative_to("articles/a.md", "./img/x.png").as_deref(),
            Some("articles/img/x.png")
        );
        assert_eq!(relative_to("articles/a.md", "../../x.png"), None);
    }

    #[test]
    fn only_a_file_the_folder_lacks_is_an_image_problem() {
        let present = BTreeSet::from(["assets/x.png"]);
        let problem = |src| image_problem("articles/a.md", src, &present);
        assert_eq!(problem("assets/x.png"), None);
        assert_eq!(problem("https://example.org/x.png"), None);
        assert_eq!(problem("//cdn.example.org/x.png"), None);
        // A relative address a capture recorded, which names no file of the issue.
        assert_eq!(problem("../images/photo.jpg"), None);
        assert!(problem("assets/y.png")
            .unwrap()
            .contains("not in the folder"));
        assert!(problem("../assets/x.png")
            .unwrap()
            .contains("write `assets/x.png`"));
    }
}
