//! HTML captures: the main content by readability (dom_smoothie), converted with its structure
//! into the body dialect ([`convert`]); the page's metadata ([`meta`]); its pagination
//! ([`pagination`]). A page whose content is one preformatted block of prose (a plain-text
//! document served as HTML) is an article too.

mod convert;
mod meta;
mod pagination;
mod prepare;

pub use meta::{capture_time, is_date_label, split_byline};

use super::{Block, CaptureError, Metadata, Page};
use crate::model::body::plain_text;
use convert::{Converter, Links};
use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, Readability};
use std::collections::BTreeMap;

/// What a capture's container says about it (a WARC record and its HTTP headers): nothing
/// for a file.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub url: Option<String>,
    /// When it was captured (RFC 3339).
    pub captured: Option<String>,
    /// The media type the server gave (`text/html`, `text/plain`).
    pub media_type: Option<String>,
    /// The charset the server gave, which outranks the page's own declaration.
    pub charset: Option<String>,
    /// The WARC record the capture is.
    pub warc: Option<super::WarcRecord>,
}

pub fn extract(file: &str, html: &str, origin: &Origin) -> Result<Page, CaptureError> {
    let whole = Document::from(html);
    let config = Config {
        keep_classes: true,
        ..Config::default()
    };
    let prepared = Document::from(html);
    reveal_maths(&prepared);
    prepare::prepare(&prepared);
    let parsed = Readability::with_document(prepared, None, Some(config))
        .map_err(CaptureError::extraction(file, "cannot read the HTML"))?
        .parse();
    let byline = parsed.as_ref().ok().and_then(|a| a.byline.clone());
    let meta = meta::read(&whole, byline.as_deref());
    let mut page = Page {
        source: file.to_string(),
        meta: Metadata {
            language: article_language(&whole).or(meta.language.clone()),
            url: origin.url.clone().or(meta.url.clone()),
            site_name: meta.site_name.clone(),
            published: meta.published,
            updated: meta.updated,
            deck: meta.deck.clone(),
            authors: meta.authors.clone(),
            ..Default::default()
        },
        captured: origin.captured.clone().or(meta.captured.clone()),
        ..Default::default()
    };
    let base = whole
        .select("base[href]")
        .attr("href")
        .and_then(|h| url::Url::parse(h.trim()).ok())
        .or_else(|| {
            page.meta
                .url
                .as_deref()
                .and_then(|u| url::Url::parse(u).ok())
        });
    let title = parsed
        .as_ref()
        .map(|a| a.title.trim().to_string())
        .unwrap_or_default();
    page.meta.title = title_of(&whole, title);

    let blocks = match &parsed {
        Ok(article) => {
            let content = Document::from(article.content.as_ref());
            if let Some(language) = content_language(&content) {
                page.meta.language = Some(language);
            }
            let targets = targets(&[&content, &whole]);
            let mut converter = Converter::new(Links {
                base: base.clone(),
                targets,
                language: page.meta.language.clone(),
            });
            let mut blocks = Vec::new();
            for root in content.select("body").nodes() {
                blocks.extend(converter.convert(root));
            }
            if let Some(warning) = dropped_warning(&converter.dropped) {
                page.warnings.push(warning);
            }
            blocks
        }
        Err(_) => Vec::new(),
    };
    let times: Vec<String> = whole
        .select("time")
        .nodes()
        .iter()
        .map(|t| convert::clean(&t.text()))
        .collect();
    page.blocks = trim_metadata(blocks, &page, &times);
    if !has_text(&page.blocks) {
        // A document served as one preformatted block.
        match preformatted(&whole) {
            Some(block) => page.blocks = vec![block],
            None => {
                return Err(match parsed {
                    Err(e) => CaptureError::extraction(file, "no recognisable article")(e),
                    Ok(_) => CaptureError::new(
                        file,
                        "no recognisable article: the page has no paragraph of text",
                    ),
                });
            }
        }
    }
    if let Some(warning) = pagination::read(&whole, base.as_ref(), &mut page) {
        page.warnings.push(warning);
    }
    if page.meta.title.is_empty() {
        return Err(CaptureError::new(
            file,
            "no recognisable article: the page has no title",
        ));
    }
    Ok(page)
}

