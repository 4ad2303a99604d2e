//! Where an import's captures go under `sources/` in an issue that keeps captures already.
//! Crawlers name every page alike (`index.html`), so a name says little: a new capture of an
//! article replaces that article's own (the earlier version keeps the old bytes, as OCFL
//! keeps them), and the capture of another page whose name is taken gets a longer one, as
//! captures of one import are kept apart.

use super::inputs::{self, Capture};
use super::{issue_file, WebArticle};
use crate::archive::Object;
use std::collections::{BTreeMap, BTreeSet};
use toml_edit::DocumentMut;

/// The issue's head as an import sees it: its files and its `issue.toml`.
pub struct Head<'a> {
    object: &'a Object<'a>,
    pub doc: &'a DocumentMut,
    files: BTreeMap<String, String>,
}

/// The issue's article an imported article is a new capture of: its id and its body.
pub type Existing = Option<(String, String)>;

impl<'a> Head<'a> {
    pub fn new(object: &'a Object<'a>, doc: &'a DocumentMut) -> Head<'a> {
        let files = object.state(object.head());
        Head { object, doc, files }
    }

    fn has(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// True when the head keeps `path` with exactly `bytes`.
    fn holds(&self, path: &str, bytes: &[u8]) -> bool {
        self.has(path)
            && self
                .object
                .read(self.object.head(), path)
                .is_ok_and(|stored| stored == bytes)
    }
}

/// For each article, the issue's article it is a new capture of (see
/// [`issue_file::existing`]): a capture file under the same name counts only with the same
/// bytes.
pub fn match_existing(
    head: Option<&Head>,
    articles: &[WebArticle],
    captures: &[Capture],
) -> Vec<Existing> {
    articles
        .iter()
        .map(|article| {
            let head = head?;
            let same_file = |stored: &str| {
                let name = stored.strip_prefix("sources/").unwrap_or(stored);
                captures
                    .iter()
                    .any(|c| c.path.is_some() && c.source == name && head.holds(stored, &c.bytes))
            };
            issue_file::existing(head.doc, article, &same_file)
        })
        .collect()
}

/// Gives each capture file a name under `sources/` that holds no other page's capture: its
/// own name when that is free, the same bytes, or a capture of the article it updates; else
/// the name lengthened by its folders, or numbered (`index-2.html`). The articles' sources
/// follow.
pub fn place_captures(
    head: &Head,
    captures: &mut [Capture],
    articles: &mut [WebArticle],
    matches: &[Existing],
) {
    let owned = issue_file::capture_files(head.doc);
    let mut taken: BTreeSet<String> = captures.iter().map(|c| c.source.clone()).collect();
    for capture in captures.iter_mut() {
        let Some(path) = capture.path.as_deref() else {
            continue;
        };
        let names_it = |a: &WebArticle| {
            a.sources
                .iter()
                .any(|s| s.record.is_none() && s.file == capture.source)
        };
        let Some(k) = articles.iter().position(names_it) else {
            continue;
        };
        let own = matches[k].as_ref().and_then(|(id, _)| owned.get(id));
        let free = |name: &str| {
            let stored = format!("sources/{name}");
            !head.has(&stored)
                || head.holds(&stored, &capture.bytes)
                || own.is_some_and(|files| files.contains(&stored))
        };
        if free(&capture.source) {
            continue;
        }
        let Some(name) = inputs::longer_names(path, &capture.source)
            .find(|name| free(name) && !taken.contains(name))
        else {
            continue;
        };
        let renamed = articles[k]
            .sources
            .iter_mut()
            .filter(|s| s.record.is_none() && s.file == capture.source);
        for source in renamed {
            source.file = name.clone();
        }
        taken.insert(name.clone());
        capture.source = name;
    }
}

/// The captures (`sources/…`) of the articles this import updates that no other article
/// names: replaced by the new captures (those under the same name written again).
pub fn replaced_captures(head: &Head, matches: &[Existing]) -> BTreeSet<String> {
    let owned = issue_file::capture_files(head.doc);
    let updated: BTreeSet<&str> = matches
        .iter()
        .flatten()
        .map(|(id, _)| id.as_str())
        .collect();
    let kept_by_others: BTreeSet<&String> = owned
        .iter()
        .filter(|(id, _)| !updated.contains(id.as_str()))
        .flat_map(|(_, files)| files)
        .collect();
    updated
        .iter()
        .filter_map(|id| owned.get(*id))
        .flatten()
        .filter(|file| !kept_by_others.contains(file))
        .cloned()
        .collect()
}
