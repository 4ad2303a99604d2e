//! Checks an object's version directories: each version's own inventory against the root
//! inventory, the files of each content directory against every inventory that must list
//! them; and gathers the content files to hash, each with every digest that the object's
//! inventories record for it, in each inventory's own digest algorithm.

use super::fixity::{Expected, Job};
use super::inventory::{self, CheckedInventory};
use super::object::{has_file, inventory_type_spec, is_inventory_file, ObjectCheck, RootInventory};
use super::{Code, Findings, Spec, VerifyOptions};
use crate::archive::DigestAlgorithm;
use crate::ocfl;
use crate::store::{join, Entry, EntryFlaw, EntryKind, StoreError};
use std::collections::{BTreeMap, BTreeSet};

/// What the version directories hold.
pub struct Walked {
    /// Every file in a content directory: content path (relative to the object) → size.
    pub content_files: BTreeMap<String, u64>,
    /// The version inventories other than the root inventory's copy, each with its path
    /// relative to the object.
    pub inventories: Vec<(String, CheckedInventory)>,
    /// Each version directory's content directory, as its own inventory declares it (the
    /// root inventory's where it has none).
    pub content_dirs: BTreeMap<String, String>,
    /// The version directories that hold their content directory.
    pub content_dirs_present: BTreeSet<String>,
}

/// A version directory's own inventory, as read.
struct VersionInventory {
    inventory: CheckedInventory,
    /// Byte for byte the root inventory (as the head version's must be).
    is_root_copy: bool,
}

/// Checks every version directory in order: its inventory, the entries it holds and the
/// files of its content directory.
pub fn check_versions(
    check: &mut ObjectCheck,
    version_dirs: &BTreeMap<u32, String>,
    root: &RootInventory,
) -> Result<Walked, StoreError> {
    let mut walked = Walked {
        content_files: BTreeMap::new(),
        inventories: Vec::new(),
        content_dirs: BTreeMap::new(),
        content_dirs_present: BTreeSet::new(),
    };
    let mut previous_dir: Option<(String, String)> = None;
    let root_paths: BTreeSet<String> = root
        .inventory
        .manifest
        .values()
        .flatten()
        .cloned()
        .collect();
    let mut previous_spec: Option<Spec> = None;
    // E064 compares the root inventory with the most recent version's, whatever `head` says.
    let head = root.inventory.versions.keys().next_back().copied();
    for (&number, name) in version_dirs {
        let entries = check.store.list(&check.at(name))?;
        let own = version_inventory(check, name, number, &entries, head == Some(number), root)?;
        let spec = own.as_ref().and_then(|o| o.inventory.spec);
        if let (Some(previous), Some(this)) = (previous_spec, spec) {
            if this < previous {
                check.findings.add(
                    Code::E103,
                    &check.at(&join(name, ocfl::INVENTORY)),
                    format!(
                        "version conforms to OCFL {} after one that conforms to {}",
                        this.as_str(),
                        previous.as_str()
                    ),
                );
            }
        }
        previous_spec = spec.or(previous_spec);
        let algorithm = own.as_ref().and_then(|o| o.inventory.algorithm.as_deref());
        // Each version is judged by the directory its own inventory declares, so that one
        // changed contentDirectory is reported as such, not as files missing everywhere.
        let content_directory = match &own {
            Some(own) => {
                let inventory = &own.inventory;
                check_content_directory(check, name, number, inventory, root, &mut previous_dir);
                inventory.content_directory.clone()
            }
            None => root.inventory.content_directory.clone(),
        };
        version_entries(
            check,
            name,
            &entries,
            algorithm,
            &content_directory,
            &mut walked,
        )?;
        walked
            .content_dirs
            .insert(name.to_string(), content_directory);
        if let Some(own) = own.filter(|o| !o.is_root_copy) {
            let path = join(name, ocfl::INVENTORY);
            omitted_content(check, &path, &own.inventory, &root_paths, &walked);
            walked.inventories.push((path, own.inventory));
        }
    }
    Ok(walked)
}

