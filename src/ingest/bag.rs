//! BagIt bags in: a bag (a folder or a zip) is checked completely (every manifest, the
//! Payload-Oxum, the tag manifests) and only then is its payload ingested as a source folder,
//! with the bag's tag files (`bag-info.txt`, the sender's manifests) kept beside it under
//! `sources/bag/`: the deposit's provenance is part of what is archived.
//! A zip is unpacked into a private work folder first, refusing entries that would leave it,
//! links, names that collide once Unicode-normalized or case-folded, and zip bombs.

use super::{ingest_source, IngestError, IngestOptions, IngestReport};
use crate::archive::digest::bagit_hasher;
use crate::archive::Archive;
use crate::model::source::{SourceFile, BAG_TAG_FILES};
use crate::model::SourceFolder;
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
        let checked = validate(path)?;
        return ingest_checked(archive, path, checked, options);
    }
    let work = crate::work::temporary_work_folder()
        .map_err(io_error(path, "cannot make a work folder"))?;
    let bag = unzip(path, work.path(), limits)?;
    crate::store::pause::point("bag-unpacked");
    let checked = validate(&bag).map_err(|e| e.naming(path))?;
    let unpacked = work.path().join("unpacked");
    let inside = |text: &str| in_zip(text, &unpacked, path);
    match ingest_checked(archive, &bag, checked, options) {
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

/// Ingests the payload of a bag `validate` found sound, with its tag files under
/// `sources/bag/` (unless the payload holds an earlier deposit's there, which a warning says;
/// hidden ones are named and not kept).
fn ingest_checked(
    archive: &Archive,
    bag: &Path,
    checked: Checked,
    options: &IngestOptions,
) -> Result<IngestReport, IngestError> {
    let mut source = SourceFolder::open(bag.join("data"))?;
    let held: BTreeSet<String> = source
        .files
        .iter()
        .map(|f| f.logical_path.clone())
        .collect();
    let (hidden, tags): (Vec<&String>, Vec<&String>) =
        checked.tag_files.iter().partition(|t| is_hidden(t));
    if !hidden.is_empty() {
        let names: Vec<&str> = hidden.iter().map(|t| t.as_str()).collect();
        source.warnings.push(format!(
            "{}: not kept: {}, hidden files, which an issue does not hold",
            bag.display(),
            names.join(", ")
        ));
    }
    let place = |tag: &str| format!("{BAG_TAG_FILES}{tag}");
    if tags.iter().any(|t| held.contains(&place(t))) {
        // Two deposits' tag files are never mixed: the earlier deposit's stay as they are.
        source.warnings.push(format!(
            "{}: its tag files are not kept: the payload holds {BAG_TAG_FILES} of an earlier \
             deposit, kept as it is",
            bag.display()
        ));
    } else {
        source.files.extend(tags.iter().map(|tag| SourceFile {
            logical_path: place(tag),
            path: bag.join(tag),
        }));
    }
    source
        .files
        .sort_by(|a, b| a.logical_path.cmp(&b.logical_path));
    source.warnings.extend(checked.warnings);
    ingest_source(archive, source, options)
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
        let name = entry_name(&entry);
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
        let name = entry_name(&entry);
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

/// An entry's name: its bytes as UTF-8 when they are (Info-ZIP's `zip` on Unix writes UTF-8
/// names without the flag that says so, and the zip crate would read them as CP437), else as
/// the zip reads it.
fn entry_name<R: Read>(entry: &zip::read::ZipFile<'_, R>) -> String {
    match std::str::from_utf8(entry.name_raw()) {
        Ok(name) => name.to_string(),
        Err(_) => entry.name().to_string(),
    }
}

fn decode_path(path: &str) -> String {
    path.replace("%0A", "\n")
        .replace("%0a", "\n")
        .replace("%0D", "\r")
        .replace("%0d", "\r")
        .replace("%25", "%")
}

/// What checking a sound bag found: its tag files (every file outside `data/`), and what an
/// archivist should be told.
#[derive(Debug, Default)]
pub struct Checked {
    /// Paths from the bag's top, sorted.
    pub tag_files: Vec<String>,
    pub warnings: Vec<String>,
}

/// The payload as found on disk: its files (from the bag's top), their bytes in all.
struct Payload {
    files: BTreeSet<String>,
    octets: u64,
}

/// Checks a bag completely; the error names what is wrong.
pub fn validate(bag: &Path) -> Result<Checked, BagError> {
    let encoding = check_declaration(bag)?;
    // Links could lead out of the bag: the payload folder and the files a manifest names must
    // be the real thing.
    if !fs::symlink_metadata(bag.join("data")).is_ok_and(|m| m.is_dir()) {
        return Err(refuse(
            bag,
            "data/ is missing, or not a folder (a link is refused)",
        ));
    }
    let payload = payload(bag)?;
    let tag_files = tag_files(bag)?;
    let manifests: Vec<&String> = tag_files
        .iter()
        .filter(|n| n.starts_with("manifest-") && n.ends_with(".txt"))
        .collect();
    if manifests.is_empty() {
        return Err(refuse(
            bag,
            "has no payload manifest (manifest-<algorithm>.txt)",
        ));
    }
    for manifest in &manifests {
        let listed = check_manifest(bag, manifest, true, encoding)?;
        let nfc = |p: &str| p.nfc().collect::<String>();
        if let Some(unlisted) = payload.files.iter().find(|p| !listed.contains(&nfc(p))) {
            return Err(refuse(
                bag,
                format!("{manifest}: does not list the payload file `{unlisted}`"),
            ));
        }
    }
    for tag_manifest in tag_files
        .iter()
        .filter(|n| n.starts_with("tagmanifest-") && n.ends_with(".txt"))
    {
        check_manifest(bag, tag_manifest, false, encoding)?;
    }
    check_oxum(bag, &payload, encoding)?;
    let mut warnings = Vec::new();
    warnings.extend(weak_digests(bag, &manifests));
    warnings.extend(hidden_payload(bag, &payload));
    Ok(Checked {
        tag_files,
        warnings,
    })
}

/// Checks `bagit.txt` (RFC 8493 §2.1.1): a version quire reads (0.9x or 1.x) and an encoding
/// of the tag files it knows, which it returns; and that `bag-info.txt`, where there is one, is
/// `Label: value` lines, a value going on in lines that start with a space or tab (§2.2.2).
fn check_declaration(bag: &Path) -> Result<&'static encoding_rs::Encoding, BagError> {
    let declaration = fs::read_to_string(bag.join("bagit.txt"))
        .map_err(|_| refuse(bag, "bagit.txt is missing or not UTF-8"))?;
    if declaration.starts_with('\u{feff}') {
        return Err(refuse(
            bag,
            "bagit.txt begins with a byte order mark, which RFC 8493 §2.1.1 forbids",
        ));
    }
    let declaration = with_lf(&declaration);
    let field = |label: &str| {
        declaration
            .lines()
            .find_map(|l| l.strip_prefix(label)?.strip_prefix(':'))
            .map(str::trim)
    };
    let (Some(version), Some(encoding)) =
        (field("BagIt-Version"), field("Tag-File-Character-Encoding"))
    else {
        return Err(refuse(
            bag,
            "bagit.txt lacks BagIt-Version or Tag-File-Character-Encoding",
        ));
    };
    let major = version
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok());
    if !matches!(major, Some(0 | 1)) || !version.contains('.') {
        return Err(refuse(
            bag,
            format!("bagit.txt: BagIt-Version {version} is not one quire reads (0.9x, 1.x)"),
        ));
    }
    let encoding = encoding_rs::Encoding::for_label(encoding.as_bytes()).ok_or_else(|| {
        refuse(
            bag,
            format!(
                "bagit.txt: Tag-File-Character-Encoding `{encoding}` is no encoding quire knows"
            ),
        )
    })?;
    if !bag.join("bag-info.txt").exists() {
        return Ok(encoding);
    }
    let info = read_tag(bag, "bag-info.txt", encoding)?;
    for (n, line) in info.lines().enumerate() {
        let continued = line.starts_with([' ', '\t']);
        let labelled = line
            .split_once(':')
            .is_some_and(|(label, _)| !label.trim().is_empty());
        if !(continued && n > 0 || labelled || line.trim().is_empty()) {
            return Err(refuse(
                bag,
                format!("bag-info.txt:{}: `{line}` is no `Label: value` line", n + 1),
            ));
        }
    }
    Ok(encoding)
}

