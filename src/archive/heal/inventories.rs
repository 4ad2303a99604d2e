//! The inventories of an object being healed: which are sound (their sidecar matches them),
//! and when a replica's copy of a damaged one may take its place.
//!
//! A replica's inventory is trusted in one of two ways: its bytes have the digest that this
//! object's own sidecar records (only the inventory was damaged); or, where the sidecar is
//! damaged too, it matches the replica's sidecar, names this object and the right head, and
//! agrees with every sound inventory of this object on every version both describe. That
//! second way needs at least one sound inventory here, unless the local inventory is intact
//! and byte for byte the replica's (then only its sidecar is put back).

use super::objects::ObjectFiles;
use super::FileRole;
use crate::archive::digest::DigestAlgorithm;
use crate::archive::inventory::{sidecar_matches, Inventory, VersionNum};
use crate::ocfl::{sidecar_name, INVENTORY};
use crate::store::{join, Store, StoreError};
use std::collections::BTreeMap;

/// The sidecar files' names start with this (`inventory.json.sha512`).
fn sidecar_prefix() -> String {
    format!("{INVENTORY}.")
}

/// One place an inventory belongs: the object root, or a version directory.
pub(super) struct Slot {
    /// `""` for the object root, else the version directory (`v3`).
    pub dir: String,
    /// The head the inventory here must name.
    pub head: VersionNum,
    pub bytes: Option<Vec<u8>>,
    /// The sidecar files beside it, by name.
    pub sidecars: BTreeMap<String, Vec<u8>>,
    /// The inventory, when its sidecar matches it.
    pub sound: Option<Inventory>,
}

impl Slot {
    fn read(
        store: &dyn Store,
        object: &ObjectFiles,
        dir: &str,
        head: VersionNum,
    ) -> Result<Slot, StoreError> {
        let bytes = object.read_file(store, &join(dir, INVENTORY))?;
        let mut sidecars = BTreeMap::new();
        let prefix = join(dir, &sidecar_prefix());
        for name in object.files.keys().filter(|p| p.starts_with(&prefix)) {
            let file = &name[prefix.len() - sidecar_prefix().len()..];
            if file.contains('/') {
                continue;
            }
            if let Some(content) = object.read_file(store, name)? {
                sidecars.insert(file.to_string(), content);
            }
        }
        let mut slot = Slot {
            dir: dir.to_string(),
            head,
            bytes,
            sidecars,
            sound: None,
        };
        slot.sound = slot.check();
        Ok(slot)
    }

    /// The inventory, parsed, when the sidecar of its algorithm matches it.
    pub fn check(&self) -> Option<Inventory> {
        let bytes = self.bytes.as_ref()?;
        let inventory: Inventory = serde_json::from_slice(bytes).ok()?;
        let sidecar = self
            .sidecars
            .get(&sidecar_name(inventory.digest_algorithm.name()))?;
        sidecar_matches(sidecar, inventory.digest_algorithm, bytes).then_some(inventory)
    }

    /// The inventory's path in the object.
    pub fn path(&self) -> String {
        join(&self.dir, INVENTORY)
    }

    /// What is wrong with the inventory here, for reports (it reads after "was").
    pub fn damage(&self) -> String {
        let Some(bytes) = &self.bytes else {
            return "missing".into();
        };
        let Ok(inventory) = serde_json::from_slice::<Inventory>(bytes) else {
            return "not a readable inventory".into();
        };
        let name = sidecar_name(inventory.digest_algorithm.name());
        match self.sidecars.contains_key(&name) {
            false => format!("without its sidecar {name}"),
            true => format!("not matching its sidecar {name}"),
        }
    }

    /// What is wrong with the sidecar `name` here, for reports.
    pub fn sidecar_damage(&self, name: &str) -> &'static str {
        match self.sidecars.contains_key(name) {
            false => "missing",
            true => "not matching the inventory",
        }
    }

    /// True when nothing of an inventory is here (a version without one, which OCFL allows).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_none() && self.sidecars.is_empty()
    }
}

/// Every inventory place of an object: the root first, then each version up to the head.
pub(super) struct Inventories {
    pub slots: Vec<Slot>,
}

impl Inventories {
    pub fn read(store: &dyn Store, object: &ObjectFiles) -> Result<Inventories, StoreError> {
        let versions = object.version_dirs();
        let root_head = versions
            .values()
            .next_back()
            .copied()
            .unwrap_or_else(VersionNum::first);
        let root = Slot::read(store, object, "", root_head)?;
        // A sound root inventory says where the head is, and names versions whose folders
        // may be gone entirely.
        let (head, mut versions) = match &root.sound {
            Some(inventory) => {
                let mut named = versions;
                for version in inventory.versions.keys() {
                    named.entry(version.number).or_insert(*version);
                }
                (inventory.head, named)
            }
            None => (root_head, versions),
        };
        versions.retain(|number, _| *number <= head.number);
        let mut slots = vec![Slot { head, ..root }];
        for version in versions.values() {
            slots.push(Slot::read(store, object, &version.to_string(), *version)?);
        }
        Ok(Inventories { slots })
    }

