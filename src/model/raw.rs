//! `issue.toml` as written, read leniently so that one reading finds every problem: each
//! checked value is a [`Field`] that keeps its failure (with its place) instead of stopping
//! the reading, and keys the format does not have are found by a walk over the document
//! ([`unknown_keys`]), not by serde, which would stop at the first.

use super::{check_identifier, check_language, IsoDate, Pages};
use serde::de::{self, DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer};
use std::ops::Range;
use toml::Spanned;

/// A value and where it stands, or why it is not acceptable.
pub(super) struct Field<T> {
    pub span: Range<usize>,
    pub value: Result<T, String>,
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Spanned::<toml::Value>::deserialize(d)?;
        let span = raw.span();
        let value = T::deserialize(raw.into_inner()).map_err(|e| e.message().trim_end().into());
        Ok(Field { span, value })
    }
}

#[derive(Deserialize)]
pub(super) struct RawIssueFile {
    pub publication: RawPublication,
    pub issue: RawIssue,
    #[serde(default)]
    pub articles: Vec<RawArticle>,
}

#[derive(Deserialize)]
pub(super) struct RawPublication {
    pub title: Field<Text>,
    pub issn: Option<Field<Issn>>,
    pub publisher: Option<Field<Text>>,
    pub language: Option<Field<LanguageTag>>,
}

#[derive(Deserialize)]
pub(super) struct RawIssue {
    pub id: Field<IssueId>,
    pub title: Option<Field<Text>>,
    pub volume: Option<Field<Numbering>>,
    pub number: Option<Field<Numbering>>,
    pub date: Option<Field<IsoDate>>,
    pub language: Option<Field<LanguageTag>>,
    pub cover: Option<Spanned<String>>,
}

#[derive(Deserialize)]
pub(super) struct RawArticle {
    pub id: Field<ArticleId>,
    pub title: Field<Text>,
    pub deck: Option<Field<Text>>,
    pub authors: Option<Field<Vec<Text>>>,
    pub section: Option<Field<Text>>,
    pub updated: Option<Field<IsoDate>>,
    pub published: Option<Field<IsoDate>>,
    pub pages: Option<Field<Pages>>,
    pub language: Option<Field<LanguageTag>>,
    pub body: Spanned<String>,
    #[serde(default)]
    pub images: Vec<RawImage>,
    #[serde(default)]
    pub sources: Vec<RawSource>,
}

#[derive(Deserialize)]
pub(super) struct RawImage {
    pub file: Spanned<String>,
    pub alt: Option<Field<Text>>,
    pub caption: Option<Field<Text>>,
    pub credit: Option<Field<Text>>,
}

#[derive(Deserialize)]
pub(super) struct RawSource {
    pub file: Spanned<String>,
    pub page: Option<Field<u32>>,
    pub url: Option<Field<WebAddress>>,
    pub site: Option<Field<Text>>,
    pub captured: Option<Field<Timestamp>>,
    pub record: Option<Field<Text>>,
    pub original: Option<Field<Text>>,
    pub original_sha256: Option<Field<Sha256>>,
}

/// The keys a table of `issue.toml` may hold: the fields of its raw struct, as serde's derive
/// names them when it asks for a struct (the one list, so that a field added to a struct is a
/// key the walk knows).
fn keys_of<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    // The deserializer stops as soon as it has the names: the error is expected.
    let _ = T::deserialize(FieldNames(&mut fields));
    fields
}

