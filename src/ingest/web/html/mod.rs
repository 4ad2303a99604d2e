//! HTML captures: the main content by readability (dom_smoothie), converted with its structure
//! into the body dialect ([`convert`]); the page's metadata ([`meta`]); its pagination
//! ([`pagination`]). A page whose content is one preformatted block of prose (a plain-text
//! document served as HTML) is an article too, and so is the text a page's data gives
//! (JSON-LD `articleBody`) when its HTML holds none (a page its scripts would fill).

mod byline;
mod code_tables;
mod convert;
mod embedded;
mod meta;
mod pagination;
mod picture_tables;
mod players;
mod prepare;
mod signoff;
mod unkept;

pub(super) use embedded::embedded_picture;

pub use byline::{is_role, split_byline};
pub use meta::{at_date_label, capture_time, is_update_label, word_label, SHARE_WORDS};
pub use signoff::is_signature;

use super::{Block, CaptureError, Metadata, Page};
use crate::model::body::plain_text;
use convert::{Converter, Links};
use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, Readability};
use std::collections::{BTreeMap, BTreeSet};

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
    // Readers' comments are neither the article's text nor its authors' or date.
    let comment_words = meta::drop_comments(&whole);
    let (prepared, preparation) = prepare_page(html);
    let parsed = Readability::with_document(prepared, None, Some(config))
        .map_err(CaptureError::extraction(file, "cannot read the HTML"))?
        .parse();
    let byline = parsed.as_ref().ok().and_then(|a| a.byline.clone());
    let mut page = page_of(file, &whole, origin, byline.as_deref());
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
            if comment_words > 0 {
                converter
                    .dropped
                    .push(("readers' comments".into(), comment_words));
            }
            converter.dropped.extend(preparation.dropped);
            let embeds = embed_warnings(
                &preparation.embeds,
                &converter.embeds,
                &mut converter.dropped,
            );
            page.warnings.extend(embeds);
            if let Some(warning) = dropped_warning(&converter.dropped) {
                page.warnings.push(warning);
            }
            blocks
        }
        Err(_) => Vec::new(),
    };
    let marks = HeadMarks::of(&whole);
    // The lines read as metadata leave the body; they count as kept for `unkept`.
    let read = blocks.clone();
    let (mut blocks, furniture) = trim_furniture_end(trim_metadata(blocks, &mut page, &marks));
    let after = signoff::after_text(&whole, &blocks);
    for text in after.kept {
        page.warnings.push(format!(
            "kept at the end of the text: `{text}`, which the page sets right after it"
        ));
        blocks.push(Block::Paragraph { text });
    }
    if let Some((line, links)) = after.past_links {
        page.warnings.push(format!(
            "left out after the text: `{line}`, a sign-off line the page sets right after the \
             links `{links}` below it (likely this article's, but not kept: the links stand \
             between)"
        ));
    }
    page.blocks = blocks;
    if !furniture.is_empty() {
        page.warnings.push(format!(
            "left out at the end of the text as the page's furniture: {}",
            furniture.join(", ")
        ));
    }
    if !settle_short_text(&whole, &mut page) {
        return Err(match parsed {
            Err(e) => CaptureError::extraction(file, "no recognisable article")(e),
            Ok(_) => CaptureError::new(
                file,
                "no recognisable article: the page has no paragraph of text",
            ),
        });
    }
    if preparation.paywall && !said_free(&whole) || behind_paywall(&whole) {
        page.warnings.push(PAYWALL.into());
    }
    if let Some(warning) = dropped_figures(&whole, &page.blocks) {
        page.warnings.push(warning);
    }
    // Only a WARC record's own address says which page the capture is; a page's canonical
    // address is often its first page's.
    let own = origin.url.as_deref().and_then(|u| url::Url::parse(u).ok());
    if let Some(warning) = pagination::read(&whole, base.as_ref(), own.as_ref(), &mut page) {
        page.warnings.push(warning);
    }
    if page.meta.title.is_empty() {
        return Err(CaptureError::new(
            file,
            "no recognisable article: the page has no title",
        ));
    }
    // What readability did not take is named, on the page as the import prepared it.
    let (look, _) = prepare_page(html);
    page.warnings.extend(unkept::warnings(&look, &page, &read));
    Ok(page)
}

/// The page as readability is given it: readers' comments dropped, hidden maths shown, the
/// page prepared ([`prepare`]).
fn prepare_page(html: &str) -> (Document, prepare::Prepared) {
    let document = Document::from(html);
    meta::drop_comments(&document);
    reveal_maths(&document);
    let preparation = prepare::prepare(&document);
    (document, preparation)
}

/// The page of `file` with what its metadata says (`byline`: the one readability found), no
/// text yet.
fn page_of(file: &str, whole: &Document, origin: &Origin, byline: Option<&str>) -> Page {
    let meta = meta::read(whole, byline);
    let warnings = meta.unsettled_date.iter().map(|line| {
        let language = meta.language.as_deref().unwrap_or("none declared");
        format!(
            "the date in `{line}` is left out: its numbers read as day or month first, and the page's language ({language}) does not say which"
        )
    });
    Page {
        warnings: warnings.collect(),
        source: file.to_string(),
        meta: Metadata {
            language: article_language(whole).or(meta.language.clone()),
            url: origin.url.clone().or(meta.url.clone()),
            site_name: meta.site_name.clone(),
            published: meta.published,
            updated: meta.updated,
            deck: meta.deck.clone(),
            authors: meta.authors.clone(),
            section: meta.section.clone(),
            ..Default::default()
        },
        captured: origin.captured.clone().or(meta.captured),
        ..Default::default()
    }
}

