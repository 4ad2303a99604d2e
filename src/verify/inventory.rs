//! Checks one inventory, read as loose JSON so that every broken rule gets its own code.

use super::{Code, Findings, Spec};
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
            findings.add(
                Code::E033,
                path,
                format!("inventory is not valid JSON: {e}"),
            );
            return None;
        }
    };
    let Some(map) = value.as_object() else {
        findings.add(Code::E033, path, "inventory is not a JSON object");
        return None;
    };
    let mut inv = CheckedInventory::default();
    for key in map.keys() {
        if !KNOWN_KEYS.contains(&key.as_str()) {
            findings.add(
                Code::E102,
                path,
                format!("inventory has the undefined key `{key}`"),
            );
        }
    }

    match map.get("id") {
        Some(Value::String(id)) => {
            if !is_uri(id) {
                findings.add(
                    Code::W005,
                    path,
                    format!("inventory id `{id}` is not a URI"),
                );
            }
            inv.id = Some(id.clone());
        }
        Some(_) => findings.add(Code::E037, path, "inventory id is not a string"),
        None => findings.add(Code::E036, path, "inventory has no `id`"),
    }

    match map.get("type").and_then(Value::as_str) {
        Some(t) => {
            inv.spec = Spec::from_inventory_type(t);
            if inv.spec != Some(declared) {
                findings.add(
                    Code::E038,
                    path,
                    format!(
                        "inventory type `{t}` is not {} as the object declaration says",
                        declared.inventory_type()
                    ),
                );
            }
        }
        None => findings.add(Code::E036, path, "inventory has no string `type`"),
    }

    match map.get("digestAlgorithm").and_then(Value::as_str) {
        Some("sha512") => inv.algorithm = Some("sha512".into()),
        Some("sha256") => {
            findings.add(
                Code::W004,
                path,
                "digestAlgorithm is sha256; sha512 is recommended",
            );
            inv.algorithm = Some("sha256".into());
        }
        Some(other) => findings.add(
            Code::E025,
            path,
            format!("digestAlgorithm `{other}` is not sha512 or sha256"),
        ),
        None => findings.add(
            Code::E036,
            path,
            "inventory has no string `digestAlgorithm`",
        ),
    }

    inv.content_directory = "content".into();
    if let Some(dir) = map.get("contentDirectory") {
        match dir.as_str() {
            Some(d) if d.contains('/') => findings.add(
                Code::E017,
                path,
                format!("contentDirectory `{d}` contains `/`"),
            ),
            Some(d @ ("." | "..")) => {
                findings.add(Code::E018, path, format!("contentDirectory is `{d}`"))
            }
            Some("") => findings.add(Code::E017, path, "contentDirectory is empty"),
            Some(d) => {
                inv.content_directory = d.to_string();
                inv.content_directory_set = true;
            }
            None => findings.add(Code::E033, path, "contentDirectory is not a string"),
        }
    }

    let algorithm = inv.algorithm.clone().unwrap_or_else(|| "sha512".into());
    match map.get("manifest") {
        Some(Value::Object(manifest)) => {
            inv.manifest_present = true;
            check_manifest(manifest, &algorithm, path, findings, &mut inv)
        }
        Some(_) => findings.add(Code::E106, path, "manifest is not a JSON object"),
        None => findings.add(Code::E041, path, "inventory has no `manifest`"),
    }

    match map.get("versions") {
        Some(Value::Object(versions)) => check_versions(versions, path, findings, &mut inv),
        Some(_) => findings.add(Code::E045, path, "versions is not a JSON object"),
        None => findings.add(Code::E041, path, "inventory has no `versions`"),
    }

    match map.get("head") {
        Some(Value::String(head)) => match VersionNum::parse(head) {
            Some(v) => {
                inv.head = Some(v);
                if let Some((_, highest)) = inv.versions.iter().next_back() {
                    // The exact name: `v01` is not the head of an object whose versions are `v1`…
                    if *head != highest.name {
                        findings.add(
                            Code::E040,
                            path,
                            format!(
                                "head is {head}, but the highest version is {}",
                                highest.name
                            ),
                        );
                    }
                }
            }
            None => findings.add(
                Code::E040,
                path,
                format!("head `{head}` is not a version name"),
            ),
        },
        Some(_) => findings.add(Code::E040, path, "head is not a string"),
        None => findings.add(Code::E036, path, "inventory has no `head`"),
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
                Code::E050,
                path,
                format!("v{number} state digest {digest} is not in the manifest"),
            );
        }
    }
    if declared == Spec::V1_1 {
        for digest in inv.manifest.keys().filter(|d| !used.contains(d.as_str())) {
            findings.add(
                Code::E107,
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
                Code::E025,
                path,
                format!("manifest key `{digest}` is not a {algorithm} digest"),
            );
        }
        let lower = digest.to_ascii_lowercase();
        if inv.manifest.contains_key(&lower) {
            findings.add(
                Code::E096,
                path,
                format!("manifest digest {lower} appears more than once"),
            );
        }
        let Some(list) = paths.as_array() else {
            findings.add(
                Code::E092,
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
                    Code::E092,
                    path,
                    format!("manifest entry {digest} has a path that is not a string"),
                ),
            }
        }
        all_paths.extend(content_paths.iter().cloned());
        inv.manifest.entry(lower).or_default().extend(content_paths);
    }
    check_path_conflicts(&all_paths, Code::E101, "content path", path, findings);
}

