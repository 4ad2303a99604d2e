//! The EPUB 3 e-book, with an EPUB 2 NCX for older readers: one XHTML document per article
//! (and a short page per section), a nav nested section, article, heading; landmarks; the
//! cover; a stylesheet for small screens; the issue's metadata.
//!
//! The book is made to be read without seeing it too (EPUB Accessibility 1.1, see `a11y`):
//! every image is described or says that the source gave no description, the pages of the
//! default PDF edition are marked and listed (`pages`), and the book's warnings say what kept
//! it from claiming conformance or from having page numbers.
//!
//! epub-builder writes the book. One documented step then finishes it: the package document
//! gets what epub-builder cannot write (its `xml:lang`, a distinct id on `dc:language`,
//! `dc:publisher`, `dc:date`, `dc:source`, the issue's numbering as a subtitle, the series the
//! issue belongs to with its ISSN and the issue's place in it, the accessibility metadata),
//! the nav document gets its `xml:lang` and ARIA roles, and the zip is rewritten with
//! `mimetype` first and stored, every entry dated 1980-01-01, so the same version gives the
//! same bytes.

mod a11y;
mod body;
pub(crate) mod images;
mod links;
mod pages;

pub use a11y::CONFORMS_TO;
#[cfg(feature = "site")]
pub(crate) use body::caption_xhtml;
pub(crate) use images::sniff;

use super::pdf::compose::numbering;
use super::words::{words, Words};
use super::{Edition, ExportError};
use crate::archive::DigestAlgorithm;
use epub_builder::{EpubBuilder, EpubContent, EpubVersion, ReferenceType, TocElement, ZipLibrary};
use images::Gallery;
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

