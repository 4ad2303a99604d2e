//! The search index: every article of every issue's head, indexed with pagefind's Rust API
//! into `pagefind/`, which the search page's script queries in the browser (no server-side
//! search, no npm, no separate binary). Each article is a record with its title, issue,
//! section and date, filters by issue, section and year, and its language (its own, or its
//! issue's), so that words are stemmed (and CJK text segmented) as that language needs. An
//! article with no language is indexed in the main language of the archive (the one most
//! articles declare, English when none does).
//!
//! pagefind keeps one index per language and a page searches the index of its own `lang`, so
//! there is one search page per language (see [`super::pages`]).

use super::body::escape;
use super::catalog::IssueEntry;
use super::paths;
use super::view::Site;
use super::{SiteError, SiteFile};
use crate::archive::Archive;
use crate::model::body::plain_text;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The folder the index goes into, at the site's root.
pub const FOLDER: &str = "pagefind/";

/// Files pagefind makes that the site does not use (its ready-made interfaces).
const UNUSED: &[&str] = &[
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
];

/// One article as the index holds it.
struct Record {
    url: String,
    content: String,
    language: String,
    meta: BTreeMap<String, String>,
    filters: BTreeMap<String, Vec<String>>,
}

/// The built index and what the search pages offer.
pub struct SearchIndex {
    /// The language of `search/`: the archive's main one.
    pub main_language: String,
    /// Every language indexed, the main one first.
    pub languages: Vec<String>,
    /// Filter name → values, in the order the search page lists them.
    filters: BTreeMap<&'static str, Vec<String>>,
    pub files: Vec<SiteFile>,
    pub records: usize,
}

impl SearchIndex {
    /// The values of a filter (`issue`, `section`, `year`), as the search page lists them.
    pub fn filter_values(&self, name: &str) -> Vec<String> {
        self.filters.get(name).cloned().unwrap_or_default()
    }
}

/// The primary language subtag pagefind indexes by (`zh` for `zh-Hans`).
fn primary(tag: &str) -> String {
    tag.split('-').next().unwrap_or(tag).to_ascii_lowercase()
}

/// Indexes every article of every issue's head.
pub fn build(site: &Site, archive: &Archive) -> Result<SearchIndex, SiteError> {
    let main_language = main_language(site);
    let per_issue: Vec<Vec<Record>> = site
        .catalog
        .issues
        .par_iter()
        .map(|issue| issue_records(site, archive, issue, &main_language))
        .collect::<Result<_, SiteError>>()?;
    let records: Vec<Record> = per_issue.into_iter().flatten().collect();
    let mut languages: Vec<String> = records.iter().map(|r| r.language.clone()).collect();
    languages.sort();
    languages.dedup();
    languages.retain(|l| *l != main_language);
    languages.insert(0, main_language.clone());
    let filters = filter_values(site);
    let count = records.len();
    let files = if records.is_empty() {
        Vec::new()
    } else {
        index_files(records)?
    };
    Ok(SearchIndex {
        main_language,
        languages,
        filters,
        files,
        records: count,
    })
}

/// The language most articles declare (English when none does).
fn main_language(site: &Site) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for issue in &site.catalog.issues {
        for article in issue.issue.articles() {
            if let Some(language) = article.language_in(&issue.issue) {
                *counts.entry(primary(language)).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map_or_else(|| "en".to_string(), |(language, _)| language)
}

/// The records of one issue's head articles.
fn issue_records(
    site: &Site,
    archive: &Archive,
    issue: &IssueEntry,
    main_language: &str,
) -> Result<Vec<Record>, SiteError> {
    let object = archive.object_at(&issue.entry)?;
    let meta = &issue.issue;
    let label = site.issue_label(issue);
    let year = issue.year();
    let sections = site.catalog.sections();
    let mut records = Vec::new();
    for article in meta.articles() {
        let bytes = object.read(issue.head, &article.body)?;
        let text = plain_text(&String::from_utf8_lossy(&bytes));
        // pagefind searches every metadata field: the issue's label (the publication's name,
        // the issue's title) and the section go in filters only, or their words would find
        // every article of the issue or section.
        let mut record_meta = BTreeMap::from([("title".to_string(), article.title.clone())]);
        let mut filters = BTreeMap::from([
            ("issue".to_string(), vec![label.clone()]),
            ("year".to_string(), vec![year.clone()]),
        ]);
        if let Some(section) = &article.section {
            // Every issue's spelling of a section goes by the one name the site gives it.
            let name = sections
                .get(&paths::section_slug(section))
                .map_or(section.clone(), |s| s.name.clone());
            filters.insert("section".into(), vec![name]);
        }
        if let Some(date) = article.updated.or(article.published) {
            record_meta.insert("date".into(), super::view::when(date).text);
        }
        let folder = paths::article(issue.id(), None, &article.id);
        records.push(Record {
            url: format!("{folder}{}", paths::INDEX),
            content: escape(&format!("{}. {text}", article.title)),
            language: article
                .language_in(meta)
                .map_or_else(|| main_language.to_string(), primary),
            meta: record_meta,
            filters,
        });
    }
    Ok(records)
}

/// The values of each filter, in the order the search page offers them: issues in reading
/// order, sections by name, years newest first.
fn filter_values(site: &Site) -> BTreeMap<&'static str, Vec<String>> {
    let issues: Vec<String> = site
        .catalog
        .issues
        .iter()
        .map(|i| site.issue_label(i))
        .collect();
    let mut sections: Vec<String> = site
        .catalog
        .sections()
        .into_values()
        .map(|s| s.name)
        .collect();
    sections.sort_by_key(|s| s.to_lowercase());
    let mut years: Vec<String> = Vec::new();
    for issue in &site.catalog.issues {
        let year = issue.year();
        if !years.contains(&year) {
            years.push(year);
        }
    }
    BTreeMap::from([("issue", issues), ("section", sections), ("year", years)])
}

/// Runs pagefind over the records and returns the files of the index.
fn index_files(records: Vec<Record>) -> Result<Vec<SiteFile>, SiteError> {
    let search = |cause: Box<dyn std::error::Error + Send + Sync>| SiteError::Search { cause };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| search(e.into()))?;
    let files = runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .keep_index_url(true)
            .verbose(false)
            .build();
        let mut index = PagefindIndex::new(Some(config))?;
        for record in records {
            index
                .add_custom_record(
                    record.url,
                    record.content,
                    record.language,
                    Some(record.meta),
                    Some(record.filters),
                    None,
                )
                .await?;
        }
        index.get_files().await
    });
    let files = files.map_err(|e| search(e.into()))?;
    let mut out: Vec<SiteFile> = files
        .into_iter()
        .filter_map(|file| {
            let name = file.filename.to_string_lossy().replace('\\', "/");
            (!UNUSED.contains(&name.as_str())).then(|| SiteFile {
                path: format!("{FOLDER}{name}"),
                bytes: file.contents,
            })
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
