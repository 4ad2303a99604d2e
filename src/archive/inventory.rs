//! The OCFL inventory (spec §3.5) as typed data, for reading objects and writing versions.
//!
//! This is the strict, happy-path reading that quire's own commands use; the validator reads
//! inventories as loose JSON so that it can name every rule a broken one breaks.

use super::digest::DigestAlgorithm;
use crate::ocfl::{sidecar_name, INVENTORY};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// The `type` of a 1.1 inventory.
pub const INVENTORY_TYPE_1_1: &str = "https://ocfl.io/1.1/spec/#inventory";
/// The `type` of a 1.0 inventory.
pub const INVENTORY_TYPE_1_0: &str = "https://ocfl.io/1.0/spec/#inventory";

/// A version directory name: `v1`, `v2`… or zero-padded `v001` (OCFL 1.0 style).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VersionNum {
    pub number: u32,
    /// Total width of a zero-padded name including the `v`, or 0 when unpadded.
    pub width: usize,
}

impl VersionNum {
    pub fn first() -> Self {
        VersionNum {
            number: 1,
            width: 0,
        }
    }

    /// The version after this one, in the same naming convention.
    pub fn next(self) -> Self {
        VersionNum {
            number: self.number + 1,
            width: self.width,
        }
    }

    /// The version before this one, if any.
    pub fn previous(self) -> Option<Self> {
        (self.number > 1).then(|| VersionNum {
            number: self.number - 1,
            width: self.width,
        })
    }

    /// Parses `v3` or `v003`; `None` for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        let digits = name.strip_prefix('v')?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 9 {
            return None;
        }
        let number: u32 = digits.parse().ok()?;
        if number == 0 {
            return None;
        }
        let width = if digits.starts_with('0') {
            name.len()
        } else {
            0
        };
        Some(VersionNum { number, width })
    }

    /// With the same padding as `self`, the name of version `number`.
    pub fn with_number(self, number: u32) -> Self {
        VersionNum {
            number,
            width: self.width,
        }
    }
}

impl fmt::Display for VersionNum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.width > 1 {
            write!(f, "v{:0width$}", self.number, width = self.width - 1)
        } else {
            write!(f, "v{}", self.number)
        }
    }
}

impl Ord for VersionNum {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.number, self.width).cmp(&(other.number, other.width))
    }
}

impl PartialOrd for VersionNum {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for VersionNum {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for VersionNum {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        VersionNum::parse(&name).ok_or_else(|| {
            serde::de::Error::custom(format!("`{name}` is not a version name like v1"))
        })
    }
}

/// `digest → paths`, the shape of the manifest, each state and each fixity block.
pub type DigestMap = BTreeMap<String, Vec<String>>;

/// One OCFL inventory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    pub id: String,
    #[serde(rename = "type")]
    pub inventory_type: String,
    #[serde(rename = "digestAlgorithm", with = "algorithm_name")]
    pub digest_algorithm: DigestAlgorithm,
    pub head: VersionNum,
    #[serde(
        rename = "contentDirectory",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub content_directory: Option<String>,
    pub manifest: DigestMap,
    pub versions: BTreeMap<VersionNum, Version>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixity: Option<BTreeMap<String, DigestMap>>,
}

/// One entry of the `versions` block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    pub created: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    pub state: DigestMap,
}

/// The person or agent that made a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

impl User {
    /// The user of a new version from a name and an e-mail address, either of which may be
    /// missing: the name defaults to the login name (`USER`, `LOGNAME`), else to the address;
    /// the address is recorded as a `mailto:` URI (OCFL W009). `None` when nothing names
    /// anyone: the version then records no user rather than an invented one (OCFL W007).
    pub fn from_name_and_email(name: Option<String>, email: Option<String>) -> Option<User> {
        let login = ["USER", "LOGNAME"]
            .iter()
            .find_map(|v| std::env::var(v).ok());
        User::named(name, login, email)
    }

    /// The user from a name, else a login name, else an e-mail address.
    fn named(name: Option<String>, login: Option<String>, email: Option<String>) -> Option<User> {
        let email = email.map(|e| e.trim_start_matches("mailto:").to_string());
        let name = [name, login, email.clone()]
            .into_iter()
            .flatten()
            .find(|n| !n.trim().is_empty())?;
        let address = email.map(|e| format!("mailto:{e}"));
        Some(User { name, address })
    }
}

