//! What the web edition knows of the whole archive before it writes a page: every issue's head
//! metadata and version list, in the order a reader meets them (newest cover date first,
//! undated issues after the dated ones by their first version's created time), the sections
//! across issues and the latest updated articles. Bodies and files are read later, and only
//! for the issues whose pages must be written.

use crate::archive::{Archive, ArchiveError, DigestAlgorithm, ObjectEntry, VersionNum};
use crate::export::feeds::archive_title;
use crate::model::{Article, IsoDate, Issue};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// One version of an issue, as its inventory records it.
#[derive(Debug, Clone)]
pub struct VersionInfo {
    pub version: VersionNum,
    /// RFC 3339.
    pub created: String,
    pub message: Option<String>,
}

/// One issue: its object, its head metadata, its versions.
#[derive(Debug, Clone)]
pub struct IssueEntry {
    pub entry: ObjectEntry,
    /// The head's metadata.
    pub issue: Issue,
    pub head: VersionNum,
    /// Oldest first.
    pub versions: Vec<VersionInfo>,
    /// A digest of the object's root inventory: the pages of the issue are up to date when it
    /// is the one they were written from.
    pub key: String,
    /// The digest of the head's cover image, when it has one.
    pub cover_digest: Option<String>,
}

impl IssueEntry {
    pub fn id(&self) -> &str {
        &self.issue.id
    }

    /// The year of the cover date, or "Undated": what the site groups and filters issues by.
    pub fn year(&self) -> String {
        self.issue
            .date
            .map_or_else(|| "Undated".to_string(), |d| d.year.to_string())
    }

    /// The created time of the first version.
    pub fn first_created(&self) -> &str {
        self.versions.first().map_or("", |v| v.created.as_str())
    }
}

/// Every issue of the archive, in reading order (see the module documentation).
#[derive(Debug, Clone)]
pub struct Catalog {
    pub issues: Vec<IssueEntry>,
    /// Objects left out, each with the reason (not an issue quire wrote, an issue id that
    /// another object already has).
    pub skipped: Vec<String>,
}

/// An article of an issue's head, with its issue.
#[derive(Debug, Clone, Copy)]
pub struct Placed<'a> {
    pub issue: &'a IssueEntry,
    pub article: &'a Article,
}

/// A column across issues.
#[derive(Debug, Clone)]
pub struct SectionAcross<'a> {
    /// The name as the newest issue that has the section writes it.
    pub name: String,
    /// Its articles, issue by issue in reading order, each issue's in its own order.
    pub articles: Vec<Placed<'a>>,
}

impl Catalog {
    /// Reads every object's head metadata and version list.
    pub fn read(archive: &Archive) -> Result<Catalog, ArchiveError> {
        let mut issues: Vec<IssueEntry> = Vec::new();
        // An object whose inventory cannot be read is left out and named, not the end of the
        // site (as `list`, `export all` and `feeds` do).
        let found = archive.head_issues()?;
        let mut skipped = found.left_out;
        for (object, issue) in found.issues {
            let entry = object.entry();
            if let Some(first) = issues.iter().find(|i| i.issue.id == issue.id) {
                skipped.push(format!(
                    "{}: issue id `{}` is already the id of {}",
                    entry.id, issue.id, first.entry.id
                ));
                continue;
            }
            let inventory = object.inventory();
            let versions = inventory
                .versions
                .iter()
                .map(|(version, v)| VersionInfo {
                    version: *version,
                    created: v.created.clone(),
                    message: v.message.clone(),
                })
                .collect();
            let cover_digest = (issue.cover.as_ref())
                .filter(|c| shows(&object, c))
                .and_then(|c| object.state(object.head()).remove(c));
            issues.push(IssueEntry {
                key: DigestAlgorithm::Sha256.digest(&inventory.to_json()),
                cover_digest,
                head: object.head(),
                entry,
                issue,
                versions,
            });
        }
        issues.sort_by(reading_order);
        Ok(Catalog { issues, skipped })
    }

    /// The newest issue: the one the home page shows.
    pub fn current(&self) -> Option<&IssueEntry> {
        self.issues.first()
    }

