//! An article's Markdown (the body dialect of [`crate::model::body`]: CommonMark with tables,
//! footnotes, strikethrough, definition lists, sub- and superscript, maths) read into the
//! blocks the edition sets: headings, paragraphs, quotes, list items, definitions, code,
//! tables and images, with inline marks kept, and the footnotes apart. The export of images
//! reads the same blocks.

use super::html::{self, Inline};
use super::inline::{
    count, marks_of, plain, push, trim, InlineImage, Langs, Mark, Marks, Open, Rich, Script, OBJECT,
};
use crate::model::body::percent_decode;
use crate::model::body::xhtml::escape;
use pulldown_cmark::{Alignment, Event, Tag, TagEnd};
use std::collections::{BTreeMap, BTreeSet};

/// How a table column is aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// Body text blocks read from an article's Markdown.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading at its level in the source (1 to 6), and its number (from 1) among the
    /// body's Markdown headings, by which the issue's link rule names it
    /// ([`crate::export::links`]); `None` for one written as raw HTML, which no link names.
    Heading {
        level: u8,
        text: Rich,
        number: Option<usize>,
    },
    Paragraph {
        text: Rich,
    },
    /// A definition list's term, in bold (never indented as a paragraph after another is).
    Term {
        text: Rich,
    },
    Quote {
        text: Rich,
    },
    /// A list item; `depth` 1 for the outer list; `quoted` inside a quotation (set as its
    /// words are).
    Item {
        marker: String,
        depth: usize,
        text: Rich,
        quoted: bool,
    },
    /// An image, and the link it stands in, if any (`[![alt](a.jpg)](https://…)`).
    Image {
        src: String,
        alt: String,
        link: Option<String>,
    },
    /// A paragraph of a pull quote (`<aside class="pullquote">`), set as a quote.
    PullQuote {
        text: Rich,
    },
    /// A code block, line by line as written.
    Code {
        lines: Vec<String>,
    },
    Table(Table),
}

/// A table: its caption, its rows (the first `head` of them the header, repeated after a
/// break), and how its columns are aligned (GFM tables; HTML ones are set left).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub caption: Rich,
    pub align: Vec<Align>,
    pub head: usize,
    pub rows: Vec<Vec<Cell>>,
}

/// A table cell: its text, whether it is a header cell, and how many columns and rows it
/// spans (at least 1 each).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: Rich,
    pub header: bool,
    pub columns: usize,
    pub rows: usize,
}

impl Cell {
    /// A cell of one column and one row.
    pub fn new(text: Rich, header: bool) -> Cell {
        Cell {
            text,
            header,
            columns: 1,
            rows: 1,
        }
    }
}

/// A body: its blocks, its footnotes by number, and the raw HTML the edition cannot show as
/// written (each element by name and what becomes of it), for a warning.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Body {
    pub blocks: Vec<Block>,
    pub notes: BTreeMap<usize, Rich>,
    pub lost: BTreeSet<String>,
}

/// Reads a body into blocks (HTML comments, such as page boundaries, are not printed).
pub fn blocks(markdown: &str) -> Vec<Block> {
    body(markdown).blocks
}

/// Open containers while reading.
#[derive(Default)]
struct Reader {
    body: Body,
    text: Rich,
    marks: Marks,
    /// Counts of open inline marks, and the links.
    open: Open,
    links: Vec<String>,
    /// The inline HTML elements open, for the language they give.
    langs: Langs,
    quote_depth: usize,
    lists: Vec<Option<u64>>,
    /// Open list items' markers, innermost last: a nested list flushes its parent's text
    /// first.
    items: Vec<String>,
    heading: Option<u8>,
    /// The Markdown headings met so far (an empty one too: the link rule counts it).
    headings: usize,
    image: Option<(String, String)>,
    /// Images inside a paragraph, item, heading or quote are set after that block.
    pending: Vec<Block>,
    code: Option<String>,
    table: Option<Table>,
    row: Vec<Cell>,
    /// The raw HTML block being read, and the MathML formula in a paragraph.
    html: Option<String>,
    math: Option<String>,
    /// The footnote being read, and the numbers given to labels in order of first call.
    note: Option<usize>,
    numbers: BTreeMap<String, usize>,
    /// Inside a definition (its paragraphs run together).
    definition: bool,
}

