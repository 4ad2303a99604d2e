//! Setting an edition on pages: a display list of positioned lines, rules, links and images,
//! independent of how it is written as PDF.
//!
//! The edition is a cover, a contents page with links, the articles (each on a new page:
//! section label, title, deck, byline, update date, then the body), and a colophon with the
//! provenance. Paragraphs are justified and hyphenated; a paragraph never leaves a single line
//! at the foot or head of a page, and a heading stays with what follows it; an article that
//! would end with a few lines on a page of their own is set a little tighter to end a page
//! sooner. One module per
//! part of the edition; the looks (sizes, leadings, margins) are named in `styles`.

mod article;
mod blocks;
mod colophon;
mod contents;
mod cover;
mod flow;
mod html;
pub mod inline;
mod lines;
mod links;
mod markdown;
mod running;
pub mod structure;
pub mod styles;
mod tables;

pub(crate) use cover::numbering;
pub(crate) use lines::visual_order;
pub use markdown::{blocks, Block};

use super::fonts::{FontSet, Style};
use crate::export::words;
use crate::export::Edition;
use std::collections::{BTreeMap, BTreeSet};

/// Paper sizes, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paper {
    pub width: f32,
    pub height: f32,
}

impl Paper {
    pub const A4: Paper = Paper {
        width: 595.28,
        height: 841.89,
    };
    pub const LETTER: Paper = Paper {
        width: 612.0,
        height: 792.0,
    };
}

/// What a piece of text is in the edition, so that it can be tagged (and so that running
/// heads and folios are known as page furniture).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Title,
    Heading,
    Paragraph,
    Quote,
    ListItem,
    Code,
    TableHeader,
    TableCell,
    Caption,
    Note,
    /// Cover, contents and colophon text.
    Display,
    /// Running heads and folios.
    Artifact,
    /// A sign the layout adds to the text (a code line's continuation mark): an artifact
    /// that extracted text leaves out.
    Mark,
    /// Code at the end of a line that breaks after it, whose last character is a space that
    /// extraction would drop at a line's end: read as one piece (its own text as its
    /// /ActualText), so that the space is kept.
    CodeEnd,
}

/// Where a link leads.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// Another page (0-based) of the edition.
    Page(usize),
    /// A place on a page (0-based): the height of its top.
    Place { page: usize, top: f32 },
    /// A footnote's Note element, until the edition is set and its place known.
    Note(structure::NodeId),
    /// A place in an article a body's link leads to (its title, a heading, or a section's
    /// first article's title): its page (0-based) and the height of its top.
    Passage { page: usize, top: f32 },
    /// A URI: a web address, or a body's link as written until the edition is set.
    Uri(String),
}

/// One thing on a page. `y` is the baseline for text, measured from the page's bottom edge.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text {
        x: f32,
        y: f32,
        style: Style,
        size: f32,
        text: String,
        word_spacing: f32,
        char_spacing: f32,
        gray: f32,
        role: Role,
        /// The language of the text when it differs from its element's (a Span with /Lang).
        lang: Option<String>,
        /// Whether the text reads right to left (drawn from its end; see
        /// [`lines::in_visual_order`]).
        rtl: bool,
    },
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        thickness: f32,
    },
    /// A link over the box at (`x`, `y`), `width` wide and `height` high.
    Link {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        target: Target,
    },
    /// An image of the edition (by its path in the source folder), its lower-left corner at
    /// (`x`, `y`).
    Image {
        path: String,
        x: f32,
        y: f32,
        width: f32,
        height: f32,
    },
    /// The items after this one (up to the next tag) belong to this element of the
    /// structure tree; `None`: they are page furniture (artifacts).
    Tag(Option<structure::NodeId>),
}

