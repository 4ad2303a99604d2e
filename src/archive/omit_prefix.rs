//! The storage layouts that name an object's folder by its id without the id's prefix:
//! `0006-flat-omit-prefix-storage-layout` (the rest of the id is the folder) and
//! `0007-n-tuple-omit-prefix-storage-layout` (tuples of the rest, padded and perhaps reversed,
//! then the rest). Other tools make roots with them; quire reads them, checks where their
//! objects stand and writes where the layout puts a new one.

use super::storage_layout::LayoutError;
use serde_json::{json, Value};

pub const FLAT_OMIT_PREFIX: &str = "0006-flat-omit-prefix-storage-layout";
pub const N_TUPLE_OMIT_PREFIX: &str = "0007-n-tuple-omit-prefix-storage-layout";

/// 0007's parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixTuples {
    pub delimiter: String,
    pub tuple_size: usize,
    pub number_of_tuples: usize,
    /// Zeros on the right of a short id (`zeroPadding: "right"`), else on the left.
    pub pad_right: bool,
    pub reverse: bool,
}

/// 0006's `delimiter` from its configuration, which has no default.
pub fn flat_delimiter(config: Option<&Value>) -> Result<String, LayoutError> {
    let delimiter = config.and_then(|c| c.get("delimiter"));
    match delimiter.and_then(Value::as_str) {
        Some(d) if !d.is_empty() => Ok(d.to_string()),
        _ => Err(LayoutError(format!(
            "layout {FLAT_OMIT_PREFIX} needs a `delimiter` (a string of one character or more) \
             in its config.json"
        ))),
    }
}

/// 0007's parameters from its configuration (each has a default).
pub fn tuples(config: Option<&Value>) -> Result<PrefixTuples, LayoutError> {
    let get = |key: &str| config.and_then(|c| c.get(key));
    let bad = |key: &str, what: &str| LayoutError(format!("layout parameter {key} {what}"));
    let delimiter = match get("delimiter") {
        None => ":".to_string(),
        Some(d) => match d.as_str() {
            Some(d) if !d.is_empty() => d.to_string(),
            _ => return Err(bad("delimiter", "is not a string of one character or more")),
        },
    };
    let number = |key: &str| match get(key) {
        None => Ok(3),
        Some(v) => v
            .as_u64()
            .filter(|n| (1..=32).contains(n))
            .map(|n| n as usize)
            .ok_or_else(|| bad(key, "is not a whole number from 1 to 32")),
    };
    let pad_right = match get("zeroPadding").map(|v| v.as_str()) {
        None | Some(Some("left")) => false,
        Some(Some("right")) => true,
        Some(_) => return Err(bad("zeroPadding", "is neither \"left\" nor \"right\"")),
    };
    let reverse = match get("reverseObjectRoot") {
        None => false,
        Some(v) => v
            .as_bool()
            .ok_or_else(|| bad("reverseObjectRoot", "is not true or false"))?,
    };
    Ok(PrefixTuples {
        delimiter,
        tuple_size: number("tupleSize")?,
        number_of_tuples: number("numberOfTuples")?,
        pad_right,
        reverse,
    })
}

/// 0006's folder: the id after the last (ASCII case-insensitive) occurrence of `delimiter`,
/// the whole id when it has none.
pub fn flat_path(delimiter: &str, id: &str) -> Result<String, LayoutError> {
    folder_name(without_prefix(delimiter, id)?, id)
}

/// 0007's folder: the tuples of the id without its prefix (padded with zeros to fill them,
/// reversed when the configuration says), then the id without its prefix.
pub fn tuple_path(t: &PrefixTuples, id: &str) -> Result<String, LayoutError> {
    use unicode_segmentation::UnicodeSegmentation;
    let rest = folder_name(without_prefix(&t.delimiter, id)?, id)?;
    let width = t.tuple_size * t.number_of_tuples;
    // Counted, padded, reversed and split by grapheme: a letter and its accent stay together.
    let mut graphemes: Vec<&str> = rest.graphemes(true).collect();
    let zeros = std::iter::repeat_n("0", width.saturating_sub(graphemes.len()));
    graphemes = match t.pad_right {
        true => graphemes.into_iter().chain(zeros).collect(),
        false => zeros.chain(graphemes).collect(),
    };
    if t.reverse {
        graphemes.reverse();
    }
    let mut parts: Vec<String> = Vec::new();
    for tuple in graphemes[..width].chunks(t.tuple_size) {
        match tuple.concat() {
            // A tuple `.` is the folder it stands in: the path as a file system names it.
            dot if dot == "." => {}
            dots if dots == ".." => {
                return Err(LayoutError(format!(
                    "object id `{id}` makes a tuple `..`, which names no folder of its own"
                )))
            }
            tuple => parts.push(tuple),
        }
    }
    parts.push(rest);
    Ok(parts.join("/"))
}

/// The configuration 0007 writes.
pub fn tuples_config(t: &PrefixTuples) -> Value {
    json!({
        "extensionName": N_TUPLE_OMIT_PREFIX,
        "delimiter": t.delimiter,
        "tupleSize": t.tuple_size,
        "numberOfTuples": t.number_of_tuples,
        "zeroPadding": if t.pad_right { "right" } else { "left" },
        "reverseObjectRoot": t.reverse,
    })
}