/// Reads a body into blocks and footnotes.
pub fn body(markdown: &str) -> Body {
    let mut reader = Reader::default();
    for event in crate::model::body::parser(markdown) {
        reader.event(event);
    }
    let pending = std::mem::take(&mut reader.pending);
    reader.body.blocks.extend(pending);
    reader.body
}

impl Reader {
    fn event(&mut self, event: Event) {
        if let Some((_, alt)) = &mut self.image {
            match event {
                Event::End(TagEnd::Image) => {
                    let (src, alt) = self.image.take().expect("inside an image");
                    let alt = alt.trim().to_string();
                    let link = self.links.last().cloned();
                    self.inline_image(&src, &alt, link.clone());
                    self.pending.push(Block::Image { src, alt, link });
                }
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                _ => {}
            }
            return;
        }
        if let Some(math) = &mut self.math {
            match event {
                Event::InlineHtml(t) | Event::Html(t) => {
                    math.push_str(&t);
                    if t.trim().eq_ignore_ascii_case("</math>") {
                        self.end_math();
                    }
                }
                Event::Text(t) => math.push_str(&escape(&t)),
                _ => {}
            }
            return;
        }
        if let Some(html) = &mut self.html {
            match event {
                Event::End(TagEnd::HtmlBlock) => self.end_html(),
                Event::Html(t) | Event::Text(t) => html.push_str(&t),
                _ => {}
            }
            return;
        }
        if let Some(code) = &mut self.code {
            match event {
                Event::End(TagEnd::CodeBlock) => self.end_code(),
                Event::Text(t) => code.push_str(&t),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.push(&t),
            // Maths as its TeX source, in the monospace face.
            Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                let marks = Marks {
                    code: true,
                    ..self.marks.clone()
                };
                push(&mut self.text, &t, &marks);
            }
            Event::Html(tag) | Event::InlineHtml(tag) => self.inline_html(&tag),
            Event::SoftBreak => self.push(" "),
            Event::HardBreak => self.push("\n"),
            Event::FootnoteReference(label) => {
                // Two calls in a row are kept apart (`3,1`, never `31`).
                if self.text.last().is_some_and(|s| s.marks.note.is_some()) {
                    let comma = Marks {
                        script: Script::Super,
                        ..self.marks.clone()
                    };
                    push(&mut self.text, ",", &comma);
                }
                let next = self.numbers.len() + 1;
                let number = *self.numbers.entry(label.to_string()).or_insert(next);
                let marks = Marks {
                    script: Script::Super,
                    note: Some(number),
                    ..self.marks.clone()
                };
                push(&mut self.text, &number.to_string(), &marks);
            }
            _ => {}
        }
    }

    fn push(&mut self, text: &str) {
        push(&mut self.text, text, &self.marks);
    }

    /// Marks from the counts of open inline tags.
    fn remark(&mut self) {
        self.marks = marks_of(&self.open, self.links.last(), &self.langs);
    }

    fn inline(&mut self, mark: Mark, open: bool) {
        count(&mut self.open, mark, open);
        self.remark();
    }

    /// An inline HTML tag in Markdown text: its mark opened or closed where the edition has
    /// it, a line break, quotation marks; what it cannot show is named in `lost`.
    fn inline_html(&mut self, tag: &str) {
        let tag = tag.trim();
        if tag.starts_with("<!--") {
            return;
        }
        let closing = tag.starts_with("</");
        let name: String = tag
            .trim_start_matches('<')
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name == "math" && !closing && !tag.ends_with("/>") {
            self.math = Some(tag.to_string());
            return;
        }
        self.follow_lang(tag, &name, closing);
        match html::inline(&name) {
            Some(Inline::Mark(mark)) => self.inline(mark, !closing),
            Some(Inline::Link) if closing => {
                self.links.pop();
                self.remark();
            }
            Some(Inline::Link) => {
                let href = html::attribute(tag, "a", "href")
                    .map(|h| h.trim().to_string())
                    .unwrap_or_default();
                self.links.push(href);
                self.remark();
            }
            Some(Inline::Break) => self.push("\n"),
            Some(Inline::Quote) => self.push(if closing {
                html::QUOTES.1
            } else {
                html::QUOTES.0
            }),
            Some(Inline::Plain) => {}
            Some(Inline::Lost(what)) => {
                self.body.lost.insert(html::lost(&name, what));
            }
            // A block tag inside a paragraph's text: its text is the paragraph's.
            None if name.is_empty() => self.push(tag),
            None => {
                let what = if name == "img" {
                    "an image in raw HTML, not embedded"
                } else {
                    "HTML inside a paragraph, text kept"
                };
                self.body.lost.insert(html::lost(&name, what));
            }
        }
    }

