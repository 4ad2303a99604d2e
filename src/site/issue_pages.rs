//! The pages of one issue, which depend on nothing but that issue's object: its head page,
//! a page per version, every article of every version (split into its original pages, with a
//! single-page view), the head's articles with their sources and version history, and the
//! images and captures they show. An SVG is shown only as [`crate::export::svg`] cleans it;
//! the build says what it removed, and names each image it does not show (a TIFF, an SVG that
//! does not parse).

use super::body::{self, Body};
use super::catalog::IssueEntry;
use super::history::article_history;
use super::links::{note_unkept, UnkeptLinks, VersionLinks};
use super::paths;
use super::templates::{
    ArticlePage, Figure, HistoryItem, IssuePage, PageLink, Picture, SourceItem, VersionItem,
};
use super::view::{dated, is_web_image, link, when_created, Site};
use super::{render, SiteError, SiteFile};
use crate::archive::{Archive, Object};
use crate::export::svg::{self, CleanSvg};
use crate::export::{words, Edition};
use crate::model::Article;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

/// One version of the issue with what its pages need.
struct Loaded {
    edition: Edition,
    /// Logical path → digest.
    state: BTreeMap<String, String>,
    message: Option<String>,
    /// The site's copies of the captures it also gives as text in UTF-8 (see [`text_copy`]).
    recoded: BTreeSet<String>,
    /// The digests of the SVGs that do not parse, which the site does not show.
    refused: BTreeSet<String>,
}

/// The SVGs of an issue's versions, by digest: each cleaned, or why it cannot be (said
/// without its name).
type Svgs = BTreeMap<String, Result<CleanSvg, String>>;

/// Every file of one issue's pages, the links of its articles that lead nowhere, and what the
/// build must say of its images.
pub struct IssueFiles {
    pub files: Vec<SiteFile>,
    pub unkept: Vec<UnkeptLinks>,
    pub warnings: Vec<String>,
}

/// Every file of one issue's pages, with what the build must say of them.
pub fn issue_files(
    site: &Site,
    archive: &Archive,
    issue: &IssueEntry,
) -> Result<IssueFiles, SiteError> {
    let object = archive.object_at(&issue.entry)?;
    let mut loaded = Vec::new();
    for info in &issue.versions {
        loaded.push(Loaded {
            edition: Edition::load(&object, info.version)?,
            state: object.state(info.version),
            message: info.message.clone(),
            recoded: BTreeSet::new(),
            refused: BTreeSet::new(),
        });
    }
    let svgs = clean_svgs(&object, &loaded)?;
    let refused: BTreeSet<String> = (svgs.iter())
        .filter(|(_, clean)| clean.is_err())
        .map(|(digest, _)| digest.clone())
        .collect();
    for version in &mut loaded {
        version.refused.clone_from(&refused);
    }
    let (mut files, recoded) = media_files(&object, issue, &loaded, &svgs)?;
    for version in &mut loaded {
        version.recoded.clone_from(&recoded);
    }
    let head = loaded.last().expect("an object has a version");
    files.push(issue_page(site, issue, head, None, &loaded)?);
    let editions: Vec<(Edition, Option<String>)> = loaded
        .iter()
        .map(|l| (l.edition.clone(), l.message.clone()))
        .collect();
    let mut unkept = Vec::new();
    let links = VersionLinks::new(issue.id(), None, &head.edition.issue, &head.edition.bodies);
    for article in head.edition.issue.articles() {
        let folder = paths::article(issue.id(), None, &article.id);
        let history = article_history(&folder, issue.id(), &editions, &article.id);
        let view = ArticleView::new(site, issue, (head, None), article, &links);
        files.extend(article_pages(&view, history, &mut unkept)?);
    }
    for version in &loaded {
        let number = Some(version.edition.version.number);
        files.push(issue_page(site, issue, version, number, &loaded)?);
        let links = VersionLinks::new(
            issue.id(),
            number,
            &version.edition.issue,
            &version.edition.bodies,
        );
        for article in version.edition.issue.articles() {
            let view = ArticleView::new(site, issue, (version, number), article, &links);
            files.extend(article_pages(&view, Vec::new(), &mut unkept)?);
        }
    }
    Ok(IssueFiles {
        files,
        unkept,
        warnings: image_warnings(issue, &loaded, &svgs),
    })
}

