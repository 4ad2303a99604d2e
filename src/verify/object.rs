//! Checks one object's structure: declaration, inventories and sidecars, version directories
//! and content; yields the content files to hash.

use super::fixity::{Expected, Job};
use super::inventory::{self, CheckedInventory};
use super::{Code, Findings, Spec, VerifyOptions};
use crate::archive::inventory::{parse_sidecar, VersionNum};
use crate::archive::DigestAlgorithm;
use crate::store::{join, Entry, EntryKind, Store, StoreError};
use std::collections::{BTreeMap, BTreeSet};

/// An object after the structure pass.
pub struct Checked {
    pub path: String,
    pub id: Option<String>,
    pub spec: Option<Spec>,
    pub findings: Findings,
    pub files: u64,
    pub bytes: u64,
}

/// Registered extension names (OCFL extensions repository).
pub const REGISTERED_EXTENSIONS: [&str; 12] = [
    "0001-digest-algorithms",
    "0002-flat-direct-storage-layout",
    "0003-hash-and-id-n-tuple-storage-layout",
    "0004-hashed-n-tuple-storage-layout",
    "0005-mutable-head",
    "0006-flat-omit-prefix-storage-layout",
    "0007-n-tuple-omit-prefix-storage-layout",
    "0008-schema-registry",
    "0009-digest-algorithms",
    "0010-differential-n-tuple-omit-prefix-storage-layout",
    "0011-direct-clean-path-layout",
    "0012-hash-and-no-prefix-id-n-tuple-storage-layout",
];

/// The spec version an object declaration file names, if it is one.
pub fn declared_spec(name: &str) -> Option<Spec> {
    name.strip_prefix("0=ocfl_object_")
        .and_then(Spec::from_version)
}

