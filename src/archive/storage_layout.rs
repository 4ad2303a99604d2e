//! Storage layout extensions: how an object id maps to a folder under the storage root.
//!
//! quire writes `0003-hash-and-id-n-tuple-storage-layout` by default (readable folder names,
//! bounded fan-out, understood by rocfl, ocfl-py and ocfl-java) and can also use
//! `0002-flat-direct-storage-layout` and `0004-hashed-n-tuple-storage-layout`; the tuple
//! layouts with any digest algorithm and tuple settings their extensions allow, so that quire
//! writes into the roots other tools made with them where those tools look. The roots other
//! tools make with `0006-flat-omit-prefix-storage-layout` and
//! `0007-n-tuple-omit-prefix-storage-layout` are read and written too ([`super::omit_prefix`]).

use super::digest::{fixity_hasher, hex_length, OCFL_ALGORITHMS};
use super::omit_prefix::{self, PrefixTuples, FLAT_OMIT_PREFIX, N_TUPLE_OMIT_PREFIX};
use serde_json::{json, Value};
use std::fmt;
use std::str::FromStr;

pub const FLAT_DIRECT: &str = "0002-flat-direct-storage-layout";
pub const HASH_AND_ID_N_TUPLE: &str = "0003-hash-and-id-n-tuple-storage-layout";
pub const HASHED_N_TUPLE: &str = "0004-hashed-n-tuple-storage-layout";

/// A storage layout with its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// 0002: the id is the folder name.
    FlatDirect,
    /// 0003: hashed tuples, then the percent-encoded id.
    HashAndIdNTuple(TupleParams),
    /// 0004: hashed tuples, then the digest (or its unused remainder).
    HashedNTuple {
        tuples: TupleParams,
        short_object_root: bool,
    },
    /// 0006: the id after its prefix is the folder name.
    FlatOmitPrefix { delimiter: String },
    /// 0007: tuples of the id after its prefix, then that id.
    NTupleOmitPrefix(PrefixTuples),
}

/// The parameters shared by the tuple layouts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TupleParams {
    /// A digest algorithm OCFL names (see [`OCFL_ALGORITHMS`]); sha256 by default.
    pub algorithm: &'static str,
    pub tuple_size: usize,
    pub number_of_tuples: usize,
}

impl Default for TupleParams {
    fn default() -> Self {
        TupleParams {
            algorithm: "sha256",
            tuple_size: 3,
            number_of_tuples: 3,
        }
    }
}

/// Why an id cannot be placed, or a layout configuration cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LayoutError(pub String);