    /// Keeps the language an inline element gives its text (`<span lang="fr">`) until that
    /// element closes.
    fn follow_lang(&mut self, tag: &str, name: &str, closing: bool) {
        if name.is_empty() || html::is_void(name) || tag.ends_with("/>") {
            return;
        }
        if closing {
            self.langs.close(name);
        } else {
            let lang = tag
                .contains("lang")
                .then(|| html::attribute(tag, name, "lang"));
            self.langs.open(name, lang.flatten().as_deref());
        }
        self.remark();
    }

    /// The end of a MathML formula in a paragraph: its TeX source in the monospace face.
    fn end_math(&mut self) {
        let (source, tex) = html::math_of(&self.math.take().unwrap_or_default());
        if !tex {
            self.body
                .lost
                .insert(html::lost("math", html::MATH_AS_TEXT));
        }
        let marks = Marks {
            code: true,
            ..self.marks.clone()
        };
        push(&mut self.text, &source, &marks);
    }

    /// The end of a raw HTML block: its blocks, or inside a list item, a definition or a
    /// footnote, its text.
    fn end_html(&mut self) {
        let source = self.html.take().unwrap_or_default();
        if self.items.is_empty() && self.note.is_none() && !self.definition {
            let converted = html::blocks(&source);
            self.body.lost.extend(converted.lost);
            let quoted = self.quote_depth > 0;
            self.body
                .blocks
                .extend(converted.blocks.into_iter().map(|b| match b {
                    Block::Paragraph { text } if quoted => Block::Quote { text },
                    other => other,
                }));
        } else {
            let (text, lost) = html::flat(&source);
            self.body.lost.extend(lost);
            if !plain(&self.text).ends_with(' ') {
                self.push(" ");
            }
            self.text.extend(text);
            self.push(" ");
        }
        self.body.blocks.append(&mut self.pending);
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Emphasis => self.inline(Mark::Italic, true),
            Tag::Strong => self.inline(Mark::Bold, true),
            Tag::Strikethrough => self.inline(Mark::Strike, true),
            Tag::Superscript => self.inline(Mark::Super, true),
            Tag::Subscript => self.inline(Mark::Sub, true),
            Tag::Link { dest_url, .. } => {
                self.links.push(dest_url.to_string());
                self.remark();
            }
            Tag::Image { dest_url, .. } => {
                self.image = Some((percent_decode(&dest_url), String::new()))
            }
            Tag::BlockQuote(_) => self.quote_depth += 1,
            Tag::List(start) => {
                self.flush_item();
                self.lists.push(start);
            }
            Tag::Item => {
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    _ => "•".to_string(),
                };
                self.items.push(marker);
                self.text.clear();
            }
            Tag::Heading { level, .. } => {
                self.text.clear();
                // The source's level: the composer tags it by its rank among the headings.
                self.heading = Some(level as u8);
                self.headings += 1;
            }
            Tag::Paragraph if self.items.is_empty() && self.note.is_none() => self.text.clear(),
            Tag::CodeBlock(_) => {
                self.flush_item();
                self.code = Some(String::new());
            }
            Tag::HtmlBlock => self.html = Some(String::new()),
            Tag::Table(align) => {
                let align = align
                    .iter()
                    .map(|a| match a {
                        Alignment::Right => Align::Right,
                        Alignment::Center => Align::Center,
                        _ => Align::Left,
                    })
                    .collect();
                self.table = Some(Table {
                    align,
                    ..Table::default()
                });
            }
            Tag::TableCell => self.text.clear(),
            Tag::DefinitionListTitle => self.text.clear(),
            Tag::DefinitionListDefinition => {
                self.text.clear();
                self.definition = true;
            }
            Tag::FootnoteDefinition(label) => {
                let next = self.numbers.len() + 1;
                self.note = Some(*self.numbers.entry(label.to_string()).or_insert(next));
                self.text.clear();
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Emphasis => self.inline(Mark::Italic, false),
            TagEnd::Strong => self.inline(Mark::Bold, false),
            TagEnd::Strikethrough => self.inline(Mark::Strike, false),
            TagEnd::Superscript => self.inline(Mark::Super, false),
            TagEnd::Subscript => self.inline(Mark::Sub, false),
            TagEnd::Link => {
                self.links.pop();
                self.remark();
            }
            TagEnd::BlockQuote(_) => self.quote_depth -= 1,
            TagEnd::List(_) => {
                self.lists.pop();
            }
            TagEnd::Item => {
                self.flush_item();
                self.items.pop();
                self.body.blocks.append(&mut self.pending);
            }
            TagEnd::Heading(_) => {
                let level = self.heading.take().unwrap_or(2);
                let text = trim(std::mem::take(&mut self.text));
                if !text.is_empty() {
                    let number = Some(self.headings);
                    (self.body.blocks).push(Block::Heading {
                        level,
                        text,
                        number,
                    });
                }
                self.body.blocks.append(&mut self.pending);
            }
            TagEnd::Paragraph => self.end_paragraph(),
            TagEnd::TableCell => {
                let text = trim(std::mem::take(&mut self.text));
                let header = self.table.as_ref().is_some_and(|t| t.rows.is_empty());
                self.row.push(Cell::new(text, header));
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(table) = &mut self.table {
                    table.rows.push(std::mem::take(&mut self.row));
                    if tag == TagEnd::TableHead {
                        table.head = 1;
                    }
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.body.blocks.push(Block::Table(table));
                }
                self.body.blocks.append(&mut self.pending);
            }
            // A term in bold on a line of its own, its definition indented under it.
            TagEnd::DefinitionListTitle => {
                let mut text = trim(std::mem::take(&mut self.text));
                for span in &mut text {
                    span.marks.bold = true;
                }
                if !text.is_empty() {
                    self.body.blocks.push(Block::Term { text });
                }
            }
            TagEnd::DefinitionListDefinition => {
                self.definition = false;
                let text = trim(std::mem::take(&mut self.text));
                if !text.is_empty() {
                    self.body.blocks.push(Block::Item {
                        marker: String::new(),
                        depth: 1,
                        text,
                        quoted: self.quote_depth > 0,
                    });
                }
                self.body.blocks.append(&mut self.pending);
            }
            TagEnd::FootnoteDefinition => {
                let text = trim(std::mem::take(&mut self.text));
                if let Some(number) = self.note.take() {
                    self.body.notes.insert(number, text);
                }
            }
            _ => {}
        }
    }

    /// An image in a paragraph's sentence also stands in its text (where the composer may
    /// draw it in the line, linked as it is; the figure after the paragraph is set when it
    /// does not).
    fn inline_image(&mut self, src: &str, alt: &str, link: Option<String>) {
        let in_paragraph = self.items.is_empty()
            && self.note.is_none()
            && !self.definition
            && self.heading.is_none()
            && self.table.is_none()
            && self.quote_depth == 0;
        if in_paragraph {
            let image = InlineImage {
                src: src.to_string(),
                alt: alt.to_string(),
                size: (0, 0),
            };
            let marks = Marks {
                image: Some(image),
                link,
                ..Marks::default()
            };
            push(&mut self.text, OBJECT, &marks);
        }
    }

    fn end_paragraph(&mut self) {
        if !self.items.is_empty() || self.note.is_some() || self.definition {
            self.push(" ");
            return;
        }
        let mut text = trim(std::mem::take(&mut self.text));
        // An image alone in its paragraph is a figure, not a line of text.
        if plain(&text).trim().is_empty() {
            text.clear();
        }
        if !text.is_empty() {
            self.body.blocks.push(if self.quote_depth > 0 {
                Block::Quote { text }
            } else {
                Block::Paragraph { text }
            });
        }
        self.body.blocks.append(&mut self.pending);
    }

    fn end_code(&mut self) {
        let code = self.code.take().unwrap_or_default();
        let lines: Vec<String> = code.lines().map(str::to_string).collect();
        if !lines.is_empty() {
            self.body.blocks.push(Block::Code { lines });
        }
        self.body.blocks.append(&mut self.pending);
    }

    fn flush_item(&mut self) {
        if let Some(marker) = self.items.last_mut() {
            let text = trim(std::mem::take(&mut self.text));
            if !plain(&text).trim().is_empty() {
                self.body.blocks.push(Block::Item {
                    marker: std::mem::take(marker),
                    depth: self.lists.len(),
                    text,
                    quoted: self.quote_depth > 0,
                });
            }
        }
        self.text.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::super::inline::{plain_rich, Span};
    use super::*;

    /// Blocks with their text as plain strings, for comparing.
    fn flat(blocks: &[Block]) -> Vec<(String, String)> {
        blocks
            .iter()
            .map(|b| match b {
                Block::Heading { level, text, .. } => (format!("h{level}"), plain(text)),
                Block::Paragraph { text } => ("p".into(), plain(text)),
                Block::Term { text } => ("term".into(), plain(text)),
                Block::Quote { text } => ("quote".into(), plain(text)),
                Block::PullQuote { text } => ("pull quote".into(), plain(text)),
                Block::Item {
                    marker,
                    depth,
                    text,
                    quoted,
                } => {
                    let quoted = if *quoted { "quoted " } else { "" };
                    (format!("{quoted}item {depth} {marker}"), plain(text))
                }
                Block::Image { src, alt, .. } => (format!("image {src}"), alt.clone()),
                Block::Code { lines } => ("code".into(), lines.join("\n")),
                Block::Table(table) => {
                    let cells: Vec<String> = table
                        .rows
                        .iter()
                        .flatten()
                        .map(|c| plain(&c.text))
                        .collect();
                    ("table".into(), cells.join("|"))
                }
            })
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    /// The runs of `read`'s first block, which must be a paragraph.
    fn first_paragraph(read: &Body) -> &[Span] {
        match &read.blocks[0] {
            Block::Paragraph { text } => text,
            _ => panic!("{read:?}"),
        }
    }

    /// The marks of the run of `text` that is `run`.
    fn marks_of(text: &[Span], run: &str) -> Marks {
        let span = text.iter().find(|s| s.text == run);
        span.unwrap_or_else(|| panic!("no run {run:?} in {text:?}"))
            .marks
            .clone()
    }

    /// Asserts that `markdown` reads as the blocks `expected`, each as (kind, plain text).
    fn assert_blocks(markdown: &str, expected: &[(&str, &str)]) {
        assert_eq!(flat(&blocks(markdown)), pairs(expected));
    }

    #[test]
    fn a_list_inside_a_quotation_stays_in_it_and_the_attribution_after_it() {
        assert_blocks(
            "> We ask for three things:\n>\n> 1. A figure\n>    - by month\n> 2. A freeze\n>\n\
             > — The residents\n\n1. Outside\n",
            &[
                ("quote", "We ask for three things:"),
                ("quoted item 1 1.", "A figure"),
                ("quoted item 2 •", "by month"),
                ("quoted item 1 2.", "A freeze"),
                ("quote", "— The residents"),
                ("item 1 1.", "Outside"),
            ],
        );
    }

    #[test]
    fn no_text_is_dropped_and_images_follow_their_block() {
        let body = "- OUTER\n  - INNER\n\n```\ncode line\n```\n\n<div>in html</div>\n\nFirst line<br>second\n\n- item ![i](assets/a%20b.png) after\n";
        assert_blocks(
            body,
            &[
                ("item 1 •", "OUTER"),
                ("item 2 •", "INNER"),
                ("code", "code line"),
                ("p", "in html"),
                ("p", "First line\nsecond"),
                ("item 1 •", "item  after"),
                ("image assets/a b.png", "i"),
            ],
        );
    }

    #[test]
    fn an_image_in_a_sentence_stands_in_its_text_and_one_alone_is_only_a_figure() {
        let read =
            body("Markers: ![A red square](assets/tiny.png) here.\n\n![Alone](assets/a.png)\n");
        assert_eq!(
            flat(&read.blocks),
            pairs(&[
                ("p", "Markers:  here."),
                ("image assets/tiny.png", "A red square"),
                ("image assets/a.png", "Alone"),
            ])
        );
        let text = first_paragraph(&read);
        let image = text
            .iter()
            .find_map(|s| s.marks.image.as_ref().map(|i| (s, i)));
        let (span, image) = image.expect("the image in the sentence");
        assert_eq!(
            (span.text.as_str(), image.src.as_str()),
            (OBJECT, "assets/tiny.png")
        );
        assert_eq!(image.alt, "A red square");
    }

    #[test]
    fn markdown_bodies_become_blocks() {
        let body = "<!-- page 1: sources/a.txt -->\n\n## VI. Heading\n\nOne *two*\nthree.\n\n> Quoted.\n\n- a\n- b\n\n1. x\n2. y\n";
        assert_blocks(
            body,
            &[
                ("h2", "VI. Heading"),
                ("p", "One two three."),
                ("quote", "Quoted."),
                ("item 1 •", "a"),
                ("item 1 •", "b"),
                ("item 1 1.", "x"),
                ("item 1 2.", "y"),
            ],
        );
    }

    #[test]
    fn markdown_headings_are_numbered_as_the_link_rule_counts_them_and_raw_html_ones_not() {
        // An empty heading is not set, but the rule (and the EPUB and the site) count it.
        let markdown = "## Stone\n\n<h2>Raw Part</h2>\n\n##\n\n## Crane *Rails*\n";
        let numbered: Vec<(String, Option<usize>)> = (body(markdown).blocks.iter())
            .filter_map(|block| match block {
                Block::Heading { text, number, .. } => Some((plain(text), *number)),
                _ => None,
            })
            .collect();
        let expected = [
            ("Stone", Some(1)),
            ("Raw Part", None),
            ("Crane Rails", Some(3)),
        ];
        assert_eq!(numbered, expected.map(|(t, n)| (t.to_string(), n)));
        let anchors = crate::export::links::heading_anchors(markdown);
        assert_eq!(
            (anchors[0].as_str(), anchors[2].as_str()),
            ("stone", "crane-rails")
        );
    }

    #[test]
    fn definitions_and_maths_are_kept() {
        let markdown = "Term\n: The definition, $x^2$.\n";
        assert_blocks(
            markdown,
            &[("term", "Term"), ("item 1 ", "The definition, x^2.")],
        );
    }

    #[test]
    fn inline_marks_links_tables_and_footnotes_are_kept() {
        let markdown = "A *b* **c** `d` [e](https://e.org) ~~f~~ water ~2~ and ^2^.[^n]\n\n| A | B |\n|---|--:|\n| 1 | 2 |\n\n[^n]: The note.\n";
        let read = body(markdown);
        let text = first_paragraph(&read);
        assert!(marks_of(text, "b").italic);
        assert!(marks_of(text, "c").bold);
        assert!(marks_of(text, "d").code);
        assert_eq!(marks_of(text, "e").link.as_deref(), Some("https://e.org"));
        assert!(marks_of(text, "f").strike);
        assert_eq!(marks_of(text, "2").script, Script::Sub);
        assert_eq!(marks_of(text, "1").note, Some(1));
        assert_eq!(flat(&read.blocks[1..]), pairs(&[("table", "A|B|1|2")]));
        assert_eq!(read.notes[&1], plain_rich("The note."));
    }

    #[test]
    fn two_note_calls_in_a_row_are_kept_apart() {
        let read = body(
            "As two studies found.[^b][^a]

[^a]: One.

[^b]: Two.
",
        );
        let text = first_paragraph(&read);
        assert_eq!(plain(text), "As two studies found.1,2");
        assert_eq!(marks_of(text, ",").script, Script::Super);
        assert_eq!(marks_of(text, ",").note, None);
    }

    #[test]
    fn inline_html_keeps_its_marks_and_what_it_cannot_show_is_named() {
        let markdown = "A <em>b</em> <a href=\"https://e.org\">c</a> <mark>d</mark> <code>e</code><br>f\n\n- item\n\n  <table><tr><td>x</td><td>y</td></tr></table>\n";
        let read = body(markdown);
        let text = first_paragraph(&read);
        assert!(marks_of(text, "b").italic);
        assert_eq!(marks_of(text, "c").link.as_deref(), Some("https://e.org"));
        assert!(marks_of(text, "e").code);
        assert_eq!(plain(text), "A b c d e\nf");
        assert_eq!(flat(&read.blocks[1..]), pairs(&[("item 1 •", "item x\ny")]));
        assert_eq!(
            read.lost.iter().collect::<Vec<_>>(),
            [
                "<mark> (highlight not shown, text kept)",
                "<table> (a table inside a table cell, a list item or a note, set as lines)"
            ]
        );
    }

    #[test]
    fn a_span_gives_its_language_until_it_closes_not_until_an_inner_element_does() {
        let read = body("A <span lang=\"fr\">b <span>c</span> d<br>e</span> f\n");
        let text = first_paragraph(&read);
        let lang = |t: &str| {
            let span = text.iter().find(|s| s.text.contains(t)).unwrap();
            span.marks.lang.clone()
        };
        assert_eq!(lang("A"), None);
        for t in ["b", "c", "d", "e"] {
            assert_eq!(lang(t).as_deref(), Some("fr"), "{t}: {text:?}");
        }
        assert_eq!(lang("f"), None, "{text:?}");
    }

    #[test]
    fn mathml_is_set_as_its_tex_source_as_markdown_maths_is() {
        let markdown = "The relation <math xmlns=\"http://www.w3.org/1998/Math/MathML\"><semantics><mrow><mi>E</mi><mo>=</mo><mi>m</mi><msup><mi>c</mi><mn>2</mn></msup></mrow><annotation encoding=\"application/x-tex\">{\\displaystyle E=mc\\^{2}}</annotation></semantics></math> holds, and <math><mi>x</mi><mo>&lt;</mo><mn>1</mn></math> too.\n";
        let read = body(markdown);
        let text = first_paragraph(&read);
        assert_eq!(plain(text), "The relation E=mc^{2} holds, and x < 1 too.");
        assert!(
            text.iter()
                .find(|s| s.text == "E=mc^{2}")
                .unwrap()
                .marks
                .code
        );
        assert_eq!(
            read.lost.iter().cloned().collect::<Vec<_>>(),
            [format!("<math> ({})", html::MATH_AS_TEXT)]
        );
        let in_block = body("<p>Area <math alttext=\"\\pi r^2\"><mi>π</mi></math>.</p>\n");
        assert_eq!(flat(&in_block.blocks), pairs(&[("p", "Area \\pi r^2.")]));
        assert!(in_block.lost.is_empty());
    }

    #[test]
    fn a_linked_image_keeps_its_link_as_a_figure_and_in_its_sentence() {
        let alone = blocks("[![The harbour](assets/h.jpg)](https://example.org/h)\n");
        assert_eq!(
            alone,
            [Block::Image {
                src: "assets/h.jpg".into(),
                alt: "The harbour".into(),
                link: Some("https://example.org/h".into()),
            }]
        );
        let inline = blocks("See [![a map](assets/m.png)](other.md) here.\n");
        let Block::Paragraph { text } = &inline[0] else {
            panic!("{inline:?}");
        };
        let image = text.iter().find(|s| s.marks.image.is_some()).unwrap();
        assert_eq!(image.marks.link.as_deref(), Some("other.md"));
        assert!(matches!(&inline[1], Block::Image { link: Some(l), .. } if l == "other.md"));
        let plain_image = blocks("![A map](assets/m.png)\n");
        assert!(matches!(&plain_image[0], Block::Image { link: None, .. }));
    }
}