/// Reads and checks version `name`'s inventory and compares it with the root inventory.
fn version_inventory(
    check: &mut ObjectCheck,
    name: &str,
    number: u32,
    entries: &[Entry],
    is_head: bool,
    root: &RootInventory,
) -> Result<Option<VersionInventory>, StoreError> {
    let path = check.at(&join(name, ocfl::INVENTORY));
    if !has_file(entries, ocfl::INVENTORY) {
        // Every version directory SHOULD have one, the head's too; E064 asks only that an
        // inventory there be the root's.
        check
            .findings
            .add(Code::W010, &path, "version directory has no inventory");
        return Ok(None);
    }
    let bytes = check.store.read(&path)?;
    let is_root_copy = bytes == root.bytes;
    if is_head && !is_root_copy {
        check.findings.add(
            Code::E064,
            &path,
            "the head version's inventory is not identical to the root inventory",
        );
    }
    let mut own = Findings::default();
    let declared = inventory_type_spec(&bytes).unwrap_or(root.declared);
    let Some(inventory) = inventory::check(&bytes, declared, &path, &mut own) else {
        check.findings.extend(own);
        return Ok(None);
    };
    // The root inventory's copy has the root's findings; report only the others'.
    if !is_root_copy {
        own.list.retain(|f| f.code != Code::E038);
        check.findings.extend(own);
    }
    check.sidecar(name, entries, inventory.algorithm.as_deref(), &bytes)?;
    compare_with_root(check, &path, number, &inventory, root);
    Ok(Some(VersionInventory {
        inventory,
        is_root_copy,
    }))
}

/// E019: "If the key contentDirectory is set, it MUST be set in the first version of the
/// object": the root inventory sets it, and v1's inventory does not (a v1 that sets it, to
/// whatever, satisfies E019; a value that differs later is a change). E020: it "MUST NOT
/// change between versions" (`previous` is the last version's name and directory). One
/// change is reported once, where it happens.
fn check_content_directory(
    check: &mut ObjectCheck,
    name: &str,
    number: u32,
    inv: &CheckedInventory,
    root: &RootInventory,
    previous: &mut Option<(String, String)>,
) {
    let path = check.at(&join(name, ocfl::INVENTORY));
    if let (1, None, Some(set)) = (number, declared(inv), declared(&root.inventory)) {
        check.findings.add(
            Code::E019,
            &path,
            format!(
                "contentDirectory must be set from v1 on: the root inventory sets `{set}`, \
                 v1's does not set it"
            ),
        );
    }
    if let Some((before, dir)) = previous.as_ref() {
        if *dir != inv.content_directory {
            check.findings.add(
                Code::E020,
                &path,
                format!(
                    "contentDirectory changes from `{dir}` in {before} to `{}` in {name}",
                    inv.content_directory
                ),
            );
        }
    }
    *previous = Some((name.to_string(), inv.content_directory.clone()));
}

/// The contentDirectory an inventory sets, if it sets one.
fn declared(inv: &CheckedInventory) -> Option<&str> {
    inv.content_directory_set
        .then_some(inv.content_directory.as_str())
}

