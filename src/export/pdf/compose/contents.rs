//! The contents: planned before the articles (to know how many pages it takes), filled after
//! them (when their pages are known); each article with its deck and byline, a link to it and
//! its page number.

use super::flow::Composer;
use super::lines::SetLine;
use super::structure::Kind;
use super::styles::{
    TextStyle, CONTENTS_ARTICLE, CONTENTS_BYLINE, CONTENTS_DECK, CONTENTS_SECTION, MARGIN_BOTTOM,
    MARGIN_X, PAGE_HEADING,
};
use super::{Bookmark, Item, Role, Target};
use crate::export::words::Words;
use crate::model::Issue;

/// Room on the right for the page numbers.
const NUMBER_ROOM: f32 = 40.0;
/// Articles of a named section are indented under it.
const ARTICLE_INDENT: f32 = 14.0;
/// Space after an entry.
const ENTRY_GAP: f32 = 7.0;
/// Space from the top of the text block to the heading's baseline, and from there to the
/// first entry.
const HEADING_DROP: f32 = 16.0;
const HEADING_SPACE: f32 = 30.0;

struct Entry {
    indent: f32,
    article: Option<String>,
    lines: Vec<(SetLine, TextStyle)>,
}

impl Entry {
    fn height(&self) -> f32 {
        self.lines.iter().map(|(_, s)| s.leading).sum()
    }
}

/// The contents' entries and the pages kept for them.
pub struct Contents {
    entries: Vec<Entry>,
    first_page: usize,
    title: String,
}

/// Lays out the entries and opens as many pages as they need.
pub fn plan(composer: &mut Composer, issue: &Issue, words: &Words) -> Contents {
    let measure = composer.measure();
    let mut entries = Vec::new();
    for section in &issue.sections {
        if let Some(name) = &section.name {
            let lines = composer.display_lines(&name.to_uppercase(), CONTENTS_SECTION, measure);
            entries.push(Entry {
                indent: 0.0,
                article: None,
                lines: lines.into_iter().map(|l| (l, CONTENTS_SECTION)).collect(),
            });
        }
        let indent = if section.name.is_some() {
            ARTICLE_INDENT
        } else {
            0.0
        };
        let width = measure - indent - NUMBER_ROOM;
        for article in &section.articles {
            let mut lines = Vec::new();
            let mut add = |text: &str, style: TextStyle| {
                for line in composer.display_lines(text, style, width) {
                    lines.push((line, style));
                }
            };
            add(&article.title, CONTENTS_ARTICLE);
            if let Some(deck) = &article.deck {
                add(deck, CONTENTS_DECK);
            }
            let byline = super::article::byline(article, words);
            if !byline.is_empty() {
                add(&byline, CONTENTS_BYLINE);
            }
            entries.push(Entry {
                indent,
                article: Some(article.id.clone()),
                lines,
            });
        }
    }
    // Count the contents pages with the very rule that places the entries below.
    let mut pages = 1;
    let mut y = composer.top() - HEADING_DROP - HEADING_SPACE;
    for entry in &entries {
        if y - entry.height() < MARGIN_BOTTOM {
            pages += 1;
            y = composer.top() - HEADING_DROP;
        }
        y -= entry.height() + ENTRY_GAP;
    }
    let first_page = composer.pages.len();
    composer.head = Some(words.contents.to_string());
    for _ in 0..pages {
        composer.new_page();
    }
    Contents {
        entries,
        first_page,
        title: words.contents.to_string(),
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
    let mut y = composer.top() - HEADING_DROP;
    let heading = composer.display_lines(&contents.title, PAGE_HEADING, measure);
    composer.open_section(Kind::Sect, None);
    let mut items = vec![Item::Tag(Some(composer.begin(Kind::H(1))))];
    let toc = composer.begin(Kind::TOC);
    for line in &heading {
        items.extend(Composer::line_items(
            line,
            MARGIN_X,
            y,
            PAGE_HEADING,
            Role::Heading,
        ));
    }
    composer.pages[page].items.extend(items);
    y -= HEADING_SPACE;
    for entry in &contents.entries {
        if y - entry.height() < MARGIN_BOTTOM {
            page += 1;
            y = composer.top() - HEADING_DROP;
        }
        let target = entry
            .article
            .as_ref()
            .and_then(|id| article_pages.iter().find(|(a, _)| a == id))
            .map(|(_, p)| *p);
        let top = y;
        let mut items = vec![Item::Tag(Some(composer.tree.add(Kind::TOCI, toc)))];
        let mut first_baseline = None;
        for (line, style) in &entry.lines {
            y -= style.leading;
            first_baseline.get_or_insert(y);
            let role = if entry.article.is_some() {
                Role::Display
            } else {
                Role::Heading
            };
            items.extend(Composer::line_items(
                line,
                MARGIN_X + entry.indent,
                y,
                *style,
                role,
            ));
        }
        if let (Some(target), Some(baseline)) = (target, first_baseline) {
            let number = (target + 1).to_string();
            let number_width = composer.width(CONTENTS_ARTICLE)(&number);
            items.push(Item::Text {
                x: composer.paper.width - MARGIN_X - number_width,
                y: baseline,
                style: CONTENTS_ARTICLE.face,
                size: CONTENTS_ARTICLE.size,
                text: number,
                word_spacing: 0.0,
                char_spacing: 0.0,
                gray: CONTENTS_ARTICLE.gray,
                role: Role::Display,
                lang: None,
                rtl: false,
            });
            items.push(Item::Link {
                x: MARGIN_X + entry.indent,
                y: y - 3.0,
                width: measure - entry.indent,
                height: top - (y - 3.0),
                target: Target::Page(target),
            });
        }
        composer.pages[page].items.extend(items);
        y -= ENTRY_GAP;
    }
    Bookmark {
        title: contents.title.clone(),
        page: contents.first_page,
        y: composer.top() + 20.0,
        children: Vec::new(),
        node: None,
    }
}