/// A tag file's text, in the encoding bagit.txt declares (a byte it cannot hold is refused;
/// a byte order mark is dropped), its lines ended by LF.
fn read_tag(
    bag: &Path,
    name: &str,
    encoding: &'static encoding_rs::Encoding,
) -> Result<String, BagError> {
    let bytes = fs::read(bag.join(name)).map_err(io_error(bag, format!("{name}: cannot read")))?;
    let (text, malformed) = encoding.decode_with_bom_removal(&bytes);
    if malformed {
        return Err(refuse(
            bag,
            format!("{name}: not {}, as bagit.txt declares", encoding.name()),
        ));
    }
    Ok(with_lf(&text))
}

/// A tag file's text with its lines ended by LF: RFC 8493 §2.1 ends a line with CR, LF or
/// CRLF.
fn with_lf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Every file of the payload; links are refused.
fn payload(bag: &Path) -> Result<Payload, BagError> {
    let walk = walkdir::WalkDir::new(bag.join("data"))
        .min_depth(1)
        .into_iter();
    let mut files = BTreeSet::new();
    let mut octets = 0u64;
    for (file, size) in files_of(bag, walk, "cannot read the payload")? {
        octets += size;
        files.insert(file);
    }
    // Two files whose names differ only in Unicode normalization are one name to a manifest
    // (and to a Mac): refused, as a zip holding them is.
    let mut spelled: BTreeMap<String, &String> = BTreeMap::new();
    for file in &files {
        if let Some(other) = spelled.insert(file.nfc().collect(), file) {
            return Err(refuse(
                bag,
                format!("`{other}` and `{file}` name the same file once Unicode-normalized (NFC)"),
            ));
        }
    }
    Ok(Payload { files, octets })
}