/// Every SVG of the versions (by name), cleaned once per digest.
fn clean_svgs(object: &Object, loaded: &[Loaded]) -> Result<Svgs, SiteError> {
    let mut svgs = Svgs::new();
    for version in loaded {
        for (path, digest) in &version.state {
            if paths::extension(path) != "svg" || svgs.contains_key(digest) {
                continue;
            }
            let edition = &version.edition;
            let held = (edition.images.get(path)).or_else(|| edition.html_images.get(path));
            let bytes = match held {
                Some(bytes) => bytes.clone(),
                None => object.read(edition.version, path)?,
            };
            let clean = svg::clean(path, &bytes).map_err(|error| error.reason());
            svgs.insert(digest.clone(), clean);
        }
    }
    Ok(svgs)
}

/// What the build says of the images the versions show: each it does not show, and what it
/// removed from each SVG it shows; each once, naming the issue and the file, in the order of
/// the files.
fn image_warnings(issue: &IssueEntry, loaded: &[Loaded], svgs: &Svgs) -> Vec<String> {
    let mut warnings = Vec::new();
    for version in loaded {
        for (path, bytes) in version.edition.all_images() {
            let Some(digest) = version.state.get(path) else {
                continue;
            };
            let said = match svgs.get(digest) {
                Some(Ok(clean)) if clean.removed.is_empty() => continue,
                Some(Ok(clean)) => format!(
                    "removed from the SVG for safety: {}",
                    clean.removed.join("; ")
                ),
                Some(Err(reason)) => format!("not shown on the site, as it {reason}"),
                None if is_web_image(path) => continue,
                None => format!(
                    "not shown on the site, as browsers do not show {}; the page names it where it stands",
                    format_of(path, bytes)
                ),
            };
            let warning = format!("issue {}: {path}: {said}", issue.id());
            if !warnings.contains(&warning) {
                warnings.push(warning);
            }
        }
    }
    warnings.sort();
    warnings
}

/// The format of an image browsers do not show, as a message names it: "TIFF images".
fn format_of(path: &str, bytes: &[u8]) -> String {
    match crate::export::epub::images::other_format(bytes) {
        Some(format) => format!("{format} images"),
        None => match paths::extension(path).to_uppercase() {
            extension if extension.is_empty() => "this file".to_string(),
            extension => format!("{extension} files"),
        },
    }
}

/// The images (those browsers show) and captures of every version, each once: those the
/// edition holds, those the bodies show or link to anywhere in the version, the sources (and
/// a text copy in UTF-8 of each capture in another encoding). Returns the files and the
/// paths of the captures given a text copy.
fn media_files(
    object: &Object,
    issue: &IssueEntry,
    loaded: &[Loaded],
    svgs: &Svgs,
) -> Result<(Vec<SiteFile>, BTreeSet<String>), SiteError> {
    let mut media: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut sources: BTreeSet<(String, String)> = BTreeSet::new();
    for version in loaded {
        let edition = &version.edition;
        // An image shown is its site copy (an SVG's cleaned); a capture is given as it is.
        let mut carry = |path: &str, digest: &str, image: bool| -> Result<(), SiteError> {
            let file = match image {
                true => paths::image(issue.id(), digest, path),
                false => paths::media(issue.id(), digest, path),
            };
            if let Entry::Vacant(slot) = media.entry(file) {
                slot.insert(match (image, svgs.get(digest), edition.images.get(path)) {
                    (true, Some(Ok(clean)), _) => clean.bytes.clone(),
                    (_, _, Some(bytes)) => bytes.clone(),
                    _ => object.read(edition.version, path)?,
                });
            }
            Ok(())
        };
        for path in edition.images.keys() {
            if let Some(digest) = carried(version, path) {
                carry(path, digest, true)?;
            }
        }
        for article in edition.issue.articles() {
            let markdown = edition.body(&article.id);
            // No link, image or HTML without `[` or `<`.
            if !markdown.contains(['[', '<']) {
                continue;
            }
            let linked = body::render(
                markdown,
                &|path: &str| carried(version, path).map(|_| String::new()),
                &|_| None,
                &[],
            )
            .linked;
            for path in &linked {
                if let Some(digest) = carried(version, path) {
                    carry(path, digest, true)?;
                }
            }
        }
        for source in edition.issue.articles().flat_map(|a| &a.sources) {
            if let Some(digest) = version.state.get(&source.file) {
                carry(&source.file, digest, false)?;
                sources.insert((
                    paths::media(issue.id(), digest, &source.file),
                    source.file.clone(),
                ));
            }
        }
    }
    let mut recoded = BTreeSet::new();
    for (path, file) in sources {
        if let Some(text) = media.get(&path).and_then(|bytes| text_copy(&file, bytes)) {
            media.insert(paths::text_copy(&path), text.into_bytes());
            recoded.insert(path);
        }
    }
    let files = media
        .into_iter()
        .map(|(path, bytes)| SiteFile { path, bytes })
        .collect();
    Ok((files, recoded))
}