/// The language the article's own element declares (`<article lang="fr">` on an English
/// site), when the page has one such element.
fn article_language(document: &Document) -> Option<String> {
    let marked = document.select("article[lang], main[lang], [itemprop=articleBody][lang]");
    (marked.length() == 1)
        .then(|| marked.attr("lang"))
        .flatten()
        .map(|l| convert::clean(&l))
        .filter(|l| crate::model::check_language(l).is_ok())
}

/// The language of an element that holds nine tenths of the content's words or more (the
/// article's text in French inside an English page).
fn content_language(content: &Document) -> Option<String> {
    let words = |text: &str| text.split_whitespace().count();
    let total = words(&content.select("body").text());
    let holder = content
        .select("[lang]")
        .nodes()
        .iter()
        .find(|n| total > 0 && words(&n.text()) * 10 >= total * 9)
        .copied()?;
    let lang = convert::clean(&holder.attr("lang")?);
    crate::model::check_language(&lang).is_ok().then_some(lang)
}

/// Maths in the forms readability would drop: MathML in a wrapper hidden for screen readers'
/// sake (Wikipedia's) is shown, and TeX in a script (MathJax's `math/tex`) becomes text marked
/// for the converter.
fn reveal_maths(document: &Document) {
    for math in document.select("math").nodes() {
        for ancestor in math.ancestors(None) {
            ancestor.remove_attr("hidden");
            let hidden = ancestor.attr("style").is_some_and(|s| {
                s.to_ascii_lowercase()
                    .replace(' ', "")
                    .contains("display:none")
            });
            if hidden {
                ancestor.remove_attr("style");
            }
        }
    }
    for script in document.select("script[type^='math/tex']").nodes() {
        let display = script
            .attr("type")
            .is_some_and(|t| t.contains("mode=display"));
        let tex = crate::model::body::xhtml::escape(script.text().trim());
        let class = if display {
            convert::TEX_DISPLAY
        } else {
            convert::TEX_INLINE
        };
        script.replace_with_html(format!("<span class=\"{class}\">{tex}</span>"));
    }
}

/// The article's title: the page's one `h1` where the title readability found is that
/// heading with the site's name added (`Tide tables - Harbourpedia`), or is missing.
fn title_of(document: &Document, found: String) -> String {
    let h1 = document.select("h1");
    let heading = (h1.length() == 1)
        .then(|| convert::clean(&h1.text()))
        .filter(|h| !h.is_empty());
    match heading {
        Some(heading) if found.is_empty() || found != heading && found.contains(&heading) => {
            heading
        }
        _ if found.is_empty() => convert::clean(&document.select("title").text()),
        _ => titled_part(document, &found).unwrap_or(found),
    }
}

/// The part of a title joined with the site's name (`Beijing Weekly - Rebuilding the Old
/// Port`, `港口新码头正式开工_新闻中心_海港日报`) that the page shows as a heading or a title of
/// its own (`<td class="title">`).
fn titled_part(document: &Document, title: &str) -> Option<String> {
    let mut parts: Vec<&str> = vec![title];
    for separator in [" - ", " | ", " – ", " — ", " :: ", "_", " » "] {
        parts = parts.iter().flat_map(|p| p.split(separator)).collect();
    }
    parts = parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return None;
    }
    parts.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
    let shown = document
        .select("h1, h2, h3, [class*=title], [class*=headline], [id*=title], [id*=headline]");
    let texts: Vec<String> = shown
        .nodes()
        .iter()
        .map(|n| convert::clean(&n.text()))
        .collect();
    parts
        .into_iter()
        .find(|part| texts.iter().any(|t| t == part))
        .map(str::to_string)
}