/// Every file outside `data/` (bagit.txt, bag-info.txt, manifests, other tag files), sorted;
/// links are refused.
fn tag_files(bag: &Path) -> Result<Vec<String>, BagError> {
    let walk = walkdir::WalkDir::new(bag)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() != 1 || e.file_name() != "data");
    let files = files_of(bag, walk, "cannot list the bag")?;
    Ok(files.into_iter().map(|(file, _)| file).collect())
}

/// The files a walk of the bag meets, each with its path from the bag's top and its size; a
/// symbolic link is refused, a walk that fails is `what` went wrong.
fn files_of(
    bag: &Path,
    walk: impl Iterator<Item = walkdir::Result<walkdir::DirEntry>>,
    what: &str,
) -> Result<Vec<(String, u64)>, BagError> {
    let mut files = Vec::new();
    for entry in walk {
        let entry = entry.map_err(|e| io_error(bag, what)(crate::walk_failure(e)))?;
        if entry.file_type().is_symlink() {
            return Err(refuse(
                bag,
                format!("{} is a symbolic link", entry.path().display()),
            ));
        }
        if entry.file_type().is_file() {
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            files.push((from_top(bag, entry.path()), size));
        }
    }
    Ok(files)
}

/// A file's path from the bag's top, `/`-separated.
fn from_top(bag: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(bag).expect("inside the bag");
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// Checks one manifest: every line `DIGEST PATH`, every path inside the bag (in `data/` for a
/// payload manifest), listed once, a regular file with that digest. Returns the paths.
fn check_manifest(
    bag: &Path,
    name: &str,
    payload: bool,
    encoding: &'static encoding_rs::Encoding,
) -> Result<BTreeSet<String>, BagError> {
    let refused = |message: String| refuse(bag, message);
    let algorithm = name
        .trim_end_matches(".txt")
        .rsplit('-')
        .next()
        .unwrap_or_default();
    if bagit_hasher(algorithm).is_none() {
        return Err(refused(format!(
            "{name}: algorithm `{algorithm}` is not supported (sha512, sha256, sha384, sha224, \
             sha1, md5)"
        )));
    }
    let text = read_tag(bag, name, encoding)?;
    let mut listed: BTreeMap<String, String> = BTreeMap::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let at = |what: String| refused(format!("{name}:{}: {what}", n + 1));
        let (digest, path) = line
            .split_once(char::is_whitespace)
            .ok_or_else(|| at("not `DIGEST PATH`".into()))?;
        let path = decode_path(path.trim_start());
        if path.starts_with('/') || path.split('/').any(|p| p == ".." || p.is_empty()) {
            return Err(at(format!("path `{path}` leaves the bag")));
        }
        if payload && !path.starts_with("data/") {
            return Err(at(format!("`{path}` is not in data/")));
        }
        if let Some(other) = listed.insert(path.nfc().collect(), path.clone()) {
            return Err(at(match other == path {
                true => format!("`{path}` is listed twice"),
                false => format!(
                    "`{path}` and `{other}` name the same file once Unicode-normalized (NFC)"
                ),
            }));
        }
        let file = on_disk(bag, &path);
        if fs::symlink_metadata(&file).is_ok_and(|m| !m.is_file()) {
            return Err(at(format!("`{path}` is not a regular file")));
        }
        let found = digest_of(&file, algorithm).map_err(|_| at(missing(bag, &path)))?;
        if !found.eq_ignore_ascii_case(digest) {
            return Err(at(format!(
                "`{path}` does not match its {algorithm} digest"
            )));
        }
    }
    Ok(listed.into_keys().collect())
}