/// A capture's text in UTF-8, decoded as `import-web` decodes it, when its bytes are text in
/// another encoding (GB2312, windows-1252…), which a browser given the file as UTF-8 text
/// would garble.
fn text_copy(file: &str, bytes: &[u8]) -> Option<String> {
    let text_like = matches!(
        paths::extension(file).as_str(),
        "txt" | "text" | "htm" | "html" | "xhtml" | "shtml" | "xml"
    );
    if !text_like || std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    crate::ingest::web::decode_text(file, bytes, None).ok()
}

/// The digest of a file of `version` that the site carries a copy of, to show: an image of a
/// type every browser shows (an SVG that parses, cleaned).
fn carried<'a>(version: &'a Loaded, path: &str) -> Option<&'a str> {
    (version.state.get(path))
        .filter(|digest| is_web_image(path) && !version.refused.contains(*digest))
        .map(String::as_str)
}

/// The page of the head (`version` None) or of one version.
fn issue_page(
    site: &Site,
    issue: &IssueEntry,
    version: &Loaded,
    number: Option<u32>,
    all: &[Loaded],
) -> Result<SiteFile, SiteError> {
    let meta = &version.edition.issue;
    let folder = paths::head_or_version(issue.id(), number);
    let cover_digest = meta.cover.as_ref().and_then(|c| carried(version, c));
    let card = site.issue_card(&folder, issue, number, meta, cover_digest, 0);
    let versions = all
        .iter()
        .map(|v| {
            let n = v.edition.version.number;
            VersionItem {
                label: format!("Version {n}"),
                href: link(&folder, &paths::version(issue.id(), n)),
                created: when_created(&v.edition.created),
                message: v.message.clone().unwrap_or_default(),
                current: number == Some(n),
            }
        })
        .collect();
    let version_note = number.map(|n| {
        format!(
            "This page keeps version {n} of {} as it was made on {}.",
            all.len(),
            when_created(&version.edition.created).text
        )
    });
    let page = IssuePage {
        chrome: site.chrome(&folder, &card.title, ""),
        toc: site.toc(&folder, issue, number, meta),
        card,
        version_note,
        head_href: link(&folder, &paths::issue(issue.id())),
        lang: meta.text_language().map(str::to_string),
        imprint: meta.publication.imprint(),
        versions,
    };
    render(&folder, &page)
}

/// The pages of one article: its first page (at the article's folder), its other pages and
/// the single-page view when its captures had several pages. The links of its body that lead
/// nowhere are noted in `unkept`.
fn article_pages(
    view: &ArticleView,
    history: Vec<HistoryItem>,
    unkept: &mut Vec<UnkeptLinks>,
) -> Result<Vec<SiteFile>, SiteError> {
    let base = paths::article(view.issue.id(), view.number, &view.article.id);
    let first = view.body(&base);
    note_unkept(unkept, view.issue.id(), &view.article.id, &first.unkept);
    let raw: Vec<Option<u32>> = first.pages.iter().map(|p| p.label).collect();
    let labels = page_labels(&raw);
    let folders = page_folders(&base, &labels);
    let all = paths::article_all(&base);
    let several = folders.len() > 1;
    let mut files = Vec::new();
    let mut history = Some(history);
    for (i, folder) in folders.iter().enumerate() {
        let body = if i == 0 {
            first.clone()
        } else {
            view.body(folder)
        };
        let shown = Shown {
            html: body.pages[i].html.clone(),
            page_bar: page_bar(folder, &folders, &labels, i),
            other_view: several.then(|| ("Read the whole article on one page", link(folder, &all))),
            history: history.take().unwrap_or_default(),
        };
        files.push(view.render(folder, &body, shown)?);
    }
    if several {
        let body = view.body(&all);
        let shown = Shown {
            html: body.pages.iter().map(|p| p.html.as_str()).collect(),
            page_bar: Vec::new(),
            other_view: Some(("Read the article page by page", link(&all, &base))),
            history: Vec::new(),
        };
        files.push(view.render(&all, &body, shown)?);
    }
    Ok(files)
}

