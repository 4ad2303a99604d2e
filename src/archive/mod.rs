//! OCFL 1.1 on top of [`crate::store`]: the storage root, its layout, objects, versions.
//!
//! Every write goes through [`Archive::commit_version`] and every read of an issue through
//! [`Object`], so the OCFL rules live in one place: forward-delta versions addressed by sha512,
//! inventories in the object root and in every version directory, the sidecar written last.

mod commit;
pub mod copy;
pub mod digest;
pub mod heal;
pub mod inventory;
pub mod object;
mod omit_prefix;
mod recover;
pub use recover::RepairReport;
pub mod storage_layout;

pub use commit::{CommitOutcome, NewFile, NewVersion};
pub use digest::DigestAlgorithm;
pub use inventory::{Inventory, User, VersionNum};
pub use object::{FileChanges, Object, VersionRef};
pub use storage_layout::Layout;

use crate::model::Issue;
use crate::store::{in_read_pool, join, EntryKind, Snapshot, Store, StoreError};
use storage_layout::LayoutError;

use crate::ocfl::{
    declaration_body, sidecar_name, EXTENSION_CONFIG, INVENTORY, LAYOUT_FILE,
    OBJECT_DECLARATION_PREFIX, ROOT_DECLARATION_1_0, ROOT_DECLARATION_PREFIX,
};
pub use crate::ocfl::{EXTENSIONS, OBJECT_DECLARATION, ROOT_DECLARATION};

/// What can go wrong reading or writing the archive. Findings about a damaged archive are
/// the validator's business; these are the failures that stop a command.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: not an OCFL storage root: {reason}")]
    NotARoot { path: String, reason: String },
    #[error("{path}: not an OCFL storage root: not valid JSON")]
    RootJson {
        path: String,
        #[source]
        cause: serde_json::Error,
    },
    #[error("{path}: the storage layout cannot place this object")]
    Layout {
        path: String,
        #[source]
        cause: LayoutError,
    },
    #[error("{path}: invalid inventory: {message}")]
    BadInventory { path: String, message: String },
    #[error("{path}: invalid inventory")]
    InventoryJson {
        path: String,
        #[source]
        cause: serde_json::Error,
    },
    #[error("no object `{id}` in {root}")]
    NoSuchObject { id: String, root: String },
    /// The object was not among the readable ones, and some could not be read: it may be one.
    #[error("no readable object `{id}` in {root}; {unreadable}")]
    NotAmongReadable {
        id: String,
        root: String,
        unreadable: String,
    },
    /// Two object roots declare the same id (OCFL's E037): a read would have to pick one.
    #[error("object `{id}` is in {root} twice, at {paths}: ids must be unique (OCFL E037); run `quire verify`")]
    DuplicateObject {
        id: String,
        root: String,
        paths: String,
    },
    #[error("object `{id}` has no version {version} (head is {head})")]
    NoSuchVersion {
        id: String,
        version: String,
        head: VersionNum,
    },
    #[error("object `{id}` version {version} has no file `{path}`")]
    NoSuchFile {
        id: String,
        version: VersionNum,
        path: String,
    },
    #[error("{path}: content does not match its {algorithm} digest (expected {expected}, found {found}): the archive is damaged, run `quire verify`")]
    DigestMismatch {
        path: String,
        algorithm: DigestAlgorithm,
        expected: String,
        found: String,
    },
    #[error("object `{id}` {version} holds no issue.toml: it is not an issue that quire wrote")]
    NotAnIssue { id: String, version: VersionNum },
    #[error(transparent)]
    Metadata(crate::model::SourceFolderError),
    #[error("{path}: {message}")]
    Unsupported { path: String, message: String },
    /// A file given to a commit, or a checkout's destination, that cannot be used as it is.
    #[error("{path}: {message}")]
    Source { path: String, message: String },
    /// A local file (a commit's source, a checkout's destination) that could not be read or
    /// written.
    #[error("{path}: cannot {op}")]
    Io {
        op: &'static str,
        path: String,
        #[source]
        cause: std::io::Error,
    },
}

impl ArchiveError {
    pub(crate) fn io(op: &'static str, path: &std::path::Path, cause: std::io::Error) -> Self {
        ArchiveError::Io {
            op,
            path: path.display().to_string(),
            cause,
        }
    }
}

/// True when a folder's entries hold an object declaration (`0=ocfl_object_1.1`...), which
/// makes the folder an object root.
pub(crate) fn declares_object(entries: &[crate::store::Entry]) -> bool {
    entries
        .iter()
        .any(|e| e.kind == EntryKind::File && e.name.starts_with(OBJECT_DECLARATION_PREFIX))
}