    /// The name the site goes by: the title `quire.toml` gives the archive (`configured`),
    /// else its publication's, else a plain description (see [`archive_title`]).
    pub fn site_name(&self, configured: Option<&str>) -> String {
        archive_title(
            configured,
            self.issues
                .iter()
                .map(|i| i.issue.publication.title.as_str()),
        )
    }

    /// The `count` articles updated last, across every issue's head (articles without an
    /// update or publication date are left out); the newest first, ties in reading order.
    pub fn latest_headlines(&self, count: usize) -> Vec<Placed<'_>> {
        let mut dated: Vec<(IsoDate, usize, Placed)> = Vec::new();
        for issue in &self.issues {
            for article in issue.issue.articles() {
                if let Some(date) = article.updated.or(article.published) {
                    let order = dated.len();
                    dated.push((date, order, Placed { issue, article }));
                }
            }
        }
        dated.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        dated.into_iter().take(count).map(|(_, _, p)| p).collect()
    }

    /// Every section of every issue's head, by slug (see [`super::paths::section_slug`]).
    pub fn sections(&self) -> BTreeMap<String, SectionAcross<'_>> {
        let mut sections: BTreeMap<String, SectionAcross> = BTreeMap::new();
        for issue in &self.issues {
            for section in &issue.issue.sections {
                let Some(name) = &section.name else {
                    continue;
                };
                let across = sections
                    .entry(super::paths::section_slug(name))
                    .or_insert_with(|| SectionAcross {
                        name: name.clone(),
                        articles: Vec::new(),
                    });
                for article in &section.articles {
                    across.articles.push(Placed { issue, article });
                }
            }
        }
        sections
    }
}

/// Whether the site can show the head's cover at `path`: not an SVG that does not parse (the
/// site carries an SVG only cleaned, and cannot clean that one).
fn shows(object: &crate::archive::Object, path: &str) -> bool {
    !path.to_ascii_lowercase().ends_with(".svg")
        || (object.read(object.head(), path))
            .is_ok_and(|bytes| crate::export::svg::clean(path, &bytes).is_ok())
}

/// Dated issues first, newest cover date first; then undated ones, newest first version
/// first; ties by id.
fn reading_order(a: &IssueEntry, b: &IssueEntry) -> Ordering {
    let created = |i: &IssueEntry| instant(i.first_created());
    match (a.issue.date, b.issue.date) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| created(b).cmp(&created(a)))
    .then_with(|| a.id().cmp(b.id()))
}

/// An RFC 3339 time as seconds since the epoch (an unreadable time sorts first).
pub fn instant(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|d| d.timestamp())
        .unwrap_or(i64::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn entry(id: &str, date: Option<&str>, created: &str) -> IssueEntry {
        let date = date
            .map(|d| format!("date = \"{d}\"\n"))
            .unwrap_or_default();
        let text = format!(
            "[publication]\ntitle = \"P\"\n[issue]\nid = \"{id}\"\n{date}\n[[articles]]\nid = \"a\"\ntitle = \"A\"\nbody = \"articles/a.md\"\n"
        );
        let files = BTreeSet::from(["articles/a.md".to_string()]);
        IssueEntry {
            entry: ObjectEntry {
                id: format!("urn:quire:{id}"),
                path: id.into(),
            },
            issue: Issue::parse(&text, "issue.toml", &files).unwrap(),
            head: VersionNum::first(),
            versions: vec![VersionInfo {
                version: VersionNum::first(),
                created: created.into(),
                message: None,
            }],
            key: String::new(),
            cover_digest: None,
        }
    }

    #[test]
    fn dated_issues_come_newest_first_and_undated_ones_after_by_their_first_version() {
        let mut issues = [
            entry("old", Some("2010-06"), "2026-01-01T00:00:00Z"),
            entry("undated-early", None, "2020-01-01T00:00:00Z"),
            entry("new", Some("2011"), "2025-01-01T00:00:00Z"),
            entry("undated-late", None, "2021-01-01T00:00:00+02:00"),
        ];
        issues.sort_by(reading_order);
        let ids: Vec<&str> = issues.iter().map(|i| i.id()).collect();
        assert_eq!(ids, ["new", "old", "undated-late", "undated-early"]);
    }
}