/// A body of fewer words than an article's (see [`ARTICLE_WORDS`]) settled: a short text that is
/// no placeholder (the last lines of a long article, a photo essay's few lines) is the text,
/// with a warning; else a document served as one preformatted block, a page its scripts would
/// fill (its JSON-LD `articleBody`), or pictures alone. False when the page holds no article.
fn settle_short_text(whole: &Document, page: &mut Page) -> bool {
    let (words, placeholder) = article_text(&page.blocks);
    if words >= ARTICLE_WORDS {
        return true;
    }
    let pictures = page.blocks.iter().any(|b| matches!(b, Block::Image { .. }));
    let short = format!("the page holds only {words} words of text");
    if words > 0 && !placeholder {
        page.warnings.push(short);
    } else if let Some(block) = preformatted(whole) {
        page.blocks = vec![block];
    } else if let Some(blocks) = data_body(whole, &page.meta.title) {
        page.blocks = blocks;
        page.warnings.push(DATA_BODY.into());
    } else if pictures && !placeholder {
        page.warnings.push(short);
    } else {
        return false;
    }
    true
}

/// The warning for the article's figures that the body does not hold (readability can drop a
/// figure the page wraps oddly): their alt text or file, so that none is lost unsaid. Figures
/// in the page's chrome (another story's card, a sidebar) are not the article's.
fn dropped_figures(whole: &Document, blocks: &[Block]) -> Option<String> {
    let held = held_pictures(blocks);
    let figures = whole.select(
        "article figure img, main figure img, [itemprop=articleBody] figure img, \
         article figure amp-img, main figure amp-img",
    );
    let mut dropped: Vec<String> = Vec::new();
    for img in figures.nodes() {
        if meta::in_chrome(img) {
            continue;
        }
        if let Some(named) = unheld_picture(img, &held) {
            if !dropped.contains(&named) {
                dropped.push(named);
            }
        }
    }
    (!dropped.is_empty()).then(|| {
        format!(
            "figures of the article not carried over (the capture keeps them): {}",
            dropped.join(", ")
        )
    })
}

