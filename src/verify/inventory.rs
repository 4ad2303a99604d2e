//! Checks one inventory, read as loose JSON so that every broken rule gets its own code; and
//! answers what an inventory says about a version's state or a content file's uses.

use super::{Code, Findings, LogicalUse, Spec};
use crate::archive::digest::OCFL_ALGORITHMS;
use crate::archive::inventory::VersionNum;
use crate::ocfl::PathFault;
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
    /// The manifest's digests as written (a state must spell them the same way).
    pub manifest_keys: BTreeSet<String>,
    /// False when there is no usable manifest (so content cannot be compared with it).
    pub manifest_present: bool,
    /// `versions` is a JSON object (where content directories can be told).
    pub versions_present: bool,
    pub versions: BTreeMap<u32, CheckedVersion>,
    /// The last version of the unbroken sequence v1, v2, … (0 when it does not start at v1).
    pub sequence_end: u32,
    /// Algorithm → content path → lowercase digest.
    pub fixity: BTreeMap<String, BTreeMap<String, String>>,
    /// Keys of `versions` that are no version name (`va`, `v0`).
    pub bad_version_names: BTreeSet<String>,
}

/// Why `name` is no version name: E105 for a number that is not positive (`v0`), E104 for
/// anything else that is not `v` and a number (`va`, `1`).
pub fn version_name_fault(name: &str) -> (Code, &'static str) {
    match name.strip_prefix('v') {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => (
            Code::E105,
            "version numbers are the positive integers 1, 2, 3…",
        ),
        _ => (
            Code::E104,
            "a version name is `v` followed by the version number, like v1",
        ),
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckedVersion {
    pub name: String,
    pub created: Option<String>,
    pub message: Option<Value>,
    pub user: Option<Value>,
    /// Logical path → lowercase digest.
    pub state: BTreeMap<String, String>,
    /// The state's digests as written.
    pub state_keys: BTreeSet<String>,
}

impl CheckedInventory {
    /// Content path → lowercase digest.
    pub fn content_digests(&self) -> BTreeMap<&str, &str> {
        self.manifest
            .iter()
            .flat_map(|(digest, paths)| paths.iter().map(move |p| (p.as_str(), digest.as_str())))
            .collect()
    }

    /// Version `number`'s logical paths, each with the content paths its digest names: what
    /// the version holds, comparable between inventories of different digest algorithms.
    pub fn logical_content(&self, number: u32) -> BTreeMap<&str, BTreeSet<&str>> {
        let Some(version) = self.versions.get(&number) else {
            return BTreeMap::new();
        };
        version
            .state
            .iter()
            .map(|(logical, digest)| {
                let paths = self.manifest.get(digest).into_iter().flatten();
                (logical.as_str(), paths.map(String::as_str).collect())
            })
            .collect()
    }

    /// The logical paths that show the bytes stored at `content_path`, each with the versions
    /// that have it, oldest first.
    pub fn uses(&self, content_path: &str) -> Vec<LogicalUse> {
        let Some(digest) = self
            .manifest
            .iter()
            .find(|(_, paths)| paths.iter().any(|p| p == content_path))
            .map(|(digest, _)| digest)
        else {
            return Vec::new();
        };
        let mut by_path: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for version in self.versions.values() {
            for (logical, _) in version.state.iter().filter(|(_, d)| *d == digest) {
                by_path
                    .entry(logical.as_str())
                    .or_default()
                    .push(version.name.clone());
            }
        }
        by_path
            .into_iter()
            .map(|(path, versions)| LogicalUse {
                logical_path: path.to_string(),
                versions,
            })
            .collect()
    }
}

/// How version `number` in a prior version's inventory differs from the same version in the
/// root inventory (E066), or `None`. The two are compared through the content paths their
/// digests name, so inventories with different digest algorithms compare; digests are
/// compared too where the algorithm is the same.
pub fn state_difference(
    prior: &CheckedInventory,
    root: &CheckedInventory,
    number: u32,
) -> Option<String> {
    let (mine, theirs) = (prior.logical_content(number), root.logical_content(number));
    if let Some(logical) = mine.keys().find(|l| !theirs.contains_key(*l)) {
        return Some(format!("`{logical}` is only in this inventory"));
    }
    if let Some(logical) = theirs.keys().find(|l| !mine.contains_key(*l)) {
        return Some(format!("`{logical}` is only in the root inventory"));
    }
    // A later version may store the same bytes again, so the root may name more paths.
    let list = |paths: &BTreeSet<&str>| match paths.is_empty() {
        true => "no content path (no manifest entry has its digest)".to_string(),
        false => paths.iter().copied().collect::<Vec<_>>().join(", "),
    };
    for (logical, paths) in &mine {
        let root_paths = &theirs[logical];
        if !paths.is_subset(root_paths) {
            return Some(format!(
                "`{logical}` is {} here but {} in the root inventory",
                list(paths),
                list(root_paths)
            ));
        }
    }
    let state = |inv: &CheckedInventory| inv.versions.get(&number).map(|v| v.state.clone());
    (prior.algorithm == root.algorithm && state(prior) != state(root))
        .then(|| "its digests differ from the root inventory's".to_string())
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

/// A JSON value read only to find an object with a key twice (RFC 8259 says the names
/// SHOULD be unique; OCFL's inventory structure has no room for a second `id`).
struct UniqueKeys;

impl<'de> serde::Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UniqueKeys)
    }
}

impl<'de> serde::de::Visitor<'de> for UniqueKeys {
    type Value = UniqueKeys;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }
    fn visit_i64<E>(self, _: i64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }
    fn visit_u64<E>(self, _: u64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }
    fn visit_f64<E>(self, _: f64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }
    fn visit_str<E>(self, _: &str) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }
    fn visit_unit<E>(self) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<UniqueKeys, A::Error> {
        while seq.next_element::<UniqueKeys>()?.is_some() {}
        Ok(UniqueKeys)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<UniqueKeys, A::Error> {
        let mut seen = BTreeSet::new();
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<UniqueKeys>()?;
            if !seen.insert(key.clone()) {
                return Err(serde::de::Error::custom(format!(
                    "the key `{key}` appears twice in one object"
                )));
            }
        }
        Ok(UniqueKeys)
    }
}

