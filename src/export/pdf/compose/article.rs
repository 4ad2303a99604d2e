//! An article: on a new page, its head (section label, title, deck, byline and update date,
//! a rule) and then its body, block by block.

use super::blocks;
use super::flow::Composer;
use super::markdown::{blocks as read_blocks, Block};
use super::styles::{CREDITS, DECK, MARGIN_X, SECTION_LABEL, TITLE};
use super::{Bookmark, Item};
use crate::model::{Article, Section};
use std::collections::BTreeMap;

/// Sets `article` of `section` from a new page; returns its bookmark (with its headings).
pub fn set(
    composer: &mut Composer,
    section: &Section,
    article: &Article,
    body: &str,
    image_sizes: &BTreeMap<String, (u32, u32)>,
) -> Bookmark {
    let running = Some(article.title.clone());
    composer.new_page(running.clone());
    let mut mark = Bookmark {
        title: article.title.clone(),
        page: composer.page_index(),
        y: composer.top() + 20.0,
        children: Vec::new(),
    };
    head(composer, section, article, &running);
    for (i, block) in body_blocks(article, body).iter().enumerate() {
        match block {
            Block::Heading { level, text } => {
                mark.children
                    .push(blocks::heading(composer, *level, text, &running));
            }
            Block::Paragraph { text } => blocks::paragraph(composer, text, i > 0, &running),
            Block::Quote { text } => blocks::quote(composer, text, &running),
            Block::Image { src, alt } => blocks::image(composer, src, alt, image_sizes, &running),
            Block::Item { marker, text } => blocks::item(composer, marker, text, &running),
        }
    }
    mark
}

/// The section label, title, deck, credits and the rule under them.
fn head(composer: &mut Composer, section: &Section, article: &Article, running: &Option<String>) {
    if let Some(name) = &section.name {
        composer.flow_display(&name.to_uppercase(), SECTION_LABEL, running);
        composer.y -= 6.0;
    }
    composer.flow_display(&article.title, TITLE, running);
    if let Some(deck) = &article.deck {
        composer.gap(4.0);
        composer.flow_display(deck, DECK, running);
    }
    let mut credits = Vec::new();
    if !article.authors.is_empty() {
        credits.push(format!("By {}", article.authors.join(", ")));
    }
    if let Some(updated) = article.updated {
        credits.push(format!("Updated {updated}"));
    }
    if !credits.is_empty() {
        composer.gap(6.0);
        composer.flow_display(&credits.join("  ·  "), CREDITS, running);
    }
    composer.gap(8.0);
    let (y, measure) = (composer.y, composer.measure());
    composer.page().items.push(Item::Rule {
        x1: MARGIN_X,
        x2: MARGIN_X + measure,
        y,
        thickness: 0.5,
    });
    composer.gap(4.0);
}

/// The body's blocks, then the images the metadata lists but the body does not show.
fn body_blocks(article: &Article, body: &str) -> Vec<Block> {
    let mut body_blocks = read_blocks(body);
    for listed in &article.images {
        let shown = body_blocks
            .iter()
            .any(|b| matches!(b, Block::Image { src, .. } if *src == listed.file));
        if !shown {
            let alt = listed
                .caption
                .clone()
                .or(listed.alt.clone())
                .unwrap_or_default();
            body_blocks.push(Block::Image {
                src: listed.file.clone(),
                alt,
            });
        }
    }
    body_blocks
}
