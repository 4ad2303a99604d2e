//! Checks one inventory, read as loose JSON so that every broken rule gets its own code.

use super::{Findings, Spec};
use crate::archive::inventory::VersionNum;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// What a checked inventory says, as far as it could be read.
#[derive(Debug, Clone, Default)]
pub struct CheckedInventory {
    pub id: Option<String>,
    /// The spec version its `type` names.
    pub spec: Option<Spec>,
    pub algorithm: Option<String>,
    pub head: Option<VersionNum>,
    /// Whether `contentDirectory` was given, and the directory in use.
    pub content_directory_set: bool,
    pub content_directory: String,
    /// Lowercase digest → content paths.
    pub manifest: BTreeMap<String, Vec<String>>,
    /// False when there is no usable manifest (so content cannot be compared with it).
    pub manifest_present: bool,
    pub versions: BTreeMap<u32, CheckedVersion>,
    /// Algorithm → content path → lowercase digest.
    pub fixity: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckedVersion {
    pub name: String,
    pub created: Option<String>,
    pub message: Option<Value>,
    pub user: Option<Value>,
    /// Logical path → lowercase digest.
    pub state: BTreeMap<String, String>,
}

impl CheckedInventory {
    /// Content path → lowercase digest.
    pub fn content_digests(&self) -> BTreeMap<&str, &str> {
        self.manifest
            .iter()
            .flat_map(|(digest, paths)| paths.iter().map(move |p| (p.as_str(), digest.as_str())))
            .collect()
    }
}

const KNOWN_KEYS: [&str; 8] = [
    "id",
    "type",
    "digestAlgorithm",
    "head",
    "contentDirectory",
    "manifest",
    "versions",
    "fixity",
];

/// The hex length of a digest algorithm's output, for the algorithms OCFL names.
pub fn hex_length(algorithm: &str) -> Option<usize> {
    Some(match algorithm {
        "md5" => 32,
        "sha1" | "blake2b-160" => 40,
        "sha256" | "blake2b-256" | "sha512/256" => 64,
        "blake2b-384" => 96,
        "sha512" | "blake2b-512" => 128,
        _ => return None,
    })
}

fn is_hex_digest(digest: &str, algorithm: &str) -> bool {
    hex_length(algorithm).is_none_or(|n| digest.len() == n)
        && digest.bytes().all(|b| b.is_ascii_hexdigit())
}

/// True for a string with a URI scheme (`scheme:rest`).
pub fn is_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    !rest.is_empty()
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Checks the inventory at `path` (its bytes already read). `declared` is the spec version
/// of the object declaration, which the `type` must match.
pub fn check(
    bytes: &[u8],
    declared: Spec,
    path: &str,
    findings: &mut Findings,
) -> Option<CheckedInventory> {
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(value) => value,
        Err(e) => {
            findings.add("E033", path, format!("inventory is not valid JSON: {e}"));
            return None;
        }
    };
    let Some(map) = value.as_object() else {
        findings.add("E033", path, "inventory is not a JSON object");
        return None;
    };
    let mut inv = CheckedInventory::default();
    for key in map.keys() {
        if !KNOWN_KEYS.contains(&key.as_str()) {
            findings.add(
                "E102",
                path,
                format!("inventory has the undefined key `{key}`"),
            );
        }
    }

    match map.get("id") {
        Some(Value::String(id)) => {
            if !is_uri(id) {
                findings.add("W005", path, format!("inventory id `{id}` is not a URI"));
            }
            inv.id = Some(id.clone());
        }
        Some(_) => findings.add("E037", path, "inventory id is not a string"),
        None => findings.add("E036", path, "inventory has no `id`"),
    }

    match map.get("type").and_then(Value::as_str) {
        Some(t) => {
            inv.spec = Spec::from_inventory_type(t);
            if inv.spec != Some(declared) {
                findings.add(
                    "E038",
                    path,
                    format!(
                        "inventory type `{t}` is not {} as the object declaration says",
                        declared.inventory_type()
                    ),
                );
            }
        }
        None => findings.add("E036", path, "inventory has no string `type`"),
    }

    match map.get("digestAlgorithm").and_then(Value::as_str) {
        Some("sha512") => inv.algorithm = Some("sha512".into()),
        Some("sha256") => {
            findings.add(
                "W004",
                path,
                "digestAlgorithm is sha256; sha512 is recommended",
            );
            inv.algorithm = Some("sha256".into());
        }
        Some(other) => findings.add(
            "E025",
            path,
            format!("digestAlgorithm `{other}` is not sha512 or sha256"),
        ),
        None => findings.add("E036", path, "inventory has no string `digestAlgorithm`"),
    }