/// Version `number`'s inventory must agree with the root inventory on the object's id and the
/// versions both describe.
fn compare_with_root(
    check: &mut ObjectCheck,
    path: &str,
    number: u32,
    inv: &CheckedInventory,
    root: &RootInventory,
) {
    let root_inv = &root.inventory;
    // An inventory without an id is E036 already: nothing to differ.
    if root_inv.id.is_some() && inv.id.is_some() && inv.id != root_inv.id {
        // OCFL 1.1 gave this rule its own code; 1.0 (and ocfl-py) count it under E037.
        let (code, note) = match root.declared {
            Spec::V1_0 => (Code::E037, "E037 in OCFL 1.0, E110 in OCFL 1.1"),
            Spec::V1_1 => (Code::E110, "E110 in OCFL 1.1, E037 in OCFL 1.0 and ocfl-py"),
        };
        check.findings.add(
            code,
            path,
            format!(
                "id {:?} differs from the root inventory's {:?}: an object's id never \
                 changes ({note})",
                inv.id.as_deref().unwrap_or(""),
                root_inv.id.as_deref().unwrap_or("")
            ),
        );
    }
    if let Some(head) = inv.head.filter(|h| h.number != number) {
        check.findings.add(
            Code::E040,
            path,
            format!("head is {head} in the inventory of v{number}"),
        );
    }
    // Prior versions must describe the same logical state everywhere.
    for (n, version) in &inv.versions {
        let Some(root_version) = root_inv.versions.get(n) else {
            continue;
        };
        if let Some(difference) = inventory::state_difference(inv, root_inv, *n) {
            check.findings.add(
                Code::E066,
                path,
                format!(
                    "{} has a different logical state than in the root inventory: {difference}",
                    version.name
                ),
            );
        }
        if version.created != root_version.created
            || version.message != root_version.message
            || version.user != root_version.user
        {
            check.findings.add(
                Code::W011,
                path,
                format!(
                    "{} has different created, message or user than in the root inventory",
                    version.name
                ),
            );
        }
    }
}

/// What a version directory holds: its inventory and sidecar (hashed with `algorithm`) and
/// the content directory, whose files are collected.
fn version_entries(
    check: &mut ObjectCheck,
    name: &str,
    entries: &[Entry],
    algorithm: Option<&str>,
    content_directory: &str,
    walked: &mut Walked,
) -> Result<(), StoreError> {
    for entry in entries {
        let entry_path = check.at(&join(name, &entry.name));
        match entry.kind {
            EntryKind::File if is_inventory_file(&entry.name, algorithm) => {}
            EntryKind::File => check.findings.add(
                Code::E015,
                &entry_path,
                "unexpected file in a version directory",
            ),
            EntryKind::Dir if entry.name == content_directory => {
                walked.content_dirs_present.insert(name.to_string());
                let before = walked.content_files.len();
                let dir = join(name, &entry.name);
                walk_content(check, &dir, &mut walked.content_files)?;
                if walked.content_files.len() == before {
                    check
                        .findings
                        .add(Code::W003, &entry_path, "content directory holds no files");
                }
            }
            EntryKind::Dir => check.findings.add(
                Code::W002,
                &entry_path,
                "unexpected directory in a version directory",
            ),
            EntryKind::Symlink => check.findings.add(
                Code::E090,
                &entry_path,
                "links are not allowed in an object",
            ),
            EntryKind::Other => check.findings.add(
                Code::E015,
                &entry_path,
                "unexpected entry in a version directory",
            ),
        }
    }
    Ok(())
}

/// Collects every file under a content directory (`content_dir` relative to the object),
/// flagging empty directories and links.
fn walk_content(
    check: &mut ObjectCheck,
    content_dir: &str,
    files: &mut BTreeMap<String, u64>,
) -> Result<(), StoreError> {
    let mut pending = vec![content_dir.to_string()];
    while let Some(dir) = pending.pop() {
        let entries = check.store.list(&check.at(&dir))?;
        if entries.is_empty() && dir != content_dir {
            check.findings.add(
                Code::E024,
                &check.at(&dir),
                "empty directory in a content directory",
            );
        }
        for entry in entries {
            let relative = format!("{dir}/{}", entry.name);
            match (entry.kind, entry.flaw) {
                (_, Some(EntryFlaw::NameNotUtf8)) => check.findings.add(
                    Code::E023,
                    &check.at(&relative),
                    "the file name is not UTF-8 (shown with U+FFFD for the bytes that are not), \
                     so no manifest can name it",
                ),
                (EntryKind::File, flaw) => {
                    if let Some(EntryFlaw::HardLinked { links }) = flaw {
                        check.findings.add(
                            Code::E090,
                            &check.at(&relative),
                            format!(
                                "a hard link: the file has {links} names; links are not \
                                 allowed in an object"
                            ),
                        );
                    }
                    files.insert(relative, entry.size);
                }
                (EntryKind::Dir, _) => pending.push(relative),
                (EntryKind::Symlink, _) => check.findings.add(
                    Code::E090,
                    &check.at(&relative),
                    "links are not allowed in an object",
                ),
                (EntryKind::Other, _) => check.findings.add(
                    Code::E089,
                    &check.at(&relative),
                    "not a regular file (a FIFO, a socket or a device): OCFL holds only \
                     files and folders",
                ),
            }
        }
    }
    Ok(())
}