    /// The inventories whose sidecars match them.
    pub fn sound(&self) -> impl Iterator<Item = &Inventory> {
        self.slots.iter().filter_map(|s| s.sound.as_ref())
    }

    /// The head version's own inventory, when it is sound, as a copy that may also stand in
    /// the object root (OCFL has the two identical).
    pub fn head_copy(&self, store: &dyn Store, object_path: &str) -> Option<Copy> {
        let head = self.slots[0].head.to_string();
        let slot = self.slots.iter().find(|s| s.dir == head)?;
        let inventory = slot.sound.clone()?;
        let name = sidecar_name(inventory.digest_algorithm.name());
        Some(Copy {
            origin: store.describe(&join(object_path, &slot.path())),
            bytes: slot.bytes.clone()?,
            sidecar: Some((name.clone(), slot.sidecars.get(&name)?.clone())),
            parsed: Some(inventory),
        })
    }

    /// The object declaration the inventories call for (`0=ocfl_object_1.1`...).
    pub fn declaration(&self) -> Option<&'static str> {
        let inventory = self.sound().next()?;
        Some(
            if inventory.inventory_type == crate::archive::inventory::INVENTORY_TYPE_1_0 {
                crate::ocfl::OBJECT_DECLARATION_1_0
            } else {
                crate::ocfl::OBJECT_DECLARATION
            },
        )
    }
}

/// A replica's copy of one inventory, with its sidecar.
#[derive(Clone)]
pub(super) struct Copy {
    /// Where the copy is (for reports).
    pub origin: String,
    pub bytes: Vec<u8>,
    pub parsed: Option<Inventory>,
    /// The sidecar of the inventory's own algorithm: its name and bytes.
    pub sidecar: Option<(String, Vec<u8>)>,
}

impl Copy {
    /// The copy at `path` (an inventory file) in `store`, or `None` when there is none.
    pub fn read(store: &dyn Store, path: &str) -> Result<Option<Copy>, StoreError> {
        let Some(bytes) = read_optional(store, path)? else {
            return Ok(None);
        };
        let parsed: Option<Inventory> = serde_json::from_slice(&bytes).ok();
        let sidecar = match &parsed {
            Some(inventory) => {
                let name = sidecar_name(inventory.digest_algorithm.name());
                let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
                read_optional(store, &join(dir, &name))?.map(|b| (name, b))
            }
            None => None,
        };
        Ok(Some(Copy {
            origin: store.describe(path),
            bytes,
            parsed,
            sidecar,
        }))
    }

    /// The inventory when the copy's own sidecar matches it.
    pub fn sound(&self) -> Option<&Inventory> {
        let inventory = self.parsed.as_ref()?;
        let (_, sidecar) = self.sidecar.as_ref()?;
        sidecar_matches(sidecar, inventory.digest_algorithm, &self.bytes).then_some(inventory)
    }
}