    inv.content_directory = "content".into();
    if let Some(dir) = map.get("contentDirectory") {
        match dir.as_str() {
            Some(d) if d.contains('/') => {
                findings.add("E017", path, format!("contentDirectory `{d}` contains `/`"))
            }
            Some(d @ ("." | "..")) => {
                findings.add("E018", path, format!("contentDirectory is `{d}`"))
            }
            Some("") => findings.add("E017", path, "contentDirectory is empty"),
            Some(d) => {
                inv.content_directory = d.to_string();
                inv.content_directory_set = true;
            }
            None => findings.add("E033", path, "contentDirectory is not a string"),
        }
    }

    let algorithm = inv.algorithm.clone().unwrap_or_else(|| "sha512".into());
    match map.get("manifest") {
        Some(Value::Object(manifest)) => {
            inv.manifest_present = true;
            check_manifest(manifest, &algorithm, path, findings, &mut inv)
        }
        Some(_) => findings.add("E106", path, "manifest is not a JSON object"),
        None => findings.add("E041", path, "inventory has no `manifest`"),
    }

    match map.get("versions") {
        Some(Value::Object(versions)) => check_versions(versions, path, findings, &mut inv),
        Some(_) => findings.add("E045", path, "versions is not a JSON object"),
        None => findings.add("E041", path, "inventory has no `versions`"),
    }

    match map.get("head") {
        Some(Value::String(head)) => match VersionNum::parse(head) {
            Some(v) => {
                inv.head = Some(v);
                if let Some((_, highest)) = inv.versions.iter().next_back() {
                    // The exact name: `v01` is not the head of an object whose versions are `v1`…
                    if *head != highest.name {
                        findings.add(
                            "E040",
                            path,
                            format!(
                                "head is {head}, but the highest version is {}",
                                highest.name
                            ),
                        );
                    }
                }
            }
            None => findings.add("E040", path, format!("head `{head}` is not a version name")),
        },
        Some(_) => findings.add("E040", path, "head is not a string"),
        None => findings.add("E036", path, "inventory has no `head`"),
    }

    // Manifest and states must agree: every state digest is in the manifest, and (1.1) every
    // manifest digest is used by some state.
    let used: BTreeSet<&str> = inv
        .versions
        .values()
        .flat_map(|v| v.state.values().map(String::as_str))
        .collect();
    for (number, version) in inv.versions.iter().filter(|_| inv.manifest_present) {
        let missing: BTreeSet<&str> = version
            .state
            .values()
            .map(String::as_str)
            .filter(|d| !inv.manifest.contains_key(*d))
            .collect();
        for digest in missing {
            findings.add(
                "E050",
                path,
                format!("v{number} state digest {digest} is not in the manifest"),
            );
        }
    }
    if declared == Spec::V1_1 {
        for digest in inv.manifest.keys().filter(|d| !used.contains(d.as_str())) {
            findings.add(
                "E107",
                path,
                format!("manifest digest {digest} is not used by any version state"),
            );
        }
    }

    if let Some(fixity) = map.get("fixity") {
        check_fixity(fixity, declared, path, findings, &mut inv);
    }
    Some(inv)
}

fn check_manifest(
    manifest: &Map<String, Value>,
    algorithm: &str,
    path: &str,
    findings: &mut Findings,
    inv: &mut CheckedInventory,
) {
    let mut all_paths: Vec<String> = Vec::new();
    for (digest, paths) in manifest {
        if !is_hex_digest(digest, algorithm) {
            findings.add(
                "E025",
                path,
                format!("manifest key `{digest}` is not a {algorithm} digest"),
            );
        }
        let lower = digest.to_ascii_lowercase();
        if inv.manifest.contains_key(&lower) {
            findings.add(
                "E096",
                path,
                format!("manifest digest {lower} appears more than once"),
            );
        }
        let Some(list) = paths.as_array() else {
            findings.add(
                "E092",
                path,
                format!("manifest entry {digest} is not a list of paths"),
            );
            continue;
        };
        let mut content_paths = Vec::new();
        for item in list {
            match item.as_str() {
                Some(p) => {
                    check_content_path(p, path, findings);
                    content_paths.push(p.to_string());
                }
                None => findings.add(
                    "E092",
                    path,
                    format!("manifest entry {digest} has a path that is not a string"),
                ),
            }
        }
        all_paths.extend(content_paths.iter().cloned());
        inv.manifest.entry(lower).or_default().extend(content_paths);
    }
    check_path_conflicts(&all_paths, "E101", "content path", path, findings);
}