pub fn check_object(
    store: &dyn Store,
    object_path: &str,
    index: usize,
    root_spec: Option<Spec>,
    options: &VerifyOptions,
) -> Result<(Checked, Vec<Job>), StoreError> {
    let mut findings = Findings::default();
    let entries = store.list(object_path)?;
    let at = |name: &str| join(object_path, name);

    // The declaration (NAMASTE).
    let declarations: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.name.starts_with("0="))
        .collect();
    let mut spec = None;
    match declarations.as_slice() {
        [] => findings.add(
            Code::E003,
            &at(""),
            "object has no 0=ocfl_object_ declaration file",
        ),
        [one] => match declared_spec(&one.name) {
            Some(s) => {
                spec = Some(s);
                let expected = format!("ocfl_object_{}\n", s.as_str());
                if one.kind != EntryKind::File || store.read(&at(&one.name))? != expected.as_bytes()
                {
                    findings.add(
                        Code::E007,
                        &at(&one.name),
                        format!("declaration must contain exactly `{}`", expected.trim_end()),
                    );
                }
            }
            None => findings.add(
                Code::E006,
                &at(&one.name),
                format!(
                    "`{}` is not 0=ocfl_object_1.0 or 0=ocfl_object_1.1",
                    one.name
                ),
            ),
        },
        _ => findings.add(
            Code::E003,
            &at(""),
            "object has more than one 0= declaration file",
        ),
    }
    if let (Some(object_spec), Some(root_spec)) = (spec, root_spec) {
        if object_spec > root_spec {
            findings.add(
                Code::E081,
                &at(""),
                format!(
                    "object declares OCFL {} but the storage root {}",
                    object_spec.as_str(),
                    root_spec.as_str()
                ),
            );
        }
    }

    let mut checked = Checked {
        path: object_path.to_string(),
        id: None,
        spec,
        findings,
        files: 0,
        bytes: 0,
    };
    if !entries
        .iter()
        .any(|e| e.name == "inventory.json" && e.kind == EntryKind::File)
    {
        checked.findings.add(
            Code::E063,
            &at("inventory.json"),
            "object root has no inventory.json",
        );
        return Ok((checked, Vec::new()));
    }
    let root_bytes = store.read(&at("inventory.json"))?;
    // Without a readable declaration, the inventory's own type says which rules apply.
    let declared = spec
        .or_else(|| inventory_type_spec(&root_bytes))
        .unwrap_or(Spec::V1_1);
    let Some(inv) = inventory::check(
        &root_bytes,
        declared,
        &at("inventory.json"),
        &mut checked.findings,
    ) else {
        return Ok((checked, Vec::new()));
    };
    checked.id = inv.id.clone();
    if checked.spec.is_none() {
        checked.spec = inv.spec;
    }
    let algorithm = inv.algorithm.clone();
    check_sidecar(
        store,
        object_path,
        &entries,
        algorithm.as_deref(),
        &root_bytes,
        &mut checked.findings,
    )?;

    // What the object root holds.
    let versions_in_inventory: BTreeMap<u32, String> = inv
        .versions
        .iter()
        .map(|(n, v)| (*n, v.name.clone()))
        .collect();
    let mut version_dirs: BTreeMap<u32, String> = BTreeMap::new();
    let sidecar_name = algorithm.as_ref().map(|a| format!("inventory.json.{a}"));
    for entry in &entries {
        let name = entry.name.as_str();
        match entry.kind {
            EntryKind::File => {
                // With an unusable digestAlgorithm, any sidecar counts as the sidecar (E025
                // says what is wrong).
                let usable = algorithm
                    .as_deref()
                    .and_then(DigestAlgorithm::from_name)
                    .is_some();
                let is_sidecar = if usable {
                    Some(name) == sidecar_name.as_deref()
                } else {
                    name.starts_with("inventory.json.")
                };
                let expected = name.starts_with("0=") || name == "inventory.json" || is_sidecar;
                if !expected {
                    checked.findings.add(
                        Code::E001,
                        &at(name),
                        "unexpected file in the object root",
                    );
                }
            }
            EntryKind::Dir if name == "logs" => {}
            EntryKind::Dir if name == "extensions" => check_extensions(
                store,
                &at(name),
                Code::E067,
                Code::W013,
                &mut checked.findings,
            )?,
            EntryKind::Dir => match VersionNum::parse(name) {
                Some(v)
                    if versions_in_inventory
                        .get(&v.number)
                        .is_some_and(|n| n == name) =>
                {
                    version_dirs.insert(v.number, name.to_string());
                }
                Some(_) => checked.findings.add(
                    Code::E046,
                    &at(name),
                    "version directory is not in the inventory",
                ),
                None => {
                    let nested = store
                        .list(&at(name))?
                        .iter()
                        .any(|e| e.name.starts_with("0=ocfl_object_"));
                    if nested {
                        checked.findings.add(
                            Code::E082,
                            &at(name),
                            "an object inside an object: object roots must end the hierarchy",
                        );
                    } else {
                        checked.findings.add(
                            Code::E001,
                            &at(name),
                            "unexpected directory in the object root",
                        );
                    }
                }
            },
            EntryKind::Symlink => {
                checked
                    .findings
                    .add(Code::E090, &at(name), "links are not allowed in an object")
            }
            EntryKind::Other => {
                checked
                    .findings
                    .add(Code::E001, &at(name), "unexpected entry in the object root")
            }
        }
    }
    for (number, name) in &versions_in_inventory {
        if !version_dirs.contains_key(number) {
            checked.findings.add(
                Code::E046,
                &at(name),
                "the inventory lists this version but its directory is missing",
            );
        }
    }

    // Every version directory: its inventory, and the content it adds.
    let mut content_files: BTreeMap<String, u64> = BTreeMap::new();
    let mut previous_spec: Option<Spec> = None;
    // E064 compares the root inventory with the most recent version's, whatever `head` says.
    let head_number = versions_in_inventory.keys().next_back().copied();
    for (number, name) in &version_dirs {
        let version_path = at(name);
        let version_entries = store.list(&version_path)?;
        let (version_spec, version_algorithm) = check_version_inventory(
            store,
            &version_path,
            &version_entries,
            *number,
            head_number,
            &root_bytes,
            &inv,
            declared,
            &mut checked.findings,
        )?;
        if let (Some(previous), Some(this)) = (previous_spec, version_spec) {
            if this < previous {
                checked.findings.add(
                    Code::E103,
                    &join(&version_path, "inventory.json"),
                    format!(
                        "version conforms to OCFL {} after one that conforms to {}",
                        this.as_str(),
                        previous.as_str()
                    ),
                );
            }
        }
        previous_spec = version_spec.or(previous_spec);
        for entry in &version_entries {
            let entry_path = join(&version_path, &entry.name);
            match entry.kind {
                EntryKind::File
                    if entry.name == "inventory.json"
                        || Some(entry.name.as_str())
                            == version_algorithm
                                .as_ref()
                                .map(|a| format!("inventory.json.{a}"))
                                .as_deref()
                        || (version_algorithm.is_none()
                            && entry.name.starts_with("inventory.json.")) => {}
                EntryKind::File => checked.findings.add(
                    Code::E015,
                    &entry_path,
                    "unexpected file in a version directory",
                ),
                EntryKind::Dir if entry.name == inv.content_directory => {
                    let before = content_files.len();
                    walk_content(
                        store,
                        object_path,
                        &format!("{name}/{}", entry.name),
                        &mut content_files,
                        &mut checked.findings,
                    )?;
                    if content_files.len() == before {
                        checked.findings.add(
                            Code::W003,
                            &entry_path,
                            "content directory holds no files",
                        );
                    }
                }
                EntryKind::Dir => checked.findings.add(
                    Code::W002,
                    &entry_path,
                    "unexpected directory in a version directory",
                ),
                EntryKind::Symlink => checked.findings.add(
                    Code::E090,
                    &entry_path,
                    "links are not allowed in an object",
                ),
                EntryKind::Other => checked.findings.add(
                    Code::E015,
                    &entry_path,
                    "unexpected entry in a version directory",
                ),
            }
        }
    }

    // Manifest and content must match, and each content path must sit in its version's
    // content directory.
    let digests = inv.content_digests();
    for content_path in content_files.keys() {
        if inv.manifest_present && !digests.contains_key(content_path.as_str()) {
            checked.findings.add(
                Code::E023,
                &at(content_path),
                "content file is not in the manifest",
            );
        }
    }
    let mut jobs = Vec::new();
    let manifest_algorithm = algorithm.as_deref().and_then(DigestAlgorithm::from_name);
    for (content_path, digest) in &digests {
        let in_content_dir = content_path.split_once('/').is_some_and(|(v, rest)| {
            versions_in_inventory.values().any(|n| n == v)
                && rest.starts_with(&format!("{}/", inv.content_directory))
        });
        if !in_content_dir {
            checked.findings.add(
                Code::E042,
                &at(content_path),
                format!(
                    "content path is not inside a version's {} directory",
                    inv.content_directory
                ),
            );
            continue;
        }
        let Some(&size) = content_files.get(*content_path) else {
            checked.findings.add(
                Code::E092,
                &at(content_path),
                "the manifest lists this file but it is missing",
            );
            continue;
        };
        let mut expected = Vec::new();
        if let Some(algorithm) = manifest_algorithm {
            expected.push(Expected {
                algorithm: algorithm.name().to_string(),
                digest: digest.to_string(),
                code: Code::E092,
            });
        }
        for (fixity_algorithm, by_path) in &inv.fixity {
            if let Some(fixity_digest) = by_path.get(*content_path) {
                expected.push(Expected {
                    algorithm: fixity_algorithm.clone(),
                    digest: fixity_digest.clone(),
                    code: Code::E093,
                });
            }
        }
        if options.fixity {
            jobs.push(Job {
                object: index,
                store_path: at(content_path),
                size,
                expected,
            });
        }
    }
    Ok((checked, jobs))
}