/// The file a manifest path names: itself, or where the disk spells a part of it in another
/// Unicode normalization (a manifest written in NFC for a file a Mac stored in NFD), the
/// file so spelled, as bagit-python finds it.
fn on_disk(bag: &Path, path: &str) -> PathBuf {
    let mut found = bag.to_path_buf();
    for part in path.split('/') {
        let exact = found.join(part);
        if exact.exists() {
            found = exact;
            continue;
        }
        let wanted: String = part.nfc().collect();
        let respelled = fs::read_dir(&found).ok().and_then(|entries| {
            entries.flatten().map(|e| e.file_name()).find(|name| {
                name.to_str()
                    .is_some_and(|n| n.nfc().collect::<String>() == wanted)
            })
        });
        found = found.join(respelled.unwrap_or_else(|| part.into()));
    }
    found
}

/// Why a listed file is not there: a holey bag's `fetch.txt` may say where it is to be fetched
/// from (quire fetches nothing: the bag is to be completed first).
fn missing(bag: &Path, path: &str) -> String {
    let fetched = fs::read_to_string(bag.join("fetch.txt"))
        .ok()
        .and_then(|fetch| {
            fetch.lines().find_map(|line| {
                let mut fields = line.split_whitespace();
                let (url, _length) = (fields.next()?, fields.next()?);
                let rest: Vec<&str> = fields.collect();
                (decode_path(&rest.join(" ")) == path).then(|| url.to_string())
            })
        });
    match fetched {
        Some(url) => format!(
            "`{path}` is listed but missing: fetch.txt says to fetch it from {url}, and quire \
             fetches nothing (fetch it into the bag first)"
        ),
        None => format!("`{path}` is listed but missing"),
    }
}

/// The digest of a file, read in pieces.
fn digest_of(path: &Path, algorithm: &str) -> std::io::Result<String> {
    let mut hasher = bagit_hasher(algorithm).expect("checked by the caller");
    let mut file = fs::File::open(path)?;
    crate::store::read_chunks(&mut file, |chunk| {
        hasher.update(chunk);
        Ok(())
    })?;
    Ok(hasher.finish())
}

/// Checks bag-info.txt's `Payload-Oxum` (bytes.files) against the payload, where it has one.
fn check_oxum(
    bag: &Path,
    payload: &Payload,
    encoding: &'static encoding_rs::Encoding,
) -> Result<(), BagError> {
    if !bag.join("bag-info.txt").exists() {
        return Ok(());
    }
    let info = read_tag(bag, "bag-info.txt", encoding)?;
    let oxum = info.lines().find_map(|l| {
        let (label, value) = l.split_once(':')?;
        label
            .trim()
            .eq_ignore_ascii_case("Payload-Oxum")
            .then_some(value)
    });
    if let Some(oxum) = oxum {
        let expected = format!("{}.{}", payload.octets, payload.files.len());
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
    Ok(())
}

/// The warning for a bag whose payload only MD5 or SHA-1 digests vouch for.
fn weak_digests(bag: &Path, manifests: &[&String]) -> Option<String> {
    let weak = |m: &&&String| m.ends_with("-md5.txt") || m.ends_with("-sha1.txt");
    manifests.iter().all(|m| weak(&m)).then(|| {
        format!(
            "{}: the payload was checked against {} alone, digests that can be forged; the \
             archive keeps sha512 digests of it from now on",
            bag.display(),
            manifests
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(" and ")
        )
    })
}

/// Whether a path from the bag's top has a hidden part (`.DS_Store`, `.git/…`).
fn is_hidden(path: &str) -> bool {
    path.split('/').any(|part| part.starts_with('.'))
}

/// The warning for payload files a source folder leaves out: hidden ones (`.DS_Store`), which
/// the bag lists and the issue does not keep.
fn hidden_payload(bag: &Path, payload: &Payload) -> Option<String> {
    let hidden: Vec<&str> = payload
        .files
        .iter()
        .filter(|p| is_hidden(p))
        .map(String::as_str)
        .collect();
    (!hidden.is_empty()).then(|| {
        format!(
            "{}: not kept: {}, hidden files, which an issue does not hold (the bag lists them; \
             their digests matched)",
            bag.display(),
            hidden.join(", ")
        )
    })
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