fn check_content_path(content_path: &str, path: &str, findings: &mut Findings) {
    if content_path.starts_with('/') || content_path.ends_with('/') {
        findings.add(
            "E100",
            path,
            format!("content path `{content_path}` starts or ends with `/`"),
        );
    } else if content_path
        .split('/')
        .any(|s| s.is_empty() || s == "." || s == "..")
    {
        findings.add(
            "E099",
            path,
            format!("content path `{content_path}` has an empty, `.` or `..` part"),
        );
    }
}

/// Paths must be unique, and none may be a folder of another (`a` and `a/b`).
fn check_path_conflicts(
    paths: &[String],
    code: &'static str,
    what: &str,
    path: &str,
    findings: &mut Findings,
) {
    let mut seen = BTreeSet::new();
    for p in paths {
        if !seen.insert(p.as_str()) {
            findings.add(code, path, format!("{what} `{p}` appears more than once"));
        }
    }
    for p in &seen {
        let prefix = format!("{p}/");
        if let Some(child) = seen
            .range(prefix.as_str()..)
            .next()
            .filter(|c| c.starts_with(&prefix))
        {
            findings.add(
                code,
                path,
                format!("{what} `{p}` is also a folder of `{child}`"),
            );
        }
    }
}

fn check_versions(
    versions: &Map<String, Value>,
    path: &str,
    findings: &mut Findings,
    inv: &mut CheckedInventory,
) {
    if versions.is_empty() {
        findings.add(
            "E008",
            path,
            "versions is empty: an object has at least one version",
        );
        return;
    }
    let mut names: Vec<(VersionNum, &String)> = Vec::new();
    for name in versions.keys() {
        match VersionNum::parse(name) {
            Some(v) => names.push((v, name)),
            None => findings.add(
                "E046",
                path,
                format!("versions key `{name}` is not a version name like v1"),
            ),
        }
    }
    names.sort();
    let widths: BTreeSet<usize> = names.iter().map(|(v, _)| v.width).collect();
    if widths.len() > 1 {
        findings.add(
            "E012",
            path,
            "version names mix zero-padded and unpadded forms",
        );
    } else if widths.iter().any(|w| *w > 0) {
        findings.add("W001", path, "version names are zero-padded");
        let width = *widths.iter().next().unwrap_or(&0);
        if names
            .iter()
            .any(|(v, _)| v.number.to_string().len() + 1 > width)
            || !names.iter().all(|(_, n)| n.starts_with("v0"))
        {
            findings.add(
                "E011",
                path,
                "zero-padded version names must start with v0 and keep one width",
            );
        }
    }
    for (i, (v, name)) in names.iter().enumerate() {
        let expected = i as u32 + 1;
        if v.number != expected {
            let code = if i == 0 { "E009" } else { "E010" };
            findings.add(
                code,
                path,
                format!("version {name} breaks the sequence v1, v2, … (expected v{expected})"),
            );
            break;
        }
    }
    for (v, name) in names {
        let Some(block) = versions[name].as_object() else {
            findings.add("E047", path, format!("version {name} is not a JSON object"));
            continue;
        };
        let mut version = CheckedVersion {
            name: name.clone(),
            ..Default::default()
        };
        match block.get("created") {
            Some(Value::String(created)) => {
                if chrono::DateTime::parse_from_rfc3339(created).is_err() {
                    findings.add("E049", path, format!("version {name} created `{created}` is not an RFC 3339 date-time with a time zone"));
                }
                version.created = Some(created.clone());
            }
            Some(_) => findings.add(
                "E049",
                path,
                format!("version {name} created is not a string"),
            ),
            None => findings.add("E048", path, format!("version {name} has no `created`")),
        }
        match block.get("message") {
            Some(Value::String(_)) => version.message = block.get("message").cloned(),
            Some(_) => findings.add(
                "E094",
                path,
                format!("version {name} message is not a string"),
            ),
            None => findings.add("W007", path, format!("version {name} has no message")),
        }
        match block.get("user") {
            Some(Value::Object(user)) => {
                version.user = block.get("user").cloned();
                match user.get("name") {
                    Some(Value::String(_)) => {}
                    _ => findings.add(
                        "E054",
                        path,
                        format!("version {name} user has no string `name`"),
                    ),
                }
                match user.get("address") {
                    Some(Value::String(address)) if !is_uri(address) => findings.add(
                        "W009",
                        path,
                        format!("version {name} user address `{address}` is not a URI"),
                    ),
                    Some(Value::String(_)) => {}
                    Some(_) => findings.add(
                        "E054",
                        path,
                        format!("version {name} user address is not a string"),
                    ),
                    None => {
                        findings.add("W008", path, format!("version {name} user has no address"))
                    }
                }
            }
            Some(_) => findings.add(
                "E054",
                path,
                format!("version {name} user is not a JSON object"),
            ),
            None => findings.add("W007", path, format!("version {name} has no user")),
        }
        for key in block.keys() {
            if !["created", "message", "user", "state"].contains(&key.as_str()) {
                findings.add(
                    "E102",
                    path,
                    format!("version {name} has the undefined key `{key}`"),
                );
            }
        }
        match block.get("state") {
            Some(Value::Object(state)) => {
                let mut logical_paths = Vec::new();
                for (digest, paths) in state {
                    let lower = digest.to_ascii_lowercase();
                    let Some(list) = paths.as_array() else {
                        findings.add(
                            "E050",
                            path,
                            format!("version {name} state entry {digest} is not a list"),
                        );
                        continue;
                    };
                    for item in list {
                        let Some(logical) = item.as_str() else {
                            findings.add(
                                "E050",
                                path,
                                format!("version {name} state has a path that is not a string"),
                            );
                            continue;
                        };
                        if logical.starts_with('/') || logical.ends_with('/') {
                            findings.add(
                                "E053",
                                path,
                                format!(
                                    "logical path `{logical}` in {name} starts or ends with `/`"
                                ),
                            );
                        } else if logical
                            .split('/')
                            .any(|s| s.is_empty() || s == "." || s == "..")
                        {
                            findings.add("E052", path, format!("logical path `{logical}` in {name} has an empty, `.` or `..` part"));
                        }
                        logical_paths.push(logical.to_string());
                        version.state.insert(logical.to_string(), lower.clone());
                    }
                }
                check_path_conflicts(
                    &logical_paths,
                    "E095",
                    &format!("{name} logical path"),
                    path,
                    findings,
                );
            }
            Some(_) => findings.add(
                "E050",
                path,
                format!("version {name} state is not a JSON object"),
            ),
            None => findings.add("E048", path, format!("version {name} has no `state`")),
        }
        inv.versions.insert(v.number, version);
    }
}