fn check_content_path(content_path: &str, path: &str, findings: &mut Findings) {
    if content_path.starts_with('/') || content_path.ends_with('/') {
        findings.add(
            Code::E100,
            path,
            format!("content path `{content_path}` starts or ends with `/`"),
        );
    } else if content_path
        .split('/')
        .any(|s| s.is_empty() || s == "." || s == "..")
    {
        findings.add(
            Code::E099,
            path,
            format!("content path `{content_path}` has an empty, `.` or `..` part"),
        );
    }
}

/// Paths must be unique, and none may be a folder of another (`a` and `a/b`).
fn check_path_conflicts(
    paths: &[String],
    code: Code,
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
            Code::E008,
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
                Code::E046,
                path,
                format!("versions key `{name}` is not a version name like v1"),
            ),
        }
    }
    names.sort();
    let widths: BTreeSet<usize> = names.iter().map(|(v, _)| v.width).collect();
    if widths.len() > 1 {
        findings.add(
            Code::E012,
            path,
            "version names mix zero-padded and unpadded forms",
        );
    } else if widths.iter().any(|w| *w > 0) {
        findings.add(Code::W001, path, "version names are zero-padded");
        let width = *widths.iter().next().unwrap_or(&0);
        if names
            .iter()
            .any(|(v, _)| v.number.to_string().len() + 1 > width)
            || !names.iter().all(|(_, n)| n.starts_with("v0"))
        {
            findings.add(
                Code::E011,
                path,
                "zero-padded version names must start with v0 and keep one width",
            );
        }
    }
    for (i, (v, name)) in names.iter().enumerate() {
        let expected = i as u32 + 1;
        if v.number != expected {
            let code = if i == 0 { Code::E009 } else { Code::E010 };
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
            findings.add(
                Code::E047,
                path,
                format!("version {name} is not a JSON object"),
            );
            continue;
        };
        let mut version = CheckedVersion {
            name: name.clone(),
            ..Default::default()
        };
        match block.get("created") {
            Some(Value::String(created)) => {
                if chrono::DateTime::parse_from_rfc3339(created).is_err() {
                    findings.add(Code::E049, path, format!("version {name} created `{created}` is not an RFC 3339 date-time with a time zone"));
                }
                version.created = Some(created.clone());
            }
            Some(_) => findings.add(
                Code::E049,
                path,
                format!("version {name} created is not a string"),
            ),
            None => findings.add(Code::E048, path, format!("version {name} has no `created`")),
        }
        match block.get("message") {
            Some(Value::String(_)) => version.message = block.get("message").cloned(),
            Some(_) => findings.add(
                Code::E094,
                path,
                format!("version {name} message is not a string"),
            ),
            None => findings.add(Code::W007, path, format!("version {name} has no message")),
        }
        match block.get("user") {
            Some(Value::Object(user)) => {
                version.user = block.get("user").cloned();
                match user.get("name") {
                    Some(Value::String(_)) => {}
                    _ => findings.add(
                        Code::E054,
                        path,
                        format!("version {name} user has no string `name`"),
                    ),
                }
                match user.get("address") {
                    Some(Value::String(address)) if !is_uri(address) => findings.add(
                        Code::W009,
                        path,
                        format!("version {name} user address `{address}` is not a URI"),
                    ),
                    Some(Value::String(_)) => {}
                    Some(_) => findings.add(
                        Code::E054,
                        path,
                        format!("version {name} user address is not a string"),
                    ),
                    None => findings.add(
                        Code::W008,
                        path,
                        format!("version {name} user has no address"),
                    ),
                }
            }
            Some(_) => findings.add(
                Code::E054,
                path,
                format!("version {name} user is not a JSON object"),
            ),
            None => findings.add(Code::W007, path, format!("version {name} has no user")),
        }
        for key in block.keys() {
            if !["created", "message", "user", "state"].contains(&key.as_str()) {
                findings.add(
                    Code::E102,
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
                            Code::E050,
                            path,
                            format!("version {name} state entry {digest} is not a list"),
                        );
                        continue;
                    };
                    for item in list {
                        let Some(logical) = item.as_str() else {
                            findings.add(
                                Code::E050,
                                path,
                                format!("version {name} state has a path that is not a string"),
                            );
                            continue;
                        };
                        if logical.starts_with('/') || logical.ends_with('/') {
                            findings.add(
                                Code::E053,
                                path,
                                format!(
                                    "logical path `{logical}` in {name} starts or ends with `/`"
                                ),
                            );
                        } else if logical
                            .split('/')
                            .any(|s| s.is_empty() || s == "." || s == "..")
                        {
                            findings.add(Code::E052, path, format!("logical path `{logical}` in {name} has an empty, `.` or `..` part"));
                        }
                        logical_paths.push(logical.to_string());
                        version.state.insert(logical.to_string(), lower.clone());
                    }
                }
                check_path_conflicts(
                    &logical_paths,
                    Code::E095,
                    &format!("{name} logical path"),
                    path,
                    findings,
                );
            }
            Some(_) => findings.add(
                Code::E050,
                path,
                format!("version {name} state is not a JSON object"),
            ),
            None => findings.add(Code::E048, path, format!("version {name} has no `state`")),
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
            Code::E056
        } else {
            Code::E111
        };
        findings.add(code, path, "fixity is not a JSON object");
        return;
    };
    let content: BTreeSet<String> = inv.manifest.values().flatten().cloned().collect();
    for (algorithm, block) in blocks {
        let Some(block) = block.as_object() else {
            findings.add(
                Code::E057,
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
                    Code::E097,
                    path,
                    format!("fixity {algorithm} digest {lower} appears more than once"),
                );
            }
            if !is_hex_digest(digest, algorithm) {
                findings.add(
                    Code::E057,
                    path,
                    format!("fixity {algorithm} key `{digest}` is not a {algorithm} digest"),
                );
            }
            let Some(list) = paths.as_array() else {
                findings.add(
                    Code::E057,
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
                        Code::E057,
                        path,
                        format!("fixity {algorithm} names `{p}`, which is not in the manifest"),
                    ),
                    None => findings.add(
                        Code::E057,
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const A: &str = "4dff4ea340f0a823f15d3f4f01ab62eae0e5da579ccb851f8db9dfe84c58b2b37b89903a740e1ee172da793a6e79d560e5f7f9bd058a12a280433ed6fa46510a";

    /// A valid one-version 1.1 inventory with one file.
    fn inventory() -> Value {
        json!({
            "id": "urn:example:object-1",
            "type": "https://ocfl.io/1.1/spec/#inventory",
            "digestAlgorithm": "sha512",
            "head": "v1",
            "manifest": {A: ["v1/content/a.txt"]},
            "versions": {"v1": {
                "created": "2026-01-01T12:00:00Z",
                "message": "First",
                "user": {"name": "A. Archivist", "address": "mailto:a@example.org"},
                "state": {A: ["a.txt"]}
            }}
        })
    }

    fn codes_of(value: &Value) -> Vec<Code> {
        let mut findings = Findings::default();
        let bytes = serde_json::to_vec(value).unwrap();
        check(&bytes, Spec::V1_1, "inventory.json", &mut findings);
        findings.list.iter().map(|f| f.code).collect()
    }

    /// A one-file inventory whose versions are named `names`, each with the same state.
    fn with_versions(names: &[&str]) -> Value {
        let mut value = inventory();
        let block = value["versions"]["v1"].clone();
        value["versions"] = Value::Object(
            names
                .iter()
                .map(|n| (n.to_string(), block.clone()))
                .collect(),
        );
        value["head"] = json!(names.last().unwrap());
        value["manifest"] = json!({A: [format!("{}/content/a.txt", names[0])]});
        value
    }

    #[test]
    fn a_valid_inventory_has_no_findings_and_is_read_whole() {
        let mut findings = Findings::default();
        let bytes = serde_json::to_vec(&inventory()).unwrap();
        let inv = check(&bytes, Spec::V1_1, "inventory.json", &mut findings).unwrap();
        assert!(findings.list.is_empty(), "{:?}", findings.list);
        assert_eq!(inv.id.as_deref(), Some("urn:example:object-1"));
        assert_eq!(inv.head.map(|h| h.number), Some(1));
        assert_eq!(inv.content_digests()["v1/content/a.txt"], A);
        assert_eq!(inv.versions[&1].state["a.txt"], A);
    }

    #[test]
    fn a_digest_twice_in_the_manifest_in_two_cases_is_caught() {
        let mut value = inventory();
        value["manifest"][A.to_uppercase()] = json!(["v1/content/b.txt"]);
        assert!(codes_of(&value).contains(&Code::E096));
    }

    #[test]
    fn malformed_content_paths_are_caught_in_the_manifest() {
        for (content_path, code) in [
            ("/v1/content/a.txt", Code::E100),
            ("v1/content/a.txt/", Code::E100),
            ("v1/content/../a.txt", Code::E099),
            ("v1/content//a.txt", Code::E099),
            ("v1/content/./a.txt", Code::E099),
        ] {
            let mut value = inventory();
            value["manifest"] = json!({A: [content_path]});
            assert!(codes_of(&value).contains(&code), "{content_path}");
        }
    }

    #[test]
    fn a_content_path_that_is_also_a_folder_is_caught() {
        let mut value = inventory();
        value["manifest"] = json!({A: ["v1/content/a", "v1/content/a/b.txt"]});
        assert!(codes_of(&value).contains(&Code::E101));
    }

    #[test]
    fn a_manifest_digest_no_state_uses_is_caught_in_1_1() {
        let mut value = inventory();
        value["manifest"]["f".repeat(128)] = json!(["v1/content/unused.txt"]);
        assert_eq!(codes_of(&value), vec![Code::E107]);
    }

    #[test]
    fn version_sequences_must_start_at_1_and_have_no_gaps() {
        assert_eq!(codes_of(&with_versions(&["v1", "v2", "v3"])), vec![]);
        assert!(codes_of(&with_versions(&["v2", "v3"])).contains(&Code::E009));
        assert!(codes_of(&with_versions(&["v1", "v2", "v4"])).contains(&Code::E010));
    }

    #[test]
    fn head_must_name_the_highest_version_exactly() {
        let mut value = with_versions(&["v1", "v2"]);
        value["head"] = json!("v1");
        assert!(codes_of(&value).contains(&Code::E040));
        value["head"] = json!("v02");
        assert!(codes_of(&value).contains(&Code::E040));
    }

    #[test]
    fn logical_paths_must_be_clean_and_not_conflict() {
        for (paths, code) in [
            (json!(["/a.txt"]), Code::E053),
            (json!(["x/../a.txt"]), Code::E052),
            (json!(["a", "a/b.txt"]), Code::E095),
        ] {
            let mut value = inventory();
            value["versions"]["v1"]["state"] = json!({A: paths});
            assert!(codes_of(&value).contains(&code), "{paths}");
        }
    }

    #[test]
    fn missing_keys_and_wrong_types_get_their_own_codes() {
        let mut value = inventory();
        value.as_object_mut().unwrap().remove("id");
        assert_eq!(codes_of(&value), vec![Code::E036]);
        let mut value = inventory();
        value["extra"] = json!(1);
        assert_eq!(codes_of(&value), vec![Code::E102]);
        let mut value = inventory();
        value["fixity"] = Value::Null;
        assert_eq!(codes_of(&value), vec![Code::E111]);
        let mut value = inventory();
        value["digestAlgorithm"] = json!("md5");
        assert!(codes_of(&value).contains(&Code::E025));
        let mut value = inventory();
        value["versions"]["v1"]["created"] = json!("2026-01-01 12:00");
        assert_eq!(codes_of(&value), vec![Code::E049]);
        let mut findings = Findings::default();
        assert!(check(b"{not json", Spec::V1_1, "inventory.json", &mut findings).is_none());
        assert_eq!(findings.list[0].code, Code::E033);
    }

    #[test]
    fn uris_and_hex_lengths_follow_the_spec() {
        assert!(is_uri("urn:example:1") && is_uri("https://example.org/x"));
        assert!(!is_uri("object-1") && !is_uri("1x:y") && !is_uri("a:"));
        assert_eq!(hex_length("sha512"), Some(128));
        assert_eq!(hex_length("md5"), Some(32));
        assert_eq!(hex_length("whirlpool"), None);
        assert!(is_hex_digest(A, "sha512") && !is_hex_digest(&A[1..], "sha512"));
    }
}
