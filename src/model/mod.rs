//! The publication, issue, section and article types, and the strict reading of `issue.toml`.
//!
//! Nothing here knows about storage or output: the archive stores an issue's source folder as
//! it is, and every reader (show, diff, exports) parses `issue.toml` back through this module.

pub mod body;
mod date;
pub mod diff;
mod direction;
mod id;
mod raw;
pub mod source;

pub use date::IsoDate;
pub use direction::is_right_to_left;
pub use id::{issue_id, object_id, resolve_object_id, OBJECT_ID_PREFIX};
pub use source::{SourceFolder, SourceFolderError};

use raw::{Field, RawArticle, RawIssueFile};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
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

/// One article. `body` is the path of its Markdown file (the [`body`] dialect) in the source
/// folder.
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
    /// The language of the article (BCP 47), as its source declares it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    pub body: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<Image>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceRef>,
}

/// Where an article sits in a multi-page original: only what the capture shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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

/// What an article's metadata says of each image its body shows, taken in the order the body
/// shows them: one file shown twice may be listed twice, a caption each (a gallery's crop of
/// the lead picture).
#[derive(Debug)]
pub struct ImageListings<'a> {
    images: &'a [Image],
    shown: BTreeMap<String, usize>,
}

impl<'a> ImageListings<'a> {
    pub fn new(images: &'a [Image]) -> Self {
        ImageListings {
            images,
            shown: BTreeMap::new(),
        }
    }

    /// The listing of the next showing of `file`, whose alt text is `alt` (empty where it is
    /// not known yet): where several list the file, the one with that alt text, else the next
    /// of them in order (the last again once each has been shown).
    pub fn next(&mut self, file: &str, alt: &str) -> Option<&'a Image> {
        let listings: Vec<&'a Image> = self.images.iter().filter(|i| i.file == file).collect();
        let shown = self.shown.entry(file.to_string()).or_default();
        let alt = alt.trim();
        let by_alt = (listings.len() > 1 && !alt.is_empty())
            .then(|| listings.iter().find(|i| i.alt.as_deref() == Some(alt)))
            .flatten();
        let listing = by_alt.or_else(|| listings.get(*shown).or(listings.last()));
        *shown += 1;
        listing.copied()
    }
}

/// An original capture an article came from, which page of the article it holds, and what
/// the capture says of itself: its address, its site, when it was made; for a record of a web
/// archive (WARC) kept in `file`, the record's id and the file the record was taken from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// When the capture was made (RFC 3339), as the capture gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captured: Option<String>,
    /// The WARC-Record-ID of the record in `file`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The name of the WARC file the record was taken from, and its sha256.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_sha256: Option<String>,
}

impl Publication {
    /// Its publisher and ISSN, as an edition names them (`Beijing Review Press · ISSN
    /// 1000-9140`), or empty.
    pub fn imprint(&self) -> String {
        let issn = self.issn.as_ref().map(|issn| format!("ISSN {issn}"));
        let parts: Vec<String> = self.publisher.iter().cloned().chain(issn).collect();
        parts.join(" · ")
    }
}

impl Article {
    /// The article's language, or else the issue's.
    pub fn language_in<'a>(&'a self, issue: &'a Issue) -> Option<&'a str> {
        self.language.as_deref().or(issue.language())
    }
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

    /// The language the issue is written in: its own or its publication's, or else the one
    /// language every article declares (an issue imported from pages that each say
    /// `lang="en"` and a `[issue]` that names none). What the editions declare as theirs.
    pub fn text_language(&self) -> Option<&str> {
        self.language().or_else(|| {
            let mut declared = self.articles().map(|a| a.language.as_deref());
            let first = declared.next()??;
            declared
                .all(|l| l.is_some_and(|l| l.eq_ignore_ascii_case(first)))
                .then_some(first)
        })
    }

