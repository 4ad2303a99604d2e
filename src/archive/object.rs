//! Reading one object: its versions, their logical state, their files and their history.

use super::digest::HashingReader;
use super::{Archive, ArchiveError, Inventory, VersionNum};
use crate::model::source::Problem;
use crate::model::{object_id, Issue, SourceFolderError, ISSUE_FILE};
use crate::ocfl::INVENTORY;
use crate::store::join;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// `ID` or `ID@vN` as written on the command line. An OCFL object id may itself hold `@`
/// (`mailto:ann@example.org`, `ns:obj@v1`): such a text keeps both readings, and
/// [`Archive::open_version`] decides between them by the objects the root holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRef {
    pub id: String,
    /// The version number asked for, or `None` for the head.
    pub version: Option<u32>,
    /// The whole text, when it is also an object id of its own (it has a `:` and an `@`
    /// followed by a version): `ns:obj@v1` may be that object or version 1 of `ns:obj`.
    pub whole_id: Option<String>,
}

impl FromStr for VersionRef {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let head = |id: &str| VersionRef {
            id: id.to_string(),
            version: None,
            whole_id: None,
        };
        let Some((id, version)) = s.rsplit_once('@') else {
            return Ok(head(s));
        };
        // An issue id has no `@` and no `:` (see model::check_identifier); an object id with
        // a `:` may have an `@` that names no version.
        let is_object_id = s.contains(':');
        match parse_version_number(version) {
            Ok(number) => Ok(VersionRef {
                id: id.to_string(),
                version: Some(number),
                whole_id: is_object_id.then(|| s.to_string()),
            }),
            Err(_) if is_object_id => Ok(head(s)),
            Err(e) => Err(e),
        }
    }
}

/// Parses `v2`, `V2`, `v002` or `2` as a version number.
pub fn parse_version_number(text: &str) -> Result<u32, String> {
    let digits = text.strip_prefix(['v', 'V']).unwrap_or(text);
    match digits.parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("`{text}` is not a version like v1 or v2")),
    }
}