pub use crate::archive::digest::hex_length;

fn is_hex_digest(digest: &str, algorithm: &str) -> bool {
    hex_length(algorithm).is_none_or(|n| digest.len() == n)
        && digest.bytes().all(|b| b.is_ascii_hexdigit())
}

/// True for a URI as RFC 3986 §3 writes one: a scheme (a letter, then letters, digits, `+`,
/// `-`, `.`), `:`, and a non-empty rest of the characters a URI may hold (§2: unreserved,
/// reserved and `%` followed by two hex digits). Spaces, `<`, `>`, `"`, `\`, `{`, `}`, `|`,
/// `^`, `` ` `` and non-ASCII characters are not among them (an IRI is no URI). The split of
/// the rest into authority, path, query and fragment is not checked.
pub fn is_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    scheme_ok && !rest.is_empty() && has_only_uri_characters(rest)
}

/// RFC 3986 §2: unreserved (`A-Z a-z 0-9 - . _ ~`), reserved (`: / ? # [ ] @ ! $ & ' ( ) * +
/// , ; =`) and percent-encoded octets.
fn has_only_uri_characters(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let pair = bytes.get(i + 1..i + 3);
            if !pair.is_some_and(|p| p.iter().all(u8::is_ascii_hexdigit)) {
                return false;
            }
            i += 3;
            continue;
        }
        let allowed = b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b);
        if !allowed {
            return false;
        }
        i += 1;
    }
    true
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
    if let Err(e) = serde_json::from_slice::<UniqueKeys>(bytes) {
        // A JSON parser keeps one of the two, and which one differs from tool to tool.
        findings.add(
            Code::E033,
            path,
            format!("inventory is not valid JSON: {e}"),
        );
    }
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
    check_header(map, declared, path, findings, &mut inv);

    // Manifest keys are judged by the algorithm the inventory declares, even one it may not
    // use (md5 is E025 once, not a wrong key each).
    let declared_algorithm = map.get("digestAlgorithm").and_then(Value::as_str);
    let algorithm = inv
        .algorithm
        .clone()
        .or_else(|| declared_algorithm.map(str::to_string))
        .unwrap_or_else(|| "sha512".into());
    match map.get("manifest") {
        Some(Value::Object(manifest)) => {
            inv.manifest_present = true;
            check_manifest(manifest, &algorithm, path, findings, &mut inv)
        }
        Some(_) => findings.add(Code::E106, path, "manifest is not a JSON object"),
        None => findings.add(Code::E041, path, "inventory has no `manifest`"),
    }
    match map.get("versions") {
        Some(Value::Object(versions)) => {
            inv.versions_present = true;
            check_versions(versions, path, findings, &mut inv)
        }
        Some(_) => findings.add(Code::E045, path, "versions is not a JSON object"),
        None => findings.add(Code::E041, path, "inventory has no `versions`"),
    }
    check_head(map, path, findings, &mut inv);
    check_states_against_manifest(&inv, declared, path, findings);
    if let Some(fixity) = map.get("fixity") {
        check_fixity(fixity, declared, path, findings, &mut inv);
    }
    Some(inv)
}