    /// Parses `issue.toml`. `origin` names the file in messages; `files` are the paths present
    /// in the source folder (or archived version), which every reference must name. Every
    /// problem found is reported, each with its line.
    pub fn parse(
        text: &str,
        origin: &str,
        files: &BTreeSet<String>,
    ) -> Result<Issue, SourceFolderError> {
        let mut problems = Problems {
            text,
            origin,
            found: Vec::new(),
        };
        for (span, message) in raw::unknown_keys(text) {
            problems.add(span, message);
        }
        let raw: RawIssueFile = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                let line = e.span().map(|s| line_of(text, s.start));
                problems.found.push(source::Problem::new(
                    origin.to_string(),
                    line,
                    e.message().trim_end().to_string(),
                ));
                return Err(problems.into_error());
            }
        };
        let RawIssueFile {
            publication,
            issue,
            articles,
        } = raw;
        if let Some(cover) = &issue.cover {
            problems.check_file(cover, "cover", files);
        }
        let sections = read_articles(articles, files, &mut problems);
        // A value that is missing here was noted as a problem, and the issue is not returned.
        let publication = Publication {
            title: problems
                .take(publication.title)
                .map(|t| t.0)
                .unwrap_or_default(),
            issn: problems.take_some(publication.issn).map(|v| v.0),
            publisher: problems.take_some(publication.publisher).map(|t| t.0),
            language: problems.take_some(publication.language).map(|v| v.0),
        };
        let issue = Issue {
            id: problems.take(issue.id).map(|i| i.0).unwrap_or_default(),
            publication,
            title: problems.take_some(issue.title).map(|t| t.0),
            volume: problems.take_some(issue.volume).map(|v| v.0),
            number: problems.take_some(issue.number).map(|n| n.0),
            date: problems.take_some(issue.date),
            language: problems.take_some(issue.language).map(|v| v.0),
            cover: issue.cover.map(Spanned::into_inner),
            sections,
        };
        match problems.found.is_empty() {
            true => Ok(issue),
            false => Err(problems.into_error()),
        }
    }
}

/// The problems found in one `issue.toml`, each placed on its line.
struct Problems<'a> {
    text: &'a str,
    origin: &'a str,
    found: Vec<source::Problem>,
}

impl Problems<'_> {
    fn add(&mut self, span: Range<usize>, message: String) {
        self.found.push(source::Problem::new(
            self.origin.to_string(),
            Some(line_of(self.text, span.start)),
            message,
        ));
    }

    /// A field's value, or its problem noted.
    fn take<T>(&mut self, field: Field<T>) -> Option<T> {
        match field.value {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field.span, message);
                None
            }
        }
    }

    /// An optional field's value, or its problem noted.
    fn take_some<T>(&mut self, field: Option<Field<T>>) -> Option<T> {
        field.and_then(|field| self.take(field))
    }

    /// A file reference must be a safe relative path, in its kind's folder, of a file there.
    fn check_file(&mut self, field: &Spanned<String>, what: &str, files: &BTreeSet<String>) {
        let path = field.get_ref();
        let folder = match what {
            "body" => "articles/",
            "source" => "sources/",
            _ => "assets/",
        };
        let message = if let Err(message) = source::check_relative_path(path) {
            format!("{what} `{path}`: {message}")
        } else if !path.starts_with(folder) {
            format!("{what} `{path}` must be in {folder}")
        } else if !files.contains(path) {
            not_in_folder(what, path, files)
        } else {
            return;
        };
        self.add(field.span(), message);
    }

    /// All the problems, in the order of their lines.
    fn into_error(mut self) -> SourceFolderError {
        self.found.sort_by_key(|p| p.line);
        SourceFolderError {
            problems: self.found,
        }
    }
}

