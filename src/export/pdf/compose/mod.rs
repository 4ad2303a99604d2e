//! Setting an edition on pages: a display list of positioned lines, rules, links and images,
//! independent of how it is written as PDF.
//!
//! The edition is a cover, a contents page with links, the articles (each on a new page:
//! section label, title, deck, byline, update date, then the body), and a colophon with the
//! provenance. Paragraphs are justified and hyphenated; a paragraph never leaves a single line
//! at the foot or head of a page, and a heading stays with what follows it.

use super::fonts::{FontSet, Style};
use super::linebreak::{break_lines, hyphenator, Line};
use crate::export::Edition;
use hyphenation::Standard;
use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use std::collections::BTreeMap;

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
        gray: f32,
    },
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        thickness: f32,
    },
    /// A link to another page (0-based) of the edition.
    Link {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        page: usize,
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
}

/// A set edition.
#[derive(Debug, Clone)]
pub struct Composition {
    pub pages: Vec<Page>,
    pub outline: Vec<Bookmark>,
}

const MARGIN_X: f32 = 62.0;
const MARGIN_TOP: f32 = 78.0;
const MARGIN_BOTTOM: f32 = 72.0;
const BODY_SIZE: f32 = 10.5;
const BODY_LEADING: f32 = 14.5;
const PARAGRAPH_GAP: f32 = 5.0;

/// Body text blocks read from an article's Markdown.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading { level: u8, text: String },
    Paragraph { text: String },
    Quote { text: String },
    Item { marker: String, text: String },
    Image { src: String, alt: String },
}

/// Reads a body (the [`crate::model::body`] dialect) into blocks (inline markup is set as plain text; HTML comments,
/// such as page boundaries, are not printed).
pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut text = String::new();
    let mut quote_depth = 0;
    let mut lists: Vec<Option<u64>> = Vec::new();
    // Open list items, innermost last: a nested list flushes its parent's text first.
    let mut items: Vec<String> = Vec::new();
    let mut heading: Option<u8> = None;
    let mut image: Option<(String, String)> = None;
    // Images inside a paragraph, item, heading or quote are set after that block.
    let mut pending: Vec<Block> = Vec::new();
    let flush_item = |items: &mut Vec<String>, text: &mut String, blocks: &mut Vec<Block>| {
        if let Some(marker) = items.last_mut() {
            if !text.trim().is_empty() {
                blocks.push(Block::Item {
                    marker: std::mem::take(marker),
                    text: text.trim().to_string(),
                });
            }
        }
        text.clear();
    };
    for event in crate::model::body::parser(markdown) {
        if let Some((_, alt)) = &mut image {
            match event {
                Event::End(TagEnd::Image) => {
                    let (src, alt) = image.take().expect("inside an image");
                    pending.push(Block::Image {
                        src,
                        alt: alt.trim().to_string(),
                    });
                }
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((percent_decode(&dest_url), String::new()))
            }
            Event::Start(Tag::BlockQuote(_)) => quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote_depth -= 1,
            Event::Start(Tag::List(start)) => {
                flush_item(&mut items, &mut text, &mut blocks);
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                let marker = match lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    _ => "•".to_string(),
                };
                items.push(marker);
                text.clear();
            }
            Event::End(TagEnd::Item) => {
                flush_item(&mut items, &mut text, &mut blocks);
                items.pop();
                blocks.append(&mut pending);
            }
            Event::Start(Tag::Heading { level, .. }) => {
                text.clear();
                heading = Some(if matches!(level, HeadingLevel::H1 | HeadingLevel::H2) {
                    2
                } else {
                    3
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                let level = heading.take().unwrap_or(2);
                if !text.trim().is_empty() {
                    blocks.push(Block::Heading {
                        level,
                        text: text.trim().to_string(),
                    });
                }
                text.clear();
                blocks.append(&mut pending);
            }
            Event::Start(Tag::Paragraph) if items.is_empty() => text.clear(),
            Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::CodeBlock)
            | Event::End(TagEnd::HtmlBlock) => {
                if !items.is_empty() {
                    text.push(' ');
                    continue;
                }
                let paragraph = text.trim().to_string();
                if !paragraph.is_empty() {
                    blocks.push(if quote_depth > 0 {
                        Block::Quote { text: paragraph }
                    } else {
                        Block::Paragraph { text: paragraph }
                    });
                }
                text.clear();
                blocks.append(&mut pending);
            }
            Event::Start(Tag::CodeBlock(_)) | Event::Start(Tag::HtmlBlock) if items.is_empty() => {
                text.clear()
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            // Raw HTML: a line break stays one; other tags are dropped, their text kept.
            Event::Html(html) | Event::InlineHtml(html) => {
                let lower = html.to_ascii_lowercase();
                if lower.starts_with("<br") {
                    text.push('\n');
                } else if !lower.starts_with("<!--") {
                    text.push_str(&strip_tags(&html));
                }
            }
            Event::SoftBreak => text.push(' '),
            Event::HardBreak => text.push('\n'),
            _ => {}
        }
    }
    blocks.append(&mut pending);
    blocks
}