/// What the body holds of pictures, to find a picture's file in: its images' addresses and
/// its Markdown (which holds those of the pictures it sets in lists, tables, raw HTML), with
/// their escapes read.
fn held_pictures(blocks: &[Block]) -> String {
    let held: Vec<&str> = blocks
        .iter()
        .filter_map(|block| match block {
            Block::Image { src, .. } => Some(src.as_str()),
            Block::Markdown { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    crate::model::body::percent_decode(&held.join("\n"))
}

/// How a warning names a picture of the page that the body does not hold (`held`, see
/// [`held_pictures`]): its alt text and file, or its file; `None` when the body holds the file
/// of any of its addresses, or it has none.
fn unheld_picture(img: &NodeRef, held: &str) -> Option<String> {
    let sources = picture_sources(img);
    let first = sources.first()?;
    let file = |s: &String| crate::model::body::percent_decode(file_of(s));
    if sources.iter().any(|s| held.contains(&file(s))) {
        return None;
    }
    let alt = img.attr("alt").map(|a| convert::clean(&a));
    Some(match alt.filter(|a| !a.is_empty()) {
        Some(alt) => format!("`{alt}` ({})", file_of(first)),
        None => format!("`{}`", file_of(first)),
    })
}

/// Every address an image may be read from: the one the body takes (an optimiser's original),
/// then every address attribute and set the converter reads.
fn picture_sources(img: &NodeRef) -> Vec<String> {
    let mut sources: Vec<String> = convert::image_source(img).into_iter().collect();
    sources.extend(convert::image_addresses(img));
    sources
}

/// The file name an address ends in, without its query: what a stored or remote copy of the
/// image keeps of it.
fn file_of(url: &str) -> &str {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.rsplit('/')
        .next()
        .filter(|f| !f.is_empty())
        .unwrap_or(path)
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
    let found = convert::clean(&found);
    let h1 = document.select("h1");
    let headings: Vec<NodeRef> = h1
        .nodes()
        .iter()
        .filter(|n| !is_site_name(n))
        .copied()
        .collect();
    let heading = match headings.as_slice() {
        [one] => Some(convert::clean(&one.text())).filter(|h| !h.is_empty()),
        _ => None,
    };
    match heading {
        Some(heading)
            if found.is_empty()
                || found != heading && typographic(&found).contains(&typographic(&heading))
                || shortened(&found, &heading) =>
        {
            heading
        }
        _ if found.is_empty() => convert::clean(&document.select("title").text()),
        _ => titled_part(document, &found).unwrap_or(found),
    }
}

/// The part of a title joined with the site's name (`Beijing Weekly - Rebuilding the Old
/// Port`, `Beijing Review-Water for the North`, `港口新码头正式开工_新闻中心_海港日报`,
/// `桜の開花 : 社会 : 毎朝新聞`) that the page shows as a heading or a title of its own
/// (`<td class="title">`); a hyphen inside a title (`High-speed`) parts nothing the page shows.
fn titled_part(document: &Document, title: &str) -> Option<String> {
    let mut parts = title_parts(title);
    if parts.len() < 2 {
        return None;
    }
    parts.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
    // An old page's title is often bold text at the head of its cell.
    let shown = document.select(
        "h1, h2, h3, [class*=title], [class*=headline], [id*=title], [id*=headline], b, strong",
    );
    let texts: Vec<String> = shown
        .nodes()
        .iter()
        .filter(|n| !is_site_name(n))
        .map(|n| convert::clean(&n.text()))
        .collect();
    // As the page shows it: a `<title>` often has plain quotes where the heading has curly ones.
    parts
        .into_iter()
        .find_map(|part| texts.iter().find(|t| typographic(t) == typographic(part)))
        .cloned()
}

/// The parts of a title that may join the site's name to the article's (`Tide tables |
/// Harbourpedia`).
fn title_parts(title: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = vec![title];
    for separator in [" - ", " | ", " – ", " — ", " :: ", " : ", "_", " » ", "-"] {
        parts = parts.iter().flat_map(|p| p.split(separator)).collect();
    }
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Whether a title joined with the site's name is the heading cut short (`Levee held, but
/// barely | Riverside Courier` for the heading `Levee held, but barely: inside the 72
/// hours…`), as sites shorten the `<title>` for search engines: a part of two words or more
/// that the heading begins with.
fn shortened(title: &str, heading: &str) -> bool {
    let heading = typographic(heading);
    let parts = title_parts(title);
    parts.len() >= 2
        && parts.iter().any(|part| {
            let part = typographic(part);
            part.split_whitespace().count() >= 2
                && part.len() < heading.len()
                && heading.starts_with(&part)
        })
}

/// Words of the classes and ids that mark the site's name (its logo, its masthead).
const SITE_NAME_MARKS: [&str; 6] = [
    "logo",
    "brand",
    "masthead",
    "site-name",
    "sitename",
    "site-title",
];

/// Whether `node` shows the site's name rather than a title: it or an element around it is
/// marked as the logo or masthead, or links to the site's home page.
fn is_site_name(node: &NodeRef) -> bool {
    std::iter::once(*node)
        .chain(node.ancestors_it(None))
        .any(|n| {
            let marked = convert::attr_has(&n, "class", &SITE_NAME_MARKS)
                || convert::attr_has(&n, "id", &SITE_NAME_MARKS);
            let home = n.has_name("a")
                && n.attr("href").is_some_and(|h| {
                    let h = h.trim();
                    h == "/"
                        || h == "./"
                        || url::Url::parse(h).is_ok_and(|u| u.path() == "/" && u.query().is_none())
                });
            marked || home
        })
}

/// A title with its quotation marks, apostrophes and dashes made plain, to tell the same
/// title apart from another where a page types it twice.
fn typographic(title: &str) -> String {
    title
        .chars()
        .map(|c| match c {
            '‘' | '’' | '‛' | '′' => '\'',
            '“' | '”' | '„' | '″' => '"',
            '–' | '—' | '‐' | '‑' => '-',
            c => c,
        })
        .collect()
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

/// The warnings for the players and frames made links that the body holds: kept as links
/// where they stood, and not played (or shown). One the body lacks (readability left it out)
/// is added to `dropped`, by its element and address.
fn embed_warnings(
    embeds: &[players::Embed],
    held: &BTreeSet<usize>,
    dropped: &mut Vec<(String, usize)>,
) -> Vec<String> {
    let (mut played, mut shown) = (Vec::new(), Vec::new());
    for (number, embed) in embeds.iter().enumerate() {
        if !held.contains(&number) {
            dropped.push((format!("<{}> {}", embed.element, embed.address), 0));
        } else if embed.kind.plays() {
            played.push(embed.describe());
        } else {
            shown.push(embed.describe());
        }
    }
    let mut warnings = Vec::new();
    if !played.is_empty() {
        warnings.push(format!(
            "players kept as links where they stood, not played: {}",
            played.join(", ")
        ));
    }
    if !shown.is_empty() {
        warnings.push(format!(
            "frames that play nothing (a map, a chart, a post) kept as links where they stood, \
             not shown: {}",
            shown.join(", ")
        ));
    }
    warnings
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
            // An element by its name; what is not one (readers' comments) as it is.
            let element = if element.contains(' ') {
                element.to_string()
            } else {
                format!("<{element}>")
            };
            format!(
                "{times}{element} ({words} word{})",
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

/// The body without the page's furniture at its end: a copyright line (a print page's, set
/// inside the text: short, with a year), a page bar the text held (`Page 1 2 3`) and the rules
/// around them; with the lines left out, quoted, for the warning (a rule is not named).
fn trim_furniture_end(mut blocks: Vec<Block>) -> (Vec<Block>, Vec<String>) {
    let mut left_out = Vec::new();
    while let Some(Block::Markdown { text } | Block::Paragraph { text }) = blocks.last() {
        let plain = plain_text(text);
        let plain = plain.trim();
        let year = plain
            .split(|c: char| !c.is_ascii_digit())
            .any(|run| run.len() == 4);
        let copyright = is_copyright(plain) && year && plain.split_whitespace().count() <= 12;
        let bar = crate::ingest::web::text::is_page_bar(plain);
        if text == convert::RULE {
            blocks.pop();
        } else if copyright || bar {
            left_out.insert(0, format!("`{plain}`"));
            blocks.pop();
        } else {
            break;
        }
    }
    (blocks, left_out)
}

/// What the page marks as its byline and dates: the texts of its `<time>` elements and of
/// the short elements it classes as a byline, an author or a date.
struct HeadMarks {
    times: Vec<String>,
    marked: Vec<String>,
}

impl HeadMarks {
    fn of(document: &Document) -> Self {
        let texts = |selector: &str| -> Vec<String> {
            let nodes = document.select(selector);
            let texts = nodes.nodes().iter().map(|t| convert::clean(&t.text()));
            texts.collect()
        };
        let mut marked = texts("time, [class*=byline], [class*=author], [rel=author], [itemprop=author], [class*=dateline], [class*=date], [class*=credit]");
        marked.retain(|t| !t.is_empty() && t.chars().count() <= 160);
        HeadMarks {
            times: texts("time"),
            marked,
        }
    }

    /// Whether the page marks a line as its byline or date: the line is such an element's
    /// text, within one, or holds one (`By <span class="author">…</span>`).
    fn marks(&self, line: &str) -> bool {
        self.marked
            .iter()
            .any(|m| m.contains(line) || line.contains(m.as_str()))
    }
}

/// The body without what is metadata at its head, before its first paragraph of text: the
/// title repeated as a heading, the label of the page's section, the byline (whose names are
/// taken as the authors where the page gave none, or fewer), what is left of a byline whose
/// names were marked apart (`Photographs and text by`), the deck, date lines (`21 juin 2024`
/// as a `<time>` shows it, `发稿时间：…`), a rule above them. Headings, lists and pictures
/// there stay, and so does every line of text; after a heading or a picture only what the
/// page marks as its byline or date is metadata.
fn trim_metadata(blocks: Vec<Block>, page: &mut Page, marks: &HeadMarks) -> Vec<Block> {
    let mut kept = Vec::new();
    let mut blocks = blocks.into_iter();
    let mut past_break = false;
    let mut past_heading = false;
    for block in blocks.by_ref() {
        let at_top = kept.is_empty();
        if at_top && matches!(&block, Block::Markdown { text } if text == convert::RULE) {
            continue;
        }
        let Some(text) = head_text(&block) else {
            past_break = true;
            kept.push(block);
            continue;
        };
        let head = Head {
            at_top,
            past_break,
            past_heading,
            marks,
        };
        if is_metadata(&block, &text, page, &head) {
            continue;
        }
        let ends_head = match &block {
            Block::Paragraph { .. } | Block::Quote { .. } => true,
            Block::Markdown { text } => !is_list(text),
            Block::Heading { .. } => {
                past_break = true;
                past_heading = true;
                false
            }
            _ => false,
        };
        kept.push(block);
        if ends_head {
            break;
        }
    }
    kept.extend(blocks);
    kept
}

/// Where a line of the body's head stands: first of the body, after a heading or a picture,
/// and what the page marks.
struct Head<'a> {
    at_top: bool,
    past_break: bool,
    /// Past a heading of the text's (not only a picture).
    past_heading: bool,
    marks: &'a HeadMarks,
}

/// `By` and a name of two words or more in capitals (`By TANG YUANKAI`, `By LI MING and WANG
/// HUA`): no agency after a slash, no credit's word before it.
fn is_capitals_byline(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("By ") else {
        return false;
    };
    let words: Vec<&str> = rest
        .split_whitespace()
        .filter(|w| !matches!(*w, "and" | "&" | ","))
        .collect();
    let capitals = |w: &&str| {
        let letters = w.trim_end_matches(',');
        letters.chars().count() >= 2
            && letters
                .chars()
                .all(|c| c.is_uppercase() || matches!(c, '-' | '\'' | '.'))
    };
    words.len() >= 2 && !rest.contains('/') && words.iter().all(capitals)
}

/// A block's text, its lines kept apart (`**By MARGARET ELLIS**\` / `*Staff Writer*`).
fn head_text(block: &Block) -> Option<String> {
    match block {
        Block::Heading { text, .. } | Block::Paragraph { text } => Some(text.clone()),
        Block::Markdown { text } => Some(
            text.split("\\\n")
                .map(plain_text)
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        _ => None,
    }
}

/// A list in the body dialect.
fn is_list(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or_default();
    matches!(first, "-" | "*" | "+")
        || first.ends_with(['.', ')']) && first[..first.len() - 1].parse::<u32>().is_ok()
}

/// Whether a line at the body's head is the page's metadata (see [`trim_metadata`]). A
/// heading is the title, the section or the deck, never a byline or a date line.
fn is_metadata(block: &Block, text: &str, page: &mut Page, head: &Head) -> bool {
    let flat = convert::clean(text);
    let heading = matches!(block, Block::Heading { .. });
    let is_title = heading && flat.eq_ignore_ascii_case(&page.meta.title);
    let is_section = page
        .meta
        .section
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case(&flat));
    let is_deck = page.meta.deck.as_deref() == Some(flat.as_str());
    if is_title || is_section || is_deck {
        return true;
    }
    let marked = head.marks.marks(&flat);
    if heading || head.past_heading && !marked {
        return false;
    }
    if head.past_break && !marked {
        // Under a lead picture: `By` and a name in capitals (`By TANG YUANKAI`, as old web
        // editions set a byline) still names the authors the page gives nowhere else, with a
        // warning; nothing else there is metadata (`By Train`, a photographer's credit).
        let shaped = (page.meta.authors.is_empty() && is_capitals_byline(&flat))
            .then(|| byline::byline_line(&flat, page.meta.language.as_deref()))
            .flatten();
        let Some(names) = shaped else {
            return false;
        };
        page.warnings.push(format!(
            "the line `{flat}` under the lead picture was taken as the byline: authors {}",
            names.join(", ")
        ));
        page.meta.authors = names;
        return true;
    }
    if byline::orphan_prefix(&flat) {
        return true;
    }
    let short = flat.split_whitespace().count() <= 12 && flat.chars().count() <= 60;
    // A line in parts first, so that each part (a byline, a date) gives what it holds.
    let mut in_parts = page.meta.clone();
    let mut whole = page.meta.clone();
    let found = if meta_line(&flat, &mut in_parts, head, marked) {
        in_parts
    } else if short && meta_part(text, &mut whole, head, marked) {
        whole
    } else {
        return false;
    };
    page.meta = found;
    true
}

/// The byline (its names the authors, or the authors and more, or names where the page gave
/// none, in a byline's shape) or a date line, the whole line a date. What it gives goes into
/// `found` where the page gave nothing else: the byline's names as the authors, the date
/// line's date. A line the page does not mark, with no label or `By`, is metadata only where
/// it names the authors or the date the page gave already.
fn meta_part(text: &str, found: &mut Metadata, head: &Head, marked: bool) -> bool {
    let language = found.language.clone();
    if let Some(names) = byline_authors(text, &found.authors, language.as_deref()) {
        found.authors = names;
        return true;
    }
    let bare = convert::clean(text);
    let bare = bare.trim_start_matches(['—', '–', '-', ' ']);
    let shown = head.at_top && head.marks.times.iter().any(|t| t == bare);
    let Some((date, update)) = meta::whole_date_line(bare, language.as_deref()) else {
        return shown;
    };
    let labelled = meta::date_labels(bare).next().is_some();
    let known = [found.published, found.updated].contains(&Some(date));
    if !(shown || marked || labelled || known) {
        return false;
    }
    if update {
        found.updated = found.updated.or(Some(date));
    } else {
        found.published = found.published.or(Some(date));
    }
    true
}

/// The authors a byline gives, where it agrees with those known: the same or fewer, more
/// (the known ones among them), or, where none are known, a line in a byline's shape.
fn byline_authors(text: &str, known: &[String], language: Option<&str>) -> Option<Vec<String>> {
    let shaped = byline::byline_line(text, language);
    let names = shaped.clone().unwrap_or_else(|| split_byline(text));
    if names.is_empty() {
        return None;
    }
    let within = names.iter().all(|n| known.contains(n));
    let fuller = !known.is_empty()
        && known.iter().all(|a| names.contains(a))
        && names.iter().all(|n| byline::is_name(n));
    if within {
        Some(known.to_vec())
    } else if fuller || shaped.is_some() && known.is_empty() {
        Some(names)
    } else {
        None
    }
}

/// A line of the byline, the date and the like in parts (`Sam Okafor · 20 January 2024 ·
/// 6 min read`, `Publié le 3 mars 2025, mis à jour le 4 mars 2025`), every part one of them.
fn meta_line(text: &str, found: &mut Metadata, head: &Head, marked: bool) -> bool {
    let parts: Vec<&str> = text
        .split(meta::PART_SEPARATORS)
        .flat_map(|part| <[&str; 2]>::from(meta::at_date_label(part.trim())))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() >= 2
        && text.chars().count() <= 160
        && parts.iter().all(|part| {
            meta_part(part, found, head, marked)
                || meta::reading_time(part)
                || meta::is_agency(part)
        })
}

/// The warning for an article whose text came from the page's data.
const DATA_BODY: &str = "the page's HTML holds no article text: the text came from the page's \
data (JSON-LD articleBody), without its markup (headings, links, emphasis, pictures)";

/// The warning for an article behind a paywall.
const PAYWALL: &str = "the article is behind a paywall: the capture is cut short, and only what \
it holds was kept (the paywall's pitch left out)";

/// Fewer words than this, outside copyright lines, are no article's text (`Loading…`, a
/// note that the page needs JavaScript).
const ARTICLE_WORDS: usize = 10;

/// The text of the blocks (see [`has_text`]) outside copyright lines, as what it says: its
/// words, and whether it is a script's placeholder (`Loading…`, "enable JavaScript").
fn article_text(blocks: &[Block]) -> (usize, bool) {
    if !has_text(blocks) {
        return (0, false);
    }
    let texts: Vec<String> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { text } | Block::Quote { text } | Block::Heading { text, .. } => {
                Some(text.clone())
            }
            Block::Markdown { text } => Some(plain_text(text)),
            _ => None,
        })
        .filter(|text| !is_copyright(text))
        .collect();
    let count = texts.iter().map(|text| words(text)).sum();
    let placeholder = texts.iter().any(|text| {
        let text = text.to_lowercase();
        ["loading", "javascript", "please wait", "enable js"]
            .iter()
            .any(|word| text.contains(word))
    });
    (count, placeholder)
}

/// The words of a text, each character of a script written without spaces (Chinese,
/// Japanese) one.
fn words(text: &str) -> usize {
    let unspaced = |c: char| matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF);
    text.split_whitespace()
        .map(|w| w.chars().filter(|c| unspaced(*c)).count().max(1))
        .sum()
}

/// A copyright line (`© 2025 Volt Ledger Media, Inc.`, `Copyright © 2024 …`, `Copyright 2024
/// …`), not a sentence about copyright.
fn is_copyright(text: &str) -> bool {
    let text = text.trim_start().to_lowercase();
    let mark = |rest: &str| rest.starts_with('©') || rest.starts_with("(c) ");
    mark(&text)
        || text.strip_prefix("copyright").is_some_and(|rest| {
            let rest = rest.trim_start();
            mark(rest) || rest.starts_with(|c: char| c.is_ascii_digit())
        })
}

/// The article's text as the page's data gives it (JSON-LD `articleBody`), a paragraph to a
/// line.
fn data_body(document: &Document, title: &str) -> Option<Vec<Block>> {
    let objects = meta::json_ld(document);
    let bodies: Vec<(&serde_json::Value, &str)> = objects
        .iter()
        .filter_map(|o| Some((o, o["articleBody"].as_str()?)))
        .filter(|(_, text)| !text.trim().is_empty())
        .collect();
    // Of several items with a text (a page's graph of related articles), the one headed as
    // the page is; one alone is the page's.
    let titled = |o: &serde_json::Value| {
        ["headline", "name"].iter().any(|key| {
            o[key]
                .as_str()
                .is_some_and(|h| convert::clean(h).eq_ignore_ascii_case(title.trim()))
        })
    };
    let text = match bodies.as_slice() {
        [(_, text)] => *text,
        _ => bodies.iter().find(|(o, _)| titled(o))?.1,
    };
    let blocks: Vec<Block> = text
        .lines()
        .map(convert::clean)
        .filter(|l| !l.is_empty())
        .map(|text| Block::Paragraph { text })
        .collect();
    (!blocks.is_empty()).then_some(blocks)
}

/// True when the page's data says the article is not free to read
/// (`"isAccessibleForFree": false`).
fn behind_paywall(document: &Document) -> bool {
    free_to_read(document, false)
}

/// True when the page's data says the article is free to read (`"isAccessibleForFree":
/// true`): a subscription box on it cuts nothing.
fn said_free(document: &Document) -> bool {
    free_to_read(document, true)
}

/// Whether the page's data says `isAccessibleForFree` is `free` (a boolean or its text).
fn free_to_read(document: &Document, free: bool) -> bool {
    meta::json_ld(document).iter().any(|o| {
        let said = &o["isAccessibleForFree"];
        said == &serde_json::Value::Bool(free)
            || said
                .as_str()
                .is_some_and(|f| f.trim().eq_ignore_ascii_case(&free.to_string()))
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_accepts_only;

    #[test]
    fn only_by_and_a_name_in_capitals_is_a_byline_under_a_lead_picture() {
        assert_accepts_only(
            is_capitals_byline,
            &[
                "By TANG YUANKAI",
                "By LI MING and WANG HUA",
                "By ALMA VERHOEVEN",
            ],
            &[
                "By Train",
                "By Night",
                "By JOHN LEE/REUTERS",
                "Photo by JANE ROE",
                "By REUTERS",
                "By Ann Lee",
                "BY LAND AND SEA",
            ],
        );
    }

    #[test]
    fn a_title_cut_short_for_search_engines_gives_way_to_the_heading_that_begins_with_it() {
        let page = Document::from(
            "<title>Levee held, but barely | Riverside Courier</title>\
             <h1>Levee held, but barely: inside the 72 hours that saved Marlow Flats</h1>",
        );
        let found = "Levee held, but barely | Riverside Courier".to_string();
        assert_eq!(
            title_of(&page, found),
            "Levee held, but barely: inside the 72 hours that saved Marlow Flats"
        );
        // A heading that only shares a word with the title is not taken for it.
        let other = Document::from("<title>Levee | Riverside Courier</title><h1>Levee works</h1>");
        assert_eq!(
            title_of(&other, "Levee | Riverside Courier".to_string()),
            "Levee | Riverside Courier"
        );
    }

    #[test]
    fn the_title_is_the_heading_as_the_page_shows_it_where_the_title_element_types_it_plainly() {
        let page = Document::from(
            "<title>The Keepers' Last Winter | Tidewater Review</title>\
             <h1>The Keepers’ Last Winter</h1>",
        );
        let found = "The Keepers' Last Winter | Tidewater Review".to_string();
        assert_eq!(title_of(&page, found), "The Keepers’ Last Winter");
        let two = Document::from(
            "<title>Tidewater Review – “Low” Water</title>\
             <h2>Tides</h2><b>“Low” Water</b><h2>Weather</h2>",
        );
        let found = "Tidewater Review - \"Low\" Water".to_string();
        assert_eq!(title_of(&two, found), "“Low” Water");
        // The site's name in its logo, however it is typed, is never the title.
        for logo in [
            "<h1 class=\"logo\">Harbour’s Weekly</h1>",
            "<a href=\"/\"><b>Harbour's Weekly</b></a>",
        ] {
            let page = Document::from(format!(
                "<title>\"Low\" Water - Harbour's Weekly</title>{logo}<h2 class=\"headline\">“Low” Water</h2>"
            ));
            let found = "\"Low\" Water - Harbour's Weekly".to_string();
            assert_eq!(title_of(&page, found), "“Low” Water", "{logo}");
        }
    }

    #[test]
    fn an_article_s_figure_the_body_lacks_is_named_and_one_it_holds_or_a_card_s_is_not() {
        let page = Document::from(
            "<article><h1>T</h1>\
             <figure><img src=\"/_next/image?url=%2Fimg%2Fkept.jpg&amp;w=640\" alt=\"Kept\"></figure>\
             <figure><img src=\"https://x.example/a/lost.jpg?v=2\" alt=\"The lost one\"></figure>\
             <figure><img data-src=\"https://x.example/b/stored.png\"></figure>\
             <div class=\"related-stories\"><figure><img src=\"https://x.example/card.jpg\"></figure></div>\
             </article>",
        );
        let blocks = vec![
            Block::Image {
                src: "/img/kept.jpg".into(),
                alt: None,
                caption: None,
                credit: None,
                larger: Vec::new(),
                sources: Vec::new(),
            },
            Block::Markdown {
                text: "Text and ![](assets/stored.png) inline.".into(),
            },
        ];
        assert_eq!(
            dropped_figures(&page, &blocks).as_deref(),
            Some(
                "figures of the article not carried over (the capture keeps them): \
                 `The lost one` (lost.jpg)"
            )
        );
    }

    #[test]
    fn every_address_of_an_image_is_named_the_lazy_loaders_and_all_their_sets() {
        let document = Document::from(
            "<img src=\"data:image/gif;base64,R0lG\" data-url=\"https://x.example/u.jpg\" \
             data-lazy-srcset=\"https://x.example/l-400.jpg 400w,https://x.example/l-800.jpg 800w\" \
             srcset=\"https://x.example/s.jpg\">",
        );
        let image = document.select("img").nodes()[0];
        assert_eq!(
            picture_sources(&image),
            [
                "https://x.example/u.jpg",
                "https://x.example/u.jpg",
                "https://x.example/s.jpg",
                "https://x.example/l-400.jpg",
                "https://x.example/l-800.jpg"
            ]
        );
    }

    #[test]
    fn a_player_made_a_link_that_the_body_lacks_is_named_by_its_address_as_not_carried_over() {
        let embed = |element: &str, kind, address: &str| players::Embed {
            element: element.into(),
            kind,
            address: address.into(),
            title: None,
        };
        let embeds = [
            embed("iframe", players::Kind::Video, "https://v.example/1"),
            embed("iframe", players::Kind::Frame, "https://map.example/2"),
            embed("audio", players::Kind::Audio, "https://a.example/3.mp3"),
        ];
        let mut dropped = Vec::new();
        let warnings = embed_warnings(&embeds, &BTreeSet::from([0, 1]), &mut dropped);
        assert_eq!(
            warnings,
            [
                "players kept as links where they stood, not played: video (https://v.example/1)",
                "frames that play nothing (a map, a chart, a post) kept as links where they stood, \
                 not shown: frame (https://map.example/2)"
            ]
        );
        assert_eq!(
            dropped,
            [("<audio> https://a.example/3.mp3".to_string(), 0)]
        );
    }

    /// The body of a page whose `article` holds a headline and `inside`, as Markdown.
    fn article_body(inside: &str) -> String {
        let html = format!(
            "<html lang=\"en\"><head><title>Ferry timetable | Harbour Post</title></head>\
             <body><main><article><h1>Ferry timetable</h1>{inside}</article></main></body></html>"
        );
        let page = extract("ferry.html", &html, &Origin::default()).unwrap();
        super::super::markdown::blocks_markdown(&page.blocks)
    }

    /// The paragraphs of a story about the ferry, as a text's container holds them.
    const FERRY_TEXT: &str = "<div class=\"story-body\">\
        <p>The harbour's ferry timetable changes on Monday, the first change in six years, \
        after the council agreed to run an early boat for the cannery's morning shift.</p>\
        <p>The last boat of the evening leaves at 22:40 instead of 23:10, which the operator \
        says will let its crews rest between the late and the early sailings.</p>\
        <p>Passengers with season tickets keep them, and the fares are unchanged until the \
        spring, when the council reviews them with the operator and the harbour board.</p>\
        </div>";

    #[test]
    fn a_correction_in_the_article_s_footer_ends_the_text_and_its_tags_do_not() {
        let body = article_body(&format!(
            "{FERRY_TEXT}<footer class=\"story-footer\"><p class=\"correction\"><em>This \
             article was amended on 4 May 2025: the last boat leaves at 22:40, not 22:10 as \
             we said.</em></p><p class=\"tags\">Topics: <a href=\"/t/ferry\">Ferry</a></p>\
             <button>Share</button></footer>"
        ));
        assert!(
            body.ends_with(
                "*This article was amended on 4 May 2025: the last boat leaves at \
                 22:40, not 22:10 as we said.*"
            ),
            "{body}"
        );
        assert!(!body.contains("Topics"), "{body}");
    }

    #[test]
    fn a_correction_ends_the_text_before_its_footnotes_and_a_footer_s_policy_line_is_no_note() {
        let text = FERRY_TEXT.replace(
            "six years,",
            "six years,<a href=\"#fn1\" id=\"r1\"><sup>1</sup></a>",
        );
        let notes = "<section class=\"footnotes\"><hr><ol><li id=\"fn1\"><p>The timetable \
                     of 2019.</p></li></ol></section></div>";
        let text = text.replace("</div>", notes);
        let body = article_body(&format!(
            "{text}<footer><p>Correction: the council, not the operator, agreed to the early \
             boat.</p><p>Read about how we handle corrections in our editorial code.</p>\
             <p>Correction requests are handled under our editorial standards code within two \
             working days.</p><div class=\"report-correction\"><p>Spotted a mistake in this \
             story? Email our standards editor and tell us what we got wrong.</p></div></footer>"
        ));
        let correction = body.find("Correction: the council").expect(&body);
        assert!(correction < body.find("[^1]:").expect(&body), "{body}");
        assert!(!body.contains("* * *"), "{body}");
        assert!(!body.contains("editorial code"), "{body}");
        assert!(
            !body.contains("requests") && !body.contains("Spotted"),
            "{body}"
        );
    }

    #[test]
    fn a_recipe_s_line_in_a_box_classed_meta_beside_its_buttons_is_kept_where_it_stood() {
        let body = article_body(
            "<div class=\"post-meta\"><p>Filed under Suppers</p></div>\
             <div class=\"story-body\"><p>My aunt cooked this in the harbour kitchen every \
             Friday, and nobody ever wrote down how much of anything went in.</p><p>She \
             bought the eggs from the farm above the quay and the peppers from whichever \
             boat had come in from the south, and she never made it the same way twice.</p>\
             <p>These quantities are my best guess at hers, written down after a summer of \
             trying, and they feed four people who have been out on the water all day.</p>\
             <div class=\"recipe-card\"><div class=\"recipe-meta\"><p>Serves 4 · Prep 10 \
             min · Cook 20 min</p><div class=\"rating\">★★★★☆ <button>Rate this recipe\
             </button></div><button>Print recipe</button></div><h2>Ingredients</h2><ul>\
             <li>2 tbsp olive oil</li><li>4 large eggs</li></ul><h2>Method</h2><ol><li>Heat \
             the oil in a wide pan and soften the onion for ten minutes.</li><li>Crack in the \
             eggs, cover and cook until the whites are set.</li></ol></div></div>",
        );
        let line = body
            .find("Serves 4 · Prep 10 min · Cook 20 min")
            .expect(&body);
        assert!(line < body.find("## Ingredients").expect(&body), "{body}");
        assert!(!body.contains("Filed under"), "{body}");
    }

    #[test]
    fn a_post_s_meta_box_below_its_text_stays_the_site_s() {
        let paragraphs = "<p>The crews of the harbour ferry have written to the council \
            asking for a second boat on the morning route, saying the single vessel is \
            overloaded on most weekdays and has twice left passengers behind.</p><p>Their \
            letter, signed by all eleven deckhands and both skippers, says the crowding makes \
            it harder to keep the gangway clear and to count passengers as they board, as the \
            safety rules require.</p><p>A council spokesperson said the request would be \
            considered at the transport committee's meeting next month, along with a report \
            on the bridge repairs that have pushed more people onto the boat.</p>";
        let html = format!(
            "<html lang=\"en\"><head><title>Ferry crews ask for a second boat | Harbour Post\
             </title></head><body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>\
             <main><article class=\"post\"><h1>Ferry crews ask for a second boat</h1>\
             <p class=\"byline\">By Ruth Allan</p><div class=\"entry-content\">{paragraphs}\
             <div class=\"meta-bottom\">\
             <p>Filed under <a href=\"/c/transport\">Transport</a></p>\
             <p>Tags: <a href=\"/t/ferry\">ferry</a>, <a href=\"/t/harbour\">harbour</a></p>\
             <p>Share this story: <a href=\"https://facebook.example/share\">Facebook</a> \
             <a href=\"mailto:?\">Email</a></p>\
             <p>Ruth Allan covers transport and the harbour for the Post.</p></div></div>\
             </article></main><footer><p>© 2024 Harbour Post</p></footer></body></html>"
        );
        let page = extract("ferry.html", &html, &Origin::default()).unwrap();
        let body = super::super::markdown::blocks_markdown(&page.blocks);
        assert!(
            !body.contains("Filed under") && !body.contains("Tags") && !body.contains("Ruth Allan"),
            "{body}"
        );
    }

    #[test]
    fn a_reference_cited_twice_loses_all_its_back_links_and_their_caret() {
        let call = |id: &str, note: u32| {
            format!(
                "<sup id=\"cite_ref-{id}\" class=\"reference\">\
                 <a href=\"#cite_note-{note}\">[{note}]</a></sup>"
            )
        };
        let text = FERRY_TEXT
            .replace("six years,", &format!("six years,{}", call("1", 1)))
            .replace(
                "sailings.",
                &format!("sailings.{}{}", call("2", 2), call("1a", 1)),
            );
        // The paragraph the second call stands in has an id a later paragraph links to.
        let text = text.replace("<p>The last boat", "<p id=\"p3\">The last boat");
        let notes = "<p>Those times, <a href=\"#p3\">described above</a>, suit the crews.</p>\
            <ol class=\"references\"><li id=\"cite_note-1\">\
            <span class=\"mw-cite-backlink\">^ <a href=\"#cite_ref-1\"><sup><i><b>a</b></i>\
            </sup></a> <a href=\"#cite_ref-1a\"><sup><i><b>b</b></i></sup></a></span> \
            <span class=\"reference-text\">Harbour Board minutes, 2019.</span></li>\
            <li id=\"cite_note-2\"><span class=\"mw-cite-backlink\"><b>\
            <a href=\"#cite_ref-2\">^</a></b></span> <span class=\"reference-text\">Ferry \
            operator's statement.</span></li></ol></div>";
        let body = article_body(&text.replace("</div>", notes));
        assert!(
            body.contains("[^1]: Harbour Board minutes, 2019."),
            "{body}"
        );
        assert!(body.contains("[^2]: Ferry operator's statement."), "{body}");
        assert!(
            body.contains("Those times, described above, suit"),
            "{body}"
        );
    }

    #[test]
    fn a_copyright_line_is_one_and_a_sentence_about_copyright_or_a_year_is_not() {
        assert_accepts_only(
            is_copyright,
            &[
                "© 2025 Volt Ledger Media, Inc.",
                "Copyright © 2025 The Bayside Courier. All rights reserved.",
                "Copyright 2024 Harbour Press",
                "(c) 2023 The Ledger",
            ],
            &[
                "Copyright law has not caught up with the archive.",
                "2025 was the year the ferry came back.",
            ],
        );
    }
}
