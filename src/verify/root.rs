//! Checks a storage root: its declaration and layout, its extensions, and the hierarchy that
//! leads to the objects.

use super::declaration;
use super::object::check_extensions;
use super::{Code, Findings, Spec};
use crate::archive::Layout;
use crate::store::{join, EntryKind, Store, StoreError};

/// An object root found in the hierarchy.
pub struct FoundObject {
    pub path: String,
    pub id: Option<String>,
}

pub struct RootScan {
    pub spec: Option<Spec>,
    pub objects: Vec<FoundObject>,
    /// Why where the objects stand (E083) could not be checked: the root's layout is one quire
    /// does not know, or its configuration cannot be read.
    pub unchecked: Option<String>,
}

pub fn check_root(store: &dyn Store, findings: &mut Findings) -> Result<RootScan, StoreError> {
    let entries = store.list("")?;
    let spec = declaration::ROOT.check(store, &entries, str::to_string, findings)?;

    let mut layout = None;
    let mut unchecked = None;
    if entries
        .iter()
        .any(|e| e.name == "ocfl_layout.json" && e.kind == EntryKind::File)
    {
        let parsed: Option<serde_json::Value> =
            serde_json::from_slice(&store.read("ocfl_layout.json")?).ok();
        let extension = parsed
            .as_ref()
            .and_then(|v| v.get("extension")?.as_str().map(str::to_string));
        let description = parsed
            .as_ref()
            .and_then(|v| v.get("description")?.as_str().map(str::to_string));
        match (extension, description) {
            (Some(extension), Some(_)) => {
                if !super::object::REGISTERED_EXTENSIONS.contains(&extension.as_str()) {
                    findings.add(
                        Code::E071,
                        "ocfl_layout.json",
                        format!("layout `{extension}` is not a registered extension"),
                    );
                }
                let config_path = format!("extensions/{extension}/config.json");
                let config = match store.read(&config_path) {
                    Ok(bytes) => match serde_json::from_slice(&bytes) {
                        Ok(config) => Some(config),
                        Err(cause) => {
                            unchecked = Some(format!("{config_path} is not JSON ({cause})"));
                            None
                        }
                    },
                    Err(e) if e.is_not_found() || matches!(e, StoreError::Invalid { .. }) => None,
                    Err(e) => return Err(e),
                };
                if unchecked.is_none() {
                    match Layout::from_config(&extension, config.as_ref()) {
                        Ok(known) => layout = Some(known),
                        Err(cause) => unchecked = Some(format!("ocfl_layout.json: {cause}")),
                    }
                }
            }
            _ => findings.add(
                Code::E070,
                "ocfl_layout.json",
                "ocfl_layout.json must be a JSON object with string `extension` and `description`",
            ),
        }
    }

    let mut objects = Vec::new();
    for entry in &entries {
        match entry.kind {
            EntryKind::Dir if entry.name == "extensions" => {
                check_extensions(store, "extensions", Code::E112, Code::W016, findings)?
            }
            EntryKind::Dir => {
                let branch = walk(store, &entry.name)?;
                if branch.objects.is_empty() && branch.stray_files > 0 {
                    findings.add(
                        Code::E088,
                        &entry.name,
                        "a directory of the storage root that holds no object and is no \
                         extension",
                    );
                }
                objects.extend(branch.objects);
                findings.extend(branch.findings);
            }
            EntryKind::Symlink => findings.add(
                Code::E090,
                &entry.name,
                "links are not allowed in a storage root",
            ),
            // Other files in the root are allowed and ignored (E087).
            _ => {}
        }
    }
    if let Some(layout) = &layout {
        for object in &objects {
            let Some(id) = &object.id else { continue };
            // E083: "There MUST be a deterministic mapping from an object identifier to a
            // unique storage path" (OCFL 1.1 §4.3); the root's layout is that mapping, and an
            // id it cannot map (0002 and an id with `/`, which the extension says "cannot be
            // used" with it) has no storage path of its own under it.
            let message = match layout.object_path(id) {
                Ok(expected) if expected == object.path => continue,
                Ok(expected) => format!(
                    "object `{id}` should be at {expected} under the {} layout",
                    layout.name()
                ),
                Err(cause) => format!(
                    "object `{id}` has no storage path under the {} layout ({cause})",
                    layout.name()
                ),
            };
            findings.add(Code::E083, &object.path, message);
        }
    }
    objects.sort_by(|a, b| a.path.cmp(&b.path));
    check_ids_are_unique(&objects, findings);
    check_depths_are_consistent(&objects, findings);
    Ok(RootScan {
        spec,
        objects,
        unchecked: unchecked.map(|why| format!("where the objects stand (E083): {why}")),
    })
}