/// A file's bytes, or `None` when it is missing or not a regular file.
pub(super) fn read_optional(store: &dyn Store, path: &str) -> Result<Option<Vec<u8>>, StoreError> {
    match store.read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(StoreError::NotFound { .. } | StoreError::Invalid { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// What to put back in one inventory's place.
pub(super) struct Plan {
    /// Where the files come from (for reports).
    pub origin: String,
    pub inventory: Option<Vec<u8>>,
    pub sidecar: Option<(String, Vec<u8>)>,
}

impl Plan {
    /// The files to swap in, with their roles, inventory first and sidecar last.
    pub fn files(self, slot: &Slot) -> Vec<(String, FileRole, Vec<u8>)> {
        let mut files = Vec::new();
        if let Some(bytes) = self.inventory {
            files.push((slot.path(), FileRole::Inventory, bytes));
        }
        if let Some((name, bytes)) = self.sidecar {
            files.push((join(&slot.dir, &name), FileRole::Sidecar, bytes));
        }
        files
    }
}

/// Whether the replica's `copy` may take the place of the damaged inventory in `slot`, and
/// what to replace; otherwise why not. `others` are this object's sound inventories.
pub(super) fn plan(
    slot: &Slot,
    copy: &Copy,
    others: &[&Inventory],
    id: &str,
) -> Result<Plan, String> {
    // This object's own sidecar vouches for the replica's bytes.
    for (name, sidecar) in &slot.sidecars {
        let Some(algorithm) = name
            .strip_prefix(&sidecar_prefix())
            .and_then(DigestAlgorithm::from_name)
        else {
            continue;
        };
        let same_algorithm = copy
            .parsed
            .as_ref()
            .is_some_and(|i| i.digest_algorithm == algorithm);
        if same_algorithm && sidecar_matches(sidecar, algorithm, &copy.bytes) {
            return Ok(Plan {
                origin: copy.origin.clone(),
                inventory: Some(copy.bytes.clone()),
                sidecar: None,
            });
        }
    }
    let inventory = copy
        .sound()
        .ok_or("the replica's copy is damaged too (it does not match its own sidecar)")?;
    if inventory.id != id {
        return Err(format!(
            "the replica's copy is an inventory of `{}`",
            inventory.id
        ));
    }
    if inventory.head != slot.head {
        return Err(format!(
            "the replica's copy names head {}, not {}",
            inventory.head, slot.head
        ));
    }
    let intact_here = slot.bytes.as_ref() == Some(&copy.bytes);
    if others.is_empty() && !intact_here {
        return Err(
            "no sound inventory is left in this object to check the replica's copy against".into(),
        );
    }
    for other in others {
        agree(other, inventory).map_err(|diff| {
            format!("the replica's copy disagrees with this object's sound inventories: {diff}")
        })?;
    }
    let sidecar = copy
        .sidecar
        .clone()
        .filter(|(name, bytes)| slot.sidecars.get(name) != Some(bytes));
    Ok(Plan {
        origin: copy.origin.clone(),
        inventory: (!intact_here).then(|| copy.bytes.clone()),
        sidecar,
    })
}

/// Checks that two inventories of one object tell the same story of every version both
/// describe: the same created time, message and user, and the same logical paths on the same
/// content paths (and, in the same digest algorithm, the same digests). Otherwise, what differs.
pub(super) fn agree(a: &Inventory, b: &Inventory) -> Result<(), String> {
    for (version, block) in &a.versions {
        let Some(other) = b
            .versions
            .iter()
            .find(|(v, _)| v.number == version.number)
            .map(|(_, block)| block)
        else {
            continue;
        };
        if block.created != other.created
            || block.message != other.message
            || block.user != other.user
        {
            return Err(format!(
                "{version} differs in its created time, message or user"
            ));
        }
        let (files_a, files_b) = (resolved(a, *version), resolved(b, *version));
        let same_digests = a.digest_algorithm != b.digest_algorithm
            || a.logical_state(*version) == b.logical_state(*version);
        if files_a != files_b || !same_digests {
            let path = first_difference(&files_a, &files_b)
                .or_else(|| {
                    first_difference(
                        &a.logical_state(*version).unwrap_or_default(),
                        &b.logical_state(*version).unwrap_or_default(),
                    )
                })
                .unwrap_or_default();
            return Err(format!("{version} differs at `{path}`"));
        }
    }
    Ok(())
}

/// The first key whose value differs between two maps.
fn first_difference<V: PartialEq>(
    a: &BTreeMap<String, V>,
    b: &BTreeMap<String, V>,
) -> Option<String> {
    a.iter()
        .find(|(k, v)| b.get(*k) != Some(v))
        .map(|(k, _)| k.clone())
        .or_else(|| b.keys().find(|k| !a.contains_key(*k)).cloned())
}

/// A version's logical paths with the content paths that hold their bytes (those stored up to
/// that version: a later version may store the same bytes again).
fn resolved(inventory: &Inventory, version: VersionNum) -> BTreeMap<String, Vec<String>> {
    let manifest: BTreeMap<String, &Vec<String>> = inventory
        .manifest
        .iter()
        .map(|(digest, paths)| (digest.to_ascii_lowercase(), paths))
        .collect();
    let stored_by = |content: &&String| {
        content
            .split('/')
            .next()
            .and_then(VersionNum::parse)
            .is_some_and(|v| v.number <= version.number)
    };
    let mut files = BTreeMap::new();
    for (logical, digest) in inventory.logical_state(version).unwrap_or_default() {
        let mut content: Vec<String> = manifest
            .get(&digest)
            .map(|paths| paths.iter().filter(stored_by).cloned().collect())
            .unwrap_or_default();
        content.sort();
        files.insert(logical, content);
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An inventory of `urn:x` whose versions each store one file `a.md` with `digests[n]`.
    fn inventory(digests: &[&str]) -> Inventory {
        let mut manifest = serde_json::Map::new();
        let mut versions = serde_json::Map::new();
        for (n, digest) in digests.iter().enumerate() {
            let v = format!("v{}", n + 1);
            manifest.insert(
                digest.to_string(),
                serde_json::json!([format!("{v}/content/a.md")]),
            );
            versions.insert(
                v,
                serde_json::json!({"created": "2026-01-01T00:00:00Z", "state": {*digest: ["a.md"]}}),
            );
        }
        serde_json::from_value(serde_json::json!({
            "id": "urn:x",
            "type": crate::archive::inventory::INVENTORY_TYPE_1_1,
            "digestAlgorithm": "sha512",
            "head": format!("v{}", digests.len()),
            "manifest": manifest,
            "versions": versions,
        }))
        .unwrap()
    }

    fn sidecar(bytes: &[u8]) -> Vec<u8> {
        format!("{}  {INVENTORY}\n", DigestAlgorithm::Sha512.digest(bytes)).into_bytes()
    }

    /// The replica's copy of `inventory`, with its own sidecar right or wrong.
    fn copy_of(inventory: &Inventory, sidecar_right: bool) -> Copy {
        let bytes = inventory.to_json();
        let side = if sidecar_right {
            sidecar(&bytes)
        } else {
            b"0  inventory.json\n".to_vec()
        };
        Copy {
            origin: "replica".into(),
            parsed: Some(inventory.clone()),
            sidecar: Some(("inventory.json.sha512".into(), side)),
            bytes,
        }
    }

    fn slot(head: &str, bytes: Option<&[u8]>, sidecar: Option<Vec<u8>>) -> Slot {
        Slot {
            dir: String::new(),
            head: VersionNum::parse(head).unwrap(),
            bytes: bytes.map(<[u8]>::to_vec),
            sidecars: sidecar
                .map(|s| ("inventory.json.sha512".to_string(), s))
                .into_iter()
                .collect(),
            sound: None,
        }
    }

    #[test]
    fn a_replica_inventory_this_objects_sidecar_vouches_for_replaces_only_the_inventory() {
        let good = inventory(&["aa", "bb"]);
        let bytes = good.to_json();
        let damaged = slot("v2", Some(b"{ truncated"), Some(sidecar(&bytes)));
        // Even with the replica's own sidecar wrong, and nothing else sound here.
        let planned = plan(&damaged, &copy_of(&good, false), &[], "urn:x").unwrap();
        assert_eq!(planned.inventory, Some(bytes));
        assert!(planned.sidecar.is_none(), "the sound sidecar is touched");
    }

    #[test]
    fn with_its_sidecar_gone_too_a_replica_inventory_must_agree_with_the_sound_ones() {
        let good = inventory(&["aa", "bb"]);
        let damaged = slot("v2", Some(b"{ truncated"), None);
        let earlier = inventory(&["aa"]);
        let planned = plan(&damaged, &copy_of(&good, true), &[&earlier], "urn:x").unwrap();
        assert_eq!(planned.inventory, Some(good.to_json()));
        assert!(planned.sidecar.is_some());

        let (right, wrong) = (copy_of(&good, true), copy_of(&good, false));
        let (other_history, no_head) = (inventory(&["cc"]), slot("v3", None, None));
        for (slot, copy, other, id, why) in [
            (
                &damaged,
                &right,
                &other_history,
                "urn:x",
                "v1 differs at `a.md`",
            ),
            (
                &damaged,
                &wrong,
                &earlier,
                "urn:x",
                "does not match its own sidecar",
            ),
            (&no_head, &right, &earlier, "urn:x", "names head v2, not v3"),
            (
                &damaged,
                &right,
                &earlier,
                "urn:y",
                "an inventory of `urn:x`",
            ),
        ] {
            assert_refused(plan(slot, copy, &[other], id), why);
        }
    }

    /// Asserts that a plan was refused, for a reason that says `why`.
    #[track_caller]
    fn assert_refused(planned: Result<Plan, String>, why: &str) {
        let reason = planned.err().expect("refused");
        assert!(reason.contains(why), "{reason}");
    }

    #[test]
    fn with_nothing_sound_here_only_an_identical_inventory_gets_its_sidecar_back() {
        let good = inventory(&["aa"]);
        let bytes = good.to_json();
        let intact = slot("v1", Some(&bytes), None);
        let planned = plan(&intact, &copy_of(&good, true), &[], "urn:x").unwrap();
        assert!(planned.inventory.is_none() && planned.sidecar.is_some());
        let damaged = slot("v1", Some(b"{"), None);
        let refused = plan(&damaged, &copy_of(&good, true), &[], "urn:x");
        assert_refused(refused, "no sound inventory is left");
    }

    #[test]
    fn the_same_bytes_stored_again_by_a_later_version_are_the_same_history() {
        let earlier = inventory(&["aa"]);
        let mut later = inventory(&["aa", "bb"]);
        later
            .manifest
            .get_mut("aa")
            .unwrap()
            .push("v2/content/again.md".into());
        assert_eq!(agree(&earlier, &later), Ok(()));
        let mut retimed = later.clone();
        retimed.versions.values_mut().next().unwrap().created = "2027-01-01T00:00:00Z".into();
        assert!(agree(&earlier, &retimed)
            .unwrap_err()
            .contains("created time"));
    }
}