impl Layout {
    /// The registered extension name.
    pub fn name(&self) -> &'static str {
        match self {
            Layout::FlatDirect => FLAT_DIRECT,
            Layout::HashAndIdNTuple(_) => HASH_AND_ID_N_TUPLE,
            Layout::HashedNTuple { .. } => HASHED_N_TUPLE,
            Layout::FlatOmitPrefix { .. } => FLAT_OMIT_PREFIX,
            Layout::NTupleOmitPrefix(_) => N_TUPLE_OMIT_PREFIX,
        }
    }

    /// Whether two ids may map to one folder (the layouts that drop the id's prefix).
    pub fn shares_folders(&self) -> bool {
        matches!(
            self,
            Layout::FlatOmitPrefix { .. } | Layout::NTupleOmitPrefix(_)
        )
    }

    /// A one-line description for `ocfl_layout.json`.
    pub fn description(&self) -> &'static str {
        match self {
            Layout::FlatDirect => "Flat Direct Storage Layout",
            Layout::HashAndIdNTuple(_) => "Hashed N-tuple with Object ID Storage Layout",
            Layout::HashedNTuple { .. } => "Hashed N-tuple Storage Layout",
            Layout::FlatOmitPrefix { .. } => "Flat Omit Prefix Storage Layout",
            Layout::NTupleOmitPrefix(_) => "N Tuple Omit Prefix Storage Layout",
        }
    }

    /// The extension's `config.json`.
    pub fn config(&self) -> Value {
        match self {
            Layout::FlatDirect => json!({ "extensionName": FLAT_DIRECT }),
            Layout::HashAndIdNTuple(t) => json!({
                "extensionName": HASH_AND_ID_N_TUPLE,
                "digestAlgorithm": t.algorithm,
                "tupleSize": t.tuple_size,
                "numberOfTuples": t.number_of_tuples,
            }),
            Layout::HashedNTuple {
                tuples: t,
                short_object_root,
            } => json!({
                "extensionName": HASHED_N_TUPLE,
                "digestAlgorithm": t.algorithm,
                "tupleSize": t.tuple_size,
                "numberOfTuples": t.number_of_tuples,
                "shortObjectRoot": short_object_root,
            }),
            Layout::FlatOmitPrefix { delimiter } => json!({
                "extensionName": FLAT_OMIT_PREFIX,
                "delimiter": delimiter,
            }),
            Layout::NTupleOmitPrefix(t) => omit_prefix::tuples_config(t),
        }
    }

    /// Builds a layout from its extension name and optional `config.json`.
    pub fn from_config(name: &str, config: Option<&Value>) -> Result<Layout, LayoutError> {
        let tuples = || -> Result<TupleParams, LayoutError> {
            let mut params = TupleParams::default();
            let Some(config) = config else {
                return Ok(params);
            };
            if let Some(alg) = config.get("digestAlgorithm") {
                params.algorithm = layout_digest(alg.as_str().unwrap_or_default())?;
            }
            let number = |key: &str, default: usize| -> Result<usize, LayoutError> {
                match config.get(key) {
                    None => Ok(default),
                    Some(v) => v.as_u64().map(|n| n as usize).ok_or_else(|| {
                        LayoutError(format!("layout parameter {key} is not a number"))
                    }),
                }
            };
            params.tuple_size = number("tupleSize", 3)?;
            params.number_of_tuples = number("numberOfTuples", 3)?;
            let hex_len = digest_length(params.algorithm);
            let fits = params
                .tuple_size
                .checked_mul(params.number_of_tuples)
                .is_some_and(|total| total <= hex_len);
            if (params.tuple_size == 0) != (params.number_of_tuples == 0) || !fits {
                return Err(LayoutError(format!(
                    "layout tupleSize {} and numberOfTuples {} do not fit a {} digest",
                    params.tuple_size, params.number_of_tuples, params.algorithm
                )));
            }
            Ok(params)
        };
        match name {
            FLAT_DIRECT => Ok(Layout::FlatDirect),
            HASH_AND_ID_N_TUPLE => Ok(Layout::HashAndIdNTuple(tuples()?)),
            HASHED_N_TUPLE => {
                let short = config
                    .and_then(|c| c.get("shortObjectRoot"))
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let tuples = tuples()?;
                let hex_len = digest_length(tuples.algorithm);
                if short && tuples.tuple_size * tuples.number_of_tuples >= hex_len {
                    return Err(LayoutError(
                        "shortObjectRoot needs part of the digest left after the tuples".into(),
                    ));
                }
                Ok(Layout::HashedNTuple {
                    tuples,
                    short_object_root: short,
                })
            }
            FLAT_OMIT_PREFIX => Ok(Layout::FlatOmitPrefix {
                delimiter: omit_prefix::flat_delimiter(config)?,
            }),
            N_TUPLE_OMIT_PREFIX => Ok(Layout::NTupleOmitPrefix(omit_prefix::tuples(config)?)),
            other => Err(LayoutError(format!(
                "storage layout `{other}` is not supported"
            ))),
        }
    }

    /// The object root folder of `id`, relative to the storage root.
    pub fn object_path(&self, id: &str) -> Result<String, LayoutError> {
        match self {
            Layout::FlatDirect => {
                if id.is_empty() || id == "." || id == ".." || id.contains('/') || id.len() > 255 {
                    return Err(LayoutError(format!(
                        "object id `{id}` cannot be a folder name in the flat direct layout"
                    )));
                }
                Ok(id.to_string())
            }
            Layout::HashAndIdNTuple(t) => {
                let digest = digest(t.algorithm, id)?;
                let mut encoded = percent_encode(id);
                if encoded.len() > 100 {
                    encoded.truncate(100);
                    encoded = format!("{encoded}-{digest}");
                }
                Ok(join_tuples(&digest, t, &encoded))
            }
            Layout::HashedNTuple {
                tuples: t,
                short_object_root,
            } => {
                let digest = digest(t.algorithm, id)?;
                let leaf = if *short_object_root {
                    digest[t.tuple_size * t.number_of_tuples..].to_string()
                } else {
                    digest.clone()
                };
                Ok(join_tuples(&digest, t, &leaf))
            }
            Layout::FlatOmitPrefix { delimiter } => omit_prefix::flat_path(delimiter, id),
            Layout::NTupleOmitPrefix(t) => omit_prefix::tuple_path(t, id),
        }
    }
}