/// What one page of an article shows of its body and around it.
struct Shown {
    html: String,
    page_bar: Vec<PageLink>,
    other_view: Option<(&'static str, String)>,
    history: Vec<HistoryItem>,
}

/// The numbers the pages go by (`labels` are those the page marks give): the original's,
/// when every page mark gives a distinct one, else 1, 2, 3…
pub(super) fn page_labels(labels: &[Option<u32>]) -> Vec<u32> {
    let marked: Vec<u32> = labels.iter().flatten().copied().collect();
    let mut distinct = marked.clone();
    distinct.sort();
    distinct.dedup();
    if marked.len() == labels.len() && distinct.len() == marked.len() && !marked.contains(&0) {
        marked
    } else {
        (1..=labels.len() as u32).collect()
    }
}

/// The folder of each page of the article at `base`, whose pages go by `labels`.
pub(super) fn page_folders(base: &str, labels: &[u32]) -> Vec<String> {
    (labels.iter().enumerate())
        .map(|(i, label)| match i {
            0 => base.to_string(),
            _ => paths::article_page(base, *label),
        })
        .collect()
}

/// Previous, the page numbers, Next: for page `current` of `folders`.
fn page_bar(from: &str, folders: &[String], labels: &[u32], current: usize) -> Vec<PageLink> {
    if folders.len() < 2 {
        return Vec::new();
    }
    let to = |i: usize| Some(link(from, &folders[i]));
    let mut bar = vec![PageLink {
        text: "Previous".into(),
        href: current.checked_sub(1).and_then(to),
        current: false,
        label: String::new(),
    }];
    for (i, label) in labels.iter().enumerate() {
        bar.push(PageLink {
            text: label.to_string(),
            href: to(i),
            current: i == current,
            label: format!("Page {label}"),
        });
    }
    bar.push(PageLink {
        text: "Next".into(),
        href: (current + 1 < folders.len())
            .then(|| current + 1)
            .and_then(to),
        current: false,
        label: String::new(),
    });
    bar
}

/// An article of one version, with what every page of it shows.
struct ArticleView<'a> {
    site: &'a Site<'a>,
    issue: &'a IssueEntry,
    version: &'a Loaded,
    number: Option<u32>,
    article: &'a Article,
    /// Where its links lead on the version's pages.
    links: &'a VersionLinks,
}