/// `id`, `type`, `digestAlgorithm` and `contentDirectory`.
fn check_header(
    map: &Map<String, Value>,
    declared: Spec,
    path: &str,
    findings: &mut Findings,
    inv: &mut CheckedInventory,
) {
    let (of_inventory, codes) = ((Kind::String, "inventory"), (Code::E037, Code::E036));
    let id = member(map, "id", of_inventory, codes, path, findings);
    if let Some(id) = id.and_then(Value::as_str) {
        if !is_uri(id) {
            findings.add(
                Code::W005,
                path,
                format!("inventory id `{id}` is not a URI (RFC 3986)"),
            );
        }
        inv.id = Some(id.to_string());
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
    check_content_directory(map.get("contentDirectory"), path, findings, inv);
}

/// `contentDirectory`: a plain folder name, `content` when not given.
fn check_content_directory(
    dir: Option<&Value>,
    path: &str,
    findings: &mut Findings,
    inv: &mut CheckedInventory,
) {
    inv.content_directory = crate::ocfl::DEFAULT_CONTENT_DIRECTORY.into();
    if let Some(dir) = dir {
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
}

fn check_head(
    map: &Map<String, Value>,
    path: &str,
    findings: &mut Findings,
    inv: &mut CheckedInventory,
) {
    let (of_inventory, codes) = ((Kind::String, "inventory"), (Code::E040, Code::E036));
    let head = member(map, "head", of_inventory, codes, path, findings);
    let Some(head) = head.and_then(Value::as_str) else {
        return;
    };
    let Some(v) = VersionNum::parse(head) else {
        return findings.add(
            Code::E040,
            path,
            format!("head `{head}` is not a version name"),
        );
    };
    inv.head = Some(v);
    if let Some((_, highest)) = inv.versions.iter().next_back() {
        // The exact name: `v01` is not the head of an object whose versions are `v1`…
        if head != highest.name {
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

/// Manifest and states must agree: every state digest is a manifest key, spelled the same
/// (E050), and (1.1) every manifest digest is used by some state (E107).
fn check_states_against_manifest(
    inv: &CheckedInventory,
    declared: Spec,
    path: &str,
    findings: &mut Findings,
) {
    for (number, version) in inv.versions.iter().filter(|_| inv.manifest_present) {
        for digest in version
            .state_keys
            .iter()
            .filter(|d| !inv.manifest_keys.contains(*d))
        {
            let message = if inv.manifest.contains_key(&digest.to_ascii_lowercase()) {
                format!(
                    "v{number} state digest {digest} matches a manifest key only when case is \
                     ignored; it must be written as in the manifest"
                )
            } else {
                format!("v{number} state digest {digest} is not in the manifest")
            };
            findings.add(Code::E050, path, message);
        }
    }
    // Without a `versions` block (E041, E045) no digest can be told to be used.
    if declared == Spec::V1_1 && inv.versions_present {
        let used: BTreeSet<&str> = inv
            .versions
            .values()
            .flat_map(|v| v.state.values().map(String::as_str))
            .collect();
        for digest in inv.manifest.keys().filter(|d| !used.contains(d.as_str())) {
            findings.add(
                Code::E107,
                path,
                format!("manifest digest {digest} is not used by any version state"),
            );
        }
    }
}

fn check_manifest(
    manifest: &Map<String, Value>,
    algorithm: &str,
    path: &str,
    findings: &mut Findings,
    inv: &mut CheckedInventory,
) {
    inv.manifest_keys = manifest.keys().cloned().collect();
    // A key that is no digest of the declared algorithm: the manifest uses another (E039).
    let codes = [Code::E039, Code::E096, Code::E092];
    let entries = content_path_entries(manifest, ("manifest", algorithm), codes, path, findings);
    let mut all_paths: Vec<String> = Vec::new();
    for (lower, list) in entries {
        let content_paths: Vec<String> = list.into_iter().map(String::from).collect();
        all_paths.extend(content_paths.iter().cloned());
        inv.manifest.entry(lower).or_default().extend(content_paths);
    }
    check_path_conflicts(&all_paths, Code::E101, "content path", path, findings);
}

/// The entries of the manifest or of a fixity block, checked: each key a digest of the
/// algorithm, not there before in another case, and its value a list of content paths of good
/// form. `what` names the map in messages (`manifest`, `fixity md5`); its codes are for a key
/// that is no such digest, for a digest twice, and for a value that is no list of strings.
/// Returns the entries whose value is a list, each with its digest lowercase.
fn content_path_entries<'a>(
    map: &'a Map<String, Value>,
    (what, algorithm): (&str, &str),
    [form, twice, not_a_list]: [Code; 3],
    path: &str,
    findings: &mut Findings,
) -> Vec<(String, Vec<&'a str>)> {
    let mut seen = BTreeSet::new();
    let mut entries = Vec::new();
    for (digest, paths) in map {
        if !is_hex_digest(digest, algorithm) {
            let message = format!("{what} key `{digest}` is not a {algorithm} digest");
            findings.add(form, path, message);
        }
        let lower = digest.to_ascii_lowercase();
        if !seen.insert(lower.clone()) {
            let message = format!("{what} digest {lower} appears more than once");
            findings.add(twice, path, message);
        }
        let entry = || format!("{what} entry {digest}");
        let Some(list) = path_list(paths, not_a_list, entry, path, findings) else {
            continue;
        };
        for p in &list {
            check_content_path(p, path, findings);
        }
        entries.push((lower, list));
    }
    entries
}

/// The list of paths of one entry of a digest-keyed map (the manifest, a version's state, a
/// fixity block), or `None` when it is not a list; an item that is not a string is left out.
/// Either is reported with `code`, as a fault of the `entry` (its name in messages).
fn path_list<'a>(
    paths: &'a Value,
    code: Code,
    entry: impl Fn() -> String,
    path: &str,
    findings: &mut Findings,
) -> Option<Vec<&'a str>> {
    let Some(items) = paths.as_array() else {
        findings.add(code, path, format!("{} is not a list of paths", entry()));
        return None;
    };
    let mut list = Vec::with_capacity(items.len());
    for item in items {
        match item.as_str() {
            Some(p) => list.push(p),
            None => findings.add(
                code,
                path,
                format!("{} has a path that is not a string", entry()),
            ),
        }
    }
    Some(list)
}

/// What is wrong with the form of a `/`-separated path, if anything, and its code: `edge` for
/// a `/` at either end, `part` for an empty, `.` or `..` part (content paths and logical paths
/// each have their own pair of codes).
fn path_form_fault(p: &str, (edge, part): (Code, Code)) -> Option<(Code, &'static str)> {
    let fault = PathFault::of(p)?;
    let code = match fault {
        PathFault::Edge => edge,
        PathFault::Element => part,
    };
    Some((code, fault.describe()))
}

/// E100 and E099 for a content path of the manifest or of a fixity block.
fn check_content_path(content_path: &str, path: &str, findings: &mut Findings) {
    if let Some((code, problem)) = path_form_fault(content_path, (Code::E100, Code::E099)) {
        findings.add(
            code,
            path,
            format!("content path `{content_path}` {problem}"),
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
            None => {
                let (code, rule) = version_name_fault(name);
                inv.bad_version_names.insert(name.clone());
                findings.add(
                    code,
                    path,
                    format!("versions key `{name}` is not a version name: {rule}"),
                );
            }
        }
    }
    names.sort();
    check_version_names(&names, path, findings);
    inv.sequence_end = check_sequence(&names, path, findings);
    for (v, name) in names {
        let Some(block) = versions[name].as_object() else {
            findings.add(
                Code::E047,
                path,
                format!("version {name} is not a JSON object"),
            );
            continue;
        };
        let version = check_version(name, block, path, findings);
        inv.versions.insert(v.number, version);
    }
}

/// One naming convention, set by v1: unpadded, or zero-padded to one width (W001). A padded
/// name that overflows its width (`v10` after `v01` … `v09`) no longer starts with `v0` (E011)
/// and breaks the convention the earlier versions set (E013); other mixes are E012.
fn check_version_names(names: &[(VersionNum, &String)], path: &str, findings: &mut Findings) {
    let Some((first, first_name)) = names.first() else {
        return;
    };
    if first.width > 0 {
        findings.add(Code::W001, path, "version names are zero-padded");
    }
    let Some((_, odd)) = names.iter().find(|(v, _)| v.width != first.width) else {
        return;
    };
    if first.width > 0 && odd.len() >= first.width && !odd.starts_with("v0") {
        findings.add(
            Code::E011,
            path,
            format!(
                "version {odd} overflows the zero-padded width of {first_name}: \
                 zero-padded names must start with v0"
            ),
        );
        findings.add(
            Code::E013,
            path,
            format!("version {odd} does not follow the naming convention set by {first_name}"),
        );
    } else {
        findings.add(
            Code::E012,
            path,
            "version names mix zero-padded and unpadded forms",
        );
    }
}

/// The sequence starts at v1 (E009) and has no gaps (E010); returns its last unbroken number.
fn check_sequence(names: &[(VersionNum, &String)], path: &str, findings: &mut Findings) -> u32 {
    for (i, (v, name)) in names.iter().enumerate() {
        let expected = i as u32 + 1;
        if v.number != expected {
            let code = if i == 0 { Code::E009 } else { Code::E010 };
            findings.add(
                code,
                path,
                format!("version {name} breaks the sequence v1, v2, … (expected v{expected})"),
            );
            return i as u32;
        }
    }
    names.len() as u32
}

/// One block of `versions`.
fn check_version(
    name: &str,
    block: &Map<String, Value>,
    path: &str,
    findings: &mut Findings,
) -> CheckedVersion {
    let mut version = CheckedVersion {
        name: name.to_string(),
        ..Default::default()
    };
    let owner = format!("version {name}");
    let get = |key: &str, kind: Kind, codes: (Code, Code), findings: &mut Findings| {
        member(block, key, (kind, &owner), codes, path, findings)
    };
    let created = get("created", Kind::String, (Code::E049, Code::E048), findings);
    if let Some(created) = created.and_then(Value::as_str) {
        if !is_internet_date_time(created) {
            findings.add(
                Code::E049,
                path,
                format!(
                    "version {name} created `{created}` is not an RFC 3339 date-time \
                     with a time zone"
                ),
            );
        }
        version.created = Some(created.to_string());
    }
    let message = get("message", Kind::String, (Code::E094, Code::W007), findings);
    version.message = message.cloned();
    let user = get("user", Kind::Object, (Code::E054, Code::W007), findings);
    if let Some(user) = user {
        version.user = Some(user.clone());
        check_user(name, user, path, findings);
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
    let state = get("state", Kind::Object, (Code::E050, Code::E048), findings);
    if let Some(state) = state.and_then(Value::as_object) {
        check_state(name, state, path, findings, &mut version);
    }
    version
}

/// The kinds of JSON value an inventory's members have.
#[derive(Debug, Clone, Copy)]
enum Kind {
    String,
    Object,
}

/// Member `key` of `map` when it is of the kind wanted; otherwise `None`, reported with the
/// first code when it is of another kind and with the second when it is absent. `owner` is
/// what `map` is called in messages (`inventory`, `version v2`).
fn member<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    (kind, owner): (Kind, &str),
    (wrong, missing): (Code, Code),
    path: &str,
    findings: &mut Findings,
) -> Option<&'a Value> {
    let Some(value) = map.get(key) else {
        findings.add(missing, path, format!("{owner} has no `{key}`"));
        return None;
    };
    let (fits, kind) = match kind {
        Kind::String => (value.is_string(), "a string"),
        Kind::Object => (value.is_object(), "a JSON object"),
    };
    if !fits {
        findings.add(wrong, path, format!("{owner} {key} is not {kind}"));
        return None;
    }
    Some(value)
}

fn check_user(name: &str, user: &Value, path: &str, findings: &mut Findings) {
    for key in user.as_object().into_iter().flat_map(|u| u.keys()) {
        if key != "name" && key != "address" {
            findings.add(
                Code::E102,
                path,
                format!("version {name} user has the undefined key `{key}`"),
            );
        }
    }
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

fn check_state(
    name: &str,
    state: &Map<String, Value>,
    path: &str,
    findings: &mut Findings,
    version: &mut CheckedVersion,
) {
    let mut logical_paths = Vec::new();
    for (digest, paths) in state {
        let lower = digest.to_ascii_lowercase();
        let entry = || format!("version {name} state entry {digest}");
        let Some(list) = path_list(paths, Code::E050, entry, path, findings) else {
            continue;
        };
        version.state_keys.insert(digest.clone());
        for logical in list {
            if let Some((code, problem)) = path_form_fault(logical, (Code::E053, Code::E052)) {
                findings.add(
                    code,
                    path,
                    format!("logical path `{logical}` in {name} {problem}"),
                );
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
        if !OCFL_ALGORITHMS.iter().any(|(name, _)| name == algorithm) {
            findings.add(
                Code::E056,
                path,
                format!(
                    "fixity block `{algorithm}` names no digest algorithm of the spec or of \
                     the registered extensions 0001 and 0009"
                ),
            );
        }
        let Some(block) = block.as_object() else {
            findings.add(
                Code::E057,
                path,
                format!("fixity block {algorithm} is not a JSON object"),
            );
            continue;
        };
        let by_path = check_fixity_block(algorithm, block, &content, path, findings);
        inv.fixity.insert(algorithm.clone(), by_path);
    }
}

/// One algorithm's block of `fixity`: content path → lowercase digest, for the paths that
/// are in the manifest.
fn check_fixity_block(
    algorithm: &str,
    block: &Map<String, Value>,
    content: &BTreeSet<String>,
    path: &str,
    findings: &mut Findings,
) -> BTreeMap<String, String> {
    let mut by_path = BTreeMap::new();
    let what = format!("fixity {algorithm}");
    let codes = [Code::E057, Code::E097, Code::E057];
    // A malformed path is reported as such there, besides being absent from the manifest.
    for (lower, list) in content_path_entries(block, (&what, algorithm), codes, path, findings) {
        for p in list {
            if content.contains(p) {
                by_path.insert(p.to_string(), lower.clone());
            } else {
                findings.add(
                    Code::E057,
                    path,
                    format!("fixity {algorithm} names `{p}`, which is not in the manifest"),
                );
            }
        }
    }
    by_path
}

/// RFC 3339's Internet Date/Time Format (§5.6): `T` (or `t`) between date and time, never a
/// space (an application's choice, not the format), and a leap second only where one can be,
/// at 23:59:60 UTC on a month's last day (§5.7, Appendix D).
fn is_internet_date_time(text: &str) -> bool {
    use chrono::{Datelike, Timelike};
    let Ok(parsed) = chrono::DateTime::parse_from_rfc3339(text) else {
        return false;
    };
    if !matches!(text.as_bytes().get(10), Some(b'T' | b't')) {
        return false;
    }
    let utc = parsed.with_timezone(&chrono::Utc);
    let leap = utc.nanosecond() >= 1_000_000_000;
    let month_end = utc
        .date_naive()
        .succ_opt()
        .is_some_and(|next| next.day() == 1);
    !leap || utc.hour() == 23 && utc.minute() == 59 && month_end
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
    fn malformed_content_paths_are_caught_in_the_manifest_and_in_the_fixity_block() {
        for (content_path, code) in [
            ("/v1/content/a.txt", Code::E100),
            ("v1/content/a.txt/", Code::E100),
            ("v1/content/../a.txt", Code::E099),
            ("v1/content//a.txt", Code::E099),
            ("v1//content/a.txt", Code::E099),
            ("v1/content/./a.txt", Code::E099),
        ] {
            let mut in_manifest = inventory();
            in_manifest["manifest"] = json!({A: [content_path]});
            assert!(codes_of(&in_manifest).contains(&code), "{content_path}");
            let mut in_fixity = inventory();
            in_fixity["fixity"] =
                json!({"md5": {"0123456789abcdef0123456789abcdef": [content_path]}});
            assert!(
                codes_of(&in_fixity).contains(&code),
                "{content_path} in fixity"
            );
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
    fn a_created_time_is_rfc_3339_s_format_with_a_leap_second_only_at_a_month_s_last_second() {
        for good in [
            "2024-01-01T00:00:00Z",
            "2024-01-01t00:00:00.5z",
            "2016-12-31T23:59:60Z",
            "2017-01-01T00:59:60+01:00",
            "2024-06-30T23:59:60.25Z",
        ] {
            assert!(is_internet_date_time(good), "{good}");
        }
        for bad in [
            "2024-01-01 00:00:00Z",
            "2024-01-01T00:00:60Z",
            "2024-06-15T23:59:60Z",
            "2024-01-01T00:00:00",
            "2024-02-30T00:00:00Z",
        ] {
            assert!(!is_internet_date_time(bad), "{bad}");
        }
    }

    #[test]
    fn a_prior_state_against_a_root_without_manifest_says_no_content_path() {
        let prior = read(&inventory());
        let mut without = inventory();
        without.as_object_mut().unwrap().remove("manifest");
        let difference = state_difference(&prior, &read(&without), 1).unwrap();
        assert!(
            difference.ends_with(
                "here but no content path (no manifest entry has its digest) in the root inventory"
            ),
            "{difference}"
        );
    }

    #[test]
    fn a_key_twice_in_one_json_object_is_e033() {
        let text = serde_json::to_string(&inventory()).unwrap();
        let twice = text.replacen("\"id\":", "\"id\":\"urn:example:evil\",\"id\":", 1);
        let mut findings = Findings::default();
        check(
            twice.as_bytes(),
            Spec::V1_1,
            "inventory.json",
            &mut findings,
        );
        let codes: Vec<Code> = findings.list.iter().map(|f| f.code).collect();
        assert_eq!(codes, vec![Code::E033], "{:?}", findings.list);
        assert!(findings.list[0].message.contains("`id` appears twice"));
    }

    #[test]
    fn a_state_digest_in_another_case_than_the_manifest_key_is_not_in_the_manifest() {
        let mut value = inventory();
        value["versions"]["v1"]["state"] = json!({A.to_uppercase(): ["a.txt"]});
        assert_eq!(codes_of(&value), vec![Code::E050]);
        // Uppercase in both places is the same digest spelled one way: valid.
        value["manifest"] = json!({A.to_uppercase(): ["v1/content/a.txt"]});
        assert_eq!(codes_of(&value), vec![]);
    }

    #[test]
    fn zero_padding_is_a_warning_until_it_overflows_or_mixes() {
        assert_eq!(codes_of(&with_versions(&["v01", "v02"])), vec![Code::W001]);
        let mixed = codes_of(&with_versions(&["v01", "v2"]));
        assert!(mixed.contains(&Code::E012), "{mixed:?}");
        let names: Vec<String> = (1..=10).map(|n| format!("v{n:02}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(names[9], "v10");
        let overflow = codes_of(&with_versions(&names));
        assert!(
            overflow.contains(&Code::E011) && overflow.contains(&Code::E013),
            "{overflow:?}"
        );
        assert!(!overflow.contains(&Code::E012), "{overflow:?}");
    }

    /// `value` read as a checked inventory (its findings dropped).
    fn read(value: &Value) -> CheckedInventory {
        let bytes = serde_json::to_vec(value).unwrap();
        check(
            &bytes,
            Spec::V1_1,
            "inventory.json",
            &mut Findings::default(),
        )
        .unwrap()
    }

    const B: &str = "44ac9d7ef6ba4d7d9bd8dbf5e7c8eaf4d9a35e3ce4fbc3e2ed6b5e3af59ea3e0";

    #[test]
    fn versions_compare_through_content_paths_across_digest_algorithms() {
        let root = read(&inventory());
        // The same version in sha256: other digests, the same content path.
        let mut value = inventory();
        value["digestAlgorithm"] = json!("sha256");
        value["manifest"] = json!({B: ["v1/content/a.txt"]});
        value["versions"]["v1"]["state"] = json!({B: ["a.txt"]});
        let prior = read(&value);
        assert_eq!(state_difference(&prior, &root, 1), None);
        // Another logical path, or another content path, is another state.
        value["versions"]["v1"]["state"] = json!({B: ["b.txt"]});
        let renamed = state_difference(&read(&value), &root, 1).unwrap();
        assert!(
            renamed.contains("`b.txt` is only in this inventory"),
            "{renamed}"
        );
        value["versions"]["v1"]["state"] = json!({B: ["a.txt"]});
        value["manifest"] = json!({B: ["v1/content/b.txt"]});
        let moved = state_difference(&read(&value), &root, 1).unwrap();
        assert!(moved.contains("v1/content/b.txt here"), "{moved}");
    }

    #[test]
    fn same_algorithm_versions_compare_digests_too() {
        let root = read(&inventory());
        let mut value = inventory();
        let other = "0".repeat(128);
        value["manifest"] = json!({other.clone(): ["v1/content/a.txt"]});
        value["versions"]["v1"]["state"] = json!({other: ["a.txt"]});
        assert!(state_difference(&read(&value), &root, 1).is_some());
    }

    #[test]
    fn a_content_file_names_the_logical_paths_and_versions_that_show_it() {
        let mut value = with_versions(&["v1", "v2", "v3"]);
        value["versions"]["v2"]["state"] = json!({A: ["a.txt", "copy/a.txt"]});
        value["versions"]["v3"]["state"] = json!({A: ["renamed.txt"]});
        let inv = read(&value);
        let uses: Vec<String> = inv
            .uses("v1/content/a.txt")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            uses,
            ["a.txt in v1, v2", "copy/a.txt in v2", "renamed.txt in v3"]
        );
        assert!(inv.uses("v1/content/nothing.txt").is_empty());
    }

    #[test]
    fn the_sequence_end_is_the_last_version_before_a_gap() {
        assert_eq!(read(&with_versions(&["v1", "v2", "v3"])).sequence_end, 3);
        assert_eq!(read(&with_versions(&["v1", "v2", "v4"])).sequence_end, 2);
        assert_eq!(read(&with_versions(&["v2", "v3"])).sequence_end, 0);
    }

    #[test]
    fn uris_and_hex_lengths_follow_the_spec() {
        // W005: "`id` ... SHOULD be a URI [RFC3986]" (OCFL 1.1 §3.5.1), not only a scheme.
        crate::testing::assert_accepts_only(
            is_uri,
            &[
                "urn:example:1",
                "https://example.org/x",
                "ns:ok%20fine",
                "urn:isbn:0451450523",
                "ns:x/y%2Fz",
                "mailto:a@b.org",
            ],
            &[
                "object-1",
                "1x:y",
                "a:",
                "ns:a b",
                "ns:üñí",
                "ns:%zz",
                "ns:50%",
                "ns:<angle>",
                "http://example.org/a b",
                "ns:{x}",
            ],
        );
        assert_eq!(hex_length("sha512"), Some(128));
        assert_eq!(hex_length("md5"), Some(32));
        assert_eq!(hex_length("whirlpool"), None);
        assert!(is_hex_digest(A, "sha512") && !is_hex_digest(&A[1..], "sha512"));
    }

    #[test]
    fn a_fixity_block_of_an_algorithm_neither_the_spec_nor_extension_0009_names_is_e056() {
        let known = |algorithm: &str| {
            let mut value = inventory();
            value["fixity"] = json!({algorithm: {"00": ["v1/content/a.txt"]}});
            !codes_of(&value).contains(&Code::E056)
        };
        crate::testing::assert_accepts_only(
            known,
            &["md5", "blake2b-160", "sha512/256", "size"],
            &["crc32", "SHA512"],
        );
    }
}
