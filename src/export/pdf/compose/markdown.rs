//! An article's Markdown read into the blocks the edition sets: headings, paragraphs, quotes,
//! list items and images. The EPUB and the export of images read the same blocks.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// Body text blocks read from an article's Markdown.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading { level: u8, text: String },
    Paragraph { text: String },
    Quote { text: String },
    Item { marker: String, text: String },
    Image { src: String, alt: String },
}

/// Reads a CommonMark body into blocks (inline markup is set as plain text; HTML comments,
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
    for event in Parser::new(markdown) {
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