/// Elements with an id, the first document's first.
fn targets<'a>(documents: &[&'a Document]) -> BTreeMap<String, NodeRef<'a>> {
    let mut targets = BTreeMap::new();
    for document in documents {
        for node in document.select("[id]").nodes() {
            if let Some(id) = node.attr("id") {
                targets.entry(id.to_string()).or_insert(*node);
            }
        }
    }
    targets
}

/// `left out: <video> (12 words), 2 <iframe> (0 words)`.
fn dropped_warning(dropped: &[(String, usize)]) -> Option<String> {
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (element, words) in dropped {
        let entry = counts.entry(element).or_default();
        entry.0 += 1;
        entry.1 += words;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(element, (n, words))| {
            let times = if *n > 1 {
                format!("{n} ")
            } else {
                String::new()
            };
            format!(
                "{times}<{element}> ({words} word{})",
                if *words == 1 { "" } else { "s" }
            )
        })
        .collect();
    (!parts.is_empty()).then(|| {
        format!(
            "not carried over into the article (the capture keeps them): {}",
            parts.join(", ")
        )
    })
}

/// The body without what is metadata at its head: the title repeated as a heading, the
/// byline, the deck, date lines (`21 juin 2024` as a `<time>` shows it, `发稿时间：…`).
fn trim_metadata(mut blocks: Vec<Block>, page: &Page, times: &[String]) -> Vec<Block> {
    while let Some(first) = blocks.first() {
        let text = match first {
            Block::Heading { text, .. } | Block::Paragraph { text } => text.clone(),
            Block::Markdown { text } => plain_text(text),
            _ => break,
        };
        let is_title =
            matches!(first, Block::Heading { .. }) && text.eq_ignore_ascii_case(&page.meta.title);
        let short = text.split_whitespace().count() <= 12 && text.chars().count() <= 60;
        let is_deck = page.meta.deck.as_deref() == Some(text.as_str());
        let is_meta = short && meta_part(&text, page, times) || meta_line(&text, page, times);
        if is_title || is_deck || is_meta {
            blocks.remove(0);
        } else {
            break;
        }
    }
    blocks
}

/// The byline (every name in it one of the authors) or a date line.
fn meta_part(text: &str, page: &Page, times: &[String]) -> bool {
    let is_byline = !page.meta.authors.is_empty()
        && meta::split_byline(text)
            .iter()
            .all(|a| page.meta.authors.contains(a));
    is_byline || times.iter().any(|t| t == text) || meta::date_line(text)
}

/// A line of the byline, the date and the like in parts (`Sam Okafor · 20 January 2024 ·
/// 6 min read`), every part one of them.
fn meta_line(text: &str, page: &Page, times: &[String]) -> bool {
    let parts: Vec<&str> = text
        .split(['·', '|', '•'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() >= 2
        && text.chars().count() <= 160
        && parts
            .iter()
            .all(|part| meta_part(part, page, times) || meta::reading_time(part))
}

/// True when the blocks hold a paragraph of text, or a preformatted block of prose.
fn has_text(blocks: &[Block]) -> bool {
    blocks.iter().any(|b| match b {
        Block::Paragraph { .. } | Block::Quote { .. } => true,
        Block::Markdown { text } if text.starts_with("```") => is_prose(text),
        // Not a table (a pipe table, or one in HTML); a paragraph may open with inline HTML
        // (`<span lang="fr">`).
        Block::Markdown { text } => !text.starts_with('|') && !text.starts_with("<table"),
        _ => false,
    })
}

/// Fifty words or more of letters: prose, not a row of numbers or links.
pub fn is_prose(text: &str) -> bool {
    text.split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .count()
        >= 50
}

/// The page's largest `<pre>`, when it holds prose: the whole document of a plain-text page.
fn preformatted(document: &Document) -> Option<Block> {
    let pres = document.select("pre");
    let largest = pres
        .nodes()
        .iter()
        .max_by_key(|p| p.text().split_whitespace().count())
        .copied()?;
    let block = convert::code_block(&largest)?;
    match &block {
        Block::Markdown { text } if is_prose(text) => Some(block),
        _ => None,
    }
}