/// The spec version an inventory's `type` names, read leniently.
fn inventory_type_spec(bytes: &[u8]) -> Option<Spec> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    Spec::from_inventory_type(value.get("type")?.as_str()?)
}

/// Checks `inventory.json.<algorithm>` next to an inventory.
fn check_sidecar(
    store: &dyn Store,
    dir: &str,
    entries: &[Entry],
    algorithm: Option<&str>,
    inventory_bytes: &[u8],
    findings: &mut Findings,
) -> Result<(), StoreError> {
    let Some(algorithm) = algorithm else {
        return Ok(());
    };
    let name = format!("inventory.json.{algorithm}");
    let path = join(dir, &name);
    if !entries
        .iter()
        .any(|e| e.name == name && e.kind == EntryKind::File)
    {
        let other = entries
            .iter()
            .find(|e| e.name.starts_with("inventory.json."))
            .map(|e| e.name.clone());
        match other {
            Some(other) => findings.add(
                Code::E059,
                &join(dir, &other),
                format!("sidecar uses another algorithm than the inventory's {algorithm}"),
            ),
            None => findings.add(Code::E058, &path, "inventory has no sidecar digest file"),
        }
        return Ok(());
    }
    let content = store.read(&path)?;
    let Some(recorded) = std::str::from_utf8(&content).ok().and_then(parse_sidecar) else {
        findings.add(Code::E061, &path, "sidecar is not `DIGEST inventory.json`");
        return Ok(());
    };
    let actual = DigestAlgorithm::from_name(algorithm).map(|a| a.digest(inventory_bytes));
    if actual
        .as_deref()
        .is_some_and(|a| !a.eq_ignore_ascii_case(recorded))
    {
        findings.add(
            Code::E060,
            &path,
            format!(
                "sidecar digest {recorded} does not match the inventory's {}",
                actual.unwrap_or_default()
            ),
        );
    }
    Ok(())
}