/// A tuple layout's `digestAlgorithm`: "MUST be an algorithm that is allowed in the OCFL
/// fixity block" (0003 and 0004, Parameters), i.e. one of the spec's or of extension 0009's,
/// `size` excepted (it is no digest).
fn layout_digest(name: &str) -> Result<&'static str, LayoutError> {
    OCFL_ALGORITHMS
        .iter()
        .map(|(known, _)| *known)
        .find(|known| *known == name && fixity_hasher(known).is_some())
        .ok_or_else(|| {
            LayoutError(format!(
                "layout digestAlgorithm `{name}` is none of the digest algorithms OCFL names \
                 for fixity"
            ))
        })
}

fn digest_length(algorithm: &str) -> usize {
    hex_length(algorithm).unwrap_or_default()
}

/// The lowercase hex digest of `id` in a layout's algorithm.
fn digest(algorithm: &str, id: &str) -> Result<String, LayoutError> {
    let mut hasher = fixity_hasher(algorithm)
        .ok_or_else(|| LayoutError(format!("no digest algorithm `{algorithm}`")))?;
    hasher.update(id.as_bytes());
    Ok(hasher.finish())
}

fn join_tuples(digest: &str, t: &TupleParams, leaf: &str) -> String {
    let mut parts: Vec<&str> = (0..t.number_of_tuples)
        .map(|i| &digest[i * t.tuple_size..(i + 1) * t.tuple_size])
        .collect();
    parts.push(leaf);
    parts.join("/")
}

/// 0003's encoding: every byte of the UTF-8 id except `A-Z a-z 0-9 - _` as lowercase `%xx`.
fn percent_encode(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02x}"));
        }
    }
    out
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Layout {
    type Err = LayoutError;

    /// Accepts the extension name or its number (`0002`, `0003`, `0004`), with default parameters.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = match s {
            "0002" | "flat" => FLAT_DIRECT,
            "0003" => HASH_AND_ID_N_TUPLE,
            "0004" => HASHED_N_TUPLE,
            other => other,
        };
        Layout::from_config(name, None)
    }
}