/// Every content file stored up to this version must be in this version's inventory too
/// (E023). Files the root inventory does not list either are reported once, for the root.
fn omitted_content(
    check: &mut ObjectCheck,
    path: &str,
    own: &CheckedInventory,
    root_paths: &BTreeSet<String>,
    walked: &Walked,
) {
    if !own.manifest_present {
        return;
    }
    let listed: BTreeSet<&str> = own
        .manifest
        .values()
        .flatten()
        .map(String::as_str)
        .collect();
    for content_path in walked.content_files.keys() {
        if root_paths.contains(content_path) && !listed.contains(content_path.as_str()) {
            check.findings.add(
                Code::E023,
                &check.at(content_path),
                format!("content file is not in the manifest of {path}, though stored by then"),
            );
        }
    }
}

/// Compares the content with the root manifest (E023, E042, E092) and returns the files to
/// hash, each with every digest the object's inventories record for it.
pub fn content_jobs(
    check: &mut ObjectCheck,
    inv: &CheckedInventory,
    walked: &Walked,
    index: usize,
    options: &VerifyOptions,
) -> Vec<Job> {
    let digests = inv.content_digests();
    for content_path in walked.content_files.keys() {
        if inv.manifest_present && !digests.contains_key(content_path.as_str()) {
            check.findings.add(
                Code::E023,
                &check.at(content_path),
                "content file is not in the manifest",
            );
        }
    }
    let mut recorded_elsewhere = version_expectations(&walked.inventories);
    let mut jobs = Vec::new();
    let mut without_content_dir = BTreeSet::new();
    for (content_path, digest) in &digests {
        if !in_a_content_directory(inv, &walked.content_dirs, content_path) {
            check.findings.add(
                Code::E042,
                &check.at(content_path),
                outside_content_directory(inv, &walked.content_dirs, content_path),
            );
            continue;
        }
        // Without a `versions` block the walk knew no version folder to read: what they hold
        // is not judged (E041 or E045 says why).
        if !inv.versions_present {
            continue;
        }
        let Some(&size) = walked.content_files.get(*content_path) else {
            missing_content_dir(check, walked, content_path, &mut without_content_dir);
            check.findings.add_content(
                Code::E092,
                &check.at(content_path),
                "the manifest lists this file but it is missing",
                inv.uses(content_path),
            );
            continue;
        };
        let mut expected = root_expectations(inv, content_path, digest);
        for other in recorded_elsewhere.remove(*content_path).unwrap_or_default() {
            push_new(&mut expected, other);
        }
        if options.fixity {
            jobs.push(Job {
                object: index,
                store_path: check.at(content_path),
                size,
                expected,
            });
        }
    }
    // Files that only a version inventory lists, and that are not there. One the root
    // manifest lists outside a content directory was named (E042) above, and was not looked
    // for where it is: "missing" would be wrong of a file that is there.
    for (content_path, expected) in recorded_elsewhere {
        let named_above = digests.contains_key(content_path.as_str())
            && !in_a_content_directory(inv, &walked.content_dirs, &content_path);
        if !named_above && !walked.content_files.contains_key(&content_path) {
            check.findings.add(
                Code::E092,
                &check.at(&content_path),
                format!(
                    "{} lists this file but it is missing",
                    expected[0].recorded_by
                ),
            );
        }
    }
    jobs
}

