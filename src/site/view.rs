//! The values every page is made of, made one way for the whole site: a page's chrome, a date
//! as a reader reads it, an issue's card, an article's entry in a list, and the relative links
//! between pages.

use super::catalog::{Catalog, IssueEntry};
use super::paths::{self, INDEX};
use super::templates::{ArticleItem, Chrome, Dated, IssueCard, Picture, TocSection, When};
use crate::archive::DigestAlgorithm;
use crate::export::batch::ExportFailure;
use crate::export::{words, Format};
use crate::model::{Article, IsoDate, Issue};
use std::collections::{BTreeMap, BTreeSet};

/// What the pages of one build share.
pub struct Site<'a> {
    pub catalog: &'a Catalog,
    pub site_name: String,
    /// Empty, or the URL the site is served at, ending in `/`.
    pub base_url: String,
    /// Each issue's label in lists and search filters: its title, made distinct by its date
    /// (or id) where two issues share one.
    pub issue_labels: BTreeMap<String, String>,
    /// Object id → the exports of its versions that could not be made (file names in
    /// `exports/`): pages link none of them and say the edition is not available.
    pub unavailable: BTreeMap<String, BTreeSet<String>>,
}

impl<'a> Site<'a> {
    /// `title` is the title `quire.toml` gives the archive, if any.
    pub fn new(
        catalog: &'a Catalog,
        title: Option<&str>,
        base_url: &str,
        failed: &[ExportFailure],
    ) -> Site<'a> {
        let mut unavailable: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for failure in failed {
            unavailable
                .entry(failure.object_id.clone())
                .or_default()
                .insert(failure.file.clone());
        }
        let mut issue_labels = BTreeMap::new();
        let titles: Vec<String> = catalog
            .issues
            .iter()
            .map(|i| i.issue.full_title())
            .collect();
        for (entry, title) in catalog.issues.iter().zip(&titles) {
            let shared = titles.iter().filter(|t| *t == title).count() > 1;
            let label = match (shared, entry.issue.date) {
                (false, _) => title.clone(),
                (true, Some(date)) => format!("{title} ({date})"),
                (true, None) => format!("{title} [{}]", entry.id()),
            };
            issue_labels.insert(entry.id().to_string(), label);
        }
        Site {
            catalog,
            site_name: catalog.site_name(title),
            base_url: base_url.to_string(),
            issue_labels,
            unavailable,
        }
    }

    /// The exports of an issue's versions that could not be made.
    pub fn unavailable(&self, issue: &IssueEntry) -> &BTreeSet<String> {
        static NONE: BTreeSet<String> = BTreeSet::new();
        self.unavailable.get(&issue.entry.id).unwrap_or(&NONE)
    }

    /// What an issue's pages are made from: its inventory and which of its exports could not
    /// be made (so that pages saying an edition is not available are made again once it is).
    pub fn pages_key(&self, issue: &IssueEntry) -> String {
        let unavailable = self.unavailable(issue);
        if unavailable.is_empty() {
            return issue.key.clone();
        }
        let files: Vec<&str> = unavailable.iter().map(String::as_str).collect();
        let text = format!("{}\n{}", issue.key, files.join("\n"));
        DigestAlgorithm::Sha256.digest(text.as_bytes())
    }

    /// The chrome of a page in `folder`.
    pub fn chrome(&self, folder: &str, title: &str, nav: &'static str) -> Chrome {
        let title = if title == self.site_name {
            title.to_string()
        } else {
            format!("{title} · {}", self.site_name)
        };
        Chrome {
            lang: "en".into(),
            title,
            root: paths::root_of(folder),
            site_name: self.site_name.clone(),
            canonical: (!self.base_url.is_empty()).then(|| format!("{}{folder}", self.base_url)),
            rss: !self.base_url.is_empty(),
            nav,
            ui_lang: None,
        }
    }

    pub fn issue_label(&self, issue: &IssueEntry) -> String {
        self.issue_labels
            .get(issue.id())
            .cloned()
            .unwrap_or_else(|| issue.issue.full_title())
    }

    /// The card of an issue's head (or of version `version`, whose metadata is `meta` and
    /// whose cover has `cover_digest`), as a page in `from` links to it.
    pub fn issue_card(
        &self,
        from: &str,
        issue: &IssueEntry,
        version: Option<u32>,
        meta: &Issue,
        cover_digest: Option<&str>,
        headlines: usize,
    ) -> IssueCard {
        let number = version.unwrap_or(issue.head.number);
        let folder = paths::head_or_version(issue.id(), version);
        let cover = meta
            .cover
            .as_ref()
            .zip(cover_digest)
            .filter(|(path, _)| is_web_image(path))
            .map(|(path, digest)| Picture {
                src: format!(
                    "{}{}",
                    paths::root_of(from),
                    paths::image(issue.id(), digest, path)
                ),
                alt: format!("Cover of {}", meta.full_title()),
            });
        let unavailable = self.unavailable(issue);
        let mut missing = Vec::new();
        let mut export = |format: Format, name: &'static str| {
            let file = format!("{}-v{number}.{}", meta.id, format.extension());
            if unavailable.contains(&file) {
                missing.push(name);
                return None;
            }
            Some(format!("{}exports/{file}", paths::root_of(from)))
        };
        let (pdf, epub) = (
            export(Format::Pdf, "PDF Edition"),
            export(Format::Epub, "EPUB"),
        );
        IssueCard {
            href: link(from, &folder),
            title: meta.full_title(),
            date: meta.date.map(when),
            numbering: numbering(meta),
            cover,
            pdf,
            epub,
            unavailable: missing,
            headlines: meta
                .articles()
                .take(headlines)
                .map(|a| self.article_item(from, issue, version, meta, a, false))
                .collect(),
        }
    }

    /// An article of an issue's head (or of version `version`, whose metadata is `meta`) in a
    /// list on a page in `from`; `with_issue` names the issue too, for lists across issues.
    pub fn article_item(
        &self,
        from: &str,
        issue: &IssueEntry,
        version: Option<u32>,
        meta: &Issue,
        article: &Article,
        with_issue: bool,
    ) -> ArticleItem {
        let mut parts = Vec::new();
        if !article.authors.is_empty() {
            parts.push(format!("By {}", article.authors.join(", ")));
        }
        if let Some(updated) = article.updated {
            parts.push(format!("Updated {}", when(updated).text));
        }
        if with_issue {
            parts.push(self.issue_label(issue));
        }
        ArticleItem {
            href: link(from, &paths::article(issue.id(), version, &article.id)),
            title: article.title.clone(),
            deck: article.deck.clone(),
            meta: parts.join(" · "),
            lang: article.language_in(meta).map(str::to_string),
        }
    }

    /// The link from a page in `from` to the page of section `name` across issues, as a page
    /// of `issue` (of any version) gives it: only when the issue's head has the section, so
    /// that the link depends on nothing but the issue (whose pages are made again when it
    /// changes) and the page is there (section pages list the heads' sections).
    pub fn section_link(&self, from: &str, issue: &IssueEntry, name: &str) -> Option<String> {
        let slug = paths::section_slug(name);
        issue
            .issue
            .sections
            .iter()
            .filter_map(|s| s.name.as_deref())
            .any(|head| paths::section_slug(head) == slug)
            .then(|| link(from, &paths::section(name)))
    }

    /// The table of contents of an issue (head, or version `version` with metadata `meta`).
    pub fn toc(
        &self,
        from: &str,
        issue: &IssueEntry,
        version: Option<u32>,
        meta: &Issue,
    ) -> Vec<TocSection> {
        meta.sections
            .iter()
            .map(|section| TocSection {
                name: section.name.clone(),
                href: section
                    .name
                    .as_ref()
                    .and_then(|name| self.section_link(from, issue, name)),
                articles: section
                    .articles
                    .iter()
                    .map(|a| self.article_item(from, issue, version, meta, a, false))
                    .collect(),
            })
            .collect()
    }
}