impl Default for Layout {
    fn default() -> Self {
        Layout::HashAndIdNTuple(TupleParams::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The examples are the ones given in the extension specifications.
    #[test]
    fn hash_and_id_examples() {
        let layout = Layout::default();
        assert_eq!(
            layout.object_path("object-01").unwrap(),
            "3c0/ff4/240/object-01"
        );
        assert_eq!(
            layout.object_path("..hor/rib:le-$id").unwrap(),
            "487/326/d8c/%2e%2ehor%2frib%3ale-%24id"
        );
        assert_eq!(
            layout.object_path("ark:/12345/bcd987").unwrap(),
            "cb9/a58/bc5/ark%3a%2f12345%2fbcd987"
        );
        let long = "abcdefghij".repeat(11);
        let path = layout.object_path(&long).unwrap();
        let leaf = path.rsplit('/').next().unwrap();
        assert_eq!(leaf.len(), 100 + 1 + 64);
    }

    #[test]
    fn hashed_n_tuple_examples() {
        let layout: Layout = "0004".parse().unwrap();
        assert_eq!(
            layout.object_path("object-01").unwrap(),
            "3c0/ff4/240/3c0ff4240c1e116dba14c7627f2319b58aa3d77606d0d90dfc6161608ac987d4"
        );
        // Example 3: no tuples at all.
        let flat = Layout::from_config(
            HASHED_N_TUPLE,
            Some(&json!({"tupleSize": 0, "numberOfTuples": 0})),
        )
        .unwrap();
        assert_eq!(
            flat.object_path("..hor/rib:le-$id").unwrap(),
            "487326d8c2a3c0b885e23da1469b4d6671fd4e76978924b4443e9e3c316cda6d"
        );
        let short = Layout::HashedNTuple {
            tuples: TupleParams::default(),
            short_object_root: true,
        };
        assert_eq!(
            short.object_path("object-01").unwrap(),
            "3c0/ff4/240/c1e116dba14c7627f2319b58aa3d77606d0d90dfc6161608ac987d4"
        );
    }

    #[test]
    fn the_tuple_layouts_take_any_digest_algorithm_of_the_fixity_block() {
        // 0003's Example 2 and the mappings of its Python code (md5).
        let md5 = |tuple_size: usize, number_of_tuples: usize| {
            let config = json!({
                "digestAlgorithm": "md5",
                "tupleSize": tuple_size,
                "numberOfTuples": number_of_tuples,
            });
            Layout::from_config(HASH_AND_ID_N_TUPLE, Some(&config)).unwrap()
        };
        assert_eq!(
            md5(2, 15).object_path("object-01").unwrap(),
            "ff/75/53/44/92/48/5e/ab/b3/9f/86/35/67/28/88/object-01"
        );
        assert_eq!(
            md5(2, 15).object_path("..hor/rib:le-$id").unwrap(),
            "08/31/97/66/fb/6c/29/35/dd/17/5b/94/26/77/17/%2e%2ehor%2frib%3ale-%24id"
        );
        assert_eq!(
            md5(3, 3).object_path("object-01").unwrap(),
            "ff7/553/449/object-01"
        );
        assert_eq!(md5(0, 0).object_path("object-01").unwrap(), "object-01");
        // 16 tuples of 2 is the whole md5 digest; 17 would not fit.
        let too_many = json!({"digestAlgorithm": "md5", "tupleSize": 2, "numberOfTuples": 17});
        assert!(Layout::from_config(HASH_AND_ID_N_TUPLE, Some(&too_many)).is_err());
        for algorithm in ["sha1", "blake2b-512", "blake2b-160", "sha512/256"] {
            let config = json!({"digestAlgorithm": algorithm});
            let layout = Layout::from_config(HASHED_N_TUPLE, Some(&config)).unwrap();
            let leaf = layout.object_path("object-01").unwrap();
            let length = hex_length(algorithm).unwrap();
            assert_eq!(
                leaf.rsplit('/').next().unwrap().len(),
                length,
                "{algorithm}"
            );
            assert_eq!(
                Layout::from_config(HASHED_N_TUPLE, Some(&layout.config())).unwrap(),
                layout
            );
        }
        for refused in ["size", "crc32", "SHA256"] {
            let config = json!({"digestAlgorithm": refused});
            assert!(Layout::from_config(HASH_AND_ID_N_TUPLE, Some(&config)).is_err());
        }
    }

    #[test]
    fn flat_direct() {
        let layout: Layout = "0002".parse().unwrap();
        assert_eq!(layout.object_path("object-01").unwrap(), "object-01");
        assert!(layout.object_path("a/b").is_err());
    }

    #[test]
    fn config_round_trip() {
        for layout in [
            Layout::FlatDirect,
            Layout::default(),
            "0004".parse().unwrap(),
        ] {
            let back = Layout::from_config(layout.name(), Some(&layout.config())).unwrap();
            assert_eq!(back, layout);
        }
        assert!(Layout::from_config("0099-unknown", None).is_err());
        // Hostile parameters are refused, not a panic.
        let huge = json!({"tupleSize": 9223372036854775808u64, "numberOfTuples": 2});
        assert!(Layout::from_config(HASHED_N_TUPLE, Some(&huge)).is_err());
        let whole = json!({"tupleSize": 8, "numberOfTuples": 8, "shortObjectRoot": true});
        assert!(Layout::from_config(HASHED_N_TUPLE, Some(&whole)).is_err());
    }
}
