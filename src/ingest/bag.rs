//! BagIt bags in: a bag (a folder or a zip) is checked completely (every manifest, the
//! Payload-Oxum, the tag manifests) and only then is its payload ingested as a source folder.
//! A zip is unpacked into a private work folder first, refusing entries that would leave it,
//! links, names that collide once Unicode-normalized or case-folded, and zip bombs.

use super::{ingest_folder, IngestError, IngestOptions, IngestReport};
use crate::archive::{Archive, DigestAlgorithm};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// Limits on what a zipped bag may unpack to.
#[derive(Debug, Clone, Copy)]
pub struct ZipLimits {
    /// Total uncompressed bytes.
    pub max_bytes: u64,
    /// Uncompressed to compressed size, for entries over 1 MiB.
    pub max_ratio: u64,
}

impl Default for ZipLimits {
    fn default() -> Self {
        ZipLimits {
            max_bytes: 16 << 30,
            max_ratio: 200,
        }
    }
}

/// Why a bag was refused. Nothing is written to the archive.
#[derive(Debug, thiserror::Error)]
pub enum BagError {
    /// The bag breaks a rule of BagIt, or one of quire's limits.
    #[error("{bag}: {message}")]
    Refused { bag: String, message: String },
    /// A file of the bag, or the work folder it is unpacked into, could not be read or written.
    #[error("{bag}: {what}")]
    Io {
        bag: String,
        what: String,
        #[source]
        cause: std::io::Error,
    },
    /// The zip could not be read.
    #[error("{bag}: {what}")]
    Zip {
        bag: String,
        what: String,
        #[source]
        cause: zip::result::ZipError,
    },
}

impl BagError {
    /// The same error, naming the bag as the user gave it (a zip rather than the folder it was
    /// unpacked into).
    fn naming(mut self, bag: &Path) -> Self {
        let name = bag.display().to_string();
        match &mut self {
            BagError::Refused { bag, .. }
            | BagError::Io { bag, .. }
            | BagError::Zip { bag, .. } => *bag = name,
        }
        self
    }
}

fn refuse(bag: &Path, message: impl Into<String>) -> BagError {
    BagError::Refused {
        bag: bag.display().to_string(),
        message: message.into(),
    }
}

fn io_error(bag: &Path, what: impl Into<String>) -> impl FnOnce(std::io::Error) -> BagError {
    let bag = bag.display().to_string();
    let what = what.into();
    move |cause| BagError::Io { bag, what, cause }
}

fn zip_error(
    bag: &Path,
    what: impl Into<String>,
) -> impl FnOnce(zip::result::ZipError) -> BagError {
    let bag = bag.display().to_string();
    let what = what.into();
    move |cause| BagError::Zip { bag, what, cause }
}

/// True for a folder holding `bagit.txt`, or a `.zip` file.
pub fn is_bag(path: &Path) -> bool {
    path.join("bagit.txt").is_file()
        || (path.is_file()
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("zip")))
}

/// Checks and ingests a bag.
pub fn ingest_bag(
    archive: &Archive,
    path: &Path,
    options: &IngestOptions,
    limits: ZipLimits,
) -> Result<IngestReport, IngestError> {
    if path.is_dir() {
        validate(path)?;
        return ingest_folder(archive, &path.join("data"), options);
    }
    let work = tempfile::tempdir().map_err(io_error(path, "cannot make a work folder"))?;
    let bag = unzip(path, work.path(), limits)?;
    validate(&bag).map_err(|e| e.naming(path))?;
    let unpacked = work.path().join("unpacked");
    let inside = |text: &str| in_zip(text, &unpacked, path);
    match ingest_folder(archive, &bag.join("data"), options) {
        Ok(mut report) => {
            report.warnings = report.warnings.iter().map(|w| inside(w)).collect();
            Ok(report)
        }
        Err(IngestError::Source(mut e)) => {
            for problem in &mut e.problems {
                problem.file = inside(&problem.file);
            }
            Err(IngestError::Source(e))
        }
        Err(other) => Err(other),
    }
}

/// `text` with the private folder a zip was unpacked into replaced by the zip's name, as
/// the user gave it: `bag.zip: bag/data/issue.toml` rather than a path under /tmp.
fn in_zip(text: &str, unpacked: &Path, zip: &Path) -> String {
    let folder = format!("{}{}", unpacked.display(), std::path::MAIN_SEPARATOR);
    text.replace(&folder, &format!("{}: ", zip.display()))
}