const STYLESHEET: &str = "body { margin: 0 4%; font-family: serif; line-height: 1.45; }
h1 { font-family: sans-serif; font-size: 1.5em; line-height: 1.2; margin: 1em 0 0.3em; }
h2, h3 { font-family: sans-serif; font-size: 1.1em; margin: 1.4em 0 0.4em; page-break-after: avoid; }
p { margin: 0 0 0.6em; text-align: justify; hyphens: auto; -epub-hyphens: auto; }
p.section { font-family: sans-serif; font-size: 0.75em; letter-spacing: 0.08em; text-transform: uppercase; color: #555; margin: 0; }
p.deck { font-style: italic; font-size: 1.1em; color: #333; text-align: left; }
p.credits { font-family: sans-serif; font-size: 0.8em; color: #555; }
p.note { font-family: sans-serif; font-size: 0.8em; color: #555; }
blockquote { margin: 0.8em 1.5em; font-style: italic; }
img { max-width: 100%; max-height: 95vh; height: auto; object-fit: contain; }
figure { margin: 1em 0; text-align: center; }
figcaption { font-family: sans-serif; font-size: 0.8em; color: #555; }
figcaption .credit { font-style: italic; display: block; }
nav ol { list-style: none; padding-left: 1em; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { border: 1px solid #999; padding: 0.2em 0.4em; vertical-align: top; }
caption { font-family: sans-serif; font-size: 0.85em; margin-bottom: 0.3em; }
pre { white-space: pre-wrap; font-size: 0.85em; margin: 0.8em 0; }
code { font-family: monospace; }
dt { font-weight: bold; margin-top: 0.4em; }
dd { margin: 0 0 0.4em 1.5em; }
aside { font-size: 0.85em; margin: 0.6em 0; }
aside.pullquote { font-family: sans-serif; font-size: 1.2em; font-style: italic; text-align: center; margin: 1.2em 8%; padding: 0.5em 0; border-top: 2px solid #555; border-bottom: 2px solid #555; }
aside.pullquote p { text-align: center; margin: 0; }
span.caption { font-family: sans-serif; font-size: 0.8em; color: #555; }
span.caption .credit { font-style: italic; }
:lang(zh) p.deck, :lang(ja) p.deck, :lang(ko) p.deck, :lang(zh) blockquote, :lang(ja) blockquote, :lang(ko) blockquote, :lang(zh) .credit, :lang(ja) .credit, :lang(ko) .credit, :lang(zh) aside.pullquote, :lang(ja) aside.pullquote, :lang(ko) aside.pullquote { font-style: normal; }
a.note-label { font-weight: bold; text-decoration: none; }
.cover { text-align: center; margin: 0; }
.cover img { max-height: 95vh; }
";

/// What the EPUB depends on besides the edition.
pub struct EpubOptions {
    pub quire_version: String,
}

/// A book, and what its reader should be told it lacks.
pub type Epub = super::Output<EpubWarning>;

/// Something the book could not do as it should; the book is made all the same.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EpubWarning {
    #[error("{count} image(s) have neither alt text nor a caption: the book says that the source gave no description, and does not claim EPUB Accessibility conformance")]
    UndescribedImages { count: usize },
    #[error("{count} image(s) are animated (GIF, SVG or WebP) and may flash, which quire does not check: the book declares an unknown hazard and does not claim EPUB Accessibility conformance")]
    UncheckedImages { count: usize },
    #[error("{file}: not in the book, as {reason}{}", if *.cover { "; the book has no cover" } else { "; the text names it where it stands" })]
    ImageLeftOut {
        file: String,
        reason: String,
        cover: bool,
    },
    #[error("{file}: removed from the SVG for safety: {}", .removed.join("; "))]
    SvgCleaned { file: String, removed: Vec<String> },
    #[error("the issue names no language: the book does not claim EPUB Accessibility conformance")]
    NoLanguage,
    #[error("the book has no page list: the PDF edition's layout cannot run ({reason})")]
    NoPageList { reason: String },
    #[error("article {article}: link(s) to {} lead nowhere in the book: their text is kept without the link", .targets.join(", "))]
    UnkeptLinks {
        article: String,
        targets: Vec<String>,
    },
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn error<E: Into<Box<dyn std::error::Error + Send + Sync>>>(cause: E) -> ExportError {
    ExportError::encode("the EPUB")(cause)
}

/// An article's document name: prefixed, so that no id can take the name of the cover, the
/// nav or a section page.
fn article_file(id: &str) -> String {
    format!("a-{id}.xhtml")
}

/// A named section's opening page, by the section's index.
fn section_file(index: usize) -> String {
    format!("section-{}.xhtml", index + 1)
}

/// Text without the characters XML 1.0 cannot hold (C0 controls but tab, LF and CR).
fn xml_safe(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .filter(|c| !matches!(c, '\u{fffe}' | '\u{ffff}'))
        .collect()
}

/// A stable identifier for the issue (the same for every version): a UUID made from the
/// object id's digest.
fn identifier(object_id: &str) -> uuid::Uuid {
    let digest = DigestAlgorithm::Sha256.digest(format!("quire:{object_id}").as_bytes());
    let mut bytes = [0u8; 16];
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&digest[i * 2..i * 2 + 2], 16).unwrap_or(0);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8: made by the application
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
    uuid::Uuid::from_bytes(bytes)
}

/// The EPUB of `edition`, with what it could not do as it should.
pub fn export_epub(edition: &Edition, options: &EpubOptions) -> Result<Epub, ExportError> {
    let issue = &edition.issue;
    let language = issue.text_language().unwrap_or("und").to_string();
    let title = issue.full_title();
    let mut builder = start_book(edition, options, &language, &title)?;
    let gallery = images::gallery(edition.all_images(), issue.cover.as_deref());
    add_images(&mut builder, edition, &gallery)?;
    let mut shown: Vec<String> = add_cover(&mut builder, edition, &gallery, &language)?
        .into_iter()
        .collect();
    let pdf_pages = pages::pdf_pages(edition, &options.quire_version);
    let text = add_text(&mut builder, edition, &gallery, pdf_pages.as_ref().ok())?;
    shown.extend(text.shown);
    add_colophon(&mut builder, edition, options, &language)?;
    let unchecked = shown
        .iter()
        .filter(|s| images::may_move(gallery.carried[*s].media_type, &gallery.bytes[*s]))
        .count();
    let facts = a11y::Facts {
        images: shown.len(),
        undescribed: text.undescribed,
        unchecked,
        language: issue.text_language().is_some(),
        mathml: !text.mathml_files.is_empty(),
        page_source: (!text.pages.is_empty()).then(|| pages::source(edition)),
    };

    let mut raw = Vec::new();
    builder.generate(&mut raw).map_err(error)?;
    let finishing = Finish {
        language: &language,
        mathml_files: &text.mathml_files,
        facts: &facts,
        page_list: (!text.pages.is_empty()).then(|| pages::page_list(&text.pages)),
    };
    let bytes = finish(&raw, edition, &finishing)?;
    let mut warnings = gallery.warnings;
    warnings.extend(self::warnings(&facts, pdf_pages.err()));
    warnings.extend(
        (text.unkept.into_iter())
            .map(|(article, targets)| EpubWarning::UnkeptLinks { article, targets }),
    );
    Ok(Epub { bytes, warnings })
}

/// The cover page, when the issue has a cover the book carries; returns the cover's path.
fn add_cover(
    builder: &mut EpubBuilder<ZipLibrary>,
    edition: &Edition,
    gallery: &Gallery,
    language: &str,
) -> Result<Option<String>, ExportError> {
    let Some((cover, image)) =
        (edition.issue.cover.as_ref()).and_then(|c| gallery.carried.get_key_value(c))
    else {
        return Ok(None);
    };
    // The cover is described by the issue's title.
    let title = edition.issue.full_title();
    let body = format!(
        "<section class=\"cover\" epub:type=\"cover\">{}</section>\n",
        images::img(image, Some(&title))
    );
    let page = xhtml_page(language, &title, &body);
    builder
        .add_content(
            EpubContent::new("cover.xhtml", page.as_bytes())
                .title("Cover")
                .reftype(ReferenceType::Cover),
        )
        .map_err(error)?;
    Ok(Some(cover.clone()))
}

/// The colophon, last: the publication's imprint and where the book came from (the archive
/// object, version and metadata digest), as the PDF's colophon gives them.
fn add_colophon(
    builder: &mut EpubBuilder<ZipLibrary>,
    edition: &Edition,
    options: &EpubOptions,
    language: &str,
) -> Result<(), ExportError> {
    let words = words(Some(language));
    let lines: String = words
        .colophon_lines(edition, &options.quire_version)
        .iter()
        .map(|line| format!("<p class=\"note\">{}</p>\n", escape(line)))
        .collect();
    let body = format!(
        "<section epub:type=\"colophon\" role=\"doc-colophon\">\n<h1>{}</h1>\n{lines}</section>\n",
        escape(words.colophon)
    );
    let page = xhtml_page(language, words.colophon, &body);
    builder
        .add_content(
            EpubContent::new("colophon.xhtml", page.as_bytes())
                .title(words.colophon)
                .reftype(ReferenceType::Colophon),
        )
        .map_err(error)?;
    Ok(())
}

/// What the book warns of: what kept it from claiming conformance, and why it has no page
/// list.
fn warnings(facts: &a11y::Facts, no_page_list: Option<String>) -> Vec<EpubWarning> {
    let mut warnings = Vec::new();
    if facts.undescribed > 0 {
        warnings.push(EpubWarning::UndescribedImages {
            count: facts.undescribed,
        });
    }
    if facts.unchecked > 0 {
        warnings.push(EpubWarning::UncheckedImages {
            count: facts.unchecked,
        });
    }
    if !facts.language {
        warnings.push(EpubWarning::NoLanguage);
    }
    if let Some(reason) = no_page_list {
        warnings.push(EpubWarning::NoPageList { reason });
    }
    warnings
}

/// What the text documents hold, as the book's metadata needs it.
struct Text {
    /// The documents with MathML.
    mathml_files: Vec<String>,
    /// The images shown (paths in the source folder), and how many nothing describes.
    shown: Vec<String>,
    undescribed: usize,
    /// Each page of the PDF edition marked, with its document.
    pages: Vec<(usize, String)>,
    /// The links that lead nowhere in the book, by article.
    unkept: Vec<(String, Vec<String>)>,
}

/// The pages of the PDF edition that hold article text, by article.
type PdfPages = BTreeMap<String, Vec<pages::PdfPage>>;

/// Adds the section openers and the articles, in reading order.
fn add_text(
    builder: &mut EpubBuilder<ZipLibrary>,
    edition: &Edition,
    gallery: &Gallery,
    pdf_pages: Option<&PdfPages>,
) -> Result<Text, ExportError> {
    let issue = &edition.issue;
    let language = issue.text_language().unwrap_or("und");
    let mut text = Text {
        mathml_files: Vec::new(),
        shown: Vec::new(),
        undescribed: 0,
        pages: Vec::new(),
        unkept: Vec::new(),
    };
    let bodies: BTreeMap<String, String> = issue
        .articles()
        .map(|article| {
            let words = words(article.language_in(issue));
            let body =
                super::missing::with_missing_pages(article, edition.body(&article.id), words);
            (article.id.clone(), body.into_owned())
        })
        .collect();
    let links = links::Links::new(issue, &bodies);
    let mut first_text = true;
    for (s, section) in issue.sections.iter().enumerate() {
        let level = if let Some(name) = &section.name {
            let xhtml = xhtml_page(language, name, &section_body(name, section));
            let content = EpubContent::new(section_file(s), xhtml.as_bytes())
                .title(name)
                .level(1);
            builder
                .add_content(mark_start(content, &mut first_text))
                .map_err(error)?;
            2
        } else {
            1
        };
        for article in &section.articles {
            let pages = pdf_pages.and_then(|p| p.get(&article.id));
            let source = Source {
                markdown: &bodies[&article.id],
                links: &links,
                gallery,
            };
            let content = article_content(edition, (section, article), &source, pages, &mut text)?;
            builder
                .add_content(mark_start(content.level(level), &mut first_text))
                .map_err(error)?;
        }
    }
    Ok(text)
}

/// What an article's document is made from besides the article.
struct Source<'a> {
    /// Its body as the book shows it.
    markdown: &'a str,
    links: &'a links::Links,
    gallery: &'a Gallery<'a>,
}

/// An article's document, with its headings for the nav and its PDF pages marked.
fn article_content(
    edition: &Edition,
    (section, article): (&crate::model::Section, &crate::model::Article),
    source: &Source,
    pages: Option<&Vec<pages::PdfPage>>,
    text: &mut Text,
) -> Result<EpubContent<Cursor<Vec<u8>>>, ExportError> {
    let words = words(article.language_in(&edition.issue));
    let (markdown, gallery) = (source.markdown, source.gallery);
    let link = |href: &str| source.links.resolve(&article.id, href);
    let body = body::body_xhtml(markdown, gallery, &article.images, &link);
    if !body.unkept.is_empty() {
        text.unkept.push((article.id.clone(), body.unkept));
    }
    let head = article_head(section.name.as_deref(), article, words);
    let figures = unshown_figures(article, &body.placed, gallery, text);
    let mut xhtml = format!("<article>\n{head}{}{figures}</article>\n", body.xhtml);
    let file = article_file(&article.id);
    if let Some(pages) = pages {
        xhtml = pages::mark(&xhtml, pages);
        text.pages
            .extend(pages.iter().map(|p| (p.number, file.clone())));
    }
    if body.mathml {
        text.mathml_files.push(file.clone());
    }
    text.shown.extend(body.shown);
    text.undescribed += body.undescribed;
    // Each document in its own language: an article's, or else the issue's.
    let lang = article.language_in(&edition.issue).unwrap_or("und");
    let page = xhtml_page(lang, &article.title, &xhtml);
    let mut content =
        EpubContent::new(file.clone(), Cursor::new(page.into_bytes())).title(&article.title);
    for (id, heading) in body.headings {
        content = content.child(TocElement::new(format!("{file}#{id}"), heading));
    }
    Ok(content)
}

/// The first document of the text is where a reader opens the book.
fn mark_start<R: Read>(content: EpubContent<R>, first: &mut bool) -> EpubContent<R> {
    if std::mem::take(first) {
        content.reftype(ReferenceType::Text)
    } else {
        content
    }
}

/// A builder with the book's metadata and stylesheet.
fn start_book(
    edition: &Edition,
    options: &EpubOptions,
    language: &str,
    title: &str,
) -> Result<EpubBuilder<ZipLibrary>, ExportError> {
    let issue = &edition.issue;
    let created = edition.created_time()?.with_timezone(&chrono::Utc);
    let mut builder = EpubBuilder::new(ZipLibrary::new().map_err(error)?).map_err(error)?;
    builder.epub_version(EpubVersion::V30);
    builder.set_title(title);
    builder.add_language(language);
    // The navigation's heading, in the book's language (epub-builder's is "Table Of
    // Contents").
    builder.set_toc_name(words(Some(language)).contents);
    if crate::model::is_right_to_left(language) {
        // The spine's page-progression-direction (epub-builder's `epub_direction` sets a
        // field its package template does not read).
        builder.metadata("direction", "rtl").map_err(error)?;
    }
    builder.set_generator(format!("quire {}", options.quire_version));
    builder.set_uuid(identifier(&edition.object_id));
    builder.set_modified_date(created);
    for author in issue.authors() {
        builder.add_author(author);
    }
    for section in issue.sections.iter().filter_map(|s| s.name.as_ref()) {
        builder.add_subject(section);
    }
    builder.stylesheet(STYLESHEET.as_bytes()).map_err(error)?;
    Ok(builder)
}

/// Adds the images the book carries (those of a type every reader supports, the cover as
/// the cover image).
fn add_images(
    builder: &mut EpubBuilder<ZipLibrary>,
    edition: &Edition,
    gallery: &Gallery,
) -> Result<(), ExportError> {
    for (source, image) in &gallery.carried {
        let bytes = gallery.bytes[source].as_ref();
        if edition.issue.cover.as_ref() == Some(source) {
            builder
                .add_cover_image(&image.path, bytes, image.media_type)
                .map_err(error)?;
        } else {
            builder
                .add_resource(&image.path, bytes, image.media_type)
                .map_err(error)?;
        }
    }
    Ok(())
}

/// An XHTML document in `lang`.
fn xhtml_page(lang: &str, title: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"{lang}\" lang=\"{lang}\"{dir}>\n<head>\n<meta charset=\"UTF-8\"/>\n<title>{title}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\"/>\n</head>\n<body>\n{body}</body>\n</html>\n",
        lang = escape(lang),
        dir = dir_attribute(lang),
        title = escape(title),
    )
}

/// ` dir="rtl"` for a language written right to left, else nothing (left to right is the
/// default).
fn dir_attribute(lang: &str) -> &'static str {
    if crate::model::is_right_to_left(lang) {
        " dir=\"rtl\""
    } else {
        ""
    }
}

/// A section's opening page: its name and the list of its articles.
fn section_body(name: &str, section: &crate::model::Section) -> String {
    let mut list = String::new();
    for article in &section.articles {
        list.push_str(&format!(
            "<li><a href=\"{}\">{}</a></li>\n",
            article_file(&article.id),
            escape(&article.title)
        ));
    }
    format!(
        "<section epub:type=\"part\" role=\"doc-part\">\n<h1>{}</h1>\n<ol>\n{list}</ol>\n</section>\n",
        escape(name)
    )
}

/// An article's section label, title, deck and credits ("By …", "Published …", "Updated …",
/// in the article's language, as the PDF edition says them).
fn article_head(section: Option<&str>, article: &crate::model::Article, words: &Words) -> String {
    let mut head = String::new();
    if let Some(name) = section {
        head.push_str(&format!("<p class=\"section\">{}</p>\n", escape(name)));
    }
    head.push_str(&format!("<h1>{}</h1>\n", escape(&article.title)));
    if let Some(deck) = &article.deck {
        head.push_str(&format!("<p class=\"deck\">{}</p>\n", escape(deck)));
    }
    let mut credits = Vec::new();
    if !article.authors.is_empty() {
        credits.push(escape(&words.fill(words.by, &article.authors.join(", "))));
    }
    for (pattern, date) in [
        (words.published, &article.published),
        (words.updated, &article.updated),
    ] {
        if let Some(date) = date {
            let time = format!(
                "<time datetime=\"{date}\">{}</time>",
                escape(&words.date(date))
            );
            credits.push(words.fill(&escape(pattern), &time));
        }
    }
    if !credits.is_empty() {
        head.push_str(&format!(
            "<p class=\"credits\">{}</p>\n",
            credits.join(" · ")
        ));
    }
    head
}

/// Figures for the images the metadata lists but the body neither shows nor names (`placed`),
/// counted in `text`: each the book carries shown, each it does not named with why, with
/// their captions and credits.
fn unshown_figures(
    article: &crate::model::Article,
    placed: &[String],
    gallery: &Gallery,
    text: &mut Text,
) -> String {
    let mut figures = String::new();
    for image in article.images.iter().filter(|i| !placed.contains(&i.file)) {
        let described = images::description([image.alt.as_deref(), image.caption.as_deref()]);
        let shown = match gallery.carried.get(&image.file) {
            Some(book) => {
                text.undescribed += usize::from(described.is_none());
                text.shown.push(image.file.clone());
                images::img(book, described)
            }
            None => match gallery.left_out.get(&image.file) {
                Some(left_out) => {
                    let alt = image.alt.as_deref().unwrap_or_default();
                    body::not_carried(alt, &image.file, Some(left_out))
                }
                None => continue,
            },
        };
        figures.push_str(&format!("<figure>{shown}"));
        if let Some(caption) = body::caption_xhtml(image) {
            figures.push_str(&format!("<figcaption>{caption}</figcaption>"));
        }
        figures.push_str("</figure>\n");
    }
    figures
}

/// What the step after epub-builder adds.
struct Finish<'a> {
    language: &'a str,
    mathml_files: &'a [String],
    facts: &'a a11y::Facts,
    /// The `page-list` nav, when the book has page-break markers.
    page_list: Option<String>,
}

/// The one step after epub-builder (see the module documentation).
fn finish(raw: &[u8], edition: &Edition, finish: &Finish) -> Result<Vec<u8>, ExportError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(raw)).map_err(error)?;
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(error)?;
        let name = file.name().to_string();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(error)?;
        entries.push((name, bytes));
    }
    for (name, bytes) in &mut entries {
        if name.ends_with("content.opf") {
            let text = String::from_utf8(std::mem::take(bytes)).map_err(error)?;
            *bytes = finish_package(text, edition, finish).into_bytes();
        } else if name.ends_with("nav.xhtml") {
            let text = String::from_utf8(std::mem::take(bytes)).map_err(error)?;
            *bytes = finish_nav(text, finish).into_bytes();
        }
    }
    rezip(&entries)
}

/// The package document with its language, the issue's metadata, the accessibility metadata,
/// and the documents with MathML marked.
fn finish_package(text: String, edition: &Edition, finish: &Finish) -> String {
    let lang = escape(finish.language);
    let mut text = text.replacen(
        "<package version=\"3.0\"",
        &format!("<package xml:lang=\"{lang}\" version=\"3.0\""),
        1,
    );
    // epub-builder gives dc:language the creators' ids: a duplicate id.
    text = text.replace(
        "<dc:language id=\"epub-creator-",
        "<dc:language id=\"epub-language-",
    );
    let mut extra = issue_metadata(edition);
    extra.extend(finish.facts.metadata());
    text = text.replacen(
        "<meta property=\"dcterms:modified\">",
        &format!(
            "{}\n    <meta property=\"dcterms:modified\">",
            extra.join("\n    ")
        ),
        1,
    );
    for file in finish.mathml_files {
        if let Some(at) = text.find(&format!("href=\"{file}\"")) {
            text.insert_str(at, "properties=\"mathml\" ");
        }
    }
    text
}

/// What the package says of the issue beyond what epub-builder writes: its publisher, date,
/// source, its numbering as the PDF's cover gives it (a subtitle after the main title, which
/// the first `dc:title` is), and the series it belongs to.
fn issue_metadata(edition: &Edition) -> Vec<String> {
    let issue = &edition.issue;
    let mut extra = Vec::new();
    if let Some(publisher) = &issue.publication.publisher {
        extra.push(format!(
            "<dc:publisher>{}</dc:publisher>",
            escape(publisher)
        ));
    }
    if let Some(date) = issue.date {
        extra.push(format!("<dc:date>{date}</dc:date>"));
    }
    extra.push(format!(
        "<dc:source>{} {}</dc:source>",
        escape(&edition.object_id),
        edition.version
    ));
    let numbering = numbering(issue, words(issue.text_language()), " · ");
    if !numbering.is_empty() {
        extra.push(format!(
            "<dc:title id=\"subtitle\">{}</dc:title>\n    <meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>",
            escape(&numbering)
        ));
    }
    extra.extend(collection(issue));
    extra
}

/// The series the issue belongs to: the publication, identified by its ISSN, with the issue's
/// place in it.
fn collection(issue: &crate::model::Issue) -> Vec<String> {
    let mut lines = vec![format!(
        "<meta property=\"belongs-to-collection\" id=\"collection\">{}</meta>\n    <meta refines=\"#collection\" property=\"collection-type\">series</meta>",
        escape(&issue.publication.title)
    )];
    if let Some(issn) = &issue.publication.issn {
        lines.push(format!(
            "<meta refines=\"#collection\" property=\"dcterms:identifier\">urn:issn:{}</meta>",
            escape(issn)
        ));
    }
    if let Some(position) = group_position(issue.volume.as_deref(), issue.number.as_deref()) {
        lines.push(format!(
            "<meta refines=\"#collection\" property=\"group-position\">{position}</meta>"
        ));
    }
    lines
}

/// The issue's place in its series as EPUB 3.3 writes it for a periodical: `volume.number`
/// (volume 12, number 7 is `12.7`), or the number alone without a volume; a double issue
/// (`7-8`) takes the place of its first number. `None` for a number that gives no place.
fn group_position(volume: Option<&str>, number: Option<&str>) -> Option<String> {
    let place = |text: &str| {
        let text = text.trim();
        let numeric = !text.is_empty()
            && text
                .split('.')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
        numeric.then(|| text.to_string())
    };
    let number = number?;
    let number = place(number).or_else(|| {
        let (first, last) = number.split_once(['-', '/', '\u{2013}'])?;
        place(last)?;
        place(first)
    })?;
    Some(match volume.and_then(place).filter(|v| !v.contains('.')) {
        Some(volume) if !number.contains('.') => format!("{volume}.{number}"),
        _ => number,
    })
}

/// The nav document in the book's language, each nav with its ARIA role or name, and the page
/// list when there is one.
fn finish_nav(text: String, finish: &Finish) -> String {
    let lang = escape(finish.language);
    let mut text = text
        .replacen(
            "xmlns:epub=\"http://www.idpf.org/2007/ops\">",
            &format!(
                "xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"{lang}\" lang=\"{lang}\"{}>",
                dir_attribute(finish.language)
            ),
            1,
        )
        .replacen(
            "<nav epub:type = \"toc\" id=\"toc\">",
            "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" aria-labelledby=\"toc-title\">",
            1,
        )
        .replacen(
            "<nav epub:type = \"landmarks\">",
            "<nav epub:type=\"landmarks\" aria-label=\"Landmarks\">",
            1,
        );
    if let Some(page_list) = &finish.page_list {
        if let Some(at) = text.rfind("</body>") {
            text.insert_str(at, page_list);
        }
    }
    text
}

/// The book's zip: `mimetype` first and stored; then the rest in epub-builder's order, all
/// dated alike.
fn rezip(entries: &[(String, Vec<u8>)]) -> Result<Vec<u8>, ExportError> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    out.start_file("mimetype", stored).map_err(error)?;
    out.write_all(b"application/epub+zip").map_err(error)?;
    for (name, bytes) in entries.iter().filter(|(n, _)| n != "mimetype") {
        out.start_file(name.as_str(), deflated).map_err(error)?;
        out.write_all(bytes).map_err(error)?;
    }
    Ok(out.finish().map_err(error)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Article;

    fn article(language: Option<&str>) -> Article {
        Article {
            id: "a".into(),
            title: "Keepers & lights".into(),
            deck: None,
            authors: vec!["Ann Lee".into()],
            section: None,
            updated: Some("2024-03-05".parse().unwrap()),
            published: Some("2024-03-01".parse().unwrap()),
            pages: None,
            language: language.map(String::from),
            body: "articles/a.md".into(),
            images: Vec::new(),
            sources: Vec::new(),
        }
    }

    #[test]
    fn the_place_in_the_series_is_volume_dot_number_and_a_double_issue_takes_its_first() {
        let cases = [
            ((Some("12"), Some("7-8")), Some("12.7")),
            ((Some("4"), Some("2")), Some("4.2")),
            ((None, Some("2")), Some("2")),
            ((None, Some("2.1")), Some("2.1")),
            ((Some("XII"), Some("3")), Some("3")),
            ((Some("12"), Some("Summer")), None),
            ((Some("12"), None), None),
            ((None, Some("7-b")), None),
        ];
        for ((volume, number), expected) in cases {
            assert_eq!(
                group_position(volume, number).as_deref(),
                expected,
                "{volume:?} {number:?}"
            );
        }
    }

    #[test]
    fn the_head_gives_the_byline_and_both_dates_in_the_articles_language() {
        let head = article_head(Some("Letters"), &article(None), words(None));
        assert!(head.contains(
            "<p class=\"credits\">By Ann Lee · Published <time datetime=\"2024-03-01\">March 1, 2024</time> · Updated <time datetime=\"2024-03-05\">March 5, 2024</time></p>"
        ), "{head}");
        assert!(head.contains("<h1>Keepers &amp; lights</h1>"), "{head}");
        let french = article(Some("fr"));
        let head = article_head(None, &french, words(french.language.as_deref()));
        assert!(
            head.contains("Publié le <time datetime=\"2024-03-01\">1 mars 2024</time>"),
            "{head}"
        );
    }
}