impl Item {
    /// A piece of plain text (no extra spacing) with its baseline at `y`.
    pub fn plain_text(x: f32, y: f32, style: styles::TextStyle, text: String, role: Role) -> Item {
        Item::Text {
            x,
            y,
            style: style.face,
            size: style.size,
            text,
            word_spacing: 0.0,
            char_spacing: 0.0,
            gray: style.gray,
            role,
            lang: None,
            rtl: false,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub items: Vec<Item>,
}

/// A bookmark: its page (0-based), its height on the page, and what nests under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bookmark {
    pub title: String,
    pub page: usize,
    pub y: f32,
    pub children: Vec<Bookmark>,
    /// A heading's element: once the edition is set (its last page's columns balanced), the
    /// bookmark leads to the top of the heading's first line, where a link to it leads.
    pub node: Option<structure::NodeId>,
}

/// A set edition.
#[derive(Debug, Clone)]
pub struct Composition {
    pub pages: Vec<Page>,
    pub outline: Vec<Bookmark>,
    /// The logical structure the pages' tags refer to.
    pub tree: structure::Tree,
    /// By article id, the raw HTML in its body that the edition cannot show as written.
    pub unshown: BTreeMap<String, BTreeSet<String>>,
    /// By article id, the emphasised text set upright: no face of the edition shows its
    /// emphasis (CJK has no italic, and no bold CJK face was found).
    pub upright: BTreeMap<String, BTreeSet<String>>,
    /// Each article's id and the page (0-based) it starts on, in reading order.
    pub articles: Vec<(String, usize)>,
    /// The page (0-based) the colophon starts on.
    pub colophon: usize,
    /// By article id, the links in its body that lead nowhere in the PDF (kept as text).
    pub unkept: BTreeMap<String, BTreeSet<String>>,
    /// By article id, the images named in its text instead of shown.
    pub named_images: BTreeMap<String, BTreeSet<String>>,
}

/// How the edition is laid out besides its paper.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    pub paper: Paper,
    /// Columns of the article bodies: 1 or 2.
    pub columns: usize,
}

/// Sets the edition with `fonts`.
pub fn compose(
    edition: &Edition,
    fonts: &FontSet,
    layout: Layout,
    quire_version: &str,
    image_sizes: &BTreeMap<String, (f32, f32)>,
) -> Composition {
    let issue = &edition.issue;
    // The issue's language sets the edition's own words; each article is hyphenated and
    // spaced in its own (`article::language`), and its byline, dates and notes are written in
    // it, as the EPUB and the site write them.
    let language = issue.text_language();
    let words = words::words(language);
    let mut composer = flow::Composer::new(fonts, layout.paper);
    composer.tree = structure::Tree::new(language);
    composer.set_language(language);
    composer.columns = layout.columns.clamp(1, 2);
    composer.images = image_sizes.clone();
    cover::set(&mut composer, issue, words, image_sizes);
    let planned = contents::plan(&mut composer, issue, words);
    let mut article_pages = Vec::new();
    let mut unshown = BTreeMap::new();
    let mut upright = BTreeMap::new();
    let mut named_images = BTreeMap::new();
    let mut outline: Vec<Bookmark> = Vec::new();
    let mut set_articles = Vec::new();
    for section in &issue.sections {
        let mut section_mark = section.name.as_ref().map(|name| Bookmark {
            title: name.clone(),
            page: composer.pages.len(),
            y: composer.top() + 40.0,
            children: Vec::new(),
            node: None,
        });
        for article in &section.articles {
            let body = edition
                .bodies
                .get(&article.id)
                .map(String::as_str)
                .unwrap_or("");
            let own_words = words::words(article::language(article, issue));
            let body = crate::export::missing::with_missing_pages(article, body, own_words);
            composer.set_language(article::language(article, issue));
            // An article's element says its language where it differs from the issue's.
            let own = article.language.as_deref().filter(|l| Some(*l) != language);
            composer.open_section(structure::Kind::Sect, own);
            composer.upright.take();
            composer.named_images.clear();
            let article::SetArticle { mark, lost, places } =
                article::set_fitted(&mut composer, |composer| {
                    article::set(composer, section, article, &body, own_words, image_sizes)
                });
            if !lost.is_empty() {
                unshown.insert(article.id.clone(), lost);
            }
            let unseen = composer.upright.take();
            if !unseen.is_empty() {
                upright.insert(article.id.clone(), unseen);
            }
            let named = std::mem::take(&mut composer.named_images);
            if !named.is_empty() {
                named_images.insert(article.id.clone(), named);
            }
            article_pages.push((article.id.clone(), mark.page));
            let pages = mark.page..=composer.page_index();
            set_articles.push(links::SetArticle {
                id: article.id.clone(),
                pages,
                places,
            });
            match &mut section_mark {
                Some(section_mark) => section_mark.children.push(mark),
                None => outline.push(mark),
            }
        }
        if let Some(mut section_mark) = section_mark {
            if let Some(first) = section_mark.children.first() {
                section_mark.page = first.page;
            }
            outline.push(section_mark);
        }
    }
    let colophon = colophon::set(&mut composer, edition, fonts, words, quire_version);
    let colophon_page = colophon.page;
    outline.push(colophon);
    outline.insert(0, contents::fill(&mut composer, &planned, &article_pages));
    running::set(&mut composer, issue);
    let mut pages = composer.pages;
    let set_issue = links::SetIssue {
        articles: &set_articles,
        first_articles: (issue.sections.iter())
            .map(|s| s.articles.first().map(|a| a.id.clone()))
            .collect(),
    };
    let rule = crate::export::links::Links::new(issue, &edition.bodies);
    let at = links::places(&pages, &set_articles);
    let unkept = links::link_inside(&mut pages, &set_issue, &rule, &at);
    place_headings(&mut outline, &at);
    link_notes(&mut pages);
    Composition {
        pages,
        outline,
        tree: composer.tree,
        unshown,
        upright,
        articles: article_pages,
        colophon: colophon_page,
        unkept,
        named_images,
    }
}