impl Archive {
    /// The object of an issue id (or of an OCFL object id); a missing object is an error. An
    /// issue id names `urn:quire:<id>`, or else the one object another tool wrote whose head's
    /// issue.toml has that id (see [`Archive::issue_object_id`]).
    pub fn open_issue(&self, id: &str) -> Result<Object<'_>, ArchiveError> {
        let derived = object_id(id);
        if derived == id {
            return self.require_object(id);
        }
        match self.find_typed(id)? {
            Some(object) => Ok(object),
            None => self.require_object(&derived),
        }
    }

    /// The object an id typed on the command line names, as `ingest` would write to it: the
    /// issue's (`urn:quire:<id>`), else the one another tool wrote whose issue.toml has that
    /// id, else one of that very id (another tool's `obj10`).
    fn find_typed(&self, id: &str) -> Result<Option<Object<'_>>, ArchiveError> {
        let derived = object_id(id);
        if let Some(object) = self.object(&derived)? {
            return Ok(Some(object));
        }
        if derived == id {
            return Ok(None);
        }
        match self.issue_holder(id)? {
            Some(entry) => self.object_at(&entry).map(Some),
            None => self.object(id),
        }
    }

    /// The object ids that ids typed on the command line name (see
    /// [`crate::model::resolve_object_id`]); while an object cannot be read, an issue id names
    /// only its own object (the unreadable one may be it).
    pub fn typed_object_ids(&self, typed: &[String]) -> Result<Vec<String>, ArchiveError> {
        if typed.is_empty() {
            return Ok(Vec::new());
        }
        let scan = self.scan()?;
        let certain = scan.unreadable.is_empty();
        let known = |id: &str| certain && scan.objects.iter().any(|o| o.id == id);
        Ok(typed
            .iter()
            .map(|t| crate::model::resolve_object_id(t, known))
            .collect())
    }

    /// The id of the object that holds issue `issue_id`, for a new version of it: the
    /// object `urn:quire:<id>` when the root holds it; else the one object another tool named
    /// otherwise (rocfl's `ns:trial-b`) whose head's issue.toml has that id; else
    /// `urn:quire:<id>`, a new object. Two such objects are an error naming both.
    pub fn issue_object_id(&self, issue_id: &str) -> Result<String, ArchiveError> {
        let derived = object_id(issue_id);
        if self.object(&derived)?.is_some() {
            return Ok(derived);
        }
        match self.issue_holder(issue_id)? {
            Some(entry) => self.placed_where_written(&entry).map(|()| entry.id),
            None => Ok(derived),
        }
    }

    /// The one object another tool wrote (its id is not `urn:quire:…`) whose head's issue.toml
    /// has the id `issue_id`; two are an error naming both.
    fn issue_holder(&self, issue_id: &str) -> Result<Option<super::ObjectEntry>, ArchiveError> {
        let scan = self.scan()?;
        let mut holders: Vec<super::ObjectEntry> = scan
            .objects
            .into_iter()
            .filter(|entry| !entry.id.starts_with(crate::model::OBJECT_ID_PREFIX))
            .filter(|entry| {
                self.object_at(entry)
                    .and_then(|object| object.issue(object.head()))
                    .is_ok_and(|issue| issue.id == issue_id)
            })
            .collect();
        if holders.len() > 1 {
            return Err(ArchiveError::Unsupported {
                path: self.location(),
                message: format!(
                    "issue `{issue_id}` is held by {}: quire cannot tell which one is meant \
                     (name the object by its id; give an issue folder another id)",
                    holders
                        .iter()
                        .map(|e| format!("object `{}` at {}", e.id, e.path))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            });
        }
        Ok(holders.pop())
    }

    /// A new version of the object at `entry` is written where the layout puts its id: it must
    /// stand there already, or the version would start a second object with that id.
    fn placed_where_written(&self, entry: &super::ObjectEntry) -> Result<(), ArchiveError> {
        match self.layout().map(|layout| layout.object_path(&entry.id)) {
            Some(Ok(path)) if path != entry.path => Err(ArchiveError::Unsupported {
                path: self.store().describe(&entry.path),
                message: format!(
                    "object `{}` stands where the layout does not put it ({path}; OCFL E083): \
                     quire cannot add a version to it (run `quire verify`)",
                    entry.id
                ),
            }),
            _ => Ok(()),
        }
    }

    /// The object and version that `ID` or `ID@vN` names: the head when no version is given.
    pub fn open_version(
        &self,
        version_ref: &VersionRef,
    ) -> Result<(Object<'_>, VersionNum), ArchiveError> {
        let Some(whole_id) = &version_ref.whole_id else {
            let object = self.open_issue(&version_ref.id)?;
            let version = object.version(version_ref.version)?;
            return Ok((object, version));
        };
        // The `ID@vN` reading holds when object ID has that version.
        let split = self.find_typed(&version_ref.id)?.and_then(|object| {
            let version = object.version(version_ref.version).ok()?;
            Some((object, version))
        });
        match (self.object(whole_id)?, split) {
            (Some(whole), None) => {
                let head = whole.head();
                Ok((whole, head))
            }
            (None, Some(found)) => Ok(found),
            (Some(whole), Some(_)) => Err(ambiguous(version_ref, whole_id, &whole, self)),
            // Neither: the error of the `ID@vN` reading (no such object, or no such version).
            (None, None) => {
                let object = self.open_issue(&version_ref.id)?;
                object.version(version_ref.version)?;
                Err(ArchiveError::NoSuchObject {
                    id: whole_id.clone(),
                    root: self.location(),
                })
            }
        }
    }
}

/// The refusal of a text that names both an object (`whole_id`, found as `whole`) and a
/// version of another, saying how to write each.
fn ambiguous(
    version_ref: &VersionRef,
    whole_id: &str,
    whole: &Object<'_>,
    archive: &Archive,
) -> ArchiveError {
    let (id, n) = (&version_ref.id, version_ref.version.unwrap_or_default());
    // `ns:obj@1` for `ns:obj@v1` and the other way round: the same version, but not the other
    // object's id.
    let other = match whole_id.ends_with(&format!("@v{n}")) {
        true => format!("{id}@{n}"),
        false => format!("{id}@v{n}"),
    };
    ArchiveError::Unsupported {
        path: archive.location(),
        message: format!(
            "`{whole_id}` names both object `{whole_id}` and version v{n} of object `{id}`: \
             write `{whole_id}@{}` for the first or `{other}` for the second",
            whole.head()
        ),
    }
}