/// The id after the last occurrence of `delimiter` (the whole id without one); an id that
/// ends with it names no folder.
fn without_prefix<'a>(delimiter: &str, id: &'a str) -> Result<&'a str, LayoutError> {
    let rest = last_caseless(id, delimiter).map_or(id, |end| &id[end..]);
    if rest.is_empty() {
        return Err(LayoutError(format!(
            "object id `{id}` ends with the layout's delimiter `{delimiter}`: it names no folder"
        )));
    }
    Ok(rest)
}

/// Where the last occurrence of `delimiter` in `id` ends, letters compared without their case
/// (Unicode's lower case, as rocfl compares them).
fn last_caseless(id: &str, delimiter: &str) -> Option<usize> {
    let lower = |s: &str| s.chars().flat_map(char::to_lowercase).collect::<String>();
    let wanted = lower(delimiter);
    let starts = id.char_indices().map(|(at, _)| at).rev();
    starts.into_iter().find_map(|start| {
        let mut end = start;
        let mut read = String::new();
        for c in id[start..].chars() {
            if read.len() >= wanted.len() {
                break;
            }
            read.extend(c.to_lowercase());
            end += c.len_utf8();
        }
        (read == wanted).then_some(end)
    })
}

/// `rest` as one folder's name, or why it cannot be one.
fn folder_name(rest: &str, id: &str) -> Result<String, LayoutError> {
    if rest == "." || rest == ".." || rest.contains('/') || rest.len() > 255 {
        return Err(LayoutError(format!(
            "object id `{id}` without its prefix, `{rest}`, cannot be a folder name"
        )));
    }
    Ok(rest.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_omit_prefix_examples() {
        assert_eq!(flat_path(":", "namespace:12887296").unwrap(), "12887296");
        assert_eq!(
            flat_path(":", "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66").unwrap(),
            "6e8bc430-9c3a-11d9-9669-0800200c9a66"
        );
        assert_eq!(
            flat_path("edu/", "https://institution.edu/abc/edu/f8.05v").unwrap(),
            "f8.05v"
        );
        // Case-insensitive; an id without the delimiter is its own folder.
        assert_eq!(
            flat_path("EDU/", "https://x.edu/3448793").unwrap(),
            "3448793"
        );
        assert_eq!(flat_path(":", "obj10").unwrap(), "obj10");
        assert_eq!(flat_path("É", "xéy").unwrap(), "y");
        // Example 3's ids name no folder on a Unix file system.
        assert!(flat_path("info:", "info:fedora/object-01").is_err());
        assert!(flat_path(":", "ns:").is_err());
        assert!(flat_delimiter(Some(&json!({ "delimiter": "" }))).is_err());
        assert!(flat_delimiter(None).is_err());
    }

    #[test]
    fn n_tuple_omit_prefix_examples() {
        let one = tuples(Some(&json!({
            "delimiter": ":", "tupleSize": 4, "numberOfTuples": 2,
            "zeroPadding": "left", "reverseObjectRoot": true
        })))
        .unwrap();
        for (id, path) in [
            ("namespace:12887296", "6927/8821/12887296"),
            (
                "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
                "66a9/c002/6e8bc430-9c3a-11d9-9669-0800200c9a66",
            ),
            ("abc123", "321c/ba00/abc123"),
        ] {
            assert_eq!(tuple_path(&one, id).unwrap(), path, "{id}");
        }
        let two = tuples(Some(&json!({
            "delimiter": "edu/", "tupleSize": 3, "numberOfTuples": 3,
            "zeroPadding": "right", "reverseObjectRoot": false
        })))
        .unwrap();
        for (id, path) in [
            ("https://institution.edu/3448793", "344/879/300/3448793"),
            (
                "https://institution.edu/abc/edu/f8.05v",
                "f8./05v/000/f8.05v",
            ),
        ] {
            assert_eq!(tuple_path(&two, id).unwrap(), path, "{id}");
        }
        assert_eq!(tuples(Some(&tuples_config(&two))).unwrap(), two);
        // A tuple `.` is its folder; a letter keeps its accent.
        let small = tuples(Some(&json!({ "tupleSize": 1, "numberOfTuples": 2 }))).unwrap();
        assert_eq!(tuple_path(&small, "ns:a.b").unwrap(), "a/a.b");
        assert_eq!(
            tuple_path(&small, "ns:e\u{301}x").unwrap(),
            "e\u{301}/x/e\u{301}x"
        );
        let pairs = tuples(Some(&json!({ "tupleSize": 2, "numberOfTuples": 1 }))).unwrap();
        assert!(tuple_path(&pairs, "ns:..x").is_err());
        for bad in [
            json!({ "tupleSize": 0 }),
            json!({ "numberOfTuples": 33 }),
            json!({ "zeroPadding": "middle" }),
            json!({ "reverseObjectRoot": "yes" }),
        ] {
            assert!(tuples(Some(&bad)).is_err(), "{bad}");
        }
    }
}
