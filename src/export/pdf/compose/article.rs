//! An article: on a new page, its head across the page (section label, title, deck, byline and
//! dates, a rule), then its body in columns, block by block, its footnotes at the foot of the
//! columns that call them (or after the body when a page cannot hold them).

use super::blocks;
use super::flow::Composer;
use super::inline::plain_rich;
use super::markdown::{body as read_body, Block};
use super::structure::{Kind, NodeId};
use super::styles::{BLOCK_GAP, CREDITS, DECK, MARGIN_X, SECTION_LABEL, TITLE};
use super::{Bookmark, Item, Role};
use crate::export::words::Words;
use crate::model::{Article, Issue, Section};
use std::collections::{BTreeMap, BTreeSet};
use std::mem::discriminant;

/// The language an article is set in: its own, or else the issue's.
pub fn language<'a>(article: &'a Article, issue: &'a Issue) -> Option<&'a str> {
    article.language_in(issue)
}

/// "By …  ·  Published …  ·  Updated …", as much as the article gives.
pub fn byline(article: &Article, words: &Words) -> String {
    let mut credits = Vec::new();
    if !article.authors.is_empty() {
        credits.push(words.fill(words.by, &article.authors.join(", ")));
    }
    if let Some(published) = &article.published {
        credits.push(words.fill(words.published, &words.date(published)));
    }
    if let Some(updated) = &article.updated {
        credits.push(words.fill(words.updated, &words.date(updated)));
    }
    credits.join("  ·  ")
}

/// An article as set: its bookmark (with its headings), the raw HTML in its body that the
/// edition cannot show as written, and where a link may lead: its title's element (at 0),
/// and by number each Markdown heading's.
pub struct SetArticle {
    pub mark: Bookmark,
    pub lost: BTreeSet<String>,
    pub places: BTreeMap<usize, NodeId>,
}

/// Sets `article` of `section` from a new page.
pub fn set(
    composer: &mut Composer,
    section: &Section,
    article: &Article,
    body: &str,
    words: &Words,
    image_sizes: &BTreeMap<String, (f32, f32)>,
) -> SetArticle {
    composer.head = Some(article.title.clone());
    composer.new_page();
    let mut mark = Bookmark {
        title: article.title.clone(),
        page: composer.page_index(),
        y: composer.top() + 20.0,
        children: Vec::new(),
        node: None,
    };
    let mut places = BTreeMap::from([(0, head(composer, section, article, words))]);
    let body = read_body(body);
    composer.start_body(body.notes.clone());
    let mut previous: Option<&Block> = None;
    let blocks = body_blocks(article, body.blocks);
    for (at, block) in blocks.iter().enumerate() {
        let list_ends =
            matches!(previous, Some(Block::Item { .. })) && !matches!(block, Block::Item { .. });
        if list_ends {
            composer.gap(BLOCK_GAP);
            composer.lists.clear();
        }
        match block {
            Block::Heading {
                level,
                text,
                number,
            } => {
                let (tagged, heading, node) = blocks::heading(composer, *level, text);
                places.extend(number.map(|n| (n, node)));
                nest(&mut mark.children, tagged.saturating_sub(2), heading);
            }
            Block::Paragraph { text } => {
                let indent = matches!(previous, Some(Block::Paragraph { .. }));
                blocks::paragraph(composer, text, indent);
            }
            Block::Term { text } => blocks::paragraph(composer, text, false),
            // A quote's paragraphs (its text, its attribution) are set together; a pull quote
            // after a quote is a quote of its own.
            Block::Quote { .. } | Block::PullQuote { .. }
                if previous.is_some_and(|p| discriminant(p) == discriminant(block)) => {}
            Block::Quote { .. } | Block::PullQuote { .. } => {
                let quoted: Vec<&super::inline::Rich> = blocks[at..]
                    .iter()
                    .take_while(|b| discriminant(*b) == discriminant(block))
                    .filter_map(|b| match b {
                        Block::Quote { text } | Block::PullQuote { text } => Some(text),
                        _ => None,
                    })
                    .collect();
                blocks::quote(composer, &quoted);
            }
            // Drawn in the line of the paragraph it stood in (which the next one follows).
            Block::Image { src, .. } if drawn_inline(composer, src) => continue,
            Block::Image { src, alt } => {
                let listed = article.images.iter().find(|i| i.file == *src);
                let text = blocks::FigureText {
                    alt,
                    caption: listed.and_then(|i| i.caption.as_deref()),
                    credit: listed.and_then(|i| i.credit.as_deref()),
                };
                blocks::figure(composer, src, &text, words, image_sizes)
            }
            Block::Item {
                marker,
                depth,
                text,
            } => blocks::item(composer, marker, *depth, text),
            Block::Code { lines } => blocks::code(composer, lines),
            Block::Table(table) => super::tables::table(composer, table),
        }
        previous = Some(block);
    }
    endnotes(composer, words);
    composer.end_body();
    SetArticle {
        mark,
        lost: body.lost,
        places,
    }
}

