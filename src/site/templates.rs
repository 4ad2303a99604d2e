//! The pages' templates (askama, checked when quire is compiled; the files are in
//! `templates/site/`) and the plain values they show. Everything a template prints is text it
//! escapes, except article bodies, which come through the sanitizer.

use askama::Template;

/// What every page shares: its language, title, the way back to the site's root, the site's
/// name and which part of the site it belongs to (for the navigation).
#[derive(Debug, Clone)]
pub struct Chrome {
    pub lang: String,
    pub title: String,
    /// `../` once per folder level: every link is relative, so the site works from any
    /// server path and from a folder opened as files.
    pub root: String,
    pub site_name: String,
    pub canonical: Option<String>,
    /// Whether the site has an RSS feed (only with a base URL: RSS has no relative links).
    pub rss: bool,
    /// `home`, `issues`, `sections`, `search` or `` for the navigation's current page.
    pub nav: &'static str,
    /// The language of the site's own words (`en`) when the page's differs (a search page
    /// for articles in another language): the header, main part and footer say so.
    pub ui_lang: Option<&'static str>,
}

/// A date as a page shows it: `June 9, 2010`, with the ISO form for `<time>`.
#[derive(Debug, Clone)]
pub struct When {
    /// Empty for a time that is not RFC 3339 (shown as it is, in no `<time>`).
    pub iso: String,
    pub text: String,
}

/// A date in a sentence of the article's language (`Published {date}`, `{date}公開`): the
/// words before and after it.
#[derive(Debug, Clone)]
pub struct Dated {
    pub before: String,
    pub when: When,
    pub after: String,
}

/// An article in a list.
#[derive(Debug, Clone)]
pub struct ArticleItem {
    pub href: String,
    pub title: String,
    pub deck: Option<String>,
    /// Byline, update date, issue: joined with ` · `.
    pub meta: String,
    pub lang: Option<String>,
}

/// A run of articles under a section's name (none for articles outside any section).
#[derive(Debug, Clone)]
pub struct TocSection {
    pub name: Option<String>,
    /// The section's page across issues.
    pub href: Option<String>,
    pub articles: Vec<ArticleItem>,
}

/// An image with its text alternative.
#[derive(Debug, Clone)]
pub struct Picture {
    pub src: String,
    pub alt: String,
}

/// An issue in a list or at the head of its page.
#[derive(Debug, Clone)]
pub struct IssueCard {
    pub href: String,
    pub title: String,
    pub date: Option<When>,
    /// "Vol. 4, No. 2", or empty.
    pub numbering: String,
    pub cover: Option<Picture>,
    pub pdf: Option<String>,
    pub epub: Option<String>,
    /// The editions that could not be made ("PDF Edition", "EPUB"): said, not linked.
    pub unavailable: Vec<&'static str>,
    pub headlines: Vec<ArticleItem>,
}

/// A version of an issue in its list of versions.
#[derive(Debug, Clone)]
pub struct VersionItem {
    pub label: String,
    pub href: String,
    pub created: When,
    pub message: String,
    pub current: bool,
}

/// Issues of one year (or the undated ones).
#[derive(Debug, Clone)]
pub struct YearGroup {
    pub label: String,
    pub issues: Vec<IssueCard>,
}

/// A link of the page bar.
#[derive(Debug, Clone)]
pub struct PageLink {
    pub text: String,
    pub href: Option<String>,
    pub current: bool,
    /// Names the link for a screen reader ("Page 2"), when its text alone does not.
    pub label: String,
}

/// A source of an article.
#[derive(Debug, Clone)]
pub struct SourceItem {
    pub name: String,
    pub href: Option<String>,
    /// The capture's bytes as archived, when `href` is its text copy in UTF-8.
    pub original: Option<String>,
    /// Page, site, capture date.
    pub details: String,
    /// The address it was captured from.
    pub url: Option<String>,
}

/// One line of a text diff as a unified diff writes it (with its mark, or a hunk header).
#[derive(Debug, Clone)]
pub struct DiffLine {
    /// `same`, `added`, `removed` or `hunk`.
    pub kind: &'static str,
    pub text: String,
}

/// One version that changed an article, in its history.
#[derive(Debug, Clone)]
pub struct HistoryItem {
    pub label: String,
    pub href: String,
    pub created: When,
    pub message: String,
    /// (field, before, after): each value a line each (one per image of a list, say).
    pub fields: Vec<(String, Vec<String>, Vec<String>)>,
    /// Hunk headers and lines, in order.
    pub diff: Vec<DiffLine>,
    pub first: bool,
}

/// A figure the metadata lists but the body does not show.
#[derive(Debug, Clone)]
pub struct Figure {
    pub picture: Picture,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

#[derive(Template)]
#[template(path = "site/home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub current: Option<IssueCard>,
    pub toc: Vec<TocSection>,
    pub headlines: Vec<ArticleItem>,
}

#[derive(Template)]
#[template(path = "site/issues.html")]
pub struct IssuesPage {
    pub chrome: Chrome,
    pub years: Vec<YearGroup>,
}

#[derive(Template)]
#[template(path = "site/issue.html")]
pub struct IssuePage {
    pub chrome: Chrome,
    pub card: IssueCard,
    /// Says which version this is, when it is not the head.
    pub version_note: Option<String>,
    pub head_href: String,
    pub lang: Option<String>,
    /// The publisher and ISSN, or empty.
    pub imprint: String,
    pub versions: Vec<VersionItem>,
    pub toc: Vec<TocSection>,
}

#[derive(Template)]
#[template(path = "site/article.html")]
pub struct ArticlePage {
    pub chrome: Chrome,
    pub lang: Option<String>,
    pub issue: IssueCard,
    /// The article's section, and the link to its page across issues when there is one.
    pub section: Option<String>,
    pub section_href: Option<String>,
    pub title: String,
    pub deck: Option<String>,
    /// The byline as the article's language words it (`By …`, `بقلم …`).
    pub byline: Option<String>,
    pub updated: Option<Dated>,
    pub published: Option<Dated>,
    /// Which version this is and where the current text is, when it is not the head.
    pub version_note: Option<(String, String)>,
    pub body: String,
    pub figures: Vec<Figure>,
    pub page_bar: Vec<PageLink>,
    /// The other view: ("Read on one page", href) or ("Read page by page", href).
    pub other_view: Option<(String, String)>,
    pub pages_note: Option<String>,
    pub sources: Vec<SourceItem>,
    pub history: Vec<HistoryItem>,
}

#[derive(Template)]
#[template(path = "site/sections.html")]
pub struct SectionsPage {
    pub chrome: Chrome,
    /// (name, href, "3 articles").
    pub sections: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "site/section.html")]
pub struct SectionPage {
    pub chrome: Chrome,
    pub name: String,
    /// Each issue with the section's articles in it.
    pub issues: Vec<(IssueCard, Vec<ArticleItem>)>,
}

#[derive(Template)]
#[template(path = "site/search.html")]
pub struct SearchPage {
    pub chrome: Chrome,
    /// Search pages for the other languages the articles are in: (language tag, href).
    pub others: Vec<(String, String)>,
    /// Issues, sections and years to filter by.
    pub filters: Vec<SearchFilter>,
}

/// A filter of the search page: the index's filter, its label, the choice that filters
/// nothing, and the values, as the index names them.
#[derive(Debug, Clone)]
pub struct SearchFilter {
    pub name: &'static str,
    pub label: &'static str,
    pub all: &'static str,
    pub values: Vec<String>,
}
