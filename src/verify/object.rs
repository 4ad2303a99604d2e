//! Checks one object's structure: declaration, root inventory and sidecar, and what the
//! object root holds; the version directories and their content are checked in
//! [`super::versions`], which yields the content files to hash.

use super::declaration;
use super::fixity::Job;
use super::inventory::{self, CheckedInventory};
use super::versions;
use super::{Code, Findings, Spec, VerifyOptions};
use crate::archive::inventory::{parse_sidecar, VersionNum};
use crate::archive::DigestAlgorithm;
use crate::ocfl;
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
    /// The root inventory, to say which logical paths a damaged content file shows.
    pub inventory: Option<CheckedInventory>,
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

/// One object being checked: where it is, and what has been found so far.
pub struct ObjectCheck<'a> {
    pub store: &'a dyn Store,
    /// The object root, relative to the store's root.
    pub path: &'a str,
    pub findings: Findings,
}

impl ObjectCheck<'_> {
    /// A path inside the object, relative to the store's root.
    pub fn at(&self, name: &str) -> String {
        join(self.path, name)
    }
}

/// The root inventory as read and checked.
pub struct RootInventory {
    pub bytes: Vec<u8>,
    pub inventory: CheckedInventory,
    /// The spec version whose rules apply: the declaration's, else the inventory's type's.
    pub declared: Spec,
}

pub fn check_object(
    store: &dyn Store,
    object_path: &str,
    index: usize,
    root_spec: Option<Spec>,
    options: &VerifyOptions,
) -> Result<(Checked, Vec<Job>), StoreError> {
    let mut check = ObjectCheck {
        store,
        path: object_path,
        findings: Findings::default(),
    };
    let entries = store.list(object_path)?;
    let spec = check.declaration(&entries, root_spec)?;
    let root = check.root_inventory(&entries, spec)?;
    let mut checked = Checked {
        path: object_path.to_string(),
        id: root.as_ref().and_then(|r| r.inventory.id.clone()),
        spec: spec.or(root.as_ref().and_then(|r| r.inventory.spec)),
        findings: Findings::default(),
        files: 0,
        bytes: 0,
        inventory: None,
    };
    let Some(root) = root else {
        checked.findings = check.findings;
        return Ok((checked, Vec::new()));
    };
    let version_dirs = check.root_entries(&entries, &root.inventory)?;
    let walked = versions::check_versions(&mut check, &version_dirs, &root)?;
    let jobs = versions::content_jobs(&mut check, &root.inventory, &walked, index, options);
    checked.findings = check.findings;
    checked.inventory = Some(root.inventory);
    Ok((checked, jobs))
}