/// Whether image `src` was drawn in the line of the paragraph before (once for each time).
fn drawn_inline(composer: &Composer, src: &str) -> bool {
    let mut inline = composer.inline.borrow_mut();
    match inline.get_mut(src) {
        Some(count) if *count > 0 => {
            *count -= 1;
            true
        }
        _ => false,
    }
}

/// Puts a heading's bookmark `depth` levels under the article's (0: among its own headings),
/// under the last heading of the level above, as the headings are tagged.
fn nest(marks: &mut Vec<Bookmark>, depth: u8, mark: Bookmark) {
    match marks.last_mut() {
        Some(last) if depth > 0 => nest(&mut last.children, depth - 1, mark),
        _ => marks.push(mark),
    }
}

/// The footnotes no page could hold, after the body.
fn endnotes(composer: &mut Composer, words: &Words) {
    let notes = composer.take_endnotes();
    if notes.is_empty() {
        return;
    }
    blocks::heading(composer, 3, &plain_rich(words.notes));
    for (node, number, text) in notes {
        let mut rich = plain_rich(&format!("{number}. "));
        rich.extend(text);
        blocks::note(composer, node, &rich);
    }
}

/// The section label, title, deck, byline and the rule under them, across the page; returns
/// the title's element.
fn head(composer: &mut Composer, section: &Section, article: &Article, words: &Words) -> NodeId {
    if let Some(name) = &section.name {
        composer.begin(Kind::P);
        composer.flow_display(&name.to_uppercase(), SECTION_LABEL, Role::Display);
        composer.y -= 4.0;
    }
    let title = composer.begin(Kind::H(1));
    composer.flow_display(&article.title, TITLE, Role::Title);
    if let Some(deck) = &article.deck {
        composer.gap(4.0);
        composer.begin(Kind::P);
        composer.flow_display(deck, DECK, Role::Display);
    }
    let credits = byline(article, words);
    if !credits.is_empty() {
        composer.gap(6.0);
        composer.begin(Kind::P);
        composer.flow_display(&credits, CREDITS, Role::Display);
    }
    composer.gap(8.0);
    let (y, measure) = (composer.y, composer.measure());
    composer.page().items.push(Item::Rule {
        x1: MARGIN_X,
        x2: MARGIN_X + measure,
        y,
        thickness: 0.5,
    });
    composer.gap(12.0);
    title
}

/// The body's blocks, then the images the metadata lists but the body does not show; an
/// image in a paragraph's text described as its figure would be (its credit after a dash).
fn body_blocks(article: &Article, mut blocks: Vec<Block>) -> Vec<Block> {
    for block in &mut blocks {
        let Block::Paragraph { text } = block else {
            continue;
        };
        for image in text.iter_mut().filter_map(|span| span.marks.image.as_mut()) {
            let listed = article.images.iter().find(|i| i.file == image.src);
            let caption = listed.and_then(|i| i.caption.as_deref());
            let alt = Some(image.alt.as_str())
                .filter(|a| !a.trim().is_empty())
                .or(caption)
                .unwrap_or("");
            let credit = listed.and_then(|i| i.credit.as_deref());
            let (described, nothing) = blocks::described(alt, credit);
            // Nothing given: the Figure says so when it is tagged.
            image.alt = if nothing { String::new() } else { described };
        }
    }
    for listed in &article.images {
        let shown = blocks
            .iter()
            .any(|b| matches!(b, Block::Image { src, .. } if *src == listed.file));
        if !shown {
            let alt = listed
                .caption
                .clone()
                .or(listed.alt.clone())
                .unwrap_or_default();
            blocks.push(Block::Image {
                src: listed.file.clone(),
                alt,
            });
        }
    }
    blocks
}