/// The top of a storage root; nothing at the location is an error that suggests `quire init`.
fn list_root(store: &dyn Store) -> Result<Vec<crate::store::Entry>, ArchiveError> {
    store.list("").map_err(|e| match e {
        StoreError::NotFound { .. } => ArchiveError::NotARoot {
            path: store.describe(""),
            reason: "nothing is there (create a storage root with `quire init`)".into(),
        },
        other => other.into(),
    })
}

/// Fails as [`Archive::open`] does when nothing is at the store's location, for a reader
/// (the validator) that opens a root without [`Archive`].
pub fn require_root_location(store: &dyn Store) -> Result<(), ArchiveError> {
    list_root(store).map(|_| ())
}

/// An OCFL storage root.
pub struct Archive {
    store: Box<dyn Store>,
    layout: Option<Layout>,
    /// The layout `ocfl_layout.json` names and its `config.json`, understood or not.
    declared_layout: Option<DeclaredLayout>,
}

/// A storage layout as the root declares it: the extension name and its configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct DeclaredLayout {
    pub name: String,
    pub config: Option<serde_json::Value>,
}

impl std::fmt::Display for DeclaredLayout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "layout `{}`", self.name)?;
        if let Some(config) = &self.config {
            write!(f, " configured as {config}")?;
        }
        Ok(())
    }
}

/// One object found in the storage hierarchy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ObjectEntry {
    pub id: String,
    pub path: String,
}

/// An object root whose inventory could not be read; `error` names its path and the cause.
#[derive(Debug)]
pub struct UnreadableObject {
    /// The object root, relative to the storage root.
    pub path: String,
    pub error: ArchiveError,
}

impl UnreadableObject {
    /// The error and each cause under it, joined with ": " (the first names the path).
    pub fn describe(&self) -> String {
        describe_chain(&self.error)
    }
}

/// An error and each cause under it, joined with ": ".
pub fn describe_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        text = format!("{text}: {error}");
        cause = error.source();
    }
    text
}

/// The issues of a storage root at their heads (see [`Archive::head_issues`]).
pub struct HeadIssues<'a> {
    pub issues: Vec<(Object<'a>, Issue)>,
    /// The objects that could not be read, each named with the cause.
    pub left_out: Vec<String>,
}

/// The objects of a storage root: those whose inventory was read, sorted by id, and those
/// whose inventory could not be, sorted by path. One damaged object does not hide the rest.
#[derive(Debug, Default)]
pub struct ObjectScan {
    pub objects: Vec<ObjectEntry>,
    pub unreadable: Vec<UnreadableObject>,
}

impl ObjectScan {
    /// The object `id`: `None` when no readable object has it, an error when two have it
    /// (or when none has it but some object could not be read: it may be that one).
    pub fn find(&self, id: &str, root: &str) -> Result<Option<&ObjectEntry>, ArchiveError> {
        let found: Vec<&ObjectEntry> = self.objects.iter().filter(|o| o.id == id).collect();
        match found.as_slice() {
            [] if self.unreadable.is_empty() => Ok(None),
            [] => Err(ArchiveError::NotAmongReadable {
                id: id.to_string(),
                root: root.to_string(),
                unreadable: self.describe_unreadable(),
            }),
            [one] => Ok(Some(one)),
            many => Err(ArchiveError::DuplicateObject {
                id: id.to_string(),
                root: root.to_string(),
                paths: many
                    .iter()
                    .map(|o| o.path.as_str())
                    .collect::<Vec<_>>()
                    .join(" and "),
            }),
        }
    }

    /// The objects that could not be read, for a message: "N could not be read: CAUSE; ...".
    pub fn describe_unreadable(&self) -> String {
        let causes: Vec<String> = self
            .unreadable
            .iter()
            .map(UnreadableObject::describe)
            .collect();
        let n = causes.len();
        let objects = if n == 1 { "object" } else { "objects" };
        format!("{n} {objects} could not be read: {}", causes.join("; "))
    }

    /// The first unreadable object's error, for a caller that needs every object.
    pub fn into_complete(mut self) -> Result<Vec<ObjectEntry>, ArchiveError> {
        match self.unreadable.is_empty() {
            true => Ok(self.objects),
            false => Err(self.unreadable.swap_remove(0).error),
        }
    }
}