impl ObjectCheck<'_> {
    /// The object declaration (NAMASTE); returns the spec version it names.
    fn declaration(
        &mut self,
        entries: &[Entry],
        root_spec: Option<Spec>,
    ) -> Result<Option<Spec>, StoreError> {
        let path = self.path;
        let spec = declaration::OBJECT.check(
            self.store,
            entries,
            |name| join(path, name),
            &mut self.findings,
        )?;
        if let (Some(object_spec), Some(root_spec)) = (spec, root_spec) {
            if object_spec > root_spec {
                self.findings.add(
                    Code::E081,
                    &self.at(""),
                    format!(
                        "object declares OCFL {} but the storage root {}",
                        object_spec.as_str(),
                        root_spec.as_str()
                    ),
                );
            }
        }
        Ok(spec)
    }

    /// Reads and checks `inventory.json` and its sidecar; `None` when there is no inventory
    /// to go on.
    fn root_inventory(
        &mut self,
        entries: &[Entry],
        spec: Option<Spec>,
    ) -> Result<Option<RootInventory>, StoreError> {
        let path = self.at(ocfl::INVENTORY);
        if !has_file(entries, ocfl::INVENTORY) {
            self.findings
                .add(Code::E063, &path, "object root has no inventory.json");
            return Ok(None);
        }
        let bytes = self.store.read(&path)?;
        // Without a readable declaration, the inventory's own type says which rules apply.
        let declared = spec
            .or_else(|| inventory_type_spec(&bytes))
            .unwrap_or(Spec::V1_1);
        let Some(inventory) = inventory::check(&bytes, declared, &path, &mut self.findings) else {
            return Ok(None);
        };
        self.sidecar("", entries, inventory.algorithm.as_deref(), &bytes)?;
        Ok(Some(RootInventory {
            bytes,
            inventory,
            declared,
        }))
    }

    /// What the object root holds; returns the version directories that the inventory
    /// lists, by number.
    fn root_entries(
        &mut self,
        entries: &[Entry],
        inv: &CheckedInventory,
    ) -> Result<BTreeMap<u32, String>, StoreError> {
        let mut version_dirs = BTreeMap::new();
        for entry in entries {
            let name = entry.name.as_str();
            match entry.kind {
                EntryKind::File if !is_root_file(name, inv.algorithm.as_deref()) => {
                    self.findings.add(
                        Code::E001,
                        &self.at(name),
                        "unexpected file in the object root",
                    )
                }
                EntryKind::File => {}
                EntryKind::Dir if name == "logs" => {}
                EntryKind::Dir if name == ocfl::EXTENSIONS => check_extensions(
                    self.store,
                    &self.at(name),
                    Code::E067,
                    Code::W013,
                    &mut self.findings,
                )?,
                EntryKind::Dir => self.root_dir(name, inv, &mut version_dirs)?,
                EntryKind::Symlink => self.findings.add(
                    Code::E090,
                    &self.at(name),
                    "links are not allowed in an object",
                ),
                EntryKind::Other => self.findings.add(
                    Code::E001,
                    &self.at(name),
                    "unexpected entry in the object root",
                ),
            }
        }
        for (number, version) in &inv.versions {
            if !version_dirs.contains_key(number) {
                self.findings.add(
                    Code::E046,
                    &self.at(&version.name),
                    "the inventory lists this version but its directory is missing",
                );
            }
        }
        Ok(version_dirs)
    }

    /// A directory in the object root: a version directory the inventory lists (collected
    /// in `version_dirs`), or something that should not be there.
    fn root_dir(
        &mut self,
        name: &str,
        inv: &CheckedInventory,
        version_dirs: &mut BTreeMap<u32, String>,
    ) -> Result<(), StoreError> {
        let path = self.at(name);
        match VersionNum::parse(name) {
            Some(v) if inv.versions.get(&v.number).is_some_and(|n| n.name == name) => {
                version_dirs.insert(v.number, name.to_string());
                // Listed, but after a gap in the sequence (v1, v2, v4): not where a version
                // can be.
                if inv.sequence_end > 0 && v.number > inv.sequence_end {
                    self.findings.add(
                        Code::E046,
                        &path,
                        format!(
                            "version directory {name} is outside the continuous sequence \
                             v1 … v{} that version directories must form",
                            inv.sequence_end
                        ),
                    );
                }
            }
            Some(_) => self.findings.add(
                Code::E046,
                &path,
                "version directory is not in the inventory",
            ),
            None => {
                let nested = self
                    .store
                    .list(&path)?
                    .iter()
                    .any(|e| e.name.starts_with(ocfl::OBJECT_DECLARATION_PREFIX));
                if nested {
                    self.findings.add(
                        Code::E082,
                        &path,
                        "an object inside an object: object roots must end the hierarchy",
                    );
                } else if inv.bad_version_names.contains(name) {
                    let (code, rule) = super::inventory::version_name_fault(name);
                    let message = format!("the inventory's version directory {name}: {rule}");
                    self.findings.add(code, &path, message);
                } else {
                    self.findings
                        .add(Code::E001, &path, "unexpected directory in the object root");
                }
            }
        }
        Ok(())
    }

    /// Checks `inventory.json.<algorithm>` next to the inventory in `dir` (relative to the
    /// object root).
    pub fn sidecar(
        &mut self,
        dir: &str,
        entries: &[Entry],
        algorithm: Option<&str>,
        inventory_bytes: &[u8],
    ) -> Result<(), StoreError> {
        let Some(algorithm) = algorithm else {
            return Ok(());
        };
        let name = ocfl::sidecar_name(algorithm);
        let path = self.at(&join(dir, &name));
        if !has_file(entries, &name) {
            let sidecar_prefix = ocfl::sidecar_name("");
            match entries.iter().find(|e| e.name.starts_with(&sidecar_prefix)) {
                Some(other) => self.findings.add(
                    Code::E059,
                    &self.at(&join(dir, &other.name)),
                    format!("sidecar uses another algorithm than the inventory's {algorithm}"),
                ),
                None => {
                    self.findings
                        .add(Code::E058, &path, "inventory has no sidecar digest file")
                }
            }
            return Ok(());
        }
        let content = self.store.read(&path)?;
        let Some(recorded) = std::str::from_utf8(&content).ok().and_then(parse_sidecar) else {
            self.findings
                .add(Code::E061, &path, "sidecar is not `DIGEST inventory.json`");
            return Ok(());
        };
        let actual = DigestAlgorithm::from_name(algorithm).map(|a| a.digest(inventory_bytes));
        if let Some(actual) = actual.filter(|a| !a.eq_ignore_ascii_case(recorded)) {
            self.findings.add(
                Code::E060,
                &path,
                format!("sidecar digest {recorded} does not match the inventory's {actual}"),
            );
        }
        Ok(())
    }
}

/// True when `entries` hold a regular file called `name`.
pub fn has_file(entries: &[Entry], name: &str) -> bool {
    entries
        .iter()
        .any(|e| e.name == name && e.kind == EntryKind::File)
}

/// Whether a file in the object root is one the spec allows there: a declaration, the
/// inventory or its sidecar.
fn is_root_file(name: &str, algorithm: Option<&str>) -> bool {
    name.starts_with("0=") || is_inventory_file(name, algorithm)
}

/// Whether `name` is an inventory or the sidecar of one hashed with `algorithm`. Without a
/// usable algorithm, any sidecar counts as the sidecar (E025 says what is wrong).
pub fn is_inventory_file(name: &str, algorithm: Option<&str>) -> bool {
    let usable = algorithm.and_then(DigestAlgorithm::from_name).is_some();
    let is_sidecar = match algorithm {
        Some(algorithm) if usable => name == ocfl::sidecar_name(algorithm),
        _ => name.starts_with(&ocfl::sidecar_name("")),
    };
    name == ocfl::INVENTORY || is_sidecar
}

/// The spec version an inventory's `type` names, read leniently.
pub fn inventory_type_spec(bytes: &[u8]) -> Option<Spec> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    Spec::from_inventory_type(value.get("type")?.as_str()?)
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