/// The articles in reading order, gathered into sections; their problems noted.
fn read_articles(
    articles: Vec<RawArticle>,
    files: &BTreeSet<String>,
    problems: &mut Problems,
) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut ended_sections: BTreeMap<Option<String>, usize> = BTreeMap::new();
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    for raw in articles {
        let id_span = raw.id.span.clone();
        let id = problems.take(raw.id).map(|i| i.0);
        if let Some(id) = &id {
            let line = line_of(problems.text, id_span.start);
            if let Some(first) = ids.insert(id.clone(), line) {
                let message = format!("duplicate article id `{id}` (first used on line {first})");
                problems.add(id_span.clone(), message);
            }
        }
        let shown = id.as_deref().unwrap_or("?");
        problems.check_file(&raw.body, "body", files);
        if !raw.body.get_ref().ends_with(".md") {
            let message = format!(
                "body `{}` must be a Markdown file (.md)",
                raw.body.get_ref()
            );
            problems.add(raw.body.span(), message);
        }
        for image in &raw.images {
            problems.check_file(&image.file, "image", files);
        }
        for source in &raw.sources {
            problems.check_file(&source.file, "source", files);
        }
        let pages = problems.take_some(raw.pages);
        if let Some(Err(message)) = pages.as_ref().map(check_pages) {
            problems.add(
                id_span.clone(),
                format!("article `{shown}`: pages: {message}"),
            );
        }
        let section_span = raw.section.as_ref().map_or(id_span, |s| s.span.clone());
        let section_read = raw.section.as_ref().is_none_or(|s| s.value.is_ok());
        let section = problems.take_some(raw.section).map(|t| t.0);
        let continues = sections.last().is_some_and(|s| s.name == section);
        if !continues {
            if let Some(previous) = sections.last() {
                ended_sections.insert(previous.name.clone(), sections.len() - 1);
            }
            if section_read && ended_sections.contains_key(&section) {
                let name = section.as_deref().unwrap_or("(no section)");
                problems.add(
                    section_span,
                    format!("article `{shown}` is in section `{name}`, whose articles already ended above: keep a section's articles together"),
                );
            }
            sections.push(Section {
                name: section.clone(),
                articles: Vec::new(),
            });
        }
        let title = problems.take(raw.title).map(|t| t.0);
        let article = Article {
            id: id.unwrap_or_default(),
            title: title.unwrap_or_default(),
            deck: problems.take_some(raw.deck).map(|t| t.0),
            authors: problems
                .take_some(raw.authors)
                .map(|list| list.into_iter().map(|t| t.0).collect())
                .unwrap_or_default(),
            section,
            updated: problems.take_some(raw.updated),
            published: problems.take_some(raw.published),
            pages,
            language: problems.take_some(raw.language).map(|v| v.0),
            body: raw.body.into_inner(),
            images: raw
                .images
                .into_iter()
                .map(|i| Image {
                    file: i.file.into_inner(),
                    alt: problems.take_some(i.alt).map(|t| t.0),
                    caption: problems.take_some(i.caption).map(|t| t.0),
                    credit: problems.take_some(i.credit).map(|t| t.0),
                })
                .collect(),
            sources: raw
                .sources
                .into_iter()
                .map(|s| SourceRef {
                    file: s.file.into_inner(),
                    page: problems.take_some(s.page),
                    url: problems.take_some(s.url).map(|v| v.0),
                    site: problems.take_some(s.site).map(|t| t.0),
                    captured: problems.take_some(s.captured).map(|v| v.0),
                    record: problems.take_some(s.record).map(|t| t.0),
                    original: problems.take_some(s.original).map(|t| t.0),
                    original_sha256: problems.take_some(s.original_sha256).map(|v| v.0),
                })
                .collect(),
        };
        sections
            .last_mut()
            .expect("pushed above")
            .articles
            .push(article);
    }
    sections
}