/// Unpacks a zipped bag safely; returns the bag's folder (the one holding `bagit.txt`).
fn unzip(path: &Path, work: &Path, limits: ZipLimits) -> Result<PathBuf, BagError> {
    let file = fs::File::open(path).map_err(io_error(path, "cannot open"))?;
    let mut zip = zip::ZipArchive::new(file).map_err(zip_error(path, "is not a readable zip"))?;
    // Every entry is checked before anything is written.
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(zip_error(path, format!("entry {i} is unreadable")))?;
        let name = entry.name().to_string();
        let parts: Vec<&str> = name.split(['/', '\\']).collect();
        if name.starts_with('/') || name.starts_with('\\') || name.get(1..2) == Some(":") {
            return Err(refuse(path, format!("entry `{name}` has an absolute path")));
        }
        if parts.contains(&"..") {
            return Err(refuse(
                path,
                format!("entry `{name}` leaves the bag (`..`)"),
            ));
        }
        // One spelling per path: no backslashes, `.` or empty parts, no control characters.
        let body = name.strip_suffix('/').unwrap_or(&name);
        let plain = !name.contains('\\')
            && !body.split('/').any(|p| p.is_empty() || p == ".")
            && !name.chars().any(char::is_control);
        if !plain {
            let shown = name.escape_debug();
            return Err(refuse(
                path,
                format!("entry `{shown}` is not a plain relative path"),
            ));
        }
        if entry
            .unix_mode()
            .is_some_and(|mode| mode & 0o170000 == 0o120000)
        {
            return Err(refuse(path, format!("entry `{name}` is a symbolic link")));
        }
        let folded: String = body.nfc().collect::<String>().to_lowercase();
        if let Some(other) = seen.insert(folded, name.clone()) {
            return Err(refuse(path, format!("entries `{other}` and `{name}` name the same file once Unicode-normalized and case-folded")));
        }
        total = total.saturating_add(entry.size());
        if total > limits.max_bytes {
            return Err(refuse(
                path,
                format!(
                    "unpacks to more than {} bytes (at entry `{name}`): refused as a zip bomb",
                    limits.max_bytes
                ),
            ));
        }
        if entry.size() > 1 << 20
            && entry.size() / entry.compressed_size().max(1) > limits.max_ratio
        {
            return Err(refuse(
                path,
                format!(
                    "entry `{name}` expands {}x (more than {}x): refused as a zip bomb",
                    entry.size() / entry.compressed_size().max(1),
                    limits.max_ratio
                ),
            ));
        }
    }
    let target = work.join("unpacked");
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(zip_error(path, format!("entry {i} is unreadable")))?;
        let name = entry.name().to_string();
        let out = target.join(&name);
        let unpack_error = || io_error(path, format!("entry `{name}` cannot be unpacked"));
        if entry.is_dir() {
            fs::create_dir_all(&out).map_err(unpack_error())?;
            continue;
        }
        fs::create_dir_all(out.parent().expect("inside the work folder")).map_err(unpack_error())?;
        let declared = entry.size();
        let mut bytes = Vec::new();
        // Never trust the declared size alone: read at most one byte past it.
        (&mut entry)
            .take(declared.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(unpack_error())?;
        if bytes.len() as u64 != declared {
            return Err(refuse(
                path,
                format!("entry `{name}` does not hold the size it declares"),
            ));
        }
        fs::write(&out, bytes).map_err(unpack_error())?;
    }
    if target.join("bagit.txt").is_file() {
        return Ok(target);
    }
    let folders: Vec<PathBuf> = fs::read_dir(&target)
        .map_err(io_error(path, "cannot list what it unpacked to"))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("bagit.txt").is_file())
        .collect();
    match folders.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(refuse(
            path,
            "holds no bag (no bagit.txt at its top or in one folder there)",
        )),
    }
}

fn decode_path(path: &str) -> String {
    path.replace("%0A", "\n")
        .replace("%0a", "\n")
        .replace("%0D", "\r")
        .replace("%0d", "\r")
        .replace("%25", "%")
}

