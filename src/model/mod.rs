//! The publication, issue, section and article types, and the strict reading of `issue.toml`.
//!
//! Nothing here knows about storage or output: the archive stores an issue's source folder as
//! it is, and every reader (show, diff, exports) parses `issue.toml` back through this module.

mod date;
pub mod diff;
mod id;
pub mod source;

pub use date::IsoDate;
pub use id::{issue_id, object_id, OBJECT_ID_PREFIX};
pub use source::{SourceFolder, SourceFolderError};

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use toml::Spanned;

/// The file that describes an issue, at the top of its source folder.
pub const ISSUE_FILE: &str = "issue.toml";

/// A periodical.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Publication {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// One issue of a publication, with its sections in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub id: String,
    pub publication: Publication,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The cover date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<IsoDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The cover image, a path in the source folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cover: Option<String>,
    pub sections: Vec<Section>,
}

/// A run of articles under one column heading; `name` is `None` for articles that the
/// source does not place in any section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub articles: Vec<Article>,
}

/// One article. `body` is the path of its CommonMark file in the source folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Article {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deck: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<IsoDate>,
    /// First publication, when the source gives it apart from the update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<IsoDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<Pages>,
    pub body: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<Image>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceRef>,
}

/// Where an article sits in a multi-page original: only what the capture shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pages {
    /// The page this article text is, when the capture marks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The total number of pages, when the capture gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// The page numbers the capture's page bar lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub listed: Vec<u32>,
    /// Pages of the article that no capture holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<u32>,
}

/// An image of an article, a file in the source folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Image {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
}

/// An original capture an article came from, and which page of the article it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

impl Issue {
    /// All articles in reading order.
    pub fn articles(&self) -> impl Iterator<Item = &Article> {
        self.sections.iter().flat_map(|s| s.articles.iter())
    }

    /// "Publication: Issue title", or the publication alone when the issue has no title.
    pub fn full_title(&self) -> String {
        match &self.title {
            Some(title) => format!("{}: {title}", self.publication.title),
            None => self.publication.title.clone(),
        }
    }

    /// The articles' authors, each once, in reading order.
    pub fn authors(&self) -> Vec<&str> {
        let mut authors: Vec<&str> = Vec::new();
        for author in self.articles().flat_map(|a| a.authors.iter()) {
            if !authors.contains(&author.as_str()) {
                authors.push(author);
            }
        }
        authors
    }

    /// The issue's language, or else the publication's.
    pub fn language(&self) -> Option<&str> {
        self.language
            .as_deref()
            .or(self.publication.language.as_deref())
    }

    /// Parses `issue.toml`. `origin` names the file in messages; `files` are the paths present
    /// in the source folder (or archived version), which every reference must name.
    pub fn parse(
        text: &str,
        origin: &str,
        files: &BTreeSet<String>,
    ) -> Result<Issue, SourceFolderError> {
        let raw: RawIssueFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            SourceFolderError::one(origin, line, e.message().trim_end().to_string())
        })?;
        let mut problems = Vec::new();
        let mut problem = |span: std::ops::Range<usize>, message: String| {
            problems.push(source::Problem::new(
                origin.to_string(),
                Some(line_of(text, span.start)),
                message,
            ));
        };
        let check_file =
            |field: &Spanned<String>,
             what: &str,
             problem: &mut dyn FnMut(std::ops::Range<usize>, String)| {
                let path = field.get_ref();
                // Each kind of file has its folder.
                let folder = match what {
                    "body" => "articles/",
                    "source" => "sources/",
                    _ => "assets/",
                };
                if let Err(message) = source::check_relative_path(path) {
                    problem(field.span(), format!("{what} `{path}`: {message}"));
                } else if !path.starts_with(folder) {
                    problem(field.span(), format!("{what} `{path}` must be in {folder}"));
                } else if !files.contains(path) {
                    problem(
                        field.span(),
                        format!("{what} `{path}` is not in the source folder"),
                    );
                }
            };

        if let Some(cover) = &raw.issue.cover {
            check_file(cover, "cover", &mut problem);
        }
        let mut sections: Vec<Section> = Vec::new();
        let mut ended_sections: BTreeMap<Option<String>, usize> = BTreeMap::new();
        let mut ids: BTreeMap<String, usize> = BTreeMap::new();
        for raw_article in raw.articles {
            let id = raw_article.id.get_ref().0.clone();
            let line = line_of(text, raw_article.id.span().start);
            if let Some(first) = ids.insert(id.clone(), line) {
                problem(
                    raw_article.id.span(),
                    format!("duplicate article id `{id}` (first used on line {first})"),
                );
            }
            check_file(&raw_article.body, "body", &mut problem);
            if !raw_article.body.get_ref().ends_with(".md") {
                problem(
                    raw_article.body.span(),
                    format!(
                        "body `{}` must be a Markdown file (.md)",
                        raw_article.body.get_ref()
                    ),
                );
            }
            for image in &raw_article.images {
                check_file(&image.file, "image", &mut problem);
            }
            for source in &raw_article.sources {
                check_file(&source.file, "source", &mut problem);
            }
            if let Some(pages) = &raw_article.pages {
                if let Err(message) = check_pages(pages) {
                    problem(
                        raw_article.id.span(),
                        format!("article `{id}`: pages: {message}"),
                    );
                }
            }
            let section = raw_article.section.as_ref().map(|s| s.get_ref().0.clone());
            let continues = sections.last().is_some_and(|s| s.name == section);
            if !continues {
                if let Some(previous) = sections.last() {
                    ended_sections.insert(previous.name.clone(), sections.len() - 1);
                }
                if ended_sections.contains_key(&section) {
                    let name = section.as_deref().unwrap_or("(no section)");
                    problem(
                        raw_article.section.as_ref().map(|s| s.span()).unwrap_or(raw_article.id.span()),
                        format!("article `{id}` is in section `{name}`, whose articles already ended above: keep a section's articles together"),
                    );
                }
                sections.push(Section {
                    name: section.clone(),
                    articles: Vec::new(),
                });
            }
            let article = Article {
                id,
                title: raw_article.title.0,
                deck: raw_article.deck.map(|t| t.0),
                authors: raw_article.authors.into_iter().map(|t| t.0).collect(),
                section,
                updated: raw_article.updated,
                published: raw_article.published,
                pages: raw_article.pages,
                body: raw_article.body.into_inner(),
                images: raw_article
                    .images
                    .into_iter()
                    .map(|i| Image {
                        file: i.file.into_inner(),
                        alt: i.alt.map(|t| t.0),
                        caption: i.caption.map(|t| t.0),
                        credit: i.credit.map(|t| t.0),
                    })
                    .collect(),
                sources: raw_article
                    .sources
                    .into_iter()
                    .map(|s| SourceRef {
                        file: s.file.into_inner(),
                        page: s.page,
                    })
                    .collect(),
            };
            sections
                .last_mut()
                .expect("pushed above")
                .articles
                .push(article);
        }
        if !problems.is_empty() {
            return Err(SourceFolderError { problems });
        }
        Ok(Issue {
            id: raw.issue.id.0,
            publication: Publication {
                title: raw.publication.title.0,
                issn: raw.publication.issn.map(|v| v.0),
                publisher: raw.publication.publisher.map(|t| t.0),
                language: raw.publication.language.map(|v| v.0),
            },
            title: raw.issue.title.map(|t| t.0),
            volume: raw.issue.volume.map(|v| v.0),
            number: raw.issue.number.map(|n| n.0),
            date: raw.issue.date,
            language: raw.issue.language.map(|v| v.0),
            cover: raw.issue.cover.map(Spanned::into_inner),
            sections,
        })
    }
}