/// E016, once a version: a file the manifest lists is missing because its version has no
/// content directory at all. (`reported` holds the versions already named.)
fn missing_content_dir(
    check: &mut ObjectCheck,
    walked: &Walked,
    content_path: &str,
    reported: &mut BTreeSet<String>,
) {
    let Some((version, _)) = content_path.split_once('/') else {
        return;
    };
    let Some(dir) = walked.content_dirs.get(version) else {
        return; // no such version directory: E046 says so
    };
    if walked.content_dirs_present.contains(version) || !reported.insert(version.to_string()) {
        return;
    }
    check.findings.add(
        Code::E016,
        &check.at(&join(version, dir)),
        format!("the manifest lists files stored in {version}, which has no {dir} directory"),
    );
}

/// Whether a content path is inside the content directory of one of the inventory's versions
/// (the one that version's own inventory declares, in `dirs`).
fn in_a_content_directory(
    inv: &CheckedInventory,
    dirs: &BTreeMap<String, String>,
    content_path: &str,
) -> bool {
    content_path.split_once('/').is_some_and(|(v, rest)| {
        let dir = dirs.get(v).unwrap_or(&inv.content_directory);
        // Without a `versions` block (E041, E045), any folder named as a version may be one.
        let named = |v: &str| {
            v.strip_prefix('v')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        };
        let version = match inv.versions_present {
            true => inv.versions.values().any(|n| n.name == v),
            false => named(v),
        };
        version && rest.starts_with(&format!("{dir}/"))
    })
}

/// E042's message: the content directory the path's version has (its own inventory's).
fn outside_content_directory(
    inv: &CheckedInventory,
    dirs: &BTreeMap<String, String>,
    content_path: &str,
) -> String {
    let version = content_path.split_once('/').map(|(v, _)| v);
    match version.filter(|v| inv.versions.values().any(|n| n.name == *v)) {
        Some(v) => {
            let dir = dirs.get(v).unwrap_or(&inv.content_directory);
            format!("content path is not inside {v}'s content directory `{dir}`")
        }
        None => "content path is not inside a version's content directory".to_string(),
    }
}

/// The digests the root inventory records for a content file: its manifest digest (E092)
/// and any fixity digests (E093).
fn root_expectations(inv: &CheckedInventory, content_path: &str, digest: &str) -> Vec<Expected> {
    let algorithm = inv
        .algorithm
        .as_deref()
        .and_then(DigestAlgorithm::from_name);
    let manifest = algorithm.map(|a| (a.name().to_string(), digest.to_string(), Code::E092));
    let fixity = inv.fixity.iter().filter_map(|(algorithm, by_path)| {
        let digest = by_path.get(content_path)?;
        Some((algorithm.clone(), digest.clone(), Code::E093))
    });
    manifest
        .into_iter()
        .chain(fixity)
        .map(|(algorithm, digest, code)| Expected {
            algorithm,
            digest,
            code,
            recorded_by: "the inventory".to_string(),
        })
        .collect()
}

/// Content path → the digests that version inventories record for it, each in that
/// inventory's own algorithm (an object may change algorithm between versions).
fn version_expectations(
    inventories: &[(String, CheckedInventory)],
) -> BTreeMap<String, Vec<Expected>> {
    let mut all: BTreeMap<String, Vec<Expected>> = BTreeMap::new();
    for (path, inv) in inventories {
        for (content_path, digest) in inv.content_digests() {
            let mut expected = root_expectations(inv, content_path, digest);
            for e in &mut expected {
                e.recorded_by = path.clone();
            }
            let list = all.entry(content_path.to_string()).or_default();
            for e in expected {
                push_new(list, e);
            }
        }
    }
    all
}

/// Adds a digest to check unless the same digest, in the same algorithm and for the same
/// rule, is already there (inventories of one algorithm mostly agree).
fn push_new(list: &mut Vec<Expected>, new: Expected) {
    let same =
        |e: &Expected| e.algorithm == new.algorithm && e.digest == new.digest && e.code == new.code;
    if !list.iter().any(same) {
        list.push(new);
    }
}