/// Checks a bag completely; the error names what is wrong.
pub fn validate(bag: &Path) -> Result<(), BagError> {
    let declaration = fs::read_to_string(bag.join("bagit.txt"))
        .map_err(|_| refuse(bag, "bagit.txt is missing or not UTF-8"))?;
    if !declaration.contains("BagIt-Version:")
        || !declaration.contains("Tag-File-Character-Encoding:")
    {
        return Err(refuse(
            bag,
            "bagit.txt lacks BagIt-Version or Tag-File-Character-Encoding",
        ));
    }
    // Links could lead out of the bag: the payload folder and the files a manifest names must
    // be the real thing.
    if !fs::symlink_metadata(bag.join("data")).is_ok_and(|m| m.is_dir()) {
        return Err(refuse(
            bag,
            "data/ is missing, or not a folder (a link is refused)",
        ));
    }
    let mut payload: BTreeSet<String> = BTreeSet::new();
    let mut octets = 0u64;
    for entry in walkdir::WalkDir::new(bag.join("data")).min_depth(1) {
        let entry =
            entry.map_err(|e| io_error(bag, "cannot read the payload")(crate::walk_failure(e)))?;
        if entry.file_type().is_symlink() {
            return Err(refuse(
                bag,
                format!("{} is a symbolic link", entry.path().display()),
            ));
        }
        if entry.file_type().is_file() {
            let relative = entry
                .path()
                .strip_prefix(bag)
                .expect("inside the bag")
                .to_string_lossy()
                .replace('\\', "/");
            octets += entry.metadata().map(|m| m.len()).unwrap_or(0);
            payload.insert(relative);
        }
    }
    let entries: Vec<String> = fs::read_dir(bag)
        .map_err(io_error(bag, "cannot list the bag"))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let manifests: Vec<&String> = entries
        .iter()
        .filter(|n| n.starts_with("manifest-") && n.ends_with(".txt"))
        .collect();
    if manifests.is_empty() {
        return Err(refuse(
            bag,
            "has no payload manifest (manifest-<algorithm>.txt)",
        ));
    }
    let check = |name: &str, paths_must_be_payload: bool| -> Result<BTreeSet<String>, BagError> {
        let refused = |message: String| refuse(bag, message);
        let algorithm_name = name
            .trim_end_matches(".txt")
            .rsplit('-')
            .next()
            .unwrap_or_default();
        let algorithm = DigestAlgorithm::from_name(algorithm_name).ok_or_else(|| {
            refused(format!(
                "{name}: algorithm `{algorithm_name}` is not supported (sha512, sha256)"
            ))
        })?;
        let text = fs::read_to_string(bag.join(name))
            .map_err(io_error(bag, format!("{name}: cannot read")))?;
        let mut listed = BTreeSet::new();
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let (digest, path) = line
                .split_once(char::is_whitespace)
                .ok_or_else(|| refused(format!("{name}:{}: not `DIGEST PATH`", n + 1)))?;
            let path = decode_path(path.trim_start());
            if path.starts_with('/') || path.split('/').any(|p| p == ".." || p.is_empty()) {
                return Err(refused(format!(
                    "{name}:{}: path `{path}` leaves the bag",
                    n + 1
                )));
            }
            if paths_must_be_payload && !path.starts_with("data/") {
                return Err(refused(format!(
                    "{name}:{}: `{path}` is not in data/",
                    n + 1
                )));
            }
            if !listed.insert(path.clone()) {
                return Err(refused(format!(
                    "{name}:{}: `{path}` is listed twice",
                    n + 1
                )));
            }
            if fs::symlink_metadata(bag.join(&path)).is_ok_and(|m| !m.is_file()) {
                return Err(refused(format!(
                    "{name}:{}: `{path}` is not a regular file",
                    n + 1
                )));
            }
            let bytes = fs::read(bag.join(&path)).map_err(|_| {
                refused(format!("{name}:{}: `{path}` is listed but missing", n + 1))
            })?;
            if !algorithm.digest(&bytes).eq_ignore_ascii_case(digest) {
                return Err(refused(format!(
                    "{name}:{}: `{path}` does not match its {algorithm} digest",
                    n + 1
                )));
            }
        }
        Ok(listed)
    };
    for manifest in &manifests {
        let listed = check(manifest, true)?;
        if let Some(unlisted) = payload.iter().find(|p| !listed.contains(*p)) {
            return Err(refuse(
                bag,
                format!("{manifest}: does not list the payload file `{unlisted}`"),
            ));
        }
    }
    for tag_manifest in entries
        .iter()
        .filter(|n| n.starts_with("tagmanifest-") && n.ends_with(".txt"))
    {
        check(tag_manifest, false)?;
    }
    if let Ok(info) = fs::read_to_string(bag.join("bag-info.txt")) {
        if let Some(oxum) = info.lines().find_map(|l| l.strip_prefix("Payload-Oxum:")) {
            let expected = format!("{octets}.{}", payload.len());
            if oxum.trim() != expected {
                return Err(refuse(
                    bag,
                    format!(
                        "bag-info.txt: Payload-Oxum says {}, the payload is {expected}",
                        oxum.trim()
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{assert_error_with_cause, temp_file};

    #[test]
    fn a_zip_that_cannot_be_read_is_named_with_the_reader_error_as_its_cause() {
        let (dir, zip) = temp_file("bag.zip", "not a zip at all");
        let error = unzip(&zip, dir.path(), ZipLimits::default()).unwrap_err();
        assert!(matches!(error, BagError::Zip { .. }), "{error:?}");
        assert_error_with_cause::<zip::result::ZipError>(
            &error,
            &format!("{}: is not a readable zip", zip.display()),
        );
    }

    #[test]
    fn a_refusal_names_the_bag_as_it_was_given() {
        let dir = tempfile::tempdir().unwrap();
        let unpacked = dir.path().join("unpacked");
        fs::create_dir(&unpacked).unwrap();
        let error = validate(&unpacked)
            .unwrap_err()
            .naming(Path::new("given.zip"));
        assert_eq!(
            error.to_string(),
            "given.zip: bagit.txt is missing or not UTF-8"
        );
    }
}