/// E037: an id held by two object roots (each is named at the others).
fn check_ids_are_unique(objects: &[FoundObject], findings: &mut Findings) {
    let mut by_id: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for object in objects {
        if let Some(id) = &object.id {
            by_id.entry(id).or_default().push(&object.path);
        }
    }
    for (id, paths) in by_id.into_iter().filter(|(_, paths)| paths.len() > 1) {
        for path in &paths {
            let others: Vec<&str> = paths.iter().copied().filter(|p| p != path).collect();
            findings.add(
                Code::E037,
                path,
                format!(
                    "object id `{id}` is also the id of the object at {}",
                    others.join(", ")
                ),
            );
        }
    }
}

/// W015: objects both at the top of the root and deeper in a directory hierarchy.
fn check_depths_are_consistent(objects: &[FoundObject], findings: &mut Findings) {
    let top = objects.iter().find(|o| !o.path.contains('/'));
    let deep = objects.iter().find(|o| o.path.contains('/'));
    if let (Some(top), Some(deep)) = (top, deep) {
        findings.add(
            Code::W015,
            "",
            format!(
                "objects both at the top of the storage root ({}) and in a directory \
                 hierarchy ({})",
                top.path, deep.path
            ),
        );
    }
}

/// What [`walk`] found below a directory of the storage hierarchy.
#[derive(Default)]
struct Branch {
    objects: Vec<FoundObject>,
    findings: Findings,
    /// Files below it that are in no object.
    stray_files: usize,
}

impl Branch {
    fn merge(&mut self, other: Branch) {
        self.objects.extend(other.objects);
        self.findings.extend(other.findings);
        self.stray_files += other.stray_files;
    }
}

/// Walks the storage hierarchy below `dir`, collecting object roots and flagging anything
/// that is not on the way to one: a file in a directory that leads to objects (E084) or in
/// one that does not (E072), and a branch with files but no object below one that has
/// objects (E085; at the top of the root it is E088, which the caller reports). Sibling
/// folders are walked in parallel (on a network store, each listing is a request).
fn walk(store: &dyn Store, dir: &str) -> Result<Branch, StoreError> {
    use rayon::prelude::*;
    let mut branch = Branch::default();
    let entries = store.list(dir)?;
    if entries.iter().any(|e| {
        e.kind == EntryKind::File && declaration::OBJECT.spec_of(&e.name).is_some()
            || e.name.starts_with("0=ocfl_object")
    }) {
        let id = store
            .read(&join(dir, "inventory.json"))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .and_then(|v| v.get("id")?.as_str().map(str::to_string));
        branch.objects.push(FoundObject {
            path: dir.to_string(),
            id,
        });
        return Ok(branch);
    }
    if entries.is_empty() {
        branch
            .findings
            .add(Code::E073, dir, "empty directory in the storage root");
    }
    let (mut subdirs, mut files) = (Vec::new(), Vec::new());
    for entry in entries {
        let path = join(dir, &entry.name);
        match entry.kind {
            EntryKind::Dir => subdirs.push(path),
            EntryKind::Symlink => {
                branch
                    .findings
                    .add(Code::E090, &path, "links are not allowed in a storage root")
            }
            _ => files.push(path),
        }
    }
    let below: Vec<(String, Branch)> = subdirs
        .into_par_iter()
        .with_max_len(1)
        .map(|path| walk(store, &path).map(|b| (path, b)))
        .collect::<Result<_, _>>()?;
    let leads_to_objects = below.iter().any(|(_, b)| !b.objects.is_empty());
    for path in &files {
        let (code, message) = match leads_to_objects {
            true => (
                Code::E084,
                "file in an intermediate directory of the storage hierarchy (and so in no \
                 object, E072)",
            ),
            false => (
                Code::E072,
                "file in the storage hierarchy outside any object",
            ),
        };
        branch.findings.add(code, path, message);
    }
    branch.stray_files = files.len();
    for (path, below) in below {
        if leads_to_objects && below.objects.is_empty() && below.stray_files > 0 {
            branch.findings.add(
                Code::E085,
                &path,
                "a branch of the storage hierarchy that ends in no object root",
            );
        }
        branch.merge(below);
    }
    Ok(branch)
}