/// The text of an HTML fragment, tags removed.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// `%20` and other escapes in a link target, decoded (Markdown keeps them as written).
pub fn percent_decode(url: &str) -> String {
    let bytes = url.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ASCII hex digits");
            out.push(u8::from_str_radix(hex, 16).expect("hex digits"));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| url.to_string())
}

/// Text as it should be set: soft hyphens and other invisible format characters dropped, tabs
/// as spaces.
pub fn settable(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{00ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
            )
        })
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect()
}

/// How many of `n` lines to set where `fit` lines fit: all, or a part that leaves at least two
/// lines on each side of the page break (no orphan, no widow), or none.
fn lines_here(n: usize, fit: usize) -> usize {
    let take = if n <= fit {
        n
    } else if fit >= 2 && n - fit >= 2 {
        fit
    } else if fit >= 3 && n >= 4 {
        n - 2
    } else {
        0
    };
    take.min(fit)
}

/// How a run of lines is set.
#[derive(Debug, Clone, Copy)]
struct Setting {
    x: f32,
    style: Style,
    size: f32,
    leading: f32,
    measure: f32,
    gray: f32,
}

struct Composer<'a> {
    fonts: &'a FontSet,
    paper: Paper,
    /// The patterns of the language being set (each article's own, or the issue's).
    hyphenator: Option<&'a Standard>,
    pages: Vec<Page>,
    y: f32,
    /// The article each page belongs to, for the running head.
    running: Vec<Option<String>>,
}

impl<'a> Composer<'a> {
    fn measure(&self) -> f32 {
        self.paper.width - 2.0 * MARGIN_X
    }

    fn top(&self) -> f32 {
        self.paper.height - MARGIN_TOP
    }

    fn new_page(&mut self, running: Option<String>) {
        self.pages.push(Page::default());
        self.running.push(running);
        self.y = self.top();
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page is open")
    }

    fn room(&self) -> f32 {
        self.y - MARGIN_BOTTOM
    }