impl fmt::Display for VersionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.version {
            Some(v) => write!(f, "{}@v{v}", self.id),
            None => f.write_str(&self.id),
        }
    }
}

/// Files that differ between two logical states.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileChanges {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
}

impl FileChanges {
    /// Compares two `logical path → digest` states.
    pub fn between(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Self {
        let mut changes = FileChanges::default();
        for (path, digest) in after {
            match before.get(path) {
                None => changes.added.push(path.clone()),
                Some(old) if !old.eq_ignore_ascii_case(digest) => {
                    changes.changed.push(path.clone())
                }
                Some(_) => {}
            }
        }
        changes.removed = before
            .keys()
            .filter(|p| !after.contains_key(*p))
            .cloned()
            .collect();
        changes
    }

    /// A one-line description such as `added 3 files (issue.toml, …); changed articles/a.md`.
    pub fn summary(&self) -> String {
        let part = |verb: &str, paths: &[String]| -> Option<String> {
            let shown: Vec<&str> = paths.iter().take(3).map(String::as_str).collect();
            let more = paths.len().saturating_sub(shown.len());
            let list = if more > 0 {
                format!("{}, and {more} more", shown.join(", "))
            } else {
                shown.join(", ")
            };
            match paths.len() {
                0 => None,
                1 => Some(format!("{verb} {list}")),
                n => Some(format!("{verb} {n} files ({list})")),
            }
        };
        let parts: Vec<String> = [
            part("added", &self.added),
            part("changed", &self.changed),
            part("removed", &self.removed),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            "no changes".into()
        } else {
            let text = parts.join("; ");
            let mut chars = text.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// An object of the archive, as its root inventory describes it.
pub struct Object<'a> {
    archive: &'a Archive,
    path: String,
    inventory: Inventory,
}

impl<'a> Object<'a> {
    pub(crate) fn new(archive: &'a Archive, path: String, inventory: Inventory) -> Self {
        Object {
            archive,
            path,
            inventory,
        }
    }

    pub fn id(&self) -> &str {
        &self.inventory.id
    }

    /// The object root, relative to the storage root.
    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn inventory(&self) -> &Inventory {
        &self.inventory
    }

    /// Where the object was found: its id and root.
    pub fn entry(&self) -> super::ObjectEntry {
        super::ObjectEntry {
            id: self.inventory.id.clone(),
            path: self.path.clone(),
        }
    }

    pub fn head(&self) -> VersionNum {
        self.inventory.head
    }

    /// The version numbered `number`, or the head for `None`.
    pub fn version(&self, number: Option<u32>) -> Result<VersionNum, ArchiveError> {
        let Some(number) = number else {
            return Ok(self.head());
        };
        self.inventory
            .versions
            .keys()
            .copied()
            .find(|v| v.number == number)
            .ok_or_else(|| ArchiveError::NoSuchVersion {
                id: self.id().to_string(),
                version: format!("v{number}"),
                head: self.head(),
            })
    }

    /// A version's created time (RFC 3339), as its inventory records it.
    pub fn created(&self, version: VersionNum) -> String {
        self.inventory
            .versions
            .get(&version)
            .map(|v| v.created.clone())
            .unwrap_or_default()
    }

    /// `logical path → digest` of a version.
    pub fn state(&self, version: VersionNum) -> BTreeMap<String, String> {
        self.inventory.logical_state(version).unwrap_or_default()
    }

    /// A reader over one file of a version that checks the content against its digest as it
    /// is read: the last `read` fails if the stored bytes were damaged.
    pub fn open(
        &self,
        version: VersionNum,
        logical_path: &str,
    ) -> Result<Box<dyn Read + Send + 'a>, ArchiveError> {
        let digest =
            self.state(version)
                .remove(logical_path)
                .ok_or_else(|| ArchiveError::NoSuchFile {
                    id: self.id().to_string(),
                    version,
                    path: logical_path.to_string(),
                })?;
        let content_path =
            self.inventory
                .content_path(&digest)
                .ok_or_else(|| ArchiveError::BadInventory {
                    path: self.archive.store().describe(&join(&self.path, INVENTORY)),
                    message: format!("digest {digest} of `{logical_path}` is not in the manifest"),
                })?;
        let store_path = join(&self.path, content_path);
        let reader = self.archive.store().open(&store_path)?;
        Ok(Box::new(VerifyingReader {
            inner: Some(HashingReader::new(self.inventory.digest_algorithm, reader)),
            expected: digest,
            path: self.archive.store().describe(&store_path),
            algorithm: self.inventory.digest_algorithm,
        }))
    }

    /// One whole file of a version, checked against its digest.
    pub fn read(&self, version: VersionNum, logical_path: &str) -> Result<Vec<u8>, ArchiveError> {
        let mut bytes = Vec::new();
        self.open(version, logical_path)?
            .read_to_end(&mut bytes)
            .map_err(|e| {
                let path = format!("{}@{version}/{logical_path}", self.id());
                into_archive_error(e, "read", path)
            })?;
        Ok(bytes)
    }

    /// Writes a version's logical state into `dest` (which must not exist, or be empty), every
    /// file checked against its digest. On failure the partial folder is removed.
    pub fn checkout(&self, version: VersionNum, dest: &Path) -> Result<(), ArchiveError> {
        let describe = dest.display().to_string();
        if let Some(message) = crate::in_the_way(dest, true) {
            return Err(ArchiveError::Source {
                path: describe,
                message: format!("{message}; checkout needs a new folder"),
            });
        }
        if dest.exists() {
            let empty = fs::read_dir(dest)
                .map(|mut d| d.next().is_none())
                .map_err(|e| ArchiveError::io("read", dest, e))?;
            if !empty {
                return Err(ArchiveError::Source {
                    path: describe,
                    message: "already exists and is not empty; checkout needs a new folder".into(),
                });
            }
        }
        let result = self.checkout_into(version, dest);
        if result.is_err() {
            let _ = fs::remove_dir_all(dest);
        }
        result
    }

    fn checkout_into(&self, version: VersionNum, dest: &Path) -> Result<(), ArchiveError> {
        // A version may hold no file: its checkout is an empty folder.
        fs::create_dir_all(dest).map_err(|e| ArchiveError::io("write", dest, e))?;
        for logical in self.state(version).keys() {
            let target = self.checkout_target(version, dest, logical)?;
            let io_error = |e: io::Error| ArchiveError::io("write", &target, e);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(io_error)?;
            }
            let mut file = fs::File::create(&target).map_err(io_error)?;
            let mut reader = self.open(version, logical)?;
            io::copy(&mut reader, &mut file)
                .map_err(|e| into_archive_error(e, "write", target.display().to_string()))?;
            file.flush().map_err(io_error)?;
        }
        Ok(())
    }

    /// Where `logical` goes under `dest`. Paths come from the inventory, which may be hostile:
    /// one OCFL forbids (E052, E053) makes the inventory invalid, and nothing may leave `dest`.
    /// A valid path this system cannot name (a NUL; on Windows a backslash, a colon...) is
    /// refused by name.
    fn checkout_target(
        &self,
        version: VersionNum,
        dest: &Path,
        logical: &str,
    ) -> Result<PathBuf, ArchiveError> {
        let shown = logical.escape_debug();
        if let Some(fault) = crate::ocfl::PathFault::of(logical) {
            return Err(ArchiveError::BadInventory {
                path: self.archive.store().describe(&join(&self.path, INVENTORY)),
                message: format!(
                    "logical path `{shown}` {}; nothing was checked out",
                    fault.describe()
                ),
            });
        }
        let unnameable: &[char] = match cfg!(windows) {
            true => &['\0', '\\', ':', '*', '?', '"', '<', '>', '|'],
            false => &['\0'],
        };
        if let Some(c) = logical.chars().find(|c| unnameable.contains(c)) {
            return Err(ArchiveError::Source {
                path: format!("{}@{version}: `{shown}`", self.id()),
                message: format!(
                    "this system cannot name a file with `{}` in it; nothing was checked out \
                     (`quire cat` writes the file to stdout)",
                    c.escape_debug()
                ),
            });
        }
        Ok(dest.join(logical))
    }

    /// The issue metadata (`issue.toml`) of a version, checked against the version's files.
    pub fn issue(&self, version: VersionNum) -> Result<Issue, ArchiveError> {
        let state = self.state(version);
        if !state.contains_key(ISSUE_FILE) {
            return Err(ArchiveError::NotAnIssue {
                id: self.id().to_string(),
                version,
            });
        }
        let bytes = self.read(version, ISSUE_FILE)?;
        let origin = format!("{}@{version}/{ISSUE_FILE}", self.id());
        let text = String::from_utf8(bytes).map_err(|_| {
            ArchiveError::Metadata(SourceFolderError {
                problems: vec![Problem::new(origin.clone(), None, "is not UTF-8".into())],
            })
        })?;
        let files: BTreeSet<String> = state.into_keys().collect();
        Issue::parse(&text, &origin, &files).map_err(ArchiveError::Metadata)
    }

    /// Files added, changed and removed by `version` relative to the one before it.
    pub fn version_changes(&self, version: VersionNum) -> FileChanges {
        let before = version
            .previous()
            .map(|p| self.state(p))
            .unwrap_or_default();
        FileChanges::between(&before, &self.state(version))
    }
}

/// Turns a read error back into the archive error it carries, if any.
fn into_archive_error(e: io::Error, op: &'static str, path: String) -> ArchiveError {
    if e.get_ref().is_some_and(|inner| inner.is::<ArchiveError>()) {
        let inner = e.into_inner().expect("checked above");
        return *inner.downcast::<ArchiveError>().expect("checked above");
    }
    ArchiveError::Io { op, path, cause: e }
}

struct VerifyingReader<R> {
    inner: Option<HashingReader<R>>,
    expected: String,
    path: String,
    algorithm: super::DigestAlgorithm,
}

impl<R: Read> Read for VerifyingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(inner) = self.inner.as_mut() else {
            return Ok(0);
        };
        let n = inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            let found = self.inner.take().expect("present").finish();
            if !found.eq_ignore_ascii_case(&self.expected) {
                let error = ArchiveError::DigestMismatch {
                    path: self.path.clone(),
                    algorithm: self.algorithm,
                    expected: self.expected.clone(),
                    found,
                };
                return Err(io::Error::new(io::ErrorKind::InvalidData, error));
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_refs() {
        assert_eq!(
            "abc".parse(),
            Ok(VersionRef {
                id: "abc".into(),
                version: None,
                whole_id: None,
            })
        );
        assert_eq!(
            "abc@v2".parse(),
            Ok(VersionRef {
                id: "abc".into(),
                version: Some(2),
                whole_id: None,
            })
        );
        assert_eq!(
            "abc@3".parse(),
            Ok(VersionRef {
                id: "abc".into(),
                version: Some(3),
                whole_id: None,
            })
        );
        assert!("abc@v0".parse::<VersionRef>().is_err());
        // An object id may hold `@`: one that names no version is the whole id; one that
        // does keeps both readings.
        assert_eq!(
            "mailto:ann@example.org".parse(),
            Ok(VersionRef {
                id: "mailto:ann@example.org".into(),
                version: None,
                whole_id: None,
            })
        );
        assert_eq!(
            "ns:obj@v1".parse(),
            Ok(VersionRef {
                id: "ns:obj".into(),
                version: Some(1),
                whole_id: Some("ns:obj@v1".into()),
            })
        );
        assert!("abc@latest".parse::<VersionRef>().is_err());
    }

    #[test]
    fn a_version_may_be_written_with_a_capital_v() {
        let parsed: VersionRef = "abc@V2".parse().unwrap();
        assert_eq!(parsed, "abc@v2".parse().unwrap());
        assert_eq!(parse_version_number("V002"), Ok(2));
        assert!(parse_version_number("V0").is_err());
    }

    #[test]
    fn file_changes() {
        let state = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(p, d)| (p.to_string(), d.to_string()))
                .collect()
        };
        let changes = FileChanges::between(
            &state(&[("a", "1"), ("b", "2"), ("c", "3")]),
            &state(&[("a", "1"), ("b", "9"), ("d", "4")]),
        );
        assert_eq!(changes.added, ["d"]);
        assert_eq!(changes.changed, ["b"]);
        assert_eq!(changes.removed, ["c"]);
    }
}