impl Archive {
    /// Lays out a new, empty storage root with the given layout. The root must not exist yet
    /// or be an empty folder.
    pub fn init(store: Box<dyn Store>, layout: Layout) -> Result<Archive, ArchiveError> {
        match store.list("") {
            Ok(entries)
                if entries
                    .iter()
                    .any(|e| e.name.starts_with(ROOT_DECLARATION_PREFIX)) =>
            {
                return Err(ArchiveError::Unsupported {
                    path: store.describe(""),
                    message: "is an OCFL storage root already; nothing was changed".into(),
                })
            }
            Ok(entries) if !entries.is_empty() => {
                return Err(ArchiveError::NotARoot {
                    path: store.describe(""),
                    reason: "the folder is not empty; a new storage root needs an empty folder"
                        .into(),
                })
            }
            Ok(_) => {}
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e.into()),
        }
        store.create(
            ROOT_DECLARATION,
            declaration_body(ROOT_DECLARATION).as_bytes(),
        )?;
        let layout_json = serde_json::json!({
            "extension": layout.name(),
            "description": layout.description(),
        });
        store.create(LAYOUT_FILE, &pretty(&layout_json))?;
        // 0002 has no parameters, and ocfl-py 2.1 fails on a config.json for it.
        let config = (layout != Layout::FlatDirect).then(|| layout.config());
        if let Some(config) = &config {
            let config_path = format!("{EXTENSIONS}/{}/{EXTENSION_CONFIG}", layout.name());
            store.create(&config_path, &pretty(config))?;
        }
        let declared_layout = Some(DeclaredLayout {
            name: layout.name().to_string(),
            config,
        });
        Ok(Archive {
            store,
            layout: Some(layout),
            declared_layout,
        })
    }

    /// Opens an existing storage root (OCFL 1.0 or 1.1).
    pub fn open(store: Box<dyn Store>) -> Result<Archive, ArchiveError> {
        let root = store.describe("");
        let entries = list_root(store.as_ref())?;
        if !entries
            .iter()
            .any(|e| e.name == ROOT_DECLARATION || e.name == ROOT_DECLARATION_1_0)
        {
            return Err(ArchiveError::NotARoot {
                path: root,
                reason: format!("no {ROOT_DECLARATION} or {ROOT_DECLARATION_1_0} declaration"),
            });
        }
        let declared_layout = if entries.iter().any(|e| e.name == LAYOUT_FILE) {
            Some(read_declared_layout(store.as_ref())?)
        } else {
            None
        };
        // An unknown layout still leaves the root readable by scanning for objects.
        let layout = declared_layout
            .as_ref()
            .and_then(|d| Layout::from_config(&d.name, d.config.as_ref()).ok());
        Ok(Archive {
            store,
            layout,
            declared_layout,
        })
    }

    /// The store the archive lives in.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// The storage layout, when the root declares one quire understands.
    pub fn layout(&self) -> Option<&Layout> {
        self.layout.as_ref()
    }

    /// The layout the root declares, whether quire understands it or not.
    pub fn declared_layout(&self) -> Option<&DeclaredLayout> {
        self.declared_layout.as_ref()
    }

    /// True when both roots declare the same layout: the same one quire understands, or the
    /// same name and configuration.
    pub fn declares_same_layout(&self, other: &Archive) -> bool {
        match (&self.layout, &other.layout) {
            (Some(mine), Some(theirs)) => mine == theirs,
            _ => self.declared_layout == other.declared_layout,
        }
    }

    /// Why quire cannot place new objects in this root (it has no layout quire can write
    /// with), naming the layout it declares and the reason; `None` when it can.
    pub fn unwritable_layout(&self) -> Option<String> {
        if self.layout.is_some() {
            return None;
        }
        Some(match &self.declared_layout {
            None => "the storage root declares no layout, so quire cannot tell where a new \
                     object goes"
                .to_string(),
            Some(declared) => {
                let reason = Layout::from_config(&declared.name, declared.config.as_ref())
                    .err()
                    .map_or_else(String::new, |e| format!(" ({e})"));
                format!(
                    "the storage root declares {declared}, which quire cannot write with{reason}"
                )
            }
        })
    }

    /// A readable location of the root, for messages.
    pub fn location(&self) -> String {
        self.store.describe("")
    }

    /// The folders of the storage hierarchy that declare an object, found without reading
    /// any inventory (a torn object's may not match its sidecar).
    pub(crate) fn object_paths(&self) -> Result<Vec<String>, ArchiveError> {
        // On a bucket, one listing of everything instead of a request per folder.
        let snapshot = Snapshot::take(self.store(), "").transpose()?;
        let store: &dyn Store = snapshot.as_ref().map_or(self.store(), |s| s as &dyn Store);
        let mut paths = Vec::new();
        let mut pending = vec![String::new()];
        while let Some(dir) = pending.pop() {
            let entries = store.list(&dir)?;
            if declares_object(&entries) {
                paths.push(dir);
                continue;
            }
            for entry in entries {
                if entry.kind == EntryKind::Dir && !(dir.is_empty() && entry.name == EXTENSIONS) {
                    pending.push(join(&dir, &entry.name));
                }
            }
        }
        Ok(paths)
    }

    /// Every object in the storage hierarchy, sorted by id; an object whose inventory cannot be
    /// read is an error (see [`Archive::scan`] for the readable ones beside it).
    pub fn objects(&self) -> Result<Vec<ObjectEntry>, ArchiveError> {
        self.scan()?.into_complete()
    }

    /// Every object in the storage hierarchy: those that could be read and those that could
    /// not. Only a failure to walk the hierarchy itself is an error.
    pub fn scan(&self) -> Result<ObjectScan, ArchiveError> {
        let paths = self.object_paths()?;
        let read: Vec<(String, Result<Inventory, ArchiveError>)> =
            in_read_pool(self.store(), || {
                use rayon::prelude::*;
                paths
                    .into_par_iter()
                    .with_max_len(1)
                    .map(|path| {
                        let inventory = self.read_inventory(&path);
                        (path, inventory)
                    })
                    .collect()
            });
        let mut scan = ObjectScan::default();
        for (path, inventory) in read {
            match inventory {
                Ok(inventory) => scan.objects.push(ObjectEntry {
                    id: inventory.id,
                    path,
                }),
                Err(error) => scan.unreadable.push(UnreadableObject { path, error }),
            }
        }
        scan.objects.sort();
        scan.unreadable.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(scan)
    }

    /// Every issue object's head issue, sorted by object id. Objects other tools wrote (no
    /// `issue.toml`) are passed by; one whose inventory or head issue cannot be read is named in
    /// `left_out` with its cause, and the rest are read.
    pub fn head_issues(&self) -> Result<HeadIssues<'_>, ArchiveError> {
        let scan = self.scan()?;
        let mut found = HeadIssues {
            issues: Vec::new(),
            left_out: scan.unreadable.iter().map(|u| u.describe()).collect(),
        };
        for entry in &scan.objects {
            let object = self.object_at(entry)?;
            match object.issue(object.head()) {
                Ok(issue) => found.issues.push((object, issue)),
                Err(ArchiveError::NotAnIssue { .. }) => {}
                Err(error) => {
                    found
                        .left_out
                        .push(format!("`{}`: {}", entry.id, describe_chain(&error)))
                }
            }
        }
        Ok(found)
    }

    /// Where the object `id` lives (or would live), relative to the root. Without a layout,
    /// the object found by id; two objects with the id are an error naming both.
    /// An id the layout cannot place (0002 and an id with `/`, which other tools write as
    /// nested folders) is looked for the same way: OCFL lets objects be found by walking.
    pub fn object_path(&self, id: &str) -> Result<Option<String>, ArchiveError> {
        if let Some(Ok(path)) = self.layout.as_ref().map(|l| l.object_path(id)) {
            return Ok(Some(path));
        }
        let scan = self.scan()?;
        Ok(scan.find(id, &self.location())?.map(|o| o.path.clone()))
    }

    /// The object `id`, or `None` when the archive does not hold it.
    pub fn object(&self, id: &str) -> Result<Option<Object<'_>>, ArchiveError> {
        let Some(path) = self.object_path(id)? else {
            return Ok(None);
        };
        if self.store.kind(&join(&path, INVENTORY))?.is_none() {
            return Ok(None);
        }
        let inventory = self.read_inventory(&path)?;
        // The layouts that drop an id's prefix put `ns:12` and `urn:x:12` in one folder: the
        // other id's object there is no damage, and no object of this id.
        let shared = self.layout.as_ref().is_some_and(|l| l.shares_folders());
        if inventory.id != id && shared {
            return Ok(None);
        }
        if inventory.id != id {
            return Err(ArchiveError::BadInventory {
                path: self.store.describe(&join(&path, INVENTORY)),
                message: format!(
                    "holds object `{}`, but the layout puts `{id}` here",
                    inventory.id
                ),
            });
        }
        Ok(Some(Object::new(self, path, inventory)))
    }

    /// The object found at `entry` by [`Archive::objects`] (wherever it stands, even where the
    /// layout would not put it).
    pub fn object_at(&self, entry: &ObjectEntry) -> Result<Object<'_>, ArchiveError> {
        let inventory = self.read_inventory(&entry.path)?;
        Ok(Object::new(self, entry.path.clone(), inventory))
    }

    /// Like [`Archive::object`], but a missing object is an error.
    pub fn require_object(&self, id: &str) -> Result<Object<'_>, ArchiveError> {
        self.object(id)?.ok_or_else(|| ArchiveError::NoSuchObject {
            id: id.to_string(),
            root: self.location(),
        })
    }

    /// Reads and parses the root inventory of the object at `path`, checking its sidecar.
    pub(crate) fn read_inventory(&self, path: &str) -> Result<Inventory, ArchiveError> {
        // A writer replaces the inventory, then its sidecar: a reader that falls between the
        // two sees them disagree for an instant, so it looks again before calling it damage.
        let mut attempt = 0;
        loop {
            match self.read_inventory_once(path) {
                Err(ArchiveError::BadInventory { .. } | ArchiveError::InventoryJson { .. })
                    if attempt < 3 =>
                {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                other => return other,
            }
        }
    }

    fn read_inventory_once(&self, path: &str) -> Result<Inventory, ArchiveError> {
        let inventory_path = join(path, INVENTORY);
        let bytes = self.store.read(&inventory_path)?;
        let describe = || self.store.describe(&inventory_path);
        let inventory: Inventory =
            serde_json::from_slice(&bytes).map_err(|cause| ArchiveError::InventoryJson {
                path: describe(),
                cause,
            })?;
        let sidecar_path = join(path, &sidecar_name(inventory.digest_algorithm.name()));
        let sidecar = self
            .store
            .read(&sidecar_path)
            .map_err(|e| match e.is_not_found() {
                true => ArchiveError::BadInventory {
                    path: describe(),
                    message: format!(
                        "has no sidecar {} (run `quire verify`; `quire repair` puts back a lost \
                     sidecar of a head from that version's own copy)",
                        self.store.describe(&sidecar_path)
                    ),
                },
                false => e.into(),
            })?;
        let algorithm = inventory.digest_algorithm;
        if !inventory::sidecar_matches(&sidecar, algorithm, &bytes)
            && !self.is_heads_own(path, &inventory, &bytes)?
        {
            return Err(ArchiveError::BadInventory {
                path: describe(),
                message: format!(
                    "does not match its sidecar {} (run `quire verify`, then `quire repair`)",
                    self.store.describe(&sidecar_path)
                ),
            });
        }
        Ok(inventory)
    }

    /// Whether a root inventory whose sidecar does not match is its head version's own copy,
    /// byte for byte, with that copy's sidecar matching: the state a writer killed between
    /// replacing the root inventory and its sidecar leaves (most likely on a bucket, where the
    /// two are separate puts). The inventory is then sound, and readers read it; `verify`
    /// still reports the root sidecar, and `repair` or the next write replaces it.
    fn is_heads_own(
        &self,
        path: &str,
        inventory: &Inventory,
        bytes: &[u8],
    ) -> Result<bool, ArchiveError> {
        let version = join(path, &inventory.head.to_string());
        let read = |name: &str| match self.store.read(&join(&version, name)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(ArchiveError::from(e)),
        };
        if read(INVENTORY)?.as_deref() != Some(bytes) {
            return Ok(false);
        }
        let algorithm = inventory.digest_algorithm;
        let sidecar = read(&sidecar_name(algorithm.name()))?;
        Ok(sidecar.is_some_and(|s| inventory::sidecar_matches(&s, algorithm, bytes)))
    }
}