    fn width(&self, style: Style, size: f32) -> impl Fn(&str) -> f32 + '_ {
        move |text: &str| {
            text.chars()
                .map(|c| match self.fonts.face_for(style, c) {
                    Some((face, _)) => face.advance(c, size).unwrap_or(0.0),
                    None => 0.0,
                })
                .sum()
        }
    }

    fn lines(
        &self,
        text: &str,
        style: Style,
        size: f32,
        measure: f32,
        hyphenate: bool,
    ) -> Vec<Line> {
        let width = self.width(style, size);
        let hyphenator = if hyphenate { self.hyphenator } else { None };
        let mut lines = break_lines(&settable(text), measure, &width, hyphenator);
        // Body text is justified and hyphenated; display text (titles, decks, captions) is
        // set ragged.
        if !hyphenate {
            for line in &mut lines {
                line.justify = false;
            }
        }
        lines
    }

    fn put_line(&mut self, line: &Line, x: f32, style: Style, size: f32, measure: f32, gray: f32) {
        let spaces = line.spaces();
        let word_spacing = if line.justify && spaces > 0 {
            let extra = (measure - line.width) / spaces as f32;
            // A line that would need huge gaps is set ragged instead.
            if extra < size * 0.8 {
                extra
            } else {
                0.0
            }
        } else {
            0.0
        };
        let y = self.y;
        self.page().items.push(Item::Text {
            x,
            y,
            style,
            size,
            text: line.text.clone(),
            word_spacing,
            gray,
        });
    }

    /// Sets a block of lines, keeping at least two lines together at the foot and at the
    /// head of a page (no orphans, no widows).
    fn flow(&mut self, lines: &[Line], set: &Setting, running: &Option<String>) {
        let Setting {
            x,
            style,
            size,
            leading,
            measure,
            gray,
        } = *set;
        let mut rest = lines;
        while !rest.is_empty() {
            let fit = (self.room() / leading).floor().max(0.0) as usize;
            let mut take = lines_here(rest.len(), fit);
            if take == 0 && self.y >= self.top() {
                // Even a fresh page cannot keep the rule: set what fits.
                take = fit.clamp(1, rest.len());
            }
            // A page does not end in a hyphenated word, where it can be helped.
            while take > 2
                && take < rest.len()
                && rest[take - 1].hyphenated
                && rest.len() - take + 1 >= 2
            {
                take -= 1;
            }
            if take == 0 {
                self.new_page(running.clone());
                continue;
            }
            for line in &rest[..take] {
                self.y -= leading;
                self.put_line(line, x, style, size, measure, gray);
            }
            rest = &rest[take..];
            if !rest.is_empty() {
                self.new_page(running.clone());
            }
        }
    }

    fn gap(&mut self, space: f32) {
        if self.y < self.top() {
            self.y -= space;
        }
    }
}

