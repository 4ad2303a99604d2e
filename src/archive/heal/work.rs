//! Healing one object's files, under its write lock: inventories and sidecars first (each
//! healed one may vouch for the next), then content files, then the object declaration; each
//! put back with one swap, so a kill leaves the object no worse.

use super::content::{self, Expected, Source};
use super::inventories::{self, Inventories};
use super::objects::ObjectFiles;
use super::replica::ReplicaObject;
use super::{FileRole, Healed, NotHealed, ObjectHeal};
use crate::archive::inventory::Inventory;
use crate::ocfl::declaration_body;
use crate::store::{join, ObjectUpdate, Store, StoreError};
use std::collections::BTreeMap;

/// One object's healing in progress.
pub(super) struct Work<'a, 'u> {
    /// The store of the object being healed.
    pub store: &'a dyn Store,
    pub object: &'a ObjectFiles,
    pub update: &'a mut (dyn ObjectUpdate + 'u),
    pub heal: &'a mut ObjectHeal,
    /// Why the replica cannot help, when it cannot.
    pub unusable: &'a str,
}

impl Work<'_, '_> {
    /// Swaps in `bytes` at `path` (relative to the object) and records it.
    fn swap(
        &mut self,
        path: &str,
        role: FileRole,
        bytes: &[u8],
        (why, from): (&str, &str),
    ) -> Result<(), StoreError> {
        self.update.stage_swap(path, &mut &bytes[..])?;
        self.update.swap_file(path)?;
        self.heal.healed.push(Healed {
            path: join(&self.object.path, path),
            role,
            bytes: bytes.len() as u64,
            why: why.to_string(),
            from: from.to_string(),
        });
        Ok(())
    }

    fn not_healed(&mut self, path: &str, role: FileRole, why: &str, reason: &str) {
        self.heal.not_healed.push(NotHealed {
            path: join(&self.object.path, path),
            role,
            reason: format!("{why}; {reason}"),
        });
    }

    /// Puts back damaged inventories and sidecars, until no more can be trusted (each one
    /// healed may vouch for the next).
    pub fn inventories(
        &mut self,
        source: Option<&ReplicaObject>,
        inventories: &mut Inventories,
    ) -> Result<(), StoreError> {
        let mut reasons: BTreeMap<usize, String> = BTreeMap::new();
        let mut progress = true;
        while progress {
            progress = false;
            for index in 0..inventories.slots.len() {
                if inventories.slots[index].sound.is_some() {
                    continue;
                }
                match self.heal_slot(index, source, inventories)? {
                    Ok(()) => {
                        reasons.remove(&index);
                        progress = true;
                    }
                    Err(reason) => {
                        reasons.insert(index, reason);
                    }
                }
            }
        }
        for (index, reason) in reasons {
            let slot = &inventories.slots[index];
            // A version without an inventory, which the replica lacks too, is no damage.
            if !slot.is_empty() {
                let (path, why) = (slot.path(), slot.damage());
                self.not_healed(&path, FileRole::Inventory, &why, &reason);
            }
        }
        Ok(())
    }

    /// Puts back the inventory (and sidecar) of one place from the first copy that can be
    /// trusted: the replica's, and for the root also this object's own head version's; or
    /// says why none can.
    fn heal_slot(
        &mut self,
        index: usize,
        source: Option<&ReplicaObject>,
        inventories: &mut Inventories,
    ) -> Result<Result<(), String>, StoreError> {
        if self.heal.refused.is_some() {
            return Ok(Err(self.unusable.to_string()));
        }
        let slot = &inventories.slots[index];
        let mut copies = Vec::new();
        if let Some(source) = source {
            copies.extend(source.copy_for(slot)?);
        }
        if slot.dir.is_empty() {
            copies.extend(inventories.head_copy(self.store, &self.object.path));
        }
        let mut refusal = match source {
            Some(_) => "the replica holds no copy of it".to_string(),
            None => self.unusable.to_string(),
        };
        let others: Vec<&Inventory> = inventories.sound().collect();
        let id = self.heal.id.clone().unwrap_or_default();
        let mut plan = None;
        for (n, copy) in copies.iter().enumerate() {
            match inventories::plan(slot, copy, &others, &id) {
                Ok(found) => {
                    plan = Some(found);
                    break;
                }
                Err(reason) if n == 0 => refusal = reason,
                Err(_) => {}
            }
        }
        let Some(plan) = plan else {
            return Ok(Err(refusal));
        };
        let origin = plan.origin.clone();
        for (path, role, bytes) in plan.files(slot) {
            let slot = &mut inventories.slots[index];
            let name = path.rsplit('/').next().unwrap_or_default().to_string();
            let why = match role {
                FileRole::Sidecar => slot.sidecar_damage(&name).to_string(),
                _ => slot.damage(),
            };
            self.swap(&path, role, &bytes, (&why, &origin))?;
            if role == FileRole::Sidecar {
                slot.sidecars.insert(name, bytes);
            } else {
                slot.bytes = Some(bytes);
            }
        }
        let slot = &mut inventories.slots[index];
        slot.sound = slot.check();
        Ok(Ok(()))
    }

    /// Puts back damaged content files whose replica copies have the recorded digests.
    pub fn content(
        &mut self,
        source: Option<&ReplicaObject>,
        inventories: &Inventories,
    ) -> Result<(), StoreError> {
        let expected = Expected::from(inventories.sound());
        self.heal
            .not_healed
            .extend(content::conflicts(self.object, &expected));
        let damaged = content::damaged(self.store, self.object, &expected)?;
        let Some(source) = source else {
            for (path, why) in damaged {
                let reason = self.unusable.to_string();
                self.not_healed(&path, FileRole::Content, &why, &reason);
            }
            return Ok(());
        };
        let source = Source {
            store: source.store,
            path: &source.path,
        };
        let mut done = (Vec::new(), Vec::new());
        content::heal(
            &source,
            self.object,
            damaged,
            &expected,
            self.update,
            &mut done,
        )?;
        self.heal.healed.extend(done.0);
        self.heal.not_healed.extend(done.1);
        Ok(())
    }

    /// Puts back a missing or wrong object declaration when the replica's is right.
    pub fn declaration(
        &mut self,
        source: Option<&ReplicaObject>,
        inventories: &Inventories,
    ) -> Result<(), StoreError> {
        let Some(name) = inventories.declaration() else {
            return Ok(());
        };
        let body = declaration_body(name);
        let local = self.object.read_file(self.store, name)?;
        if local.as_deref() == Some(body.as_bytes()) {
            return Ok(());
        }
        let why = if local.is_some() {
            "not the declaration it must be"
        } else {
            "missing"
        };
        let Some(source) = source else {
            let reason = self.unusable.to_string();
            self.not_healed(name, FileRole::Declaration, why, &reason);
            return Ok(());
        };
        let copy_path = join(&source.path, name);
        let copy = inventories::read_optional(source.store, &copy_path)?;
        match copy {
            Some(bytes) if bytes == body.as_bytes() => {
                let from = source.store.describe(&copy_path);
                self.swap(name, FileRole::Declaration, &bytes, (why, &from))
            }
            Some(_) => {
                self.not_healed(
                    name,
                    FileRole::Declaration,
                    why,
                    "the replica's copy is wrong too",
                );
                Ok(())
            }
            None => {
                self.not_healed(
                    name,
                    FileRole::Declaration,
                    why,
                    "the replica holds no copy of it",
                );
                Ok(())
            }
        }
    }
}