/// The layout `ocfl_layout.json` names, with its `config.json` if there is one.
fn read_declared_layout(store: &dyn Store) -> Result<DeclaredLayout, ArchiveError> {
    let bytes = store.read(LAYOUT_FILE)?;
    let layout_path = store.describe(LAYOUT_FILE);
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|cause| ArchiveError::RootJson {
            path: layout_path.clone(),
            cause,
        })?;
    let name = value
        .get("extension")
        .and_then(|v| v.as_str())
        .ok_or_else(|| ArchiveError::NotARoot {
            path: layout_path.clone(),
            reason: "no \"extension\" key".into(),
        })?;
    let config_path = format!("{EXTENSIONS}/{name}/{EXTENSION_CONFIG}");
    let config = match store.read(&config_path) {
        Ok(bytes) => {
            Some(
                serde_json::from_slice(&bytes).map_err(|cause| ArchiveError::RootJson {
                    path: store.describe(&config_path),
                    cause,
                })?,
            )
        }
        Err(e) if e.is_not_found() => None,
        Err(e) => return Err(e.into()),
    };
    Ok(DeclaredLayout {
        name: name.to_string(),
        config,
    })
}

fn pretty(value: &serde_json::Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("JSON values serialize");
    bytes.push(b'\n');
    bytes
}