/// Sets the edition on `paper` with `fonts`.
pub fn compose(
    edition: &Edition,
    fonts: &FontSet,
    paper: Paper,
    quire_version: &str,
    image_sizes: &BTreeMap<String, (u32, u32)>,
) -> Composition {
    let issue = &edition.issue;
    // The patterns of every language the issue's articles are in, loaded once.
    let patterns: BTreeMap<Option<&str>, Option<Standard>> = issue
        .articles()
        .map(|a| a.language_in(issue))
        .chain([issue.language()])
        .map(|language| (language, hyphenator(language)))
        .collect();
    let mut composer = Composer {
        fonts,
        paper,
        hyphenator: patterns[&issue.language()].as_ref(),
        pages: Vec::new(),
        y: 0.0,
        running: Vec::new(),
    };
    let measure = composer.measure();

    // The cover.
    composer.new_page(None);
    let mut y = paper.height * 0.70;
    // At most three lines of each title on the cover (the full titles are on every page).
    let capped = |mut lines: Vec<Line>| {
        if lines.len() > 3 {
            lines.truncate(3);
            lines[2].text.push('…');
        }
        lines
    };
    let cover_lines = capped(composer.lines(
        &issue.publication.title,
        Style::SansBold,
        34.0,
        measure,
        false,
    ));
    for line in &cover_lines {
        composer.page().items.push(Item::Text {
            x: MARGIN_X,
            y,
            style: Style::SansBold,
            size: 34.0,
            text: line.text.clone(),
            word_spacing: 0.0,
            gray: 0.0,
        });
        y -= 40.0;
    }
    composer.page().items.push(Item::Rule {
        x1: MARGIN_X,
        x2: paper.width - MARGIN_X,
        y: y + 22.0,
        thickness: 1.5,
    });
    if let Some(title) = &issue.title {
        for line in capped(composer.lines(title, Style::Serif, 20.0, measure, false)) {
            y -= 6.0;
            composer.page().items.push(Item::Text {
                x: MARGIN_X,
                y,
                style: Style::Serif,
                size: 20.0,
                text: line.text,
                word_spacing: 0.0,
                gray: 0.0,
            });
            y -= 22.0;
        }
    }
    let numbering: Vec<String> = [
        issue.volume.as_ref().map(|v| format!("Volume {v}")),
        issue.number.as_ref().map(|n| format!("Number {n}")),
        issue.date.map(|d| d.to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !numbering.is_empty() {
        y -= 8.0;
        for line in
            capped(composer.lines(&numbering.join(" · "), Style::Sans, 12.0, measure, false))
        {
            composer.page().items.push(Item::Text {
                x: MARGIN_X,
                y,
                style: Style::Sans,
                size: 12.0,
                text: line.text,
                word_spacing: 0.0,
                gray: 0.25,
            });
            y -= 16.0;
        }
    }

    if let Some((cover, (w, h))) = issue
        .cover
        .as_ref()
        .and_then(|c| image_sizes.get(c).map(|s| (c, s)))
    {
        let room_height = (y - 40.0 - MARGIN_BOTTOM).max(0.0);
        let scale = (measure / *w as f32).min(room_height / *h as f32).max(0.0);
        let (width, height) = (*w as f32 * scale, *h as f32 * scale);
        // No room left under long titles: the cover goes without its picture.
        if height >= 40.0 {
            composer.page().items.push(Item::Image {
                path: cover.clone(),
                x: (paper.width - width) / 2.0,
                y: y - 30.0 - height,
                width,
                height,
            });
        }
    }

    // Contents: entries first, to know how many pages they take; page numbers come later.
    struct Entry {
        text: String,
        style: Style,
        indent: f32,
        article: Option<String>,
    }
    let mut entries = Vec::new();
    for section in &issue.sections {
        if let Some(name) = &section.name {
            entries.push(Entry {
                text: name.clone(),
                style: Style::SansBold,
                indent: 0.0,
                article: None,
            });
        }
        let indent = if section.name.is_some() { 14.0 } else { 0.0 };
        for article in &section.articles {
            entries.push(Entry {
                text: article.title.clone(),
                style: Style::Serif,
                indent,
                article: Some(article.id.clone()),
            });
        }
    }
    let contents_leading = 17.0;
    let number_room = 40.0;
    let entry_lines: Vec<Vec<Line>> = entries
        .iter()
        .map(|e| {
            composer.lines(
                &e.text,
                e.style,
                11.0,
                measure - e.indent - number_room,
                false,
            )
        })
        .collect();
    // Count the contents pages with the very rule that places the entries below.
    let mut contents_pages = 1;
    let mut y = composer.top() - 10.0 - 30.0;
    for lines in &entry_lines {
        if y - lines.len() as f32 * contents_leading < MARGIN_BOTTOM {
            contents_pages += 1;
            y = composer.top() - 10.0;
        }
        y -= lines.len() as f32 * contents_leading + 3.0;
    }
    let first_contents = composer.pages.len();
    for _ in 0..contents_pages {
        composer.new_page(Some("Contents".into()));
    }

    // The articles.
    let mut article_pages = Vec::new();
    let mut outline: Vec<Bookmark> = Vec::new();
    for section in &issue.sections {
        let mut section_mark = section.name.as_ref().map(|name| Bookmark {
            title: name.clone(),
            page: composer.pages.len(),
            y: composer.top() + 40.0,
            children: Vec::new(),
        });
        for article in &section.articles {
            composer.hyphenator = patterns[&article.language_in(issue)].as_ref();
            let running = Some(article.title.clone());
            composer.new_page(running.clone());
            let start = composer.pages.len() - 1;
            article_pages.push((article.id.clone(), start));
            let mut mark = Bookmark {
                title: article.title.clone(),
                page: start,
                y: composer.top() + 20.0,
                children: Vec::new(),
            };
            if let Some(name) = &section.name {
                let label =
                    composer.lines(&name.to_uppercase(), Style::SansBold, 9.0, measure, false);
                let set = Setting {
                    x: MARGIN_X,
                    style: Style::SansBold,
                    size: 9.0,
                    leading: 12.0,
                    measure,
                    gray: 0.35,
                };
                composer.flow(&label, &set, &running);
                composer.y -= 6.0;
            }
            let title_lines =
                composer.lines(&article.title, Style::SerifBold, 22.0, measure, false);
            composer.flow(
                &title_lines,
                &Setting {
                    x: MARGIN_X,
                    style: Style::SerifBold,
                    size: 22.0,
                    leading: 27.0,
                    measure,
                    gray: 0.0,
                },
                &running,
            );
            if let Some(deck) = &article.deck {
                composer.gap(4.0);
                let lines = composer.lines(deck, Style::SerifItalic, 13.0, measure, false);
                composer.flow(
                    &lines,
                    &Setting {
                        x: MARGIN_X,
                        style: Style::SerifItalic,
                        size: 13.0,
                        leading: 17.0,
                        measure,
                        gray: 0.15,
                    },
                    &running,
                );
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
                let lines =
                    composer.lines(&credits.join("  ·  "), Style::Sans, 9.0, measure, false);
                composer.flow(
                    &lines,
                    &Setting {
                        x: MARGIN_X,
                        style: Style::Sans,
                        size: 9.0,
                        leading: 12.0,
                        measure,
                        gray: 0.3,
                    },
                    &running,
                );
            }
            composer.gap(8.0);
            let y = composer.y;
            composer.page().items.push(Item::Rule {
                x1: MARGIN_X,
                x2: MARGIN_X + measure,
                y,
                thickness: 0.5,
            });
            composer.gap(4.0);

            let body = edition
                .bodies
                .get(&article.id)
                .map(String::as_str)
                .unwrap_or("");
            let mut body_blocks = blocks(body);
            // Images the metadata lists but the body does not show go at the end.
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
            for (i, block) in body_blocks.iter().enumerate() {
                match block {
                    Block::Heading { level, text } => {
                        let size = if *level <= 2 { 13.0 } else { 11.5 };
                        let lines = composer.lines(text, Style::SansBold, size, measure, false);
                        // Keep the heading with two lines of what follows.
                        // The gaps around the heading and before the paragraph, then two lines.
                        let needed = lines.len() as f32 * (size + 4.0)
                            + 12.0
                            + PARAGRAPH_GAP
                            + 2.0 * BODY_LEADING;
                        if composer.room() < needed {
                            composer.new_page(running.clone());
                        }
                        composer.gap(10.0);
                        let page = composer.pages.len() - 1;
                        mark.children.push(Bookmark {
                            title: text.clone(),
                            page,
                            y: composer.y + 4.0,
                            children: Vec::new(),
                        });
                        composer.flow(
                            &lines,
                            &Setting {
                                x: MARGIN_X,
                                style: Style::SansBold,
                                size,
                                leading: size + 4.0,
                                measure,
                                gray: 0.0,
                            },
                            &running,
                        );
                        composer.gap(2.0);
                    }
                    Block::Paragraph { text } => {
                        if i > 0 {
                            composer.gap(PARAGRAPH_GAP);
                        }
                        let lines = composer.lines(text, Style::Serif, BODY_SIZE, measure, true);
                        composer.flow(
                            &lines,
                            &Setting {
                                x: MARGIN_X,
                                style: Style::Serif,
                                size: BODY_SIZE,
                                leading: BODY_LEADING,
                                measure,
                                gray: 0.0,
                            },
                            &running,
                        );
                    }
                    Block::Quote { text } => {
                        composer.gap(PARAGRAPH_GAP);
                        let inner = measure - 36.0;
                        let lines =
                            composer.lines(text, Style::SerifItalic, BODY_SIZE, inner, true);
                        composer.flow(
                            &lines,
                            &Setting {
                                x: MARGIN_X + 18.0,
                                style: Style::SerifItalic,
                                size: BODY_SIZE,
                                leading: BODY_LEADING,
                                measure: inner,
                                gray: 0.2,
                            },
                            &running,
                        );
                    }
                    Block::Image { src, alt } => {
                        let caption_lines = if alt.is_empty() {
                            Vec::new()
                        } else {
                            composer.lines(alt, Style::Sans, 8.5, measure, false)
                        };
                        let caption_height = caption_lines.len() as f32 * 11.0;
                        let caption = Setting {
                            x: MARGIN_X,
                            style: Style::Sans,
                            size: 8.5,
                            leading: 11.0,
                            measure,
                            gray: 0.35,
                        };
                        match image_sizes.get(src) {
                            Some((w, h)) => {
                                let max_height = (composer.top() - MARGIN_BOTTOM) * 0.55;
                                let scale = (measure / *w as f32).min(max_height / *h as f32);
                                let (width, height) = (*w as f32 * scale, *h as f32 * scale);
                                if composer.room() < height + caption_height + 10.0 {
                                    composer.new_page(running.clone());
                                }
                                composer.gap(8.0);
                                let y = composer.y - height;
                                composer.page().items.push(Item::Image {
                                    path: src.clone(),
                                    x: MARGIN_X + (measure - width) / 2.0,
                                    y,
                                    width,
                                    height,
                                });
                                composer.y = y - 2.0;
                                composer.flow(&caption_lines, &caption, &running);
                                composer.gap(4.0);
                            }
                            None => {
                                // A link the source recorded, or an image this edition cannot embed.
                                let shown_src: String = if src.chars().count() > 60 {
                                    format!("{}…", src.chars().take(60).collect::<String>())
                                } else {
                                    src.clone()
                                };
                                let note = format!(
                                    "Image not in this edition: {} ({shown_src})",
                                    if alt.is_empty() { "untitled" } else { alt }
                                );
                                let lines = composer.lines(&note, Style::Sans, 8.5, measure, false);
                                composer.gap(PARAGRAPH_GAP);
                                composer.flow(&lines, &caption, &running);
                            }
                        }
                    }
                    Block::Item { marker, text } => {
                        composer.gap(2.0);
                        // The text hangs past the widest marker ("10." is wider than "•").
                        let marker_width = composer.width(Style::Serif, BODY_SIZE)(marker);
                        let indent = (marker_width + 8.0).max(16.0);
                        let inner = measure - indent;
                        let lines = composer.lines(text, Style::Serif, BODY_SIZE, inner, true);
                        // The marker goes where the item's first line will.
                        let fit = (composer.room() / BODY_LEADING).floor().max(0.0) as usize;
                        if lines_here(lines.len(), fit) == 0 {
                            composer.new_page(running.clone());
                        }
                        let y = composer.y - BODY_LEADING;
                        composer.page().items.push(Item::Text {
                            x: MARGIN_X + 2.0,
                            y,
                            style: Style::Serif,
                            size: BODY_SIZE,
                            text: marker.clone(),
                            word_spacing: 0.0,
                            gray: 0.0,
                        });
                        composer.flow(
                            &lines,
                            &Setting {
                                x: MARGIN_X + indent,
                                style: Style::Serif,
                                size: BODY_SIZE,
                                leading: BODY_LEADING,
                                measure: inner,
                                gray: 0.0,
                            },
                            &running,
                        );
                    }
                }
            }
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

    // The colophon: where this edition came from.
    composer.new_page(Some("Colophon".into()));
    composer.y -= 10.0;
    let heading = composer.lines("Colophon", Style::SansBold, 16.0, measure, false);
    composer.flow(
        &heading,
        &Setting {
            x: MARGIN_X,
            style: Style::SansBold,
            size: 16.0,
            leading: 22.0,
            measure,
            gray: 0.0,
        },
        &None,
    );
    composer.gap(8.0);
    let colophon_page = composer.pages.len() - 1;
    let provenance = [
        format!("This edition was made by quire {quire_version} from an OCFL archive, every file checked against its digest."),
        format!("Archive object: {}", edition.object_id),
        format!("Version: {} (created {})", edition.version, edition.created),
        format!("Issue metadata (issue.toml) sha512: {}", edition.metadata_sha512),
        match &fonts.fallback {
            Some(face) => format!("Set in Noto Serif and Noto Sans (SIL Open Font License 1.1), and {}.", face.name),
            None => "Set in Noto Serif and Noto Sans (SIL Open Font License 1.1).".to_string(),
        },
    ];
    for text in provenance {
        let lines = composer.lines(&text, Style::Sans, 9.0, measure, false);
        composer.flow(
            &lines,
            &Setting {
                x: MARGIN_X,
                style: Style::Sans,
                size: 9.0,
                leading: 13.0,
                measure,
                gray: 0.0,
            },
            &None,
        );
        composer.gap(5.0);
    }
    outline.push(Bookmark {
        title: "Colophon".into(),
        page: colophon_page,
        y: composer.top() + 20.0,
        children: Vec::new(),
    });

    // The contents, now that the pages are known.
    {
        let mut page = first_contents;
        composer.pages[page].items.clear();
        let mut y = composer.top() - 10.0;
        composer.pages[page].items.push(Item::Text {
            x: MARGIN_X,
            y,
            style: Style::SansBold,
            size: 16.0,
            text: "Contents".into(),
            word_spacing: 0.0,
            gray: 0.0,
        });
        y -= 30.0;
        for (entry, lines) in entries.iter().zip(&entry_lines) {
            if y - lines.len() as f32 * contents_leading < MARGIN_BOTTOM {
                page += 1;
                y = composer.top() - 10.0;
            }
            let target = entry
                .article
                .as_ref()
                .and_then(|id| article_pages.iter().find(|(a, _)| a == id))
                .map(|(_, p)| *p);
            let top = y + 12.0;
            for line in lines {
                composer.pages[page].items.push(Item::Text {
                    x: MARGIN_X + entry.indent,
                    y,
                    style: entry.style,
                    size: 11.0,
                    text: line.text.clone(),
                    word_spacing: 0.0,
                    gray: 0.0,
                });
                y -= contents_leading;
            }
            if let Some(target) = target {
                let number = (target + 1).to_string();
                let number_width = composer.width(Style::Serif, 11.0)(&number);
                composer.pages[page].items.push(Item::Text {
                    x: paper.width - MARGIN_X - number_width,
                    y: y + contents_leading,
                    style: Style::Serif,
                    size: 11.0,
                    text: number,
                    word_spacing: 0.0,
                    gray: 0.0,
                });
                composer.pages[page].items.push(Item::Link {
                    x: MARGIN_X + entry.indent,
                    y: y + contents_leading - 4.0,
                    width: measure - entry.indent,
                    height: top - (y + contents_leading - 4.0),
                    page: target,
                });
            }
            y -= 3.0;
        }
        outline.insert(
            0,
            Bookmark {
                title: "Contents".into(),
                page: first_contents,
                y: composer.top() + 20.0,
                children: Vec::new(),
            },
        );
    }

    // Running heads and folios on every page but the cover.
    let head_left = match &issue.title {
        Some(title) => format!("{} · {title}", issue.publication.title),
        None => issue.publication.title.clone(),
    };
    // The left head gets what the right one leaves.
    let head_left = truncate_to(&head_left, measure * 0.5, &composer.width(Style::Sans, 8.0));
    for (index, running) in composer.running.clone().iter().enumerate().skip(1) {
        let head_y = paper.height - 44.0;
        let folio = (index + 1).to_string();
        let folio_width = composer.width(Style::Sans, 8.5)(&folio);
        let mut items = vec![
            Item::Text {
                x: MARGIN_X,
                y: head_y,
                style: Style::Sans,
                size: 8.0,
                text: head_left.clone(),
                word_spacing: 0.0,
                gray: 0.35,
            },
            Item::Rule {
                x1: MARGIN_X,
                x2: paper.width - MARGIN_X,
                y: head_y - 6.0,
                thickness: 0.4,
            },
            Item::Text {
                x: (paper.width - folio_width) / 2.0,
                y: 40.0,
                style: Style::Sans,
                size: 8.5,
                text: folio,
                word_spacing: 0.0,
                gray: 0.2,
            },
        ];
        if let Some(running) = running {
            let text = truncate_to(running, measure * 0.45, &composer.width(Style::Sans, 8.0));
            let width = composer.width(Style::Sans, 8.0)(&text);
            items.push(Item::Text {
                x: paper.width - MARGIN_X - width,
                y: head_y,
                style: Style::Sans,
                size: 8.0,
                text,
                word_spacing: 0.0,
                gray: 0.35,
            });
        }
        composer.pages[index].items.extend(items);
    }
    Composition {
        pages: composer.pages,
        outline,
    }
}

/// `text`, cut with an ellipsis to fit `width`.
fn truncate_to(text: &str, width: f32, measure: &dyn Fn(&str) -> f32) -> String {
    if measure(text) <= width {
        return text.to_string();
    }
    let mut cut = String::new();
    for c in text.chars() {
        if measure(&format!("{cut}{c}…")) > width {
            break;
        }
        cut.push(c);
    }
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_dropped_and_images_follow_their_block() {
        let body = "- OUTER\n  - INNER\n\n```\ncode line\n```\n\n<div>in html</div>\n\nFirst line<br>second\n\n- item ![i](assets/a%20b.png) after\n";
        let got = blocks(body);
        assert_eq!(
            got,
            vec![
                Block::Item {
                    marker: "•".into(),
                    text: "OUTER".into()
                },
                Block::Item {
                    marker: "•".into(),
                    text: "INNER".into()
                },
                Block::Paragraph {
                    text: "code line".into()
                },
                Block::Paragraph {
                    text: "in html".into()
                },
                Block::Paragraph {
                    text: "First line\nsecond".into()
                },
                Block::Item {
                    marker: "•".into(),
                    text: "item  after".into()
                },
                Block::Image {
                    src: "assets/a b.png".into(),
                    alt: "i".into()
                },
            ]
        );
        assert_eq!(settable("soft\u{ad}hyphen\tand tab"), "softhyphen and tab");
    }

    #[test]
    fn markdown_bodies_become_blocks() {
        let body = "<!-- page 1: sources/a.txt -->\n\n## VI. Heading\n\nOne *two*\nthree.\n\n> Quoted.\n\n- a\n- b\n\n1. x\n2. y\n";
        assert_eq!(
            blocks(body),
            vec![
                Block::Heading {
                    level: 2,
                    text: "VI. Heading".into()
                },
                Block::Paragraph {
                    text: "One two three.".into()
                },
                Block::Quote {
                    text: "Quoted.".into()
                },
                Block::Item {
                    marker: "•".into(),
                    text: "a".into()
                },
                Block::Item {
                    marker: "•".into(),
                    text: "b".into()
                },
                Block::Item {
                    marker: "1.".into(),
                    text: "x".into()
                },
                Block::Item {
                    marker: "2.".into(),
                    text: "y".into()
                },
            ]
        );
    }
}