/// A footnote's call links to the top of its note's first line (where the note's element is
/// first tagged on a page); a call to a note set nowhere keeps its text, without the link.
fn link_notes(pages: &mut [Page]) {
    let called: BTreeSet<structure::NodeId> = pages
        .iter()
        .flat_map(|page| &page.items)
        .filter_map(|item| match item {
            Item::Link {
                target: Target::Note(node),
                ..
            } => Some(*node),
            _ => None,
        })
        .collect();
    let places = first_lines(pages, &called);
    for page in pages {
        page.items.retain_mut(|item| {
            let Item::Link { target, .. } = item else {
                return true;
            };
            let Target::Note(node) = *target else {
                return true;
            };
            match places.get(&node) {
                Some(&(page, top)) => {
                    *target = Target::Place { page, top };
                    true
                }
                None => false,
            }
        });
    }
}

/// Points each heading's bookmark at the page and height where the heading is set (`at`).
fn place_headings(marks: &mut [Bookmark], at: &BTreeMap<structure::NodeId, (usize, f32)>) {
    for mark in marks {
        if let Some(&(page, top)) = mark.node.and_then(|node| at.get(&node)) {
            (mark.page, mark.y) = (page, top);
        }
        place_headings(&mut mark.children, at);
    }
}

/// Where each element of `wanted` is first tagged: the page (0-based) of its first line and
/// the height of that line's top.
fn first_lines(
    pages: &[Page],
    wanted: &BTreeSet<structure::NodeId>,
) -> BTreeMap<structure::NodeId, (usize, f32)> {
    let mut places = BTreeMap::new();
    for (index, page) in pages.iter().enumerate() {
        let mut tagged = None;
        for item in &page.items {
            match item {
                Item::Tag(node) => tagged = node.filter(|node| wanted.contains(node)),
                Item::Text { y, size, .. } => {
                    if let Some(node) = tagged.take() {
                        places.entry(node).or_insert((index, y + size));
                    }
                }
                _ => {}
            }
        }
    }
    places
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(target: Target) -> Item {
        Item::Link {
            x: 0.0,
            y: 0.0,
            width: 1.0,
            height: 1.0,
            target,
        }
    }

    #[test]
    fn a_notes_call_links_to_the_top_of_its_first_line_and_a_call_to_no_note_is_no_link() {
        let text = |y| Item::plain_text(0.0, y, styles::NOTE, "1. A note.".into(), Role::Note);
        let mut pages = vec![
            Page {
                items: vec![link(Target::Note(7)), link(Target::Note(8))],
            },
            Page {
                items: vec![Item::Tag(Some(7)), text(100.0), text(90.0)],
            },
        ];
        link_notes(&mut pages);
        let top = 100.0 + styles::NOTE.size;
        assert_eq!(pages[0].items, [link(Target::Place { page: 1, top })]);
    }
}