mod algorithm_name {
    use super::DigestAlgorithm;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(algorithm: &DigestAlgorithm, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(algorithm.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DigestAlgorithm, D::Error> {
        let name = String::deserialize(d)?;
        DigestAlgorithm::from_name(&name).ok_or_else(|| {
            serde::de::Error::custom(format!("digestAlgorithm `{name}` is not sha512 or sha256"))
        })
    }
}

impl Inventory {
    /// The content directory name (`content` unless the inventory says otherwise).
    pub fn content_directory(&self) -> &str {
        self.content_directory
            .as_deref()
            .unwrap_or(crate::ocfl::DEFAULT_CONTENT_DIRECTORY)
    }

    /// The logical state of a version as `logical path → digest` (lowercase).
    pub fn logical_state(&self, version: VersionNum) -> Option<BTreeMap<String, String>> {
        let state = &self.versions.get(&version)?.state;
        Some(
            state
                .iter()
                .flat_map(|(digest, paths)| {
                    let digest = digest.to_ascii_lowercase();
                    paths.iter().map(move |p| (p.clone(), digest.clone()))
                })
                .collect(),
        )
    }

    /// The content path of a digest (the first one listed), compared case-insensitively.
    pub fn content_path(&self, digest: &str) -> Option<&str> {
        self.manifest
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(digest))
            .and_then(|(_, paths)| paths.first())
            .map(String::as_str)
    }

    /// The inventory as written to disk: pretty JSON with a final newline. Map keys come out
    /// sorted (BTreeMap), so the bytes depend only on the content.
    pub fn to_json(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("an inventory always serializes");
        bytes.push(b'\n');
        bytes
    }

    /// The sidecar file name and content for `inventory_bytes`.
    pub fn sidecar(&self, inventory_bytes: &[u8]) -> (String, Vec<u8>) {
        let algorithm = self.digest_algorithm;
        let digest = algorithm.digest(inventory_bytes);
        (
            sidecar_name(algorithm.name()),
            format!("{digest}  {INVENTORY}\n").into_bytes(),
        )
    }
}

/// True when `sidecar` (a sidecar file's bytes) records the digest of `inventory` in
/// `algorithm`.
pub(crate) fn sidecar_matches(
    sidecar: &[u8],
    algorithm: DigestAlgorithm,
    inventory: &[u8],
) -> bool {
    std::str::from_utf8(sidecar)
        .ok()
        .and_then(parse_sidecar)
        .is_some_and(|d| d.eq_ignore_ascii_case(&algorithm.digest(inventory)))
}

/// Reads the digest out of a sidecar file's content (`DIGEST inventory.json`).
pub fn parse_sidecar(content: &str) -> Option<&str> {
    let mut parts = content.split_whitespace();
    let digest = parts.next()?;
    (parts.next()? == INVENTORY && parts.next().is_none()).then_some(digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_e_mail_address_is_recorded_as_a_mailto_uri_once() {
        let user =
            User::from_name_and_email(Some("Ann".into()), Some("ann@example.org".into())).unwrap();
        assert_eq!(user.name, "Ann");
        assert_eq!(user.address.as_deref(), Some("mailto:ann@example.org"));
        let user =
            User::from_name_and_email(Some("Ann".into()), Some("mailto:a@b.org".into())).unwrap();
        assert_eq!(user.address.as_deref(), Some("mailto:a@b.org"));
        let user = User::from_name_and_email(Some("Ann".into()), None).unwrap();
        assert_eq!(user.address, None);
    }

    #[test]
    fn a_user_without_a_name_is_named_by_the_login_else_the_address_else_not_recorded() {
        let login = || Some("ann".to_string());
        let user = User::named(None, login(), None).unwrap();
        assert_eq!((user.name.as_str(), user.address), ("ann", None));
        let user = User::named(Some(" ".into()), None, Some("ann@example.org".into())).unwrap();
        assert_eq!(user.name, "ann@example.org");
        assert_eq!(user.address.as_deref(), Some("mailto:ann@example.org"));
        assert_eq!(User::named(None, Some(String::new()), None), None);
    }

    #[test]
    fn version_names() {
        assert_eq!(
            VersionNum::parse("v1"),
            Some(VersionNum {
                number: 1,
                width: 0
            })
        );
        assert_eq!(
            VersionNum::parse("v0003").map(|v| v.to_string()),
            Some("v0003".into())
        );
        assert_eq!(
            VersionNum::parse("v0009").unwrap().next().to_string(),
            "v0010"
        );
        assert_eq!(VersionNum::parse("v9").unwrap().next().to_string(), "v10");
        for bad in ["v0", "v", "1", "v-1", "v1a", "V1"] {
            assert_eq!(VersionNum::parse(bad), None, "{bad}");
        }
        assert!(VersionNum::parse("v10").unwrap() > VersionNum::parse("v9").unwrap());
    }

    #[test]
    fn sidecar_parsing() {
        assert_eq!(parse_sidecar("abc  inventory.json\n"), Some("abc"));
        assert_eq!(parse_sidecar("abc\tinventory.json"), Some("abc"));
        assert_eq!(parse_sidecar("abc inventory.jsonx"), None);
        assert_eq!(parse_sidecar("abc"), None);
    }

    /// A two-version inventory, as JSON: v2 renames a file and adds a copy of another.
    const TWO_VERSIONS: &str = r#"{
  "id": "urn:example:1",
  "type": "https://ocfl.io/1.1/spec/#inventory",
  "digestAlgorithm": "sha512",
  "head": "v2",
  "manifest": {
    "AAAA": ["v1/content/a.txt"],
    "bbbb": ["v1/content/b.txt", "v2/content/b-copy.txt"]
  },
  "versions": {
    "v1": {
      "created": "2024-01-01T00:00:00Z",
      "message": "First",
      "user": { "name": "A", "address": "mailto:a@example.org" },
      "state": { "AAAA": ["a.txt"], "bbbb": ["b.txt"] }
    },
    "v2": {
      "created": "2024-01-02T00:00:00Z",
      "state": { "aaaa": ["renamed.txt"], "bbbb": ["b.txt", "b-copy.txt"] }
    }
  }
}"#;

    fn two_versions() -> Inventory {
        serde_json::from_str(TWO_VERSIONS).unwrap()
    }

    #[test]
    fn a_version_state_maps_each_path_to_its_lowercase_digest() {
        let inventory = two_versions();
        let v1 = inventory.logical_state(VersionNum::first()).unwrap();
        assert_eq!(v1["a.txt"], "aaaa");
        assert_eq!(v1.len(), 2);
        let v2 = inventory
            .logical_state(VersionNum::parse("v2").unwrap())
            .unwrap();
        let paths: Vec<&str> = v2.keys().map(String::as_str).collect();
        assert_eq!(paths, ["b-copy.txt", "b.txt", "renamed.txt"]);
        assert_eq!(v2["renamed.txt"], "aaaa");
        assert!(inventory
            .logical_state(VersionNum::parse("v3").unwrap())
            .is_none());
    }

    #[test]
    fn a_content_path_is_found_by_digest_in_any_case() {
        let inventory = two_versions();
        assert_eq!(inventory.content_path("aaaa"), Some("v1/content/a.txt"));
        assert_eq!(inventory.content_path("BBBB"), Some("v1/content/b.txt"));
        assert_eq!(inventory.content_path("cccc"), None);
        assert_eq!(inventory.content_directory(), "content");
    }

    #[test]
    fn an_inventory_is_written_sorted_with_a_final_newline_and_reads_back() {
        let inventory = two_versions();
        let bytes = inventory.to_json();
        assert!(bytes.ends_with(b"}\n"));
        let text = String::from_utf8(bytes.clone()).unwrap();
        let (id, versions) = (
            text.find("\"id\"").unwrap(),
            text.find("\"versions\"").unwrap(),
        );
        assert!(id < versions, "keys in order:\n{text}");
        assert!(!text.contains("contentDirectory") && !text.contains("fixity"));
        let back: Inventory = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back, inventory);
        assert_eq!(back.to_json(), bytes, "the same inventory, the same bytes");
        let (name, sidecar) = inventory.sidecar(&bytes);
        assert_eq!(name, "inventory.json.sha512");
        let sidecar = String::from_utf8(sidecar).unwrap();
        assert_eq!(
            parse_sidecar(&sidecar),
            Some(DigestAlgorithm::Sha512.digest(&bytes).as_str())
        );
    }

