//! BagIt 1.0 transfer bags (RFC 8493) of an issue version: the source folder as the payload,
//! sha512 manifests (and sha256 on request), a tag manifest, and bag-info.txt with the
//! provenance. Every byte comes from the archive, so a bag is reproducible.

use super::batch::{made_parent, write_error};
use super::ExportError;
use crate::archive::{Archive, DigestAlgorithm, Object, VersionNum};
use std::collections::BTreeMap;
use std::fs;
use std::io::{Cursor, Write};
use std::path::Path;

/// The storage root's optional settings file; its `[bag]` table names the bags' sender.
pub const CONFIG_FILE: &str = "quire.toml";

/// Who sends the bag (from the archive's `quire.toml`, `[bag]`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BagInfo {
    pub source_organization: Option<String>,
    pub organization_address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
}

impl BagInfo {
    /// The sender from the storage root's `quire.toml` (`[bag]`); nobody when the file or
    /// the table is missing. A file that is not UTF-8 TOML, or holds unknown keys, is an
    /// error naming it.
    pub fn from_archive(archive: &Archive) -> Result<BagInfo, ExportError> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Config {
            bag: Option<BagInfo>,
            /// The archive's title, which the site and feeds read ([`super::feeds`]).
            #[serde(rename = "archive")]
            _archive: Option<serde::de::IgnoredAny>,
        }
        let bytes = match archive.store().read(CONFIG_FILE) {
            Ok(bytes) => bytes,
            Err(e) if e.is_not_found() => return Ok(BagInfo::default()),
            Err(e) => return Err(crate::archive::ArchiveError::from(e).into()),
        };
        let config: Config = toml::from_slice(&bytes).map_err(|cause| ExportError::Config {
            path: archive.store().describe(CONFIG_FILE),
            cause,
        })?;
        Ok(config.bag.unwrap_or_default())
    }
}

/// What `export bag` makes.
pub struct BagOptions {
    pub sha256: bool,
    pub info: BagInfo,
    pub quire_version: String,
}

/// RFC 8493: CR, LF and % in manifest paths are percent-encoded.
pub fn encode_path(path: &str) -> String {
    path.replace('%', "%25")
        .replace('\n', "%0A")
        .replace('\r', "%0D")
}

/// The empty payload folder of a bag of a version that holds no file.
const EMPTY_PAYLOAD: &str = "data/";

/// The files of a bag, by their path inside it, in a fixed order (an empty folder as its path
/// ending in `/`, with no bytes).
pub fn bag_files(
    object: &Object<'_>,
    version: VersionNum,
    options: &BagOptions,
) -> Result<BTreeMap<String, Vec<u8>>, ExportError> {
    let mut files = BTreeMap::new();
    let mut algorithms = vec![DigestAlgorithm::Sha512];
    if options.sha256 {
        algorithms.push(DigestAlgorithm::Sha256);
    }
    // Every payload manifest, empty for a version that holds no file (BagIt requires one).
    let mut manifests: BTreeMap<DigestAlgorithm, String> =
        algorithms.iter().map(|a| (*a, String::new())).collect();
    let mut octets = 0u64;
    let state = object.state(version);
    if state.is_empty() {
        // The payload folder BagIt requires, empty (a path ending in `/` is a folder).
        files.insert(EMPTY_PAYLOAD.into(), Vec::new());
    }
    for logical in state.keys() {
        let bytes = object.read(version, logical)?;
        octets += bytes.len() as u64;
        for algorithm in &algorithms {
            let line = format!(
                "{}  data/{}\n",
                algorithm.digest(&bytes),
                encode_path(logical)
            );
            manifests.entry(*algorithm).or_default().push_str(&line);
        }
        files.insert(format!("data/{logical}"), bytes);
    }
    files.insert(
        "bagit.txt".into(),
        b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".to_vec(),
    );
    let created = object.created(version);
    let mut info = String::new();
    let mut field = |name: &str, value: &str| {
        info.push_str(&format!("{name}: {}\n", value.replace(['\n', '\r'], " ")))
    };
    if let Some(v) = &options.info.source_organization {
        field("Source-Organization", v);
    }
    if let Some(v) = &options.info.organization_address {
        field("Organization-Address", v);
    }
    if let Some(v) = &options.info.contact_name {
        field("Contact-Name", v);
    }
    if let Some(v) = &options.info.contact_email {
        field("Contact-Email", v);
    }
    field("External-Identifier", &format!("{} {version}", object.id()));
    field("Bagging-Date", created.get(..10).unwrap_or(""));
    field("Payload-Oxum", &format!("{octets}.{}", state.len()));
    field(
        "Bag-Software-Agent",
        &format!("quire {}", options.quire_version),
    );
    files.insert("bag-info.txt".into(), info.into_bytes());
    for (algorithm, manifest) in &manifests {
        files.insert(
            format!("manifest-{algorithm}.txt"),
            manifest.clone().into_bytes(),
        );
    }
    let mut tag_manifest = String::new();
    for (name, bytes) in files.iter().filter(|(n, _)| !n.starts_with("data/")) {
        tag_manifest.push_str(&format!(
            "{} {name}\n",
            DigestAlgorithm::Sha512.digest(bytes)
        ));
    }
    files.insert("tagmanifest-sha512.txt".into(), tag_manifest.into_bytes());
    Ok(files)
}

/// A bag as a zip whose entries sit in one folder named `name`, in a fixed order and dated
/// 1980-01-01.
pub fn zip_bag(name: &str, files: &BTreeMap<String, Vec<u8>>) -> Result<Vec<u8>, ExportError> {
    let fail = ExportError::encode::<zip::result::ZipError>("the zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (path, bytes) in files {
        if path.ends_with('/') {
            out.add_directory(format!("{name}/{path}"), options)
                .map_err(fail)?;
            continue;
        }
        out.start_file(format!("{name}/{path}"), options)
            .map_err(fail)?;
        out.write_all(bytes)
            .map_err(ExportError::encode::<std::io::Error>("the zip"))?;
    }
    Ok(out.finish().map_err(fail)?.into_inner())
}

/// The name of a version's bag (and of the folder inside its zip): `<issue id>-v<N>`.
pub fn bag_name(object: &Object<'_>, version: VersionNum) -> String {
    format!(
        "{}-v{}",
        crate::model::issue_id(object.id()),
        version.number
    )
}

/// Writes a bag's files as a new folder at `path`: assembled in a temporary folder beside it,
/// then moved into place in one step, so that `path` never holds half a bag. An existing
/// `path` is refused.
pub fn write_bag_folder(path: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<(), ExportError> {
    if path.exists() {
        return Err(ExportError::BagExists {
            path: path.to_path_buf(),
        });
    }
    let write_error = write_error(path);
    let parent = made_parent(path)?;
    let temp = crate::work::work_folder(parent).map_err(write_error)?;
    for (relative, bytes) in files {
        let target = temp.path().join(relative);
        if relative.ends_with('/') {
            fs::create_dir_all(&target).map_err(write_error)?;
            continue;
        }
        fs::create_dir_all(target.parent().expect("inside the bag")).map_err(write_error)?;
        fs::write(&target, bytes).map_err(write_error)?;
    }
    fs::rename(temp.keep().map_err(write_error)?, path).map_err(write_error)?;
    Ok(())
}
