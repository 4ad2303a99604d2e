//! An article: on a new page, its head across the page (section label, title, deck, byline and
//! dates, a rule), then its body in columns, block by block, its footnotes at the foot of the
//! columns that call them (or after the body when a page cannot hold them); set again a little
//! tighter when its last page would hold only a few lines.

use super::blocks;
use super::flow::Composer;
use super::inline::plain_rich;
use super::markdown::{body as read_body, Block};
use super::structure::{Kind, NodeId};
use super::styles::{
    BLOCK_GAP, BODY, CREDITS, DECK, MARGIN_X, SECTION_LABEL, SHORT_PAGE_LINES, TIGHTER, TITLE,
};
use super::{Bookmark, Item, Role};
use crate::export::words::Words;
use crate::model::{Article, ImageListings, Issue, Section};
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

/// Sets an article with `set` (a call of [`set`]); when its last page would hold only a few
/// lines, sets it again a little tighter ([`TIGHTER`]), keeping the first setting that ends it
/// a page sooner.
pub fn set_fitted(
    composer: &mut Composer,
    set: impl Fn(&mut Composer) -> SetArticle,
) -> SetArticle {
    let kept = composer.keep();
    let set_at = |composer: &mut Composer, fit: f32| {
        composer.fit = fit;
        let set = set(composer);
        composer.fit = 1.0;
        set
    };
    let first = set_at(composer, 1.0);
    if !ends_short(composer, first.mark.page) {
        return first;
    }
    let pages = composer.pages.len();
    for fit in TIGHTER {
        composer.go_back(&kept);
        let tighter = set_at(composer, fit);
        if composer.pages.len() < pages {
            return tighter;
        }
    }
    composer.go_back(&kept);
    set_at(composer, 1.0)
}

/// Whether the article set from page `first` ends on a page of its own that holds no more than
/// a few lines a column.
fn ends_short(composer: &Composer, first: usize) -> bool {
    composer.page_index() > first
        && composer.last_page_depth() <= SHORT_PAGE_LINES * BODY.leading + 0.5
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
    // Inline pictures are described first, then figures: one file both inline and a figure
    // takes its listings in that order.
    let mut listings = ImageListings::new(&article.images);
    let blocks = body_blocks(article, &mut listings, body.blocks);
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
            Block::Image { src, alt, link } => {
                let listed = listings.next(src, alt);
                let text = blocks::FigureText {
                    alt,
                    caption: listed.and_then(|i| i.caption.as_deref()),
                    credit: listed.and_then(|i| i.credit.as_deref()),
                    link: link.as_deref(),
                };
                blocks::figure(composer, src, &text, words, image_sizes)
            }
            Block::Item {
                marker,
                depth,
                text,
                quoted,
            } => blocks::item(composer, marker, (*depth, *quoted), text),
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
fn body_blocks(
    article: &Article,
    listings: &mut ImageListings,
    mut blocks: Vec<Block>,
) -> Vec<Block> {
    for block in &mut blocks {
        let Block::Paragraph { text } = block else {
            continue;
        };
        for image in text.iter_mut().filter_map(|span| span.marks.image.as_mut()) {
            let listed = listings.next(&image.src, &image.alt);
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
                link: None,
            });
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use crate::archive::VersionNum;
    use crate::export::pdf::compose::{compose, styles, Composition, Item, Layout, Paper, Role};
    use crate::export::pdf::fonts::FontSet;
    use crate::export::Edition;
    use crate::model::Issue;
    use std::collections::BTreeMap;

    const ISSUE: &str = "[publication]\ntitle = \"Fit Weekly\"\nlanguage = \"en\"\n\n[issue]\nid = \"fit\"\n\n[[articles]]\nid = \"a\"\ntitle = \"Where Pages End\"\nbody = \"articles/a.md\"\n";

    /// A body of `paragraphs` paragraphs of 20 to 89 words, a heading before every sixth.
    fn body(paragraphs: usize) -> String {
        let words = [
            "harbour", "tide", "at", "the", "quay", "wall", "ships", "and", "a", "crane", "of",
            "loads",
        ];
        let mut text = String::new();
        for p in 0..paragraphs {
            if p % 6 == 4 {
                text.push_str(&format!("## Part {p}\n\n"));
            }
            let count = 20 + (p * 37) % 70;
            let paragraph: Vec<&str> = (0..count).map(|i| words[(i * 7 + p) % 12]).collect();
            text.push_str(&format!("{}.\n\n", paragraph.join(" ")));
        }
        text
    }

    /// The edition of one article with `body`, in two columns on A4.
    fn composed(fonts: &FontSet, body: String) -> Composition {
        let files = ["articles/a.md".to_string()].into_iter().collect();
        let edition = Edition {
            object_id: "fit".into(),
            version: VersionNum {
                number: 1,
                width: 0,
            },
            created: "2024-06-13T00:00:00Z".into(),
            issue: Issue::parse(ISSUE, "issue.toml", &files).unwrap(),
            bodies: BTreeMap::from([("a".to_string(), body)]),
            images: BTreeMap::new(),
            html_images: BTreeMap::new(),
            metadata_sha512: String::new(),
        };
        let layout = Layout {
            paper: Paper::A4,
            columns: 2,
        };
        compose(&edition, fonts, layout, "0", &BTreeMap::new())
    }

    /// The baselines of the body's paragraphs on each page that has any, by column, from the
    /// top down.
    fn baselines(composition: &Composition) -> Vec<[Vec<f32>; 2]> {
        let middle = Paper::A4.width / 2.0;
        let mut pages = Vec::new();
        for page in &composition.pages {
            let mut columns = [Vec::new(), Vec::new()];
            for item in &page.items {
                if let Item::Text { x, y, role, .. } = item {
                    if *role == Role::Paragraph {
                        columns[usize::from(*x > middle)].push(*y);
                    }
                }
            }
            for column in &mut columns {
                column.sort_by(|a, b| b.total_cmp(a));
                column.dedup();
            }
            if !columns[0].is_empty() {
                pages.push(columns);
            }
        }
        pages
    }

    #[test]
    fn an_article_whose_last_page_would_hold_a_few_lines_is_set_a_little_tighter_a_page_sooner() {
        let fonts = FontSet::bundled();
        let mut tightened = 0;
        for paragraphs in 15..70 {
            let pages = baselines(&composed(&fonts, body(paragraphs)));
            let last = pages.last().unwrap();
            let lines = last.iter().map(Vec::len).max().unwrap();
            assert!(
                pages.len() == 1 || lines > 2,
                "{paragraphs} paragraphs: {lines} lines a column on page {}",
                pages.len()
            );
            // No closer than 96% of the leading, and within the margins.
            let steps = pages.iter().flatten().flat_map(|c| c.windows(2));
            let closest = steps.map(|w| w[0] - w[1]).fold(f32::MAX, f32::min);
            assert!(closest > styles::BODY.leading * 0.96 - 0.01, "{closest}");
            tightened += usize::from(closest < styles::BODY.leading - 0.01);
            let lowest = pages
                .iter()
                .flatten()
                .flatten()
                .fold(f32::MAX, |a, b| a.min(*b));
            assert!(
                lowest >= styles::MARGIN_BOTTOM - 0.01,
                "{paragraphs}: {lowest}"
            );
        }
        assert!(tightened > 0, "no article was set tighter");
    }
}