fn check_fixity(
    fixity: &Value,
    declared: Spec,
    path: &str,
    findings: &mut Findings,
    inv: &mut CheckedInventory,
) {
    let Some(blocks) = fixity.as_object() else {
        let code = if declared == Spec::V1_0 {
            "E056"
        } else {
            "E111"
        };
        findings.add(code, path, "fixity is not a JSON object");
        return;
    };
    let content: BTreeSet<String> = inv.manifest.values().flatten().cloned().collect();
    for (algorithm, block) in blocks {
        let Some(block) = block.as_object() else {
            findings.add(
                "E057",
                path,
                format!("fixity block {algorithm} is not a JSON object"),
            );
            continue;
        };
        let mut by_path = BTreeMap::new();
        let mut seen = BTreeSet::new();
        for (digest, paths) in block {
            let lower = digest.to_ascii_lowercase();
            if !seen.insert(lower.clone()) {
                findings.add(
                    "E097",
                    path,
                    format!("fixity {algorithm} digest {lower} appears more than once"),
                );
            }
            if !is_hex_digest(digest, algorithm) {
                findings.add(
                    "E057",
                    path,
                    format!("fixity {algorithm} key `{digest}` is not a {algorithm} digest"),
                );
            }
            let Some(list) = paths.as_array() else {
                findings.add(
                    "E057",
                    path,
                    format!("fixity {algorithm} entry {digest} is not a list"),
                );
                continue;
            };
            for item in list {
                match item.as_str() {
                    Some(p) if content.contains(p) => {
                        by_path.insert(p.to_string(), lower.clone());
                    }
                    Some(p) => findings.add(
                        "E057",
                        path,
                        format!("fixity {algorithm} names `{p}`, which is not in the manifest"),
                    ),
                    None => findings.add(
                        "E057",
                        path,
                        format!(
                            "fixity {algorithm} entry {digest} has a path that is not a string"
                        ),
                    ),
                }
            }
        }
        inv.fixity.insert(algorithm.clone(), by_path);
    }
}