impl Pages {
    /// Page numbers start at 1, and none is beyond the page count.
    pub fn check(&self) -> Result<(), String> {
        check_pages(self)
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

/// The problem of a file `issue.toml` names that the folder does not hold by that name: when a
/// file there differs from it only in Unicode normalization (a name macOS stored decomposed,
/// typed composed), that is said, as `ls` shows the two alike.
fn not_in_folder(what: &str, path: &str, files: &BTreeSet<String>) -> String {
    use unicode_normalization::UnicodeNormalization;
    let nfc = |text: &str| text.nfc().collect::<String>();
    let wanted = nfc(path);
    match files.iter().any(|f| nfc(f) == wanted) {
        true => format!(
            "{what} `{path}` is not in the source folder by that name: the file there has \
             it in another Unicode normalization form (shown alike, spelt differently); \
             rename the file as {ISSUE_FILE} spells it"
        ),
        false => format!("{what} `{path}` is not in the source folder"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files a test issue's folder holds.
    fn files() -> BTreeSet<String> {
        [
            "issue.toml",
            "articles/a.md",
            "articles/b.md",
            "assets/c.jpg",
        ]
        .iter()
        .map(|f| f.to_string())
        .collect()
    }

    fn parse(text: &str) -> Result<Issue, SourceFolderError> {
        Issue::parse(text, "issue.toml", &files())
    }

    /// Each problem as `line: message`.
    fn problems(text: &str) -> Vec<String> {
        let error = parse(text).expect_err("a bad issue.toml");
        error
            .problems
            .iter()
            .map(|p| format!("{}: {}", p.line.unwrap_or(0), p.message))
            .collect()
    }

    const GOOD: &str = r#"[publication]
title = "Test Quarterly"
issn = "0000-0019"
language = "en"

[issue]
id = "spring"
volume = 4
number = "24-25"
date = 2024-03-01
cover = "assets/c.jpg"

[[articles]]
id = "a"
title = "First"
authors = ["Zoë Müller"]
section = "News"
updated = "2024-03"
published = 2024-02-28
body = "articles/a.md"
pages = { page = 2, count = 3 }

[[articles]]
id = "b"
title = "Second"
section = "News"
body = "articles/b.md"
images = [{ file = "assets/c.jpg", alt = "A cover" }]
"#;

    #[test]
    fn a_good_issue_toml_gives_every_field() {
        let issue = parse(GOOD).unwrap();
        assert_eq!(issue.id, "spring");
        assert_eq!(issue.publication.issn.as_deref(), Some("0000-0019"));
        assert_eq!(
            (issue.volume.as_deref(), issue.number.as_deref()),
            (Some("4"), Some("24-25"))
        );
        assert_eq!(issue.date.unwrap().to_string(), "2024-03-01");
        assert_eq!(issue.language(), Some("en"));
        assert_eq!(issue.full_title(), "Test Quarterly");
        assert_eq!(issue.sections.len(), 1, "one section of two articles");
        let first = &issue.sections[0].articles[0];
        assert_eq!(first.updated.unwrap().to_string(), "2024-03");
        assert_eq!(first.published.unwrap().to_string(), "2024-02-28");
        assert_eq!(first.pages.as_ref().unwrap().count, Some(3));
        assert_eq!(issue.authors(), ["Zoë Müller"]);
        let second = &issue.sections[0].articles[1];
        assert_eq!(second.images[0].alt.as_deref(), Some("A cover"));
    }

    #[test]
    fn an_issue_that_names_no_language_is_in_the_one_every_article_declares() {
        let unnamed = GOOD.replace("language = \"en\"\n", "");
        let with = |a: &str, b: &str| {
            let text = unnamed
                .replace("id = \"a\"\n", &format!("id = \"a\"\n{a}"))
                .replace("id = \"b\"\n", &format!("id = \"b\"\n{b}"));
            parse(&text).unwrap()
        };
        let both = with("language = \"fr\"\n", "language = \"FR\"\n");
        assert_eq!((both.language(), both.text_language()), (None, Some("fr")));
        let one = with("language = \"fr\"\n", "");
        assert_eq!(one.text_language(), None, "the second article says nothing");
        let two = with("language = \"fr\"\n", "language = \"de\"\n");
        assert_eq!(two.text_language(), None);
        assert_eq!(parse(GOOD).unwrap().text_language(), Some("en"));
    }

    #[test]
    fn an_impossible_date_and_an_unknown_key_are_reported_together() {
        let text = GOOD
            .replace(
                "date = 2024-03-01",
                "date = \"2024-02-30\"\ncolour = \"red\"",
            )
            .replace("updated = \"2024-03\"", "updated = \"2024-13\"");
        assert_eq!(
            problems(&text),
            [
                "10: `2024-02-30` is not a date of the calendar",
                "11: unknown field `colour`, expected one of `id`, `title`, `volume`, `number`, `date`, `language`, `cover`",
                "19: `2024-13` is not a date of the calendar",
            ]
        );
    }

    #[test]
    fn a_control_character_or_a_noncharacter_in_a_text_field_is_refused() {
        let text = GOOD.replace("title = \"First\"", "title = \"First\\uFFFE\"");
        let found = problems(&text);
        assert!(
            found.len() == 1 && found[0].contains("contains the noncharacter U+FFFE"),
            "{found:?}"
        );
        let text = GOOD.replace("title = \"First\"", "title = \"Fi\\u0007rst\"");
        assert!(problems(&text)[0].contains("control character U+0007"));
        let text = GOOD.replace("title = \"First\"", "title = \"Ｆｉｒｓｔ \\uFDCF\"");
        assert!(parse(&text).is_ok());
    }

    #[test]
    fn every_bad_value_and_unknown_key_is_reported_in_line_order() {
        let text = GOOD
            .replace("issn = \"0000-0019\"", "issn = \"0000-0018\"")
            .replace("language = \"en\"", "language = \"english\"")
            .replace("volume = 4", "volume = 0")
            .replace("id = \"b\"", "id = \"a\"")
            .replace("alt = \"A cover\"", "alt = \"\", width = 3")
            .replace(
                "pages = { page = 2, count = 3 }",
                "pages = { page = 4, count = 3 }",
            )
            .replace("title = \"Second\"", "title = \"Second\"\nsubtitle = \"x\"");
        assert_eq!(
            problems(&text),
            [
                "3: ISSN `0000-0018` has a wrong check digit",
                "4: `english` is not a language tag like en or zh-Hans",
                "8: 0 is not a positive integer",
                "14: article `a`: pages: page 4 is beyond the count of 3",
                "24: duplicate article id `a` (first used on line 14)",
                "26: unknown field `subtitle`, expected one of `id`, `title`, `deck`, `authors`, `section`, `updated`, `published`, `pages`, `language`, `body`, `images`, `sources`",
                "29: unknown field `width`, expected one of `file`, `alt`, `caption`, `credit`",
                "29: is empty: leave the field out instead",
            ]
        );
    }

    #[test]
    fn references_must_name_files_of_their_folder() {
        let text = GOOD
            .replace("cover = \"assets/c.jpg\"", "cover = \"../c.jpg\"")
            .replace("body = \"articles/b.md\"", "body = \"assets/c.jpg\"")
            .replace("file = \"assets/c.jpg\"", "file = \"assets/gone.jpg\"");
        assert_eq!(
            problems(&text),
            [
                "11: cover `../c.jpg`: must not contain empty, `.` or `..` parts",
                "27: body `assets/c.jpg` must be in articles/",
                "27: body `assets/c.jpg` must be a Markdown file (.md)",
                "28: image `assets/gone.jpg` is not in the source folder",
            ]
        );
    }

    #[test]
    fn a_section_split_by_another_is_refused() {
        let text = GOOD.replace("section = \"News\"\nupdated", "section = \"Views\"\nupdated")
            + "\n[[articles]]\nid = \"c\"\ntitle = \"Third\"\nsection = \"Views\"\nbody = \"articles/a.md\"\n";
        assert_eq!(
            problems(&text),
            ["33: article `c` is in section `Views`, whose articles already ended above: keep a section's articles together"]
        );
    }

    #[test]
    fn a_missing_field_or_bad_syntax_is_reported_with_its_line() {
        let missing = GOOD.replace("title = \"Second\"\n", "");
        let found = problems(&missing);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("missing field `title`"), "{found:?}");
        // With the unknown keys found beside it.
        let both = missing.replace("[issue]\n", "[issue]\nshade = 1\n");
        let found = problems(&both);
        assert!(
            found[0].starts_with("7: unknown field `shade`"),
            "{found:?}"
        );
        assert!(found[1].contains("missing field `title`"), "{found:?}");
        let found = problems("[publication\ntitle = 1\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("1: "), "{found:?}");
    }

    #[test]
    fn identifiers_and_language_tags_are_checked() {
        for good in ["a", "beijing-review-sample", "v1.2_x"] {
            assert!(check_identifier(good).is_ok(), "{good}");
        }
        for bad in ["", "-a", "a b", "a/b", "é", &"a".repeat(101)] {
            assert!(check_identifier(bad).is_err(), "{bad}");
        }
        for good in ["en", "zh-Hans", "pt-BR", "gsw"] {
            assert!(check_language(good).is_ok(), "{good}");
        }
        for bad in ["e", "english", "en_GB", "en-", "zh-Hans-toolongsubtag"] {
            assert!(check_language(bad).is_err(), "{bad}");
        }
    }
}
