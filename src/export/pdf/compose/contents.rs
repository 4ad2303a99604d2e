//! The contents: planned before the articles (to know how many pages it takes), filled after
//! them (when their pages are known), each entry a link to its article.

use super::flow::Composer;
use super::styles::{
    TextStyle, CONTENTS_ARTICLE, CONTENTS_SECTION, MARGIN_BOTTOM, MARGIN_X, PAGE_HEADING,
};
use super::{Bookmark, Item};
use crate::export::pdf::linebreak::Line;
use crate::model::Issue;

/// Room on the right for the page numbers.
const NUMBER_ROOM: f32 = 40.0;
/// Articles of a named section are indented under it.
const ARTICLE_INDENT: f32 = 14.0;
/// Space after an entry.
const ENTRY_GAP: f32 = 3.0;
/// Space from the top of the text block to the heading's baseline, and from there to the
/// first entry.
const HEADING_DROP: f32 = 10.0;
const HEADING_SPACE: f32 = 30.0;

struct Entry {
    style: TextStyle,
    indent: f32,
    article: Option<String>,
    lines: Vec<Line>,
}

/// The contents' entries and the pages kept for them.
pub struct Contents {
    entries: Vec<Entry>,
    first_page: usize,
}

/// Lays out the entries and opens as many pages as they need.
pub fn plan(composer: &mut Composer, issue: &Issue) -> Contents {
    let measure = composer.measure();
    let mut entries = Vec::new();
    let mut entry = |text: &str, style: TextStyle, indent: f32, article: Option<String>| {
        let lines = composer.display_lines(text, style, measure - indent - NUMBER_ROOM);
        entries.push(Entry {
            style,
            indent,
            article,
            lines,
        });
    };
    for section in &issue.sections {
        if let Some(name) = &section.name {
            entry(name, CONTENTS_SECTION, 0.0, None);
        }
        let indent = if section.name.is_some() {
            ARTICLE_INDENT
        } else {
            0.0
        };
        for article in &section.articles {
            entry(
                &article.title,
                CONTENTS_ARTICLE,
                indent,
                Some(article.id.clone()),
            );
        }
    }
    // Count the contents pages with the very rule that places the entries below.
    let mut pages = 1;
    let mut y = composer.top() - HEADING_DROP - HEADING_SPACE;
    for entry in &entries {
        let height = entry.lines.len() as f32 * entry.style.leading;
        if y - height < MARGIN_BOTTOM {
            pages += 1;
            y = composer.top() - HEADING_DROP;
        }
        y -= height + ENTRY_GAP;
    }
    let first_page = composer.pages.len();
    for _ in 0..pages {
        composer.new_page(Some("Contents".into()));
    }
    Contents {
        entries,
        first_page,
    }
}

/// Sets the entries on the pages kept for them, with page numbers and links; returns the
/// contents' bookmark.
pub fn fill(
    composer: &mut Composer,
    contents: &Contents,
    article_pages: &[(String, usize)],
) -> Bookmark {
    let measure = composer.measure();
    let mut page = contents.first_page;
    composer.pages[page].items.clear();
    let mut y = composer.top() - HEADING_DROP;
    composer.pages[page].items.push(Item::Text {
        x: MARGIN_X,
        y,
        style: PAGE_HEADING.face,
        size: PAGE_HEADING.size,
        text: "Contents".into(),
        word_spacing: 0.0,
        gray: PAGE_HEADING.gray,
    });
    y -= HEADING_SPACE;
    for entry in &contents.entries {
        let leading = entry.style.leading;
        if y - entry.lines.len() as f32 * leading < MARGIN_BOTTOM {
            page += 1;
            y = composer.top() - HEADING_DROP;
        }
        let target = entry
            .article
            .as_ref()
            .and_then(|id| article_pages.iter().find(|(a, _)| a == id))
            .map(|(_, p)| *p);
        let top = y + 12.0;
        for line in &entry.lines {
            composer.pages[page].items.push(Item::Text {
                x: MARGIN_X + entry.indent,
                y,
                style: entry.style.face,
                size: entry.style.size,
                text: line.text.clone(),
                word_spacing: 0.0,
                gray: entry.style.gray,
            });
            y -= leading;
        }
        if let Some(target) = target {
            let number = (target + 1).to_string();
            let number_width =
                composer.width(CONTENTS_ARTICLE.face, CONTENTS_ARTICLE.size)(&number);
            let baseline = y + leading;
            composer.pages[page].items.push(Item::Text {
                x: composer.paper.width - MARGIN_X - number_width,
                y: baseline,
                style: CONTENTS_ARTICLE.face,
                size: CONTENTS_ARTICLE.size,
                text: number,
                word_spacing: 0.0,
                gray: CONTENTS_ARTICLE.gray,
            });
            composer.pages[page].items.push(Item::Link {
                x: MARGIN_X + entry.indent,
                y: baseline - 4.0,
                width: measure - entry.indent,
                height: top - (baseline - 4.0),
                page: target,
            });
        }
        y -= ENTRY_GAP;
    }
    Bookmark {
        title: "Contents".into(),
        page: contents.first_page,
        y: composer.top() + 20.0,
        children: Vec::new(),
    }
}