    #[test]
    fn an_inventory_outside_the_strict_reading_is_refused() {
        let refused = |from: &str, to: &str| {
            assert!(TWO_VERSIONS.contains(from), "{from}");
            let text = TWO_VERSIONS.replacen(from, to, 1);
            serde_json::from_str::<Inventory>(&text)
                .err()
                .unwrap_or_else(|| panic!("accepted with {to}"))
                .to_string()
        };
        let unknown = refused("\"head\": \"v2\",", "\"head\": \"v2\", \"extra\": 1,");
        assert!(unknown.contains("unknown field `extra`"), "{unknown}");
        let algorithm = refused("\"sha512\"", "\"md5\"");
        assert!(algorithm.contains("digestAlgorithm `md5`"), "{algorithm}");
        let head = refused("\"head\": \"v2\"", "\"head\": \"2\"");
        assert!(head.contains("`2` is not a version name"), "{head}");
        let user = refused("\"name\": \"A\", ", "");
        assert!(user.contains("missing field `name`"), "{user}");
    }

    #[test]
    fn versions_step_within_their_naming() {
        let padded = VersionNum::parse("v003").unwrap();
        assert_eq!(padded.previous().unwrap().to_string(), "v002");
        assert_eq!(padded.with_number(42).to_string(), "v042");
        assert_eq!(VersionNum::first().previous(), None);
        assert_eq!(VersionNum::first().next().to_string(), "v2");
    }
}