/// A link from a page in `from` to the page of `folder`: up to the folder they share, then
/// down.
pub fn link(from: &str, folder: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (
        from.split_terminator('/').collect(),
        folder.split_terminator('/').collect(),
    );
    let shared = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = "../".repeat(a.len() - shared);
    for part in &b[shared..] {
        out.push_str(part);
        out.push('/');
    }
    out.push_str(INDEX);
    out
}

/// A date as a reader reads it: `June 9, 2010`, `June 2010` or `2010`.
pub fn when(date: IsoDate) -> When {
    when_in(words::words(None), date)
}

/// A date as a language writes it, with the ISO form for `<time>`.
fn when_in(words: &words::Words, date: IsoDate) -> When {
    When {
        iso: date.to_string(),
        text: words.date(&date),
    }
}

/// A date in a sentence of a language's words (`pattern`: `Published {}`), the date as that
/// language writes it.
pub fn dated(words: &words::Words, pattern: &str, date: IsoDate) -> Dated {
    let (before, after) = pattern.split_once("{}").unwrap_or((pattern, ""));
    Dated {
        before: before.to_string(),
        when: when_in(words, date),
        after: after.to_string(),
    }
}

/// The day of an RFC 3339 time, as [`when`] gives it.
pub fn when_created(rfc3339: &str) -> When {
    let day = rfc3339.get(..10).and_then(|d| d.parse::<IsoDate>().ok());
    match day {
        Some(date) => when(date),
        None => When {
            iso: String::new(),
            text: rfc3339.to_string(),
        },
    }
}

/// "Vol. 4, No. 2", or what of it the issue gives.
pub fn numbering(issue: &Issue) -> String {
    let mut parts = Vec::new();
    if let Some(volume) = &issue.volume {
        parts.push(format!("Vol. {volume}"));
    }
    if let Some(number) = &issue.number {
        parts.push(format!("No. {number}"));
    }
    parts.join(", ")
}

/// True for an image every current browser shows, by its name (the site carries no others;
/// it carries an SVG only cleaned, see [`paths::image`]).
pub fn is_web_image(path: &str) -> bool {
    matches!(
        paths::extension(path).as_str(),
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "bmp" | "svg"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_a_reader_reads_them() {
        let text = |s: &str| when(s.parse().unwrap()).text;
        assert_eq!(text("2010-06-09"), "June 9, 2010");
        assert_eq!(text("2024-03"), "March 2024");
        assert_eq!(text("2011"), "2011");
        assert_eq!(
            when_created("2026-11-28T00:00:00Z").text,
            "November 28, 2026"
        );
        // The day as the archive wrote it, in the offset it wrote.
        assert_eq!(when_created("2024-03-31T23:30:00-05:00").iso, "2024-03-31");
        let odd = when_created("yesterday");
        assert_eq!((odd.iso.as_str(), odd.text.as_str()), ("", "yesterday"));
    }

    #[test]
    fn links_climb_to_the_root_and_name_the_index_page() {
        assert_eq!(link("", "issues/x/"), "issues/x/index.html");
        assert_eq!(
            link("issues/x/a/", "sections/news/"),
            "../../../sections/news/index.html"
        );
        assert_eq!(link("issues/", ""), "../index.html");
        assert_eq!(link("issues/x/a/", "issues/x/a/2/"), "2/index.html");
        assert_eq!(link("issues/x/a/2/", "issues/x/a/"), "../index.html");
        assert_eq!(link("issues/x/", "issues/x/"), "index.html");
    }
}