impl<'a> ArticleView<'a> {
    /// `article` of `version`, shown on the head's pages (`number` None) or version
    /// `number`'s.
    fn new(
        site: &'a Site<'a>,
        issue: &'a IssueEntry,
        (version, number): (&'a Loaded, Option<u32>),
        article: &'a Article,
        links: &'a VersionLinks,
    ) -> Self {
        ArticleView {
            site,
            issue,
            version,
            number,
            article,
            links,
        }
    }

    /// The body, rendered for a page in `folder` (its image links climb from there).
    fn body(&self, folder: &str) -> Body {
        let markdown = self.version.edition.body(&self.article.id);
        let root = paths::root_of(folder);
        let image = |path: &str| {
            let digest = carried(self.version, path)?;
            Some(format!(
                "{root}{}",
                paths::image(self.issue.id(), digest, path)
            ))
        };
        let section = |name: &str| self.site.section_link(folder, self.issue, name);
        let link = |href: &str| (self.links).url((folder, &self.article.id), href, &section);
        body::render(markdown, &image, &link, &self.article.images)
    }

    fn render(&self, folder: &str, body: &Body, shown: Shown) -> Result<SiteFile, SiteError> {
        let (site, issue, article) = (self.site, self.issue, self.article);
        let meta = &self.version.edition.issue;
        let cover = meta.cover.as_ref().and_then(|c| carried(self.version, c));
        let card = site.issue_card(folder, issue, self.number, meta, cover, 0);
        let section_href = article
            .section
            .as_ref()
            .and_then(|name| site.section_link(folder, issue, name));
        // The article's head in its own language, as the EPUB and the PDF word it.
        let own = words::words(article.language_in(meta));
        let authors = article.authors.join(", ");
        let page = ArticlePage {
            chrome: site.chrome(folder, &article.title, ""),
            lang: article.language_in(meta).map(str::to_string),
            issue: card,
            section: article.section.clone(),
            section_href,
            title: article.title.clone(),
            deck: article.deck.clone(),
            byline: (!article.authors.is_empty()).then(|| own.fill(own.by, &authors)),
            updated: article.updated.map(|date| dated(own, own.updated, date)),
            published: article
                .published
                .map(|date| dated(own, own.published, date)),
            version_note: self.version_note(folder),
            body: shown.html,
            figures: self.figures(folder, body),
            page_bar: shown.page_bar,
            other_view: shown
                .other_view
                .map(|(text, href)| (text.to_string(), href)),
            pages_note: pages_note(article),
            sources: self.sources(folder),
            history: shown.history,
        };
        render(folder, &page)
    }

    /// On a version's page: which version it is, and where the current text is.
    fn version_note(&self, folder: &str) -> Option<(String, String)> {
        let number = self.number?;
        let text = format!(
            "This is the article as version {number} of the issue has it, made on {}.",
            when_created(&self.version.edition.created).text
        );
        let head_has_it = self.issue.issue.articles().any(|a| a.id == self.article.id);
        let target = match head_has_it {
            true => paths::article(self.issue.id(), None, &self.article.id),
            false => paths::issue(self.issue.id()),
        };
        Some((text, link(folder, &target)))
    }

    /// The images the metadata lists that the body does not show.
    fn figures(&self, folder: &str, body: &Body) -> Vec<Figure> {
        let root = paths::root_of(folder);
        self.article
            .images
            .iter()
            .filter(|image| !body.shown.contains(&image.file))
            .filter_map(|image| {
                let digest = carried(self.version, &image.file)?;
                let alt = image
                    .alt
                    .clone()
                    .or(image.caption.clone())
                    .unwrap_or_default();
                Some(Figure {
                    picture: Picture {
                        src: format!(
                            "{root}{}",
                            paths::image(self.issue.id(), digest, &image.file)
                        ),
                        alt,
                    },
                    caption: image.caption.clone(),
                    credit: image.credit.clone(),
                })
            })
            .collect()
    }

    /// The captures the article came from, each linked to the site's copy, with its page,
    /// site, capture date and address.
    fn sources(&self, folder: &str) -> Vec<SourceItem> {
        let root = paths::root_of(folder);
        self.article
            .sources
            .iter()
            .map(|source| {
                let media = (self.version.state.get(&source.file))
                    .map(|digest| paths::media(self.issue.id(), digest, &source.file));
                let original = media.as_ref().map(|media| format!("{root}{media}"));
                // A capture in another encoding: its text in UTF-8, and its bytes beside.
                let (href, original) = match media.filter(|m| self.version.recoded.contains(m)) {
                    Some(_) => (original.as_deref().map(paths::text_copy), original),
                    None => (original, None),
                };
                let mut details = Vec::new();
                if let Some(page) = source.page {
                    details.push(format!("page {page} of the original"));
                }
                if let Some(site) = &source.site {
                    details.push(site.clone());
                }
                if let Some(captured) = &source.captured {
                    details.push(format!("captured {}", when_created(captured).text));
                }
                // Only a web address is a link: the metadata may hold anything.
                let url = source
                    .url
                    .clone()
                    .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
                SourceItem {
                    name: source.file.clone(),
                    href,
                    original,
                    details: details.join(", "),
                    url,
                }
            })
            .collect()
    }
}

/// What the metadata says of the original's pages that the body does not show: pages no
/// capture holds, or the pages a one-page capture's page bar lists.
fn pages_note(article: &Article) -> Option<String> {
    let pages = article.pages.as_ref()?;
    let list = |numbers: &[u32]| {
        numbers
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !pages.missing.is_empty() {
        return Some(format!(
            "Not captured: page{} {} of the original.",
            crate::plural(pages.missing.len()),
            list(&pages.missing)
        ));
    }
    if article.sources.len() <= 1 && !pages.listed.is_empty() {
        let this = pages
            .page
            .map(|p| format!("page {p} of "))
            .unwrap_or_default();
        return Some(format!(
            "This text is {this}an article whose original page bar lists pages {}; only this capture is archived.",
            list(&pages.listed)
        ));
    }
    None
}
