//! The replica's copy of one object: found to tell the same history as this object's sound
//! inventories (else refused), and the copies of inventories it offers.

use super::inventories::{self, Copy, Inventories, Slot};
use crate::archive::inventory::Inventory;
use crate::ocfl::INVENTORY;
use crate::store::{join, Store, StoreError};

/// The replica's copy of one object, once its history is found to be this object's.
pub(super) struct ReplicaObject<'a> {
    pub store: &'a dyn Store,
    pub path: String,
    root: Option<Copy>,
}

/// Whether the replica's copy of an object can be used, and if not, why.
pub(super) enum Replica<'a> {
    Usable(Box<ReplicaObject<'a>>),
    /// It cannot help (it holds no copy, or no sound inventory): damage stays.
    Unusable(String),
    /// It holds a different history: it is refused.
    Refused(String),
}

impl<'a> ReplicaObject<'a> {
    /// Opens the replica's copy at `path` and checks that it tells the same history as this
    /// object's sound inventories on every version both hold.
    pub fn open(
        store: &'a dyn Store,
        path: &str,
        local: &Inventories,
        id: &str,
    ) -> Result<Replica<'a>, StoreError> {
        let object = ReplicaObject {
            store,
            path: path.to_string(),
            root: Copy::read(store, &join(path, INVENTORY))?,
        };
        let Some(reference) = object.reference()? else {
            return Ok(Replica::Unusable(format!(
                "the replica's copy {} has no inventory that matches its sidecar",
                store.describe(path)
            )));
        };
        if reference.id != id {
            return Ok(Replica::Refused(format!(
                "the replica holds `{}` at {}, not `{id}`; nothing was changed",
                reference.id,
                store.describe(path)
            )));
        }
        for inventory in local.sound() {
            if let Err(difference) = inventories::agree(inventory, &reference) {
                return Ok(Replica::Refused(format!(
                    "the replica {} holds a different history of `{id}` ({difference}); \
                     nothing was changed",
                    store.describe(path)
                )));
            }
        }
        Ok(Replica::Usable(Box::new(object)))
    }

    /// The replica's own account of the object: its root inventory if sound, else its newest
    /// sound version inventory.
    fn reference(&self) -> Result<Option<Inventory>, StoreError> {
        if let Some(sound) = self.root.as_ref().and_then(Copy::sound) {
            return Ok(Some(sound.clone()));
        }
        for version in super::objects::newest_first(self.store, &self.path)? {
            let path = join(&join(&self.path, &version.to_string()), INVENTORY);
            if let Some(sound) = Copy::read(self.store, &path)?
                .as_ref()
                .and_then(Copy::sound)
            {
                return Ok(Some(sound.clone()));
            }
        }
        Ok(None)
    }

    /// The replica's copy of the inventory that belongs in `slot`: a version's own, and for
    /// the root, the inventory of this object's head (the replica's head may be ahead).
    pub fn copy_for(&self, slot: &Slot) -> Result<Option<Copy>, StoreError> {
        let dir = if slot.dir.is_empty() {
            slot.head.to_string()
        } else {
            slot.dir.clone()
        };
        let copy = Copy::read(self.store, &join(&join(&self.path, &dir), INVENTORY))?;
        if copy.is_some() || !slot.dir.is_empty() {
            return Ok(copy);
        }
        let root_head = self
            .root
            .as_ref()
            .and_then(|r| r.parsed.as_ref())
            .map(|i| i.head);
        Ok(self.root.clone().filter(|_| root_head == Some(slot.head)))
    }
}