/// A deserializer that only records the field names a struct asks for.
struct FieldNames<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("field names read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// Every key of the document that its table does not have, with its place and a message
/// (`pages` checks its own keys as a [`Field`]). Nothing when the text is not TOML: the reading
/// reports that.
pub(super) fn unknown_keys(text: &str) -> Vec<(Range<usize>, String)> {
    let Ok(document) = toml_edit::Document::parse(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let top = document.as_table();
    check_keys(top, keys_of::<RawIssueFile>(), &mut found);
    for (name, keys) in [
        ("publication", keys_of::<RawPublication>()),
        ("issue", keys_of::<RawIssue>()),
    ] {
        if let Some(table) = top.get(name).and_then(|item| item.as_table_like()) {
            check_keys(table, keys, &mut found);
        }
    }
    for article in tables_in(top.get("articles")) {
        check_keys(article, keys_of::<RawArticle>(), &mut found);
        for (name, keys) in [
            ("images", keys_of::<RawImage>()),
            ("sources", keys_of::<RawSource>()),
        ] {
            for table in tables_in(article.get(name)) {
                check_keys(table, keys, &mut found);
            }
        }
    }
    found
}

/// The tables of an array of tables (`[[articles]]`) or of an array of inline tables.
fn tables_in(item: Option<&toml_edit::Item>) -> Vec<&dyn toml_edit::TableLike> {
    match item {
        Some(toml_edit::Item::ArrayOfTables(tables)) => tables
            .iter()
            .map(|t| t as &dyn toml_edit::TableLike)
            .collect(),
        Some(toml_edit::Item::Value(toml_edit::Value::Array(array))) => array
            .iter()
            .filter_map(|v| v.as_inline_table())
            .map(|t| t as &dyn toml_edit::TableLike)
            .collect(),
        _ => Vec::new(),
    }
}

fn check_keys(
    table: &dyn toml_edit::TableLike,
    allowed: &[&str],
    found: &mut Vec<(Range<usize>, String)>,
) {
    for (name, _) in table.iter() {
        if allowed.contains(&name) {
            continue;
        }
        let span = table
            .get_key_value(name)
            .and_then(|(key, _)| key.span())
            .unwrap_or(0..0);
        let expected: Vec<String> = allowed.iter().map(|k| format!("`{k}`")).collect();
        found.push((
            span,
            format!(
                "unknown field `{name}`, expected one of {}",
                expected.join(", ")
            ),
        ));
    }
}

macro_rules! checked_string {
    ($name:ident, $check:expr) => {
        pub(super) struct $name(pub String);
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                let check: fn(&str) -> Result<(), String> = $check;
                check(&text).map_err(serde::de::Error::custom)?;
                Ok($name(text))
            }
        }
    };
}

/// A Unicode noncharacter (U+FDD0 to U+FDEF, and the last two code points of every plane).
fn is_noncharacter(c: char) -> bool {
    let code = c as u32;
    (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE
}

checked_string!(IssueId, check_identifier);
checked_string!(Text, |s| {
    if s.trim().is_empty() {
        Err("is empty: leave the field out instead".into())
    } else if let Some(c) = s.chars().find(|c| c.is_control()) {
        Err(format!("contains the control character U+{:04X}", c as u32))
    } else if let Some(c) = s.chars().find(|&c| is_noncharacter(c)) {
        Err(format!(
            "contains the noncharacter U+{:04X}, which no edition can carry (XML and HTML refuse it)",
            c as u32
        ))
    } else {
        Ok(())
    }
});
checked_string!(ArticleId, check_identifier);
checked_string!(Issn, check_issn);
checked_string!(LanguageTag, check_language);
checked_string!(WebAddress, |s| {
    match url::Url::parse(s) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(()),
        _ => Err(format!("`{s}` is not an absolute http or https address")),
    }
});
checked_string!(Timestamp, |s| {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|_| ())
        .map_err(|_| format!("`{s}` is not an RFC 3339 time like 2024-05-03T10:20:00Z"))
});
checked_string!(Sha256, |s| {
    if s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(())
    } else {
        Err(format!(
            "`{s}` is not a sha256 digest (64 lowercase hex digits)"
        ))
    }
});

/// An ISSN: `1234-567X`, with a right check digit.
fn check_issn(s: &str) -> Result<(), String> {
    let valid = s.len() == 9
        && s.as_bytes()[4] == b'-'
        && s.bytes()
            .enumerate()
            .all(|(i, b)| i == 4 || b.is_ascii_digit() || (i == 8 && b == b'X'));
    if !valid {
        return Err(format!("`{s}` is not an ISSN like 1234-567X"));
    }
    let digits: Vec<u32> = s
        .bytes()
        .filter(|b| *b != b'-')
        .map(|b| if b == b'X' { 10 } else { (b - b'0') as u32 })
        .collect();
    let sum: u32 = digits
        .iter()
        .take(7)
        .enumerate()
        .map(|(i, d)| d * (8 - i as u32))
        .sum();
    let check = (11 - sum % 11) % 11;
    if check != digits[7] {
        return Err(format!("ISSN `{s}` has a wrong check digit"));
    }
    Ok(())
}

/// A volume or issue number: an integer, or text for forms like `24-25`.
pub(super) struct Numbering(pub String);

impl<'de> Deserialize<'de> for Numbering {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Numbering;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a positive integer or a string like \"24-25\"")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Numbering, E> {
                if v < 1 {
                    return Err(E::custom(format!("{v} is not a positive integer")));
                }
                Ok(Numbering(v.to_string()))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Numbering, E> {
                if v.trim().is_empty() {
                    return Err(E::custom("is empty"));
                }
                Ok(Numbering(v.to_string()))
            }
        }
        d.deserialize_any(Visitor)
    }
}