/// Checks one version directory's inventory against the root inventory; returns the spec
/// version its type names.
#[allow(clippy::too_many_arguments)]
fn check_version_inventory(
    store: &dyn Store,
    version_path: &str,
    entries: &[Entry],
    number: u32,
    head: Option<u32>,
    root_bytes: &[u8],
    root: &CheckedInventory,
    declared: Spec,
    findings: &mut Findings,
) -> Result<(Option<Spec>, Option<String>), StoreError> {
    let path = join(version_path, "inventory.json");
    let is_head = head == Some(number);
    if !entries
        .iter()
        .any(|e| e.name == "inventory.json" && e.kind == EntryKind::File)
    {
        if is_head {
            findings.add(
                Code::E064,
                &path,
                "the head version has no inventory to match the root inventory",
            );
        } else {
            findings.add(Code::W010, &path, "version directory has no inventory");
        }
        return Ok((None, None));
    }
    let bytes = store.read(&path)?;
    if is_head && bytes != root_bytes {
        findings.add(
            Code::E064,
            &path,
            "the head version's inventory is not identical to the root inventory",
        );
    }
    let mut own = Findings::default();
    let version_declared = inventory_type_spec(&bytes).unwrap_or(declared);
    let Some(inv) = inventory::check(&bytes, version_declared, &path, &mut own) else {
        findings.list.extend(own.list);
        return Ok((None, None));
    };
    // The head inventory's own findings duplicate the root's; report only the others'.
    if !is_head || bytes != root_bytes {
        findings
            .list
            .extend(own.list.into_iter().filter(|f| f.code != Code::E038));
    }
    check_sidecar(
        store,
        version_path,
        entries,
        inv.algorithm.as_deref(),
        &bytes,
        findings,
    )?;
    if inv.id != root.id {
        let code = if declared == Spec::V1_0 {
            Code::E037
        } else {
            Code::E110
        };
        findings.add(
            code,
            &path,
            format!(
                "id {:?} differs from the root inventory's {:?}",
                inv.id.as_deref().unwrap_or(""),
                root.id.as_deref().unwrap_or("")
            ),
        );
    }
    if inv.content_directory != root.content_directory {
        let code = if number == 1 { Code::E019 } else { Code::E020 };
        findings.add(
            code,
            &path,
            "contentDirectory differs from the root inventory's: it is set in v1 and never changes",
        );
    }
    if inv.head.is_some_and(|h| h.number != number) {
        findings.add(
            Code::E040,
            &path,
            format!(
                "head is {} in the inventory of v{number}",
                inv.head.map(|h| h.to_string()).unwrap_or_default()
            ),
        );
    }
    // Prior versions must describe the same logical state everywhere.
    let same_algorithm = inv.algorithm == root.algorithm;
    for (n, version) in &inv.versions {
        let Some(root_version) = root.versions.get(n) else {
            continue;
        };
        if same_algorithm && version.state != root_version.state {
            findings.add(
                Code::E066,
                &path,
                format!(
                    "{} has a different logical state than in the root inventory",
                    version.name
                ),
            );
        }
        if version.created != root_version.created
            || version.message != root_version.message
            || version.user != root_version.user
        {
            findings.add(
                Code::W011,
                &path,
                format!(
                    "{} has different created, message or user than in the root inventory",
                    version.name
                ),
            );
        }
    }
    Ok((inv.spec, inv.algorithm))
}

/// Collects every file under a content directory (`content_dir` relative to the object),
/// flagging empty directories and links.
fn walk_content(
    store: &dyn Store,
    object_path: &str,
    content_dir: &str,
    files: &mut BTreeMap<String, u64>,
    findings: &mut Findings,
) -> Result<(), StoreError> {
    let mut pending = vec![content_dir.to_string()];
    while let Some(dir) = pending.pop() {
        let entries = store.list(&join(object_path, &dir))?;
        if entries.is_empty() && dir != content_dir {
            findings.add(
                Code::E024,
                &join(object_path, &dir),
                "empty directory in a content directory",
            );
        }
        for entry in entries {
            let relative = format!("{dir}/{}", entry.name);
            match entry.kind {
                EntryKind::File => {
                    files.insert(relative, entry.size);
                }
                EntryKind::Dir => pending.push(relative),
                EntryKind::Symlink => findings.add(
                    Code::E090,
                    &join(object_path, &relative),
                    "links are not allowed in an object",
                ),
                EntryKind::Other => findings.add(
                    Code::E089,
                    &join(object_path, &relative),
                    "not a regular file",
                ),
            }
        }
    }
    Ok(())
}

/// Checks an `extensions` directory: only sub-directories, named as registered.
pub fn check_extensions(
    store: &dyn Store,
    path: &str,
    file_code: Code,
    unregistered_code: Code,
    findings: &mut Findings,
) -> Result<(), StoreError> {
    let registered: BTreeSet<&str> = REGISTERED_EXTENSIONS
        .iter()
        .copied()
        .chain(["initial"])
        .collect();
    for entry in store.list(path)? {
        let entry_path = join(path, &entry.name);
        if entry.kind != EntryKind::Dir {
            findings.add(
                file_code,
                &entry_path,
                "extensions holds something other than extension directories",
            );
        } else if !registered.contains(entry.name.as_str()) {
            findings.add(
                unregistered_code,
                &entry_path,
                format!("`{}` is not a registered extension", entry.name),
            );
        }
    }
    Ok(())
}
