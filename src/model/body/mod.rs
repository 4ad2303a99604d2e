//! The article body's one dialect: CommonMark with pulldown-cmark's extensions for tables,
//! footnotes, strikethrough, definition lists, superscript and subscript, and maths. Every
//! reader of a body (the exports, the image checks) parses it with [`parser`], and every
//! importer writes it, so what an importer keeps is what an edition shows.
//!
//! Raw HTML is CommonMark too: an importer writes a table that has no pipe-table form as an
//! HTML block, and MathML as inline HTML. [`xhtml`] turns such HTML into well-formed XHTML of
//! a known set of elements, for the importer that writes it and the EPUB that reads it.

pub mod xhtml;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The HTML elements a rendered body's blocks are made of: paragraphs, headings, quotes, code,
/// lists, tables and figures. Where one opens, a block of the body begins.
pub const BLOCK_ELEMENTS: [&str; 14] = [
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dl",
    "table",
    "figure",
];

/// The extensions of the body dialect, in one place.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_SUPERSCRIPT
        | Options::ENABLE_SUBSCRIPT
        | Options::ENABLE_MATH
}

/// A parser of an article body in the dialect.
pub fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(markdown, options())
}

/// `text` with every character that `replace` names put as what it gives (`""` drops it), the
/// others kept: the one loop of the escapes of the body, its link targets and its XHTML.
pub fn replace_chars(text: &str, replace: impl Fn(char) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match replace(c) {
            Some(with) => out.push_str(with),
            None => out.push(c),
        }
    }
    out
}

/// Where the images a body shows are, as it writes them, in order (a repeated one once).
pub fn image_sources(markdown: &str) -> Vec<String> {
    let mut sources: Vec<String> = Vec::new();
    for event in parser(markdown) {
        if let Event::Start(Tag::Image { dest_url, .. }) = event {
            if !sources.iter().any(|s| *s == *dest_url) {
                sources.push(dest_url.to_string());
            }
        }
    }
    sources
}

/// Where the images a body's raw HTML shows are (`<img src>`), percent-escapes decoded, in
/// order (a repeated one once).
pub fn html_image_sources(markdown: &str) -> Vec<String> {
    let mut html = String::new();
    for event in parser(markdown) {
        if let Event::Html(part) | Event::InlineHtml(part) = event {
            html.push_str(&part);
        }
    }
    if !html.to_ascii_lowercase().contains("<img") {
        return Vec::new();
    }
    let mut sources: Vec<String> = Vec::new();
    for image in dom_query::Document::fragment(html)
        .select("img[src]")
        .nodes()
    {
        let src = percent_decode(image.attr("src").unwrap_or_default().trim());
        if !sources.contains(&src) {
            sources.push(src);
        }
    }
    sources
}

/// `%20` and other escapes in a link target or a path, decoded (Markdown keeps them as
/// written); a target whose escapes are no UTF-8 stays as written.
pub fn percent_decode(url: &str) -> String {
    percent_encoding::percent_decode_str(url)
        .decode_utf8()
        .map_or_else(|_| url.to_string(), |d| d.into_owned())
}

/// A heading's anchor as Markdown renderers make it: lower case, spaces as hyphens,
/// punctuation dropped. A link to `#anchor` in a body means the heading (or article) whose
/// title gives that anchor, in every edition.
pub fn anchor(title: &str) -> String {
    title
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' | '-' => Some('-'),
            c if c.is_alphanumeric() || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Whether an image source names a file of the issue rather than a place on the web (a URL
/// with a scheme, `//host/...`) or in the page (`#...`).
pub fn is_local_source(src: &str) -> bool {
    let scheme = src
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains('/'));
    !(scheme || src.starts_with("//") || src.starts_with('#') || src.is_empty())
}

/// The text a reader sees in a body: its words, code and maths without markup or HTML tags,
/// a space between blocks and for each line break, white space folded. The search index reads
/// it, and the importer compares a body's first lines with the capture's title and byline.
pub fn plain_text(markdown: &str) -> String {
    plain(markdown, true)
}

/// The text as its lines read, without the images' alt text (an icon in a sentence is no word
/// of it).
pub fn line_text(markdown: &str) -> String {
    plain(markdown, false)
}

fn plain(markdown: &str, alt: bool) -> String {
    let mut text = String::with_capacity(markdown.len());
    let mut in_image = 0usize;
    for event in parser(markdown) {
        match event {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Text(_) if in_image > 0 && !alt => {}
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                text.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(tag) if ends_block(tag) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a tag's end ends a block of text (so that its last word and the next block's first
/// are two words).
fn ends_block(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::Item
            | TagEnd::TableCell
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_contains_all;
    use pulldown_cmark::{Event, Tag};

    fn starts(markdown: &str) -> Vec<String> {
        parser(markdown)
            .filter_map(|e| match e {
                Event::Start(tag) => Some(format!("{tag:?}")),
                Event::InlineMath(_) => Some("InlineMath".into()),
                Event::DisplayMath(_) => Some("DisplayMath".into()),
                Event::FootnoteReference(_) => Some("FootnoteReference".into()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_dialect_reads_every_extension_the_readme_names() {
        let seen = starts(
            "a ~~b~~ ~c~ ^d^ $e$ $$f$$ g[^1]\n\n| h | i |\n|---|---|\n| j | k |\n\nTerm\n: definition\n\n[^1]: note\n",
        );
        let text = seen.join(" ");
        assert_contains_all(
            &text,
            &[
                "Strikethrough",
                "Subscript",
                "Superscript",
                "InlineMath",
                "DisplayMath",
                "FootnoteReference",
                "Table",
                "DefinitionList",
                "FootnoteDefinition",
            ],
        );
        // Plain CommonMark reads as before.
        assert!(
            parser("# Title\n\nText.\n").any(|e| matches!(e, Event::Start(Tag::Heading { .. })))
        );
    }

    #[test]
    fn sub_and_superscripts_are_read_only_where_the_mark_begins_a_word_as_the_readme_says() {
        let marked = |text: &str| {
            parser(text).any(|e| {
                matches!(
                    e,
                    Event::Start(Tag::Superscript) | Event::Start(Tag::Subscript)
                )
            })
        };
        assert!(marked("x ^2^") && marked("a ~b~ c"));
        assert!(!marked("CO~2~") && !marked("m^2^") && !marked("H~2~O"));
    }

    #[test]
    fn anchors_are_made_as_markdown_renderers_make_them() {
        assert_eq!(anchor("VI. Active Exchanges"), "vi-active-exchanges");
        assert_eq!(anchor("Über uns – heute"), "über-uns--heute");
    }

    #[test]
    fn plain_text_keeps_the_words_and_drops_the_markup() {
        assert_eq!(
            plain_text("# Title\n\nSome *emphasis* and `code`.\n\n- item\n"),
            "Title Some emphasis and code. item"
        );
    }

    #[test]
    fn plain_text_does_not_split_a_word_marked_in_part() {
        assert_eq!(plain_text("un*believ*able, `x`y"), "unbelievable, xy");
        assert_eq!(plain_text("| a | b |\n|---|---|\n| c | d |"), "a b c d");
    }
}