/// Page numbers start at 1, and none is beyond the page count.
fn check_pages(pages: &Pages) -> Result<(), String> {
    let all = pages.page.iter().chain(&pages.listed).chain(&pages.missing);
    if let Some(zero) = all.clone().find(|n| **n == 0) {
        return Err(format!(
            "page {zero} does not exist: pages are numbered from 1"
        ));
    }
    if pages.count == Some(0) {
        return Err("count is 0".into());
    }
    if let (Some(count), Some(beyond)) =
        (pages.count, all.clone().find(|n| Some(**n) > pages.count))
    {
        return Err(format!("page {beyond} is beyond the count of {count}"));
    }
    Ok(())
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIssueFile {
    publication: RawPublication,
    issue: RawIssue,
    #[serde(default)]
    articles: Vec<RawArticle>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPublication {
    title: Text,
    issn: Option<Issn>,
    publisher: Option<Text>,
    language: Option<LanguageTag>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIssue {
    id: IssueId,
    title: Option<Text>,
    volume: Option<Numbering>,
    number: Option<Numbering>,
    date: Option<IsoDate>,
    language: Option<LanguageTag>,
    cover: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArticle {
    id: Spanned<ArticleId>,
    title: Text,
    deck: Option<Text>,
    #[serde(default)]
    authors: Vec<Text>,
    section: Option<Spanned<Text>>,
    updated: Option<IsoDate>,
    published: Option<IsoDate>,
    pages: Option<Pages>,
    body: Spanned<String>,
    #[serde(default)]
    images: Vec<RawImage>,
    #[serde(default)]
    sources: Vec<RawSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImage {
    file: Spanned<String>,
    alt: Option<Text>,
    caption: Option<Text>,
    credit: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    file: Spanned<String>,
    page: Option<u32>,
}

/// Checks an identifier: letters, digits, `.`, `_`, `-`, starting with a letter or digit, so
/// that it is safe in file names and URLs.
pub fn check_identifier(id: &str) -> Result<(), String> {
    let valid_start = id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    let valid_rest = id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if valid_start && valid_rest && id.len() <= 100 {
        Ok(())
    } else {
        Err(format!(
            "`{id}` is not a valid id: use up to 100 letters, digits, `.`, `_` or `-`, starting with a letter or digit"
        ))
    }
}

/// Checks a BCP 47 language tag in its common shape: a 2-3 letter primary tag, then subtags
/// of letters and digits (`en`, `zh-Hans`, `pt-BR`).
pub fn check_language(tag: &str) -> Result<(), String> {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    let valid = (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if valid {
        Ok(())
    } else {
        Err(format!("`{tag}` is not a language tag like en or zh-Hans"))
    }
}

macro_rules! checked_string {
    ($name:ident, $check:expr) => {
        struct $name(String);
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

checked_string!(IssueId, check_identifier);
checked_string!(Text, |s| {
    if s.trim().is_empty() {
        Err("is empty: leave the field out instead".into())
    } else if let Some(c) = s.chars().find(|c| c.is_control()) {
        Err(format!("contains the control character U+{:04X}", c as u32))
    } else {
        Ok(())
    }
});
checked_string!(ArticleId, check_identifier);
checked_string!(Issn, |s| {
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
});
checked_string!(LanguageTag, check_language);

/// A volume or issue number: an integer, or text for forms like `24-25`.
struct Numbering(String);

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
